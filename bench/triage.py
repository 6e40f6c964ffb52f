"""Triage benchmark: is "verbatim" decided right on real news, and what does it cost?

For N real articles (research-only corpus, see ``bench/disguise.py``) three copies are made: the article
with a credit line added and its punctuation changed to ASCII (verbatim: must *not* be an edit), the article
with its first figure outside the credits changed, and the article with its last paragraph cut (both must be edits). Reports how
often each is judged right by :func:`reprintwatch.triage.verbatim.compare`, and the median and worst time a
comparison takes, against the median time of ``normalize`` on the same texts (the baseline every finding
already pays).

    .venv/bin/python bench/triage.py            # 300 articles
    .venv/bin/python bench/triage.py --n 1000
"""
from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from disguise import load_corpus  # noqa: E402

from reprintwatch.dedupe import normalize  # noqa: E402
from reprintwatch.triage.attribution import find_credits  # noqa: E402
from reprintwatch.triage.verbatim import compare  # noqa: E402

_DIGIT_RE = re.compile(r"\d+")


def _timed(fn, *args):
    start = time.perf_counter()
    result = fn(*args)
    return result, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=300)
    args = parser.parse_args()
    docs = [d for d in load_corpus() if len(d.text) >= 300 and _DIGIT_RE.search(d.text) and "\n" in d.text.strip()]
    docs = docs[: args.n]
    right = {"verbatim": 0, "figure": 0, "cut": 0}
    times, base, sizes = [], [], []
    for d in docs:
        text = d.text
        verbatim = "来源：某某日报\n" + text.replace("，", ", ").replace("。", ". ")
        # the first figure of the article itself: a dateline's date is a credit, compared by attribution
        credits = [(c.start, c.end) for c in find_credits(text) if c.start >= 0]
        m = next((m for m in _DIGIT_RE.finditer(text) if not any(a <= m.start() < b for a, b in credits)), None)
        if m is None:
            continue
        figure = text[: m.start()] + str(int(m.group()[:6]) + 1) + text[m.start() + len(m.group()[:6]):]
        cut = text.strip().rsplit("\n", 1)[0]
        for name, copy, want in (("verbatim", verbatim, False), ("figure", figure, True), ("cut", cut, True)):
            edits, seconds = _timed(compare, "标题", text, "标题", copy)
            times.append(seconds)
            right[name] += edits.edited is want
        base.append(_timed(normalize, text)[1])
        sizes.append(len(text))
    n = len(base)
    print(f"{n} real articles (median {statistics.median(sizes):.0f} characters)")
    for name in right:
        print(f"  {name:<8} judged right {right[name]}/{n}")
    med, worst, b = statistics.median(times), max(times), statistics.median(base)
    print(f"  compare: median {med * 1000:.1f} ms, worst {worst * 1000:.1f} ms; normalize alone: median "
          f"{b * 1000:.2f} ms (compare = {med / b:.1f}x one normalize)")


if __name__ == "__main__":
    main()
