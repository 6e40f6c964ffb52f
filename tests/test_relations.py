"""Attribution that explains away (dedupe/relations.py): a finding names only what was copied."""
from __future__ import annotations

import pytest

from reprintwatch import Article, Detector, SQLiteIndex
from reprintwatch.dedupe.relations import Claim, explain_away, stands_alone

from texts import METRO, PORT, RIVER, SERIES_NOTE, UNRELATED


def test_a_claim_inside_a_better_ones_text_is_explained_by_it():
    whole = Claim(((0, 400),), 400)  # the copied article
    note = Claim(((0, 120),), 500)  # a sibling sharing its first 120 characters
    credits = explain_away([whole, note])
    assert [c.kept for c in credits] == [True, False]
    assert credits[1].explained_by == 0 and credits[1].unexplained == 0 and credits[1].shared == 120


def test_pieces_of_two_sources_are_both_kept_and_leftovers_must_stand_alone():
    first = Claim(((0, 200),), 600)
    second = Claim(((200, 330),), 700)  # its own 130 characters: a 拼接稿's second source
    overlapping = Claim(((150, 370),), 900)  # 40 characters no one else explains: not enough alone
    credits = explain_away([first, second, overlapping])
    assert [c.kept for c in credits] == [True, True, False]
    # listed under the kept claim sharing most of its text (130 characters with the second, 50 with the first)
    assert credits[2].unexplained == 40 and credits[2].explained_by == 1


def test_a_short_article_stands_alone_on_its_share():
    assert stands_alone(40, 40, 70)  # most of a 70-character flash
    assert not stands_alone(40, 40, 400)
    assert stands_alone(80, 30, 5000)


@pytest.fixture
def series_detector(tmp_path):
    with SQLiteIndex(tmp_path / "licensed.db") as idx:
        d = Detector(idx)
        d.add([Article("metro", SERIES_NOTE + METRO, "地铁九号线开通"), Article("river", SERIES_NOTE + RIVER, "清溪河"),
               Article("port", SERIES_NOTE + PORT, "青溪港二期")])
        yield d


def test_a_copy_of_one_series_member_names_only_it(series_detector):
    result = series_detector.check(Article("s", "点击上方蓝字关注我们\n" + SERIES_NOTE + METRO))
    (match,) = result.reprints
    assert match.licensed.id == "metro" and match.verdict == "full_reprint"
    # the other members share the editor's note only: listed under the copy's match, with what they share
    assert {s.licensed.id for s in match.siblings} == {"river", "port"}
    assert all(80 <= s.shared_chars <= 100 for s in match.siblings)
    note = match.to_dict()["siblings"][0]["passages"][0]
    shared = result.article.content[note["suspect_start"]:note["suspect_end"]]
    assert SERIES_NOTE.strip() in shared and len(shared) < len(SERIES_NOTE) + 10


def test_every_source_of_a_stitched_copy_and_a_short_excerpt_are_still_found(series_detector):
    stitched = series_detector.check(Article("s", METRO[:140] + "\n此外，" + RIVER[60:200]))
    assert {m.licensed.id for m in stitched.reprints} == {"metro", "river"}
    excerpt = PORT[120:240]
    assert len([c for c in excerpt if c.isalnum()]) >= 100
    found = series_detector.check(Article("e", UNRELATED + "\n" + excerpt + "\n" + UNRELATED[::-1]))
    assert [m.licensed.id for m in found.reprints] == ["port"]


def test_the_note_alone_makes_one_finding_not_three(series_detector):
    # a page carrying only the series' note: one member explains it; the others are listed, not reported
    result = series_detector.check(Article("s", UNRELATED + "\n" + SERIES_NOTE))
    assert len(result.reprints) <= 1
    assert sum(len(m.siblings) for m in result.reprints) == 2 * len(result.reprints)
