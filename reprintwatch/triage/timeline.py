"""One notion of time for every triage decision: licence windows, who published first, and the two-year
complaint limit.

* Every comparison is made on the **local date in one time zone**: China time (UTC+8) unless a licence
  names another zone. ``2026-11-20T17:00Z`` is 01:00 on 21 November in China, so it falls *after* a
  licence that ends on the 20th.
* A time without a zone was written by a Chinese page: it is China time. A bare date is a local date.
* Licence windows and the complaint limit are inclusive by local date.
* An unknown publish time stays unknown: callers fall back to the time we first saw the copy, and every
  sentence built from it says "first seen", never "published".

Pure functions; the clock is passed in (``today``), never read here.
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass

from ..dates import CHINA_TZ, has_time, local_day, parse_datetime, parse_day, parse_zone, to_iso  # noqa: F401 (parse_zone re-exported)

CHINA_TIME = CHINA_TZ
CHINA_TIME_NAME = "China time (UTC+8)"

# The window a platform accepts complaints in, counted from the copy's publication (first seen when the
# publish time is unknown). See :func:`complaint_deadline`.
COMPLAINT_LIMIT_YEARS = 2

PUBLISHED = "published"  # the copy's own publish time
FIRST_SEEN = "first_seen"  # publish time unknown: when reprintwatch first saw the copy

def parse_moment(value, tz: _dt.tzinfo = CHINA_TIME) -> _dt.datetime | _dt.date | None:
    """A date alone stays a :class:`date` (a local date); a date-time becomes zone-aware (one without a
    zone is read in ``tz``). Read by :mod:`reprintwatch.dates`, the one date parser. Not a date → ``None``."""
    if value is None or value == "":
        return None
    if isinstance(value, _dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=tz)
    if isinstance(value, _dt.date):
        return value
    iso = to_iso(value, tz)
    if iso is None:
        return None
    if not has_time(iso):
        return parse_day(iso[:10])
    return parse_datetime(iso, tz)


def local_date(value, tz: _dt.tzinfo = CHINA_TIME) -> _dt.date | None:
    """The calendar date of ``value`` in ``tz`` (a bare date is already local): :func:`reprintwatch.dates.local_day`,
    the one notion of a day."""
    return local_day(value, tz)


@dataclass(frozen=True)
class When:
    """A point in a copy's life and where it came from (``published`` or ``first_seen``)."""

    moment: _dt.datetime | _dt.date
    source: str
    tz: _dt.tzinfo = CHINA_TIME

    @property
    def day(self) -> _dt.date:
        return local_date(self.moment, self.tz)  # type: ignore[return-value]

    @property
    def estimated(self) -> bool:
        return self.source != PUBLISHED

    def describe(self) -> str:
        """``published 2026-11-21`` or ``first seen 2026-11-25 (publish time unknown)``."""
        if self.source == PUBLISHED:
            return f"published {self.day}"
        return f"first seen {self.day} (publish time unknown)"

    def to_dict(self) -> dict:
        return {"date": self.day.isoformat(), "source": self.source, "text": self.describe()}


def copy_time(published_at, first_seen=None, tz: _dt.tzinfo = CHINA_TIME) -> When | None:
    """The copy's publish time, else (labelled as such) when we first saw it, else ``None``."""
    moment = parse_moment(published_at, tz)
    if moment is not None:
        return When(moment, PUBLISHED, tz)
    seen = parse_moment(first_seen, tz)
    if seen is not None:
        return When(seen, FIRST_SEEN, tz)
    return None


def in_window(day: _dt.date, valid_from, valid_until) -> str | None:
    """``None`` when ``day`` is inside the inclusive ``[valid_from, valid_until]`` (ISO dates or None),
    else ``"before"`` or ``"after"``."""
    if valid_from and day < parse_day(str(valid_from)):
        return "before"
    if valid_until and day > parse_day(str(valid_until)):
        return "after"
    return None


def add_years(day: _dt.date, years: int) -> _dt.date:
    """Same month and day ``years`` later; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def complaint_deadline(published_at, first_seen=None, tz: _dt.tzinfo = CHINA_TIME,
                       years: int = COMPLAINT_LIMIT_YEARS, last_seen=None) -> tuple[_dt.date | None, str]:
    """The last local date a complaint can be filed about a copy, and a sentence saying how it was counted.

    《著作权行政投诉指南》: two years from the infringement; for a continuing one, from when it ended. A copy
    seen online at ``last_seen`` had not ended then, so with ``last_seen`` the two years run from that day
    (what complaint dossiers use, after a re-check). Without it they are counted from the copy's publish date
    (or, when that is unknown, the date it was first seen — which can only be later than the real
    publication, so the sentence warns the deadline may be earlier): the earliest the limit can end."""
    seen = local_date(last_seen, tz) if last_seen else None
    if seen is not None:
        deadline = add_years(seen, years)
        return deadline, (f"complaints until {deadline} ({years} years from {seen}, the last day the copy was "
                          f"seen online, {_zone_name(tz)})")
    when = copy_time(published_at, first_seen, tz)
    if when is None:
        return None, "no publish or first-seen time: the complaint deadline cannot be counted"
    deadline = add_years(when.day, years)
    text = f"complaints until {deadline} ({years} years from {when.describe()}, {_zone_name(tz)})"
    if when.estimated:
        text += "; the real deadline may be earlier"
    return deadline, text


def within_complaint_limit(published_at, today, first_seen=None, tz: _dt.tzinfo = CHINA_TIME,
                           years: int = COMPLAINT_LIMIT_YEARS) -> tuple[bool | None, str]:
    """Whether a complaint filed on ``today`` (a date or datetime; compared by local date in ``tz``) is
    inside the limit: ``(True|False|None, reason)``; ``None`` when no time is known."""
    deadline, text = complaint_deadline(published_at, first_seen, tz, years)
    if deadline is None:
        return None, text
    day = local_date(today, tz)
    if day is None:
        raise ValueError(f"not a date: {today!r}")
    if day <= deadline:
        return True, text
    return False, f"too late: {text}, and it is {day}"


def _zone_name(tz: _dt.tzinfo) -> str:
    if tz is CHINA_TIME or tz == CHINA_TIME:
        return CHINA_TIME_NAME
    return str(getattr(tz, "key", None) or tz)
