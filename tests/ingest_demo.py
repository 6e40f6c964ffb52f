"""The ingestion walk-through of docs/ingest.md ("Commands"), on the local test site (a real HTTP server on
127.0.0.1 serving data/sources.example.toml's feeds and pages): two passes, the findings as text and JSON, a
CSV export. Prints every command with its output; tests/test_docs.py compares it with the page.

    python tests/ingest_demo.py /tmp/demo
"""
from __future__ import annotations

import logging
import os
import re
import shlex
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from click.testing import CliRunner  # noqa: E402

from ingest_site import build_licensed_index, build_site, example_sources, make_server  # noqa: E402
from reprintwatch.cli import cli  # noqa: E402


def main(directory: Path) -> None:
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # the test site's access log is not the commands' output
    directory.mkdir(parents=True, exist_ok=True)
    os.chdir(directory)
    server = make_server()
    try:
        site = build_site(server)
        os.environ["REPRINTWATCH_DB"] = str(build_licensed_index(directory / "licensed.db"))
        os.environ["REPRINTWATCH_STORE"] = str(directory / "store.db")
        example_sources(site, directory)  # writes sources.toml (the example file, pointed at the site)
        runner = CliRunner()

        def run(*args, comment=""):
            result = runner.invoke(cli, list(args), catch_exceptions=False)
            shown = " ".join(a if re.fullmatch(r"[\w./:@%+=,-]+", a) else shlex.quote(a) for a in args)
            print(f"$ reprintwatch {shown}{comment}")
            print(result.output.replace(str(directory), "$DIR").replace(site.base, "$SITE"), end="")

        one_order = ("--workers", "1", "--jobs", "1")  # finding ids in one order (parallel: by arrival)
        run("ingest", "run", "--sources", "sources.toml", "--once", *one_order)
        run("ingest", "run", "--sources", "sources.toml", "--once", *one_order, comment="   # again: nothing changed")
        run("findings", "list")
        run("findings", "list", "--format", "json", "--outlet", "西岭日报")
        print("$ reprintwatch findings list --format csv --verdict full_reprint > findings.csv")
        (directory / "findings.csv").write_text(
            runner.invoke(cli, ["findings", "list", "--format", "csv", "--verdict", "full_reprint"]).stdout,
            encoding="utf-8")
    finally:
        server.stop()


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "ingest-demo").resolve())
