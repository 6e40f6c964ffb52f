"""The one date parser (reprintwatch.dates): every form a page, feed, sitemap or JSONL line uses."""
import datetime as dt
import time

import pytest

from reprintwatch.dates import CHINA_TZ, find_in_text, has_time, parse_datetime, to_iso


@pytest.mark.parametrize("value, expected", [
    ("2026-11-19", "2026-11-19"),
    ("2026-11-19T09:20:00", "2026-11-19T09:20:00+08:00"),  # no zone stated: China time
    ("2026-11-19 09:20", "2026-11-19T09:20:00+08:00"),
    ("2026-11-19T01:20:00Z", "2026-11-19T01:20:00+00:00"),
    ("2026-11-19T09:20:00.123+0800", "2026-11-19T09:20:00+08:00"),
    ("2026-11-19T09:20:00-05:00", "2026-11-19T09:20:00-05:00"),
    ("2026年11月19日 09:20", "2026-11-19T09:20:00+08:00"),
    ("2026年11月19日09时20分", "2026-11-19T09:20:00+08:00"),
    ("2026年11月19日 下午2:30", "2026-11-19T14:30:00+08:00"),
    ("2026/11/19 9:20:05", "2026-11-19T09:20:05+08:00"),
    ("2026.11.19", "2026-11-19"),
    ("1795136400", "2026-11-20T09:00:00+08:00"),  # WeChat ct: Unix seconds
    ("1795136400000", "2026-11-20T09:00:00+08:00"),  # milliseconds
    ("Thu, 19 Nov 2026 01:20:00 GMT", "2026-11-19T01:20:00+00:00"),  # RFC 2822 (feeds)
    ("Thu, 19 Nov 2026 09:20:00 -0000", "2026-11-19T09:20:00+08:00"),  # -0000: zone unknown
    (dt.date(2026, 11, 19), "2026-11-19"),
    (dt.datetime(2026, 11, 19, 9, 20), "2026-11-19T09:20:00+08:00"),
    (time.struct_time((2026, 11, 19, 1, 20, 0, 3, 323, 0)), "2026-11-19T01:20:00+00:00"),
])
def test_forms(value, expected):
    assert to_iso(value) == expected


@pytest.mark.parametrize("value", ["yesterday", "2026-13-45", "", None, "12345", "20261119", "99999999999999",
                                   "2026-11-19 99:99", True, "Thu, 99 Nov 2026", "2026-11-19T09:20+25:00"])
def test_not_dates(value):
    assert to_iso(value) is None and parse_datetime(value) is None


def test_aware_datetimes():
    moment = parse_datetime("2026-11-19 09:20")
    assert moment.tzinfo is not None and moment.utcoffset() == dt.timedelta(hours=8)
    assert parse_datetime("2026-11-19") == dt.datetime(2026, 11, 19, tzinfo=CHINA_TZ)


def test_find_in_text_prefers_a_time_of_day():
    text = "首页 > 新闻 2026-11-18\n发布时间：2026年11月19日 09:20  来源：稻香资讯网  字号：大 中 小"
    assert find_in_text(text) == "2026-11-19T09:20:00+08:00"
    assert find_in_text("只有日期 2026-11-18 而已") == "2026-11-18"
    assert find_in_text("no date at all") is None
    assert has_time("2026-11-19T09:20:00+08:00") and not has_time("2026-11-19")


# --------------------------------------------------------------------------- one clock: the user's days


def test_a_day_is_a_day_in_the_configured_zone(monkeypatch):
    from reprintwatch.config import SettingError, Settings, local_zone
    from reprintwatch.dates import day_bounds, local_day, parse_zone, to_utc_bound, zone_label
    from reprintwatch.report.filters import finding_day

    shanghai = parse_zone("Asia/Shanghai")
    # 17:00Z on 1 November is 01:00 on 2 November in China: the newsroom's 2 November
    assert local_day("2026-11-01T17:00:00Z", shanghai) == dt.date(2026, 11, 2)
    assert local_day("2026-11-01T17:00:00Z", dt.timezone.utc) == dt.date(2026, 11, 1)
    assert local_day("2026-11-01", shanghai) == dt.date(2026, 11, 1)  # a bare date is already a day
    start, end = day_bounds(dt.date(2026, 11, 2), shanghai)
    assert (start.isoformat(), end.isoformat()) == ("2026-11-01T16:00:00+00:00", "2026-11-02T16:00:00+00:00")
    assert to_utc_bound("2026-11-02", True, shanghai) == "2026-11-02T16:00:00Z"
    assert to_utc_bound("2026-11-02T10:00:00", False) == "2026-11-02T10:00:00Z"  # the store's own default: UTC
    with pytest.raises(ValueError, match="not an ISO 8601"):
        to_utc_bound("soon", False)
    assert zone_label(shanghai) == "Asia/Shanghai (UTC+08:00)"
    from reprintwatch.dates import local_minute

    # what the HTML report's "Found" column and serve show: the stored UTC time as the newsroom reads it
    assert local_minute("2026-11-20T17:00:00Z", shanghai) == "2026-11-21 01:00"
    assert local_minute("2026-11-20", shanghai) == "2026-11-20" and local_minute(None, shanghai) == ""

    monkeypatch.delenv("REPRINTWATCH_TIMEZONE", raising=False)
    row = {"created_at": "2026-11-01T17:00:00Z"}
    assert local_zone() == shanghai and finding_day(row) == "2026-11-02"
    monkeypatch.setenv("REPRINTWATCH_TIMEZONE", "UTC")
    assert finding_day(row) == "2026-11-01"
    monkeypatch.setenv("REPRINTWATCH_TIMEZONE", "Mars/Olympus")
    with pytest.raises(SettingError, match=r"^REPRINTWATCH_TIMEZONE takes a time zone .*'Mars/Olympus'$"):
        local_zone()
    with pytest.raises(SettingError, match=r"^REPRINTWATCH_MAX_CANDIDATES takes a whole number, 0 or more, got 'abc'$"):
        Settings.load({"REPRINTWATCH_MAX_CANDIDATES": "abc"})
