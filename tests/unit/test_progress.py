"""Progress of the long steps, as it reads where there is no terminal (logs, CI)."""

from __future__ import annotations

import io

from bot.progress import Progress


def test_without_a_terminal_progress_is_plain_lines_with_rate_and_time_left() -> None:
    out = io.StringIO()
    with Progress("embedding the bank", 300, stream=out, every=0.0) as progress:
        for _ in range(3):
            progress.advance(100)
    lines = out.getvalue().splitlines()
    assert lines[0] == "embedding the bank: 300 questions to do"
    assert lines[1].startswith("embedding the bank: 100/300 (33%),")
    assert "per second, about" in lines[1] and lines[1].endswith("s left")
    assert lines[-1].startswith("embedding the bank: done, 300 in")
    assert len(lines) == 4  # no "left" line once everything is done


def test_a_step_that_fails_does_not_claim_to_be_done() -> None:
    out = io.StringIO()
    try:
        with Progress("importing", 10, stream=out) as progress:
            progress.advance(5)
            raise RuntimeError("the file is broken")
    except RuntimeError:
        pass
    assert "done" not in out.getvalue()
