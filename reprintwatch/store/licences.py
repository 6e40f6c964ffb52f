"""The licences part of the store: the licence records (who may reprint which outlet's articles, when and
how). The decisions live in ``reprintwatch.triage.licences``; this part only keeps the records. Mixed into
:class:`reprintwatch.store.Store`, which gives it ``conn`` and ``transaction``."""

from __future__ import annotations

from typing import Iterable, Sequence

from .records import Licence, utc_now


class LicencesPart:
    """Licences (table ``licences``), read back as :class:`Licence` records."""

    # --- licences ----------------------------------------------------------------------------------
    def add_licences(self, licences: Sequence[Licence]) -> list[Licence]:
        """Insert all or none; returns them with their ids."""
        now = utc_now()
        added = []
        with self.transaction():
            for lic in licences:
                cur = self.conn.execute(
                    "INSERT INTO licences (reprinter_kind, reprinter, outlet, valid_from, valid_until, scope, note,"
                    " created_at, timezone) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (lic.reprinter_kind, lic.reprinter, lic.outlet, lic.valid_from, lic.valid_until, lic.scope,
                     lic.note, now, lic.timezone or ""),
                )
                added.append(Licence(**{**lic.to_dict(), "id": cur.lastrowid, "created_at": now}))
        return added

    def licences(self) -> list[Licence]:
        """Every licence, by id."""
        return [Licence(**dict(r)) for r in self.conn.execute("SELECT * FROM licences ORDER BY id")]

    def get_licence(self, licence_id: int) -> Licence | None:
        row = self.conn.execute("SELECT * FROM licences WHERE id = ?", (licence_id,)).fetchone()
        return Licence(**dict(row)) if row else None

    def remove_licences(self, licence_ids: Iterable[int]) -> list[int]:
        """Delete licences; returns the ids that existed."""
        removed = []
        with self.transaction():
            for licence_id in licence_ids:
                if self.conn.execute("DELETE FROM licences WHERE id = ?", (int(licence_id),)).rowcount:
                    removed.append(int(licence_id))
        return removed
