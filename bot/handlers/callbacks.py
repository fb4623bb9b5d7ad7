"""Callback data of every inline button: one short prefix per action and a number.

Nothing in callback data is trusted: handlers parse it here and then check in the database
that the person pressing may do what it says.
"""

from __future__ import annotations

import re

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import texts

OPEN_MATCH = "open"
ASK_A_DOCTOR = "askdoc"
RATE = "rate"
FOLLOW_UP = "fup"
ANSWER = "ans"
SKIP = "skip"
SEND = "send"
EDIT = "edit"
CANCEL = "cancel"
REVISE = "rev"
APPROVE = "approve"
REJECT = "reject"
REVOKE = "revoke"
RESTORE = "restore"

_NUMBER = re.compile(r"^([a-z]+):(\d{1,18})$")
_RATING = re.compile(r"^rate:(\d{1,18}):([1-5])$")


def make(prefix: str, number: int) -> str:
    """Callback data for an action on one thing."""
    return f"{prefix}:{number}"


def pattern(*prefixes: str) -> str:
    """A CallbackQueryHandler pattern for these prefixes."""
    return rf"^({'|'.join(prefixes)}):"


def number(data: str | None, prefix: str) -> int | None:
    """The number in `prefix:N`, or None for anything else (forged data included)."""
    match = _NUMBER.match(data or "")
    if match is None or match.group(1) != prefix:
        return None
    return int(match.group(2))


def prefix_of(data: str | None) -> str | None:
    """The action of well-formed `prefix:N` data."""
    match = _NUMBER.match(data or "")
    return match.group(1) if match else None


def rating(data: str | None) -> tuple[int, int] | None:
    """(answer id, stars) from rating data."""
    match = _RATING.match(data or "")
    return (int(match.group(1)), int(match.group(2))) if match else None


def offer_buttons(asked_id: int) -> InlineKeyboardMarkup:
    """Under a question a doctor is offered."""
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(texts.ANSWER_BUTTON, callback_data=make(ANSWER, asked_id)),
                InlineKeyboardButton(texts.SKIP_BUTTON, callback_data=make(SKIP, asked_id)),
            ]
        ]
    )


def preview_buttons(asked_id: int) -> InlineKeyboardMarkup:
    """Under the preview of a doctor's answer."""
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(texts.SEND_BUTTON, callback_data=make(SEND, asked_id)),
                InlineKeyboardButton(texts.EDIT_BUTTON, callback_data=make(EDIT, asked_id)),
                InlineKeyboardButton(texts.CANCEL_BUTTON, callback_data=make(CANCEL, asked_id)),
            ]
        ]
    )


def answer_buttons(answer_id: int) -> InlineKeyboardMarkup:
    """Under a doctor's answer as the patient gets it: stars, and a follow-up."""
    stars = [
        InlineKeyboardButton(label, callback_data=f"{RATE}:{answer_id}:{value}")
        for value, label in enumerate(texts.RATE_BUTTONS, start=1)
    ]
    follow = InlineKeyboardButton(texts.FOLLOW_UP_BUTTON, callback_data=make(FOLLOW_UP, answer_id))
    return InlineKeyboardMarkup([stars, [follow]])
