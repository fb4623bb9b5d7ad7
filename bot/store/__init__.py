"""AskDoc's storage: one module per aggregate, each owning its tables, caches and SQL, over one
SQLite connection (bot.store.database). Nothing here imports Telegram, the matcher or flows."""

from __future__ import annotations

from pathlib import Path

from bot.store.attachments import Attachments
from bot.store.audit import Audit, AuditEntry
from bot.store.bank import Bank, ImportStats
from bot.store.blocks import Blocks
from bot.store.consultations import AnswerSummary, Consultations, DoctorAnswer, Recorded
from bot.store.database import Database, Transaction
from bot.store.details import DetailRequest, Details
from bot.store.doctors import Doctors
from bot.store.moderation import Moderation
from bot.store.outbox import Delivery, Outbox, OutboxStatus
from bot.store.preferences import Preference, Preferences
from bot.store.privacy import DoctorCopy, Erased, Expired, Privacy
from bot.store.search import Search
from bot.store.stats import Statistics, Stats
from bot.store.vectors import MULTILINGUAL_TABLE, LoadedVectors, Vectors

__all__ = [
    "AnswerSummary",
    "Attachments",
    "Audit",
    "AuditEntry",
    "Bank",
    "Blocks",
    "Consultations",
    "Database",
    "Delivery",
    "DetailRequest",
    "Details",
    "DoctorAnswer",
    "DoctorCopy",
    "Doctors",
    "Erased",
    "Expired",
    "ImportStats",
    "LoadedVectors",
    "Moderation",
    "Outbox",
    "OutboxStatus",
    "Preference",
    "Preferences",
    "Privacy",
    "Recorded",
    "Search",
    "Statistics",
    "Stats",
    "Store",
    "Transaction",
    "Vectors",
]


class Store:
    """Every aggregate over one database."""

    def __init__(self, database: Database) -> None:
        self.database = database
        self.search = Search(database)
        self.doctors = Doctors(database)
        self.outbox = Outbox(database)
        self.bank = Bank(database, self.search, self.doctors)
        self.vectors = Vectors(database)
        self.multilingual_vectors = Vectors(database, MULTILINGUAL_TABLE)
        self.audit = Audit(database)
        self.attachments = Attachments(database, self.outbox)
        self.details = Details(database, self.outbox)
        self.consultations = Consultations(
            database, self.bank, self.doctors, self.outbox, self.audit, self.attachments
        )
        self.moderation = Moderation(database, self.bank, self.audit)
        self.privacy = Privacy(database, self.bank, self.outbox, self.audit)
        self.blocks = Blocks(database, self.audit)
        self.stats = Stats(database)
        self.preferences = Preferences(database)

    @classmethod
    async def open(cls, path: Path | str) -> Store:
        """Open (creating and migrating) the database file."""
        return cls(await Database.open(path))

    async def close(self) -> None:
        """Close the database."""
        await self.database.close()
