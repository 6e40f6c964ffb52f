"""From findings to takedown on the local test site (a real HTTP server): ingest → rights holders →
dossier (opened in headless Chromium) → pages replaced by removal notices → recheck → the report shows
status and time to removal. Also: an interrupted recheck is resumed."""
import csv
import datetime as dt
import io
import json
import zipfile

import lxml.html
import pytest
from click.testing import CliRunner

from ingest_site import example_sources
from test_ingest_run import env  # noqa: F401  (the licensed index and store of the ingest tests)
from reprintwatch.cli import cli
from reprintwatch.complaint.recheck import recheck
from reprintwatch.ingest.fetch import Fetcher, FetchPolicy
from reprintwatch.store import Store

COMPLAINT_NOTICE = (
    "<!DOCTYPE html><html><head><meta charset='utf-8'><title></title></head><body><div class='weui-msg'>"
    "<h2 class='weui-msg__title'>此内容被投诉且经审核涉嫌侵权，无法查看</h2></div></body></html>"
)
AUTHOR_NOTICE = (
    "<!DOCTYPE html><html><head><meta charset='utf-8'></head><body><div class='weui-msg'>"
    "<h2 class='weui-msg__title'>该内容已被发布者删除</h2></div></body></html>"
)


def run(*args):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def ingest(site, env):
    r = run("ingest", "run", "--sources", str(example_sources(site, env)), "--once")
    assert r.exit_code == 0, r.output
    with Store(env / "store" / "store.db") as store:
        return {f["url"].replace(site.base, ""): f["finding_id"] for f in store.list_findings()}


def test_findings_to_dossier_to_takedown(site, env, tmp_path):
    from test_report_browser import dump_dom, find_chromium

    found = ingest(site, env)
    wechat, news = found["/mp/s/LibRaRyRePrInT01"], found["/news/2026/rice.html"]
    for outlet, name in (("东湖晚报", "东湖晚报社"), ("西岭日报", "西岭日报社")):
        r = run("holder", "add", "--outlet", outlet, "--name", name, "--address", "测试市测试路1号",
                "--contact", "法务部 000-0000", "--proof", f"国作登字-2026-A-{outlet}")
        assert r.exit_code == 0, r.output

    # dossiers: one per respondent and outlet, verifiable, readable in a real browser
    find_chromium()  # skipped without a browser (a failure in CI)
    r = run("complaint", "build", "-o", str(tmp_path / "dossiers"), "--pdf")
    assert r.exit_code == 0, r.output
    zips = sorted((tmp_path / "dossiers").glob("*.zip"))
    assert len(zips) == 2
    for z in zips:
        assert run("evidence", "verify", str(z)).exit_code == 0
        assert zipfile.ZipFile(z).read("dossier.pdf")[:5] == b"%PDF-"
        assert z.with_suffix(".pdf").read_bytes() == zipfile.ZipFile(z).read("dossier.pdf")
    wechat_zip = next(z for z in zips if json.loads(zipfile.ZipFile(z).read("dossier.json"))["outlet"] == "东湖晚报")
    page = wechat_zip.with_suffix(".html")
    dom = lxml.html.document_fromstring(dump_dom(find_chromium(), page, tmp_path / "profile"))
    text = dom.text_content()
    assert "著作权侵权投诉书" in text and "东湖晚报社" in text and "被投诉人：东湖城事通（微信公众号" in text
    assert "侵权链接" + site.base + "/mp/s/LibRaRyRePrInT01" in text  # the address that served the copy
    assert "页面自称链接http://mp.weixin.qq.com/s/LibRaRyRePrInT01" in text  # the page's canonical claim
    assert not dom.xpath("//script") and dom.xpath("//mark")

    # complaints filed three days ago; the copies still online at the first recheck
    filed = (dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=3)).replace(microsecond=0).isoformat()
    assert run("complaint", "record", str(wechat), str(news), "--filed-at", filed, "--channel", "微信公众平台侵权投诉",
               "--reference", "WX-1").exit_code == 0
    r = run("recheck", "--delay", "0")
    assert r.exit_code == 0, r.output
    assert f"#{wechat} online" in r.output and f"#{news} online" in r.output

    # the platform takes the WeChat copy down after the complaint; the news page is gone (404)
    site.add("/mp/s/LibRaRyRePrInT01", COMPLAINT_NOTICE, content_type="text/html; charset=utf-8")
    del site.routes["/news/2026/rice.html"]
    r = run("recheck", "--sources", str(env / "sources.toml"))  # each copy fetched as its source says (no delay here)
    assert r.exit_code == 0, r.output
    assert f"#{wechat} removed_after_complaint" in r.output and f"#{news} removed" in r.output
    status = {s["finding_id"]: s for s in json.loads(run("complaint", "status", "--format", "json").output)}
    assert [h["state"] for h in status[wechat]["history"]] == ["online", "removed_after_complaint"]
    assert status[wechat]["history"][1]["detail"] == "notice: 此内容被投诉且经审核涉嫌侵权，无法查看"
    assert [h["state"] for h in status[news]["history"]] == ["online", "removed"]
    assert status[news]["history"][1]["http_status"] == 404
    with Store(env / "store" / "store.db") as store:  # the notice page itself is kept as evidence
        evidence_id = status[wechat]["history"][1]["evidence_id"]
        assert "被投诉且经审核涉嫌侵权".encode() in store.evidence_bytes(evidence_id)

    # removed findings are no longer open: a third recheck fetches nothing
    hits = dict(site.hits)
    assert run("recheck", "--delay", "0").exit_code == 0
    assert site.hits.get("/mp/s/LibRaRyRePrInT01") == hits.get("/mp/s/LibRaRyRePrInT01")

    # the takedown figures (complaint.takedown): status and time to removal, per platform and reprinter
    from reprintwatch.complaint.takedown import render_takedown_text, takedown_for

    with Store(env / "store" / "store.db") as store:
        t = takedown_for(store, store.licences(), store.list_findings())
    assert (t["findings"], t["complained"], t["removed"], t["removed_after_complaint_notice"]) == (2, 2, 2, 1)
    assert 2.9 <= t["median_days_complaint_to_removal"] <= 3.1
    assert {b["platform"] for b in t["by_platform"]} == {"wechat", "feed"}
    text = "\n".join(render_takedown_text(t))
    assert "Takedowns: 2 infringing finding(s), 2 complained about, 2 removed (1 with a complaint notice)" in text
    report = json.loads(run("report", "daily", "--format", "json").output)
    assert report["takedown"]["removed"] == 2 and report["takedown"]["complained"] == 2
    html = run("report", "coverage", "--outlet", "东湖晚报", "--format", "html").output
    assert "Complaints and takedowns" in html and "<td>wechat</td>" in html

    # ... and each finding shows its own removal and complaints wherever it is listed
    rows = {r["finding_id"]: r for r in map(json.loads, run("findings", "list", "--format", "json").output.splitlines())}
    assert rows[wechat]["takedown"]["state"] == "removed_after_complaint" and rows[wechat]["takedown"]["complaints"] == 1
    assert rows[wechat]["takedown"]["complaint_channels"] == ["微信公众平台侵权投诉"]
    text = run("findings", "list").output
    assert "removal: removed after a complaint (seen gone " in text
    assert "1 complaint (微信公众平台侵权投诉), first " in text
    csv_rows = {r["finding_id"]: r for r in csv.DictReader(io.StringIO(run("findings", "list", "--format", "csv").output))}
    assert csv_rows[str(news)]["takedown_state"] == "removed" and csv_rows[str(news)]["complaints"] == "1"
    found = {f["finding_id"]: f for g in report["groups"] for f in g["findings"]}
    assert found[wechat]["takedown"]["removed_at"] and found[news]["takedown"]["state"] == "removed"
    assert "removed after a complaint (seen gone" in html  # the coverage report's row

def test_an_interrupted_recheck_is_resumed(site, env):
    found = ingest(site, env)
    store_path = env / "store" / "store.db"

    class Interrupting(Fetcher):
        calls = 0

        def fetch(self, url, *args, **kwargs):
            if "robots.txt" not in url:
                Interrupting.calls += 1
                if Interrupting.calls == 2:
                    raise KeyboardInterrupt
            return super().fetch(url, *args, **kwargs)

    with Store(store_path) as store:
        with pytest.raises(KeyboardInterrupt):
            recheck(store, [], Interrupting(FetchPolicy(delay=0)))
        first = dict(site.hits)
        result = recheck(store, [], Fetcher(FetchPolicy(delay=0)))
    assert result.resumed_skipped == 1 and result.checked == 1
    paths = {"/mp/s/LibRaRyRePrInT01", "/news/2026/rice.html"}
    refetched = {p for p in paths if site.hits.get(p, 0) > first.get(p, 0)}
    assert len(refetched) == 1  # only the URL the interrupted run had not finished
    with Store(store_path) as store:
        assert len(store.latest_states(list(found.values()))) == 2
        # a new run starts afresh once the last one finished
        assert json.loads(store.get_checkpoint("recheck"))["finished_at"]


def test_recheck_sees_a_changed_page_and_an_unreachable_one(site, env):
    from ingest_site import FIXTURES

    found = ingest(site, env)
    site.add("/news/2026/rice.html", (FIXTURES / "unrelated.html").read_bytes(), content_type="text/html; charset=utf-8")
    site.add("/mp/s/LibRaRyRePrInT01", "<html><body>busy</body></html>", status=503)
    with Store(env / "store" / "store.db") as store:
        result = recheck(store, [], Fetcher(FetchPolicy(delay=0, retries=0)))
        history = store.status_history()
    assert dict(result.states) == {"changed": 1, "unreachable": 1}
    (changed,) = history[found["/news/2026/rice.html"]]
    assert changed["state"] == "changed" and changed["http_status"] == 200
    assert changed["detail"].startswith("page changed; 0 of ") and changed["detail"].endswith("copied passages still there")
    (unreachable,) = history[found["/mp/s/LibRaRyRePrInT01"]]
    assert unreachable["state"] == "unreachable" and unreachable["http_status"] == 503
    assert unreachable["evidence_id"]  # the error page is kept too


@pytest.mark.parametrize("notice, state, said", [
    ("該內容已被發布者刪除", "removed_by_author", "該內容已被發布者刪除"),  # WeChat's traditional interface
    ("此內容因違規無法查看", "removed_by_platform", "此內容因違規無法查看"),
    ("此帳號已自主註銷，內容無法查看", "removed_by_author", "此帳號已自主註銷，內容無法查看"),
    ("The content has been deleted by the author.", "removed_by_author",  # and its English one
     "The content has been deleted by the author."),
    ("This account has been blocked. The content cannot be viewed.", "removed_by_platform",
     "This account has been blocked."),
])
def test_recheck_reads_wechat_notices_in_every_interface_language(site, env, notice, state, said):
    found = ingest(site, env)
    site.add("/mp/s/LibRaRyRePrInT01", AUTHOR_NOTICE.replace("该内容已被发布者删除", notice),
             content_type="text/html; charset=utf-8")
    with Store(env / "store" / "store.db") as store:
        recheck(store, [], Fetcher(FetchPolicy(delay=0, retries=0)), finding_ids=[found["/mp/s/LibRaRyRePrInT01"]])
        (entry,) = store.status_history()[found["/mp/s/LibRaRyRePrInT01"]]
    assert (entry["state"], entry["detail"]) == (state, f"notice: {said}")


def test_recheck_never_fetches_what_is_not_on_the_web(tmp_path):
    import dataclasses

    from report_sample import COPIES, build_sample
    local = [dataclasses.replace(c, url=f"file:///archive/{c.key}.html") for c in COPIES if c.key == "s1-stripped"]
    sample = build_sample(tmp_path / "s", copies=local)

    class NoNetwork(Fetcher):
        def fetch(self, url, *args, **kwargs):
            raise AssertionError(f"fetched {url}")

    with Store(sample.settings.store) as store:
        result = recheck(store, [], NoNetwork(FetchPolicy(delay=0)))
    assert (result.urls, result.checked, result.not_web) == (1, 0, 1)
    assert "1 not on the web" in result.line()
