"""Storage rules on a real SQLite file."""

from __future__ import annotations

from pathlib import Path

from bot import db
from bot.models import AnswerEntry, BankEntry
from bot.repository import Repository


async def test_a_reused_update_id_is_a_new_question_but_a_redelivery_is_not(
    tmp_path: Path,
) -> None:
    repository = Repository(await db.connect(tmp_path / "askdoc.db"))
    try:
        first, new = await repository.record_asked_question(
            update_id=1, patient_id=7, chat_id=7, text="old question"
        )
        assert new
        again, new = await repository.record_asked_question(
            update_id=1, patient_id=7, chat_id=7, text="old question"
        )
        assert not new and again.id == first.id
        # The sequence restarted (a quiet week, or a new emulator): same id, other message.
        fresh, new = await repository.record_asked_question(
            update_id=1, patient_id=8, chat_id=8, text="a different question"
        )
        assert new and fresh.id != first.id
        assert [q.text for q in await repository.asked_questions()] == [
            "old question",
            "a different question",
        ]
    finally:
        await repository.close()


async def _counts(repository: Repository, table: str, column: str) -> dict[str, int]:
    async with repository.connection.execute(f"SELECT term, {column} FROM {table}") as cursor:
        return {row[0]: int(row[1]) for row in await cursor.fetchall()}


async def test_term_counts_follow_every_change_to_the_search_index(tmp_path: Path) -> None:
    repository = Repository(await db.connect(tmp_path / "askdoc.db"))

    def entry(key: str, question: str, details: str = "") -> BankEntry:
        return BankEntry(
            key=key, question=question, details=details, answers=(AnswerEntry(text="Yes."),)
        )

    async def assert_counts_match_fts5() -> None:
        kept = await _counts(repository, "term_counts", "documents")
        assert kept == await _counts(repository, "questions_vocab", "doc")

    try:
        await repository.import_bank(
            [
                entry("file:a", "Is gout inherited?", "My father had gout."),
                entry("file:b", "What are the symptoms of gout?"),
                entry("file:c", "Can migraine be inherited?"),
            ]
        )
        await assert_counts_match_fts5()
        # Counts are kept in memory; every change to the bank below must drop them.
        assert await repository.term_document_counts(["gout", "inherit", "fever"]) == {
            "gout": 2,
            "inherit": 2,
            "fever": 0,
        }
        await repository.import_bank([entry("file:b", "What are the symptoms of fever?")])
        await assert_counts_match_fts5()
        assert (await repository.term_document_counts(["gout", "fever"])) == {
            "gout": 1,
            "fever": 1,
        }
        await repository.remove_bank_entries_except("file:", ["file:b"])
        await assert_counts_match_fts5()
        assert await repository.term_document_counts(["gout", "inherit", "fever"]) == {
            "gout": 0,
            "inherit": 0,
            "fever": 1,
        }
    finally:
        await repository.close()


async def test_a_search_ranks_only_the_newest_questions_that_match(tmp_path: Path) -> None:
    repository = Repository(await db.connect(tmp_path / "askdoc.db"))
    try:
        # The oldest question is the closest (shortest) match for "knee"; the rest pad it out.
        questions = ["Knee?"] + [f"Knee pain after running {n} miles?" for n in range(1, 10)]
        await repository.import_bank(
            [
                BankEntry(key=f"file:{n}", question=q, answers=(AnswerEntry(text="Rest."),))
                for n, q in enumerate(questions)
            ]
        )
        everything = await repository.search_candidates('"knee"', limit=3, newest=100)
        assert everything[0].title == "Knee?"
        newest = await repository.search_candidates('"knee"', limit=10, newest=4)
        assert sorted(c.title for c in newest) == sorted(questions[-4:])
    finally:
        await repository.close()


async def test_a_pending_follow_up_survives_a_restart_and_ends_with_its_answer(
    tmp_path: Path,
) -> None:
    path = tmp_path / "askdoc.db"
    repository = Repository(await db.connect(path))
    try:
        await repository.import_bank(
            [BankEntry(key="file:a", question="Is gout inherited?", answers=(AnswerEntry("No."),))]
        )
        [[answer_id]] = await repository.connection.execute_fetchall("SELECT id FROM answers")
        assert await repository.pending_follow_up(7) is None
        await repository.set_follow_up(7, answer_id)
        assert await repository.pending_follow_up(7) == answer_id
        assert await repository.pending_follow_up(8) is None
    finally:
        await repository.close()

    repository = Repository(await db.connect(path))
    try:
        assert await repository.pending_follow_up(7) == answer_id
        # The answer leaves the bank, and the follow-up to it with it.
        await repository.remove_bank_entries_except("file:", [])
        assert await repository.pending_follow_up(7) is None
        await repository.set_follow_up(7, None)
        assert await repository.pending_follow_up(7) is None
    finally:
        await repository.close()
