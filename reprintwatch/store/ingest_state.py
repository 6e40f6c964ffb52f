"""The ingest state part of the store: what ingestion has seen (``seen``), what it still has to do
(``pending``), small key/value checkpoints, and the shared work of several ingest processes on one PostgreSQL
store (``leases``, ``host_starts``, the store's clock). Mixed into :class:`reprintwatch.store.Store`, which gives
it ``conn``, ``transaction`` and ``engine``."""

from __future__ import annotations

import json
from typing import Iterable

from .records import utc_now


class IngestStatePart:
    """Checkpoints per URL and per key, the pending queue, leases and host starts."""

    # --- continuity ----------------------------------------------------------------------------------
    def get_seen(self, url: str) -> dict | None:
        row = self.conn.execute("SELECT * FROM seen WHERE url=?", (url,)).fetchone()
        return dict(row) if row else None

    def mark_seen(self, url: str, source: str, **fields) -> None:
        now = utc_now()
        with self.transaction():
            self.conn.execute(
                "INSERT INTO seen(url, source, first_seen, last_checked) VALUES (?, ?, ?, ?) ON CONFLICT(url) DO NOTHING",
                (url, source, now, now),
            )
            fields = {**fields, "last_checked": fields.get("last_checked") or now}
            sets = ", ".join(f"{name}=?" for name in fields)
            self.conn.execute(f"UPDATE seen SET {sets} WHERE url=?", (*fields.values(), url))

    def enqueue(self, source: str, items: Iterable[tuple[str, dict]], via: str = "") -> int:
        """Queue URLs for processing (already queued ones are left as they are). Returns how many were new."""
        now = utc_now()
        added = 0
        with self.transaction():
            for url, hint in items:
                cur = self.conn.execute(
                    "INSERT OR IGNORE INTO pending(url, source, via, hint_json, queued_at) VALUES (?, ?, ?, ?, ?)",
                    (url, source, via, json.dumps(hint or {}, ensure_ascii=False), now),
                )
                added += cur.rowcount
        return added

    def pending(self, source: str | None = None) -> list[dict]:
        sql, args = "SELECT url, source, via, hint_json, queued_at FROM pending", ()
        if source is not None:
            sql, args = sql + " WHERE source=?", (source,)
        rows = self.conn.execute(sql + " ORDER BY queued_at, rowid", args).fetchall()
        return [{**dict(r), "hint": json.loads(r["hint_json"] or "{}")} for r in rows]

    def dequeue(self, url: str) -> None:
        """Done with ``url``: off the queue, and its lease (PostgreSQL) given back in the same transaction."""
        with self.transaction():
            self.conn.execute("DELETE FROM pending WHERE url=?", (url,))
            if self.engine == "postgresql":
                self.conn.execute("DELETE FROM leases WHERE key=?", (url,))

    # --- sharing the work (PostgreSQL: several ingest processes on one store) ---------------------------
    def clock(self) -> float:
        """Seconds since the epoch by the store's clock: the server's on PostgreSQL, so machines whose clocks
        disagree still agree on lease expiries and request start times."""
        if self.engine == "postgresql":
            return float(self.conn.execute("SELECT extract(epoch FROM clock_timestamp())").fetchone()[0])
        import time

        return time.time()

    # The lease and host-start statements below are single statements, atomic on their own row (PostgreSQL
    # locks the row an upsert touches), so they do not take the store's write lock: with it, every fetch's
    # three of them queued behind page transactions (2 processes: 1.31x one, store p50 28 -> 50 ms, fbff9a5).
    def take_lease(self, key: str, holder: str, seconds: float, queued: bool = False) -> bool:
        """Lease ``key`` to ``holder`` for ``seconds`` unless another holder's lease on it is still running
        (``holder``'s own is renewed). ``queued``: only while ``key`` (a URL) is still on the queue — a URL
        another process recorded meanwhile is not taken. Returns whether ``holder`` has it."""
        now = self.clock()
        cur = self.conn.execute(
            "INSERT INTO leases(key, holder, expires_at) SELECT ?, ?, ? WHERE ? OR EXISTS"
            " (SELECT 1 FROM pending WHERE url=?) ON CONFLICT(key) DO UPDATE"
            " SET holder=excluded.holder, expires_at=excluded.expires_at"
            " WHERE leases.expires_at < ? OR leases.holder = excluded.holder",
            (key, holder, now + seconds, not queued, key, now))
        if cur.rowcount > 0 and queued and not self.conn.execute("SELECT 1 FROM pending WHERE url=?", (key,)).fetchone():
            # Recorded elsewhere in the instant between: the upsert above waited for that recording's
            # transaction (it deletes the lease row) and then inserted, its EXISTS read from before the commit;
            # this second statement reads after it. Without it 4 of 3,000 pages were fetched twice at the end
            # of a run, 4 processes contending for the last URLs (bench_ingest.py, cd251c8).
            self.release_lease(key, holder)
            return False
        return cur.rowcount > 0

    def renew_leases(self, holder: str, seconds: float) -> int:
        """Every lease ``holder`` has runs ``seconds`` from now again (a live process keeps its work)."""
        return self.conn.execute("UPDATE leases SET expires_at=? WHERE holder=?",
                                 (self.clock() + seconds, holder)).rowcount

    def release_lease(self, key: str, holder: str) -> None:
        self.conn.execute("DELETE FROM leases WHERE key=? AND holder=?", (key, holder))

    def leases_elsewhere(self, holder: str) -> int:
        """Queued URLs another holder's running lease covers (work in hand elsewhere)."""
        return self.conn.execute(
            "SELECT COUNT(*) FROM leases l JOIN pending p ON p.url = l.key WHERE l.holder != ? AND l.expires_at >= ?",
            (holder, self.clock())).fetchone()[0]

    def claim_start(self, host: str, hold: float) -> tuple[float, float | None]:
        """Start a request to ``host`` now if its next start has come and the server's ``Retry-After`` (see
        :meth:`hold_host`) does not hold it: returns ``(0, token)``, the host then held ``hold`` seconds —
        until the claimant says its request is on the wire (:meth:`start_sent`), or died. Otherwise
        ``(seconds left, None)``. Why not record the start now: a claimant sends a little later than it
        claims (later under load), and the next claimant, counting the delay from the claim, then arrived
        too soon after it — 0.459 s apart at the servers with a 0.5 s delay (bench_ingest.py, 4 processes,
        6c3050b)."""
        now = self.clock()
        token = now + max(0.0, hold)
        claimed = self.conn.execute(
            "INSERT INTO host_starts(host, next_start) SELECT ?, ? WHERE NOT EXISTS"
            " (SELECT 1 FROM host_starts WHERE host=? AND next_start > ?) ON CONFLICT(host) DO UPDATE"
            " SET next_start=excluded.next_start WHERE host_starts.next_start <= ?",
            (host, token, _held(host), now, now)).rowcount
        if claimed:
            return 0.0, token
        row = self.conn.execute("SELECT MAX(next_start) FROM host_starts WHERE host IN (?, ?)",
                                (host, _held(host))).fetchone()
        return max(0.001, (row[0] if row and row[0] is not None else now) - now), None  # never 0 unclaimed

    def start_sent(self, host: str, token: float, gap: float) -> None:
        """The request claimed with ``token`` is on the wire: the next may start ``gap`` seconds from now (by
        the store's clock, read after the send, so no later request can be counted from before it). Only
        while the claim is still the host's (a claim outliving its hold was taken over: left as it is)."""
        self.conn.execute("UPDATE host_starts SET next_start=? WHERE host=? AND next_start=?",
                          (self.clock() + max(0.0, gap), host, token))

    def hold_host(self, host: str, seconds: float) -> None:
        """No request to ``host`` starts, by any process, for ``seconds`` (a server's ``Retry-After``); a
        longer hold already there stays. Kept in a row of its own, so a claim in flight does not erase it."""
        self.conn.execute(
            "INSERT INTO host_starts(host, next_start) VALUES (?, ?) ON CONFLICT(host) DO UPDATE"
            " SET next_start=excluded.next_start WHERE host_starts.next_start < excluded.next_start",
            (_held(host), self.clock() + max(0.0, seconds)))

    def get_checkpoint(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM checkpoints WHERE key=?", (key,)).fetchone()
        return row[0] if row else None

    def set_checkpoint(self, key: str, value: str) -> None:
        with self.transaction():
            self.conn.execute(
                "INSERT INTO checkpoints(key, value, updated_at) VALUES (?, ?, ?)"
                " ON CONFLICT(key) DO UPDATE SET value=excluded.value, updated_at=excluded.updated_at",
                (key, value, utc_now()),
            )

    def first_seen(self, urls: Iterable[str]) -> dict[str, str]:
        """When ingestion first saw each URL (from ``seen``)."""
        out = {}
        for url in set(u for u in urls if u):
            row = self.conn.execute("SELECT first_seen FROM seen WHERE url=?", (url,)).fetchone()
            if row is not None:
                out[url] = row[0]
        return out


def _held(host: str) -> str:
    """The ``host_starts`` row of a host's ``Retry-After`` hold (beside the host's own row of its next start)."""
    return f"{host} retry-after"
