"""Telegram Bot API emulator for end-to-end tests and the terminal sandbox."""

from bot.emulator.files import UploadedFile
from bot.emulator.formatting import EntityParseError, ParsedText, parse_html, utf16_len
from bot.emulator.models import BotMessage, FakeUser
from bot.emulator.server import ApiError, TelegramEmulator
from bot.emulator.spec import load_spec, missing_required_fields

__all__ = [
    "ApiError",
    "BotMessage",
    "EntityParseError",
    "FakeUser",
    "ParsedText",
    "TelegramEmulator",
    "UploadedFile",
    "load_spec",
    "missing_required_fields",
    "parse_html",
    "utf16_len",
]
