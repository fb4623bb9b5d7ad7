"""Consultations: the questions patients send, the doctors they are offered to, the answers
being written (drafts), published and revised, the patients' ratings and follow-ups, and the
anonymous labels doctors know patients by."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bot.models import (
    AskedQuestion,
    AskedStatus,
    ClosedOffer,
    Draft,
    FileRef,
    Offer,
    OutgoingMessage,
    PublishedAnswer,
    StoredAnswer,
    Visibility,
)
from bot.store.attachments import Attachments
from bot.store.audit import Audit
from bot.store.bank import PATIENT_KEY_PREFIX, Bank
from bot.store.database import Change, Database, Reader, Row, Transaction
from bot.store.doctors import Doctors
from bot.store.outbox import Outbox

_LABEL_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"

# Which questions a doctor may take: sent to doctors, not erased (by the patient or the
# retention limit), still short of answers, not skipped or answered by them; a follow-up only
# for the doctor it was meant for.
_ANSWERABLE = (
    "q.routed_at IS NOT NULL AND q.text != ''"
    " AND (SELECT count(*) FROM answers a WHERE a.asked_id = q.id) < :needed"
    " AND NOT EXISTS (SELECT 1 FROM offers o WHERE o.asked_id = q.id"
    " AND o.doctor_id = :doctor AND o.state IN ('skipped', 'answered', 'closed'))"
    " AND (q.follow_up_of IS NULL OR EXISTS (SELECT 1 FROM offers o"
    " WHERE o.asked_id = q.id AND o.doctor_id = :doctor))"
)


@dataclass(frozen=True, slots=True)
class Recorded:
    """A patient's question as stored, and whether this update stored it (False: Telegram
    delivered the update again)."""

    question: AskedQuestion
    is_new: bool


@dataclass(frozen=True, slots=True)
class DoctorAnswer:
    """A doctor's answer, who wrote it, and the patient's question it answers."""

    answer: StoredAnswer
    doctor_id: int
    asked: AskedQuestion
    question_id: int


@dataclass(frozen=True, slots=True)
class OfferedTo:
    """A doctor a question was offered to, and where their copy stands (offered, skipped)."""

    doctor_id: int
    telegram_id: int | None
    name: str
    state: str


@dataclass(frozen=True, slots=True)
class Waiting:
    """A question sent to doctors that no doctor has answered yet, and who was offered it."""

    asked: AskedQuestion
    label: str
    waited_seconds: float
    offered: tuple[OfferedTo, ...]


# The moments of a waiting question that happen once each: the column that records them.
CHASES = {"remind": "reminded_at", "escalate": "escalated_at"}


@dataclass(frozen=True, slots=True)
class AnswerSummary:
    """One of a doctor's own answers, as /answers lists it: under the reference of the
    patient's question it answers."""

    answer_id: int
    asked_id: int
    question: str
    text: str


def _asked(row: Row) -> AskedQuestion:
    return AskedQuestion(
        id=int(row["id"]),
        patient_id=int(row["patient_id"]),
        chat_id=int(row["chat_id"]),
        text=row["text"],
        status=AskedStatus(row["status"]),
        matched_question_id=row["matched_question_id"],
        replied=bool(row["replied"]),
        routed=row["routed_at"] is not None,
        follow_up_of=row["follow_up_of"],
        private=bool(row["private"]),
        created_at=row["created_at"],
        emergency=bool(row["emergency"]),
    )


def _draft(row: Row) -> Draft:
    return Draft(
        doctor_id=int(row["doctor_id"]),
        asked_id=int(row["asked_id"]),
        answer_id=row["answer_id"],
        body=row["body"],
        public_question=row["public_question"],
        publish=bool(row["publish"]),
        editing_public=bool(row["editing_public"]),
    )


class Consultations:
    """Tables `asked_questions`, `offers`, `drafts`, `ratings` and `patients`."""

    def __init__(
        self,
        database: Database,
        bank: Bank,
        doctors: Doctors,
        outbox: Outbox,
        audit: Audit,
        attachments: Attachments,
    ) -> None:
        self.database = database
        self.attachments = attachments
        self.bank = bank
        self.doctors = doctors
        self.outbox = outbox
        self.audit = audit
        # Patients who tapped "Ask a follow-up" (patient id -> answer id), asked about on every
        # message; only set_follow_up changes them, or a bank change deleting the answer
        # (ON DELETE SET NULL).
        self._follow_ups: dict[int, int] | None = None
        database.on_change(Change.BANK, self._forget_follow_ups)

    def _forget_follow_ups(self) -> None:
        self._follow_ups = None

    # --- questions patients ask ------------------------------------------------------------------

    async def record(
        self,
        *,
        update_id: int | None,
        patient_id: int,
        chat_id: int,
        text: str,
        files: Sequence[FileRef] = (),
    ) -> Recorded:
        """Store a patient's question before anything else happens to it.

        A Telegram update delivered again (after a crash, say) returns the question stored the
        first time. An update id is only unique for a while (Telegram restarts the sequence
        after a quiet week; an emulator at every start), so a stored id from another patient or
        text is stale and gives way.
        """
        insert = (
            "INSERT INTO asked_questions (update_id, patient_id, chat_id, text)"
            " VALUES (?, ?, ?, ?) ON CONFLICT (update_id) DO NOTHING RETURNING *"
        )
        params = (update_id, patient_id, chat_id, text)

        async def with_files(tx: Transaction) -> list[Row]:
            """The question and the files it came with, in one step."""
            stored = await tx.rows(insert, params)
            for file in files if stored else ():
                await self.attachments.insert(
                    tx, file, asked_id=int(stored[0]["id"]), patient_id=patient_id
                )
            return stored

        if files:
            async with self.database.transaction() as tx:
                stored = await with_files(tx)
        else:
            stored = await self.database.write(insert, params)
        if stored:
            return Recorded(_asked(stored[0]), is_new=True)
        assert update_id is not None  # only a stored update id can conflict
        row = await self.database.row(
            "SELECT * FROM asked_questions WHERE update_id = ?", (update_id,)
        )
        existing = _asked(row) if row else None
        if existing is not None and (existing.patient_id, existing.text) == (patient_id, text):
            return Recorded(existing, is_new=False)
        async with self.database.transaction() as tx:
            await tx.execute(
                "UPDATE asked_questions SET update_id = NULL WHERE update_id = ?", (update_id,)
            )
            stored = await with_files(tx)
        return Recorded(_asked(stored[0]), is_new=True)

    async def recent(self, patient_id: int, seconds: float, *, routed: bool = False) -> list[float]:
        """How long ago (seconds, oldest first) the patient sent each question of the last
        `seconds`; `routed`: only those sent to doctors, by when they were."""
        column = "routed_at" if routed else "created_at"
        rows = await self.database.rows(
            f"SELECT (julianday('now') - julianday({column})) * 86400 AS age"
            f" FROM asked_questions WHERE patient_id = ? AND {column} IS NOT NULL"
            f" AND {column} >= strftime('%Y-%m-%dT%H:%M:%fZ', 'now', ?) ORDER BY {column}",
            (patient_id, f"-{seconds:.3f} seconds"),
        )
        return [float(row["age"]) for row in rows]

    async def latest_unanswered(self, patient_id: int) -> tuple[AskedQuestion, float] | None:
        """The patient's latest question that no doctor has answered (and they have not
        erased), with its age in seconds: the one a file sent without words may belong to."""
        row = await self.database.row(
            "SELECT q.*, (julianday('now') - julianday(q.created_at)) * 86400 AS age"
            " FROM asked_questions q WHERE q.patient_id = ? AND q.text != ''"
            " AND NOT EXISTS (SELECT 1 FROM answers a WHERE a.asked_id = q.id)"
            " ORDER BY q.id DESC LIMIT 1",
            (patient_id,),
        )
        return (_asked(row), float(row["age"])) if row else None

    async def offered_chats(self, asked_id: int) -> list[int]:
        """The chats of the doctors a question is offered to now (not skipped, answered or
        closed): where a file added to it goes."""
        rows = await self.database.rows(
            "SELECT d.telegram_id FROM offers o JOIN doctors d ON d.id = o.doctor_id"
            " WHERE o.asked_id = ? AND o.state = 'offered' AND d.status = 'active'"
            " AND d.telegram_id IS NOT NULL ORDER BY o.id",
            (asked_id,),
        )
        return [int(row["telegram_id"]) for row in rows]

    async def asked_before(self, patient_id: int, asked_id: int) -> bool:
        """Whether the patient sent any question before this one (that they have not erased)."""
        row = await self.database.row(
            "SELECT 1 FROM asked_questions WHERE patient_id = ? AND id < ? LIMIT 1",
            (patient_id, asked_id),
        )
        return row is not None

    async def get(self, asked_id: int, reader: Reader | None = None) -> AskedQuestion | None:
        """A patient's question by its reference number."""
        row = await (reader or self.database).row(
            "SELECT * FROM asked_questions WHERE id = ?", (asked_id,)
        )
        return _asked(row) if row else None

    async def all(self, status: AskedStatus | None = None) -> list[AskedQuestion]:
        """Patients' questions, oldest first, optionally of one status."""
        query = "SELECT * FROM asked_questions"
        params: tuple[object, ...] = ()
        if status is not None:
            query += " WHERE status = ?"
            params = (status.value,)
        return [_asked(row) for row in await self.database.rows(query + " ORDER BY id", params)]

    async def unsettled(self, older_than_seconds: float = 0.0) -> list[AskedQuestion]:
        """Questions stored but never answered (the process died, or the handler failed, in
        between), at least this old, oldest first."""
        rows = await self.database.rows(
            "SELECT * FROM asked_questions WHERE replied = 0"
            " AND created_at <= strftime('%Y-%m-%dT%H:%M:%fZ', 'now', ?) ORDER BY id",
            (f"-{older_than_seconds:.3f} seconds",),
        )
        return [_asked(row) for row in rows]

    async def settle(
        self,
        asked_id: int,
        status: AskedStatus,
        matched_question_id: int | None,
        score: float | None,
        replies: Sequence[OutgoingMessage] = (),
    ) -> bool:
        """Record what became of a patient's question and queue the replies, in one step.

        Once this returns, the question is answered as far as a redelivered update is
        concerned, and the outbox owns getting the replies out. Only the first reply counts:
        False, and nothing queued, when the question had one already (a question resumed after
        a restart and its redelivered update, say).
        """
        async with self.database.transaction() as tx:
            changed = await tx.execute(
                "UPDATE asked_questions SET status = ?, matched_question_id = ?,"
                " match_score = ?, replied = 1 WHERE id = ? AND replied = 0",
                (status.value, matched_question_id, score, asked_id),
            )
            if changed:
                await self.outbox.enqueue(tx, replies)
            return changed > 0

    async def route(
        self,
        asked_id: int,
        offers: Sequence[Offer],
        patient_replies: Sequence[OutgoingMessage],
        *,
        status: AskedStatus = AskedStatus.OPEN,
        score: float | None = None,
        follow_up_of: int | None = None,
        on_request: bool = False,
        emergency: bool = False,
    ) -> bool:
        """Offer a question to doctors and tell the patient, in one step. As the first reply
        (see settle), or `on_request` of a patient whose question was answered otherwise;
        either way only once: False, and nothing queued, when it was done already."""
        async with self.database.transaction() as tx:
            changed = await tx.execute(
                "UPDATE asked_questions SET status = ?, match_score = ?, replied = 1,"
                " routed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), follow_up_of = ?,"
                " emergency = ? OR emergency"
                " WHERE id = ? AND (replied = 0 OR (? AND routed_at IS NULL))",
                (status.value, score, follow_up_of, emergency, asked_id, on_request),
            )
            if not changed:
                return False
            for offer in offers:
                [outbox_id] = await self.outbox.enqueue(tx, [offer.message])
                await tx.execute(
                    "INSERT INTO offers (asked_id, doctor_id, outbox_id) VALUES (?, ?, ?)"
                    " ON CONFLICT DO NOTHING",
                    (asked_id, offer.doctor_id, outbox_id),
                )
            await self.outbox.enqueue(tx, patient_replies)
            return True

    async def waiting(
        self, chase: str, older_than_seconds: float, limit: int = 100
    ) -> list[Waiting]:
        """Questions sent to doctors this long ago that have no answer yet and have not had
        this chase (CHASES), oldest first."""
        column = CHASES[chase]
        rows = await self.database.rows(
            "SELECT q.*, (julianday('now') - julianday(q.routed_at)) * 86400 AS waited"
            " FROM asked_questions q WHERE q.routed_at IS NOT NULL"
            f" AND (q.reminded_at IS NULL OR q.escalated_at IS NULL) AND q.{column} IS NULL"
            " AND q.text != '' AND q.routed_at <= strftime('%Y-%m-%dT%H:%M:%fZ', 'now', ?)"
            " AND NOT EXISTS (SELECT 1 FROM answers a WHERE a.asked_id = q.id)"
            " ORDER BY q.routed_at LIMIT ?",
            (f"-{older_than_seconds:.3f} seconds", limit),
        )
        found = []
        for row in rows:
            offered = tuple(
                OfferedTo(
                    doctor_id=int(o["doctor_id"]),
                    telegram_id=o["telegram_id"],
                    name=o["name"] or o["title"],
                    state=o["state"],
                )
                for o in await self.database.rows(
                    "SELECT o.doctor_id, o.state, d.telegram_id, d.name, d.title FROM offers o"
                    " JOIN doctors d ON d.id = o.doctor_id WHERE o.asked_id = ? ORDER BY o.id",
                    (row["id"],),
                )
            )
            asked = _asked(row)
            label = await self.patient_label(asked.patient_id)
            found.append(Waiting(asked, label, float(row["waited"]), offered))
        return found

    async def chase(self, asked_id: int, chase: str, messages: Sequence[OutgoingMessage]) -> bool:
        """Record that a waiting question had this chase and queue its messages, once: False,
        and nothing queued, when it had it already."""
        column = CHASES[chase]
        async with self.database.transaction() as tx:
            changed = await tx.execute(
                f"UPDATE asked_questions SET {column} = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"
                f" WHERE id = ? AND {column} IS NULL",
                (asked_id,),
            )
            if changed:
                await self.outbox.enqueue(tx, messages)
            return changed > 0

    # --- doctors taking questions ----------------------------------------------------------------

    async def answerable(
        self, doctor_id: int, answers_per_question: int, limit: int = 20
    ) -> list[AskedQuestion]:
        """Questions this doctor may take: possible emergencies first, then oldest first."""
        return [
            _asked(row)
            for row in await self.database.rows(
                f"SELECT q.* FROM asked_questions q WHERE {_ANSWERABLE}"
                " ORDER BY q.emergency DESC, q.id LIMIT :limit",
                {"needed": answers_per_question, "doctor": doctor_id, "limit": limit},
            )
        ]

    async def may_answer(
        self,
        doctor_id: int,
        asked_id: int,
        answers_per_question: int,
        reader: Reader | None = None,
    ) -> bool:
        """Whether this doctor may answer this question now."""
        row = await (reader or self.database).row(
            f"SELECT 1 FROM asked_questions q WHERE q.id = :asked AND {_ANSWERABLE}",
            {"needed": answers_per_question, "doctor": doctor_id, "asked": asked_id},
        )
        return row is not None

    async def offer_by_message(self, doctor_id: int, message_id: int) -> int | None:
        """The question a doctor's message offered, found from a reply to that message."""
        row = await self.database.row(
            "SELECT o.asked_id FROM offers o JOIN outbox m ON m.id = o.outbox_id"
            " WHERE o.doctor_id = ? AND m.sent_message_id = ?",
            (doctor_id, message_id),
        )
        return int(row["asked_id"]) if row else None

    async def join_offer(self, doctor_id: int, asked_id: int) -> bool:
        """A doctor takes a question from /queue that was never offered to them: from now on
        it counts as offered (files added to it reach them). True when it was not before."""
        joined = await self.database.write(
            "INSERT INTO offers (asked_id, doctor_id) VALUES (?, ?)"
            " ON CONFLICT (asked_id, doctor_id) DO NOTHING RETURNING id",
            (asked_id, doctor_id),
        )
        return bool(joined)

    async def skip(self, doctor_id: int, asked_id: int) -> None:
        """The doctor passes on a question (offered to them or taken from the queue)."""
        await self.database.write(
            "INSERT INTO offers (asked_id, doctor_id, state) VALUES (?, ?, 'skipped')"
            " ON CONFLICT (asked_id, doctor_id) DO UPDATE SET state = 'skipped'"
            " WHERE offers.state = 'offered'",
            (asked_id, doctor_id),
        )

    async def has_answered(self, doctor_id: int, asked_id: int) -> bool:
        """Whether this doctor has published an answer to this question."""
        row = await self.database.row(
            "SELECT 1 FROM answers WHERE doctor_id = ? AND asked_id = ?", (doctor_id, asked_id)
        )
        return row is not None

    async def answer_count(self, asked_id: int) -> int:
        """Doctors' answers a patient's question has."""
        return await self.database.scalar(
            "SELECT count(*) FROM answers WHERE asked_id = ?", (asked_id,)
        )

    # --- drafts ----------------------------------------------------------------------------------

    async def save_draft(self, draft: Draft) -> None:
        """Start or update the doctor's one draft (a new one replaces any other)."""
        await self.database.write(
            "INSERT INTO drafts (doctor_id, asked_id, answer_id, body, public_question, publish,"
            " editing_public) VALUES (?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (doctor_id) DO UPDATE SET asked_id = excluded.asked_id,"
            " answer_id = excluded.answer_id, body = excluded.body,"
            " public_question = excluded.public_question, publish = excluded.publish,"
            " editing_public = excluded.editing_public",
            (
                draft.doctor_id,
                draft.asked_id,
                draft.answer_id,
                draft.body,
                draft.public_question,
                draft.publish,
                draft.editing_public,
            ),
        )

    async def draft(self, doctor_id: int) -> Draft | None:
        """The doctor's draft, if any."""
        row = await self.database.row(
            "SELECT doctor_id, asked_id, answer_id, body, public_question, publish,"
            " editing_public FROM drafts WHERE doctor_id = ?",
            (doctor_id,),
        )
        return _draft(row) if row else None

    async def discard_draft(self, doctor_id: int, tx: Transaction | None = None) -> None:
        """Forget the doctor's draft (inside `tx`, when it is part of a larger change)."""
        if tx is None:
            async with self.database.transaction() as own:
                await self.discard_draft(doctor_id, own)
            return
        await tx.execute("DELETE FROM drafts WHERE doctor_id = ?", (doctor_id,))
        await self.attachments.drop_draft(tx, doctor_id)

    # --- answers ---------------------------------------------------------------------------------

    async def publish(
        self,
        doctor_id: int,
        asked_id: int,
        body: str,
        answers_per_question: int,
        public_question: str,
        visibility: Visibility,
        messages_for: Callable[[PublishedAnswer], Sequence[OutgoingMessage]],
    ) -> PublishedAnswer | None:
        """A doctor's answer: into the bank under its public question (published, for an
        admin's review, or private: the first answer decides), to the patient, and close the
        question to other doctors once it has enough answers. All or nothing; None, and nothing
        written, when the doctor may no longer answer it (checked inside the transaction,
        because doctors pressing Send at the same moment are handled side by side).

        `messages_for` builds the outbox messages once the answer has its id (buttons carry it).
        """
        async with self.database.transaction() as tx:
            if not await self.may_answer(doctor_id, asked_id, answers_per_question, tx):
                return None
            asked = await self.get(asked_id, tx)
            assert asked is not None
            if asked.private or asked.follow_up_of is not None:
                # Kept private by the patient; a follow-up only makes sense beside the exchange
                # before it. Either way: the patient's alone, never matched.
                visibility = Visibility.PRIVATE
            question_id, visibility = await self.bank.question_for(
                tx, asked.id, public_question, visibility
            )
            await tx.execute(
                "UPDATE asked_questions SET bank_question_id = ? WHERE id = ?",
                (question_id, asked.id),
            )
            answer_id = await self.bank.add_answer(tx, question_id, doctor_id, body, asked_id)
            files = await self.attachments.claim_for_answer(tx, doctor_id, asked_id, answer_id)
            await tx.execute(
                "UPDATE asked_questions SET status = 'answered' WHERE id = ?", (asked_id,)
            )
            await tx.execute(
                "UPDATE offers SET state = 'answered' WHERE asked_id = ? AND doctor_id = ?",
                (asked_id, doctor_id),
            )
            await self.discard_draft(doctor_id, tx)
            count = await tx.scalar("SELECT count(*) FROM answers WHERE asked_id = ?", (asked_id,))
            closed: list[ClosedOffer] = []
            if count >= answers_per_question:
                closed = [
                    ClosedOffer(int(row["outbox_id"]), int(row["telegram_id"]))
                    for row in await tx.rows(
                        "SELECT o.outbox_id, d.telegram_id FROM offers o"
                        " JOIN doctors d ON d.id = o.doctor_id"
                        " WHERE o.asked_id = ? AND o.state IN ('offered', 'skipped')"
                        " AND o.outbox_id IS NOT NULL",
                        (asked_id,),
                    )
                ]
                await tx.execute(
                    "UPDATE offers SET state = 'closed' WHERE asked_id = ?"
                    " AND state IN ('offered', 'skipped')",
                    (asked_id,),
                )
            published = PublishedAnswer(
                answer_id=answer_id,
                question_id=question_id,
                answer_count=count,
                closed_offers=tuple(closed),
                visibility=visibility,
                public_question=public_question,
                attachments=files,
            )
            action = {
                Visibility.PUBLISHED: "published",
                Visibility.REVIEW: "submitted for review",
            }.get(visibility, "answered privately")
            await self.audit.record(
                tx, f"doctor #{doctor_id}", action, f"answer #{answer_id} (bank #{question_id})"
            )
            await self.outbox.enqueue(tx, messages_for(published))
        return published

    async def keep_private(self, asked_id: int, patient_id: int) -> Visibility | None:
        """The patient wants their question answered to them alone: it never joins the bank,
        and leaves it if a doctor's answer put it there. None: not their question; otherwise
        where its bank entry stood before (PRIVATE also when it had none yet)."""
        async with self.database.transaction() as tx:
            changed = await tx.execute(
                "UPDATE asked_questions SET private = 1 WHERE id = ? AND patient_id = ?",
                (asked_id, patient_id),
            )
            if not changed:
                return None
            row = await tx.row(
                "SELECT id FROM questions WHERE bank_key = ?", (f"{PATIENT_KEY_PREFIX}{asked_id}",)
            )
            if row is None:
                return Visibility.PRIVATE
            before = await self.bank.set_visibility(tx, int(row["id"]), Visibility.PRIVATE)
            if before is not Visibility.PRIVATE:
                await self.audit.record(tx, "a patient", "kept private", f"bank #{row['id']}")
            return before

    async def doctor_answer(self, answer_id: int) -> DoctorAnswer | None:
        """A doctor's answer with its author's id and the patient's question it answers."""
        row = await self.database.row(
            "SELECT question_id, doctor_id, asked_id FROM answers"
            " WHERE id = ? AND asked_id IS NOT NULL",
            (answer_id,),
        )
        if row is None:
            return None
        question = await self.bank.question(int(row["question_id"]))
        asked = await self.get(int(row["asked_id"]))
        assert question is not None and asked is not None
        [answer] = [a for a in question.answers if a.id == answer_id]
        return DoctorAnswer(
            answer=answer, doctor_id=int(row["doctor_id"]), asked=asked, question_id=question.id
        )

    async def answers_by(self, doctor_id: int, limit: int = 20) -> list[AnswerSummary]:
        """The doctor's own answers, newest first."""
        return [
            AnswerSummary(
                answer_id=int(r["id"]),
                asked_id=int(r["asked_id"]),
                question=r["title"],
                text=r["body"],
            )
            for r in await self.database.rows(
                "SELECT a.id, a.asked_id, q.title, a.body"
                " FROM answers a JOIN questions q ON q.id = a.question_id"
                " WHERE a.doctor_id = ? AND a.asked_id IS NOT NULL ORDER BY a.id DESC LIMIT ?",
                (doctor_id, limit),
            )
        ]

    async def revise(self, answer_id: int, body: str, messages: Sequence[OutgoingMessage]) -> None:
        """A doctor edited their answer: the bank shows the new text and the patient is told."""
        async with self.database.transaction() as tx:
            author = await self.bank.revise_answer(tx, answer_id, body)
            if author is not None:
                await self.discard_draft(author, tx)
                await self.audit.record(tx, f"doctor #{author}", "revised", f"answer #{answer_id}")
            await self.outbox.enqueue(tx, messages)

    async def asker_of(self, question_id: int) -> int | None:
        """The patient whose question became this bank question (None: it came from a file
        or a data set, or its patient erased their data)."""
        row = await self.database.row(
            "SELECT patient_id FROM asked_questions WHERE bank_question_id = ? LIMIT 1",
            (question_id,),
        )
        return int(row["patient_id"]) if row else None

    async def rate(self, answer_id: int, patient_id: int, stars: int) -> bool:
        """A patient's stars for an answer to their own question; once per patient per answer
        (rating again changes the stars, not the count). False when they may not rate it."""
        async with self.database.transaction() as tx:
            row = await tx.row(
                "SELECT a.doctor_id FROM answers a JOIN asked_questions q ON q.id = a.asked_id"
                " WHERE a.id = ? AND q.patient_id = ?",
                (answer_id, patient_id),
            )
            if row is None or row["doctor_id"] is None:
                return False
            doctor_id = int(row["doctor_id"])
            previous = await tx.row(
                "SELECT stars FROM ratings WHERE answer_id = ? AND patient_id = ?",
                (answer_id, patient_id),
            )
            if previous is None:
                await tx.execute(
                    "INSERT INTO ratings (answer_id, patient_id, stars) VALUES (?, ?, ?)",
                    (answer_id, patient_id, stars),
                )
                await self.doctors.rate(tx, doctor_id, stars, reviews=1)
            else:
                await tx.execute(
                    "UPDATE ratings SET stars = ? WHERE answer_id = ? AND patient_id = ?",
                    (stars, answer_id, patient_id),
                )
                await self.doctors.rate(tx, doctor_id, stars - int(previous["stars"]), reviews=0)
            return True

    # --- patients --------------------------------------------------------------------------------

    async def patient_label(self, telegram_id: int) -> str:
        """The patient's anonymous label, made on first use and the same ever after."""
        row = await self.database.row(
            "SELECT label FROM patients WHERE telegram_id = ?", (telegram_id,)
        )
        if row is not None:
            return str(row["label"])
        while True:
            # Random, not derived from the id, so the label reveals nothing about it.
            label = "".join(secrets.choice(_LABEL_ALPHABET) for _ in range(4))
            if await self.database.write(
                "INSERT INTO patients (telegram_id, label) VALUES (?, ?)"
                " ON CONFLICT DO NOTHING RETURNING label",
                (telegram_id, label),
            ):
                return label
            # The patient is there already, or another has this label: look, else draw again.
            row = await self.database.row(
                "SELECT label FROM patients WHERE telegram_id = ?", (telegram_id,)
            )
            if row is not None:
                return str(row["label"])

    async def set_follow_up(self, telegram_id: int, answer_id: int | None) -> None:
        """Remember that the patient's next message is a follow-up to an answer (or forget)."""
        await self.patient_label(telegram_id)
        await self.database.write(
            "UPDATE patients SET follow_up_answer_id = ? WHERE telegram_id = ?",
            (answer_id, telegram_id),
        )
        if self._follow_ups is not None:
            if answer_id is None:
                self._follow_ups.pop(telegram_id, None)
            else:
                self._follow_ups[telegram_id] = answer_id

    async def pending_follow_up(self, telegram_id: int) -> int | None:
        """The answer the patient is following up on, if they tapped Ask a follow-up."""
        if self._follow_ups is None:
            rows = await self.database.rows(
                "SELECT telegram_id, follow_up_answer_id FROM patients"
                " WHERE follow_up_answer_id IS NOT NULL"
            )
            self._follow_ups = {
                int(row["telegram_id"]): int(row["follow_up_answer_id"]) for row in rows
            }
        return self._follow_ups.get(telegram_id)
