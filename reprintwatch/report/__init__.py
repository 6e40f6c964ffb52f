"""Licences, attribution and reports over the findings store.

>>> from reprintwatch.report import FindingsStore, LicenceRegistry, daily_report, render
>>> with FindingsStore("store.db") as store, LicenceRegistry("store.db") as licences:
...     html = render(daily_report(store, licences.list()), "html")
"""
from .assess import Assessment, assess, assess_all
from .attribution import Attribution, attribute, find_credits, same_outlet
from .coverage import coverage_report
from .daily import Report, daily_report
from .evidence import export_bundle, verify_bundle
from .findings import FindingsStore
from .licences import Licence, LicenceRegistry, Reprinter, decide, make_licence, parse_csv
from .render import render

__all__ = [
    "Assessment", "assess", "assess_all", "Attribution", "attribute", "find_credits", "same_outlet",
    "coverage_report", "Report", "daily_report", "export_bundle", "verify_bundle", "FindingsStore",
    "Licence", "LicenceRegistry", "Reprinter", "decide", "make_licence", "parse_csv", "render",
]
