"""Each person's language and country on a real database (issue 17)."""

from __future__ import annotations

from pathlib import Path

from bot.testing import open_store


async def test_languages_are_remembered_only_when_they_say_something(tmp_path: Path) -> None:
    async with open_store(tmp_path / "t.db") as store:
        preferences = store.preferences
        # The default language needs no row: most people cost no write at all.
        assert await preferences.seen_speaking(1, "en", "en") == "en"
        assert preferences.language_of(1) is None
        assert await preferences.seen_speaking(2, "es", "en") == "es"
        assert preferences.language_of(2) == "es"
        # A language chosen with /language outlasts the app's.
        await preferences.choose_language(2, "ru")
        assert await preferences.seen_speaking(2, "es", "en") == "ru"
        # The app's language changes: followed, when none was chosen.
        assert await preferences.seen_speaking(3, "ar", "en") == "ar"
        assert await preferences.seen_speaking(3, "en", "en") == "en"
        await preferences.load()
        assert (preferences.language_of(2), preferences.language_of(3)) == ("ru", "en")


async def test_the_country_is_asked_once(tmp_path: Path) -> None:
    async with open_store(tmp_path / "t.db") as store:
        preferences = store.preferences
        assert await preferences.ask_country_once(7)
        assert not await preferences.ask_country_once(7)
        await preferences.choose_country(7, "MX")
        assert (await preferences.of(7)).country == "MX"
        await preferences.choose_country(8, None)
        chosen = await preferences.of(8)
        assert chosen.country is None and chosen.country_asked
