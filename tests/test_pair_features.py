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


REPORT = ("记者昨天下午在南延段终点站看到，站厅装修已经基本完成，工人正在安装自动售票机和安检设备。一位负责施工的"
          "项目经理告诉记者，目前各站的消防验收均已通过，接下来还要进行为期两周的空载试运行，检验信号系统和车辆的"
          "稳定性。家住沿线小区的王女士说，她每天上班要换乘两次公交，单程将近一个半小时，盼着地铁早日开通。另有"
          "市民建议在车站周边增设非机动车停车点，方便换乘。")
NEXT = "南延段开通后，沿线居民前往市中心的通勤时间将缩短二十分钟左右，早晚高峰发车间隔也将压缩到三分钟以内。"


def test_third_beyond_counts_holders_that_took_more_of_the_source():
    """A holder counts when it shares with the suspect text the licensed article lacks (both carried the
    source's next lines); a copy of the licensed article does not, and a copy of the suspect is left out."""
    suspect = "据通报，" + SHARED + NEXT + "记者在现场看到，不少市民已经提前来到车站附近，拍照留念，场面十分热闹。"
    docs = {i: Doc(i, text, i, "", "") for i, text in (
        ("s", suspect), ("l", OWN),
        ("src", "晚报讯 交通委今天发布消息称，" + SHARED + NEXT + "交通委同时提醒乘客合理安排出行时间，注意安全。"),
        # another report carrying the source's next lines, with its own
        ("copy", "每日资讯号转载：" + OWN + "喜欢请点个在看。"),  # a copy of the licensed article: its text only
        ("twin", suspect + "（来源：网络）"),  # the suspect copied whole: not independent of it
    )}
    beyond, sites, most, free, *_ = F.third_beyond({("s", "l"): SHARED}, docs)[("s", "l")]
    assert (beyond, sites) == (1, 3)
    assert most >= F.BEYOND_CHARS
    assert free == 0  # the next lines travel only with the passage: they could be one copier's own (lineage guard)
    docs["other"] = Doc("other", "另据了解，" + NEXT, "other", "", "")  # the source's lines without the passage
    got = F.third_beyond({("s", "l"): SHARED}, docs)[("s", "l")]
    assert got[3] == 1 and got[4:] == (0,) * len(F.BEYOND_OWN_LEVELS)  # src: a few lines of its own only
    docs["src"] = Doc("src", docs["src"].text + REPORT, "src", "", "")
    own = dict(zip(F.BEYOND_OWN_LEVELS, F.third_beyond({("s", "l"): SHARED}, docs)[("s", "l")][4:]))
    assert own[150] == 1 and own[600] == 0  # ~190 characters of its own: a report, not a copy plus a line
    docs.pop("src")
    assert F.third_beyond({("s", "l"): SHARED}, docs)[("s", "l")][0] == 0
