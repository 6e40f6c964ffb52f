"""Legal hints (issue 25): the case set of tests/legal_cases.py judged through ``assess``, each rule's
boundary, and the promise that hints never change a licence decision. Texts are invented."""
from __future__ import annotations

import dataclasses
import importlib

import pytest

from legal_cases import CASES, FEATURE, FLASH, GOLD, SITE, Case
from reprintwatch.triage.assess import AUTHORISED, UNAUTHORISED, Assessment, assess
from reprintwatch.triage.legal import (
    CURRENT_AFFAIRS,
    FACTUAL_NEWS,
    FOUND,
    NO_CREDIT,
    POSSIBLE,
    RESERVATION,
    RULES,
    UNSURE,
    Facts,
    Hint,
    article_kind,
    copier_media,
    describe,
    legal_hints,
    reservation_statement,
    title_change,
)
from reprintwatch.triage.licences import Licence
from reprintwatch.triage.reasons import Reason, english


def _hints(case: Case, number: int = 1, licences=()) -> dict:
    a = assess(case.finding(number), list(licences), case.licensed)
    return {h.code: h.certainty for h in a.hints}


@pytest.mark.parametrize("case", [c for c in CASES if not c.known_miss], ids=lambda c: c.name)
def test_case_set(case):
    assert _hints(case) == case.expected


@pytest.mark.parametrize("case", [c for c in CASES if c.known_miss], ids=lambda c: c.name)
def test_known_misses_are_missed_not_overstated(case):
    # what the hints cannot read gets no hint (bench/legal_hints.py counts it as a miss), never a wrong one
    got = _hints(case)
    assert got != case.expected and set(got) < set(case.expected)


def test_every_hint_names_rules_we_quote_and_its_evidence():
    for i, case in enumerate(CASES, 1):
        for h in assess(case.finding(i), [], case.licensed).hints:
            assert h.rules and all(r in RULES for r in h.rules), h
            assert h.evidence and all(isinstance(e, str) and e for e in h.evidence), h
            assert describe(h).startswith(f"{h.code} ({h.certainty}): ")


def test_hints_never_change_a_licence_decision(monkeypatch):
    covering = Licence(1, "site", "news-mirror.example", "江南日报", None, None, "may_reprint")
    for i, case in enumerate(CASES, 1):
        for licences in ((), (covering,)):
            with_hints = assess(case.finding(i), list(licences), case.licensed)
            monkeypatch.setattr(importlib.import_module("reprintwatch.triage.assess"), "legal_hints", lambda facts: ())
            without = assess(case.finding(i), list(licences), case.licensed)
            monkeypatch.undo()
            assert (with_hints.status, with_hints.decision) == (without.status, without.decision)
    # a possibly unprotected flash stays unauthorised without a licence, authorised with one
    flash = CASES[0]
    assert assess(flash.finding(), [], flash.licensed).status == UNAUTHORISED
    site_flash = dataclasses.replace(flash, copier=SITE)
    assert assess(site_flash.finding(), [covering], flash.licensed).status == AUTHORISED


def test_hints_are_kept_with_the_triage_and_read_back():
    case = next(c for c in CASES if c.expected == {CURRENT_AFFAIRS: POSSIBLE})
    a = assess(case.finding(7), [], case.licensed)
    stored = a.triage()
    # kept as the project's one shape for a why (triage/reasons.py), worded by its English renderer
    (kept,) = stored["legal_hints"]
    assert kept["code"] == "hint." + CURRENT_AFFAIRS and kept["rule"] == "CL2020-24-1-4"
    assert kept["evidence"]["certainty"] == POSSIBLE and kept["evidence"]["also"] == ["RIN-6-7", "CL2020-24-1"]
    assert english(Reason.from_dict(kept)) == describe(a.hints[0])
    back = Assessment.from_triage(a.finding, stored, {})
    assert back.hints == a.hints and back.hints[0].exception
    assert back.to_dict()["legal_hints"] == stored["legal_hints"]


def test_without_the_licensed_text_only_title_and_credit_hints():
    case = next(c for c in CASES if c.name.startswith("feature, self-media, uncredited, clickbait"))
    a = assess(case.finding(), [], None)
    assert {h.code for h in a.hints} == {"title_distorted", NO_CREDIT}


# --------------------------------------------------------------------------- the rules, one by one


def test_reservation_statements_and_what_is_not_one():
    assert reservation_statement("正文。\n（本文为江南日报原创，未经授权不得转载）") == (FOUND, "（本文为江南日报原创，未经授权不得转载）")
    assert reservation_statement("版权所有 严禁转载\n" + "正文" * 200)[0] == FOUND
    assert reservation_statement("转载请注明出处。" + "正文" * 100) is None  # permits, with a credit
    assert reservation_statement("欢迎转载") is None
    # a sentence deep inside a long paragraph reports someone else's rule: unsure, never "found"
    body = "正文" * 100 + "该平台规定，用户未经原作者许可不得转载他人作品，违者将被封号。" + "正文" * 100
    assert reservation_statement(body)[0] == UNSURE


def test_title_furniture_and_cuts_are_harmless():
    assert title_change("20日国内金银商品收跌", "【转载】20日国内金银商品收跌 | 北岸网") is None
    assert title_change("老街上的最后一家修表铺", "老街最后一家修表铺") is None
    assert title_change("江宁区新建两所小学", "") is None


def test_title_changes_that_may_distort():
    certainty, params, why = title_change("江南市拟上调出租车起步价", "江南市已上调出租车起步价")
    assert certainty == POSSIBLE and why == ("claim made firmer: 拟 → 已",)
    certainty, _, why = title_change("江南新区房价环比上涨", "江南新区房价环比下跌")
    assert certainty == POSSIBLE and "direction reversed: 涨/跌" in why
    certainty, _, why = title_change("江宁区不再收取停车费", "江宁区收取停车费")
    assert certainty == POSSIBLE and why[0].startswith("negation changed")
    certainty, _, why = title_change("江南市拟上调水价", "江南市不上调水价")
    assert certainty == POSSIBLE and why == ("negation changed: the copy negates 上调、调水、水价",)
    # a negation of something the licensed title does not say is a hook, not a changed claim
    assert title_change("市二院开设记忆门诊 帮助老人早筛早治认知障碍", "二院开设记忆门诊：老人总忘事，可能不只是年纪大了") is None
    # a figure from the article's own text is reporting it, not changing it
    body = "江南马拉松今晨鸣枪，男子组冠军以2小时10分48秒打破赛会纪录。"
    assert title_change("江南马拉松鸣枪 2万名跑者参赛", "2小时10分48秒！江南马拉松赛会纪录被刷新", body) is None
    certainty, _, why = title_change("江南马拉松鸣枪 2万名跑者参赛", "江南马拉松5万人参赛", body)
    assert certainty == POSSIBLE and why == ("figure changed: 2 → 5 (not in the licensed article either)",)
    # a negation character inside another word is not a negation
    assert title_change("江南未来三天多云", "江南未来三天多云 | 北岸网") is None
    # a title rewritten in other words, with no clickbait or changed claim, is no evidence of distortion
    assert title_change("评论：稳就业要在营商环境上下真功夫", "就业的出路在哪里") is None


def test_copier_media_is_never_not_media():
    assert copier_media(["微信公众号 东海晚报"])[0] is True
    assert copier_media(["新华社"], ["新华社"])[0] is True
    assert copier_media(["理财小助手"]) == (None, "理财小助手 is not known to be a media outlet")
    assert copier_media(["某某传媒"])[0] is None  # an MCN's name is not a newsroom's


def test_kinds_and_the_template_family_hook():
    assert article_kind(FLASH.title, FLASH.content).kind == "flash"
    assert article_kind(GOLD.title, GOLD.content).kind == "template"
    assert article_kind(FEATURE.title, FEATURE.content).kind == "report"
    # a family named by the detector makes a template report of text that would not read as one
    text = "江南新区公交集团今日发布公交线路调整通知，新区1路、新区2路自12月1日起调整走向，涉及站点详见附表。"
    assert article_kind("公交线路调整", text).kind == "flash"
    kind = article_kind("公交线路调整", text, family="bus-route-notice")
    assert kind.kind == "template" and kind.family == "bus-route-notice"
    hints = legal_hints(Facts("公交线路调整", text, family="bus-route-notice"))
    assert hints[0].code == FACTUAL_NEWS and hints[0].certainty == POSSIBLE
    assert "template family bus-route-notice" in hints[0].evidence


def test_a_long_report_without_quotes_is_not_called_unprotected():
    text = "江南新区今年新建道路12条。" * 60  # 780 characters of plain facts: longer than a short report
    assert legal_hints(Facts("江南新区建设", text)) == ()


def test_hint_round_trip():
    h = Hint(RESERVATION, FOUND, ("CL2020-35-2",), {"statement": "禁止转载"}, ("禁止转载",))
    assert Hint.from_dict(h.to_dict()) == h and not h.exception
    with pytest.raises(ValueError):
        Hint.from_dict({"code": "licence.none", "rule": "", "evidence": {}})


def test_a_column_label_not_a_word_makes_a_commentary():
    body = FEATURE.content  # long enough not to be a flash
    assert article_kind("（江南时评）别让停车难成为老城更新的短板", body).kind == "commentary"
    assert article_kind("（体育）体育时评：冠军也要守规矩", body).kind == "commentary"
    assert article_kind("一家之言", "社论\n" + body).kind == "editorial"
    # the words as news about something: a forum held, a paper founded
    assert article_kind("（经济）江南民营经济论坛在新区举行", body).kind == "report"
    assert article_kind("《江南观察报》创刊三十周年", body).kind == "report"
    assert article_kind("江南首富评论本地球队：踢得像一盘散沙", body).kind == "report"  # news about a comment
    assert article_kind("江南时评｜老城更新别忘了老人", body).kind == "commentary"
    # an editor's note heads interviews and features as often as opinion
    assert article_kind("一位校长的三十年", "编者按：今天我们请一位老校长讲讲他的故事。\n" + body).kind == "report"


def test_a_market_report_with_causes_is_unsure_not_unprotected():
    figures = GOLD.content
    hints = legal_hints(Facts("20日沪深股指双双收跌", "在利空消息打压的背景下，" + figures))
    assert [(h.code, h.certainty) for h in hints] == [(FACTUAL_NEWS, UNSURE)]
    assert any("背景下" in e for e in hints[0].evidence)


# an invented exam office's notice (texts here are written for the test, not taken from a crawl)
NOTICE_TITLE = "西岭：2027年普通高校招生考试报名须知"
NOTICE = ("根据《西岭省教育考试院关于做好2027年普通高校招生考试报名工作的通知》，现将有关事项通知如下：\n"
          "一、报名条件。凡符合下列条件的人员，均可报名：（一）遵守宪法和法律；（二）高级中等教育学校毕业或具有同等学力；"
          "（三）身体状况符合相关要求。下列人员不得报名：具有高等学历教育资格的高校在校生。\n"
          "二、报名时间。考生应当在规定时间内完成网上报名，逾期不予补报。报名时须按照要求如实填写信息。\n"
          "三、资格审查。各市、县（区）招生办应当依照有关规定审查考生报名资格，对弄虚作假者依法予以处理。\n"
          "四、其他事项。本须知由省教育考试院负责解释，未尽事宜另行通知。")


def test_an_official_document_is_a_possible_exception_and_a_report_on_it_unsure():
    from reprintwatch.complaint.dossier import hint_zh
    from reprintwatch.complaint.rules import EXCLUDED_POSSIBLE_EXCEPTION, exclusion
    from reprintwatch.triage.legal import OFFICIAL_DOCUMENT, official_document

    h = official_document(NOTICE_TITLE, NOTICE)
    assert h.code == OFFICIAL_DOCUMENT and h.certainty == POSSIBLE and h.rules == ("CL2020-5-1",) and h.exception
    assert h.params["issuer"].startswith("《西岭省教育考试院关于") and h.params["clauses"] >= 3
    hints = legal_hints(Facts(NOTICE_TITLE, NOTICE, credit="uncredited"))
    assert [x.code for x in hints][:1] == [OFFICIAL_DOCUMENT]
    # like factual news: set apart from a complaint unless the user includes it, with the article it rests on
    import datetime as dt
    assert exclusion("unauthorised", None, dt.date(2027, 1, 1), hints) == EXCLUDED_POSSIBLE_EXCEPTION
    assert exclusion("unauthorised", None, dt.date(2027, 1, 1), hints, include_exceptions=True) is None
    assert "国家机关的文件" in hint_zh(h) and "《著作权法》（2020）第五条第（一）项" in hint_zh(h)
    # the same notice in a reporter's voice: a report on a document, unsure, never a possible exception
    report = official_document("西岭公布2027年高考报名须知", "记者从西岭省教育考试院获悉，" + NOTICE)
    assert report.certainty == UNSURE and not report.exception and any("记者" in e for e in report.evidence)
    # no state organ issuing: a university's 招生简章 and a firm's 公告 are protected like any text
    assert official_document("西岭大学2027年硕士研究生招生简章", NOTICE) is None
    assert official_document("西岭股份有限公司关于召开股东大会的公告", NOTICE.replace("省教育考试院", "公司董事会")) is None
    # prose without the register is no document, whatever its title says
    assert official_document("财政部：明年减税", "财政部今天宣布明年继续减税降费，企业普遍欢迎。" * 8) is None
    # a commentary on a notice is a commentary: no official-document hint
    assert OFFICIAL_DOCUMENT not in {x.code for x in legal_hints(Facts("【社论】" + NOTICE_TITLE, NOTICE))}


def test_an_official_document_signed_at_its_end_names_its_issuer():
    """A document naming no 《…》 and no title head is still a state organ's when it signs with the organ's name
    after its last sentence (a date of issue after it); a report's credit line or a university's office is not."""
    from reprintwatch.triage.legal import official_document

    body = NOTICE.split("\n", 1)[1]  # the clauses, without the sentence naming 《…的通知》
    title = "西岭2027年高考报名须知公布 考生应当按时报名"
    assert official_document(title, body) is None  # no issuer anywhere: no hint (as before)
    h = official_document(title, body + "\n西岭省教育考试院 西岭省教育厅\n2026年10月20日")
    assert h.certainty == POSSIBLE and h.params["issuer"] == "西岭省教育考试院 西岭省教育厅"
    assert official_document(title, body + "西岭省教育考试院2026年10月").params["issuer"] == "西岭省教育考试院"
    assert official_document(title, body + "\n来源：西岭省教育考试院") is None  # a credit, not a signature
    assert official_document(title, body + "\n西岭大学研究生招生办公室") is None  # no state organ
    assert official_document(title, body + "\n考生可登录西岭省教育考试院网站查询有关政策") is None  # prose


def test_official_documents_in_real_news():
    """The Sina crawl's 财政部 tax notice and the provinces' exam notices read as documents; Xinhua's 1,000
    stories (reports on documents, in a reporter's voice) never get a possible official-document hint."""
    import json

    from conftest import SHARED_RAW
    from reprintwatch.triage.legal import official_document

    sina = {}
    for path in sorted((SHARED_RAW / "sina-news-2018").glob("*.jsonl")):
        for line in path.open(encoding="utf-8"):
            d = json.loads(line)
            sina[d["id"]] = d
    xinhua = SHARED_RAW / "xinhua-uhgeval-1000" / "xinhua_articles.jsonl"
    if not sina or not xinhua.exists():
        pytest.skip(f"{SHARED_RAW} not found (the shared research data sits beside the repository)")
    # ... and signed at the end: 广西's 2019 高考方案, 湖北's 报名 notice, 国家公务员局's 公告 (issuer in no 《…》, no title head)
    for sid in ("sina2018-762dc3d659da", "sina2018-2215007299bb", "sina2018-fdb18aaf2830", "sina2018-188889966be4",
                "sina2018-b05e6f1b416f", "sina2018-1b5c3eab7472", "sina2018-89ef2949d032"):
        h = official_document(sina[sid]["title"], sina[sid]["text"])
        assert h is not None and h.certainty == POSSIBLE, (sid, h)
    # a university's 简章 and a tutoring firm's 国考 tally have the register, not a state organ's voice
    for sid in ("sina2018-fe92cbdc8839", "sina2018-329d575c621a"):
        assert official_document(sina[sid]["title"], sina[sid]["text"]) is None, sid
    for line in xinhua.open(encoding="utf-8"):
        d = json.loads(line)
        h = official_document(d.get("headline", ""), d.get("text", ""))
        assert h is None or h.certainty == UNSURE, (d["id"], h)
