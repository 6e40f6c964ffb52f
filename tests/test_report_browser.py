"""The HTML report in a real headless Chromium (Debian's ``chromium``; scripts/install-system-deps.sh
installs it): the highlighted passages are in the rendered DOM, and a ``<script>`` from a copied page
does not run. Skipped when Chromium is missing locally; a failure when CI=true."""
from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess

import lxml.html
import pytest

from report_sample import REPORT_DAY, build_sample
from reprintwatch.index import SQLiteIndex
from reprintwatch.store import Store
from reprintwatch.report import daily_report, render

BROWSER_NAMES = ("chromium", "chromium-browser")


def find_chromium() -> str:
    for name in BROWSER_NAMES:
        path = shutil.which(name)
        if path:
            return path
    message = "Chromium not found (apt-get install chromium, or run scripts/install-system-deps.sh)"
    if os.environ.get("CI") == "true":
        pytest.fail(message + "; CI must run the browser test")
    pytest.skip(message)


def dump_dom(chromium: str, page, profile) -> str:
    """The DOM after load, as Chromium serialises it (scripts, if any were allowed, have run)."""
    cmd = [
        chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-extensions",
        f"--user-data-dir={profile}", "--virtual-time-budget=2000", "--dump-dom", page.as_uri(),
    ]
    done = subprocess.run(cmd, capture_output=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")[-2000:]
    return done.stdout.decode("utf-8")


@pytest.fixture(scope="module")
def chromium():
    return find_chromium()


@pytest.fixture(scope="module")
def report_page(tmp_path_factory):
    directory = tmp_path_factory.mktemp("browser")
    sample = build_sample(directory / "sample")
    with Store(sample.settings.store, create=False) as store, SQLiteIndex(sample.settings.db, create=False) as index:
        report = daily_report(store, store.licences(), index, dt.date.fromisoformat(REPORT_DAY))
    page = directory / "daily.html"
    page.write_text(render(report, "html"), encoding="utf-8")
    return page


def test_control_a_script_that_may_run_is_seen(chromium, tmp_path):
    """Proves the check below can fail: the same hostile markup, unescaped and without a CSP, runs."""
    page = tmp_path / "control.html"
    page.write_text(
        "<!DOCTYPE html><html><head><title>report</title></head><body><p>copy</p>"
        '<script>document.title="PWNED";document.documentElement.setAttribute("data-pwned","1")</script>'
        "</body></html>",
        encoding="utf-8",
    )
    dom = lxml.html.document_fromstring(dump_dom(chromium, page, tmp_path / "profile"))
    assert dom.findtext(".//title") == "PWNED" and dom.get("data-pwned") == "1"


def test_report_dom_has_highlights_and_no_script_ran(chromium, report_page, tmp_path):
    source = lxml.html.document_fromstring(report_page.read_text(encoding="utf-8"))
    dom = lxml.html.document_fromstring(dump_dom(chromium, report_page, tmp_path / "profile"))

    # the hostile page's script did not run: title unchanged, no attribute set, no script or img elements
    assert dom.findtext(".//title") == "Reprint report for 2026-11-02"
    assert dom.get("data-pwned") is None
    assert not dom.xpath("//script") and not dom.xpath("//img")
    # …and it is shown as text in the copy's panel
    copies = " ".join(t.text_content() for t in dom.xpath("//div[contains(@class,'copy')]"))
    assert '<script>document.title="PWNED"' in copies and "<img src=x onerror=" in copies

    # every highlighted passage rendered, with the copied text inside
    marks = dom.xpath("//mark[@data-passage]")
    assert len(marks) == len(source.xpath("//mark[@data-passage]")) > 10
    highlighted = "".join(m.text_content() for m in marks)
    for phrase in ("江海新区首条跨江隧道今天上午正式通车", "获取海水、沉积物和生物样品一万余份", "恢复了灰塑、满洲窗等传统装饰构件"):
        assert phrase in highlighted
    # the side-by-side panels and the chart are there
    assert len(dom.xpath("//article[contains(@class,'finding')]")) == 7
    assert dom.xpath("//svg//rect")
