"""Shared fixtures: the emulator, a config in a temporary folder, and the real bot running
against the emulator over HTTP (the harness itself is bot/testing.py). Every message the bot
sends in any test is checked for the disclaimer and Telegram's limits when the test ends."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.emulator import TelegramEmulator
from bot.testing import (
    TOKEN,
    MakeBot,
    RunningBot,
    assert_every_message_disclaimed,
    free_port,
    write_config,
)


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
def make_bot(emulator: TelegramEmulator, tmp_path: Path) -> MakeBot:
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
async def running(make_bot: MakeBot, emulator: TelegramEmulator) -> AsyncIterator[RunningBot]:
    """The bot in polling mode, started; checks every message it sent when the test ends."""
    bot = make_bot("polling")
    await bot.start()
    try:
        yield bot
    finally:
        await bot.stop()
    assert_every_message_disclaimed(emulator, tuple(bot.settings.disclaimers.values()))


@pytest.fixture
async def running_any_mode(
    make_bot: MakeBot, emulator: TelegramEmulator, mode: str
) -> AsyncIterator[RunningBot]:
    """The bot in polling and in webhook mode (the test runs once for each)."""
    bot = make_bot(mode)
    await bot.start()
    try:
        yield bot
    finally:
        await bot.stop()
    assert_every_message_disclaimed(emulator, tuple(bot.settings.disclaimers.values()))
