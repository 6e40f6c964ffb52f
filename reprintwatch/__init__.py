"""reprintwatch — find unauthorised reprints of licensed news articles.

The library behind the ``reprintwatch`` command::

    from reprintwatch import Article, Detector, SQLiteIndex
    detector = Detector(SQLiteIndex("licensed.db"))
    detector.add(read_articles("licensed.jsonl"))
    for match in detector.check(suspect_article).matches: ...
"""
from .articles import Article, read_jsonl
from .config import Settings
from .dedupe import FingerprintParams, Thresholds, fingerprint, normalize, verify
from .detector import CheckResult, Detector, Match
from .errors import BadInput, LicensedIndexError, ReprintwatchError
from .index import LicensedIndex, SQLiteIndex, open_index

__version__ = "0.1.0"

__all__ = [
    "Article", "read_jsonl", "Settings", "FingerprintParams", "Thresholds", "fingerprint", "normalize", "verify",
    "CheckResult", "Detector", "Match", "BadInput", "LicensedIndexError", "ReprintwatchError",
    "LicensedIndex", "SQLiteIndex", "open_index", "__version__",
]
