"""LSH banding: choose bands × rows for a Jaccard threshold, and the probability curve behind the choice.

With ``b`` bands of ``r`` rows, two sets of Jaccard similarity ``s`` share at least one band with
probability ``1 - (1 - s**r)**b``. :func:`optimal_bands` picks the ``(b, r)`` with ``b*r <= num_perm``
that minimises the weighted area of false positives below the threshold plus false negatives above it
(the criterion of datasketch's ``MinHashLSH``, written out here so the choice is explicit and stored).
"""
from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Sequence

import numpy as np


def collision_probability(similarity, bands: int, rows: int):
    s = np.asarray(similarity, dtype=float)
    return 1.0 - (1.0 - s**rows) ** bands


@lru_cache(maxsize=64)
def optimal_bands(
    threshold: float, num_perm: int, false_positive_weight: float = 0.5, false_negative_weight: float = 0.5
) -> tuple[int, int]:
    if not 0.0 < threshold < 1.0:
        raise ValueError("threshold must be between 0 and 1")
    below = np.linspace(0.0, threshold, 201)
    above = np.linspace(threshold, 1.0, 201)
    best, best_error = (1, num_perm), float("inf")
    for bands in range(1, num_perm + 1):
        for rows in range(1, num_perm // bands + 1):
            fp = np.trapezoid(collision_probability(below, bands, rows), below)
            fn = np.trapezoid(1.0 - collision_probability(above, bands, rows), above)
            error = false_positive_weight * fp + false_negative_weight * fn
            if error < best_error - 1e-12:
                best, best_error = (bands, rows), error
    return best


# --- the candidate key table: sorted runs -------------------------------------------------------------
#
# Band keys live in a few sorted runs of ``(key, owner)`` pairs (owner = the article's row number), like
# an LSM tree: each write batch adds one run, runs of similar size are merged, and a lookup is one binary
# search per run and query key. Why: the per-check SQL probe (``key IN (…) GROUP BY``) was ~45 % of a check
# once segmentation ran at jieba-rs speed; ``np.searchsorted`` over a few arrays loaded once per process
# answers the same question in ~0.1 ms at 100k articles (bench/speed.py), and the runs stay transactional
# rows of the SQLite file (index/sqlite.py). Storage is not decided here (datasketch's split).


@dataclass(frozen=True, eq=False)
class KeyRun:
    """Band keys sorted ascending (``int64``) and the owner of each (``uint32`` row numbers); one pair each.
    12 bytes a key in memory; on disk the compact form of :meth:`to_bytes` (~7 bytes a key)."""

    keys: np.ndarray
    owners: np.ndarray
    bucketed: bool = False  # a bucket table even below _BUCKETED_FROM entries (SearchRuns' merged run)

    def __len__(self) -> int:
        return len(self.keys)

    def to_bytes(self) -> tuple[bytes, bytes]:
        """``(keys, owners)`` blobs, compact. Keys: the sorted distinct keys as gaps from one to the next,
        split into byte planes (a gap's low bytes are random and stored raw; its top bytes are mostly small
        and zlib-compressed), plus which entries repeat the previous key (reprinted text shares keys: ~7 %
        of the entries at 10k articles). Owners: minus the smallest, in byte planes (a run's articles are
        mostly consecutive rows: 2 of the 4 bytes are zero, the third nearly so). Measured on the key runs of
        10,000 real articles: 12 bytes a key → 6.8; at 100k runs are longer, so gaps and bytes smaller."""
        n = len(self.keys)
        u = self.keys.astype("<i8").view(np.uint64) ^ _SIGN  # order-preserving as unsigned
        new = np.ones(n, dtype=bool)
        if n:
            new[1:] = u[1:] != u[:-1]
        distinct = u[new]
        first = int(distinct[0]) if n else 0
        gaps = np.diff(distinct, prepend=distinct[:1]) if n else distinct
        repeats = b"" if new.all() else zlib.compress(np.packbits(new).tobytes(), 1)
        keys = b"".join((_RUN_MAGIC, struct.pack("<QIQ", n, len(distinct), first), struct.pack("<I", len(repeats)),
                         repeats, _pack_planes(gaps)))
        if len(keys) == 8 * n:  # ``_pad``: never the length of a plain keys array (from_bytes tells them apart so)
            keys += b"\0"
        base = int(self.owners.min()) if n else 0
        owners = struct.pack("<I", base) + _pack_planes((self.owners.astype(np.int64) - base).astype(np.uint32))
        return keys, owners

    @classmethod
    def from_bytes(cls, keys: bytes, owners: bytes, entries: int) -> "KeyRun":
        """The run from :meth:`to_bytes`, or from the plain arrays of indexes written before it (12 bytes a
        key: told apart by their exact length; a compact blob is never that long: ``_pad`` in :meth:`to_bytes`)."""
        if len(keys) == 8 * entries and len(owners) == 4 * entries:
            return cls(np.frombuffer(keys, "<i8"), np.frombuffer(owners, "<u4"))
        if keys[:4] != _RUN_MAGIC:
            raise ValueError("not a reprintwatch key run")
        n, n_distinct, first = struct.unpack_from("<QIQ", keys, 4)
        (n_repeats,) = struct.unpack_from("<I", keys, 24)
        offset = 28 + n_repeats
        gaps, _ = _unpack_planes(keys, offset, n_distinct, np.uint64)
        distinct = np.cumsum(gaps, dtype=np.uint64) + np.uint64(first) if n_distinct else gaps
        if n_repeats:
            new = np.unpackbits(np.frombuffer(zlib.decompress(keys[28:offset]), np.uint8), count=n).astype(bool)
            distinct = distinct[np.cumsum(new) - 1]
        (base,) = struct.unpack_from("<I", owners)
        rel, _ = _unpack_planes(owners, 4, n, np.uint32)
        return cls((distinct ^ _SIGN).view(np.int64), rel + np.uint32(base))

    @cached_property
    def _buckets(self) -> tuple[np.ndarray, int, np.uint64] | None:
        # built on first lookup, once per process and run (runs never change): ~0.1 s for 4M entries
        return _bucket_table(self.keys) if len(self.keys) >= _BUCKETED_FROM or self.bucketed else None

    @cached_property
    def _bits(self) -> np.ndarray | None:
        # with the bucket table: ~20 ms for 4M entries, one byte an entry
        return _key_bits(self.keys) if self._buckets is not None else None

    def ranges(self, q: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``[lo, hi)`` of each of the sorted, unique int64 keys ``q`` in this run."""
        bits = self._bits
        if bits is None:
            return _key_ranges(self.keys, q, self._buckets)
        # a key held nowhere costs one probe of the bit table instead of a bucket search: at 10k licensed ~40 %
        # of the band keys of the benchmark's 1,060 checks (most of them are copies: their keys are held), and
        # most keys of a text that is no copy (bench: lookups 0.47 -> 0.42 ms a check)
        maybe = np.flatnonzero(_maybe_held(bits, q))
        lo, hi = np.zeros(len(q), np.int64), np.zeros(len(q), np.int64)
        if len(maybe):
            lo[maybe], hi[maybe] = _key_ranges(self.keys, q[maybe], self._buckets)
        return lo, hi

    def without(self, owners: np.ndarray) -> "KeyRun":
        keep = ~np.isin(self.owners, np.asarray(owners, dtype=np.uint32))
        return KeyRun(self.keys[keep], self.owners[keep])


_RUN_MAGIC = b"RWK2"
_SIGN = np.uint64(1 << 63)


def _pack_planes(values: np.ndarray) -> bytes:
    """Unsigned integers as byte planes up to the highest non-zero one: each plane raw, or zlib-compressed
    when its bytes are far from uniform (estimated from a histogram: compressing the random low planes
    would cost ~0.5 µs a key for nothing, a merge rewrites millions of keys)."""
    values = np.ascontiguousarray(values, dtype=values.dtype.newbyteorder("<"))
    width = values.dtype.itemsize
    top = int(values.max()).bit_length() if len(values) else 0
    planes = (top + 7) // 8
    matrix = values.view(np.uint8).reshape(len(values), width)
    parts = [struct.pack("<B", planes)]
    for i in range(planes):
        plane = np.ascontiguousarray(matrix[:, i])
        p = np.bincount(plane, minlength=256) / len(plane)
        entropy = -float(np.sum(p[p > 0] * np.log2(p[p > 0])))
        data, kind = plane.tobytes(), 0
        if entropy < 7.5:
            data, kind = zlib.compress(data, 1), 1
        parts.append(struct.pack("<BI", kind, len(data)))
        parts.append(data)
    return b"".join(parts)


def _unpack_planes(blob: bytes, offset: int, n: int, dtype) -> tuple[np.ndarray, int]:
    width = np.dtype(dtype).itemsize
    matrix = np.zeros((n, width), dtype=np.uint8)
    (planes,) = struct.unpack_from("<B", blob, offset)
    offset += 1
    for i in range(planes):
        kind, size = struct.unpack_from("<BI", blob, offset)
        offset += 5
        data = blob[offset : offset + size]
        offset += size
        matrix[:, i] = np.frombuffer(zlib.decompress(data) if kind else data, np.uint8)
    return matrix.view(np.dtype(dtype).newbyteorder("<")).reshape(n).astype(dtype), offset


def make_run(keys: Sequence[np.ndarray], owners: Sequence[int]) -> KeyRun:
    """One run from each owner's keys, sorted by ``(key, owner)``. An owner holds a key once (as an
    Elasticsearch document holds a term once), even if two of its keys coincide after ``key_bits``."""
    if not keys:
        return KeyRun(np.zeros(0, np.int64), np.zeros(0, np.uint32))
    all_keys = np.concatenate([np.asarray(k, dtype=np.int64) for k in keys])
    all_owners = np.repeat(np.asarray(owners, dtype=np.uint32), [len(k) for k in keys])
    all_keys, all_owners = _sorted_pairs(all_keys, all_owners)
    # a repeated (key, owner) pair sits next to its first: dropped in one pass over the batch (np.unique
    # of each article's keys was a tenth of storing a 500-article batch)
    keep = np.ones(len(all_keys), dtype=bool)
    keep[1:] = (all_keys[1:] != all_keys[:-1]) | (all_owners[1:] != all_owners[:-1])
    return KeyRun(all_keys[keep], all_owners[keep])


def merge_runs(runs: Sequence[KeyRun]) -> KeyRun:
    return KeyRun(*_sorted_pairs(np.concatenate([r.keys for r in runs]), np.concatenate([r.owners for r in runs])))


def _sorted_pairs(keys: np.ndarray, owners: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(keys, owners)`` (int64, uint32) sorted by key, then owner: as ``np.lexsort((owners, keys))``.

    When both fit in one 63-bit number (keys of ``key_bits`` ≤ 40 and the owners' spread: always at a few
    million articles) the pairs are packed and sorted as numbers — ``np.sort`` of 245k int64 (a
    500-article batch) takes 5 ms where ``lexsort``/``argsort`` take 19–26 ms."""
    if len(keys) < 2:
        return keys, owners
    base = int(owners.min())
    owner_bits = (int(owners.max()) - base).bit_length()
    if int(keys.min()) >= 0 and int(keys.max()).bit_length() + owner_bits <= 63:
        packed = (keys << np.int64(owner_bits)) | (owners.astype(np.int64) - base)
        # a stable sort (timsort for int64) finds the sorted stretches the input is made of and merges them:
        # merge_runs' input is whole sorted runs (4 runs of 250k entries: 21-25 ms against 221 ms for the
        # default quicksort; of 1M: 41-46 against 666-942 ms), make_run's each article's sorted keys (500
        # articles: 14-18 against 27-33 ms); microbenchmark on this busy 2-core machine, same run. Numbers
        # sort to the same array whichever the algorithm.
        packed.sort(kind="stable")
        return packed >> np.int64(owner_bits), ((packed & np.int64((1 << owner_bits) - 1)) + base).astype(np.uint32)
    order = np.lexsort((owners, keys))
    return keys[order], owners[order]


#: Runs from this many entries get a bucket table (:meth:`KeyRun.ranges`); smaller ones fit in the CPU caches
#: and two binary searches are cheaper than the table's extra steps (measured at 10k articles: 200k-entry
#: runs 0.12 ms a lookup either way; the 4M-entry run 0.75 ms by binary search, 0.28 ms with the table).
_BUCKETED_FROM = 1 << 20
_BUCKET_FILL = 2  # entries a bucket on average
_WINDOW = 8  # entries of a bucket compared at once; larger buckets (rare: hot keys) fall back to bisection
_WINDOW_STEPS = np.arange(_WINDOW)
_WIDE_WINDOW_STEPS = np.arange(64)


def _bucket_table(keys: np.ndarray) -> tuple[np.ndarray, int, np.uint64]:
    """``(starts, shift, base)``: entries whose key's offset from the run's smallest, ``base``, has top bits
    ``b`` are ``keys[starts[b] : starts[b + 1]]``. Offsets, not the keys' own top bits: keys are uniform over
    ``FingerprintParams.key_bits`` bits (40), not over 64."""
    bits = max(1, int(np.ceil(np.log2(max(2, len(keys)) / _BUCKET_FILL))))
    u = keys.view(np.uint64) ^ _SIGN  # order-preserving as unsigned
    base = u[0]
    shift = max(0, int(u[-1] - base).bit_length() - bits)
    counts = np.bincount(((u - base) >> np.uint64(shift)).astype(np.int64))
    starts = np.zeros(len(counts) + 1, dtype=np.int64)
    np.cumsum(counts, out=starts[1:])
    return starts, shift, base


def _key_bits(keys: np.ndarray) -> np.ndarray:
    """A bit table over the keys' low bits (uniform: keys are hashes), at least 8 bits a key: a key not held
    finds its bit clear with probability >= 88 %; a held key always finds it set."""
    size = 1 << max(3, int(len(keys) * 8 - 1).bit_length())
    flags = np.zeros(size, dtype=bool)
    flags[keys.view(np.uint64) & np.uint64(size - 1)] = True
    return np.packbits(flags, bitorder="little")


def _maybe_held(bits: np.ndarray, q: np.ndarray) -> np.ndarray:
    idx = q.view(np.uint64) & np.uint64(len(bits) * 8 - 1)
    return ((bits[idx >> np.uint64(3)] >> (idx & np.uint64(7)).astype(np.uint8)) & 1).astype(bool)


def _key_ranges(keys: np.ndarray, q: np.ndarray, buckets: tuple[np.ndarray, int, np.uint64] | None = None
                ) -> tuple[np.ndarray, np.ndarray]:
    """``[lo, hi)`` of each of the sorted ``q`` in ``keys``. Band keys are uniform hashes, so with a bucket
    table on their top bits a key is found by reading one bucket — two cache misses instead of the ~20 steps
    of a binary search through a run larger than the caches."""
    if buckets is None:
        return np.searchsorted(keys, q, "left"), np.searchsorted(keys, q, "right")
    starts, shift, base = buckets
    # a key below the run's smallest wraps around to a huge offset: it lands in the last bucket and, not
    # being there, is found nowhere — as a key outside the run must be
    offset = (q.view(np.uint64) ^ _SIGN) - base
    b = np.minimum(offset >> np.uint64(shift), np.uint64(len(starts) - 2)).astype(np.int64)
    first = starts[b]
    size = starts[b + 1] - first
    lo, hi = np.empty(len(q), np.int64), np.empty(len(q), np.int64)
    todo = np.arange(len(q))
    # buckets of up to _WINDOW entries, then those of up to _WIDE_WINDOW (a key held by many versions of one
    # story: at 100k licensed, bisecting them through the 15M-entry runs was a third of a lookup), then the rest
    for steps in (_WINDOW_STEPS, _WIDE_WINDOW_STEPS):
        fits = size[todo] <= len(steps)
        at, todo = todo[fits], todo[~fits]
        window = keys[np.minimum(first[at, None] + steps, len(keys) - 1)]
        equal = (window == q[at, None]) & (steps < size[at, None])
        lo[at] = first[at] + equal.argmax(axis=1)
        hi[at] = lo[at] + equal.sum(axis=1)
        if not len(todo):
            return lo, hi
    lo[todo] = np.searchsorted(keys, q[todo], "left")
    hi[todo] = np.searchsorted(keys, q[todo], "right")
    return lo, hi


#: The merged small runs get a bucket table from this many entries: at 10k articles they make one run of
#: 986k entries, just under _BUCKETED_FROM, whose two binary searches were 0.35 ms a lookup (1,060 checks'
#: band and fact keys, b5c72f4) — 0.14 ms with the table.
_MERGED_BUCKETED_FROM = 1 << 18


class SearchRuns:
    """The runs a lookup searches: runs of ``_BUCKETED_FROM`` entries or more as they are (bucket tables),
    the smaller ones merged into one in memory — a lookup pays a fixed ~10 numpy calls a run, and at 10k
    articles four 250k-entry runs cost as much as the 4M-entry one (bench: 1.2 → 0.7 ms of lookups a check,
    same counts). The merge (a stable sort of a few sorted arrays, ~50 ms for 1M entries) is redone only
    when the set of small runs changes; order within a key does not matter to the counts."""

    def __init__(self) -> None:
        self._small: tuple[int, ...] = ()
        self._merged: KeyRun | None = None

    def update(self, runs: dict[int, KeyRun]) -> list[KeyRun]:
        small = tuple(sorted(r for r, run in runs.items() if len(run) < _BUCKETED_FROM))
        if small != self._small:
            parts = [runs[r] for r in small]
            if len(parts) > 1:
                keys = np.concatenate([p.keys for p in parts])
                order = np.argsort(keys, kind="stable")
                self._merged = KeyRun(keys[order], np.concatenate([p.owners for p in parts])[order],
                                      bucketed=len(keys) >= _MERGED_BUCKETED_FROM)
            else:
                self._merged = parts[0] if parts else None
            self._small = small
        large = [run for r, run in runs.items() if len(run) >= _BUCKETED_FROM]
        return large + ([self._merged] if self._merged is not None else [])


def shared_key_counts(runs: Sequence[KeyRun], keys: np.ndarray, max_df: int) -> tuple[np.ndarray, np.ndarray]:
    """``(owners, shared)``: every owner holding at least one of ``keys``, and how many of them it holds.

    Keys held by more than ``max_df`` owners (over all runs) are not counted: boilerplate that survived
    normalisation would make every article that carries it a candidate of every other."""
    q = np.asarray(keys, dtype=np.int64)
    if len(q) > 1 and not np.all(q[1:] > q[:-1]):  # fingerprint keys come sorted and unique
        q = np.unique(q)
    if len(q) == 0 or not runs:
        return np.zeros(0, np.uint32), np.zeros(0, np.int64)
    bounds = [r.ranges(q) for r in runs]
    df = np.sum([hi - lo for lo, hi in bounds], axis=0)
    cold = df <= max_df
    found = []
    for run, (lo, hi) in zip(runs, bounds):
        lo, n = lo[cold], (hi - lo)[cold]
        total = int(n.sum())
        if total:
            # the positions lo[i] .. lo[i]+n[i]-1 of every query key, in one vector
            starts = np.repeat(lo - np.cumsum(n) + n, n)
            found.append(run.owners[starts + np.arange(total)])
    if not found:
        return np.zeros(0, np.uint32), np.zeros(0, np.int64)
    found = np.concatenate(found)
    top = int(found.max()) + 1
    if len(found) * 4 >= top:
        # many entries (fact keys at 100k licensed: ~20,000 a lookup): counted in a table of every row, cheaper
        # than sorting them
        counts = np.bincount(found, minlength=top)
        owners = np.flatnonzero(counts)
        return owners.astype(np.uint32), counts[owners]
    # counted by a sort (np.unique goes through a hash table first in NumPy 2.x: ~3x slower here)
    owners = np.sort(found)
    first = np.flatnonzero(np.concatenate(([True], owners[1:] != owners[:-1])))
    return owners[first], np.diff(first, append=len(owners))


def batch_shared_key_counts(runs: Sequence[KeyRun], keys: np.ndarray, queries: np.ndarray, max_df: int
                            ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`shared_key_counts` of many lookups at once: ``keys[i]`` is a key of lookup ``queries[i]`` (each
    lookup's keys distinct). Returns ``(owners, lookups, shared)`` sorted by lookup, then owner: each owner
    holding at least one key of a lookup, and how many. A batch pays each run's fixed cost (~10 numpy calls)
    once, not once a lookup. The keys are searched sorted, with their repeats (~13 % of a batch of real
    articles): a binary search of keys in order reuses its last bounds and stays in cache, and searching the
    lookups' keys one lookup after another was 57 ms a run of 250k–1M entries against ~10 (500 real articles)."""
    none = np.zeros(0, np.uint32), np.zeros(0, np.int64), np.zeros(0, np.int64)
    if len(keys) == 0 or not runs:
        return none
    keys, queries = _sorted_pairs(np.asarray(keys, dtype=np.int64), np.asarray(queries, dtype=np.int64))
    queries = queries.astype(np.int64)
    bounds = [r.ranges(keys) for r in runs]
    df = np.sum([hi - lo for lo, hi in bounds], axis=0)
    cold = df <= max_df
    entry_queries = queries[cold]
    found_owners, found_queries = [], []
    for run, (lo, hi) in zip(runs, bounds):
        lo, n = lo[cold], (hi - lo)[cold]
        total = int(n.sum())
        if total:
            starts = np.repeat(lo - np.cumsum(n) + n, n)
            found_owners.append(run.owners[starts + np.arange(total)].astype(np.int64))
            found_queries.append(np.repeat(entry_queries, n))
    if not found_owners:
        return none
    # (lookup, owner) pairs as one number (owners are uint32 row numbers), counted by a sort
    pairs = (np.concatenate(found_queries) << np.int64(32)) | np.concatenate(found_owners)
    pairs.sort()
    first = np.flatnonzero(np.concatenate(([True], pairs[1:] != pairs[:-1])))
    counts = np.diff(first, append=len(pairs))
    pairs = pairs[first]
    return (pairs & np.int64(0xFFFFFFFF)).astype(np.uint32), pairs >> np.int64(32), counts
