"""The licence registry: which reprinters may reprint which outlets' articles, when, and how.

A licence names a *reprinter* — a web site (domain), a WeChat account (name or ID) or an app — an *outlet*
whose articles it may use (``*`` for every outlet), an inclusive date range (open ends allowed) and a
*scope*: ``may_reprint`` (verbatim, whole articles) or ``may_edit`` (may also excerpt or rework).

Licences live in table ``licences`` of the store (:class:`reprintwatch.store.Store`, ``Settings.store``),
next to the findings they decide; :class:`Licence` is the store's record. :func:`decide` is the pure part: given the licences and one reprint, is it covered, by which
licence, and if not, why not.
"""
from __future__ import annotations

import csv
import datetime as _dt
import io
import sqlite3
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable
from urllib.parse import parse_qs, urlsplit

from ..errors import BadInput
from ..store import Licence

KINDS = ("site", "wechat", "app")
SCOPES = ("may_reprint", "may_edit")
ANY_OUTLET = "*"

# A full reprint whose shingle Jaccard similarity is below this was reworked (words changed, text added
# or cut) — an edit, which a ``may_reprint`` licence does not allow. A partial reprint is always an edit.
EDITED_BELOW_SIMILARITY = 0.8

CSV_COLUMNS = ("reprinter_kind", "reprinter", "outlet", "valid_from", "valid_until", "scope", "note")


@dataclass(frozen=True)
class Reprinter:
    """Who published a copy, as the findings store knows it."""

    platform: str = ""  # wechat | feed | web | local
    site: str = ""  # domain
    account: str = ""  # WeChat account name or ID
    url: str = ""
    source: str = ""  # the ingest source name (an app's export, a feed name…)

    @classmethod
    def from_row(cls, row: dict) -> "Reprinter":
        return cls(
            platform=row.get("platform") or "",
            site=row.get("site") or "",
            account=row.get("account") or "",
            url=row.get("canonical_url") or row.get("url") or "",
            source=row.get("source") or "",
        )

    def label(self) -> str:
        """What the reports group by: the WeChat account, else the site, else the source."""
        if self.platform == "wechat" and self.account:
            return f"微信公众号 {self.account}"
        return self.account or self.site or host_of(self.url) or self.source or "(unknown)"


@dataclass(frozen=True)
class Decision:
    authorised: bool
    licence: Licence | None
    reason: str
    edited: bool

    def to_dict(self) -> dict:
        return {
            "authorised": self.authorised,
            "licence": self.licence.to_dict() if self.licence else None,
            "reason": self.reason,
            "edited": self.edited,
        }


# --------------------------------------------------------------------------- pure matching


def fold(value: str) -> str:
    return unicodedata.normalize("NFKC", value or "").strip().casefold()


def normalise_domain(value: str) -> str:
    """``https://WWW.Example.com:8080/x`` → ``example.com``; ``news.example.com`` stays itself."""
    value = fold(value)
    if "://" in value:
        value = urlsplit(value).hostname or ""
    value = value.split("/", 1)[0].split(":", 1)[0].strip(".")
    return value[4:] if value.startswith("www.") else value


def host_of(url: str) -> str:
    try:
        return normalise_domain(urlsplit(url).hostname or "") if url else ""
    except ValueError:
        return ""


def wechat_ids(reprinter: Reprinter) -> set[str]:
    """The account name plus the ``__biz`` ID from an mp.weixin.qq.com URL, folded."""
    ids = {fold(reprinter.account)} if reprinter.account else set()
    if reprinter.url:
        try:
            biz = parse_qs(urlsplit(reprinter.url).query).get("__biz", [])
        except ValueError:
            biz = []
        ids.update(fold(b) for b in biz if b)
    return ids


def reprinter_matches(licence: Licence, reprinter: Reprinter) -> bool:
    """A site licence covers the domain and its subdomains; a WeChat licence the account name or
    ``__biz`` ID; an app licence the source, account or site of that name."""
    wanted = fold(licence.reprinter)
    if not wanted:
        return False
    if licence.reprinter_kind == "site":
        wanted = normalise_domain(wanted)
        for host in {normalise_domain(reprinter.site), host_of(reprinter.url)} - {""}:
            if host == wanted or host.endswith("." + wanted):
                return True
        return False
    if licence.reprinter_kind == "wechat":
        return wanted in wechat_ids(reprinter)
    if licence.reprinter_kind == "app":
        return wanted in {fold(reprinter.source), fold(reprinter.account), fold(reprinter.site)}
    return False


def outlet_matches(licence: Licence, outlet: str) -> bool:
    return licence.outlet == ANY_OUTLET or fold(licence.outlet) == fold(outlet)


def is_edited(verdict: str, similarity: float) -> bool:
    return verdict != "full_reprint" or similarity < EDITED_BELOW_SIMILARITY


def reprint_date(*candidates: str | None) -> _dt.date | None:
    """The first parseable ISO date/datetime among ``candidates`` (published_at, then checked_at…)."""
    for value in candidates:
        if value:
            try:
                return _dt.date.fromisoformat(str(value).strip()[:10])
            except ValueError:
                continue
    return None


def in_range(licence: Licence, day: _dt.date | None) -> str | None:
    """``None`` when ``day`` is inside the licence's dates, else why not."""
    if day is None:
        if licence.valid_from or licence.valid_until:
            return "the reprint date is unknown"
        return None
    if licence.valid_from and day < _dt.date.fromisoformat(licence.valid_from):
        return f"licence #{licence.id} starts {licence.valid_from}, after the reprint ({day})"
    if licence.valid_until and day > _dt.date.fromisoformat(licence.valid_until):
        return f"licence #{licence.id} ended {licence.valid_until}, before the reprint ({day})"
    return None


def decide(
    licences: Iterable[Licence],
    reprinter: Reprinter,
    outlet: str,
    day: _dt.date | None,
    verdict: str,
    similarity: float,
) -> Decision:
    """Is this reprint covered? Picks the first licence (by id) that covers it; otherwise explains the
    nearest miss (wrong dates, or a verbatim-only licence for an edited copy)."""
    edited = is_edited(verdict, similarity)
    near_miss: str | None = None
    for licence in sorted(licences, key=lambda lic: lic.id or 0):
        if not (outlet_matches(licence, outlet) and reprinter_matches(licence, reprinter)):
            continue
        out_of_range = in_range(licence, day)
        if out_of_range:
            near_miss = near_miss or out_of_range
            continue
        if edited and licence.scope != "may_edit":
            near_miss = near_miss or f"licence #{licence.id} allows verbatim reprints only; this copy is edited"
            continue
        return Decision(True, licence, f"covered by licence #{licence.id} ({licence.scope})", edited)
    reason = near_miss or f"no licence for {reprinter.label()} to reprint {outlet or 'this outlet'}"
    return Decision(False, None, reason, edited)


# --------------------------------------------------------------------------- validation


def _check_date(value, where: str, name: str) -> str | None:
    if value in (None, ""):
        return None
    try:
        return _dt.date.fromisoformat(str(value).strip()).isoformat()
    except ValueError:
        raise BadInput(where, f"{name} is not an ISO date (YYYY-MM-DD): {value!r}") from None


def make_licence(
    reprinter_kind: str,
    reprinter: str,
    outlet: str,
    valid_from=None,
    valid_until=None,
    scope: str = "may_reprint",
    note: str = "",
    where: str = "licence",
) -> Licence:
    """Validate fields and return a :class:`Licence` (without id). Raises :class:`BadInput`."""
    kind = fold(reprinter_kind or "")
    if kind not in KINDS:
        raise BadInput(where, f"reprinter kind must be one of {', '.join(KINDS)}, got {reprinter_kind!r}")
    reprinter = (reprinter or "").strip()
    if not reprinter:
        raise BadInput(where, "reprinter is empty")
    if kind == "site":
        reprinter = normalise_domain(reprinter)
        if not reprinter or " " in reprinter:
            raise BadInput(where, f"not a domain: {reprinter!r}")
    outlet = (outlet or "").strip()
    if not outlet:
        raise BadInput(where, "outlet is empty (use * for every outlet)")
    scope = fold(scope or "may_reprint").replace("-", "_")
    if scope not in SCOPES:
        raise BadInput(where, f"scope must be one of {', '.join(SCOPES)}, got {scope!r}")
    start = _check_date(valid_from, where, "valid_from")
    end = _check_date(valid_until, where, "valid_until")
    if start and end and end < start:
        raise BadInput(where, f"valid_until {end} is before valid_from {start}")
    return Licence(None, kind, reprinter, outlet, start, end, scope, (note or "").strip())


def parse_csv(text: str, name: str = "licences.csv") -> list[Licence]:
    """Licences from CSV with a header row naming (some of) :data:`CSV_COLUMNS`; ``reprinter_kind``,
    ``reprinter`` and ``outlet`` are required. Every row is validated before any is used."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [fold(h) for h in reader.fieldnames or []]
    if not header:
        raise BadInput(f"{name}:1", "empty file; expected a header row: " + ",".join(CSV_COLUMNS))
    unknown = [h for h in header if h not in CSV_COLUMNS]
    missing = [c for c in ("reprinter_kind", "reprinter", "outlet") if c not in header]
    if unknown or missing:
        problems = []
        if unknown:
            problems.append(f"unknown column(s) {', '.join(unknown)}")
        if missing:
            problems.append(f"missing column(s) {', '.join(missing)}")
        raise BadInput(f"{name}:1", "; ".join(problems) + "; expected " + ",".join(CSV_COLUMNS))
    reader.fieldnames = header
    licences = []
    for row in reader:
        where = f"{name}:{reader.line_num}"
        if None in row:
            raise BadInput(where, f"more fields than the {len(header)} columns in the header")
        if not any((v or "").strip() for v in row.values()):
            continue
        licences.append(make_licence(**{k: row.get(k) for k in CSV_COLUMNS if k in row}, where=where))
    return licences


# --------------------------------------------------------------------------- files and lists
# (the licences themselves are kept by the store: ``Store.add_licences`` / ``licences`` / ``remove_licences``)


def read_csv_file(path) -> list[Licence]:
    """Licences from a CSV file (UTF-8, else GB18030), validated by :func:`parse_csv`."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise BadInput(str(path), f"cannot read ({exc.strerror})") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        try:
            text = raw.decode("gb18030")
        except UnicodeDecodeError:
            raise BadInput(str(path), "not UTF-8 or GB18030 text") from None
    return parse_csv(text, str(path))


def select(licences: Iterable[Licence], outlet: str | None = None, reprinter: str | None = None) -> list[Licence]:
    """The licences that cover ``outlet`` (``*`` licences included) and name ``reprinter``."""
    found = list(licences)
    if outlet:
        found = [lic for lic in found if outlet_matches(lic, outlet)]
    if reprinter:
        found = [lic for lic in found if fold(lic.reprinter) == fold(reprinter)]
    return found
