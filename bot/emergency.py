"""Recognise a message that may describe an emergency. No Telegram here.

Patients write in a hurry, on phone keyboards, often without accents or hamza, so the shipped
patterns (bot/data/emergency-<language>.yaml) are written against `normalise(text)`, a folded
form in which those variants no longer matter."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence
from importlib import resources

import yaml

LANGUAGES = ("en", "es", "ru", "ar")

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'", "\u02bc": "'"})

# Arabic letter variants a writer picks almost at random (hamza seats, ta marbuta, alif
# maqsura), and the Persian yeh and kaf that some keyboards produce for the Arabic ones.
_ARABIC_FOLDS = str.maketrans(
    {
        "\u0640": None,  # tatweel: stretches a word, says nothing
        "\u0671": "\u0627",  # alif wasla; the other alifs lose their hamza or madda as marks
        "\u0629": "\u0647",  # ta marbuta -> ha
        "\u0649": "\u064a",  # alif maqsura -> ya
        "\u06cc": "\u064a",  # Persian yeh -> ya
        "\u06a9": "\u0643",  # Persian kaf -> kaf
        **{chr(0x0660 + digit): str(digit) for digit in range(10)},  # Arabic-Indic digits
        **{chr(0x06F0 + digit): str(digit) for digit in range(10)},  # Eastern (Persian) ones
    }
)

_BREVE = "\u0306"


def _without_marks(text: str) -> str:
    """Drop accents, harakat, the hamza or madda on a letter and the diaeresis of ё, but keep the
    breve of Russian й: without it, й would become и and 'какой' another word."""
    kept: list[str] = []
    for char in unicodedata.normalize("NFKD", text):
        if unicodedata.category(char) == "Mn" and not (
            char == _BREVE and kept and kept[-1] in "иИ"
        ):
            continue
        kept.append(char)
    return unicodedata.normalize("NFC", "".join(kept))


def normalise(text: str) -> str:
    """The folded form the shipped patterns are written against: one apostrophe, no accents or
    harakat, lower case, Russian yo as ye, Arabic letter variants folded, ASCII digits, single
    spaces."""
    folded = _without_marks(text.translate(_APOSTROPHES).casefold())
    folded = folded.translate(_ARABIC_FOLDS)
    # Invisible format characters (zero-width joiners, direction marks) split Arabic words.
    folded = "".join(char for char in folded if unicodedata.category(char) != "Cf")
    return " ".join(folded.split())


@functools.cache
def shipped_patterns(language: str) -> tuple[re.Pattern[str], ...]:
    """The emergency patterns AskDoc ships for one of LANGUAGES, compiled case-insensitive."""
    if language not in LANGUAGES:
        raise ValueError(f"no shipped emergency patterns for {language!r}; have {LANGUAGES}")
    source = resources.files("bot").joinpath("data", f"emergency-{language}.yaml")
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    raw = data.get("patterns") if isinstance(data, dict) else None
    if not isinstance(raw, list) or not all(isinstance(item, str) and item for item in raw):
        raise ValueError(f"{source}: expected `patterns:` with a list of non-empty texts")
    return tuple(re.compile(pattern, re.IGNORECASE) for pattern in raw)


def looks_like_emergency(text: str, patterns: Sequence[re.Pattern[str]]) -> bool:
    """True when any pattern occurs in the text as written or in its normalised form: shipped
    patterns expect the folded text, while an operator's own may be written with accents."""
    as_written = " ".join(text.translate(_APOSTROPHES).split())
    folded = normalise(text)
    forms = (as_written,) if folded == as_written else (as_written, folded)
    return any(pattern.search(form) for pattern in patterns for form in forms)
