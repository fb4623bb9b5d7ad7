"""The answer bank: questions and their answers, imported from files and JSONL, and the
doctors' answers that join it."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass

from bot.models import (
    AnswerEntry,
    BankEntry,
    DoctorCard,
    SourceCard,
    StoredAnswer,
    StoredQuestion,
    Visibility,
)
from bot.store.database import Change, Database, Row, Transaction, chunks, placeholders
from bot.store.doctors import Doctors
from bot.store.search import Search
from bot.terms import terms
from bot.written_language import written_in

# Bank keys of questions that patients asked (`asked:<their question's reference>`).
PATIENT_KEY_PREFIX = "asked:"


@dataclass(frozen=True, slots=True)
class ImportStats:
    """What an import did to the bank."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0

    @property
    def total(self) -> int:
        """Entries read."""
        return self.added + self.updated + self.unchanged


def _content_hash(entry: BankEntry) -> str:
    encoded = json.dumps(asdict(entry), sort_keys=True, ensure_ascii=False).encode()
    return hashlib.sha256(encoded).hexdigest()


def _answer(row: Row) -> StoredAnswer:
    return StoredAnswer(
        id=int(row["id"]),
        heading=row["heading"],
        text=row["body"],
        doctor=DoctorCard(
            name=row["name"],
            title=row["title"],
            location=row["location"],
            rating_total=float(row["rating_total"]),
            review_count=int(row["review_count"]),
        )
        if row["doctor_id"] is not None
        else None,
        source=SourceCard(source=row["source"], url=row["url"], license=row["license"])
        if row["source"] is not None
        else None,
    )


class Bank:
    """Tables `questions` and `answers`; the index (Search) is kept in step with them."""

    def __init__(self, database: Database, search: Search, doctors: Doctors) -> None:
        self.database = database
        self.search = search
        self.doctors = doctors

    async def import_entries(
        self,
        entries: Iterable[BankEntry],
        *,
        batch_size: int = 2000,
        on_progress: Callable[[int], None] | None = None,
    ) -> ImportStats:
        """Add new entries and update changed ones, by key, in one transaction.

        Importing the same entries again changes nothing, so start-up can always sync.
        """
        added = updated = unchanged = 0
        author_ids: dict[str, int] = {}
        async with self.database.transaction() as tx:
            tx.changed(Change.BANK)
            next_id = await tx.scalar("SELECT coalesce(max(id), 0) + 1 FROM questions")
            for batch in chunks(entries, batch_size):
                existing = await self._existing_keys(tx, [entry.key for entry in batch])
                fresh: list[tuple[int, BankEntry, str]] = []
                changed: list[tuple[int, BankEntry, str]] = []
                # A changed entry an admin hid stays hidden: only published ones are indexed.
                hidden: set[int] = set()
                for entry in batch:
                    content_hash = _content_hash(entry)
                    known = existing.get(entry.key)
                    if known is None:
                        fresh.append((next_id, entry, content_hash))
                        existing[entry.key] = (next_id, content_hash, Visibility.PUBLISHED)
                        next_id += 1
                    elif known[1] != content_hash:
                        changed.append((known[0], entry, content_hash))
                        existing[entry.key] = (known[0], content_hash, known[2])
                        if known[2] is not Visibility.PUBLISHED:
                            hidden.add(known[0])
                    else:
                        unchanged += 1
                await self._remove_answers_and_index(tx, [qid for qid, _, _ in changed])
                await tx.execute_many(
                    "UPDATE questions SET title = ?, details = ?, tags = ?, content_hash = ?,"
                    " answer_count = ?, language = ?,"
                    " updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?",
                    [
                        (
                            e.question,
                            e.details,
                            ",".join(e.tags),
                            h,
                            len(e.answers),
                            e.language,
                            qid,
                        )
                        for qid, e, h in changed
                    ],
                )
                await tx.execute_many(
                    "INSERT INTO questions (id, bank_key, source_id, title, details, tags,"
                    " content_hash, answer_count, language) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        (
                            qid,
                            e.key,
                            e.source_id,
                            e.question,
                            e.details,
                            ",".join(e.tags),
                            h,
                            len(e.answers),
                            e.language,
                        )
                        for qid, e, h in fresh
                    ],
                )
                written = fresh + changed
                await self._insert_answers(tx, written, author_ids)
                await self.search.add(
                    tx,
                    [
                        (qid, terms(e.question), terms(e.details))
                        for qid, e, _ in written
                        if qid not in hidden
                    ],
                )
                added += len(fresh)
                updated += len(changed)
                if on_progress is not None:
                    on_progress(len(batch))
        return ImportStats(added=added, updated=updated, unchanged=unchanged)

    async def remove_entries_except(self, key_prefix: str, keep: Sequence[str]) -> int:
        """Delete bank questions whose key starts with `key_prefix` and is not in `keep`."""
        keep_set = set(keep)
        stale = [
            int(row["id"])
            for row in await self.database.rows(
                "SELECT id, bank_key FROM questions WHERE bank_key >= ? AND bank_key < ?",
                (key_prefix, key_prefix + "\U0010ffff"),
            )
            if row["bank_key"] not in keep_set
        ]
        if not stale:
            return 0
        async with self.database.transaction() as tx:
            tx.changed(Change.BANK)
            await self._remove_answers_and_index(tx, stale)
            for batch in chunks(stale):
                await tx.execute(
                    f"DELETE FROM questions WHERE id IN ({placeholders(len(batch))})", batch
                )
        return len(stale)

    async def _existing_keys(
        self, tx: Transaction, keys: Sequence[str]
    ) -> dict[str, tuple[int, str, Visibility]]:
        found: dict[str, tuple[int, str, Visibility]] = {}
        for batch in chunks(keys):
            for row in await tx.rows(
                "SELECT bank_key, id, content_hash, visibility FROM questions"
                f" WHERE bank_key IN ({placeholders(len(batch))})",
                batch,
            ):
                found[row["bank_key"]] = (
                    int(row["id"]),
                    row["content_hash"],
                    Visibility(row["visibility"]),
                )
        return found

    async def _remove_answers_and_index(self, tx: Transaction, question_ids: Sequence[int]) -> None:
        for batch in chunks(question_ids):
            await tx.execute(
                f"DELETE FROM answers WHERE question_id IN ({placeholders(len(batch))})", batch
            )
        await self.search.remove(tx, question_ids)

    async def _insert_answers(
        self,
        tx: Transaction,
        written: Sequence[tuple[int, BankEntry, str]],
        author_ids: dict[str, int],
    ) -> None:
        rows: list[tuple[object, ...]] = []
        for question_id, entry, _ in written:
            for position, answer in enumerate(entry.answers):
                rows.append(await self._answer_row(tx, question_id, position, answer, author_ids))
        await tx.execute_many(
            "INSERT INTO answers (question_id, position, doctor_id, source, url, license,"
            " heading, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )

    async def _answer_row(
        self,
        tx: Transaction,
        question_id: int,
        position: int,
        answer: AnswerEntry,
        author_ids: dict[str, int],
    ) -> tuple[object, ...]:
        doctor_id = (
            await self.doctors.author_id(tx, answer.doctor, author_ids)
            if answer.doctor is not None
            else None
        )
        source = answer.source
        return (
            question_id,
            position,
            doctor_id,
            source.source if source else None,
            source.url if source else None,
            source.license if source else None,
            answer.heading,
            answer.text,
        )

    async def question(self, question_id: int) -> StoredQuestion | None:
        """A bank question with its answers and their authors' cards."""
        row = await self.database.row(
            "SELECT id, title, details, visibility, bank_key, language FROM questions WHERE id = ?",
            (question_id,),
        )
        if row is None:
            return None
        answer_rows = await self.database.rows(
            "SELECT a.id, a.heading, a.body, a.source, a.url, a.license, d.id AS doctor_id,"
            " d.name, d.title, d.location, d.rating_total, d.review_count"
            " FROM answers a LEFT JOIN doctors d ON d.id = a.doctor_id"
            " WHERE a.question_id = ? ORDER BY a.position",
            (question_id,),
        )
        return StoredQuestion(
            id=int(row["id"]),
            question=row["title"],
            details=row["details"],
            answers=tuple(_answer(a) for a in answer_rows),
            visibility=Visibility(row["visibility"]),
            from_patient=str(row["bank_key"]).startswith(PATIENT_KEY_PREFIX),
            language=row["language"],
        )

    async def size(self) -> int:
        """Questions in the bank, answered or not."""
        return await self.database.scalar("SELECT count(*) FROM questions")

    async def question_for(
        self, tx: Transaction, asked_id: int, public_question: str, visibility: Visibility
    ) -> tuple[int, Visibility]:
        """The bank question a patient's question becomes once a doctor answers it, under its
        public (de-identified) text: made on the first answer, which decides its visibility;
        later answers join it as it is. Only a published one joins the index, so later
        patients are matched to it. Returns its id and visibility."""
        key = f"{PATIENT_KEY_PREFIX}{asked_id}"
        row = await tx.row("SELECT id, visibility FROM questions WHERE bank_key = ?", (key,))
        if row is not None:
            return int(row["id"]), Visibility(row["visibility"])
        title = public_question.strip()
        question_id = await tx.insert(
            "INSERT INTO questions (bank_key, title, content_hash, visibility, language)"
            " VALUES (?, ?, '', ?, ?)",
            (key, title, visibility.value, written_in(title)),
        )
        if visibility is Visibility.PUBLISHED:
            await self.search.add(tx, [(question_id, terms(title), ())])
        return question_id, visibility

    async def public_question_of(self, asked_id: int) -> tuple[str, Visibility] | None:
        """The public text and visibility of the bank question a patient's question became,
        if a doctor has answered it."""
        row = await self.database.row(
            "SELECT title, visibility FROM questions WHERE bank_key = ?",
            (f"{PATIENT_KEY_PREFIX}{asked_id}",),
        )
        return (row["title"], Visibility(row["visibility"])) if row else None

    async def set_visibility(
        self, tx: Transaction, question_id: int, visibility: Visibility
    ) -> Visibility | None:
        """Publish, hide or withdraw a question, keeping the index to the published ones;
        returns what it was (None: no such question)."""
        row = await tx.row(
            "SELECT title, details, visibility FROM questions WHERE id = ?", (question_id,)
        )
        if row is None:
            return None
        before = Visibility(row["visibility"])
        if before is visibility:
            return before
        await tx.execute(
            "UPDATE questions SET visibility = ?,"
            " updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?",
            (visibility.value, question_id),
        )
        if before is Visibility.PUBLISHED:
            await self.search.remove(tx, [question_id])
        elif visibility is Visibility.PUBLISHED:
            await self.search.add(tx, [(question_id, terms(row["title"]), terms(row["details"]))])
        tx.changed(Change.BANK)
        return before

    async def set_title(self, tx: Transaction, question_id: int, title: str) -> bool:
        """Give a question new public text (re-indexed when published); False: none such."""
        row = await tx.row("SELECT details, visibility FROM questions WHERE id = ?", (question_id,))
        if row is None:
            return False
        await tx.execute(
            "UPDATE questions SET title = ?, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"
            " WHERE id = ?",
            (title.strip(), question_id),
        )
        if row["visibility"] == Visibility.PUBLISHED.value:
            await self.search.remove(tx, [question_id])
            await self.search.add(tx, [(question_id, terms(title), terms(row["details"]))])
        tx.changed(Change.BANK)
        return True

    async def delete(self, tx: Transaction, question_ids: Sequence[int]) -> None:
        """Delete questions and their answers for good (ratings go with them; the doctors'
        totals stay, as the ratings were given)."""
        await self.search.remove(tx, question_ids)
        for batch in chunks(question_ids):
            marks = placeholders(len(batch))
            await tx.execute(
                "DELETE FROM drafts WHERE answer_id IN"
                f" (SELECT id FROM answers WHERE question_id IN ({marks}))",
                batch,
            )
            await tx.execute(f"DELETE FROM answers WHERE question_id IN ({marks})", batch)
            await tx.execute(f"DELETE FROM questions WHERE id IN ({marks})", batch)
        tx.changed(Change.BANK)

    async def waiting_for_review(self, limit: int = 10) -> list[StoredQuestion]:
        """Questions waiting for an admin's review, oldest first."""
        rows = await self.database.rows(
            "SELECT id FROM questions WHERE visibility = 'review' ORDER BY id LIMIT ?", (limit,)
        )
        return [q for row in rows if (q := await self.question(int(row["id"]))) is not None]

    async def review_count(self) -> int:
        """How many questions wait for an admin's review."""
        return await self.database.scalar(
            "SELECT count(*) FROM questions WHERE visibility = 'review'"
        )

    async def find(self, words: str, limit: int = 5) -> list[StoredQuestion]:
        """Bank questions for an admin, whatever their visibility: by number (`#12` or `12`),
        or those whose text contains every word, newest first."""
        reference = words.strip().lstrip("#")
        if reference.isdigit():
            found = await self.question(int(reference))
            return [found] if found is not None else []
        parts = words.split()
        if not parts:
            return []
        condition = " AND ".join("instr(lower(title), ?) > 0" for _ in parts)
        rows = await self.database.rows(
            f"SELECT id FROM questions WHERE {condition} ORDER BY id DESC LIMIT ?",
            (*[part.lower() for part in parts], limit),
        )
        return [q for row in rows if (q := await self.question(int(row["id"]))) is not None]

    async def reconcile_index(self) -> int:
        """Take out of the index any question that is not published (those a migration or an
        older version left there); returns how many."""
        stray = [
            int(row["id"])
            for row in await self.database.rows(
                "SELECT q.id FROM questions q JOIN questions_fts f ON f.rowid = q.id"
                " WHERE q.visibility != 'published'"
            )
        ]
        if stray:
            async with self.database.transaction() as tx:
                await self.search.remove(tx, stray)
        return len(stray)

    async def add_answer(
        self, tx: Transaction, question_id: int, doctor_id: int, body: str, asked_id: int
    ) -> int:
        """A doctor's answer to a patient's question, after the question's other answers."""
        tx.changed(Change.BANK)
        position = await tx.scalar(
            "SELECT coalesce(max(position), -1) + 1 FROM answers WHERE question_id = ?",
            (question_id,),
        )
        answer_id = await tx.insert(
            "INSERT INTO answers (question_id, position, doctor_id, body, asked_id)"
            " VALUES (?, ?, ?, ?, ?)",
            (question_id, position, doctor_id, body, asked_id),
        )
        await tx.execute(
            "UPDATE questions SET answer_count = answer_count + 1 WHERE id = ?", (question_id,)
        )
        return answer_id

    async def revise_answer(self, tx: Transaction, answer_id: int, body: str) -> int | None:
        """Give an answer new text; returns its author's id (None: no such answer)."""
        await tx.execute(
            "UPDATE answers SET body = ?, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"
            " WHERE id = ?",
            (body, answer_id),
        )
        row = await tx.row("SELECT doctor_id FROM answers WHERE id = ?", (answer_id,))
        return int(row["doctor_id"]) if row is not None and row["doctor_id"] is not None else None
