"""The sample data in data/ behaves as data/README.md says: every case gets its expected verdict."""
import json
from pathlib import Path

import pytest

from reprintwatch import Detector, SQLiteIndex, read_jsonl
from reprintwatch.dedupe import normalize

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    with SQLiteIndex(tmp_path_factory.mktemp("sample") / "licensed.db") as index:
        detector = Detector(index)
        detector.add(read_jsonl(DATA / "licensed.jsonl"))
        suspects = list(read_jsonl(DATA / "suspects.jsonl"))
        yield {s.id: (s, detector.check(s)) for s in suspects}


def expected_cases():
    with (DATA / "suspects.jsonl").open(encoding="utf-8") as fh:
        return [(obj["id"], obj["expected"]) for obj in map(json.loads, fh)]


@pytest.mark.parametrize("suspect_id,expected", expected_cases())
def test_every_sample_case_gets_its_expected_verdicts(results, suspect_id, expected):
    _, result = results[suspect_id]
    assert {m.licensed.id: m.verdict for m in result.reprints} == expected


def test_passages_are_exact_copies_once_normalised(results):
    licensed = {a.id: a for a in read_jsonl(DATA / "licensed.jsonl")}
    checked = 0
    for suspect, result in results.values():
        for match in result.reprints:
            if match.verification.similarity < 0.9:
                continue  # rewrites and stitched copies: passages bridge swapped words
            for p in match.verification.passages:
                copied = normalize(suspect.content[p.suspect_start:p.suspect_end]).text
                source = normalize(licensed[match.licensed.id].content[p.licensed_start:p.licensed_end]).text
                assert copied == source
                checked += 1
    assert checked >= 8


def test_passages_start_where_the_copied_text_starts(results):
    suspect, result = results["sus-partial-embedded"]
    starts = [suspect.content[p.suspect_start:p.suspect_end][:5] for p in result.reprints[0].verification.passages]
    assert "5号线也是" in starts


def test_calibrated_score_ranks_reprints_above_rejected_candidates(results):
    reprints = [m.score for _, r in results.values() for m in r.reprints]
    rejected = [m.score for _, r in results.values() for m in r.matches if not m.verification.is_reprint]
    assert reprints and rejected
    assert min(reprints) > max(rejected)
    assert min(reprints) > 0.9
