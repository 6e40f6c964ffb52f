"""Evidence bundles: export, verify, and every kind of tampering caught."""
from __future__ import annotations

import gzip
import hashlib
import json
import re
import zipfile

import pytest
from click.testing import CliRunner

from report_sample import COPIES, build_sample, cli_runner, page_html
from reprintwatch.evidence import MANIFEST, MANIFEST_HASH, verify_bundle
from reprintwatch.store import Store


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    return build_sample(tmp_path_factory.mktemp("evidence-sample"))


@pytest.fixture
def run(sample, monkeypatch):
    return cli_runner(sample, monkeypatch)


def export(run, sample, tmp_path, key="s6-hostile"):
    bundle = tmp_path / f"{key}.zip"
    r = run("evidence", "export", str(sample.finding_ids[key]), "-o", str(bundle))
    assert r.exit_code == 0, r.output
    digest = re.search(r"manifest SHA-256: ([0-9a-f]{64})", r.output).group(1)
    return bundle, digest


def rewrite(src, dst, change):
    """Copy a zip, passing every (name, bytes) through ``change`` (return None to drop an entry)."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for info in zin.infolist():
            data = change(info.filename, zin.read(info))
            if data is not None:
                zout.writestr(info.filename, data)


def test_export_contents(run, sample, tmp_path):
    bundle, digest = export(run, sample, tmp_path)
    copy = next(c for c in COPIES if c.key == "s6-hostile")
    with zipfile.ZipFile(bundle) as zf:
        names = sorted(zf.namelist())
        assert names == sorted(["finding.json", "licensed.txt", MANIFEST, MANIFEST_HASH, "page.html", "suspect.txt"])
        page = zf.read("page.html")
        manifest_bytes = zf.read(MANIFEST)
        meta = json.loads(zf.read("finding.json"))
        assert page == page_html(copy)  # the bytes as served, hostile script and all
        assert zf.read("suspect.txt").decode("utf-8") == copy.content
        assert "老城区百年骑楼街" in zf.read("licensed.txt").decode("utf-8")
        assert zf.read(MANIFEST_HASH).decode() == f"{digest}  {MANIFEST}\n"
    assert hashlib.sha256(manifest_bytes).hexdigest() == digest
    manifest = json.loads(manifest_bytes)
    with Store(sample.settings.store) as store:
        evidence = store.evidence(meta["finding"]["evidence_id"])
    assert manifest["page_sha256_at_fetch"] == evidence["sha256"] == hashlib.sha256(page).hexdigest()
    assert {f["name"]: f["sha256"] for f in manifest["files"]}["page.html"] == evidence["sha256"]
    assert meta["assessment"]["status"] == "unauthorised"
    assert meta["assessment"]["attribution"]["credited_outlets"] == ["人民网"]
    assert meta["evidence"]["url"] == copy.url and "body_path" not in meta["evidence"]


def test_verify_ok_and_expected_hash(run, sample, tmp_path):
    bundle, digest = export(run, sample, tmp_path)
    r = run("evidence", "verify", str(bundle), "--expect", digest)
    assert r.exit_code == 0, r.output
    assert f"manifest SHA-256 {digest}" in r.output and r.output.count("ok   ") == 4
    r = run("evidence", "verify", str(bundle), "--expect", "0" * 64)
    assert r.exit_code == 1 and "not the expected" in r.output


def test_tampered_page_fails(run, sample, tmp_path):
    bundle, digest = export(run, sample, tmp_path)
    bad = tmp_path / "bad.zip"
    rewrite(bundle, bad, lambda n, b: b.replace("人民网".encode(), "新华社".encode()) if n == "page.html" else b)
    r = run("evidence", "verify", str(bad))
    assert r.exit_code == 1
    assert "FAILED: page.html: SHA-256 is" in r.output and "BAD " in r.output


def test_tampered_text_and_metadata_fail(sample, run, tmp_path):
    bundle, _ = export(run, sample, tmp_path)
    for name in ("suspect.txt", "finding.json", "licensed.txt"):
        bad = tmp_path / f"bad-{name}.zip"
        rewrite(bundle, bad, lambda n, b, name=name: b + b" " if n == name else b)
        result = verify_bundle(bad)
        assert not result.ok and any(p.startswith(name) for p in result.problems), result.problems


def test_consistently_rewritten_manifest_needs_expect(run, sample, tmp_path):
    """A forger who edits a file and recomputes the manifest and its hash passes the internal check;
    the hash printed at export (--expect) still catches it."""
    bundle, digest = export(run, sample, tmp_path)
    with zipfile.ZipFile(bundle) as zf:
        files = {n: zf.read(n) for n in zf.namelist()}
    files["suspect.txt"] = "完全不同的文字".encode()
    manifest = json.loads(files[MANIFEST])
    for f in manifest["files"]:
        if f["name"] == "suspect.txt":
            f["sha256"] = hashlib.sha256(files["suspect.txt"]).hexdigest()
            f["size"] = len(files["suspect.txt"])
    files[MANIFEST] = json.dumps(manifest).encode()
    files[MANIFEST_HASH] = f"{hashlib.sha256(files[MANIFEST]).hexdigest()}  {MANIFEST}\n".encode()
    forged = tmp_path / "forged.zip"
    with zipfile.ZipFile(forged, "w") as zf:
        for n, b in files.items():
            zf.writestr(n, b)
    assert verify_bundle(forged).ok
    result = verify_bundle(forged, expect=digest)
    assert not result.ok and "not the expected" in result.problems[0]


def test_missing_extra_and_manifest_hash_mismatch(run, sample, tmp_path):
    bundle, _ = export(run, sample, tmp_path)
    missing = tmp_path / "missing.zip"
    rewrite(bundle, missing, lambda n, b: None if n == "licensed.txt" else b)
    assert any("licensed.txt: listed in the manifest but missing" in p for p in verify_bundle(missing).problems)

    extra = tmp_path / "extra.zip"
    rewrite(bundle, extra, lambda n, b: b)
    with zipfile.ZipFile(extra, "a") as zf:
        zf.writestr("note.txt", b"added later")
    assert any("note.txt: in the bundle but not in the manifest" in p for p in verify_bundle(extra).problems)

    edited = tmp_path / "edited-manifest.zip"
    rewrite(bundle, edited, lambda n, b: b.replace(b'"format"', b'"format" ') if n == MANIFEST else b)
    assert any(f"differs from {MANIFEST_HASH}" in p for p in verify_bundle(edited).problems)


def test_not_a_bundle(run, tmp_path):
    junk = tmp_path / "junk.zip"
    junk.write_bytes(b"PK\x03\x04 not really")
    r = run("evidence", "verify", str(junk))
    assert r.exit_code == 1 and "not a readable zip" in r.output and "Traceback" not in r.output
    other = tmp_path / "other.zip"
    with zipfile.ZipFile(other, "w") as zf:
        zf.writestr("hello.txt", "hi")
    r = run("evidence", "verify", str(other))
    assert r.exit_code == 1 and "not a reprintwatch evidence bundle" in r.output
    r = run("evidence", "verify", str(tmp_path / "absent.zip"))
    assert r.exit_code == 1 and "no such file" in r.output


def test_export_unknown_finding(run, tmp_path):
    r = run("evidence", "export", "9999", "-o", str(tmp_path / "x.zip"))
    assert r.exit_code == 1 and "no such finding" in r.output
    assert not (tmp_path / "x.zip").exists()


def test_export_refuses_a_damaged_stored_page(tmp_path, monkeypatch):
    sample = build_sample(tmp_path / "s")
    with Store(sample.settings.store) as store:
        finding = store.get_finding(sample.finding_ids["s1-stripped"])
        evidence = store.evidence(finding["evidence_id"])
    body_path = sample.settings.store.parent / evidence["body_path"]
    body_path.write_bytes(gzip.compress(b"<html>someone edited the stored copy</html>"))
    from reprintwatch.cli import cli

    monkeypatch.setenv("REPRINTWATCH_STORE", str(sample.settings.store))
    monkeypatch.setenv("REPRINTWATCH_DB", str(sample.settings.db))
    r = CliRunner().invoke(cli, ["evidence", "export", str(sample.finding_ids["s1-stripped"]), "-o",
                                 str(tmp_path / "b.zip")])
    assert r.exit_code == 1 and "SHA-256" in r.output
    assert not (tmp_path / "b.zip").exists()


@pytest.mark.parametrize("damage", ["truncated", "garbage", "bad-deflate", "empty"])
def test_a_damaged_evidence_file_is_one_line_not_aborted(tmp_path, monkeypatch, damage):
    """Issue 21, found while probing: a cut-short .gz made every command reading it print click's "Aborted!"
    (an EOFError); a corrupt deflate stream a zlib.error traceback."""
    sample = build_sample(tmp_path / "s")
    with Store(sample.settings.store) as store:
        finding = store.get_finding(sample.finding_ids["s1-stripped"])
        evidence = store.evidence(finding["evidence_id"])
    body_path = sample.settings.store.parent / evidence["body_path"]
    whole = body_path.read_bytes()
    body_path.write_bytes({"truncated": whole[:40], "garbage": b"not gzip at all",
                           "bad-deflate": whole[:10] + bytes(len(whole) - 18) + whole[-8:], "empty": b""}[damage])
    from reprintwatch.cli import cli

    monkeypatch.setenv("REPRINTWATCH_STORE", str(sample.settings.store))
    monkeypatch.setenv("REPRINTWATCH_DB", str(sample.settings.db))
    r = CliRunner().invoke(cli, ["evidence", "export", str(sample.finding_ids["s1-stripped"]), "-o",
                                 str(tmp_path / "b.zip")])
    lines = r.output.strip().splitlines()
    assert r.exit_code == 1 and len(lines) == 1 and lines[0].startswith(f"Error: {body_path}: "), r.output
    assert "Aborted" not in r.output and not (tmp_path / "b.zip").exists()
