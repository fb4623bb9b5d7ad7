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
)
from bot.store.database import Change, Database, Row, Transaction, chunks, placeholders
from bot.store.doctors import Doctors
from bot.store.search import Search
from bot.terms import terms


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
                for entry in batch:
                    content_hash = _content_hash(entry)
                    known = existing.get(entry.key)
                    if known is None:
                        fresh.append((next_id, entry, content_hash))
                        existing[entry.key] = (next_id, content_hash)
                        next_id += 1
                    elif known[1] != content_hash:
                        changed.append((known[0], entry, content_hash))
                        existing[entry.key] = (known[0], content_hash)
                    else:
                        unchanged += 1
                await self._remove_answers_and_index(tx, [qid for qid, _, _ in changed])
                await tx.execute_many(
                    "UPDATE questions SET title = ?, details = ?, tags = ?, content_hash = ?,"
                    " answer_count = ?, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"
                    " WHERE id = ?",
                    [
                        (e.question, e.details, ",".join(e.tags), h, len(e.answers), qid)
                        for qid, e, h in changed
                    ],
                )
                await tx.execute_many(
                    "INSERT INTO questions (id, bank_key, source_id, title, details, tags,"
                    " content_hash, answer_count) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
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
                        )
                        for qid, e, h in fresh
                    ],
                )
                written = fresh + changed
                await self._insert_answers(tx, written, author_ids)
                await self.search.add(
                    tx, [(qid, terms(e.question), terms(e.details)) for qid, e, _ in written]
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
    ) -> dict[str, tuple[int, str]]:
        found: dict[str, tuple[int, str]] = {}
        for batch in chunks(keys):
            for row in await tx.rows(
                "SELECT bank_key, id, content_hash FROM questions"
                f" WHERE bank_key IN ({placeholders(len(batch))})",
                batch,
            ):
                found[row["bank_key"]] = (int(row["id"]), row["content_hash"])
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
            "SELECT id, title, details FROM questions WHERE id = ?", (question_id,)
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
        )

    async def size(self) -> int:
        """Questions in the bank, answered or not."""
        return await self.database.scalar("SELECT count(*) FROM questions")

    async def question_for(
        self, tx: Transaction, asked_id: int, text: str, searchable: bool
    ) -> int:
        """The bank question a patient's question becomes once a doctor answers it (made on the
        first answer); `searchable`: it joins the index, so later patients are matched to it."""
        key = f"asked:{asked_id}"
        row = await tx.row("SELECT id FROM questions WHERE bank_key = ?", (key,))
        if row is not None:
            return int(row["id"])
        title = text.strip()
        question_id = await tx.insert(
            "INSERT INTO questions (bank_key, title, content_hash) VALUES (?, ?, '')",
            (key, title),
        )
        if searchable:
            await self.search.add(tx, [(question_id, terms(title), ())])
        return question_id

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
