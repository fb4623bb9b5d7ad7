"""The layering, read from the imports: nothing below the handlers imports Telegram; the
store imports neither the flows nor the matcher; the flows import no Telegram; nothing imports
the app or the command line."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from bot.testing import PROJECT

PACKAGE = PROJECT / "bot"
# Where Telegram may be imported: the wiring, the handlers, the Telegram plumbing, and the
# harnesses that run the whole app (the sandbox, the tests' and benchmarks' harness, the CLI).
TELEGRAM_ALLOWED = (
    "app.py",
    "commands.py",
    "handlers/",
    "messaging/",
    "sandbox.py",
    "testing.py",
    "__main__.py",
    "emulator/",
)


def modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def imports(path: Path) -> Iterator[str]:
    """Every module `path` imports (absolute names)."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module
            yield from (f"{node.module}.{alias.name}" for alias in node.names)


def name(path: Path) -> str:
    return path.relative_to(PACKAGE).as_posix()


def violations(paths: list[Path], forbidden: tuple[str, ...]) -> list[str]:
    """`module imports name` for each import of a forbidden prefix."""
    return [
        f"{name(path)} imports {module}"
        for path in paths
        for module in imports(path)
        if module.startswith(forbidden)
    ]


def test_telegram_is_imported_only_at_the_edges() -> None:
    below = [path for path in modules() if not name(path).startswith(TELEGRAM_ALLOWED)]
    assert len(below) > 10
    assert violations(below, ("telegram",)) == []


def test_nothing_imports_the_app_or_the_command_line() -> None:
    importers = [p for p in modules() if name(p) not in ("__main__.py", "sandbox.py", "testing.py")]
    assert violations(importers, ("bot.app", "bot.__main__")) == []


def test_the_store_knows_nothing_above_it() -> None:
    above = ("bot.flows", "bot.matching", "bot.handlers", "bot.messaging", "bot.commands")
    assert violations(sorted((PACKAGE / "store").glob("*.py")), (*above, "telegram")) == []


def test_the_flows_decide_without_telegram_or_handlers() -> None:
    forbidden = ("telegram", "bot.handlers", "bot.messaging", "bot.commands")
    assert violations(sorted((PACKAGE / "flows").glob("*.py")), forbidden) == []
