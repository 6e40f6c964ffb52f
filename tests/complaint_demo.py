"""The complaints walk-through of docs/complaints.md, on the local test site (a real HTTP server on
127.0.0.1): ingest → rights holders → complaint filed → copies replaced by removal notices → recheck →
dossier and report. Prints every command with its output; writes docs/complaint-screenshot.png when
Chromium is there.

    python tests/complaint_demo.py /tmp/demo [--screenshot docs/complaint-screenshot.png]
"""
from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from click.testing import CliRunner  # noqa: E402

from ingest_site import build_licensed_index, build_site, example_sources, make_server  # noqa: E402
from reprintwatch.cli import cli  # noqa: E402

COMPLAINT_NOTICE = (
    "<!DOCTYPE html><html><head><meta charset='utf-8'><title></title></head><body><div class='weui-msg'>"
    "<h2 class='weui-msg__title'>此内容被投诉且经审核涉嫌侵权，无法查看</h2></div></body></html>"
)


def main(directory: Path, screenshot: Path | None) -> None:
    import logging

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # the test site's access log is not the commands' output
    directory.mkdir(parents=True, exist_ok=True)
    server = make_server()
    try:
        site = build_site(server)
        os.environ["REPRINTWATCH_DB"] = str(build_licensed_index(directory / "licensed.db"))
        os.environ["REPRINTWATCH_STORE"] = str(directory / "store.db")
        sources = example_sources(site, directory)
        runner = CliRunner()

        def run(*args):
            shown = " ".join(shlex.quote(a) for a in args).replace(str(directory), "$DIR").replace(site.base, "$SITE")
            result = runner.invoke(cli, list(args), catch_exceptions=False)
            print(f"$ reprintwatch {shown}")
            print(result.output.replace(str(directory), "$DIR").replace(site.base, "$SITE"), end="")
            return result

        run("ingest", "run", "--sources", str(sources), "--once", "--workers", "1", "--jobs", "1")  # ids in one order
        run("holder", "add", "--outlet", "东湖晚报", "--name", "东湖晚报社", "--address", "东湖市滨江大道100号",
            "--contact", "法务部 张律师 0000-00000000", "--proof", "国作登字-2026-A-00000042",
            "--proof", "contracts/donghu-2026-staff-works.pdf")
        run("holder", "add", "--outlet", "西岭日报", "--name", "西岭日报社", "--address", "西岭市人民路8号",
            "--contact", "版权部 0000-00000001")
        run("holder", "edit", "西岭日报", "--proof", "国作登字-2026-A-00000043")
        run("holder", "list")
        run("complaint", "build", "-o", str(directory / "before"))
        run("findings", "list", "--format", "text")
        from reprintwatch.store import Store

        with Store(directory / "store.db") as store:  # ingestion fetches in parallel: ids vary from run to run
            ids = {f["url"].rsplit("/", 1)[-1]: str(f["finding_id"]) for f in store.list_findings()}
        run("complaint", "record", ids["LibRaRyRePrInT01"], "--filed-at", "2026-11-24T10:00",
            "--channel", "微信公众平台侵权投诉", "--reference", "WX-TS-20261124-0042")
        run("complaint", "record", ids["rice.html"], "--filed-at", "2026-11-26", "--channel", "网站版权投诉邮箱")
        run("recheck", "--delay", "0")
        site.add("/mp/s/LibRaRyRePrInT01", COMPLAINT_NOTICE, content_type="text/html; charset=utf-8")
        del site.routes["/news/2026/rice.html"]
        print("# (the WeChat copy is replaced by the complaint notice; the news copy now answers 404)")
        run("recheck", "--delay", "0")
        run("complaint", "status")
        run("complaint", "build", "--outlet", "东湖晚报", "-o", str(directory / "dossiers"))
        zips = sorted((directory / "dossiers").glob("*.zip"))
        run("evidence", "verify", str(zips[0]))
        text = runner.invoke(cli, ["report", "daily", "--format", "text"]).output
        print("$ reprintwatch report daily --format text | sed -n '/Takedowns/,$p'")
        print(text[text.index("\nTakedowns"):].lstrip("\n"), end="")
        chromium = shutil.which("chromium") or shutil.which("chromium-browser")
        if screenshot and chromium:
            html = zips[0].with_suffix(".html")
            subprocess.run(
                [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--hide-scrollbars",
                 f"--user-data-dir={directory / 'profile'}", "--window-size=1200,2000",
                 f"--screenshot={screenshot.resolve()}", html.as_uri()],
                check=True, capture_output=True, timeout=120,
            )
            print(f"# screenshot: {screenshot}")
    finally:
        server.stop()


if __name__ == "__main__":
    args = sys.argv[1:]
    shot = None
    if "--screenshot" in args:
        i = args.index("--screenshot")
        shot = Path(args[i + 1])
        del args[i : i + 2]
    main(Path(args[0] if args else "complaint-demo"), shot)
