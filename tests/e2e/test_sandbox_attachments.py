"""Attachments in `askdoc sandbox`: what the bot sends shows as [photo: ...], [document: ...] and
[voice message]; /photo, /file and /voice send one from the current chat."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from typing import Any

import pytest
from telegram import Bot

from bot.emulator import FakeUser, TelegramEmulator
from bot.sandbox import INTRO, TerminalChat
from bot.testing import TOKEN


@pytest.fixture
async def bot(emulator: TelegramEmulator) -> AsyncIterator[Bot]:
    async with Bot(TOKEN, base_url=emulator.base_url) as client:
        yield client


def terminal(emulator: TelegramEmulator) -> tuple[TerminalChat, FakeUser, FakeUser, io.StringIO]:
    patient = emulator.new_user("Pia", username="sandbox_patient")
    doctor = emulator.new_user("Dr. Sandbox", user_id=900001)
    out = io.StringIO()
    return TerminalChat(emulator, patient, [doctor], out), patient, doctor, out


def last_message(emulator: TelegramEmulator) -> dict[str, Any]:
    message: dict[str, Any] = emulator.update_history[-1]["message"]
    return message


async def test_the_bots_attachments_show_as_what_they_are(
    emulator: TelegramEmulator, bot: Bot
) -> None:
    chat, patient, doctor, out = terminal(emulator)
    photo = (await emulator.send_photo(patient, caption="my arm"))["photo"]
    document = (await emulator.send_document(patient, data=b"%PDF-1.4 labs"))["document"]
    voice = (await emulator.send_voice(patient))["voice"]

    await bot.send_photo(patient.id, photo[-1]["file_id"], caption="A rash, day 2")
    await bot.send_photo(patient.id, photo[0]["file_id"])
    await bot.send_document(patient.id, document["file_id"], caption="Your labs")
    await bot.send_voice(patient.id, voice["file_id"], caption="Listen")
    await bot.send_voice(patient.id, voice["file_id"])
    await bot.send_message(patient.id, "Plain words")
    # To the doctor, protected: a patient's attachment passed on privately.
    await bot.send_photo(
        doctor.id, photo[-1]["file_id"], caption="From Patient #1", protect_content=True
    )
    await bot.send_document(doctor.id, document["file_id"], protect_content=True)

    lines = [line for line in out.getvalue().splitlines() if line]
    assert lines == [
        "bot (message 4)> [photo: A rash, day 2]",
        "bot (message 5)> [photo]",
        "bot (message 6)> [document: report.pdf] Your labs",
        "bot (message 7)> [voice message] Listen",
        "bot (message 8)> [voice message]",
        "bot (message 9)> Plain words",
        "bot to doctor 1 (Dr. Sandbox) (message 1)> [photo: From Patient #1] (protected)",
        "bot to doctor 1 (Dr. Sandbox) (message 2)> [document: report.pdf] (protected)",
    ]

    # Shown the same way when the chat is replayed on switching to it.
    out.truncate(0)
    out.seek(0)
    assert await chat.handle("/as doctor")
    assert "(message 1)> [photo: From Patient #1] (protected)" in out.getvalue()


async def test_photo_file_and_voice_send_an_attachment_from_the_current_chat(
    emulator: TelegramEmulator, bot: Bot
) -> None:
    chat, patient, doctor, _ = terminal(emulator)
    assert "/photo" in INTRO and "/file" in INTRO and "/voice" in INTRO

    assert await chat.handle("/photo a rash on my arm") and chat.sent
    message = last_message(emulator)
    assert message["from"]["id"] == patient.id and message["caption"] == "a rash on my arm"
    assert message["photo"] and "text" not in message
    # The bot gets it as Telegram would deliver it: a photo with that caption.
    [update] = await bot.get_updates()
    assert update.message is not None and update.message.caption == "a rash on my arm"
    assert update.message.photo and update.message.chat.id == patient.id

    assert await chat.handle("/photo")
    assert last_message(emulator)["photo"] and "caption" not in last_message(emulator)

    assert await chat.handle("/file labs.pdf my blood test")
    document = last_message(emulator)["document"]
    assert document["file_name"] == "labs.pdf" and document["mime_type"] == "application/pdf"
    assert last_message(emulator)["caption"] == "my blood test"
    assert emulator.file_bytes(document["file_id"]).startswith(b"%PDF")
    assert await chat.handle("/file my results")
    assert last_message(emulator)["document"]["file_name"] == "report.pdf"
    assert last_message(emulator)["caption"] == "my results"
    assert await chat.handle("/file")
    assert last_message(emulator)["document"]["file_name"] == "report.pdf"
    assert "caption" not in last_message(emulator)

    assert await chat.handle("/voice")
    assert last_message(emulator)["voice"]["duration"] > 0
    assert last_message(emulator)["from"]["id"] == patient.id

    # From the doctor's chat once switched there.
    assert await chat.handle("/as doctor")
    assert await chat.handle("/voice about your rash")
    message = last_message(emulator)
    assert message["from"]["id"] == doctor.id and message["chat"]["id"] == doctor.id
    assert message["voice"] and message["caption"] == "about your rash"
    kinds = [
        next(k for k in ("photo", "document", "voice") if k in u["message"])
        for u in emulator.update_history
    ]
    assert kinds == ["photo", "photo", "document", "document", "document", "voice", "voice"]
