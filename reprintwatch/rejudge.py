"""Re-judging a store's findings made by other detection rules (issue 19), as triage re-judges a stale triage.

Every finding and every checked suspect keeps the detection rules' version that made it
(``detector.RULES_VERSION``; ``rules_version`` in the store, none for a store older than that). A store
holding findings in force of another version is refused by its readers (``Store.require_judged``: reports,
coverage, dossiers, ``serve``, ``findings list``, ``recheck``) until :func:`rejudge` has checked each such
suspect's kept text again against the licensed index with the current detector:

- a finding the current rules still make is kept (its verdict, scores and passages updated if they changed —
  ``changed``, its triage then judged again);
- a finding they no longer make is *withdrawn* with the date and the reason (the licensed article whose
  finding explains its text, the text being held by many licensed articles or a quotation…), never deleted:
  a complaint may have been filed on it, and that history is evidence;
- a match they make that the store lacks is recorded (``new``); a withdrawn one they make again is
  ``reinstated``.

Each suspect is re-judged in one transaction (a process killed mid-way leaves it before or after; the next
run goes on from the suspects still stale), and running it again changes nothing. :func:`judge` — the
decisions — is pure; :func:`rejudge` runs the checks and hands the decisions to the store.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Callable, Sequence

from .articles import Article
from .detector import RULES_VERSION

KEPT, CHANGED, WITHDRAWN, NEW, REINSTATED = "kept", "changed", "withdrawn", "new", "reinstated"

# why a pair verify() calls a reprint is no finding (``Match.discounted``), as a rights team reads it
_DISCOUNTED = {
    "shared_text": "its copied text is held by many licensed articles (a template or boilerplate), not evidence",
    "quotation": "its copied text is a quotation in both texts, not copied prose",
    "template": "its copied text is a template's sentences around other figures (another issue of it), not a copy",
}


@dataclass(frozen=True)
class Action:
    """What re-judging does to one finding of a suspect (``finding_id`` None for a ``new`` one)."""

    outcome: str  # kept | changed | withdrawn | new | reinstated
    finding_id: int | None
    licensed_id: str
    match: dict | None = None  # the current rules' match (``Match.to_dict()`` + ``published_at``)
    reason: str = ""


def _scores_differ(stored: dict, match: dict) -> bool:
    for name in ("similarity", "licensed_coverage", "suspect_coverage"):
        if abs(float(stored.get(name) or 0.0) - float(match.get(name) or 0.0)) > 1e-9:
            return True
    # passages compared as the store keeps them (JSON), so a float or tuple read back compares equal
    return json.loads(json.dumps(match.get("passages") or [])) != (stored.get("passages") or [])


def _why_not(matches: Sequence[dict]) -> dict[str, str]:
    """licensed id → why the current rules make no finding of it, from a check's matches (all of them,
    ``--all``: reported ones list their siblings and versions; discounted ones say why)."""
    why: dict[str, str] = {}
    for m in matches:
        if m.get("verdict") == "none":
            why.setdefault(m["licensed_id"], _DISCOUNTED.get(m.get("discounted", ""), "checked again: not a reprint"))
        for s in m.get("siblings") or ():
            why.setdefault(s["licensed_id"], f"its copied text is explained by licensed article {m['licensed_id']}"
                                             " (listed under that finding, not a finding of its own)")
        for v in m.get("versions") or ():
            why.setdefault(v["licensed_id"], f"a version of licensed article {m['licensed_id']}, reported under it")
    return why


def judge(stored: Sequence[dict], matches: Sequence[dict], rules: int = RULES_VERSION) -> list[Action]:
    """The actions that bring one suspect's ``stored`` findings (``Store.suspect_findings`` rows, withdrawn
    ones included) to what the current check makes of it (``matches``: every match of the check as
    ``Match.to_dict()``, verdict ``none`` included). Pure."""
    reported = {m["licensed_id"]: m for m in matches if m.get("verdict") not in (None, "none")}
    why = _why_not(matches)
    actions, seen = [], set()
    for f in stored:
        lid = f["licensed_id"]
        seen.add(lid)
        m = reported.get(lid)
        if m is None:
            if f.get("withdrawn_at"):
                actions.append(Action(KEPT, f["id"], lid))  # stays withdrawn
            else:
                reason = why.get(lid, "no longer a match")
                actions.append(Action(WITHDRAWN, f["id"], lid, reason=f"detection rules {rules}: {reason}"))
        elif f.get("withdrawn_at"):
            actions.append(Action(REINSTATED, f["id"], lid, m, f"detection rules {rules} make it again ({m['verdict']})"))
        elif f.get("verdict") != m["verdict"]:
            actions.append(Action(CHANGED, f["id"], lid, m, f"detection rules {rules}: verdict {f.get('verdict')} → {m['verdict']}"))
        elif _scores_differ(f, m):
            actions.append(Action(CHANGED, f["id"], lid, m, f"detection rules {rules}: same verdict, other scores or passages"))
        else:
            actions.append(Action(KEPT, f["id"], lid))
    for lid, m in reported.items():
        if lid not in seen:
            actions.append(Action(NEW, None, lid, m, f"detection rules {rules} make it ({m['verdict']})"))
    return actions


@dataclass
class RejudgeResult:
    to_do: int = 0  # suspects checked by other rules when the run began
    suspects: int = 0  # re-judged by this run
    counts: dict = field(default_factory=lambda: {KEPT: 0, CHANGED: 0, WITHDRAWN: 0, NEW: 0, REINSTATED: 0})
    skipped: list = field(default_factory=list)  # (suspect id, url, why) left as they were
    changes: list = field(default_factory=list)  # (finding id, Action) for each outcome other than kept

    def line(self) -> str:
        c = self.counts
        text = (f"rejudge: {self.suspects} of {self.to_do} suspect(s) checked again with detection rules "
                f"{RULES_VERSION}: {c[KEPT]} finding(s) kept, {c[CHANGED]} changed, {c[WITHDRAWN]} withdrawn, "
                f"{c[NEW]} new, {c[REINSTATED]} reinstated")
        if self.skipped:
            text += f"; {len(self.skipped)} suspect(s) left as they were (see above)"
        return text


def rejudge(store, detector, progress: Callable[[int], None] | None = None, batch: int = 64) -> RejudgeResult:
    """Check again every suspect of ``store`` checked by other detection rules, with ``detector`` (on the
    licensed index), and keep the outcome per suspect (``Store.apply_judgement``). A suspect whose findings
    name a licensed article the index does not hold is left as it was (a wrong ``--db`` must not withdraw
    everything), as is one holding findings without its text. ``progress(n)``: n more suspects done."""
    rules = RULES_VERSION
    store.stamp_unchecked(rules)
    result = RejudgeResult(to_do=store.count_to_rejudge(rules))
    after = 0
    while True:
        rows = store.suspects_to_rejudge(rules, after, batch)
        if not rows:
            return result
        after = rows[-1]["id"]
        stored = {r["id"]: store.suspect_findings(r["id"]) for r in rows}
        wanted = sorted({f["licensed_id"] for fs in stored.values() for f in fs if not f["withdrawn_at"]})
        held = {rec.article.id for rec in detector.index.get(wanted)} if wanted else set()
        checkable = []
        for r in rows:
            missing = sorted({f["licensed_id"] for f in stored[r["id"]] if not f["withdrawn_at"]} - held)
            if missing:
                result.skipped.append((r["id"], r["url"], f"licensed article {', '.join(missing[:3])}"
                                       f"{' …' if len(missing) > 3 else ''} not in the licensed index (check --db)"))
            elif r["status"] != "ok" or not r["content"]:
                result.skipped.append((r["id"], r["url"], "its findings have no kept text to check again"))
            else:
                checkable.append(r)
        articles = [Article(id=r["url"], content=r["content"], title=r["title"] or "", url=r["url"],
                            published_at=r["published_at"]) for r in checkable]
        checks = detector.check_batch(articles) if articles else []
        for r, check in zip(checkable, checks):
            matches = [{**m.to_dict(), "published_at": m.licensed.published_at} for m in check.matches]
            actions = store.apply_judgement(r["id"], rules, lambda found: judge(found, matches, rules))
            if actions is None:  # another process re-judged it meanwhile
                continue
            result.suspects += 1
            for finding_id, action in actions:
                result.counts[action.outcome] += 1
                if action.outcome != KEPT:
                    result.changes.append((finding_id, action))
        if progress is not None:
            progress(len(rows))
