"""Patients' privacy, end to end: what a patient is told and chooses, what the bank publishes
(never a patient's own words), what admins can hide, review and delete, and what a patient can
see and erase, down to the bytes of the database file."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from telegram import InputFile

from bot.emulator import BotMessage, FakeUser, TelegramEmulator
from bot.messaging.sending import DisclaimerBot
from bot.messaging.transport import AiohttpRequest
from bot.models import Visibility
from bot.testing import TOKEN, MakeBot, RunningBot, assert_every_message_disclaimed, open_store

# Made up for these tests: no real person.
IDENTIFYING = (
    "Hi, I'm Maria Lopez and my number is +1 555 0100, email maria.lopez@example.com. "
    "Is it safe to take ibuprofen with coffee every morning?"
)
PUBLIC = "Is it safe to take ibuprofen with coffee every morning?"
REWORDED = "Can I take ibuprofen with my morning coffee?"
# A word that appears nowhere else, to look for in the database file's bytes.
SECRET_WORD = "Zyxoquiltrin"
SEED_QUESTION = "Why would I need microdermabrasion after eMatrix treatments?"


class Clinic:
    """A patient-facing bot with one doctor and one admin."""

    def __init__(
        self, emulator: TelegramEmulator, bot: RunningBot, doctor: FakeUser, admin: FakeUser
    ) -> None:
        self.emulator = emulator
        self.bot = bot
        self.doctor = doctor
        self.admin = admin

    async def wait_for(
        self, user: FakeUser, predicate: Callable[[BotMessage], bool], timeout: float = 10.0
    ) -> BotMessage:
        def found() -> BotMessage | None:
            return next(
                (
                    m
                    for m in self.emulator.messages_to(user.chat_id)
                    if not m.deleted and predicate(m)
                ),
                None,
            )

        return await self.emulator.wait_until(found, timeout=timeout)

    async def offer(self, text: str) -> BotMessage:
        return await self.wait_for(
            self.doctor, lambda m: m.text.startswith("New question") and text in m.text
        )

    async def preview(self, offer: BotMessage, answer: str) -> BotMessage:
        await self.emulator.send_text(self.doctor, answer, reply_to=offer.message_id)
        return await self.wait_for(
            self.doctor, lambda m: m.text.startswith("Preview") and answer in m.text
        )

    async def after(
        self,
        user: FakeUser,
        action: Awaitable[object],
        predicate: Callable[[BotMessage], bool],
    ) -> BotMessage:
        """Do `action`, then wait for a message newer than it that satisfies `predicate`."""
        before = max((m.message_id for m in self.emulator.messages_to(user.chat_id)), default=0)
        await action
        return await self.wait_for(user, lambda m: m.message_id > before and predicate(m))


def _entry(user: FakeUser) -> dict[str, Any]:
    return {
        "telegram_id": user.id,
        "name": "Dr. Pat Test",
        "title": "Pharmacist",
        "location": "Testville",
    }


@pytest.fixture
async def make_clinic(
    make_bot: MakeBot, emulator: TelegramEmulator
) -> AsyncIterator[Callable[..., Any]]:
    started: list[RunningBot] = []

    async def factory(**overrides: Any) -> Clinic:
        doctor = emulator.new_user("Pharma", username="pharma_doc")
        admin = emulator.new_user("Ada", username="ada_admin")
        bot = make_bot(
            "polling", doctors=[_entry(doctor)], admins=[{"telegram_id": admin.id}], **overrides
        )
        await bot.start()
        started.append(bot)
        return Clinic(emulator, bot, doctor, admin)

    yield factory
    for bot in started:
        await bot.stop()
        assert_every_message_disclaimed(emulator, bot.settings.disclaimer)


@pytest.fixture
async def clinic(make_clinic: Callable[..., Any]) -> Clinic:
    made: Clinic = await make_clinic()
    return made


def _database_bytes(database: Path) -> bytes:
    """The database file and its WAL and shared-memory files, as they are on disk."""
    return b"".join(
        path.read_bytes()
        for path in (database, Path(f"{database}-wal"), Path(f"{database}-shm"))
        if path.exists()
    )


# --- what a patient is told ----------------------------------------------------------------------


async def test_start_help_and_privacy_say_what_is_kept_and_the_first_question_gets_the_notice(
    clinic: Clinic, emulator: TelegramEmulator
) -> None:
    patient = emulator.new_user("Nora")
    for command in ("/start", "/help"):
        before = len(emulator.messages_to(patient.chat_id))
        await emulator.send_command(patient, command)
        [reply] = (await emulator.wait_for_messages(patient.chat_id, before + 1))[before:]
        assert "never see your name, username or Telegram id" in reply.text
        assert "for 365 days after your last message" in reply.text
        assert "/privacy" in reply.text and "/mydata" in reply.text and "/forget" in reply.text
    before = len(emulator.messages_to(patient.chat_id))
    await emulator.send_command(patient, "/privacy")
    [privacy] = (await emulator.wait_for_messages(patient.chat_id, before + 1))[before:]
    assert "365 days after your last message" in privacy.text
    assert "reworded" in privacy.text and "Keep private" in privacy.text
    assert "/mydata" in privacy.text and "no longer identify anyone" in privacy.text

    notice = "Privacy: doctors never see your name."
    # An emergency is answered first: the notice comes after it, never instead of it.
    [first] = await clinic.bot.ask(patient, "I have crushing chest pain, what should I do?")
    assert first.text.startswith("If this may be an emergency")
    assert first.text.index("If this may be an emergency") < first.text.index(notice)
    [second] = await clinic.bot.ask(patient, "Is ibuprofen bad for the stomach?")
    assert notice not in second.text


# --- what the bank publishes ---------------------------------------------------------------------


async def test_the_bank_shows_the_public_question_never_the_patients_words(
    clinic: Clinic, emulator: TelegramEmulator
) -> None:
    patient = emulator.new_user("Maria", last_name="Lopez", username="maria_l")
    [routed] = await clinic.bot.ask(patient, IDENTIFYING)
    assert "Keep private" in routed.button_labels()
    # The doctor needs the question as written to answer it; never who sent it.
    offer = await clinic.offer("Maria Lopez")
    assert "maria_l" not in offer.text and str(patient.id) not in offer.text

    preview = await clinic.preview(offer, "Generated answer: fine for most people.")
    public = preview.text.split("Public question")[1]
    assert "ibuprofen with coffee every morning" in public
    for detail in ("Maria", "Lopez", "555 0100", "example.com"):
        assert detail not in public
    assert preview.button_labels() == [
        "Send",
        "Edit",
        "Cancel",
        "Edit public question",
        "Don't publish",
    ]

    await emulator.press_button(clinic.doctor, preview, "Edit public question")
    await clinic.wait_for(clinic.doctor, lambda m: m.text.startswith("Send the public question"))
    edited = await clinic.after(
        clinic.doctor,
        emulator.send_text(clinic.doctor, PUBLIC),
        lambda m: m.text.startswith("Preview"),
    )
    assert "Public question" in edited.text and PUBLIC in edited.text
    await emulator.press_button(clinic.doctor, edited, "Send")
    sent = await clinic.wait_for(clinic.doctor, lambda m: m.text.startswith("Sent to Patient #"))
    assert "added to the answer bank as " + PUBLIC in sent.text

    answer = await clinic.wait_for(patient, lambda m: "Generated answer" in m.text)
    assert "Report" in answer.button_labels()

    # The next patient gets the answer under the public question; nobody sees Maria.
    newcomer = emulator.new_user("Ben")
    [page] = await clinic.bot.ask(newcomer, REWORDED)
    assert page.text.startswith(PUBLIC)
    assert "Maria" not in page.text and "555" not in page.text
    query = await emulator.send_inline_query(newcomer, "ibuprofen coffee")
    [[result]] = [await emulator.wait_for_inline_answer(query)]
    content = result["input_message_content"]["message_text"]
    assert PUBLIC in content and "Maria" not in content
    async with open_store(clinic.bot.settings.database) as store:
        rows = await store.database.rows("SELECT title FROM questions")
    assert all("Maria" not in row["title"] for row in rows)


async def test_dont_publish_and_keep_private_answer_the_patient_alone(
    clinic: Clinic, emulator: TelegramEmulator
) -> None:
    # The doctor keeps it out of the bank.
    first = emulator.new_user("Uma")
    await clinic.bot.ask(first, PUBLIC)
    preview = await clinic.preview(await clinic.offer("coffee"), "Generated private answer one.")
    unpublished = await clinic.after(
        clinic.doctor,
        emulator.press_button(clinic.doctor, preview, "Don't publish"),
        lambda m: m.text.startswith("Preview"),
    )
    assert "Not published" in unpublished.text
    assert unpublished.button_labels() == ["Send", "Edit", "Cancel", "Publish to the bank"]
    await emulator.press_button(clinic.doctor, unpublished, "Send")
    sent = await clinic.wait_for(clinic.doctor, lambda m: m.text.startswith("Sent to Patient #"))
    assert "does not join the answer bank" in sent.text
    answer = await clinic.wait_for(first, lambda m: "Generated private answer one." in m.text)
    [again] = await clinic.bot.ask(emulator.new_user("Vic"), REWORDED)
    assert "Generated private answer one." not in again.text
    # Forged report data cannot show the admins someone else's private answer.
    [report_data] = [data for data in answer.button_data() if data.startswith("report:")]
    snoop = emulator.new_user("Snoop")
    [bait] = await clinic.bot.ask(snoop, SEED_QUESTION)
    await emulator.press_raw_callback(snoop, bait, report_data)
    await clinic.wait_for(snoop, lambda m: "no longer available" in m.text)
    await emulator.press_button(first, answer, "Report")
    report = await clinic.wait_for(clinic.admin, lambda m: m.text.startswith("Report #"))
    assert "Generated private answer one." in report.text and "private" in report.text
    assert (
        sum(m.text.startswith("Report #") for m in emulator.messages_to(clinic.admin.chat_id)) == 1
    )

    # The patient keeps it private before anyone answers.
    second = emulator.new_user("Wes")
    [routed] = await clinic.bot.ask(second, "Can I drink green tea while taking warfarin daily?")
    await emulator.press_button(second, routed, "Keep private")
    kept = await clinic.wait_for(second, lambda m: m.text.startswith("Done: question #"))
    assert "answered to you alone" in kept.text
    preview = await clinic.preview(await clinic.offer("warfarin"), "Generated private answer two.")
    assert "the patient asked to keep this question private" in preview.text
    assert preview.button_labels() == ["Send", "Edit", "Cancel"]
    await emulator.press_button(clinic.doctor, preview, "Send")
    await clinic.wait_for(second, lambda m: "Generated private answer two." in m.text)
    [other] = await clinic.bot.ask(emulator.new_user("Xia"), "green tea with warfarin?")
    assert "Generated private answer two." not in other.text

    # Kept private after it was published: it leaves the bank.
    third = emulator.new_user("Yan")
    [routed] = await clinic.bot.ask(third, "Does melatonin help with jet lag after long flights?")
    preview = await clinic.preview(await clinic.offer("melatonin"), "Generated answer three.")
    await emulator.press_button(clinic.doctor, preview, "Send")
    await clinic.wait_for(third, lambda m: "Generated answer three." in m.text)
    [matched] = await clinic.bot.ask(emulator.new_user("Zed"), "melatonin for jet lag?")
    assert "Generated answer three." in matched.text
    await emulator.press_button(third, routed, "Keep private")
    await clinic.wait_for(third, lambda m: "it is taken out" in m.text)
    [after] = await clinic.bot.ask(emulator.new_user("Abe"), "melatonin for jet lag?")
    assert "Generated answer three." not in after.text
    async with open_store(clinic.bot.settings.database) as store:
        visibilities = {
            row["visibility"]
            for row in await store.database.rows(
                "SELECT visibility FROM questions WHERE bank_key LIKE 'asked:%'"
            )
        }
    assert visibilities == {Visibility.PRIVATE.value}


async def test_admin_review_publish_edit_reject_and_the_audit_trail(
    make_clinic: Callable[..., Any], emulator: TelegramEmulator
) -> None:
    clinic: Clinic = await make_clinic(publishing={"review": "admin"})
    patient = emulator.new_user("Rita")
    await clinic.bot.ask(patient, PUBLIC)
    preview = await clinic.preview(await clinic.offer("coffee"), "Generated reviewed answer.")
    assert "once an admin approves it" in preview.text
    await emulator.press_button(clinic.doctor, preview, "Send")
    # The patient has the answer at once; the bank waits for the admin.
    await clinic.wait_for(patient, lambda m: "Generated reviewed answer." in m.text)
    told = await clinic.wait_for(clinic.doctor, lambda m: m.text.startswith("Sent to Patient #"))
    assert "once an admin approves it" in told.text
    request = await clinic.wait_for(clinic.admin, lambda m: m.text.startswith("New answer to"))
    assert request.button_labels() == ["Publish", "Edit", "Reject", "Delete"]
    assert "waiting for review" in request.text
    [unmatched] = await clinic.bot.ask(emulator.new_user("Sam"), REWORDED)
    assert "Generated reviewed answer." not in unmatched.text

    await emulator.press_button(clinic.admin, request, "Edit")
    await clinic.wait_for(clinic.admin, lambda m: m.text.startswith("Send the new public"))
    await emulator.send_command(clinic.admin, "/cancel")
    await clinic.wait_for(clinic.admin, lambda m: m.text.startswith("Cancelled: bank #"))
    await emulator.press_button(clinic.admin, request, "Edit")
    await emulator.wait_until(
        lambda: [
            m
            for m in emulator.messages_to(clinic.admin.chat_id)
            if m.text.startswith("Send the new public")
        ][1:]
    )
    edited = await clinic.after(
        clinic.admin,
        emulator.send_text(clinic.admin, "Is ibuprofen with coffee safe?"),
        lambda m: m.text.startswith("Bank #"),
    )
    assert "Is ibuprofen with coffee safe?" in edited.text
    await emulator.press_button(clinic.admin, edited, "Publish")
    await clinic.wait_for(clinic.admin, lambda m: m.text.startswith("Published bank #"))
    [matched] = await clinic.bot.ask(emulator.new_user("Tom"), "ibuprofen with coffee safe?")
    assert matched.text.startswith("Is ibuprofen with coffee safe?")
    assert "Generated reviewed answer." in matched.text

    # /review lists what waits; Reject keeps the answer with its patient alone.
    other = emulator.new_user("Una")
    await clinic.bot.ask(other, "Should I take vitamin D drops in winter every day?")
    preview = await clinic.preview(await clinic.offer("vitamin D"), "Generated rejected answer.")
    await emulator.press_button(clinic.doctor, preview, "Send")
    await clinic.wait_for(clinic.admin, lambda m: "vitamin D" in m.text)
    await emulator.send_command(clinic.admin, "/review")
    header = await clinic.wait_for(clinic.admin, lambda m: m.text.startswith("Waiting for review"))
    assert "Waiting for review: 1" in header.text
    listed = await clinic.wait_for(
        clinic.admin, lambda m: m.message_id > header.message_id and "vitamin D" in m.text
    )
    await emulator.press_button(clinic.admin, listed, "Reject")
    await clinic.wait_for(clinic.admin, lambda m: m.text.startswith("Rejected bank #"))
    [unmatched] = await clinic.bot.ask(emulator.new_user("Val"), "vitamin D drops in winter?")
    assert "Generated rejected answer." not in unmatched.text

    await emulator.send_command(clinic.admin, "/audit")
    trail = await clinic.wait_for(clinic.admin, lambda m: m.text.startswith("Audit trail"))
    for line in (
        "submitted for review",
        f"admin {clinic.admin.id} · edited the public question",
        f"admin {clinic.admin.id} · approved and published",
        "rejected (kept private)",
    ):
        assert line in trail.text
    # References only: no question, no answer.
    assert "coffee" not in trail.text and "Generated" not in trail.text


async def test_report_hide_restore_and_delete(clinic: Clinic, emulator: TelegramEmulator) -> None:
    patient = emulator.new_user("Quinn")
    [page] = await clinic.bot.ask(patient, SEED_QUESTION)
    assert "Doctor answers: 2" in page.text
    await emulator.press_button(patient, page, "Report")
    await clinic.wait_for(patient, lambda m: m.text.startswith("Thank you for telling us"))
    report = await clinic.wait_for(clinic.admin, lambda m: m.text.startswith("Report #"))
    assert report.button_labels() == ["Hide", "Keep"]
    await emulator.press_button(clinic.admin, report, "Hide")
    await clinic.wait_for(clinic.admin, lambda m: m.text.startswith("Hid bank #"))
    [hidden] = await clinic.bot.ask(patient, SEED_QUESTION)
    assert "Doctor answers" not in hidden.text
    query = await emulator.send_inline_query(patient, "microdermabrasion ematrix")
    assert await emulator.wait_for_inline_answer(query) == []
    # A decided report cannot be decided again.
    await emulator.press_button(clinic.admin, report, "Keep")
    await clinic.wait_for(clinic.admin, lambda m: "was decided already" in m.text)

    await emulator.send_command(clinic.admin, "/bank microdermabrasion")
    found = await clinic.wait_for(
        clinic.admin, lambda m: "hidden: never matched" in m.text and "Bank #" in m.text
    )
    assert found.button_labels() == ["Edit", "Restore", "Delete"]
    await emulator.press_button(clinic.admin, found, "Restore")
    await clinic.wait_for(clinic.admin, lambda m: m.text.startswith("Restored bank #"))
    [restored] = await clinic.bot.ask(patient, SEED_QUESTION)
    assert "Doctor answers: 2" in restored.text
    # An imported entry would come back at the next start: Delete hides it and says so.
    await emulator.press_button(clinic.admin, found, "Delete")
    await clinic.wait_for(clinic.admin, lambda m: "is hidden instead" in m.text)

    # A doctor's answer is deleted for good.
    asker = emulator.new_user("Remy")
    await clinic.bot.ask(asker, PUBLIC)
    preview = await clinic.preview(await clinic.offer("coffee"), "Generated answer to delete.")
    await emulator.press_button(clinic.doctor, preview, "Send")
    answer = await clinic.wait_for(asker, lambda m: "Generated answer to delete." in m.text)
    report = await clinic.after(
        clinic.admin,
        emulator.press_button(asker, answer, "Report"),
        lambda m: m.text.startswith("Report #"),
    )
    await emulator.press_button(clinic.admin, report, "Keep")
    await clinic.wait_for(clinic.admin, lambda m: m.text.startswith("Kept bank #"))
    entry = await clinic.after(
        clinic.admin,
        emulator.send_command(clinic.admin, "/bank ibuprofen coffee"),
        lambda m: "Generated answer to delete." in m.text,
    )
    assert entry.button_labels() == ["Edit", "Hide", "Delete"]
    await emulator.press_button(clinic.admin, entry, "Delete")
    await clinic.wait_for(clinic.admin, lambda m: m.text.startswith("Deleted bank #"))
    [gone] = await clinic.bot.ask(emulator.new_user("Sid"), REWORDED)
    assert "Generated answer to delete." not in gone.text


async def test_inline_mode_can_be_switched_off(
    make_clinic: Callable[..., Any], emulator: TelegramEmulator
) -> None:
    clinic: Clinic = await make_clinic(inline={"enabled": False})
    user = emulator.new_user("Ivy")
    query = await emulator.send_inline_query(user, "microdermabrasion ematrix")
    assert await emulator.wait_for_inline_answer(query) == []
    [page] = await clinic.bot.ask(user, SEED_QUESTION)
    assert "Doctor answers: 2" in page.text


# --- what a patient can see and erase -------------------------------------------------------------


async def test_mydata_sends_everything_stored_as_a_json_file(
    clinic: Clinic, emulator: TelegramEmulator
) -> None:
    patient = emulator.new_user("Olive")
    await emulator.send_command(patient, "/mydata")
    await clinic.wait_for(patient, lambda m: m.text.startswith("We keep nothing about you"))
    await clinic.bot.ask(patient, PUBLIC)
    offer = await clinic.offer("coffee")
    label = offer.text.split("Patient #")[1].split()[0]
    preview = await clinic.preview(offer, "Generated answer for the export.")
    await emulator.press_button(clinic.doctor, preview, "Send")
    answer = await clinic.wait_for(patient, lambda m: "Generated answer for the export." in m.text)
    await emulator.press_button(patient, answer, "4★")
    await clinic.wait_for(patient, lambda m: m.text.startswith("Thank you: you gave 4★"))

    await emulator.send_command(patient, "/mydata")
    document = await clinic.wait_for(patient, lambda m: m.document is not None)
    assert document.has_protected_content
    assert document.text.startswith("Everything AskDoc keeps about you: 1 question.")
    assert emulator.document_name(patient.chat_id, document.message_id) == "askdoc-my-data.json"
    exported = json.loads(emulator.document_bytes(patient.chat_id, document.message_id))
    assert exported["label_doctors_see"] == label
    [question] = exported["questions"]
    assert question["text"] == PUBLIC
    assert question["public_question"] == {"text": PUBLIC, "status": "published"}
    [received] = question["doctors_answers"]
    assert received["text"] == "Generated answer for the export."
    assert received["doctor"] == "Dr. Pat Test" and received["your_rating"] == 4
    assert str(patient.id) not in json.dumps(exported)


async def test_forget_erases_every_trace_down_to_the_database_files_bytes(
    clinic: Clinic, emulator: TelegramEmulator
) -> None:
    patient = emulator.new_user("Pia")
    # One question answered privately, one still waiting: both hold the word.
    await clinic.bot.ask(patient, f"Is {SECRET_WORD} safe with ibuprofen for my back pain?")
    preview = await clinic.preview(await clinic.offer(SECRET_WORD), "Generated answer to erase.")
    unpublished = await clinic.after(
        clinic.doctor,
        emulator.press_button(clinic.doctor, preview, "Don't publish"),
        lambda m: "Not published" in m.text,
    )
    await emulator.press_button(clinic.doctor, unpublished, "Send")
    answer = await clinic.wait_for(patient, lambda m: "Generated answer to erase." in m.text)
    await emulator.press_button(patient, answer, "5★")
    await clinic.wait_for(patient, lambda m: m.text.startswith("Thank you: you gave 5★"))
    # Long enough to spill into overflow pages, which a plain delete leaves on the free list.
    story = " ".join(
        f"Day {day}: {SECRET_WORD} again, and the ache came back." for day in range(150)
    )
    [reply] = await clinic.bot.ask(
        patient, f"Can {SECRET_WORD} cause headaches in the evening? {story}"
    )
    ref = reply.text.split("reference #")[1].split(")")[0]
    # So long that the doctor gets it in several messages: each is deleted.
    waiting = await clinic.offer(f"(reference #{ref})")
    # A published answer from another patient stays, and so do the doctor's figures.
    other = emulator.new_user("Quentin")
    await clinic.bot.ask(other, PUBLIC)
    preview = await clinic.preview(await clinic.offer("every morning"), "Generated kept answer.")
    await emulator.press_button(clinic.doctor, preview, "Send")
    await clinic.wait_for(other, lambda m: "Generated kept answer." in m.text)
    async with open_store(clinic.bot.settings.database) as store:
        [before] = await store.doctors.of_the_bot()

    await emulator.send_command(patient, "/forget")
    confirm = await clinic.wait_for(patient, lambda m: m.text.startswith("Erase your data?"))
    assert confirm.button_labels() == ["Delete my data"]
    await emulator.press_button(patient, confirm, "Delete my data")
    done = await clinic.wait_for(patient, lambda m: m.text.startswith("Done: erased"))
    assert "2 questions, 1 rating" in done.text
    # The copies in the doctor's chat are gone (under 48 hours old: deleted outright).
    await emulator.wait_until(
        lambda: next(
            (
                m
                for m in emulator.messages_to(clinic.doctor.chat_id)
                if m.message_id == waiting.message_id and m.deleted
            ),
            None,
        )
    )
    await asyncio.sleep(0.5)
    assert not [
        m.text[:200]
        for m in emulator.messages_to(clinic.doctor.chat_id)
        if SECRET_WORD in m.text and not m.deleted
    ]
    # The waiting question no longer exists for doctors.
    await clinic.after(
        clinic.doctor,
        emulator.send_command(clinic.doctor, "/queue"),
        lambda m: m.text.startswith("No questions are waiting"),
    )

    database = clinic.bot.settings.database
    assert SECRET_WORD.encode() not in _database_bytes(database)
    assert b"Generated answer to erase." not in _database_bytes(database)
    async with open_store(database) as store:
        [after] = await store.doctors.of_the_bot()
        kept = await store.database.rows(
            "SELECT title FROM questions WHERE bank_key LIKE 'asked:%'"
        )
        patients = await store.database.scalar("SELECT count(*) FROM patients")
    assert (after.card.rating_total, after.card.review_count) == (
        before.card.rating_total,
        before.card.review_count,
    )
    assert [row["title"] for row in kept] == [PUBLIC]
    assert patients == 1  # the other patient's label
    await clinic.bot.stop()
    assert SECRET_WORD.encode() not in _database_bytes(database)
    await clinic.bot.start()

    await clinic.after(
        patient,
        emulator.send_command(patient, "/mydata"),
        lambda m: m.text.startswith("We keep nothing about you"),
    )


async def test_forget_overwrites_copies_telegram_no_longer_lets_it_delete(
    clinic: Clinic, emulator: TelegramEmulator
) -> None:
    patient = emulator.new_user("Cora")
    await clinic.bot.ask(patient, f"Does {SECRET_WORD} interact with antihistamines?")
    offer = await clinic.offer(SECRET_WORD)
    emulator.advance_clock(49 * 3600)
    await emulator.send_command(patient, "/forget")
    confirm = await clinic.wait_for(patient, lambda m: m.text.startswith("Erase your data?"))
    await emulator.press_button(patient, confirm, "Delete my data")
    edited = await emulator.wait_for_edit(clinic.doctor.chat_id, offer.message_id)
    assert edited.text.startswith("(deleted by the patient)")
    assert SECRET_WORD not in edited.text and edited.buttons == []


async def test_the_retention_job_erases_old_questions_patients_and_messages(
    make_clinic: Callable[..., Any], emulator: TelegramEmulator
) -> None:
    # Four seconds of retention, so the job can be watched at work.
    clinic: Clinic = await make_clinic(privacy={"retention_days": 4 / 86400})
    patient = emulator.new_user("Gus")
    await clinic.bot.ask(patient, f"Is {SECRET_WORD} safe for children under five?")
    offer = await clinic.offer(SECRET_WORD)
    database = clinic.bot.settings.database

    async def erased() -> bool:
        async with open_store(database) as store:
            texts_left = await store.database.scalar(
                "SELECT count(*) FROM asked_questions WHERE text != ''"
            )
            patients = await store.database.scalar("SELECT count(*) FROM patients")
            delivered = await store.database.scalar(
                "SELECT count(*) FROM outbox WHERE status = 'sent'"
                " AND created_at < strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-10 seconds')"
            )
        return texts_left == 0 and patients == 0 and delivered == 0

    for _ in range(40):
        if await erased():
            break
        await asyncio.sleep(0.5)
    assert await erased()
    await emulator.wait_until(
        lambda: next(
            (
                m
                for m in emulator.messages_to(clinic.doctor.chat_id)
                if m.message_id == offer.message_id and m.deleted
            ),
            None,
        )
    )
    assert SECRET_WORD.encode() not in _database_bytes(database)
    async with open_store(database) as store:
        trail = await store.audit.latest()
    assert any(entry.actor == "retention" for entry in trail)


# --- the logs ------------------------------------------------------------------------------------


async def test_logs_hold_no_message_text_and_no_identities(
    clinic: Clinic, emulator: TelegramEmulator, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="bot")
    caplog.set_level(logging.INFO)
    patient = emulator.new_user("Lorelei", last_name="Quixote", username="lore_q")
    [routed] = await clinic.bot.ask(patient, f"Is {SECRET_WORD} safe with my asthma inhaler?")
    preview = await clinic.preview(await clinic.offer(SECRET_WORD), "Generated logged answer.")
    await emulator.press_button(clinic.doctor, preview, "Send")
    answer = await clinic.wait_for(patient, lambda m: "Generated logged answer." in m.text)
    await emulator.press_button(patient, answer, "3★")
    await emulator.press_button(patient, answer, "Report")
    report = await clinic.wait_for(clinic.admin, lambda m: m.text.startswith("Report #"))
    await emulator.press_button(clinic.admin, report, "Hide")
    await emulator.press_raw_callback(patient, routed, "rate:999:9")
    await emulator.send_command(patient, "/forget")
    confirm = await clinic.wait_for(patient, lambda m: m.text.startswith("Erase your data?"))
    await emulator.press_button(patient, confirm, "Delete my data")
    await clinic.wait_for(patient, lambda m: m.text.startswith("Done: erased"))
    await asyncio.sleep(0.5)

    records = [r for r in caplog.records if not r.name.startswith("bot.emulator")]
    assert records, "the flow logged nothing at all"
    logged = "\n".join(r.getMessage() for r in records)
    for secret in (
        SECRET_WORD,
        "asthma",
        "Generated logged answer",
        "Lorelei",
        "Quixote",
        "lore_q",
        str(patient.id),
        "Pharma",
        "pharma_doc",
        str(clinic.doctor.id),
        str(clinic.admin.id),
    ):
        assert secret not in logged, secret


@pytest.mark.parametrize("caption_length", [40, 1_000])
async def test_a_files_caption_ends_with_the_disclaimer_or_it_follows_in_the_same_send(
    emulator: TelegramEmulator, caption_length: int
) -> None:
    disclaimer = "Not medical advice; in an emergency call your local number."
    bot = DisclaimerBot(
        token=TOKEN, base_url=emulator.base_url, disclaimer=disclaimer, request=AiohttpRequest()
    )
    patient = emulator.new_user("Flo")
    caption = ("word " * caption_length)[:caption_length].strip()
    async with bot:
        await bot.send_document(
            patient.chat_id, InputFile(b"{}", filename="data.json"), caption=caption
        )
    messages = emulator.messages_to(patient.chat_id)
    assert messages[0].document is not None and messages[0].text.startswith(caption[:30])
    if caption_length < 900:
        [document] = messages
        assert document.text.endswith(disclaimer)
    else:
        [document, closing] = messages
        assert closing.document is None and closing.text == disclaimer
    assert_every_message_disclaimed(emulator, disclaimer)
