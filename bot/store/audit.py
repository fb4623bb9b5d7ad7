"""The audit trail: who published, edited, hid, reviewed or erased what, and when. It names
people by role and reference (doctor #3, admin 12345, a patient) and things by reference
(bank #12, answer #40), never by what anyone wrote."""

from __future__ import annotations

from dataclasses import dataclass

from bot.store.database import Database, Transaction


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One line of the trail."""

    at: str
    actor: str
    action: str
    target: str


class Audit:
    """Table `audit`."""

    def __init__(self, database: Database) -> None:
        self.database = database

    async def record(self, tx: Transaction, actor: str, action: str, target: str) -> None:
        """Add a line, inside the transaction that made the change it records."""
        await tx.execute(
            "INSERT INTO audit (actor, action, target) VALUES (?, ?, ?)", (actor, action, target)
        )

    async def latest(self, limit: int = 20) -> list[AuditEntry]:
        """The newest lines, newest first."""
        return [
            AuditEntry(at=row["at"], actor=row["actor"], action=row["action"], target=row["target"])
            for row in await self.database.rows(
                "SELECT at, actor, action, target FROM audit ORDER BY id DESC LIMIT ?", (limit,)
            )
        ]
