"""bench/seen_store.py: the prototype store of seen texts (issue 19, round 13, wip/seen13). Its answer equals
bench/pair_features.third_beyond's on the same texts, and re-judging the claims a new text touches makes the end
state the same whatever order the texts come in."""
import itertools
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import many_copies as M  # noqa: E402
from bench import pair_features as F  # noqa: E402
from bench import seen_store as S  # noqa: E402
from bench.disguise import Doc  # noqa: E402

SHARED = "地铁五号线南延段将于下月底开通试运营，全线共设八座车站。"
NEXT = "南延段开通后，沿线居民前往市中心的通勤时间将缩短二十分钟左右，早晚高峰发车间隔也将压缩到三分钟以内。"
rng = random.Random(7)
LICENSED = "本报记者从市交通委获悉，" + SHARED + M._words(rng, 120)
SUSPECT = "据通报，" + SHARED + NEXT + M._words(rng, 80)
TEXTS = {
    "src": ("晚报", "交通委今天发布消息称，" + SHARED + NEXT + M._words(rng, 330)),  # a report carrying more of it
    "other": ("日报", "另据了解，" + NEXT + M._words(rng, 200)),  # the source's lines without the passage
    "copy": ("某号", "转载：" + LICENSED + "喜欢请点个在看。"),  # a copy of the licensed article
}


def _run(order):
    store = S.SeenStore()
    store.add("l", "本报", LICENSED)
    store.add("s", "网站", SUSPECT)
    store.claim("s", "l", SHARED, LICENSED)
    verdicts = [store.judge("s", "l")]
    for name in order:
        queue = store.add(name, *TEXTS[name])
        for suspect, licensed in queue:  # only what the queue asks: the verdict a user would see
            verdicts.append(store.judge(suspect, licensed))
    return verdicts, verdicts[-1]


def test_the_end_state_does_not_depend_on_the_order():
    ends = {_run(order)[1] for order in itertools.permutations(TEXTS)}
    assert ends == {1}  # src took more of the source, other carries it without the passage: withdrawn
    verdicts, _ = _run(("src", "copy"))
    assert verdicts == [0, 0, 0]  # src alone: its extra lines could be one copier's own (lineage guard); copy kept
    verdicts, _ = _run(("copy",))
    assert verdicts == [0, 0]  # a copy of the licensed article holds the passage: asked, and kept


def test_same_answer_as_pair_features():
    docs = {"s": Doc("s", SUSPECT, "s", "", ""), "l": Doc("l", LICENSED, "l", "", "")}
    docs.update({k: Doc(k, t, k, "", "") for k, (_, t) in TEXTS.items()})
    got = F.third_beyond({("s", "l"): SHARED}, docs)[("s", "l")]
    own300 = dict(zip(F.BEYOND_OWN_LEVELS, got[4:]))[300]
    assert own300 == _run(tuple(TEXTS))[1] == 1
