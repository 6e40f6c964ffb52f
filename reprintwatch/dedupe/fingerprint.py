"""Fingerprints: word shingles → MinHash (datasketch) → LSH band keys, at two levels.

* **article level** — one MinHash of all shingles, cut into ``bands × rows`` chosen for
  ``article_threshold``: finds whole reprints, also re-titled, reshuffled or lightly rewritten ones;
* **window level** — MinHashes of content-defined windows of about ``window_chunk × window_span``
  shingles: finds a few copied paragraphs inside a long page, a news flash, each source of a stitched
  copy. Window boundaries depend on the shingles themselves (a boundary after each shingle whose hash
  is ``0 mod window_chunk``), so the same paragraph yields the same windows wherever it is pasted.

The parameters are a :class:`FingerprintParams`; every index stores them and refuses to open with others.
"""
from __future__ import annotations

import dataclasses
import struct
import zlib
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Sequence

import numpy as np
from datasketch import MinHash

from . import rewrite
from .arrays import fmix64, fmix64_inplace, unique_sorted
from .lsh import optimal_bands
from .normalize import NormalizedText, Removed, normalize
from .segment import segment, tokenizer_version
from .tokens import TokenTable, token_ids

__all__ = ["FingerprintParams", "Signature", "Fingerprint", "fingerprint", "fingerprint_many", "band_keys", "band_keys_many", "index_keys", "minhash"]

_U64 = np.uint64
_MAGIC = b"RWS2"


@dataclass(frozen=True)
class FingerprintParams:
    """Everything that decides a fingerprint. Changing any field needs a re-index."""

    tokenizer: str = dataclasses.field(default_factory=tokenizer_version)
    shingle_size: int = 3
    num_perm: int = 128
    seed: int = 1
    scheme: str = "affine32"
    article_threshold: float = 0.3
    article_bands: int = 0  # 0: derived from article_threshold and num_perm
    article_rows: int = 0
    window_chunk: int = 6
    window_span: int = 2
    window_max_chunk: int = 32
    window_bands: int = 4
    window_rows: int = 4
    # the rewrite (洗稿) candidate sketch: facts (figures, rare terms, names) as keys, see dedupe/rewrite.py
    rewrite_sketch: str = rewrite.SKETCH
    rewrite_rare_freq: int = rewrite.RARE_FREQ
    rewrite_common_char_freq: int = rewrite.COMMON_CHAR_FREQ
    # Keys (band and fact keys alike) keep their low ``key_bits`` bits. Why 40: the SQLite key runs store
    # the gaps between sorted keys (dedupe/lsh.py ``KeyRun.to_bytes``), so every bit dropped is a bit saved a
    # key: 64 → 40 bits takes 3 bytes off each of ~490 keys an article. What it costs: a query key matches
    # an unrelated stored key with probability (stored keys) / 2**40 — 4.5e-5 at 100k articles, 0.02 such
    # hits a check; 4e-4 and 0.2 at 1M — each adding 1 to some article's count, while a candidate needs 2
    # shared keys and a verification to be reported. Indexes made before this field read as 64 bits and
    # are refused; ``index migrate`` rebuilds their keys from the stored signatures and texts.
    key_bits: int = 40
    version: int = 1

    def __post_init__(self):
        if not self.article_bands or not self.article_rows:
            bands, rows = optimal_bands(self.article_threshold, self.num_perm)
            object.__setattr__(self, "article_bands", bands)
            object.__setattr__(self, "article_rows", rows)
        if self.article_bands * self.article_rows > self.num_perm:
            raise ValueError("article_bands × article_rows exceeds num_perm")
        if not 16 <= self.key_bits <= 64:
            raise ValueError("key_bits must be between 16 and 64")

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "FingerprintParams":
        """Parameters as stored; an index made before the rewrite sketch existed reads as ``rewrite_sketch
        'none'`` — it has no rewrite keys — and one made before ``key_bits`` as 64 bits: either differs from
        today's parameters and is refused (with ``index migrate`` as the way out)."""
        known = {f.name for f in dataclasses.fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        values.setdefault("rewrite_sketch", "none")
        values.setdefault("key_bits", 64)  # made before keys were shortened: full 64-bit keys
        return cls(**values)

    def differences(self, other: "FingerprintParams") -> dict:
        mine, theirs = self.to_dict(), other.to_dict()
        return {k: (mine[k], theirs.get(k)) for k in mine if mine[k] != theirs.get(k)}


def chars_before(token_lens: np.ndarray) -> list[int]:
    """``out[i]``: the characters of tokens ``0 .. i-1`` (``i`` up to ``len(token_lens)``), as Python ints (read
    one at a time by verify.py's ``_covered``)."""
    out = np.zeros(len(token_lens) + 1, dtype=np.int64)
    np.cumsum(token_lens, out=out[1:])
    return out.tolist()


@dataclass(frozen=True, eq=False)
class Signature:
    """What an index keeps per article to verify a match without re-segmenting it.

    ``token_lens[i]`` is the normalised length of token ``i``; ``token_spans[i]`` its ``[start, end)`` in the
    original text; ``shingles[j]`` the 32-bit hash of tokens ``j .. j+shingle_size-1``; ``token_hashes[i]``,
    when known, the 32-bit hash of token ``i`` (the shingles are a function of them: the SQLite index stores
    token ids instead of shingles, index/vocabulary.py). Not part of :meth:`to_bytes`.
    """

    token_lens: np.ndarray
    token_spans: np.ndarray
    shingles: np.ndarray
    token_hashes: np.ndarray | None = None

    # kept, like the two below: a check asks a candidate's size for its bound, its version tests and verify()
    # (~1 % of a scan at 10k licensed in py-spy, 1,060 bench texts, 404adfb); the arrays are never changed
    @cached_property
    def n_chars(self) -> int:
        return int(self.token_lens.sum())

    @cached_property
    def chars_before(self) -> list[int]:
        """``chars_before[i]``: the normalised characters of tokens ``0 .. i-1`` (``i`` up to the token count).
        Kept for the suspect's side of verify(): one check verifies it against each of its candidates (a
        licensed side's is made anew: kept on the 1,024 records ``get`` caches, ~25 KB of ints each)."""
        return chars_before(self.token_lens)

    @cached_property
    def unique_shingles(self) -> np.ndarray:
        # by a sort (dedupe/arrays.py): np.unique's hash table made this 0.6 of 11 s in cProfile of 1,060 checks
        # at 10k licensed (5,118 calls: the suspect's and each candidate's), b5c72f4
        return unique_sorted(self.shingles)

    @cached_property
    def shingle_order(self) -> tuple[np.ndarray, np.ndarray]:
        """``(order, shingles[order])``: the shingles' positions sorted by value (stable), and the values —
        what verify() looks each candidate's shingles up in, sorted once for all the candidates of a check."""
        order = np.argsort(self.shingles, kind="stable")
        return order, self.shingles[order]

    def to_bytes(self) -> bytes:
        """Compact form: counts, then token lengths, start deltas, widths and shingles, zlib-compressed."""
        starts = self.token_spans[:, 0].astype(np.int64)
        widths = (self.token_spans[:, 1] - self.token_spans[:, 0]).astype(np.int32)
        payload = b"".join((
            struct.pack("<II", len(self.token_lens), len(self.shingles)),
            self.token_lens.astype(np.uint16).tobytes(),
            np.diff(starts, prepend=0).astype(np.int32).tobytes(),
            widths.tobytes(),
            self.shingles.astype(np.uint32).tobytes(),
        ))
        return _MAGIC + zlib.compress(payload, 6)

    @classmethod
    def from_bytes(cls, blob: bytes) -> "Signature":
        if blob[:4] != _MAGIC:
            raise ValueError("not a reprintwatch signature (or an unknown version)")
        payload = zlib.decompress(blob[4:])
        n_tokens, n_shingles = struct.unpack_from("<II", payload)
        offset = 8
        lens = np.frombuffer(payload, np.uint16, n_tokens, offset).astype(np.int32)
        offset += 2 * n_tokens
        starts = np.cumsum(np.frombuffer(payload, np.int32, n_tokens, offset), dtype=np.int64).astype(np.int32)
        offset += 4 * n_tokens
        widths = np.frombuffer(payload, np.int32, n_tokens, offset)
        offset += 4 * n_tokens
        shingles = np.frombuffer(payload, np.uint32, n_shingles, offset).copy()
        spans = np.stack([starts, starts + widths], axis=1).astype(np.int32).reshape(-1, 2)
        return cls(lens, spans, shingles)


@dataclass(frozen=True, eq=False)
class Fingerprint:
    signature: Signature
    keys: np.ndarray  # int64 band keys, article and window level, unique
    normalized: NormalizedText
    tokens: list[str] = dataclasses.field(default_factory=list)  # jieba's cut of the normalised text
    # (first token, last token + 1) of each fact (rewrite.fact_bounds_and_keys); :attr:`facts` has them as text
    fact_bounds: tuple[np.ndarray, np.ndarray] = dataclasses.field(
        default_factory=lambda: (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)))
    rewrite_keys: np.ndarray = dataclasses.field(default_factory=lambda: np.zeros(0, dtype=np.int64))

    @cached_property
    def facts(self) -> list[tuple[str, int, int]]:
        """The facts of the text (see ``rewrite.facts``), made when first asked for: only the rewrite path
        reads them, for the few suspects that have rewrite candidates."""
        return rewrite.fact_list(self.tokens, self.fact_bounds)

    @property
    def index_keys(self) -> np.ndarray:
        """Every key an index stores for this text: band keys and rewrite keys (disjoint by level)."""
        return np.concatenate((self.keys, self.rewrite_keys))

    @property
    def removed(self) -> tuple[Removed, ...]:
        return self.normalized.removed


# --- hashing -------------------------------------------------------------------------------------------

def _fmix32(h: np.ndarray) -> np.ndarray:
    h = h ^ (h >> np.uint32(16))
    h = h * np.uint32(0x85EBCA6B)
    h = h ^ (h >> np.uint32(13))
    h = h * np.uint32(0xC2B2AE35)
    return h ^ (h >> np.uint32(16))


_MULTIPLIERS = np.array(
    [0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0xD6E8FEB86659FD93,
     0xFF51AFD7ED558CCD, 0xC4CEB9FE1A85EC53, 0x94D049BB133111EB, 0xBF58476D1CE4E5B9],
    dtype=np.uint64,
)


def token_hashes(tokens: list[str]) -> np.ndarray:
    """The 32-bit hash (CRC-32 of the UTF-8) of each token."""
    table, ids = token_ids(tokens)
    return table.crc[ids].astype(np.uint32)


def shingle_hashes(tokens: list[str], size: int) -> np.ndarray:
    """32-bit hashes of each run of ``size`` consecutive tokens (one shingle if there are fewer)."""
    table, ids = token_ids(tokens)
    return shingles_of_token_hashes(table.crc[ids], size)


def shingles_of_token_hashes(token_crc: np.ndarray, size: int) -> np.ndarray:
    """:func:`shingle_hashes` from the tokens' CRC-32s (``zlib.crc32`` of their UTF-8 bytes; a signature's
    ``token_hashes``)."""
    if len(token_crc) == 0:
        return np.zeros(0, dtype=np.uint32)
    th = np.asarray(token_crc).astype(np.uint64)
    k = min(size, len(th))
    n = len(th) - k + 1
    acc = np.full(n, _U64(k), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for i in range(k):
            acc = acc + th[i : i + n] * _MULTIPLIERS[i % len(_MULTIPLIERS)]
        return (fmix64(acc) >> _U64(32)).astype(np.uint32)


@lru_cache(maxsize=8)
def _permutations(num_perm: int, seed: int, scheme: str) -> tuple[np.ndarray, np.ndarray]:
    a, b = MinHash(num_perm=num_perm, seed=seed, scheme=scheme).permutations
    return np.asarray(a, dtype=np.uint32), np.asarray(b, dtype=np.uint32)


def _permuted_rows(shingles: np.ndarray, num_perm: int, seed: int, scheme: str, total: int = 0) -> np.ndarray:
    """``(num_perm, len(shingles))`` matrix of permuted hash values, one permutation a row (C-contiguous):
    datasketch's ``affine32`` scheme (MurmurHash3 finalizer, then ``a*h + b mod 2**32``), vectorised over all
    shingles at once. ``total``: the first ``num_perm`` of that many permutations (those a MinHash of ``total``
    permutations uses).

    Why this layout (it was ``(len(shingles), num_perm)``): the minima per article and per chunk are
    ``reduceat`` over the shingles, and along contiguous rows NumPy runs one tight loop per (permutation,
    segment); along axis 0 of the other layout
    it was 15× slower for the article minima (133 against 9 µs an article) and 2.6× for the chunk minima,
    and the outer product itself 2.3× (46 against 20 µs): a chunk of 15 real Sina articles (7,101
    shingles), microbenchmark on this 2-core machine under load, same run."""
    if scheme != "affine32":
        raise ValueError(f"unsupported MinHash scheme {scheme!r} (reprintwatch uses affine32)")
    a, b = _permutations(max(total, num_perm), seed, scheme)
    with np.errstate(over="ignore"):
        out = np.multiply.outer(a[:num_perm], _fmix32(shingles.astype(np.uint32)))
        out += b[:num_perm, None]  # in place: one (num_perm, n) array instead of two
        return out


def minhash(shingles: np.ndarray, params: FingerprintParams) -> MinHash:
    """The article-level datasketch ``MinHash`` of a shingle array."""
    a, b = _permutations(params.num_perm, params.seed, params.scheme)
    if len(shingles):
        values = _permuted_rows(shingles, params.num_perm, params.seed, params.scheme).min(axis=1)
    else:
        values = np.full(params.num_perm, np.iinfo(np.uint32).max, dtype=np.uint32)
    return MinHash(seed=params.seed, hashvalues=values, permutations=(a, b), scheme=params.scheme)


def _band_keys(values: np.ndarray, bands: int, rows: int, level: int) -> np.ndarray:
    """Band keys of a ``(n, >= bands*rows)`` matrix of MinHash values: one int64 per (row, band)."""
    return _levels_band_keys([(values, bands, rows, level)])


@lru_cache(maxsize=16)
def _band_init(level: int, bands: int) -> np.ndarray:
    """The starting value of each band's key at ``level``."""
    with np.errstate(over="ignore"):
        return _U64(level) * _U64(0x9E3779B97F4A7C15) + np.arange(bands, dtype=np.uint64) * _U64(0xD6E8FEB86659FD93)


def _levels_band_keys(levels: list[tuple[np.ndarray, int, int, int]]) -> np.ndarray:
    """:func:`_band_keys` of several levels at once: ``(values, bands, rows, level)`` each; keys of all
    levels concatenated, in no particular order.

    Each key is ``acc = mix(level, band)``, then ``acc = fmix64(acc ^ value_r * M_r)`` for each row ``r``.
    Done for all levels together and in place: the article level is one MinHash (37 bands) and the window
    level a few dozen, so the time was NumPy's per-call overhead on small arrays — two passes making fresh
    temporaries at every step were 120 µs of a 1.2 ms fingerprint (1,060 scan texts, cProfile)."""
    levels = sorted(levels, key=lambda lv: -lv[2])  # more rows first: the levels mixing row r are a prefix
    sizes = [values.shape[0] * bands for values, bands, _, _ in levels]
    ends = np.cumsum(sizes).tolist()
    max_rows = levels[0][2]
    acc = np.empty(ends[-1], dtype=np.uint64)
    rows_of = np.empty((max_rows, ends[-1]), dtype=np.uint64)  # row r of every band of every level
    lo = 0
    for (values, bands, rows, level), hi in zip(levels, ends):
        n = values.shape[0]
        acc[lo:hi].reshape(n, bands)[:] = _band_init(level, bands)
        np.copyto(rows_of[:rows, lo:hi].reshape(rows, n, bands),
                  values[:, : bands * rows].reshape(n, bands, rows).transpose(2, 0, 1), casting="unsafe")
        lo = hi
    tmp = np.empty_like(acc)
    with np.errstate(over="ignore"):
        rows_of *= _MULTIPLIERS[np.arange(max_rows) % len(_MULTIPLIERS)][:, None]
        for r in range(max_rows):
            hi = max(end for (_, _, rows, _), end in zip(levels, ends) if r < rows)
            acc[:hi] ^= rows_of[r, :hi]
            fmix64_inplace(acc[:hi], tmp[:hi])
    return acc.view(np.int64)


def window_starts(shingles: np.ndarray, params: FingerprintParams) -> np.ndarray:
    """Start index of each content-defined chunk (the first chunk starts at 0)."""
    n = len(shingles)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    anchors = np.flatnonzero((shingles >> np.uint32(8)) % np.uint32(params.window_chunk) == 0) + 1
    return _cut_long_chunks(np.concatenate(([0], anchors[anchors < n])), n, params.window_max_chunk)


def band_keys(shingles: np.ndarray, params: FingerprintParams) -> np.ndarray:
    """All LSH band keys (article and window level) of a shingle array, unique, as int64."""
    return band_keys_many([shingles], params)[0]


#: Shingles whose band keys are made in one vectorised pass (:func:`band_keys_many`): ~15 real articles, a
#: permuted matrix of ~3.5 MB (8,192 × 111 uint32) that stays in the CPU's caches.
_BAND_CHUNK = 8192


def band_keys_many(shingle_arrays: Sequence[np.ndarray], params: FingerprintParams) -> list[np.ndarray]:
    """:func:`band_keys` of each shingle array, the same values, computed for several articles at once.

    Why: one article's keys were ~25 NumPy calls on arrays of a few hundred values (its ~560 shingles, ~90
    windows, ~400 keys), so NumPy's per-call overhead, not arithmetic, was most of ``band_keys`` — a fifth of
    ``index add``'s CPU (cProfile, 3,000 real articles in 500-article batches). Here the calls are made once
    for ~15 articles: the permuted matrix of all their shingles, the article minima by ``reduceat`` over the
    articles' starts, the content-defined chunks over all of them (an article's start is always a chunk start,
    so no chunk or window crosses two articles), the windows, the key mixing, and one sort that makes each
    article's keys unique. Only the permutations the bands use are computed (37 × 3 = 111 of the 128)."""
    out: list[np.ndarray] = [np.zeros(0, dtype=np.int64)] * len(shingle_arrays)
    todo = [i for i, s in enumerate(shingle_arrays) if len(s)]
    lo = 0
    while lo < len(todo):
        hi, total = lo + 1, len(shingle_arrays[todo[lo]])
        while hi < len(todo) and total + len(shingle_arrays[todo[hi]]) <= _BAND_CHUNK:
            total += len(shingle_arrays[todo[hi]])
            hi += 1
        chunk = todo[lo:hi]
        for i, keys in zip(chunk, _band_keys_chunk([shingle_arrays[i] for i in chunk], params)):
            out[i] = keys
        lo = hi
    return out


def _band_keys_chunk(arrays: list[np.ndarray], params: FingerprintParams) -> list[np.ndarray]:
    """Band keys of several non-empty shingle arrays (see :func:`band_keys_many`)."""
    n_art = len(arrays)
    sizes = np.fromiter(map(len, arrays), dtype=np.int64, count=n_art)
    art_starts = np.cumsum(sizes) - sizes
    shingles = np.concatenate(arrays) if n_art > 1 else arrays[0]
    n = len(shingles)
    n_article_perm = params.article_bands * params.article_rows
    n_window_perm = params.window_bands * params.window_rows
    permuted = _permuted_rows(shingles, max(n_article_perm, n_window_perm), params.seed, params.scheme,
                              total=max(params.num_perm, n_window_perm))  # one row a permutation
    article = np.minimum.reduceat(permuted[:n_article_perm], art_starts, axis=1).T

    # content-defined chunks (window_starts, over all articles at once): a chunk starts after each anchor
    # shingle and at each article's start
    is_start = np.empty(n, dtype=bool)
    is_start[0] = True
    np.equal((shingles[:-1] >> np.uint32(8)) % np.uint32(params.window_chunk), 0, out=is_start[1:])
    is_start[art_starts] = True
    starts = _cut_long_chunks(np.flatnonzero(is_start), n, params.window_max_chunk)
    chunk_min = np.minimum.reduceat(permuted[:n_window_perm], starts, axis=1)  # (permutation, chunk)
    # each article's chunks, and its windows: the minimum over ``span`` consecutive chunks of the article
    # (fewer when it has fewer chunks), one window starting at each of its chunks but the last span - 1
    owner = np.searchsorted(art_starts, starts, side="right") - 1
    n_chunks = np.bincount(owner, minlength=n_art)
    first_chunk = np.cumsum(n_chunks) - n_chunks
    local = np.arange(len(starts)) - first_chunk[owner]
    span = np.minimum(params.window_span, n_chunks)[owner]
    windows = chunk_min.copy()
    for offset in range(1, params.window_span):
        rows = np.flatnonzero(span > offset)
        rows = rows[local[rows] + offset < n_chunks[owner[rows]]]
        windows[:, rows] = np.minimum(windows[:, rows], chunk_min[:, rows + offset])
    keep = local <= n_chunks[owner] - span
    windows, window_owner = windows[:, keep].T, owner[keep]

    levels = [(article, params.article_bands, params.article_rows, 1),
              (windows, params.window_bands, params.window_rows, 2)]
    levels.sort(key=lambda lv: -lv[2])  # decreasing rows: the levels still mixing a row stay contiguous
    keys = shorten_keys(_levels_band_keys(levels), params)
    owners = np.concatenate([np.repeat(np.arange(n_art), params.article_bands) if lv[3] == 1
                             else np.repeat(window_owner, params.window_bands) for lv in levels])
    if params.key_bits <= 40:  # one sort for all: the owner above the key's bits (keys are >= 0 then)
        packed = unique_sorted((owners.astype(np.uint64) << np.uint64(40)) | keys.view(np.uint64))
        bounds = np.searchsorted(packed, np.arange(n_art + 1, dtype=np.uint64) << np.uint64(40))
        low = (packed & np.uint64((1 << 40) - 1)).view(np.int64)
        return [low[bounds[a] : bounds[a + 1]] for a in range(n_art)]
    order = np.argsort(owners, kind="stable")
    bounds = np.searchsorted(owners[order], np.arange(n_art + 1))
    return [unique_sorted(keys[order[bounds[a] : bounds[a + 1]]]) for a in range(n_art)]


def _cut_long_chunks(lo: np.ndarray, n: int, max_chunk: int) -> np.ndarray:
    """Chunk starts ``lo`` (ascending, first 0, chunks ending at the next start or ``n``) with every chunk
    longer than ``max_chunk`` cut every ``max_chunk`` shingles."""
    size = np.diff(lo, append=n)
    if int(size.max()) <= max_chunk:  # no chunk to cut (~3 texts in 4)
        return lo.astype(np.int64)
    # vectorised: the Python loop over chunks was a sixth of band_keys
    pieces = -(-size // max_chunk)
    first = np.cumsum(pieces) - pieces
    within = np.arange(int(pieces.sum())) - np.repeat(first, pieces)
    return (np.repeat(lo, pieces) + within * max_chunk).astype(np.int64)


def shorten_keys(keys: np.ndarray, params: FingerprintParams) -> np.ndarray:
    """Keys cut to their low ``params.key_bits`` bits (see :class:`FingerprintParams`), as int64."""
    if params.key_bits >= 64:
        return keys
    return keys & np.int64((1 << params.key_bits) - 1)


def signature_of(normalized: NormalizedText, params: FingerprintParams, tokens: list[str] | None = None) -> Signature:
    if tokens is None:
        tokens = segment(normalized.text)
    return _signatures([normalized], params, [token_ids(tokens)])[0]


def _signatures(normalized: Sequence[NormalizedText], params: FingerprintParams,
                looked_up: Sequence[tuple[TokenTable, np.ndarray]]) -> list[Signature]:
    """The signature of each text from its token rows, over all the texts' tokens at once where they share one
    token table (always but when the table started again within the batch): lengths, spans, CRCs and shingles
    are one NumPy pass each for the batch, then cut per text. Why: one text's were ~12 NumPy calls on a few
    hundred values, 52 µs a text of a 730 µs fingerprint (stage timing, 3,500 real Sina articles, batches of
    500); shingles over the concatenated hashes are each text's own inside its range, as the SQLite index's
    ``decode`` computes them for a batch of records."""
    if not normalized:
        return []
    table = looked_up[0][0]
    if len(normalized) > 1 and not all(t is table for t, _ in looked_up):
        return [_signatures([n], params, [lu])[0] for n, lu in zip(normalized, looked_up)]
    k = params.shingle_size
    sizes = np.fromiter((len(ids) for _, ids in looked_up), dtype=np.int64, count=len(looked_up))
    ids = np.concatenate([ids for _, ids in looked_up]) if len(looked_up) > 1 else looked_up[0][1]
    lens = table.length[ids]
    crc = table.crc[ids].astype(np.uint32)
    # each token's start in its own normalised text, then in the texts' offsets laid end to end
    text_lens = np.fromiter((len(n.offsets) for n in normalized), dtype=np.int64, count=len(normalized))
    char_base = np.repeat(np.cumsum(text_lens) - text_lens, sizes)
    token_base = np.repeat(np.cumsum(sizes) - sizes, sizes)
    ends = np.cumsum(lens, dtype=np.int64)
    ends -= np.concatenate(([0], ends))[token_base]  # restart at each text
    starts = ends - lens + char_base
    offsets = np.concatenate([n.offsets for n in normalized]) if len(normalized) > 1 else normalized[0].offsets
    spans = np.empty((len(ids), 2), dtype=np.int32)
    if len(ids):
        spans[:, 0] = offsets[starts]
        spans[:, 1] = offsets[ends - 1 + char_base] + 1
    every = shingles_of_token_hashes(crc, k)  # valid inside each text's own range
    out, lo = [], 0
    for n in sizes.tolist():
        hi = lo + n
        h = crc[lo:hi]
        shingles = every[lo : hi - k + 1] if n >= k else shingles_of_token_hashes(h, k)
        out.append(Signature(lens[lo:hi], spans[lo:hi], shingles, h))
        lo = hi
    return out


def fingerprint(text: str, params: FingerprintParams) -> Fingerprint:
    """Normalise, segment, shingle and band ``text``. Pure and deterministic."""
    return fingerprint_many([text], params)[0]


def fingerprint_many(texts: Sequence[str], params: FingerprintParams) -> list[Fingerprint]:
    """:func:`fingerprint` of each text, the same values, done stage by stage over all of them: each stage's
    tables (jieba-rs's dictionary, the token table, OpenCC's, NumPy's loops) stay in the CPU caches for the
    whole batch instead of being evicted by the next stage for every text. Measured on the 1,060 scan texts
    (CPU time, busy 2-core machine, three rounds): batches of 100 or 1,060 texts 1.19–1.52× faster than
    one text at a time. ``index add`` fingerprints its 500-article batches so."""
    normalized = [normalize(text) for text in texts]
    tokens = [segment(n.text) for n in normalized]
    # one token-table lookup serves the shingle hashes, the token lengths and the facts (dedupe/tokens.py)
    looked_up = [token_ids(t) for t in tokens]
    signatures = _signatures(normalized, params, looked_up)
    facts = _facts_many(tokens, looked_up, params)
    keys = band_keys_many([sig.shingles for sig in signatures], params)
    return [Fingerprint(sig, k, n, t, bounds, fact_keys)
            for sig, k, n, t, (bounds, fact_keys) in zip(signatures, keys, normalized, tokens, facts)]


def stretch_band_keys(signature: Signature, stretches: Sequence[tuple[int, int]],
                      params: FingerprintParams) -> list[np.ndarray]:
    """The band keys (article and window level, as :attr:`Fingerprint.keys`) of stretches ``[start, end)`` of an
    already fingerprinted text (original offsets), from its own shingles: those of the tokens wholly inside each
    stretch. For the passages ``Detector._held_across_index`` asks the index about.

    Why not the stretch's own fingerprint (its text normalised and segmented again, as before): that was two
    thirds of the index question's time — 0.50 of 0.84 s of cProfile over the 1,060 checks of
    bench/attribution_cost.py at 10k (e71b9b0) — and the keys are the same but at the edges. Windows are
    content-defined and a stretch's first chunk starts at its first shingle either way, so the keys differ only
    where jieba cuts a stretch cut out of its text otherwise: its first and last words (the passage starts or
    ends inside a word of the whole text: 28 of the 306 passages those checks ask about). Measured, not proven: the
    index's answer (two other stories holding a share of the window keys) and every finding were the same
    (docs/findings.md, Cost a check)."""
    spans, k = signature.token_spans, params.shingle_size
    if len(spans) == 0:
        return [np.zeros(0, dtype=np.int64) for _ in stretches]
    firsts = np.searchsorted(spans[:, 0], [a for a, _ in stretches], "left").tolist()
    ends = np.searchsorted(spans[:, 1], [b for _, b in stretches], "right").tolist()
    # shingle j is tokens j .. j+k-1: a stretch of tokens [i, e) has shingles [i, e-k+1) (none when under k)
    return band_keys_many([signature.shingles[i : max(i, e - k + 1)] for i, e in zip(firsts, ends)], params)


def _facts(tokens: list[str], table: TokenTable, ids: np.ndarray,
           params: FingerprintParams) -> tuple[tuple[np.ndarray, np.ndarray], np.ndarray]:
    """The facts' bounds and the rewrite keys of a text (none for an index made before the rewrite sketch)."""
    return _facts_many([tokens], [(table, ids)], params)[0]


def _facts_many(token_lists: list[list[str]], looked_up: list[tuple[TokenTable, np.ndarray]],
                params: FingerprintParams) -> list[tuple[tuple[np.ndarray, np.ndarray], np.ndarray]]:
    """:func:`_facts` of several texts, over all their tokens at once where they share one token table (always
    but when the table started again within the batch)."""
    if params.rewrite_sketch == "none":  # an index made before the rewrite sketch (migrate keeps it so)
        none = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)), np.zeros(0, dtype=np.int64)
        return [none] * len(token_lists)
    if params.rewrite_sketch != rewrite.SKETCH:
        raise ValueError(f"unsupported rewrite sketch {params.rewrite_sketch!r} (this reprintwatch has {rewrite.SKETCH!r})")
    rare, common = params.rewrite_rare_freq, params.rewrite_common_char_freq
    if not token_lists:
        return []
    table = looked_up[0][0]
    if all(t is table for t, _ in looked_up):
        found = rewrite.fact_bounds_and_keys_many(token_lists, table, [ids for _, ids in looked_up], rare, common)
    else:
        found = [rewrite.fact_bounds_and_keys(tokens, t, ids, rare, common)
                 for tokens, (t, ids) in zip(token_lists, looked_up)]
    return [(bounds, unique_sorted(shorten_keys(keys, params))) for bounds, keys in found]


def index_keys(text: str, signature: Signature, params: FingerprintParams) -> np.ndarray:
    """Every key an index stores for a licensed article, from what every index keeps (its text and
    signature): band keys from the signature, rewrite keys from the text (re-segmented: no token text is
    stored). Used to remove an article's keys and to rebuild an index."""
    keys = band_keys(signature.shingles, params)
    if params.rewrite_sketch == "none":
        return keys
    tokens = segment(normalize(text).text)
    _, fact_keys = _facts(tokens, *token_ids(tokens), params)
    return np.concatenate((keys, fact_keys))
