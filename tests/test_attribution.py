"""Attribution on realistic copies (texts written for these tests): credited, uncredited, stripped
dateline/byline, wrong outlet credited, original URL, traditional characters."""
from __future__ import annotations

import pytest

from reprintwatch.triage.attribution import (
    CREDITED,
    CREDITED_OTHER,
    UNCREDITED,
    attribute,
    credit_outlet,
    find_credits,
    same_outlet,
)

BODY = (
    "记者2日从江南省水利厅获悉，今年汛期全省水库累计拦蓄洪水12.6亿立方米，有效减轻了下游防洪压力。"
    "水利厅有关负责人表示，下一步将加快病险水库除险加固，确保明年汛前全部完工。\n"
    "据介绍，全省已建成水雨情自动测报站点3200余个，基本实现重点区域监测全覆盖。"
)
WIRE = "新华社南京11月2日电（记者 王小明、李华）" + BODY
PAPER = "本报讯 通讯员 赵一鸣\n" + BODY + "\n记者 孙立新\n责任编辑：刘五"


def test_source_line_credits_the_licensed_outlet():
    copy = "来源：新华社\n" + BODY + "\n点击上方蓝字关注我们"
    a = attribute(copy, "新华社", licensed_text=WIRE)
    assert a.status == CREDITED and a.matches_licensed_outlet
    assert a.credited_outlets == ("新华社",)
    # the credit line is found where it is in the copy
    credit = next(c for c in a.credits if c.kind == "source")
    assert copy[credit.start : credit.end] == "来源：新华社"
    # the licensed text has a dateline with reporters; this copy dropped both
    assert a.licensed_marks == ("dateline", "byline") and a.stripped == ("dateline", "byline")


def test_kept_dateline_is_a_credit_and_nothing_is_stripped():
    a = attribute("转发一篇好文章。\n" + WIRE, "新华社", licensed_text=WIRE)
    assert a.status == CREDITED and a.credited_outlets == ("新华社",)
    assert a.stripped == ()


def test_uncredited_copy_with_stripped_dateline_and_byline():
    a = attribute("今天给大家分享一个好消息！\n" + BODY, "新华社", licensed_text=WIRE)
    assert a.status == UNCREDITED and not a.matches_licensed_outlet
    assert a.credited_outlets == () and a.stripped == ("dateline", "byline")
    assert a.summary() == "no credit; stripped dateline and byline"


def test_only_byline_stripped():
    copy = "新华社南京11月2日电 " + BODY  # dateline kept, reporters cut
    a = attribute(copy, "新华社", licensed_text=WIRE)
    assert a.status == CREDITED and a.stripped == ("byline",)


def test_byline_on_its_own_line_counts():
    a = attribute(BODY, "江南日报", licensed_text=PAPER)
    assert "byline" in a.licensed_marks and a.stripped == ("dateline", "byline")


def test_wrong_outlet_credited():
    copy = "来源：人民网\n" + BODY
    a = attribute(copy, "新华社", licensed_text=WIRE)
    assert a.status == CREDITED_OTHER and a.credited_outlets == ("人民网",) and not a.matches_licensed_outlet
    assert "another outlet" in a.summary()


@pytest.mark.parametrize(
    "line, outlet",
    [
        ("转载自南方日报", "南方日报"),
        ("本文转自：“南方日报”", "南方日报"),
        ("文章来源：南方日报客户端", "南方日报客户端"),
        ("稿源｜南方日报", "南方日报"),
        ("來源：南方日報", "南方日报"),  # traditional characters, full-width colon
    ],
)
def test_credit_phrasings(line, outlet):
    a = attribute(line + "\n" + BODY, "南方日报")
    assert a.status == CREDITED, a.credits
    assert outlet in a.credited_outlets


def test_wechat_account_credit():
    a = attribute("本文来自微信公众号“南方日报”\n" + BODY, "南方日报")
    assert a.status == CREDITED
    assert [c.kind for c in a.credits if c.outlet] == ["account"]
    b = attribute("本文来自微信公众号“江南观察”\n" + BODY, "南方日报")
    assert b.status == CREDITED_OTHER and b.credited_outlets == ("江南观察",)


def test_original_title_is_found_but_names_no_outlet():
    a = attribute("原标题：江南省汛期水库拦洪12.6亿立方米\n" + BODY, "新华社")
    assert [c.kind for c in a.credits] == ["original_title"]
    assert a.status == UNCREDITED


def test_original_url_credits_the_licensed_site():
    copy = BODY + "\n原文链接：https://www.nfdaily.example/content/2026-11/02/c_1001.html"
    a = attribute(copy, "南方日报", licensed_url="https://nfdaily.example/content/2026-11/02/c_1001.html")
    assert a.status == CREDITED and a.original_url.endswith("c_1001.html")
    other = attribute(BODY + "\n原文：https://copycat.example/x", "南方日报", licensed_url="https://nfdaily.example/1")
    assert other.status == UNCREDITED and other.original_url is None


def test_read_more_link_counts_as_url_credit():
    a = attribute(BODY, "南方日报", licensed_url="https://nfdaily.example/1", links=("https://m.nfdaily.example/1",))
    assert a.status == CREDITED


def test_no_licensed_text_means_no_stripped_check():
    a = attribute(BODY, "新华社")
    assert a.stripped == () and a.licensed_marks == ()


@pytest.mark.parametrize(
    "a, b, same",
    [
        ("新华社", "新华社", True),
        ("新华网", "新华社", True),
        ("新华社客户端", "新华社", True),
        ("新華社", "新华社", True),
        ("人民网", "人民日报", True),
        ("南方日报社", "南方日报", True),
        ("“南方日报”微信公众号", "南方日报", True),
        ("南方都市报", "南方日报", False),
        ("人民网", "新华社", False),
        ("", "新华社", False),
    ],
)
def test_same_outlet(a, b, same):
    assert same_outlet(a, b) is same


@pytest.mark.parametrize(
    "kind, text, outlet",
    [
        ("dateline", "新华社北京11月2日电", "新华社"),
        ("dateline", "中新网上海3月4日讯", "中新网"),
        ("dateline", "南方日报广州11月1日讯（记者 陈晓峰）", "南方日报"),
        ("dateline", "本报讯（记者 张三）", None),
        ("source", "来源：新华社 作者：李四", "新华社"),
    ],
)
def test_credit_outlet(kind, text, outlet):
    assert credit_outlet(kind, text) == outlet


def test_credits_are_in_text_order_with_original_offsets():
    copy = "原标题：水库拦洪\n来源：新华社\n" + WIRE + "\n原文：http://www.xinhua.example/a.htm"
    credits = find_credits(copy)
    assert [c.kind for c in credits] == ["original_title", "source", "dateline", "byline", "url"]
    for c in credits:
        assert copy[c.start : c.end] == c.text


def test_instructions_are_not_credits():
    a = attribute(BODY + "\n转载请联系后台授权。", "新华社")
    assert a.status == UNCREDITED and a.credited_outlets == ()


def test_obfuscated_dateline_still_names_the_outlet():
    copy = "新·华·社南京１１月２日电（记者 王​小明、李华）" + BODY  # separators, full-width digits, zero-width space
    a = attribute(copy, "新华社", licensed_text=WIRE)
    assert a.status == CREDITED and a.credited_outlets == ("新华社",) and a.stripped == ()


def test_traditional_copy_keeps_its_byline():
    copy = "本報訊（記者 蘇晴 通訊員 馬駿）" + BODY
    a = attribute(copy, "江南日报", licensed_text="本报讯（记者 苏晴 通讯员 马骏）" + BODY)
    assert a.stripped == ()
