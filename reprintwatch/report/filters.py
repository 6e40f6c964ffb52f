"""Which findings a report shows: one filter for ``report daily``, ``coverage``, ``findings list`` and
``serve``, the platform read from the copy's URL, and the ``--top N`` cut.

A :class:`Filter` is plain data (built from CLI options or from a web query string by
:meth:`Filter.from_mapping`); :func:`apply` keeps the assessments it matches. Everything here is pure.
"""
from __future__ import annotations

import datetime as _dt
from collections import Counter
from dataclasses import dataclass, fields, replace
from typing import Callable, Iterable, Mapping, Sequence

from ..config import local_zone
from ..dates import day_bounds, local_day, parse_datetime, parse_day, utc_text
from ..errors import BadInput
from ..detector import NO_MATCH, VERDICTS as _DETECTOR_VERDICTS
from ..triage.identity import PLATFORM_HOSTS, fold, platform_from_url, served_host, with_platform  # noqa: F401 (re-exported)
from ..triage.legal import CODES as HINT_CODES

# what ``hint`` may ask for: a hint's code, or ``exception`` — a possible exception (what a complaint sets apart)
EXCEPTION = "exception"
HINTS = HINT_CODES + (EXCEPTION,)

# the verdicts a finding can carry: the detector's, less "none" (rewrite included)
VERDICTS = tuple(v for v in _DETECTOR_VERDICTS if v != NO_MATCH)

def finding_day(finding: Mapping, tz=None) -> str:
    """The day a finding was made (``YYYY-MM-DD``) in the user's zone (``tz``, default the configured
    one: :func:`reprintwatch.config.local_zone`), or ``unknown``."""
    day = local_day(finding.get("created_at") or "", tz or local_zone())
    return day.isoformat() if day else "unknown"


def article_day(finding: Mapping, tz=None) -> str:
    """The licensed article's publish day, or the day of the finding when that is unknown."""
    day = local_day(finding.get("licensed_published_at") or finding.get("created_at") or "", tz or local_zone())
    return day.isoformat() if day else ""


def _day(value, where: str) -> _dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, _dt.date):
        return value
    text = str(value).strip()
    try:
        day = parse_day(text[:10])
    except ValueError:
        day = None
    # a datetime is taken by its date, but only if all of it is one (2026-01-01T25:99 is not)
    if day is None or (len(text) > 10 and parse_datetime(text) is None):
        raise BadInput(where, f"not a date (YYYY-MM-DD): {value!r}")
    return day


def _tuple(value) -> tuple[str, ...]:
    if value in (None, ""):
        return ()
    if isinstance(value, str):
        value = value.split(",")
    return tuple(v.strip() for v in value if v and v.strip())


_TRUE = {"1", "true", "yes", "y", "authorised", "authorized", "on"}
_FALSE = {"0", "false", "no", "n", "unauthorised", "unauthorized", "off"}


def _bool(value, where: str) -> bool | None:
    if value in (None, "", "any"):
        return None
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise BadInput(where, f"expected yes or no, got {value!r}")


# the fields that hold several alternatives
_MANY = ("outlet", "reprinter", "platform", "verdict", "status", "hint")


@dataclass(frozen=True)
class Filter:
    """What to keep. Empty fields keep everything; several values in one field are alternatives.

    * ``outlet``: the licensed article's outlet (case and width folded);
    * ``reprinter``: who copied — the report's label (``微信公众号 X``), the account, the site or the URL's
      host (a domain also matches its subdomains);
    * ``platform``: as read from the URL (:func:`platform_from_url`);
    * ``verdict``: ``full_reprint`` / ``partial_reprint`` / ``rewrite``;
    * ``status``: ``unauthorised`` / ``authorised`` / ``published_first``;
    * ``authorised``: True or False (a licence covers the copy or not);
    * ``hint``: a legal hint's code (any certainty), or ``exception`` for a *possible* exception
      (:mod:`reprintwatch.triage.legal`);
    * ``since`` / ``until``: inclusive days, of the finding (``date_field="found"``) or of the licensed
      article (``"article"``, what ``coverage`` uses);
    * ``top``: keep the findings of the N groups with most unauthorised findings (then most findings) —
      reprinters, or licensed articles in a coverage report.
    """

    outlet: tuple[str, ...] = ()
    reprinter: tuple[str, ...] = ()
    platform: tuple[str, ...] = ()
    verdict: tuple[str, ...] = ()
    status: tuple[str, ...] = ()
    authorised: bool | None = None
    hint: tuple[str, ...] = ()
    since: _dt.date | None = None
    until: _dt.date | None = None
    top: int | None = None
    date_field: str = "found"

    def __post_init__(self):
        for name in _MANY:
            object.__setattr__(self, name, _tuple(getattr(self, name)))
        object.__setattr__(self, "since", _day(self.since, "since"))
        object.__setattr__(self, "until", _day(self.until, "until"))
        object.__setattr__(self, "authorised", _bool(self.authorised, "authorised"))
        bad = [v for v in self.verdict if v not in VERDICTS]
        if bad:
            raise BadInput("verdict", f"{bad[0]!r} is not one of {', '.join(VERDICTS)}")
        bad = [v for v in self.hint if v not in HINTS]
        if bad:
            raise BadInput("hint", f"{bad[0]!r} is not one of {', '.join(HINTS)}")
        if self.top is not None:
            try:
                top = int(self.top)
            except (TypeError, ValueError):
                raise BadInput("top", f"not a number: {self.top!r}") from None
            if top < 1:
                raise BadInput("top", f"must be at least 1, got {top}")
            object.__setattr__(self, "top", top)
        if self.since and self.until and self.since > self.until:
            raise BadInput("since", f"{self.since} is after --until {self.until}")

    @classmethod
    def from_mapping(cls, query: Mapping, **fixed) -> "Filter":
        """A filter from a query string (``parse_qs`` output: lists of strings) or a plain dict."""
        names = {f.name for f in fields(cls)}
        values = {}
        for name in names:
            raw = query.get(name)
            if isinstance(raw, list):
                raw = raw if name in _MANY else (raw[-1] if raw else None)
            if raw not in (None, "", []):
                values[name] = raw
        values.update(fixed)
        return cls(**values)

    def to_query(self) -> dict:
        """The filter as query-string pairs (for links that keep the current filter)."""
        out = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name == "date_field" or value in (None, (), ""):
                continue
            if isinstance(value, tuple):
                out[f.name] = ",".join(value)
            elif isinstance(value, bool):
                out[f.name] = "yes" if value else "no"
            else:
                out[f.name] = str(value)
        return out

    def describe(self) -> str:
        """One line saying what is kept (empty when nothing is filtered)."""
        parts = []
        for name in _MANY:
            if getattr(self, name):
                parts.append(f"{name} {' or '.join(getattr(self, name))}")
        if self.authorised is not None:
            parts.append("authorised" if self.authorised else "unauthorised")
        if self.since or self.until:
            what = "article published" if self.date_field == "article" else "found"
            parts.append(f"{what} {self.since or '…'} – {self.until or '…'}")
        if self.top:
            parts.append(f"top {self.top}")
        return "; ".join(parts)

    def without(self, *names: str) -> "Filter":
        return replace(self, **{n: (None if n in ("authorised", "since", "until", "top") else ()) for n in names})

    @property
    def active(self) -> bool:
        return bool(self.describe())


def reprinter_keys(assessment) -> set[str]:
    """The folded names a ``reprinter`` filter value may match for this assessment."""
    f = assessment.finding
    r = assessment.reprinter
    host = served_host(f.get("canonical_url") or f.get("url"))
    keys = {fold(r.label()), fold(f.get("account")), fold(f.get("site")), host, fold(f.get("source"))}
    if host.startswith("www."):
        keys.add(host[4:])
    return keys - {""}


def _reprinter_matches(wanted: Sequence[str], assessment) -> bool:
    keys = reprinter_keys(assessment)
    for value in wanted:
        v = fold(value)
        if v in keys or any(k.endswith("." + v) for k in keys if "." in k):
            return True
    return False


def hint_matches(wanted: Sequence[str], assessment) -> bool:
    """Does the assessment carry one of the ``wanted`` hint codes (``exception``: a possible exception)?"""
    hints = getattr(assessment, "hints", ()) or ()
    return any(h.code in wanted or (EXCEPTION in wanted and h.exception) for h in hints)


def matches(flt: Filter, assessment) -> bool:
    """True when ``assessment`` (an :class:`~reprintwatch.triage.assess.Assessment`) passes ``flt`` (not ``top``)."""
    f = assessment.finding
    if flt.outlet and fold(f.get("licensed_outlet")) not in {fold(o) for o in flt.outlet}:
        return False
    if flt.platform and fold(f.get("platform")) not in {fold(p) for p in flt.platform}:
        return False
    if flt.verdict and f.get("verdict") not in flt.verdict:
        return False
    if flt.status and assessment.status not in flt.status:
        return False
    if flt.authorised is not None and bool(assessment.authorised) != flt.authorised:
        return False
    if flt.hint and not hint_matches(flt.hint, assessment):
        return False
    if flt.since or flt.until:
        day = article_day(f) if flt.date_field == "article" else finding_day(f)
        if flt.since and not day >= flt.since.isoformat():
            return False
        if flt.until and not (day and day <= flt.until.isoformat()):
            return False
    if flt.reprinter and not _reprinter_matches(flt.reprinter, assessment):
        return False
    return True


class _RowView:
    """A finding row seen as an assessment without a judgement (for :func:`row_filter`)."""

    status = None
    authorised = None

    def __init__(self, row: dict):
        from ..triage.licences import Reprinter

        self.finding = row
        self.reprinter = Reprinter.from_row(row)


def row_filter(flt: Filter) -> Callable[[dict], bool]:
    """:func:`matches` for finding rows that have not been judged, ignoring the licence fields and dates
    (what can be dropped before judging). One filter copy for all rows (issue 13: one a row was 9 % of
    ``serve``'s first page at 10,000 findings)."""
    loose = replace(flt, status=(), authorised=None, hint=(), since=None, until=None, top=None)
    if not loose.active:
        return lambda row: True
    return lambda row: matches(loose, _RowView(row))


def row_matches(flt: Filter, row: dict) -> bool:
    """:func:`row_filter` for one row."""
    return row_filter(flt)(row)


def reprinter_key(assessment) -> str:
    return assessment.reprinter.label()


def article_key(assessment) -> str:
    return assessment.finding.get("licensed_id") or "?"


def top_groups(assessments: Sequence, n: int, key: Callable = reprinter_key) -> list[str]:
    """The ``n`` group keys with most unauthorised findings, then most findings, then by name."""
    total: Counter = Counter()
    bad: Counter = Counter()
    for a in assessments:
        k = key(a)
        total[k] += 1
        if a.status == "unauthorised":
            bad[k] += 1
    return sorted(total, key=lambda k: (-bad[k], -total[k], k))[:n]


def apply(flt: Filter, assessments: Iterable, key: Callable = reprinter_key) -> list:
    """The assessments ``flt`` keeps, in their order; ``top`` counts groups by ``key``."""
    kept = [a for a in assessments if matches(flt, a)]
    if flt.top:
        keep = set(top_groups(kept, flt.top, key))
        kept = [a for a in kept if key(a) in keep]
    return kept


def until_bound(day: _dt.date, tz=None) -> str:
    """The store's inclusive ``until`` (to the second) for the whole of ``day`` in the user's zone."""
    return utc_text(day_bounds(day, tz or local_zone())[1] - _dt.timedelta(seconds=1))


def store_bounds(flt: Filter, tz=None) -> dict:
    """What the store can narrow in SQL before assessing: found-date bounds (the days in the user's zone,
    as UTC instants) and a single outlet."""
    out: dict = {}
    tz = tz or local_zone()
    if flt.date_field == "found":
        if flt.since:
            out["since"] = utc_text(day_bounds(flt.since, tz)[0])
        if flt.until:
            out["until"] = until_bound(flt.until, tz)
    if len(flt.outlet) == 1:
        out["outlet"] = flt.outlet[0]
    if len(flt.verdict) == 1:
        out["verdict"] = flt.verdict[0]
    return out
