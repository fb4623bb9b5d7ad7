"""Every SQL statement AskDoc runs. Takes and returns plain models; nothing above it writes SQL."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass
from itertools import islice
from typing import TypeVar

import aiosqlite

from bot import matching
from bot.models import (
    AnswerEntry,
    AskedQuestion,
    AskedStatus,
    BankEntry,
    DoctorCard,
    SourceCard,
    StoredAnswer,
    StoredQuestion,
)

# SQLite before 3.32 allowed 999 host parameters; staying under it keeps IN lists portable.
_MAX_PARAMETERS = 900


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


T = TypeVar("T")


def _chunks(items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def _placeholders(count: int) -> str:
    return ",".join("?" * count)


def _content_hash(entry: BankEntry) -> str:
    encoded = json.dumps(asdict(entry), sort_keys=True, ensure_ascii=False).encode()
    return hashlib.sha256(encoded).hexdigest()


def _doctor_identity(card: DoctorCard) -> str:
    return "|".join(
        " ".join((part or "").lower().split()) for part in (card.name, card.title, card.location)
    )


class Repository:
    """The data-access layer over one aiosqlite connection."""

    def __init__(self, connection: aiosqlite.Connection) -> None:
        self.connection = connection
        self._question_count: int | None = None

    async def close(self) -> None:
        """Close the underlying connection."""
        await self.connection.close()

    # --- the answer bank ----------------------------------------------------------------------

    async def import_bank(
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
        doctor_ids: dict[str, int] = {}
        await self.connection.execute("BEGIN IMMEDIATE")
        try:
            next_id = await self._scalar("SELECT coalesce(max(id), 0) + 1 FROM questions")
            for batch in _chunks(entries, batch_size):
                existing = await self._existing_keys([entry.key for entry in batch])
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
                await self._remove_answers_and_index([qid for qid, _, _ in changed])
                await self.connection.executemany(
                    "UPDATE questions SET title = ?, details = ?, tags = ?, content_hash = ?,"
                    " answer_count = ?, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"
                    " WHERE id = ?",
                    [
                        (e.question, e.details, ",".join(e.tags), h, len(e.answers), qid)
                        for qid, e, h in changed
                    ],
                )
                await self.connection.executemany(
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
                await self._insert_answers(written, doctor_ids)
                await self.connection.executemany(
                    "INSERT INTO questions_fts (rowid, title_terms, detail_terms) VALUES (?, ?, ?)",
                    [
                        (
                            qid,
                            " ".join(matching.terms(e.question)),
                            " ".join(matching.terms(e.details)),
                        )
                        for qid, e, _ in written
                    ],
                )
                added += len(fresh)
                updated += len(changed)
                if on_progress is not None:
                    on_progress(len(batch))
            await self.connection.commit()
        except BaseException:
            await self.connection.rollback()
            raise
        self._question_count = None
        return ImportStats(added=added, updated=updated, unchanged=unchanged)

    async def remove_bank_entries_except(self, key_prefix: str, keep: Sequence[str]) -> int:
        """Delete bank questions whose key starts with `key_prefix` and is not in `keep`."""
        keep_set = set(keep)
        async with self.connection.execute(
            "SELECT id, bank_key FROM questions WHERE bank_key >= ? AND bank_key < ?",
            (key_prefix, key_prefix + "\U0010ffff"),
        ) as cursor:
            stale = [int(row[0]) for row in await cursor.fetchall() if row[1] not in keep_set]
        if not stale:
            return 0
        await self.connection.execute("BEGIN IMMEDIATE")
        try:
            await self._remove_answers_and_index(stale)
            for batch in _chunks(stale, _MAX_PARAMETERS):
                await self.connection.execute(
                    f"DELETE FROM questions WHERE id IN ({_placeholders(len(batch))})", batch
                )
            await self.connection.commit()
        except BaseException:
            await self.connection.rollback()
            raise
        self._question_count = None
        return len(stale)

    async def _existing_keys(self, keys: Sequence[str]) -> dict[str, tuple[int, str]]:
        found: dict[str, tuple[int, str]] = {}
        for batch in _chunks(keys, _MAX_PARAMETERS):
            async with self.connection.execute(
                "SELECT bank_key, id, content_hash FROM questions"
                f" WHERE bank_key IN ({_placeholders(len(batch))})",
                batch,
            ) as cursor:
                for row in await cursor.fetchall():
                    found[row[0]] = (int(row[1]), row[2])
        return found

    async def _remove_answers_and_index(self, question_ids: Sequence[int]) -> None:
        for batch in _chunks(question_ids, _MAX_PARAMETERS):
            marks = _placeholders(len(batch))
            await self.connection.execute(
                f"DELETE FROM answers WHERE question_id IN ({marks})", batch
            )
            await self.connection.execute(
                f"DELETE FROM questions_fts WHERE rowid IN ({marks})", batch
            )

    async def _doctor_id(self, card: DoctorCard, cache: dict[str, int]) -> int:
        identity = _doctor_identity(card)
        if identity in cache:
            return cache[identity]
        # A doctor's rating in a bank file is only a starting point: ratings patients give later
        # must survive a re-import, so an existing doctor keeps their numbers.
        await self.connection.execute(
            "INSERT INTO doctors (identity, name, title, location, rating_total, review_count)"
            " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (identity) DO NOTHING",
            (identity, card.name, card.title, card.location, card.rating_total, card.review_count),
        )
        doctor_id = await self._scalar("SELECT id FROM doctors WHERE identity = ?", (identity,))
        cache[identity] = doctor_id
        return doctor_id

    async def _insert_answers(
        self, written: Sequence[tuple[int, BankEntry, str]], doctor_ids: dict[str, int]
    ) -> None:
        rows: list[tuple[object, ...]] = []
        for question_id, entry, _ in written:
            for position, answer in enumerate(entry.answers):
                rows.append(await self._answer_row(question_id, position, answer, doctor_ids))
        await self.connection.executemany(
            "INSERT INTO answers (question_id, position, doctor_id, source, url, license,"
            " heading, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )

    async def _answer_row(
        self, question_id: int, position: int, answer: AnswerEntry, doctor_ids: dict[str, int]
    ) -> tuple[object, ...]:
        doctor_id = (
            await self._doctor_id(answer.doctor, doctor_ids) if answer.doctor is not None else None
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

    async def get_question(self, question_id: int) -> StoredQuestion | None:
        """A bank question with its answers and their authors' cards."""
        async with self.connection.execute(
            "SELECT id, title, details FROM questions WHERE id = ?", (question_id,)
        ) as cursor:
            row = await cursor.fetchone()
        if row is None:
            return None
        async with self.connection.execute(
            "SELECT a.id, a.heading, a.body, a.source, a.url, a.license, d.id AS doctor_id,"
            " d.name, d.title, d.location, d.rating_total, d.review_count"
            " FROM answers a LEFT JOIN doctors d ON d.id = a.doctor_id"
            " WHERE a.question_id = ? ORDER BY a.position",
            (question_id,),
        ) as cursor:
            answer_rows = await cursor.fetchall()
        answers = tuple(
            StoredAnswer(
                id=int(a["id"]),
                heading=a["heading"],
                text=a["body"],
                doctor=DoctorCard(
                    name=a["name"],
                    title=a["title"],
                    location=a["location"],
                    rating_total=float(a["rating_total"]),
                    review_count=int(a["review_count"]),
                )
                if a["doctor_id"] is not None
                else None,
                source=SourceCard(source=a["source"], url=a["url"], license=a["license"])
                if a["source"] is not None
                else None,
            )
            for a in answer_rows
        )
        return StoredQuestion(
            id=int(row["id"]), question=row["title"], details=row["details"], answers=answers
        )

    async def bank_size(self) -> int:
        """Questions in the bank, answered or not."""
        return await self._scalar("SELECT count(*) FROM questions")

    # --- search (the matcher's SearchIndex) ---------------------------------------------------

    async def search_candidates(
        self, match_expression: str, limit: int
    ) -> list[matching.Candidate]:
        """The questions FTS5 ranks best for the expression, by bm25 (details weigh less)."""
        async with self.connection.execute(
            "SELECT f.rowid, q.title, f.title_terms, q.answer_count"
            " FROM questions_fts f JOIN questions q ON q.id = f.rowid"
            " WHERE questions_fts MATCH ? ORDER BY bm25(questions_fts, 1.0, 0.2) LIMIT ?",
            (match_expression, limit),
        ) as cursor:
            rows = await cursor.fetchall()
        return [
            matching.Candidate(
                question_id=int(row[0]),
                title=row[1],
                title_terms=tuple(row[2].split()),
                answered=int(row[3]) > 0,
            )
            for row in rows
        ]

    async def term_document_counts(self, query_terms: Sequence[str]) -> dict[str, int]:
        """How many questions each term occurs in."""
        counts: dict[str, int] = {}
        for batch in _chunks(query_terms, _MAX_PARAMETERS):
            async with self.connection.execute(
                "SELECT term, doc FROM questions_vocab"
                f" WHERE term IN ({_placeholders(len(batch))})",
                batch,
            ) as cursor:
                for row in await cursor.fetchall():
                    counts[row[0]] = int(row[1])
        return counts

    async def indexed_question_count(self) -> int:
        """Questions in the search index; cached until this repository changes the bank."""
        if self._question_count is None:
            self._question_count = await self.bank_size()
        return self._question_count

    # --- questions patients ask ---------------------------------------------------------------

    async def record_asked_question(
        self, *, update_id: int | None, patient_id: int, chat_id: int, text: str
    ) -> tuple[AskedQuestion, bool]:
        """Store a patient's question before anything else happens to it.

        Returns the stored question and whether it is new; a Telegram update delivered again
        (after a crash, say) returns the question stored the first time.
        """
        if update_id is not None:
            existing = await self._asked_by_update(update_id)
            if existing is not None:
                return existing, False
        cursor = await self.connection.execute(
            "INSERT INTO asked_questions (update_id, patient_id, chat_id, text)"
            " VALUES (?, ?, ?, ?)",
            (update_id, patient_id, chat_id, text),
        )
        await self.connection.commit()
        asked_id = cursor.lastrowid
        assert asked_id is not None
        stored = await self.get_asked_question(asked_id)
        assert stored is not None
        return stored, True

    async def _asked_by_update(self, update_id: int) -> AskedQuestion | None:
        async with self.connection.execute(
            "SELECT * FROM asked_questions WHERE update_id = ?", (update_id,)
        ) as cursor:
            row = await cursor.fetchone()
        return _asked(row) if row else None

    async def get_asked_question(self, asked_id: int) -> AskedQuestion | None:
        """A patient's question by its reference number."""
        async with self.connection.execute(
            "SELECT * FROM asked_questions WHERE id = ?", (asked_id,)
        ) as cursor:
            row = await cursor.fetchone()
        return _asked(row) if row else None

    async def settle_asked_question(
        self,
        asked_id: int,
        status: AskedStatus,
        matched_question_id: int | None,
        score: float | None,
    ) -> None:
        """Record what the matcher decided for a patient's question."""
        await self.connection.execute(
            "UPDATE asked_questions SET status = ?, matched_question_id = ?, match_score = ?"
            " WHERE id = ?",
            (status.value, matched_question_id, score, asked_id),
        )
        await self.connection.commit()

    async def mark_asked_replied(self, asked_id: int) -> None:
        """The patient has had our reply: a redelivered update must not send it again."""
        await self.connection.execute(
            "UPDATE asked_questions SET replied = 1 WHERE id = ?", (asked_id,)
        )
        await self.connection.commit()

    async def asked_questions(self, status: AskedStatus | None = None) -> list[AskedQuestion]:
        """Patients' questions, oldest first, optionally of one status."""
        query = "SELECT * FROM asked_questions"
        params: tuple[object, ...] = ()
        if status is not None:
            query += " WHERE status = ?"
            params = (status.value,)
        async with self.connection.execute(query + " ORDER BY id", params) as cursor:
            rows = await cursor.fetchall()
        return [_asked(row) for row in rows]

    async def _scalar(self, query: str, params: Sequence[object] = ()) -> int:
        async with self.connection.execute(query, params) as cursor:
            row = await cursor.fetchone()
        assert row is not None
        return int(row[0])


def _asked(row: aiosqlite.Row) -> AskedQuestion:
    return AskedQuestion(
        id=int(row["id"]),
        patient_id=int(row["patient_id"]),
        chat_id=int(row["chat_id"]),
        text=row["text"],
        status=AskedStatus(row["status"]),
        matched_question_id=row["matched_question_id"],
        replied=bool(row["replied"]),
    )


# --- evaluation baseline ---


class EvaluationIndex:
    """What `askdoc eval` reads besides the matcher's index: the source ids of bank questions,
    and a plain FTS5 bm25 baseline over the raw question text (a TEMP table, never stored)."""

    def __init__(self, connection: aiosqlite.Connection) -> None:
        self.connection = connection

    async def source_ids(self) -> dict[int, str | None]:
        """Each question's id as its source gave it (the JSONL `id`), by question id."""
        async with self.connection.execute("SELECT id, source_id FROM questions") as cursor:
            return {int(row[0]): row[1] for row in await cursor.fetchall()}

    async def build_baseline(self) -> None:
        """(Re)build the baseline's own FTS5 table over every question's raw title."""
        await self.connection.execute("DROP TABLE IF EXISTS temp.baseline_fts")
        await self.connection.execute(
            "CREATE VIRTUAL TABLE temp.baseline_fts USING fts5(title, tokenize='porter unicode61')"
        )
        await self.connection.execute(
            "INSERT INTO temp.baseline_fts (rowid, title) SELECT id, title FROM questions"
        )

    async def baseline_search(self, match_expression: str, limit: int) -> list[tuple[int, float]]:
        """Question ids and bm25 scores (lower is better) of the baseline's best matches."""
        async with self.connection.execute(
            "SELECT rowid, bm25(baseline_fts) FROM temp.baseline_fts"
            " WHERE baseline_fts MATCH ? ORDER BY bm25(baseline_fts) LIMIT ?",
            (match_expression, limit),
        ) as cursor:
            return [(int(row[0]), float(row[1])) for row in await cursor.fetchall()]
