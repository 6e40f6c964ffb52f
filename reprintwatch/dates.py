"""The one date parser: every date or date-time read off a page, a feed, a sitemap or a JSONL line.

Chinese pages and feeds state a time zone rarely; a time without one is China time (+08:00), as the page
shows it. Pure functions, no clock:

- :func:`parse_datetime` — a value → an aware :class:`datetime.datetime` (a bare date → midnight +08:00),
  or ``None`` when it is not a date;
- :func:`to_iso` — the same value as ISO 8601, keeping its precision: ``2026-11-19`` for a bare date,
  ``2026-11-19T09:20:00+08:00`` for a time (the form stored and shown everywhere);
- :func:`find_in_text` — the first date-time written in running text ("发布时间：2026年11月19日 09:20");
- :func:`find_published` — the publish time a byline shows: a time labelled 编辑于/更新 (an edit) only when
  nothing else is shown, and ``10-08 12:00`` (the year implied) completed from a year the page states elsewhere;
- :func:`has_time` — whether an ISO value carries a time of day (a date alone is less exact);
- :func:`parse_zone`, :func:`local_day`, :func:`day_bounds`, :func:`to_utc_bound` — the one notion of a
  *day*: a calendar day in one zone (the user's, ``REPRINTWATCH_TIMEZONE``, default Asia/Shanghai: a
  Chinese newsroom's day), stored times in UTC.

Forms read: ISO 8601 (``T`` or space, ``Z``, ``+08:00``/``+0800``, fractions), ``2026年11月19日 09时20分``,
``2026/11/19 9:20``, ``2026.11.19``, RFC 2822 (feeds, HTTP), Unix seconds or milliseconds (WeChat's ``ct``),
:class:`~datetime.date`/:class:`~datetime.datetime` and ``time.struct_time`` objects.
"""
from __future__ import annotations

import datetime as _dt
import email.utils
import re
import time as _time
from functools import lru_cache

CHINA_TZ = _dt.timezone(_dt.timedelta(hours=8))

# Epoch values outside these years are not publication times (a counter, an id, a typo).
_MIN_YEAR, _MAX_YEAR = 1990, 2100

_NUMERIC = re.compile(
    r"""(?P<y>(?:19|20|21)\d\d)\s*(?:[-/.]|年)\s*(?P<mo>\d{1,2})\s*(?:[-/.]|月)\s*(?P<d>\d{1,2})(?!\d)\s*日?
        (?:\s*(?:T|\s|,)?\s*(?:(?:上午|早上|凌晨)|(?P<pm>下午|晚上|晚))?\s*
           (?P<h>\d{1,2})\s*(?::|时|點|点)\s*(?P<mi>\d{1,2})(?!\d)\s*分?
           (?:\s*(?::|分)?\s*(?P<s>\d{1,2})(?!\d)(?:[.,]\d+)?\s*秒?)?
        )?
        \s*(?P<tz>Z|UTC|GMT|[+-]\d\d:?\d\d(?!\d))?""",
    re.X,
)
_EPOCH = re.compile(r"\s*(\d{9,10}|\d{12,13})(?:\.\d+)?\s*")


def _zone(text: str | None, default: _dt.tzinfo) -> _dt.tzinfo:
    if not text:
        return default
    if text in ("Z", "UTC", "GMT"):
        return _dt.timezone.utc
    sign = 1 if text[0] == "+" else -1
    digits = text[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:])
    if hours > 14 or minutes > 59:
        raise ValueError(f"bad offset {text}")
    return _dt.timezone(sign * _dt.timedelta(hours=hours, minutes=minutes))


def _from_epoch(text: str) -> _dt.datetime | None:
    seconds = int(text.split(".")[0])
    if len(text.split(".")[0]) >= 12:
        seconds //= 1000
    moment = _dt.datetime.fromtimestamp(seconds, CHINA_TZ)
    return moment if _MIN_YEAR <= moment.year <= _MAX_YEAR else None


def _parse(value, default_tz: _dt.tzinfo, whole: bool) -> tuple[_dt.datetime, bool] | None:
    """(aware datetime, has a time of day) for ``value``, or None."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, _dt.datetime):
        return (value if value.tzinfo else value.replace(tzinfo=default_tz)), True
    if isinstance(value, _dt.date):
        return _dt.datetime(value.year, value.month, value.day, tzinfo=default_tz), False
    if isinstance(value, _time.struct_time):  # feedparser's *_parsed values are UTC
        try:
            return _dt.datetime(*value[:6], tzinfo=_dt.timezone.utc), True
        except (ValueError, OverflowError):
            return None
    if isinstance(value, (int, float)):
        value = str(int(value))
    if not isinstance(value, str):
        return None
    text = value.strip().replace("\u00a0", " ").replace("\u3000", " ")
    if not text or len(text) > 200:
        return None
    if _EPOCH.fullmatch(text):
        try:
            moment = _from_epoch(text.strip())
        except (ValueError, OverflowError, OSError):
            return None
        return (moment, True) if moment else None
    m = _NUMERIC.match(text) if whole else _NUMERIC.search(text)
    if m and (not whole or not text[m.end():].strip() or m.group("h")):
        try:
            zone = _zone(m.group("tz"), default_tz)
            day = _dt.date(int(m.group("y")), int(m.group("mo")), int(m.group("d")))
            if m.group("h") is None:
                return _dt.datetime(day.year, day.month, day.day, tzinfo=zone), False
            hour = int(m.group("h"))
            if m.group("pm") and hour < 12:
                hour += 12
            moment = _dt.datetime(day.year, day.month, day.day, hour, int(m.group("mi")), int(m.group("s") or 0),
                                  tzinfo=zone)
            return moment, True
        except ValueError:
            return None
    if whole and "," in text or re.match(r"\s*\d{1,2} [A-Za-z]{3} \d{4}", text):  # RFC 2822 (feeds, HTTP)
        try:
            moment = email.utils.parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
        if moment is None:
            return None
        if moment.tzinfo is None:  # "-0000" means "zone unknown": the page's zone
            moment = moment.replace(tzinfo=default_tz)
        return moment, True
    return None


def parse_datetime(value, default_tz: _dt.tzinfo = CHINA_TZ) -> _dt.datetime | None:
    """``value`` as an aware datetime (a bare date is midnight in ``default_tz``), or None if not a date."""
    parsed = _parse(value, default_tz, whole=True)
    return parsed[0] if parsed else None


def _iso(moment: _dt.datetime, with_time: bool) -> str:
    if not with_time:
        return moment.date().isoformat()
    return moment.replace(microsecond=0).isoformat()


def to_iso(value, default_tz: _dt.tzinfo = CHINA_TZ) -> str | None:
    """``value`` as ISO 8601: ``YYYY-MM-DD`` for a bare date, ``YYYY-MM-DDTHH:MM:SS±HH:MM`` for a time."""
    parsed = _parse(value, default_tz, whole=True)
    return _iso(*parsed) if parsed else None


def find_in_text(text: str, default_tz: _dt.tzinfo = CHINA_TZ, prefer_time: bool = True) -> str | None:
    """The first date (preferably with a time of day) written in ``text``, as :func:`to_iso` gives it."""
    if not text:
        return None
    first = None
    for m in _NUMERIC.finditer(text[:200_000]):
        parsed = _parse(m.group(0), default_tz, whole=True)
        if not parsed:
            continue
        if parsed[1] or not prefer_time:
            return _iso(*parsed)
        first = first or _iso(*parsed)
    return first


# A byline's month, day and time without the year (baijiahao's 发布时间：10-08 12:00, 11月19日 08:18): not
# preceded by a digit or a date separator, so it never matches inside a full date.
_NO_YEAR = re.compile(r"(?<![\d\-/.年])(?P<mo>\d{1,2})\s*(?:[-/]|月)\s*(?P<d>\d{1,2})(?!\d)\s*日?\s*"
                      r"(?P<h>\d{1,2})\s*(?::|：|时)\s*(?P<mi>\d{2})(?!\d)")
# What a byline prints before an edit time: Zhihu-style 编辑于, 更新于/更新时间, 最后更新, 修改于.
_EDIT_LABEL = re.compile(r"(?:编辑于|編輯於|更新于|更新於|更新时间|更新時間|最后更新|最後更新|修改于|修改於|修订)\s*[:：]?\s*$")


def find_published(text: str, reference: str | None = None, default_tz: _dt.tzinfo = CHINA_TZ) -> str | None:
    """The publish time written in a byline-like ``text``, as :func:`to_iso` gives it, or None.

    Of the times shown (in text order), the first not labelled as an edit (编辑于 …) wins; a time of day
    beats a date alone. ``10-08 12:00`` with no year takes the year of ``reference`` (a date the page
    states elsewhere: its publish or update date), the year before when that day would fall after the
    reference (a page updated in January for a December post), and is skipped without a reference. An
    edit time is the answer only when it is all there is.
    """
    if not text:
        return None
    text = text[:20_000]
    found: list[tuple[int, str, bool]] = []  # (position, iso, is an edit time)
    spans = []
    for m in _NUMERIC.finditer(text):
        parsed = _parse(m.group(0), default_tz, whole=True)
        if parsed:
            spans.append((m.start(), m.end()))
            found.append((m.start(), _iso(*parsed), _is_edit(text, m.start())))
    ref = parse_datetime(reference, default_tz) if reference else None
    if ref is not None:
        for m in _NO_YEAR.finditer(text):
            if any(a <= m.start() < b for a, b in spans):
                continue
            month, day = int(m.group("mo")), int(m.group("d"))
            year = ref.year if (month, day) <= (ref.month, ref.day) else ref.year - 1
            try:
                moment = _dt.datetime(year, month, day, int(m.group("h")), int(m.group("mi")), tzinfo=default_tz)
            except ValueError:
                continue
            found.append((m.start(), _iso(moment, True), _is_edit(text, m.start())))
    found.sort()
    for edits in (False, True):
        for want_time in (True, False):
            for _, iso, is_edit in found:
                if is_edit == edits and has_time(iso) == want_time:
                    return iso
    return None


def _is_edit(text: str, at: int) -> bool:
    return bool(_EDIT_LABEL.search(text[max(0, at - 8):at]))


def has_time(iso: str | None) -> bool:
    return bool(iso) and "T" in iso


def later(a: str | None, b: str | None) -> bool:
    """True when ISO value ``a`` is after ``b`` (either may be a bare date; None is never later)."""
    da, db = parse_datetime(a), parse_datetime(b)
    if da is None:
        return False
    return db is None or da > db


# --------------------------------------------------------------------------- zones and days

DEFAULT_ZONE = "Asia/Shanghai"
_OFFSET_RE = re.compile(r"^(?:UTC|GMT)?\s*([+-])(\d{1,2})(?::?(\d{2}))?$", re.IGNORECASE)


@lru_cache(maxsize=64)
def parse_zone(spec: str | None) -> _dt.tzinfo:
    """``""``/``None`` → China time (UTC+8); ``+08:00``, ``UTC+9``, ``-05:30``, ``UTC`` or an IANA name
    (``Asia/Tokyo``). Raises ``ValueError`` naming the bad value."""
    text = (spec or "").strip()
    if not text:
        return CHINA_TZ
    if text.upper() in ("UTC", "GMT", "Z"):
        return _dt.timezone.utc
    m = _OFFSET_RE.match(text)
    if m:
        sign, hours, minutes = m.group(1), int(m.group(2)), int(m.group(3) or 0)
        if hours > 14 or minutes > 59:
            raise ValueError(f"time zone offset out of range: {spec!r}")
        delta = _dt.timedelta(hours=hours, minutes=minutes)
        return _dt.timezone(-delta if sign == "-" else delta)
    try:
        from zoneinfo import ZoneInfo

        return ZoneInfo(text)
    except (ValueError, KeyError, OSError, ImportError):
        raise ValueError(f"not a time zone (use +08:00 or a name like Asia/Shanghai): {spec!r}") from None


def zone_label(tz: _dt.tzinfo) -> str:
    """``Asia/Shanghai (UTC+08:00)``, ``UTC+08:00``: how a report names the zone its days are in."""
    name = getattr(tz, "key", None)
    offset = _dt.datetime.now(tz).strftime("%z")
    offset = f"UTC{offset[:3]}:{offset[3:]}" if offset else "UTC"
    return f"{name} ({offset})" if name else offset


def parse_day(value) -> _dt.date:
    """A calendar day a user typed (``YYYY-MM-DD``, what ``--date``/``--since``/licence dates take);
    raises ``ValueError``. A date object passes through."""
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    return _dt.date.fromisoformat(str(value).strip())


@lru_cache(maxsize=1 << 16)  # a report asks the day of every finding, often twice; stored times repeat
def local_day(value, tz: _dt.tzinfo = CHINA_TZ) -> _dt.date | None:
    """The calendar day of a time in ``tz`` (a bare date is already a day; a time without a zone is
    read in ``tz``). ``None`` when it is not a date."""
    if isinstance(value, str) and len(value) >= 20 and value[10] == "T":  # a stored time: ISO, with a zone
        try:
            moment = _dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
            if moment.tzinfo is not None:
                return moment.astimezone(tz).date()
        except ValueError:
            pass
    parsed = _parse(value, tz, whole=True)
    if parsed is None:
        return None
    moment, with_time = parsed
    return moment.astimezone(tz).date() if with_time else moment.date()


def day_bounds(day: _dt.date, tz: _dt.tzinfo = CHINA_TZ) -> tuple[_dt.datetime, _dt.datetime]:
    """``[start, end)`` of calendar day ``day`` in ``tz``, as UTC instants."""
    start = _dt.datetime(day.year, day.month, day.day, tzinfo=tz)
    following = day + _dt.timedelta(days=1)
    end = _dt.datetime(following.year, following.month, following.day, tzinfo=tz)
    return start.astimezone(_dt.timezone.utc), end.astimezone(_dt.timezone.utc)


def utc_text(moment: _dt.datetime) -> str:
    """An aware datetime as the store writes times: UTC, to the second, ``Z``."""
    return moment.astimezone(_dt.timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def local_minute(value, tz: _dt.tzinfo = CHINA_TZ) -> str:
    """A stored time as a reader in ``tz`` reads it, to the minute (``2026-11-21 01:00``); the value as
    given when it is not a time (a bare date, or nothing we can read)."""
    moment = parse_datetime(value) if value and has_time(to_iso(value)) else None
    return moment.astimezone(tz).strftime("%Y-%m-%d %H:%M") if moment else str(value or "")


def today_in(tz: _dt.tzinfo = CHINA_TZ, now: _dt.datetime | None = None) -> _dt.date:
    """Today's date in ``tz`` (``now`` for a fixed clock)."""
    return (now or _dt.datetime.now(_dt.timezone.utc)).astimezone(tz).date()


def to_utc_bound(value, end: bool, tz: _dt.tzinfo = _dt.timezone.utc) -> str | None:
    """A ``since``/``until`` value (a date or an ISO date-time) as a comparable UTC string. A bare date is
    the day in ``tz`` (as ``until``: the whole of it); a time without a zone is read in ``tz``; an
    ``until`` time is inclusive to the second. Raises ``ValueError``."""
    if value in (None, ""):
        return None
    if isinstance(value, _dt.date) and not isinstance(value, _dt.datetime):
        value = value.isoformat()
    text = str(value).strip()
    moment = None
    if len(text) == 10:
        try:
            start, stop = day_bounds(_dt.date.fromisoformat(text), tz)
            moment = stop if end else start
        except ValueError:
            pass
    elif (m := _NUMERIC.fullmatch(text)) and m.group("h") is not None:
        moment = parse_datetime(text, tz)
        if moment is not None and end:
            moment += _dt.timedelta(seconds=1)
    if moment is None:
        raise ValueError(f"not an ISO 8601 date or datetime: {value!r}")
    return utc_text(moment)
