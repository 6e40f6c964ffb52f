"""Defects a new user and hostile input found in the outer layers (issue 9): each test failed before."""
from __future__ import annotations

import os
import subprocess
import sys

from ingest_site import REPO


def test_jieba_cache_of_another_user_in_tmp_does_not_break_commands(tmp_path):
    shared_tmp = tmp_path / "tmp"
    (shared_tmp / "jieba.cache").mkdir(parents=True)  # stands for a cache file we may not replace
    env = {**os.environ, "TMPDIR": str(shared_tmp), "XDG_CACHE_HOME": str(tmp_path / "cache"),
           "REPRINTWATCH_SEGMENTER": "jieba"}
    r = subprocess.run([sys.executable, "-c", "from reprintwatch.dedupe.segment import segment; "
                        "print('|'.join(segment('新华社消息')))"], cwd=REPO, env=env, capture_output=True, text=True)
    assert r.returncode == 0 and r.stdout.strip() == "新华社|消息"
    assert "Traceback" not in r.stderr and "Error" not in r.stderr, r.stderr
    assert (tmp_path / "cache" / "reprintwatch" / "jieba.cache").is_file()


def test_candidate_ties_are_ordered_by_id_not_by_storage_order(tmp_path):
    from reprintwatch import Article, Detector, SQLiteIndex
    from reprintwatch.index.base import top_candidates

    names = {1: "b", 2: "z", 3: "a"}
    assert top_candidates({3: 5, 1: 5, 2: 7}, 2, lambda keys: {k: names[k] for k in keys}) == [("z", 7), ("a", 5)]
    text = "江南大桥今天正式通车。大桥全长三公里，连接南北两岸，市民步行即可过江。" * 3
    with SQLiteIndex(tmp_path / "i.db") as index:
        detector = Detector(index)
        detector.add([Article(id="zz-late-id", content=text)])  # stored first: the lower rowid
        detector.add([Article(id="aa-early-id", content=text)])
        from reprintwatch.dedupe.fingerprint import fingerprint

        keys = fingerprint(text, index.params).keys
        assert [i for i, _ in index.candidates(keys, 1)] == ["aa-early-id"]


# --- the CLI: one options and output layer, the exit-code contract --------------------------------------
import json  # noqa: E402

import click  # noqa: E402
import pytest  # noqa: E402
from click.testing import CliRunner  # noqa: E402

from reprintwatch.cli import cli  # noqa: E402
from reprintwatch.store import Store  # noqa: E402

from texts import METRO, RIVER, UNRELATED  # noqa: E402


def write_jsonl(path, rows):
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


@pytest.fixture
def home(tmp_path, monkeypatch):
    """A fresh machine: no index, no store (both would go under tmp_path)."""
    monkeypatch.setenv("REPRINTWATCH_DB", str(tmp_path / "licensed.db"))
    monkeypatch.setenv("REPRINTWATCH_STORE", str(tmp_path / "store.db"))
    return tmp_path


@pytest.fixture
def rw():
    runner = CliRunner()
    return lambda *args, **kw: runner.invoke(cli, [str(a) for a in args], **kw)


@pytest.fixture
def indexed(home, rw):
    licensed = write_jsonl(home / "licensed.jsonl", [
        {"id": "metro", "content": METRO, "title": "地铁九号线开通", "outlet": "江南日报"},
        {"id": "river", "content": RIVER, "title": "清溪河", "outlet": "华夏通讯社"},
    ])
    assert rw("index", "add", licensed).exit_code == 0
    return home


def test_global_options_work_before_and_after_the_subcommand(indexed, rw, monkeypatch):
    monkeypatch.delenv("REPRINTWATCH_DB")
    db = indexed / "licensed.db"
    before, after = rw("--db", db, "index", "stats", "--json"), rw("index", "stats", "--json", "--db", db)
    assert before.exit_code == after.exit_code == 0 and json.loads(before.output) == json.loads(after.output)
    with Store(indexed / "other-store.db") as store:
        store.add_licences([__import__("reprintwatch.triage.licences", fromlist=["make_licence"])
                            .make_licence("site", "a.example", "A")])
    for args in (("--store", indexed / "other-store.db", "licence", "list"),
                 ("licence", "list", "--store", indexed / "other-store.db")):
        r = rw(*args)
        assert r.exit_code == 0 and "a.example" in r.output
    assert "--store" in rw("findings", "list", "--help").output and "--db" in rw("scan", "--help").output


def test_help_shows_the_global_options_a_command_uses_in_a_group_of_their_own(home, rw):
    """Nine global options on every subcommand hid each command's own: now a command lists the ones it uses,
    under their own heading, and still accepts the others (hidden) as before."""
    def shown(*path):
        text = rw(*path, "--help").output
        head, _, group = text.partition("Global options (before or after the subcommand):")
        return head, group

    for path in (("extract",), ("evidence", "verify")):
        head, group = shown(*path)
        assert group == "" and "--db" not in head and "--store" not in head and "--es-password" not in head
    head, group = shown("holder", "list")
    assert "--store" in group and "--db" not in group + head and "--es-api-key" not in group
    head, group = shown("scan")
    assert "--db" in group and "--es-api-key" in group and "--store" not in group and "--db" not in head
    head, group = shown("findings", "list")
    assert "--db" in group and "--store" in group
    r = rw("extract", "--db", home / "x.db", "--help")  # accepted, though extract has no use for it
    assert r.exit_code == 0


def test_missing_input_files_are_bad_input_exit_1(home, rw):
    for args in (("scan", home / "nope.jsonl"), ("index", "add", home / "nope.jsonl"), ("check", home / "nope.txt"),
                 ("licence", "import", home / "nope.csv"), ("ingest", "run", "--sources", home / "nope.toml")):
        r = rw(*args)
        assert r.exit_code == 1, (args, r.output)
        assert "nope" in r.output and "no such file" in r.output and "Traceback" not in r.output


def test_missing_store_is_exit_3_everywhere_and_is_not_created(home, rw):
    for args in (("findings", "list"), ("report", "daily"), ("report", "coverage", "--outlet", "A"),
                 ("licence", "remove", "1"), ("evidence", "export", "1", "-o", home / "x.zip")):
        r = rw(*args)
        assert r.exit_code == 3, (args, r.output)
        assert "no store at" in r.output
    r = rw("licence", "list")  # a fresh machine: nothing to list, and nothing created
    assert r.exit_code == 0 and "No licences." in r.output
    assert not (home / "store.db").exists()


def test_unwritable_output_is_a_clear_error(indexed, rw):
    suspects = write_jsonl(indexed / "s.jsonl", [{"id": "s", "content": METRO}])
    (indexed / "file.txt").write_text("x")
    for target in (indexed / "missing" / "dir" / "x.jsonl", indexed / "file.txt" / "x.jsonl"):
        r = rw("scan", suspects, "-o", target)
        assert r.exit_code == 1 and "cannot write the output file" in r.output and "Traceback" not in r.output


def test_unknown_encoding_is_a_usage_error(indexed, rw):
    suspects = write_jsonl(indexed / "s.jsonl", [{"id": "s", "content": METRO}])
    for command in ("scan", "index add"):
        r = rw(*command.split(), suspects, "--encoding", "nonsense")
        assert r.exit_code == 2 and "unknown encoding 'nonsense'" in r.output


def test_a_run_where_every_line_is_bad_fails(indexed, rw):
    bad = indexed / "bad.jsonl"
    bad.write_text("{not json\n" + json.dumps({"id": "x"}) + "\n", encoding="utf-8")
    for command in ("scan", "index add"):
        r = rw(*command.split(), bad)
        assert r.exit_code == 1 and "every line was bad" in r.output, r.output
    mixed = write_jsonl(indexed / "mixed.jsonl", [{"id": "ok", "content": UNRELATED}, {"id": "x"}])
    assert rw("scan", mixed).exit_code == 0  # one good line: the run did its job


def test_jsonl_lone_surrogates_and_deep_nesting_are_skipped_lines(indexed, rw):
    path = indexed / "hostile.jsonl"
    path.write_text(
        '{"id": "surrogate", "content": "新华社消息\\ud83d，地铁九号线今天开通。"}\n'
        '{"id": "title-surrogate", "title": "\\udc00", "content": "新华社消息，地铁九号线今天开通。"}\n'
        + "[" * 200_000 + "]" * 200_000 + "\n"
        '{"id": "ctrl", "content": "a\tb"}\n'.replace("\t", "\x01")
        + json.dumps({"id": "fine", "content": METRO}, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
    for command in ("scan", "index add"):
        r = rw(*command.split(), path)
        assert r.exit_code == 0, r.output
        assert "hostile.jsonl:1: field 'content' holds a lone surrogate (\\ud83d at character 5)" in r.output
        assert "hostile.jsonl:2: field 'title' holds a lone surrogate" in r.output
        assert "hostile.jsonl:3: JSON nested too deeply" in r.output
        assert "hostile.jsonl:4: not valid JSON (Invalid control character at line 1 column" in r.output
        assert "at at" not in r.output and "Traceback" not in r.output and "RecursionError" not in r.output
    assert "Indexed 1 article from" in r.output


def test_csv_cells_are_guarded_in_scan_and_after_a_bare_cr(indexed, rw):
    from reprintwatch.output import csv_cell

    suspects = write_jsonl(indexed / "s.jsonl", [{"id": "=1+1", "content": METRO}])
    r = rw("scan", suspects, "--format", "csv")
    row = r.stdout.splitlines()[1]
    assert row.startswith("'=1+1,metro,")
    assert csv_cell("标题\r@SUM(A1)") == "标题\n'@SUM(A1)" and csv_cell("\r=cmd") == "\n'=cmd"
    assert csv_cell("a\r\n-2+3") == "a\n'-2+3" and csv_cell(-3) == "-3" and csv_cell("\tx") == "'\tx"


def test_page_text_on_a_terminal_is_shown_harmlessly(indexed, rw):
    hostile = "\x1b]0;owned\x07\x1b[2J\u202eevil\u202c"
    article = indexed / "a.json"
    article.write_text(json.dumps({"id": "a" + hostile, "title": "标题" + hostile, "content": METRO}), encoding="utf-8")
    for args in (("check", article), ("scan", write_jsonl(indexed / "s.jsonl", [
            {"id": "s" + hostile, "title": hostile, "content": METRO}]))):
        out = rw(*args).stdout
        assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out
        assert "\\x1b]0;owned\\x07" in out and "\\u202eevil" in out
    with Store(indexed / "store.db") as store:
        sid = store.record_suspect(url="https://x.example/" + hostile, platform="web", content_hash="h",
                                   title=hostile, content=METRO)
        store.record_findings(sid, [{"licensed_id": "metro", "verdict": "full_reprint", "outlet": hostile,
                                     "similarity": 1.0, "licensed_coverage": 1.0, "suspect_coverage": 1.0}])
    out = rw("findings", "list").output
    assert "\x1b" not in out and "\u202e" not in out and "\\x1b" in out


def test_one_candidate_is_singular(indexed, rw):
    from reprintwatch import Article
    from reprintwatch.detector import CheckResult
    from reprintwatch.output import render_text

    assert "(1 candidate checked)" in render_text(CheckResult(Article("x", "内容"), [], (), 1))
    assert "(2 candidates checked)" in render_text(CheckResult(Article("x", "内容"), [], (), 2))


def test_closed_pipe_ends_quietly(home):
    from reprintwatch.triage.licences import make_licence

    with Store(home / "store.db") as store:
        store.add_licences([make_licence("site", f"site{i}.example", "新华社", note="x" * 80) for i in range(3000)])
    env = {**os.environ, "REPRINTWATCH_STORE": str(home / "store.db")}
    proc = subprocess.Popen([sys.executable, "-m", "reprintwatch.cli", "licence", "list"], cwd=REPO, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout.readline().startswith(b"#1 ")
    proc.stdout.close()  # as `| head -1` does
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 0 and err == "", err


def test_html_report_is_not_dumped_on_a_terminal(home):
    import pty

    from report_sample import build_sample

    sample = build_sample(home / "sample")
    env = {**os.environ, "REPRINTWATCH_STORE": str(sample.settings.store), "REPRINTWATCH_DB": str(sample.settings.db)}
    for args, code, expect in ((["report", "daily", "--date", "2026-11-02"], 0, b"Reprint report for 2026-11-02"),
                               (["report", "daily", "--format", "html"], 2, b"needs -o FILE"),
                               (["report", "coverage", "--outlet", "新华社"], 0, b"Where")):
        master, slave = pty.openpty()
        proc = subprocess.Popen([sys.executable, "-m", "reprintwatch.cli", *args], cwd=REPO, env=env, stdout=slave,
                                stderr=slave)
        os.close(slave)
        chunks = []
        while True:
            try:
                data = os.read(master, 65536)
            except OSError:
                break
            if not data:
                break
            chunks.append(data)
        os.close(master)
        out = b"".join(chunks)
        assert proc.wait(timeout=60) == code, out[-500:]
        assert expect in out and b"<!doctype" not in out.lower() and len(out) < 20_000


def test_bad_environment_setting_is_a_usage_error(home, rw, monkeypatch):
    monkeypatch.setenv("REPRINTWATCH_MAX_ARTICLE_BYTES", "lots")
    r = rw("licence", "list")
    assert r.exit_code == 2 and "REPRINTWATCH_MAX_ARTICLE_BYTES" in r.output


def _commands(command, path=()):
    yield path, command
    if isinstance(command, click.Group):
        for name, sub in command.commands.items():
            yield from _commands(sub, path + (name,))


def test_every_command_help_has_an_example(rw):
    missing = []
    for path, command in _commands(cli):
        text = rw(*path, "--help").output
        if not any(line.strip().startswith("reprintwatch ") for line in text.splitlines()):
            missing.append(" ".join(path) or "reprintwatch")
    assert missing == []


def test_global_options_are_listed_where_they_apply(rw):
    """The nine global options are accepted everywhere but listed only on the commands that read the
    licensed index (the eight index options) or the store (--store)."""
    def listed(*path):
        text = rw(*path, "--help").output
        return {o for o in ("--db", "--es-password", "--store") if f"  {o} " in text or f"  {o}\n" in text}

    assert listed("extract") == set() and listed("evidence", "verify") == set()
    assert listed("holder", "list") == {"--store"} and listed("licence", "import") == {"--store"}
    assert listed("report", "daily") == {"--db", "--es-password", "--store"}
    assert listed("index", "stats") == {"--db", "--es-password"}
    assert rw("extract", "--db", "x.db", "--help").exit_code == 0  # still accepted where hidden
    assert "Only the N articles" in rw("report", "coverage", "--help").output
    assert "Only the N reprinters" in rw("findings", "list", "--help").output
    assert "scope,note,timezone" in rw("licence", "import", "--help").output
    assert "…" not in rw("evidence", "verify", "--help").output


# --- Elasticsearch module: one retry layer, bugs stay bugs, one set of open-time checks ------------------


def test_es_open_and_migration_share_one_meta_check():
    from reprintwatch.dedupe.fingerprint import FingerprintParams
    from reprintwatch.errors import LicensedIndexError
    from reprintwatch.index.elasticsearch import MAPPING_VERSION, check_meta

    good = {"reprintwatch": {"mapping_version": MAPPING_VERSION, "fingerprint": FingerprintParams().to_dict()}}
    assert check_meta(good, "rw", "http://127.0.0.1:9")[1] == MAPPING_VERSION
    older = {"reprintwatch": {**good["reprintwatch"], "mapping_version": MAPPING_VERSION - 1}}
    with pytest.raises(LicensedIndexError, match="index migrate"):
        check_meta(older, "rw", "http://127.0.0.1:9")
    assert check_meta(older, "rw", "http://127.0.0.1:9", allow_older=True)[1] == MAPPING_VERSION - 1
    broken = {"reprintwatch": {**good["reprintwatch"], "fingerprint": {"num_perm": 128}}}
    for allow in (False, True):
        with pytest.raises(LicensedIndexError, match="fingerprint parameters are damaged"):
            check_meta(broken, "rw", "http://127.0.0.1:9", allow_older=allow)


def test_es_client_does_not_retry_on_its_own():
    """A server answering 503 gets one request from the client: ElasticsearchIndex._retrying (with back-off)
    is the one retry policy, not client retries under it."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from reprintwatch.index.elasticsearch import ES_ERRORS, make_client

    hits = []

    class Busy(BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(503)
            self.send_header("X-Elastic-Product", "Elasticsearch")
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(b'{"error": "busy", "status": 503}')

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Busy)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    client = make_client(f"http://127.0.0.1:{server.server_address[1]}")
    try:
        with pytest.raises(ES_ERRORS):
            client.indices.get(index="rw")
        assert len(hits) == 1
    finally:
        client.close()
        server.shutdown()


@pytest.mark.elasticsearch
def test_es_a_bug_is_not_reported_as_elasticsearch_failing(es_settings, monkeypatch):
    from reprintwatch.index.elasticsearch import ElasticsearchIndex

    with ElasticsearchIndex.from_settings(es_settings, create=True) as index:
        def broken(*args, **kwargs):
            raise KeyError("a bug in our code")

        monkeypatch.setattr(index, "_msearch", broken)
        with pytest.raises(KeyError, match="a bug in our code"):
            index.candidates(__import__("numpy").arange(5, dtype="int64"), 10)


def test_report_links_the_fetched_url_not_the_pages_own_og_url(tmp_path):
    from reprintwatch.report import daily_report, render

    with Store(tmp_path / "store.db") as store:
        evidence = store.record_page("https://copy.example/p/1", b"<html></html>", final_url="https://copy.example/p/2")
        sid = store.record_suspect(url="https://copy.example/p/1", platform="web", content_hash="h", title="转载",
                                   canonical_url="javascript:alert(document.cookie)", content=METRO,
                                   evidence_id=evidence, checked_at="2026-11-02T01:00:00Z")
        store.record_findings(sid, [{"licensed_id": "metro", "verdict": "full_reprint", "outlet": "江南日报",
                                     "similarity": 1.0, "licensed_coverage": 1.0, "suspect_coverage": 1.0}],
                              created_at="2026-11-02T01:00:00Z")
        page = render(daily_report(store, [], None, __import__("datetime").date(2026, 11, 2)), "html")
    assert 'href="https://copy.example/p/2"' in page and 'href="javascript:' not in page
