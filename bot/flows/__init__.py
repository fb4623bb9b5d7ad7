"""The workflows as plain decisions, no Telegram: what becomes of a patient's question
(asking), of a doctor's answer (answering), of an application and an admin's decision
(registration). Handlers translate updates into calls here and outcomes into messages."""

from __future__ import annotations

from dataclasses import dataclass

from bot.config import Settings
from bot.embeddings import VectorSearch
from bot.matching import MatchResult, find_matches
from bot.store import Store


@dataclass
class Services:
    """What the flows work with, opened once at start-up: the config, the store, and the bank's
    sentence vectors (None: matching by full-text search alone)."""

    settings: Settings
    store: Store
    vectors: VectorSearch | None = None

    async def match(
        self, text: str, *, candidates: int | None = None, limit: int = 10
    ) -> MatchResult:
        """The bank's best questions for `text`, with the configured threshold."""
        matching = self.settings.matching
        return await find_matches(
            self.store.search,
            text,
            min_score=matching.min_score,
            candidates=candidates or matching.candidates,
            vectors=self.vectors,
            limit=limit,
        )
