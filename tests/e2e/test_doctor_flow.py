"""The loop through doctors, end to end: a question the bank cannot answer reaches doctors in
their own chats, comes back to the patient, and joins the bank for the next patient."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest

from bot.emulator import BotMessage, FakeUser, TelegramEmulator
from bot.store import OutboxStatus
from bot.testing import MakeBot, RunningBot, assert_every_message_disclaimed, open_store

UNANSWERED = "Is it safe to take ibuprofen with coffee in the morning?"
REWORDED = "Is it OK to take ibuprofen with coffee?"


class Clinic:
    """Patients and doctors around one running bot."""

    def __init__(self, emulator: TelegramEmulator, bot: RunningBot, doctors: list[FakeUser]):
        self.emulator = emulator
        self.bot = bot
        self.doctors = doctors

    async def wait_for(
        self, user: FakeUser, predicate: Callable[[BotMessage], bool], timeout: float = 10.0
    ) -> BotMessage:
        """The first message in the user's chat that satisfies `predicate`."""

        def found() -> BotMessage | None:
            return next((m for m in self.emulator.messages_to(user.chat_id) if predicate(m)), None)

        return await self.emulator.wait_until(found, timeout=timeout)

    async def offer_to(self, doctor: FakeUser, ref_text: str) -> BotMessage:
        return await self.wait_for(
            doctor,
            lambda m: m.text.startswith(("New question", "Follow-up")) and ref_text in m.text,
        )

    async def answer_by_reply(self, doctor: FakeUser, offer: BotMessage, answer: str) -> None:
        await self.emulator.send_text(doctor, answer, reply_to=offer.message_id)
        preview = await self.wait_for(
            doctor, lambda m: m.text.startswith("Preview") and answer in m.text
        )
        await self.emulator.press_button(doctor, preview, "Send")
        await self.wait_for(doctor, lambda m: m.text.startswith("Sent to Patient #"))


def doctor_entry(user: FakeUser, name: str, title: str, specialties: list[str]) -> dict[str, Any]:
    return {
        "telegram_id": user.id,
        "name": name,
        "title": title,
        "location": "Testville",
        "specialties": specialties,
    }


@pytest.fixture
async def clinic(make_bot: MakeBot, emulator: TelegramEmulator) -> AsyncIterator[Clinic]:
    derm = emulator.new_user("Derma", username="derma_doc")
    pharm = emulator.new_user("Pharma", username="pharma_doc")
    cardio = emulator.new_user("Cardio", username="cardio_doc")
    bot = make_bot(
        "polling",
        doctors=[
            doctor_entry(derm, "Dr. Dee Test", "Dermatologist", ["skin", "dermatology"]),
            doctor_entry(pharm, "Dr. Pat Test", "Pharmacist", ["medicines", "ibuprofen", "drug"]),
            doctor_entry(cardio, "Dr. Cy Test", "Cardiologist", ["heart"]),
        ],
        routing={"answers_per_question": 2},
    )
    await bot.start()
    try:
        yield Clinic(emulator, bot, [derm, pharm, cardio])
    finally:
        await bot.stop()
    assert_every_message_disclaimed(emulator, bot.settings.disclaimer)


async def test_routing_by_specialty_and_anonymity(
    clinic: Clinic, emulator: TelegramEmulator
) -> None:
    derm, pharm, cardio = clinic.doctors
    patient = emulator.new_user("Penelope", last_name="Private", username="penny_secret")
    [reply] = await clinic.bot.ask(patient, UNANSWERED)
    assert "has gone to our doctors" in reply.text
    offer = await clinic.offer_to(pharm, "ibuprofen")
    assert offer.button_labels() == ["Answer", "Ask for details", "Skip"]
    for secret in ("Penelope", "Private", "penny_secret", str(patient.id)):
        assert secret not in offer.text
    label = offer.text.split("Patient #")[1].split()[0]
    await asyncio.sleep(0.3)
    # Only the doctor whose specialty fits got it.
    assert emulator.messages_to(derm.chat_id) == []
    assert emulator.messages_to(cardio.chat_id) == []

    # A question no specialty fits goes to every doctor; the same patient keeps their label.
    await clinic.bot.ask(patient, "I keep waking up at four every night, why?")
    offers = [await clinic.offer_to(doctor, "four every night") for doctor in clinic.doctors]
    assert all(f"Patient #{label} " in offer.text for offer in offers)


async def test_answer_by_reply_reaches_the_patient_and_the_next_patient_gets_it_from_the_bank(
    clinic: Clinic, emulator: TelegramEmulator
) -> None:
    _, pharm, _ = clinic.doctors
    patient = emulator.new_user("Ann")
    await clinic.bot.ask(patient, UNANSWERED)
    offer = await clinic.offer_to(pharm, "ibuprofen")
    answer = "Generated test answer: usually fine with food; ask your pharmacist."
    await clinic.answer_by_reply(pharm, offer, answer)

    delivered = await clinic.wait_for(patient, lambda m: answer in m.text)
    assert delivered.text.startswith("A doctor answered your question")
    assert "Dr. Pat Test · Pharmacist · Testville\nNo reviews yet" in delivered.text
    assert delivered.button_labels() == [
        "1★",
        "2★",
        "3★",
        "4★",
        "5★",
        "Ask a follow-up",
        "Report",
    ]

    newcomer = emulator.new_user("Ben")
    [from_bank] = await clinic.bot.ask(newcomer, REWORDED)
    assert from_bank.text.startswith(UNANSWERED)
    assert "Doctor answers: 1" in from_bank.text
    assert answer in from_bank.text and "Dr. Pat Test" in from_bank.text


async def test_answer_by_button_with_preview_edit_and_cancel(
    clinic: Clinic, emulator: TelegramEmulator
) -> None:
    _, pharm, _ = clinic.doctors
    patient = emulator.new_user("Cleo")
    await clinic.bot.ask(patient, UNANSWERED)
    offer = await clinic.offer_to(pharm, "ibuprofen")
    await emulator.press_button(pharm, offer, "Answer")
    await clinic.wait_for(pharm, lambda m: m.text.startswith("Write your answer to question #"))
    await emulator.send_text(pharm, "First draft that I will change.")
    first = await clinic.wait_for(pharm, lambda m: "First draft" in m.text)
    assert first.button_labels() == [
        "Send",
        "Edit",
        "Cancel",
        "Edit public question",
        "Don't publish",
    ]
    await emulator.press_button(pharm, first, "Edit")
    await clinic.wait_for(
        pharm, lambda m: m.text.startswith("Write your answer") and m.message_id > first.message_id
    )
    await emulator.send_text(pharm, "Second draft, the one to send.")
    second = await clinic.wait_for(pharm, lambda m: "Second draft" in m.text)
    await emulator.press_button(pharm, second, "Send")
    delivered = await clinic.wait_for(patient, lambda m: "Second draft" in m.text)
    assert "First draft" not in delivered.text
    # Pressing Send again sends nothing more, and says so.
    await emulator.press_button(pharm, second, "Send")
    await clinic.wait_for(pharm, lambda m: "was sent already" in m.text)
    await asyncio.sleep(0.3)
    assert sum("Second draft" in m.text for m in emulator.messages_to(patient.chat_id)) == 1

    # Cancel drops a draft: nothing reaches the patient.
    [reply] = await clinic.bot.ask(patient, "Does ibuprofen interact with green tea?")
    # Close to the coffee question now in the bank: the bot asks before assuming.
    assert "Is this your question?" in reply.text
    await emulator.press_button(patient, reply, "None of these: ask a doctor")
    offer = await clinic.offer_to(pharm, "green tea")
    await emulator.send_text(pharm, "A draft to cancel.", reply_to=offer.message_id)
    preview = await clinic.wait_for(pharm, lambda m: "A draft to cancel." in m.text)
    await emulator.press_button(pharm, preview, "Cancel")
    await clinic.wait_for(pharm, lambda m: m.text.startswith("Cancelled"))
    # Send on the cancelled preview sends nothing and says the preview was cancelled.
    await emulator.press_button(pharm, preview, "Send")
    await clinic.wait_for(pharm, lambda m: "was cancelled earlier" in m.text)
    await asyncio.sleep(0.3)
    assert not any("A draft to cancel." in m.text for m in emulator.messages_to(patient.chat_id))


async def test_two_doctors_answer_and_the_third_is_told_it_is_answered(
    clinic: Clinic, emulator: TelegramEmulator
) -> None:
    derm, pharm, cardio = clinic.doctors
    patient = emulator.new_user("Dora")
    await clinic.bot.ask(patient, "What should I do about waking at four every night?")
    offers = [await clinic.offer_to(doctor, "four every night") for doctor in clinic.doctors]
    await clinic.answer_by_reply(derm, offers[0], "Generated answer one.")
    await clinic.answer_by_reply(pharm, offers[1], "Generated answer two.")
    closed = await emulator.wait_for_edit(cardio.chat_id, offers[2].message_id)
    assert closed.text.startswith("Answered: question #")
    assert closed.buttons == []
    await clinic.wait_for(patient, lambda m: "Generated answer one." in m.text)
    await clinic.wait_for(patient, lambda m: "Generated answer two." in m.text)
    # The closed question is refused even if the third doctor replies to the old message.
    await emulator.send_text(cardio, "Late answer.", reply_to=offers[2].message_id)
    await clinic.wait_for(cardio, lambda m: "already has its answers" in m.text)

    newcomer = emulator.new_user("Eli")
    [page] = await clinic.bot.ask(newcomer, "waking at four every night, what to do?")
    assert "Doctor answers: 2" in page.text
    assert page.text.index("Generated answer one.") < page.text.index("Generated answer two.")


async def test_doctors_pressing_send_at_once_never_exceed_the_answers_wanted(
    clinic: Clinic, emulator: TelegramEmulator
) -> None:
    # Their presses are handled side by side; the question wants two answers, not three.
    patient = emulator.new_user("Fay")
    await clinic.bot.ask(patient, "Why do my ears ring for days after a loud concert?")
    offers = [await clinic.offer_to(doctor, "ears ring") for doctor in clinic.doctors]
    previews = []
    for doctor, offer in zip(clinic.doctors, offers, strict=True):
        answer = f"Answer from {doctor.first_name}."
        await emulator.send_text(doctor, answer, reply_to=offer.message_id)

        def is_preview(m: BotMessage, a: str = answer) -> bool:
            return m.text.startswith("Preview") and a in m.text

        previews.append(await clinic.wait_for(doctor, is_preview))
    for doctor, preview in zip(clinic.doctors, previews, strict=True):
        await emulator.press_button(doctor, preview, "Send")
    outcomes = [
        await clinic.wait_for(
            doctor,
            lambda m: m.text.startswith("Sent to Patient #") or "already has its answers" in m.text,
        )
        for doctor in clinic.doctors
    ]
    assert sorted(o.text.startswith("Sent to") for o in outcomes) == [False, True, True]
    await clinic.wait_for(patient, lambda m: m.text.count("Answer from") == 1)
    await asyncio.sleep(0.5)
    delivered = [m for m in emulator.messages_to(patient.chat_id) if "Answer from" in m.text]
    assert len(delivered) == 2


async def test_rating_counts_once_per_patient_and_changes_the_card_everywhere(
    clinic: Clinic, emulator: TelegramEmulator
) -> None:
    _, pharm, _ = clinic.doctors
    patient = emulator.new_user("Fay")
    await clinic.bot.ask(patient, UNANSWERED)
    await clinic.answer_by_reply(pharm, await clinic.offer_to(pharm, "ibuprofen"), "Rated answer.")
    delivered = await clinic.wait_for(patient, lambda m: "Rated answer." in m.text)
    await emulator.press_button(patient, delivered, "5★")
    await clinic.wait_for(patient, lambda m: m.text.startswith("Thank you: you gave 5★"))
    await emulator.press_button(patient, delivered, "3★")
    await clinic.wait_for(patient, lambda m: m.text.startswith("Thank you: you gave 3★"))

    # Someone else cannot rate it, not even with hand-made data.
    stranger = emulator.new_user("Gus")
    [own] = await clinic.bot.ask(stranger, "hello there, my skin itches after shaving")
    answer_id = delivered.button_data()[0].split(":")[1]
    before = len(emulator.messages_to(stranger.chat_id))
    await emulator.press_raw_callback(stranger, own, f"rate:{answer_id}:1")
    [*_, refused] = await emulator.wait_for_messages(stranger.chat_id, before + 1)
    assert "only answers to your own questions" in refused.text

    await emulator.send_command(pharm, "/profile")
    card = await clinic.wait_for(pharm, lambda m: m.text.startswith("Your card"))
    assert "★ 3.0 · 1 review" in card.text and "Answers given: 1" in card.text

    [from_bank] = await clinic.bot.ask(emulator.new_user("Hal"), REWORDED)
    assert "Dr. Pat Test · Pharmacist · Testville\n★ 3.0 · 1 review" in from_bank.text


async def test_follow_up_goes_to_the_same_doctor_with_the_exchange_quoted(
    clinic: Clinic, emulator: TelegramEmulator
) -> None:
    derm, pharm, cardio = clinic.doctors
    patient = emulator.new_user("Ivy")
    await clinic.bot.ask(patient, UNANSWERED)
    await clinic.answer_by_reply(pharm, await clinic.offer_to(pharm, "ibuprofen"), "First reply.")
    delivered = await clinic.wait_for(patient, lambda m: "First reply." in m.text)
    await emulator.press_button(patient, delivered, "Ask a follow-up")
    await clinic.wait_for(patient, lambda m: m.text.startswith("Send your follow-up question"))
    await emulator.send_text(patient, "And what about decaf coffee?")
    await clinic.wait_for(patient, lambda m: "Your follow-up" in m.text)
    follow = await clinic.offer_to(pharm, "decaf")
    assert follow.text.startswith("Follow-up from Patient #")
    assert UNANSWERED in follow.text and "First reply." in follow.text
    await clinic.answer_by_reply(pharm, follow, "Decaf is the same.")
    await clinic.wait_for(patient, lambda m: "Decaf is the same." in m.text)
    await asyncio.sleep(0.3)
    assert not any(
        "decaf" in m.text for d in (derm, cardio) for m in emulator.messages_to(d.chat_id)
    )


async def test_forged_and_unauthorised_buttons_change_nothing(
    clinic: Clinic, emulator: TelegramEmulator
) -> None:
    _, pharm, _ = clinic.doctors
    patient = emulator.new_user("Jo")
    [reply] = await clinic.bot.ask(patient, UNANSWERED)
    offer = await clinic.offer_to(pharm, "ibuprofen")
    asked_id = offer.button_data()[0].split(":")[1]
    for forged in (f"ans:{asked_id}", f"send:{asked_id}", f"skip:{asked_id}", "rev:1", "ans:x"):
        before = len(emulator.messages_to(patient.chat_id))
        await emulator.press_raw_callback(patient, reply, forged)
        [*_, refused] = await emulator.wait_for_messages(patient.chat_id, before + 1)
        assert "Only registered doctors" in refused.text or "no longer available" in refused.text
    async with open_store(clinic.bot.settings.database) as store:
        assert await store.consultations.answer_count(int(asked_id)) == 0
        assert await store.consultations.draft(1) is None
    # The doctor's own buttons still work afterwards.
    await clinic.answer_by_reply(pharm, offer, "Real answer.")
    await clinic.wait_for(patient, lambda m: "Real answer." in m.text)


async def test_telegram_refusals_are_retried_never_lost_never_doubled(
    clinic: Clinic, emulator: TelegramEmulator
) -> None:
    derm, pharm, cardio = clinic.doctors
    emulator.inject_fault("sendMessage", "500", times=2, chat_id=pharm.chat_id)
    emulator.inject_fault("sendMessage", "timeout", times=1, delay=6.0, chat_id=cardio.chat_id)
    emulator.inject_fault("sendMessage", "429", times=1, retry_after=1, chat_id=derm.chat_id)
    patient = emulator.new_user("Kai")
    await clinic.bot.ask(patient, "What should I do about waking at four every night?")
    for doctor in clinic.doctors:
        await clinic.wait_for(doctor, lambda m: "four every night" in m.text, timeout=30)
    await asyncio.sleep(1.0)
    for doctor in clinic.doctors:
        assert len(emulator.messages_to(doctor.chat_id)) == 1


async def test_a_blocked_doctor_does_not_hold_up_the_others(
    clinic: Clinic, emulator: TelegramEmulator
) -> None:
    derm, pharm, cardio = clinic.doctors
    emulator.set_blocked(derm)
    patient = emulator.new_user("Lee")
    await clinic.bot.ask(patient, "What should I do about waking at four every night?")
    await clinic.offer_to(pharm, "four every night")
    await clinic.offer_to(cardio, "four every night")
    async with open_store(clinic.bot.settings.database) as store:
        await emulator.wait_until(lambda: True)
        for _ in range(50):
            if (await store.outbox.counts()).get(OutboxStatus.UNDELIVERABLE):
                break
            await asyncio.sleep(0.1)
        assert (await store.outbox.counts()).get(OutboxStatus.UNDELIVERABLE) == 1


async def test_a_restart_mid_flow_loses_nothing(
    make_bot: MakeBot, emulator: TelegramEmulator
) -> None:
    pharm = emulator.new_user("Pharma")
    bot = make_bot(
        "polling",
        doctors=[doctor_entry(pharm, "Dr. Pat Test", "Pharmacist", ["ibuprofen"])],
    )
    await bot.start()
    clinic = Clinic(emulator, bot, [pharm])
    try:
        patient = emulator.new_user("Mia")
        # Telegram is down for the doctor while the question arrives, then the bot stops.
        emulator.inject_fault("sendMessage", "502", times=100, chat_id=pharm.chat_id)
        await bot.ask(patient, UNANSWERED)
        await asyncio.sleep(0.5)
        await bot.stop()
        assert emulator.messages_to(pharm.chat_id) == []
        emulator.clear_faults()

        await bot.start()
        offer = await clinic.offer_to(pharm, "ibuprofen")
        await bot.stop()
        await bot.start()  # the doctor's reply comes after another restart
        await clinic.answer_by_reply(pharm, offer, "Answer after restarts.")
        await clinic.wait_for(patient, lambda m: "Answer after restarts." in m.text)
        await asyncio.sleep(0.5)
        assert len(emulator.messages_to(pharm.chat_id)) == 3  # offer, preview, confirmation
        assert (
            sum("Answer after restarts." in m.text for m in emulator.messages_to(patient.chat_id))
            == 1
        )
    finally:
        await bot.stop()
    assert_every_message_disclaimed(emulator, bot.settings.disclaimer)


async def test_fanning_out_keeps_telegrams_limits(
    make_bot: MakeBot, emulator: TelegramEmulator
) -> None:
    doctors = [emulator.new_user(f"Doc{n}") for n in range(45)]
    bot = make_bot(
        "polling",
        doctors=[doctor_entry(d, f"Dr. Test {n}", "GP", []) for n, d in enumerate(doctors)],
    )
    loop = asyncio.get_running_loop()
    sent_at: dict[int, list[float]] = {}

    def record(kind: str, payload: object) -> None:
        if kind == "message" and isinstance(payload, BotMessage):
            sent_at.setdefault(payload.chat_id, []).append(loop.time())

    emulator.add_listener(record)
    await bot.start()
    try:
        patient = emulator.new_user("Nia")
        await bot.ask(patient, "I keep waking up at four every night, why?")
        await emulator.wait_until(
            lambda: all(emulator.messages_to(d.chat_id) for d in doctors), timeout=20
        )
        # 30 a second overall: 46 messages cannot leave in less than half a second (a bucket
        # of 30 may go at once, the rest at 30 a second). Times are taken as the emulator
        # receives each request: on a loaded machine the first ones arrive up to a tenth of a
        # second after the limiter let them go (CI measured 0.44 s where the limiter's own
        # times span 0.53 s; alone, 0.53 s every time).
        times = sorted(t for chat in sent_at.values() for t in chat)
        assert times[-1] - times[0] >= (len(times) - 31) / 30 - 0.15

        # One a second per chat after a burst of three: of five replies to one chat, the
        # fourth and the fifth each wait a second for their turn.
        pharm = doctors[0]
        for _ in range(5):
            await emulator.send_command(pharm, "/profile")
        await emulator.wait_for_messages(pharm.chat_id, 6, timeout=20)
        to_one_chat = sent_at[pharm.chat_id]
        assert to_one_chat[-2] - to_one_chat[-3] >= 0.95
        assert to_one_chat[-1] - to_one_chat[-2] >= 0.95
    finally:
        await bot.stop()
    assert_every_message_disclaimed(emulator, bot.settings.disclaimer)


async def test_a_doctor_edits_an_answer_and_the_bank_and_the_patient_follow(
    clinic: Clinic, emulator: TelegramEmulator
) -> None:
    _, pharm, _ = clinic.doctors
    patient = emulator.new_user("Noa")
    await clinic.bot.ask(patient, UNANSWERED)
    offer = await clinic.offer_to(pharm, "ibuprofen")
    reference = offer.text.split("(reference #")[1].split(")")[0]
    await clinic.answer_by_reply(pharm, offer, "Old text.")
    await clinic.wait_for(patient, lambda m: "Old text." in m.text)

    await emulator.send_command(pharm, "/answers")
    listing = await clinic.wait_for(pharm, lambda m: m.text.startswith("Your answers"))
    assert "Old text." in listing.text
    [[(label, data)]] = listing.buttons
    # Listed, and offered for editing, under the reference the question was offered with.
    assert f"#{reference} " in listing.text and label == f"Edit answer to #{reference}"
    await emulator.press_button(pharm, listing, label)
    await clinic.wait_for(
        pharm,
        lambda m: m.text.startswith(f"Send the new text of your answer to question #{reference}"),
    )
    await emulator.send_text(pharm, "New text, corrected.")
    preview = await clinic.wait_for(pharm, lambda m: "New text, corrected." in m.text)
    assert "your revised answer" in preview.text
    await emulator.press_button(pharm, preview, "Send")

    told = await clinic.wait_for(patient, lambda m: "New text, corrected." in m.text)
    assert told.text.startswith("Dr. Pat Test updated their answer")
    [page] = await clinic.bot.ask(emulator.new_user("Oli"), REWORDED)
    assert "New text, corrected." in page.text and "Old text." not in page.text

    # Another doctor cannot edit it, even with hand-made button data.
    derm = clinic.doctors[0]
    assert data is not None
    answer_id = data.split(":")[1]
    await emulator.send_command(derm, "/profile")
    card = await clinic.wait_for(derm, lambda m: m.text.startswith("Your card"))
    await emulator.press_raw_callback(derm, card, f"rev:{answer_id}")
    await clinic.wait_for(derm, lambda m: "only your own answers" in m.text)
    await emulator.send_command(derm, "/help")
    help_text = await clinic.wait_for(derm, lambda m: "For doctors" in m.text)
    assert "/queue" in help_text.text and "For admins" not in help_text.text


async def test_a_doctor_dropped_from_the_config_is_revoked_at_the_next_start(
    make_bot: MakeBot, emulator: TelegramEmulator
) -> None:
    kept = emulator.new_user("Kept")
    dropped = emulator.new_user("Dropped")
    both = [
        doctor_entry(kept, "Dr. Kept", "GP", []),
        doctor_entry(dropped, "Dr. Dropped", "GP", []),
    ]
    bot = make_bot("polling", doctors=both)
    await bot.start()
    clinic = Clinic(emulator, bot, [kept, dropped])
    try:
        patient = emulator.new_user("Quinn")
        await bot.ask(patient, "I keep waking up at four every night, why?")
        old_offer = await clinic.offer_to(dropped, "four every night")
        await bot.stop()

        bot.config_path = make_bot("polling", doctors=both[:1]).config_path
        await bot.start()
        await bot.ask(patient, "My ankle clicks when I walk downstairs, should I worry?")
        await clinic.offer_to(kept, "ankle clicks")
        # The dropped doctor gets nothing new and their old buttons no longer work.
        await emulator.press_button(dropped, old_offer, "Answer")
        await clinic.wait_for(dropped, lambda m: "Only registered doctors" in m.text)
        assert not any("ankle" in m.text for m in emulator.messages_to(dropped.chat_id))
    finally:
        await bot.stop()
    assert_every_message_disclaimed(emulator, bot.settings.disclaimer)


async def test_queue_lists_what_a_doctor_may_take_and_skip_removes_it(
    clinic: Clinic, emulator: TelegramEmulator
) -> None:
    derm, pharm, _ = clinic.doctors
    patient = emulator.new_user("Ray")
    await clinic.bot.ask(patient, UNANSWERED)
    offer = await clinic.offer_to(pharm, "ibuprofen")
    ref = offer.button_data()[0].split(":")[1]

    # Not offered to the dermatologist (specialty), but open to them from the queue.
    await emulator.send_command(derm, "/queue")
    listing = await clinic.wait_for(derm, lambda m: m.text.startswith("Questions waiting"))
    assert f"#{ref} · Patient #" in listing.text and "ibuprofen" in listing.text
    await emulator.press_button(derm, listing, f"Skip #{ref}")
    await clinic.wait_for(derm, lambda m: m.text.startswith(f"Skipped question #{ref}"))
    await emulator.send_command(derm, "/queue")
    await clinic.wait_for(derm, lambda m: m.text.startswith("No questions are waiting"))

    # The pharmacist takes it from the queue with the Answer button.
    await emulator.send_command(pharm, "/queue")
    listing = await clinic.wait_for(pharm, lambda m: m.text.startswith("Questions waiting"))
    await emulator.press_button(pharm, listing, f"Answer #{ref}")
    await clinic.wait_for(
        pharm, lambda m: m.text.startswith(f"Write your answer to question #{ref}")
    )
    await emulator.send_text(pharm, "Answered from the queue.")
    preview = await clinic.wait_for(pharm, lambda m: "Answered from the queue." in m.text)
    await emulator.press_button(pharm, preview, "Send")
    await clinic.wait_for(patient, lambda m: "Answered from the queue." in m.text)


async def test_a_press_telegram_fails_to_acknowledge_still_does_what_it_says(
    clinic: Clinic, emulator: TelegramEmulator, caplog: pytest.LogCaptureFixture
) -> None:
    _, pharm, _ = clinic.doctors
    patient = emulator.new_user("Pia")
    await clinic.bot.ask(patient, UNANSWERED)
    offer = await clinic.offer_to(pharm, "ibuprofen")
    await emulator.send_text(pharm, "Yes, with food.", reply_to=offer.message_id)
    preview = await clinic.wait_for(pharm, lambda m: m.text.startswith("Preview"))

    # The acknowledgement of Send fails (5xx), then the patient's star press times out.
    emulator.inject_fault("answerCallbackQuery", "500", times=1)
    await emulator.press_button(pharm, preview, "Send")
    answer = await clinic.wait_for(patient, lambda m: "Yes, with food." in m.text)
    emulator.inject_fault("answerCallbackQuery", "timeout", times=1)
    await emulator.press_button(patient, answer, "5★")
    thanks = await clinic.wait_for(patient, lambda m: "Thank you" in m.text)
    assert "you gave 5★" in thanks.text

    failures = [r for r in caplog.records if r.exc_info or r.levelname in ("ERROR", "CRITICAL")]
    assert failures == [], [r.getMessage() for r in failures]
    assert any("could not acknowledge a button press" in r.getMessage() for r in caplog.records)


async def test_a_possible_emergency_is_flagged_for_doctors_and_first_in_their_queue(
    clinic: Clinic, emulator: TelegramEmulator
) -> None:
    _, pharm, _ = clinic.doctors
    patient = emulator.new_user("Gail")
    await clinic.bot.ask(patient, "Why do I keep waking at four every night?")
    [reply] = await clinic.bot.ask(patient, "I have chest pain since I took ibuprofen, what now?")
    assert reply.text.startswith("If this may be an emergency")
    routine = await clinic.offer_to(pharm, "four every night")
    assert routine.text.startswith("New question")
    flagged = await clinic.wait_for(pharm, lambda m: "chest pain since" in m.text)
    assert flagged.text.startswith("🚨 Possible emergency: the patient was shown the emergency")
    ref = flagged.text.split("(reference #")[1].split(")")[0]

    await emulator.send_command(pharm, "/queue")
    queue = await clinic.wait_for(pharm, lambda m: m.text.startswith("Questions waiting"))
    assert queue.text.index("chest pain since") < queue.text.index("four every night")
    assert "🚨 Possible emergency · #" + ref in queue.text
    assert queue.button_labels()[:2] == [f"Answer #{ref}", f"Skip #{ref}"]
