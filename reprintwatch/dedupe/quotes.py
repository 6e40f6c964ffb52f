"""Quotations in a text: where quotation marks open and close (pure; used by attribution in
:mod:`.relations`, the rewrite path's one-side-quoted rule in :mod:`.rewrite` and the legal hints)."""
from __future__ import annotations

import re

# “…” 「…」 『…』 and ASCII double quotes; a quotation is at most a few paragraphs (a lone unmatched mark does
# not swallow the rest of the page). One regex: a Python loop over the characters was most of
# attribution's cost a check (bench/attribution_cost.py).
_MAX_QUOTE = 1500
_QUOTATION = re.compile("|".join(f"{re.escape(a)}([^{re.escape(b)}]{{1,{_MAX_QUOTE}}}){re.escape(b)}"
                                 for a, b in (("“", "”"), ("「", "」"), ("『", "』"), ('"', '"'))))


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """``[start, end)`` of the quotations of ``text`` (original offsets, marks excluded)."""
    return [m.span(m.lastindex) for m in _QUOTATION.finditer(text)]
