"""What `askdoc eval` reads besides the matcher's index: the source ids of bank questions, and
a plain FTS5 bm25 baseline over the raw question text (a TEMP table, never stored)."""

from __future__ import annotations

from bot.store.database import Database


class EvaluationIndex:
    """The baseline's own FTS5 table beside the bank, on the evaluation's throwaway database."""

    def __init__(self, database: Database) -> None:
        self.database = database

    async def source_ids(self) -> dict[int, str | None]:
        """Each question's id as its source gave it (the JSONL `id`), by question id."""
        return {
            int(row["id"]): row["source_id"]
            for row in await self.database.rows("SELECT id, source_id FROM questions")
        }

    async def build_baseline(self) -> None:
        """(Re)build the baseline's FTS5 table over every question's raw title."""
        connection = self.database.connection
        await connection.execute("DROP TABLE IF EXISTS temp.baseline_fts")
        await connection.execute(
            "CREATE VIRTUAL TABLE temp.baseline_fts USING fts5(title, tokenize='porter unicode61')"
        )
        await connection.execute(
            "INSERT INTO temp.baseline_fts (rowid, title) SELECT id, title FROM questions"
        )

    async def baseline_search(self, match_expression: str, limit: int) -> list[tuple[int, float]]:
        """Question ids and bm25 scores (lower is better) of the baseline's best matches."""
        return [
            (int(row["rowid"]), float(row["score"]))
            for row in await self.database.rows(
                "SELECT rowid, bm25(baseline_fts) AS score FROM temp.baseline_fts"
                " WHERE baseline_fts MATCH ? ORDER BY bm25(baseline_fts) LIMIT ?",
                (match_expression, limit),
            )
        ]
