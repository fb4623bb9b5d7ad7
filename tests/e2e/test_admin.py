"""Admins and registration by invitation, with the real bot against the Telegram emulator."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.emulator import BotMessage, FakeUser, TelegramEmulator
from bot.handlers import callbacks
from bot.models import DoctorStatus
from bot.testing import (
    MakeBot,
    RunningBot,
    assert_every_message_disclaimed,
    open_store,
    stored_doctors,
    stored_registration,
)

CODE = "letmein-2026"
UNMATCHED = "can I drink alcohol on antibiotics"
SEED = "why would I need microdermabrasion after ematrix?"


def admin_bot(
    make_bot: MakeBot,
    admins: list[FakeUser],
    doctors: Sequence[FakeUser] = (),
    **overrides: Any,
) -> RunningBot:
    """A bot with these admins, these config doctors and the invitation code."""
    return make_bot(
        "polling",
        admins=[{"telegram_id": admin.id} for admin in admins],
        doctors=[
            {
                "telegram_id": doctor.id,
                "name": f"Dr. {doctor.first_name}",
                "title": "General Practitioner",
                "location": "Springfield",
            }
            for doctor in doctors
        ],
        routing={"answers_per_question": 2, "invite_code": CODE},
        # Fast per-chat delivery: these tests send many messages to one admin.
        telegram={"messages_per_chat_per_second": 20},
        **overrides,
    )


async def command(bot: RunningBot, user: FakeUser, text: str, replies: int = 1) -> list[BotMessage]:
    """Send a command and wait for the replies in the user's chat."""
    before = len(bot.emulator.messages_to(user.chat_id))
    await bot.emulator.send_command(user, text)
    messages = await bot.emulator.wait_for_messages(user.chat_id, before + replies)
    return messages[before:]


async def press(
    emulator: TelegramEmulator, user: FakeUser, message: BotMessage, label: str, raw: bool = False
) -> BotMessage:
    """Press a button (or send forged data) and wait for the reply in the presser's chat."""
    before = len(emulator.messages_to(user.chat_id))
    if raw:
        await emulator.press_raw_callback(user, message, label)
    else:
        await emulator.press_button(user, message, label)
    return (await emulator.wait_for_messages(user.chat_id, before + 1))[before]


async def apply(bot: RunningBot, applicant: FakeUser, name: str = "Dr. Ada Lovelace") -> None:
    """Register with the code and answer the three questions."""
    [started] = await command(bot, applicant, f"/register {CODE}")
    assert "Applying as a doctor" in started.text and "What is your name" in started.text
    [title] = await bot.ask(applicant, name)
    assert "What is your title" in title.text
    [location] = await bot.ask(applicant, "Cardiologist")
    assert "Where do you practise" in location.text
    [sent] = await bot.ask(applicant, "Boston")
    assert "Your application is with the admins" in sent.text
    assert f"{name} · Cardiologist · Boston" in sent.text


async def test_an_invited_doctor_applies_is_approved_and_then_gets_questions(
    make_bot: MakeBot, emulator: TelegramEmulator
) -> None:
    first_admin, second_admin = emulator.new_user("Root"), emulator.new_user("Sudo")
    applicant = emulator.new_user("Ada", username="ada_md")
    patient = emulator.new_user("Pat")
    bot = admin_bot(make_bot, [first_admin, second_admin])
    await bot.start()
    try:
        await apply(bot, applicant, name="Dr. <Ada> & Co")
        [first_copy] = await emulator.wait_for_messages(first_admin.chat_id, 1)
        [second_copy] = await emulator.wait_for_messages(second_admin.chat_id, 1)
        for copy in (first_copy, second_copy):
            assert "New doctor application" in copy.text
            assert "Name: Dr. <Ada> & Co" in copy.text  # shown literally, not as HTML
            assert "Title: Cardiologist" in copy.text and "Location: Boston" in copy.text
            assert f"@ada_md (id {applicant.id})" in copy.text
            assert copy.button_labels() == ["Approve", "Reject"]
        assert (await stored_doctors(bot))[applicant.id] is DoctorStatus.PENDING

        # Until approved, the applicant is a patient like anyone else.
        [as_patient] = await bot.ask(applicant, UNMATCHED)
        assert "could not find a doctor's answer" in as_patient.text

        approved = await press(emulator, first_admin, first_copy, "Approve")
        assert "Approved doctor #" in approved.text and "they have been told" in approved.text
        welcome = (await emulator.wait_for_messages(applicant.chat_id, 6))[-1]
        assert "An admin approved your application" in welcome.text
        assert "/queue" in welcome.text and "/answers" in welcome.text
        assert (await stored_doctors(bot))[applicant.id] is DoctorStatus.ACTIVE

        late = await press(emulator, second_admin, second_copy, "Approve")
        assert "already active; nothing changed" in late.text
        again = await press(emulator, first_admin, first_copy, "Reject")
        assert "already active; nothing changed" in again.text
        assert (await stored_doctors(bot))[applicant.id] is DoctorStatus.ACTIVE

        # Now a question without a match reaches the new doctor.
        [routed] = await bot.ask(patient, "is it safe to fly after knee surgery")
        assert "has gone to our doctors" in routed.text
        offer = (await emulator.wait_for_messages(applicant.chat_id, 7))[-1]
        assert "New question" in offer.text and "is it safe to fly after knee surgery" in offer.text
        assert offer.button_labels() == ["Answer", "Ask for details", "Skip"]
    finally:
        await bot.stop()
    assert_every_message_disclaimed(emulator, bot.settings.disclaimer)


async def test_a_rejected_applicant_is_told_politely_and_a_wrong_code_gets_nowhere(
    make_bot: MakeBot, emulator: TelegramEmulator
) -> None:
    admin = emulator.new_user("Root")
    applicant = emulator.new_user("Bob")
    stranger = emulator.new_user("Mallory")
    bot = admin_bot(make_bot, [admin])
    await bot.start()
    try:
        [wrong] = await command(bot, stranger, "/register letmein-2025")
        assert wrong.text.startswith("That invitation code is not valid.")
        assert CODE not in wrong.text and "letmein" not in wrong.text
        [bare] = await command(bot, stranger, "/register")
        assert "followed by your invitation code" in bare.text
        assert await stored_registration(bot, stranger) is None
        # Their next message is a question, not a registration step.
        [question] = await bot.ask(stranger, UNMATCHED)
        assert "could not find a doctor's answer" in question.text
        assert stranger.id not in await stored_doctors(bot)

        await apply(bot, applicant)
        [application] = await emulator.wait_for_messages(admin.chat_id, 1)
        rejected = await press(emulator, admin, application, "Reject")
        assert "Rejected doctor #" in rejected.text
        news = (await emulator.wait_for_messages(applicant.chat_id, 5))[-1]
        assert "Thank you for applying" in news.text and "not approved" in news.text
        assert (await stored_doctors(bot))[applicant.id] is DoctorStatus.REJECTED
        twice = await press(emulator, admin, application, "Approve")
        assert "already rejected; nothing changed" in twice.text
        assert (await stored_doctors(bot))[applicant.id] is DoctorStatus.REJECTED

        # A rejected applicant gets no questions, and their text is a question of their own.
        [own] = await bot.ask(applicant, UNMATCHED)
        assert "could not find a doctor's answer" in own.text
    finally:
        await bot.stop()

    # Without an invitation code, registration is off.
    closed = make_bot("polling", admins=[{"telegram_id": admin.id}])
    await closed.start()
    try:
        [off] = await command(closed, stranger, f"/register {CODE}")
        assert "Registration of doctors is closed" in off.text
        assert await stored_registration(closed, stranger) is None
    finally:
        await closed.stop()
    assert_every_message_disclaimed(emulator, bot.settings.disclaimer)


async def test_registration_survives_a_restart_and_cancel_drops_it(
    make_bot: MakeBot, emulator: TelegramEmulator
) -> None:
    admin = emulator.new_user("Root")
    applicant = emulator.new_user("Cy")
    quitter = emulator.new_user("Di")
    bot = admin_bot(make_bot, [admin])
    await bot.start()
    try:
        await command(bot, applicant, f"/register {CODE}")
        [title] = await bot.ask(applicant, "Dr. Cy Restart")
        assert "What is your title" in title.text
        await bot.restart()
        saved = await stored_registration(bot, applicant)
        assert saved is not None and (saved.step, saved.name) == ("title", "Dr. Cy Restart")
        [location] = await bot.ask(applicant, "Dermatologist")
        assert "Where do you practise" in location.text
        [sent] = await bot.ask(applicant, "Austin")
        assert "Dr. Cy Restart · Dermatologist · Austin" in sent.text
        [application] = await emulator.wait_for_messages(admin.chat_id, 1)
        assert "Name: Dr. Cy Restart" in application.text
        assert await stored_registration(bot, applicant) is None

        await command(bot, quitter, f"/register {CODE}")
        await bot.ask(quitter, "Dr. Di")
        [cancelled] = await command(bot, quitter, "/cancel")
        assert "Your application is cancelled" in cancelled.text
        assert await stored_registration(bot, quitter) is None
        [question] = await bot.ask(quitter, UNMATCHED)
        assert "could not find a doctor's answer" in question.text
        # With nothing to drop, /cancel is the doctors' command again.
        [not_doctor] = await command(bot, quitter, "/cancel")
        assert "Only registered doctors can do that." in not_doctor.text
        assert quitter.id not in await stored_doctors(bot)
        assert len(emulator.messages_to(admin.chat_id)) == 1
    finally:
        await bot.stop()
    assert_every_message_disclaimed(emulator, bot.settings.disclaimer)


async def test_admins_list_doctors_and_revoke_and_restore_them(
    make_bot: MakeBot, emulator: TelegramEmulator
) -> None:
    admin = emulator.new_user("Root")
    kept, revoked = emulator.new_user("Kay"), emulator.new_user("Rex")
    patient = emulator.new_user("Pat")
    bot = admin_bot(make_bot, [admin], doctors=[kept, revoked])
    await bot.start()
    try:
        await bot.ask(patient, UNMATCHED)
        [first_offer] = await emulator.wait_for_messages(revoked.chat_id, 1)
        await emulator.wait_for_messages(kept.chat_id, 1)

        [listing] = await command(bot, admin, "/doctors")
        assert listing.text.startswith("Doctors (2):")
        assert "Dr. Kay · General Practitioner · Springfield" in listing.text
        assert "active · answers given: 0" in listing.text
        assert "No reviews yet" in listing.text
        labels = listing.button_labels()
        assert len(labels) == 2 and all(label.startswith("Revoke #") for label in labels)
        [revoke_label] = [label for label in labels if "Dr. Rex" in label]

        done = await press(emulator, admin, listing, revoke_label)
        assert "Revoked doctor #" in done.text and "Dr. Rex" in done.text
        news = (await emulator.wait_for_messages(revoked.chat_id, 2))[-1]
        assert "withdrawn your access as a doctor" in news.text
        assert (await stored_doctors(bot))[revoked.id] is DoctorStatus.REVOKED

        # The revoked doctor's Answer button no longer works, and new questions pass them by.
        refused = await press(emulator, revoked, first_offer, "Answer")
        assert "Only registered doctors can do that." in refused.text
        await bot.ask(patient, "is it safe to fly after knee surgery")
        offer = (await emulator.wait_for_messages(kept.chat_id, 2))[-1]
        assert "knee surgery" in offer.text
        assert len(emulator.messages_to(revoked.chat_id)) == 3

        again = await press(emulator, admin, listing, revoke_label)
        assert "already revoked; nothing changed" in again.text

        [relisting] = await command(bot, admin, "/doctors")
        assert "revoked · answers given: 0" in relisting.text
        [restore_label] = [label for label in relisting.button_labels() if "Dr. Rex" in label]
        assert restore_label.startswith("Restore #")
        restored = await press(emulator, admin, relisting, restore_label)
        assert "Restored doctor #" in restored.text
        back = (await emulator.wait_for_messages(revoked.chat_id, 4))[-1]
        assert "restored your access" in back.text and "/queue" in back.text
        assert (await stored_doctors(bot))[revoked.id] is DoctorStatus.ACTIVE

        await bot.ask(patient, "how long does a sprained ankle take to heal")
        offer = (await emulator.wait_for_messages(revoked.chat_id, 5))[-1]
        assert "sprained ankle" in offer.text and offer.button_labels() == [
            "Answer",
            "Ask for details",
            "Skip",
        ]
    finally:
        await bot.stop()
    assert_every_message_disclaimed(emulator, bot.settings.disclaimer)


async def test_stats_count_questions_answers_speed_and_ratings(
    make_bot: MakeBot, emulator: TelegramEmulator
) -> None:
    admin = emulator.new_user("Root")
    doctor = emulator.new_user("Kay")
    patient = emulator.new_user("Pat")
    bot = admin_bot(make_bot, [admin], doctors=[doctor])
    await bot.start()
    try:
        [admin_help] = await command(bot, admin, "/help")
        assert "For admins" in admin_help.text and "/stats" in admin_help.text
        [patient_help] = await command(bot, emulator.new_user("Newcomer"), "/help")
        assert "For admins" not in patient_help.text and "For doctors" not in patient_help.text
        [empty] = await command(bot, admin, "/stats")
        assert "Questions asked: 0" in empty.text
        assert "Median time to a doctor's answer: no answers yet" in empty.text
        assert "Ratings: 0" in empty.text and "average" not in empty.text

        await bot.ask(patient, SEED)
        await bot.ask(patient, UNMATCHED)
        await bot.ask(patient, "is it safe to fly after knee surgery")
        [offer, _] = await emulator.wait_for_messages(doctor.chat_id, 2)
        await emulator.send_text(doctor, "Best avoided for a few days.", reply_to=offer.message_id)
        [_, _, preview] = await emulator.wait_for_messages(doctor.chat_id, 3)
        await emulator.press_button(doctor, preview, "Send")
        answer = (await emulator.wait_for_messages(patient.chat_id, 4))[-1]
        assert "Best avoided for a few days." in answer.text
        thanks = await press(emulator, patient, answer, "4★")
        assert "4★" in thanks.text

        [figures] = await command(bot, admin, "/stats")
        text = figures.text
        assert "Questions asked: 3" in text
        assert "Answered from the bank: 1" in text
        assert "Sent to doctors: 2" in text
        assert "Answered by doctors: 1" in text
        assert "Median time to a doctor's answer: " in text
        median = text.split("Median time to a doctor's answer: ")[1].split("\n")[0]
        assert median.endswith(" s") and int(median.removesuffix(" s")) < 30
        assert "Ratings: 1 (average 4.0★)" in text
    finally:
        await bot.stop()
    assert_every_message_disclaimed(emulator, bot.settings.disclaimer)


async def test_non_admins_are_refused_and_nothing_changes(
    make_bot: MakeBot, emulator: TelegramEmulator
) -> None:
    admin = emulator.new_user("Root")
    doctor = emulator.new_user("Kay")
    applicant = emulator.new_user("Ada")
    patient = emulator.new_user("Mallory")
    bot = admin_bot(make_bot, [admin], doctors=[doctor])
    await bot.start()
    try:
        await apply(bot, applicant)
        [reply] = await bot.ask(patient, SEED)
        before = await stored_doctors(bot)
        assert before[applicant.id] is DoctorStatus.PENDING
        assert before[doctor.id] is DoctorStatus.ACTIVE

        for text in ("/doctors", "/stats"):
            [refused] = await command(bot, patient, text)
            assert refused.text.startswith("Only the bot's admins can do that.")
            assert "Doctors (" not in refused.text and "Questions asked" not in refused.text

        async with open_store(bot.settings.database) as store:
            pending = await store.doctors.by_telegram_id(applicant.id)
            active = await store.doctors.by_telegram_id(doctor.id)
        assert pending is not None and active is not None
        forged = [
            callbacks.make(callbacks.APPROVE, pending.id),
            callbacks.make(callbacks.REJECT, pending.id),
            callbacks.make(callbacks.REVOKE, active.id),
            callbacks.make(callbacks.RESTORE, pending.id),
        ]
        for data in forged:
            refused = await press(emulator, patient, reply, data, raw=True)
            assert refused.text.startswith("Only the bot's admins can do that."), data
        # A doctor is no admin either.
        [own] = await bot.ask(doctor, SEED)
        refused = await press(
            emulator, doctor, own, callbacks.make(callbacks.APPROVE, pending.id), raw=True
        )
        assert refused.text.startswith("Only the bot's admins can do that.")
        # Malformed admin data is an unknown button.
        garbled = await press(emulator, patient, reply, "approve:1;drop table", raw=True)
        assert "no longer available" in garbled.text

        assert await stored_doctors(bot) == before
        # The application still waits for an admin, and nobody else was told anything.
        assert len(emulator.messages_to(admin.chat_id)) == 1
        assert len(emulator.messages_to(applicant.chat_id)) == 4
    finally:
        await bot.stop()
    assert_every_message_disclaimed(emulator, bot.settings.disclaimer)


PATIENT_MENU = ["start", "help", "privacy", "mydata", "forget", "country", "language"]
DOCTOR_MENU = [*PATIENT_MENU, "queue", "answers", "profile", "cancel"]
ADMIN_MENU = [*PATIENT_MENU, "doctors", "review", "bank", "audit", "block", "unblock", "stats"]


async def test_each_audience_sees_its_own_commands_in_the_menu(
    make_bot: MakeBot, emulator: TelegramEmulator
) -> None:
    admin = emulator.new_user("Root")
    doctor = emulator.new_user("Kay")
    applicant = emulator.new_user("Ada")
    bot = admin_bot(make_bot, [admin], doctors=[doctor])

    def menu(user: FakeUser | None = None) -> list[str]:
        scope = {"type": "chat", "chat_id": user.id} if user else None
        return [entry["command"] for entry in emulator.commands_for(scope)]

    await bot.start()
    try:
        assert menu() == PATIENT_MENU
        assert menu(doctor) == DOCTOR_MENU
        assert menu(admin) == ADMIN_MENU
        assert menu(applicant) == []  # the default menu, the patients', is theirs

        await apply(bot, applicant)
        [application] = await emulator.wait_for_messages(admin.chat_id, 1)
        await press(emulator, admin, application, "Approve")
        await emulator.wait_until(lambda: menu(applicant) == DOCTOR_MENU or None)

        [listing] = await command(bot, admin, "/doctors")
        [revoke_label] = [label for label in listing.button_labels() if "Dr. Ada" in label]
        await press(emulator, admin, listing, revoke_label)
        await emulator.wait_until(lambda: menu(applicant) == [] or None)
        assert menu(doctor) == DOCTOR_MENU and menu() == PATIENT_MENU
    finally:
        await bot.stop()

    # A doctor the config no longer lists loses the doctors' menu at the next start.
    without_kay = admin_bot(make_bot, [admin], doctors=[])
    await without_kay.start()
    try:
        assert menu(doctor) == [] and menu(admin) == ADMIN_MENU
    finally:
        await without_kay.stop()
    assert_every_message_disclaimed(emulator, bot.settings.disclaimer)
