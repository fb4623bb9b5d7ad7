"""What operators rely on outside the code: the docs, the image, the vendored API reference."""

from __future__ import annotations

import json
import re

import pytest

from bot.__main__ import build_parser
from bot.testing import PROJECT

SHARED_SPEC = PROJECT.parent / "shared" / "telegram" / "bot-api-spec.json"


def test_every_cli_command_is_documented_in_the_readme() -> None:
    readme = (PROJECT / "README.md").read_text(encoding="utf-8")
    parser = build_parser()
    subcommands = next(action for action in parser._actions if action.dest == "command").choices
    assert subcommands
    for name in subcommands:
        assert f"`askdoc {name}" in readme, f"askdoc {name} is not in the README"


def test_the_readme_commands_are_the_ones_ci_runs() -> None:
    readme = (PROJECT / "README.md").read_text(encoding="utf-8")
    assert "$ scripts/start" in readme and "$ scripts/test" in readme
    assert "scripts/test" in (PROJECT / ".ci" / "run").read_text(encoding="utf-8")


def test_dockerfile_runs_askdoc_as_non_root_with_data_on_a_volume() -> None:
    dockerfile = (PROJECT / "Dockerfile").read_text(encoding="utf-8")
    assert re.search(r"^FROM python:3\.\d+-slim", dockerfile, re.MULTILINE)
    assert re.search(r"^USER (?!root)\w+", dockerfile, re.MULTILINE)
    assert 'VOLUME ["/data"]' in dockerfile
    assert "ASKDOC_DB=/data/askdoc.db" in dockerfile
    assert 'CMD ["askdoc", "run"' in dockerfile
    assert "TELEGRAM_BOT_TOKEN" not in dockerfile.split("\n", 1)[1]  # never baked in


@pytest.mark.skipif(not SHARED_SPEC.exists(), reason="../shared/telegram is not beside the project")
def test_vendored_bot_api_reference_is_the_official_one() -> None:
    vendored = json.loads((PROJECT / "bot" / "emulator" / "bot-api-spec.json").read_text())
    assert vendored == json.loads(SHARED_SPEC.read_text())
