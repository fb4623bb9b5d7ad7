"""Storage rules on a real SQLite file."""

from __future__ import annotations

from pathlib import Path

from bot import db
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
