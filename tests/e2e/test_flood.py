"""Flood control and blocking, end to end: a patient who floods the bot is asked to slow
down, one who sends the doctors too many questions in an hour is told when they can send more,
and one an admin blocks is told once and then neither answered nor kept; an emergency always
gets the emergency notice."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest

from bot.emulator import FakeUser, TelegramEmulator
from bot.testing import MakeBot, RunningBot, assert_every_message_disclaimed, open_store

EMERGENCY = "If this may be an emergency"


@dataclass(frozen=True)
class Guarded:
    """A bot with low limits, its one doctor and its one admin."""

    bot: RunningBot
    doctor: FakeUser
    admin: FakeUser


@pytest.fixture
async def limited(make_bot: MakeBot, emulator: TelegramEmulator) -> AsyncIterator[Guarded]:
    doctor = emulator.new_user("Doc")
    admin = emulator.new_user("Ada")
    bot = make_bot(
        "polling",
        doctors=[{"telegram_id": doctor.id, "name": "Dr. D", "title": "GP", "location": "T"}],
        admins=[{"telegram_id": admin.id}],
        limits={"questions_per_hour": 2, "messages_per_minute": 4},
    )
    await bot.start()
    yield Guarded(bot, doctor, admin)
    await bot.stop()
    assert_every_message_disclaimed(emulator, bot.settings.disclaimer)


async def stored_texts(bot: RunningBot, patient: FakeUser) -> list[str]:
    async with open_store(bot.settings.database) as store:
        rows = await store.database.rows(
            "SELECT text FROM asked_questions WHERE patient_id = ? ORDER BY id", (patient.id,)
        )
    return [row["text"] for row in rows]


async def test_questions_to_doctors_are_limited_per_hour_and_the_question_is_kept(
    limited: Guarded, emulator: TelegramEmulator
) -> None:
    patient = emulator.new_user("Paz")
    for topic in ("waking at four every night", "ringing in my left ear"):
        [reply] = await limited.bot.ask(patient, f"Why do I keep {topic}?")
        assert "has gone to our doctors" in reply.text
    [third] = await limited.bot.ask(patient, "Why does my knee click when I climb the stairs?")
    assert "Our doctors already have 2 of your questions from the last hour" in third.text
    assert "in about 59 min" in third.text or "in about 1 h" in third.text
    assert third.button_labels() == ["Ask a doctor"]
    # Pressing it within the hour says the same again; nothing reaches the doctor.
    await emulator.press_button(patient, third, "Ask a doctor")
    messages = await emulator.wait_for_messages(patient.chat_id, 4)
    assert "Our doctors already have 2" in messages[-1].text
    offers = [m for m in emulator.messages_to(limited.doctor.chat_id) if "New question" in m.text]
    assert len(offers) == 2
    assert "knee click" in (await stored_texts(limited.bot, patient))[-1]
    # An emergency past the limit still gets the emergency notice first.
    [urgent] = await limited.bot.ask(patient, "I have chest pain and my arm is numb, what now?")
    assert urgent.text.startswith(EMERGENCY)
    assert "Our doctors already have 2" in urgent.text


async def test_a_burst_of_messages_is_asked_to_slow_down_and_kept(
    limited: Guarded, emulator: TelegramEmulator
) -> None:
    patient = emulator.new_user("Quick")
    for number in range(4):
        [reply] = await limited.bot.ask(patient, f"Is ibuprofen safe, question {number}?")
        assert "faster than I can answer" not in reply.text
    [fifth] = await limited.bot.ask(patient, "Is ibuprofen safe, question 4?")
    assert fifth.text.startswith("You are sending messages faster than I can answer them well")
    [urgent] = await limited.bot.ask(patient, "Someone is unconscious and not breathing!")
    assert urgent.text.startswith(EMERGENCY)
    assert "faster than I can answer" in urgent.text
    assert len(await stored_texts(limited.bot, patient)) == 6


async def test_a_blocked_patient_is_told_once_and_then_neither_answered_nor_kept(
    limited: Guarded, emulator: TelegramEmulator
) -> None:
    admin = limited.admin
    patient = emulator.new_user("Spam")
    [reply] = await limited.bot.ask(patient, "Why do I keep waking at four every night?")
    ref = reply.text.split("reference #")[1].split(")")[0]
    for command, expected in (
        ("/block", "Send /block followed by the reference"),
        ("/block 999999", "There is no question #999999"),
        (f"/block {ref}", f"Blocked the patient of question #{ref}"),
        (f"/block #{ref}", "was blocked already"),
    ):
        before = len(emulator.messages_to(admin.chat_id))
        await emulator.send_command(admin, command)
        [answer] = (await emulator.wait_for_messages(admin.chat_id, before + 1))[before:]
        assert expected in answer.text
    # A non-admin cannot block.
    [refused] = await limited.bot.ask(patient, f"/block {ref}")
    assert "Only the bot's admins" in refused.text

    [told] = await limited.bot.ask(patient, "Why is my skin so dry?")
    assert told.text.startswith("An admin has paused this service for you")
    await emulator.send_text(patient, "Why is my skin still so dry?")
    [urgent] = await limited.bot.ask(patient, "I want to kill myself")
    assert urgent.text.startswith(EMERGENCY) and "paused" not in urgent.text
    stored = await stored_texts(limited.bot, patient)
    assert stored == ["Why do I keep waking at four every night?"]

    await emulator.send_command(admin, f"/unblock {ref}")
    await emulator.wait_until(
        lambda: [m for m in emulator.messages_to(admin.chat_id) if "Unblocked" in m.text]
    )
    [answered] = await limited.bot.ask(patient, "Why is my skin so dry?")
    assert "paused" not in answered.text
    async with open_store(limited.bot.settings.database) as store:
        trail = [(line.action, line.target) for line in await store.audit.latest()]
    assert ("blocked", f"the patient of question #{ref}") in trail
    assert ("unblocked", f"the patient of question #{ref}") in trail
