"""From a finding to a judgement: authorised or not (and by which licence), credited or not, and who
published first.

Status of a finding:

* ``authorised`` — a licence covers this reprinter, outlet, date and kind of copy;
* ``unauthorised`` — no licence covers it (a credit does not change that; the attribution says whether
  the copy at least named the source);
* ``published_first`` — the suspect was published *before* the licensed article: not an infringement on
  the evidence we have; the licensed outlet may be the one that copied.

Times without a zone are read as China Standard Time (UTC+8), where the news is published.
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from typing import Iterable, Sequence

from ..articles import Article
from .attribution import Attribution, attribute
from .licences import Decision, Licence, Reprinter, decide, reprint_date

AUTHORISED = "authorised"
UNAUTHORISED = "unauthorised"
PUBLISHED_FIRST = "published_first"
STATUSES = (UNAUTHORISED, PUBLISHED_FIRST, AUTHORISED)

SUSPECT_FIRST = "suspect_first"
LICENSED_FIRST = "licensed_first"
SAME_TIME = "same_time"
UNKNOWN = "unknown"

CHINA_TIME = _dt.timezone(_dt.timedelta(hours=8))


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

    @property
    def authorised(self) -> bool:
        return self.decision.authorised

    @property
    def infringement(self) -> bool:
        return self.status == UNAUTHORISED

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
            "attribution": self.attribution.to_dict(),
            "first_publication": self.first_publication,
            "first_publication_note": self.first_publication_note,
            "reprinter": self.reprinter.label(),
            "platform": f.get("platform"),
            "site": f.get("site"),
            "account": f.get("account"),
            "suspect_id": f.get("suspect_id"),
            "suspect_url": f.get("canonical_url") or f.get("url"),
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


def parse_when(value) -> _dt.datetime | _dt.date | None:
    """An ISO date stays a date; a datetime becomes zone-aware (naive → UTC+8). Unparseable → None."""
    if not value:
        return None
    text = str(value).strip().replace("Z", "+00:00")
    try:
        if len(text) == 10:
            return _dt.date.fromisoformat(text)
        moment = _dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=CHINA_TIME)


def first_publication(suspect_at, licensed_at) -> tuple[str, str]:
    """Which came first, and a sentence saying so. Dates alone compare by day; same day is unknown."""
    s, lic = parse_when(suspect_at), parse_when(licensed_at)
    if s is None or lic is None:
        missing = "the copy's" if s is None else "the licensed article's"
        return UNKNOWN, f"cannot tell who published first: {missing} publish time is unknown"
    if isinstance(s, _dt.datetime) and isinstance(lic, _dt.datetime):
        if s < lic:
            return SUSPECT_FIRST, (
                f"the copy was published {s.isoformat()}, before the licensed article ({lic.isoformat()}): "
                "not an infringement on this evidence — the licensed outlet may have copied it"
            )
        if s == lic:
            return SAME_TIME, "published at the same time as the licensed article"
        return LICENSED_FIRST, "published after the licensed article"
    s_day = s.astimezone(CHINA_TIME).date() if isinstance(s, _dt.datetime) else s
    l_day = lic.astimezone(CHINA_TIME).date() if isinstance(lic, _dt.datetime) else lic
    if s_day < l_day:
        return SUSPECT_FIRST, (
            f"the copy was published {s_day}, before the licensed article ({l_day}): not an infringement on "
            "this evidence — the licensed outlet may have copied it"
        )
    if s_day > l_day:
        return LICENSED_FIRST, "published after the licensed article"
    return UNKNOWN, f"published the same day as the licensed article ({s_day}); no times to order them"


def assess(finding: dict, licences: Iterable[Licence], licensed: Article | None = None) -> Assessment:
    """Judge one finding (a :class:`~reprintwatch.store.Finding`). Pure."""
    reprinter = Reprinter.from_row(finding)
    outlet = finding.get("licensed_outlet") or (licensed.outlet if licensed else "")
    day = reprint_date(finding.get("published_at"), finding.get("checked_at"), finding.get("created_at"))
    decision = decide(
        licences, reprinter, outlet, day, finding.get("verdict") or "", float(finding.get("similarity") or 0.0)
    )
    links = tuple(x for x in (finding.get("source_link"),) if x)
    attribution = attribute(
        finding.get("content") or "",
        outlet,
        licensed_text=licensed.content if licensed else None,
        licensed_url=finding.get("licensed_url") or (licensed.url if licensed else None),
        links=links,
    )
    licensed_at = finding.get("licensed_published_at") or (licensed.published_at if licensed else None)
    order, note = first_publication(finding.get("published_at"), licensed_at)
    if order == SUSPECT_FIRST:
        status = PUBLISHED_FIRST
    elif decision.authorised:
        status = AUTHORISED
    else:
        status = UNAUTHORISED
    return Assessment(
        finding, status, decision, attribution, order, note, reprinter, licensed.content if licensed else None
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
