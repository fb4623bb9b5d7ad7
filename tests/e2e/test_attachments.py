"""Photos, files and voice messages, and "Ask for details", end to end: a patient's file
reaches the doctor with the question, protected (no forwarding, no saving) and with the
disclaimer in its caption; files join the question they belong to; a doctor can attach a
photo to an answer and ask the patient for details; none of it reaches the bank, and all of it
goes with the patient's data."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import pytest

from bot.emulator import BotMessage, FakeUser, TelegramEmulator
from bot.emulator.formatting import utf16_len
from bot.testing import MakeBot, RunningBot, assert_every_message_disclaimed, open_store

MOLE = "Is this mole on my shoulder something to worry about? It got darker this month."
RASH = "Is this rash on my forearm contagious to my children?"
WHEEZE = "Why do I wheeze when I climb the stairs at night?"


@dataclass
class Clinic:
    """A running bot, its one doctor, and the emulator both chat through."""

    bot: RunningBot
    emulator: TelegramEmulator
    doctor: FakeUser

    async def after(
        self,
        user: FakeUser,
        action: Callable[[], Awaitable[Any]],
        predicate: Callable[[BotMessage], bool],
    ) -> BotMessage:
        """Do `action`, then wait for a new message in the user's chat that fits."""
        before = {m.message_id for m in self.emulator.messages_to(user.chat_id)}
        await action()

        def found() -> BotMessage | None:
            return next(
                (
                    m
                    for m in self.emulator.messages_to(user.chat_id)
                    if m.message_id not in before and predicate(m)
                ),
                None,
            )

        return await self.emulator.wait_until(found, timeout=10.0)

    async def find(self, user: FakeUser, predicate: Callable[[BotMessage], bool]) -> BotMessage:
        """The latest message in the user's chat that fits, waiting for one if none does."""

        def found() -> BotMessage | None:
            fitting = [m for m in self.emulator.messages_to(user.chat_id) if predicate(m)]
            return fitting[-1] if fitting else None

        return await self.emulator.wait_until(found, timeout=10.0)

    async def say(self, user: FakeUser, text: str, expect: str) -> BotMessage:
        return await self.after(user, lambda: self.emulator.send_text(user, text), _has(expect))

    async def press(
        self, user: FakeUser, message: BotMessage, label: str, expect: str
    ) -> BotMessage:
        return await self.after(
            user, lambda: self.emulator.press_button(user, message, label), _has(expect)
        )

    def files_to(self, user: FakeUser) -> list[BotMessage]:
        return [
            m for m in self.emulator.messages_to(user.chat_id) if m.photo or m.document or m.voice
        ]

    async def count(self, table: str) -> int:
        async with open_store(self.bot.settings.database) as store:
            return await store.database.scalar(f"SELECT count(*) FROM {table}")


def _has(text: str) -> Callable[[BotMessage], bool]:
    return lambda message: text in message.text


def _ref(message: BotMessage) -> str:
    return message.text.split("#", 1)[1].split()[0].rstrip(").:,")


def _largest_photo(sent: dict[str, Any]) -> str:
    return str(sent["photo"][-1]["file_id"])


def _assert_protected_copy(file_message: BotMessage, patient: FakeUser) -> None:
    """A doctor's copy of a patient's file: protected, not a forward, naming no one."""
    assert file_message.has_protected_content
    assert "forward_origin" not in file_message.raw
    assert utf16_len(file_message.text) <= 1024
    for identity in (patient.first_name, str(patient.id), patient.username or "@@"):
        assert identity not in file_message.text


@pytest.fixture
async def clinic(make_bot: MakeBot, emulator: TelegramEmulator) -> AsyncIterator[Clinic]:
    doctor = emulator.new_user("Derma")
    bot = make_bot(
        "polling",
        doctors=[
            {
                "telegram_id": doctor.id,
                "name": "Dr. Dee Test",
                "title": "Dermatologist",
                "location": "Testville",
            }
        ],
        routing={"answers_per_question": 1},
    )
    await bot.start()
    yield Clinic(bot, emulator, doctor)
    await bot.stop()
    assert_every_message_disclaimed(emulator, bot.settings.disclaimer)


async def test_a_captioned_photo_reaches_the_doctor_protected_with_the_disclaimer(
    clinic: Clinic, emulator: TelegramEmulator
) -> None:
    patient = emulator.new_user("Penny", last_name="Private", username="penny_secret")
    sent: dict[str, Any] = {}

    async def send() -> None:
        sent.update(await emulator.send_photo(patient, caption=MOLE))

    reply = await clinic.after(patient, send, _has("has gone to our doctors"))
    assert reply.text.startswith("📎 I keep your photo with this question, for the doctors only")
    ref = reply.text.split("reference #")[1].split(")")[0]
    offer = await clinic.find(clinic.doctor, _has(f"(reference #{ref})"))
    assert "📎 1 file follows this message" in offer.text
    [photo] = await _files(clinic, clinic.doctor, 1)
    assert photo.message_id > offer.message_id
    assert photo.photo[-1]["file_id"] == _largest_photo(sent)
    assert photo.text.startswith("📎 Photo from Patient #") and f"for question #{ref}" in photo.text
    assert MOLE in photo.text and photo.text.rstrip().endswith(clinic.bot.settings.disclaimer)
    _assert_protected_copy(photo, patient)
    # The file id is the only trace kept: delivered, the outbox forgets even that.
    async with open_store(clinic.bot.settings.database) as store:
        [row] = await store.database.rows("SELECT kind, file_id, caption FROM attachments")
        assert (row["kind"], row["file_id"], row["caption"]) == (
            "photo",
            _largest_photo(sent),
            MOLE,
        )
        kept = await store.database.scalar("SELECT count(*) FROM outbox WHERE file_id IS NOT NULL")
        assert kept == 0


async def _files(clinic: Clinic, user: FakeUser, count: int) -> list[BotMessage]:
    await clinic.emulator.wait_until(lambda: len(clinic.files_to(user)) >= count or None)
    return clinic.files_to(user)


async def test_a_file_sent_right_after_a_question_joins_it(
    clinic: Clinic, emulator: TelegramEmulator
) -> None:
    patient = emulator.new_user("Vic")
    routed = await clinic.say(patient, RASH, "has gone to our doctors")
    ref = routed.text.split("reference #")[1].split(")")[0]
    joined = await clinic.after(
        patient, lambda: emulator.send_voice(patient), _has("I added your voice message")
    )
    assert f"#{ref}" in joined.text
    [voice] = await _files(clinic, clinic.doctor, 1)
    assert voice.voice is not None and voice.text.startswith("📎 Voice message from Patient #")
    assert f"for question #{ref}" in voice.text
    _assert_protected_copy(voice, patient)
    # A document right after joins the same question.
    await clinic.after(
        patient,
        lambda: emulator.send_document(patient, file_name="blood-test.pdf"),
        _has(f"I added your file to your question #{ref}"),
    )
    files = await _files(clinic, clinic.doctor, 2)
    assert files[-1].document is not None and files[-1].document["file_name"] == "blood-test.pdf"


async def test_a_photo_without_text_waits_for_the_question(
    clinic: Clinic, emulator: TelegramEmulator
) -> None:
    patient = emulator.new_user("Quinn")
    sent: dict[str, Any] = {}

    async def send() -> None:
        sent.update(await emulator.send_photo(patient))

    await clinic.after(patient, send, _has("What would you like to ask about this photo?"))
    assert clinic.files_to(clinic.doctor) == []
    routed = await clinic.say(patient, MOLE, "has gone to our doctors")
    ref = routed.text.split("reference #")[1].split(")")[0]
    offer = await clinic.find(clinic.doctor, _has(f"(reference #{ref})"))
    assert "📎 1 file follows" in offer.text
    [photo] = await _files(clinic, clinic.doctor, 1)
    assert photo.photo[-1]["file_id"] == _largest_photo(sent) and f"#{ref}" in photo.text
    _assert_protected_copy(photo, patient)


async def test_a_later_file_asks_whether_it_belongs_to_the_open_question(
    make_bot: MakeBot, emulator: TelegramEmulator
) -> None:
    doctor = emulator.new_user("Gina")
    # No window at all: any file after the question is "later" (no sleeping in tests).
    bot = make_bot(
        "polling",
        doctors=[{"telegram_id": doctor.id, "name": "Dr. G", "title": "GP", "location": "T"}],
        routing={"attach_within_minutes": 0},
    )
    async with bot:
        clinic = Clinic(bot, emulator, doctor)
        patient = emulator.new_user("Lou")
        routed = await clinic.say(patient, WHEEZE, "has gone to our doctors")
        ref = routed.text.split("reference #")[1].split(")")[0]
        asking = await clinic.after(
            patient, lambda: emulator.send_photo(patient), _has("Is this photo about your question")
        )
        assert asking.button_labels() == [f"Yes, add it to #{ref}", "No, it's a new question"]
        await clinic.press(patient, asking, f"Yes, add it to #{ref}", "I added your photo")
        [photo] = await _files(clinic, doctor, 1)
        assert f"for question #{ref}" in photo.text
        _assert_protected_copy(photo, patient)
        # A second press finds nothing left to add; the doctor gets no second copy.
        await clinic.press(patient, asking, f"Yes, add it to #{ref}", "nothing waiting to add")
        # No: the photo waits for a new question instead.
        second = await clinic.after(
            patient, lambda: emulator.send_photo(patient), _has("Is this photo about")
        )
        await clinic.press(patient, second, "No, it's a new question", "What would you like to ask")
        new = await clinic.say(patient, RASH, "has gone to our doctors")
        new_ref = new.text.split("reference #")[1].split(")")[0]
        files = await _files(clinic, doctor, 2)
        assert f"for question #{new_ref}" in files[-1].text
    assert_every_message_disclaimed(emulator, bot.settings.disclaimer)


async def test_a_doctor_attaches_a_photo_to_an_answer_and_the_bank_keeps_only_text(
    clinic: Clinic, emulator: TelegramEmulator
) -> None:
    patient = emulator.new_user("Ria")
    doctor = clinic.doctor
    await clinic.say(patient, RASH, "has gone to our doctors")
    offer = await clinic.find(doctor, _has(RASH))
    await clinic.press(doctor, offer, "Answer", "Write your answer")
    # A photo first: it waits for the text.
    await clinic.after(
        doctor, lambda: emulator.send_photo(doctor), _has("Attached to your answer to question #")
    )
    preview = await clinic.say(doctor, "Not contagious: it is contact dermatitis.", "Preview")
    assert "📎 With 1 file: to the patient only, after the text; never in the bank." in preview.text
    # A captioned document as well.
    await clinic.after(
        doctor,
        lambda: emulator.send_document(doctor, "The cream's leaflet", file_name="leaflet.pdf"),
        _has("📎 With 2 files"),
    )
    latest = [m for m in emulator.messages_to(doctor.chat_id) if m.text.startswith("Preview")][-1]
    await clinic.press(doctor, latest, "Send", "Sent to Patient #")
    answer = await clinic.find(patient, _has("A doctor answered your question"))
    files = await _files(clinic, patient, 2)
    assert all(f.message_id > answer.message_id for f in files)
    assert files[0].photo and files[0].text.startswith("📎 Photo from Dr. Dee Test")
    assert files[1].document and "The cream's leaflet" in files[1].text
    # The bank has the answer's text and nothing of the files.
    async with open_store(clinic.bot.settings.database) as store:
        bodies = [
            r["body"]
            for r in await store.database.rows(
                "SELECT body FROM answers WHERE asked_id IS NOT NULL"
            )
        ]
        claimed = await store.database.scalar(
            "SELECT count(*) FROM attachments WHERE answer_id IS NOT NULL"
        )
    assert bodies == ["Not contagious: it is contact dermatitis."] and claimed == 2
    other = emulator.new_user("Otto")
    [bank_reply] = await clinic.bot.ask(other, RASH)
    assert "contact dermatitis" in bank_reply.text and "📎" not in bank_reply.text
    assert clinic.files_to(other) == []


async def test_ask_for_details_both_ways_and_erased_with_the_patient(
    clinic: Clinic, emulator: TelegramEmulator
) -> None:
    patient = emulator.new_user("Dana", username="dana_private")
    doctor = clinic.doctor
    routed = await clinic.say(patient, MOLE, "has gone to our doctors")
    ref = routed.text.split("reference #")[1].split(")")[0]
    offer = await clinic.find(doctor, _has(MOLE[:30]))
    assert offer.button_labels() == ["Answer", "Ask for details", "Skip"]
    await clinic.press(doctor, offer, "Ask for details", "Write your question for the patient")
    request = await clinic.after(
        patient,
        lambda: emulator.send_text(doctor, "How big is it, and does it itch? A photo would help."),
        _has("asks about your question"),
    )
    assert request.text.startswith(f"Dr. Dee Test asks about your question #{ref}")
    assert "Dermatologist · Testville" in request.text and "does it itch" in request.text
    await clinic.find(doctor, _has(f"Sent to the patient of #{ref}"))

    # The patient's reply (a captioned photo) goes back to that doctor, not to the bank.
    sent = await clinic.after(
        patient,
        lambda: emulator.send_photo(patient, caption="About 7 mm, itches at night"),
        _has("as details of your question"),
    )
    assert "Sent to Dr. Dee Test" in sent.text
    details = await clinic.find(doctor, _has("Details from Patient #"))
    assert "You asked:" in details.text and "About 7 mm, itches at night" in details.text
    assert "📎 1 file follows" in details.text
    assert details.button_labels() == ["Answer", "Ask for details", "Skip"]
    [photo] = await _files(clinic, doctor, 1)
    _assert_protected_copy(photo, patient)
    assert "dana" not in details.text.lower()

    # The doctor answers from the details message; the bank's question is the original one.
    await clinic.press(doctor, details, "Answer", "Write your answer")
    preview = await clinic.say(doctor, "Please have it checked within two weeks.", "Preview")
    assert "7 mm" not in preview.text.split("public")[-1]
    await clinic.press(doctor, preview, "Send", "Sent to Patient #")
    await clinic.find(patient, _has("A doctor answered your question"))
    async with open_store(clinic.bot.settings.database) as store:
        titles = [r["title"] for r in await store.database.rows("SELECT title FROM questions")]
    assert not any("7 mm" in title or "itches" in title for title in titles)

    # The next message is a question again.
    await clinic.say(patient, WHEEZE, "reference #")

    # /mydata has the exchange; /forget erases it with the files.
    export = await clinic.after(
        patient, lambda: emulator.send_command(patient, "/mydata"), lambda m: m.document is not None
    )
    data = json.loads(emulator.document_bytes(patient.chat_id, export.message_id))
    [first] = [q for q in data["questions"] if q["reference"] == int(ref)]
    assert first["doctors_requests_for_details"][0]["your_reply"] == "About 7 mm, itches at night"
    assert [f["kind"] for f in first["files"]] == ["photo"]
    assert await clinic.count("attachments") == 1 and await clinic.count("detail_requests") == 1
    confirm = await clinic.say(patient, "/forget", "Erase your data?")
    await clinic.press(patient, confirm, "Delete my data", "Done: erased")
    assert await clinic.count("attachments") == 0 and await clinic.count("detail_requests") == 0
    # The doctors' copies of the photo and the details are taken back.
    await emulator.wait_until(lambda: photo.message_id not in _live(clinic, doctor) or None)
    assert details.message_id not in _live(clinic, doctor)


def _live(clinic: Clinic, user: FakeUser) -> set[int]:
    return {m.message_id for m in clinic.emulator.messages_to(user.chat_id) if not m.deleted}


async def test_a_doctor_who_takes_the_question_from_the_queue_gets_its_files(
    make_bot: MakeBot, emulator: TelegramEmulator
) -> None:
    skin = emulator.new_user("Skin")
    heart = emulator.new_user("Heart")
    bot = make_bot(
        "polling",
        doctors=[
            {"telegram_id": skin.id, "name": "Dr. S", "title": "Derm", "specialties": ["skin"]},
            {"telegram_id": heart.id, "name": "Dr. H", "title": "Cardio", "specialties": ["heart"]},
        ],
    )
    async with bot:
        clinic = Clinic(bot, emulator, skin)
        patient = emulator.new_user("Moe")
        await clinic.after(
            patient,
            lambda: emulator.send_photo(patient, caption="Is this dark spot on my skin a worry?"),
            _has("has gone to our doctors"),
        )
        await _files(clinic, skin, 1)
        assert clinic.files_to(heart) == []
        queue = await clinic.say(heart, "/queue", "Questions waiting for an answer")
        assert "📎 1 file" in queue.text
        await clinic.press(heart, queue, queue.button_labels()[0], "Write your answer")
        [photo] = await _files(clinic, heart, 1)
        _assert_protected_copy(photo, patient)
        # Pressing Answer again does not send the files twice.
        await clinic.press(heart, queue, queue.button_labels()[0], "Write your answer")
        # The chat's messages arrive in order: a second copy would be in before this reply.
        await clinic.say(heart, "/queue", "Questions waiting for an answer")
        assert len(clinic.files_to(heart)) == 1
    assert_every_message_disclaimed(emulator, bot.settings.disclaimer)


async def test_forget_after_48_hours_overwrites_the_caption_of_a_doctors_copy(
    clinic: Clinic, emulator: TelegramEmulator
) -> None:
    patient = emulator.new_user("Cy")
    await clinic.after(
        patient, lambda: emulator.send_photo(patient, caption=MOLE), _has("has gone to our doctors")
    )
    [photo] = await _files(clinic, clinic.doctor, 1)
    emulator.advance_clock(49 * 3600)
    confirm = await clinic.say(patient, "/forget", "Erase your data?")
    await clinic.press(patient, confirm, "Delete my data", "Done: erased")
    # Telegram no longer lets the bot delete it: the patient's words leave the caption.
    edited = await emulator.wait_for_edit(clinic.doctor.chat_id, photo.message_id)
    assert edited.text.startswith("(deleted by the patient)") and MOLE not in edited.text
    assert edited.text.rstrip().endswith(clinic.bot.settings.disclaimer)


async def test_a_doctors_file_outside_an_answer_says_how_to_attach_one(
    clinic: Clinic, emulator: TelegramEmulator
) -> None:
    doctor = clinic.doctor
    await clinic.after(
        doctor, lambda: emulator.send_photo(doctor), _has("tap Answer under the question first")
    )
    async with open_store(clinic.bot.settings.database) as store:
        assert await store.database.scalar("SELECT count(*) FROM attachments") == 0
