"""Licences, attribution and reports over the findings store.

>>> from reprintwatch.store import Store
>>> from reprintwatch.report import daily_report, render
>>> with Store("store.db", create=False) as store:
...     html = render(daily_report(store, store.licences()), "html")
"""
from ..triage.assess import Assessment, assess, assess_all
from ..triage.attribution import Attribution, attribute, find_credits, same_outlet
from .coverage import coverage_report
from .daily import Report, daily_report
from ..evidence import export_bundle, verify_bundle
from ..triage.licences import Licence, Reprinter, decide, make_licence, parse_csv
from .render import render

__all__ = [
    "Assessment", "assess", "assess_all", "Attribution", "attribute", "find_credits", "same_outlet",
    "coverage_report", "Report", "daily_report", "export_bundle", "verify_bundle",
    "Licence", "Reprinter", "decide", "make_licence", "parse_csv", "render",
]
