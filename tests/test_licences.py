"""Licence registry: validation, reprinter matching, dates, scope, storage, CSV import and the CLI."""
from __future__ import annotations

import datetime as dt

import pytest
from click.testing import CliRunner

from reprintwatch.errors import BadInput
from reprintwatch.triage.licences import (
    Licence,
    Reprinter,
    decide,
    make_licence,
    parse_csv,
    read_csv_file,
    reprinter_matches,
    select,
)
from reprintwatch.store import Store

D = dt.date.fromisoformat


def lic(id=1, kind="site", who="partner.example", outlet="南方日报", start=None, end=None, scope="may_reprint"):
    return Licence(id, kind, who, outlet, start, end, scope)


WEB = Reprinter(platform="web", site="www.partner.example", url="https://www.partner.example/a/1.html")


# --- matching who copied --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "reprinter, expected",
    [
        (Reprinter(site="partner.example"), True),
        (Reprinter(site="WWW.Partner.Example"), True),
        (Reprinter(site="news.partner.example"), True),
        (Reprinter(url="https://m.partner.example:8443/x"), True),  # no site column: host of the URL
        (Reprinter(site="notpartner.example"), False),  # a suffix, not a subdomain
        (Reprinter(site="partner.example.evil.test"), False),
        (Reprinter(platform="wechat", account="partner.example"), False),  # an account named like the site
    ],
)
def test_site_licence_covers_domain_and_subdomains(reprinter, expected):
    assert reprinter_matches(lic(), reprinter) is expected


def test_wechat_licence_matches_account_name_or_biz_id():
    by_name = lic(kind="wechat", who="江南观察")
    by_id = lic(kind="wechat", who="MzA5NjE2NzQxMA==")
    account = Reprinter(platform="wechat", account="江南观察 ", url="https://mp.weixin.qq.com/s?__biz=MzA5NjE2NzQxMA==&mid=1")
    other = Reprinter(platform="wechat", account="江南观察者", url="https://mp.weixin.qq.com/s?__biz=MzI4OTk5&mid=1")
    assert reprinter_matches(by_name, account) and reprinter_matches(by_id, account)
    assert not reprinter_matches(by_name, other) and not reprinter_matches(by_id, other)
    # account names fold (full-width, case); only on a WeChat page
    wechat = "https://mp.weixin.qq.com/s?__biz=MzI4OTk5&mid=1"
    assert reprinter_matches(lic(kind="wechat", who="ＪＮ观察"), Reprinter(account="jn观察", url=wechat))
    assert not reprinter_matches(lic(kind="wechat", who="ＪＮ观察"), Reprinter(account="jn观察"))


def test_app_licence_matches_source_name():
    app = lic(kind="app", who="今日快讯")
    assert reprinter_matches(app, Reprinter(platform="local", source="今日快讯"))
    assert not reprinter_matches(app, Reprinter(platform="local", source="明日快讯"))


# --- dates and scope ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "day, authorised",
    [("2026-01-01", True), ("2026-06-30", True), ("2026-12-31", True), ("2025-12-31", False), ("2027-01-01", False)],
)
def test_date_range_is_inclusive(day, authorised):
    decision = decide([lic(start="2026-01-01", end="2026-12-31")], WEB, "南方日报", D(day), "full_reprint", 1.0)
    assert decision.authorised is authorised
    if not authorised:
        assert "licence #1" in decision.reason and day in decision.reason


def test_open_ended_licences_and_unknown_date():
    assert decide([lic(start="2026-01-01")], WEB, "南方日报", D("2030-05-01"), "full_reprint", 1.0).authorised
    assert decide([lic(end="2026-01-01")], WEB, "南方日报", D("2020-05-01"), "full_reprint", 1.0).authorised
    assert decide([lic()], WEB, "南方日报", None, "full_reprint", 1.0).authorised
    dated = decide([lic(start="2026-01-01")], WEB, "南方日报", None, "full_reprint", 1.0)
    assert not dated.authorised and "unknown" in dated.reason


@pytest.mark.parametrize(
    "verdict, similarity, scope, authorised",
    [
        ("full_reprint", 1.0, "may_reprint", True),  # verbatim copy
        ("full_reprint", 0.97, "may_reprint", False),  # without the licensed text: not provably verbatim
        ("full_reprint", 0.55, "may_reprint", False),  # reworked: an edit
        ("partial_reprint", 0.30, "may_reprint", False),  # an excerpt: an edit
        ("partial_reprint", 0.30, "may_edit", True),
        ("full_reprint", 0.55, "may_edit", True),
    ],
)
def test_scope(verdict, similarity, scope, authorised):
    decision = decide([lic(scope=scope)], WEB, "南方日报", D("2026-03-01"), verdict, similarity)
    assert decision.authorised is authorised
    if not authorised:
        assert "verbatim" in decision.reason


def test_outlet_must_match_unless_wildcard():
    assert not decide([lic(outlet="新华社")], WEB, "南方日报", None, "full_reprint", 1.0).authorised
    assert decide([lic(outlet="*")], WEB, "南方日报", None, "full_reprint", 1.0).authorised


def test_first_covering_licence_wins_over_an_expired_one():
    expired = lic(id=1, end="2025-12-31")
    current = lic(id=2, start="2026-01-01", scope="may_edit")
    decision = decide([current, expired], WEB, "南方日报", D("2026-02-01"), "partial_reprint", 0.2)
    assert decision.authorised and decision.licence.id == 2
    decision = decide([expired], WEB, "南方日报", D("2026-02-01"), "full_reprint", 1.0)
    assert not decision.authorised and "ended 2025-12-31" in decision.reason


# --- validation, storage, CSV ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (dict(reprinter_kind="blog", reprinter="x.example", outlet="A"), "reprinter kind"),
        (dict(reprinter_kind="site", reprinter="", outlet="A"), "reprinter is empty"),
        (dict(reprinter_kind="site", reprinter="x.example", outlet=""), "outlet is empty"),
        (dict(reprinter_kind="site", reprinter="x.example", outlet="A", scope="may_copy"), "scope"),
        (dict(reprinter_kind="site", reprinter="x.example", outlet="A", valid_from="2026/01/01"), "ISO date"),
        (dict(reprinter_kind="site", reprinter="x.example", outlet="A", valid_from="2026-02-01",
              valid_until="2026-01-01"), "before valid_from"),
    ],
)
def test_make_licence_rejects_bad_fields(kwargs, message):
    with pytest.raises(BadInput, match=message):
        make_licence(**kwargs)


def test_make_licence_normalises_site_urls():
    assert make_licence("site", "https://WWW.Partner.example/news/", "A").reprinter == "partner.example"


def test_registry_add_list_remove_persist(tmp_path):
    path = tmp_path / "store.db"
    with Store(path) as reg:
        a, = reg.add_licences([make_licence("site", "a.example", "南方日报", "2026-01-01", "2026-12-31", "may_edit", "c-1")])
        b, = reg.add_licences([make_licence("wechat", "江南观察", "新华社")])
    with Store(path, create=False) as reg:
        assert [x.id for x in reg.licences()] == [a.id, b.id]
        assert [x.reprinter for x in select(reg.licences(), outlet="新华社")] == ["江南观察"]
        assert reg.get_licence(a.id).scope == "may_edit" and reg.get_licence(a.id).note == "c-1"
        assert reg.remove_licences([a.id, 999]) == [a.id]
        assert [x.id for x in reg.licences()] == [b.id]


CSV_GOOD = """reprinter_kind,reprinter,outlet,valid_from,valid_until,scope,note
site,partner.example,南方日报,2026-01-01,2026-12-31,may_reprint,NF-17
wechat,江南观察,新华社,,,may_edit,
app,今日快讯,*,2026-03-01,,,

"""


def test_csv_import_all_rows(tmp_path):
    path = tmp_path / "licences.csv"
    path.write_text("\ufeff" + CSV_GOOD, encoding="utf-8")
    with Store(tmp_path / "store.db") as reg:
        added = reg.add_licences(read_csv_file(path))
        assert [(x.reprinter_kind, x.outlet, x.scope) for x in added] == [
            ("site", "南方日报", "may_reprint"), ("wechat", "新华社", "may_edit"), ("app", "*", "may_reprint"),
        ]
        assert added[0].valid_until == "2026-12-31" and added[1].valid_from is None
        assert len(reg.licences()) == 3


def test_csv_import_gbk(tmp_path):
    path = tmp_path / "licences.csv"
    path.write_bytes(CSV_GOOD.encode("gbk"))
    assert [x.reprinter for x in read_csv_file(path)][1] == "江南观察"


def test_csv_bad_row_names_line_and_imports_nothing(tmp_path):
    path = tmp_path / "licences.csv"
    path.write_text(CSV_GOOD.replace("2026-03-01", "March 1st"), encoding="utf-8")
    with pytest.raises(BadInput) as err:
        read_csv_file(path)
    assert f"{path}:4" in str(err.value) and "valid_from" in str(err.value)


def test_csv_header_problems():
    with pytest.raises(BadInput, match="missing column.*outlet"):
        parse_csv("reprinter_kind,reprinter\nsite,a.example\n", "x.csv")
    with pytest.raises(BadInput, match="unknown column.*licensee"):
        parse_csv("reprinter_kind,reprinter,outlet,licensee\n", "x.csv")
    with pytest.raises(BadInput, match="x.csv:2: more fields"):
        parse_csv("reprinter_kind,reprinter,outlet\nsite,a.example,A,extra\n", "x.csv")


# --- CLI ------------------------------------------------------------------------------------------------


@pytest.fixture
def run(tmp_path, monkeypatch):
    from reprintwatch.cli import cli

    monkeypatch.setenv("REPRINTWATCH_STORE", str(tmp_path / "store.db"))
    monkeypatch.setenv("REPRINTWATCH_DB", str(tmp_path / "licensed.db"))
    runner = CliRunner()
    return lambda *args: runner.invoke(cli, list(args), catch_exceptions=False)


def test_cli_licence_add_list_remove_import(run, tmp_path):
    r = run("licence", "add", "--site", "www.partner.example", "--outlet", "南方日报", "--from", "2026-01-01",
            "--until", "2026-12-31", "--scope", "may_edit", "--note", "NF-17")
    assert r.exit_code == 0, r.output
    assert "#1 site:partner.example ← 南方日报 (may_edit, 2026-01-01 – 2026-12-31 China time)" in r.output
    csv_path = tmp_path / "l.csv"
    csv_path.write_text(CSV_GOOD, encoding="utf-8")
    r = run("licence", "import", str(csv_path))
    assert r.exit_code == 0 and "Imported 3 licences" in r.output
    r = run("licence", "list", "--format", "json")
    import json

    listed = json.loads(r.output)
    assert [x["id"] for x in listed] == [1, 2, 3, 4] and listed[0]["note"] == "NF-17"
    r = run("licence", "remove", "2", "77")
    assert r.exit_code == 1 and "Removed 1" in r.output and "not found: 77" in r.output
    r = run("licence", "list")
    assert "#2" not in r.output and "#3 wechat:江南观察 ← 新华社" in r.output


def test_cli_licence_errors_are_messages(run, tmp_path):
    r = run("licence", "add", "--site", "a.example", "--wechat", "b", "--outlet", "A")
    assert r.exit_code == 2 and "exactly one of" in r.output
    r = run("licence", "add", "--site", "a.example", "--outlet", "A", "--from", "tomorrow")
    assert r.exit_code == 1 and "valid_from is not an ISO date" in r.output
    bad = tmp_path / "bad.csv"
    bad.write_text("reprinter_kind,reprinter,outlet\nfax,a.example,A\n", encoding="utf-8")
    r = run("licence", "import", str(bad))
    assert r.exit_code == 1 and f"{bad}:2" in r.output and "Traceback" not in r.output
