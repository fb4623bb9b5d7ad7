"""Shared fixtures: the emulator, a config in a temporary folder, and the real bot running
against the emulator over HTTP. Every message the bot sends in any test is checked for the
disclaimer and Telegram's limits when the test ends."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator, Callable
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot import texts
from bot.app import Connection, running_bot
from bot.bank_files import read_question_folder
from bot.config import Settings, load_settings
from bot.emulator import BotMessage, FakeUser, TelegramEmulator, utf16_len
from bot.handlers.context import AskDocApplication

PROJECT = Path(__file__).resolve().parents[1]
SHARED_EVAL = PROJECT.parent / "shared" / "eval"
TOKEN = "123456:TEST-SECRET-TOKEN"


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def write_config(folder: Path, **overrides: Any) -> Path:
    """The project's config.yaml, with the database in `folder` and `overrides` merged in."""
    data = yaml.safe_load((PROJECT / "config.yaml").read_text(encoding="utf-8"))
    data["database"] = str(folder / "askdoc.db")
    data["answers_dir"] = str(PROJECT / "answers")
    for key, value in overrides.items():
        if isinstance(value, dict) and isinstance(data.get(key), dict):
            data[key] = {**data[key], **value}
        else:
            data[key] = value
    path = folder / "config.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


class RunningBot:
    """The real AskDoc Application against the emulator; can be stopped and started again."""

    def __init__(self, emulator: TelegramEmulator, config_path: Path, mode: str) -> None:
        self.emulator = emulator
        self.config_path = config_path
        self.mode = mode
        self.settings: Settings = load_settings(config_path)
        self.application: AskDocApplication | None = None
        self._stack: AsyncExitStack | None = None

    async def start(self) -> AskDocApplication:
        self.settings = load_settings(self.config_path)
        bank = read_question_folder(self.settings.answers_dir)
        connection = Connection(
            token=TOKEN,
            base_url=self.emulator.base_url,
            mode=self.mode,
            webhook_secret="webhook-secret-for-tests",
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

    async def ask(self, user: FakeUser, text: str, replies: int = 1) -> list[BotMessage]:
        """Send `text` as the user and wait for `replies` new bot messages in their chat."""
        before = len(self.emulator.messages_to(user.chat_id))
        await self.emulator.send_text(user, text)
        messages = await self.emulator.wait_for_messages(user.chat_id, before + replies)
        return messages[before:]


def assert_every_message_disclaimed(emulator: TelegramEmulator, disclaimer: str) -> None:
    """Every message and every edit the bot made ends with the disclaimer and fits Telegram."""
    sent = emulator.all_bot_messages()
    for message in sent:
        assert message.text.rstrip().endswith(disclaimer), message.text[-300:]
        assert 1 <= utf16_len(message.text) <= 4096
        for row in message.buttons:
            for _, data in row:
                if data is not None:
                    assert len(data.encode()) <= 64
    # Inline results (chosen or not) are messages the user may post: they close the same way.
    for query_id in emulator.inline_answer_ids():
        for result in emulator.inline_answers(query_id):
            html = result["input_message_content"]["message_text"]
            assert texts.ends_with_disclaimer(html, disclaimer), html[-300:]
            assert 1 <= texts.visible_length(html) <= 4096


@pytest.fixture
async def emulator() -> AsyncIterator[TelegramEmulator]:
    async with TelegramEmulator(token=TOKEN, bot_username="askdoc_test_bot") as emu:
        yield emu


@pytest.fixture
def config_path(tmp_path: Path) -> Path:
    return write_config(tmp_path)


@pytest.fixture(params=["polling", "webhook"])
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def make_bot(emulator: TelegramEmulator, tmp_path: Path) -> Callable[..., RunningBot]:
    """Build a RunningBot for a config with overrides (not started)."""

    def factory(mode: str = "polling", **overrides: Any) -> RunningBot:
        if mode == "webhook":
            port = free_port()
            webhook = {
                "listen": "127.0.0.1",
                "port": port,
                "url_path": "telegram",
                "public_url": f"http://127.0.0.1:{port}",
            }
            overrides.setdefault("telegram", {})
            overrides["telegram"] = {**overrides["telegram"], "webhook": webhook}
        return RunningBot(emulator, write_config(tmp_path, **overrides), mode)

    return factory


@pytest.fixture
async def running(
    make_bot: Callable[..., RunningBot], emulator: TelegramEmulator
) -> AsyncIterator[RunningBot]:
    """The bot in polling mode, started; checks every message it sent when the test ends."""
    bot = make_bot("polling")
    await bot.start()
    try:
        yield bot
    finally:
        await bot.stop()
    assert_every_message_disclaimed(emulator, bot.settings.disclaimer)


@pytest.fixture
async def running_any_mode(
    make_bot: Callable[..., RunningBot], emulator: TelegramEmulator, mode: str
) -> AsyncIterator[RunningBot]:
    """The bot in polling and in webhook mode (the test runs once for each)."""
    bot = make_bot(mode)
    await bot.start()
    try:
        yield bot
    finally:
        await bot.stop()
    assert_every_message_disclaimed(emulator, bot.settings.disclaimer)
