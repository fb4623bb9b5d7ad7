"""`askdoc sandbox`: the real bot against the built-in Telegram emulator, chatted with from a
terminal as a patient or as a doctor. Nothing leaves the machine; no token is needed."""

from __future__ import annotations

import asyncio
import dataclasses
import os
import signal
import sys
from collections import deque
from collections.abc import Sequence
from typing import Any, TextIO

from bot.config import DoctorSettings, Settings
from bot.emulator import BotMessage, FakeUser, TelegramEmulator
from bot.models import BankEntry
from bot.testing import RunningBot

SANDBOX_TOKEN = "100000:SANDBOX"
# Messages of a chat shown again on switching to it.
REPLAYED = 3
SANDBOX_DATABASE = "askdoc-sandbox.db"
# The sandbox's own commands that send an attachment (the bot has no command of these names).
ATTACHING = frozenset({"/photo", "/file", "/voice"})
# What `/file` attaches: a small PDF, named as the person says (this name by default).
SANDBOX_FILE_NAME = "report.pdf"
SANDBOX_PDF = b"%PDF-1.4\n% AskDoc sandbox attachment\n%%EOF\n"
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
/as doctor switches to a doctor's chat (/as doctor 2 for the second doctor), /as patient back;
the last few messages of that chat are shown again, with their buttons.
As a doctor, /reply text answers the latest question (/reply N text: the one shown as
(message N)).
Attach something in the current chat: /photo [caption], /file [NAME.pdf] [caption] (a PDF,
report.pdf unless named), /voice [caption]; the bot's attachments show as [photo: caption],
[document: NAME] and [voice message].
Bot commands: /start, /help, /privacy, /mydata, /forget, /country, /language (/language es:
Spanish), /queue, /answers, /profile.
Quit with /quit, Ctrl+D or Ctrl+C.
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
        self.recent: dict[int, deque[tuple[BotMessage, bool]]] = {}
        emulator.add_listener(self.on_event)

    def _role(self, chat_id: int) -> str | None:
        if chat_id == self.patient.chat_id:
            return "patient"
        for number, doctor in enumerate(self.doctors, start=1):
            if chat_id == doctor.chat_id:
                return f"doctor {number} ({doctor.first_name})"
        return None

    def on_event(self, kind: str, payload: Any) -> None:
        if kind not in ("message", "edit", "delete") or not isinstance(payload, BotMessage):
            return
        role = self._role(payload.chat_id)
        if role is None:
            return
        if kind == "delete":
            mine = payload.chat_id == self.current.chat_id
            self.out.write(f"\nbot{'' if mine else f' to {role}'}: deleted message ")
            self.out.write(f"{payload.message_id}\n")
            return
        edited = kind == "edit"
        self.recent.setdefault(payload.chat_id, deque(maxlen=REPLAYED)).append((payload, edited))
        labels = [text for row in payload.buttons for text, _ in row]
        if labels:
            self.buttons[payload.chat_id] = [(payload, text) for text in labels]
        self._show(payload, edited)
        self.out.flush()

    def _show(self, message: BotMessage, edited: bool) -> None:
        """A message with its number and numbered buttons; for another chat, who it is to and
        how to switch there to press them."""
        role = self._role(message.chat_id) or "someone"
        mine = message.chat_id == self.current.chat_id
        to = "" if mine else f" to {role}"
        change = " (edited)" if edited else ""
        self.out.write(f"\nbot{to}{change} (message {message.message_id})> {_body(message)}\n")
        labels = [text for row in message.buttons for text, _ in row]
        for number, text in enumerate(labels, start=1):
            self.out.write(f"  [{number}] {text}\n")
        if labels and not mine:
            self.out.write(f"  (/as {role.split(' (')[0]} to press them)\n")

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
        for message, edited in self.recent.get(self.current.chat_id, ()):
            self._show(message, edited)

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
            return await self._reply(line)
        if line.split(maxsplit=1)[0] in ATTACHING:
            await self._attach(line)
            self.sent = True
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

    async def _reply(self, line: str) -> bool:
        """/reply [N] text: reply to message N, or to the latest question in this chat."""
        parts = line.split(maxsplit=2)
        if len(parts) == 3 and parts[1].isdigit():
            target: int | None = int(parts[1])
            text = parts[2]
        else:
            target = self._latest_question()
            text = line.split(maxsplit=1)[1] if len(parts) > 1 else ""
        if target is None or not text:
            self.out.write("Use /reply your text (or /reply N your text, N from (message N)).\n")
            return True
        await self.emulator.send_text(self.current, text, reply_to=target)
        self.sent = True
        return True

    async def _attach(self, line: str) -> None:
        """/photo [caption], /file [NAME.pdf] [caption], /voice [caption]: the current chat's
        person sends that attachment."""
        command, _, rest = line.partition(" ")
        words = rest.split()
        if command == "/file":
            name = SANDBOX_FILE_NAME
            if words and "." in words[0]:
                name = words.pop(0)
            await self.emulator.send_document(
                self.current,
                " ".join(words) or None,
                file_name=name,
                mime_type="application/pdf",
                data=SANDBOX_PDF,
            )
        elif command == "/photo":
            await self.emulator.send_photo(self.current, " ".join(words) or None)
        else:
            await self.emulator.send_voice(self.current, caption=" ".join(words) or None)

    def _latest_question(self) -> int | None:
        questions = [
            message.message_id
            for message in self.emulator.messages_to(self.current.chat_id)
            if message.text.startswith(("New question", "Follow-up", "🚨"))
        ]
        return questions[-1] if questions else None


def _body(message: BotMessage) -> str:
    """What a message shows in the terminal: its text, or its attachment and caption."""
    protected = " (protected)" if message.has_protected_content else ""
    caption = message.caption or ""
    if message.photo:
        return f"[photo: {caption}]{protected}" if caption else f"[photo]{protected}"
    if message.document is not None:
        name = message.document.get("file_name") or "file"
        return f"[document: {name}]{protected}" + (f" {caption}" if caption else "")
    if message.voice is not None:
        return f"[voice message]{protected}" + (f" {caption}" if caption else "")
    return f"(protected) {message.text}" if protected else message.text


class TerminalInput:
    """Lines typed in the terminal, read by the event loop itself (no thread blocked in
    readline), so Ctrl+C ends the sandbox at once, as /quit does."""

    def __init__(self) -> None:
        self.interrupted = asyncio.Event()
        self._lines: asyncio.Queue[str | None] = asyncio.Queue()
        self._pending = b""
        self._fd = sys.stdin.fileno()
        self._loop = asyncio.get_running_loop()
        try:
            self._loop.add_reader(self._fd, self._readable)
            self._thread = False
        except (OSError, ValueError):
            # A regular file cannot be watched; reading it never blocks for long anyway.
            self._thread = True
        try:
            self._loop.add_signal_handler(signal.SIGINT, self._interrupt)
            self._handles_ctrl_c = True
        except NotImplementedError:
            # Windows' event loops take no signal handlers: there Ctrl+C stays Python's
            # KeyboardInterrupt, which the CLI turns into exit status 130.
            self._handles_ctrl_c = False

    def _interrupt(self) -> None:
        self.interrupted.set()
        self._lines.put_nowait(None)

    def _readable(self) -> None:
        chunk = os.read(self._fd, 4096)
        if not chunk:
            self._loop.remove_reader(self._fd)
            if self._pending:
                self._lines.put_nowait(self._pending.decode(errors="replace"))
            self._lines.put_nowait(None)
            return
        self._pending += chunk
        while b"\n" in self._pending:
            line, self._pending = self._pending.split(b"\n", 1)
            self._lines.put_nowait(line.decode(errors="replace"))

    async def read(self, prompt: str) -> str | None:
        """The next line typed, or None at the end of input or on Ctrl+C."""
        sys.stdout.write(prompt)
        sys.stdout.flush()
        if self._thread and self._lines.empty() and not self.interrupted.is_set():
            line = await asyncio.to_thread(sys.stdin.readline)
            return line or None
        return await self._lines.get()

    def close(self) -> None:
        """Stop watching the terminal."""
        if not self._thread:
            self._loop.remove_reader(self._fd)
        if self._handles_ctrl_c:
            self._loop.remove_signal_handler(signal.SIGINT)


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
            terminal = TerminalInput()
            try:
                while True:
                    who = "you" if chat.current is patient else "doctor"
                    line = await terminal.read(f"\n{who}> ")
                    if line is None or not await chat.handle(line):
                        break
                    if chat.sent:
                        # Give the bot a moment to answer before the next prompt is printed.
                        await _settle(emu, terminal.interrupted)
                    if terminal.interrupted.is_set():
                        break
            finally:
                terminal.close()
        sys.stdout.write("\nBye.\n")


async def _settle(
    emulator: TelegramEmulator,
    interrupted: asyncio.Event,
    quiet_for: float = 0.4,
    limit: float = 10.0,
) -> None:
    """Wait until the bot has answered and gone quiet for a moment (or `limit` passes, or the
    person presses Ctrl+C)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + limit
    before = seen = len(emulator.all_bot_messages())
    quiet_since = loop.time()
    while loop.time() < deadline and not interrupted.is_set():
        await asyncio.sleep(0.05)
        count = len(emulator.all_bot_messages())
        if count != seen:
            seen, quiet_since = count, loop.time()
        elif count > before and loop.time() - quiet_since >= quiet_for:
            return
