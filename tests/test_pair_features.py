"""bench/pair_features.py: the generic features of a labelled pair (issue 19, wip/model10), on the tests' own
short texts: what the licensed article presents as its own prose, what the two share outside the passages,
and how many third texts hold the passages."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import pair_features as F  # noqa: E402
from bench.disguise import Doc  # noqa: E402
from reprintwatch.dedupe.verify import Passage  # noqa: E402

OWN = "本报记者从市交通委获悉，地铁五号线南延段将于下月底开通试运营，全线共设八座车站。"
SAID = "市交通委负责人表示，地铁五号线南延段将于下月底开通试运营，全线共设八座车站。"
QUOTED = "市交通委负责人说：“地铁五号线南延段将于下月底开通试运营，全线共设八座车站。”"
SHARED = "地铁五号线南延段将于下月底开通试运营，全线共设八座车站。"


def _passage(suspect: str, licensed: str) -> Passage:
    s, l = suspect.index(SHARED), licensed.index(SHARED)
    return Passage(s, s + len(SHARED), l, l + len(SHARED), len(SHARED))


def test_own_prose_quoted_or_said():
    suspect = "转载：" + SHARED + "此外，该线还将与三条线路换乘。"
    own = F.features(suspect, OWN, [_passage(suspect, OWN)])
    said = F.features(suspect, SAID, [_passage(suspect, SAID)])
    quoted = F.features(suspect, QUOTED, [_passage(suspect, QUOTED)])
    assert own["own"] == 1.0 and own["quoted"] == 0.0
    assert said["own"] == 0.0 and said["quoted"] == 0.0  # after 表示， in the same sentence
    assert quoted["own"] == 0.0 and quoted["quoted"] == 1.0
    assert own["npass"] == 1 and own["contig"] == 1.0


def test_what_the_rests_share():
    licensed = OWN + "该段线路全长12.5公里，总投资98亿元，由北京地铁公司运营。"
    same_event = "据悉，" + SHARED + "南延段全长12.5公里，总投资98亿元。"
    repost = "网友转发：" + SHARED + "你怎么看？欢迎留言讨论。"
    event = F.features(same_event, licensed, [_passage(same_event, licensed)])
    copy = F.features(repost, licensed, [_passage(repost, licensed)])
    assert event["rest_figures"] == 1.0 and copy["rest_figures"] == 0.0
    assert event["rest_grams"] > copy["rest_grams"] == 0.0


def test_third_holders_count_other_texts_only():
    docs = {i: Doc(i, text, "", "", "") for i, text in
            (("s", "转载" + SHARED), ("l", OWN), ("a", "甲：" + SHARED), ("b", SHARED + "乙"), ("c", "无关的一段文字，讲天气晴好。"))}
    got = F.third_holders({("s", "l"): SHARED, ("s", "c"): "无关的一段文字，讲天气晴好。"}, docs)
    assert got[("s", "l")] == (2, 1.0)  # a and b, not the pair's own two texts
    assert got[("s", "c")] == (0, 0.0)
