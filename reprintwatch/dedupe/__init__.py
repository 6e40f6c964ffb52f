"""Near-duplicate detection: normalise → segment (jieba) → fingerprint (MinHash/LSH) → verify."""
from .fingerprint import Fingerprint, FingerprintParams, Signature, band_keys, fingerprint, minhash
from .normalize import NormalizedText, Removed, normalize
from .verify import FULL_REPRINT, NO_MATCH, PARTIAL_REPRINT, Passage, Thresholds, Verification, verify

__all__ = [
    "Fingerprint", "FingerprintParams", "Signature", "band_keys", "fingerprint", "minhash",
    "NormalizedText", "Removed", "normalize",
    "FULL_REPRINT", "PARTIAL_REPRINT", "NO_MATCH", "Passage", "Thresholds", "Verification", "verify",
]
