"""Bounded work per check (versions of one text verified once) and checks on every core."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from reprintwatch import Article, Detector, SQLiteIndex
from reprintwatch import detector as detector_module
from reprintwatch.cli import cli

from conftest import REPO
from texts import FLASH, METRO, RIVER, UNRELATED


def versions_of_river():
    """A wire story carried by three outlets, one with a correction, one with an extra closing line."""
    return [
        Article("wire", RIVER, "清溪河水质提升", "华夏通讯社"),
        Article("carried", RIVER.replace("。", "。", 1) + "\n（本报综合报道）", "清溪河水质提升", "江南日报"),
        Article("corrected", RIVER + "\n更正：此前报道中的数据有误，现已更正。", "清溪河水质提升（更正）", "东海晚报"),
        Article("metro", METRO, "地铁九号线开通", "江南日报"),
    ]


def test_versions_of_one_text_are_verified_once_and_listed(tmp_path, monkeypatch):
    calls = []
    real_verify = detector_module.verify
    monkeypatch.setattr(detector_module, "verify", lambda *a, **k: calls.append(1) or real_verify(*a, **k))
    with SQLiteIndex(tmp_path / "licensed.db") as idx:
        d = Detector(idx)
        d.add(versions_of_river())
        result = d.check(Article("s", "转载：" + RIVER))
    assert len(calls) == 1  # three candidates, one text
    assert len(result.reprints) == 1
    best = result.reprints[0]
    assert best.licensed.id == "wire"  # the version that is most entirely in the suspect
    assert [v.licensed.id for v in best.versions] == sorted(["carried", "corrected"], key=lambda i: i != "carried")
    out = result.to_dict()["matches"][0]
    assert {v["licensed_id"] for v in out["versions"]} == {"carried", "corrected"}
    assert all(0.8 <= v["overlap"] <= 1 for v in out["versions"])


def test_a_flash_inside_a_digest_is_not_a_version_of_it(tmp_path):
    with SQLiteIndex(tmp_path / "licensed.db") as idx:
        d = Detector(idx)
        d.add([Article("flash", FLASH, "台风"), Article("digest", METRO + "\n" + FLASH + "\n" + RIVER, "早报")])
        result = d.check(Article("s", UNRELATED + METRO + FLASH + RIVER))
    assert {m.licensed.id for m in result.reprints} == {"flash", "digest"}
    assert all(not m.versions for m in result.matches)


def test_no_versions_key_without_versions(tmp_path):
    with SQLiteIndex(tmp_path / "licensed.db") as idx:
        d = Detector(idx)
        d.add([Article("metro", METRO, "地铁")])
        assert "versions" not in d.check("转载：" + METRO).to_dict()["matches"][0]


def _sample(tmp_path):
    lines = (REPO / "data" / "suspects.jsonl").read_text(encoding="utf-8").splitlines()
    return [Article(**{k: v for k, v in json.loads(line).items() if k in ("id", "content", "title", "outlet", "url")})
            for line in lines if line.strip()]


def test_check_many_on_two_processes_equals_one_in_input_order(tmp_path):
    with SQLiteIndex(tmp_path / "licensed.db") as idx:
        d = Detector(idx)
        for line in (REPO / "data" / "licensed.jsonl").read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            d.add([Article(row["id"], row["content"], row.get("title", ""), row.get("outlet", ""))])
        suspects = _sample(tmp_path) * 3
        one = [r.to_dict(include_all=True) for r in d.check_many(suspects, jobs=1)]
        # one at a time, fingerprint made inside check: what the batches (scan, check_batch) must give
        assert one == [d.check(a).to_dict(include_all=True) for a in suspects]
        assert one == [r.to_dict(include_all=True) for r in d.scan(iter(suspects), batch=5)]
        two = [r.to_dict(include_all=True) for r in d.check_many(iter(suspects), jobs=2, chunksize=2)]
        assert one == two
        assert [r["id"] for r in two] == [a.id for a in suspects]
        assert any(r["matches"] for r in two)
        assert list(d.check_many([], jobs=2)) == []


def test_cli_scan_jobs_output_is_identical(tmp_path, monkeypatch):
    monkeypatch.setenv("REPRINTWATCH_DB", str(tmp_path / "licensed.db"))
    runner = CliRunner()
    assert runner.invoke(cli, ["index", "add", str(REPO / "data" / "licensed.jsonl")]).exit_code == 0
    outs = {}
    for jobs in ("1", "2"):
        r = runner.invoke(cli, ["scan", str(REPO / "data" / "suspects.jsonl"), "--format", "jsonl", "--jobs", jobs])
        assert r.exit_code == 0, r.output
        outs[jobs] = r.stdout
    assert outs["1"] == outs["2"] and outs["1"].count("\n") >= 10
    bad = runner.invoke(cli, ["scan", str(REPO / "data" / "suspects.jsonl"), "--jobs", "0"])
    assert bad.exit_code == 2
