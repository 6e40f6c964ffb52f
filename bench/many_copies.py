"""What a separator that reads *other texts holding the passage* would cost real copies when a licensed article
is copied many times (issue 19, round 13, wip/seen13). Analysis, not a rule.

    .venv/bin/python bench/pair_features.py --out /var/tmp/seen13/features.tsv     # writes …tsv.passages.json
    .venv/bin/python bench/many_copies.py --passages /var/tmp/seen13/features.tsv.passages.json \\
        --copies /var/tmp/seen13/copies.jsonl

For every licensed article of a right-labelled partial or full pair (bench/reads), copiers are made from the
licensed text the crawl holds (written under ``--copies``, outside the repository: the crawl is research-only):

* ``lead``: the first quarter of its sentences; ``middle``: the third quarter; ``lead_middle``: both;
  ``whole``: all of it — each in its own furniture (an account's header and footer, a line of its own words);
* ``chain``: a copy of ``lead_middle``'s copy, its copier's own line included, in a fourth account's furniture;
* ``chain_part``: the same copier's line and the lead only, from ``lead_middle``'s copy.
* with ``--of-suspects``, the same six copies of each right pair's suspect (a copier copied in its turn).

Then each separator is asked, over the crawl plus those copies, about (a) the real right pair (the labelled
suspect against its licensed article) and (b) each made copy against the licensed article (the copied text is
its passage): ``third_holders`` ≥ 2 (model10: other texts holding half the passage's 8-grams) and
``third_beyond`` ≥ 1 / ≥ 2 (bench/pair_features.third_beyond: holders that also share with the suspect text the
licensed article does not hold). Every pair it fires on is a real copy lost.
"""
from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import labels as L  # noqa: E402
from bench import pair_features as F  # noqa: E402

# Furniture of made accounts: common WeChat lines (short: under BEYOND_CHARS) and an account's own words, drawn
# from a pool of ordinary characters so that no two accounts' own lines share an 8-gram by chance.
_POOL = ("的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面"
         "而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好"
         "应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道")
_HEAD = ("点击上方蓝字关注{acct}", "{acct}每日精选", "关注{acct}，看更多好文")
_FOOT = ("本文转自网络，版权归原作者所有，如有侵权请联系删除。", "喜欢就点个在看吧", "更多精彩，请关注{acct}。")
_SENT = re.compile(r"[^。！？!?\n]+[。！？!?\n]?")


def _words(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(_POOL) for _ in range(n)) + "。"


def _account(rng: random.Random, k: int) -> dict:
    acct = "".join(rng.choice(_POOL) for _ in range(3)) + "号"
    return {"acct": acct, "head": rng.choice(_HEAD).format(acct=acct), "foot": rng.choice(_FOOT).format(acct=acct),
            "own": "小编说：" + _words(rng, 60)}


def copies_of(doc_id: str, text: str, title: str, seed: int = 0) -> list[dict]:
    """The made copies of one licensed text: dicts with ``id``, ``title``, ``text``, ``kind`` and ``copied`` (the
    licensed text it holds: its passage)."""
    rng = random.Random(f"{seed}:{doc_id}")
    sents = [s for s in _SENT.findall(text) if s.strip()]
    if len(sents) < 4:
        return []
    q = max(1, len(sents) // 4)
    lead, middle = "".join(sents[:q]), "".join(sents[2 * q:3 * q])
    out = []
    accts = [_account(rng, k) for k in range(6)]

    def make(kind, a, body, copied):
        out.append({"id": f"copy-{doc_id}-{kind}", "title": f"{a['acct']}：{title}", "kind": kind,
                    "text": f"{a['head']}\n{body}\n{a['foot']}", "copied": copied})

    make("lead", accts[0], accts[0]["own"] + lead, lead)
    make("middle", accts[1], middle + accts[1]["own"], middle)
    make("lead_middle", accts[2], accts[2]["own"] + lead + "\n" + middle, lead + "\n" + middle)
    make("whole", accts[3], text, text)
    make("chain", accts[4], accts[2]["own"] + lead + "\n" + middle, lead + "\n" + middle)
    make("chain_part", accts[5], accts[2]["own"] + lead, lead)
    return out


def main(argv=None) -> int:
    from bench.disguise import Doc
    from bench.sina_pairs import sina_docs

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--labels", default=str(Path(__file__).parent / "reads"))
    ap.add_argument("--passages", required=True, help="the .passages.json bench/pair_features.py --out writes")
    ap.add_argument("--copies", required=True, help="where to write the made copies (JSONL, outside the repository)")
    ap.add_argument("--verdicts", default="partial_reprint,full_reprint")
    ap.add_argument("--of-suspects", action="store_true", help="copy each right pair's suspect too, as the licensed "
                    "article is copied: the copier copied in its turn (its own lines travel with the passage)")
    args = ap.parse_args(argv)
    labels = L.read_labels([args.labels])
    label_of = L.by_pair(labels)
    verdict_of = {}
    for lab in labels:
        verdict_of.setdefault(lab.pair, lab.verdict)
    shared = {(a, b): t for a, b, t in json.load(open(args.passages, encoding="utf-8"))}
    wanted = set(args.verdicts.split(","))
    rights = sorted(p for p, lab in label_of.items() if lab == "right" and verdict_of[p] in wanted and shared.get(p))
    docs = {d.id: d for d in sina_docs()}
    made, pairs, kind_of = [], {}, {}
    for lic in sorted({p[1] for p in rights}):
        for c in copies_of(lic, docs[lic].text, docs[lic].title):
            made.append(c)
            docs[c["id"]] = Doc(c["id"], c["text"], c["title"], "made", "made")
            pairs[(c["id"], lic)] = c["copied"]
            kind_of[(c["id"], lic)] = c["kind"]
    if args.of_suspects:  # copies of the copier: made texts only, not asked about (their passage is unknown)
        for sus in sorted({p[0] for p in rights} - {p[1] for p in rights}):
            for c in copies_of(sus, docs[sus].text, docs[sus].title, seed=1):
                c["id"] = c["id"].replace("copy-", "copyS-")
                made.append(c)
                docs[c["id"]] = Doc(c["id"], c["text"], c["title"], "made", "made")
    Path(args.copies).parent.mkdir(parents=True, exist_ok=True)
    with open(args.copies, "w", encoding="utf-8") as fh:
        for c in made:
            fh.write(json.dumps(c, ensure_ascii=False) + "\n")
    for p in rights:
        pairs[p] = shared[p]
        kind_of[p] = "real:" + verdict_of[p].split("_")[0]
    held = F.third_holders(pairs, docs)
    beyond = F.third_beyond(pairs, docs)
    tally: dict = {}
    for p, kind in kind_of.items():
        if kind.startswith("real:") and not any(k for q, k in kind_of.items() if q[1] == p[1] and q != p):
            kind += " (no made copies)"
        t = tally.setdefault(kind, Counter())
        t["pairs"] += 1
        t["holders>=2"] += held[p][0] >= 2
        t["beyond>=1"] += beyond[p][0] >= 1
        t["beyond>=2"] += beyond[p][0] >= 2
        t["free>=1"] += beyond[p][3] >= 1
        for n, got in zip(F.BEYOND_OWN_LEVELS, beyond[p][4:]):
            t[f"own{n}"] += got >= 1
    print(f"{len(rights)} right pairs ({', '.join(sorted(wanted))}), {len(made)} copies made of "
          f"{len({p[1] for p in rights})} licensed articles -> {args.copies}")
    print(f"{'pair':28} {'pairs':>6} {'holders>=2':>11} {'beyond>=1':>10} {'beyond>=2':>10} {'free>=1':>8} "
          + " ".join(f"{'own' + str(n):>7}" for n in F.BEYOND_OWN_LEVELS) + "   (real copies a cut removes)")
    for kind in sorted(tally):
        t = tally[kind]
        print(f"{kind:28} {t['pairs']:6d} {t['holders>=2']:11d} {t['beyond>=1']:10d} {t['beyond>=2']:10d} "
              f"{t['free>=1']:8d} " + " ".join(f"{t['own' + str(n)]:7d}" for n in F.BEYOND_OWN_LEVELS))
    lost = [(kind_of[p], p, beyond[p]) for p in kind_of if beyond[p][0] >= 1]
    for kind, p, b in sorted(lost):
        print(f"  beyond fires: {kind:12} {p[0]} {p[1]} beyond={b[0]} sites={b[1]} most_chars={b[2]} free={b[3]} "
              f"own={b[4:]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
