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

All times follow :mod:`reprintwatch.triage.timeline`: China time (UTC+8) unless a licence names another
zone, compared by local date; a copy without a publish time is judged by when it was first seen, and
every reason says so.
"""
from __future__ import annotations

import datetime as _dt
import hashlib
import importlib
import json
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Sequence

from ..articles import Article
from ..dates import parse_day
from .attribution import OUTLET_GROUPS, Attribution, Credit, attribute
from .identity import with_platform
from .legal import Facts, Hint, legal_hints
from .legal import label as hint_label
from .licences import Decision, Licence, Reprinter, decide, fold, outlet_matches
from .reasons import Reason
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
    # whether the licensed text was read when judging (a triage read back from the store has no text
    # until :func:`with_texts` loads it for a full view); None: ``licensed_text is not None``
    licensed_read: bool | None = None
    # legal hints (:mod:`reprintwatch.triage.legal`): they inform, the status above never depends on them
    hints: tuple[Hint, ...] = ()

    @property
    def licensed_text_checked(self) -> bool:
        """Was the licensed text there to check for a stripped dateline/byline and to list the edits?"""
        return self.licensed_text is not None if self.licensed_read is None else self.licensed_read

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
            "licence_why": self.decision.why.to_dict(),
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
            # the rest of the judgement, so that a report can be built from the stored triage alone
            # (:meth:`from_triage`) and come out as it would judged afresh
            "credited_outlets": list(a.credited_outlets),
            "original_url": a.original_url,
            "licensed_marks": list(a.licensed_marks),
            "kept_specific": list(a.kept_specific),
            "time_basis": self.decision.basis or None,
            "licensed_text": self.licensed_text_checked,
            "legal_hints": [h.to_dict() for h in self.hints],
        }

    @classmethod
    def from_triage(cls, finding: dict, triage: dict, licences_by_id: dict) -> "Assessment":
        """The assessment a stored :meth:`triage` records, without judging again: what the reports read.
        ``finding`` must be read as when it was judged (:func:`with_platform`); ``licences_by_id`` the
        licence registry the triage was judged against (its :func:`triage_basis` says so). The texts
        (``licensed_text``) are not loaded: :func:`with_texts` adds them for what is shown in full.
        A triage missing a field raises KeyError (the caller judges afresh)."""
        t = triage
        licence = None
        if t["licence_id"] is not None:
            licence = licences_by_id[t["licence_id"]]
        decision = Decision(bool(t["authorised"]), licence, Reason.from_dict(t["licence_why"]), t["edited"],
                            t["time_basis"] or "", tuple(t["differences"]))
        attribution = Attribution(
            t["credit"], tuple(Credit(**c) for c in t["credits"]), tuple(t["credited_outlets"]),
            bool(t["credits_licensed_outlet"]), t["original_url"], tuple(t["stripped"]), tuple(t["licensed_marks"]),
            tuple(t["kept"]), tuple(t["other_outlets_credited"]), tuple(t["kept_specific"]),
        )
        ct = t["copy_time"]
        # the copy's local day and where it came from: all a report shows of it (``When.to_dict``)
        when = When(parse_day(ct["date"]), ct["source"]) if ct else None
        hints = tuple(Hint.from_dict(h) for h in t["legal_hints"])
        return cls(finding, t["status"], decision, attribution, t["first_publication"], t["first_publication_note"],
                   Reprinter.from_row(finding), None, when, None, t["contradiction"], bool(t["licensed_text"]), hints)

    def to_dict(self, include_texts: bool = False) -> dict:
        f = self.finding
        out = {
            "finding_id": f.get("finding_id"),
            "status": self.status,
            "infringement": self.infringement,
            "authorised": self.authorised,
            "licence": self.decision.licence.to_dict() if self.decision.licence else None,
            "licence_reason": self.decision.reason,
            "licence_why": self.decision.why.to_dict(),
            "edited": self.decision.edited,
            "differences": list(self.decision.differences),
            "attribution": self.attribution.to_dict(),
            "first_publication": self.first_publication,
            "first_publication_note": self.first_publication_note,
            "contradiction": self.contradiction,
            "legal_hints": [h.to_dict() for h in self.hints],
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
        if f.get("takedown") is not None:  # removal and complaints, when the view read them
            out["takedown"] = f["takedown"]
        if include_texts:
            out["suspect_content"] = f.get("content")
            out["licensed_content"] = self.licensed_text
        return out


# triage fields flattened for CSV (``findings list --format csv``): key → value from :meth:`Assessment.triage`
TRIAGE_CSV_COLUMNS = (
    "status", "authorised", "licence_id", "licence_reason", "edited", "differences", "copy_time", "credit",
    "credit_summary", "other_outlets_credited", "stripped", "kept", "first_publication",
    "first_publication_note", "contradiction", "reprinter", "fetched_url", "claimed_url", "complaint_deadline",
    "legal_hints",
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
        # code(certainty) for each hint: the rules and evidence are in the JSON
        "legal_hints": " | ".join(hint_label(h) for h in triage.get("legal_hints") or []),
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
    hints = legal_hints(legal_facts(finding, licensed, reprinter, attribution, edits))
    return Assessment(
        finding, status, decision, attribution, order, note, reprinter, licensed.content if licensed else None,
        when, edits, contradiction, licensed is not None, hints,
    )


# every name of the news organisations attribution knows: a copier of one of these names is a media outlet
KNOWN_OUTLETS = tuple(sorted(name for group in OUTLET_GROUPS for name in group))


def title_named(edits: Edits | None, attribution: Attribution, licensed_title: str, copy_title: str) -> bool | None:
    """Does the copy name the licensed article's title — kept (furniture aside) or cited with 原标题?
    None when a title is missing or the texts were not compared."""
    if any(c.kind == "original_title" for c in attribution.credits):
        return True
    if not (licensed_title or "").strip() or not (copy_title or "").strip() or edits is None:
        return None
    return not edits.title_changed


def legal_facts(finding: dict, licensed: Article | None, reprinter: Reprinter, attribution: Attribution,
                edits: Edits | None) -> Facts:
    """What :func:`~reprintwatch.triage.legal.legal_hints` reads, from one finding. ``template_family`` on
    the finding is the detector's template family for the licensed article, when it names one."""
    licensed_title = finding.get("licensed_title") or (licensed.title if licensed else "") or ""
    copy_title = finding.get("title") or ""
    names = tuple(dict.fromkeys(n for n in (finding.get("account"), finding.get("site_name"), reprinter.label()) if n))
    return Facts(
        licensed_title=licensed_title,
        licensed_text=licensed.content if licensed else None,
        copy_title=copy_title,
        copier_names=names,
        copier_platform=finding.get("platform") or "",
        credit=attribution.status,
        credit_summary=attribution.summary(),
        title_named=title_named(edits, attribution, licensed_title, copy_title),
        family=finding.get("template_family") or None,
        known_outlets=KNOWN_OUTLETS,
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
    """Judge findings afresh (all, or ``finding_ids``) and keep each triage in the store with its finding.
    Returns ``{finding_id: triage dict}``. ``findings_store`` is a :class:`~reprintwatch.store.Store`."""
    findings = findings_store.list_findings(ids=finding_ids) if finding_ids is not None else findings_store.list_findings()
    return {a.finding["finding_id"]: a.triage() for a in triage_of(findings_store, findings, licences, index, force=True)}


# --------------------------------------------------------------------------- the stored triage
#
# Judging is the slow part of a report (issue 13: the verbatim comparison was 74 % of a 10,000-finding
# build, 298 s at 88423a7), and a finding's triage only changes when what it was judged on changes.
# So each triage is kept with its *basis* — the rules' version and the licences it read — and every command
# reads the triage through :func:`triage_of`, which judges only the findings whose basis is out of date.

# Bump when a change outside the rule modules below (e.g. a new input read from the finding) can change
# a triage. Any change to the rule modules' source re-judges on its own (:func:`rules_digest`).
TRIAGE_VERSION = 2  # 2: legal hints
RULE_MODULES = (
    "reprintwatch.triage.assess", "reprintwatch.triage.licences", "reprintwatch.triage.attribution",
    "reprintwatch.triage.legal",
    "reprintwatch.triage.verbatim", "reprintwatch.triage.timeline", "reprintwatch.triage.identity",
    "reprintwatch.triage.reasons",
    "reprintwatch.dedupe.normalize", "reprintwatch.dedupe.boilerplate", "reprintwatch.dates",
    "reprintwatch.dedupe.relations",  # the official register legal.official_document reads
)


@lru_cache(maxsize=1)
def rules_digest() -> str:
    """The triage rules' version and a digest of their source: a triage judged by other rules is stale."""
    h = hashlib.sha256(f"triage {TRIAGE_VERSION}".encode())
    for name in RULE_MODULES:
        h.update(name.encode())
        try:
            h.update(Path(importlib.import_module(name).__file__).read_bytes())
        except (OSError, TypeError):  # no source file to read: the version number alone decides
            pass
    return f"{TRIAGE_VERSION}.{h.hexdigest()[:16]}"


def licences_digest(licences: Iterable[Licence], outlet: str | None) -> str:
    """A digest of every licence that can decide a finding against ``outlet`` (its own and ``*``; all of
    them when the outlet is unknown): adding, removing or changing one of them makes those triages stale,
    and only those."""
    rows = [lic.to_dict() for lic in sorted(licences, key=lambda lic: lic.id or 0)
            if not outlet or outlet_matches(lic, outlet)]
    return hashlib.sha256(json.dumps(rows, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()[:16]


def triage_basis(licences: Iterable[Licence], outlet: str | None) -> str:
    """What a triage against ``outlet`` is judged on: the rules and the licences that can decide it."""
    return f"{rules_digest()}:{licences_digest(licences, outlet)}"


def _bases(licences: Sequence[Licence]):
    """``row → triage_basis`` for ``licences``, computed once per outlet."""
    bases: dict[str, str] = {}

    def basis_of(row) -> str:
        outlet = row.get("licensed_outlet") or ""
        key = fold(outlet)
        if key not in bases:
            bases[key] = triage_basis(licences, outlet)
        return bases[key]

    return basis_of


def is_current(row, basis: str, index=None) -> bool:
    """Is ``row``'s stored triage current: judged on ``basis`` and, with an ``index`` to read the licensed
    text from, judged with that text (a triage made without it could not list the edits)?"""
    stored = row.get("triage")
    return bool(stored) and row.get("triage_basis") == basis and (index is None or bool(stored.get("licensed_text")))


def refresh_triage(store, licences: Sequence[Licence], index=None) -> int:
    """Judge and keep the triage of every finding in ``store`` that has none or a stale one (what ingestion
    runs after each batch). Returns how many were judged."""
    licences = list(licences)
    stale = stale_findings(store, licences, index)
    if stale:
        triage_of(store, stale, licences, index, force=True, platformed=True)
    return len(stale)


def stale_findings(store, licences: Sequence[Licence], index=None, ids=None) -> list[dict]:
    """The findings of ``store`` (of ``ids`` when given) whose kept triage is missing or stale, read without
    their text and through :func:`with_platform`."""
    basis_of = _bases(list(licences))
    return [f for f in (with_platform(r) for r in store.list_findings(ids=ids, content=False, judged=False))
            if not is_current(f, basis_of(f), index)]


def triage_of(store, findings: Sequence[dict], licences: Sequence[Licence], index=None, force: bool = False,
              keep: bool = True, platformed: bool = False) -> list[Assessment]:
    """The assessment of each of ``findings`` (store rows, in their order) — the one way every command
    gets a triage. A finding's stored triage is used when its basis (:func:`triage_basis`) is current
    and, with an ``index`` given, it was judged with the licensed text; the others (never triaged, rules or
    relevant licences changed since, or ``force``) are judged now and, with ``keep``, stored back in one
    transaction (``serve`` is read-only: ``keep=False``). Rows read without their text
    (``list_findings(content=False)``) are read again with it only for the findings judged now.
    ``platformed``: the rows already went through :func:`with_platform`."""
    licences = list(licences)
    by_id = {lic.id: lic for lic in licences}
    rows = list(findings) if platformed else [with_platform(f) for f in findings]
    basis_of = _bases(licences)

    out: list[Assessment | None] = [None] * len(rows)
    todo: list[int] = []
    for i, row in enumerate(rows):
        stored = row.get("triage")
        if not force and is_current(row, basis_of(row), index):
            try:
                out[i] = Assessment.from_triage(row, stored, by_id)
                continue
            except (KeyError, TypeError, ValueError, AttributeError):  # an older or damaged triage: judge it
                pass
        todo.append(i)
    if todo:
        without_text = [rows[i]["finding_id"] for i in todo if rows[i].get("content") is None]
        if without_text:
            full = {f.finding_id: with_platform(f)
                    for f in store.list_findings(ids=without_text, withdrawn=True, judged=False)}
            for i in todo:
                if rows[i].get("content") is None and rows[i]["finding_id"] in full:
                    rows[i] = full[rows[i]["finding_id"]]
        fresh = assess_all([rows[i] for i in todo], licences, index)
        for i, a in zip(todo, fresh):
            out[i] = a
        if keep and store is not None:
            store.record_triage((a.finding["finding_id"], a.triage(), basis_of(a.finding)) for a in fresh)
    return out  # type: ignore[return-value]


def with_texts(assessments: Sequence[Assessment], index=None, store=None) -> list[Assessment]:
    """``assessments`` with what only a full view (the texts side by side) needs: the licensed text from
    ``index`` and, for rows read without it, the copy's text from ``store``. Call it for what is shown in
    full, not for a whole day."""
    want = [a.finding.get("licensed_id") for a in assessments if a.licensed_text is None]
    licensed = load_licensed(index, want) if index is not None and want else {}
    no_text = [a.finding["finding_id"] for a in assessments if a.finding.get("content") is None]
    texts = {}
    if no_text and store is not None:
        texts = {f.finding_id: f.content for f in store.list_findings(ids=no_text, withdrawn=True, judged=False)}
    out = []
    for a in assessments:
        changes = {}
        if a.licensed_text is None and a.finding.get("licensed_id") in licensed:
            changes["licensed_text"] = licensed[a.finding.get("licensed_id")].content
        if a.finding.get("content") is None and a.finding["finding_id"] in texts:
            changes["finding"] = {**a.finding, "content": texts[a.finding["finding_id"]]}
        out.append(replace(a, **changes) if changes else a)
    return out
