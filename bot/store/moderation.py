"""What admins decide about the bank besides the doctors' answers themselves: patients'
reports of an answer, and the public question an admin is rewriting."""

from __future__ import annotations

from bot.models import Visibility
from bot.store.audit import Audit
from bot.store.bank import Bank
from bot.store.database import Database, Transaction


class Moderation:
    """Tables `reports` and `admin_edits`, and admins' changes to the bank with their audit."""

    def __init__(self, database: Database, bank: Bank, audit: Audit) -> None:
        self.database = database
        self.bank = bank
        self.audit = audit

    async def change_visibility(
        self,
        question_id: int,
        visibility: Visibility,
        allowed_from: frozenset[Visibility],
        actor: str,
        action: str,
        report_id: int | None = None,
    ) -> Visibility | None:
        """Move a bank question to `visibility` if it stands in `allowed_from` (and close the
        report that led here), with the audit line; returns where it stood (None: none such).
        """
        async with self.database.transaction() as tx:
            row = await tx.row("SELECT visibility FROM questions WHERE id = ?", (question_id,))
            if row is None:
                return None
            before = Visibility(row["visibility"])
            if before not in allowed_from:
                return before
            await self.bank.set_visibility(tx, question_id, visibility)
            if report_id is not None:
                await self.close_report(tx, report_id, "hidden")
            await self.audit.record(tx, actor, action, f"bank #{question_id}")
            return before

    async def delete(self, question_id: int, actor: str) -> bool:
        """Delete a bank question and its answers for good, with the audit line; what they
        said leaves the file too (an admin deletes what should never have been public)."""
        async with self.database.transaction() as tx:
            if await tx.row("SELECT 1 FROM questions WHERE id = ?", (question_id,)) is None:
                return False
            await self.bank.delete(tx, [question_id])
            await self.audit.record(tx, actor, "deleted", f"bank #{question_id}")
        await self.database.purge()
        return True

    async def rewrite(self, admin_id: int, question_id: int, text: str, actor: str) -> bool:
        """An admin's new public text for a question, with the audit line; the edit ends, and
        the old text leaves the file."""
        async with self.database.transaction() as tx:
            await self.stop_edit(admin_id, tx)
            if not await self.bank.set_title(tx, question_id, text):
                return False
            await self.audit.record(tx, actor, "edited the public question", f"bank #{question_id}")
        await self.database.purge()
        return True

    async def keep(self, report_id: int, actor: str) -> int | None:
        """An admin keeps a reported answer as it is; returns its bank question (None: the
        report was decided already)."""
        async with self.database.transaction() as tx:
            row = await tx.row(
                "SELECT question_id FROM reports WHERE id = ? AND state = 'open'", (report_id,)
            )
            if row is None:
                return None
            await self.close_report(tx, report_id, "kept")
            await self.audit.record(
                tx, actor, f"kept after report #{report_id}", f"bank #{row['question_id']}"
            )
            return int(row["question_id"])

    async def report(self, question_id: int) -> int | None:
        """A patient reported an answer under this bank question; None: no such question. Who
        reported it is not kept: admins judge the answer, not the patient."""
        if await self.database.row("SELECT 1 FROM questions WHERE id = ?", (question_id,)) is None:
            return None
        [row] = await self.database.write(
            "INSERT INTO reports (question_id) VALUES (?) RETURNING id", (question_id,)
        )
        return int(row["id"])

    async def report_question(self, report_id: int) -> int | None:
        """The bank question an open report is about (None: no such report, or decided)."""
        row = await self.database.row(
            "SELECT question_id FROM reports WHERE id = ? AND state = 'open'", (report_id,)
        )
        return int(row["question_id"]) if row else None

    async def close_report(self, tx: Transaction, report_id: int, state: str) -> bool:
        """Record an admin's decision (hidden or kept); False when it was decided already."""
        changed = await tx.execute(
            "UPDATE reports SET state = ? WHERE id = ? AND state = 'open'", (state, report_id)
        )
        return changed > 0

    async def open_reports(self) -> int:
        """Reports waiting for an admin."""
        return await self.database.scalar("SELECT count(*) FROM reports WHERE state = 'open'")

    async def start_edit(self, admin_id: int, question_id: int) -> None:
        """The admin's next message is the new public text of this question."""
        await self.database.write(
            "INSERT INTO admin_edits (admin_id, question_id) VALUES (?, ?)"
            " ON CONFLICT (admin_id) DO UPDATE SET question_id = excluded.question_id",
            (admin_id, question_id),
        )

    async def editing(self, admin_id: int) -> int | None:
        """The question whose public text the admin is rewriting, if any."""
        row = await self.database.row(
            "SELECT question_id FROM admin_edits WHERE admin_id = ?", (admin_id,)
        )
        return int(row["question_id"]) if row else None

    async def stop_edit(self, admin_id: int, tx: Transaction | None = None) -> None:
        """The admin is done (or gave up) rewriting."""
        statement = "DELETE FROM admin_edits WHERE admin_id = ?"
        if tx is None:
            await self.database.write(statement, (admin_id,))
        else:
            await tx.execute(statement, (admin_id,))
