"""Recognise a message that may describe an emergency. No Telegram here."""

from __future__ import annotations

import re
from collections.abc import Sequence


def looks_like_emergency(text: str, patterns: Sequence[re.Pattern[str]]) -> bool:
    """True when any configured emergency pattern occurs in the text."""
    normalised = " ".join(text.replace("\u2019", "'").split())
    return any(pattern.search(normalised) for pattern in patterns)
