"""Matching: the pure scoring logic, and the matcher over a real SQLite bank."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.bank_files import read_question_folder
from bot.matching import (
    CHOICE_FLOOR_SHARE,
    DENSE_CALIBRATION,
    INTENT_WEIGHT,
    LEXICAL_CALIBRATION,
    MULTILINGUAL,
    UNSURE_SHARE,
    Calibration,
    Hit,
    MatchResult,
    calibrated_scores,
    decide,
    find_matches,
    idf,
    match_expressions,
    similarity,
    term_weight,
    unsure,
)
from bot.models import AnswerEntry, BankEntry, Candidate
from bot.store import Store
from bot.terms import terms
from bot.testing import PROJECT, SHARED_EVAL, open_store

ANSWERS = PROJECT / "answers"
BANK = SHARED_EVAL / "bank.jsonl"
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


def _hit(score: float, title: str = "t", answered: bool = True, qid: int = 1) -> Hit:
    return Hit(question_id=qid, title=title, score=score, answered=answered)


def test_unsure_is_the_band_below_the_threshold() -> None:
    floor = UNSURE_SHARE * 0.6
    assert not unsure([_hit(0.6)], 0.6)  # a match, not unsure
    assert unsure([_hit(0.59)], 0.6)
    assert unsure([_hit(floor)], 0.6)
    assert not unsure([_hit(floor - 0.01)], 0.6)
    assert not unsure([], 0.6)
    # The multilingual space asks from lower down: its right question is more often among the
    # first three than first.
    wider = MULTILINGUAL.unsure_share * 0.6
    assert wider < floor and unsure([_hit(wider)], 0.6, MULTILINGUAL.unsure_share)
    assert not unsure([_hit(wider)], 0.6)


def test_choices_are_answered_hits_with_different_titles() -> None:
    hits = (
        _hit(0.5, "What are the treatments for Dry Mouth ?", qid=1),
        _hit(0.5, "What are the  treatments for dry mouth ?", qid=2),
        _hit(0.4, "Is dry mouth inherited?", answered=False, qid=3),
        _hit(0.3, "What causes dry mouth?", qid=4),
        _hit(0.2, "How is dry mouth diagnosed?", qid=5),
        _hit(0.1, "Dry eyes", qid=6),
    )
    result = MatchResult(hits=hits, is_match=False, is_unsure=True)
    assert [hit.question_id for hit in result.choices] == [1, 4, 5]
    # A candidate far below the best is not offered, however few choices that leaves.
    floored = MatchResult(hits=hits, is_match=False, is_unsure=True, choice_floor=0.25)
    assert [hit.question_id for hit in floored.choices] == [1, 4]


async def test_a_question_far_below_the_best_is_not_offered_as_a_choice(seeded: Store) -> None:
    await seeded.bank.import_entries(
        [
            BankEntry(key=f"t:{number}", question=question, answers=(AnswerEntry("Yes."),))
            for number, question in enumerate(
                [
                    "What are the symptoms of gout?",
                    "How is gout treated?",
                    "Is gout inherited?",
                    "What causes gout attacks?",
                ]
            )
        ]
    )
    result = await find_matches(
        seeded.search, "gout symptoms and treatment", min_score=MIN_SCORE, candidates=30
    )
    assert result.is_unsure and len(result.choices) >= 2
    weak = [hit for hit in result.hits if hit.answered and hit.score < result.choice_floor]
    assert weak, result.hits
    assert not set(weak) & set(result.choices)
    assert result.choice_floor == pytest.approx(CHOICE_FLOOR_SHARE * MIN_SCORE)


def test_calibration_rises_with_similarity_and_margin() -> None:
    for model in (DENSE_CALIBRATION, LEXICAL_CALIBRATION):
        assert model.probability(0.9, 0.1) > model.probability(0.7, 0.1)
        assert model.probability(0.8, 0.2) > model.probability(0.8, 0.0)
        assert 0.0 < model.probability(0.0, -1.0) < model.probability(1.0, 1.0) < 1.0


def _candidate(qid: int, terms_: str) -> Candidate:
    return Candidate(
        question_id=qid, title=terms_, title_terms=tuple(terms_.split()), answered=True
    )


def test_a_clear_winner_scores_higher_than_a_contested_one() -> None:
    model = Calibration(bias=0.0, level=1.0, margin=10.0)
    clear = calibrated_scores(
        [_candidate(1, "gout symptom"), _candidate(2, "acne diet")], [0.9, 0.3], [0.9, 0.3], model
    )
    contested = calibrated_scores(
        [_candidate(1, "gout symptom"), _candidate(2, "gout treatment")],
        [0.9, 0.85],
        [0.9, 0.85],
        model,
    )
    assert clear[0] > contested[0]
    assert clear[0] == pytest.approx(model.probability(0.9, 0.6))
    # Below the top a candidate's margin is over the ones below it; scores never rise.
    assert contested[1] == contested[0] < model.probability(0.85, 0.85)
    assert clear == sorted(clear, reverse=True) and contested == sorted(contested, reverse=True)


def test_questions_that_read_the_same_do_not_contest_each_other() -> None:
    model = Calibration(bias=0.0, level=1.0, margin=10.0)
    twins = [_candidate(1, "dry mouth treatment"), _candidate(2, "dry mouth treatment")]
    scores = calibrated_scores(
        [*twins, _candidate(3, "dry eye")], [0.8, 0.8, 0.4], [0.8] * 3, model
    )
    # The runner-up is the first question that reads differently (margin 0.4), for both twins.
    assert scores[0] == scores[1] == pytest.approx(model.probability(0.8, 0.4))
    assert calibrated_scores([], [], [], model) == []


@pytest.fixture
async def seeded(tmp_path: Path) -> AsyncIterator[Store]:
    async with open_store(tmp_path / "t.db") as opened:
        await opened.bank.import_entries(read_question_folder(ANSWERS))
        yield opened


async def test_the_seed_question_matches_and_the_unrelated_one_does_not(
    seeded: Store,
) -> None:
    result = await find_matches(seeded.search, EMATRIX, min_score=MIN_SCORE, candidates=30)
    assert result.is_match and result.best is not None and result.best.answered
    assert "EMatrix" in result.best.title
    result = await find_matches(seeded.search, ALCOHOL, min_score=MIN_SCORE, candidates=30)
    assert not result.is_match


@pytest.mark.skipif(not BANK.is_file(), reason="../shared/eval is not available")
async def test_the_seed_question_still_matches_beside_the_public_bank(
    seeded: Store,
) -> None:
    from bot.bank_files import read_jsonl

    await seeded.bank.import_entries(read_jsonl(BANK))
    result = await find_matches(seeded.search, EMATRIX, min_score=MIN_SCORE, candidates=30)
    assert result.is_match and result.best is not None
    assert "EMatrix" in result.best.title and result.best.answered


async def test_an_edited_entry_reimported_updates_the_search(seeded: Store) -> None:
    def entry(question: str) -> BankEntry:
        return BankEntry(
            key="file:gout.yaml", question=question, answers=(AnswerEntry(text="An answer."),)
        )

    await seeded.bank.import_entries([entry("What are the symptoms of gout?")])
    found = await find_matches(seeded.search, "gout symptoms", min_score=MIN_SCORE, candidates=30)
    assert found.is_match and found.best is not None and "gout" in found.best.title
    await seeded.bank.import_entries([entry("Which foods help with migraine headaches?")])
    found = await find_matches(seeded.search, "gout symptoms", min_score=MIN_SCORE, candidates=30)
    assert not found.hits
    found = await find_matches(
        seeded.search, "foods for migraine headaches", min_score=MIN_SCORE, candidates=30
    )
    assert found.is_match and found.best is not None and "migraine" in found.best.title


async def test_a_question_without_answers_is_a_hit_marked_unanswered(
    seeded: Store,
) -> None:
    await seeded.bank.import_entries(
        [BankEntry(key="q:1", source_id="q1", question="Can shingles come back?")]
    )
    result = await find_matches(
        seeded.search, "can shingles come back again", min_score=MIN_SCORE, candidates=30
    )
    assert result.best is not None and result.best.title == "Can shingles come back?"
    assert result.best.answered is False and result.is_match


async def test_a_question_the_bank_holds_twice_does_not_crowd_out_the_next_one(
    seeded: Store,
) -> None:
    def entry(key: str, question: str) -> BankEntry:
        return BankEntry(key=key, question=question, answers=(AnswerEntry(text="An answer."),))

    await seeded.bank.import_entries(
        [
            entry("nih:1", "What are the symptoms of gout?"),
            entry("cdc:1", "What are the symptoms of Gout ?"),
            entry("nih:2", "What are the treatments for gout?"),
        ]
    )
    result = await find_matches(
        seeded.search, "gout symptoms and treatments", min_score=MIN_SCORE, candidates=30
    )
    top_two = {" ".join(hit.title.lower().replace("?", "").split()) for hit in result.hits[:2]}
    assert top_two == {
        "what are the symptoms of gout",
        "what are the treatments for gout",
    }, result.hits


def test_common_terms_are_searched_together_and_rare_ones_alone() -> None:
    million = 1_000_000
    counts = {"symptom": 90_000, "diabet": 20_000, "women": 5_000, "thirst": 400}
    # Rare terms find candidates alone; the two commonest count only together.
    assert match_expressions(["symptom", "diabet", "thirst"], counts, million) == [
        '"thirst" OR ("diabet" AND "symptom")'
    ]
    # Rare terms are searched up to ROWS_SEARCHED questions' worth, the rarest always.
    assert match_expressions(["women", "thirst"], counts, million) == ['"thirst"']
    # Only common words: both together first, the rarer alone if nothing holds both.
    assert match_expressions(["symptom", "diabet"], counts, million) == [
        '("diabet" AND "symptom")',
        '"diabet"',
    ]
    # In a small bank nothing is too common to search by.
    assert match_expressions(["symptom", "diabet"], {"symptom": 3, "diabet": 2}, 4) == [
        '"diabet" OR "symptom"'
    ]
    assert match_expressions(["typo"], counts, million) == []
