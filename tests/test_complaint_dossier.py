"""Complaint dossiers from the report sample: what goes in, what stays out (and why), escaping, and a zip
that `evidence verify` checks down to the nested bundles."""
import json
import re
import zipfile

import lxml.html
import pytest

from report_sample import HOSTILE_SCRIPT, build_sample, cli_runner
from reprintwatch.evidence import verify_bundle


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    return build_sample(tmp_path_factory.mktemp("complaint-sample"))


@pytest.fixture
def run(sample, monkeypatch):
    return cli_runner(sample, monkeypatch)


HOLDERS = [
    ("南方日报", "南方报业传媒集团", "广州市广州大道中289号", "法务部 020-12345678", "国作登字-2026-A-00000001"),
    ("新华社", "新华通讯社", "北京市宣武门西大街57号", "版权部 010-00000000", "licences/xinhua-2026.pdf"),
    ("江南晚报", "江南晚报社", "江南市人民路1号", "总编室 0510-0000000", "国作登字-2026-A-00000003"),
]


@pytest.fixture
def holders(run, sample):
    if sample.settings.store.with_name("holders-added").exists():
        return
    sample.settings.store.with_name("holders-added").touch()
    for outlet, name, address, contact, proof in HOLDERS:
        r = run("holder", "add", "--outlet", outlet, "--name", name, "--address", address, "--contact", contact,
                "--proof", proof)
        assert r.exit_code == 0, r.output


def dossier_zips(out):
    return sorted(out.glob("*.zip"))


def load(zip_path):
    with zipfile.ZipFile(zip_path) as zf:
        return json.loads(zf.read("dossier.json")), zf.read("dossier.html").decode("utf-8"), zf.namelist()


def test_holder_add_list_edit_and_bad_input(run, tmp_path, monkeypatch):
    monkeypatch.setenv("REPRINTWATCH_STORE", str(tmp_path / "fresh" / "store.db"))  # holders before any finding
    r = run("holder", "add", "--outlet", "南方日报", "--name", "南方报业传媒集团", "--address", "广州", "--contact", "x")
    assert r.exit_code == 0 and "missing proof of rights" in r.output
    assert run("holder", "add", "--outlet", "南方日报", "--name", "n", "--address", "a", "--contact", "c").exit_code == 1
    r = run("holder", "edit", "南方日报", "--proof", "国作登字-1", "--contact", "法务部")
    assert r.exit_code == 0, r.output
    listed = json.loads(run("holder", "list", "--format", "json").output)
    assert [(h["outlet"], h["contact"], h["proofs"]) for h in listed] == [("南方日报", "法务部", ["国作登字-1"])]
    r = run("holder", "edit", "没有这家", "--contact", "x")
    assert r.exit_code == 1 and "没有这家" in r.output
    assert run("holder", "add", "--outlet", "x", "--name", " ", "--address", "a", "--contact", "c").exit_code == 1


def test_build_requires_a_rights_holder(run, tmp_path):
    r = run("complaint", "build", "--outlet", "江南晚报", "-o", str(tmp_path / "d"))
    assert r.exit_code == 1 and "no rights holder" in r.output and "江南晚报" in r.output


def test_dossiers_include_infringements_and_list_the_rest_apart(run, sample, holders, tmp_path):
    out = tmp_path / "dossiers"
    r = run("complaint", "build", "-o", str(out), "--date", "2026-11-29")
    assert r.exit_code == 0, r.output
    ids = sample.finding_ids
    works, excluded = {}, {}
    for path in dossier_zips(out):
        d, _, _ = load(path)
        works[(d["respondent"]["key"], d["outlet"])] = sorted(w["finding_id"] for w in d["works"])
        excluded.update({x["finding_id"]: x["reason_code"] for x in d["excluded"]})
    assert works == {
        ("news.copycat.example", "南方日报"): sorted([ids["s1-stripped"], ids["s8-oct30"]]),
        ("微信公众号 江南观察", "新华社"): sorted([ids["s2-credited"], ids["s9-oct31"]]),
        ("www.partner-news.example", "新华社"): [ids["s4-edited"]],  # verbatim-only licence, edited copy
        ("evil.example", "江南晚报"): [ids["s6-hostile"]],
        ("微信公众号 海风资讯", "新华社"): [ids["s7-expired"]],
    }
    # the authorised copy and the earlier one have no dossier of their own: reported on the command line
    assert f"left out #{ids['s3-licensed']}: authorised" in r.output
    assert f"left out #{ids['s5-earlier']}: published first" in r.output
    assert excluded == {}  # (no dossier mixes them in)
    # every file written has the one mode (the zips were 0600 from a temporary file, the HTML 0644)
    from reprintwatch.output import file_mode

    assert {p.suffix: p.stat().st_mode & 0o777 for p in out.iterdir()} == {".zip": file_mode(), ".html": file_mode()}


def test_printed_dossier_starts_the_application_on_page_one(run, sample, holders, tmp_path):
    """The PDF: the application under the title on page 1, no heading left alone at a page's foot, and
    pages in proportion to the works (before: page 1 held only the title, 7 pages for 2 works)."""
    from test_report_browser import find_chromium

    find_chromium()  # skipped without a browser
    pypdf = pytest.importorskip("pypdf")
    out = tmp_path / "pdf"
    r = run("complaint", "build", "-o", str(out), "--date", "2026-11-29", "--pdf", "--reprinter", "news.copycat.example")
    assert r.exit_code == 0, r.output
    (pdf,) = out.glob("*.pdf")
    dossier, _, _ = load(pdf.with_suffix(".zip"))
    assert len(dossier["works"]) == 2
    headings = {s["heading"] for s in dossier["application"]} | {"投诉书", "侵权链接与证据", "逐段对照", "下架跟踪", "已提交的投诉"}
    pages = [p.extract_text() for p in pypdf.PdfReader(str(pdf)).pages]
    assert "投诉人：南方报业传媒集团" in pages[0] and "一、权利依据" in pages[0]
    for number, text in enumerate(pages[:-1], 1):
        foot = [line.strip() for line in text.splitlines() if line.strip()][-1]
        assert foot not in headings, f"page {number} ends with the heading {foot!r}"
    assert len(pages) <= 2 * len(dossier["works"])


def test_two_year_limit_leaves_old_copies_out(run, sample, holders, tmp_path):
    out = tmp_path / "late"
    r = run("complaint", "build", "--reprinter", "news.copycat.example", "-o", str(out), "--date", "2028-11-01")
    assert r.exit_code == 0, r.output
    # last seen 2026-10-30 (China) → deadline 2028-10-30; last seen 2026-11-02 → 2028-11-02, still open
    (path,) = dossier_zips(out)
    d, html, _ = load(path)
    assert [w["finding_id"] for w in d["works"]] == [sample.finding_ids["s1-stripped"]]
    (x,) = d["excluded"]
    assert x["finding_id"] == sample.finding_ids["s8-oct30"] and x["reason_code"] == "time_barred"
    assert "2028年10月30日" in x["reason_zh"] and "超过两年投诉时效" in html


def test_application_text_is_filled_from_the_findings(run, sample, holders, tmp_path):
    out = tmp_path / "wx"
    assert run("complaint", "build", "--reprinter", "江南观察", "-o", str(out), "--date", "2026-11-29").exit_code == 0
    (path,) = dossier_zips(out)
    d, _, names = load(path)
    with zipfile.ZipFile(path) as zf:
        text = zf.read("application.txt").decode("utf-8")
    for expected in ("投诉人：新华通讯社", "北京市宣武门西大街57号", "被投诉人：江南观察（微信公众号", "投诉日期：2026年11月29日",
                     "权属证明：licences/xinhua-2026.pdf", "作品1篇，共2处", "全文转载", "转载时注明了来源“新华社”，但注明出处不能代替许可",
                     "未注明来源", "https://mp.weixin.qq.com/s?__biz=MzA5NjE2NzQxMA==&mid=2650001&idx=1",
                     "2026年10月31日", "2026年11月2日", "在两年投诉时效之内"):
        assert expected in text, expected
    for w in d["works"]:
        assert re.fullmatch(r"[0-9a-f]{64}", w["evidence"]["sha256"]) and w["evidence"]["fetched_at"]
        assert w["evidence"]["sha256"] in text
        assert w["passages"] and all(p["licensed"] and p["copy"] for p in w["passages"])
        assert f"evidence/finding-{w['finding_id']}.zip" in names


def test_zip_verifies_with_evidence_verify_and_catches_tampering(run, sample, holders, tmp_path):
    out = tmp_path / "v"
    built = run("complaint", "build", "--reprinter", "news.copycat.example", "-o", str(out), "--date", "2026-11-29")
    (path,) = dossier_zips(out)
    digest = re.search(r"manifest SHA-256: ([0-9a-f]{64})", built.output).group(1)
    assert run("evidence", "verify", str(path), "--expect", digest).exit_code == 0
    r = run("evidence", "verify", str(path))
    assert r.exit_code == 0, r.output
    assert "evidence/finding-" in r.output and "dossier.html" in r.output

    # edit suspect.txt inside a nested bundle, then rewrite the OUTER manifest and its hash to match: only
    # the nested bundle's own manifest can catch it
    import hashlib
    import io

    tampered = tmp_path / "tampered.zip"
    with zipfile.ZipFile(path) as zin:
        files = {i.filename: zin.read(i.filename) for i in zin.infolist()}
    nested_name = next(n for n in files if n.startswith("evidence/"))
    inner = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(files[nested_name])) as nin, zipfile.ZipFile(inner, "w") as nout:
        for info in nin.infolist():
            data = nin.read(info.filename)
            nout.writestr(info.filename, data + "（篡改）".encode() if info.filename == "suspect.txt" else data)
    files[nested_name] = inner.getvalue()
    manifest = json.loads(files["manifest.json"])
    for entry in manifest["files"]:
        entry["sha256"] = hashlib.sha256(files[entry["name"]]).hexdigest()
        entry["size"] = len(files[entry["name"]])
    files["manifest.json"] = json.dumps(manifest).encode()
    files["manifest.sha256"] = f"{hashlib.sha256(files['manifest.json']).hexdigest()}  manifest.json\n".encode()
    with zipfile.ZipFile(tampered, "w") as zout:
        for name, data in files.items():
            zout.writestr(name, data)
    result = verify_bundle(tampered)
    assert not result.ok
    assert [p for p in result.problems if p.startswith(nested_name + ": suspect.txt: SHA-256")], result.problems
    assert run("evidence", "verify", str(tampered)).exit_code == 1


def test_hostile_page_text_is_escaped_in_the_dossier(run, sample, holders, tmp_path):
    out = tmp_path / "evil"
    assert run("complaint", "build", "--reprinter", "evil.example", "-o", str(out), "--date", "2026-11-29").exit_code == 0
    (path,) = dossier_zips(out)
    _, html, _ = load(path)
    assert "<script" not in html.lower() and "<img" not in html.lower()
    assert "Content-Security-Policy" in html and "default-src 'none'" in html
    doc = lxml.html.document_fromstring(html)
    assert HOSTILE_SCRIPT in doc.text_content()  # shown as text
    assert (out / path.name.replace(".zip", ".html")).read_text(encoding="utf-8") == html


def test_complaint_record_and_status(run, sample):
    fid = sample.finding_ids["s1-stripped"]
    r = run("complaint", "record", str(fid), "--filed-at", "2026-11-20", "--channel", "网站版权投诉", "--reference", "CC-1")
    assert r.exit_code == 0, r.output
    status = json.loads(run("complaint", "status", str(fid), "--format", "json").output)
    assert status[0]["complaints"][0]["reference"] == "CC-1" and status[0]["complaints"][0]["filed_at"] == "2026-11-20"
    assert run("complaint", "record", "99999", "--filed-at", "2026-11-20", "--channel", "x").exit_code == 1
    assert run("complaint", "record", str(fid), "--filed-at", "yesterday", "--channel", "x").exit_code == 2
