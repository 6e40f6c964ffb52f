"""Legal hints where decisions are made (issue 25): `findings list` (text, JSON, CSV, --hint), the daily
report (a count and the filter), `serve` (shown and filterable) and complaint dossiers (a possible
exception listed apart with its reason unless --include-possible-exceptions). The copies of
tests/legal_cases.py go through the real detector, a real SQLite licensed index and the real store."""
from __future__ import annotations

import csv
import io
import json
import urllib.request
import zipfile

import pytest
from click.testing import CliRunner

from legal_cases import CASES, LICENSED
from report_sample import page_html
from reprintwatch import Article, Detector, SQLiteIndex
from reprintwatch.cli import cli
from reprintwatch.config import Settings
from reprintwatch.report.filters import Filter
from reprintwatch.errors import BadInput
from reprintwatch.report.serve import serving
from reprintwatch.store import Store

DAY = "2026-11-25"
# one copy a hint: a flash that may be factual news, a commentary the current-affairs exception may cover,
# an editorial that reserves reprinting, a feature retitled with clickbait
PICKED = (
    "flash, self-media, dateline stripped",
    "economic commentary, media, credited",
    "editorial with a reservation, self-media, uncredited",
    "feature, self-media, uncredited, clickbait title",
)


class _Copy:
    def __init__(self, case):
        f = case.finding()
        self.title, self.content = f["title"], f["content"]


@pytest.fixture(scope="module")
def legal_store(tmp_path_factory):
    directory = tmp_path_factory.mktemp("legal")
    settings = Settings.load(environ={}, db=directory / "licensed.db", store=directory / "store.db")
    cases = {c.name: c for c in CASES}
    ids = {}
    with SQLiteIndex(settings.db) as index:
        detector = Detector(index)
        detector.add(list(LICENSED.values()))
        with Store(settings.store) as store:
            for n, name in enumerate(PICKED):
                case = cases[name]
                f = case.finding()
                url = f["url"].replace("mid=1", f"mid={n + 10}")
                evidence_id = store.record_page(url, page_html(_Copy(case)), status=200, fetched_at=f"{DAY}T03:00:00Z",
                                                content_type="text/html; charset=utf-8", headers={})
                suspect_id = store.record_suspect(
                    url, f["platform"], content_hash=f"legal-{n}", version=1, source="legal-test", site="",
                    account=f["account"], title=f["title"], published_at=f["published_at"], content=f["content"],
                    original_flag=False, evidence_id=evidence_id, checked_at=f"{DAY}T03:00:00Z")
                result = detector.check(Article(id=f"copy-{n}", content=f["content"], title=f["title"]))
                found = store.record_findings(suspect_id, result.reprints[:1], created_at=f"{DAY}T03:00:00Z")
                assert found, f"{name}: not detected"
                ids[name] = found[0]
    return settings, ids


@pytest.fixture
def run(legal_store, monkeypatch):
    settings, _ = legal_store
    monkeypatch.setenv("REPRINTWATCH_STORE", str(settings.store))
    monkeypatch.setenv("REPRINTWATCH_DB", str(settings.db))
    runner = CliRunner()

    def invoke(*args):
        r = runner.invoke(cli, list(args), catch_exceptions=False)
        assert r.exit_code == 0, r.output
        return r.output
    return invoke


def test_findings_list_shows_and_filters_hints(run, legal_store):
    _, ids = legal_store
    rows = [json.loads(line) for line in run("findings", "list", "--format", "json").splitlines()]
    codes = {r["finding_id"]: {h["code"].removeprefix("hint."): h["evidence"]["certainty"]
                               for h in r["triage"]["legal_hints"]} for r in rows}
    assert codes[ids[PICKED[0]]] == {"factual_news_possible": "possible", "no_credit": "found"}
    assert codes[ids[PICKED[1]]] == {"current_affairs_exception_possible": "possible"}
    assert codes[ids[PICKED[2]]] == {"reservation_statement": "found", "no_credit": "found"}
    assert codes[ids[PICKED[3]]] == {"title_distorted": "possible", "no_credit": "found"}
    # every hint carries its rules and evidence in the JSON
    hint = next(r for r in rows if r["finding_id"] == ids[PICKED[2]])["triage"]["legal_hints"][0]
    assert [hint["rule"]] + hint["evidence"]["also"] == ["CL2020-24-1-4", "CL2020-35-2", "RIN-10"]
    assert "未经授权不得转载" in hint["evidence"]["seen"][0]

    only = [json.loads(line)["finding_id"] for line in run("findings", "list", "--format", "json", "--hint", "exception").splitlines()]
    assert sorted(only) == sorted([ids[PICKED[0]], ids[PICKED[1]]])
    text = run("findings", "list", "--hint", "reservation_statement")
    assert f"#{ids[PICKED[2]]} " in text and "legal hint: reservation_statement (found)" in text
    assert f"#{ids[PICKED[0]]} " not in text
    table = list(csv.DictReader(io.StringIO(run("findings", "list", "--format", "csv"))))
    by_id = {int(r["finding_id"]): r for r in table}
    assert by_id[ids[PICKED[3]]]["legal_hints"] == "title_distorted(possible) | no_credit(found)"


def test_bad_hint_is_one_clear_line():
    with pytest.raises(BadInput, match="'free' is not one of factual_news_possible"):
        Filter(hint="free")
    r = CliRunner().invoke(cli, ["findings", "list", "--hint", "free"])
    assert r.exit_code == 2 and "Traceback" not in r.output and "'free' is not one of" in r.output


def test_daily_report_counts_and_filters(run):
    text = run("report", "daily", "--date", DAY, "--format", "text")
    assert ("Legal hints: 2 unauthorised finding(s) a legal exception may cover (--hint exception); "
            "current_affairs_exception_possible 1 possible, factual_news_possible 1 possible, no_credit 3 found, "
            "reservation_statement 1 found, title_distorted 1 possible.") in text
    data = json.loads(run("report", "daily", "--date", DAY, "--format", "json", "--hint", "exception"))
    assert data["summary"]["findings"] == 2 and data["summary"]["possible_exceptions"] == 2
    assert data["filter"] == {"hint": "exception"}


def test_serve_shows_and_filters_hints(legal_store):
    settings, ids = legal_store
    with serving(settings, page_size=10, open_index=lambda s: SQLiteIndex(s.db, create=False)) as base:
        with urllib.request.urlopen(base + "/?hint=title_distorted", timeout=30) as resp:
            page = resp.read().decode("utf-8")
        assert "1 finding(s)" in page and "title_distorted (possible)" in page
        assert '<option value="exception">' in page
        with urllib.request.urlopen(base + f"/finding/{ids[PICKED[1]]}", timeout=30) as resp:
            detail = resp.read().decode("utf-8")
        assert "Legal hints" in detail and "current_affairs_exception_possible (possible)" in detail


def test_complaint_sets_a_possible_exception_apart_unless_asked(run, legal_store, tmp_path):
    _, ids = legal_store
    run("holder", "add", "--outlet", "江南日报", "--name", "江南日报社", "--address", "江南市人民路1号",
        "--contact", "法务部", "--proof", "国作登字-2026-A-00000009")
    flash = ids[PICKED[0]]
    out = run("complaint", "build", "--finding", str(flash), "-o", str(tmp_path / "apart"))
    assert "nothing to complain about (1 finding(s) left out)" in out
    assert f"left out #{flash}: possible legal exception" in out and "factual_news_possible (possible)" in out
    out = run("complaint", "build", "--finding", str(flash), "-o", str(tmp_path / "in"), "--include-possible-exceptions")
    zips = sorted((tmp_path / "in").glob("*.zip"))
    assert "1 work(s)" in out and len(zips) == 1
    with zipfile.ZipFile(zips[0]) as zf:
        dossier = json.loads(zf.read("dossier.json"))
    assert [w["finding_id"] for w in dossier["works"]] == [flash] and dossier["excluded"] == []
    # a reservation statement is no exception: that finding goes into the complaint
    reserved = ids[PICKED[2]]
    run("complaint", "build", "--finding", str(reserved), "-o", str(tmp_path / "reserved"))
    with zipfile.ZipFile(sorted((tmp_path / "reserved").glob("*.zip"))[0]) as zf:
        dossier = json.loads(zf.read("dossier.json"))
    assert [w["finding_id"] for w in dossier["works"]] == [reserved]
    # and the statement is stated in the application as a fact that supports it
    assert dossier["works"][0]["supporting_zh"] == ["原作品载明“（本文为江南日报原创，未经授权不得转载）”"]
    facts = next(x["text"] for x in dossier["application"] if x["heading"] == "二、侵权事实")
    assert "原作品载明“（本文为江南日报原创，未经授权不得转载）”。取证时间" in facts


def test_dossier_json_gives_the_reason_in_chinese(legal_store, tmp_path):
    from reprintwatch.complaint.package import build_dossiers
    from reprintwatch.index import SQLiteIndex as Index

    settings, ids = legal_store
    with Store(settings.store) as store, Index(settings.db, create=False) as index:
        if store.get_holder("江南日报") is None:
            store.put_holder({"outlet": "江南日报", "legal_name": "江南日报社", "address": "江南市", "contact": "法务部",
                              "proofs": ["国作登字-1"]})
        results = build_dossiers(store, store.licences(), tmp_path, index, finding_ids=[ids[PICKED[1]]])
    (excluded,) = results[0].excluded
    assert excluded["reason_code"] == "possible_exception"
    assert excluded["reason_zh"].startswith("原作品为关于政治、经济问题的评论，转载方为媒体，注明了来源和标题")
    assert "《著作权法》（2020）第二十四条第一款第（四）项" in excluded["reason_zh"]


def test_hostile_text_in_a_hint_is_escaped():
    from dataclasses import replace as _replace

    from legal_cases import SELF_MEDIA
    from reprintwatch.report.html import finding_html
    from reprintwatch.triage.assess import assess as judge

    case = next(c for c in CASES if c.name == "feature, self-media, uncredited, clickbait title")
    hostile = _replace(case, copier=SELF_MEDIA, content='来源：<script>alert(1)</script>\n' + case.licensed.content)
    a = judge(hostile.finding(), [], hostile.licensed)
    assert any("<script>" in e for h in a.hints for e in h.evidence)  # the credit it quotes is the page's text
    page = finding_html(a)
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
