"""Every SQL statement AskDoc runs. Takes and returns plain models; nothing above it writes SQL."""

from __future__ import annotations

import asyncio
import hashlib
import json
import secrets
from collections import Counter
from collections.abc import AsyncIterator, Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import asdict, dataclass
from itertools import islice
from typing import TypeVar

import aiosqlite
import numpy as np

from bot import embeddings, matching
from bot.models import (
    AnswerEntry,
    AskedQuestion,
    AskedStatus,
    BankEntry,
    Doctor,
    DoctorCard,
    DoctorProfile,
    DoctorStatus,
    Draft,
    OutboxMessage,
    OutgoingMessage,
    PublishedAnswer,
    Registration,
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


# Enough for the terms of a few thousand questions' candidates (a few MB); past it, start over.
_TERM_COUNTS_KEPT = 100_000

# Positional (?) or named (:name) statement parameters.
Parameters = Sequence[object] | Mapping[str, object]


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
        # Document counts of the terms patients' questions and their candidates use; dropped
        # with the question count whenever this repository changes the bank.
        self._term_counts: dict[str, int] = {}
        # One connection serves every coroutine: a statement run while another coroutine's
        # transaction is open would join it (and vanish with its rollback), so every write
        # takes this lock.
        self._write_lock = asyncio.Lock()
        # Every patient message is first checked against these (is it a doctor? an applicant
        # mid-registration?): kept in memory, dropped whenever this repository changes them.
        # Updates of several chats run at once, yet a cache read here cannot outlive the change
        # that drops it: the one connection runs statements in order, so a read queued before a
        # change returns (and is stored) before that change's drop.
        self._doctor_telegram_ids: frozenset[int] | None = None
        self._applicant_ids: frozenset[int] | None = None
        # Patients who tapped "Ask a follow-up" (patient id -> answer id), asked about on every
        # message; only set_follow_up changes them, or a bank change deleting the answer.
        self._follow_ups: dict[int, int] | None = None

    @asynccontextmanager
    async def _transaction(
        self, *, changes_people: bool = False
    ) -> AsyncIterator[aiosqlite.Connection]:
        """One write transaction. `changes_people`: it adds doctors or changes applications, so
        the cached id sets are dropped once it ends (a read inside it may have cached a set
        that the rollback or a later statement made wrong)."""
        async with self._write_lock:
            await self.connection.execute("BEGIN IMMEDIATE")
            try:
                yield self.connection
            except BaseException:
                await self.connection.rollback()
                raise
            else:
                await self.connection.commit()
            finally:
                if changes_people:
                    self._doctor_telegram_ids = self._applicant_ids = None

    # Each aiosqlite call is a round trip to its worker thread (a future, a wake-up of the event
    # loop): a read through a cursor costs three (execute, fetch, close), these cost one.
    async def _rows(self, query: str, params: Parameters = ()) -> list[aiosqlite.Row]:
        return list(await self.connection.execute_fetchall(query, params))

    async def _row(self, query: str, params: Parameters = ()) -> aiosqlite.Row | None:
        rows = await self._rows(query, params)
        return rows[0] if rows else None

    async def _write(self, statement: str, params: Parameters = ()) -> list[aiosqlite.Row]:
        """One statement in its own transaction (autocommit), in one round trip; returns what
        its RETURNING clause returns. Takes the write lock so that it cannot join another
        coroutine's open transaction."""
        async with self._write_lock:
            return await self._rows(statement, params)

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
        async with self._transaction():
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
                await self._index_questions(
                    [
                        (qid, matching.terms(e.question), matching.terms(e.details))
                        for qid, e, _ in written
                    ]
                )
                added += len(fresh)
                updated += len(changed)
                if on_progress is not None:
                    on_progress(len(batch))
        self._bank_changed()
        return ImportStats(added=added, updated=updated, unchanged=unchanged)

    async def remove_bank_entries_except(self, key_prefix: str, keep: Sequence[str]) -> int:
        """Delete bank questions whose key starts with `key_prefix` and is not in `keep`."""
        keep_set = set(keep)
        stale = [
            int(row[0])
            for row in await self._rows(
                "SELECT id, bank_key FROM questions WHERE bank_key >= ? AND bank_key < ?",
                (key_prefix, key_prefix + "\U0010ffff"),
            )
            if row[1] not in keep_set
        ]
        if not stale:
            return 0
        async with self._transaction():
            await self._remove_answers_and_index(stale)
            for batch in _chunks(stale, _MAX_PARAMETERS):
                await self.connection.execute(
                    f"DELETE FROM questions WHERE id IN ({_placeholders(len(batch))})", batch
                )
        self._bank_changed()
        return len(stale)

    async def _existing_keys(self, keys: Sequence[str]) -> dict[str, tuple[int, str]]:
        found: dict[str, tuple[int, str]] = {}
        for batch in _chunks(keys, _MAX_PARAMETERS):
            for row in await self._rows(
                "SELECT bank_key, id, content_hash FROM questions"
                f" WHERE bank_key IN ({_placeholders(len(batch))})",
                batch,
            ):
                found[row[0]] = (int(row[1]), row[2])
        return found

    async def _remove_answers_and_index(self, question_ids: Sequence[int]) -> None:
        for batch in _chunks(question_ids, _MAX_PARAMETERS):
            marks = _placeholders(len(batch))
            await self.connection.execute(
                f"DELETE FROM answers WHERE question_id IN ({marks})", batch
            )
        await self._unindex_questions(question_ids)

    async def _index_questions(
        self, rows: Sequence[tuple[int, Sequence[str], Sequence[str]]]
    ) -> None:
        """Add questions to the search index (id, title terms, detail terms) and count their
        terms; inside a transaction."""
        await self.connection.executemany(
            "INSERT INTO questions_fts (rowid, title_terms, detail_terms) VALUES (?, ?, ?)",
            [(qid, " ".join(title), " ".join(details)) for qid, title, details in rows],
        )
        await self._count_terms([{*title, *details} for _, title, details in rows], +1)

    async def _unindex_questions(self, question_ids: Sequence[int]) -> None:
        """Take questions out of the search index and uncount their terms; in a transaction."""
        for batch in _chunks(question_ids, _MAX_PARAMETERS):
            marks = _placeholders(len(batch))
            indexed = [
                {*row[0].split(), *row[1].split()}
                for row in await self._rows(
                    f"SELECT title_terms, detail_terms FROM questions_fts WHERE rowid IN ({marks})",
                    batch,
                )
            ]
            await self.connection.execute(
                f"DELETE FROM questions_fts WHERE rowid IN ({marks})", batch
            )
            await self._count_terms(indexed, -1)

    async def _count_terms(self, term_sets: Sequence[set[str]], sign: int) -> None:
        totals = Counter(term for term_set in term_sets for term in term_set)
        await self.connection.executemany(
            "INSERT INTO term_counts (term, documents) VALUES (?, ?)"
            " ON CONFLICT (term) DO UPDATE SET documents = documents + excluded.documents",
            [(term, sign * count) for term, count in totals.items()],
        )
        if sign < 0:
            await self.connection.execute("DELETE FROM term_counts WHERE documents <= 0")

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
        row = await self._row(
            "SELECT id, title, details FROM questions WHERE id = ?", (question_id,)
        )
        if row is None:
            return None
        answer_rows = await self._rows(
            "SELECT a.id, a.heading, a.body, a.source, a.url, a.license, d.id AS doctor_id,"
            " d.name, d.title, d.location, d.rating_total, d.review_count"
            " FROM answers a LEFT JOIN doctors d ON d.id = a.doctor_id"
            " WHERE a.question_id = ? ORDER BY a.position",
            (question_id,),
        )
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
        self, match_expression: str, limit: int, newest: int
    ) -> list[matching.Candidate]:
        """The questions FTS5 ranks best for the expression, by bm25 (details weigh less), among
        the `newest` questions that match it: bm25 reads every question it ranks, while reading
        the matching ids alone is cheap."""
        rows = await self._rows(
            "SELECT f.rowid, q.title, f.title_terms, q.answer_count"
            " FROM questions_fts f JOIN questions q ON q.id = f.rowid"
            " WHERE questions_fts MATCH :expression AND f.rowid >= coalesce("
            "(SELECT rowid FROM questions_fts WHERE questions_fts MATCH :expression"
            " ORDER BY rowid DESC LIMIT 1 OFFSET :skip), 0)"
            " ORDER BY bm25(questions_fts, 1.0, 0.2) LIMIT :limit",
            {"expression": match_expression, "skip": newest - 1, "limit": limit},
        )
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
        """How many questions each term occurs in (0: none)."""
        cache = self._term_counts
        missing = [term for term in dict.fromkeys(query_terms) if term not in cache]
        if len(cache) + len(missing) > _TERM_COUNTS_KEPT:
            cache.clear()
            missing = list(dict.fromkeys(query_terms))
        for batch in _chunks(missing, _MAX_PARAMETERS):
            found = dict.fromkeys(batch, 0)
            for row in await self._rows(
                "SELECT term, documents FROM term_counts"
                f" WHERE term IN ({_placeholders(len(batch))})",
                batch,
            ):
                found[row[0]] = int(row[1])
            cache.update(found)
        return {term: cache[term] for term in query_terms}

    def _bank_changed(self) -> None:
        self._question_count = None
        self._term_counts.clear()
        # Deleting an answer clears follow-ups to it (ON DELETE SET NULL).
        self._follow_ups = None

    async def indexed_question_count(self) -> int:
        """Questions in the search index; cached until this repository changes the bank."""
        if self._question_count is None:
            self._question_count = await self.bank_size()
        return self._question_count

    # --- embeddings ---------------------------------------------------------------------------

    # The bank's vectors in memory for the matcher, once `use_encoder` has loaded them.
    _vectors: embeddings.VectorIndex | None = None

    @property
    def vectors(self) -> embeddings.VectorIndex | None:
        """The bank's sentence vectors and their encoder, or None (full-text matching only)."""
        return self._vectors

    async def embed_questions(
        self,
        encoder: embeddings.Encoder,
        *,
        batch_size: int = 2048,
        on_progress: Callable[[int], None] | None = None,
    ) -> int:
        """Embed every searchable bank question that has no vector from this encoder for its
        current text (new, changed, or made by another encoder); returns how many it embedded.

        Encoding runs in a worker thread, a batch at a time, so the event loop stays free.
        """
        rows = await self._rows(
            "SELECT q.id, q.title, e.model, e.text_hash FROM questions q"
            " JOIN questions_fts f ON f.rowid = q.id"
            " LEFT JOIN question_embeddings e ON e.question_id = q.id"
        )
        stale: list[tuple[int, str, str]] = []
        for row in rows:
            text_hash = hashlib.sha1(row[1].encode("utf-8")).hexdigest()
            if row[2] != encoder.name or row[3] != text_hash:
                stale.append((int(row[0]), row[1], text_hash))
        for batch in _chunks(stale, batch_size):
            vectors = await asyncio.to_thread(
                embeddings.encode_in_batches, encoder, [title for _, title, _ in batch]
            )
            async with self._transaction():
                await self.connection.executemany(
                    "INSERT OR REPLACE INTO question_embeddings"
                    " (question_id, model, text_hash, vector) VALUES (?, ?, ?, ?)",
                    [
                        (qid, encoder.name, text_hash, embeddings.to_blob(vector))
                        for (qid, _, text_hash), vector in zip(batch, vectors, strict=True)
                    ],
                )
            if on_progress is not None:
                on_progress(len(batch))
        return len(stale)

    async def load_vectors(self, encoder: embeddings.Encoder) -> embeddings.VectorIndex:
        """Every searchable question's stored vector from this encoder, as one matrix."""
        rows = await self._rows(
            "SELECT e.question_id, e.vector FROM question_embeddings e"
            " JOIN questions_fts f ON f.rowid = e.question_id"
            " WHERE e.model = ? ORDER BY e.question_id",
            (encoder.name,),
        )
        return embeddings.VectorIndex(
            question_ids=np.array([int(row[0]) for row in rows], dtype=np.int64),
            matrix=embeddings.from_blobs([bytes(row[1]) for row in rows]),
            encoder=encoder,
        )

    async def use_encoder(
        self,
        encoder: embeddings.Encoder | None,
        on_progress: Callable[[int], None] | None = None,
    ) -> int:
        """Embed what the bank lacks and hold its vectors for the matcher (None: stop using
        them). Call it after importing the bank; returns how many questions it embedded."""
        if encoder is None:
            self._vectors = None
            return 0
        embedded = await self.embed_questions(encoder, on_progress=on_progress)
        self._vectors = await self.load_vectors(encoder)
        return embedded

    async def candidates_by_id(self, question_ids: Sequence[int]) -> list[matching.Candidate]:
        """The searchable questions with these ids, with their index terms (order not kept)."""
        found: list[matching.Candidate] = []
        for batch in _chunks(question_ids, _MAX_PARAMETERS):
            found.extend(
                matching.Candidate(
                    question_id=int(row[0]),
                    title=row[1],
                    title_terms=tuple(row[2].split()),
                    answered=int(row[3]) > 0,
                )
                for row in await self._rows(
                    "SELECT f.rowid, q.title, f.title_terms, q.answer_count"
                    " FROM questions_fts f JOIN questions q ON q.id = f.rowid"
                    f" WHERE f.rowid IN ({_placeholders(len(batch))})",
                    batch,
                )
            )
        return found

    # --- questions patients ask ---------------------------------------------------------------

    async def record_asked_question(
        self, *, update_id: int | None, patient_id: int, chat_id: int, text: str
    ) -> tuple[AskedQuestion, bool]:
        """Store a patient's question before anything else happens to it.

        Returns the stored question and whether it is new; a Telegram update delivered again
        (after a crash, say) returns the question stored the first time. An update id is only
        unique for a while (Telegram restarts the sequence after a quiet week; an emulator at
        every start), so a stored id from another patient or text is stale and gives way.
        """
        insert = (
            "INSERT INTO asked_questions (update_id, patient_id, chat_id, text)"
            " VALUES (?, ?, ?, ?) ON CONFLICT (update_id) DO NOTHING RETURNING *"
        )
        params = (update_id, patient_id, chat_id, text)
        stored = await self._write(insert, params)
        if stored:
            return _asked(stored[0]), True
        assert update_id is not None  # only a stored update id can conflict
        existing = await self._asked_by_update(update_id)
        if existing is not None and (existing.patient_id, existing.text) == (patient_id, text):
            return existing, False
        async with self._transaction() as connection:
            await connection.execute(
                "UPDATE asked_questions SET update_id = NULL WHERE update_id = ?", (update_id,)
            )
            stored = await self._rows(insert, params)
        return _asked(stored[0]), True

    async def _asked_by_update(self, update_id: int) -> AskedQuestion | None:
        row = await self._row("SELECT * FROM asked_questions WHERE update_id = ?", (update_id,))
        return _asked(row) if row else None

    async def get_asked_question(self, asked_id: int) -> AskedQuestion | None:
        """A patient's question by its reference number."""
        row = await self._row("SELECT * FROM asked_questions WHERE id = ?", (asked_id,))
        return _asked(row) if row else None

    async def settle_asked_question(
        self,
        asked_id: int,
        status: AskedStatus,
        matched_question_id: int | None,
        score: float | None,
        replies: Sequence[OutgoingMessage] = (),
    ) -> list[int]:
        """Record what became of a patient's question and queue the replies, in one step.

        Once this returns, the question is answered as far as a redelivered update is
        concerned, and the outbox owns getting the replies out. Returns the outbox ids.
        """
        async with self._transaction() as connection:
            await connection.execute(
                "UPDATE asked_questions SET status = ?, matched_question_id = ?,"
                " match_score = ?, replied = 1 WHERE id = ?",
                (status.value, matched_question_id, score, asked_id),
            )
            return await self._enqueue(replies)

    async def asked_questions(self, status: AskedStatus | None = None) -> list[AskedQuestion]:
        """Patients' questions, oldest first, optionally of one status."""
        query = "SELECT * FROM asked_questions"
        params: tuple[object, ...] = ()
        if status is not None:
            query += " WHERE status = ?"
            params = (status.value,)
        rows = await self._rows(query + " ORDER BY id", params)
        return [_asked(row) for row in rows]

    # --- the outbox ---------------------------------------------------------------------------

    async def _enqueue(self, messages: Sequence[OutgoingMessage]) -> list[int]:
        ids = []
        for message in messages:
            cursor = await self.connection.execute(
                "INSERT INTO outbox (chat_id, body_html, markup_json, edit_of, edit_message_id)"
                " VALUES (?, ?, ?, ?, ?)",
                (
                    message.chat_id,
                    message.body_html,
                    message.markup_json,
                    message.edit_of,
                    message.edit_message_id,
                ),
            )
            assert cursor.lastrowid is not None
            ids.append(cursor.lastrowid)
        return ids

    async def enqueue(self, messages: Sequence[OutgoingMessage]) -> list[int]:
        """Queue messages for delivery; returns their outbox ids."""
        async with self._transaction():
            return await self._enqueue(messages)

    async def pending_outbox(self, limit: int = 200) -> list[OutboxMessage]:
        """Undelivered messages, oldest first (per-chat order is delivery order)."""
        rows = await self._rows(
            "SELECT id, chat_id, body_html, markup_json, edit_of, edit_message_id, attempts,"
            " next_attempt_at FROM outbox WHERE status = 'pending' ORDER BY id LIMIT ?",
            (limit,),
        )
        return [
            OutboxMessage(
                id=int(row[0]),
                chat_id=int(row[1]),
                body_html=row[2],
                markup_json=row[3],
                edit_of=row[4],
                edit_message_id=row[5],
                attempts=int(row[6]),
                next_attempt_at=float(row[7]),
            )
            for row in rows
        ]

    async def outbox_target(self, outbox_id: int) -> tuple[str, int | None]:
        """Status and Telegram message id of an outbox message (what an edit of it needs)."""
        row = await self._row(
            "SELECT status, sent_message_id FROM outbox WHERE id = ?", (outbox_id,)
        )
        return (row[0], row[1]) if row else ("failed", None)

    async def outbox_delivered(self, outbox_id: int, message_id: int | None) -> None:
        """Telegram has the message."""
        await self._write(
            "UPDATE outbox SET status = 'sent', sent_message_id = ?, attempts = attempts + 1,"
            " sent_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?",
            (message_id, outbox_id),
        )

    async def outbox_retry_later(self, outbox_id: int, at: float, error: str) -> None:
        """Telegram refused for now: try again at `at` (a time.time() value)."""
        await self._write(
            "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?, last_error = ?"
            " WHERE id = ?",
            (at, error, outbox_id),
        )

    async def outbox_give_up(self, outbox_id: int, status: str, error: str) -> None:
        """Stop trying: `undeliverable` (the user blocked us) or `failed` (Telegram said no)."""
        await self._write(
            "UPDATE outbox SET status = ?, attempts = attempts + 1, last_error = ? WHERE id = ?",
            (status, error, outbox_id),
        )

    async def outbox_counts(self) -> dict[str, int]:
        """How many outbox messages are in each status."""
        return {
            row[0]: int(row[1])
            for row in await self._rows("SELECT status, count(*) FROM outbox GROUP BY status")
        }

    # --- doctors ------------------------------------------------------------------------------

    async def sync_config_doctors(self, profiles: Sequence[DoctorProfile]) -> None:
        """Make the config's doctor list true: add and update those listed, revoke the rest.

        A doctor an admin revoked stays revoked; one the config dropped comes back when listed.
        """
        listed = {profile.telegram_id for profile in profiles}
        async with self._transaction(changes_people=True) as connection:
            for profile in profiles:
                await connection.execute(
                    "INSERT INTO doctors (identity, name, title, location, telegram_id,"
                    " specialties, status, origin) VALUES (?, ?, ?, ?, ?, ?, 'active', 'config')"
                    " ON CONFLICT (telegram_id) DO UPDATE SET name = excluded.name,"
                    " title = excluded.title, location = excluded.location,"
                    " specialties = excluded.specialties, origin = 'config',"
                    " status = CASE WHEN doctors.revoked_by = 'admin' THEN doctors.status"
                    " ELSE 'active' END,"
                    " revoked_by = CASE WHEN doctors.revoked_by = 'admin' THEN 'admin' END",
                    (
                        f"tg:{profile.telegram_id}",
                        profile.name,
                        profile.title,
                        profile.location,
                        profile.telegram_id,
                        ",".join(profile.specialties),
                    ),
                )
            dropped = [
                int(row[0])
                for row in await self._rows(
                    "SELECT id, telegram_id FROM doctors"
                    " WHERE origin = 'config' AND status = 'active'"
                )
                if row[1] not in listed
            ]
            for doctor_id in dropped:
                await connection.execute(
                    "UPDATE doctors SET status = 'revoked', revoked_by = 'config' WHERE id = ?",
                    (doctor_id,),
                )

    async def apply_as_doctor(self, profile: DoctorProfile) -> Doctor:
        """An invited doctor's application: stored as pending until an admin decides."""
        async with self._transaction(changes_people=True) as connection:
            await connection.execute(
                "INSERT INTO doctors (identity, name, title, location, telegram_id, status,"
                " origin) VALUES (?, ?, ?, ?, ?, 'pending', 'invite')"
                " ON CONFLICT (telegram_id) DO UPDATE SET name = excluded.name,"
                " title = excluded.title, location = excluded.location, status = 'pending'"
                " WHERE doctors.status IN ('rejected', 'pending')",
                (
                    f"tg:{profile.telegram_id}",
                    profile.name,
                    profile.title,
                    profile.location,
                    profile.telegram_id,
                ),
            )
            await connection.execute(
                "DELETE FROM registrations WHERE telegram_id = ?", (profile.telegram_id,)
            )
        doctor = await self.doctor_by_telegram_id(profile.telegram_id)
        assert doctor is not None
        return doctor

    _DOCTOR_COLUMNS = (
        "d.id, d.telegram_id, d.name, d.title, d.location, d.rating_total, d.review_count,"
        " d.specialties, d.status,"
        " (SELECT count(*) FROM answers a WHERE a.doctor_id = d.id AND a.asked_id IS NOT NULL)"
    )

    async def _doctors_where(self, condition: str, params: Sequence[object] = ()) -> list[Doctor]:
        rows = await self._rows(
            f"SELECT {self._DOCTOR_COLUMNS} FROM doctors d WHERE {condition} ORDER BY d.id",
            params,
        )
        return [_doctor(row) for row in rows]

    async def _ids(self, query: str) -> frozenset[int]:
        return frozenset(int(row[0]) for row in await self._rows(query))

    async def doctor_by_telegram_id(self, telegram_id: int) -> Doctor | None:
        """The doctor behind a Telegram user, whatever their status."""
        if self._doctor_telegram_ids is None:
            self._doctor_telegram_ids = await self._ids(
                "SELECT telegram_id FROM doctors WHERE telegram_id IS NOT NULL"
            )
        if telegram_id not in self._doctor_telegram_ids:
            return None
        found = await self._doctors_where("d.telegram_id = ?", (telegram_id,))
        return found[0] if found else None

    async def get_doctor(self, doctor_id: int) -> Doctor | None:
        """A doctor by id."""
        found = await self._doctors_where("d.id = ?", (doctor_id,))
        return found[0] if found else None

    async def active_doctors(self) -> list[Doctor]:
        """Doctors who may answer questions now."""
        return await self._doctors_where("d.status = 'active'")

    async def bot_doctors(self) -> list[Doctor]:
        """Every doctor who uses the bot (not the bank's authors), for admins."""
        return await self._doctors_where("d.status != 'author'")

    # --- patients -----------------------------------------------------------------------------

    async def patient_label(self, telegram_id: int) -> str:
        """The patient's anonymous label, made on first use and the same ever after."""
        row = await self._row("SELECT label FROM patients WHERE telegram_id = ?", (telegram_id,))
        if row is not None:
            return str(row[0])
        while True:
            # Random, not derived from the id, so the label reveals nothing about it.
            label = "".join(secrets.choice(_LABEL_ALPHABET) for _ in range(4))
            if await self._write(
                "INSERT INTO patients (telegram_id, label) VALUES (?, ?)"
                " ON CONFLICT DO NOTHING RETURNING label",
                (telegram_id, label),
            ):
                return label
            # The patient is there already, or another has this label: look, else draw again.
            row = await self._row(
                "SELECT label FROM patients WHERE telegram_id = ?", (telegram_id,)
            )
            if row is not None:
                return str(row[0])

    async def set_follow_up(self, telegram_id: int, answer_id: int | None) -> None:
        """Remember that the patient's next message is a follow-up to an answer (or forget)."""
        await self.patient_label(telegram_id)
        await self._write(
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
            rows = await self._rows(
                "SELECT telegram_id, follow_up_answer_id FROM patients"
                " WHERE follow_up_answer_id IS NOT NULL"
            )
            self._follow_ups = {int(row[0]): int(row[1]) for row in rows}
        return self._follow_ups.get(telegram_id)

    # --- routing and answering ----------------------------------------------------------------

    async def route_question(
        self,
        asked_id: int,
        offers: Sequence[tuple[int, OutgoingMessage]],
        patient_replies: Sequence[OutgoingMessage],
        *,
        status: AskedStatus = AskedStatus.OPEN,
        score: float | None = None,
        follow_up_of: int | None = None,
    ) -> None:
        """Offer a question to doctors and tell the patient, in one step (see settle)."""
        async with self._transaction() as connection:
            await connection.execute(
                "UPDATE asked_questions SET status = ?, match_score = ?, replied = 1,"
                " routed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), follow_up_of = ?"
                " WHERE id = ?",
                (status.value, score, follow_up_of, asked_id),
            )
            for doctor_id, message in offers:
                [outbox_id] = await self._enqueue([message])
                await connection.execute(
                    "INSERT INTO offers (asked_id, doctor_id, outbox_id) VALUES (?, ?, ?)"
                    " ON CONFLICT DO NOTHING",
                    (asked_id, doctor_id, outbox_id),
                )
            await self._enqueue(patient_replies)

    _ANSWERABLE = (
        "q.routed_at IS NOT NULL"
        " AND (SELECT count(*) FROM answers a WHERE a.asked_id = q.id) < :needed"
        " AND NOT EXISTS (SELECT 1 FROM offers o WHERE o.asked_id = q.id"
        " AND o.doctor_id = :doctor AND o.state IN ('skipped', 'answered', 'closed'))"
        " AND (q.follow_up_of IS NULL OR EXISTS (SELECT 1 FROM offers o"
        " WHERE o.asked_id = q.id AND o.doctor_id = :doctor))"
    )

    async def answerable_questions(
        self, doctor_id: int, answers_per_question: int, limit: int = 20
    ) -> list[AskedQuestion]:
        """Questions this doctor may take: sent to doctors, still short of answers, not
        skipped or answered by them; a follow-up only for the doctor it was meant for."""
        return [
            _asked(row)
            for row in await self._rows(
                f"SELECT q.* FROM asked_questions q WHERE {self._ANSWERABLE}"
                " ORDER BY q.id LIMIT :limit",
                {"needed": answers_per_question, "doctor": doctor_id, "limit": limit},
            )
        ]

    async def may_answer(self, doctor_id: int, asked_id: int, answers_per_question: int) -> bool:
        """Whether this doctor may answer this question now."""
        return (
            await self._row(
                f"SELECT 1 FROM asked_questions q WHERE q.id = :asked AND {self._ANSWERABLE}",
                {"needed": answers_per_question, "doctor": doctor_id, "asked": asked_id},
            )
            is not None
        )

    async def offer_by_message(self, doctor_id: int, message_id: int) -> int | None:
        """The question a doctor's message offered, found from a reply to that message."""
        row = await self._row(
            "SELECT o.asked_id FROM offers o JOIN outbox m ON m.id = o.outbox_id"
            " WHERE o.doctor_id = ? AND m.sent_message_id = ?",
            (doctor_id, message_id),
        )
        return int(row[0]) if row else None

    async def skip_offer(self, doctor_id: int, asked_id: int) -> None:
        """The doctor passes on a question (offered to them or taken from the queue)."""
        await self._write(
            "INSERT INTO offers (asked_id, doctor_id, state) VALUES (?, ?, 'skipped')"
            " ON CONFLICT (asked_id, doctor_id) DO UPDATE SET state = 'skipped'"
            " WHERE offers.state = 'offered'",
            (asked_id, doctor_id),
        )

    async def answer_count_for(self, asked_id: int) -> int:
        """Doctors' answers a patient's question has."""
        return await self._scalar("SELECT count(*) FROM answers WHERE asked_id = ?", (asked_id,))

    async def save_draft(self, draft: Draft) -> None:
        """Start or update the doctor's one draft (a new one replaces any other)."""
        await self._write(
            "INSERT INTO drafts (doctor_id, asked_id, answer_id, body) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (doctor_id) DO UPDATE SET asked_id = excluded.asked_id,"
            " answer_id = excluded.answer_id, body = excluded.body",
            (draft.doctor_id, draft.asked_id, draft.answer_id, draft.body),
        )

    async def draft(self, doctor_id: int) -> Draft | None:
        """The doctor's draft, if any."""
        row = await self._row(
            "SELECT doctor_id, asked_id, answer_id, body FROM drafts WHERE doctor_id = ?",
            (doctor_id,),
        )
        if row is None:
            return None
        return Draft(doctor_id=row[0], asked_id=row[1], answer_id=row[2], body=row[3])

    async def discard_draft(self, doctor_id: int) -> None:
        """Forget the doctor's draft."""
        await self._write("DELETE FROM drafts WHERE doctor_id = ?", (doctor_id,))

    async def publish_answer(
        self,
        doctor_id: int,
        asked_id: int,
        body: str,
        answers_per_question: int,
        messages_for: Callable[[PublishedAnswer], Sequence[OutgoingMessage]],
    ) -> PublishedAnswer | None:
        """A doctor's answer: into the bank at once, to the patient, and close the question to
        other doctors once it has enough answers. All or nothing; None, and nothing written,
        when the doctor may no longer answer it (checked inside the transaction, because
        doctors pressing Send at the same moment are handled side by side).

        `messages_for` builds the outbox messages once the answer has its id (buttons carry it).
        """
        async with self._transaction() as connection:
            if not await self.may_answer(doctor_id, asked_id, answers_per_question):
                return None
            asked = await self.get_asked_question(asked_id)
            assert asked is not None
            question_id = await self._bank_question_for(asked)
            position = await self._scalar(
                "SELECT coalesce(max(position), -1) + 1 FROM answers WHERE question_id = ?",
                (question_id,),
            )
            cursor = await connection.execute(
                "INSERT INTO answers (question_id, position, doctor_id, body, asked_id)"
                " VALUES (?, ?, ?, ?, ?)",
                (question_id, position, doctor_id, body, asked_id),
            )
            assert cursor.lastrowid is not None
            answer_id = cursor.lastrowid
            await connection.execute(
                "UPDATE questions SET answer_count = answer_count + 1 WHERE id = ?",
                (question_id,),
            )
            await connection.execute(
                "UPDATE asked_questions SET status = 'answered' WHERE id = ?", (asked_id,)
            )
            await connection.execute(
                "UPDATE offers SET state = 'answered' WHERE asked_id = ? AND doctor_id = ?",
                (asked_id, doctor_id),
            )
            await connection.execute("DELETE FROM drafts WHERE doctor_id = ?", (doctor_id,))
            count = await self._scalar(
                "SELECT count(*) FROM answers WHERE asked_id = ?", (asked_id,)
            )
            closed: list[tuple[int, int]] = []
            if count >= answers_per_question:
                closed = [
                    (int(row[0]), int(row[1]))
                    for row in await self._rows(
                        "SELECT o.outbox_id, d.telegram_id FROM offers o"
                        " JOIN doctors d ON d.id = o.doctor_id"
                        " WHERE o.asked_id = ? AND o.state IN ('offered', 'skipped')"
                        " AND o.outbox_id IS NOT NULL",
                        (asked_id,),
                    )
                ]
                await connection.execute(
                    "UPDATE offers SET state = 'closed' WHERE asked_id = ?"
                    " AND state IN ('offered', 'skipped')",
                    (asked_id,),
                )
            published = PublishedAnswer(
                answer_id=answer_id,
                question_id=question_id,
                answer_count=count,
                closed_offers=tuple(closed),
            )
            await self._enqueue(messages_for(published))
        self._bank_changed()
        return published

    async def _bank_question_for(self, asked: AskedQuestion) -> int:
        """The bank question a patient's question becomes once a doctor answers it."""
        key = f"asked:{asked.id}"
        row = await self._row("SELECT id FROM questions WHERE bank_key = ?", (key,))
        if row is not None:
            return int(row[0])
        title = asked.text.strip()
        cursor = await self.connection.execute(
            "INSERT INTO questions (bank_key, title, content_hash) VALUES (?, ?, '')",
            (key, title),
        )
        assert cursor.lastrowid is not None
        question_id = cursor.lastrowid
        # A follow-up only makes sense beside the exchange before it: kept, never matched.
        if asked.follow_up_of is None:
            await self._index_questions([(question_id, matching.terms(title), ())])
        await self.connection.execute(
            "UPDATE asked_questions SET bank_question_id = ? WHERE id = ?",
            (question_id, asked.id),
        )
        return question_id

    async def doctor_answer(self, answer_id: int) -> tuple[StoredAnswer, int, AskedQuestion] | None:
        """A doctor's answer with its author's id and the patient's question it answers."""
        row = await self._row(
            "SELECT question_id, doctor_id, asked_id FROM answers"
            " WHERE id = ? AND asked_id IS NOT NULL",
            (answer_id,),
        )
        if row is None:
            return None
        question = await self.get_question(int(row[0]))
        asked = await self.get_asked_question(int(row[2]))
        assert question is not None and asked is not None
        [answer] = [a for a in question.answers if a.id == answer_id]
        return answer, int(row[1]), asked

    async def answers_by_doctor(
        self, doctor_id: int, limit: int = 20
    ) -> list[tuple[int, str, str]]:
        """The doctor's own answers, newest first: (answer id, question, answer text)."""
        return [
            (int(r[0]), r[1], r[2])
            for r in await self._rows(
                "SELECT a.id, q.title, a.body"
                " FROM answers a JOIN questions q ON q.id = a.question_id"
                " WHERE a.doctor_id = ? AND a.asked_id IS NOT NULL ORDER BY a.id DESC LIMIT ?",
                (doctor_id, limit),
            )
        ]

    async def revise_answer(
        self, answer_id: int, body: str, messages: Sequence[OutgoingMessage]
    ) -> None:
        """A doctor edited their answer: the bank shows the new text and the patient is told."""
        async with self._transaction() as connection:
            await connection.execute(
                "UPDATE answers SET body = ?, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"
                " WHERE id = ?",
                (body, answer_id),
            )
            row = await self._row("SELECT doctor_id FROM answers WHERE id = ?", (answer_id,))
            if row is not None:
                await connection.execute("DELETE FROM drafts WHERE doctor_id = ?", (row[0],))
            await self._enqueue(messages)

    async def rate_answer(self, answer_id: int, patient_id: int, stars: int) -> bool:
        """A patient's stars for an answer to their own question; once per patient per answer
        (rating again changes the stars, not the count). False when they may not rate it."""
        async with self._transaction() as connection:
            row = await self._row(
                "SELECT a.doctor_id FROM answers a JOIN asked_questions q ON q.id = a.asked_id"
                " WHERE a.id = ? AND q.patient_id = ?",
                (answer_id, patient_id),
            )
            if row is None or row[0] is None:
                return False
            doctor_id = int(row[0])
            previous = await self._row(
                "SELECT stars FROM ratings WHERE answer_id = ? AND patient_id = ?",
                (answer_id, patient_id),
            )
            if previous is None:
                await connection.execute(
                    "INSERT INTO ratings (answer_id, patient_id, stars) VALUES (?, ?, ?)",
                    (answer_id, patient_id, stars),
                )
                await connection.execute(
                    "UPDATE doctors SET rating_total = rating_total + ?,"
                    " review_count = review_count + 1 WHERE id = ?",
                    (stars, doctor_id),
                )
            else:
                await connection.execute(
                    "UPDATE ratings SET stars = ? WHERE answer_id = ? AND patient_id = ?",
                    (stars, answer_id, patient_id),
                )
                await connection.execute(
                    "UPDATE doctors SET rating_total = rating_total + ? WHERE id = ?",
                    (stars - int(previous[0]), doctor_id),
                )
            return True

    # --- registrations ------------------------------------------------------------------------

    async def registration(self, telegram_id: int) -> Registration | None:
        """A doctor's application in progress."""
        if self._applicant_ids is None:
            self._applicant_ids = await self._ids("SELECT telegram_id FROM registrations")
        if telegram_id not in self._applicant_ids:
            return None
        row = await self._row(
            "SELECT telegram_id, step, name, title, location FROM registrations"
            " WHERE telegram_id = ?",
            (telegram_id,),
        )
        return Registration(*row) if row else None

    async def save_registration(self, registration: Registration) -> None:
        """Store the application's progress."""
        async with self._transaction(changes_people=True) as connection:
            await connection.execute(
                "INSERT INTO registrations (telegram_id, step, name, title, location)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT (telegram_id) DO UPDATE SET"
                " step = excluded.step, name = excluded.name, title = excluded.title,"
                " location = excluded.location",
                (
                    registration.telegram_id,
                    registration.step,
                    registration.name,
                    registration.title,
                    registration.location,
                ),
            )

    # --- admin ------------------------------------------------------------------------------

    async def discard_registration(self, telegram_id: int) -> bool:
        """Drop an application in progress; False when there was none."""
        async with self._transaction(changes_people=True) as connection:
            cursor = await connection.execute(
                "DELETE FROM registrations WHERE telegram_id = ?", (telegram_id,)
            )
            return cursor.rowcount > 0

    async def change_doctor_status(
        self,
        doctor_id: int,
        status: DoctorStatus,
        *,
        only_from: Sequence[DoctorStatus],
        messages: Sequence[OutgoingMessage] = (),
    ) -> bool:
        """An admin's decision: set the status only while it is one of `only_from` (so a second
        press, or another admin's, changes nothing), and queue `messages` with the change.
        A doctor who may no longer answer loses the answer they were writing."""
        revoked_by = "admin" if status is DoctorStatus.REVOKED else None
        async with self._transaction() as connection:
            cursor = await connection.execute(
                "UPDATE doctors SET status = ?, revoked_by = ?"
                f" WHERE id = ? AND status IN ({_placeholders(len(only_from))})",
                (status.value, revoked_by, doctor_id, *(value.value for value in only_from)),
            )
            if cursor.rowcount == 0:
                return False
            if status is not DoctorStatus.ACTIVE:
                await connection.execute("DELETE FROM drafts WHERE doctor_id = ?", (doctor_id,))
            await self._enqueue(messages)
            return True

    # --- statistics ---------------------------------------------------------------------------

    async def statistics(self) -> dict[str, float | int | None]:
        """Figures for admins: questions, how they were answered, speed and ratings."""
        figures: dict[str, float | int | None] = {}
        row = await self._row(
            "SELECT count(*), sum(status = 'matched'), sum(routed_at IS NOT NULL),"
            " sum(status = 'answered') FROM asked_questions"
        )
        assert row is not None
        figures["asked"] = int(row[0])
        figures["answered_from_bank"] = int(row[1] or 0)
        figures["routed"] = int(row[2] or 0)
        figures["answered_by_doctors"] = int(row[3] or 0)
        delays = sorted(
            float(r[0])
            for r in await self._rows(
                "SELECT (julianday(min(a.created_at)) - julianday(q.created_at)) * 86400"
                " FROM answers a JOIN asked_questions q ON q.id = a.asked_id GROUP BY q.id"
            )
        )
        figures["median_seconds_to_answer"] = _median(delays)
        row = await self._row("SELECT count(*), avg(stars) FROM ratings")
        assert row is not None
        figures["ratings"] = int(row[0])
        figures["average_stars"] = float(row[1]) if row[1] is not None else None
        return figures

    async def _scalar(self, query: str, params: Sequence[object] = ()) -> int:
        row = await self._row(query, params)
        assert row is not None
        return int(row[0])


_LABEL_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def _median(values: Sequence[float]) -> float | None:
    if not values:
        return None
    middle = len(values) // 2
    return values[middle] if len(values) % 2 else (values[middle - 1] + values[middle]) / 2


def _doctor(row: aiosqlite.Row) -> Doctor:
    return Doctor(
        id=int(row[0]),
        telegram_id=row[1],
        card=DoctorCard(
            name=row[2],
            title=row[3],
            location=row[4],
            rating_total=float(row[5]),
            review_count=int(row[6]),
        ),
        specialties=tuple(word for word in row[7].split(",") if word),
        status=DoctorStatus(row[8]),
        answers_given=int(row[9]),
    )


def _asked(row: aiosqlite.Row) -> AskedQuestion:
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
    )


# --- evaluation baseline ---


class EvaluationIndex:
    """What `askdoc eval` reads besides the matcher's index: the source ids of bank questions,
    and a plain FTS5 bm25 baseline over the raw question text (a TEMP table, never stored)."""

    def __init__(self, connection: aiosqlite.Connection) -> None:
        self.connection = connection

    async def source_ids(self) -> dict[int, str | None]:
        """Each question's id as its source gave it (the JSONL `id`), by question id."""
        return {
            int(row[0]): row[1]
            for row in await self.connection.execute_fetchall("SELECT id, source_id FROM questions")
        }

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
        return [
            (int(row[0]), float(row[1]))
            for row in await self.connection.execute_fetchall(
                "SELECT rowid, bm25(baseline_fts) FROM temp.baseline_fts"
                " WHERE baseline_fts MATCH ? ORDER BY bm25(baseline_fts) LIMIT ?",
                (match_expression, limit),
            )
        ]
