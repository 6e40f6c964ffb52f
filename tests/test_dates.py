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
