"""Config validation: every mistake an operator can make gets one clear line, never a traceback."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from bot.bank_files import BankFileError, read_question_folder
from bot.config import ConfigError, load_settings
from bot.testing import PROJECT, write_config


def test_the_shipped_config_is_valid_and_commented() -> None:
    settings = load_settings(PROJECT / "config.yaml")
    assert settings.disclaimer.startswith("These answers are for educational purposes")
    assert settings.matching.other_matches == 3
    assert settings.matching.encoder_threads == 1
    assert any(pattern.search("I have CHEST PAIN") for pattern in settings.emergency.patterns)
    # The emergency numbers of 87 countries, Norway's quoted so YAML does not read it as false.
    numbers = settings.emergency.numbers
    assert len(numbers) >= 30 and numbers["NO"].emergency == "112"
    assert numbers["RU"].ambulance == "103" and numbers["ES"].crisis is not None
    # Every setting has a one-line comment right above it (the table of numbers is data).
    lines = (PROJECT / "config.yaml").read_text(encoding="utf-8").splitlines()
    table = lines.index("  numbers:")
    end = next(i for i in range(table + 1, len(lines)) if re.match(r"^\S", lines[i]))
    for index, line in enumerate(lines):
        if re.match(r"^\s*[a-z_]+:", line) and not table < index < end:
            assert lines[index - 1].strip().startswith("#"), f"no comment above {line!r}"


@pytest.mark.parametrize(
    ("overrides", "key", "hint"),
    [
        ({"matching": {"min_score": "high"}}, "matching.min_score", "expected a number"),
        ({"matching": {"min_score": 7}}, "matching.min_score", "from 0 to 1"),
        ({"matching": {"other_matchs": 2}}, "matching.other_matchs", "unknown setting"),
        ({"matching": {"encoder_threads": 0}}, "matching.encoder_threads", "from 1 to 64"),
        ({"matching": {"unsure_from": 2}}, "matching.unsure_from", "from 0 to 1"),
        ({"disclaimr": "x"}, "disclaimr", "unknown setting"),
        ({"disclaimer": ""}, "disclaimer", "must not be empty"),
        ({"answers_dir": "/nonexistent/folder"}, "answers_dir", "does not exist"),
        (
            {"emergency": {"patterns": ["chest pain", "(unclosed"]}},
            "emergency.patterns[1]",
            "regular expression",
        ),
        ({"telegram": {"mode": "carrier-pigeon"}}, "telegram.mode", "polling or webhook"),
        ({"telegram": {"webhook": {"port": "eighty"}}}, "telegram.webhook.port", "whole number"),
        ({"publishing": {"review": "nobody"}}, "publishing.review", "doctor or admin"),
        ({"publishing": {"review": "admin"}}, "publishing.review", "no admins to review"),
        ({"privacy": {"retention_days": 0}}, "privacy.retention_days", "above 0 and up to 36500"),
        ({"privacy": {"retention_days": "a year"}}, "privacy.retention_days", "a number"),
        ({"inline": {"enabled": "yes please"}}, "inline.enabled", "true or false"),
        ({"languages": ["en", "fr"]}, "languages[1]", "not a language AskDoc speaks"),
        ({"languages": []}, "languages", "at least one language"),
        ({"disclaimer": {"de": "Keine Beratung."}}, "disclaimer.de", "not one of the bot's"),
        ({"disclaimer": {"es": "  "}}, "disclaimer.es", "non-empty text"),
        (
            {"emergency": {"numbers": {"Spain": {"emergency": "112"}}}},
            "emergency.numbers.Spain",
            "two-letter ISO 3166 code",
        ),
        (
            {"emergency": {"numbers": {"ES": {"crisis": "024"}}}},
            "emergency.numbers.ES.emergency",
            "emergency or ambulance number",
        ),
        (
            {"emergency": {"numbers": {"ES": {"emergency": "112", "fire": "080"}}}},
            "emergency.numbers.ES.fire",
            "unknown setting",
        ),
        (
            {"emergency": {"default_country": "XX"}},
            "emergency.default_country",
            "not in emergency.numbers",
        ),
    ],
)
def test_config_mistakes_name_the_file_the_key_and_the_fix(
    tmp_path: Path, overrides: dict[str, object], key: str, hint: str
) -> None:
    path = write_config(tmp_path, **overrides)
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: {key}: ")
    assert hint in message


def test_a_bare_off_for_the_encoder_means_off(tmp_path: Path) -> None:
    # YAML reads `encoder: off` as false; the operator meant "off".
    path = write_config(tmp_path)
    text = path.read_text(encoding="utf-8")
    assert "encoder: auto" in text
    path.write_text(text.replace("encoder: auto", "encoder: off"), encoding="utf-8")
    assert load_settings(path).matching.encoder == "off"
    with pytest.raises(ConfigError, match=r"matching\.encoder: expected auto or off"):
        load_settings(write_config(tmp_path, matching={"encoder": "maybe"}))


def test_broken_yaml_gives_its_line(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text("disclaimer: fine\nmatching:\n  min_score: [0.5\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    assert "line 4" in str(caught.value) or "line 3" in str(caught.value)
    assert "not valid YAML" in str(caught.value)


def test_missing_config_file_says_how_to_fix_it(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"file not found\. Pass --config PATH"):
        load_settings(tmp_path / "nope.yaml")


def test_askdoc_db_overrides_the_database(tmp_path: Path) -> None:
    path = write_config(tmp_path)
    settings = load_settings(path, {"ASKDOC_DB": str(tmp_path / "elsewhere.db")})
    assert settings.database == tmp_path / "elsewhere.db"


def test_a_broken_answers_file_is_named(tmp_path: Path) -> None:
    (tmp_path / "good.yaml").write_text(
        (PROJECT / "answers" / "microdermabrasion-after-ematrix.yaml").read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    (tmp_path / "bad.yaml").write_text(
        yaml.safe_dump({"question": "Q?", "answers": [{"doctor": {"title": "GP"}, "txt": "x"}]}),
        encoding="utf-8",
    )
    with pytest.raises(BankFileError) as caught:
        read_question_folder(tmp_path)
    assert str(caught.value) == f"{tmp_path / 'bad.yaml'}: answers[0].txt: unknown key; remove it."


def test_an_answers_file_names_its_language(tmp_path: Path) -> None:
    seed = yaml.safe_load(
        (PROJECT / "answers" / "microdermabrasion-after-ematrix.yaml").read_text(encoding="utf-8")
    )
    (tmp_path / "es.yaml").write_text(yaml.safe_dump({**seed, "language": "es"}), "utf-8")
    [english, spanish] = read_question_folder(PROJECT / "answers") + read_question_folder(tmp_path)
    assert english.language == "en" and spanish.language == "es"
    (tmp_path / "es.yaml").write_text(yaml.safe_dump({**seed, "language": "Spanish"}), "utf-8")
    with pytest.raises(BankFileError) as caught:
        read_question_folder(tmp_path)
    assert str(caught.value) == (
        f"{tmp_path / 'es.yaml'}: language: expected a two-letter language code, like en or es;"
        " got 'Spanish'."
    )


def test_the_expected_wait_is_said_in_each_language(tmp_path: Path) -> None:
    waits = load_settings(write_config(tmp_path)).routing.expected_waits
    assert waits["en"] == "Doctors usually answer within a day."
    assert waits["es"] == "Los médicos suelen responder en un día."
    own = {"expected_wait": {"en": "Within two days.", "ru": "В течение двух дней."}}
    waits = load_settings(write_config(tmp_path, routing=own)).routing.expected_waits
    assert (waits["en"], waits["ru"]) == ("Within two days.", "В течение двух дней.")
    assert waits["ar"] == "يجيب الأطباء عادةً خلال يوم واحد."
    with pytest.raises(ConfigError, match=r"routing\.expected_wait\.fr: not one of the bot's"):
        load_settings(write_config(tmp_path, routing={"expected_wait": {"fr": "Sous un jour."}}))


def test_a_doctors_languages_are_codes(tmp_path: Path) -> None:
    doctor = {"telegram_id": 5, "name": "Dr Ana Ruiz", "title": "GP", "languages": ["es", "en"]}
    settings = load_settings(write_config(tmp_path, doctors=[doctor]))
    assert settings.doctors[0].languages == ("es", "en")
    with pytest.raises(ConfigError, match=r"doctors\[0\]\.languages: expected two-letter"):
        load_settings(write_config(tmp_path, doctors=[{**doctor, "languages": ["Spanish"]}]))


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        cwd=PROJECT,
    )


def test_check_config_command_accepts_the_shipped_config() -> None:
    result = run_cli("check-config")
    assert result.returncode == 0, result.stderr
    assert "config.yaml: OK (1 question with 2 answers" in result.stdout


def test_check_config_command_prints_one_line_and_exits_2(tmp_path: Path) -> None:
    path = write_config(tmp_path, matching={"min_score": "high"})
    result = run_cli("check-config", "--config", str(path))
    assert result.returncode == 2
    assert result.stderr.strip() == (
        f"error: {path}: matching.min_score: expected a number, got str 'high'."
    )
    assert "Traceback" not in result.stderr

    broken = tmp_path / "broken.yaml"
    broken.write_text("matching: {min_score: 0.5\n", encoding="utf-8")
    result = run_cli("check-config", "--config", str(broken))
    assert result.returncode == 2
    assert "not valid YAML" in result.stderr and "Traceback" not in result.stderr


def test_a_copied_config_reports_its_own_mistake_before_the_missing_folder(
    tmp_path: Path,
) -> None:
    shipped = (PROJECT / "config.yaml").read_text(encoding="utf-8")
    copied = tmp_path / "elsewhere" / "config.yaml"
    copied.parent.mkdir()
    copied.write_text(shipped.replace("min_score: 0.75", "min_score: 7"), encoding="utf-8")
    with pytest.raises(ConfigError, match=r"matching\.min_score") as raised:
        load_settings(copied)
    assert "answers_dir" not in str(raised.value)
    copied.write_text(shipped, encoding="utf-8")
    with pytest.raises(ConfigError, match="relative to the config file's folder"):
        load_settings(copied)


def _line_of(text: str, start: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if line.startswith(start))


@pytest.mark.parametrize("indent", ["", " ", "   "])
def test_a_bad_indentation_is_pointed_at_where_it_starts(tmp_path: Path, indent: str) -> None:
    shipped = (PROJECT / "config.yaml").read_text(encoding="utf-8")
    broken = shipped.replace("\n  min_score: 0.75", f"\n{indent}min_score: 0.75")
    wrong = _line_of(broken, f"{indent}min_score:")
    path = tmp_path / "config.yaml"
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        load_settings(path)
    message = str(raised.value)
    noticed = int(message.split("line ")[1].split(",")[0])
    assert noticed > wrong  # where PyYAML noticed...
    start = int(message.split("goes wrong from line ")[1].split()[0])
    # ...and where the mistake starts: the line itself, or the key of its section.
    assert start in (wrong, _line_of(broken, "matching:"))


def test_an_unclosed_bracket_is_pointed_at_where_it_opened(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text("admins: [1, 2\ndisclaimer: x\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"line 2, .* starts at line 1"):
        load_settings(path)


def test_a_disclaimer_per_language_and_the_rest_shipped(tmp_path: Path) -> None:
    path = write_config(
        tmp_path, languages=["es", "en"], disclaimer={"es": "Solo información, no consejo."}
    )
    settings = load_settings(path)
    assert settings.default_language == "es"
    assert settings.disclaimer == "Solo información, no consejo."
    assert settings.disclaimer_in("en").startswith("These answers are for educational")
    assert set(settings.disclaimers) == {"es", "en"}
