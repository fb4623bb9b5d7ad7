"""The languages AskDoc speaks (issue 17): every message in every language, with the same
variables; Telegram's language codes mapped to them; countries named in each."""

from __future__ import annotations

import pytest

from bot import i18n
from bot.config import load_settings
from bot.testing import PROJECT

CATALOG = i18n.Catalog()


def test_every_message_exists_in_every_language_with_the_same_variables() -> None:
    english = i18n.message_placeholders(i18n.LOCALES, "en")
    assert "disclaimer" in english and "emergency-message" in english
    for language in i18n.LANGUAGES:
        assert i18n.message_placeholders(i18n.LOCALES, language) == english, language


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_every_message_formats_and_fits_a_telegram_message_with_the_disclaimer(
    language: str,
) -> None:
    settings = load_settings(PROJECT / "config.yaml")
    closing = settings.disclaimer_in(language)
    for message_id, variables in i18n.message_placeholders(i18n.LOCALES, language).items():
        text = CATALOG.text(language, message_id, **dict.fromkeys(variables, "112"))
        assert text.strip() and "{" not in text, (language, message_id)
        assert len(f"{text}\n\n{closing}".encode("utf-16-le")) // 2 <= 4096
        # A paragraph wrapped in the file is one line for the reader.
        assert "\n" not in text.replace("\n\n", ""), (language, message_id)


def test_the_disclaimer_and_emergency_message_default_to_each_language() -> None:
    settings = load_settings(PROJECT / "config.yaml")
    # The config gives the seed page's English disclaimer; the others are AskDoc's own.
    assert settings.disclaimer_in("en").endswith("patient/doctor relationship.")
    assert settings.disclaimer_in("es").startswith("Estas respuestas tienen fines educativos")
    assert settings.disclaimer_in("ru").startswith("Эти ответы носят образовательный характер")
    assert settings.disclaimer_in("ar").startswith("هذه الإجابات لأغراض تثقيفية")
    assert settings.emergency.message_in("es").startswith("Si esto puede ser una emergencia")


@pytest.mark.parametrize(
    ("code", "expected"),
    [("es", "es"), ("es-MX", "es"), ("ru-RU", "ru"), ("ar", "ar"), ("pt-BR", "en"), (None, "en")],
)
def test_a_telegram_language_code_gives_the_language_spoken(
    code: str | None, expected: str
) -> None:
    assert i18n.language_of(code, i18n.LANGUAGES, "en") == expected


def test_countries_are_named_in_each_language_with_their_flag() -> None:
    assert i18n.country_name("DE", "es") == "Alemania"
    assert i18n.country_name("DE", "ru") == "Германия"
    assert i18n.country_name("DE", "ar") == "ألمانيا"
    assert i18n.flag("DE") == "🇩🇪"
