"""The findings part of the store: evidence (the kept pages' bytes and rows), suspects (versions of copies)
and findings (suspect -> licensed article matches, with their triage), read back as :class:`Finding` records.
Mixed into :class:`reprintwatch.store.Store`, which gives it ``conn``, ``transaction``, ``engine``, ``path``,
``location`` and ``evidence_dir``."""

from __future__ import annotations

import gzip
import json
import zlib
from pathlib import Path
from typing import Iterable

from ..errors import BadInput
from ..output import write_atomic
from .records import Finding, StoreError, current_rules, sha256_hex, to_utc_bound, utc_now

# The one place finding columns get their record names (suspect columns are the finding's ``url``,
# ``title``...; the licensed article's are ``licensed_*``).
_FINDING_SELECT_TEMPLATE = """
SELECT f.id AS finding_id, f.suspect_id, f.licensed_id, f.licensed_outlet, f.licensed_title, f.licensed_url,
    f.licensed_published_at, f.verdict, f.similarity, f.licensed_coverage, f.suspect_coverage,
    f.passages_json AS passages, f.created_at, f.triage_json AS triage, f.triaged_at,
    f.triage_basis, f.rules_version, f.withdrawn_at, f.withdrawn_reason, s.source, s.platform, s.site, s.account, s.biz, s.url, s.canonical_url, s.title, s.author, s.published_at,
    s.version, s.status, {content} AS content, s.original_flag, s.source_link, s.evidence_id, s.checked_at,
    e.sha256 AS evidence_sha256, COALESCE(e.final_url, s.url) AS final_url,
    COALESCE(seen.first_seen, s.checked_at) AS first_seen
FROM findings f JOIN suspects s ON s.id = f.suspect_id LEFT JOIN evidence e ON e.id = s.evidence_id
    LEFT JOIN seen ON seen.url = s.url
"""
_FINDING_SELECT = _FINDING_SELECT_TEMPLATE.format(content="s.content")
# without the copy's text: what a summary or a page of rows needs (issue 13: 50,000 texts are ~150 MB)
_FINDING_SELECT_LIGHT = _FINDING_SELECT_TEMPLATE.format(content="NULL")


class FindingsPart:
    """Evidence, suspects and findings (tables ``evidence``, ``evidence_bodies``, ``suspects``, ``findings``)."""

    # --- evidence ------------------------------------------------------------------------------------
    def evidence_path(self, sha256: str) -> Path:
        """Where an SQLite store keeps the bytes of ``sha256`` (also their name, ``body_path``, on PostgreSQL)."""
        return (self.evidence_dir or Path("evidence")) / sha256[:2] / f"{sha256}.gz"

    def write_evidence_file(self, body: bytes) -> tuple[str, Path]:
        """Keep ``body`` gzipped under its SHA-256 (written to a temporary file, then renamed: atomic)."""
        digest = sha256_hex(body)
        target = self.evidence_path(digest)
        if target.exists():
            return digest, target
        def write(raw) -> None:
            with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as gz:
                gz.write(body)

        write_atomic(target, write, fsync=True)
        return digest, target

    def record_page(
        self,
        url: str,
        body: bytes,
        final_url: str | None = None,
        status: int | None = None,
        fetched_at: str | None = None,
        content_type: str = "",
        headers: dict | None = None,
    ) -> int:
        """Keep one fetched page (or local file) as evidence; returns the evidence id."""
        if self.engine == "postgresql":
            digest = sha256_hex(body)
        else:  # the file first: a crash leaves an unreferenced file, never a row without its bytes
            digest, _ = self.write_evidence_file(body)
        with self.transaction():
            if self.engine == "postgresql":  # the bytes and their row in one transaction
                self.conn.execute("INSERT OR IGNORE INTO evidence_bodies(sha256, gzip, size) VALUES (?, ?, ?)",
                                  (digest, gzip.compress(body, mtime=0), len(body)))
            cur = self.conn.execute(
                "INSERT INTO evidence(url, final_url, status, fetched_at, sha256, content_type, headers_json, body_path, body_size)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (url, final_url or url, status, fetched_at or utc_now(), digest, content_type or "",
                 json.dumps(headers or {}, ensure_ascii=False, sort_keys=True),
                 f"evidence/{digest[:2]}/{digest}.gz", len(body)),
            )
        return cur.lastrowid

    def evidence(self, evidence_id: int) -> dict | None:
        row = self.conn.execute("SELECT * FROM evidence WHERE id=?", (evidence_id,)).fetchone()
        return dict(row) if row else None

    def evidence_bytes(self, evidence_id: int) -> bytes:
        """The raw bytes kept for ``evidence_id``, checked against their SHA-256."""
        row = self.evidence(evidence_id)
        if row is None:
            raise BadInput(f"evidence {evidence_id}", "no such evidence in the store")
        if self.engine == "postgresql":
            where = f"evidence {evidence_id} ({row['body_path']} in {self.location})"
            kept = self.conn.execute("SELECT gzip FROM evidence_bodies WHERE sha256=?", (row["sha256"],)).fetchone()
            if kept is None:
                raise BadInput(where, "the evidence bytes are missing from the store")
            try:
                data = gzip.decompress(bytes(kept[0]))
            except (OSError, EOFError, zlib.error) as exc:
                raise BadInput(where, f"cannot read evidence bytes: {exc}") from None
        else:
            where = str(self.path.parent / row["body_path"])
            try:
                with gzip.open(where, "rb") as fh:
                    data = fh.read()
            except (OSError, EOFError, zlib.error) as exc:  # EOFError: cut short (click would print "Aborted!")
                raise BadInput(where, f"cannot read evidence file: {exc}") from None
        if sha256_hex(data) != row["sha256"]:
            raise BadInput(where, "evidence file does not match its recorded SHA-256")
        return data

    # --- suspects and findings -----------------------------------------------------------------------
    def record_suspect(
        self,
        url: str,
        platform: str,
        content_hash: str,
        version: int | None = None,
        status: str = "ok",
        source: str = "",
        site: str = "",
        account: str = "",
        canonical_url: str = "",
        biz: str = "",
        title: str = "",
        author: str = "",
        published_at: str | None = None,
        content: str = "",
        original_flag: bool = False,
        source_link: str = "",
        evidence_id: int | None = None,
        checked_at: str | None = None,
        error: str = "",
        rules_version: int | None = None,
    ) -> int:
        """Record one version of a suspect; ``version=None`` takes the URL's next version number inside the
        write transaction, so two processes recording the same URL never collide. ``rules_version``: the
        detection rules it was checked by (default: the current ones)."""
        with self.transaction():
            if version is None:
                version = self.next_version(url)
            cur = self.conn.execute(
                "INSERT INTO suspects(source, platform, site, account, url, canonical_url, title, author, published_at,"
                " content, content_hash, version, status, original_flag, source_link, evidence_id, checked_at, error, biz,"
                " rules_version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (source, platform, site, account, url, canonical_url, title, author, published_at, content,
                 content_hash, version, status, int(bool(original_flag)), source_link, evidence_id,
                 checked_at or utc_now(), error, biz or "", current_rules() if rules_version is None else rules_version),
            )
        return cur.lastrowid

    def record_findings(self, suspect_id: int, matches: Iterable, created_at: str | None = None,
                        rules_version: int | None = None) -> list[int]:
        """Record reprint matches (``Match`` objects or ``Match.to_dict()`` dicts) for a suspect, made by the
        detection rules ``rules_version`` (default: the current ones, ``detector.RULES_VERSION``).

        Matches with verdict ``none`` are skipped. Returns the new finding ids.
        """
        created_at = created_at or utc_now()
        rules = current_rules() if rules_version is None else rules_version
        ids = []
        with self.transaction():
            for match in matches:
                licensed_published_at = None
                if hasattr(match, "to_dict"):
                    licensed_published_at = match.licensed.published_at
                    match = match.to_dict()
                else:
                    licensed_published_at = match.get("published_at")
                if match.get("verdict") in (None, "none"):
                    continue
                cur = self.conn.execute(
                    "INSERT OR IGNORE INTO findings(suspect_id, licensed_id, licensed_outlet, licensed_title, licensed_url,"
                    " licensed_published_at, verdict, similarity, licensed_coverage, suspect_coverage, passages_json, created_at,"
                    " rules_version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (suspect_id, match["licensed_id"], match.get("outlet") or "", match.get("title") or "",
                     match.get("url") or "", licensed_published_at, match["verdict"], match.get("similarity"),
                     match.get("licensed_coverage"), match.get("suspect_coverage"),
                     json.dumps(match.get("passages") or [], ensure_ascii=False), created_at, rules),
                )
                if cur.rowcount:
                    ids.append(cur.lastrowid)
        return ids

    def next_version(self, url: str) -> int:
        """The next version number of ``url``'s suspect; call it inside :meth:`transaction` and record the
        suspect in the same transaction (the write lock is held from its start)."""
        row = self.conn.execute("SELECT MAX(version) FROM suspects WHERE url=?", (url,)).fetchone()
        return int(row[0] or 0) + 1

    def list_findings(self, since=None, until=None, outlet: str | None = None, verdict: str | None = None,
                      before=None, ids: Iterable[int] | None = None, content: bool = True,
                      newest_first: bool = False, limit: int | None = None, offset: int = 0,
                      withdrawn: bool = False, judged: bool = True) -> list[Finding]:
        """Findings with their suspects, oldest first, in one query. ``since`` (inclusive) and ``until``
        (inclusive; a bare date means the whole day) or ``before`` (exclusive) bound ``created_at``;
        ``ids`` keeps only those findings; ``content=False`` leaves the copy's text out (``None``).
        ``newest_first`` orders by ``created_at`` descending (ties by id, ascending); ``limit``/``offset``
        read one page of them. Withdrawn findings (re-judging found the current rules no longer make them)
        are left out unless ``withdrawn``. ``judged``: refuse (:meth:`require_judged`) a store holding
        findings made by other detection rules, so no reader mixes the two; only the re-judging and the
        triage's own re-reads pass ``False``."""
        if judged:
            self.require_judged()
        where, args = [] if withdrawn else ["f.withdrawn_at IS NULL"], []
        if ids is not None:
            where.append("f.id IN (SELECT CAST(value AS INTEGER) FROM json_each(?))")
            args.append(json.dumps([int(i) for i in ids]))
        lo = to_utc_bound(since, end=False, where="--since")
        hi = to_utc_bound(until, end=True, where="--until")
        below = to_utc_bound(before, end=False, where="before")
        for clause, value in (("f.created_at >= ?", lo), ("f.created_at < ?", hi), ("f.created_at < ?", below),
                              ("f.licensed_outlet = ?", outlet), ("f.verdict = ?", verdict)):
            if value:
                where.append(clause)
                args.append(value)
        sql = (_FINDING_SELECT if content else _FINDING_SELECT_LIGHT) + (" WHERE " + " AND ".join(where) if where else "")
        sql += " ORDER BY f.created_at DESC, f.id" if newest_first else " ORDER BY f.created_at, f.id"
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            args += [int(limit), int(offset)]
        return [Finding.from_row(row) for row in self.conn.execute(sql, args)]

    def record_triage(self, triages: Iterable[tuple], at: str | None = None) -> int:
        """Keep each finding's triage (``reprintwatch.triage.assess.Assessment.triage``) with it, in one
        transaction: ``(finding_id, triage)`` or ``(finding_id, triage, basis)`` — the basis says what it
        was judged on (``triage.assess.triage_basis``; none: judged again when next read). Returns how
        many findings were updated."""
        at = at or utc_now()
        n = 0
        with self.transaction():
            for finding_id, triage, *basis in triages:
                n += self.conn.execute(
                    "UPDATE findings SET triage_json=?, triaged_at=?, triage_basis=? WHERE id=?",
                    (json.dumps(triage, ensure_ascii=False, sort_keys=True), at, basis[0] if basis else None,
                     int(finding_id)),
                ).rowcount
        return n

    def get_finding(self, finding_id) -> Finding | None:
        try:
            key = int(finding_id)
        except (TypeError, ValueError):
            return None
        row = self.conn.execute(_FINDING_SELECT + " WHERE f.id=?", (key,)).fetchone()
        return Finding.from_row(row) if row else None

    def get_suspect(self, suspect_id: int) -> dict | None:
        row = self.conn.execute("SELECT * FROM suspects WHERE id=?", (suspect_id,)).fetchone()
        return dict(row) if row else None

    def outlets(self) -> list[str]:
        """The licensed outlets that have findings (withdrawn ones aside)."""
        rows = self.conn.execute("SELECT DISTINCT licensed_outlet FROM findings"
                                 " WHERE licensed_outlet != '' AND withdrawn_at IS NULL")
        return sorted(r[0] for r in rows)

    # --- re-judging: reprintwatch/rejudge.py decides, the store keeps --------------------------------
    # "made by other rules" as two ranges and NULL, so the indexes on rules_version answer it without reading
    # a row when every finding is current (every reader asks it; a table scan would read the passages).
    _OTHER_RULES = "(rules_version IS NULL OR rules_version < ? OR rules_version > ?)"

    def stale_findings(self, rules: int | None = None) -> int:
        """How many findings in force (not withdrawn) were made by detection rules other than ``rules``
        (default: the current ones); a finding from before the version was kept counts."""
        rules = current_rules() if rules is None else rules
        row = self.conn.execute(f"SELECT COUNT(*) FROM findings WHERE {self._OTHER_RULES} AND withdrawn_at IS NULL",
                                (rules, rules)).fetchone()
        return int(row[0])

    def any_to_rejudge(self, rules: int) -> bool:
        """Was any suspect checked by other rules (one index lookup; what ``ingest run`` asks on open)?"""
        return self.conn.execute(f"SELECT 1 FROM suspects WHERE {self._OTHER_RULES} LIMIT 1",
                                 (rules, rules)).fetchone() is not None

    def stamp_unchecked(self, rules: int) -> int:
        """Suspects of other rules that hold no text and no findings (errors, removed pages): nothing to
        check again, so they are stamped ``rules`` at once. Returns how many."""
        with self.transaction():
            return self.conn.execute(
                f"UPDATE suspects SET rules_version=? WHERE {self._OTHER_RULES} AND NOT (status = 'ok' AND content != '')"
                " AND NOT EXISTS (SELECT 1 FROM findings f WHERE f.suspect_id = suspects.id)",
                (rules, rules, rules)).rowcount

    def require_judged(self) -> None:
        """Refuse (exit 3, as an index of other fingerprint parameters is refused) a store whose findings in
        force were made by other detection rules: a report reading it would mix two rules' findings."""
        stale = self.stale_findings()
        if stale:
            raise StoreError(
                f"{self.location}: {stale} finding{'s were' if stale != 1 else ' was'} made by other detection rules"
                f" than this reprintwatch's (version {current_rules()}) and not re-judged yet; run "
                "`reprintwatch findings rejudge` (readers never mix findings of two rule versions)")

    def suspects_to_rejudge(self, rules: int, after: int = 0, limit: int = 100) -> list[dict]:
        """Suspects (id above ``after``, by id) checked by rules other than ``rules`` that re-judging must
        check again: those with text, and any holding findings."""
        rows = self.conn.execute(
            "SELECT id, url, title, published_at, content, status, rules_version FROM suspects s"
            f" WHERE id > ? AND {self._OTHER_RULES}"
            " AND ((status = 'ok' AND content != '') OR EXISTS (SELECT 1 FROM findings f WHERE f.suspect_id = s.id))"
            " ORDER BY id LIMIT ?", (int(after), rules, rules, int(limit)))
        return [dict(r) for r in rows]

    def count_to_rejudge(self, rules: int) -> int:
        """How many suspects :meth:`suspects_to_rejudge` would hand out from the start."""
        row = self.conn.execute(
            f"SELECT COUNT(*) FROM suspects s WHERE {self._OTHER_RULES}"
            " AND ((status = 'ok' AND content != '') OR EXISTS (SELECT 1 FROM findings f WHERE f.suspect_id = s.id))",
            (rules, rules)).fetchone()
        return int(row[0])

    def suspect_findings(self, suspect_id: int) -> list[dict]:
        """Every finding of one suspect, withdrawn ones included, as stored (passages decoded)."""
        rows = self.conn.execute(
            "SELECT id, licensed_id, licensed_outlet, licensed_title, licensed_url, verdict, similarity,"
            " licensed_coverage, suspect_coverage, passages_json, rules_version, withdrawn_at, withdrawn_reason"
            " FROM findings WHERE suspect_id=? ORDER BY id", (int(suspect_id),))
        out = []
        for r in rows:
            row = dict(r)
            row["passages"] = json.loads(row.pop("passages_json") or "[]")
            out.append(row)
        return out

    def apply_judgement(self, suspect_id: int, rules: int, judge, at: str | None = None) -> list | None:
        """Re-judge one suspect in one transaction (a process killed mid-way leaves it before or after):
        ``judge(stored findings) -> actions`` (``rejudge.judge``, run under the write lock on the rows as
        they are now) and each action kept — ``kept`` (stamped with ``rules``), ``changed``/``reinstated``
        (the verdict, scores and passages the current rules give; its triage judged again), ``withdrawn``
        (``withdrawn_at``/``withdrawn_reason``; never deleted), ``new`` (a finding recorded). Each but
        ``kept`` leaves a row in ``finding_judgements`` with the finding as it was. Returns ``(finding id,
        action)`` pairs, or None when another process re-judged the suspect meanwhile."""
        at = at or utc_now()
        with self.transaction():
            row = self.conn.execute("SELECT rules_version FROM suspects WHERE id=?", (int(suspect_id),)).fetchone()
            if row is None or row[0] == rules:
                return None
            stored = {f["id"]: f for f in self.suspect_findings(suspect_id)}
            actions = judge(list(stored.values()))
            done = []
            for action in actions:
                fid, m = action.finding_id, action.match
                if action.outcome == "new":
                    fid = self.record_findings(suspect_id, [m], created_at=at, rules_version=rules)[0]
                elif action.outcome == "withdrawn":
                    self.conn.execute("UPDATE findings SET withdrawn_at=?, withdrawn_reason=?, rules_version=? WHERE id=?",
                                      (at, action.reason, rules, fid))
                elif action.outcome in ("changed", "reinstated"):
                    self.conn.execute(
                        "UPDATE findings SET verdict=?, similarity=?, licensed_coverage=?, suspect_coverage=?,"
                        " passages_json=?, rules_version=?, withdrawn_at=NULL, withdrawn_reason=NULL,"
                        " triage_basis=NULL WHERE id=?",
                        (m["verdict"], m.get("similarity"), m.get("licensed_coverage"), m.get("suspect_coverage"),
                         json.dumps(m.get("passages") or [], ensure_ascii=False), rules, fid))
                else:
                    self.conn.execute("UPDATE findings SET rules_version=? WHERE id=?", (rules, fid))
                    done.append((fid, action))
                    continue
                done.append((fid, action))
                before = stored.get(fid)
                self.conn.execute(
                    "INSERT INTO finding_judgements(finding_id, judged_at, rules_version, previous_rules_version,"
                    " outcome, before_json, detail) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (fid, at, rules, before["rules_version"] if before else None, action.outcome,
                     json.dumps({k: v for k, v in (before or {}).items() if k != "passages"}, ensure_ascii=False,
                                sort_keys=True), action.reason))
            self.conn.execute("UPDATE suspects SET rules_version=? WHERE id=?", (rules, int(suspect_id)))
        return done

    def judgements(self, finding_ids: Iterable[int] | None = None) -> dict[int, list[dict]]:
        """What re-judging did to each finding (oldest first): outcome, when, rules, the finding before, why."""
        rows = self.conn.execute("SELECT * FROM finding_judgements ORDER BY finding_id, id")
        wanted = None if finding_ids is None else {int(i) for i in finding_ids}
        out: dict[int, list[dict]] = {}
        for r in rows:
            if wanted is None or r["finding_id"] in wanted:
                out.setdefault(r["finding_id"], []).append(dict(r))
        return out
