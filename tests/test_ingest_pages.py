"""Real page structures (tests/page_corpus.py, our own text): one test per failure class of issue 14.

WeChat pages recognised by markup wherever they come from; the full WeChat field set on 2017–2025 variants;
notices inside script-heavy pages; too-short bodies; titles; times to the minute; outlets of saved pages;
bodies without junk and never missing text; lone surrogates; the fetched URL as identity."""
from __future__ import annotations

import io
import json

import pytest
from click.testing import CliRunner

from page_corpus import CORPUS, Case

from reprintwatch.cli import cli
from reprintwatch.ingest.extract import extract_page
from reprintwatch.ingest.notices import removal_notice
from reprintwatch.ingest.page import extract_bytes, outlet_of, to_article

WECHAT = {k: v for k, v in CORPUS.items() if v.family == "wechat"}
NOTICES = {k: v for k, v in CORPUS.items() if v.truth.get("status") == "removed"}
NEWS = {k: v for k, v in CORPUS.items() if v.family == "news"}
ARTICLES = {**WECHAT, **NEWS}


def read(case: Case):
    return extract_page(case.page, case.url)


def check_body(case: Case, content: str):
    for line in case.truth["content"].split("\n"):
        assert line in content, f"article text missing: {line[:30]}…"
    for junk in case.truth.get("junk", []):
        assert junk not in content, f"junk kept: {junk}"


# --- WeChat recognised by markup, wherever it comes from ------------------------------------------------
def test_js_content_really_is_deep_in_the_modern_page():
    page = CORPUS["wechat-2023-js_content-at-1.5MB"].page
    assert page.find('id="js_content"') > 1_500_000 and "#js_content" in page[:1000]  # a CSS mention up front


@pytest.mark.parametrize("url", ["", "http://127.0.0.1:8000/saved/a.html", "file:///crawl/a.html",
                                 "https://mp.weixin.qq.com/s/AbC"])
def test_wechat_markup_recognised_whatever_the_url(url):
    case = CORPUS["wechat-2023-js_content-at-1.5MB"]
    e = extract_page(case.page, url)
    assert (e.platform, e.status, e.account, e.published_at) == ("wechat", "ok", "北坡乡里事", case.truth["published_at"])
    assert "已有 3.2万" not in e.content and e.content.startswith("初冬时节")  # the article, not the profile card


def test_wechat_markup_recognised_in_a_local_directory_and_a_warc(tmp_path):
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    from reprintwatch.ingest.local import iter_local

    case = CORPUS["wechat-2023-js_content-at-1.5MB"]
    body = case.page.encode("utf-8")
    (tmp_path / "saved.html").write_bytes(body)
    with open(tmp_path / "crawl.warc.gz", "wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record("https://mp.weixin.qq.com/s/WaRc", "response",
                                                      payload=io.BytesIO(body), http_headers=headers))
    items = list(iter_local(tmp_path, 10 * 1024 * 1024))
    assert len(items) == 2
    for item in items:
        e = extract_bytes(item.body, item.content_type, item.final_url)
        assert (e.platform, e.account) == ("wechat", "北坡乡里事")
    warc = [extract_bytes(i.body, i.content_type, i.final_url) for i in items if i.url.startswith("https")][0]
    assert warc.biz == "MzkzNjAwMDAyMw=="  # served by mp.weixin.qq.com: the account id is real


# --- the WeChat field set, 2017–2025 --------------------------------------------------------------------
@pytest.mark.parametrize("name", sorted(WECHAT))
def test_wechat_fields(name):
    case = WECHAT[name]
    e = read(case)
    want = case.truth
    assert (e.platform, e.status) == ("wechat", "ok")
    got = {"title": e.title, "account": e.account, "biz": e.biz, "author": e.author,
           "published_at": e.published_at, "original": e.original_flag, "source_link": e.source_link}
    assert {k: v for k, v in got.items() if k in want} == {k: want[k] for k in got if k in want}
    check_body(case, e.content)


def test_biz_only_from_real_wechat_pages():
    case = CORPUS["wechat-2017-classic"]
    assert extract_page(case.page, "https://mp.weixin.qq.com/s/x").biz == "MzA3MDAwMDAxNw=="
    mirrored = extract_page(case.page, "https://aggregator.example.com/copy/1")
    assert mirrored.biz == "" and mirrored.account == "东湖城事通"  # the name is evidence, the id is not claimed
    assert extract_page(case.page, "").biz == "MzA3MDAwMDAxNw=="  # a saved page whose og:url is WeChat's


# --- notices, whatever scripts surround them ------------------------------------------------------------
@pytest.mark.parametrize("name", sorted(NOTICES))
def test_notices_in_script_heavy_pages(name):
    case = NOTICES[name]
    assert len(case.page) > 20_000  # ~20 K of inline script around a one-line notice
    e = read(case)
    assert (e.status, e.notice, e.content) == ("removed", case.truth["notice_kind"], "")
    notice = removal_notice(case.page)  # the pure function `recheck` calls
    assert notice is not None and notice.kind == case.truth["notice_kind"] and notice.text in case.page


def test_an_article_quoting_a_notice_is_an_article():
    case = CORPUS["wechat-2024-saved-static-time"]
    assert "该内容已被发布者删除" in case.page and removal_notice(case.page) is None
    assert read(case).status == "ok"


def test_a_short_wechat_article_quoting_a_notice_is_an_article():
    body = "读者来信说，上周转发的那篇文章现在打开显示链接已过期，我们核实后发现是原作者调整了发布设置，现重新整理发布如下，请大家放心阅读。"
    page = (f'<html><body><h1 id="activity-name">说明</h1><div id="js_content"><p>{body}</p></div>'
            f'<script>var ct = "1709620200";</script></body></html>')
    assert removal_notice(page) is None
    e = extract_page(page, "https://mp.weixin.qq.com/s/x")
    assert e.status == "ok" and "链接已过期" in e.content


def test_a_notice_phrase_inside_scripts_only_is_not_a_notice():
    page = CORPUS["news-banner-h1-text-time"].page.replace("</head>", "<script>var m='此内容因违规无法查看';</script></head>")
    assert removal_notice(page) is None and extract_page(page, "").status == "ok"


def test_too_short_body_is_an_outcome_not_an_article():
    e = read(CORPUS["too-short"])
    assert e.status == "too_short" and e.content == "" and "fewer than" in e.reason
    with pytest.raises(Exception, match="fewer than"):
        to_article(e, CORPUS["too-short"].url)


# --- titles, times, outlets, bodies ---------------------------------------------------------------------
@pytest.mark.parametrize("name", sorted(NEWS))
def test_news_title(name):
    assert read(NEWS[name]).title == NEWS[name].truth["title"]


@pytest.mark.parametrize("name", sorted(NEWS))
def test_news_time_to_the_minute(name):
    assert read(NEWS[name]).published_at == NEWS[name].truth["published_at"]


@pytest.mark.parametrize("name", sorted(NEWS))
def test_news_outlet(name):
    case = NEWS[name]
    assert outlet_of(read(case), case.url) == case.truth["outlet"]


@pytest.mark.parametrize("name", sorted(n for n in NEWS if "author" in NEWS[n].truth))
def test_news_author(name):
    assert read(NEWS[name]).author == NEWS[name].truth["author"]


@pytest.mark.parametrize("name", sorted(NEWS))
def test_news_body_complete_and_without_junk(name):
    check_body(NEWS[name], read(NEWS[name]).content)


def test_claimed_canonical_is_kept_apart_never_identity():
    case = CORPUS["news-saved-publisher"]
    e = extract_page(case.page, "https://copycat.example.net/p/77")
    assert e.canonical_url == case.truth["claimed_url"] and e.url == "https://copycat.example.net/p/77"
    article = to_article(e, "https://copycat.example.net/p/77")
    assert article.url == "https://copycat.example.net/p/77" and article.outlet == "copycat.example.net"


# --- lone surrogates never reach the store --------------------------------------------------------------
def test_lone_surrogates_do_not_crash_the_store_or_block_later_runs(tmp_path):
    from ingest_site import build_licensed_index

    from reprintwatch import Detector, SQLiteIndex
    from reprintwatch.ingest.runner import Runner
    from reprintwatch.ingest.sources import load_sources
    from reprintwatch.store import Store

    crawl = tmp_path / "crawl"
    crawl.mkdir()
    (crawl / "surrogates.html").write_text(CORPUS["wechat-2025-lone-surrogates"].page, encoding="utf-8")
    (crawl / "later.html").write_text(CORPUS["wechat-2017-classic"].page, encoding="utf-8")
    sources = tmp_path / "s.toml"
    sources.write_text("[[source]]\nname = 'crawl'\ntype = 'local'\npath = 'crawl'\n", encoding="utf-8")
    index = SQLiteIndex(build_licensed_index(tmp_path / "licensed.db"))
    try:
        with Store(tmp_path / "store.db") as store:
            counters = Runner(store, Detector(index), load_sources(sources)).run_once()
            assert counters.new == 2 and counters.errors == 0
            title, account = store.conn.execute(
                "SELECT title, account FROM suspects WHERE url LIKE '%/crawl/surrogates.html'").fetchone()
            assert title == "夜航首班今晚启航" and account == "🌊南港发布"
            again = Runner(store, Detector(index), load_sources(sources)).run_once()
            assert again.errors == 0 and store.counts()["suspects"] == 2
    finally:
        index.close()


# --- reprintwatch extract -------------------------------------------------------------------------------
def test_extract_command_json_and_text(tmp_path):
    case = CORPUS["wechat-2021-saved"]
    path = tmp_path / "saved.html"
    path.write_text(case.page, encoding="utf-8")
    result = CliRunner().invoke(cli, ["extract", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert {"status", "title", "outlet", "account", "author", "published_at", "url", "content"} <= set(record)
    assert (record["status"], record["account"], record["account_id"], record["url"]) == \
        ("ok", "南港发布", "MzU1NTAwMDAyMQ==", None)
    assert record["published_at"] == case.truth["published_at"]
    text = CliRunner().invoke(cli, ["extract", "-"], input=CORPUS["news-broken-og-byline"].page)
    assert text.exit_code == 0 and "title:        他说“不”之后的三年：一位果农的转型路" in text.output
    assert CliRunner().invoke(cli, ["extract", "-", "--format", "json"], input=CORPUS["news-saved-publisher"].page
                              ).output.count('"account": null') == 1
    removed = json.loads(CliRunner().invoke(cli, ["extract", "-", "--format", "json"],
                                            input=CORPUS["notice-expired"].page).stdout)
    assert (removed["status"], removed["notice"], removed["content"]) == ("removed", "expired", None)


def test_extract_command_url_and_errors(site):
    ok = CliRunner().invoke(cli, ["extract", site.base + "/redirect-to-page", "--format", "json"])
    record = json.loads(ok.stdout)
    assert ok.exit_code == 0 and record["url"] == site.base + "/news/2026/autumn-games.html"
    gone = CliRunner().invoke(cli, ["extract", site.base + "/news/2026/gone.html", "--format", "json"])
    assert gone.exit_code == 1 and json.loads(gone.stdout)["fetch_error"] == "http"
    assert CliRunner().invoke(cli, ["extract", "ftp://x/y"]).exit_code == 1
    assert CliRunner().invoke(cli, ["extract", "missing.html"]).exit_code == 1


def test_extract_text_output_is_terminal_safe():
    page = CORPUS["news-banner-h1-text-time"].page.replace("晚稻示范片亩产创新高</h2>", "晚稻示范片\x1b]8;;evil\x07亩产\u202e创新高</h2>")
    out = CliRunner().invoke(cli, ["extract", "-"], input=page).output
    assert "\x1b" not in out and "\u202e" not in out and "\x07" not in out


@pytest.mark.parametrize("tag, title", [
    ('<meta property="og:title" content="他说"不"之后的三年" />', '他说"不"之后的三年'),
    ('<meta content="他说"不"之后" property="og:title">', '他说"不"之后'),
    ("<meta property='og:title' content='一个标题'/>", "一个标题"),
    ('<meta property="og:title" content="' + 'a="b" ' * 16000 + ' x>', ""),  # hostile: given up, not hung on
])
def test_broken_og_title_attributes_are_read_as_written(tag, title):
    from reprintwatch.ingest.extract import _raw_og_title

    assert _raw_og_title(tag) == title


@pytest.mark.parametrize("head, outlet", [
    ('<meta property="og:site_name" content="东湖网">', "东湖网"),
    ('<script type="application/ld+json">{"@type": "NewsArticle", "publisher": {"name": "西岭融媒"}}</script>', "西岭融媒"),
    ('<link rel="canonical" href="https://www.nangang.example.org/a/1.html">', "www.nangang.example.org"),
    ("", ""),
])
def test_outlet_of_a_saved_page_from_its_metadata(head, outlet):
    body = "".join(f"<p>{line}</p>" for line in CORPUS["news-saved-publisher"].truth["content"].split("\n"))
    page = f"<html><head><title>石门镇建成烘干中心</title>{head}</head><body><h1>石门镇建成烘干中心</h1>{body}</body></html>"
    e = extract_page(page, "")
    assert e.status == "ok" and outlet_of(e, "") == outlet
