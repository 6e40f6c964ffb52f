"""The licensed-index interface every backend implements.

A backend stores licensed articles with their :class:`Signature` and band keys, returns candidates for a
set of band keys, and hands back stored records. It never decides whether something is a reprint: the
one verifier (``reprintwatch.dedupe.verify``) does, for every backend alike.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Callable, Iterable, Mapping, Sequence

import numpy as np

from ..articles import Article
from ..dedupe.fingerprint import FingerprintParams, Signature
from ..errors import LicensedIndexError

SCHEMA_VERSION = 2  # 2: band keys as sorted runs (index/sqlite.py); 1 had one row per key


def stored_fingerprint_params(raw, where: str) -> FingerprintParams:
    """The :class:`FingerprintParams` an index stored (a dict, or its JSON text); damaged or incomplete
    metadata is a :class:`LicensedIndexError`, never silently replaced by defaults."""
    try:
        data = json.loads(raw) if isinstance(raw, (str, bytes)) else raw
        # the rewrite sketch's fields and key_bits are missing from indexes made before them: they read as
        # sketch 'none' and 64-bit keys (FingerprintParams.from_dict) and are refused with the way to migrate,
        # not as damage
        known = {f.name for f in dataclasses.fields(FingerprintParams)
                 if not f.name.startswith("rewrite_") and f.name != "key_bits"}
        if not isinstance(data, dict) or not known <= data.keys():
            missing = sorted(known - data.keys()) if isinstance(data, dict) else []
            raise ValueError(f"missing {', '.join(missing)}" if missing else f"not an object: {raw!r:.60}")
        return FingerprintParams.from_dict(data)
    except (TypeError, ValueError) as exc:
        raise LicensedIndexError(
            f"{where}: its stored fingerprint parameters are damaged ({exc}); re-create the index"
        ) from None


def check_fingerprint_params(
    stored, requested: FingerprintParams, where: str, remedy: str
) -> FingerprintParams:
    """``stored`` (as kept by the index: see :func:`stored_fingerprint_params`) if it equals ``requested``;
    otherwise a :class:`LicensedIndexError` listing the differences."""
    stored = stored_fingerprint_params(stored, where) if not isinstance(stored, FingerprintParams) else stored
    diff = stored.differences(requested)
    if diff:
        details = ", ".join(f"{k}: index {a!r} vs now {b!r}" for k, (a, b) in diff.items())
        if migration_target(stored) == requested:
            remedy = ("Only its keys are of an older kind (the rewrite (洗稿) keys missing, or longer keys), and "
                      "`reprintwatch index migrate` rebuilds them from its stored signatures and texts; or: "
                      + remedy[0].lower() + remedy[1:])
        raise LicensedIndexError(
            f"{where} was built with other fingerprint parameters ({details}); its signatures "
            f"cannot be compared with new ones. {remedy}"
        )
    return stored


def migration_target(stored: FingerprintParams) -> FingerprintParams:
    """The parameters ``index migrate`` gives an index made with ``stored``: its own, plus today's rewrite
    sketch if it has none, and today's ``key_bits``. Both only change keys, which are rebuilt from what
    every index stores (band keys from the signatures, fact keys from the texts): nothing else has to change."""
    fresh = FingerprintParams()
    target = dataclasses.replace(stored, key_bits=fresh.key_bits)
    if stored.rewrite_sketch != "none":
        return target
    return dataclasses.replace(target, rewrite_sketch=fresh.rewrite_sketch, rewrite_rare_freq=fresh.rewrite_rare_freq,
                               rewrite_common_char_freq=fresh.rewrite_common_char_freq)


def max_key_frequency(articles: int) -> int:
    """Band keys found in more articles than this are boilerplate that survived normalisation (a site's
    standard footer, a recurring disclaimer) and are ignored by ``candidates``: they would make every
    article that carries them a candidate of every other. Genuine reprint families stay far below it."""
    return max(100, articles // 100)


def top_candidates(counts: Mapping, limit: int, names: Callable[[list], dict] | None = None) -> list[tuple[str, int]]:
    """The candidate order every backend promises: most shared band keys first, ties by article id, at
    most ``limit``. ``counts`` maps a backend's article key to its count; ``names`` turns keys into article
    ids (only the keys that can make the cut are looked up; identity when the keys are ids)."""
    if not counts or limit <= 0:
        return []
    ranked = sorted(counts.values(), reverse=True)
    cut = ranked[min(limit, len(ranked)) - 1]
    keep = [k for k, n in counts.items() if n >= cut]
    ids = names(keep) if names is not None else {k: k for k in keep}
    best = sorted(((ids[k], counts[k]) for k in keep if k in ids), key=lambda kv: (-kv[1], kv[0]))
    return best[:limit]


def content_hash(article: Article) -> str:
    """SHA-256 over everything stored for an article, so re-adding an unchanged article is a no-op."""
    h = hashlib.sha256()
    for part in (article.content, article.title, article.outlet, article.url, article.published_at or ""):
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\x00")
    return h.hexdigest()


@dataclass(frozen=True, eq=False)
class IndexedArticle:
    """A licensed article ready to store: the article, its signature and its band keys."""

    article: Article
    signature: Signature
    keys: np.ndarray  # int64

    @property
    def content_hash(self) -> str:
        return content_hash(self.article)


@dataclass
class AddResult:
    added: int = 0
    updated: int = 0
    unchanged: int = 0

    def __iadd__(self, other: "AddResult") -> "AddResult":
        self.added += other.added
        self.updated += other.updated
        self.unchanged += other.unchanged
        return self

    @property
    def total(self) -> int:
        return self.added + self.updated + self.unchanged


@dataclass
class OptimizeResult:
    """What ``optimize`` did: the pieces a lookup searches (``unit``: Elasticsearch's segment, SQLite's key
    run) before and after, and how long it took."""

    unit: str
    before: int
    after: int
    seconds: float

    def to_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass
class IndexStats:
    backend: str
    location: str
    articles: int
    band_keys: int
    outlets: dict[str, int] = field(default_factory=dict)
    size_bytes: int | None = None
    params: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {
            "backend": self.backend,
            "location": self.location,
            "articles": self.articles,
            "band_keys": self.band_keys,
            "outlets": self.outlets,
            "size_bytes": self.size_bytes,
            "params": self.params,
        }


class LicensedIndex(ABC):
    """Storage of licensed articles for candidate search. Use as a context manager."""

    backend_name: str = ""
    params: FingerprintParams

    @abstractmethod
    def add(self, items: Sequence[IndexedArticle]) -> AddResult:
        """Store a batch. Idempotent by id: an unchanged article is skipped, a changed one replaced.
        Each article is written whole or not at all."""

    @abstractmethod
    def delete(self, ids: Iterable[str]) -> list[str]:
        """Remove articles; returns the ids that were there."""

    @abstractmethod
    def candidates(self, keys: np.ndarray, limit: int) -> list[tuple[str, int]]:
        """Up to ``limit`` ``(id, shared band keys)`` pairs, most shared first (ties by id: use
        :func:`top_candidates`). Keys held by more than :func:`max_key_frequency` articles are not counted."""

    def candidates_many(self, queries: Sequence[tuple[np.ndarray, int, int]]) -> list[list[tuple[str, int]]]:
        """For each ``(keys, limit, least)``: :meth:`candidates` ``(keys, limit)`` without those sharing fewer
        than ``least`` keys, in order. A backend behind a network answers them in one request
        (Elasticsearch's ``_msearch``) and may skip work ``least`` makes needless; this default asks one at a
        time."""
        return [[c for c in self.candidates(keys, limit) if c[1] >= least] for keys, limit, least in queries]

    @abstractmethod
    def get(self, ids: Sequence[str]) -> list[IndexedArticle]:
        """Stored records for ``ids`` (missing ids are left out), in the order asked."""

    @abstractmethod
    def stats(self) -> IndexStats: ...

    @abstractmethod
    def optimize(self) -> OptimizeResult:
        """After a large load: rewrite the index into as few pieces as a lookup has to search. Candidates
        are the same before and after; only their cost changes."""

    #: True when the index answers across the network (a server): ``Detector.scan`` then fingerprints the
    #: next batch while the lookups of one are in flight.
    remote: bool = False

    #: True when :meth:`reopen` lets a forked worker process use this index (``Detector.check_many``);
    #: otherwise checks run in one process.
    forkable: bool = False

    def reopen(self) -> None:
        """Called in a forked worker process: replace the connections inherited from the parent.
        Read-only state loaded by the parent (a key table, a dictionary) may be kept."""
        raise NotImplementedError(f"{type(self).__name__} cannot be used from a forked process")

    @abstractmethod
    def close(self) -> None: ...

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
