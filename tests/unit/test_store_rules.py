"""Storage rules on a real SQLite file: redelivered updates, the term counts beside the
search index, ranking only the newest matches, and follow-ups across a restart."""

from __future__ import annotations

from pathlib import Path

from bot.models import AnswerEntry, BankEntry
from bot.store import Store
from bot.testing import open_store


async def test_a_reused_update_id_is_a_new_question_but_a_redelivery_is_not(
    tmp_path: Path,
) -> None:
    async with open_store(tmp_path / "askdoc.db") as store:
        first = await store.consultations.record(
            update_id=1, patient_id=7, chat_id=7, text="old question"
        )
        assert first.is_new
        again = await store.consultations.record(
            update_id=1, patient_id=7, chat_id=7, text="old question"
        )
        assert not again.is_new and again.question.id == first.question.id
        # The sequence restarted (a quiet week, or a new emulator): same id, other message.
        fresh = await store.consultations.record(
            update_id=1, patient_id=8, chat_id=8, text="a different question"
        )
        assert fresh.is_new and fresh.question.id != first.question.id
        assert [q.text for q in await store.consultations.all()] == [
            "old question",
            "a different question",
        ]


async def _counts(store: Store, table: str, column: str) -> dict[str, int]:
    async with store.database.connection.execute(f"SELECT term, {column} FROM {table}") as cursor:
        return {row[0]: int(row[1]) for row in await cursor.fetchall()}


async def test_term_counts_follow_every_change_to_the_search_index(tmp_path: Path) -> None:

    def entry(key: str, question: str, details: str = "") -> BankEntry:
        return BankEntry(
            key=key, question=question, details=details, answers=(AnswerEntry(text="Yes."),)
        )

    async def assert_counts_match_fts5() -> None:
        kept = await _counts(store, "term_counts", "documents")
        assert kept == await _counts(store, "questions_vocab", "doc")

    async with open_store(tmp_path / "askdoc.db") as store:
        await store.bank.import_entries(
            [
                entry("file:a", "Is gout inherited?", "My father had gout."),
                entry("file:b", "What are the symptoms of gout?"),
                entry("file:c", "Can migraine be inherited?"),
            ]
        )
        await assert_counts_match_fts5()
        # Counts are kept in memory; every change to the bank below must drop them.
        assert await store.search.term_document_counts(["gout", "inherit", "fever"]) == {
            "gout": 2,
            "inherit": 2,
            "fever": 0,
        }
        await store.bank.import_entries([entry("file:b", "What are the symptoms of fever?")])
        await assert_counts_match_fts5()
        assert (await store.search.term_document_counts(["gout", "fever"])) == {
            "gout": 1,
            "fever": 1,
        }
        await store.bank.remove_entries_except("file:", ["file:b"])
        await assert_counts_match_fts5()
        assert await store.search.term_document_counts(["gout", "inherit", "fever"]) == {
            "gout": 0,
            "inherit": 0,
            "fever": 1,
        }


async def test_a_search_ranks_only_the_newest_questions_that_match(tmp_path: Path) -> None:
    async with open_store(tmp_path / "askdoc.db") as store:
        # The oldest question is the closest (shortest) match for "knee"; the rest pad it out.
        questions = ["Knee?"] + [f"Knee pain after running {n} miles?" for n in range(1, 10)]
        await store.bank.import_entries(
            [
                BankEntry(key=f"file:{n}", question=q, answers=(AnswerEntry(text="Rest."),))
                for n, q in enumerate(questions)
            ]
        )
        everything = await store.search.search_candidates('"knee"', limit=3, newest=100)
        assert everything[0].title == "Knee?"
        newest = await store.search.search_candidates('"knee"', limit=10, newest=4)
        assert sorted(c.title for c in newest) == sorted(questions[-4:])


async def test_a_pending_follow_up_survives_a_restart_and_ends_with_its_answer(
    tmp_path: Path,
) -> None:
    path = tmp_path / "askdoc.db"
    async with open_store(path) as store:
        await store.bank.import_entries(
            [BankEntry(key="file:a", question="Is gout inherited?", answers=(AnswerEntry("No."),))]
        )
        [[answer_id]] = await store.database.connection.execute_fetchall("SELECT id FROM answers")
        assert await store.consultations.pending_follow_up(7) is None
        await store.consultations.set_follow_up(7, answer_id)
        assert await store.consultations.pending_follow_up(7) == answer_id
        assert await store.consultations.pending_follow_up(8) is None

    async with open_store(path) as store:
        assert await store.consultations.pending_follow_up(7) == answer_id
        # The answer leaves the bank, and the follow-up to it with it.
        await store.bank.remove_entries_except("file:", [])
        assert await store.consultations.pending_follow_up(7) is None
        await store.consultations.set_follow_up(7, None)
        assert await store.consultations.pending_follow_up(7) is None
