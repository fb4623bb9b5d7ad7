"""Patients an admin blocked: their messages are neither routed nor kept."""

from __future__ import annotations

from bot.store.audit import Audit
from bot.store.database import Change, Database


class Blocks:
    """Table `blocked_patients`; the ids are kept in memory (asked about on every message)."""

    def __init__(self, database: Database, audit: Audit) -> None:
        self.database = database
        self.audit = audit
        self._blocked: set[int] | None = None
        database.on_change(Change.PEOPLE, self._forget)

    def _forget(self) -> None:
        self._blocked = None

    async def is_blocked(self, telegram_id: int) -> bool:
        """Whether an admin blocked this patient."""
        if self._blocked is None:
            rows = await self.database.rows("SELECT telegram_id FROM blocked_patients")
            self._blocked = {int(row["telegram_id"]) for row in rows}
        return telegram_id in self._blocked

    async def tell_once(self, telegram_id: int) -> bool:
        """True the first time a blocked patient writes: they are told, once."""
        told = await self.database.write(
            "UPDATE blocked_patients SET told = 1 WHERE telegram_id = ? AND told = 0"
            " RETURNING telegram_id",
            (telegram_id,),
        )
        return bool(told)

    async def patient_of(self, asked_id: int) -> int | None:
        """The patient who asked question `asked_id` (None: no such question, or erased)."""
        row = await self.database.row(
            "SELECT patient_id FROM asked_questions WHERE id = ? AND patient_id != 0", (asked_id,)
        )
        return int(row["patient_id"]) if row else None

    async def block(self, asked_id: int, actor: str) -> bool | None:
        """Block the patient of a question; False: blocked already; None: no such patient."""
        return await self._change(
            asked_id,
            actor,
            "blocked",
            "INSERT INTO blocked_patients (telegram_id) VALUES (?) ON CONFLICT DO NOTHING",
        )

    async def unblock(self, asked_id: int, actor: str) -> bool | None:
        """Unblock the patient of a question; False: not blocked; None: no such patient."""
        return await self._change(
            asked_id, actor, "unblocked", "DELETE FROM blocked_patients WHERE telegram_id = ?"
        )

    async def _change(self, asked_id: int, actor: str, action: str, statement: str) -> bool | None:
        patient = await self.patient_of(asked_id)
        if patient is None:
            return None
        async with self.database.transaction() as tx:
            tx.changed(Change.PEOPLE)
            changed = await tx.execute(statement, (patient,))
            if changed:
                await self.audit.record(tx, actor, action, f"the patient of question #{asked_id}")
            return changed > 0
