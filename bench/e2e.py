"""End to end: simulated patients ask through the Telegram emulator over HTTP; the real bot
(`askdoc run`, a subprocess, long polling) answers from the 17,942-question bank. The baseline,
in the same run and on the same emulator: a bare python-telegram-bot echo bot (echo_bot.py).

Two modes: paced at Telegram's pace (30 questions a second from 50 patients) and a burst of
500 questions at once with the bot's send limits raised in its config.

python -m bench.e2e [--quick] [--no-write] [--encoder off|auto|both]   # from the project's folder
"""

from __future__ import annotations

import asyncio
import collections
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from bench.common import (
    BANK,
    BIN,
    ENGLISH_ONLY,
    PROJECT,
    QUERIES,
    TOKEN,
    Section,
    Table,
    askdoc_import,
    benchmark,
    cached_database,
    copy_database,
    cpu_seconds,
    median,
    memory_kb,
    percentile,
    standalone_with_encoders,
    write_config,
)
from bot.emulator import BotMessage, TelegramEmulator

RAISED = {"messages_per_second": 1000, "messages_per_chat_per_second": 100}


def load_queries(limit: int | None = None) -> list[str]:
    """The dev queries' text, in file order."""
    texts: list[str] = []
    with QUERIES.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                texts.append(json.loads(line)["query"])
    return texts[:limit] if limit else texts


def bank_database(encoder: str) -> Path:
    """bank.jsonl imported by `askdoc import` (embedded too when encoder is auto), cached."""
    return cached_database(
        f"bank-{encoder}",
        BANK,
        lambda path: askdoc_import(BANK, path, encoder=encoder),
        embedded=encoder == "auto",
    )


@dataclass
class BotProcess:
    """A bot as a subprocess talking to the emulator; knows when it started polling."""

    kind: str  # "echo", "echo-aiohttp" or "askdoc"
    emulator: TelegramEmulator
    folder: Path
    database: Path | None = None
    telegram: Mapping[str, int] = field(default_factory=dict)
    encoder: str = "off"
    languages: tuple[str, ...] = ENGLISH_ONLY
    process: subprocess.Popen[bytes] | None = None
    started_at: float = 0.0
    startup_seconds: float = float("nan")

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def command(self) -> tuple[list[str], Path]:
        """The command line and the folder to run it in."""
        if self.kind in ("echo", "echo-aiohttp"):
            # A module of this package: run from the project's folder, which holds `bench`.
            echo = [sys.executable, "-m", "bench.echo_bot"]
            return ([*echo, "--aiohttp"] if self.kind == "echo-aiohttp" else echo), PROJECT
        assert self.database is not None
        config = write_config(
            self.folder,
            self.database,
            telegram=self.telegram,
            matching={"encoder": self.encoder},
            languages=list(self.languages),
        )
        return [str(BIN / "askdoc"), "run", "--config", str(config)], self.folder

    async def start(self, limit_seconds: float = 120.0) -> None:
        """Start the process; returns once it sent its first getUpdates."""
        env = {
            **os.environ,
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_API_BASE_URL": self.emulator.base_url,
        }
        env.pop("ASKDOC_DB", None)
        command, cwd = self.command()
        log = (self.folder / f"{self.kind}.log").open("wb")
        seen = len(self.emulator.requests_for("getUpdates"))
        self.started_at = time.perf_counter()
        self.process = subprocess.Popen(  # noqa: ASYNC220 (never awaited)
            command, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=cwd
        )
        deadline = self.started_at + limit_seconds
        while len(self.emulator.requests_for("getUpdates")) <= seen:
            if self.process.poll() is not None:
                tail = (self.folder / f"{self.kind}.log").read_text(errors="replace")[-3000:]
                raise RuntimeError(f"{self.kind} bot exited:\n{tail}")
            if time.perf_counter() > deadline:
                raise TimeoutError(f"{self.kind} bot did not poll within {limit_seconds} s")
            await asyncio.sleep(0.002)
        self.startup_seconds = time.perf_counter() - self.started_at

    async def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        for _ in range(200):
            if self.process.poll() is not None:
                return
            await asyncio.sleep(0.05)
        self.process.kill()
        self.process.wait()


@dataclass
class LoadResult:
    asked: int
    answered: int
    latencies_ms: list[float]
    seconds: float
    cpu_seconds: float
    idle_cpu_per_second: float
    rss_idle_kb: int
    rss_peak_kb: int
    startup_seconds: float

    @property
    def rate(self) -> float:
        return self.answered / self.seconds if self.seconds > 0 else float("nan")

    @property
    def cpu_ms_per_answer(self) -> float:
        return 1000 * self.cpu_seconds / self.answered if self.answered else float("nan")


class ReplyLedger:
    """Listens to the emulator: each patient's questions wait in order, and each reply the bot
    stores for that chat answers the oldest one. AskDoc sends one reply per question (an
    emergency notice is at the top of it); so does the echo bot."""

    def __init__(self) -> None:
        self.waiting: dict[int, collections.deque[float]] = collections.defaultdict(
            collections.deque
        )
        self.latencies_ms: list[float] = []
        self.last_reply = 0.0

    def ask(self, chat_id: int) -> None:
        self.waiting[chat_id].append(time.perf_counter())

    def __call__(self, kind: str, payload: object) -> None:
        if kind != "message" or not isinstance(payload, BotMessage):
            return
        now = time.perf_counter()
        queue = self.waiting.get(payload.chat_id)
        if queue:
            self.latencies_ms.append(1000 * (now - queue.popleft()))
            self.last_reply = now


async def drive(
    bot: BotProcess,
    questions: list[str],
    *,
    rate: float | None,
    patients: int,
    limit_seconds: float = 180.0,
    idle_seconds: float = 1.0,
) -> LoadResult:
    """Ask the questions from `patients` patients in turn, at `rate` a second (all at once when
    None), and wait until every one is answered or `limit_seconds` pass after the last."""
    emulator = bot.emulator
    pid = bot.pid
    # Idle: the bot's CPU while nobody writes (polling and the outbox job), reported beside.
    idle_start = cpu_seconds(pid)
    await asyncio.sleep(idle_seconds)
    idle_rate = (cpu_seconds(pid) - idle_start) / idle_seconds
    rss_idle = memory_kb(pid)["VmRSS"]
    ledger = ReplyLedger()
    emulator.add_listener(ledger)
    users = [emulator.new_user(f"P{i}") for i in range(patients)]
    cpu_before = cpu_seconds(pid)
    first_send = time.perf_counter()
    for index, text in enumerate(questions):
        if rate is not None:
            delay = first_send + index / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
        user = users[index % patients]
        ledger.ask(user.chat_id)
        await emulator.send_text(user, text)
    deadline = time.perf_counter() + limit_seconds
    while len(ledger.latencies_ms) < len(questions) and time.perf_counter() < deadline:  # noqa: ASYNC110
        await asyncio.sleep(0.005)
    # Let trailing work of the last question (the outbox write after the send) finish.
    await asyncio.sleep(0.2)
    cpu_used = cpu_seconds(pid) - cpu_before
    return LoadResult(
        asked=len(questions),
        answered=len(ledger.latencies_ms),
        latencies_ms=ledger.latencies_ms,
        seconds=ledger.last_reply - first_send,
        cpu_seconds=cpu_used,
        idle_cpu_per_second=idle_rate,
        rss_idle_kb=rss_idle,
        rss_peak_kb=memory_kb(pid)["VmHWM"],
        startup_seconds=bot.startup_seconds,
    )


async def with_bot(
    kind: str,
    folder: Path,
    run: Callable[[BotProcess], Awaitable[LoadResult]],
    *,
    database: Path | None = None,
    telegram: Mapping[str, int] | None = None,
    encoder: str = "off",
    languages: tuple[str, ...] = ENGLISH_ONLY,
) -> LoadResult:
    """A fresh emulator and bot process for one measurement."""
    async with TelegramEmulator(token=TOKEN, bot_username="askdoc_bench_bot") as emulator:
        workdir = Path(tempfile.mkdtemp(prefix=f"{kind}-", dir=folder))
        db = copy_database(database, workdir / "askdoc.db") if database else None
        bot = BotProcess(
            kind,
            emulator,
            workdir,
            db,
            telegram=telegram or {},
            encoder=encoder,
            languages=languages,
        )
        await bot.start()
        try:
            return await run(bot)
        finally:
            await bot.stop()


@dataclass
class Variant:
    label: str
    kind: str
    encoder: str = "off"


def variants(encoders: list[str]) -> list[Variant]:
    found = [
        Variant("echo bot (bare PTB)", "echo"),
        Variant("echo bot (PTB on AskDoc's aiohttp transport)", "echo-aiohttp"),
    ]
    for encoder in encoders:
        name = "full-text only" if encoder == "off" else "with sentence encoder"
        found.append(Variant(f"AskDoc, {name} (encoder: {encoder})", "askdoc", encoder))
    return found


# Runs per bot and mode, interleaved so that a noisy minute spreads over all of them; the table
# shows the median run by CPU per answer. The encoder's runs take minutes: those run once.
ROUNDS = 3


async def measure(
    quick: bool, encoders: list[str], folder: Path
) -> list[tuple[Variant, str, list[LoadResult]]]:
    paced_count = 45 if quick else 900
    burst_count = 40 if quick else 500
    queries = load_queries()
    paced = [queries[i % len(queries)] for i in range(paced_count)]
    burst = [queries[(i * 7) % len(queries)] for i in range(burst_count)]
    databases = {encoder: bank_database(encoder) for encoder in encoders}
    modes = ("paced", "burst")
    runs: dict[tuple[str, str], list[LoadResult]] = collections.defaultdict(list)
    for round_number in range(1 if quick else ROUNDS):
        for variant in variants(encoders):
            if round_number > 0 and variant.encoder != "off":
                continue
            database = databases.get(variant.encoder) if variant.kind == "askdoc" else None
            for mode in modes:
                telegram = RAISED if mode == "burst" else {}

                async def run(bot: BotProcess, mode: str = mode) -> LoadResult:
                    if mode == "paced":
                        return await drive(bot, paced, rate=30.0, patients=50)
                    return await drive(bot, burst, rate=None, patients=len(burst))

                print(
                    f"  {variant.label}, {mode}, run {round_number + 1}...",
                    file=sys.stderr,
                    flush=True,
                )
                result = await with_bot(
                    variant.kind,
                    folder,
                    run,
                    database=database,
                    telegram=telegram,
                    encoder=variant.encoder,
                )
                runs[variant.label, mode].append(result)
    return [(v, mode, runs[v.label, mode]) for v in variants(encoders) for mode in modes]


def median_run(results: list[LoadResult]) -> LoadResult:
    """The run whose CPU per answer is the median (a whole run, so its columns agree)."""
    ordered = sorted(results, key=lambda result: result.cpu_ms_per_answer)
    return ordered[len(ordered) // 2]


@benchmark("End to end")
def run(section: Section, quick: bool = False, encoders: list[str] | None = None) -> None:
    encoders = encoders or (["off"] if quick else ["off", "auto"])
    with tempfile.TemporaryDirectory(prefix="askdoc-e2e-") as tmp:
        measured = asyncio.run(measure(quick, encoders, Path(tmp)))
    results = [(variant, mode, median_run(runs)) for variant, mode, runs in measured]
    all_cpu = {
        (variant.label, mode): sorted(run.cpu_ms_per_answer for run in runs)
        for variant, mode, runs in measured
    }
    table = Table(
        "Patients asking through the emulator (HTTP, long polling), bot as a subprocess",
        [
            "bot",
            "mode",
            "asked",
            "answered",
            "answered/s",
            "p50 ms",
            "p99 ms",
            "CPU ms / answer",
            "every run's CPU ms / answer",
            "x echo CPU",
            "idle CPU ms/s",
            "start-up s",
            "RSS idle / peak MB",
        ],
    )
    echo_cpu = {mode: r.cpu_ms_per_answer for v, mode, r in results if v.kind == "echo"}
    for variant, mode, result in results:
        label = "paced 30/s, 50 patients" if mode == "paced" else f"burst {result.asked}, raised"
        table.add(
            variant.label,
            label,
            result.asked,
            result.answered,
            result.rate,
            median(result.latencies_ms),
            percentile(result.latencies_ms, 0.99),
            result.cpu_ms_per_answer,
            ", ".join(f"{cpu:.1f}" for cpu in all_cpu[variant.label, mode]),
            f"{result.cpu_ms_per_answer / echo_cpu[mode]:.1f}x",
            1000 * result.idle_cpu_per_second,
            f"{result.startup_seconds:.2f}",
            f"{result.rss_idle_kb / 1024:.0f} / {result.rss_peak_kb / 1024:.0f}",
        )
    table.notes = [
        f"Each row is the median of {ROUNDS} runs by CPU per answer (quick: 1; the sentence"
        " encoder's rows: 1 run), the runs of all bots interleaved."
        " Latency: from the patient's message being queued in the emulator to the reply the"
        " emulator stored for it (getUpdates long poll, the handler, the outbox, sendMessage);"
        " a patient's replies answer their questions in order (an emergency notice is at the"
        " top of its reply, not a message of its own)."
        " CPU: user+system time of the bot process (all threads, /proc/<pid>/stat) over the run,"
        " divided by answered questions; it includes idle polling and the outbox job (the idle"
        " column is that cost per second, measured for 1 s before the load). Burst: one question"
        " per patient, `telegram.messages_per_second: 1000` and"
        " `messages_per_chat_per_second: 100` (its maximum) in the config. AskDoc's replies"
        " pass through its SQLite outbox and per-chat pacing (a burst of 3, then the per-chat"
        " rate)."
        " Questions: the `query` text of ../shared/eval/queries-dev.jsonl.",
    ]
    section.tables.append(table)
    for variant, mode, result in results:
        if variant.kind != "askdoc":
            continue
        tag = variant.label
        if mode == "paced":
            section.targets.append(
                (
                    f"{tag}: at Telegram's pace every question answered"
                    f" ({result.answered}/{result.asked}) and p99 ≤ 100 ms"
                    f" ({percentile(result.latencies_ms, 0.99):.0f} ms)",
                    result.answered == result.asked
                    and percentile(result.latencies_ms, 0.99) <= 100,
                )
            )
            section.targets.append(
                (
                    f"{tag}: CPU ≤ 10 ms per answered question ({result.cpu_ms_per_answer:.1f} ms"
                    f" paced; echo bot {echo_cpu['paced']:.1f} ms)",
                    result.cpu_ms_per_answer <= 10,
                )
            )
            section.targets.append(
                (
                    f"{tag}: start-up ≤ 2 s to the first getUpdates with the 17,942-question"
                    f" bank ({result.startup_seconds:.2f} s)",
                    result.startup_seconds <= 2,
                )
            )
        else:
            section.targets.append(
                (
                    f"{tag}: burst ≥ 100 answered/s with limits raised ({result.rate:.0f}/s,"
                    f" {result.answered}/{result.asked} answered)",
                    result.rate >= 100 and result.answered == result.asked,
                )
            )
            section.targets.append(
                (
                    f"{tag}: CPU ≤ 10 ms per answered question at full load"
                    f" ({result.cpu_ms_per_answer:.1f} ms in the burst; echo bot"
                    f" {echo_cpu['burst']:.1f} ms)",
                    result.cpu_ms_per_answer <= 10,
                )
            )


def main() -> None:
    standalone_with_encoders("bench.e2e", run, __doc__, None)


if __name__ == "__main__":
    main()
