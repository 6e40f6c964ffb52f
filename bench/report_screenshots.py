"""The screenshots in docs/: the daily report of the test sample, the first screen of a 10,000-finding day,
and ``reprintwatch serve`` (findings page, one finding), taken in headless Chromium.

    .venv/bin/python bench/report_screenshots.py docs/
"""
from __future__ import annotations

import datetime as dt
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO / "bench"))

from bench_reports import REPORT_DAY, Browser, find_chromium, make_store  # noqa: E402
from report_sample import REPORT_DAY as SAMPLE_DAY, build_sample  # noqa: E402
from reprintwatch.index import SQLiteIndex  # noqa: E402
from reprintwatch.report import daily_report  # noqa: E402
from reprintwatch.store import Store  # noqa: E402
from reprintwatch.report.html import write_html  # noqa: E402
from reprintwatch.report.serve import serving  # noqa: E402


def report_page(settings, day, out: Path) -> Path:
    with Store(settings.store, create=False) as store, SQLiteIndex(settings.db, create=False) as index:
        report = daily_report(store, store.licences(), index, day)
    write_html(report, out)
    return out


def main(target: Path) -> None:
    target.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="shots-"))
    browser = Browser(find_chromium(), work / "profile", 1280, 1000)
    try:
        sample = build_sample(work / "sample")
        page = report_page(sample.settings, dt.date.fromisoformat(SAMPLE_DAY), work / "sample.html")
        browser.open(page.as_uri())
        browser.screenshot(target / "report-screenshot.png")
        team = make_store(work / "team", 10_000)
        page = report_page(team, REPORT_DAY, work / "team" / "html" / "daily.html")
        browser.open(page.as_uri())
        browser.screenshot(target / "report-10k-screenshot.png")

        with serving(sample.settings, open_index=lambda s: SQLiteIndex(s.db, create=False)) as base:
            browser.open(base + "/?authorised=no&sort=-similarity")
            browser.screenshot(target / "serve-findings.png")
            browser.open(f"{base}/finding/{sample.finding_ids['s6-hostile']}")
            browser.screenshot(target / "serve-finding.png")
    finally:
        browser.close()
    print(f"screenshots in {target}")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs"))
