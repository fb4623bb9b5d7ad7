"""A doctor's request for details of a question, and the patient's reply: kept with the
question, erased with it, never part of the bank."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass

from bot.models import FileRef, OutgoingMessage
from bot.store.database import Change, Database, Row
from bot.store.outbox import Outbox


@dataclass(frozen=True, slots=True)
class DetailRequest:
    """One doctor's question to the patient about question `asked_id`, and the reply."""

    id: int
    asked_id: int
    doctor_id: int
    state: str
    question: str | None
    reply: str | None
    asked_at: str | None = None
    replied_at: str | None = None


def _request(row: Row) -> DetailRequest:
    return DetailRequest(
        id=int(row["id"]),
        asked_id=int(row["asked_id"]),
        doctor_id=int(row["doctor_id"]),
        state=row["state"],
        question=row["question"],
        reply=row["reply"],
        asked_at=row["asked_at"],
        replied_at=row["replied_at"],
    )


class Details:
    """Table `detail_requests`."""

    def __init__(self, database: Database, outbox: Outbox) -> None:
        self.database = database
        self.outbox = outbox
        # Patients a doctor asked for details, or who replied in the last day (a redelivered
        # reply must not become a question): asked about on every message, so only they cost
        # a query. None: not read yet; an erasure makes it read again.
        self._patients: set[int] | None = None
        database.on_change(Change.PEOPLE, self._forget)
        database.on_change(Change.BANK, self._forget)

    def _forget(self) -> None:
        self._patients = None

    async def concerns(self, patient_id: int) -> bool:
        """Whether the patient may have a request to reply to, or a reply just taken."""
        if self._patients is None:
            rows = await self.database.rows(
                "SELECT DISTINCT q.patient_id FROM detail_requests r"
                " JOIN asked_questions q ON q.id = r.asked_id WHERE r.state = 'asked'"
                " OR (r.state = 'replied'"
                " AND r.replied_at >= strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-1 day'))"
            )
            self._patients = {int(row["patient_id"]) for row in rows}
        return patient_id in self._patients

    async def start(self, doctor_id: int, asked_id: int) -> int:
        """The doctor pressed Ask for details: the bot waits for their question (one at a
        time: a request still being written is dropped)."""
        async with self.database.transaction() as tx:
            await tx.execute(
                "UPDATE detail_requests SET state = 'dropped'"
                " WHERE doctor_id = ? AND state = 'writing'",
                (doctor_id,),
            )
            return await tx.insert(
                "INSERT INTO detail_requests (asked_id, doctor_id) VALUES (?, ?)",
                (asked_id, doctor_id),
            )

    async def writing(self, doctor_id: int) -> DetailRequest | None:
        """The request this doctor is writing, if any."""
        row = await self.database.row(
            "SELECT * FROM detail_requests WHERE doctor_id = ? AND state = 'writing'"
            " ORDER BY id DESC LIMIT 1",
            (doctor_id,),
        )
        return _request(row) if row else None

    async def drop_writing(self, doctor_id: int) -> bool:
        """/cancel while writing one: nothing goes to the patient."""
        changed = await self.database.write(
            "UPDATE detail_requests SET state = 'dropped' WHERE doctor_id = ?"
            " AND state = 'writing' RETURNING id",
            (doctor_id,),
        )
        return bool(changed)

    async def ask(
        self, request_id: int, question: str, messages: Sequence[OutgoingMessage]
    ) -> bool:
        """The doctor's question goes to the patient (with `messages`), once."""
        patient: Row | None = None
        async with self.database.transaction() as tx:
            changed = await tx.execute(
                "UPDATE detail_requests SET state = 'asked', question = ?,"
                " asked_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"
                " WHERE id = ? AND state = 'writing'",
                (question, request_id),
            )
            if changed:
                await self.outbox.enqueue(tx, messages)
                patient = await tx.row(
                    "SELECT q.patient_id FROM detail_requests r JOIN asked_questions q"
                    " ON q.id = r.asked_id WHERE r.id = ?",
                    (request_id,),
                )
        if patient is not None and self._patients is not None:
            self._patients.add(int(patient["patient_id"]))
        return changed > 0

    async def awaiting(self, patient_id: int, within_seconds: float) -> DetailRequest | None:
        """The latest request a patient has not replied to, asked in the last `within_seconds`
        about one of their questions still kept: their next message is the reply."""
        row = await self.database.row(
            "SELECT r.* FROM detail_requests r JOIN asked_questions q ON q.id = r.asked_id"
            " WHERE q.patient_id = ? AND q.text != '' AND r.state = 'asked'"
            " AND r.asked_at >= strftime('%Y-%m-%dT%H:%M:%fZ', 'now', ?)"
            " ORDER BY r.asked_at DESC LIMIT 1",
            (patient_id, f"-{within_seconds:.3f} seconds"),
        )
        return _request(row) if row else None

    async def replied_by(self, update_id: int) -> bool:
        """Whether this update was taken as a reply already (Telegram delivered it again)."""
        row = await self.database.row(
            "SELECT 1 FROM detail_requests WHERE reply_update_id = ?", (update_id,)
        )
        return row is not None

    async def reply(
        self,
        request_id: int,
        *,
        patient_id: int,
        update_id: int | None,
        text: str,
        files: Sequence[FileRef],
        messages: Sequence[OutgoingMessage],
    ) -> bool:
        """The patient's reply, its files and the messages that carry it to the doctor, in
        one step; False, and nothing queued, when the request had its reply already."""
        async with self.database.transaction() as tx:
            try:
                changed = await tx.execute(
                    "UPDATE detail_requests SET state = 'replied', reply = ?, reply_update_id = ?,"
                    " replied_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"
                    " WHERE id = ? AND state = 'asked'",
                    (text, update_id, request_id),
                )
            except sqlite3.IntegrityError:
                return False
            if not changed:
                return False
            row = await tx.row("SELECT asked_id FROM detail_requests WHERE id = ?", (request_id,))
            assert row is not None
            for file in files:
                await tx.execute(
                    "INSERT INTO attachments (asked_id, patient_id, detail_id, kind, file_id,"
                    " file_name, caption) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (
                        row["asked_id"],
                        patient_id,
                        request_id,
                        file.kind.value,
                        file.file_id,
                        file.file_name,
                        file.caption,
                    ),
                )
            await self.outbox.enqueue(tx, messages)
            return True

    async def of_question(self, asked_id: int) -> list[DetailRequest]:
        """Every request about a question that reached the patient, oldest first."""
        rows = await self.database.rows(
            "SELECT * FROM detail_requests WHERE asked_id = ? AND state IN ('asked', 'replied')"
            " ORDER BY id",
            (asked_id,),
        )
        return [_request(row) for row in rows]
