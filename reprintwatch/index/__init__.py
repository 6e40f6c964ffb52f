"""Licensed-article indexes: SQLite (embedded default) and Elasticsearch, behind one interface."""
from __future__ import annotations

from ..config import Settings
from ..dedupe.fingerprint import FingerprintParams
from ..errors import LicensedIndexError
from .base import AddResult, IndexedArticle, IndexStats, LicensedIndex, OptimizeResult
from .sqlite import SQLiteIndex

BACKENDS = ("sqlite", "elasticsearch")


def open_index(settings: Settings, create: bool = False, params: FingerprintParams | None = None) -> LicensedIndex:
    """Open the licensed index that ``settings`` names. ``create=False`` refuses to make a new one."""
    if settings.backend == "sqlite":
        return SQLiteIndex(settings.db, params=params, create=create)
    if settings.backend == "elasticsearch":
        from .elasticsearch import ElasticsearchIndex

        return ElasticsearchIndex.from_settings(settings, params=params, create=create)
    raise LicensedIndexError(f"unknown backend {settings.backend!r}; choose one of {', '.join(BACKENDS)}")


__all__ = ["open_index", "LicensedIndex", "IndexedArticle", "AddResult", "IndexStats", "OptimizeResult", "SQLiteIndex", "BACKENDS"]
