"""A dossier page as PDF, printed by headless Chromium (the page has no scripts and a CSP that forbids
any network access; Chromium is started with networking features off and a throw-away profile)."""
from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from ..errors import ReprintwatchError

BROWSERS = ("chromium", "chromium-browser", "google-chrome")
TIMEOUT = 120  # seconds for one page


def find_browser() -> str:
    for name in BROWSERS:
        path = shutil.which(name)
        if path:
            return path
    raise ReprintwatchError("--pdf needs Chromium on PATH (apt-get install chromium); the HTML dossier prints too")


def print_to_pdf(html_path: Path, pdf_path: Path, browser: str | None = None) -> Path:
    browser = browser or find_browser()
    with tempfile.TemporaryDirectory(prefix="rw-chromium-") as profile:
        cmd = [
            browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-extensions",
            f"--user-data-dir={profile}", "--no-pdf-header-footer", f"--print-to-pdf={pdf_path}",
            Path(html_path).resolve().as_uri(),
        ]
        try:
            done = subprocess.run(cmd, capture_output=True, timeout=TIMEOUT, check=False)
        except subprocess.TimeoutExpired:
            raise ReprintwatchError(f"{html_path}: Chromium took over {TIMEOUT} s to print the PDF") from None
    if done.returncode != 0 or not pdf_path.exists() or not pdf_path.read_bytes()[:5] == b"%PDF-":
        tail = done.stderr.decode("utf-8", "replace")[-500:]
        raise ReprintwatchError(f"{html_path}: Chromium did not print a PDF (exit {done.returncode}): {tail}")
    return pdf_path
