"""`askdoc sandbox`: the real bot against the built-in Telegram emulator, chatted with from a
terminal. Nothing leaves the machine; no token is needed."""

from __future__ import annotations

import asyncio
import dataclasses
import sys
from collections.abc import Sequence
from typing import Any, TextIO

from bot.app import Connection, running_bot
from bot.config import Settings
from bot.emulator import BotMessage, FakeUser, TelegramEmulator
from bot.models import BankEntry

SANDBOX_TOKEN = "100000:SANDBOX"
SANDBOX_DATABASE = "askdoc-sandbox.db"

INTRO = """\
AskDoc sandbox: the real bot, running against a Telegram emulator on 127.0.0.1.
You are a patient. Type a health question and press Enter.
Buttons appear as [1], [2]...: type the number to press one.
Commands: /start, /help. Quit with /quit or Ctrl+D.
"""


class TerminalChat:
    """Prints what the bot sends to the patient's chat and remembers the latest buttons."""

    def __init__(self, emulator: TelegramEmulator, patient: FakeUser, out: TextIO) -> None:
        self.emulator = emulator
        self.patient = patient
        self.out = out
        self.buttons: list[tuple[BotMessage, str]] = []
        emulator.add_listener(self.on_event)

    def on_event(self, kind: str, payload: Any) -> None:
        if kind not in ("message", "edit") or not isinstance(payload, BotMessage):
            return
        if payload.chat_id != self.patient.chat_id:
            return
        label = "bot (edited)" if kind == "edit" else "bot"
        self.out.write(f"\n{label}> {payload.text}\n")
        labels = [text for row in payload.buttons for text, _ in row]
        if labels:
            self.buttons = [(payload, text) for text in labels]
            for number, text in enumerate(labels, start=1):
                self.out.write(f"  [{number}] {text}\n")
        self.out.flush()

    async def handle(self, line: str) -> bool:
        """Act on one line the person typed; False when they want to leave."""
        line = line.strip()
        if not line:
            return True
        if line in ("/quit", "/exit"):
            return False
        number = line.strip("[]")
        if number.isdigit() and self.buttons:
            index = int(number) - 1
            if 0 <= index < len(self.buttons):
                message, label = self.buttons[index]
                await self.emulator.press_button(self.patient, message, label)
                return True
        if line.startswith("/"):
            await self.emulator.send_command(self.patient, line)
        else:
            await self.emulator.send_text(self.patient, line)
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
    # A separate database, so trying the bot out leaves the real one untouched.
    sandbox_settings = dataclasses.replace(
        settings, database=settings.database.with_name(SANDBOX_DATABASE)
    )
    async with TelegramEmulator(token=SANDBOX_TOKEN, bot_username="askdoc_sandbox_bot") as emu:
        patient = emu.new_user("You", username="sandbox_patient")
        chat = TerminalChat(emu, patient, sys.stdout)
        connection = Connection(token=SANDBOX_TOKEN, base_url=emu.base_url)
        async with running_bot(sandbox_settings, connection, bank):
            sys.stdout.write(INTRO)
            sys.stdout.write(f"(database: {sandbox_settings.database})\n")
            while True:
                line = await _read_line("\nyou> ")
                if line is None or not await chat.handle(line):
                    break
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
