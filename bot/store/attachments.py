"""Files patients attach to questions and doctors to answers, kept by Telegram's file id only:
the bytes never reach AskDoc's disk, and nothing here ever joins the bank."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

from bot.models import Attachment, FileKind, FileRef, OutgoingMessage
from bot.store.database import Change, Database, Reader, Row, Transaction
from bot.store.outbox import Outbox

_COLUMNS = "id, asked_id, kind, file_id, file_name, caption, created_at"


def _attachment(row: Row) -> Attachment:
    return Attachment(
        id=int(row["id"]),
        file=FileRef(
            kind=FileKind(row["kind"]),
            file_id=row["file_id"],
            file_name=row["file_name"],
            caption=row["caption"],
        ),
        asked_id=row["asked_id"],
        created_at=row["created_at"],
    )


def _since(seconds: float) -> tuple[str]:
    return (f"-{seconds:.3f} seconds",)


class Attachments:
    """Table `attachments`."""

    def __init__(self, database: Database, outbox: Outbox) -> None:
        self.database = database
        self.outbox = outbox
        # Patients with a file waiting for their question, asked about on every question
        # (None: not read yet); an erasure makes it read again.
        self._waiting: set[int] | None = None
        database.on_change(Change.PEOPLE, self._forget)
        database.on_change(Change.BANK, self._forget)

    def _forget(self) -> None:
        self._waiting = None

    async def _has_waiting(self, patient_id: int) -> bool:
        if self._waiting is None:
            rows = await self.database.rows(
                "SELECT DISTINCT patient_id FROM attachments WHERE asked_id IS NULL"
                " AND patient_id IS NOT NULL"
            )
            self._waiting = {int(row["patient_id"]) for row in rows}
        return patient_id in self._waiting

    async def insert(
        self,
        tx: Transaction,
        file: FileRef,
        *,
        asked_id: int | None = None,
        patient_id: int | None = None,
        doctor_id: int | None = None,
        detail_id: int | None = None,
        update_id: int | None = None,
    ) -> int | None:
        """Store a file inside `tx`: the new attachment's id; None when this update's file is
        stored already (Telegram delivered the update again)."""
        try:
            return await tx.insert(
                "INSERT INTO attachments (asked_id, patient_id, doctor_id, detail_id, kind,"
                " file_id, file_name, caption, update_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    asked_id,
                    patient_id,
                    doctor_id,
                    detail_id,
                    file.kind.value,
                    file.file_id,
                    file.file_name,
                    file.caption,
                    update_id,
                ),
            )
        except sqlite3.IntegrityError:
            if update_id is None:
                raise
            return None

    async def keep(
        self,
        file: FileRef,
        *,
        patient_id: int,
        update_id: int | None,
        asked_id: int | None = None,
        detail_id: int | None = None,
        messages: Sequence[OutgoingMessage] = (),
    ) -> int | None:
        """A patient's file: with a question (`asked_id`), with their reply to a request for
        details, or waiting for the question they will write (neither); the messages that
        report it go out with it. None, and nothing queued, for an update seen before."""
        async with self.database.transaction() as tx:
            attachment_id = await self.insert(
                tx,
                file,
                asked_id=asked_id,
                patient_id=patient_id,
                detail_id=detail_id,
                update_id=update_id,
            )
            if attachment_id is not None:
                await self.outbox.enqueue(tx, messages)
        if attachment_id is not None and asked_id is None and self._waiting is not None:
            self._waiting.add(patient_id)
        return attachment_id

    async def of_question(
        self, asked_id: int, reader: Reader | None = None
    ) -> tuple[Attachment, ...]:
        """The patient's files with a question (not those of their replies to doctors)."""
        rows = await (reader or self.database).rows(
            f"SELECT {_COLUMNS} FROM attachments WHERE asked_id = ? AND doctor_id IS NULL"
            " AND detail_id IS NULL ORDER BY id",
            (asked_id,),
        )
        return tuple(_attachment(row) for row in rows)

    async def count_of_question(self, asked_id: int) -> int:
        return await self.database.scalar(
            "SELECT count(*) FROM attachments WHERE asked_id = ? AND doctor_id IS NULL"
            " AND detail_id IS NULL",
            (asked_id,),
        )

    async def waiting(self, patient_id: int, within_seconds: float) -> tuple[Attachment, ...]:
        """A patient's files sent in the last `within_seconds` that wait for their question."""
        rows = await self.database.rows(
            f"SELECT {_COLUMNS} FROM attachments WHERE patient_id = ? AND asked_id IS NULL"
            " AND detail_id IS NULL AND created_at >= strftime('%Y-%m-%dT%H:%M:%fZ', 'now', ?)"
            " ORDER BY id",
            (patient_id, *_since(within_seconds)),
        )
        return tuple(_attachment(row) for row in rows)

    async def claim_waiting(
        self, patient_id: int, asked_id: int, within_seconds: float
    ) -> tuple[Attachment, ...]:
        """The files waiting for the patient's question go with `asked_id`; older ones that
        waited in vain are dropped. Asked on every question: nothing is read or written when
        no file waits."""
        if not await self._has_waiting(patient_id):
            return ()
        rows = await self.database.rows(
            f"SELECT {_COLUMNS}, created_at >= strftime('%Y-%m-%dT%H:%M:%fZ', 'now', ?) AS fresh"
            " FROM attachments WHERE patient_id = ? AND asked_id IS NULL AND detail_id IS NULL"
            " ORDER BY id",
            (*_since(within_seconds), patient_id),
        )
        if self._waiting is not None:
            self._waiting.discard(patient_id)
        if not rows:
            return ()
        fresh = [_attachment(row) for row in rows if row["fresh"]]
        async with self.database.transaction() as tx:
            for attachment in fresh:
                await tx.execute(
                    "UPDATE attachments SET asked_id = ? WHERE id = ? AND asked_id IS NULL",
                    (asked_id, attachment.id),
                )
            await tx.execute(
                "DELETE FROM attachments WHERE patient_id = ? AND asked_id IS NULL"
                " AND detail_id IS NULL",
                (patient_id,),
            )
        return tuple(Attachment(a.id, a.file, asked_id, a.created_at) for a in fresh)

    async def join(
        self, attachment_id: int, asked_id: int, messages: Sequence[OutgoingMessage]
    ) -> bool:
        """A waiting file joins a question (the patient said so), with the messages that
        report it; False when it was placed already (a second press)."""
        async with self.database.transaction() as tx:
            changed = await tx.execute(
                "UPDATE attachments SET asked_id = ? WHERE id = ? AND asked_id IS NULL",
                (asked_id, attachment_id),
            )
            if changed:
                await self.outbox.enqueue(tx, messages)
            return changed > 0

    # --- a doctor's files with an answer ---------------------------------------------------------

    async def add_to_draft(self, doctor_id: int, asked_id: int, file: FileRef) -> int:
        async with self.database.transaction() as tx:
            attachment_id = await self.insert(tx, file, asked_id=asked_id, doctor_id=doctor_id)
            assert attachment_id is not None
            return attachment_id

    async def of_draft(self, doctor_id: int, asked_id: int) -> tuple[Attachment, ...]:
        rows = await self.database.rows(
            f"SELECT {_COLUMNS} FROM attachments WHERE doctor_id = ? AND asked_id = ?"
            " AND answer_id IS NULL ORDER BY id",
            (doctor_id, asked_id),
        )
        return tuple(_attachment(row) for row in rows)

    async def claim_for_answer(
        self, tx: Transaction, doctor_id: int, asked_id: int, answer_id: int
    ) -> tuple[Attachment, ...]:
        """The draft's files now belong to the answer it became."""
        rows = await tx.rows(
            f"UPDATE attachments SET answer_id = ? WHERE doctor_id = ? AND asked_id = ?"
            f" AND answer_id IS NULL RETURNING {_COLUMNS}",
            (answer_id, doctor_id, asked_id),
        )
        return tuple(sorted((_attachment(row) for row in rows), key=lambda a: a.id))

    async def drop_draft(self, tx: Transaction, doctor_id: int) -> None:
        """The draft is gone: so are the files attached to it."""
        await tx.execute(
            "DELETE FROM attachments WHERE doctor_id = ? AND answer_id IS NULL", (doctor_id,)
        )
