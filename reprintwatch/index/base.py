"""The licensed-index interface every backend implements.

A backend stores licensed articles with their :class:`Signature` and band keys, returns candidates for a
set of band keys, and hands back stored records. It never decides whether something is a reprint: the
one verifier (``reprintwatch.dedupe.verify``) does, for every backend alike.
"""
from __future__ import annotations

import dataclasses
import hashlib
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Iterable, Sequence

import numpy as np

from ..articles import Article
from ..dedupe.fingerprint import FingerprintParams, Signature
from ..errors import LicensedIndexError

SCHEMA_VERSION = 1


def check_fingerprint_params(
    stored: FingerprintParams, requested: FingerprintParams, where: str, remedy: str
) -> FingerprintParams:
    """``stored`` if it equals ``requested``; otherwise a :class:`LicensedIndexError` listing the differences."""
    diff = stored.differences(requested)
    if diff:
        details = ", ".join(f"{k}: index {a!r} vs now {b!r}" for k, (a, b) in diff.items())
        if with_rewrite_sketch(stored) == requested:
            remedy = ("It only lacks the rewrite (洗稿) keys, which `reprintwatch index migrate` adds from its "
                      "stored texts; or: " + remedy[0].lower() + remedy[1:])
        raise LicensedIndexError(
            f"{where} was built with other fingerprint parameters ({details}); its signatures "
            f"cannot be compared with new ones. {remedy}"
        )
    return stored


def with_rewrite_sketch(stored: FingerprintParams) -> FingerprintParams:
    """The parameters an index made before the rewrite sketch gets from ``index migrate``: its own, plus
    today's rewrite sketch (its keys come from the stored texts, so nothing else has to change)."""
    if stored.rewrite_sketch != "none":
        return stored
    fresh = FingerprintParams()
    return dataclasses.replace(stored, rewrite_sketch=fresh.rewrite_sketch, rewrite_rare_freq=fresh.rewrite_rare_freq,
                               rewrite_common_char_freq=fresh.rewrite_common_char_freq)


def max_key_frequency(articles: int) -> int:
    """Band keys found in more articles than this are boilerplate that survived normalisation (a site's
    standard footer, a recurring disclaimer) and are ignored by ``candidates``: they would make every
    article that carries them a candidate of every other. Genuine reprint families stay far below it."""
    return max(100, articles // 100)


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
        """Up to ``limit`` ``(id, shared band keys)`` pairs, most shared first (ties by id).

        Keys held by more than :func:`max_key_frequency` articles are not counted."""

    @abstractmethod
    def get(self, ids: Sequence[str]) -> list[IndexedArticle]:
        """Stored records for ``ids`` (missing ids are left out), in the order asked."""

    @abstractmethod
    def stats(self) -> IndexStats: ...

    @abstractmethod
    def close(self) -> None: ...

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
