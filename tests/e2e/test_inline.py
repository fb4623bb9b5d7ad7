"""Inline mode: `@bot words` in any chat, with the real bot over HTTP against the emulator."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from telegram import (
    InlineQueryResultArticle,
    InlineQueryResultLocation,
    InputTextMessageContent,
)
from telegram.constants import ParseMode

from bot import texts
from bot.emulator import TelegramEmulator, utf16_len
from bot.messaging.sending import DisclaimerBot, UndisclaimableMessage
from bot.testing import MakeBot, RunningBot, assert_every_message_disclaimed

SEED_TITLE = "What is the Purpose of Getting Microdermabrasion After EMatrix Treatments?"
DOCTOR = {"name": "Dr. Test Person", "title": "Test Physician", "location": "Testville"}


def message_text(result: dict[str, Any]) -> str:
    content: dict[str, Any] = result["input_message_content"]
    assert content["parse_mode"] == ParseMode.HTML
    return str(content["message_text"])


def write_bank(folder: Path, questions: list[tuple[str, str]]) -> Path:
    """One YAML file per (question, answer), generated text only."""
    folder.mkdir()
    for number, (question, answer) in enumerate(questions):
        data = {
            "question": question,
            "answers": [{"heading": "Generated", "doctor": DOCTOR, "text": answer}],
        }
        path = folder / f"q{number:03}.yaml"
        path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return folder


async def ask_inline(emulator: TelegramEmulator, text: str) -> tuple[str, list[dict[str, Any]]]:
    user = emulator.new_user("Inez")
    query_id = await emulator.send_inline_query(user, text, chat_type="group")
    return query_id, await emulator.wait_for_inline_answer(query_id)


async def test_seed_question_in_other_words_is_offered_and_posted(
    running: RunningBot, emulator: TelegramEmulator
) -> None:
    user = emulator.new_user("Inez")
    query_id = await emulator.send_inline_query(
        user, "why would I need microdermabrasion after ematrix", chat_type="group"
    )
    results = await emulator.wait_for_inline_answer(query_id)
    assert results, "the seed question was not offered"
    first = results[0]
    assert first["type"] == "article"
    assert first["title"].startswith("What is the Purpose of Getting Microdermabrasion")
    assert first["description"] == "Dermatologic Surgeon · South Burlington"
    html = message_text(first)
    assert texts.ends_with_disclaimer(html, running.settings.disclaimer)
    assert texts.visible_length(html) <= texts.TELEGRAM_TEXT_LIMIT

    posted = await emulator.choose_inline_result(user, query_id, first["id"])
    text = posted["text"]
    assert text.startswith(SEED_TITLE)
    assert "Doctor answers: 2" in text
    assert "Dermatologic Surgeon · South Burlington" in text
    assert "F. Victor Rueckl, MD · Dermatologist · Las Vegas" in text
    assert text.endswith(running.settings.disclaimer)
    [via_inline] = [m for m in emulator.all_bot_messages() if m.via_inline]
    assert via_inline.text == text
    assert utf16_len(via_inline.text) <= texts.TELEGRAM_TEXT_LIMIT


async def test_unrelated_or_empty_query_offers_nothing(
    running: RunningBot, emulator: TelegramEmulator
) -> None:
    for text in ("can I drink alcohol on antibiotics", "", "   "):
        _, results = await ask_inline(emulator, text)
        assert results == [], text


async def test_more_than_fifty_matches_gives_at_most_fifty(
    make_bot: MakeBot, emulator: TelegramEmulator, tmp_path: Path
) -> None:
    # The same generated question in 60 files: every one matches equally well.
    bank = write_bank(
        tmp_path / "answers",
        [("How long does zorblat fatigue last?", f"Generated answer {n}.") for n in range(60)],
    )
    bot = make_bot("polling", answers_dir=str(bank))
    await bot.start()
    try:
        _, results = await ask_inline(emulator, "how long will zorblat fatigue last")
    finally:
        await bot.stop()
    assert len(results) == 50
    assert len({result["id"] for result in results}) == 50
    assert_every_message_disclaimed(emulator, bot.settings.disclaimer)


async def test_very_long_answer_fits_one_message_and_ends_with_the_disclaimer(
    make_bot: MakeBot, emulator: TelegramEmulator, tmp_path: Path
) -> None:
    long_answer = " ".join(f"word{n:05}" for n in range(1112))[:10_000]
    assert len(long_answer) == 10_000
    bank = write_bank(tmp_path / "answers", [("What is a quembly rash?", long_answer)])
    bot = make_bot("polling", answers_dir=str(bank))
    await bot.start()
    try:
        user = emulator.new_user("Lena")
        query_id = await emulator.send_inline_query(user, "quembly rash")
        [result] = await emulator.wait_for_inline_answer(query_id)
        html = message_text(result)
        posted = await emulator.choose_inline_result(user, query_id, result["id"])
    finally:
        await bot.stop()
    disclaimer = bot.settings.disclaimer
    assert texts.ends_with_disclaimer(html, disclaimer)
    assert texts.ENGLISH("inline-rest-in-chat") in html
    assert utf16_len(posted["text"]) <= texts.TELEGRAM_TEXT_LIMIT
    assert posted["text"].startswith("What is a quembly rash?")
    assert "word00000" in posted["text"]
    assert "only the first part" in posted["text"]
    assert posted["text"].endswith(disclaimer)
    assert_every_message_disclaimed(emulator, disclaimer)


# --- DisclaimerBot on its own ------------------------------------------------------------------


class RecordingBot(DisclaimerBot):
    """Records what would go to the Bot API instead of sending it."""

    def __init__(self) -> None:
        super().__init__(token="1:unit", disclaimer="Not medical advice & no emergency.")
        self._posted: list[tuple[str, dict[str, Any]]] = []

    @property
    def posted(self) -> list[tuple[str, dict[str, Any]]]:
        """(endpoint, data) of every call that reached the Bot API."""
        return self._posted

    async def _do_post(self, endpoint: str, data: dict[str, Any], **kwargs: Any) -> Any:
        self._posted.append((endpoint, data))
        return True


@pytest.mark.parametrize("length", [10, 4_000, 4_090, 5_000, 20_000])
async def test_disclaimer_bot_leaves_no_inline_text_without_the_disclaimer(length: int) -> None:
    bot = RecordingBot()
    body = (
        "<b>Generated</b>\n\n" + "\n\n".join(["x" * 700] * (length // 700)) + "y" * (length % 700)
    )
    already = f"short\n\n{texts.disclaimer_html(bot.disclaimer)}"
    results = [
        InlineQueryResultArticle("1", "html", InputTextMessageContent(body, ParseMode.HTML)),
        InlineQueryResultArticle("2", "plain", InputTextMessageContent("a < b " * (length // 6))),
        InlineQueryResultArticle("3", "done", InputTextMessageContent(already, ParseMode.HTML)),
    ]
    await bot.answer_inline_query("42", results)
    [(endpoint, data)] = bot.posted
    assert endpoint == "answerInlineQuery"
    assert len(data["results"]) == 3
    for result in data["results"]:
        html = message_text(result)
        assert texts.ends_with_disclaimer(html, bot.disclaimer)
        assert html.count(texts.disclaimer_html(bot.disclaimer)) == 1
        assert 1 <= texts.visible_length(html) <= texts.TELEGRAM_TEXT_LIMIT
        assert "entities" not in result["input_message_content"]


async def test_disclaimer_bot_refuses_inline_results_that_are_not_text() -> None:
    bot = RecordingBot()
    location = InlineQueryResultLocation("1", 52.0, 4.0, "somewhere")
    with pytest.raises(UndisclaimableMessage):
        await bot.answer_inline_query("42", [location])
    assert bot.posted == []


async def test_a_failed_inline_answer_is_logged_in_one_line_and_the_next_query_works(
    running: RunningBot, emulator: TelegramEmulator, caplog: pytest.LogCaptureFixture
) -> None:
    emulator.inject_fault("answerInlineQuery", "500", times=1)
    user = emulator.new_user("Inez")
    await emulator.send_inline_query(user, "microdermabrasion after ematrix", chat_type="group")
    await emulator.wait_until(
        lambda: (
            any("could not answer an inline query" in r.getMessage() for r in caplog.records)
            or None
        )
    )
    _, results = await ask_inline(emulator, "microdermabrasion after ematrix")
    assert results
    failures = [r for r in caplog.records if r.exc_info or r.levelname in ("ERROR", "CRITICAL")]
    assert failures == [], [r.getMessage() for r in failures]
