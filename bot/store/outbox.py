"""The outbox: every message the bot owes someone, written in the same transaction as the
change it reports, kept until Telegram has it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from bot.models import FileKind, FileRef, OutboxMessage, OutgoingMessage
from bot.store.database import Database, Row, Transaction


class OutboxStatus(StrEnum):
    """Where an outbox message stands."""

    PENDING = "pending"
    SENT = "sent"
    UNDELIVERABLE = "undeliverable"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class Delivery:
    """Whether a message has reached Telegram, and its message id there if so (with the
    ids of the parts before it, for a message split in several)."""

    status: OutboxStatus
    message_id: int | None
    earlier_parts: tuple[int, ...] = ()


def _message(row: Row) -> OutboxMessage:
    return OutboxMessage(
        id=int(row["id"]),
        chat_id=int(row["chat_id"]),
        body_html=row["body_html"],
        markup_json=row["markup_json"],
        edit_of=row["edit_of"],
        edit_message_id=row["edit_message_id"],
        attempts=int(row["attempts"]),
        next_attempt_at=float(row["next_attempt_at"]),
        delete_first=bool(row["delete_first"]),
        file=(
            FileRef(FileKind(row["file_kind"]), row["file_id"])
            if row["file_kind"] and row["file_id"]
            else None
        ),
        protect=bool(row["protect"]),
    )


class Outbox:
    """Table `outbox`."""

    def __init__(self, database: Database) -> None:
        self.database = database

    async def enqueue(self, tx: Transaction, messages: Sequence[OutgoingMessage]) -> list[int]:
        """Queue messages inside a transaction; returns their outbox ids."""
        ids = []
        for message in messages:
            ids.append(
                await tx.insert(
                    "INSERT INTO outbox (chat_id, body_html, markup_json, edit_of,"
                    " edit_message_id, delete_first, about_asked, file_kind, file_id, protect)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        message.chat_id,
                        message.body_html,
                        message.markup_json,
                        message.edit_of,
                        message.edit_message_id,
                        message.delete_first,
                        message.about_asked,
                        message.file.kind.value if message.file else None,
                        message.file.file_id if message.file else None,
                        message.protect,
                    ),
                )
            )
        return ids

    async def post(self, messages: Sequence[OutgoingMessage]) -> list[int]:
        """Queue messages that report no other change; returns their outbox ids."""
        async with self.database.transaction() as tx:
            return await self.enqueue(tx, messages)

    async def due(self, per_chat: int = 10, limit: int = 1000) -> list[OutboxMessage]:
        """Undelivered messages, oldest first (per-chat order is delivery order): at most
        `per_chat` of each chat, so one chat's backlog (a doctor offered hundreds of questions)
        cannot hide another chat's first reply."""
        rows = await self.database.rows(
            "SELECT id, chat_id, body_html, markup_json, edit_of, edit_message_id, attempts,"
            " next_attempt_at, delete_first, file_kind, file_id, protect FROM (SELECT *,"
            " row_number() OVER (PARTITION BY chat_id ORDER BY id) AS place FROM outbox"
            " WHERE status = 'pending')"
            " WHERE place <= ? ORDER BY id LIMIT ?",
            (per_chat, limit),
        )
        return [_message(row) for row in rows]

    async def delivery(self, outbox_id: int) -> Delivery:
        """Whether a message was delivered, and as which Telegram message (what an edit of it
        needs)."""
        row = await self.database.row(
            "SELECT status, sent_message_id, earlier_part_ids FROM outbox WHERE id = ?",
            (outbox_id,),
        )
        if row is None:
            return Delivery(OutboxStatus.FAILED, None)
        earlier = tuple(int(part) for part in (row["earlier_part_ids"] or "").split())
        return Delivery(OutboxStatus(row["status"]), row["sent_message_id"], earlier)

    # Once a message has left, its text is of no more use here, and it may be what a patient
    # wrote: only the Telegram message id (what an edit or a deletion needs) is kept.
    async def delivered(self, outbox_id: int, message_ids: Sequence[int]) -> None:
        """Telegram has the message, as these messages (one per part, the last last): keep
        their ids, forget the text."""
        last = message_ids[-1] if message_ids else None
        earlier = " ".join(str(part) for part in message_ids[:-1]) or None
        await self.database.write(
            "UPDATE outbox SET status = 'sent', sent_message_id = ?, earlier_part_ids = ?,"
            " attempts = attempts + 1, body_html = '', markup_json = NULL, file_id = NULL,"
            " sent_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?",
            (last, earlier, outbox_id),
        )

    async def retry_later(self, outbox_id: int, at: float, error: str) -> None:
        """Telegram refused for now: try again at `at` (a time.time() value)."""
        await self.database.write(
            "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?, last_error = ?"
            " WHERE id = ?",
            (at, error, outbox_id),
        )

    async def give_up(self, outbox_id: int, status: OutboxStatus, error: str) -> None:
        """Stop trying: undeliverable (the user blocked us) or failed (Telegram said no); the
        text is forgotten as for a delivered message."""
        await self.database.write(
            "UPDATE outbox SET status = ?, attempts = attempts + 1, last_error = ?,"
            " body_html = '', markup_json = NULL, file_id = NULL WHERE id = ?",
            (status.value, error, outbox_id),
        )

    async def counts(self) -> dict[OutboxStatus, int]:
        """How many outbox messages are in each status."""
        return {
            OutboxStatus(row["status"]): int(row["count"])
            for row in await self.database.rows(
                "SELECT status, count(*) AS count FROM outbox GROUP BY status"
            )
        }
