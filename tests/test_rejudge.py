"""Issue 19: a store holding findings made by older detection rules is re-judged (``findings rejudge``,
``reprintwatch/rejudge.py``), never mixed — each test on both engines (``store_location``: an SQLite file,
then a PostgreSQL schema on a real server).

The old-rules store is written through the store API as ingestion wrote it before issue 19's attribution:
a copy of one series member (the series' editor's note + METRO) made a finding against every member
sharing the note, marked with rules version 1."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from reprintwatch import Article, Detector, SQLiteIndex
from reprintwatch.cli import cli
from reprintwatch.detector import RULES_VERSION
from reprintwatch.rejudge import judge, rejudge
from reprintwatch.store import Store, StoreError

from texts import METRO, PORT, RIVER, SERIES_NOTE, UNRELATED

OLD = RULES_VERSION - 1
COPY = "点击上方蓝字关注我们\n" + SERIES_NOTE + METRO


@pytest.fixture
def index_path(tmp_path):
    path = tmp_path / "licensed.db"
    with SQLiteIndex(path) as idx:
        Detector(idx).add([Article("metro", SERIES_NOTE + METRO, "地铁九号线开通", outlet="江南日报"),
                           Article("river", SERIES_NOTE + RIVER, "清溪河", outlet="江南日报"),
                           Article("port", SERIES_NOTE + PORT, "青溪港二期", outlet="江南日报")])
    return path


def old_rules_store(location, index_path) -> dict:
    """Suspects and findings as the old rules left them: the copy's finding against metro (as the current
    rules make it) and against its siblings river and port; a page quoting PORT that the old rules recorded
    no finding for; an unrelated page. Returns their ids."""
    with SQLiteIndex(index_path) as idx:
        result = Detector(idx).check(Article("c", COPY))
    (metro,) = [m for m in result.reprints if m.licensed.id == "metro"]
    siblings = [{**s.to_dict(), "verdict": "partial_reprint", "similarity": 0.2, "licensed_coverage": 0.3,
                 "suspect_coverage": 0.1} for s in metro.siblings]
    assert {s["licensed_id"] for s in siblings} == {"river", "port"}
    with Store(location) as st:
        copy = st.record_suspect("https://copy.example/1", "web", "h1", content=COPY, title="地铁", rules_version=OLD)
        st.record_findings(copy, [metro] + siblings, rules_version=OLD)
        ids = {f["licensed_id"]: f["id"] for f in st.suspect_findings(copy)}
        excerpt = st.record_suspect("https://other.example/2", "web", "h2", rules_version=OLD,
                                    content=UNRELATED + "\n" + PORT[120:260] + "\n" + UNRELATED[::-1])
        plain = st.record_suspect("https://plain.example/3", "web", "h3", content=UNRELATED, rules_version=OLD)
        st.add_complaint([ids["river"]], "2026-11-02", "site form", reference="T-1")
    return {**ids, "copy": copy, "excerpt": excerpt, "plain": plain}


def run_cli(store, db, *args):
    return CliRunner().invoke(cli, ["--store", str(store), "--db", str(db), *map(str, args)])


def test_the_decisions_are_pure_and_say_why():
    stored = [{"id": 1, "licensed_id": "a", "verdict": "full_reprint", "similarity": 0.9, "licensed_coverage": 1.0,
               "suspect_coverage": 0.8, "passages": [], "withdrawn_at": None},
              {"id": 2, "licensed_id": "b", "verdict": "partial_reprint", "similarity": 0.1, "licensed_coverage": 0.2,
               "suspect_coverage": 0.1, "passages": [], "withdrawn_at": None},
              {"id": 3, "licensed_id": "c", "verdict": "partial_reprint", "similarity": 0.1, "licensed_coverage": 0.2,
               "suspect_coverage": 0.1, "passages": [], "withdrawn_at": "2026-11-01T00:00:00Z"}]
    matches = [{"licensed_id": "a", "verdict": "full_reprint", "similarity": 0.9, "licensed_coverage": 1.0,
                "suspect_coverage": 0.8, "passages": [], "siblings": [{"licensed_id": "b"}]},
               {"licensed_id": "d", "verdict": "none", "discounted": "shared_text"},
               {"licensed_id": "e", "verdict": "partial_reprint", "passages": []}]
    actions = judge(stored, matches, rules=7)
    assert [(a.outcome, a.finding_id) for a in actions] == [("kept", 1), ("withdrawn", 2), ("kept", 3), ("new", None)]
    assert "explained by licensed article a" in actions[1].reason and actions[1].reason.startswith("detection rules 7")
    # a verdict that changed, and a withdrawn finding the rules make again
    again = judge(stored[2:], [{**matches[2], "licensed_id": "c"}], rules=7)
    assert [a.outcome for a in again] == ["reinstated"]
    changed = judge(stored[:1], [{**matches[0], "verdict": "partial_reprint"}], rules=7)
    assert changed[0].outcome == "changed" and "full_reprint → partial_reprint" in changed[0].reason
    assert judge(stored[:1], matches[:1]) [0].outcome == "kept"  # the same scores and passages: nothing to do


def test_an_old_rules_store_is_refused_then_rejudged_siblings_withdrawn_real_finding_kept(store_location, index_path):
    ids = old_rules_store(store_location, index_path)
    with Store(store_location) as st:
        # readers refuse rather than mix: one line naming the store and the remedy (exit 3 in the CLI)
        with pytest.raises(StoreError, match="3 findings were made by other detection rules.*findings rejudge"):
            st.list_findings()
        with SQLiteIndex(index_path) as idx:
            result = rejudge(st, Detector(idx))
        assert result.to_do == 3 and result.suspects == 3 and not result.skipped
        assert result.counts == {"kept": 1, "changed": 0, "withdrawn": 2, "new": 1, "reinstated": 0}
        shown = st.list_findings()
        assert sorted(f.licensed_id for f in shown) == ["metro", "port"]  # metro: the copy; port: the excerpt's
        assert all(f.rules_version == RULES_VERSION for f in shown)
        assert {f.suspect_id for f in shown if f.licensed_id == "port"} == {ids["excerpt"]}
        # the siblings are withdrawn, not deleted: kept with the date and the reason, and their history
        gone = {f.finding_id: f for f in st.list_findings(withdrawn=True) if f.withdrawn_at}
        assert set(gone) == {ids["river"], ids["port"]}
        assert "explained by licensed article metro" in gone[ids["river"]].withdrawn_reason
        history = st.judgements()
        assert [h["outcome"] for h in history[ids["river"]]] == ["withdrawn"]
        assert json.loads(history[ids["river"]][0]["before_json"])["verdict"] == "partial_reprint"
        assert history[ids["river"]][0]["previous_rules_version"] == OLD
        assert st.complaints_for([ids["river"]])[ids["river"]][0]["reference"] == "T-1"
        # idempotent: a second run finds nothing to do and changes nothing
        with SQLiteIndex(index_path) as idx:
            again = rejudge(st, Detector(idx))
        assert (again.to_do, again.suspects, again.changes) == (0, 0, [])
        assert st.judgements() == history and len(st.list_findings(withdrawn=True)) == 4


def test_evidence_export_of_a_withdrawn_finding_says_so(store_location, index_path, tmp_path):
    ids = old_rules_store(store_location, index_path)
    with Store(store_location) as st, SQLiteIndex(index_path) as idx:
        rejudge(st, Detector(idx))
    kept = run_cli(store_location, index_path, "evidence", "export", ids["metro"], "-o", tmp_path / "metro.zip")
    assert kept.exit_code == 0 and "WITHDRAWN" not in kept.output
    gone = run_cli(store_location, index_path, "evidence", "export", ids["river"], "-o", tmp_path / "river.zip")
    assert gone.exit_code == 0, gone.output
    assert f"finding {ids['river']} was WITHDRAWN" in gone.output and "explained by licensed article metro" in gone.output
    import zipfile
    meta = json.loads(zipfile.ZipFile(tmp_path / "river.zip").read("finding.json"))
    assert meta["finding"]["withdrawn_at"] and "metro" in meta["finding"]["withdrawn_reason"]


def test_a_killed_run_leaves_each_suspect_before_or_after_and_the_next_run_finishes(store_location, index_path):
    ids = old_rules_store(store_location, index_path)

    class Killed(Exception):
        pass

    class DiesAtTheEnd:
        """The connection of a process killed just before its suspect's transaction commits."""

        def __init__(self, conn):
            self.conn = conn

        def execute(self, sql, args=()):
            if sql.startswith("UPDATE suspects SET rules_version"):
                raise Killed
            return self.conn.execute(sql, args)

        def __getattr__(self, name):
            return getattr(self.conn, name)

    with Store(store_location) as st, SQLiteIndex(index_path) as idx:
        real, st.conn = st.conn, DiesAtTheEnd(st.conn)
        with pytest.raises(Killed):
            rejudge(st, Detector(idx))
        st.conn = real
        rows = st.suspect_findings(ids["copy"])
        assert [(r["rules_version"], r["withdrawn_at"]) for r in rows] == [(OLD, None)] * 3  # all or nothing
        assert st.judgements() == {}
        result = rejudge(st, Detector(idx))
        assert result.suspects == 3 and result.counts["withdrawn"] == 2
        assert sorted(f.licensed_id for f in st.list_findings()) == ["metro", "port"]


def test_a_wrong_index_withdraws_nothing(store_location, index_path, tmp_path):
    ids = old_rules_store(store_location, index_path)
    other = tmp_path / "other.db"
    with SQLiteIndex(other) as idx:
        Detector(idx).add([Article("x", UNRELATED, "无关")])
    r = run_cli(store_location, other, "findings", "rejudge")
    assert r.exit_code == 1, r.output
    assert "licensed article metro, port, river not in the licensed index (check --db)" in r.output
    assert "Traceback" not in r.output
    with Store(store_location) as st:
        assert all(not f["withdrawn_at"] for f in st.suspect_findings(ids["copy"]))
        assert st.stale_findings() == 3


def test_the_commands_refuse_until_rejudged_then_show_only_what_the_rules_make(store_location, index_path):
    ids = old_rules_store(store_location, index_path)
    r = run_cli(store_location, index_path, "findings", "list")
    assert r.exit_code == 3 and "not re-judged yet; run `reprintwatch findings rejudge`" in r.output
    assert len(r.output.strip().splitlines()) == 1
    assert run_cli(store_location, index_path, "report", "daily", "--format", "json").exit_code == 3

    r = run_cli(store_location, index_path, "findings", "rejudge")
    assert r.exit_code == 0, r.output
    assert (f"#{ids['river']} withdrawn (licensed river): detection rules {RULES_VERSION}: its copied text is explained"
            " by licensed article metro" in r.output)
    assert "3 of 3 suspect(s) checked again" in r.output and "2 withdrawn, 1 new" in r.output

    r = run_cli(store_location, index_path, "findings", "list", "--format", "json")
    assert r.exit_code == 0, r.output
    listed = [json.loads(line) for line in r.stdout.splitlines() if line.strip()]
    assert sorted(f["licensed_id"] for f in listed) == ["metro", "port"]
    # the complaint filed on a finding later withdrawn stays visible, said so
    r = run_cli(store_location, index_path, "complaint", "status", ids["river"])
    assert r.exit_code == 0 and f"#{ids['river']}  WITHDRAWN" in r.output and "T-1" in r.output
    r = run_cli(store_location, index_path, "complaint", "build", "--finding", ids["river"], "-o",
                index_path.parent / "dossiers")
    assert r.exit_code != 0 and f"finding {ids['river']}" in r.output and "withdrawn" in r.output
    r = run_cli(store_location, index_path, "findings", "rejudge")
    assert r.exit_code == 0 and "0 of 0 suspect(s)" in r.output


def test_serve_refuses_an_old_rules_store_and_hides_withdrawn_findings(store_location, index_path):
    from reprintwatch.config import Settings
    from reprintwatch.report.serve import FindingsView

    ids = old_rules_store(store_location, index_path)
    settings = Settings.load().replace(store=str(store_location), db=str(index_path))
    with pytest.raises(StoreError, match="findings rejudge"):
        FindingsView(settings)
    assert run_cli(store_location, index_path, "findings", "rejudge").exit_code == 0
    view = FindingsView(settings)
    try:
        assert view.finding(ids["river"]) is None and view.finding(ids["metro"]) is not None
    finally:
        view.store.close()


def test_ingest_stamps_its_findings_and_a_store_upgraded_from_version_4_holds_old_rules_findings(tmp_path):
    import sqlite3

    path = tmp_path / "store.db"
    with Store(path) as st:
        sid = st.record_suspect("https://a.example/1", "web", "h", content=COPY)
        st.record_findings(sid, [{"licensed_id": "metro", "verdict": "full_reprint"}])
        assert st.list_findings()[0].rules_version == RULES_VERSION and st.stale_findings() == 0
    # the same store as schema 4 wrote it: no version kept, so its findings count as made by older rules
    conn = sqlite3.connect(path)
    conn.execute("UPDATE meta SET value='4' WHERE key='schema_version'")
    for dropped in ("TABLE finding_judgements", "INDEX findings_rules", "INDEX suspects_rules"):
        conn.execute(f"DROP {dropped}")
    for table, columns in (("findings", ("rules_version", "withdrawn_at", "withdrawn_reason")),
                           ("suspects", ("rules_version",))):
        for column in columns:
            conn.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
    conn.commit()
    conn.close()
    with Store(path) as st:
        assert st.stale_findings() == 1 and st.count_to_rejudge(RULES_VERSION) == 1
        assert st.judgements() == {}


def test_ingest_run_rejudges_a_store_of_older_rules_on_open(site, tmp_path, monkeypatch):
    from ingest_site import build_licensed_index, example_sources, licensed_articles

    db = build_licensed_index(tmp_path / "licensed.db")
    store = tmp_path / "store" / "store.db"
    monkeypatch.setenv("REPRINTWATCH_DB", str(db))
    monkeypatch.setenv("REPRINTWATCH_STORE", str(store))
    sources = example_sources(site, tmp_path)
    run = lambda *args: CliRunner().invoke(cli, list(args), catch_exceptions=False)  # noqa: E731
    assert run("ingest", "run", "--sources", str(sources), "--once", "--no-progress").exit_code == 0
    with Store(store) as st:
        made = {(f.suspect_id, f.licensed_id) for f in st.list_findings()}
        assert made and all(f.rules_version == RULES_VERSION for f in st.list_findings())
        # as older rules left it: no version kept, and one finding the current rules do not make
        sid, other = next((s, a["id"]) for s, _ in sorted(made) for a in licensed_articles() if (s, a["id"]) not in made)
        st.record_findings(sid, [{"licensed_id": other, "verdict": "partial_reprint"}], rules_version=OLD)
        with st.transaction():
            st.conn.execute("UPDATE findings SET rules_version=NULL")
            st.conn.execute("UPDATE suspects SET rules_version=NULL")
    assert run("findings", "list").exit_code == 3
    again = run("ingest", "run", "--sources", str(sources), "--once", "--no-progress")
    assert again.exit_code == 0 and f"{len(made)} finding(s) kept, 0 changed, 1 withdrawn, 0 new" in again.output
    with Store(store) as st:
        assert {(f.suspect_id, f.licensed_id) for f in st.list_findings()} == made  # nothing else, nothing lost
        assert st.stale_findings() == 0 and not st.any_to_rejudge(RULES_VERSION)
    assert run("findings", "list").exit_code == 0
