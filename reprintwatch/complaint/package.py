"""Write complaint dossiers: for each (respondent, outlet) one zip holding

* ``dossier.html`` — the self-contained page in Chinese (application, links, evidence hashes, passages);
* ``dossier.json`` — the same data for programs; ``application.txt`` — the application text alone;
* ``evidence/finding-N.zip`` — the evidence bundle of every finding in it (``evidence export``'s bundles);
* ``manifest.json`` + ``manifest.sha256`` — in the evidence-bundle format, so ``reprintwatch evidence
  verify dossier.zip`` re-hashes every file and verifies each nested bundle too.

The page is also written beside the zip (``NAME.html``) to open directly.
"""
from __future__ import annotations

import datetime as _dt
import hashlib
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from .. import __version__
from ..output import json_file_bytes, write_atomic
from ..errors import BadInput
from ..dates import today_in
from ..triage.assess import CHINA_TIME, triage_of, with_texts
from ..evidence import BUNDLE_FORMAT, MANIFEST, MANIFEST_HASH, MAX_DOSSIER_FILES, export_bundle, write_zip
from ..store import utc_now
from .dossier import application_text, build_dossier, respondent_of
from .holders import make_holder
from .html import render_dossier_html
from .takedown import load_tracking

DOSSIER_KIND = "complaint-dossier"
MAX_WORKS = MAX_DOSSIER_FILES - 8  # nested bundles, plus the page, PDF, JSON, text and manifest files


@dataclass
class DossierResult:
    respondent: str
    outlet: str
    path: Path | None  # None when nothing was left to complain about
    html_path: Path | None
    manifest_sha256: str | None
    works: int
    excluded: list[dict]


def file_stem(respondent: str, outlet: str) -> str:
    """A safe file name: word characters of the names (page text is hostile) plus a short hash."""
    words = re.sub(r"[^\w]+", "_", f"{respondent}_{outlet}", flags=re.UNICODE).strip("_")[:48] or "dossier"
    digest = hashlib.sha256(f"{respondent}\x00{outlet}".encode("utf-8", "surrogatepass")).hexdigest()[:8]
    return f"complaint-{words}-{digest}"


def china_today() -> _dt.date:
    """Today in China: a complaint to the copyright administration counts its two years in China days
    (whatever REPRINTWATCH_TIMEZONE the reports use; its default is the same zone)."""
    return today_in(CHINA_TIME)


def build_dossiers(
    store,
    licences,
    out_dir,
    index=None,
    respondent: str | None = None,
    outlet: str | None = None,
    finding_ids: Sequence[int] | None = None,
    today: _dt.date | None = None,
    pdf: bool = False,
    include_exceptions: bool = False,
) -> list[DossierResult]:
    """Build every dossier the filters select into ``out_dir``; returns one result per (respondent, outlet).
    ``pdf``: also print each page to ``dossier.pdf`` with headless Chromium (in the zip and beside it).
    ``include_exceptions``: complain also about findings a legal hint says the law may leave free."""
    today = today or china_today()
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():  # /dev/null, a pipe: click's file_okay=False lets them by
        raise BadInput(str(out_dir), "exists and is not a folder; -o names the folder the dossiers go to")
    if finding_ids:
        store.require_judged()
        findings = []
        for fid in finding_ids:
            f = store.get_finding(fid)
            if f is None:
                raise BadInput(f"finding {fid}", "no such finding in the store")
            if f.withdrawn_at:
                raise BadInput(f"finding {fid}", f"withdrawn {f.withdrawn_at} ({f.withdrawn_reason}); not complained about")
            findings.append(f)
    else:
        findings = store.list_findings(outlet=outlet)
    # the kept triage (judged now only when new or stale), with the texts a dossier quotes
    assessments = with_texts(triage_of(store, findings, licences, index), index, store)
    groups: dict[tuple[str, str], list] = {}
    for a in assessments:
        key = (respondent_of(a), a.finding.get("licensed_outlet") or "")
        if respondent and key[0] != respondent and a.finding.get("account") != respondent and a.finding.get("site") != respondent:
            continue
        if outlet and key[1] != outlet:
            continue
        groups.setdefault(key, []).append(a)
    if not groups:
        raise BadInput("complaint build", "no findings match (check --reprinter / --outlet / --finding)")
    holders = {}
    for _, group_outlet in groups:
        record = store.get_holder(group_outlet)
        if record is None:
            raise BadInput(
                f"outlet {group_outlet}",
                "no rights holder on file; add one with `reprintwatch holder add --outlet ...` first",
            )
        holders[group_outlet] = make_holder(where=f"holder {group_outlet}", **record)
    tracking = load_tracking(store, [a.finding for a in assessments])
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    results = []
    generated = utc_now()
    for (who, group_outlet), group in sorted(groups.items()):
        items = [(a, tracking[a.finding.get("finding_id")]) for a in group]
        dossier = build_dossier(holders[group_outlet], who, group_outlet, items, today, generated, include_exceptions)
        if not dossier["works"]:
            results.append(DossierResult(who, group_outlet, None, None, None, 0, dossier["excluded"]))
            continue
        if len(dossier["works"]) > MAX_WORKS:
            raise BadInput(f"{who} / {group_outlet}", f"{len(dossier['works'])} infringing findings; a dossier holds at "
                           f"most {MAX_WORKS} (split it with --finding)")
        results.append(_write(store, licences, index, dossier, out_dir, file_stem(who, group_outlet), pdf))
    return results


def _write(store, licences, index, dossier: dict, out_dir: Path, stem: str, pdf: bool = False) -> DossierResult:
    files: dict[str, bytes] = {}
    with tempfile.TemporaryDirectory(prefix="dossier-", dir=str(out_dir)) as tmp:
        for work in dossier["works"]:
            name = work["evidence"]["bundle"]
            exported = export_bundle(store, work["finding_id"], Path(tmp) / Path(name).name, licences, index)
            files[name] = exported.path.read_bytes()
            work["evidence"]["bundle_manifest_sha256"] = exported.manifest_sha256
        html = render_dossier_html(dossier)
        if pdf:
            from .pdf import print_to_pdf

            page = Path(tmp) / "dossier.html"
            page.write_text(html, encoding="utf-8")
            files["dossier.pdf"] = print_to_pdf(page, Path(tmp) / "dossier.pdf").read_bytes()
    files["dossier.html"] = html.encode("utf-8")
    files["dossier.json"] = json_file_bytes(dossier)
    files["application.txt"] = (application_text(dossier) + "\n").encode("utf-8")
    manifest = {
        "format": BUNDLE_FORMAT,
        "kind": DOSSIER_KIND,
        "generator": f"reprintwatch {__version__}",
        "created_at": dossier["generated_at"],
        "finding_id": ",".join(str(w["finding_id"]) for w in dossier["works"]),
        "page": None,
        "page_sha256_at_fetch": None,
        "files": [{"name": n, "sha256": hashlib.sha256(b).hexdigest(), "size": len(b)} for n, b in sorted(files.items())],
    }
    manifest_bytes = json_file_bytes(manifest)
    digest = hashlib.sha256(manifest_bytes).hexdigest()
    files[MANIFEST] = manifest_bytes
    files[MANIFEST_HASH] = f"{digest}  {MANIFEST}\n".encode("ascii")
    path = out_dir / f"{stem}.zip"
    write_zip(files, path)
    html_path = write_atomic(out_dir / f"{stem}.html", html)
    if "dossier.pdf" in files:
        write_atomic(out_dir / f"{stem}.pdf", files["dossier.pdf"])
    return DossierResult(dossier["respondent"]["name"], dossier["outlet"], path, html_path, digest,
                         len(dossier["works"]), dossier["excluded"])
