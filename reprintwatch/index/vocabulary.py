"""Signatures stored compactly in the SQLite index: tokens as ids in one vocabulary shared by every article.

A :class:`~reprintwatch.dedupe.fingerprint.Signature` keeps a 32-bit hash for every shingle plus each token's
length and place in the original text. Shingle hashes are random and incompressible (4 bytes each: ~70 %
of a signature's blob), but they are a pure function of the token hashes, and news text repeats a few tens
of thousands of words. So an article is stored as the ids of its tokens in a vocabulary of distinct
``(token hash, length)`` pairs (ids by the batch that first used a word: common words get small ones), zlib'd,
with the few tokens whose place in the original text does not follow from their lengths; the shingles are
recomputed from the token hashes on reading (``shingles_of_token_hashes``, vectorised over a batch).
Measured on 10,000 real articles: 3.2 KB a signature → 1.3 KB (+ 0.2 KB of vocabulary an article, less
as the index grows), and ``get`` as fast for the batches a check asks for (5+: ~35 µs an article; +25 µs
for a lone one). The signature read back is the one written, value for value (tests/test_sqlite_index.py).

The vocabulary is append-only (a row is never changed or deleted), written in the same transaction as the
articles that first use its words; a reader loads the rows it lacks when a signature names an id beyond
them. A signature without token hashes (made by hand or by older code) is stored in its own format
(``Signature.to_bytes``), which is also how indexes written before this one keep being read.
"""
from __future__ import annotations

import sqlite3
import struct
import zlib
from typing import Sequence

import numpy as np

from ..dedupe.arrays import unique_sorted
from ..dedupe.fingerprint import Signature, shingles_of_token_hashes
from ..errors import LicensedIndexError

_MAGIC = b"RWV1"
_SCHEMA = "CREATE TABLE IF NOT EXISTS tokens (id INTEGER PRIMARY KEY, hash INTEGER NOT NULL, len INTEGER NOT NULL)"


class TokenVocabulary:
    """The ``tokens`` table of one index file, as arrays: id → hash and length, and the sorted pair keys
    ``hash << 32 | length`` with their ids for lookups. Ids start at 1 (row 0 of the arrays is unused)."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        self._reset()

    def _reset(self) -> None:
        self.hashes = np.zeros(1, np.uint32)
        self.lens = np.zeros(1, np.int32)
        self._keys = np.zeros(0, np.uint64)
        self._ids = np.zeros(0, np.int64)

    def forget(self) -> None:
        """Drop what is loaded (after a rolled-back write): the next use loads the table again."""
        self._reset()

    def __len__(self) -> int:
        return len(self.hashes) - 1

    def refresh(self) -> None:
        """Load the rows added since the last call (by this process or another). A vocabulary that holds
        more than the file (its transaction was rolled back) is loaded again from scratch."""
        top = self.conn.execute("SELECT coalesce(max(id), 0) FROM tokens").fetchone()[0]
        if top < len(self):
            self._reset()
        if top == len(self):
            return
        rows = np.array(self.conn.execute("SELECT id, hash, len FROM tokens WHERE id > ? ORDER BY id",
                                          (len(self),)).fetchall(), dtype=np.int64).reshape(-1, 3)
        if len(rows) and not np.array_equal(rows[:, 0], np.arange(len(self) + 1, len(self) + 1 + len(rows))):
            raise LicensedIndexError("the licensed index's tokens table has gaps in its ids; re-create the index")
        self._append(rows[:, 1].astype(np.uint32), rows[:, 2].astype(np.int32))

    def _append(self, hashes: np.ndarray, lens: np.ndarray) -> None:
        first = len(self) + 1
        self.hashes = np.concatenate((self.hashes, hashes))
        self.lens = np.concatenate((self.lens, lens))
        keys = _pair_keys(hashes, lens)
        order = np.argsort(keys, kind="stable")
        keys, ids = keys[order], np.arange(first, first + len(hashes), dtype=np.int64)[order]
        # merged into the sorted arrays (each new key after the equal ones held: the order a stable sort of
        # all of them gives) instead of sorting everything again: that sort grew with the vocabulary and
        # was a tenth of storing a 500-article batch at 3,000 articles
        at = np.searchsorted(self._keys, keys, side="right")
        self._keys, self._ids = np.insert(self._keys, at, keys), np.insert(self._ids, at, ids)

    def ids(self, hashes: np.ndarray, lens: np.ndarray) -> np.ndarray:
        """The ids of these tokens, adding the new ones to the table. Call inside the write transaction that
        stores the articles using them (after :meth:`refresh` in it). The batch's distinct words are looked
        up once, sorted (searching 190,000 unsorted tokens of a 500-article batch in the vocabulary was ~20 %
        of storing it)."""
        pairs = _pair_keys(hashes, lens)
        # np.unique(return_inverse=True) argsorts: 31 ms for 190k pairs; a sort and a search of them 17 ms
        distinct = unique_sorted(pairs)
        inverse = np.searchsorted(distinct, pairs)
        found = self._find(distinct)
        new = found == 0
        if new.any():
            start = len(self) + 1
            new_h = (distinct[new] >> np.uint64(32)).astype(np.uint32)
            new_l = (distinct[new] & np.uint64(0xFFFFFFFF)).astype(np.int32)
            self.conn.executemany("INSERT INTO tokens(id, hash, len) VALUES (?, ?, ?)",
                                  zip(range(start, start + len(new_h)), new_h.tolist(), new_l.tolist()))
            self._append(new_h, new_l)
            found[new] = np.arange(start, start + len(new_h))
        return found[inverse.reshape(-1)]

    def _find(self, keys: np.ndarray) -> np.ndarray:
        if not len(self._keys):
            return np.zeros(len(keys), np.int64)
        pos = np.minimum(np.searchsorted(self._keys, keys), len(self._keys) - 1)
        return np.where(self._keys[pos] == keys, self._ids[pos], 0)

    # --- the blob ---------------------------------------------------------------------------------------
    def encode(self, signatures: Sequence[Signature]) -> list[bytes]:
        """The stored form of each signature (inside the write transaction: it may add tokens). One
        vocabulary lookup for the whole batch: new words are added once, not per article."""
        known = [s for s in signatures if s.token_hashes is not None]
        if known:
            ids = self.ids(np.concatenate([s.token_hashes for s in known]),
                           np.concatenate([s.token_lens for s in known]))
            per = np.split(ids, np.cumsum([len(s.token_hashes) for s in known])[:-1])
        blobs, j = [], 0
        for sig in signatures:
            if sig.token_hashes is None:
                blobs.append(sig.to_bytes())
                continue
            blobs.append(_blob(sig, per[j]))
            j += 1
        return blobs

    def decode(self, blobs: Sequence[bytes], shingle_size: int) -> list[Signature]:
        """Signatures from stored blobs (either format), loading vocabulary rows written since. The
        shingles of all of them are computed in one vectorised pass."""
        out: list[Signature | None] = [None] * len(blobs)
        parsed = []
        for i, blob in enumerate(blobs):
            if blob[:4] != _MAGIC:
                out[i] = Signature.from_bytes(blob)
            else:
                parsed.append((i, *_parse(blob)))
        for (i, art_ids, gaps, extra, _), h, ln, shingles in zip(parsed, *self._shingles(parsed, shingle_size)):
            ends = np.cumsum(gaps + ln + extra)
            spans = np.empty((len(art_ids), 2), np.int32)
            spans[:, 0] = ends - ln - extra
            spans[:, 1] = ends
            out[i] = Signature(ln, spans, shingles, h)
        return out  # type: ignore[return-value]

    def unique_shingles(self, blobs: Sequence[bytes], shingle_size: int) -> list[np.ndarray]:
        """Each stored blob's distinct shingles, sorted (``Signature.unique_shingles`` of :meth:`decode`'s
        signature, value for value) without the rest of a signature: listing a version of a reported story
        needs only these (its overlap with the reported one), and the token spans (gaps, widths, a running
        sum) were a third of decoding a record (cProfile of a scan at 100k licensed, 16,867 records)."""
        out: list[np.ndarray | None] = [None] * len(blobs)
        parsed = []
        for i, blob in enumerate(blobs):
            if blob[:4] != _MAGIC:
                out[i] = Signature.from_bytes(blob).unique_shingles
            else:
                parsed.append((i, *_parse_ids(blob)))
        for (i, _, _), _, _, shingles in zip(parsed, *self._shingles(parsed, shingle_size)):
            out[i] = unique_sorted(shingles)
        return out  # type: ignore[return-value]

    def _shingles(self, parsed: list[tuple], shingle_size: int):
        """For ``(position, token ids, ..., shingle count)`` of parsed blobs: their token hashes, token lengths
        and shingles, each a list in the same order (one vectorised pass over the batch)."""
        if not parsed:
            return [], [], []
        ids = np.concatenate([p[1] for p in parsed])
        if len(ids) and int(ids.max()) > len(self):
            self.refresh()
            if int(ids.max()) > len(self):
                raise LicensedIndexError("a stored signature names tokens the licensed index does not hold; "
                                         "re-create the index")
        hashes, lens = self.hashes[ids], self.lens[ids]
        every = shingles_of_token_hashes(hashes, shingle_size)  # valid inside each article's own range
        offset = 0
        out_h, out_l, out_s = [], [], []
        for p in parsed:
            n, n_shingles = len(p[1]), p[-1]
            h, ln = hashes[offset : offset + n], lens[offset : offset + n]
            if n >= shingle_size:
                shingles = every[offset : offset + n - shingle_size + 1]
            else:  # fewer tokens than a shingle: one shingle of them all
                shingles = shingles_of_token_hashes(h, shingle_size)
            offset += n
            if len(shingles) != n_shingles:
                raise LicensedIndexError("a stored signature does not match its shingle count; re-create the index")
            out_h.append(h)
            out_l.append(ln)
            out_s.append(shingles)
        return out_h, out_l, out_s


# The blob: magic, counts, then zlib of the token ids (low 16 bits, then the high byte when an id needs it:
# 685 bytes an article against 697 as LEB128 and 718 as byte planes, on 1,000 real articles, and a few numpy
# calls to decode) and of each token's gap after the previous one's end and its width beyond its normalised
# length in the original text (int32, almost all 0: zlib makes them ~130 bytes an article).
_HEAD = struct.Struct("<IIB")


def _blob(sig: Signature, ids: np.ndarray) -> bytes:
    lens = sig.token_lens.astype(np.int64)
    starts, ends = sig.token_spans[:, 0].astype(np.int64), sig.token_spans[:, 1].astype(np.int64)
    gaps = starts - np.concatenate(([0], ends[:-1]))
    extra = (ends - starts) - lens
    high = bool(len(ids)) and int(ids.max()) >= 1 << 16
    if len(ids) and int(ids.max()) >= 1 << 24:
        raise ValueError("more than 2**24 distinct tokens in one index")
    payload = b"".join(((ids & 0xFFFF).astype("<u2").tobytes(), (ids >> 16).astype(np.uint8).tobytes() if high else b"",
                        gaps.astype("<i4").tobytes(), extra.astype("<i4").tobytes()))
    return _MAGIC + _HEAD.pack(len(ids), len(sig.shingles), high) + zlib.compress(payload, 6)


def _parse(blob: bytes):
    n, n_shingles, high = _HEAD.unpack_from(blob, 4)
    payload = zlib.decompress(blob[4 + _HEAD.size :])
    ids, at = _ids(payload, n, high)
    gaps = np.frombuffer(payload, "<i4", n, at).astype(np.int64)
    extra = np.frombuffer(payload, "<i4", n, at + 4 * n).astype(np.int64)
    return ids, gaps, extra, n_shingles


def _parse_ids(blob: bytes):
    """The token ids and shingle count of a blob (what its shingles need), not its gaps and widths."""
    n, n_shingles, high = _HEAD.unpack_from(blob, 4)
    return _ids(zlib.decompress(blob[4 + _HEAD.size :]), n, high)[0], n_shingles


def _ids(payload: bytes, n: int, high: bool) -> tuple[np.ndarray, int]:
    """The ``n`` token ids at the start of a decompressed payload, and where what follows them starts."""
    ids = np.frombuffer(payload, "<u2", n).astype(np.int64)
    at = 2 * n
    if high:
        ids |= np.frombuffer(payload, np.uint8, n, at).astype(np.int64) << 16
        at += n
    return ids, at


def _pair_keys(hashes: np.ndarray, lens: np.ndarray) -> np.ndarray:
    return (np.asarray(hashes).astype(np.uint64) << np.uint64(32)) | np.asarray(lens).astype(np.uint64)


SCHEMA = _SCHEMA
