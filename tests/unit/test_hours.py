"""Working hours: in now, or back when."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from bot.config import ConfigError, load_settings
from bot.hours import WorkingHours
from bot.testing import write_config

NINE_TO_FIVE = (datetime.time(9), datetime.time(17))
# Monday to Friday, 09:00-17:00 in London; closed at the weekend.
OFFICE = WorkingHours("Europe/London", (NINE_TO_FIVE,) * 5 + (None, None))
UTC = datetime.UTC


@pytest.mark.parametrize(
    ("now", "back"),
    [
        # Wednesday 2026-07-15, 10:00 London (09:00 UTC): in.
        (datetime.datetime(2026, 7, 15, 9, 0, tzinfo=UTC), None),
        # The same day 07:30 London: back at 09:00 that day.
        (datetime.datetime(2026, 7, 15, 6, 30, tzinfo=UTC), (2026, 7, 15, 9)),
        # 17:00 London sharp is closed: back Thursday 09:00.
        (datetime.datetime(2026, 7, 15, 16, 0, tzinfo=UTC), (2026, 7, 16, 9)),
        # Friday evening: back on Monday.
        (datetime.datetime(2026, 7, 17, 20, 0, tzinfo=UTC), (2026, 7, 20, 9)),
        # Winter time: 08:30 UTC is 08:30 in London, before opening.
        (datetime.datetime(2026, 1, 14, 8, 30, tzinfo=UTC), (2026, 1, 14, 9)),
    ],
)
def test_doctors_are_back_at_the_next_opening(
    now: datetime.datetime, back: tuple[int, int, int, int] | None
) -> None:
    found = OFFICE.back_at(now)
    if back is None:
        assert found is None
    else:
        assert found is not None
        assert (found.year, found.month, found.day, found.hour, found.minute) == (*back, 0)
        assert str(found.tzinfo) == "Europe/London"


def test_a_week_without_hours_is_never_away() -> None:
    assert WorkingHours("UTC", (None,) * 7).back_at(datetime.datetime.now(UTC)) is None


@pytest.mark.parametrize(
    ("hours", "key", "hint"),
    [
        ({"timezone": "Mars/Olympus"}, "routing.working_hours.timezone", "unknown time zone"),
        ({"monday": "nine to five"}, "routing.working_hours.monday", "09:00-17:00 or closed"),
        ({"monday": "17:00-09:00"}, "routing.working_hours.monday", "closes before it opens"),
        ({"monday": "09:00-25:00"}, "routing.working_hours.monday", "not a time of day"),
        ({"munday": "09:00-17:00"}, "routing.working_hours.munday", "unknown setting"),
    ],
)
def test_working_hours_mistakes_name_the_key(
    tmp_path: Path, hours: dict[str, str], key: str, hint: str
) -> None:
    path = write_config(tmp_path, routing={"working_hours": hours})
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    assert str(caught.value).startswith(f"{path}: {key}: ") and hint in str(caught.value)


def test_working_hours_are_read_per_weekday(tmp_path: Path) -> None:
    hours = {"timezone": "Europe/Madrid", "monday": "08:30-14:00", "sunday": "closed"}
    settings = load_settings(write_config(tmp_path, routing={"working_hours": hours}))
    found = settings.routing.working_hours
    assert found is not None and found.zone == "Europe/Madrid"
    assert found.days[0] == (datetime.time(8, 30), datetime.time(14)) and found.days[6] is None
    assert found.days[1] is None  # not listed: closed
