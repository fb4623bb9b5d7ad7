"""Fixtures for unit tests of the store and the flows: a fresh store on a real SQLite file, and
the flows' services over it (the project's config, the encoder off, the seed bank imported)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from bot.bank_files import read_question_folder
from bot.config import load_settings
from bot.flows import Services
from bot.models import DoctorProfile
from bot.store import Store
from bot.testing import PROJECT, write_config

# The doctors and admin the flow tests' config lists.
DERMATOLOGIST = 501
GP = 502
ADMIN = 900
PATIENT = 1001
OTHER_PATIENT = 1002

MakeServices = Callable[..., Awaitable[Services]]


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[Store]:
    """An empty store on a new database file."""
    opened = await Store.open(tmp_path / "askdoc.db")
    try:
        yield opened
    finally:
        await opened.close()


@pytest.fixture
async def make_services(tmp_path: Path) -> AsyncIterator[MakeServices]:
    """Services over a new database with the seed bank, two doctors and an admin; keyword
    arguments override config sections (as bot.testing.write_config takes them)."""
    opened: list[Store] = []

    async def factory(**overrides: Any) -> Services:
        sections: dict[str, Any] = {
            "matching": {"encoder": "off"},
            "doctors": [
                {
                    "telegram_id": DERMATOLOGIST,
                    "name": "Dr. Skin",
                    "title": "Dermatologist",
                    "location": "Austin",
                    "specialties": ["dermatology", "skin", "acne"],
                },
                {
                    "telegram_id": GP,
                    "name": "Dr. General",
                    "title": "GP",
                    "location": "Boston",
                },
            ],
            "admins": [{"telegram_id": ADMIN}],
        }
        settings = load_settings(
            write_config(tmp_path, None, PROJECT / "config.yaml", **{**sections, **overrides})
        )
        store = await Store.open(settings.database)
        opened.append(store)
        await store.bank.import_entries(read_question_folder(settings.answers_dir))
        await store.doctors.sync_config(
            [
                DoctorProfile(d.telegram_id, d.name, d.title, d.location, d.specialties)
                for d in settings.doctors
            ]
        )
        return Services(settings=settings, store=store)

    yield factory
    for store in opened:
        await store.close()


@pytest.fixture
async def services(make_services: MakeServices) -> Services:
    """Services with the default test config."""
    return await make_services()
