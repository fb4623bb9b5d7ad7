"""Callback data of every inline button: one short prefix per action and a number.

Nothing in callback data is trusted: handlers parse it here and then check in the database
that the person pressing may do what it says.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

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
KEEP_PRIVATE = "private"
REPORT = "report"
EDIT_PUBLIC = "pubedit"
DONT_PUBLISH = "nopub"
PUBLISH = "pub"
ENTRY_PUBLISH = "bpub"
ENTRY_EDIT = "bedit"
ENTRY_REJECT = "brej"
ENTRY_HIDE = "bhide"
ENTRY_RESTORE = "bshow"
ENTRY_DELETE = "bdel"
REPORT_HIDE = "rhide"
REPORT_KEEP = "rkeep"
FORGET = "forget"
BLOCK = "block"
ASK_DETAILS = "details"
FILE_JOIN = "fjoin"
FILE_NEW = "fnew"
# The word after these is a country's code (or MORE_COUNTRIES, NOT_LISTED), a language's.
COUNTRY = "cty"
LANGUAGE = "lang"
MORE_COUNTRIES = "more"
NOT_LISTED = "none"

_NUMBER = re.compile(r"^([a-z]+):(\d{1,18})$")
_COUNTRY = re.compile(r"^cty:([A-Z]{2}|more|none)$")
_LANGUAGE = re.compile(r"^lang:([a-z]{2})$")
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


@dataclass(frozen=True, slots=True)
class Rating:
    """A star button's press: which answer, how many stars."""

    answer_id: int
    stars: int


def rating(data: str | None) -> Rating | None:
    """The rating in star-button data, or None for anything else (forged data included)."""
    match = _RATING.match(data or "")
    return Rating(int(match.group(1)), int(match.group(2))) if match else None


def make_rating(answer_id: int, stars: int) -> str:
    """Callback data of a star button."""
    return f"{RATE}:{answer_id}:{stars}"


def country(data: str | None) -> str | None:
    """The country code, MORE_COUNTRIES or NOT_LISTED in `cty:…`; None for anything else."""
    found = _COUNTRY.match(data or "")
    return found.group(1) if found else None


def language(data: str | None) -> str | None:
    """The language code in `lang:xx`; None for anything else."""
    found = _LANGUAGE.match(data or "")
    return found.group(1) if found else None
