"""Hand-read labels of real pairs, kept as data, and the scorer that checks a run of ``bench/sina_pairs.py``
against them.

A label file is ``bench/reads/<reader>.tsv`` (one file a reader or branch, so parallel branches never touch the
same file): a header line, then one read pair a line, tab-separated ::

    suspect  licensed  verdict  label  cause  commit  seed  note

* ``suspect`` / ``licensed``: the two articles' ids (``sina2018-…``); ``verdict``: what the detector called the
  pair when it was read (``full_reprint``, ``partial_reprint``, ``rewrite``);
* ``label``: ``right`` (the suspect took that licensed article's text), ``wrong`` (they share something else:
  a source, a template, an official text…) or ``unsure``;
* ``cause``: one word of :data:`CAUSES` — for ``right`` how it was taken, otherwise what the two share;
* ``commit``: the commit read on; ``seed``: the ``--seed`` of the run it was drawn from;
* ``note``: a few words of the reader's own. Ids and the reader's words only: the crawl is research-only, so a
  note never holds the articles' text (:func:`parse_labels` refuses a note with a long run of Chinese).

Lines starting with ``#`` and blank lines are skipped. Every bad row is an error naming its file and line.
"""
from __future__ import annotations

import random
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

COLUMNS = ("suspect", "licensed", "verdict", "label", "cause", "commit", "seed", "note")
VERDICTS = ("full_reprint", "partial_reprint", "rewrite")
LABELS = ("right", "unsure", "wrong")

# How a right pair was taken.
RIGHT_CAUSES = {
    "copy": "the licensed text whole or nearly (most of the suspect or of the licensed article)",
    "excerpt": "a part of the licensed text: paragraphs a rights team could claim",
    "wash": "the licensed text reworded sentence by sentence (洗稿)",
}
# What a wrong (or unsure) pair shares instead of a copy: docs/findings.md's causes, named once here.
SHARED_CAUSES = {
    "official": "an official text both reproduce (notice, rules, scheme, appointment, court bulletin)",
    "filing": "a listed company's filing or announcement",
    "speech": "someone's spoken words both report (speech, interview answer, quote)",
    "post": "a social-media post both quote or embed",
    "statement": "a company's or person's statement, Q&A or letter",
    "facts": "the facts and figures of one event reported twice",
    "release": "a press release both carry",
    "bio": "a person's biography lines both use",
    "reference": "stock reference text both use (a course's or film's description, a product's specs)",
    "background": "a desk's or reporter's own lines reused in their later item (the suspect is the earlier one)",
    "template": "one template filled twice (a desk's daily item, tallies, earnings-date notices)",
    "furniture": "a page's or series' furniture (intros, closings, bylines, columns, page code)",
    "blurb": "a product or event blurb",
    "translation": "two translations of one foreign report",
    "source": "a common source both credit or copy (a wire, another outlet)",
    "digest": "a digest holding the other's item, direction or licence unclear",
    "other": "none of the above (the note says what)",
}
CAUSES = {**RIGHT_CAUSES, **SHARED_CAUSES}

_ID = re.compile(r"^[^\s]{1,80}$")
_COMMIT = re.compile(r"^[0-9a-f]{7,40}$")
NOTE_MAX_CHARS = 200
# A note is the reader's words: it may name a person, outlet or body, never hold a sentence of the article. The
# longest Chinese run in read9's 106 notes is 4 characters (新京报's, 科普中国); 15 leaves room for a long name
# (中国音像著作权集体管理协会 is 13) and refuses a pasted clause.
NOTE_MAX_CHINESE_RUN = 15
_CHINESE_RUN = re.compile(r"[\u4e00-\u9fff]{%d,}" % (NOTE_MAX_CHINESE_RUN + 1))


class LabelError(ValueError):
    """A label file that cannot be read; the message names the file and line."""


@dataclass(frozen=True)
class Label:
    suspect: str
    licensed: str
    verdict: str
    label: str
    cause: str
    commit: str
    seed: int
    note: str
    where: str  # "file:line", for messages

    @property
    def pair(self) -> tuple[str, str]:
        return self.suspect, self.licensed


def _check(row: list[str], where: str) -> Label:
    if len(row) != len(COLUMNS):
        raise LabelError(f"{where}: {len(row)} tab-separated columns, expected {len(COLUMNS)} ({' '.join(COLUMNS)})")
    suspect, licensed, verdict, label, cause, commit, seed, note = (c.strip() for c in row)
    for name, value in (("suspect", suspect), ("licensed", licensed)):
        if not _ID.match(value):
            raise LabelError(f"{where}: {name} id {value!r} is empty, has spaces or is over 80 characters")
    if suspect == licensed:
        raise LabelError(f"{where}: suspect and licensed are the same id {suspect!r}")
    if verdict not in VERDICTS:
        raise LabelError(f"{where}: verdict {verdict!r} is not one of {', '.join(VERDICTS)}")
    if label not in LABELS:
        raise LabelError(f"{where}: label {label!r} is not one of {', '.join(LABELS)}")
    if cause not in CAUSES:
        raise LabelError(f"{where}: cause {cause!r} is not one of {', '.join(CAUSES)}")
    if label == "right" and cause not in RIGHT_CAUSES:
        raise LabelError(f"{where}: a right pair's cause is how it was taken ({', '.join(RIGHT_CAUSES)}), not {cause!r}")
    if label == "wrong" and cause in RIGHT_CAUSES:
        raise LabelError(f"{where}: a wrong pair's cause is what the two share ({', '.join(SHARED_CAUSES)}), "
                         f"not {cause!r}")
    if not _COMMIT.match(commit):
        raise LabelError(f"{where}: commit {commit!r} is not 7-40 lowercase hex digits")
    if not re.fullmatch(r"\d{1,6}", seed):
        raise LabelError(f"{where}: seed {seed!r} is not a whole number")
    if not note:
        raise LabelError(f"{where}: the note is empty (say in a few words what the two share)")
    if len(note) > NOTE_MAX_CHARS:
        raise LabelError(f"{where}: the note is {len(note)} characters, over {NOTE_MAX_CHARS}")
    if _CHINESE_RUN.search(note):
        raise LabelError(f"{where}: the note holds over {NOTE_MAX_CHINESE_RUN} Chinese characters in a row — "
                         "notes are the reader's words, never the articles' text")
    return Label(suspect, licensed, verdict, label, cause, commit, int(seed), note, where)


def parse_labels(text: str, name: str) -> list[Label]:
    """The labels of one file's text (``name`` is for messages). Raises :class:`LabelError` at the first bad row,
    naming ``name:line``; a pair read twice in one file is an error too (a file is one reader's reading)."""
    out: list[Label] = []
    seen: dict[tuple[str, str], str] = {}
    header_done = False
    for number, line in enumerate(text.splitlines(), 1):
        where = f"{name}:{number}"
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        row = line.split("\t")
        if not header_done:
            if tuple(c.strip() for c in row) != COLUMNS:
                raise LabelError(f"{where}: the first row must be the header {chr(9).join(COLUMNS)!r}")
            header_done = True
            continue
        label = _check(row, where)
        if label.pair in seen:
            raise LabelError(f"{where}: pair {label.suspect} {label.licensed} already read at {seen[label.pair]}")
        seen[label.pair] = where
        out.append(label)
    if not header_done:
        raise LabelError(f"{name}: no header row (an empty label file)")
    return out


def label_files(paths) -> list[Path]:
    """The ``.tsv`` files of ``paths`` (files as given, directories' ``*.tsv`` in name order)."""
    out = []
    for p in map(Path, paths):
        if p.is_dir():
            out.extend(sorted(p.glob("*.tsv")))
        elif p.is_file():
            out.append(p)
        else:
            raise LabelError(f"{p}: no such label file or directory")
    return out


def read_labels(paths) -> list[Label]:
    """Every label of the files (or directories of ``.tsv`` files) in ``paths``, validated."""
    out = []
    for path in label_files(paths):
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as e:
            raise LabelError(f"{path}: not UTF-8 ({e.reason} at byte {e.start})") from None
        out.extend(parse_labels(text, str(path)))
    return out


def by_pair(labels) -> dict[tuple[str, str], str]:
    """One label a pair: the readers' label when every reading of the pair agrees, else ``unsure`` (readers
    disagree: counted as unsure, listed by :func:`score`)."""
    seen: dict[tuple[str, str], set] = defaultdict(set)
    for label in labels:
        seen[label.pair].add(label.label)
    return {pair: next(iter(got)) if len(got) == 1 else "unsure" for pair, got in seen.items()}


def score(labels, rows, licensed_ids, scanned_ids) -> dict:
    """Labelled pairs against one run. ``rows`` are the run's matches (dicts with ``suspect``, ``licensed``,
    ``verdict``); a pair is in play when its suspect was scanned and its licensed article indexed in this run's
    split. For each label: in play, reported by verdict now, not reported; every right pair not reported (a real
    copy lost: with what its suspect is reported against now, if anything); the labels of reported pairs by
    their verdict now (the precision estimate among labelled pairs)."""
    licensed_ids, scanned_ids = set(licensed_ids), set(scanned_ids)
    reported = {(r["suspect"], r["licensed"]): r["verdict"] for r in rows}
    by_suspect: dict[str, list] = defaultdict(list)
    for r in rows:
        by_suspect[r["suspect"]].append((r["licensed"], r["verdict"]))
    label_of = by_pair(labels)
    first = {}
    for label in labels:
        first.setdefault(label.pair, label)
    disagree = sorted(p for p in label_of if len({lab.label for lab in labels if lab.pair == p}) > 1)
    counts = {lab: {"in_play": 0, "reported": Counter(), "not_reported": 0} for lab in LABELS}
    precision = {v: Counter() for v in VERDICTS}
    lost, gone = [], []
    for pair, lab in sorted(label_of.items()):
        suspect, licensed = pair
        if suspect not in scanned_ids or licensed not in licensed_ids:
            continue
        c = counts[lab]
        c["in_play"] += 1
        verdict = reported.get(pair)
        if verdict is None:
            c["not_reported"] += 1
            entry = {"suspect": suspect, "licensed": licensed, "label": lab, "read_as": first[pair].verdict,
                     "cause": first[pair].cause, "note": first[pair].note, "where": first[pair].where,
                     "suspect_now": sorted(by_suspect.get(suspect, []))}
            (lost if lab == "right" else gone).append(entry)
        else:
            c["reported"][verdict] += 1
            precision[verdict][lab] += 1
    return {"labels": len(labels), "pairs": len(label_of), "disagree": disagree, "counts": counts,
            "precision": precision, "lost": lost, "gone": gone}


def format_score(result: dict) -> list[str]:
    """Lines for a person: the counts a label, every real copy lost, the precision among labelled pairs."""
    short = {"full_reprint": "full", "partial_reprint": "partial", "rewrite": "rewrite"}
    out = [f"labels: {result['labels']} read, {result['pairs']} pairs"
           + (f" ({len(result['disagree'])} where readers disagree: counted unsure)" if result["disagree"] else "")]
    for lab in LABELS:
        c = result["counts"][lab]
        by_verdict = ", ".join(f"{c['reported'][v]} {short[v]}" for v in VERDICTS if c["reported"][v])
        line = f"{lab}: {c['in_play']} in play, {sum(c['reported'].values())} reported"
        line += f" ({by_verdict})" if by_verdict else ""
        missing = c["not_reported"]
        line += f", {missing} NOT REPORTED" if lab == "right" and missing else f", {missing} no longer reported"
        out.append(line)
    def listed(entries):
        for e in entries:
            now = ", ".join(f"{lic} {short[v]}" for lic, v in e["suspect_now"]) or "nothing"
            yield (f"  {e['suspect']} -> {e['licensed']} {'' if e['label'] == 'right' else e['label'] + ' '}read "
                   f"{short[e['read_as']]} {e['cause']} ({e['where']}); suspect reported now against: {now}")

    if result["lost"]:
        out.append("real copies lost (right, not reported):")
        out.extend(listed(result["lost"]))
    else:
        out.append("real copies lost: none")
    if result["gone"]:  # what a rule took away among the labelled: the reader checks these were not copies
        out.append("unsure or wrong, no longer reported:")
        out.extend(listed(result["gone"]))
    out.append("precision among labelled pairs still reported (right / unsure / wrong):")
    for v in VERDICTS:
        p = result["precision"][v]
        n = sum(p.values())
        if n:
            out.append(f"  {short[v]}: {p['right']} / {p['unsure']} / {p['wrong']} of {n} "
                       f"({p['right'] / n:.0%} right)")
    return out


def unlabelled_sample(rows, labels, n: int, seed: int) -> dict[str, list]:
    """Up to ``n`` reported pairs a verdict that no label reads yet, drawn at random (``seed``), for the next
    reader."""
    read = {label.pair for label in labels}
    out = {}
    for verdict in VERDICTS:
        fresh = [r for r in rows if r["verdict"] == verdict and (r["suspect"], r["licensed"]) not in read]
        if fresh and n > 0:
            out[verdict] = random.Random(seed).sample(fresh, min(n, len(fresh)))
    return out
