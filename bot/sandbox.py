"""`askdoc sandbox`: the real bot against the built-in Telegram emulator, chatted with from a
terminal as a patient or as a doctor. Nothing leaves the machine; no token is needed."""

from __future__ import annotations

import asyncio
import dataclasses
import sys
from collections.abc import Sequence
from typing import Any, TextIO

from bot.config import DoctorSettings, Settings
from bot.emulator import BotMessage, FakeUser, TelegramEmulator
from bot.models import BankEntry
from bot.testing import RunningBot

SANDBOX_TOKEN = "100000:SANDBOX"
SANDBOX_DATABASE = "askdoc-sandbox.db"
# Used when the config lists no doctor, so the whole loop can still be tried.
SANDBOX_DOCTOR = DoctorSettings(
    telegram_id=900001,
    name="You (sandbox doctor)",
    title="Sandbox doctor",
    location="This terminal",
    specialties=(),
)

INTRO = """\
AskDoc sandbox: the real bot, running against a Telegram emulator on 127.0.0.1.
You are a patient. Type a health question and press Enter.
Buttons appear as [1], [2]...: type the number to press one.
/as doctor switches to a doctor's chat (/as doctor 2 for the second doctor), /as patient back.
As a doctor, /reply N text answers by replying to the message shown as (message N).
Bot commands: /start, /help, /queue, /answers, /profile. Quit with /quit or Ctrl+D.
"""


class TerminalChat:
    """Prints what the bot sends to the sandbox's chats and lets the person act in one."""

    def __init__(
        self,
        emulator: TelegramEmulator,
        patient: FakeUser,
        doctors: Sequence[FakeUser],
        out: TextIO,
    ) -> None:
        self.emulator = emulator
        self.patient = patient
        self.doctors = list(doctors)
        self.out = out
        self.current = patient
        # Whether the last line reached the bot (so an answer is worth waiting for).
        self.sent = False
        self.buttons: dict[int, list[tuple[BotMessage, str]]] = {}
        emulator.add_listener(self.on_event)

    def _role(self, chat_id: int) -> str | None:
        if chat_id == self.patient.chat_id:
            return "patient"
        for number, doctor in enumerate(self.doctors, start=1):
            if chat_id == doctor.chat_id:
                return f"doctor {number} ({doctor.first_name})"
        return None

    def on_event(self, kind: str, payload: Any) -> None:
        if kind not in ("message", "edit") or not isinstance(payload, BotMessage):
            return
        role = self._role(payload.chat_id)
        if role is None:
            return
        edited = " (edited)" if kind == "edit" else ""
        mine = payload.chat_id == self.current.chat_id
        heading = (
            f"bot{edited} (message {payload.message_id})" if mine else f"bot to {role}{edited}"
        )
        self.out.write(f"\n{heading}> {payload.text}\n")
        labels = [text for row in payload.buttons for text, _ in row]
        if labels:
            self.buttons[payload.chat_id] = [(payload, text) for text in labels]
            if mine:
                for number, text in enumerate(labels, start=1):
                    self.out.write(f"  [{number}] {text}\n")
            else:
                self.out.write(
                    f"  ({len(labels)} buttons: /as {role.split(' (')[0]} to use them)\n"
                )
        self.out.flush()

    def _switch(self, words: list[str]) -> None:
        if words[:1] == ["patient"]:
            self.current = self.patient
        elif words[:1] == ["doctor"]:
            index = int(words[1]) - 1 if len(words) > 1 and words[1].isdigit() else 0
            if not 0 <= index < len(self.doctors):
                self.out.write(f"There are {len(self.doctors)} doctors: /as doctor 1..\n")
                return
            self.current = self.doctors[index]
        else:
            self.out.write("Use /as patient or /as doctor [N].\n")
            return
        self.out.write(f"You are now {self._role(self.current.chat_id)}.\n")

    async def handle(self, line: str) -> bool:
        """Act on one line the person typed; False when they want to leave."""
        self.sent = False
        line = line.strip()
        if not line:
            return True
        if line in ("/quit", "/exit"):
            return False
        if line.startswith("/as"):
            self._switch(line.split()[1:])
            return True
        if line.startswith("/reply"):
            parts = line.split(maxsplit=2)
            if len(parts) == 3 and parts[1].isdigit():
                await self.emulator.send_text(self.current, parts[2], reply_to=int(parts[1]))
                self.sent = True
            else:
                self.out.write("Use /reply N your text, with N from (message N).\n")
            return True
        number = line.strip("[]")
        buttons = self.buttons.get(self.current.chat_id, [])
        if number.isdigit() and buttons:
            index = int(number) - 1
            if 0 <= index < len(buttons):
                message, label = buttons[index]
                await self.emulator.press_button(self.current, message, label)
                self.sent = True
                return True
        if line.startswith("/"):
            await self.emulator.send_command(self.current, line)
        else:
            await self.emulator.send_text(self.current, line)
        self.sent = True
        return True


async def _read_line(prompt: str) -> str | None:
    def read() -> str | None:
        sys.stdout.write(prompt)
        sys.stdout.flush()
        line = sys.stdin.readline()
        return line if line else None

    return await asyncio.to_thread(read)


async def run_sandbox(settings: Settings, bank: Sequence[BankEntry]) -> None:
    """Start the emulator and the bot, then chat until the person quits."""
    doctors = settings.doctors or (SANDBOX_DOCTOR,)
    # A separate database, so trying the bot out leaves the real one untouched.
    sandbox_settings = dataclasses.replace(
        settings,
        database=settings.database.with_name(SANDBOX_DATABASE),
        doctors=doctors,
    )
    async with TelegramEmulator(token=SANDBOX_TOKEN, bot_username="askdoc_sandbox_bot") as emu:
        patient = emu.new_user("You", username="sandbox_patient")
        doctor_users = [emu.new_user(doctor.name, user_id=doctor.telegram_id) for doctor in doctors]
        chat = TerminalChat(emu, patient, doctor_users, sys.stdout)
        running = RunningBot(
            emu, settings=sandbox_settings, bank=bank, token=SANDBOX_TOKEN, webhook_secret=None
        )
        async with running:
            sys.stdout.write(INTRO)
            sys.stdout.write(f"(database: {sandbox_settings.database})\n")
            while True:
                who = "you" if chat.current is patient else "doctor"
                line = await _read_line(f"\n{who}> ")
                if line is None or not await chat.handle(line):
                    break
                if chat.sent:
                    # Give the bot a moment to answer before the next prompt is printed.
                    await _settle(emu)
        sys.stdout.write("\nBye.\n")


async def _settle(emulator: TelegramEmulator, quiet_for: float = 0.4, limit: float = 10.0) -> None:
    """Wait until the bot has answered and gone quiet for a moment (or `limit` passes)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + limit
    before = seen = len(emulator.all_bot_messages())
    quiet_since = loop.time()
    while loop.time() < deadline:
        await asyncio.sleep(0.05)
        count = len(emulator.all_bot_messages())
        if count != seen:
            seen, quiet_since = count, loop.time()
        elif count > before and loop.time() - quiet_since >= quiet_for:
            return
