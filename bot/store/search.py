"""The full-text index of the bank's questions (FTS5 over their analysed terms), how many
questions hold each term, and what the matcher reads of them (bot.matching.SearchIndex)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from bot.models import Candidate
from bot.store.database import Change, Database, Row, Transaction, chunks, placeholders

# Enough for the terms of a few thousand questions' candidates (a few MB); past it, start over.
TERM_COUNTS_KEPT = 100_000


def _candidate(row: Row) -> Candidate:
    return Candidate(
        question_id=int(row["id"]),
        title=row["title"],
        title_terms=tuple(row["title_terms"].split()),
        answered=int(row["answer_count"]) > 0,
    )


class Search:
    """The index over `questions_fts` and `term_counts`; rowid = questions.id."""

    def __init__(self, database: Database) -> None:
        self.database = database
        self._question_count: int | None = None
        # Document counts of the terms patients' questions and their candidates use; dropped
        # with the question count whenever the bank changes.
        self._term_counts: dict[str, int] = {}
        database.on_change(Change.BANK, self._forget)

    def _forget(self) -> None:
        self._question_count = None
        self._term_counts.clear()

    async def add(
        self, tx: Transaction, rows: Sequence[tuple[int, Sequence[str], Sequence[str]]]
    ) -> None:
        """Index questions (id, title terms, detail terms) and count their terms."""
        await tx.execute_many(
            "INSERT INTO questions_fts (rowid, title_terms, detail_terms) VALUES (?, ?, ?)",
            [(qid, " ".join(title), " ".join(details)) for qid, title, details in rows],
        )
        await self._count_terms(tx, [{*title, *details} for _, title, details in rows], +1)
        tx.changed(Change.BANK)

    async def remove(self, tx: Transaction, question_ids: Sequence[int]) -> None:
        """Take questions out of the index and uncount their terms."""
        for batch in chunks(question_ids):
            marks = placeholders(len(batch))
            indexed = [
                {*row["title_terms"].split(), *row["detail_terms"].split()}
                for row in await tx.rows(
                    f"SELECT title_terms, detail_terms FROM questions_fts WHERE rowid IN ({marks})",
                    batch,
                )
            ]
            await tx.execute(f"DELETE FROM questions_fts WHERE rowid IN ({marks})", batch)
            await self._count_terms(tx, indexed, -1)
        tx.changed(Change.BANK)

    async def _count_terms(self, tx: Transaction, term_sets: Sequence[set[str]], sign: int) -> None:
        totals = Counter(term for term_set in term_sets for term in term_set)
        await tx.execute_many(
            "INSERT INTO term_counts (term, documents) VALUES (?, ?)"
            " ON CONFLICT (term) DO UPDATE SET documents = documents + excluded.documents",
            [(term, sign * count) for term, count in totals.items()],
        )
        if sign < 0:
            await tx.execute("DELETE FROM term_counts WHERE documents <= 0")

    async def search_candidates(
        self, match_expression: str, limit: int, newest: int
    ) -> list[Candidate]:
        """The questions FTS5 ranks best for the expression, by bm25 (details weigh less), among
        the `newest` questions that match it: bm25 reads every question it ranks, while reading
        the matching ids alone is cheap."""
        rows = await self.database.rows(
            "SELECT f.rowid AS id, q.title, f.title_terms, q.answer_count"
            " FROM questions_fts f JOIN questions q ON q.id = f.rowid"
            " WHERE questions_fts MATCH :expression AND f.rowid >= coalesce("
            "(SELECT rowid FROM questions_fts WHERE questions_fts MATCH :expression"
            " ORDER BY rowid DESC LIMIT 1 OFFSET :skip), 0)"
            " ORDER BY bm25(questions_fts, 1.0, 0.2) LIMIT :limit",
            {"expression": match_expression, "skip": newest - 1, "limit": limit},
        )
        return [_candidate(row) for row in rows]

    async def candidates_by_id(self, question_ids: Sequence[int]) -> list[Candidate]:
        """The indexed questions with these ids, with their index terms (order not kept)."""
        found: list[Candidate] = []
        for batch in chunks(question_ids):
            found.extend(
                _candidate(row)
                for row in await self.database.rows(
                    "SELECT f.rowid AS id, q.title, f.title_terms, q.answer_count"
                    " FROM questions_fts f JOIN questions q ON q.id = f.rowid"
                    f" WHERE f.rowid IN ({placeholders(len(batch))})",
                    batch,
                )
            )
        return found

    async def term_document_counts(self, query_terms: Sequence[str]) -> dict[str, int]:
        """How many questions each term occurs in (0: none)."""
        cache = self._term_counts
        missing = [term for term in dict.fromkeys(query_terms) if term not in cache]
        if len(cache) + len(missing) > TERM_COUNTS_KEPT:
            cache.clear()
            missing = list(dict.fromkeys(query_terms))
        for batch in chunks(missing):
            found = dict.fromkeys(batch, 0)
            for row in await self.database.rows(
                "SELECT term, documents FROM term_counts"
                f" WHERE term IN ({placeholders(len(batch))})",
                batch,
            ):
                found[row["term"]] = int(row["documents"])
            cache.update(found)
        return {term: cache[term] for term in query_terms}

    async def indexed_question_count(self) -> int:
        """Questions in the bank; kept until the bank changes."""
        if self._question_count is None:
            self._question_count = await self.database.scalar("SELECT count(*) FROM questions")
        return self._question_count
