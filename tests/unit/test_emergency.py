"""Emergency patterns (pure logic): the shipped ones catch emergencies, not everyday words."""

from __future__ import annotations

import logging
import sys

import pytest

from bot.__main__ import TokenRedactor
from bot.config import load_settings
from bot.emergency import looks_like_emergency
from bot.testing import PROJECT

PATTERNS = load_settings(PROJECT / "config.yaml").emergency.patterns


@pytest.mark.parametrize(
    "text",
    [
        "I have chest pain when I climb stairs",
        "I can\u2019t breathe properly",  # a typographic apostrophe
        "I want to end my life",
        "thinking about suicide",
        "I think my dad had a STROKE",
        "my son took an overdose of paracetamol",
        "Kill me, the pain is too much",
    ],
)
def test_emergencies_are_recognised(text: str) -> None:
    assert looks_like_emergency(text, PATTERNS)


@pytest.mark.parametrize(
    "text",
    [
        "I spend my days in bed, is that depression?",
        "can brush strokes on my skin cause a rash?",
        "is skill memory affected by age?",
        "why would I need microdermabrasion after ematrix?",
    ],
)
def test_everyday_words_are_not_emergencies(text: str) -> None:
    assert not looks_like_emergency(text, PATTERNS)


def test_the_token_is_redacted_from_messages_and_tracebacks() -> None:
    token = "123456:SECRET"
    redactor = TokenRedactor(token)
    try:
        raise RuntimeError(f"POST https://api.telegram.org/bot{token}/getMe failed")
    except RuntimeError:
        record = logging.LogRecord(
            "x", logging.ERROR, __file__, 1, "url %s", (f"/bot{token}/x",), exc_info=sys.exc_info()
        )
    redactor.filter(record)
    formatted = logging.Formatter().format(record)
    assert "SECRET" not in formatted
    assert "<token>" in formatted
