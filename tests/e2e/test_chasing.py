"""Nothing goes stale, end to end: a question no doctor answers is offered again to its
doctors, then the admins are told, each once, a restart included (the clock sped up by the
configuration's minutes, not by sleeping through hours)."""

from __future__ import annotations

import asyncio

from bot.emulator import BotMessage, FakeUser, TelegramEmulator
from bot.testing import MakeBot, assert_every_message_disclaimed

QUESTION = "Why do I keep waking at four every night?"


def doctor_entry(user: FakeUser, name: str) -> dict[str, object]:
    return {"telegram_id": user.id, "name": name, "title": "GP", "location": "Testville"}


def starting(emulator: TelegramEmulator, user: FakeUser, prefix: str) -> list[BotMessage]:
    return [m for m in emulator.messages_to(user.chat_id) if m.text.startswith(prefix)]


async def test_a_waiting_question_is_reminded_then_escalated_once_across_a_restart(
    make_bot: MakeBot, emulator: TelegramEmulator
) -> None:
    first, second = emulator.new_user("Una"), emulator.new_user("Dos")
    admin = emulator.new_user("Ada")
    bot = make_bot(
        "polling",
        doctors=[doctor_entry(first, "Dr. Una"), doctor_entry(second, "Dr. Dos")],
        admins=[{"telegram_id": admin.id}],
        # 1.2 s and 3 s.
        routing={"remind_after_minutes": 0.02, "escalate_after_minutes": 0.05},
    )
    await bot.start()
    try:
        patient = emulator.new_user("Pat")
        [reply] = await bot.ask(patient, QUESTION)
        ref = reply.text.split("reference #")[1].split(")")[0]
        await emulator.wait_until(lambda: starting(emulator, first, "New question"))
        await emulator.wait_until(lambda: starting(emulator, second, "New question"))
        [skipped] = starting(emulator, second, "New question")
        await emulator.press_button(second, skipped, "Skip")

        [reminder] = await emulator.wait_until(
            lambda: starting(emulator, first, "⏰ Still waiting"), timeout=15
        )
        assert f"question #{ref}" in reminder.text and QUESTION in reminder.text
        assert reminder.button_labels() == ["Answer", "Skip"]
        [escalation] = await emulator.wait_until(
            lambda: starting(emulator, admin, "⚠️ No answer after"), timeout=15
        )
        assert f"question #{ref}" in escalation.text
        assert "Dr. Una (not answered yet), Dr. Dos (skipped)" in escalation.text
        assert QUESTION not in escalation.text
        assert escalation.button_labels() == ["Block this patient"]
        # The doctor who skipped it is not reminded.
        assert starting(emulator, second, "⏰") == []

        await bot.restart()
        await asyncio.sleep(3)
        assert len(starting(emulator, first, "⏰ Still waiting")) == 1
        assert len(starting(emulator, admin, "⚠️ No answer after")) == 1

        # The reminder's buttons work like the offer's.
        await emulator.press_button(first, reminder, "Answer")
        await emulator.wait_until(lambda: starting(emulator, first, "Write your answer"))
        await emulator.press_button(admin, escalation, "Block this patient")
        await emulator.wait_until(lambda: starting(emulator, admin, "Blocked the patient"))
    finally:
        await bot.stop()
    assert_every_message_disclaimed(emulator, bot.settings.disclaimer)
