"""The workflows as plain decisions, no Telegram: what becomes of a patient's question
(asking), of a doctor's answer (answering), of an application and an admin's decision
(registration). Handlers translate updates into calls here and outcomes into messages."""

from __future__ import annotations

from dataclasses import dataclass

from bot.config import Settings
from bot.embeddings import VectorSearch
from bot.matching import MatchResult, find_matches, space_for
from bot.store import Store


@dataclass
class Services:
    """What the flows work with, opened once at start-up: the config, the store, and the bank's
    sentence vectors (None: matching by full-text search alone), in English and in the
    multilingual space."""

    settings: Settings
    store: Store
    vectors: VectorSearch | None = None
    # The multilingual encoder's, for questions not in English (None: matched as English).
    multilingual_vectors: VectorSearch | None = None

    async def match(
        self, text: str, *, candidates: int | None = None, limit: int = 10
    ) -> MatchResult:
        """The bank's best questions for `text`, with the configured threshold."""
        matching = self.settings.matching
        vectors, space = space_for(
            text, self.vectors, self.multilingual_vectors, unsure_from=matching.unsure_from
        )
        return await find_matches(
            self.store.search,
            text,
            min_score=matching.min_score,
            candidates=candidates or matching.candidates,
            vectors=vectors,
            space=space,
            limit=limit,
        )
