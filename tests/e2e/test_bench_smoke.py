"""The benchmarks still run: `python -m bench.run --quick --no-write` prints every table.

No timing is asserted (machines are noisy); only that each benchmark produced its rows. The
parts that need ../shared/eval skip themselves (and say so) when it is absent.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from bot.testing import PROJECT, SHARED_EVAL


def test_quick_benchmarks_produce_their_tables() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bench.run", "--quick", "--no-write"],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    out = result.stdout
    for section in (
        "End to end",
        "Replies under faults",
        "Matching at scale",
        "Import",
        "Memory and start-up",
    ):
        assert f"== {section} ==" in out, out[-2000:]
    if not (SHARED_EVAL / "bank.jsonl").is_file():
        pytest.skip("../shared/eval is absent: the benchmarks skipped their measurements")
    # One table row per measurement: both echo bots and AskDoc, paced and burst.
    assert out.count("| paced 30/s, 50 patients |") == 3, out
    assert out.count("raised |") == 3, out
    assert "| echo bot (PTB on AskDoc's aiohttp transport) |" in out, out
    for size in ("| 1,000 | full-text |", "| 17,942 | full-text |", "| 48,976 | full-text |"):
        assert size in out, out
    assert "| Bank.import_entries (the bot's import, no embeddings) |" in out, out
    assert "| AskDoc, 48,976 questions |" in out, out
    if "py-spy is not installed" not in out:
        assert "hottest functions by own time" in out, out
