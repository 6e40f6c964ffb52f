"""From findings to takedowns: rights holders, complaint dossiers, re-checks of the copies, and the
takedown figures the reports show.

>>> from reprintwatch.complaint import build_dossiers, recheck, takedown_summary
"""
from .takedown import Tracking, takedown_summary
from .dossier import application_text, build_dossier
from .holders import RightsHolder, make_holder
from .html import render_dossier_html
from .package import build_dossiers
from .recheck import recheck
from .rules import classify, exclusion, limitation_deadline, notice_state

__all__ = [
    "Tracking", "application_text", "build_dossier", "RightsHolder", "make_holder", "render_dossier_html",
    "build_dossiers", "recheck", "classify", "exclusion", "limitation_deadline", "notice_state", "takedown_summary",
]
