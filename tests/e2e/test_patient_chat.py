"""A patient's chat with the real bot, over HTTP, against the Telegram emulator."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from bot import texts
from bot.emulator import TelegramEmulator
from bot.models import AskedStatus
from bot.testing import (
    PROJECT,
    MakeBot,
    RunningBot,
    assert_every_message_disclaimed,
    open_store,
    stored_asked,
)

SEED_TITLE = "What is the Purpose of Getting Microdermabrasion After EMatrix Treatments?"
SEED = "why would I need microdermabrasion after ematrix?"


def bot_with_answers(
    make_bot: MakeBot, tmp_path: Path, entries: dict[str, dict[str, Any]]
) -> RunningBot:
    """A bot (not started yet) whose answers folder holds just these YAML files."""
    answers = tmp_path / "answers"
    answers.mkdir()
    for name, entry in entries.items():
        (answers / name).write_text(yaml.safe_dump(entry), encoding="utf-8")
    return make_bot("polling", answers_dir=str(answers))


async def test_seed_question_in_other_words_gets_the_seed_page(
    running_any_mode: RunningBot, emulator: TelegramEmulator
) -> None:
    patient = emulator.new_user("Pat")
    [reply] = await running_any_mode.ask(
        patient, "why would I need microdermabrasion after ematrix?"
    )
    text = reply.text
    assert text.startswith(SEED_TITLE)
    assert "After doing 4 eMatrix treatments" in text
    assert "Doctor answers: 2" in text
    assert "Dermatologic Surgeon · South Burlington\n★ 5.0 · 9 reviews" in text
    assert "F. Victor Rueckl, MD · Dermatologist · Las Vegas\n★ 4.5 · 9 reviews" in text
    assert "Combining microdermabrasion with eMatrix treatments" in text
    assert 'simply "complementary"' in text
    assert "to brighten the surface area." in text
    # Both answers, in the seed page's order.
    assert text.index("South Burlington") < text.index("Las Vegas")
    assert text.endswith(running_any_mode.settings.disclaimer)
    assert await stored_asked(running_any_mode) == [
        ("why would I need microdermabrasion after ematrix?", AskedStatus.MATCHED)
    ]


async def test_no_good_match_is_said_plainly_and_the_question_is_kept(
    running_any_mode: RunningBot, emulator: TelegramEmulator
) -> None:
    patient = emulator.new_user("Noor")
    [reply] = await running_any_mode.ask(patient, "can I drink alcohol on antibiotics")
    assert "could not find a doctor's answer that fits your question well" in reply.text
    assert "What happens next:" in reply.text
    assert "Doctor answers" not in reply.text
    assert await stored_asked(running_any_mode) == [
        ("can I drink alcohol on antibiotics", AskedStatus.OPEN)
    ]
    [(_, status)] = await stored_asked(running_any_mode)
    assert status is AskedStatus.OPEN


async def test_start_and_help_explain_the_bot(
    running: RunningBot, emulator: TelegramEmulator
) -> None:
    patient = emulator.new_user("Ada")
    await emulator.send_command(patient, "/start")
    [welcome] = await emulator.wait_for_messages(patient.chat_id, 1)
    assert "Send me your health question" in welcome.text
    assert "When there is no answer yet" in welcome.text
    await emulator.send_command(patient, "/help")
    [_, help_text] = await emulator.wait_for_messages(patient.chat_id, 2)
    assert "/start" in help_text.text and "/help" in help_text.text
    assert [command["command"] for command in emulator.commands] == [
        "start",
        "help",
        "privacy",
        "mydata",
        "forget",
        "country",
        "language",
    ]


async def test_emergency_message_comes_first(
    running: RunningBot, emulator: TelegramEmulator
) -> None:
    patient = emulator.new_user("Eve")
    reply, country = await running.ask(
        patient, "why would I need microdermabrasion after ematrix? I have chest pain", replies=2
    )
    # One message, so the notification shows the notice and it costs one send, not two: the
    # message in bold, then where to call.
    message = running.settings.emergency.message
    assert message.startswith("If this may be an emergency, call your local emergency number")
    assert reply.text.startswith(message)
    notice, page = reply.text.split("\n\n", 1)
    assert notice.endswith("Send /country to see your own country's numbers.")
    assert page.startswith(SEED_TITLE)
    bold = [entity for entity in reply.entities if entity["type"] == "bold"]
    assert bold[0]["offset"] == 0 and bold[0]["length"] == len(message)
    # Then, once, the country, for its numbers.
    assert country.text.startswith("Which country are you in?")

    # A message with no answer in the bank still opens with the notice.
    [routed] = await running.ask(patient, "I want to kill myself, I can't go on")
    assert routed.text.startswith(message)


async def test_patients_asking_at_once_each_get_their_replies_in_the_order_they_asked(
    running: RunningBot, emulator: TelegramEmulator
) -> None:
    # Updates from different chats are handled side by side; one chat's must stay in order.
    questions = [
        "why would I need microdermabrasion after ematrix?",
        "can I drink alcohol on antibiotics",
        "\U0001f914\U0001f914",
    ]
    patients = [emulator.new_user(f"Patient {n}") for n in range(4)]
    for question in questions:
        for patient in patients:
            await emulator.send_text(patient, question)
    for patient in patients:
        page, no_match, no_words = await emulator.wait_for_messages(patient.chat_id, 3)
        assert page.text.startswith(SEED_TITLE)
        assert "could not find a doctor's answer that fits your question well" in no_match.text
        assert no_words.text.startswith("I couldn't find any words in your message.")
    stored = await stored_asked(running)
    assert sorted(text for text, _ in stored) == sorted(questions * len(patients))

    # A question that needs a search, then messages answered at once: the quick replies wait.
    hurried = emulator.new_user("Hurried")
    await emulator.send_text(hurried, questions[0])
    for _ in range(3):
        await emulator.send_text(hurried, "\U0001f914")
    hurried_page, *hurried_no_words = await emulator.wait_for_messages(hurried.chat_id, 4)
    assert hurried_page.text.startswith(SEED_TITLE)
    assert all(reply.text.startswith("I couldn't find any words") for reply in hurried_no_words)


async def test_bad_input_gets_a_short_friendly_reply_and_the_bot_keeps_working(
    running: RunningBot, emulator: TelegramEmulator
) -> None:
    patient = emulator.new_user("Bo")
    chat = patient.chat_id

    async def next_reply(action: Callable[[], object]) -> str:
        before = len(emulator.messages_to(chat))
        result = action()
        if asyncio.iscoroutine(result):
            await result
        messages = await emulator.wait_for_messages(chat, before + 1)
        return messages[-1].text

    assert "I can only read text" in await next_reply(lambda: emulator.send_sticker(patient))
    # A photo, a voice message or a PDF without words waits for the question it is about.
    assert "What would you like to ask about this photo?" in await next_reply(
        lambda: emulator.send_photo(patient)
    )
    assert "What would you like to ask about this voice message?" in await next_reply(
        lambda: emulator.send_voice(patient)
    )
    assert "What would you like to ask about this file?" in await next_reply(
        lambda: emulator.send_document(patient)
    )
    assert "but not that type of file" in await next_reply(
        lambda: emulator.send_document(
            patient, file_name="notes.docx", mime_type="application/msword"
        )
    )
    assert "couldn't find any words" in await next_reply(
        lambda: emulator.send_text(patient, "🙏😷🤒")
    )
    assert "don't know the command /frobnicate" in await next_reply(
        lambda: emulator.send_command(patient, "/frobnicate")
    )
    captioned = await next_reply(
        lambda: emulator.send_photo(
            patient, caption="why would I need microdermabrasion after ematrix"
        )
    )
    assert captioned.startswith("📎 I keep your photo with this question, for the doctors only")
    assert SEED_TITLE in captioned

    essay = "I have a question about my skin. " + "Some more background about me. " * 330
    assert len(essay) > 10_000
    reply = await next_reply(lambda: emulator.send_text(patient, essay))
    assert "Your message is long" in reply and "Your whole question is saved" in reply

    sent = await emulator.send_text(patient, "can I drink alcohol on antibiotics")
    await emulator.wait_for_messages(chat, len(emulator.messages_to(chat)) + 1)
    edited = await next_reply(
        lambda: emulator.edit_user_message(
            patient, sent["message_id"], "why would I need microdermabrasion after ematrix"
        )
    )
    assert edited.startswith("You edited your message")
    assert SEED_TITLE in edited

    # Nothing was lost: every text the patient sent is stored whole.
    stored = [text for text, _ in await stored_asked(running)]
    assert essay in stored
    assert "🙏😷🤒" in stored
    assert "can I drink alcohol on antibiotics" in stored
    assert stored.count("why would I need microdermabrasion after ematrix") == 2

    # And the bot still answers normally.
    [after] = await running.ask(patient, "microdermabrasion after ematrix treatments?")
    assert after.text.startswith(SEED_TITLE)


async def test_a_429_from_telegram_is_ridden_out_without_losing_or_doubling_the_reply(
    running: RunningBot, emulator: TelegramEmulator
) -> None:
    patient = emulator.new_user("Kim")
    emulator.inject_fault("sendMessage", "429", times=1, retry_after=1)
    [reply] = await running.ask(patient, "why would I need microdermabrasion after ematrix?")
    assert reply.text.startswith(SEED_TITLE)
    await asyncio.sleep(1.5)
    assert len(emulator.messages_to(patient.chat_id)) == 1


async def test_a_redelivered_update_is_not_answered_twice(
    running: RunningBot, emulator: TelegramEmulator
) -> None:
    patient = emulator.new_user("Ravi")
    [reply] = await running.ask(patient, "why would I need microdermabrasion after ematrix?")
    [update] = [u for u in emulator.update_history if u["message"]["from"]["id"] == patient.id]
    # Telegram sends an update again when the bot died before confirming it.
    emulator.redeliver(update)
    await emulator.wait_until(lambda: emulator.pending_updates() == 0)
    await asyncio.sleep(0.3)
    assert [m.message_id for m in emulator.messages_to(patient.chat_id)] == [reply.message_id]
    assert len(await stored_asked(running)) == 1


async def test_close_matches_are_buttons_that_open_them_and_forged_buttons_are_refused(
    make_bot: MakeBot, emulator: TelegramEmulator, tmp_path: Path
) -> None:
    answers = tmp_path / "answers"
    answers.mkdir()
    (answers / "seed.yaml").write_text(
        (PROJECT / "answers" / "microdermabrasion-after-ematrix.yaml").read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    for name, question in [
        ("peel.yaml", "How long after microdermabrasion can I get a chemical peel?"),
        ("versus.yaml", "Are there benefits of microdermabrasion after eMatrix?"),
    ]:
        (answers / name).write_text(
            yaml.safe_dump(
                {
                    "question": question,
                    "answers": [
                        {
                            "doctor": {
                                "name": "Test Doctor",
                                "title": "Tester",
                                "location": "Here",
                            },
                            "text": f"Generated test answer for: {question} <b>not bold</b> & co",
                        }
                    ],
                }
            ),
            encoding="utf-8",
        )
    bot = make_bot("polling", answers_dir=str(answers))
    await bot.start()
    try:
        patient = emulator.new_user("Lu")
        [reply] = await bot.ask(patient, "why get microdermabrasion after ematrix treatments?")
        assert reply.text.startswith(SEED_TITLE)
        labels = reply.button_labels()
        assert labels[0] == "Are there benefits of microdermabrasion after eMatrix?"
        assert labels[-2:] == ["Ask a doctor", "Report"]
        assert "Other close questions:" in reply.text
        await emulator.press_button(patient, reply, labels[0])
        [_, opened] = await emulator.wait_for_messages(patient.chat_id, 2)
        assert opened.text.startswith(labels[0])
        assert "<b>not bold</b> & co" in opened.text  # doctor text shown literally, not as HTML
        assert "No reviews yet" in opened.text

        await emulator.press_raw_callback(patient, reply, "open:999999")
        [*_, refused] = await emulator.wait_for_messages(patient.chat_id, 3)
        assert "no longer available" in refused.text
        await emulator.press_raw_callback(patient, reply, "approve:1;drop table")
        [*_, refused_again] = await emulator.wait_for_messages(patient.chat_id, 4)
        assert "no longer available" in refused_again.text
    finally:
        await bot.stop()
    assert_every_message_disclaimed(emulator, bot.settings.disclaimer)


async def test_a_long_answer_is_split_at_paragraphs_each_part_with_the_disclaimer(
    make_bot: MakeBot, emulator: TelegramEmulator, tmp_path: Path
) -> None:
    paragraphs = [f"Paragraph {n}: " + "generated filler words " * 40 for n in range(12)]
    long_entry = {
        "question": "What does a very long generated answer look like?",
        "answers": [
            {
                "doctor": {"name": "Dr Long", "title": "Tester", "location": "There"},
                "text": "\n\n".join(paragraphs),
            }
        ],
    }
    bot = bot_with_answers(make_bot, tmp_path, {"long.yaml": long_entry})
    await bot.start()
    try:
        patient = emulator.new_user("Mo")
        await emulator.send_text(patient, "how does a very long generated answer look")
        await emulator.wait_until(
            lambda: "Paragraph 11" in "".join(m.text for m in emulator.messages_to(patient.chat_id))
        )
        parts = emulator.messages_to(patient.chat_id)
        assert len(parts) >= 3
        body = "".join(part.text.removesuffix(bot.settings.disclaimer) for part in parts)
        for paragraph in paragraphs:
            assert paragraph.strip() in body  # no paragraph is cut in two
    finally:
        await bot.stop()
    assert_every_message_disclaimed(emulator, bot.settings.disclaimer)


async def test_a_restart_keeps_questions_and_duplicates_nothing(
    make_bot: MakeBot, emulator: TelegramEmulator
) -> None:
    bot = make_bot("polling")
    await bot.start()
    try:
        patient = emulator.new_user("Sam")
        await bot.ask(patient, "can I drink alcohol on antibiotics")
        await bot.restart()
        await bot.restart()
        [again] = await bot.ask(patient, "why would I need microdermabrasion after ematrix?")
        assert again.text.startswith(SEED_TITLE)
        assert "Doctor answers: 2" in again.text  # the seed was not imported twice
        assert await stored_asked(bot) == [
            ("can I drink alcohol on antibiotics", AskedStatus.OPEN),
            ("why would I need microdermabrasion after ematrix?", AskedStatus.MATCHED),
        ]
        async with open_store(bot.settings.database) as store:
            assert await store.bank.size() == 1
        assert len(emulator.messages_to(patient.chat_id)) == 2
    finally:
        await bot.stop()
    assert_every_message_disclaimed(emulator, bot.settings.disclaimer)


async def test_when_unsure_the_bot_asks_is_this_your_question(
    make_bot: MakeBot, emulator: TelegramEmulator
) -> None:
    doctor = emulator.new_user("Doc")
    bot = make_bot(
        "polling", doctors=[{"telegram_id": doctor.id, "name": "Dr. Band", "title": "GP"}]
    )
    await bot.start()
    try:
        patient = emulator.new_user("Uma")
        [unsure] = await bot.ask(patient, "what does ematrix do to the skin?")
        assert "Is this your question?" in unsure.text
        assert "Doctor answers" not in unsure.text
        assert unsure.button_labels() == [
            texts.match_button_label(SEED_TITLE),
            "None of these: ask a doctor",
        ]
        await emulator.press_button(patient, unsure, texts.match_button_label(SEED_TITLE))
        [_, page] = await emulator.wait_for_messages(patient.chat_id, 2)
        assert page.text.startswith(SEED_TITLE) and "Doctor answers: 2" in page.text
        assert emulator.messages_to(doctor.chat_id) == []

        await emulator.press_button(patient, unsure, "None of these: ask a doctor")
        [*_, routed] = await emulator.wait_for_messages(patient.chat_id, 3)
        assert "has gone to our doctors" in routed.text
        [offer] = await emulator.wait_for_messages(doctor.chat_id, 1)
        assert "what does ematrix do to the skin?" in offer.text
    finally:
        await bot.stop()
    assert_every_message_disclaimed(emulator, bot.settings.disclaimer)


async def test_a_question_without_answers_is_never_shown_only_kept_for_a_doctor(
    make_bot: MakeBot, emulator: TelegramEmulator, tmp_path: Path
) -> None:
    unanswered = {"question": "How long does a generated test rash last?", "answers": []}
    bot = bot_with_answers(make_bot, tmp_path, {"target.yaml": unanswered})
    await bot.start()
    try:
        patient = emulator.new_user("Val")
        [reply] = await bot.ask(patient, "How long does a generated test rash last?")
        assert "no doctor has answered it yet" in reply.text
        assert "Doctor answers" not in reply.text and "Answers:" not in reply.text
        assert await stored_asked(bot) == [
            ("How long does a generated test rash last?", AskedStatus.OPEN)
        ]
    finally:
        await bot.stop()
    assert_every_message_disclaimed(emulator, bot.settings.disclaimer)


async def test_a_question_stored_before_a_crash_is_answered_at_the_next_start(
    make_bot: MakeBot, emulator: TelegramEmulator
) -> None:
    patient = emulator.new_user("Crash")
    bot = make_bot("polling")
    # What a crash leaves: the question stored, its update confirmed to Telegram, no reply.
    async with open_store(bot.settings.database) as store:
        await store.consultations.record(
            update_id=None, patient_id=patient.id, chat_id=patient.chat_id, text=SEED
        )
    await bot.start()
    try:
        [reply] = await emulator.wait_for_messages(patient.chat_id, 1)
        assert SEED_TITLE in reply.text
        await asyncio.sleep(0.5)
        assert len(emulator.messages_to(patient.chat_id)) == 1
    finally:
        await bot.stop()
    assert await stored_asked(bot) == [(SEED, AskedStatus.MATCHED)]
    assert_every_message_disclaimed(emulator, bot.settings.disclaimer)


async def test_a_hanging_request_to_one_chat_does_not_hold_up_another(
    running: RunningBot, emulator: TelegramEmulator
) -> None:
    slow, quick = emulator.new_user("Slow"), emulator.new_user("Quick")
    # Telegram takes 4 s to answer the first reply to one patient, then fails it.
    emulator.inject_fault("sendMessage", "timeout", times=1, delay=4.0, chat_id=slow.chat_id)
    await emulator.send_text(slow, SEED)
    await asyncio.sleep(0.3)
    started = asyncio.get_running_loop().time()
    [reply] = await running.ask(quick, SEED)
    assert SEED_TITLE in reply.text
    assert asyncio.get_running_loop().time() - started < 2.0
    # The slow chat's reply is retried and arrives once, later.
    [late] = await emulator.wait_for_messages(slow.chat_id, 1, timeout=15)
    assert SEED_TITLE in late.text
    await asyncio.sleep(0.5)
    assert len(emulator.messages_to(slow.chat_id)) == 1
