"""Daily and coverage reports on the sample store: judgements, counts, grouping, formats, escaping."""
from __future__ import annotations

import csv
import datetime as dt
import io
import json

import lxml.html
import pytest

from report_sample import COPIES, EXPECTED, REPORT_DAY, build_sample, cli_runner
from reprintwatch.index import SQLiteIndex
from reprintwatch.store import Store
from reprintwatch.report import coverage_report, daily_report, render
from reprintwatch.triage.assess import first_publication
from reprintwatch.report.html import highlight, merge_spans, safe_link
from reprintwatch.report.render import render_csv


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    return build_sample(tmp_path_factory.mktemp("sample"))


@pytest.fixture(scope="module")
def daily(sample):
    with Store(sample.settings.store, create=False) as store, SQLiteIndex(sample.settings.db, create=False) as index:
        return daily_report(store, store.licences(), index, dt.date.fromisoformat(REPORT_DAY))


@pytest.fixture
def run(sample, monkeypatch):
    return cli_runner(sample, monkeypatch)


def by_key(report, sample):
    keys = {v: k for k, v in sample.finding_ids.items()}
    return {keys[a.finding["finding_id"]]: a for a in report.assessments}


def test_each_case_is_judged_right(daily, sample):
    found = by_key(daily, sample)
    assert set(found) == set(EXPECTED)  # the two earlier-day findings are not in this day's report
    for key, (status, attribution, stripped) in EXPECTED.items():
        a = found[key]
        assert (a.status, a.attribution.status, a.attribution.stripped) == (status, attribution, stripped), key
    assert found["s3-licensed"].decision.licence.reprinter == "partner-news.example"
    assert "verbatim" in found["s4-edited"].decision.reason
    assert "ended 2026-10-31" in found["s7-expired"].decision.reason
    assert found["s5-earlier"].first_publication == "suspect_first"
    assert not found["s5-earlier"].infringement and found["s1-stripped"].infringement
    assert found["s6-hostile"].attribution.credited_outlets == ("人民网",)


def test_summary_counts_and_grouping(daily):
    s = daily.summary
    assert (s["findings"], s["unauthorised"], s["authorised"], s["published_first"]) == (7, 5, 1, 1)
    assert s["unauthorised_but_credited"] == 4  # s2, s4, s6, s7: a credit is not a licence
    # …counted apart: s6 credits 人民网, not the licensed 江南晚报
    assert (s["unauthorised_crediting_licensed_outlet"], s["unauthorised_crediting_another_outlet"]) == (3, 1)
    assert s["stripped_dateline_or_byline"] == 3
    assert s["by_platform"] == {"feed": 1, "web": 4, "wechat": 2}
    groups = {g.label: g.counts for g in daily.groups}
    assert groups["www.partner-news.example"] == {"findings": 2, "unauthorised": 1, "authorised": 1, "published_first": 0}
    assert groups["微信公众号 江南观察"]["findings"] == 1
    assert len(groups) == s["reprinters"] == 6
    # groups with most unauthorised copies first; within a group unauthorised before authorised
    assert [g.counts["unauthorised"] for g in daily.groups] == sorted((g.counts["unauthorised"] for g in daily.groups), reverse=True)
    partner = next(g for g in daily.groups if g.label == "www.partner-news.example")
    assert [a.status for a in partner.assessments] == ["unauthorised", "authorised"]


def test_chart_counts_days_and_platforms(daily):
    chart = daily.chart
    assert chart["days"][-1] == REPORT_DAY and len(chart["days"]) == 14
    assert chart["counts"]["2026-10-30"] == {"feed": 0, "web": 1, "wechat": 0}
    assert chart["counts"]["2026-10-31"]["wechat"] == 1
    assert chart["counts"][REPORT_DAY] == {"feed": 1, "web": 4, "wechat": 2}


def test_html_escapes_hostile_page_text(daily):
    page = render(daily, "html")
    assert page.startswith("<!DOCTYPE html>")
    assert "<script" not in page.lower()  # none of ours, none of theirs
    assert "&lt;script&gt;document.title=&quot;PWNED&quot;" in page  # the hostile title and body, shown as text
    assert "<img" not in page and "&lt;img src=x onerror=" in page
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    # no network: no external resources of any kind
    tree = lxml.html.document_fromstring(page)
    assert not tree.xpath("//@src") and not tree.xpath("//link") and not tree.xpath("//iframe")
    assert all(h.startswith(("#", "http://", "https://")) for h in tree.xpath("//a/@href"))
    # the hostile script is text inside the copy's panel, not an element
    copies = [t.text_content() for t in tree.xpath("//div[contains(@class,'copy')]")]
    assert any('<script>document.title="PWNED"' in c for c in copies)


def test_html_side_by_side_highlights_copied_passages(daily, sample):
    page = render(daily, "html")
    tree = lxml.html.document_fromstring(page)
    fid = sample.finding_ids["s4-edited"]
    article = tree.xpath(f"//article[@id='f{fid}']")[0]
    licensed = "".join(m.text_content() for m in article.xpath(".//div[contains(@class,'licensed')]//mark"))
    copy = "".join(m.text_content() for m in article.xpath(".//div[contains(@class,'copy')]//mark"))
    # the copy took paragraphs 2 and 3: both sides highlight them, not the untouched first paragraph
    for phrase in ("获取海水、沉积物和生物样品一万余份", "被誉为“移动的海上实验室"):
        assert phrase in licensed and phrase in copy
    assert "顺利返回青岛母港" not in licensed
    assert "小编说" not in copy
    facts = article.text_content()
    assert "licence #2 allows verbatim reprints only" in facts
    assert "stripped the licensed article's dateline and byline" in facts
    assert "Evidence SHA-256" in facts


def test_html_summary_first_then_a_section_per_reprinter(daily):
    tree = lxml.html.document_fromstring(render(daily, "html"))
    who = tree.xpath("//h3[.='Who copied most']/following-sibling::table[1]/tbody/tr")
    assert [r.xpath("td")[0].text_content() for r in who] == [g.label for g in daily.groups]
    # each name links to its section of the findings table
    assert [r.xpath("td/a/@href")[0] for r in who] == [f"#g{i}" for i in range(1, len(daily.groups) + 1)]
    assert [s.xpath("h3")[0].text_content() for s in tree.xpath("//section[@class='grp']")] == [g.label for g in daily.groups]
    assert len(tree.xpath("//tr[contains(@class,'finding-row')]")) == 7
    # a small report carries the side-by-side texts in collapsed <details>
    assert len(tree.xpath("//details[not(@open)]//article[contains(@class,'finding')]")) == 7
    headline = tree.xpath("//p[contains(@class,'headline')]")[0].text_content()
    assert headline.startswith("5 of 7 findings are unauthorised") and daily.groups[0].label in headline


def test_json_and_csv_through_the_cli(run, tmp_path):
    out = tmp_path / "daily.json"
    r = run("report", "daily", "--date", REPORT_DAY, "--format", "json", "--output", str(out))
    assert r.exit_code == 0, r.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["summary"]["findings"] == 7 and data["summary"]["unauthorised"] == 5
    assert sum(len(g["findings"]) for g in data["groups"]) == 7
    statuses = {f["suspect_url"]: f["status"] for g in data["groups"] for f in g["findings"]}
    assert statuses["https://feeds.earlybird.example/item/55"] == "published_first"

    r = run("report", "daily", "--date", REPORT_DAY, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(r.output)))
    assert len(rows) == 7
    hostile = next(row for row in rows if row["reprinter"] == "evil.example")
    assert hostile["status"] == "unauthorised" and hostile["credited_outlets"] == "人民网"
    assert hostile["suspect_title"].startswith("<script>")  # CSV is data: kept as is, not HTML


def test_csv_cells_cannot_start_formulas(daily):
    import dataclasses

    a = daily.assessments[0]
    hostile = dataclasses.replace(a, finding=dataclasses.replace(a.finding, title='=HYPERLINK("http://evil.example","click")'))
    daily = dataclasses.replace(daily, groups=[dataclasses.replace(daily.groups[0], assessments=[hostile])])
    text = render_csv(daily)
    assert "'=HYPERLINK" in text and "\n=HYPERLINK" not in text and ",=HYPERLINK" not in text


def test_html_report_through_the_cli(run, tmp_path):
    out = tmp_path / "r.html"
    r = run("report", "daily", "--date", REPORT_DAY, "--output", str(out))
    assert r.exit_code == 0 and out.read_text(encoding="utf-8").count("<article class=\"finding") == 7


def test_empty_day(run):
    r = run("report", "daily", "--date", "2026-01-01", "--format", "json")
    data = json.loads(r.output)
    assert data["summary"]["findings"] == 0 and data["groups"] == []
    r = run("report", "daily", "--date", "2026-01-01")
    assert "No findings." in r.output


def test_coverage_report(sample):
    with Store(sample.settings.store, create=False) as store, SQLiteIndex(sample.settings.db, create=False) as index:
        rep = coverage_report(store, store.licences(), "新华社", index)
        assert [g.key for g in rep.groups] == ["xh-2002"]
        reprinters = sorted(a.reprinter.label() for a in rep.groups[0].assessments)
        assert reprinters == ["www.partner-news.example", "微信公众号 江南观察", "微信公众号 江南观察", "微信公众号 海风资讯"]
        assert rep.summary["articles_reprinted"] == 1 and rep.summary["articles_in_index"] == 1
        assert rep.summary["unauthorised"] == 4
        later = coverage_report(store, store.licences(), "新华社", index, since=dt.date(2026, 10, 30))
        assert later.groups == []  # the article is from 10-29


def test_coverage_through_the_cli(run):
    r = run("coverage", "--outlet", "江南晚报", "--format", "json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    assert [g["licensed_id"] for g in data["groups"]] == ["jn-3003"]
    assert sorted(f["status"] for f in data["groups"][0]["findings"]) == ["published_first", "unauthorised"]
    r = run("coverage", "--outlet", "江南晚报", "--since", "2026-10-30")
    assert r.exit_code == 0 and "老城区百年骑楼街完成修缮" in r.output
    assert "&lt;script&gt;" in r.output and "<script" not in r.output


def test_missing_store_and_index_are_clear(run, tmp_path, monkeypatch):
    monkeypatch.setenv("REPRINTWATCH_DB", str(tmp_path / "nope.db"))
    # a report that cannot be right fails: without the licensed texts stripped datelines go uncounted
    for command in (("report", "daily", "--date", REPORT_DAY, "--format", "json"),
                    ("coverage", "--outlet", "新华社", "--format", "json")):
        r = run(*command)
        assert r.exit_code == 3 and "no licensed index" in r.output and "Traceback" not in r.output
    monkeypatch.setenv("REPRINTWATCH_STORE", str(tmp_path / "none.db"))
    r = run("report", "daily", "--date", REPORT_DAY)
    assert r.exit_code == 3 and "no store" in r.output and "Traceback" not in r.output
    assert not (tmp_path / "none.db").exists()
    r = run("report", "daily", "--date", "yesterday")
    assert r.exit_code == 2 and "not a date" in r.output


def test_report_without_licensed_index_says_so(sample):
    with Store(sample.settings.store, create=False) as store:
        rep = daily_report(store, [], None, dt.date.fromisoformat(REPORT_DAY))
    page = render(rep, "html")
    assert "licensed text unavailable" in page and rep.summary["authorised"] == 0


# --- small pieces ---------------------------------------------------------------------------------------


def test_highlight_merges_clips_and_escapes():
    text = "a<b>c&d e\"f"
    assert merge_spans([(5, 9, 2), (0, 3, 1), (2, 6, 3), (20, 30, 4)], len(text)) == [(0, 9, 1)]
    out = highlight(text, [(1, 4, 1)])
    assert out == 'a<mark data-passage="1" title="copied passage 1">&lt;b&gt;</mark>c&amp;d e&quot;f'
    assert "more characters not shown" in highlight("x" * 50, [], limit=10)


def test_safe_link_only_for_http():
    assert safe_link("javascript:alert(1)", "x") == "x"
    assert "href" not in safe_link("data:text/html,<script>", "y")
    assert safe_link('https://a.example/?q="><script>', "t").startswith('<a href="https://a.example/?q=&quot;&gt;&lt;script&gt;"')


@pytest.mark.parametrize(
    "suspect, licensed, order",
    [
        ("2026-11-01T09:00:00+08:00", "2026-11-01T10:00:00+08:00", "suspect_first"),
        ("2026-11-01T00:30:00Z", "2026-11-01T09:00:00", "suspect_first"),  # naive = UTC+8: 09:00 = 01:00Z
        ("2026-11-01T01:30:00Z", "2026-11-01T09:00:00", "licensed_first"),
        ("2026-10-31", "2026-11-01T10:00:00+08:00", "suspect_first"),
        ("2026-11-01", "2026-11-01T10:00:00+08:00", "unknown"),  # same day, no time
        ("2026-11-02", "2026-11-01", "licensed_first"),
        (None, "2026-11-01", "unknown"),
        ("not a date", "2026-11-01", "unknown"),
    ],
)
def test_first_publication(suspect, licensed, order):
    assert first_publication(suspect, licensed)[0] == order


def test_text_format_is_terminal_safe(daily, sample):
    import dataclasses

    a = daily.assessments[0]
    hostile = dataclasses.replace(a, finding=dataclasses.replace(
        a.finding, licensed_outlet="南方日报\x1b[2J\x1b]0;owned\x07\u202e"))
    groups = [dataclasses.replace(g, assessments=[hostile if x is a else x for x in g.assessments])
              for g in daily.groups]
    text = render(dataclasses.replace(daily, groups=groups), "text")
    assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text
    assert "南方日报\\x1b[2J\\x1b]0;owned\\x07\\u202e" in text  # shown, harmlessly
    assert text.startswith("Reprint report for 2026-11-02 · days in Asia/Shanghai (UTC+08:00)\n7 findings: 5 unauthorised, 1 authorised, 1 published")
    assert "licence #2 allows verbatim reprints only" in text
    assert "first publication: the copy was published" in text



def test_html_format_shows_bidi_overrides_and_controls_harmlessly(daily, sample):
    """Issue 21 (found while probing dossiers): a U+202E in a name reversed the rest of its line in HTML."""
    import dataclasses

    a = daily.assessments[0]
    hostile = dataclasses.replace(a, finding=dataclasses.replace(
        a.finding, licensed_outlet="南方日报\x1b[2J\u202e\u2066<b>x</b>"))
    groups = [dataclasses.replace(g, assessments=[hostile if x is a else x for x in g.assessments])
              for g in daily.groups]
    html = render(dataclasses.replace(daily, groups=groups), "html")
    assert not any(c in html for c in "\x1b\u202e\u2066") and "<b>x</b>" not in html
    assert "南方日报\\x1b[2J\\u202e\\u2066&lt;b&gt;x&lt;/b&gt;" in html


def test_text_format_through_the_cli(run):
    r = run("coverage", "--outlet", "南方日报", "--format", "text")
    assert r.exit_code == 0
    assert "2 articles reprinted" not in r.output and "1 article(s) reprinted of 1 in the licensed index" in r.output
    assert "www.partner-news.example" in r.output and "news.copycat.example" in r.output


def test_output_into_a_pipe_or_through_a_symlink_keeps_them(run, sample, tmp_path):
    """Found while probing (issue 21): `-o` renamed its temporary file over the target, so a FIFO (or, as
    root, `-o /dev/full`: a device node) was replaced by a regular file, and a symlink by a file."""
    import os
    import stat
    import threading

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    r = run("report", "daily", "--date", REPORT_DAY, "--format", "csv", "-o", str(fifo))
    reader.join(timeout=60)
    assert r.exit_code == 0, r.output
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode) and received and b"finding_id" in received[0]
    target = tmp_path / "real.csv"
    target.write_text("old")
    link = tmp_path / "link.csv"
    link.symlink_to(target)
    assert run("report", "daily", "--date", REPORT_DAY, "--format", "csv", "-o", str(link)).exit_code == 0
    assert link.is_symlink() and "finding_id" in target.read_text(encoding="utf-8-sig")


def test_complaint_build_into_something_not_a_folder_is_one_line(run, tmp_path):
    import os

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    r = run("complaint", "build", "-o", str(fifo))
    lines = r.output.strip().splitlines()
    assert r.exit_code == 1 and len(lines) == 1 and "exists and is not a folder" in lines[0], r.output
