"""Memory and start-up: the bot process's peak RSS idle and under load, and the time from
process start to its first getUpdates, with the 1,000,000-question database (quick: 48,976),
beside the bare echo bot and AskDoc with the 17,942 bank in the same run.

python -m bench.memory_startup [--quick] [--no-write]   # from the project's folder
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from bench.common import (
    BANK,
    BANK_LOAD,
    CACHE,
    ENGLISH_ONLY,
    FOUR_LANGUAGES,
    PROJECT,
    Section,
    Table,
    askdoc_import,
    benchmark,
    cached_database,
    median,
    memory_kb,
    reset_peak_rss,
    standalone,
)
from bench.e2e import (
    RAISED,
    BotProcess,
    LoadResult,
    bank_database,
    drive,
    load_queries,
    with_bot,
)
from bench.matching_scale import MILLION, million_bank, million_bank_encoded
from bench.million import first_lines

ENCODED_ROW = "AskDoc, 1,000,000 questions, encoder on"
# --quick embeds only this many bank questions: embedding all of them for the multilingual
# encoder takes minutes, too long for CI's smoke test.
QUICK_EMBEDDED = 1_000
CROSSLINGUAL = PROJECT / "bench" / "data" / "queries-crosslingual.jsonl"


@dataclass(frozen=True)
class Bot:
    """One row: which bot, on which database, with which encoder setting and languages; the
    burst it answers, when not the shared one."""

    label: str
    kind: str
    database: Path | None
    encoder: str
    languages: tuple[str, ...] = ENGLISH_ONLY
    burst: list[str] | None = None


def mixed_burst(burst: list[str]) -> list[str]:
    """The burst with every other question replaced by one in Spanish, Russian or Arabic."""
    with CROSSLINGUAL.open(encoding="utf-8") as handle:
        others = [json.loads(line)["query"] for line in handle if line.strip()]
    return [others[i % len(others)] if i % 2 else text for i, text in enumerate(burst)]


async def measure(
    folder: Path, bots: list[Bot], shared_burst: list[str], starts: int
) -> list[tuple[str, list[float], int, int, int, LoadResult]]:
    rows = []
    for bot_row in bots:
        label, kind, database, encoder = (
            bot_row.label,
            bot_row.kind,
            bot_row.database,
            bot_row.encoder,
        )
        languages = bot_row.languages
        burst = bot_row.burst or shared_burst
        startups: list[float] = []
        for _ in range(starts - 1):

            async def started(bot: BotProcess, startups: list[float] = startups) -> LoadResult:
                startups.append(bot.startup_seconds)
                raise _Done

            with contextlib.suppress(_Done):
                await with_bot(
                    kind,
                    folder,
                    started,
                    database=database,
                    telegram=RAISED,
                    encoder=encoder,
                    languages=languages,
                )
        peaks: dict[str, int] = {}

        async def load(
            bot: BotProcess,
            startups: list[float] = startups,
            peaks: dict[str, int] = peaks,
            burst: list[str] = burst,
        ) -> LoadResult:
            startups.append(bot.startup_seconds)
            await asyncio.sleep(2.0)
            peaks["start"] = memory_kb(bot.pid)["VmHWM"]
            peaks["idle"] = memory_kb(bot.pid)["VmRSS"]
            reset_peak_rss(bot.pid)
            return await drive(bot, burst, rate=None, patients=len(burst), limit_seconds=600)

        print(f"  {label}...", file=sys.stderr, flush=True)
        result = await with_bot(
            kind,
            folder,
            load,
            database=database,
            telegram=RAISED,
            encoder=encoder,
            languages=languages,
        )
        rows.append((label, startups, peaks["start"], peaks["idle"], result.rss_peak_kb, result))
    return rows


def quick_bank_slice() -> Path:
    """The bank's first QUICK_EMBEDDED questions, written once into the cache folder (so its
    mtime, and with it the cached databases' key, stays put)."""
    target = CACHE / f"bank-first-{QUICK_EMBEDDED}.jsonl"
    if not target.is_file():
        CACHE.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(".part")
        first_lines(BANK, partial, QUICK_EMBEDDED)
        partial.replace(target)
    return target


class _Done(Exception):
    pass


@benchmark("Memory and start-up")
def run(section: Section, quick: bool = False) -> None:
    bank = cached_database("bank-off", BANK, lambda p: askdoc_import(BANK, p))
    if quick:
        big_size = 48_976
        big = cached_database("bankload-off", BANK_LOAD, lambda p: askdoc_import(BANK_LOAD, p))
    else:
        big_size, big = MILLION, million_bank()
    queries = load_queries()
    burst = [queries[(i * 7) % len(queries)] for i in range(40 if quick else 500)]
    if quick:
        embedded_size = QUICK_EMBEDDED
        embedded_source = quick_bank_slice()
        english_embedded = cached_database(
            "bank-slice-auto",
            embedded_source,
            lambda p: askdoc_import(embedded_source, p, encoder="auto"),
            embedded=True,
        )
    else:
        embedded_size, embedded_source, english_embedded = 17_942, BANK, bank_database("auto")
    multilingual = cached_database(
        "four-languages-bank" + ("-slice" if quick else ""),
        embedded_source,
        lambda p: askdoc_import(embedded_source, p, encoder="auto", languages=FOUR_LANGUAGES),
        embedded=True,
    )
    bots = [
        Bot("echo bot (bare PTB)", "echo", None, "off"),
        Bot("AskDoc, 17,942 questions", "askdoc", bank, "off"),
        Bot(f"AskDoc, {big_size:,} questions", "askdoc", big, "off"),
        Bot(f"AskDoc, {embedded_size:,} questions, encoder on", "askdoc", english_embedded, "auto"),
        Bot(
            f"AskDoc, {embedded_size:,} questions, encoder on, en/es/ru/ar",
            "askdoc",
            multilingual,
            "auto",
            FOUR_LANGUAGES,
            mixed_burst(burst),
        ),
    ]
    if not quick:
        bots.append(Bot(ENCODED_ROW, "askdoc", million_bank_encoded(), "auto"))
    starts = 1 if quick else 3
    with tempfile.TemporaryDirectory(prefix="askdoc-mem-") as tmp:
        rows = asyncio.run(measure(Path(tmp), bots, burst, starts))
    table = Table(
        "Resident memory and start-up of the bot process (encoder off unless said)",
        [
            "bot",
            "start-up to first getUpdates, median s",
            "peak RSS during start-up MB",
            "RSS idle MB",
            f"peak RSS under a {len(burst)}-question burst MB",
            "answered",
        ],
    )
    echo_start = median(rows[0][1])
    for label, startups, start_peak, idle, peak, result in rows:
        table.add(
            label,
            f"{median(startups):.2f} ({median(startups) / echo_start:.1f}x echo)",
            f"{start_peak / 1024:.0f}",
            f"{idle / 1024:.0f}",
            f"{peak / 1024:.0f}",
            f"{result.answered}/{result.asked}",
        )
    table.notes = [
        f"Start-up: median of {starts} start(s), from the process being spawned to the emulator"
        " receiving its first getUpdates (the bot imports the answers folder, opens the"
        " database and publishes its commands first). RSS from /proc/<pid>/status (VmRSS,"
        " VmHWM); the peak is reset after start-up (clear_refs) so the load column is the"
        " load's own peak. With `matching.encoder: auto` the bot holds a bank's vectors as int8"
        " with a scale and an id each, and from 200,000 questions on only their signs and an id"
        f" ({MILLION * (48 + 8) / 2**20:,.0f} MB for a million, where int8 would take"
        f" {MILLION * (384 + 4 + 8) / 2**20:,.0f} MB and float32 {MILLION * 384 * 4 / 2**20:,.0f}"
        " MB). The encoded million's vectors are made as bench/matching_scale.py's"
        " million_bank_encoded says. The other rows speak English only; the en/es/ru/ar row"
        " also loads the multilingual encoder and the bank's vectors from it, and every other"
        " question of its burst is in Spanish, Russian or Arabic."
    ]
    section.tables.append(table)
    for label, _, start_peak, _, peak, _ in rows:
        if label == ENCODED_ROW:
            peak_mb = max(start_peak, peak) / 1024
            section.targets.append(
                (
                    f"peak RSS ≤ 300 MB with 1,000,000 questions, encoder on ({peak_mb:.0f} MB)",
                    peak_mb <= 300,
                )
            )
    big_row = rows[2]
    big_peak_mb = max(big_row[2], big_row[4]) / 1024
    if big_size == MILLION:
        section.targets.append(
            (
                f"peak RSS ≤ 200 MB with 1,000,000 questions ({big_peak_mb:.0f} MB, encoder off)",
                big_peak_mb <= 200,
            )
        )
        section.targets.append(
            (
                f"start-up ≤ 2 s with 1,000,000 questions ({median(big_row[1]):.2f} s)",
                median(big_row[1]) <= 2,
            )
        )


def main() -> None:
    standalone("bench.memory_startup", lambda args: run(args.quick), __doc__)


if __name__ == "__main__":
    main()
