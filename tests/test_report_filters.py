"""Reports for a monitoring team (issue 13): a day of many findings from many reprinters, summary first,
one filter for ``report daily`` / ``coverage`` / ``findings list``, platform from the URL, round ticks,
CSV for Excel, and the side-by-side texts on pages of their own for big reports."""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import sys
from collections import Counter
from pathlib import Path

import lxml.html
import pytest

from reprintwatch.errors import BadInput
from reprintwatch.index import SQLiteIndex
from reprintwatch.report import coverage_report, daily_report
from reprintwatch.report.filters import Filter, finding_day, platform_from_url
from reprintwatch.report.html import INLINE_LIMIT, chart_svg, nice_step, write_html
from reprintwatch.report.render import BOM, render_csv
from reprintwatch.store import Store

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from bench_reports import REPORT_DAY, make_store  # noqa: E402

N = 240  # findings on the report day (plus N/4 over the 13 days before)


# --------------------------------------------------------------------------- pure pieces


@pytest.mark.parametrize("url, stored, expected", [
    ("https://mp.weixin.qq.com/s?__biz=MzA5&mid=1", "local", "wechat"),  # a JSONL export
    ("http://mp.weixin.qq.com/s/AbCdEf", "web", "wechat"),  # a WARC record or a crawl
    ("https://MP.WEIXIN.QQ.COM/s/x", "feed", "wechat"),
    ("https://mp.weixin.qq.com.evil.example/s/x", "local", "web"),  # a look-alike host is not WeChat
    ("https://www.toutiao.com/article/1/", "local", "toutiao"),
    ("https://notweixin.qq.com.example/s", "local", "web"),
    ("https://news.example/a/1.html", "local", "web"),
    ("https://news.example/a/1.html", "feed", "feed"),
    ("", "local", "local"),
    ("javascript:alert(1)", "local", "local"),
    ("file:///tmp/x.html", "local", "local"),
    (None, None, "unknown"),
])
def test_platform_from_url(url, stored, expected):
    assert platform_from_url(url, stored) == expected


def test_round_ticks():
    assert [nice_step(p) for p in (7564, 1000, 12, 4, 3, 0, 123_456)] == [2000, 500, 5, 1, 1, 1, 50000]
    svg = lxml.html.fragment_fromstring(chart_svg({"days": ["2026-11-27"], "platforms": ["wechat"],
                                                     "counts": {"2026-11-27": {"wechat": 7564}}}))
    ticks = [t.text for t in svg.xpath("//text[@text-anchor='end']")]
    assert ticks == ["0", "2,000", "4,000", "6,000", "8,000"]  # not 1891/3782/5673/7564


def test_filter_checks_its_input():
    with pytest.raises(BadInput, match="verdict"):
        Filter(verdict="copied")
    with pytest.raises(BadInput, match="top"):
        Filter(top=0)
    with pytest.raises(BadInput, match="after"):
        Filter(since="2026-11-02", until="2026-11-01")
    with pytest.raises(BadInput, match="not a date"):
        Filter.from_mapping({"since": ["yesterday"]})
    flt = Filter.from_mapping({"outlet": ["新华社", "南方日报"], "authorised": ["no"], "top": ["5"], "since": ["2026-11-01"]})
    assert flt.outlet == ("新华社", "南方日报") and flt.authorised is False and flt.top == 5
    assert Filter(verdict="rewrite").verdict == ("rewrite",)  # 洗稿 findings filter like the others
    assert Filter.from_mapping(flt.to_query()) == flt


# --------------------------------------------------------------------------- a team's day


@pytest.fixture(scope="module")
def team(tmp_path_factory):
    return make_store(tmp_path_factory.mktemp("team"), N)


def _daily(settings, **filters):
    with Store(settings.store, create=False) as store, SQLiteIndex(settings.db, create=False) as index:
        return daily_report(store, store.licences(), index, REPORT_DAY, flt=Filter(**filters))


@pytest.fixture(scope="module")
def day(team):
    return _daily(team)


def test_summary_answers_who_copied_most_and_whether_allowed(day, team):
    s = day.summary
    assert s["findings"] == N == sum(r["findings"] for r in s["by_outlet"])
    assert s["unauthorised"] + s["authorised"] + s["published_first"] == N
    assert s["authorised"] > 0 and s["unauthorised"] > 0  # the bench licences cover some copies
    # every copy came from a JSONL source: WeChat ones are WeChat by their URL, the rest web pages
    assert set(s["by_platform"]) == {"wechat", "web"}
    assert s["by_platform"]["wechat"] == sum(1 for a in day.assessments if "mp.weixin.qq.com" in a.finding["url"])
    # who copied most: by unauthorised copies, then copies; the counts are the reprinter's own
    counts = Counter(a.reprinter.label() for a in day.assessments)
    bad = Counter(a.reprinter.label() for a in day.assessments if a.status == "unauthorised")
    top = s["top_reprinters"]
    assert [(r["name"], r["findings"], r["unauthorised"]) for r in top] == [
        (name, counts[name], bad[name]) for name in sorted(counts, key=lambda k: (-bad[k], -counts[k], k))[:10]
    ]
    copied = Counter(a.finding["licensed_id"] for a in day.assessments)
    assert [(r["name"], r["findings"]) for r in s["most_copied"]] == sorted(copied.items(), key=lambda kv: (-kv[1], -bad_of(day, kv[0]), kv[0]))[:10]
    page = lxml.html.document_fromstring(write_and_read(day, team))
    line = page.xpath("//p[contains(@class,'headline')]")[0].text_content()
    most = max(counts, key=lambda k: (counts[k], bad[k], [-ord(c) for c in k]))
    assert s["most_copies"]["name"] == most and s["most_copies"]["findings"] == counts[most]
    assert line.startswith(f"{s['unauthorised']:,} of {N:,} findings are unauthorised")
    assert f"Most copies: {most} " in line


def bad_of(report, licensed_id) -> int:
    return sum(1 for a in report.assessments if a.finding["licensed_id"] == licensed_id and a.status == "unauthorised")


def write_and_read(report, team) -> str:
    out = Path(team.store).parent / "html" / "daily.html"
    write_html(report, out)
    return out.read_text(encoding="utf-8")


def test_new_since_yesterday_and_repeat_infringers(day, team):
    with Store(team.store) as store:
        rows = store.list_findings()
    yesterday = (REPORT_DAY - dt.timedelta(days=1)).isoformat()
    earlier = [r for r in rows if finding_day(r) < REPORT_DAY.isoformat()]  # days in China time
    new = day.summary["new"]
    assert new["previous_day"] == yesterday
    assert new["previous_day_findings"] == sum(1 for r in earlier if finding_day(r) == yesterday)
    before = {r["account"] or r["site"] for r in earlier}
    today = {a.finding["account"] or a.finding["site"] for a in day.assessments}
    assert new["new_reprinters"] == len(today - before)
    for r in day.summary["repeat_infringers"]:
        assert r["unauthorised"] >= 2 or r["earlier_days"] >= 1
    # the chart counts every day in the window, platforms read from URLs
    assert sum(sum(day.chart["counts"][d].values()) for d in day.chart["days"]) == len(rows)
    assert "local" not in day.chart["platforms"]


def test_filters(day, team):
    unauthorised = _daily(team, authorised=False)
    assert {a.status for a in unauthorised.assessments} <= {"unauthorised", "published_first"}
    assert len(unauthorised.assessments) == sum(1 for a in day.assessments if not a.authorised)
    wechat = _daily(team, platform="wechat")
    assert wechat.assessments and {a.finding["platform"] for a in wechat.assessments} == {"wechat"}
    top3 = _daily(team, top=3)
    assert [g.label for g in top3.groups] == [r["name"] for r in day.summary["top_reprinters"][:3]]
    account = next(a.finding["account"] for a in day.assessments if a.finding["account"])
    by_account = _daily(team, reprinter=account)
    assert by_account.assessments and {a.finding["account"] for a in by_account.assessments} == {account}
    site = next(a.finding["site"] for a in day.assessments if not a.finding["account"])
    assert {a.finding["site"] for a in _daily(team, reprinter=site.upper()).assessments} == {site}
    outlet = day.summary["by_outlet"][0]["name"]
    by_outlet = _daily(team, outlet=outlet, verdict="full_reprint")
    assert len(by_outlet.assessments) == sum(
        1 for a in day.assessments if a.finding["licensed_outlet"] == outlet and a.finding["verdict"] == "full_reprint")
    week = _daily(team, since=REPORT_DAY - dt.timedelta(days=6), until=REPORT_DAY)
    with Store(team.store) as store:
        in_week = store.list_findings(since=(REPORT_DAY - dt.timedelta(days=6)).isoformat() + "T00:00:00+08:00",
                                      until=REPORT_DAY.isoformat() + "T23:59:59+08:00")
    assert len(week.assessments) == len(in_week) > N


def test_coverage_most_copied_first_and_top(team):
    with Store(team.store, create=False) as store, SQLiteIndex(team.db, create=False) as index:
        outlet = "江南日报"
        rep = coverage_report(store, store.licences(), outlet, index)
        sizes = [len(g.assessments) for g in rep.groups]
        assert sizes == sorted(sizes, reverse=True) and len(sizes) > 1
        top = coverage_report(store, store.licences(), outlet, index, flt=Filter(top=1, authorised=False))
        assert len(top.groups) == 1 and all(not a.authorised for a in top.assessments)


def test_big_reports_put_each_finding_on_its_own_page(day, team, tmp_path):
    assert len(day.assessments) > INLINE_LIMIT
    out = tmp_path / "daily.html"
    written = write_html(day, out)
    assert len(written) == N + 1 and written[0] == out
    index = lxml.html.document_fromstring(out.read_text(encoding="utf-8"))
    assert not index.xpath("//div[contains(@class,'side')]") and not index.xpath("//details")
    rows = index.xpath("//tr[contains(@class,'finding-row')]")
    assert len(rows) == N
    # the index stays light: a row, not two texts, a finding
    assert out.stat().st_size < 1200 * N + 60_000
    href = rows[0].xpath(".//a/@href")[0]
    detail = lxml.html.document_fromstring((tmp_path / href).read_text(encoding="utf-8"))
    assert detail.xpath("//div[contains(@class,'licensed')]//mark") and detail.xpath("//div[contains(@class,'copy')]//mark")
    back = detail.xpath("//nav//a/@href")[0]
    assert back.startswith("../daily.html#r") and index.xpath(f"//tr[@id='{back.split('#')[1]}']")


def test_the_three_commands_share_the_filter(team, monkeypatch):
    from click.testing import CliRunner

    from reprintwatch.cli import cli

    monkeypatch.setenv("REPRINTWATCH_STORE", str(team.store))
    monkeypatch.setenv("REPRINTWATCH_DB", str(team.db))
    run = lambda *a: CliRunner().invoke(cli, list(a), catch_exceptions=False)  # noqa: E731
    flt = ["--outlet", "华夏通讯社", "--unauthorised", "--platform", "wechat", "--since", REPORT_DAY.isoformat(),
           "--until", REPORT_DAY.isoformat()]
    daily = json.loads(run("report", "daily", *flt, "--format", "json").output)
    daily_ids = sorted(f["finding_id"] for g in daily["groups"] for f in g["findings"])
    listed = run("findings", "list", *flt, "--format", "json")
    list_ids = sorted(json.loads(line)["finding_id"] for line in listed.output.splitlines())
    assert daily_ids and daily_ids == list_ids
    assert daily["filter"]["authorised"] == "no"
    cov = json.loads(run("report", "coverage", "--outlet", "华夏通讯社", "--unauthorised", "--platform", "wechat", "--format", "json").output)
    cov_ids = {f["finding_id"] for g in cov["groups"] for f in g["findings"]}
    assert set(daily_ids) <= cov_ids
    # --top N
    top = run("findings", "list", "--top", "2", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(top.output)))
    assert len({r["reprinter"] for r in rows}) == 2 and {r["status"] for r in rows} <= {"unauthorised", "authorised", "published_first"}
    # CSV for Excel: a UTF-8 byte-order mark, then the same CSV
    plain = run("report", "daily", "--date", REPORT_DAY.isoformat(), "--format", "csv", "--top", "1").output
    excel = run("report", "daily", "--date", REPORT_DAY.isoformat(), "--format", "csv", "--top", "1", "--excel").output
    assert not plain.startswith(BOM) and excel == BOM + plain
    bad = run("findings", "list", "--verdict", "copied")
    assert bad.exit_code == 2 and "copied" in bad.output
    rewrites = run("findings", "list", "--verdict", "rewrite", "--format", "json")
    assert rewrites.exit_code == 0, rewrites.output  # exit 2 before: "rewrite" was not a choice
    assert all(json.loads(line)["verdict"] == "rewrite" for line in rewrites.output.splitlines())
    out = run("report", "daily", "--date", REPORT_DAY.isoformat(), "-o", str(Path(team.store).parent / "cli" / "d.html"))
    assert out.exit_code == 0 and f"{N:,} finding page(s)" in out.output


def test_excel_csv_round_trips(day):
    text = render_csv(day, excel=True)
    rows = list(csv.DictReader(io.StringIO(text.encode("utf-8").decode("utf-8-sig"))))
    assert len(rows) == N and rows[0]["group"] and "\ufeff" not in rows[0]["group"]
