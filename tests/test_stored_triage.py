"""Reports read the triage kept in the store and judge only what is new or stale (issue 13).

A report built from the stored triage must come out byte for byte as one judged afresh; a licence added or
removed must re-judge the findings it can decide (and only those), so a wrong "authorised" never survives a
licence change; a change of the triage rules re-judges everything.
"""
from __future__ import annotations

import datetime as dt
import importlib
import json
import sqlite3

import pytest

from report_sample import REPORT_DAY, build_sample, cli_runner
from reprintwatch.index import SQLiteIndex
from reprintwatch.report import coverage_report, daily_report, render
from reprintwatch.report.daily import load_texts
from reprintwatch.report.html import INLINE, PAGES, write_html
from reprintwatch.triage.licences import make_licence
from reprintwatch.store import Store

DAY = dt.date.fromisoformat(REPORT_DAY)
assess_module = importlib.import_module("reprintwatch.triage.assess")  # the package exports a function of that name


@pytest.fixture
def sample(tmp_path):
    return build_sample(tmp_path / "sample")


@pytest.fixture
def judged(monkeypatch):
    """The finding ids judged (``assess`` run) since the test started."""
    seen: list = []
    real = assess_module.assess

    def counting(finding, *args, **kwargs):
        seen.append(finding["finding_id"])
        return real(finding, *args, **kwargs)

    monkeypatch.setattr(assess_module, "assess", counting)
    monkeypatch.setattr("reprintwatch.report.daily.now_utc", lambda: "2026-11-03T00:00:00+00:00")
    monkeypatch.setattr("reprintwatch.report.coverage.now_utc", lambda: "2026-11-03T00:00:00+00:00")
    return seen


def _outputs(report, store, index, directory) -> dict:
    """Every rendering of ``report``: HTML inline and with a page per finding (all files), CSV, JSON
    (with and without texts), text."""
    load_texts(report, index, store)
    out = {fmt: render(report, fmt) for fmt in ("csv", "json", "text")}
    out["json+texts"] = json.dumps(report.to_dict(include_texts=True), ensure_ascii=False, default=str)
    for details in (INLINE, PAGES):
        target = directory / details / "report.html"
        for path in write_html(report, target, details):
            out[f"{details}:{path.relative_to(directory / details)}"] = path.read_text(encoding="utf-8")
    return out


def _triage_rows(settings) -> dict:
    with sqlite3.connect(settings.store) as conn:
        return {r[0]: (r[1], r[2]) for r in conn.execute("SELECT id, triage_json, triage_basis FROM findings")}


def test_report_from_stored_triage_is_identical_to_judging_afresh(sample, judged, tmp_path):
    settings = sample.settings
    with Store(settings.store, create=False) as store, SQLiteIndex(settings.db, create=False) as index:
        fresh = daily_report(store, store.licences(), index, DAY, force=True)
        assert len(judged) == len(fresh.assessments) > 5
        fresh_out = _outputs(fresh, store, index, tmp_path / "fresh")
        judged.clear()
        stored = daily_report(store, store.licences(), index, DAY)
        assert judged == []  # everything came from the store
        assert all(a.edits is None and a.licensed_text is None for a in stored.assessments)  # not loaded yet
        stored_out = _outputs(stored, store, index, tmp_path / "stored")
        cov_fresh = coverage_report(store, store.licences(), "新华社", index, force=True)
        cov_fresh_out = _outputs(cov_fresh, store, index, tmp_path / "cov-fresh")
        judged.clear()
        cov_stored = coverage_report(store, store.licences(), "新华社", index)
        cov_stored_out = _outputs(cov_stored, store, index, tmp_path / "cov-stored")
    assert judged == []
    assert fresh_out.keys() == stored_out.keys() and len(fresh_out) > 12
    for name in fresh_out:
        assert stored_out[name] == fresh_out[name], name
    assert cov_stored_out == cov_fresh_out
    # the rendering shows real judgements: authorised and unauthorised, licensed text side by side
    assert "Authorised" in stored_out["inline:report.html"] and "<mark" in stored_out["inline:report.html"]


def test_adding_and_removing_a_licence_rejudges_the_findings_it_can_decide(sample, judged):
    settings = sample.settings
    with Store(settings.store, create=False) as store, SQLiteIndex(settings.db, create=False) as index:
        before = {a.finding["finding_id"]: a for a in daily_report(store, store.licences(), index, DAY).assessments}
        s1 = sample.finding_ids["s1-stripped"]  # news.copycat.example copying 南方日报, no licence
        assert before[s1].status == "unauthorised"
        judged.clear()
        assert daily_report(store, store.licences(), index, DAY) and judged == []

        added = store.add_licences([make_licence("site", "news.copycat.example", "南方日报", "2026-01-01",
                                                 "2026-12-31", "may_edit", "new contract")])[0]
        after = {a.finding["finding_id"]: a for a in daily_report(store, store.licences(), index, DAY).assessments}
        nanfang = {fid for fid, a in before.items() if a.finding["licensed_outlet"] == "南方日报"}
        assert set(judged) == nanfang and s1 in nanfang and len(nanfang) < len(before)  # only that outlet's
        assert after[s1].status == "authorised" and after[s1].decision.licence.id == added.id
        judged.clear()
        assert daily_report(store, store.licences(), index, DAY) and judged == []  # kept: not judged again

        store.remove_licences([added.id])
        again = {a.finding["finding_id"]: a for a in daily_report(store, store.licences(), index, DAY).assessments}
        assert set(judged) == nanfang
        assert again[s1].status == "unauthorised"  # the "authorised" did not survive the licence's removal
        assert {f: a.status for f, a in again.items()} == {f: a.status for f, a in before.items()}

        judged.clear()  # a licence for every outlet can decide every finding
        store.add_licences([make_licence("site", "evil.example", "*", None, None, "may_edit", "")])
        daily_report(store, store.licences(), index, DAY)
        assert set(judged) == set(before)


def test_changed_triage_rules_rejudge_everything(sample, judged, monkeypatch):
    settings = sample.settings
    with Store(settings.store, create=False) as store, SQLiteIndex(settings.db, create=False) as index:
        n = len(daily_report(store, store.licences(), index, DAY).assessments)
        judged.clear()
        monkeypatch.setattr(assess_module, "TRIAGE_VERSION", assess_module.TRIAGE_VERSION + 1)
        assess_module.rules_digest.cache_clear()
        try:
            daily_report(store, store.licences(), index, DAY)
        finally:
            monkeypatch.undo()
            assess_module.rules_digest.cache_clear()
    assert len(judged) == n


def test_triage_without_licensed_text_is_redone_when_the_text_is_there(sample, judged):
    settings = sample.settings
    with Store(settings.store, create=False) as store, SQLiteIndex(settings.db, create=False) as index:
        no_index = daily_report(store, store.licences(), None, DAY)  # judged without the licensed texts
        assert len(judged) == len(no_index.assessments)
        assert not any(a.licensed_text_checked for a in no_index.assessments)
        judged.clear()
        daily_report(store, store.licences(), None, DAY)
        assert judged == []
        with_index = daily_report(store, store.licences(), index, DAY)
        assert len(judged) == len(with_index.assessments)
        assert all(a.licensed_text_checked for a in with_index.assessments)


def test_damaged_or_old_triage_is_judged_again(sample, judged):
    settings = sample.settings
    with Store(settings.store, create=False) as store, SQLiteIndex(settings.db, create=False) as index:
        daily_report(store, store.licences(), index, DAY)
        fid = sample.finding_ids["s3-licensed"]
        with store.transaction():  # a triage from before this change: no basis; another one missing fields
            store.conn.execute("UPDATE findings SET triage_basis=NULL WHERE id=?", (fid,))
            other = sample.finding_ids["s2-credited"]
            store.conn.execute("UPDATE findings SET triage_json='{\"status\": \"authorised\"}' WHERE id=?", (other,))
        judged.clear()
        rep = daily_report(store, store.licences(), index, DAY)
    assert sorted(judged) == sorted([fid, other])
    assert {a.finding["finding_id"]: a.status for a in rep.assessments}[other] == "unauthorised"


def test_commands_read_the_stored_triage(sample, judged, monkeypatch, tmp_path):
    run = cli_runner(sample, monkeypatch)
    assert run("findings", "list", "--format", "json").exit_code == 0
    first = len(judged)
    assert first == len(sample.finding_ids)  # nothing triaged yet: all judged once, and kept
    kept = _triage_rows(sample.settings)
    assert all(t and b for t, b in kept.values())
    judged.clear()
    for args in (("findings", "list"), ("report", "daily", "--date", REPORT_DAY, "--format", "csv"),
                 ("report", "daily", "--date", REPORT_DAY, "-o", str(tmp_path / "d.html")),
                 ("report", "coverage", "--outlet", "新华社", "--format", "json")):
        result = run(*args)
        assert result.exit_code == 0, result.output
    assert judged == []
    assert _triage_rows(sample.settings) == kept
    assert run("report", "daily", "--date", REPORT_DAY, "--format", "text", "--rejudge").exit_code == 0
    assert len(judged) >= 7  # --rejudge judges the day afresh


def test_serve_judges_stale_findings_in_memory_and_writes_nothing(sample, judged):
    from reprintwatch.report.serve import FindingsView
    from reprintwatch.report.filters import Filter

    settings = sample.settings
    with Store(settings.store, create=False) as store, SQLiteIndex(settings.db, create=False) as index:
        daily_report(store, store.licences(), index, DAY)  # triage kept for the day
        store.add_licences([make_licence("site", "news.copycat.example", "南方日报", None, None, "may_edit", "")])
    kept = _triage_rows(settings)
    judged.clear()
    view = FindingsView(settings, lambda s: SQLiteIndex(s.db, create=False))
    try:
        items = view.assessments(Filter())
        s1 = sample.finding_ids["s1-stripped"]
        assert {a.finding["finding_id"]: a.status for a in items}[s1] == "authorised"
        stale = set(judged)
        assert s1 in stale and len(stale) < len(items)  # the day's other outlets were read from the store
        one = view.finding(s1)
        assert one.licensed_text and one.finding["content"]  # the page in full has both texts
        reads = []
        real_list = view.store.list_findings
        view.store.list_findings = lambda *a, **k: reads.append(k) or real_list(*a, **k)
        judged.clear()
        unauthorised = view.assessments(Filter(authorised=False, platform=("wechat",)))
        assert unauthorised and all(a.status != "authorised" for a in unauthorised)
        assert reads == [] and judged == []  # another filter: from memory, not the store again
    finally:
        view.close()
    assert _triage_rows(settings) == kept  # read-only


ROUND_TRIP = {
    "verbatim, licensed": dict(),
    "canonical spoof": dict(url="https://copycat.example/p/9.html", canonical_url="https://www.jiangnan-daily.com/2026/11/01/1.html"),
    "wechat licence": dict(url="https://mp.weixin.qq.com/s?__biz=MzA3MDM3NjE5NQ==&mid=2650001&idx=1", platform="wechat",
                           account="江南日报"),
    "edited title": dict(title="重磅！地铁三号线通车了"),
    "first but credits": dict(url="https://copycat.example/p/1", published_at="2026-10-30", content_prefix="来源：江南日报\n"),
    "keeps the byline, first": dict(url="https://copycat.example/p/2", published_at="2026-10-30", keep_dateline=True),
    "links the original": dict(url="https://copycat.example/p/3",
                               content_suffix="\n原文链接：https://www.jiangnan-daily.com/2026/11/01/1.html"),
    "no publish time": dict(published_at=None),
    "clean first copy": dict(url="https://copycat.example/p/5", published_at="2026-10-30"),
    "credits another outlet": dict(url="https://copycat.example/p/4", content_prefix="来源：东海晚报\n"),
}


@pytest.mark.parametrize("case", list(ROUND_TRIP))
@pytest.mark.parametrize("with_text", [True, False])
def test_a_stored_triage_reads_back_as_the_judgement(case, with_text):
    """Every field a report reads comes back from the stored triage as judging afresh made it."""
    from dataclasses import replace

    from test_triage import BODY, DATELINE, LICENSED, SITE, WECHAT, finding

    from reprintwatch.triage.assess import Assessment, assess
    from reprintwatch.report.filters import with_platform
    from reprintwatch.report.html import finding_html
    from reprintwatch.report.render import csv_row

    kw = dict(ROUND_TRIP[case])
    prefix, suffix = kw.pop("content_prefix", ""), kw.pop("content_suffix", "")
    body = (DATELINE if kw.pop("keep_dateline", False) else "") + BODY
    if prefix or suffix or "published_at" in kw and kw["published_at"]:
        kw["content"] = prefix + body + suffix
    row = with_platform(finding(**kw))
    licences = [SITE, WECHAT]
    fresh = assess(row, licences, LICENSED if with_text else None)
    stored = json.loads(json.dumps(fresh.triage(), ensure_ascii=False))  # as the store keeps it
    back = Assessment.from_triage(row, stored, {lic.id: lic for lic in licences})
    for name in ("status", "decision", "attribution", "first_publication", "first_publication_note", "reprinter",
                 "contradiction", "licensed_text_checked"):
        assert getattr(back, name) == getattr(fresh, name), (case, name)
    assert back.triage() == fresh.triage()
    assert back.to_dict() == fresh.to_dict()
    assert csv_row(back, "g") == csv_row(fresh, "g")
    assert finding_html(replace(back, licensed_text=fresh.licensed_text)) == finding_html(fresh)


def _get(app, path, query=""):
    status = []
    body = app({"REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": query, "HTTP_HOST": ""},
               lambda s, h: status.append(s))
    assert status[0].startswith("200"), status
    return body[0].decode("utf-8")


def test_serve_first_page_of_a_big_store_reads_only_its_rows(sample, judged):
    import re

    from reprintwatch.report.serve import App, FindingsView

    settings = sample.settings
    with Store(settings.store, create=False) as store, SQLiteIndex(settings.db, create=False) as index:
        daily_report(store, store.licences(), index, DAY)  # the day's triage kept; the earlier days' not
    judged.clear()
    open_index = lambda s: SQLiteIndex(s.db, create=False)  # noqa: E731
    quick, full = FindingsView(settings, open_index), FindingsView(settings, open_index)
    try:
        small = App(quick, page_size=3, quick_above=2)  # "big": more than 2 findings
        pages = []
        for number in (1, 2, 3):
            body = _get(small, "/", f"page={number}")
            assert "summarise all findings" in body and "findings are unauthorised" not in body
            pages.append(re.findall(r'id="r(\d+)"', body))
        assert not quick.everything_read()
        shown = {int(i) for page in pages for i in page}
        assert set(judged) <= shown  # only stale findings on the pages shown were judged
        everything = App(full, page_size=3, quick_above=10**9)
        assert pages == [re.findall(r'id="r(\d+)"', _get(everything, "/", f"page={n}")) for n in (1, 2, 3)]
        summary = _get(small, "/", "summary=1")
        assert "findings are unauthorised" in summary and quick.everything_read()
        assert "findings are unauthorised" in _get(small, "/")  # read once: the summary stays
    finally:
        quick.close()
        full.close()


def test_complaint_recheck_reads_the_stored_triage(sample, judged):
    from reprintwatch.complaint.recheck import open_findings

    with Store(sample.settings.store, create=False) as store:
        first = [f.finding_id for f in open_findings(store, store.licences())]
        assert len(judged) == len(sample.finding_ids)  # nothing kept yet: judged once, and kept
        judged.clear()
        again = [f.finding_id for f in open_findings(store, store.licences())]
    assert judged == [] and again == first
    assert sample.finding_ids["s1-stripped"] in first and sample.finding_ids["s3-licensed"] not in first
