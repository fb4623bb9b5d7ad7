"""Matching: the pure scoring logic, and the matcher over a real SQLite bank."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot import db
from bot.bank_files import read_question_folder
from bot.matching import (
    INTENT_WEIGHT,
    Hit,
    decide,
    find_matches,
    idf,
    similarity,
    term_weight,
    terms,
)
from bot.models import AnswerEntry, BankEntry
from bot.repository import Repository

PROJECT = Path(__file__).resolve().parents[1]
ANSWERS = PROJECT / "answers"
BANK = PROJECT.parent / "shared" / "eval" / "bank.jsonl"
MIN_SCORE = 0.68

EMATRIX = "why would I need microdermabrasion after ematrix?"
ALCOHOL = "can I drink alcohol on antibiotics"


def test_terms_drop_question_words_and_stem() -> None:
    assert terms("What are the symptoms of Gout?") == ["symptom", "gout"]
    assert terms("How is it diagnosed, and does it hurt?") == ["diagnos", "hurt"]
    assert terms("what is it? can you tell me please") == []
    assert terms("Pain, pain and more PAIN") == ["pain"]


def test_synonyms_and_abbreviations_meet_in_one_form() -> None:
    assert terms("heart attack") == terms("myocardial infarction")
    assert terms("my BP is high") == terms("my blood pressure is high")
    assert terms("high blood pressure") == terms("hypertension")
    assert terms("UTI") == terms("urinary tract infection")
    assert terms("anaemia and diarrhoea") == terms("anemia and diarrhea")
    assert terms("she is pregnant") == terms("pregnancy")
    # Only whole words are rewritten.
    assert terms("flue") != terms("influenza")
    assert terms("flu shot") == ["influenza", "shot"]


def test_intent_terms_weigh_at_least_the_intent_weight_in_a_big_bank() -> None:
    assert term_weight("symptom", 9000, 18000) == INTENT_WEIGHT
    assert term_weight("gout", 9000, 18000) == idf(9000, 18000)
    assert term_weight("gout", 3, 18000) == idf(3, 18000)
    # A tiny bank: capped at half the weight of an unseen word.
    assert term_weight("treatment", 1, 1) == pytest.approx(idf(0, 1) / 2)


def test_similarity_prefers_the_question_that_means_the_same() -> None:
    weights = {"gout": 8.0, "symptom": 4.0, "treatment": 4.0, "diet": 6.0}
    query = ["symptom", "gout"]
    same = similarity(query, ["symptom", "gout"], weights)
    other_aspect = similarity(query, ["treatment", "gout"], weights)
    broader = similarity(query, ["gout"], weights)
    narrower = similarity(query, ["symptom", "gout", "diet"], weights)
    unrelated = similarity(query, ["diet"], weights)
    assert same == pytest.approx(1.0)
    assert same > broader > other_aspect > unrelated == 0.0
    assert same > narrower > other_aspect
    assert 0.0 <= other_aspect <= 1.0


def test_decide_needs_a_best_hit_at_the_threshold() -> None:
    def hit(score: float) -> Hit:
        return Hit(question_id=1, title="t", score=score, answered=True)

    assert decide([hit(0.7)], 0.7)
    assert not decide([hit(0.69)], 0.7)
    assert not decide([], 0.0)


@pytest.fixture
async def repository(tmp_path: Path) -> AsyncIterator[Repository]:
    connection = await db.connect(tmp_path / "t.db")
    repo = Repository(connection)
    await repo.import_bank(read_question_folder(ANSWERS))
    try:
        yield repo
    finally:
        await connection.close()


async def test_the_seed_question_matches_and_the_unrelated_one_does_not(
    repository: Repository,
) -> None:
    result = await find_matches(repository, EMATRIX, min_score=MIN_SCORE, candidates=30)
    assert result.is_match and result.best is not None and result.best.answered
    assert "EMatrix" in result.best.title
    result = await find_matches(repository, ALCOHOL, min_score=MIN_SCORE, candidates=30)
    assert not result.is_match


@pytest.mark.skipif(not BANK.is_file(), reason="../shared/eval is not available")
async def test_the_seed_question_still_matches_beside_the_public_bank(
    repository: Repository,
) -> None:
    from bot.bank_files import read_jsonl

    await repository.import_bank(read_jsonl(BANK))
    result = await find_matches(repository, EMATRIX, min_score=MIN_SCORE, candidates=30)
    assert result.is_match and result.best is not None
    assert "EMatrix" in result.best.title and result.best.answered


async def test_an_edited_entry_reimported_updates_the_search(repository: Repository) -> None:
    def entry(question: str) -> BankEntry:
        return BankEntry(
            key="file:gout.yaml", question=question, answers=(AnswerEntry(text="An answer."),)
        )

    await repository.import_bank([entry("What are the symptoms of gout?")])
    found = await find_matches(repository, "gout symptoms", min_score=MIN_SCORE, candidates=30)
    assert found.is_match and found.best is not None and "gout" in found.best.title
    await repository.import_bank([entry("Which foods help with migraine headaches?")])
    found = await find_matches(repository, "gout symptoms", min_score=MIN_SCORE, candidates=30)
    assert not found.hits
    found = await find_matches(
        repository, "foods for migraine headaches", min_score=MIN_SCORE, candidates=30
    )
    assert found.is_match and found.best is not None and "migraine" in found.best.title


async def test_a_question_without_answers_is_a_hit_marked_unanswered(
    repository: Repository,
) -> None:
    await repository.import_bank(
        [BankEntry(key="q:1", source_id="q1", question="Can shingles come back?")]
    )
    result = await find_matches(
        repository, "can shingles come back again", min_score=MIN_SCORE, candidates=30
    )
    assert result.best is not None and result.best.title == "Can shingles come back?"
    assert result.best.answered is False and result.is_match
