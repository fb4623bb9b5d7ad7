"""Each person's language and country: what the bot speaks to them in, and which emergency
numbers a patient sees. Languages are kept in memory: every message sent looks one up."""

from __future__ import annotations

from dataclasses import dataclass

from bot.store.database import Change, Database


@dataclass(frozen=True, slots=True)
class Preference:
    """A person's settings; None: not known."""

    language: str | None = None
    language_chosen: bool = False
    country: str | None = None
    country_asked: bool = False


class Preferences:
    """Table `preferences`."""

    def __init__(self, database: Database) -> None:
        self.database = database
        self._languages: dict[int, str] | None = None
        self._stale = False
        database.on_change(Change.PEOPLE, self._forget)

    def _forget(self) -> None:
        # Read again at the next message; until then language_of keeps answering (messages
        # still going out to others must not lose their reader's language).
        self._stale = True

    async def load(self) -> None:
        """Read every known language into memory (language_of reads only memory)."""
        self._stale = False
        rows = await self.database.rows(
            "SELECT telegram_id, language FROM preferences WHERE language IS NOT NULL"
        )
        self._languages = {int(row["telegram_id"]): str(row["language"]) for row in rows}

    def language_of(self, telegram_id: int) -> str | None:
        """Their language, from memory (None: not known, or not loaded yet)."""
        return None if self._languages is None else self._languages.get(telegram_id)

    async def of(self, telegram_id: int) -> Preference:
        row = await self.database.row(
            "SELECT language, language_chosen, country, country_asked FROM preferences"
            " WHERE telegram_id = ?",
            (telegram_id,),
        )
        if row is None:
            return Preference()
        return Preference(
            language=row["language"],
            language_chosen=bool(row["language_chosen"]),
            country=row["country"],
            country_asked=bool(row["country_asked"]),
        )

    async def seen_speaking(self, telegram_id: int, language: str, default: str) -> str:
        """The language to speak to someone whose Telegram app is in `language`: the one they
        chose with /language if they did, else this one (remembered when it is new, unless it
        is the `default` language, which needs no row)."""
        if self._languages is None or self._stale:
            await self.load()
        assert self._languages is not None
        known = self._languages.get(telegram_id)
        if known == language or (known is None and language == default):
            return language
        row = await self.database.write(
            "INSERT INTO preferences (telegram_id, language) VALUES (?, ?)"
            " ON CONFLICT (telegram_id) DO UPDATE SET language = excluded.language"
            " WHERE preferences.language_chosen = 0 OR preferences.language IS NULL"
            " RETURNING language",
            (telegram_id, language),
        )
        if row:
            self._languages[telegram_id] = language
            return language
        chosen = (await self.of(telegram_id)).language or language
        self._languages[telegram_id] = chosen
        return chosen

    async def choose_language(self, telegram_id: int, language: str) -> None:
        await self.database.write(
            "INSERT INTO preferences (telegram_id, language, language_chosen) VALUES (?, ?, 1)"
            " ON CONFLICT (telegram_id) DO UPDATE SET language = excluded.language,"
            " language_chosen = 1",
            (telegram_id, language),
        )
        if self._languages is not None:
            self._languages[telegram_id] = language

    async def choose_country(self, telegram_id: int, country: str | None) -> None:
        """Their country (None: not among those the bot knows), asked from now on."""
        await self.database.write(
            "INSERT INTO preferences (telegram_id, country, country_asked) VALUES (?, ?, 1)"
            " ON CONFLICT (telegram_id) DO UPDATE SET country = excluded.country,"
            " country_asked = 1",
            (telegram_id, country),
        )

    async def ask_country_once(self, telegram_id: int) -> bool:
        """True the first time: the patient's country should be asked now (never again)."""
        asked = await self.database.write(
            "INSERT INTO preferences (telegram_id, country_asked) VALUES (?, 1)"
            " ON CONFLICT (telegram_id) DO UPDATE SET country_asked = 1"
            " WHERE preferences.country_asked = 0 RETURNING telegram_id",
            (telegram_id,),
        )
        return bool(asked)
