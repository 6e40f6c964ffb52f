"""A prototype of the store ``third_beyond`` needs (issue 19, round 13, wip/seen13; design in docs/findings.md,
"Issue 19 measured again: text other texts hold"). Not used by reprintwatch: a sketch of the tables and the
questions, in SQLite, to show the questions are key lookups and that re-judging what a new text touches makes
the end state independent of the order texts arrive in.

* ``seen(id, site)`` and ``seen_keys(key, id)``: every text checked, as the hashes of its Chinese 8-grams
  (``pair_features.HOLD_GRAM``; the real store would keep the window band keys a check already makes).
* ``claims(suspect, licensed, passage_keys, licensed_keys)``: standing partial findings, with what a re-judge
  needs (the licensed article's keys come from the licensed index in the real store).
* :meth:`SeenStore.add` records a text and returns the claims whose passage it holds: the re-judge queue.
* :meth:`SeenStore.judge` answers ``beyond_own`` for one claim from the store alone (the guards of
  ``pair_features.third_beyond``: holders sharing ``BEYOND_CHARS`` more of the suspect outside the licensed
  article, that text also held by a text without the passage, the holder with text of its own).
"""
from __future__ import annotations

import hashlib
import sqlite3
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.pair_features import (BEYOND_CHARS, BEYOND_COMMON, BEYOND_SAME, HOLD_GRAM,  # noqa: E402
                                 HOLD_SHARE)

BEYOND_OWN = 300  # characters of its own a holder needs (bench/many_copies.py: copiers add ~80-100)


def keys(text: str) -> list[int]:
    """Hashes of the Chinese 8-grams of ``text`` in order (repeats kept: positions matter for coverage)."""
    from reprintwatch.dedupe.normalize import chinese_only

    t = chinese_only(text)
    return [int.from_bytes(hashlib.blake2b(t[i:i + HOLD_GRAM].encode(), digest_size=7).digest(), "big")
            for i in range(len(t) - HOLD_GRAM + 1)]


def _chars(seq: list[int], wanted: set) -> int:
    """Characters covered by the grams of ``seq`` in ``wanted`` (as pair_features._covered)."""
    covered = set()
    for i, k in enumerate(seq):
        if k in wanted:
            covered.update(range(i, i + HOLD_GRAM))
    return len(covered)


class SeenStore:
    def __init__(self, path: str = ":memory:"):
        self.db = sqlite3.connect(path)
        self.db.executescript("""
            CREATE TABLE IF NOT EXISTS seen (id TEXT PRIMARY KEY, site TEXT NOT NULL, keys TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS seen_keys (key INTEGER NOT NULL, id TEXT NOT NULL, UNIQUE(key, id));
            CREATE INDEX IF NOT EXISTS seen_keys_key ON seen_keys(key);
            CREATE TABLE IF NOT EXISTS claims (suspect TEXT, licensed TEXT, passage TEXT, licensed_keys TEXT,
                                               PRIMARY KEY(suspect, licensed));
        """)

    def add(self, doc_id: str, site: str, text: str) -> list[tuple[str, str]]:
        """Record a seen text; return the standing claims it can change (to judge again): those whose passage it
        holds (a new holder) and those whose suspect text outside the licensed article it shares ``BEYOND_CHARS``
        of (it may free a holder's shared text: the lineage guard). The real store would find both with a key
        lookup on the claims' keys; the prototype reads every claim."""
        seq = keys(text)
        with self.db:
            self.db.execute("INSERT OR REPLACE INTO seen VALUES (?, ?, ?)", (doc_id, site, ",".join(map(str, seq))))
            self.db.executemany("INSERT OR IGNORE INTO seen_keys VALUES (?, ?)", [(k, doc_id) for k in set(seq)])
        mine = set(seq)
        out = []
        for suspect, licensed, passage, lic in self.db.execute("SELECT * FROM claims").fetchall():
            if doc_id in (suspect, licensed):
                continue
            p = set(map(int, passage.split(","))) if passage else set()
            lic = set(map(int, lic.split(","))) if lic else set()
            s_seq = self._keys_of(suspect)
            if (p and len(p & mine) >= HOLD_SHARE * len(p)) or _chars(s_seq, (mine & set(s_seq)) - lic) >= BEYOND_CHARS:
                out.append((suspect, licensed))
        return out

    def claim(self, suspect: str, licensed: str, passage_text: str, licensed_text: str) -> None:
        with self.db:
            self.db.execute("INSERT OR REPLACE INTO claims VALUES (?, ?, ?, ?)",
                            (suspect, licensed, ",".join(map(str, set(keys(passage_text)))),
                             ",".join(map(str, set(keys(licensed_text))))))

    def _keys_of(self, doc_id: str) -> list[int]:
        row = self.db.execute("SELECT keys FROM seen WHERE id = ?", (doc_id,)).fetchone()
        return [int(k) for k in row[0].split(",")] if row and row[0] else []

    def _holders(self, ks: set, exclude: set) -> dict[str, int]:
        """Seen texts holding keys of ``ks``, with how many."""
        out: dict[str, int] = {}
        ks = list(ks)
        for i in range(0, len(ks), 500):
            chunk = ks[i:i + 500]
            q = f"SELECT id, COUNT(*) FROM seen_keys WHERE key IN ({','.join('?' * len(chunk))}) GROUP BY id"
            for doc_id, n in self.db.execute(q, chunk):
                if doc_id not in exclude:
                    out[doc_id] = out.get(doc_id, 0) + n
        return out

    def judge(self, suspect: str, licensed: str) -> int:
        """Sites holding the claim's passage that took more of its source (``beyond_own``): 0 keeps it."""
        passage, lic = self.db.execute("SELECT passage, licensed_keys FROM claims WHERE suspect = ? AND licensed = ?",
                                       (suspect, licensed)).fetchone()
        p = set(map(int, passage.split(","))) if passage else set()
        lic = set(map(int, lic.split(","))) if lic else set()
        s_seq = self._keys_of(suspect)
        s_all = set(s_seq)
        pair = {suspect, licensed}
        holders = {d for d, n in self._holders(p, pair).items() if n >= HOLD_SHARE * len(p)}
        extra = s_all - lic
        by_key: dict[int, set] = {}
        ks = list(extra)
        for i in range(0, len(ks), 500):
            chunk = ks[i:i + 500]
            for k, d in self.db.execute(f"SELECT key, id FROM seen_keys WHERE key IN ({','.join('?' * len(chunk))})",
                                        chunk):
                if d not in pair:
                    by_key.setdefault(k, set()).add(d)
        mine = {k for k, ds in by_key.items() if len(ds) + 1 <= BEYOND_COMMON}
        free = {k for k in mine if by_key[k] - holders}
        sites = set()
        for d in holders:
            t_seq = self._keys_of(d)
            t = set(t_seq)
            inter = len(s_all & t)
            if inter >= BEYOND_SAME * len(s_all) or inter >= BEYOND_SAME * max(1, len(t)):
                continue
            shared = {k for k in mine if d in by_key[k]}
            if _chars(s_seq, shared & free) < BEYOND_CHARS:
                continue
            if _chars(t_seq, t - s_all - lic) >= BEYOND_OWN:
                sites.add(self.db.execute("SELECT site FROM seen WHERE id = ?", (d,)).fetchone()[0])
        return len(sites)
