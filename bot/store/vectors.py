"""The bank questions' stored sentence embeddings. It hands the matcher an index and keeps
none: the vectors in memory belong to whoever matches (the bot's services, askdoc eval)."""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from bot import embeddings
from bot.store.database import Database, chunks

# Stored vectors read (and quantized) per query when loading: about 25 MB of float32 blobs.
LOAD_ROWS = 16_384


@dataclass(frozen=True, slots=True)
class LoadedVectors:
    """The bank's vectors for the matcher (None: no encoder, full-text matching), and how many
    questions had to be embedded first."""

    index: embeddings.VectorIndex | None
    embedded: int


@dataclass(frozen=True, slots=True)
class Unembedded:
    """A searchable question without a vector for its current text from an encoder."""

    question_id: int
    title: str
    text_hash: str


class Vectors:
    """Table `question_embeddings`."""

    def __init__(self, database: Database) -> None:
        self.database = database

    async def unembedded(self, encoder: embeddings.Encoder) -> list[Unembedded]:
        """The searchable questions with no vector from this encoder for their current text
        (new, changed, or embedded by another encoder)."""
        rows = await self.database.rows(
            "SELECT q.id, q.title, e.model, e.text_hash FROM questions q"
            " JOIN questions_fts f ON f.rowid = q.id"
            " LEFT JOIN question_embeddings e ON e.question_id = q.id"
        )
        found: list[Unembedded] = []
        for row in rows:
            text_hash = hashlib.sha1(row["title"].encode("utf-8")).hexdigest()
            if row["model"] != encoder.name or row["text_hash"] != text_hash:
                found.append(Unembedded(int(row["id"]), row["title"], text_hash))
        return found

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
                    "INSERT OR REPLACE INTO question_embeddings"
                    " (question_id, model, text_hash, vector) VALUES (?, ?, ?, ?)",
                    [
                        (q.question_id, encoder.name, q.text_hash, embeddings.to_blob(vector))
                        for q, vector in zip(batch, vectors, strict=True)
                    ],
                )
            if on_progress is not None:
                on_progress(len(batch))
        return len(unembedded)

    async def load(self, encoder: embeddings.Encoder) -> embeddings.VectorIndex:
        """Every searchable question's stored vector from this encoder, as one int8 index.

        Read LOAD_ROWS rows at a time in question order and quantized as they come, so no
        float32 matrix of the whole bank (1.4 GiB at a million) is ever held, only the int8
        one it becomes (a quarter of that). The ids page through the primary key; a question
        stored while the pages are read is in the index or, if not, encoded when matched."""
        ids = np.empty(0, dtype=np.int64)
        codes = np.empty((0, 0), dtype=np.int8)
        scales = np.empty(0, dtype=np.float32)
        filled = 0
        after = -(2**63)
        while True:
            # CROSS JOIN keeps question_embeddings the outer loop: a range of its primary key
            # in order, each row's question looked up in the index, where JOIN let SQLite scan
            # the whole full-text index and sort every vector for each page.
            rows = await self.database.rows(
                "SELECT e.question_id, e.vector FROM question_embeddings e"
                " CROSS JOIN questions_fts f ON f.rowid = e.question_id"
                " WHERE e.model = ? AND e.question_id > ? ORDER BY e.question_id LIMIT ?",
                (encoder.name, after, LOAD_ROWS),
            )
            if not rows:
                break
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
            after = int(ids[end - 1])
            if len(rows) < LOAD_ROWS:
                break
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

    async def load_if(self, encoder: embeddings.Encoder | None) -> embeddings.VectorIndex | None:
        """The bank's vectors from this encoder (None without one), embedding nothing."""
        return await self.load(encoder) if encoder is not None else None
