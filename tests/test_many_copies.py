"""bench/many_copies.py: the copies it makes of a licensed text (issue 19, round 13, wip/seen13): each holds the
text it says it copied, in its own furniture; the chain copies carry the first copier's own line."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import many_copies as M  # noqa: E402

TEXT = ("市交通委今天宣布，地铁五号线南延段将于下月底开通试运营。全线共设八座车站，其中三座为换乘站。"
        "南延段开通后，沿线居民通勤时间将缩短二十分钟。早晚高峰发车间隔将压缩到三分钟以内。"
        "交通委提醒乘客合理安排出行时间。试运营期间票价按现行标准执行。沿线公交线路也将同步调整。"
        "具体调整方案将在开通前一周公布。")


def test_copies_hold_what_they_copied_in_their_own_furniture():
    made = {c["kind"]: c for c in M.copies_of("lic", TEXT, "地铁南延段下月开通")}
    assert set(made) == {"lead", "middle", "lead_middle", "whole", "chain", "chain_part"}
    for c in made.values():
        for part in c["copied"].split("\n"):
            assert part in c["text"]
    assert made["whole"]["copied"] == TEXT
    own = made["lead_middle"]["text"].split("\n")[1].split("。")[0]  # the first copier's own line
    assert own.startswith("小编说") and own in made["chain"]["text"] and own in made["chain_part"]["text"]
    assert made["chain"]["text"].split("\n")[0] != made["lead_middle"]["text"].split("\n")[0] or \
        made["chain"]["title"] != made["lead_middle"]["title"]  # another account
    assert len({c["id"] for c in made.values()}) == 6
    assert M.copies_of("lic", TEXT, "t") == M.copies_of("lic", TEXT, "t")  # made the same way every run
    assert M.copies_of("short", "一句话。两句话。", "t") == []
