"""Search the answer bank and decide whether the best hit is a good match. No Telegram here.

Two signals find and rank candidates: SQLite FTS5 over each question's normalised terms, rescored
by how much of the query's meaning (IDF-weighted terms) a candidate shares, and, when a sentence
encoder is available (bot.embeddings), the cosine of the query's embedding with every bank
question's. Candidates from both are ranked by a weighted sum of the two similarities.

The match / no-match decision needs a score that means the same for every query: a calibrated
probability that the best hit is right, from the best hit's similarity and its margin over the
runner-up (the best candidate whose question reads differently). A clear winner is a match; a
plausible but contested one is "unsure" (the bot may ask the patient to pick); the rest is no
good match. Without the encoder the same decision runs on the full-text similarity alone.
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Protocol

from bot.models import Candidate
from bot.terms import stem, terms
from bot.written_language import is_english

if TYPE_CHECKING:
    from bot.embeddings import VectorSearch

# Matching reads the start of a very long message: the question is almost always there, and
# scoring a whole essay would let incidental words outvote it. The whole text is still stored.
MATCH_CHARS = 1000

# Terms that say what is asked about a subject rather than the subject itself. A bank built as
# "the symptoms of X", "the treatment of X"... makes them common, so IDF weighs them as filler;
# they get at least INTENT_WEIGHT so asking about X's treatment does not match X's symptoms.
INTENT_WORDS = ("treatment", "symptoms", "prognosis", "diagnosis", "inherited", "prevent", "causes")
INTENT_WEIGHT = 4.0
INTENT_TERMS = frozenset(stem(word) for word in INTENT_WORDS)


def fts_query(query_terms: Sequence[str]) -> str:
    """An FTS5 MATCH expression that finds questions sharing any of the terms."""
    return " OR ".join(f'"{term}"' for term in query_terms)


# A term held by more than this share of the bank is not searched by alone: bm25 reads every
# question that holds a searched term (at a million questions "symptoms" alone costs 200 ms),
# and so common a term hardly tells candidates apart. It still counts when candidates are scored.
COMMON_SHARE = 0.01
# ...unless it is in fewer questions than this, which costs little to read whatever the bank.
COMMON_FLOOR = 500
# Rarer terms are searched, rarest first, until together they hold this many questions (the
# rarest is always searched), so a long message does not have half of a big bank ranked.
ROWS_SEARCHED = 4000
# However many questions an expression finds, bm25 ranks only the newest this many of them: in
# a big bank a query of common words alone ("side effects") would otherwise have tens of
# thousands ranked. Smaller banks rarely reach it.
ROWS_RANKED = 2000


def match_expressions(query_terms: Sequence[str], counts: dict[str, int], total: int) -> list[str]:
    """FTS5 MATCH expressions to find candidates by, to try in turn until one finds any: any
    of the query's rarer terms, or both of its two rarest common ones (only questions holding
    both are ranked, so "symptoms of diabetes" still finds its question cheaply); then the
    rarest term alone. None when no term is in the bank."""
    present = sorted((term for term in query_terms if counts.get(term, 0)), key=counts.__getitem__)
    common_above = max(COMMON_SHARE * total, COMMON_FLOOR)
    branches: list[str] = []
    rows = 0
    for term in present:
        rows += counts[term]
        if counts[term] > common_above or (branches and rows > ROWS_SEARCHED):
            break
        branches.append(f'"{term}"')
    common = [f'"{term}"' for term in present if counts[term] > common_above][:2]
    if len(common) == 2:
        branches.append(f"({common[0]} AND {common[1]})")
    elif common and not branches:
        branches.append(common[0])
    expressions = [" OR ".join(branches)] if branches else []
    if present and f'"{present[0]}"' not in branches:
        expressions.append(f'"{present[0]}"')
    return expressions


@dataclass(frozen=True, slots=True)
class Hit:
    """A ranked question with a score from 0 (unrelated) to 1 (same meaning)."""

    question_id: int
    title: str
    score: float
    answered: bool


# A result is "unsure" when no hit is good enough to show but the best reaches this share of
# min_score: the candidates are plausible, so the patient may be asked to pick one. These two
# shares are full-text search's (no encoder); each encoder's space has its own (Space).
UNSURE_SHARE = 0.5
# How many candidates the patient may be asked to choose from.
CHOICES = 3
# Each candidate offered as a choice scores at least this share of min_score itself; below it
# a candidate shares little meaning with the question (see the README's matching results).
CHOICE_FLOOR_SHARE = 0.2
# Below this cosine the best hit is about something else, however far it leads the rest (in a
# small bank it always leads): the patient is not asked whether it is their question.
UNSURE_MIN_COSINE = 0.5


@dataclass(frozen=True, slots=True)
class MatchResult:
    """The ranked hits and what to do with them: show the best (is_match), ask the patient which
    of `choices` they mean (is_unsure), or neither (no good match)."""

    hits: tuple[Hit, ...]
    is_match: bool
    is_unsure: bool = False
    # The least score a question offered as a choice must have of its own: the best hit being
    # plausible says nothing of the ones below it.
    choice_floor: float = 0.0
    # The best hit's similarity and its lead over the next that reads differently: what the
    # calibration turns into its score (kept for fitting the calibration to a new encoder).
    best_level: float = 0.0
    best_margin: float = 0.0

    @property
    def best(self) -> Hit | None:
        """The top hit, good or not."""
        return self.hits[0] if self.hits else None

    @property
    def choices(self) -> tuple[Hit, ...]:
        """Up to CHOICES answered hits with different titles, each scoring at least
        `choice_floor`, best first: the buttons of an "Is this your question?" reply."""
        return self.choices_among(answered_only=True)

    def choices_among(self, *, answered_only: bool) -> tuple[Hit, ...]:
        """`choices`, or with `answered_only` off the same among every hit (an evaluation's
        bank has questions that are matching targets without answers)."""
        picked: list[Hit] = []
        titles: set[str] = set()
        for hit in self.hits:
            title = " ".join(hit.title.lower().split())
            answered = hit.answered or not answered_only
            if answered and hit.score >= self.choice_floor and title not in titles:
                picked.append(hit)
                titles.add(title)
            if len(picked) == CHOICES:
                break
        return tuple(picked)


class SearchIndex(Protocol):
    """What the matcher needs from storage (bot.store.search provides it)."""

    async def search_candidates(
        self, match_expression: str, limit: int, newest: int
    ) -> list[Candidate]: ...

    async def term_document_counts(self, query_terms: Sequence[str]) -> dict[str, int]: ...

    async def indexed_question_count(self) -> int: ...

    async def candidates_by_id(self, question_ids: Sequence[int]) -> list[Candidate]: ...


def idf(document_count: int, total: int) -> float:
    """BM25's inverse document frequency: rare terms weigh more, no term weighs nothing."""
    return math.log(1.0 + (total - document_count + 0.5) / (document_count + 0.5))


def term_weight(term: str, document_count: int, total: int) -> float:
    """A term's weight: its IDF, but at least INTENT_WEIGHT for what is asked about (capped at
    half the weight of a word no question has, so a tiny bank is not dominated by it)."""
    weight = idf(document_count, total)
    if term in INTENT_TERMS:
        return max(weight, min(INTENT_WEIGHT, idf(0, total) / 2))
    return weight


# How much more finding the query's meaning in a candidate counts than finding the candidate's
# meaning in the query (F-beta's beta): a patient's question says more than a bank title.
RECALL_BETA = 1.5


def similarity(
    query_terms: Sequence[str], candidate_terms: Sequence[str], weights: dict[str, float]
) -> float:
    """How far the two questions mean the same, from 0 to 1.

    The F-beta mean of the IDF-weighted share of the query found in the candidate (recall) and
    of the candidate found in the query (precision): a candidate that merely contains the
    query's rarest word, or a query that merely mentions the candidate's topic, scores low.
    """
    return similarities(query_terms, [candidate_terms], weights)[0]


def similarities(
    query_terms: Sequence[str],
    candidates_terms: Sequence[Sequence[str]],
    weights: dict[str, float],
) -> list[float]:
    """`similarity` of the query to each candidate (the query's own weight summed once)."""
    query_set = set(query_terms)
    query_weight = sum(weights.get(term, 0.0) for term in query_set)
    beta2 = RECALL_BETA * RECALL_BETA
    scores = []
    for candidate_terms in candidates_terms:
        candidate_set = set(candidate_terms)
        shared = sum(weights.get(term, 0.0) for term in query_set & candidate_set)
        if shared == 0.0:
            scores.append(0.0)
            continue
        recall = shared / query_weight
        precision = shared / sum(weights.get(term, 0.0) for term in candidate_set)
        scores.append((1 + beta2) * recall * precision / (beta2 * precision + recall))
    return scores


@dataclass(frozen=True, slots=True)
class Calibration:
    """A logistic model of "the best hit is the right question" from the hit's similarity
    (`level`) and its margin over the best candidate that reads differently (`margin`)."""

    bias: float
    level: float
    margin: float

    def probability(self, level: float, margin: float) -> float:
        z = self.bias + self.level * level + self.margin * margin
        return 1.0 / (1.0 + math.exp(-z))


# Ranking with the encoder: cosine plus this share of the full-text similarity. The cosine
# carries the meaning of a patient's own words; shared rare words break its near-ties.
LEXICAL_SHARE = 0.2
# Fitted (logistic regression, 5-fold cross-validated) on public medical question pairs and
# consumer questions: two features and a bias each, so they carry over to other banks. The
# dense one is the shipped encoder's (`python -m training.calibrate` refits it to a new one).
DENSE_CALIBRATION = Calibration(bias=-4.84, level=4.48, margin=11.31)
LEXICAL_CALIBRATION = Calibration(bias=-2.2, level=0.5, margin=11.0)
# A lead over the runner-up is evidence only when the best hit is itself close: in a small bank
# a loosely related question leads by default. Below this cosine a hit is at most "unsure"
# (on the dev set this costs 0.007 of answered-right and gains 0.009 of precision).
MATCH_MIN_COSINE = 0.7


@dataclass(frozen=True, slots=True)
class Space:
    """How one vector space's similarities become decisions: each encoder has its own scale of
    cosines, so its own calibration and floors."""

    calibration: Calibration
    match_min_cosine: float
    unsure_min_cosine: float
    lexical_share: float
    # The "Is this your question?" band and its choices, as shares of min_score.
    unsure_share: float = UNSURE_SHARE
    choice_floor_share: float = CHOICE_FLOOR_SHARE


# With the encoder, the right question is among the first three far more often than first
# (recall@3 against top-1 on the dev set), so the patient is asked "Is this your question?"
# from a tenth of min_score up: one tap to the right answer for most questions the bank can
# answer, one tap to a doctor ("None of these") for the rest (see the README's figures).
ENGLISH = Space(
    DENSE_CALIBRATION,
    MATCH_MIN_COSINE,
    UNSURE_MIN_COSINE,
    LEXICAL_SHARE,
    unsure_share=0.1,
    choice_floor_share=0.1,
)
# The multilingual encoder's: its cosines are high for any two medical questions (a right
# match and the best of a bank with no answer differ by a few hundredths), so its calibration
# is steep and its floors sit higher; full-text similarity (English terms) says little of a
# question in Spanish. Fitted like the English one, on AskDoc's cross-language questions
# (bench/data/queries-crosslingual.jsonl; training/calibrate.py --queries). Its
# "Is this your question?" band was widened like the English one, on those questions.
MULTILINGUAL = Space(
    Calibration(bias=-49.32, level=55.78, margin=71.73),
    match_min_cosine=0.85,
    unsure_min_cosine=0.8,
    lexical_share=0.1,
    unsure_share=0.2,
    choice_floor_share=0.05,
)


def space_for(
    text: str,
    english: VectorSearch | None,
    multilingual: VectorSearch | None,
    *,
    unsure_from: float = ENGLISH.unsure_share,
) -> tuple[VectorSearch | None, Space]:
    """The vectors and decision for a patient's text: the multilingual encoder's for text not in
    English (when it is loaded), else AskDoc's English encoder's, its "Is this your question?"
    band starting at the operator's `unsure_from` (matching.unsure_from)."""
    if multilingual is not None and not is_english(text[:MATCH_CHARS]):
        return multilingual, MULTILINGUAL
    band = replace(
        ENGLISH,
        unsure_share=unsure_from,
        choice_floor_share=min(ENGLISH.choice_floor_share, unsure_from),
    )
    return english, band


def _reading(candidate: Candidate) -> frozenset[str] | str:
    """Questions that read the same (same meaningful terms) count as one for the margin."""
    return frozenset(candidate.title_terms) or " ".join(candidate.title.lower().split())


def _distinct_first(found: Sequence[Candidate], order: Sequence[int]) -> list[int]:
    """The ranking with each question that reads like a better one moved to the end, so the
    top few are different questions (a bank often holds one question under several sources).
    The best hit and its margin are unchanged."""
    seen: set[frozenset[str] | str] = set()
    first: list[int] = []
    repeats: list[int] = []
    for i in order:
        reading = _reading(found[i])
        (repeats if reading in seen else first).append(i)
        seen.add(reading)
    return first + repeats


def calibrated_scores(
    found: Sequence[Candidate], fused: Sequence[float], levels: Sequence[float], model: Calibration
) -> list[float]:
    """Each candidate's calibrated score, given candidates in ranked order (fused descending).

    A candidate's margin is its fused similarity minus that of the next candidate below it that
    reads differently: for the top hit, its lead over the runner-up; for the others, how far
    they stand out from the rest (so close alternatives keep a useful score). Scores never rise
    down the list.
    """
    scores: list[float] = []
    ceiling = 1.0
    readings = [_reading(candidate) for candidate in found]
    for i, (value, level) in enumerate(zip(fused, levels, strict=True)):
        below = next(
            (fused[j] for j in range(i + 1, len(found)) if readings[j] != readings[i]), 0.0
        )
        ceiling = min(ceiling, model.probability(level, value - below))
        scores.append(ceiling)
    return scores


def decide(hits: Sequence[Hit], min_score: float) -> bool:
    """A match is shown only when the best hit reaches the configured score."""
    return bool(hits) and hits[0].score >= min_score


def unsure(hits: Sequence[Hit], min_score: float, share: float = UNSURE_SHARE) -> bool:
    """Not a match, but the best hit is plausible: at least `share` of min_score."""
    return bool(hits) and share * min_score <= hits[0].score < min_score


async def find_matches(
    index: SearchIndex,
    text: str,
    *,
    min_score: float,
    candidates: int,
    vectors: VectorSearch | None = None,
    space: Space = ENGLISH,
    limit: int = 10,
) -> MatchResult:
    """Rank bank questions for a patient's text and decide whether the best is a good match.

    Uses the bank's sentence `vectors` (decided as their `space` says) when given, else
    full-text search alone.
    """
    query_terms = terms(text)
    total = max(await index.indexed_question_count(), 1)
    counts = dict.fromkeys(query_terms, 0)
    if query_terms:
        counts.update(await index.term_document_counts(query_terms))
    found: list[Candidate] = []
    for expression in match_expressions(query_terms, counts, total):
        found = await index.search_candidates(expression, candidates, ROWS_RANKED)
        if found:
            break
    cosines: list[float] | None = None
    if vectors is not None and len(vectors) and text.strip():
        # Both on a worker thread: the scan of every bank vector would hold up the event loop.
        query_vector, neighbours = await asyncio.to_thread(
            vectors.encode_and_search, text, candidates
        )
        known = {candidate.question_id for candidate in found}
        nearest = [qid for qid, _ in neighbours if qid not in known]
        if nearest:
            extra = {c.question_id: c for c in await index.candidates_by_id(nearest)}
            found += [extra[qid] for qid in nearest if qid in extra]
        cosines = await asyncio.to_thread(
            vectors.cosines,
            query_vector,
            [c.question_id for c in found],
            [c.title for c in found],
        )
    if not found:
        return MatchResult(hits=(), is_match=False)
    vocabulary = set(query_terms)
    for candidate in found:
        vocabulary.update(candidate.title_terms)
    unknown = sorted(term for term in vocabulary if term not in counts)
    if unknown:
        counts.update(await index.term_document_counts(unknown))
    weights = {term: term_weight(term, counts.get(term, 0), total) for term in vocabulary}
    lexical = similarities(query_terms, [c.title_terms for c in found], weights)
    if cosines is None:
        levels, fused, model = lexical, lexical, LEXICAL_CALIBRATION
    else:
        levels, model = cosines, space.calibration
        fused = [
            (1 - space.lexical_share) * cosine + space.lexical_share * lex
            for cosine, lex in zip(cosines, lexical, strict=True)
        ]
    # Stable sort keeps bm25's order (then the encoder's) among equal scores.
    order = _distinct_first(found, sorted(range(len(found)), key=lambda i: fused[i], reverse=True))
    ranked = [found[i] for i in order]
    scores = calibrated_scores(ranked, [fused[i] for i in order], [levels[i] for i in order], model)
    hits = tuple(
        Hit(question_id=c.question_id, title=c.title, score=score, answered=c.answered)
        for c, score in zip(ranked[:limit], scores, strict=False)
    )
    good = decide(hits, min_score)
    best_level = levels[order[0]]
    ranked_fused = [fused[i] for i in order]
    runner_up = next(
        (
            ranked_fused[j]
            for j in range(1, len(ranked))
            if _reading(ranked[j]) != _reading(ranked[0])
        ),
        0.0,
    )
    close = cosines is None or best_level >= space.match_min_cosine
    plausible = cosines is None or best_level >= space.unsure_min_cosine
    unsure_share, floor_share = (
        (UNSURE_SHARE, CHOICE_FLOOR_SHARE)
        if cosines is None
        else (space.unsure_share, space.choice_floor_share)
    )
    return MatchResult(
        hits=hits,
        is_match=good and close,
        is_unsure=plausible and (unsure(hits, min_score, unsure_share) or (good and not close)),
        choice_floor=floor_share * min_score,
        best_level=best_level,
        best_margin=ranked_fused[0] - runner_up,
    )
