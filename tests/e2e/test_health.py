"""`askdoc health`, the container's health check: fresh while `askdoc run` serves (it touches
the ASKDOC_HEARTBEAT file), unhealthy with a one-line reason once it stops or never started."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import time
from pathlib import Path

import pytest

from bot.__main__ import main
from bot.emulator import TelegramEmulator
from bot.testing import TOKEN, askdoc_process, write_config


async def askdoc(*args: str, heartbeat: Path | None) -> tuple[int, str]:
    """Run `askdoc ARGS` as a process; its exit status and its output (stdout and stderr)."""
    process = await askdoc_process(
        *args,
        env={"ASKDOC_HEARTBEAT": str(heartbeat) if heartbeat is not None else None},
        stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await asyncio.wait_for(process.communicate(), 30)
    assert process.returncode is not None
    return process.returncode, output.decode()


async def test_healthy_while_the_bot_runs_and_not_after(
    emulator: TelegramEmulator, tmp_path: Path
) -> None:
    heartbeat = tmp_path / "heartbeat"
    heartbeat.write_text("left by an earlier run\n")
    os.utime(heartbeat, (time.time(), time.time()))
    config = write_config(tmp_path)
    process = await askdoc_process(
        "run",
        "--config",
        str(config),
        env={
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_API_BASE_URL": emulator.base_url,
            "ASKDOC_HEARTBEAT": str(heartbeat),
        },
    )
    try:
        # The bot replaces the earlier run's file once it serves (first beat at start).
        for _ in range(300):
            if heartbeat.exists() and heartbeat.read_text() != "left by an earlier run\n":
                break
            await asyncio.sleep(0.05)
        else:
            raise AssertionError("the bot never wrote its heartbeat")
        assert float(heartbeat.read_text()) == pytest.approx(time.time(), abs=30)
        status, output = await askdoc("health", heartbeat=heartbeat)
        assert status == 0, output
        assert re.fullmatch(r"healthy: heartbeat [0-9] s ago\n", output)
    finally:
        process.send_signal(signal.SIGTERM)
        _, stderr = await asyncio.wait_for(process.communicate(), 30)
    assert process.returncode == 0, stderr.decode()

    await asyncio.sleep(1.2)
    status, output = await askdoc("health", "--max-age", "1", heartbeat=heartbeat)
    assert status == 1
    assert output.startswith(f"unhealthy: the heartbeat at {heartbeat} is ")
    assert output.endswith(" s old (more than 1 s): the bot is stuck or stopped\n")
    assert output.count("\n") == 1


async def test_unhealthy_without_a_heartbeat_file(tmp_path: Path) -> None:
    status, output = await askdoc("health", heartbeat=tmp_path / "missing")
    assert status == 1
    missing = tmp_path / "missing"
    assert output == f"unhealthy: no heartbeat at {missing}: the bot is not running (yet)\n"


def test_unhealthy_when_no_heartbeat_is_configured(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["health"], {}) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("unhealthy: ASKDOC_HEARTBEAT is not set")
    assert captured.err.count("\n") == 1


def test_a_fresh_file_is_healthy_and_max_age_decides(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    heartbeat = tmp_path / "heartbeat"
    heartbeat.write_text("0\n")
    ten_seconds_ago = time.time() - 10
    os.utime(heartbeat, (ten_seconds_ago, ten_seconds_ago))
    environ = {"ASKDOC_HEARTBEAT": str(heartbeat)}
    assert main(["health"], environ) == 0
    assert capsys.readouterr().out == "healthy: heartbeat 10 s ago\n"
    assert main(["health", "--max-age", "5"], environ) == 1
    assert "is 10 s old (more than 5 s)" in capsys.readouterr().err
