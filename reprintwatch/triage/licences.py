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
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from ..dates import parse_day
from ..encoding import decode_bytes, detect_encoding
from ..errors import BadInput
from ..store import Licence
from . import reasons as R
from .identity import (  # noqa: F401 (the identity helpers, re-exported where licences were read from)
    SHARED_HOSTS,
    WECHAT_HOST,
    Reprinter,
    biz_of,
    covers_host,
    fold,
    host_of,
    is_wechat_page,
    normalise_domain,
    registrable_domain,
)
from .reasons import Reason
from .timeline import PUBLISHED, When, in_window, local_date, parse_moment, parse_zone

KINDS = ("site", "wechat", "app")
SCOPES = ("may_reprint", "may_edit")
ANY_OUTLET = "*"

# Without the licensed text to compare (see ``verbatim.compare``), a copy is taken as verbatim only when
# its shingle sets are identical: any changed word changes shingles. (The old 0.8 cut-off let a rewritten
# headline plus four changed figures pass at 0.92.)
VERBATIM_SIMILARITY = 0.9999

CSV_COLUMNS = ("reprinter_kind", "reprinter", "outlet", "valid_from", "valid_until", "scope", "note", "timezone")


@dataclass(frozen=True)
class Decision:
    authorised: bool
    licence: Licence | None
    why: Reason  # the structured reason (:mod:`reprintwatch.triage.reasons`); each renderer words it
    edited: bool | None  # None: could not be measured
    basis: str = ""  # the time the window was checked against: "published" | "first_seen" | "" (unknown)
    differences: tuple[str, ...] = ()

    @property
    def reason(self) -> str:
        """The reason in English (what the reports and ``findings list`` show)."""
        return R.english(self.why)

    def to_dict(self) -> dict:
        return {
            "authorised": self.authorised,
            "licence": self.licence.to_dict() if self.licence else None,
            "reason": self.reason,
            "why": self.why.to_dict(),
            "edited": self.edited,
            "time_basis": self.basis or None,
            "differences": list(self.differences),
        }


# --------------------------------------------------------------------------- pure matching

# A WeChat __biz is base64 of the account's number: an exact, case-sensitive identifier.
_ID_LIKE_RE = re.compile(r"^[A-Za-z0-9+/_-]{6,}={0,2}$")


def match_reprinter(licence: Licence, reprinter: Reprinter) -> dict | None:
    """How ``licence`` names this reprinter (evidence for :func:`reasons.match_text`), or ``None`` when it
    does not.

    * site: the fetched host is the licensed domain or a subdomain of it (never a WeChat page);
    * wechat: on a WeChat page only — the ``__biz`` equal exactly (case-sensitive), or the account name
      (NFKC, case-folded; an ID-like value must match exactly);
    * app: the ingest source, or the account/site of that name.
    """
    wanted = (licence.reprinter or "").strip()
    if not wanted:
        return None
    if licence.reprinter_kind == "site":
        host = reprinter.host
        if host in SHARED_HOSTS:
            return None
        if covers_host(wanted, host):
            return {"by": "host", "host": host, "domain": normalise_domain(wanted)}
        return None
    if licence.reprinter_kind == "wechat":
        if not reprinter.on_wechat:
            return None
        value = unicodedata.normalize("NFKC", wanted)
        biz = reprinter.wechat_biz
        if biz and value == biz:
            return {"by": "wechat_biz", "value": biz}
        account = unicodedata.normalize("NFKC", reprinter.account or "").strip()
        if account:
            if _ID_LIKE_RE.match(value) and value == account:
                return {"by": "wechat_account", "value": account}
            if not _ID_LIKE_RE.match(value) and fold(value) == fold(account):
                return {"by": "wechat_account", "value": account}
        return None
    if licence.reprinter_kind == "app":
        target = fold(wanted)
        for name, value in (("source", reprinter.source), ("account", reprinter.account), ("site", reprinter.site)):
            if value and fold(value) == target:
                return {"by": "app", "value": value, "field": name}
    return None


def unconfirmed_wechat(licence: Licence, reprinter: Reprinter) -> Reason | None:
    """Why a WeChat licence naming this copy's account does not cover it when the copy did not come
    from a WeChat page (a mirror, a saved file, a record someone typed): the account is only a claim."""
    if licence.reprinter_kind != "wechat" or reprinter.on_wechat or not reprinter.account:
        return None
    if fold(licence.reprinter) != fold(reprinter.account):
        return None
    return Reason(R.ACCOUNT_UNCONFIRMED, _rule(licence), {
        "licence_id": licence.id, "account": licence.reprinter, "fetched": reprinter.host or reprinter.url or ""})


def _rule(licence: Licence) -> str:
    return f"licence #{licence.id}"


def reprinter_matches(licence: Licence, reprinter: Reprinter) -> bool:
    return match_reprinter(licence, reprinter) is not None


def outlet_matches(licence: Licence, outlet: str) -> bool:
    return licence.outlet == ANY_OUTLET or fold(licence.outlet) == fold(outlet)


def licence_zone(licence: Licence):
    """The licence's time zone (China time unless it names one)."""
    return parse_zone(getattr(licence, "timezone", "") or "")


def _as_when(day) -> When | None:
    """Accept a :class:`When`, a date/datetime or an ISO string (read as a publish time)."""
    if day is None or isinstance(day, When):
        return day
    moment = parse_moment(day)
    return When(moment, PUBLISHED) if moment is not None else None


def in_range(licence: Licence, when) -> Reason | None:
    """``None`` when the copy's time is inside the licence's dates (inclusive, by local date in the
    licence's zone), else why not — naming which time was used."""
    when = _as_when(when)
    if when is None:
        if licence.valid_from or licence.valid_until:
            return Reason(R.TIME_UNKNOWN, _rule(licence), {"licence_id": licence.id})
        return None
    tz = licence_zone(licence)
    day = local_date(when.moment, tz)
    side = in_window(day, licence.valid_from, licence.valid_until)
    if side is None:
        return None
    zone = "China time" if not getattr(licence, "timezone", "") else licence.timezone
    return Reason(R.NOT_STARTED if side == "before" else R.ENDED, _rule(licence), {
        "licence_id": licence.id, "valid_from": licence.valid_from, "valid_until": licence.valid_until,
        "copy_day": day.isoformat(), "basis": when.source, "zone": zone})


def decide(
    licences: Iterable[Licence],
    reprinter: Reprinter,
    outlet: str,
    day,
    verdict: str,
    similarity: float,
    edits=None,
) -> Decision:
    """Is this reprint covered? Picks the first licence (by id) that covers it; otherwise explains the
    nearest miss (wrong dates, or a verbatim-only licence for an edited copy).

    ``day`` is a :class:`~reprintwatch.triage.timeline.When` (or a date/ISO string, read as the publish
    time). ``edits`` is the verbatim comparison (an ``Edits`` from ``verbatim.compare``); without it
    a copy counts as verbatim only when its verdict is ``full_reprint`` and its shingles are identical.
    """
    when = _as_when(day)
    if edits is not None:
        edited: bool | None = edits.edited
        differences = tuple(edits.differences)
    else:
        edited = verdict != "full_reprint" or similarity < VERBATIM_SIMILARITY
        differences = () if not edited else (
            (verdict.replace("_", " "),) if verdict != "full_reprint" else (f"similarity {similarity:.3f} < 1 (licensed text unavailable to list the changes)",)
        )
    basis = "" if when is None else when.source
    near_miss: Reason | None = None
    for licence in sorted(licences, key=lambda lic: lic.id or 0):
        if not outlet_matches(licence, outlet):
            continue
        how = match_reprinter(licence, reprinter)
        if how is None:
            unconfirmed = unconfirmed_wechat(licence, reprinter)
            if unconfirmed:
                out_of_range = in_range(licence, when)
                if out_of_range:  # the dates decide on their own; say the identity was not confirmed either
                    unconfirmed = Reason(out_of_range.code, out_of_range.rule,
                                         {**out_of_range.evidence, "account_unconfirmed": True})
                near_miss = near_miss or unconfirmed
            continue
        out_of_range = in_range(licence, when)
        if out_of_range:
            near_miss = near_miss or out_of_range
            continue
        if edited and licence.scope != "may_edit":
            near_miss = near_miss or Reason(R.VERBATIM_ONLY, _rule(licence), {
                "licence_id": licence.id, "differences": list(differences[:6])})
            continue
        why = Reason(R.COVERED, _rule(licence), {
            "licence_id": licence.id, "scope": licence.scope, "match": how,
            "copy_day": when.day.isoformat() if when is not None else None, "basis": basis or None,
            "valid_from": licence.valid_from, "valid_until": licence.valid_until})
        return Decision(True, licence, why, edited, basis, differences)
    return Decision(False, None, near_miss or _no_licence_reason(reprinter, outlet), edited, basis, differences)


def _no_licence_reason(reprinter: Reprinter, outlet: str) -> Reason:
    claimed = reprinter.claimed_url if reprinter.claimed_url and host_of(reprinter.claimed_url) != reprinter.host else ""
    return Reason(R.NO_LICENCE, "licence registry", {
        "reprinter": reprinter.label(), "outlet": outlet or "", "claimed_url": claimed or None})


# --------------------------------------------------------------------------- validation


def _check_date(value, where: str, name: str) -> str | None:
    if value in (None, ""):
        return None
    try:
        return parse_day(value).isoformat()
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
    timezone: str | None = "",
) -> Licence:
    """Validate fields and return a :class:`Licence` (without id). Raises :class:`BadInput`."""
    kind = fold(reprinter_kind or "")
    if kind not in KINDS:
        raise BadInput(where, f"reprinter kind must be one of {', '.join(KINDS)}, got {reprinter_kind!r}")
    reprinter = (reprinter or "").strip()
    if not reprinter:
        raise BadInput(where, "reprinter is empty")
    if kind == "site":
        given = reprinter
        reprinter = normalise_domain(reprinter)
        if not reprinter or " " in reprinter or "." not in reprinter:
            raise BadInput(where, f"not a domain: {given!r}")
        if registrable_domain(reprinter) is None:
            raise BadInput(where, f"{reprinter} is a public suffix (shared by unrelated owners); name the licensee's own domain")
        if reprinter in SHARED_HOSTS or WECHAT_HOST.endswith("." + reprinter):
            raise BadInput(where, f"{reprinter} hosts every WeChat account; license the account with --wechat instead")
    elif kind == "wechat":
        reprinter = unicodedata.normalize("NFKC", reprinter)
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
    zone = (timezone or "").strip()
    try:
        parse_zone(zone)
    except ValueError as exc:
        raise BadInput(where, str(exc)) from None
    return Licence(None, kind, reprinter, outlet, start, end, scope, (note or "").strip(), timezone=zone)


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
    """Licences from a CSV file (the one charset module: UTF-8, else GB18030), validated by :func:`parse_csv`."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise BadInput(str(path), f"cannot read ({exc.strerror})") from None
    return parse_csv(decode_bytes(raw, detect_encoding(raw), str(path)), str(path))


def select(licences: Iterable[Licence], outlet: str | None = None, reprinter: str | None = None) -> list[Licence]:
    """The licences that cover ``outlet`` (``*`` licences included) and name ``reprinter``."""
    found = list(licences)
    if outlet:
        found = [lic for lic in found if outlet_matches(lic, outlet)]
    if reprinter:
        found = [lic for lic in found if fold(lic.reprinter) == fold(reprinter)]
    return found
