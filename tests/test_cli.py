"""The command line, used the way the README shows it."""
import json

import pytest
from click.testing import CliRunner

from reprintwatch.cli import cli

from texts import FLASH, METRO, RIVER, UNRELATED


def jsonl(path, rows, encoding="utf-8"):
    path.write_bytes("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode(encoding))
    return path


@pytest.fixture
def env(tmp_path, monkeypatch):
    monkeypatch.setenv("REPRINTWATCH_DB", str(tmp_path / "licensed.db"))
    return tmp_path


@pytest.fixture
def runner():
    return CliRunner()


@pytest.fixture
def indexed(env, runner):
    licensed = jsonl(env / "licensed.jsonl", [
        {"id": "metro", "content": METRO, "title": "地铁九号线开通", "outlet": "江南日报", "url": "https://example.com/m"},
        {"id": "river", "content": RIVER, "title": "清溪河", "outlet": "华夏通讯社"},
        {"id": "flash", "content": FLASH, "title": "台风预警", "outlet": "东海晚报"},
    ])
    result = runner.invoke(cli, ["index", "add", str(licensed)])
    assert result.exit_code == 0, result.output
    assert "3 new" in result.output
    return env


def test_index_add_reports_bad_lines_with_file_and_line(env, runner):
    path = env / "mixed.jsonl"
    path.write_text(
        json.dumps({"id": "ok", "content": METRO}, ensure_ascii=False) + "\n"
        "{not json\n"
        + json.dumps({"id": "nocontent"}) + "\n"
        + json.dumps({"content": "缺少编号"}, ensure_ascii=False) + "\n"
        + json.dumps({"id": "empty", "content": "   "}) + "\n"
        + json.dumps({"id": "bin", "content": "\x00\x01\x02" * 50}) + "\n"
        + json.dumps({"id": "date", "content": RIVER, "published_at": "yesterday"}) + "\n",
        encoding="utf-8",
    )
    result = runner.invoke(cli, ["index", "add", str(path)])
    assert result.exit_code == 0
    for line, reason in [(2, "not valid JSON"), (3, "missing required field 'content'"), (4, "missing required field 'id'"),
                         (5, "content is empty"), (6, "content looks binary"), (7, "published_at is not ISO 8601")]:
        assert f"mixed.jsonl:{line}: {reason}" in result.output
    assert "1 new" in result.output and "6 bad lines skipped" in result.output


def test_strict_fails_on_the_first_bad_line(env, runner):
    path = env / "bad.jsonl"
    path.write_text('{"id": "x"}\n', encoding="utf-8")
    result = runner.invoke(cli, ["index", "add", "--strict", str(path)])
    assert result.exit_code == 1
    assert "bad.jsonl:1" in result.output and "Traceback" not in result.output


def test_gbk_files_are_decoded(env, runner):
    path = jsonl(env / "gbk.jsonl", [{"id": "gbk", "content": RIVER, "outlet": "华夏通讯社"}], encoding="gbk")
    assert runner.invoke(cli, ["index", "add", str(path)]).exit_code == 0
    result = runner.invoke(cli, ["scan", str(jsonl(env / "s.jsonl", [{"id": "s", "content": RIVER}])), "--format", "jsonl"])
    assert json.loads(result.output.splitlines()[0])["matches"][0]["licensed_id"] == "gbk"


def test_undecodable_line_is_reported(env, runner):
    path = env / "broken.jsonl"
    path.write_bytes(json.dumps({"id": "a", "content": METRO}, ensure_ascii=False).encode() + b"\n" +
                     b'{"id": "b", "content": "\xff\xfe\xfa"}\n')
    result = runner.invoke(cli, ["index", "add", "--encoding", "utf-8", str(path)])
    assert "broken.jsonl:2: cannot decode as utf-8" in result.output


def test_oversized_lines_are_skipped(env, runner, monkeypatch):
    monkeypatch.setenv("REPRINTWATCH_MAX_ARTICLE_BYTES", "20000")
    path = env / "big.jsonl"
    path.write_text(json.dumps({"id": "big", "content": "大" * 30000}, ensure_ascii=False) + "\n"
                    + json.dumps({"id": "ok", "content": METRO}, ensure_ascii=False) + "\n", encoding="utf-8")
    result = runner.invoke(cli, ["index", "add", str(path)])
    assert "big.jsonl:1: line is over 20,000 bytes" in result.output
    assert "1 new" in result.output


def test_scan_jsonl_is_one_line_per_input_article_in_order(indexed, runner):
    suspects = jsonl(indexed / "suspects.jsonl", [
        {"id": "copy", "content": "点击上方蓝字关注\n" + METRO},
        {"id": "clean", "content": UNRELATED},
        {"id": "broken"},
        {"id": "excerpt", "content": UNRELATED + "\n".join(METRO.split("\n")[2:4])},
    ])
    result = runner.invoke(cli, ["scan", str(suspects), "--format", "jsonl"])
    assert result.exit_code == 0
    lines = [json.loads(l) for l in result.stdout.splitlines()]
    assert [l["id"] for l in lines] == ["copy", "clean", "excerpt"]
    copy, clean, excerpt = lines
    assert copy["matches"][0]["licensed_id"] == "metro" and copy["matches"][0]["verdict"] == "full_reprint"
    assert set(copy["matches"][0]) == {"licensed_id", "outlet", "title", "url", "verdict", "similarity",
                                       "licensed_coverage", "suspect_coverage", "passages"}
    assert clean["matches"] == []
    assert excerpt["matches"][0]["licensed_id"] == "metro" and excerpt["matches"][0]["verdict"] == "partial_reprint"
    assert "suspects.jsonl:3: missing required field 'content'" in result.stderr
    assert "Scanned 3 articles: 2 with reprints; 1 bad line skipped." in result.stderr


def test_scan_csv_and_output_file(indexed, runner):
    suspects = jsonl(indexed / "s.jsonl", [{"id": "copy", "content": FLASH}])
    out = indexed / "out.csv"
    assert runner.invoke(cli, ["scan", str(suspects), "--format", "csv", "-o", str(out)]).exit_code == 0
    header, row = out.read_text(encoding="utf-8").splitlines()
    assert header.startswith("suspect_id,licensed_id,outlet")
    assert row.startswith("copy,flash,东海晚报")


def test_check_a_text_file_shows_source_and_passages(indexed, runner):
    page = indexed / "page.txt"
    page.write_text("长按识别二维码关注\n" + METRO.replace("地铁", "地鐵"), encoding="utf-8")
    result = runner.invoke(cli, ["check", str(page)])
    assert result.exit_code == 0
    assert "full_reprint" in result.output and "metro" in result.output and "江南日报" in result.output
    assert "suspect[" in result.output and "licensed[" in result.output


def test_check_html_and_stdin_json(indexed, runner):
    page = indexed / "page.html"
    body = "".join(f"<p>{p}</p>" for p in RIVER.split("\n"))
    page.write_text(f"<html><head><title>转</title><script>alert(1)</script></head><body>{body}</body></html>",
                    encoding="utf-8")
    result = runner.invoke(cli, ["check", str(page), "--format", "json"])
    data = json.loads(result.output)
    assert data["id"] == "page" and data["matches"][0]["licensed_id"] == "river"
    result = runner.invoke(cli, ["check", "-", "--format", "json"], input=json.dumps({"id": "in", "content": FLASH}))
    assert json.loads(result.output)["matches"][0]["licensed_id"] == "flash"


def test_check_refuses_non_http_urls_and_missing_files(indexed, runner):
    assert "only http(s)" in runner.invoke(cli, ["check", "file:///etc/passwd"]).output
    result = runner.invoke(cli, ["check", str(indexed / "nope.txt")])
    assert result.exit_code == 1 and "no such file" in result.output


def test_check_and_extract_read_a_file_the_same_way(indexed, runner, monkeypatch):
    """One "URL, file or -" reader: the same refusals, and a saved page held to the limit of a fetched one
    (check read only REPRINTWATCH_MAX_ARTICLE_BYTES of it before, and judged a truncated page)."""
    for command in ("check", "extract"):
        r = runner.invoke(cli, [command, "ftp://example.com/a.html"])
        assert r.exit_code == 1 and "only http(s) URLs, files and - (stdin) can be read" in r.output, command
    monkeypatch.setenv("REPRINTWATCH_MAX_ARTICLE_BYTES", "20000")
    page = indexed / "long.html"
    filler = "<script>var ad = '" + "广告" * 10000 + "';</script>"  # 60,000 bytes of page before the article
    page.write_text(f"<html><head><title>地铁</title>{filler}</head><body><article><p>"
                    + METRO.replace("\n", "</p><p>") + "</p></article></body></html>", encoding="utf-8")
    r = runner.invoke(cli, ["check", str(page), "--format", "json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.output)["matches"][0]["licensed_id"] == "metro"  # the article after the filler was read
    monkeypatch.setenv("REPRINTWATCH_FETCH_MAX_BYTES", "30000")
    for command in ("check", "extract"):
        r = runner.invoke(cli, [command, str(page)])
        assert r.exit_code == 1 and "over the limit of 30,000 bytes (REPRINTWATCH_FETCH_MAX_BYTES)" in r.output, command


def test_missing_index_exits_3(env, runner):
    page = env / "p.txt"
    page.write_text(METRO, encoding="utf-8")
    result = runner.invoke(cli, ["--db", str(env / "missing.db"), "check", str(page)])
    assert result.exit_code == 3 and "no licensed index" in result.output


def test_index_stats_and_delete(indexed, runner):
    stats = json.loads(runner.invoke(cli, ["index", "stats", "--json"]).output)
    assert stats["articles"] == 3 and stats["outlets"]["江南日报"] == 1
    result = runner.invoke(cli, ["index", "delete", "metro", "ghost"])
    assert "Deleted 1 article." in result.output and "Not in the index: ghost" in result.output
    assert json.loads(runner.invoke(cli, ["index", "stats", "--json"]).output)["articles"] == 2


def test_check_a_url_fetches_the_page_and_keeps_evidence(indexed, runner, httpserver, monkeypatch):
    import sqlite3

    monkeypatch.setenv("REPRINTWATCH_STORE", str(indexed / "store.db"))
    body = "".join(f"<p>{p}</p>" for p in METRO.split("\n"))
    page = (f'<html><head><meta property="og:title" content="地铁来了"></head><body>'
            f'<h1 id="activity-name">地铁来了</h1><a id="js_name">城事早知道</a>'
            f'<div id="js_content"><p>点击上方蓝字关注我们</p>{body}</div></body></html>')
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    httpserver.expect_request("/s/abc").respond_with_data(page.encode("utf-8"), content_type="text/html; charset=utf-8")
    result = runner.invoke(cli, ["check", httpserver.url_for("/s/abc"), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["matches"][0]["licensed_id"] == "metro"
    rows = sqlite3.connect(indexed / "store.db").execute("SELECT url, status, sha256 FROM evidence").fetchall()
    assert [(r[0], r[1]) for r in rows] == [(httpserver.url_for("/s/abc"), 200)] and len(rows[0][2]) == 64


def test_check_an_unreachable_url_names_it(indexed, runner, monkeypatch):
    monkeypatch.setenv("REPRINTWATCH_STORE", str(indexed / "store.db"))
    result = runner.invoke(cli, ["check", "http://127.0.0.1:9/gone"])
    assert result.exit_code == 1 and "http://127.0.0.1:9/gone" in result.output and "Traceback" not in result.output


def test_check_a_gbk_html_page_declared_in_meta(indexed, runner):
    page = indexed / "gbk.html"
    body = "".join(f"<p>{p}</p>" for p in RIVER.split("\n"))
    page.write_bytes(f'<html><head><meta charset="gbk"></head><body>{body}</body></html>'.encode("gbk"))
    data = json.loads(runner.invoke(cli, ["check", str(page), "--format", "json"]).output)
    assert data["matches"][0]["licensed_id"] == "river"


def test_check_refuses_empty_and_binary_input(indexed, runner):
    empty, binary = indexed / "empty.txt", indexed / "blob.txt"
    empty.write_text("  \n", encoding="utf-8")
    binary.write_bytes(b"\x00\x01\x02PK\x03\x04" * 100)
    assert "input is empty" in runner.invoke(cli, ["check", str(empty)]).output
    result = runner.invoke(cli, ["check", str(binary)])
    assert result.exit_code == 1 and "binary" in result.output


def test_a_50_mb_article_is_skipped_and_the_run_goes_on(env, runner):
    path = env / "huge.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        fh.write('{"id": "huge", "content": "' + "新闻" * (25 * 1024 * 1024 // 3 * 2) + '"}\n')
        fh.write(json.dumps({"id": "ok", "content": METRO}, ensure_ascii=False) + "\n")
    assert path.stat().st_size > 50_000_000
    result = runner.invoke(cli, ["index", "add", str(path)])
    assert result.exit_code == 0
    assert "huge.jsonl:1: line is over 5,242,880 bytes" in result.output
    assert "1 new" in result.output and "1 bad line skipped" in result.output
