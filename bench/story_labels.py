"""Story labels of real articles and versions of them, as ``index add`` assigns them: to compare two commits.

    .venv/bin/python bench/story_labels.py --out /tmp/labels-new.json
    .venv/bin/python bench/story_labels.py --backend elasticsearch --compare /tmp/labels-old.json

The set (research-only news in ``../shared/data/raw``, ``bench/disguise.py``): ``--articles`` real Xinhua and
Sina articles and one edited copy of almost each — a sentence dropped, the text cut short (to 60–95 %), or
another article's sentences appended — shuffled (seeded), added as the CLI adds (``Detector.add``, batches of
500); then ``--changed`` of them changed (a sentence dropped) and ``--changed`` re-added unchanged. It writes
``id → story`` after each of the two steps (``--out``); ``--compare`` counts the articles whose label differs
from a file written the same way (by another commit: run this script from that commit's tree). It prints the
add rate (articles per CPU-second of this process, and per second of wall clock) and how many stories.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import disguise as D  # noqa: E402
from reprintwatch.articles import Article  # noqa: E402
from reprintwatch.detector import Detector  # noqa: E402


def edited(rng: random.Random, text: str, others: list[str]) -> str:
    """A version of ``text``: one of three edits, as a wire story's versions differ."""
    sents = D.sentences(text)
    kind = rng.randrange(3)
    if kind == 0 and len(sents) > 2:
        k = rng.randrange(len(sents))
        return "".join(s for i, s in enumerate(sents) if i != k)
    if kind == 1 and len(sents) > 2:
        return "".join(sents[: max(1, round(len(sents) * rng.uniform(0.6, 0.95)))])
    extra = D.sentences(rng.choice(others))
    return text + "".join(extra[: rng.randint(1, 3)])


def article_set(n: int, seed: int) -> list[Article]:
    rng = random.Random(seed)
    docs = D.load_corpus()
    xinhua = [d for d in docs if d.outlet == "新华社"]
    sina = [d for d in docs if d.outlet == "新浪"]
    chosen = xinhua[: n // 3] + sina[: n - min(len(xinhua), n // 3)]
    texts = [d.text for d in chosen]
    out = [Article(d.id, d.text, d.title, d.outlet) for d in chosen]
    for d in chosen:
        text = edited(rng, d.text, texts)
        if text != d.text:
            out.append(Article(f"{d.id}~v", text, d.title, d.outlet))
    rng.shuffle(out)
    return out


def open_index(backend: str, tmp: Path):
    if backend == "sqlite":
        from reprintwatch.index.sqlite import SQLiteIndex

        return SQLiteIndex(tmp / "labels.db"), None
    from reprintwatch.index.elasticsearch import MAPPING_VERSION, ElasticsearchIndex, make_client

    client = make_client(os.environ.get("REPRINTWATCH_ES_URL", "http://127.0.0.1:9200"))
    name = f"rw-bench-labels-{uuid.uuid4().hex[:12]}"
    return (ElasticsearchIndex(client, name, create=True),
            lambda: client.indices.delete(index=f"{name}-v{MAPPING_VERSION}", ignore_unavailable=True))


def labels(index, ids: list[str]) -> dict[str, str]:
    out = {}
    for i in range(0, len(ids), 500):
        out.update({r.article.id: r.story for r in index.get(ids[i : i + 500])})
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--articles", type=int, default=3000, help="real articles (each with one edited copy)")
    ap.add_argument("--changed", type=int, default=200)
    ap.add_argument("--seed", type=int, default=23)
    ap.add_argument("--backend", choices=("sqlite", "elasticsearch"), default="sqlite")
    ap.add_argument("--out", type=Path, help="write {'added': {id: story}, 'after_changes': {...}} here")
    ap.add_argument("--compare", type=Path, help="a file written by --out to count differing labels against")
    args = ap.parse_args(argv)
    if not (D.RAW_DIR / "sina-news-2018").exists():
        print(f"raw data not found at {D.RAW_DIR} (set REPRINTWATCH_RAW_DATA)", file=sys.stderr)
        return 2
    articles = article_set(args.articles, args.seed)
    rng = random.Random(args.seed + 1)
    picked = rng.sample(articles, 2 * args.changed)
    changes = [Article(a.id, "".join(D.sentences(a.content)[1:]) or a.content + "。", a.title, a.outlet)
               for a in picked[: args.changed]] + picked[args.changed :]
    ids = [a.id for a in articles]
    with tempfile.TemporaryDirectory(prefix="rw-story-labels-") as tmp:
        index, drop = open_index(args.backend, Path(tmp))
        try:
            detector = Detector(index)
            detector.fingerprint("预热")  # the segmenter's dictionary loaded before timing
            c0, t0 = time.process_time(), time.perf_counter()
            detector.add(articles)
            cpu, wall = time.process_time() - c0, time.perf_counter() - t0
            first = labels(index, ids)
            detector.add(changes)
            second = labels(index, ids)
        finally:
            if drop is not None:
                drop()  # before close(): it closes the client
            index.close()
    out = {"backend": args.backend, "articles": len(articles), "added": first, "after_changes": second}
    print(f"{len(articles):,} articles ({args.backend}): {len(articles) / cpu:.1f} added/CPU-s of this process, "
          f"{len(articles) / wall:.1f}/s wall; {len(set(first.values())):,} stories, "
          f"{len(set(second.values())):,} after {args.changed} changed + {args.changed} re-added; "
          f"load average {os.getloadavg()[0]:.1f}")
    if args.out:
        args.out.write_text(json.dumps(out, ensure_ascii=False, sort_keys=True))
    if args.compare:
        old = json.loads(args.compare.read_text())
        for step in ("added", "after_changes"):
            differ = sorted(i for i in out[step] if old[step].get(i) != out[step][i])
            print(f"{step}: {len(differ)} of {len(out[step]):,} labels differ from {args.compare}"
                  + (f" (e.g. {', '.join(differ[:5])})" if differ else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
