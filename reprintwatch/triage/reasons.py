"""Why a judgement came out as it did, as data: a code, the rule it rests on, and the evidence.

A decision carries a :class:`Reason`; each renderer words it in its own language (:func:`english` here for
the reports and ``findings list``; ``complaint/dossier.py`` writes the Chinese of a complaint). Before
this, the dossier rebuilt its Chinese by regex-parsing the English sentence, so any change of wording
silently dropped it back to the generic "no licence" text.

The same shape serves any rule that explains itself (licence decisions here; legal hints alike): ``code``
is stable and machine-readable (``licence.ended``), ``rule`` names what the decision rests on (the licence,
the article of law), ``evidence`` holds the parameters a renderer needs (JSON values only: it is stored
with the triage).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

# licence decisions (triage.licences.decide)
COVERED = "licence.covered"
NOT_STARTED = "licence.not_started"
ENDED = "licence.ended"
TIME_UNKNOWN = "licence.time_unknown"
VERBATIM_ONLY = "licence.verbatim_only"
ACCOUNT_UNCONFIRMED = "licence.account_unconfirmed"
NO_LICENCE = "licence.none"


@dataclass(frozen=True)
class Reason:
    code: str
    rule: str = ""
    evidence: Mapping[str, Any] = field(default_factory=dict)

    def get(self, key: str, default=None):
        return self.evidence.get(key, default)

    def to_dict(self) -> dict:
        # keys sorted as the store writes JSON (sort_keys), so a reason read back renders the same
        return {"code": self.code, "rule": self.rule, "evidence": sorted_keys(self.evidence)}

    @classmethod
    def from_dict(cls, data: Mapping) -> "Reason":
        """The inverse of :meth:`to_dict`; a value that is not such a dict raises KeyError/TypeError."""
        return cls(str(data["code"]), str(data.get("rule") or ""), dict(data.get("evidence") or {}))


def sorted_keys(value):
    """Dicts with their keys in order, at every level: the store keeps JSON with sorted keys, and a triage
    read back must render byte for byte as one judged afresh (reasons and legal hints alike)."""
    if isinstance(value, Mapping):
        return {k: sorted_keys(value[k]) for k in sorted(value)}
    if isinstance(value, (list, tuple)):
        return [sorted_keys(v) for v in value]
    return value


def match_text(match: Mapping | None) -> str:
    """How a licence named the reprinter (``licences.match_reprinter``'s evidence), in English."""
    m = match or {}
    by = m.get("by")
    if by == "host":
        sub = "" if m.get("host") == m.get("domain") else f", a subdomain of {m.get('domain')}"
        return f"fetched from {m.get('host')}{sub}"
    if by == "wechat_biz":
        return f"WeChat __biz {m.get('value')}"
    if by == "wechat_account":
        return f"WeChat account {m.get('value')}"
    if by == "app":
        return f"app {m.get('value')} ({m.get('field')})"
    return ""


def _copy_day(e: Mapping) -> str:
    what = "published" if e.get("basis") == "published" else "first seen"
    return f"{what} {e.get('copy_day')}"


# How other families of reasons are worded, by code prefix: each family registers its own (triage/legal.py
# registers "hint."), so this module imports none of them — one way, no circle.
_WORDINGS: dict[str, Callable[[Reason], str | None]] = {}


def register_wording(prefix: str, word: Callable[[Reason], str | None]) -> None:
    """Let :func:`english` word reasons whose code starts with ``prefix`` (``word`` may return None: not one
    it knows, the stored text is used)."""
    _WORDINGS[prefix] = word


def english(reason: Reason | None) -> str:
    """The reason as the reports and ``findings list`` say it."""
    if reason is None:
        return ""
    e, code = reason.evidence, reason.code
    lic = f"licence #{e.get('licence_id')}"
    if code == COVERED:
        timing = ""
        if e.get("copy_day"):
            timing = ", " + _copy_day(e) + ("" if e.get("basis") == "published" else " (publish time unknown)")
        dates = ""
        if e.get("valid_from") or e.get("valid_until"):
            dates = f" within {e.get('valid_from') or '…'} – {e.get('valid_until') or '…'}"
        return f"covered by {lic} ({e.get('scope')}): {match_text(e.get('match'))}{timing}{dates}"
    if code in (NOT_STARTED, ENDED):
        if code == NOT_STARTED:
            text = f"{lic} starts {e.get('valid_from')}; the copy was {_copy_day(e)} ({e.get('zone')}), before it"
        else:
            text = f"{lic} ended {e.get('valid_until')}; the copy was {_copy_day(e)} ({e.get('zone')}), after it"
            if e.get("basis") != "published":
                text += " — its publish time is unknown, it may have been published while the licence ran"
        if e.get("account_unconfirmed"):
            text += " (and the account is not confirmed: not fetched from a WeChat page)"
        return text
    if code == TIME_UNKNOWN:
        return f"{lic} has dates, and the copy's publish time and first-seen time are unknown"
    if code == VERBATIM_ONLY:
        return f"{lic} allows verbatim reprints only; this copy is edited: " + "; ".join(e.get("differences") or [])
    if code == ACCOUNT_UNCONFIRMED:
        return (f"{lic} is for WeChat account {e.get('account')}, but this copy was not fetched from "
                f"a WeChat page ({e.get('fetched') or 'no URL'}), so the account is not confirmed")
    if code == NO_LICENCE:
        text = f"no licence for {e.get('reprinter')} to reprint {e.get('outlet') or 'this outlet'}"
        if e.get("claimed_url"):
            text += f" (the page claims to be {e['claimed_url']}; a page's own claim is not who serves it)"
        return text
    for prefix, word in _WORDINGS.items():  # another family's reason (legal hints: "hint.") words itself
        if code.startswith(prefix) and (text := word(reason)):
            return text
    return e.get("text") or code  # a code this renderer does not know: its own text, else the code
