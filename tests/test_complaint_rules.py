"""The pure rules of complaints: re-check states, removal notices, the two-year limit, exclusions."""
import datetime as dt

import pytest

from reprintwatch.complaint import rules
from reprintwatch.complaint.takedown import days_between, takedown_summary
from reprintwatch.ingest.extract import extract_page
from reprintwatch.ingest.notices import NOTICES


def test_every_ingest_removal_notice_maps_to_a_removal_state():
    states = {phrase: rules.notice_state(kind, phrase) for kind, phrase in NOTICES}
    assert states["此内容被投诉且经审核涉嫌侵权，无法查看"] == rules.REMOVED_AFTER_COMPLAINT
    assert states["被投诉且经审核涉嫌侵权，无法查看"] == rules.REMOVED_AFTER_COMPLAINT
    assert states["该内容已被发布者删除"] == rules.REMOVED_BY_AUTHOR
    assert states["此帐号已自主注销，内容无法查看"] == rules.REMOVED_BY_AUTHOR
    assert states["此内容因违规无法查看"] == rules.REMOVED_BY_PLATFORM
    assert states["此帐号已被屏蔽, 内容无法查看"] == rules.REMOVED_BY_PLATFORM
    assert states["该账号已冻结"] == rules.REMOVED_BY_PLATFORM
    assert states["该公众号已迁移"] == rules.REMOVED
    assert states["链接已过期"] == rules.REMOVED
    assert set(states.values()) <= rules.REMOVED_STATES


@pytest.mark.parametrize("notice, state", [
    ("此内容被投诉且经审核涉嫌侵权，无法查看", rules.REMOVED_AFTER_COMPLAINT),
    ("该内容已被发布者删除", rules.REMOVED_BY_AUTHOR),
])
def test_a_notice_page_read_by_the_ingest_extractor_classifies(notice, state):
    page = f"<html><body><div class='weui-msg'><h2 class='weui-msg__title'>{notice}</h2></div></body></html>"
    ex = extract_page(page, "https://mp.weixin.qq.com/s/abc")
    assert ex.status == "removed"
    got = rules.classify(http_status=200, error_kind=None, extracted_status=ex.status, notice_kind=ex.notice,
                         notice=ex.reason)
    assert got == state


def test_classify_fetch_outcomes():
    c = rules.classify
    assert c(http_status=404, error_kind="http", extracted_status=None) == rules.REMOVED
    assert c(http_status=410, error_kind="http", extracted_status=None) == rules.REMOVED
    assert c(http_status=500, error_kind="http", extracted_status=None) == rules.UNREACHABLE
    assert c(http_status=None, error_kind="timeout", extracted_status=None) == rules.UNREACHABLE
    assert c(http_status=None, error_kind="robots", extracted_status=None) == rules.UNREACHABLE
    assert c(http_status=200, error_kind=None, extracted_status="ok", content_hash="a", recorded_hash="a") == rules.ONLINE
    assert c(http_status=200, error_kind=None, extracted_status="ok", content_hash="a", recorded_hash="b") == rules.CHANGED
    assert c(http_status=200, error_kind=None, extracted_status="error") == rules.CHANGED
    assert c(http_status=200, error_kind=None, extracted_status="too_short") == rules.CHANGED


def test_two_year_limit_counts_from_the_last_day_seen_online_in_china():
    # 2024-03-01 16:30 UTC is already 2 March in China
    assert rules.limitation_deadline("2024-03-01T16:30:00Z") == dt.date(2026, 3, 2)
    assert rules.limitation_deadline("2024-03-01T15:59:00Z") == dt.date(2026, 3, 1)
    assert rules.limitation_deadline("2024-02-29") == dt.date(2026, 2, 28)
    assert not rules.time_barred("2024-03-01", dt.date(2026, 3, 1))  # the last day still counts
    assert rules.time_barred("2024-03-01", dt.date(2026, 3, 2))
    assert not rules.time_barred(None, dt.date(2030, 1, 1))  # unknown: never silently dropped


def test_exclusion_order_and_reasons():
    today = dt.date(2026, 11, 29)
    assert rules.exclusion("authorised", "2020-01-01", today) == rules.EXCLUDED_AUTHORISED
    assert rules.exclusion("published_first", "2026-11-01", today) == rules.EXCLUDED_PUBLISHED_FIRST
    assert rules.exclusion("unauthorised", "2024-11-28", today) == rules.EXCLUDED_TIME_BARRED
    assert rules.exclusion("unauthorised", "2024-11-29", today) is None


def test_passages_still_there():
    old = "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥" * 2
    passages = [{"suspect_start": 0, "suspect_end": 12}, {"suspect_start": 12, "suspect_end": 30},
                {"suspect_start": 0, "suspect_end": 3}]
    assert rules.passages_still_there(passages, old, old[:12] + "完全不同的内容") == (1, 2)


def test_takedown_summary_medians_and_repeat_infringers():
    rows = [
        dict(finding_id=1, platform="wechat", reprinter="A", licensed_id="x", first_seen="2026-11-01T00:00:00Z",
             state=rules.REMOVED_AFTER_COMPLAINT, removed_at="2026-11-05T00:00:00Z", first_complaint="2026-11-03T00:00:00Z"),
        dict(finding_id=2, platform="wechat", reprinter="A", licensed_id="y", first_seen="2026-11-04T00:00:00Z",
             state=rules.REMOVED, removed_at="2026-11-10T00:00:00Z", first_complaint="2026-11-06T00:00:00Z"),
        dict(finding_id=3, platform="web", reprinter="B", licensed_id="x", first_seen="2026-11-01T00:00:00Z",
             state=rules.ONLINE, removed_at=None, first_complaint=None),
    ]
    s = takedown_summary(rows)
    assert (s["findings"], s["complained"], s["removed"], s["still_online"]) == (3, 2, 2, 1)
    assert s["median_days_complaint_to_removal"] == 3.0  # 2 and 4 days
    wechat = next(b for b in s["by_platform"] if b["platform"] == "wechat")
    assert wechat["median_days_seen_to_removal"] == 5.0  # 4 and 6 days
    assert [r["reprinter"] for r in s["repeat_infringers"]] == ["A"]
    assert s["repeat_infringers"][0]["copied_after_a_complaint"] == 1  # finding 2 was first seen after #1's complaint
    assert days_between("2026-11-01", "2026-11-02") == 1.0


def test_a_copy_published_before_the_complaint_is_not_copied_again_after_it():
    base = dict(platform="web", reprinter="C", state=rules.ONLINE, removed_at=None)
    rows = [
        dict(base, finding_id=1, licensed_id="x", first_seen="2026-11-01", first_complaint="2026-11-03"),
        # found after the complaint, but published before it: not a repeat after a complaint
        dict(base, finding_id=2, licensed_id="x", first_seen="2026-11-10", published_at="2026-11-02T08:00:00+08:00",
             first_complaint=None),
    ]
    assert takedown_summary(rows)["repeat_infringers"] == []
    rows[1]["published_at"] = "2026-11-04T08:00:00+08:00"
    assert takedown_summary(rows)["repeat_infringers"][0]["copied_after_a_complaint"] == 1
