"""Nothing goes stale, end to end: a question no doctor answers is offered again to its
doctors, then the admins are told, each once, a restart included (the clock sped up by the
configuration's minutes, not by sleeping through hours)."""

from __future__ import annotations

import asyncio
import datetime

from bot.emulator import BotMessage, FakeUser, TelegramEmulator
from bot.hours import WEEKDAYS
from bot.testing import MakeBot, assert_every_message_disclaimed

QUESTION = "Why do I keep waking at four every night?"


def doctor_entry(user: FakeUser, name: str) -> dict[str, object]:
    return {"telegram_id": user.id, "name": name, "title": "GP", "location": "Testville"}


async def first_in(
    emulator: TelegramEmulator, user: FakeUser, text: str, prefix: str = ""
) -> BotMessage:
    """The first message in the user's chat that starts with `prefix` and holds `text`."""

    def found() -> BotMessage | None:
        return next(
            (
                m
                for m in emulator.messages_to(user.chat_id)
                if m.text.startswith(prefix) and text in m.text
            ),
            None,
        )

    return await emulator.wait_until(found)


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
        assert reminder.button_labels() == ["Answer", "Ask for details", "Skip"]
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


async def test_the_patient_is_told_the_usual_wait_from_history_and_when_doctors_are_back(
    make_bot: MakeBot, emulator: TelegramEmulator
) -> None:
    doctor = emulator.new_user("Doc")
    now = datetime.datetime.now(datetime.UTC)
    # Hours every day that do not include now.
    if now.hour < 20:
        opens = (now + datetime.timedelta(hours=2)).replace(second=0, microsecond=0)
        back = f"on {now.strftime('%A')} at {opens.strftime('%H:%M')} (UTC)"
    else:
        opens = now.replace(hour=1, minute=0, second=0, microsecond=0)
        back = f"on {(now + datetime.timedelta(days=1)).strftime('%A')} at 01:00 (UTC)"
    window = f"{opens.strftime('%H:%M')}-{opens.hour + 1:02d}:{opens.strftime('%M')}"
    hours = {"timezone": "UTC", **{day: window for day in WEEKDAYS}}
    bot = make_bot(
        "polling",
        doctors=[doctor_entry(doctor, "Dr. Doc")],
        routing={"working_hours": hours, "expected_wait": "Doctors answer within a day here."},
    )
    await bot.start()
    try:
        # Questions unlike each other: each must go to the doctor, not be offered as one of
        # the questions answered before it.
        questions = {
            "ringing ears": "Why do I keep getting ringing ears every evening?",
            "dry and gritty": "My eyes feel dry and gritty after work, what helps?",
            "cold feet": "Are cold feet at night a sign of poor circulation?",
            "itchy scalp": "Which shampoo is best for an itchy scalp with flakes?",
            "stiff neck": "I wake up with a stiff neck most mornings, is my pillow to blame?",
        }
        for number, (topic, question) in enumerate(questions.items()):
            patient = emulator.new_user(f"P{number}")
            [reply] = await bot.ask(patient, question)
            if number == 0:
                # Too little history: the operator's text, and when the doctors are back.
                assert "Doctors answer within a day here." in reply.text
                assert f"Our doctors are away now: they are back {back}." in reply.text
            answer = f"Generated answer {number}."
            offer = await first_in(emulator, doctor, topic)
            await emulator.send_text(doctor, answer, reply_to=offer.message_id)
            preview = await first_in(emulator, doctor, answer, "Preview")
            await emulator.press_button(doctor, preview, "Send")
            await first_in(emulator, patient, answer)
        [measured] = await bot.ask(emulator.new_user("Six"), "Why are my nails so brittle lately?")
        assert "Doctors usually answer within about " in measured.text
        assert "within a day here" not in measured.text
    finally:
        await bot.stop()
    assert_every_message_disclaimed(emulator, bot.settings.disclaimer)
