"""The bank questions' stored sentence embeddings. It hands the matcher an index and keeps
none: the vectors in memory belong to whoever matches (the bot's services, askdoc eval)."""

from __future__ import annotations

import asyncio
import hashlib
import sqlite3
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bot import embeddings
from bot.store.database import MAX_PARAMETERS, Database, Row, chunks, placeholders

# Stored vectors read (and quantized) per query when loading: about 25 MB of float32 blobs.
LOAD_ROWS = 16_384
# Rows per page when only the signs are kept: smaller pages keep the start-up's peak low.
SIGN_LOAD_ROWS = 4_096
# From this many vectors on, only their signs are held in memory (48 bytes a question, where
# int8 takes 392); exact cosines are read back from the file. See docs/benchmarks.md.
SIGNS_FROM_ROWS = 200_000


def stored_reader(
    path: Path, model: str, table: str
) -> Callable[[Sequence[int]], dict[int, embeddings.Vectors]]:
    """Reads questions' stored vectors from the database file, for SignIndex: on the matcher's
    worker thread, through a read-only connection of its own (the store's one connection
    belongs to the event loop)."""

    address = f"{path.absolute().as_uri()}?mode=ro"

    def stored(question_ids: Sequence[int]) -> dict[int, embeddings.Vectors]:
        found: dict[int, embeddings.Vectors] = {}
        connection = sqlite3.connect(address, uri=True)
        try:
            for batch in chunks(question_ids, MAX_PARAMETERS - 1):
                for question_id, blob in connection.execute(
                    f"SELECT question_id, vector FROM {table}"
                    f" WHERE model = ? AND question_id IN ({placeholders(len(batch))})",
                    (model, *batch),
                ):
                    found[int(question_id)] = embeddings.from_blobs([bytes(blob)])[0]
        finally:
            connection.close()
        return found

    return stored


@dataclass(frozen=True, slots=True)
class LoadedVectors:
    """The bank's vectors for the matcher (None: no encoder, full-text matching), and how many
    questions had to be embedded first."""

    index: embeddings.VectorSearch | None
    embedded: int


@dataclass(frozen=True, slots=True)
class Unembedded:
    """A searchable question without a vector for its current text from an encoder."""

    question_id: int
    title: str
    text_hash: str


# The tables of the two vector spaces: the English encoder's, and the multilingual one's.
ENGLISH_TABLE = "question_embeddings"
MULTILINGUAL_TABLE = "multilingual_embeddings"


class Vectors:
    """Table `question_embeddings` (or `multilingual_embeddings`, the same shape): the vectors
    of one space."""

    def __init__(self, database: Database, table: str = ENGLISH_TABLE) -> None:
        self.database = database
        self.table = table

    async def unembedded(self, encoder: embeddings.Encoder) -> list[Unembedded]:
        """The searchable questions with no vector from this encoder for their current text
        (new, changed, or embedded by another encoder)."""
        found: list[Unembedded] = []
        after = -(2**63)
        while True:
            # A page at a time: a million questions' titles at once took hundreds of MB.
            # CROSS JOIN: questions the outer loop (see _pages).
            rows = await self.database.rows(
                "SELECT q.id, q.title, e.model, e.text_hash FROM questions q"
                " CROSS JOIN questions_fts f ON f.rowid = q.id"
                f" LEFT JOIN {self.table} e ON e.question_id = q.id"
                " WHERE q.id > ? ORDER BY q.id LIMIT ?",
                (after, LOAD_ROWS),
            )
            for row in rows:
                text_hash = hashlib.sha1(row["title"].encode("utf-8")).hexdigest()
                if row["model"] != encoder.name or row["text_hash"] != text_hash:
                    found.append(Unembedded(int(row["id"]), row["title"], text_hash))
            if len(rows) < LOAD_ROWS:
                return found
            after = int(rows[-1]["id"])

    async def embed_missing(
        self,
        encoder: embeddings.Encoder,
        *,
        unembedded: Sequence[Unembedded] | None = None,
        batch_size: int = 2048,
        on_progress: Callable[[int], None] | None = None,
    ) -> int:
        """Embed the questions `unembedded` lists (by default, every one that has no vector
        from this encoder for its current text); returns how many it embedded.

        Encoding runs in a worker thread, a batch at a time, so the event loop stays free.
        """
        if unembedded is None:
            unembedded = await self.unembedded(encoder)
        for batch in chunks(unembedded, batch_size):
            vectors = await asyncio.to_thread(
                embeddings.encode_in_batches, encoder, [question.title for question in batch]
            )
            async with self.database.transaction() as tx:
                await tx.execute_many(
                    f"INSERT OR REPLACE INTO {self.table}"
                    " (question_id, model, text_hash, vector) VALUES (?, ?, ?, ?)",
                    [
                        (q.question_id, encoder.name, q.text_hash, embeddings.to_blob(vector))
                        for q, vector in zip(batch, vectors, strict=True)
                    ],
                )
            if on_progress is not None:
                on_progress(len(batch))
        return len(unembedded)

    async def load(
        self, encoder: embeddings.Encoder, *, signs_from: int = SIGNS_FROM_ROWS
    ) -> embeddings.VectorSearch:
        """Every searchable question's stored vector from this encoder, as one index: int8
        (VectorIndex), or only their signs (SignIndex) from `signs_from` vectors on, when the
        database is a file its exact vectors can be read back from."""
        count = await self.database.scalar(
            f"SELECT count(*) FROM {self.table} WHERE model = ?", (encoder.name,)
        )
        if count >= signs_from and self.database.path is not None:
            return await self.load_signs(encoder, count)
        return await self.load_int8(encoder)

    async def _pages(
        self, encoder: embeddings.Encoder, rows_per_page: int = LOAD_ROWS
    ) -> AsyncIterator[list[Row]]:
        """The searchable questions' (question_id, vector) rows, LOAD_ROWS at a time, in
        question order. The ids page through the primary key; a question stored while the
        pages are read is in the index or, if not, encoded when matched."""
        after = -(2**63)
        while True:
            # CROSS JOIN keeps the vectors' table the outer loop: a range of its primary key
            # in order, each row's question looked up in the index, where JOIN let SQLite scan
            # the whole full-text index and sort every vector for each page.
            rows = await self.database.rows(
                f"SELECT e.question_id, e.vector FROM {self.table} e"
                " CROSS JOIN questions_fts f ON f.rowid = e.question_id"
                " WHERE e.model = ? AND e.question_id > ? ORDER BY e.question_id LIMIT ?",
                (encoder.name, after, rows_per_page),
            )
            if not rows:
                return
            yield rows
            after = int(rows[-1]["question_id"])
            if len(rows) < rows_per_page:
                return

    async def load_signs(self, encoder: embeddings.Encoder, expected: int) -> embeddings.SignIndex:
        """The vectors' signs (see SignIndex), read a page at a time; about `expected` rows."""
        assert self.database.path is not None
        ids = np.empty(expected, dtype=np.int64)
        signs = np.empty((0, expected), dtype=np.uint64)
        dimension = embeddings.DIMENSION
        filled = 0
        async for rows in self._pages(encoder, SIGN_LOAD_ROWS):
            vectors = embeddings.from_blobs([bytes(r["vector"]) for r in rows])
            page = embeddings.pack_signs(vectors)
            if filled == 0:
                dimension = vectors.shape[1]
                signs = np.empty((page.shape[0], expected), dtype=np.uint64)
            end = filled + len(rows)
            if end > ids.shape[0]:
                # Questions stored since the count: rare, so a copy will do.
                ids = np.concatenate([ids, np.empty(end - ids.shape[0], dtype=np.int64)])
                extra = np.empty((signs.shape[0], end - signs.shape[1]), dtype=np.uint64)
                signs = np.concatenate([signs, extra], axis=1)
            ids[filled:end] = [int(r["question_id"]) for r in rows]
            signs[:, filled:end] = page
            filled = end
        return embeddings.SignIndex(
            ids[:filled].copy(),
            np.ascontiguousarray(signs[:, :filled]),
            encoder,
            stored_reader(self.database.path, encoder.name, self.table),
            dimension,
        )

    async def load_int8(self, encoder: embeddings.Encoder) -> embeddings.VectorIndex:
        """Every searchable question's stored vector from this encoder, as one int8 index.

        Read LOAD_ROWS rows at a time and quantized as they come, so no float32 matrix of the
        whole bank (1.4 GiB at a million) is ever held, only the int8 one it becomes (a
        quarter of that)."""
        ids = np.empty(0, dtype=np.int64)
        codes = np.empty((0, 0), dtype=np.int8)
        scales = np.empty(0, dtype=np.float32)
        filled = 0
        async for rows in self._pages(encoder):
            page_codes, page_scales = embeddings.quantize_blobs([bytes(r["vector"]) for r in rows])
            if filled == 0:
                codes = np.empty((0, page_codes.shape[1]), dtype=np.int8)
            end = filled + len(rows)
            if end > ids.shape[0]:
                # Grown in place by a quarter: realloc moves a large block's pages, not its
                # bytes, so growing often costs little and overshoots little.
                capacity = max(end, ids.shape[0] + ids.shape[0] // 4)
                ids.resize(capacity, refcheck=False)
                codes.resize((capacity, codes.shape[1]), refcheck=False)
                scales.resize(capacity, refcheck=False)
            ids[filled:end] = [int(r["question_id"]) for r in rows]
            codes[filled:end] = page_codes
            scales[filled:end] = page_scales
            filled = end
        if filled == 0:
            codes = np.empty((0, embeddings.DIMENSION), dtype=np.int8)
        else:
            ids.resize(filled, refcheck=False)
            codes.resize((filled, codes.shape[1]), refcheck=False)
            scales.resize(filled, refcheck=False)
        return embeddings.VectorIndex.from_quantized(ids, codes, scales, encoder)

    async def index_for(
        self,
        encoder: embeddings.Encoder | None,
        on_progress: Callable[[int], None] | None = None,
    ) -> LoadedVectors:
        """Embed what the bank lacks, then load the bank's vectors for the matcher. Call it
        after importing the bank."""
        if encoder is None:
            return LoadedVectors(None, 0)
        embedded = await self.embed_missing(encoder, on_progress=on_progress)
        return LoadedVectors(await self.load(encoder), embedded)

    async def load_if(
        self, encoder: embeddings.Encoder | None, *, signs_from: int = SIGNS_FROM_ROWS
    ) -> embeddings.VectorSearch | None:
        """The bank's vectors from this encoder (None without one), embedding nothing."""
        return await self.load(encoder, signs_from=signs_from) if encoder is not None else None
