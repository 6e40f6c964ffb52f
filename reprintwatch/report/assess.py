"""From a finding to a judgement: authorised or not (and by which licence), credited or not, and who
published first.

Status of a finding:

* ``authorised`` — a licence covers this reprinter, outlet, date and kind of copy;
* ``unauthorised`` — no licence covers it (a credit does not change that; the attribution says whether
  the copy at least named the source);
* ``published_first`` — the suspect was published *before* the licensed article: not an infringement on
  the evidence we have; the licensed outlet may be the one that copied. Not when the copy contradicts
  that: a "first" copy that credits the licensed outlet or keeps its dateline/byline is flagged
  (``contradiction``) and judged like any other copy.

All times follow :mod:`reprintwatch.report.timeline`: China time (UTC+8) unless a licence names another
zone, compared by local date; a copy without a publish time is judged by when it was first seen, and
every reason says so.
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from typing import Iterable, Sequence

from ..articles import Article
from .attribution import Attribution, attribute
from .licences import Decision, Licence, Reprinter, decide
from .timeline import CHINA_TIME, When, complaint_deadline, copy_time, local_date, parse_moment
from .verbatim import Edits, compare

AUTHORISED = "authorised"
UNAUTHORISED = "unauthorised"
PUBLISHED_FIRST = "published_first"
STATUSES = (UNAUTHORISED, PUBLISHED_FIRST, AUTHORISED)

SUSPECT_FIRST = "suspect_first"
LICENSED_FIRST = "licensed_first"
SAME_TIME = "same_time"
UNKNOWN = "unknown"


@dataclass(frozen=True)
class Assessment:
    finding: dict
    status: str
    decision: Decision
    attribution: Attribution
    first_publication: str
    first_publication_note: str
    reprinter: Reprinter
    licensed_text: str | None = None
    when: When | None = None
    edits: Edits | None = None
    contradiction: str | None = None

    @property
    def authorised(self) -> bool:
        return self.decision.authorised

    @property
    def infringement(self) -> bool:
        return self.status == UNAUTHORISED

    def triage(self) -> dict:
        """The decisions a rights team acts on, with their reasons: what the store keeps with the finding
        and what ``findings list`` shows (JSON nested, CSV flattened by :data:`TRIAGE_CSV_COLUMNS`)."""
        deadline, deadline_note = complaint_deadline(
            self.finding.get("published_at"), _first_seen(self.finding))
        a = self.attribution
        return {
            "status": self.status,
            "infringement": self.infringement,
            "authorised": self.authorised,
            "licence_id": self.decision.licence.id if self.decision.licence else None,
            "licence_reason": self.decision.reason,
            "edited": self.decision.edited,
            "differences": list(self.decision.differences),
            "copy_time": self.when.to_dict() if self.when else None,
            "credit": a.status,
            "credit_summary": a.summary(),
            "credits_licensed_outlet": a.matches_licensed_outlet,
            "other_outlets_credited": list(a.other_outlets),
            "credits": [c.to_dict() for c in a.credits],
            "stripped": list(a.stripped),
            "kept": list(a.kept),
            "first_publication": self.first_publication,
            "first_publication_note": self.first_publication_note,
            "contradiction": self.contradiction,
            "reprinter": self.reprinter.to_dict(),
            "complaint_deadline": deadline.isoformat() if deadline else None,
            "complaint_deadline_note": deadline_note,
        }

    def to_dict(self, include_texts: bool = False) -> dict:
        f = self.finding
        out = {
            "finding_id": f.get("finding_id"),
            "status": self.status,
            "infringement": self.infringement,
            "authorised": self.authorised,
            "licence": self.decision.licence.to_dict() if self.decision.licence else None,
            "licence_reason": self.decision.reason,
            "edited": self.decision.edited,
            "differences": list(self.decision.differences),
            "attribution": self.attribution.to_dict(),
            "first_publication": self.first_publication,
            "first_publication_note": self.first_publication_note,
            "contradiction": self.contradiction,
            "copy_time": self.when.to_dict() if self.when else None,
            "reprinter": self.reprinter.label(),
            "reprinter_identity": self.reprinter.to_dict(),
            "platform": f.get("platform"),
            "site": f.get("site"),
            "account": f.get("account"),
            "suspect_id": f.get("suspect_id"),
            # the address we fetched (after redirects), never the page's own canonical claim
            "suspect_url": self.reprinter.url or f.get("url"),
            "claimed_url": f.get("canonical_url") or None,
            "suspect_title": f.get("title"),
            "suspect_published_at": f.get("published_at"),
            "original_flag": f.get("original_flag"),
            "licensed_id": f.get("licensed_id"),
            "licensed_outlet": f.get("licensed_outlet"),
            "licensed_title": f.get("licensed_title"),
            "licensed_url": f.get("licensed_url"),
            "licensed_published_at": f.get("licensed_published_at"),
            "verdict": f.get("verdict"),
            "similarity": f.get("similarity"),
            "licensed_coverage": f.get("licensed_coverage"),
            "suspect_coverage": f.get("suspect_coverage"),
            "passages": f.get("passages"),
            "evidence_sha256": f.get("evidence_sha256"),
            "created_at": f.get("created_at"),
        }
        if include_texts:
            out["suspect_content"] = f.get("content")
            out["licensed_content"] = self.licensed_text
        return out


# triage fields flattened for CSV (``findings list --format csv``): key → value from :meth:`Assessment.triage`
TRIAGE_CSV_COLUMNS = (
    "status", "authorised", "licence_id", "licence_reason", "edited", "differences", "copy_time", "credit",
    "credit_summary", "other_outlets_credited", "stripped", "kept", "first_publication",
    "first_publication_note", "contradiction", "reprinter", "fetched_url", "claimed_url", "complaint_deadline",
)


def triage_csv_row(triage: dict) -> dict:
    """One flat row of :data:`TRIAGE_CSV_COLUMNS` from :meth:`Assessment.triage` (lists joined by `` | ``)."""
    who = triage.get("reprinter") or {}
    when = triage.get("copy_time") or {}
    return {
        "status": triage.get("status"),
        "authorised": triage.get("authorised"),
        "licence_id": triage.get("licence_id"),
        "licence_reason": triage.get("licence_reason"),
        "edited": triage.get("edited"),
        "differences": " | ".join(triage.get("differences") or []),
        "copy_time": when.get("text"),
        "credit": triage.get("credit"),
        "credit_summary": triage.get("credit_summary"),
        "other_outlets_credited": " | ".join(triage.get("other_outlets_credited") or []),
        "stripped": " | ".join(triage.get("stripped") or []),
        "kept": " | ".join(triage.get("kept") or []),
        "first_publication": triage.get("first_publication"),
        "first_publication_note": triage.get("first_publication_note"),
        "contradiction": triage.get("contradiction") or "",
        "reprinter": who.get("label"),
        "fetched_url": who.get("url"),
        "claimed_url": who.get("claimed_url") or "",
        "complaint_deadline": triage.get("complaint_deadline"),
    }


def _first_seen(finding: dict):
    """When we first saw the copy: the store's first-seen time, else when this version was checked."""
    return finding.get("first_seen") or finding.get("checked_at") or finding.get("created_at")


def parse_when(value) -> _dt.datetime | _dt.date | None:
    """An ISO date stays a date; a datetime becomes zone-aware (naive → China time). Unparseable → None."""
    return parse_moment(value, CHINA_TIME)


_NOT_INFRINGING = "not an infringement on this evidence — the licensed outlet may have copied it"


def first_publication(suspect_at, licensed_at, first_seen=None) -> tuple[str, str]:
    """Which came first, and a sentence saying so, in China time. Dates alone compare by local day (the
    same day is unknown). Without the copy's publish time, its first-seen time can only show it existed
    *before* the licensed article; a later first sighting says nothing."""
    lic = parse_when(licensed_at)
    if lic is None:
        return UNKNOWN, "cannot tell who published first: the licensed article's publish time is unknown"
    when = copy_time(suspect_at, first_seen)
    if when is None:
        return UNKNOWN, "cannot tell who published first: the copy's publish time is unknown"
    s = when.moment
    l_day = local_date(lic)
    if when.estimated:
        before = s < lic if isinstance(s, _dt.datetime) and isinstance(lic, _dt.datetime) else local_date(s) < l_day
        if before:
            return SUSPECT_FIRST, (f"the copy was {when.describe()}, before the licensed article was published "
                                   f"({l_day}): {_NOT_INFRINGING}")
        return UNKNOWN, f"cannot tell who published first: the copy's publish time is unknown ({when.describe()})"
    if isinstance(s, _dt.datetime) and isinstance(lic, _dt.datetime):
        s_text = s.astimezone(CHINA_TIME).isoformat()
        l_text = lic.astimezone(CHINA_TIME).isoformat()
        if s < lic:
            return SUSPECT_FIRST, f"the copy was published {s_text}, before the licensed article ({l_text}): {_NOT_INFRINGING}"
        if s == lic:
            return SAME_TIME, "published at the same time as the licensed article"
        return LICENSED_FIRST, "published after the licensed article"
    s_day = local_date(s)
    if s_day < l_day:
        return SUSPECT_FIRST, f"the copy was published {s_day}, before the licensed article ({l_day}): {_NOT_INFRINGING}"
    if s_day > l_day:
        return LICENSED_FIRST, "published after the licensed article"
    return UNKNOWN, f"published the same day as the licensed article ({s_day}); no times to order them"


def contradiction_of(order: str, attribution: Attribution, outlet: str) -> str | None:
    """A copy said to be published first that names the licensed outlet as its source, or keeps the
    licensed article's dateline/byline, contradicts its own date: flag it rather than clear it."""
    if order != SUSPECT_FIRST:
        return None
    why = []
    if attribution.matches_licensed_outlet:
        where = "; ".join(c.describe() for c in attribution.licensed_credits[:2])
        why.append(f"credits {outlet or 'the licensed outlet'}" + (f" ({where})" if where else ""))
    if attribution.kept_specific:
        why.append("keeps its " + "; ".join(attribution.kept_specific[:2]))
    if not why:
        return None
    return ("published first by its date, yet it " + " and ".join(why)
            + ": its publish time is doubtful, so it is not cleared")


def assess(finding: dict, licences: Iterable[Licence], licensed: Article | None = None) -> Assessment:
    """Judge one finding (a :class:`~reprintwatch.store.Finding`). Pure."""
    licences = list(licences)
    reprinter = Reprinter.from_row(finding)
    outlet = finding.get("licensed_outlet") or (licensed.outlet if licensed else "")
    when = copy_time(finding.get("published_at"), _first_seen(finding))
    edits = None
    if licensed is not None:  # 1.8 ms median on real news (bench/triage.py): always list the differences
        edits = compare(finding.get("licensed_title") or licensed.title, licensed.content,
                        finding.get("title") or "", finding.get("content") or "", finding.get("passages") or ())
    decision = decide(
        licences, reprinter, outlet, when, finding.get("verdict") or "", float(finding.get("similarity") or 0.0),
        edits,
    )
    links = tuple(x for x in (finding.get("source_link"),) if x)
    attribution = attribute(
        finding.get("content") or "",
        outlet,
        licensed_text=licensed.content if licensed else None,
        licensed_url=finding.get("licensed_url") or (licensed.url if licensed else None),
        links=links,
        copy_title=finding.get("title") or "",
    )
    licensed_at = finding.get("licensed_published_at") or (licensed.published_at if licensed else None)
    order, note = first_publication(finding.get("published_at"), licensed_at, _first_seen(finding))
    contradiction = contradiction_of(order, attribution, outlet)
    if order == SUSPECT_FIRST and not contradiction:
        status = PUBLISHED_FIRST
    elif decision.authorised:
        status = AUTHORISED
    else:
        status = UNAUTHORISED
    return Assessment(
        finding, status, decision, attribution, order, note, reprinter, licensed.content if licensed else None,
        when, edits, contradiction,
    )


def load_licensed(index, ids: Sequence[str]) -> dict[str, Article]:
    """Licensed articles by id from an open licensed index (missing ids are left out)."""
    wanted = list(dict.fromkeys(i for i in ids if i))
    found: dict[str, Article] = {}
    for start in range(0, len(wanted), 200):
        for record in index.get(wanted[start : start + 200]):
            found[record.article.id] = record.article
    return found


def assess_all(findings: Sequence[dict], licences: Sequence[Licence], index=None) -> list[Assessment]:
    """Assess many findings; licensed texts come from ``index`` when given (else attribution cannot
    check for a stripped dateline/byline)."""
    licensed = load_licensed(index, [f.get("licensed_id") for f in findings]) if index is not None else {}
    return [assess(f, licences, licensed.get(f.get("licensed_id"))) for f in findings]


def triage_findings(findings_store, licences: Sequence[Licence], index, finding_ids: Sequence[int] | None = None) -> dict:
    """Assess findings (all, or ``finding_ids``) against ``licences`` with the licensed texts from
    ``index`` and keep each triage in the store with its finding. Returns ``{finding_id: triage dict}``.

    ``findings_store`` is a :class:`~reprintwatch.store.Store`."""
    if finding_ids is None:
        findings = findings_store.list_findings()
    else:
        findings = findings_store.list_findings(ids=finding_ids)
    assessments = assess_all(findings, licences, index)
    triages = {a.finding["finding_id"]: a.triage() for a in assessments}
    findings_store.record_triage(triages.items())
    return triages
