"""What is stored about a patient: the export they can ask for, the erasure they can ask for,
and the retention limit that erases the same way on its own."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from bot.models import OutgoingMessage
from bot.store.audit import Audit
from bot.store.bank import PATIENT_KEY_PREFIX, Bank
from bot.store.database import Change, Database, Transaction, chunks, placeholders
from bot.store.outbox import Outbox

# asked_questions.patient_id (and chat_id) of a question whose patient was erased: no Telegram
# id is 0, so the row stays counted in /stats and can never be anyone's again.
ERASED_PATIENT = 0


@dataclass(frozen=True, slots=True)
class DoctorCopy:
    """A patient's question as a doctor received it: the delivered message to delete (or,
    past Telegram's 48 hours, to overwrite)."""

    chat_id: int
    outbox_id: int


# Builds the outbox message that deletes or overwrites a doctor's copy.
CopyMessage = Callable[[DoctorCopy], OutgoingMessage]


@dataclass(frozen=True, slots=True)
class Erased:
    """What an erasure removed."""

    patients: int = 0
    questions: int = 0
    ratings: int = 0
    doctor_copies: int = 0
    private_answers: int = 0
    # Whether the WAL was emptied at once (another connection reading can delay it).
    purged: bool = True


@dataclass(frozen=True, slots=True)
class Expired:
    """What the retention job removed."""

    erased: Erased
    question_texts: int
    delivered_messages: int


def _cutoff(days: float) -> str:
    moment = datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=days)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


class Privacy:
    """Reads and erases across `asked_questions`, `patients`, `ratings`, `offers`, `drafts`,
    `outbox` and the patients' unpublished bank questions."""

    def __init__(self, database: Database, bank: Bank, outbox: Outbox, audit: Audit) -> None:
        self.database = database
        self.bank = bank
        self.outbox = outbox
        self.audit = audit

    async def export(self, patient_id: int) -> dict[str, Any]:
        """Everything stored about a patient, as JSON-ready data."""
        label = await self.database.row(
            "SELECT label, created_at FROM patients WHERE telegram_id = ?", (patient_id,)
        )
        questions = []
        for asked in await self.database.rows(
            "SELECT q.id, q.text, q.status, q.private, q.created_at, q.routed_at,"
            " m.id AS matched_id, m.title AS matched_title, b.title AS public_title,"
            " b.visibility FROM asked_questions q"
            " LEFT JOIN questions m ON m.id = q.matched_question_id"
            " LEFT JOIN questions b ON b.bank_key = ? || q.id"
            " WHERE q.patient_id = ? ORDER BY q.id",
            (PATIENT_KEY_PREFIX, patient_id),
        ):
            answers = [
                {
                    "doctor": row["name"] or row["title"],
                    "doctor_title": row["title"],
                    "answered_at": row["created_at"],
                    "updated_at": row["updated_at"],
                    "text": row["body"],
                    "your_rating": row["stars"],
                }
                for row in await self.database.rows(
                    "SELECT a.body, a.created_at, a.updated_at, d.name, d.title, r.stars"
                    " FROM answers a LEFT JOIN doctors d ON d.id = a.doctor_id"
                    " LEFT JOIN ratings r ON r.answer_id = a.id AND r.patient_id = ?"
                    " WHERE a.asked_id = ? ORDER BY a.id",
                    (patient_id, asked["id"]),
                )
            ]
            questions.append(
                {
                    "reference": asked["id"],
                    "asked_at": asked["created_at"],
                    "text": asked["text"],
                    "status": asked["status"],
                    "sent_to_doctors_at": asked["routed_at"],
                    "kept_private": bool(asked["private"]),
                    "bank_answer_shown": (
                        {"reference": asked["matched_id"], "question": asked["matched_title"]}
                        if asked["matched_id"] is not None
                        else None
                    ),
                    "public_question": (
                        {"text": asked["public_title"], "status": asked["visibility"]}
                        if asked["public_title"] is not None
                        else None
                    ),
                    "doctors_answers": answers,
                    "files": [
                        {
                            "kind": row["kind"],
                            "name": row["file_name"],
                            "caption": row["caption"],
                            "sent_at": row["created_at"],
                            "from": "doctor" if row["doctor_id"] is not None else "you",
                        }
                        for row in await self.database.rows(
                            "SELECT kind, file_name, caption, created_at, doctor_id"
                            " FROM attachments WHERE asked_id = ? ORDER BY id",
                            (asked["id"],),
                        )
                    ],
                    "doctors_requests_for_details": [
                        {
                            "doctor": row["name"] or row["title"],
                            "asked_at": row["asked_at"],
                            "question": row["question"],
                            "your_reply": row["reply"],
                            "replied_at": row["replied_at"],
                        }
                        for row in await self.database.rows(
                            "SELECT r.question, r.reply, r.asked_at, r.replied_at, d.name,"
                            " d.title FROM detail_requests r JOIN doctors d ON d.id = r.doctor_id"
                            " WHERE r.asked_id = ? AND r.state IN ('asked', 'replied')"
                            " ORDER BY r.id",
                            (asked["id"],),
                        )
                    ],
                }
            )
        blocked = await self.database.row(
            "SELECT blocked_at FROM blocked_patients WHERE telegram_id = ?", (patient_id,)
        )
        exported: dict[str, Any] = {
            "label_doctors_see": label["label"] if label else None,
            "first_seen": label["created_at"] if label else None,
            "questions": questions,
        }
        waiting = await self.database.rows(
            "SELECT kind, file_name, created_at FROM attachments WHERE patient_id = ?"
            " AND asked_id IS NULL ORDER BY id",
            (patient_id,),
        )
        if waiting:
            exported["files_waiting_for_a_question"] = [
                {"kind": row["kind"], "name": row["file_name"], "sent_at": row["created_at"]}
                for row in waiting
            ]
        if blocked is not None:
            exported["blocked_by_an_admin_at"] = blocked["blocked_at"]
        preference = await self.database.row(
            "SELECT language, language_chosen, country FROM preferences WHERE telegram_id = ?",
            (patient_id,),
        )
        if preference is not None:
            exported["language"] = preference["language"]
            exported["language_chosen_by_you"] = bool(preference["language_chosen"])
            exported["country_for_emergency_numbers"] = preference["country"]
        return exported

    async def erase_patient(self, patient_id: int, copy_message: CopyMessage) -> Erased:
        """Erase everything that identifies a patient (see _erase_patients), then purge."""
        async with self.database.transaction() as tx:
            erased = await self._erase_patients(tx, [patient_id], copy_message)
            await self.audit.record(
                tx, "a patient", "erased their data", f"{erased.questions} questions"
            )
        return replace(erased, purged=await self.database.purge())

    async def expire(self, days: float, copy_message: CopyMessage) -> Expired:
        """The retention limit: erase patients with no activity for `days`, the text of older
        questions, and delivered messages older than that; then purge."""
        cutoff = _cutoff(days)
        async with self.database.transaction() as tx:
            inactive = [
                int(row["patient_id"])
                for row in await tx.rows(
                    "SELECT patient_id FROM asked_questions WHERE patient_id != ?"
                    " GROUP BY patient_id HAVING max(created_at) < ?"
                    " UNION SELECT telegram_id FROM patients p WHERE created_at < ?"
                    " AND NOT EXISTS (SELECT 1 FROM asked_questions q"
                    " WHERE q.patient_id = p.telegram_id AND q.created_at >= ?)",
                    (ERASED_PATIENT, cutoff, cutoff, cutoff),
                )
            ]
            erased = await self._erase_patients(tx, inactive, copy_message)
            old = [
                int(row["id"])
                for row in await tx.rows(
                    "SELECT id FROM asked_questions WHERE created_at < ? AND text != ''",
                    (cutoff,),
                )
            ]
            await self._erase_questions(tx, old, copy_message)
            # Files that waited in vain for the question they were sent for.
            await tx.execute(
                "DELETE FROM attachments WHERE asked_id IS NULL AND created_at < ?", (cutoff,)
            )
            delivered = await self._forget_delivered(tx, cutoff)
            await self.audit.record(
                tx,
                "retention",
                "erased",
                f"{erased.patients} inactive patients, {len(old)} question texts,"
                f" {delivered} delivered messages",
            )
        purged = await self.database.purge()
        return Expired(
            erased=replace(erased, purged=purged),
            question_texts=len(old),
            delivered_messages=delivered,
        )

    async def _erase_patients(
        self, tx: Transaction, patient_ids: Sequence[int], copy_message: CopyMessage
    ) -> Erased:
        """Their questions' text and every copy of it we can reach, their unpublished bank
        questions with the answers written to them alone, their pending messages, their
        ratings' link to them (the doctors' totals stay as rated), their label and follow-up.
        Published, de-identified Q&As stay: they identify no one."""
        if not patient_ids:
            return Erased()
        asked: list[int] = []
        chats: set[int] = set()
        ratings = 0
        for batch in chunks(patient_ids):
            marks = placeholders(len(batch))
            for row in await tx.rows(
                f"SELECT id, chat_id FROM asked_questions WHERE patient_id IN ({marks})", batch
            ):
                asked.append(int(row["id"]))
                chats.add(int(row["chat_id"]))
            ratings += await tx.execute(f"DELETE FROM ratings WHERE patient_id IN ({marks})", batch)
            await tx.execute(f"DELETE FROM patients WHERE telegram_id IN ({marks})", batch)
            await tx.execute(f"DELETE FROM preferences WHERE telegram_id IN ({marks})", batch)
            # Files still waiting for the question they were sent for.
            await tx.execute(f"DELETE FROM attachments WHERE patient_id IN ({marks})", batch)
        copies, private_answers = await self._erase_questions(tx, asked, copy_message)
        for batch in chunks(sorted(chats)):
            await self._drop_pending(
                tx,
                f"SELECT id FROM outbox WHERE status = 'pending'"
                f" AND chat_id IN ({placeholders(len(batch))})",
                batch,
            )
        for batch in chunks(patient_ids):
            await tx.execute(
                "UPDATE asked_questions SET patient_id = ?, chat_id = ?"
                f" WHERE patient_id IN ({placeholders(len(batch))})",
                (ERASED_PATIENT, ERASED_PATIENT, *batch),
            )
        # The follow-up cache holds patients' pending follow-ups; the languages cache theirs.
        tx.changed(Change.BANK, Change.PEOPLE)
        return Erased(
            patients=len(patient_ids),
            questions=len(asked),
            ratings=ratings,
            doctor_copies=copies,
            private_answers=private_answers,
        )

    async def _erase_questions(
        self, tx: Transaction, asked_ids: Sequence[int], copy_message: CopyMessage
    ) -> tuple[int, int]:
        """Blank these questions' text, delete or overwrite the doctors' copies, drop the
        offers and drafts, and delete their unpublished bank questions. Returns the doctors'
        copies and the private answers removed."""
        copies = private_answers = 0
        for batch in chunks(asked_ids):
            marks = placeholders(len(batch))
            # Offers, previews: every message that quoted the question to a doctor.
            offered = await tx.rows(
                "SELECT id, chat_id, status, sent_message_id FROM outbox"
                f" WHERE about_asked IN ({marks}) AND edit_of IS NULL",
                batch,
            )
            await tx.execute(f"DELETE FROM offers WHERE asked_id IN ({marks})", batch)
            await tx.execute(f"DELETE FROM drafts WHERE asked_id IN ({marks})", batch)
            # The files sent with them and the exchanges with doctors about them.
            await tx.execute(f"DELETE FROM attachments WHERE asked_id IN ({marks})", batch)
            await tx.execute(f"DELETE FROM detail_requests WHERE asked_id IN ({marks})", batch)
            offer_ids = [int(row["id"]) for row in offered]
            # Not yet delivered: the offer (and any edit of it) simply never goes.
            await self._drop_pending(
                tx,
                "SELECT id FROM outbox WHERE status = 'pending'"
                f" AND (id IN ({placeholders(len(offer_ids))})"
                f" OR edit_of IN ({placeholders(len(offer_ids))}))",
                [*offer_ids, *offer_ids],
            )
            delivered = [
                DoctorCopy(chat_id=int(row["chat_id"]), outbox_id=int(row["id"]))
                for row in offered
                if row["status"] == "sent" and row["sent_message_id"] is not None
            ]
            await self.outbox.enqueue(
                tx,
                [
                    replace(copy_message(copy), edit_of=copy.outbox_id, delete_first=True)
                    for copy in delivered
                ],
            )
            copies += len(delivered)
            unpublished = [
                int(row["id"])
                for row in await tx.rows(
                    "SELECT id FROM questions WHERE visibility != 'published' AND bank_key IN"
                    f" ({marks})",
                    [f"{PATIENT_KEY_PREFIX}{asked_id}" for asked_id in batch],
                )
            ]
            if unpublished:
                private_answers += await tx.scalar(
                    "SELECT count(*) FROM answers WHERE question_id IN"
                    f" ({placeholders(len(unpublished))})",
                    unpublished,
                )
                await self.bank.delete(tx, unpublished)
            await tx.execute(
                "UPDATE asked_questions SET text = '', update_id = NULL, replied = 1,"
                f" private = 1 WHERE id IN ({marks})",
                batch,
            )
        return copies, private_answers

    async def _drop_pending(self, tx: Transaction, select: str, params: Sequence[object]) -> None:
        """Delete the pending outbox messages `select` finds, with pending edits of them."""
        doomed = [int(row["id"]) for row in await tx.rows(select, params)]
        for batch in chunks(doomed):
            marks = placeholders(len(batch))
            await tx.execute(
                f"UPDATE offers SET outbox_id = NULL WHERE outbox_id IN ({marks})", batch
            )
            await tx.execute(
                f"DELETE FROM outbox WHERE status = 'pending' AND edit_of IN ({marks})", batch
            )
            await tx.execute(f"DELETE FROM outbox WHERE id IN ({marks})", batch)

    async def _forget_delivered(self, tx: Transaction, cutoff: str) -> int:
        """Delete delivered (or abandoned) messages older than `cutoff` that nothing pending
        still refers to."""
        doomed = [
            int(row["id"])
            for row in await tx.rows(
                "SELECT id FROM outbox WHERE status != 'pending' AND created_at < ?"
                " AND id NOT IN (SELECT edit_of FROM outbox WHERE edit_of IS NOT NULL)",
                (cutoff,),
            )
        ]
        for batch in chunks(doomed):
            marks = placeholders(len(batch))
            await tx.execute(
                f"UPDATE offers SET outbox_id = NULL WHERE outbox_id IN ({marks})", batch
            )
            await tx.execute(f"DELETE FROM outbox WHERE id IN ({marks})", batch)
        return len(doomed)
