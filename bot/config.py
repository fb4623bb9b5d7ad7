"""Load and validate config.yaml into a frozen Settings; every error names the file, key and fix."""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from bot import emergency, i18n
from bot.hours import WEEKDAYS, WorkingHours
from bot.matching import ENGLISH
from bot.models import CountryNumbers

DEFAULT_CONFIG_PATH = Path("config.yaml")


class ConfigError(Exception):
    """A config problem, phrased for the operator: where it is and how to fix it."""

    def __init__(self, file: Path | str, key: str | None, problem: str) -> None:
        self.file = str(file)
        self.key = key
        self.problem = problem
        where = f"{self.file}: {key}: " if key else f"{self.file}: "
        super().__init__(where + problem)


@dataclass(frozen=True, slots=True)
class EmergencySettings:
    """What counts as an emergency and what we say first when one is seen: `message` in the
    default language, `messages` in each language the bot speaks, then the patient's country's
    `numbers` (or `default_country`'s)."""

    message: str
    patterns: tuple[re.Pattern[str], ...]
    messages: Mapping[str, str] = field(default_factory=dict)
    numbers: Mapping[str, CountryNumbers] = field(default_factory=dict)
    default_country: str | None = None

    def message_in(self, language: str) -> str:
        return self.messages.get(language, self.message)


@dataclass(frozen=True, slots=True)
class MatchingSettings:
    """How the answer bank is searched and when we admit there is no good match."""

    min_score: float
    other_matches: int
    candidates: int
    # "auto": use the sentence encoder when installed and intact; "off": full-text search only.
    encoder: str = "auto"
    # How many cores the encoder may use for one patient's message.
    encoder_threads: int = 1
    # With the encoder, from this share of min_score up a question that is not a match gets
    # "Is this your question?" (its candidates as buttons) instead of going straight to doctors.
    unsure_from: float = ENGLISH.unsure_share


@dataclass(frozen=True, slots=True)
class WebhookSettings:
    """PTB's webhook server: where it listens and the public URL Telegram posts to."""

    listen: str
    port: int
    url_path: str
    public_url: str | None


@dataclass(frozen=True, slots=True)
class TelegramSettings:
    """How the bot talks to Telegram: update mode and sending limits."""

    mode: str
    webhook: WebhookSettings
    messages_per_second: float
    messages_per_chat_per_second: float
    max_retries: int


@dataclass(frozen=True, slots=True)
class DoctorSettings:
    """A doctor registered by the operator in the config."""

    telegram_id: int
    name: str
    title: str
    location: str
    specialties: tuple[str, ...]
    # The languages they read: questions in them come to them first.
    languages: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class RoutingSettings:
    """How questions without a good match reach doctors."""

    answers_per_question: int
    invite_code: str | None
    # An unanswered question is offered again to its doctors after this many minutes, and
    # the admins are told after escalate_after_minutes (fractions allowed, for trying it).
    remind_after_minutes: float = 120.0
    escalate_after_minutes: float = 480.0
    # What the patient is told to expect when there is too little history to measure it, by
    # language (AskDoc's own text where the operator gives none).
    expected_waits: Mapping[str, str] = field(default_factory=dict)
    # When doctors are in (None: always); outside them the patient is told when they are back.
    working_hours: WorkingHours | None = None
    # A photo, file or voice message sent this soon after a question joins it; later, the
    # patient is asked whether it does (fractions allowed).
    attach_within_minutes: float = 5.0


@dataclass(frozen=True, slots=True)
class PublishingSettings:
    """Who decides that a doctor's answer joins the public bank."""

    # "doctor": the doctor's Send publishes; "admin": an admin approves it first (/review).
    review: str = "doctor"


@dataclass(frozen=True, slots=True)
class PrivacySettings:
    """How long what patients wrote is kept."""

    # Private text of questions, delivered messages and inactive patients older than this are
    # erased by a daily job; fractions of a day are allowed so the job can be tried quickly.
    retention_days: float = 365.0


@dataclass(frozen=True, slots=True)
class LimitSettings:
    """Flood control, per patient."""

    # Questions sent to doctors in any hour; past it the patient is told when they can ask.
    questions_per_hour: int = 10
    # Messages in any minute; past it the patient is asked to slow down (nothing is matched).
    messages_per_minute: int = 8


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything config.yaml says, validated; paths are absolute."""

    source: Path
    # The default language's; `disclaimers` has it in every language the bot speaks.
    disclaimer: str
    database: Path
    answers_dir: Path
    emergency: EmergencySettings
    matching: MatchingSettings
    telegram: TelegramSettings
    doctors: tuple[DoctorSettings, ...] = ()
    admin_ids: frozenset[int] = frozenset()
    routing: RoutingSettings = RoutingSettings(answers_per_question=2, invite_code=None)
    publishing: PublishingSettings = PublishingSettings()
    privacy: PrivacySettings = PrivacySettings()
    # Inline mode (`@bot words` in any chat) answers from the published bank; off: no results.
    inline_enabled: bool = True
    limits: LimitSettings = LimitSettings()
    # The languages the bot speaks, the default first (for anyone whose Telegram language is
    # none of them).
    languages: tuple[str, ...] = i18n.LANGUAGES
    disclaimers: Mapping[str, str] = field(default_factory=dict)

    @property
    def default_language(self) -> str:
        return self.languages[0]

    @property
    def beyond_english(self) -> bool:
        """Whether patients may write in other languages than English: their questions are
        then matched with the multilingual encoder."""
        return any(language != "en" for language in self.languages)

    def disclaimer_in(self, language: str) -> str:
        return self.disclaimers.get(language, self.disclaimer)


T = TypeVar("T")

_TYPE_NAMES: dict[type, str] = {
    str: "a text",
    int: "a whole number",
    float: "a number",
    bool: "true or false",
    list: "a list",
    dict: "a section of keys",
}


class _Section:
    """One mapping of the YAML file, read key by key so that leftovers are reported as unknown."""

    def __init__(self, file: Path, prefix: str, data: Mapping[str, Any]) -> None:
        self.file = file
        self.prefix = prefix
        self.data = dict(data)
        self.seen: set[str] = set()

    def key(self, name: str) -> str:
        return f"{self.prefix}.{name}" if self.prefix else name

    def error(self, name: str, problem: str) -> ConfigError:
        return ConfigError(self.file, self.key(name), problem)

    def get(self, name: str, kind: type[T], default: T | None = None) -> T:
        self.seen.add(name)
        if name not in self.data or self.data[name] is None:
            if default is None:
                raise self.error(
                    name, f"missing; expected {_TYPE_NAMES[kind]}. Add it to the file."
                )
            return default
        value = self.data[name]
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise self.error(
                name, f"expected {_TYPE_NAMES[kind]}, got {type(value).__name__} {value!r}."
            )
        return value

    def optional_text(self, name: str) -> str | None:
        self.seen.add(name)
        value = self.data.get(name)
        if value is None or value == "":
            return None
        if not isinstance(value, str):
            raise self.error(name, f"expected a text, got {type(value).__name__} {value!r}.")
        return value

    def section(self, name: str) -> _Section:
        raw = self.get(name, dict, {})
        return _Section(self.file, self.key(name), raw)

    def finish(self) -> None:
        unknown = sorted(set(self.data) - self.seen)
        if unknown:
            known = ", ".join(sorted(self.seen))
            raise self.error(
                str(unknown[0]),
                f"unknown setting. Known settings here: {known}. Check the spelling or remove it.",
            )


def _encoder_mode(section: _Section) -> str:
    # YAML reads a bare `off` as false (and `on` as true): take them as the operator meant.
    raw = section.data.get("encoder")
    if isinstance(raw, bool):
        section.seen.add("encoder")
        return "auto" if raw else "off"
    return section.get("encoder", str, "auto")


def _number_in(section: _Section, name: str, default: float, low: float, high: float) -> float:
    value = section.get(name, float, default)
    if not low <= value <= high:
        raise section.error(name, f"expected a number from {low:g} to {high:g}, got {value:g}.")
    return value


def _whole_in(section: _Section, name: str, default: int, low: int, high: int) -> int:
    value = section.get(name, int, default)
    if not low <= value <= high:
        raise section.error(name, f"expected a whole number from {low} to {high}, got {value}.")
    return value


_MESSAGE_IDS = {
    "disclaimer": "disclaimer",
    "message": "emergency-message",
    "expected_wait": "expected-wait",
}
_COUNTRY_CODE = re.compile(r"^[A-Z]{2}$")


def _languages(root: _Section) -> tuple[str, ...]:
    raw = root.get("languages", list, list(i18n.LANGUAGES))
    found: list[str] = []
    for index, value in enumerate(raw):
        if not isinstance(value, str) or value not in i18n.LANGUAGES:
            raise root.error(
                f"languages[{index}]",
                f"{value!r} is not a language AskDoc speaks ({', '.join(i18n.LANGUAGES)}). See"
                " the README's Languages section for how to add one.",
            )
        if value not in found:
            found.append(value)
    if not found:
        raise root.error("languages", "needs at least one language, the default first.")
    return tuple(found)


def _per_language(
    section: _Section, name: str, languages: Sequence[str], catalog: i18n.Catalog, why: str
) -> dict[str, str]:
    """A text in every language: the operator's (one text, for the default language, or a
    section with a text per language) and AskDoc's own where they give none."""
    raw = section.data.get(name)
    section.seen.add(name)
    given: dict[str, object] = {}
    if isinstance(raw, str):
        given = {languages[0]: raw}
    elif isinstance(raw, dict):
        given = dict(raw)
    elif raw is not None:
        raise section.error(
            name, f"expected a text, or a text per language (en: ..., es: ...), got {raw!r}."
        )
    if isinstance(raw, str) and not raw.strip():
        raise section.error(name, f"must not be empty: {why}.")
    for language, text in given.items():
        if language not in languages:
            raise section.error(
                f"{name}.{language}",
                f"not one of the bot's languages ({', '.join(languages)}): add it to"
                " `languages`, or remove this text.",
            )
        if not isinstance(text, str) or not text.strip():
            raise section.error(f"{name}.{language}", f"must be a non-empty text: {why}.")
    return {
        language: str(given[language]).strip()
        if language in given
        else catalog.text(language, _MESSAGE_IDS[name])
        for language in languages
    }


def _numbers(section: _Section) -> dict[str, CountryNumbers]:
    numbers_section = section.section("numbers")
    found: dict[str, CountryNumbers] = {}
    for code in list(numbers_section.data):
        if not isinstance(code, str) or not _COUNTRY_CODE.match(code):
            raise numbers_section.error(
                str(code),
                "expected a country's two-letter ISO 3166 code in capitals (US, ES, RU, EG);"
                ' quote "NO" (Norway), which YAML reads as false.',
            )
        entry = numbers_section.section(code)
        numbers = CountryNumbers(
            ambulance=entry.optional_text("ambulance"),
            emergency=entry.optional_text("emergency"),
            crisis=entry.optional_text("crisis"),
        )
        if numbers.ambulance is None and numbers.emergency is None:
            raise entry.error("emergency", "missing: give the emergency or ambulance number.")
        entry.finish()
        found[code] = numbers
    numbers_section.finish()
    return found


def _country(section: _Section, name: str, numbers: Mapping[str, CountryNumbers]) -> str | None:
    code = section.optional_text(name)
    if code is None:
        return None
    if code not in numbers:
        raise section.error(
            name, f"{code!r} is not in emergency.numbers: add its numbers there, or fix the code."
        )
    return code


def _patterns(section: _Section) -> tuple[re.Pattern[str], ...]:
    """The shipped patterns of every language (an emergency is recognised whatever language
    it is written in), then the operator's own."""
    shipped = [
        pattern
        for language in emergency.LANGUAGES
        for pattern in emergency.shipped_patterns(language)
    ]
    raw = section.get("patterns", list, [])
    compiled = list(shipped)
    for index, pattern in enumerate(raw):
        key = f"patterns[{index}]"
        if not isinstance(pattern, str) or not pattern.strip():
            raise section.error(key, f"expected a non-empty text, got {pattern!r}.")
        try:
            compiled.append(re.compile(pattern, re.IGNORECASE))
        except re.error as exc:
            raise section.error(
                key, f"not a valid regular expression ({exc}). Quote it or escape the symbols."
            ) from exc
    return tuple(compiled)


def _working_hours(routing: _Section) -> WorkingHours | None:
    if routing.data.get("working_hours") is None:
        routing.seen.add("working_hours")
        return None
    section = routing.section("working_hours")
    zone = section.get("timezone", str, "UTC")
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise section.error(
            "timezone", f"unknown time zone {zone!r}; use a name like Europe/London or UTC."
        ) from None
    days: list[tuple[datetime.time, datetime.time] | None] = []
    for day in WEEKDAYS:
        section.seen.add(day)
        value = section.data.get(day)
        if value is None or value in ("closed", False):
            days.append(None)
            continue
        match = _HOURS.fullmatch(str(value).strip())
        if match is None:
            raise section.error(day, f"expected hours like 09:00-17:00 or closed, got {value!r}.")
        try:
            opens = datetime.time.fromisoformat(match["opens"])
            closes = datetime.time.fromisoformat(match["closes"])
        except ValueError:
            raise section.error(day, f"{value!r} is not a time of day.") from None
        if closes <= opens:
            raise section.error(day, f"closes before it opens: {value!r}.")
        days.append((opens, closes))
    section.finish()
    return WorkingHours(zone=zone, days=tuple(days))


_HOURS = re.compile(r"(?P<opens>\d\d:\d\d)\s*-\s*(?P<closes>\d\d:\d\d)")


def _sections(section: _Section, name: str) -> list[_Section]:
    """A list of sections (`- key: value` items), each checked for unknown keys by the caller."""
    items = section.get(name, list, [])
    sections = []
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            raise section.error(f"{name}[{index}]", "expected key: value lines under the dash.")
        sections.append(_Section(section.file, f"{section.key(name)}[{index}]", item))
    return sections


def _telegram_id(section: _Section) -> int:
    value = section.get("telegram_id", int)
    if value <= 0:
        raise section.error(
            "telegram_id", f"expected a user's numeric Telegram id (positive), got {value}."
        )
    return value


def _doctors(root: _Section) -> tuple[DoctorSettings, ...]:
    doctors = []
    seen: set[int] = set()
    for item in _sections(root, "doctors"):
        telegram_id = _telegram_id(item)
        if telegram_id in seen:
            raise item.error("telegram_id", f"{telegram_id} is listed twice; keep one entry.")
        seen.add(telegram_id)
        specialties = item.get("specialties", list, [])
        if not all(isinstance(word, str) and word.strip() for word in specialties):
            raise item.error("specialties", "expected a list of words, like [dermatology, skin].")
        languages = item.get("languages", list, [])
        if not all(isinstance(code, str) and re.fullmatch(r"[a-z]{2}", code) for code in languages):
            raise item.error(
                "languages", "expected two-letter language codes they read, like [en, es]."
            )
        doctors.append(
            DoctorSettings(
                telegram_id=telegram_id,
                name=item.get("name", str).strip(),
                title=item.get("title", str).strip(),
                location=item.get("location", str, "").strip(),
                specialties=tuple(word.strip() for word in specialties),
                languages=tuple(languages),
            )
        )
        item.finish()
    return tuple(doctors)


def _admin_ids(root: _Section) -> frozenset[int]:
    admins = set()
    for item in _sections(root, "admins"):
        admins.add(_telegram_id(item))
        item.finish()
    return frozenset(admins)


def _path(base: Path, value: str) -> Path:
    path = Path(value).expanduser()
    return path if path.is_absolute() else (base / path).resolve()


def parse_settings(data: object, file: Path, environ: Mapping[str, str] | None = None) -> Settings:
    """Validate the YAML document `data` read from `file`; ASKDOC_DB overrides the database."""
    environ = environ or {}
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError(file, None, "expected a section of settings (key: value lines).")
    root = _Section(file, "", data)
    base = file.parent.resolve()

    languages = _languages(root)
    catalog = i18n.Catalog(languages=languages)
    disclaimers = _per_language(
        root, "disclaimer", languages, catalog, "every message ends with it"
    )
    database_value = environ.get("ASKDOC_DB") or root.get("database", str, "askdoc.db")
    if "ASKDOC_DB" in environ:
        root.seen.add("database")
    answers_dir = _path(base, root.get("answers_dir", str, "answers"))

    emergency_section = root.section("emergency")
    messages = _per_language(
        emergency_section, "message", languages, catalog, "it is what an emergency gets first"
    )
    numbers = _numbers(emergency_section)
    default_country = _country(emergency_section, "default_country", numbers)
    emergency_settings = EmergencySettings(
        message=messages[languages[0]],
        patterns=_patterns(emergency_section),
        messages=messages,
        numbers=numbers,
        default_country=default_country,
    )
    emergency_section.finish()

    matching_section = root.section("matching")
    matching = MatchingSettings(
        min_score=_number_in(matching_section, "min_score", 0.68, 0.0, 1.0),
        other_matches=_whole_in(matching_section, "other_matches", 3, 0, 3),
        candidates=_whole_in(matching_section, "candidates", 30, 1, 200),
        encoder=_encoder_mode(matching_section),
        encoder_threads=_whole_in(matching_section, "encoder_threads", 1, 1, 64),
        unsure_from=_number_in(matching_section, "unsure_from", ENGLISH.unsure_share, 0.0, 1.0),
    )
    if matching.encoder not in ("auto", "off"):
        raise matching_section.error("encoder", f"expected auto or off, got {matching.encoder!r}.")
    matching_section.finish()

    telegram_section = root.section("telegram")
    mode = telegram_section.get("mode", str, "polling")
    if mode not in ("polling", "webhook"):
        raise telegram_section.error("mode", f"expected polling or webhook, got {mode!r}.")
    webhook_section = telegram_section.section("webhook")
    webhook = WebhookSettings(
        listen=webhook_section.get("listen", str, "0.0.0.0"),
        port=_whole_in(webhook_section, "port", 8443, 1, 65535),
        url_path=webhook_section.get("url_path", str, "telegram").strip("/"),
        public_url=webhook_section.optional_text("public_url"),
    )
    webhook_section.finish()
    telegram = TelegramSettings(
        mode=mode,
        webhook=webhook,
        messages_per_second=_number_in(telegram_section, "messages_per_second", 30, 0.1, 1000),
        messages_per_chat_per_second=_number_in(
            telegram_section, "messages_per_chat_per_second", 1, 0.1, 100
        ),
        max_retries=_whole_in(telegram_section, "max_retries", 5, 0, 100),
    )
    telegram_section.finish()

    routing_section = root.section("routing")
    routing = RoutingSettings(
        answers_per_question=_whole_in(routing_section, "answers_per_question", 2, 1, 20),
        invite_code=routing_section.optional_text("invite_code"),
        remind_after_minutes=_number_in(routing_section, "remind_after_minutes", 120, 0.001, 1e6),
        escalate_after_minutes=_number_in(
            routing_section, "escalate_after_minutes", 480, 0.001, 1e6
        ),
        expected_waits=_per_language(
            routing_section,
            "expected_wait",
            languages,
            catalog,
            "patients are told it while answers are too few to measure the usual wait",
        ),
        working_hours=_working_hours(routing_section),
        attach_within_minutes=_number_in(routing_section, "attach_within_minutes", 5, 0, 1440),
    )
    if routing.invite_code is not None and len(routing.invite_code) < 8:
        raise routing_section.error(
            "invite_code", "too short to keep strangers out: use at least 8 characters."
        )
    routing_section.finish()

    publishing_section = root.section("publishing")
    publishing = PublishingSettings(review=publishing_section.get("review", str, "doctor"))
    if publishing.review not in ("doctor", "admin"):
        raise publishing_section.error(
            "review", f"expected doctor or admin, got {publishing.review!r}."
        )
    publishing_section.finish()

    privacy_section = root.section("privacy")
    retention_days = privacy_section.get("retention_days", float, 365.0)
    if not 0 < retention_days <= 36500:
        raise privacy_section.error(
            "retention_days",
            f"expected a number of days above 0 and up to 36500 (fractions allowed), got"
            f" {retention_days:g}.",
        )
    privacy = PrivacySettings(retention_days=retention_days)
    privacy_section.finish()

    limits_section = root.section("limits")
    limits = LimitSettings(
        questions_per_hour=_whole_in(limits_section, "questions_per_hour", 10, 1, 1000),
        messages_per_minute=_whole_in(limits_section, "messages_per_minute", 8, 1, 600),
    )
    limits_section.finish()

    inline_section = root.section("inline")
    inline_enabled = inline_section.get("enabled", bool, True)
    inline_section.finish()

    doctors = _doctors(root)
    admin_ids = _admin_ids(root)
    if publishing.review == "admin" and not admin_ids:
        raise publishing_section.error(
            "review",
            "is admin, but the config lists no admins to review answers: add them under"
            " `admins`, or set review to doctor.",
        )
    root.finish()
    # Last: the file's own mistakes come first, and a config copied elsewhere is often only
    # missing its folder.
    if not answers_dir.is_dir():
        raise root.error(
            "answers_dir",
            f"folder {answers_dir} does not exist. It is relative to the config file's folder:"
            " create it, or fix the path.",
        )

    return Settings(
        source=file,
        disclaimer=disclaimers[languages[0]],
        disclaimers=disclaimers,
        languages=languages,
        database=_path(base, database_value),
        answers_dir=answers_dir,
        emergency=emergency_settings,
        matching=matching,
        telegram=telegram,
        doctors=doctors,
        admin_ids=admin_ids,
        routing=routing,
        publishing=publishing,
        privacy=privacy,
        inline_enabled=inline_enabled,
        limits=limits,
    )


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _content_lines(raw: str) -> list[tuple[int, str]]:
    """(1-based number, text) of the lines that hold YAML, not blanks or comments."""
    return [
        (number, line)
        for number, line in enumerate(raw.splitlines(), start=1)
        if line.strip() and not line.lstrip().startswith("#")
    ]


def _yaml_problem(raw: str, error: yaml.MarkedYAMLError) -> str:
    """Where the YAML goes wrong and what PyYAML says. PyYAML marks where it noticed; a bad
    indentation is noticed at the next line that is right, so point back to where it starts."""
    mark = error.problem_mark
    if mark is None:
        return f"not valid YAML ({error.problem}). Fix the syntax there."
    found = mark.line + 1
    where = f"line {found}, column {mark.column + 1}: not valid YAML ({error.problem})."
    context = error.context_mark
    if context is not None and error.context != "while parsing a block mapping":
        if context.line + 1 < found:
            return f"{where} It starts at line {context.line + 1} ({error.context}): fix it there."
    elif error.problem and error.problem.startswith("expected <block end>"):
        lines = dict(_content_lines(raw))
        if found in lines:
            indent = _indent(lines[found])
            before = [n for n in lines if n < found and _indent(lines[n]) <= indent]
            if before:
                return (
                    f"{where} The indentation goes wrong from line {before[-1]} on: check that"
                    f" lines {before[-1]} to {found} line up with the keys they belong to."
                )
    return f"{where} Fix the syntax there."


def load_settings(path: Path, environ: Mapping[str, str] | None = None) -> Settings:
    """Read and validate the config file at `path`."""
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(
            path, None, "file not found. Pass --config PATH or copy config.yaml from the project."
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(path, None, f"cannot be read: {exc}.") from exc
    try:
        data = yaml.safe_load(raw)
    except yaml.MarkedYAMLError as exc:
        raise ConfigError(path, None, _yaml_problem(raw, exc)) from exc
    except yaml.YAMLError as exc:
        raise ConfigError(path, None, f"not valid YAML ({exc}).") from exc
    return parse_settings(data, path, environ)
