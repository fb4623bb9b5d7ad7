"""The soak's short version: a few hundred random updates with 5% of requests failing or
hanging and one SIGKILL, judged for loss, doubles, the disclaimer, wrong-user and forged
presses, privacy and tracebacks (bench/soak.py; the README says how to run the long one)."""

from __future__ import annotations

from bench import soak


async def test_a_short_soak_loses_nothing_and_doubles_nothing() -> None:
    verdict = await soak.run(seed=11, updates=300, kills=1, faults=0.05)
    assert verdict.ok, verdict.summary()
    assert verdict.questions > 100 and len(verdict.latencies_ms) > 50
