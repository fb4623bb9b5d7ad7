"""Replies while Telegram misbehaves: patients asking at 30 questions a second, with 5% of the
bot's sendMessage requests failing (500) or hanging past the client's timeout, beside the same
load without faults, alternated in one run. A fault must delay only the chat it hits."""

from __future__ import annotations

import asyncio
import sys
import tempfile
from pathlib import Path

from bench.common import Section, Table, benchmark, median, percentile, standalone
from bench.e2e import BotProcess, LoadResult, bank_database, drive, load_queries, with_bot

FAULT_SHARE = 0.05
# Longer than the transport's 5 s read timeout: the bot gives up on the request and retries.
HANG_SECONDS = 10.0
PATIENTS = 50
RATE = 30.0


async def measure(quick: bool, folder: Path) -> list[tuple[str, list[LoadResult]]]:
    count = 150 if quick else 900
    rounds = 1 if quick else 3
    queries = load_queries()
    questions = [queries[i % len(queries)] for i in range(count)]
    database = bank_database("off")
    runs: dict[str, list[LoadResult]] = {"no faults": [], "5% faults": []}
    for round_number in range(rounds):
        for label, share in (("no faults", 0.0), ("5% faults", FAULT_SHARE)):

            async def run(
                bot: BotProcess, share: float = share, seed: int = round_number
            ) -> LoadResult:
                if share:
                    bot.emulator.inject_random_faults(
                        "sendMessage", share, ("500", "timeout"), delay=HANG_SECONDS, seed=seed
                    )
                return await drive(bot, questions, rate=RATE, patients=PATIENTS, limit_seconds=120)

            print(f"  {label}, run {round_number + 1}...", file=sys.stderr, flush=True)
            runs[label].append(await with_bot("askdoc", folder, run, database=database))
    return list(runs.items())


@benchmark("Replies under faults")
def run(section: Section, quick: bool = False) -> None:
    with tempfile.TemporaryDirectory(prefix="askdoc-faults-") as tmp:
        measured = asyncio.run(measure(quick, Path(tmp)))
    table = Table(
        f"Patients asking at {RATE:.0f}/s ({PATIENTS} patients), with and without"
        f" {FAULT_SHARE:.0%} of sendMessage failing or hanging",
        ["run", "asked", "answered", "p50 ms", "p99 ms", "max ms", "every run's p50 / p99 ms"],
    )
    for label, results in measured:
        latencies = sorted(ms for result in results for ms in result.latencies_ms)
        table.add(
            label,
            sum(result.asked for result in results),
            sum(result.answered for result in results),
            median(latencies),
            percentile(latencies, 0.99),
            max(latencies, default=float("nan")),
            ", ".join(
                f"{median(r.latencies_ms):.0f} / {percentile(r.latencies_ms, 0.99):.0f}"
                for r in results
            ),
        )
    table.notes = [
        "Latency: from the patient's message queued in the emulator to the first reply the"
        " emulator stored for it. Faults: each sendMessage is refused with a 500, or hangs"
        f" {HANG_SECONDS:.0f} s and then fails (past the bot's 5 s read timeout), with"
        f" probability {FAULT_SHARE:.0%} (seeded); a refused reply waits in the outbox for its"
        " retry (1 s, then 2 s...). Runs with and without faults alternate; the bot and the"
        " emulator are fresh for each; the encoder is off; the 17,942-question bank.",
    ]
    section.tables.append(table)
    faulty = next(results for label, results in measured if label != "no faults")
    latencies = [ms for result in faulty for ms in result.latencies_ms]
    section.targets.append(
        (
            f"with {FAULT_SHARE:.0%} faults every question answered and first reply p50 ≤ 2 s,"
            f" p99 ≤ 15 s ({median(latencies):.0f} / {percentile(latencies, 0.99):.0f} ms)",
            all(r.answered == r.asked for r in faulty)
            and median(latencies) <= 2000
            and percentile(latencies, 0.99) <= 15000,
        )
    )


def main() -> None:
    standalone("bench.faults", lambda args: run(args.quick), __doc__)


if __name__ == "__main__":
    main()
