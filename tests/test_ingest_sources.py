"""The sources file (TOML) and local inputs (directory, JSONL, WARC)."""
import io

import pytest

from reprintwatch import Detector, SQLiteIndex
from reprintwatch.errors import BadInput
from reprintwatch.ingest.fetch import USER_AGENT
from reprintwatch.ingest.runner import Runner
from reprintwatch.ingest.sources import load_sources, parse_duration, parse_size
from reprintwatch.store import Store

from ingest_site import FIXTURES, REPO, build_licensed_index, licensed_articles


def test_example_sources_file():
    sources = load_sources(REPO / "data" / "sources.example.toml")
    assert [(s.name, s.type) for s in sources] == [
        ("aggregator-rss", "feed"), ("selfmedia-atom", "feed"), ("wechat-watch", "pages")]
    rss, atom, wechat = sources
    assert rss.policy.delay == 1.0 and rss.policy.connect_timeout == 10.0 and rss.policy.read_timeout == 30.0
    assert rss.policy.max_bytes == 10_000_000 and rss.policy.robots is True and rss.policy.user_agent == USER_AGENT
    assert atom.recheck == 6 * 3600
    assert wechat.policy.delay == 3.0 and wechat.urls[0] == "https://mp.weixin.qq.com/s/LibRaRyRePrInT01"


@pytest.mark.parametrize("text, message", [
    ("[[source]]\nname = 'a'\ntype = 'feed'\nurl = 'file:///etc/passwd'\n", "source #1 (a): url: refusing scheme 'file'"),
    ("[[source]]\nname = 'a'\ntype = 'rss'\nurl = 'https://x.org/'\n", "'type' must be one of"),
    ("[[source]]\nname = 'a'\ntype = 'pages'\n", "needs 'urls'"),
    ("[[source]]\nname = 'a'\ntype = 'local'\npath = 'x'\n[[source]]\nname = 'a'\ntype = 'local'\npath = 'y'\n", "duplicate source name"),
    ("[defaults]\ndelay = 'soon'\n[[source]]\nname = 'a'\ntype = 'local'\npath = 'x'\n", "[defaults]: delay: not a duration"),
    ("[[source]]\nname = 'a'\ntype = 'local'\npath = 'x'\nspeed = 3\n", "unknown key(s): speed"),
    ("[[source]\nname = 'a'", "not valid TOML"),
    ("", "no [[source]] entries"),
])
def test_bad_sources_files_name_the_problem(tmp_path, text, message):
    path = tmp_path / "sources.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(BadInput) as err:
        load_sources(path)
    assert str(path) in str(err.value) and message in str(err.value)


def test_durations_and_sizes():
    assert parse_duration("10m", "x") == 600 and parse_duration("500ms", "x") == 0.5 and parse_duration(3, "x") == 3
    assert parse_size("5MB", "x") == 5_000_000 and parse_size("1KiB", "x") == 1024
    with pytest.raises(BadInput):
        parse_duration("-1", "x")


def _warc(path, records):
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for url, status, content_type, body in records:
            headers = StatusAndHeaders(f"{status} OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=headers))


def test_local_directory_jsonl_and_warc(tmp_path):
    library, rice = licensed_articles()
    crawl = tmp_path / "crawl"
    crawl.mkdir()
    (crawl / "a-wechat.html").write_bytes((FIXTURES / "wechat_reprint.html").read_bytes())
    (crawl / "b-gbk.html").write_bytes((FIXTURES / "news_gbk.html").read_bytes())
    (crawl / "c-note.txt").write_text("一段与任何授权稿件都无关的文字，记录社区停车位改造的讨论。", encoding="utf-8")
    (crawl / "d-empty.txt").write_bytes(b"")
    (crawl / "ignored.pdf").write_bytes(b"%PDF-1.4")
    (crawl / "e.jsonl").write_text(
        '{"id": "j1", "content": "' + rice["content"].replace("\n", "\\n") + '", "url": "https://copy.example/j1"}\n'
        'not json\n', encoding="utf-8")
    _warc(crawl / "f.warc.gz", [
        ("https://copycat.example/lib.html", 200, "text/html; charset=utf-8", (FIXTURES / "unrelated.html").read_bytes()),
        ("https://copycat.example/gone.html", 404, "text/html", b"<html>not found</html>"),
        ("https://copycat.example/logo.png", 200, "image/png", b"\x89PNG"),
    ])
    sources_file = tmp_path / "s.toml"
    sources_file.write_text("[[source]]\nname = 'crawl'\ntype = 'local'\npath = 'crawl'\n", encoding="utf-8")
    index = SQLiteIndex(build_licensed_index(tmp_path / "licensed.db"))
    with Store(tmp_path / "store.db") as store:
        runner = Runner(store, Detector(index), load_sources(sources_file))
        counters = runner.run_once()
        got = {url.rsplit("/", 1)[-1]: (platform, status) for url, platform, status in
               store.conn.execute("SELECT url, platform, status FROM suspects")}
        assert got == {
            "a-wechat.html": ("wechat", "ok"), "b-gbk.html": ("local", "ok"), "c-note.txt": ("local", "ok"),
            "d-empty.txt": ("local", "error"), "j1": ("local", "ok"), "e.jsonl#2": ("local", "error"),
            "lib.html": ("local", "ok"), "gone.html": ("local", "error"),
        }
        found = sorted((r.url.rsplit("/", 1)[-1], r["licensed_id"]) for r in store.list_findings())
        assert found == [("a-wechat.html", "dh-0001"), ("b-gbk.html", "xl-0002"), ("j1", "xl-0002")]
        assert counters.new == 5 and counters.errors == 3
        # a second pass over unchanged files records nothing new
        again = Runner(store, Detector(index), load_sources(sources_file)).run_once()
        assert again.new == 0 and store.counts()["suspects"] == 8
    index.close()
