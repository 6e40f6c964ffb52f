"""The triage corpus: one case per rule and its boundary, each asserting the decision AND the reason a
person would check. Texts, outlets and domains are invented for these tests.

Rules: one time zone (China time unless a licence says otherwise, inclusive by local date, unknown publish
time labelled "first seen"); reprinter identity from the fetched URL (never the page's canonical/og:url),
exact WeChat __biz only from WeChat pages, registrable-domain matching; verbatim means verbatim; credits
in every common form, in body and title; a contradiction flag for a "first" copy that credits the
licensed outlet or keeps its dateline/byline.
"""
from __future__ import annotations

import datetime as dt

import pytest

from reprintwatch.articles import Article
from reprintwatch.errors import BadInput
from reprintwatch.triage.assess import (
    AUTHORISED,
    PUBLISHED_FIRST,
    SUSPECT_FIRST,
    UNAUTHORISED,
    UNKNOWN,
    assess,
    first_publication,
)
from reprintwatch.triage.attribution import CREDITED, CREDITED_OTHER, UNCREDITED, attribute
from reprintwatch.triage.licences import (
    Licence,
    Reprinter,
    biz_of,
    covers_host,
    decide,
    make_licence,
    reprinter_matches,
)
from reprintwatch.triage.timeline import (
    FIRST_SEEN,
    PUBLISHED,
    complaint_deadline,
    copy_time,
    local_date,
    parse_zone,
    within_complaint_limit,
)
from reprintwatch.triage.verbatim import compare

OUTLET = "江南日报"
TITLE = "江南新区地铁三号线开通运营"
DATELINE = "江南日报讯（记者 林晓 通讯员 周航）"
PARAS = [
    "江南新区地铁三号线今天上午开通运营。线路全长28.5公里，设车站21座，日均客流预计达到35万人次。",
    "三号线连接新区与高铁站，全程运行时间约42分钟，沿线设有4座换乘站，可与一号线、二号线便捷换乘。",
    "市轨道交通集团表示，开通初期行车间隔为6分钟，高峰时段将加密至4分钟，首末班车时间另行公布。",
    "沿线居民张先生说，以前去高铁站要换两次公交，现在一趟地铁就到了，出行方便多了。",
]
BODY = "\n".join(PARAS)
LICENSED_TEXT = DATELINE + BODY
LICENSED = Article("jn-1", LICENSED_TEXT, TITLE, OUTLET, "https://www.jiangnan-daily.com/2026/11/01/1.html",
                   "2026-11-01T07:00:00+08:00")
BIZ = "MzA3MDM3NjE5NQ=="
WECHAT_URL = f"https://mp.weixin.qq.com/s?__biz={BIZ}&mid=2650001&idx=1"

SITE = Licence(1, "site", "jiangnan-daily.com", OUTLET, "2026-11-01", "2026-11-20", "may_reprint")
WECHAT = Licence(2, "wechat", BIZ, OUTLET, None, None, "may_reprint")


def finding(url="https://m.jiangnan-daily.com/a/1.html", content=None, title=TITLE, published_at="2026-11-05T09:00:00+08:00",
            **extra) -> dict:
    """A finding as the store gives it; the copy is verbatim unless told otherwise."""
    row = {
        "finding_id": 1, "suspect_id": 1, "licensed_id": "jn-1", "licensed_outlet": OUTLET, "licensed_title": TITLE,
        "licensed_url": LICENSED.url, "licensed_published_at": LICENSED.published_at, "verdict": "full_reprint",
        "similarity": 1.0, "licensed_coverage": 1.0, "suspect_coverage": 1.0, "passages": [],
        "platform": "web", "site": "", "account": "", "url": url, "canonical_url": "", "title": title,
        "published_at": published_at, "content": LICENSED_TEXT if content is None else content,
        "checked_at": "2026-11-25T03:00:00Z", "created_at": "2026-11-25T03:00:00Z", "source_link": "",
    }
    row.update(extra)
    return row


def judge(licences=(SITE,), **kw):
    return assess(finding(**kw), list(licences), LICENSED)


# --------------------------------------------------------------------------- identity: what was fetched


def test_canonical_spoofing_does_not_make_a_copier_the_licensee():
    a = judge(url="https://copycat.example/p/9.html", canonical_url="https://www.jiangnan-daily.com/2026/11/01/1.html")
    assert a.status == UNAUTHORISED
    assert a.decision.reason == (
        "no licence for copycat.example to reprint 江南日报 (the page claims to be "
        "https://www.jiangnan-daily.com/2026/11/01/1.html; a page's own claim is not who serves it)"
    )
    d = a.to_dict()
    assert d["suspect_url"] == "https://copycat.example/p/9.html"  # never the claimed address
    assert d["claimed_url"] == "https://www.jiangnan-daily.com/2026/11/01/1.html"
    assert a.triage()["reprinter"]["claimed_host_differs"] is True


def test_og_url_on_a_wechat_mirror_is_evidence_only():
    a = judge(licences=(WECHAT,), url=f"https://wx-mirror.example/s?__biz={BIZ}&mid=1", canonical_url=WECHAT_URL,
              platform="wechat", account="江南日报")
    assert a.status == UNAUTHORISED and a.decision.reason.startswith("no licence for wx-mirror.example")


def test_the_final_url_after_redirects_decides():
    # asked for the licensee's short link, served by a copier: the copier reprinted it
    moved = judge(url="https://www.jiangnan-daily.com/s/1", final_url="https://copycat.example/p/9.html")
    assert moved.status == UNAUTHORISED and "copycat.example" in moved.decision.reason
    # a short link that lands on the licensee
    home = judge(url="https://t.example/x", final_url="https://news.jiangnan-daily.com/a/1.html")
    assert home.status == AUTHORISED
    assert home.decision.reason == (
        "covered by licence #1 (may_reprint): fetched from news.jiangnan-daily.com, a subdomain of "
        "jiangnan-daily.com, published 2026-11-05 within 2026-11-01 – 2026-11-20"
    )


@pytest.mark.parametrize(
    "host, covered",
    [
        ("jiangnan-daily.com", True),
        ("www.jiangnan-daily.com", True),
        ("m.news.jiangnan-daily.com", True),
        ("JIANGNAN-DAILY.COM.", True),  # case and the root dot
        ("jiangnan-daily.com.evil.cn", False),  # look-alike: the licensed name as a subdomain of another
        ("evil-jiangnan-daily.com", False),  # a suffix that is not a label
        ("jiangnan-daily.co", False),
        ("jiangnan-daily.com@evil.cn", False),  # userinfo trick: the host is evil.cn
    ],
)
def test_site_licence_by_registrable_domain(host, covered):
    r = Reprinter(platform="web", url=f"https://{host}/a/1.html")
    assert reprinter_matches(SITE, r) is covered
    assert covers_host("jiangnan-daily.com", host.split("@")[-1]) is covered


def test_a_site_licence_never_covers_wechat_and_public_suffixes_are_refused():
    assert not reprinter_matches(Licence(3, "site", "weixin.qq.com", OUTLET), Reprinter(url=WECHAT_URL))
    for bad in ("com.cn", "github.io", "mp.weixin.qq.com", "qq.com"):
        with pytest.raises(BadInput):
            make_licence("site", bad, OUTLET)
    assert make_licence("site", "https://WWW.Jiangnan-Daily.com/x", OUTLET).reprinter == "jiangnan-daily.com"


@pytest.mark.parametrize(
    "url, matches",
    [
        (WECHAT_URL, True),
        (f"http://mp.weixin.qq.com/s?mid=1&__biz={BIZ.replace('==', '%3D%3D')}", True),  # percent-encoded
        (f"https://mp.weixin.qq.com/s?__biz={BIZ.lower()}&mid=1", False),  # base64: case matters
        (f"https://mp.weixin.qq.com/s?__biz={BIZ.upper()}&mid=1", False),
        (f"https://wx-mirror.example/s?__biz={BIZ}&mid=1", False),  # a mirror's URL names no account
        (f"https://mp.weixin.qq.com.evil.cn/s?__biz={BIZ}", False),  # look-alike host
        (f"https://mp.weixin.qq.com/s?__biz=MzI4OTk5&__biz={BIZ}", False),  # two IDs: no identity
    ],
)
def test_wechat_biz_is_exact_and_only_from_wechat_pages(url, matches):
    assert reprinter_matches(WECHAT, Reprinter(platform="wechat", url=url)) is matches


def test_biz_from_ingestion_counts_only_on_a_wechat_page():
    assert reprinter_matches(WECHAT, Reprinter.from_row({"url": "https://mp.weixin.qq.com/s/AbC", "biz": BIZ}))
    assert not reprinter_matches(WECHAT, Reprinter.from_row({"url": "https://wx-mirror.example/s/AbC", "biz": BIZ}))
    assert biz_of("https://wx-mirror.example/s?__biz=" + BIZ) is None


def test_wechat_account_name_only_from_a_wechat_page():
    by_name = Licence(4, "wechat", "江南日报", OUTLET)
    page = {"platform": "wechat", "account": "江南日报"}
    assert reprinter_matches(by_name, Reprinter.from_row({**page, "url": "https://mp.weixin.qq.com/s/x"}))
    mirror = Reprinter.from_row({**page, "url": "https://wx-mirror.example/s/x"})
    assert not reprinter_matches(by_name, mirror)
    assert decide([by_name], mirror, OUTLET, None, "full_reprint", 1.0).reason == (
        "licence #4 is for WeChat account 江南日报, but this copy was not fetched from a WeChat page "
        "(wx-mirror.example), so the account is not confirmed")
    # an ID-like licence value never matches a name case-insensitively
    assert not reprinter_matches(WECHAT, Reprinter(platform="wechat", account=BIZ.lower(), url="https://mp.weixin.qq.com/s/x"))


# --------------------------------------------------------------------------- time: China time, inclusive


@pytest.mark.parametrize(
    "published_at, status, reason",
    [
        # 17:00Z on the 20th is 01:00 on the 21st in China: after a licence ending the 20th
        ("2026-11-20T17:00Z", UNAUTHORISED,
         "licence #1 ended 2026-11-20; the copy was published 2026-11-21 (China time), after it"),
        ("2026-11-20T15:59:59Z", AUTHORISED, None),  # 23:59:59 on the 20th in China: last day, inclusive
        ("2026-11-20T23:30:00", AUTHORISED, None),  # no zone: a Chinese page's time is China time
        ("2026-11-20", AUTHORISED, None),  # a bare date is a local date
        # 16:30Z on 31 October is 00:30 on 1 November in China: inside a licence starting the 1st
        ("2026-10-31T16:30Z", AUTHORISED, None),
        ("2026-10-31T15:59:59Z", UNAUTHORISED,
         "licence #1 starts 2026-11-01; the copy was published 2026-10-31 (China time), before it"),
        ("2026-11-01T00:00:00+08:00", AUTHORISED, None),
    ],
)
def test_licence_window_in_china_time(published_at, status, reason):
    a = judge(published_at=published_at, licensed_published_at="2026-10-01T00:00:00+08:00")
    assert a.status == status
    if reason:
        assert a.decision.reason == reason
    else:
        assert a.decision.reason.startswith("covered by licence #1 (may_reprint)")


def test_a_licence_may_name_its_own_time_zone():
    utc = Licence(5, "site", "jiangnan-daily.com", OUTLET, "2026-11-01", "2026-11-20", "may_reprint", timezone="UTC")
    a = judge(licences=(utc,), published_at="2026-11-20T17:00Z", licensed_published_at="2026-10-01")
    assert a.status == AUTHORISED  # the 20th in UTC
    same = judge(licences=(utc,), published_at="2026-11-21T00:30:00+08:00", licensed_published_at="2026-10-01")
    assert same.status == AUTHORISED  # 16:30 UTC on the 20th
    b = judge(licences=(utc,), published_at="2026-11-21T08:30:00+08:00", licensed_published_at="2026-10-01")
    assert b.status == UNAUTHORISED
    assert b.decision.reason == "licence #5 ended 2026-11-20; the copy was published 2026-11-21 (UTC), after it"
    assert make_licence("site", "jiangnan-daily.com", OUTLET, timezone="Asia/Tokyo").timezone == "Asia/Tokyo"
    with pytest.raises(BadInput, match="not a time zone"):
        make_licence("site", "jiangnan-daily.com", OUTLET, timezone="Mars/Olympus")


def test_unknown_publish_time_uses_first_seen_and_says_so():
    inside = judge(published_at=None, first_seen="2026-11-10T02:00:00Z")
    assert inside.status == AUTHORISED and "first seen 2026-11-10 (publish time unknown)" in inside.decision.reason
    assert inside.triage()["copy_time"] == {"date": "2026-11-10", "source": FIRST_SEEN,
                                           "text": "first seen 2026-11-10 (publish time unknown)"}
    late = judge(published_at=None, first_seen="2026-11-25T03:00:00Z")
    assert late.status == UNAUTHORISED
    assert late.decision.reason == (
        "licence #1 ended 2026-11-20; the copy was first seen 2026-11-25 (China time), after it — its publish "
        "time is unknown, it may have been published while the licence ran"
    )
    # never reported as if it were the reprint date
    assert "published 2026-11-25" not in late.decision.reason


def test_no_time_at_all_against_a_dated_licence():
    d = decide([SITE], Reprinter(url="https://jiangnan-daily.com/a"), OUTLET, None, "full_reprint", 1.0)
    assert not d.authorised
    assert d.reason == "licence #1 has dates, and the copy's publish time and first-seen time are unknown"


def test_first_publication_in_china_time():
    # the copy at 23:30 UTC on 31 Oct is 07:30 on 1 Nov in China, after the licensed 07:00
    assert first_publication("2026-10-31T23:30Z", "2026-11-01T07:00:00+08:00")[0] == "licensed_first"
    order, note = first_publication("2026-10-31T22:00Z", "2026-11-01T07:00:00+08:00")
    assert order == SUSPECT_FIRST and note.startswith("the copy was published 2026-11-01T06:00:00+08:00, before")
    # a later first sighting proves nothing; an earlier one proves the copy existed first
    assert first_publication(None, "2026-11-01", "2026-11-25T03:00Z")[0] == UNKNOWN
    order, note = first_publication(None, "2026-11-01T07:00:00+08:00", "2026-10-30T03:00Z")
    assert order == SUSPECT_FIRST and "first seen 2026-10-30 (publish time unknown)" in note


def test_one_time_notion_for_the_complaint_limit():
    # 2024-11-29T20:00Z is 30 November in China: the limit runs to 2026-11-30 inclusive
    ok, why = within_complaint_limit("2024-11-29T20:00Z", dt.date(2026, 11, 30))
    assert ok is True and why == "complaints until 2026-11-30 (2 years from published 2024-11-30, China time (UTC+8))"
    late, why = within_complaint_limit("2024-11-29T20:00Z", "2026-11-30T16:30Z")  # 00:30 on 1 Dec in China
    assert late is False and why.endswith("and it is 2026-12-01")
    assert complaint_deadline("2024-02-29")[0] == dt.date(2026, 2, 28)
    deadline, why = complaint_deadline(None, "2025-01-05T01:00Z")
    assert deadline == dt.date(2027, 1, 5) and "first seen 2025-01-05" in why and "may be earlier" in why
    assert within_complaint_limit(None, dt.date(2026, 1, 1)) == (
        None, "no publish or first-seen time: the complaint deadline cannot be counted")


def test_time_helpers():
    assert local_date("2026-11-20T17:00Z") == dt.date(2026, 11, 21)
    assert local_date("2026-11-20T17:00Z", parse_zone("+00:00")) == dt.date(2026, 11, 20)
    assert copy_time("2026-11-20", None).source == PUBLISHED
    assert copy_time("not a date", "2026-11-21T00:00Z").source == FIRST_SEEN
    with pytest.raises(ValueError):
        parse_zone("+25:00")


# --------------------------------------------------------------------------- verbatim means verbatim


def test_rewritten_headline_and_changed_figures_are_an_edit():
    copy = BODY.replace("28.5", "29.5").replace("21座", "23座").replace("35万", "40万").replace("42分钟", "45分钟")
    a = judge(content=copy, title="重磅！地铁三号线通车了", similarity=0.92)
    assert a.status == UNAUTHORISED and a.decision.edited is True
    assert a.decision.reason.startswith("licence #1 allows verbatim reprints only; this copy is edited: ")
    assert list(a.decision.differences) == [
        "title changed: 「江南新区地铁三号线开通运营」 → 「重磅！地铁三号线通车了」",
        "figure changed: 「28.5」 → 「29.5」",
        "figure changed: 「21」 → 「23」",
        "figure changed: 「35」 → 「40」",
        "figure changed: 「42」 → 「45」",
    ]


def test_one_changed_word_is_an_edit_and_a_cut_paragraph_too():
    word = judge(content=LICENSED_TEXT.replace("便捷换乘", "方便换乘"))
    assert word.status == UNAUTHORISED and word.decision.differences == ("words changed: 「便捷」 → 「方便」",)
    cut = judge(content=DATELINE + "\n".join(PARAS[:3]))
    assert cut.status == UNAUTHORISED
    assert cut.decision.differences == ("cut 35 characters at the end: 「沿线居民张先生说，以前去高铁站要换两次公交，现…」",)


def test_furniture_credits_and_punctuation_are_not_edits():
    copy = "来源：江南日报\n" + LICENSED_TEXT.replace("，", ", ") + "\n点击上方蓝字关注我们"
    a = judge(content=copy, title="【转载】江南新区地铁三号线开通运营 | 江南日报")
    assert a.status == AUTHORISED and a.decision.edited is False and a.decision.differences == ()


def test_may_edit_licence_covers_an_edited_copy():
    lic = Licence(6, "site", "jiangnan-daily.com", OUTLET, "2026-11-01", "2026-11-20", "may_edit")
    a = judge(licences=(lic,), content="\n".join(PARAS[:2]), title="地铁三号线通车", verdict="partial_reprint")
    assert a.status == AUTHORISED and a.decision.reason.startswith("covered by licence #6 (may_edit)")


def test_compare_only_between_the_aligned_passages():
    page = "今日推荐：周末去哪儿玩？\n" + LICENSED_TEXT + "\n广告：本店新品上市八折优惠"
    start = page.index(PARAS[0][:6])
    passages = [{"suspect_start": start, "suspect_end": page.index("广告"), "licensed_start": 0,
                 "licensed_end": len(LICENSED_TEXT)}]
    assert compare(TITLE, LICENSED_TEXT, TITLE, page, passages).edited is False
    assert compare(TITLE, LICENSED_TEXT, TITLE, page).edited is True  # without the alignment: added text


# --------------------------------------------------------------------------- credits: every form, body and title


@pytest.mark.parametrize(
    "copy, status, outlet, kind",
    [
        ("来源: 江 南 日 报\n" + BODY, CREDITED, "江南日报", "source"),  # spaced out
        ("来源丨江南日报\n" + BODY, CREDITED, "江南日报", "source"),  # a separator the folding drops
        ("來源：江南日報\n" + BODY, CREDITED, "江南日报", "source"),  # traditional characters
        ("来源：江南日报 作者：王五\n" + BODY, CREDITED, "江南日报", "source"),
        ("转载自微信公众号江南日报\n" + BODY, CREDITED, "江南日报", "account"),
        ("转载自：东海晚报\n" + BODY, CREDITED_OTHER, "东海晚报", "repost"),
        ("以下文章来源于江南日报 ，作者林晓\n" + BODY, CREDITED, "江南日报", "wechat_card"),
        ("本文来自微信公众号“江南日报”\n" + BODY, CREDITED, "江南日报", "account"),
        ("据江南日报报道，" + BODY, CREDITED, "江南日报", "report"),
        ("据东海晚报消息，" + BODY, CREDITED_OTHER, "东海晚报", "report"),
        ("江南日报讯（记者 林晓）" + BODY, CREDITED, "江南日报", "dateline"),
        ("江南日报11月1日讯 " + BODY, CREDITED, "江南日报", "dateline"),
        ("原标题：江南新区地铁三号线开通运营\n" + BODY, UNCREDITED, None, "original_title"),
        ("据媒体报道，" + BODY, UNCREDITED, None, "report"),  # names no outlet
        ("据市发改部门消息，" + BODY, UNCREDITED, None, None),  # a source of information, not a publication
        ("海风新闻网江南11月9日讯 " + BODY, CREDITED_OTHER, "海风新闻网", "dateline"),  # the longest outlet suffix
        ("转载请注明出处\n" + BODY, UNCREDITED, None, None),  # an instruction, not a credit
    ],
)
def test_credit_forms_in_the_body(copy, status, outlet, kind):
    a = attribute(copy, OUTLET)
    assert a.status == status
    assert (a.credited_outlets[0] if a.credited_outlets else None) == outlet
    if kind:
        credit = a.credits[0]
        assert credit.kind == kind and credit.place == "body"
        assert copy[credit.start : credit.end] == credit.text


@pytest.mark.parametrize(
    "title, summary",
    [
        ("【转自江南日报】地铁三号线开通", "credits the licensed outlet 江南日报 (title 「转自江南日报」)"),
        ("地铁三号线开通 | 来源：江南日报", "credits the licensed outlet 江南日报 (title 「来源：江南日报」)"),
        ("地铁三号线开通（据东海晚报报道）", "credits another outlet: 东海晚报 (title 「据东海晚报报道」)"),
    ],
)
def test_credits_in_the_title_say_where(title, summary):
    assert attribute(BODY, OUTLET, copy_title=title).summary() == summary


def test_another_outlet_is_not_the_licensed_outlet():
    a = judge(content="来源：东海晚报\n" + BODY, url="https://copycat.example/a")
    t = a.triage()
    assert (t["credit"], t["credits_licensed_outlet"], t["other_outlets_credited"]) == (CREDITED_OTHER, False, ["东海晚报"])
    assert t["credit_summary"] == "credits another outlet: 东海晚报 (body 「来源：东海晚报」); stripped dateline and byline"


# --------------------------------------------------------------------------- first publication contradictions


def test_a_first_copy_crediting_the_licensed_outlet_is_flagged_not_cleared():
    a = judge(url="https://copycat.example/a", content="来源：江南日报\n" + BODY, published_at="2026-10-30T09:00:00+08:00")
    assert a.first_publication == SUSPECT_FIRST and a.status == UNAUTHORISED
    assert a.contradiction == (
        "published first by its date, yet it credits 江南日报 (body 「来源：江南日报」): its publish time is "
        "doubtful, so it is not cleared"
    )


def test_a_first_copy_keeping_the_dateline_is_flagged():
    a = judge(url="https://copycat.example/a", content="转发：" + LICENSED_TEXT, published_at="2026-10-30")
    assert a.status == UNAUTHORISED and a.contradiction and "keeps its dateline 「江南日报讯」" in a.contradiction


def test_a_generic_dateline_alone_is_no_contradiction():
    licensed = Article("jn-2", "本报讯 " + BODY, TITLE, OUTLET, LICENSED.url, "2026-11-01T07:00:00+08:00")
    a = assess(finding(url="https://copycat.example/a", content="本报讯 " + BODY, published_at="2026-10-30"), [SITE], licensed)
    assert a.attribution.kept == ("dateline 「本报讯」",) and a.attribution.kept_specific == ()
    assert a.status == PUBLISHED_FIRST and a.contradiction is None


def test_a_clean_first_copy_is_cleared():
    a = judge(url="https://copycat.example/a", content=BODY, published_at="2026-10-30")
    assert a.status == PUBLISHED_FIRST and a.contradiction is None
    assert a.first_publication_note.startswith("the copy was published 2026-10-30, before the licensed article (2026-11-01)")


def test_triage_dict_is_complete():
    t = judge().triage()
    assert set(t) >= {"status", "authorised", "licence_id", "licence_reason", "edited", "differences", "copy_time",
                      "credit", "credit_summary", "credits", "stripped", "kept", "first_publication",
                      "contradiction", "reprinter", "complaint_deadline"}
    assert (t["status"], t["licence_id"], t["complaint_deadline"]) == (AUTHORISED, 1, "2028-11-05")


# --------------------------------------------------------------------------- end to end, both backends
#
# The licensed article in a real index (SQLite, or a real Elasticsearch node), crafted copies run through
# the real detector and recorded in a real store, licences in the registry; `findings list` shows the
# triage in JSON and CSV and keeps it in the store. Both backends must give the same decisions.

LICENCES_E2E = [
    dict(reprinter_kind="site", reprinter="jiangnan-daily.com", outlet=OUTLET, valid_from="2026-11-01",
         valid_until="2026-11-20", scope="may_reprint"),
    dict(reprinter_kind="wechat", reprinter=BIZ, outlet=OUTLET, scope="may_reprint"),
    dict(reprinter_kind="site", reprinter="partner.example", outlet=OUTLET, scope="may_edit"),
]
EDITED = BODY.replace("28.5", "29.5").replace("21座", "23座").replace("35万", "40万").replace("42分钟", "45分钟")

# key: (requested URL, final URL, canonical, platform, account, title, published_at, content) → (status, in reason)
E2E_BIZ = {"wechat-short-link": BIZ, "mirror-with-biz": BIZ}  # the __biz ingestion read off the page
E2E = {
    "licensee": (("https://m.jiangnan-daily.com/a/1", None, "", "web", "", TITLE, "2026-11-20T15:59:59Z",
                  LICENSED_TEXT), (AUTHORISED, "covered by licence #1 (may_reprint): fetched from m.jiangnan-daily.com")),
    "late-by-china-time": (("https://m.jiangnan-daily.com/a/2", None, "", "web", "", TITLE, "2026-11-20T17:00Z",
                            LICENSED_TEXT), (UNAUTHORISED, "licence #1 ended 2026-11-20; the copy was published 2026-11-21")),
    "canonical-spoof": (("https://copycat.example/p/9", None, "https://www.jiangnan-daily.com/2026/11/01/1.html", "web",
                         "", TITLE, "2026-11-05", LICENSED_TEXT), (UNAUTHORISED, "no licence for copycat.example")),
    "redirected": (("https://www.jiangnan-daily.com/s/7", "https://copycat.example/p/7", "", "web", "", TITLE,
                    "2026-11-05", LICENSED_TEXT), (UNAUTHORISED, "no licence for copycat.example")),
    "wechat-licensed": ((WECHAT_URL, None, "", "wechat", "江南日报", TITLE, "2026-11-05", LICENSED_TEXT),
                        (AUTHORISED, f"covered by licence #2 (may_reprint): WeChat __biz {BIZ}")),
    # a short link names no account: the __biz ingestion read from the WeChat page decides
    "wechat-short-link": (("https://mp.weixin.qq.com/s/Xy12AbCdEf", None, "", "wechat", "江南日报", TITLE, "2026-11-05",
                           LICENSED_TEXT), (AUTHORISED, f"covered by licence #2 (may_reprint): WeChat __biz {BIZ}")),
    "mirror-with-biz": (("https://wx-mirror.example/s/Xy12AbCdEf", None, "", "wechat", "江南日报", TITLE, "2026-11-05",
                         LICENSED_TEXT), (UNAUTHORISED, "no licence for wx-mirror.example")),
    "wechat-mirror": ((f"https://wx-mirror.example/s?__biz={BIZ}&mid=1", None, WECHAT_URL, "wechat", "江南日报", TITLE,
                       "2026-11-05", LICENSED_TEXT), (UNAUTHORISED, "no licence for wx-mirror.example")),
    "wechat-biz-case": ((f"https://mp.weixin.qq.com/s?__biz={BIZ.lower()}&mid=9", None, "", "wechat", "江南日報", TITLE,
                         "2026-11-05", LICENSED_TEXT), (UNAUTHORISED, "no licence for 微信公众号 江南日報")),
    "edited": (("https://m.jiangnan-daily.com/a/3", None, "", "web", "", "重磅！地铁三号线通车了", "2026-11-05",
                EDITED), (UNAUTHORISED, "licence #1 allows verbatim reprints only; this copy is edited: title changed")),
    "may-edit": (("https://partner.example/a/3", None, "", "web", "", "重磅！地铁三号线通车了", "2026-11-05", EDITED),
                 (AUTHORISED, "covered by licence #3 (may_edit)")),
    "first-but-credits": (("https://copycat.example/p/1", None, "", "web", "", TITLE, "2026-10-30",
                           "来源：江南日报\n" + BODY), (UNAUTHORISED, "no licence for copycat.example")),
    "no-date": (("https://m.jiangnan-daily.com/a/4", None, "", "web", "", TITLE, None, LICENSED_TEXT),
                (AUTHORISED, "first seen 2026-11-10 (publish time unknown) within 2026-11-01 – 2026-11-20")),
}


@pytest.fixture(params=["sqlite", pytest.param("elasticsearch", marks=pytest.mark.elasticsearch)])
def triage_store(request, tmp_path):
    """(root CLI args naming the backend and store, {copy key: finding id})."""
    from reprintwatch import Detector, SQLiteIndex
    from reprintwatch.store import Store

    store_path = tmp_path / "store.db"
    if request.param == "sqlite":
        index = SQLiteIndex(tmp_path / "licensed.db")
        args = ["--backend", "sqlite", "--db", str(tmp_path / "licensed.db")]
    else:
        from reprintwatch.index.elasticsearch import ElasticsearchIndex

        s = request.getfixturevalue("es_settings")
        index = ElasticsearchIndex.from_settings(s, create=True)
        args = ["--backend", "elasticsearch", "--es-url", s.es_url, "--es-index", s.es_index]
    ids = {}
    with index:
        detector = Detector(index)
        detector.add([LICENSED])
        with Store(store_path) as store:
            for n, (key, ((url, final, canonical, platform, account, title, published, content), _)) in enumerate(E2E.items()):
                evidence = store.record_page(url, content.encode("utf-8"), final_url=final or url, status=200,
                                             fetched_at="2026-11-10T02:00:00Z", content_type="text/plain")
                suspect = store.record_suspect(url, platform, f"h{n}", 1, site=(final or url).split("/")[2],
                                               account=account, canonical_url=canonical, title=title,
                                               biz=E2E_BIZ.get(key, ""),
                                               published_at=published, content=content, evidence_id=evidence,
                                               checked_at="2026-11-10T02:00:00Z")
                result = detector.check(Article(id=key, content=content, title=title))
                found = store.record_findings(suspect, result.reprints[:1], created_at="2026-11-10T02:00:00Z")
                assert found, f"{key} was not detected"
                ids[key] = found[0]
    with Store(store_path) as store:
        store.add_licences([make_licence(**lic) for lic in LICENCES_E2E])
    return args + ["findings", "list", "--store", str(store_path)], ids, store_path


def test_findings_list_carries_the_triage_on_both_backends(triage_store):
    import csv
    import io
    import json

    from click.testing import CliRunner

    from reprintwatch.cli import cli
    from reprintwatch.store import Store

    args, ids, store_path = triage_store
    runner = CliRunner()
    out = runner.invoke(cli, args[:-4] + ["findings", "list", "--format", "json"] + args[-2:], catch_exceptions=False)
    assert out.exit_code == 0, out.output
    rows = {json.loads(line)["finding_id"]: json.loads(line) for line in out.stdout.splitlines() if line.startswith("{")}
    for key, (_, (status, reason)) in E2E.items():
        triage = rows[ids[key]]["triage"]
        assert triage["status"] == status and reason in triage["licence_reason"], (key, triage["licence_reason"])
    t = rows[ids["first-but-credits"]]["triage"]
    assert t["first_publication"] == SUSPECT_FIRST and t["contradiction"].startswith("published first by its date, yet it credits 江南日报")
    assert rows[ids["canonical-spoof"]]["triage"]["reprinter"]["url"] == "https://copycat.example/p/9"
    assert rows[ids["edited"]]["triage"]["differences"][1] == "figure changed: 「28.5」 → 「29.5」"
    assert rows[ids["no-date"]]["triage"]["copy_time"]["source"] == FIRST_SEEN
    # the same triage is kept in the store, for the reports and dossiers
    with Store(store_path) as store:
        assert store.get_finding(ids["edited"])["triage"] == rows[ids["edited"]]["triage"]
    out = runner.invoke(cli, args[:-4] + ["findings", "list", "--format", "csv"] + args[-2:], catch_exceptions=False)
    table = {int(r["finding_id"]): r for r in csv.DictReader(io.StringIO(out.stdout))}
    assert table[ids["late-by-china-time"]]["status"] == UNAUTHORISED
    assert table[ids["late-by-china-time"]]["licence_reason"].startswith("licence #1 ended 2026-11-20")
    assert table[ids["canonical-spoof"]]["fetched_url"] == "https://copycat.example/p/9"
    assert table[ids["canonical-spoof"]]["claimed_url"] == "https://www.jiangnan-daily.com/2026/11/01/1.html"


def test_html_shows_contradiction_and_differences_escaped():
    from reprintwatch.report.html import triage_extra_html

    first = judge(url="https://copycat.example/a", content="来源：江南日报\n" + BODY, published_at="2026-10-30")
    assert '<dt>Contradiction</dt><dd class="bad">published first by its date' in triage_extra_html(first)
    hostile = judge(content=LICENSED_TEXT.replace("便捷换乘", "<script>alert(1)</script>"))
    html = triage_extra_html(hostile)
    assert "script>" not in html and "alert(1)&lt;/script" in html and "<dt>Differences</dt>" in html


def test_a_copy_still_online_extends_the_complaint_limit():
    # one rule for findings and dossiers: a continuing infringement's two years run from the last sighting
    deadline, why = complaint_deadline("2024-11-29T20:00Z", last_seen="2025-06-30T17:00Z")  # 1 July in China
    assert deadline == dt.date(2027, 7, 1)
    assert why == "complaints until 2027-07-01 (2 years from 2025-07-01, the last day the copy was seen online, China time (UTC+8))"
    # without a sighting it is counted from publication, the earliest the limit can end
    assert complaint_deadline("2024-11-29T20:00Z")[0] == dt.date(2026, 11, 30)


# --------------------------------------------------------------------------- structured reasons


def test_a_decision_carries_a_structured_reason_each_renderer_words():
    """The reason is data (code, rule, evidence); the English and the dossier's Chinese are both worded from
    it, so the dossier no longer depends on the English sentence's wording."""
    from reprintwatch.complaint.dossier import licence_reason_zh
    from reprintwatch.triage.reasons import ENDED, NO_LICENCE, Reason, english

    lic = Licence(7, "site", "copycat.example", OUTLET, "2026-01-01", "2026-11-20", "may_reprint")
    who = Reprinter(platform="web", url="https://copycat.example/a/1.html")
    d = decide([lic], who, OUTLET, "2026-11-20T17:00Z", "full_reprint", 1.0)
    assert d.why == Reason(ENDED, "licence #7", {
        "licence_id": 7, "valid_from": "2026-01-01", "valid_until": "2026-11-20", "copy_day": "2026-11-21",
        "basis": PUBLISHED, "zone": "China time"})
    assert d.reason == english(d.why) == (
        "licence #7 ended 2026-11-20; the copy was published 2026-11-21 (China time), after it")
    assert licence_reason_zh(d.why, "copycat.example", OUTLET) == (
        "双方曾有的转载许可（第7号）已于2026-11-20到期，该转载于2026-11-21发布，不在许可期内")
    # the stored form round-trips, and a code no renderer knows falls back to the generic sentence
    assert Reason.from_dict(d.why.to_dict()) == d.why
    none = decide([], who, OUTLET, "2026-11-20", "full_reprint", 1.0)
    assert none.why.code == NO_LICENCE and none.why.evidence["reprinter"] == "copycat.example"
    assert licence_reason_zh(Reason("hint.unknown"), "某网站", OUTLET) == f"投诉人未许可某网站转载{OUTLET}的作品"
    assert english(Reason("hint.unknown", evidence={"text": "own words"})) == "own words"
