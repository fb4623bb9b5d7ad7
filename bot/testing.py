"""The one harness for running the real bot against the Telegram emulator, shared by the tests,
the benchmarks and `askdoc sandbox`: a config writer, `RunningBot` (start, stop, restart, ask),
the check every test ends with (each message closes with the disclaimer and fits Telegram), and
a few readers of the database through a separate connection.

Nothing here needs pytest: the fixtures built on it live in tests/conftest.py."""

from __future__ import annotations

import asyncio
import os
import socket
import sys
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import AsyncExitStack, asynccontextmanager
from pathlib import Path
from types import TracebackType
from typing import Any, Protocol

import yaml

from bot import texts
from bot.app import Connection, running_bot
from bot.bank_files import read_question_folder
from bot.config import Settings, load_settings
from bot.emulator import BotMessage, FakeUser, TelegramEmulator, utf16_len
from bot.handlers.context import AskDocApplication
from bot.models import AskedStatus, BankEntry, DoctorStatus, Registration
from bot.store import Store

# The source checkout (this file is bot/testing.py): its config.yaml and answers/ are what
# write_config starts from unless told otherwise.
PROJECT = Path(__file__).resolve().parents[1]
CONFIG = PROJECT / "config.yaml"
# The public evaluation data, beside the checkout (never copied into it).
SHARED_EVAL = PROJECT.parent / "shared" / "eval"
TOKEN = "123456:TEST-SECRET-TOKEN"
WEBHOOK_SECRET = "webhook-secret-for-tests"


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def write_config(
    folder: Path,
    database: Path | str | None = None,
    source: Path = CONFIG,
    /,
    **overrides: object,
) -> Path:
    """`source` (the project's config.yaml by default) written as `folder`/config.yaml, with
    the database at `database` (default `folder`/askdoc.db), its relative answers_dir made
    relative to `source`'s folder, and `overrides` merged in: a mapping over a section merges
    key by key, anything else replaces the setting. The first three are positional only, so
    every keyword is a setting."""
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    data["database"] = str(database if database is not None else folder / "askdoc.db")
    # Relative paths in the config are relative to its file, which is about to move.
    data["answers_dir"] = str(source.parent / data.get("answers_dir", "answers"))
    for key, value in overrides.items():
        if isinstance(value, dict) and isinstance(data.get(key), dict):
            data[key] = {**data[key], **value}
        else:
            data[key] = value
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "config.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


class RunningBot:
    """The real AskDoc Application against the emulator; can be stopped and started again.

    Settings come from `config_path`, read again at every start (so a test can change the file
    between restarts), or are given as `settings`; the answer bank is `bank`, or else read from
    the settings' answers folder at every start. Also an async context manager (start, stop)."""

    def __init__(
        self,
        emulator: TelegramEmulator,
        config_path: Path | None = None,
        mode: str = "polling",
        *,
        settings: Settings | None = None,
        bank: Sequence[BankEntry] | None = None,
        token: str = TOKEN,
        webhook_secret: str | None = WEBHOOK_SECRET,
    ) -> None:
        if settings is None:
            if config_path is None:
                raise ValueError("RunningBot needs a config_path or settings")
            settings = load_settings(config_path)
        self.emulator = emulator
        self.config_path = config_path
        self.mode = mode
        self.settings: Settings = settings
        self.bank = bank
        self.token = token
        self.webhook_secret = webhook_secret
        self.application: AskDocApplication | None = None
        self._stack: AsyncExitStack | None = None

    async def start(self) -> AskDocApplication:
        if self.config_path is not None:
            self.settings = load_settings(self.config_path)
        bank = (
            self.bank if self.bank is not None else read_question_folder(self.settings.answers_dir)
        )
        connection = Connection(
            token=self.token,
            base_url=self.emulator.base_url,
            mode=self.mode,
            webhook_secret=self.webhook_secret,
        )
        self._stack = AsyncExitStack()
        self.application = await self._stack.enter_async_context(
            running_bot(self.settings, connection, bank)
        )
        return self.application

    async def stop(self) -> None:
        if self._stack is not None:
            await self._stack.aclose()
            self._stack = None
            self.application = None

    async def restart(self) -> AskDocApplication:
        await self.stop()
        return await self.start()

    async def __aenter__(self) -> AskDocApplication:
        return await self.start()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.stop()

    async def ask(self, user: FakeUser, text: str, replies: int = 1) -> list[BotMessage]:
        """Send `text` as the user and wait for `replies` new bot messages in their chat."""
        before = len(self.emulator.messages_to(user.chat_id))
        await self.emulator.send_text(user, text)
        messages = await self.emulator.wait_for_messages(user.chat_id, before + replies)
        return messages[before:]


class MakeBot(Protocol):
    """Builds a RunningBot (not started) for the project's config with `overrides` merged in."""

    def __call__(self, mode: str = "polling", **overrides: Any) -> RunningBot: ...


def assert_every_message_disclaimed(
    emulator: TelegramEmulator, disclaimer: str | Sequence[str]
) -> None:
    """Every message and every edit the bot made ends with the disclaimer (one of these, for a
    bot that speaks several languages) and fits Telegram."""
    closings = (disclaimer,) if isinstance(disclaimer, str) else tuple(disclaimer)
    sent = emulator.all_bot_messages()
    for message in sent:
        # A file's caption stands in `text`, within Telegram's caption limit; where the
        # disclaimer does not fit there, it is the very next message in the chat.
        is_file = message.document is not None or bool(message.photo) or message.voice is not None
        assert utf16_len(message.text) <= (1024 if is_file else 4096)
        if is_file and not message.text.rstrip().endswith(closings):
            following = [
                m.text
                for m in emulator.messages_to(message.chat_id)
                if m.message_id == message.message_id + 1
            ]
            assert len(following) == 1 and following[0] in closings, message.text[-300:]
            continue
        assert message.text.rstrip().endswith(closings), message.text[-300:]
        assert utf16_len(message.text) >= 1
        for row in message.buttons:
            for _, data in row:
                if data is not None:
                    assert len(data.encode()) <= 64
    # Inline results (chosen or not) are messages the user may post: they close the same way.
    for query_id in emulator.inline_answer_ids():
        for result in emulator.inline_answers(query_id):
            html = result["input_message_content"]["message_text"]
            assert any(texts.ends_with_disclaimer(html, one) for one in closings), html[-300:]
            assert 1 <= texts.visible_length(html) <= 4096


# --- the database, through a separate connection ------------------------------------------------


@asynccontextmanager
async def open_store(path: Path) -> AsyncIterator[Store]:
    """The database at `path` (created and migrated if needed), closed when the block ends."""
    store = await Store.open(path)
    try:
        yield store
    finally:
        await store.close()


async def stored_asked(bot: RunningBot) -> list[tuple[str, AskedStatus]]:
    """What the database holds of patients' questions: (text, status), oldest first."""
    async with open_store(bot.settings.database) as store:
        asked = await store.consultations.all()
    return [(question.text, question.status) for question in asked]


async def stored_doctors(bot: RunningBot) -> dict[int | None, DoctorStatus]:
    """Doctors' statuses by Telegram id."""
    async with open_store(bot.settings.database) as store:
        found = await store.doctors.of_the_bot()
    return {doctor.telegram_id: doctor.status for doctor in found}


async def stored_registration(bot: RunningBot, user: FakeUser) -> Registration | None:
    """The user's application to become a doctor, if one is under way."""
    async with open_store(bot.settings.database) as store:
        return await store.doctors.registration(user.id)


async def askdoc_process(
    *args: str,
    env: Mapping[str, str | None] | None = None,
    stdin: int | None = None,
    stderr: int = asyncio.subprocess.PIPE,
) -> asyncio.subprocess.Process:
    """`python -m bot ARGS` (the `askdoc` command) as a process run from the project folder,
    its output piped; `env` adds to this process's environment (a None value removes a
    variable)."""
    environment = dict(os.environ)
    for key, value in (env or {}).items():
        if value is None:
            environment.pop(key, None)
        else:
            environment[key] = value
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        *args,
        stdin=stdin,
        stdout=asyncio.subprocess.PIPE,
        stderr=stderr,
        env=environment,
        cwd=PROJECT,
    )
