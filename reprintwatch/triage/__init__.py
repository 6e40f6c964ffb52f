"""Judgement: is a finding authorised (and by which licence), credited, first, stripped?

Ingest, reports, serve and complaints all read this layer; none of them owns it.

>>> from reprintwatch.triage import assess_all
"""
from .assess import Assessment, assess, assess_all
from .attribution import Attribution, attribute, find_credits, same_outlet
from .licences import Licence, Reprinter, decide, make_licence, parse_csv

__all__ = [
    "Assessment", "assess", "assess_all", "Attribution", "attribute", "find_credits", "same_outlet",
    "Licence", "Reprinter", "decide", "make_licence", "parse_csv",
]
