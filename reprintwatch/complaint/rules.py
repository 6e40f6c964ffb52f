"""The rules a complaint has to respect, as pure functions: which findings may go into a dossier (not
authorised, not published first, inside the two-year limit, no possible legal exception unless the user
includes it) and what a re-check of a URL means.

* **Two-year limit.** 《著作权行政投诉指南》: a complaint must come within two years of the infringement;
  for a continuing infringement the two years run from when it ended. A copy still online has not ended,
  so the clock runs from the *last day the copy was seen online* (China time): a copy last seen on
  2024-03-01 may be complained about up to and including 2026-03-01. Dates and years are counted with
  triage's :mod:`reprintwatch.triage.timeline` (one rule: ``complaint_deadline``, which counts from the
  copy's publication when no later sighting is known — the earliest the limit can end).
* **Re-check states.** A fetched page is classified by the ingest module's own removal-notice
  recognition (:func:`reprintwatch.ingest.extract.extract_page`); this module only maps the notice it
  found to who removed the copy.
"""
from __future__ import annotations

import datetime as _dt

from ..dedupe.normalize import simplified
from ..dedupe.verify import DEFAULT_THRESHOLDS
from ..triage.assess import AUTHORISED, PUBLISHED_FIRST
from ..triage.timeline import CHINA_TIME, complaint_deadline, local_date

# --- why a finding stays out of a dossier -----------------------------------------------------------------
EXCLUDED_AUTHORISED = "authorised"
EXCLUDED_PUBLISHED_FIRST = "published_first"
EXCLUDED_TIME_BARRED = "time_barred"
# a legal hint says the law may leave the copy free (triage.legal: factual news, the current-affairs
# exception): a complaint about it may cost the rights team credibility, so it is set apart unless asked for
EXCLUDED_POSSIBLE_EXCEPTION = "possible_exception"

# --- re-check states: defined with the takedown figures the reports show ---------------------------------
from .takedown import (  # noqa: E402  (re-exported: the complaint package's vocabulary)
    CHANGED,
    ONLINE,
    ONLINE_STATES,
    REMOVED,
    REMOVED_AFTER_COMPLAINT,
    REMOVED_BY_AUTHOR,
    REMOVED_BY_PLATFORM,
    REMOVED_STATES,
    STATE_LABELS_ZH,
    STATES,
    UNREACHABLE,
)

# Which kind of notice (``reprintwatch.ingest.notices``: deleted, violation, complaint, expired, account,
# unavailable) means who removed the copy. "account" notices differ: an account closed by its owner is the
# author's doing, a blocked or frozen one the platform's, a moved one says nothing.
_KIND_STATES = {
    "complaint": REMOVED_AFTER_COMPLAINT,
    "deleted": REMOVED_BY_AUTHOR,
    "violation": REMOVED_BY_PLATFORM,
    "expired": REMOVED,
    "unavailable": REMOVED,
}
# Read in simplified characters, lower case: WeChat words its notices in the reader's interface language
# (此帳號已自主註銷, "This account has been blocked").
_ACCOUNT_PHRASES = (("自主注销", REMOVED_BY_AUTHOR), ("屏蔽", REMOVED_BY_PLATFORM), ("冻结", REMOVED_BY_PLATFORM),
                    ("deregistered", REMOVED_BY_AUTHOR), ("deactivated", REMOVED_BY_AUTHOR),
                    ("blocked", REMOVED_BY_PLATFORM), ("banned", REMOVED_BY_PLATFORM),
                    ("suspended", REMOVED_BY_PLATFORM), ("frozen", REMOVED_BY_PLATFORM))


def china_day(value) -> _dt.date | None:
    """The calendar day in China (UTC+8) of an ISO date/datetime (triage's one notion of time)."""
    return local_date(value, CHINA_TIME)


def limitation_deadline(last_seen) -> _dt.date | None:
    """The last day a complaint may be filed for a copy last seen online at ``last_seen`` (triage's one rule,
    :func:`reprintwatch.triage.timeline.complaint_deadline`)."""
    return complaint_deadline(None, last_seen=last_seen)[0] if last_seen else None


def time_barred(last_seen, today: _dt.date) -> bool:
    deadline = limitation_deadline(last_seen)
    return deadline is not None and today > deadline


def exclusion(status: str, last_seen, today: _dt.date, hints=(), include_exceptions: bool = False) -> str | None:
    """Why a finding with assessment ``status`` stays out of a complaint, or None when it goes in.

    Authorised first (a licence settles it), then published first, then the two-year limit, then a
    possible legal exception among ``hints`` (``triage.legal.Hint``; only ``possible``, never ``unsure``),
    unless ``include_exceptions``.
    """
    if status == AUTHORISED:
        return EXCLUDED_AUTHORISED
    if status == PUBLISHED_FIRST:
        return EXCLUDED_PUBLISHED_FIRST
    if time_barred(last_seen, today):
        return EXCLUDED_TIME_BARRED
    if not include_exceptions and any(h.exception for h in hints):
        return EXCLUDED_POSSIBLE_EXCEPTION
    return None


def notice_state(kind: str, text: str = "") -> str:
    """The removal state a platform notice (kind and wording, as ingest recognised it) stands for."""
    if kind == "account":
        text = simplified(text or "").lower()
        return next((state for phrase, state in _ACCOUNT_PHRASES if phrase in text), REMOVED)
    return _KIND_STATES.get(kind, REMOVED)


def classify(
    *,
    http_status: int | None,
    error_kind: str | None,
    extracted_status: str | None,
    notice_kind: str = "",
    notice: str = "",
    content_hash: str | None = None,
    recorded_hash: str | None = None,
) -> str:
    """One re-check → one state.

    ``http_status``/``error_kind`` come from the fetch (``error_kind`` set when it failed), the rest from
    the extractor (``extracted_status`` ``ok|removed|too_short|error``, ``notice_kind``/``notice`` the
    removal notice it recognised) and the text's hash compared with the one the finding was made from.
    """
    if error_kind is not None:
        if http_status in (404, 410):
            return REMOVED
        return UNREACHABLE
    if extracted_status == "removed":
        return notice_state(notice_kind, notice)
    if extracted_status == "ok" and content_hash and content_hash == recorded_hash:
        return ONLINE
    return CHANGED


def passages_still_there(passages, old_text: str, new_text: str,
                         min_chars: int = DEFAULT_THRESHOLDS.min_passage_chars) -> tuple[int, int]:
    """How many of the copied passages (their text in the old copy) still appear in the new text.

    Passages shorter than ``min_chars`` (the verifier's shortest passage) are not counted."""
    new_compact = "".join((new_text or "").split())
    total = kept = 0
    for p in passages or ():
        try:
            piece = old_text[int(p["suspect_start"]) : int(p["suspect_end"])]
        except (KeyError, TypeError, ValueError):
            continue
        piece = "".join(piece.split())
        if len(piece) < min_chars:
            continue
        total += 1
        kept += piece in new_compact
    return kept, total
