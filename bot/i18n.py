"""The languages AskDoc speaks: messages in Project Fluent files (bot/locales/LANG/*.ftl),
a person's language from Telegram's language_code, and countries by name in each language.

No Telegram here. Messages are Telegram HTML: arguments that came from a person must be escaped
by the caller (bot.texts.escape), as with every other template.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import babel
from fluent.runtime import FluentBundle, FluentResource
from fluent.syntax import FluentParser, ast

LOCALES = Path(__file__).parent / "locales"
LANGUAGES = ("en", "es", "ru", "ar")
DEFAULT_LANGUAGE = "en"
RIGHT_TO_LEFT = frozenset({"ar"})
_WRAPPED = re.compile(r"(?<!\n)\n(?!\n)")


def language_of(code: str | None, enabled: Sequence[str], default: str) -> str:
    """The enabled language closest to a Telegram language_code ("es-MX" gives "es"), else
    `default`."""
    if code:
        base = code.replace("_", "-").split("-")[0].lower()
        if base in enabled:
            return base
    return default


def flag(country: str) -> str:
    """The country's flag emoji, from its ISO 3166 code (regional indicator letters)."""
    return "".join(chr(0x1F1E6 + ord(letter) - ord("A")) for letter in country.upper())


@functools.cache
def country_name(country: str, language: str) -> str:
    """The country's name in the language (from the Unicode CLDR, through Babel), else its
    code."""
    try:
        names = babel.Locale.parse(language).territories
    except (ValueError, babel.UnknownLocaleError):
        return country
    return str(names.get(country.upper(), country.upper()))


@functools.cache
def language_name(code: str, language: str) -> str:
    """A language's name as it is written inside a sentence of `language` ("inglés" in
    Spanish, "English" in English; from the Unicode CLDR, through Babel), else its code."""
    try:
        names = babel.Locale.parse(language).languages
    except (ValueError, babel.UnknownLocaleError):
        return code
    return str(names.get(code, code))


class Catalog:
    """Every language's messages. A message missing in one language falls back to English,
    though the tests make sure none is."""

    def __init__(self, folder: Path = LOCALES, languages: Sequence[str] = LANGUAGES) -> None:
        self.languages = tuple(languages)
        self._bundles: dict[str, FluentBundle] = {}
        for language in self.languages:
            # Unicode isolation marks keep a Latin name or a number from reordering the
            # words around it in right-to-left text; elsewhere they are only invisible bytes.
            bundle = FluentBundle([language], use_isolating=language in RIGHT_TO_LEFT)
            for text in read_messages(folder, language):
                bundle.add_resource(FluentResource(text))
            self._bundles[language] = bundle

    def text(self, language: str, message_id: str, /, **arguments: Any) -> str:
        """The message in the language (English when the language or the message is missing).
        Positional-only, so that a message may have a $language variable."""
        for candidate in (language, DEFAULT_LANGUAGE):
            bundle = self._bundles.get(candidate)
            if bundle is not None and bundle.has_message(message_id):
                message = bundle.get_message(message_id)
                if message.value is None:
                    break
                formatted, errors = bundle.format_pattern(message.value, arguments)
                if errors:
                    raise ValueError(f"{candidate}/{message_id}: {errors[0]}")
                # Lines are wrapped for the file, not the reader: a paragraph is one line.
                return _WRAPPED.sub(" ", str(formatted))
        raise KeyError(f"no message {message_id!r} in {LOCALES.name}/{DEFAULT_LANGUAGE}/*.ftl")


@dataclass(frozen=True, slots=True)
class Words:
    """One person's language, bound: `words("message-id", name=value)` is that message in it,
    so a template needs one argument, not a catalog and a language."""

    catalog: Catalog
    language: str

    def __call__(self, message_id: str, /, **arguments: Any) -> str:
        return self.catalog.text(self.language, message_id, **arguments)


def read_messages(folder: Path, language: str) -> list[str]:
    """The language's message files, one text each, in name order (a folder per language, a
    file per audience)."""
    return [path.read_text(encoding="utf-8") for path in sorted((folder / language).glob("*.ftl"))]


def message_placeholders(folder: Path, language: str) -> dict[str, set[str]]:
    """Each message id in the language's file with the variables it uses (for the tests that
    keep the languages in step)."""
    found: dict[str, set[str]] = {}
    for text in read_messages(folder, language):
        for entry in FluentParser().parse(text).body:
            if isinstance(entry, ast.Junk):
                raise ValueError(f"{language}: cannot read {(entry.content or '')[:60]!r}")
            if isinstance(entry, ast.Message):
                if entry.id.name in found:
                    raise ValueError(f"{language}: {entry.id.name} is given twice")
                names: set[str] = set()
                _collect(entry, names)
                found[entry.id.name] = names
    return found


def _collect(node: Any, names: set[str]) -> None:
    if isinstance(node, ast.VariableReference):
        names.add(node.id.name)
    if isinstance(node, ast.BaseNode):
        for value in vars(node).values():
            if isinstance(value, list):
                for item in value:
                    _collect(item, names)
            else:
                _collect(value, names)
