"""``reprintwatch serve`` over the sample store: a real server on 127.0.0.1, real HTTP requests, and the
pages opened in headless Chromium (hostile page text shown, never run)."""
from __future__ import annotations

import csv
import hashlib
import io
import json
import urllib.error
import urllib.parse
import urllib.request

import lxml.html
import pytest

from report_sample import build_sample
from reprintwatch.index import SQLiteIndex
from reprintwatch.report.render import BOM
from reprintwatch.report.serve import SERVE_CSP, serving
from test_report_browser import dump_dom, find_chromium


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    return build_sample(tmp_path_factory.mktemp("serve"))


@pytest.fixture(scope="module")
def base(sample):
    """The server's URL; it runs in its own thread (SQLite connections stay in the thread that made them)."""
    with serving(sample.settings, page_size=3, open_index=lambda s: SQLiteIndex(s.db, create=False)) as url:
        yield url


def get(url: str, method: str = "GET", headers: dict | None = None):
    req = urllib.request.Request(url, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return resp.status, dict(resp.headers), resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def html_of(url: str):
    status, headers, body = get(url)
    assert status == 200, body[:500]
    return headers, lxml.html.document_fromstring(body.decode("utf-8"))


def test_browse_filter_sort_and_page(base, sample):
    headers, page = html_of(base + "/")
    assert headers["Content-Security-Policy"] == SERVE_CSP and headers["X-Content-Type-Options"] == "nosniff"
    assert not page.xpath("//script")
    assert "9 finding(s)" in page.text_content()
    assert len(page.xpath("//tr[contains(@class,'finding-row')]")) == 3  # page size 3
    _, last = html_of(base + "/?page=3")
    assert len(last.xpath("//tr[contains(@class,'finding-row')]")) == 3
    _, page = html_of(base + "/?" + urllib.parse.urlencode({"authorised": "no", "platform": "wechat", "sort": "id"}))
    ids = [int(r.xpath("td")[0].text_content()) for r in page.xpath("//tr[contains(@class,'finding-row')]")]
    wechat = [sample.finding_ids[k] for k in ("s2-credited", "s7-expired", "s9-oct31")]
    assert ids == sorted(wechat)
    _, page = html_of(base + "/?sort=-similarity&outlet=" + urllib.parse.quote("南方日报"))
    sims = [float(r.xpath("td")[5].text_content()) for r in page.xpath("//tr[contains(@class,'finding-row')]")]
    assert sims == sorted(sims, reverse=True) and len(sims) == 3
    # the filter form keeps what was asked
    assert page.xpath("//select[@name='outlet']/option[@selected]/@value") == ["南方日报"]


def test_first_screen_shows_findings_and_reprinters_link_to_them(base, sample):
    _, page = html_of(base + "/?summary=1")
    text = lxml.html.tostring(page, encoding="unicode")
    assert text.index("finding-row") < text.index('id="summary"') < text.index('class="cards"')
    assert "days and times in Asia/Shanghai (UTC+08:00)" in page.text_content()
    who = page.xpath("//h3[text()='Who copied most']/following-sibling::table[1]//td[1]/a")
    assert who and all(a.get("href").startswith("/?reprinter=") for a in who)
    name = who[0].text_content()
    _, filtered = html_of(base + who[0].get("href"))
    rows = filtered.xpath("//tr[contains(@class,'finding-row')]")
    assert rows and f"reprinter {name}" in filtered.text_content()
    # each finding's page says what became of the copy (nothing recorded in the sample yet; a row says it
    # once there is something to say: tests/test_complaint_e2e.py)
    fid = sample.finding_ids["s1-stripped"]
    _, one = html_of(f"{base}/finding/{fid}")
    assert one.xpath("//dt[text()='Removal · complaints']/following-sibling::dd[1]")[0].text_content() == (
        "not re-checked; no complaint recorded")


def test_one_finding_side_by_side_and_hostile_text(base, sample):
    fid = sample.finding_ids["s6-hostile"]
    status, headers, body = get(f"{base}/finding/{fid}")
    text = body.decode("utf-8")
    assert status == 200 and "<script" not in text.lower() and "&lt;script&gt;document.title" in text
    page = lxml.html.document_fromstring(text)
    assert page.xpath("//div[contains(@class,'licensed')]//mark") and page.xpath("//div[contains(@class,'copy')]//mark")
    assert get(f"{base}/finding/99999")[0] == 404 and get(f"{base}/finding/x")[0] == 404


def test_downloads(base, sample):
    status, headers, body = get(base + "/findings.csv?authorised=no")
    assert status == 200 and headers["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8"))))
    assert len(rows) == 8 and {r["authorised"] for r in rows} == {"false"}
    _, _, excel = get(base + "/findings.csv?authorised=no&excel=1")
    assert excel.decode("utf-8").startswith(BOM) and excel.decode("utf-8")[1:] == body.decode("utf-8")
    status, headers, body = get(base + "/findings.json?top=1")
    data = json.loads(body)
    assert status == 200 and len({d["reprinter"] for d in data}) == 1


def test_coverage(base):
    _, page = html_of(base + "/coverage")
    outlets = page.xpath("//li/a/text()")
    assert outlets == ["南方日报", "新华社", "江南晚报"]
    _, page = html_of(base + "/coverage?outlet=" + urllib.parse.quote("新华社"))
    assert page.xpath("//h1")[0].text_content().startswith("Where 新华社's articles went")
    links = page.xpath("//tr[contains(@class,'finding-row')]//a/@href")
    assert len(links) == 4 and all(link.startswith("/finding/") for link in links)


def test_read_only_and_local_only(base, sample):
    before = hashlib.sha256(sample.settings.store.read_bytes()).hexdigest()
    assert get(base + "/", method="POST")[0] == 405
    assert get(base + "/", method="DELETE")[0] == 405
    assert get(base + "/", headers={"Host": "attacker.example"})[0] == 403  # DNS rebinding
    assert get(base + "/?since=yesterday")[0] == 400
    assert get(base + "/?sort=evil")[0] == 400
    assert get(base + "/nope")[0] == 404
    for path in ("/", "/findings.csv", "/coverage?outlet=x", "/finding/1"):
        get(base + path)
    assert hashlib.sha256(sample.settings.store.read_bytes()).hexdigest() == before


def test_pages_in_headless_chromium(base, sample, tmp_path):
    chromium = find_chromium()
    fid = sample.finding_ids["s6-hostile"]

    class Url:
        def __init__(self, url):
            self.url = url

        def as_uri(self):
            return self.url

    dom = lxml.html.document_fromstring(dump_dom(chromium, Url(f"{base}/finding/{fid}"), tmp_path / "p1"))
    assert dom.get("data-pwned") is None and "PWNED" not in (dom.findtext(".//title") or "").split(":")[0]
    assert not dom.xpath("//script") and not dom.xpath("//img")
    assert '<script>document.title="PWNED"' in " ".join(d.text_content() for d in dom.xpath("//div[contains(@class,'copy')]"))
    dom = lxml.html.document_fromstring(dump_dom(chromium, Url(f"{base}/?authorised=no"), tmp_path / "p2"))
    assert dom.xpath("//p[contains(@class,'headline')]") and dom.xpath("//form[@method='get']")


# --- issue 21: one idle socket cannot stall the view; huge ids, bad dates and failures keep the headers --------

SECURITY_HEADERS = ("Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy", "X-Frame-Options")


def test_an_idle_connection_does_not_stall_other_requests(sample, monkeypatch):
    import socket
    import time
    from concurrent.futures import ThreadPoolExecutor

    from reprintwatch.report import serve as serve_module

    monkeypatch.setattr(serve_module._QuietHandler, "timeout", 1.5)
    with serving(sample.settings, page_size=3) as url:
        port = int(url.rsplit(":", 1)[1])
        idle = socket.create_connection(("127.0.0.1", port))  # connects, sends nothing
        dribble = socket.create_connection(("127.0.0.1", port))
        dribble.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1")  # headers never finished
        try:
            t0 = time.monotonic()
            with ThreadPoolExecutor(6) as tabs:  # several tabs and a script at once
                statuses = list(tabs.map(lambda p: get(url + p)[0], ["/", "/?page=2", "/coverage",
                                                                     "/findings.csv", "/findings.json", "/?page=3"]))
            assert statuses == [200] * 6 and time.monotonic() - t0 < 1.5
            idle.settimeout(10)
            t0 = time.monotonic()
            assert idle.recv(100) == b""  # the server closed the silent socket after its timeout
            assert time.monotonic() - t0 < 5
        finally:
            idle.close()
            dribble.close()


@pytest.mark.parametrize("path", ["/finding/99999999999999999999999", "/finding/9223372036854775808",
                                  "/finding/-1", "/finding/0", "/finding/" + "9" * 5000])
def test_huge_or_negative_ids_are_404_with_the_security_headers(base, path):
    status, headers, body = get(base + path)
    assert status == 404 and headers["Content-Type"].startswith("text/html")
    assert all(name in headers for name in SECURITY_HEADERS) and headers["Content-Security-Policy"] == SERVE_CSP


@pytest.mark.parametrize("query", ["since=2026-01-01T25:99", "until=2026-02-30", "since=2026-01-01Tx",
                                   "since=2026-01-01%00"])
def test_bad_dates_are_400(base, query):
    status, headers, body = get(f"{base}/?{query}")
    assert status == 400 and all(name in headers for name in SECURITY_HEADERS), body[:300]
    assert get(f"{base}/?since=2026-01-01T08:00")[0] == 200


def test_a_failing_page_is_500_with_the_same_headers_and_one_log_line(sample, capsys):
    from reprintwatch.report.serve import App, FindingsView

    view = FindingsView(sample.settings)
    view.store.close()  # every read now fails inside the page: a real failure, not a stub
    answers = []
    body = App(view)({"REQUEST_METHOD": "GET", "PATH_INFO": "/", "QUERY_STRING": ""},
                     lambda status, headers: answers.append((status, dict(headers))))
    status, headers = answers[0]
    assert status.startswith("500") and all(name in headers for name in SECURITY_HEADERS)
    assert b"Internal server error" in b"".join(body)
    log = capsys.readouterr().err.strip().splitlines()
    assert len(log) == 1 and log[0].startswith("serve: 500 for '/'") and "Traceback" not in log[0]


def test_a_damaged_index_found_while_serving_is_503_with_the_way_out(tmp_path):
    """The index is not quick-checked at start (it reaches GBs): damage that a page reads (here the licensed
    articles' pages, read for the side-by-side texts) is a 503 naming the file and the way out, not a 400."""
    import sqlite3

    from test_databases import damage

    sample = build_sample(tmp_path / "s")
    index = sample.settings.db
    conn = sqlite3.connect(index)
    pages = [p for (p,) in conn.execute("SELECT pageno FROM dbstat WHERE name='articles' AND pagetype='leaf'")]
    size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    for page in pages:
        damage(index, (page - 1) * size + 8, size - 16, seed=page)
    with serving(sample.settings, page_size=3, open_index=lambda s: SQLiteIndex(s.db, create=False)) as url:
        status, headers, body = get(f"{url}/finding/{sample.finding_ids['s1-stripped']}")
    text = body.decode("utf-8")
    assert status == 503 and all(name in headers for name in SECURITY_HEADERS)
    assert "is damaged" in text and "PRAGMA integrity_check" in text and ".recover" in text
