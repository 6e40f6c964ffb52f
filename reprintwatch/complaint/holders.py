"""Rights holders: who files the complaint for an outlet's articles — legal name, address, contact,
proof of rights (a copyright registration number, the file of a licence contract…), and an agent with
a power of attorney when someone files on the holder's behalf. Kept once per outlet in the store
(table ``rights_holders``); this module validates and formats them.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

from ..errors import BadInput

FIELDS = ("outlet", "legal_name", "address", "contact", "proofs", "agent", "power_of_attorney", "note")
REQUIRED = ("outlet", "legal_name", "address", "contact")
MAX_FIELD_CHARS = 2000


@dataclass(frozen=True)
class RightsHolder:
    outlet: str  # the licensed articles' outlet, exactly as in the licensed index
    legal_name: str  # 投诉人 (the company that holds the rights)
    address: str
    contact: str  # person, phone, e-mail
    proofs: tuple[str, ...] = field(default_factory=tuple)  # 权属证明: registration numbers, contract files
    agent: str = ""  # 代理人, when an agent files
    power_of_attorney: str = ""  # 授权委托书 reference (file or number)
    note: str = ""
    id: int | None = None
    created_at: str | None = None
    updated_at: str | None = None

    def to_dict(self) -> dict:
        out = asdict(self)
        out["proofs"] = list(self.proofs)
        return out

    def missing(self) -> list[str]:
        """What the guideline asks for that this record lacks (proof of rights; an agent's power of attorney)."""
        gaps = []
        if not self.proofs:
            gaps.append("proof of rights (--proof)")
        if self.agent and not self.power_of_attorney:
            gaps.append("the agent's power of attorney (--power-of-attorney)")
        return gaps

    def describe(self) -> str:
        proofs = "; ".join(self.proofs) or "no proof of rights on file"
        return f"{self.outlet}: {self.legal_name}, {self.address}, {self.contact} ({proofs})"


def _clean(value, name: str, where: str) -> str:
    text = " ".join(str(value or "").split())
    if len(text) > MAX_FIELD_CHARS:
        raise BadInput(where, f"{name} is longer than {MAX_FIELD_CHARS} characters")
    return text


def make_holder(where: str = "holder", **values) -> RightsHolder:
    """Validate and normalise the fields of a rights holder. Raises :class:`BadInput` naming the field."""
    unknown = set(values) - set(FIELDS) - {"id", "created_at", "updated_at"}
    if unknown:
        raise BadInput(where, f"unknown field(s): {', '.join(sorted(unknown))}")
    clean = {name: _clean(values.get(name), name, where) for name in FIELDS if name != "proofs"}
    for name in REQUIRED:
        if not clean[name]:
            raise BadInput(where, f"{name.replace('_', ' ')} is empty")
    proofs = values.get("proofs") or ()
    if isinstance(proofs, str):
        proofs = [proofs]
    proofs = tuple(p for p in (_clean(p, "proof", where) for p in proofs) if p)
    return RightsHolder(
        proofs=proofs, id=values.get("id"), created_at=values.get("created_at"), updated_at=values.get("updated_at"),
        **clean,
    )
