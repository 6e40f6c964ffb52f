"""Evidence bundles: one zip per finding that can be checked later by anyone with ``sha256sum``.

A bundle holds

* ``page.<ext>`` — the page bytes exactly as fetched and stored (when the store has them);
* ``suspect.txt`` — the text extracted from the page; ``licensed.txt`` — the licensed article's text;
* ``finding.json`` — the finding, the suspect's metadata, the fetch record and the assessment;
* ``manifest.json`` — format, creation time, and the SHA-256 and size of every file above;
* ``manifest.sha256`` — the manifest's own SHA-256 in ``sha256sum`` format.

The manifest hash is printed on export: write it down (or send it) separately, and
``reprintwatch evidence verify bundle.zip --expect HASH`` proves the bundle is the one exported. Without
``--expect`` verification proves the files match the manifest inside the bundle.
"""
from __future__ import annotations

import datetime as _dt
import hashlib
import io
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Sequence

from . import __version__
from .output import json_file_bytes, write_atomic
from .errors import BadInput, ReprintwatchError
from .triage.assess import assess, load_licensed
from .triage.licences import Licence

BUNDLE_FORMAT = "reprintwatch-evidence/1"
MANIFEST = "manifest.json"
MANIFEST_HASH = "manifest.sha256"
MAX_BUNDLE_FILES = 32
# a complaint dossier (reprintwatch.complaint) holds one nested evidence bundle per finding under evidence/
MAX_DOSSIER_FILES = 1024
NESTED_PREFIX = "evidence/"
MAX_BUNDLE_BYTES = 256 * 1024 * 1024  # uncompressed, all files together
_FIXED_ZIP_TIME = (2020, 1, 1, 0, 0, 0)

_EXTENSIONS = {
    "text/html": ".html",
    "application/xhtml+xml": ".html",
    "application/xml": ".xml",
    "text/xml": ".xml",
    "application/rss+xml": ".xml",
    "application/atom+xml": ".xml",
    "text/plain": ".txt",
    "application/json": ".json",
    "application/pdf": ".pdf",
}


@dataclass
class ExportResult:
    path: Path
    manifest_sha256: str
    files: list[dict]
    withdrawn: str | None = None  # "<when>: <why>" when re-judging withdrew the finding (finding.json says so too)


@dataclass
class VerifyResult:
    path: Path
    manifest_sha256: str | None
    files: list[dict] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    finding_id: str | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _page_name(content_type: str | None) -> str:
    kind = (content_type or "").split(";", 1)[0].strip().lower()
    return "page" + _EXTENSIONS.get(kind, ".bin")


def build_bundle_files(
    finding: dict,
    evidence: dict | None,
    page: bytes | None,
    licensed_text: str | None,
    assessment: dict | None,
) -> dict[str, bytes]:
    """The bundle's files (name → bytes), manifest included. Pure apart from the creation time."""
    files: dict[str, bytes] = {}
    page_name = None
    if page is not None:
        page_name = _page_name((evidence or {}).get("content_type"))
        files[page_name] = page
    files["suspect.txt"] = (finding.get("content") or "").encode("utf-8", "surrogatepass")
    if licensed_text is not None:
        files["licensed.txt"] = licensed_text.encode("utf-8", "surrogatepass")
    evidence_meta = {k: v for k, v in (evidence or {}).items() if k != "body_path"} or None
    meta = {
        "finding": {k: v for k, v in finding.items() if k != "content"},
        "evidence": evidence_meta,
        "assessment": assessment,
    }
    files["finding.json"] = json_file_bytes(meta)
    manifest = {
        "format": BUNDLE_FORMAT,
        "generator": f"reprintwatch {__version__}",
        "created_at": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
        "finding_id": finding.get("finding_id"),
        "page": page_name,
        "page_sha256_at_fetch": (evidence or {}).get("sha256"),
        "files": [{"name": n, "sha256": sha256(b), "size": len(b)} for n, b in sorted(files.items())],
    }
    manifest_bytes = json_file_bytes(manifest)
    files[MANIFEST] = manifest_bytes
    files[MANIFEST_HASH] = f"{sha256(manifest_bytes)}  {MANIFEST}\n".encode("ascii")
    return files


def write_zip(files: dict[str, bytes], out_path: Path) -> None:
    """Write atomically: a temporary file in the target folder, renamed into place."""
    def write(fh) -> None:
        with zipfile.ZipFile(fh, "w", zipfile.ZIP_DEFLATED) as zf:
            for name in [MANIFEST, MANIFEST_HASH] + sorted(n for n in files if n not in (MANIFEST, MANIFEST_HASH)):
                info = zipfile.ZipInfo(name, date_time=_FIXED_ZIP_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                zf.writestr(info, files[name])

    write_atomic(out_path, write)


def export_bundle(
    store,
    finding_id,
    out_path,
    licences: Sequence[Licence] = (),
    index=None,
) -> ExportResult:
    """Export finding ``finding_id`` from ``store`` (a :class:`~reprintwatch.store.Store`) to the zip ``out_path``.

    Refuses when the stored page no longer matches the SHA-256 recorded when it was fetched.
    """
    finding = store.get_finding(finding_id)
    if finding is None:
        raise BadInput(f"finding {finding_id}", "no such finding in the store")
    evidence = store.evidence(finding.get("evidence_id"))
    page = store.evidence_bytes(finding.get("evidence_id")) if evidence else None
    if page is not None and evidence.get("sha256") and sha256(page) != evidence["sha256"]:
        raise ReprintwatchError(
            f"evidence {evidence.get('id')}: the stored page's SHA-256 is {sha256(page)}, not the {evidence['sha256']} "
            "recorded at fetch time; the stored copy was altered or damaged — not exporting it as evidence"
        )
    licensed = load_licensed(index, [finding.get("licensed_id")]).get(finding.get("licensed_id")) if index else None
    assessment = assess(finding, licences, licensed).to_dict()
    files = build_bundle_files(finding, evidence, page, licensed.content if licensed else None, assessment)
    out_path = Path(out_path)
    write_zip(files, out_path)
    manifest = json.loads(files[MANIFEST])
    withdrawn = f"{finding.get('withdrawn_at')}: {finding.get('withdrawn_reason') or ''}" if finding.get("withdrawn_at") else None
    return ExportResult(out_path, sha256(files[MANIFEST]), manifest["files"], withdrawn)


def _safe_name(name: str) -> bool:
    p = PurePosixPath(name)
    return bool(name) and not p.is_absolute() and ".." not in p.parts and "\\" not in name and not name.endswith("/")


def verify_bundle(path, expect: str | None = None, _nested: bytes | None = None) -> VerifyResult:
    """Re-hash every file of a bundle against its manifest (and the manifest against ``expect``).

    A complaint dossier's nested bundles (``evidence/*.zip``) are verified too, one level deep.
    """
    path = Path(path)
    result = VerifyResult(path, None)
    problems = result.problems
    try:
        zf = zipfile.ZipFile(io.BytesIO(_nested) if _nested is not None else path)
    except FileNotFoundError:
        raise BadInput(str(path), "no such file") from None
    except (zipfile.BadZipFile, OSError) as exc:
        raise BadInput(str(path), f"not a readable zip file ({exc})") from None
    with zf:
        infos = zf.infolist()
        names = [i.filename for i in infos]
        dossier = _nested is None and any(n.startswith(NESTED_PREFIX) for n in names)
        limit = MAX_DOSSIER_FILES if dossier else MAX_BUNDLE_FILES
        if len(infos) > limit:
            raise BadInput(str(path), f"{len(infos)} entries; an evidence bundle has at most {limit}")
        if sum(i.file_size for i in infos) > MAX_BUNDLE_BYTES:
            raise BadInput(str(path), f"more than {MAX_BUNDLE_BYTES:,} bytes uncompressed; not an evidence bundle")
        for dup in sorted({n for n in names if names.count(n) > 1}):
            problems.append(f"{dup}: appears more than once in the zip")
        for bad in (n for n in names if not _safe_name(n)):
            problems.append(f"{bad!r}: unsafe entry name")

        def read(name: str) -> bytes | None:
            try:
                info = zf.getinfo(name)
                with zf.open(info) as fh:
                    data = fh.read(info.file_size + 1)
                if len(data) != info.file_size:
                    problems.append(f"{name}: size does not match the zip directory")
                return data
            except KeyError:
                return None
            except (zipfile.BadZipFile, OSError, EOFError) as exc:  # CRC errors are BadZipFile
                problems.append(f"{name}: cannot be read ({exc})")
                return None

        manifest_bytes = read(MANIFEST)
        if manifest_bytes is None:
            problems.append(f"{MANIFEST}: missing; this is not a reprintwatch evidence bundle")
            return result
        result.manifest_sha256 = sha256(manifest_bytes)
        recorded = read(MANIFEST_HASH)
        if recorded is None:
            problems.append(f"{MANIFEST_HASH}: missing")
        elif recorded.decode("ascii", "replace").split()[:1] != [result.manifest_sha256]:
            problems.append(f"{MANIFEST}: its SHA-256 {result.manifest_sha256} differs from {MANIFEST_HASH}")
        if expect and expect.strip().lower() != result.manifest_sha256:
            problems.append(
                f"{MANIFEST}: SHA-256 is {result.manifest_sha256}, not the expected {expect.strip().lower()}"
            )
        try:
            manifest = json.loads(manifest_bytes.decode("utf-8"))
            files = manifest["files"]
            if manifest.get("format") != BUNDLE_FORMAT:
                problems.append(f"{MANIFEST}: format {manifest.get('format')!r}, expected {BUNDLE_FORMAT!r}")
            listed = {f["name"]: f for f in files}
        except (UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError) as exc:
            problems.append(f"{MANIFEST}: not a valid manifest ({exc})")
            return result
        result.finding_id = manifest.get("finding_id")
        for name, entry in sorted(listed.items()):
            data = read(name)
            if data is None:
                if name in names:
                    continue
                problems.append(f"{name}: listed in the manifest but missing from the bundle")
                continue
            actual = sha256(data)
            ok = actual == entry.get("sha256") and len(data) == entry.get("size")
            result.files.append({"name": name, "sha256": actual, "size": len(data), "ok": ok})
            if actual != entry.get("sha256"):
                problems.append(f"{name}: SHA-256 is {actual}, manifest says {entry.get('sha256')}")
            elif len(data) != entry.get("size"):
                problems.append(f"{name}: {len(data)} bytes, manifest says {entry.get('size')}")
            elif dossier and name.startswith(NESTED_PREFIX) and name.endswith(".zip"):
                try:
                    inner = verify_bundle(path / name, _nested=data)
                except BadInput as exc:
                    problems.append(f"{name}: {exc.reason}")
                else:
                    problems.extend(f"{name}: {p}" for p in inner.problems)
        for extra in sorted(set(names) - set(listed) - {MANIFEST, MANIFEST_HASH}):
            problems.append(f"{extra}: in the bundle but not in the manifest")
        page = manifest.get("page")
        at_fetch = manifest.get("page_sha256_at_fetch")
        if page and at_fetch and page in listed and listed[page].get("sha256") != at_fetch:
            problems.append(f"{page}: manifest hash differs from the SHA-256 recorded when the page was fetched")
    return result
