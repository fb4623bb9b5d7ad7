"""Where the bot's CPU goes per answered question: py-spy samples every thread of the running
`askdoc run` process (and, as the baseline, the echo bot's) while patients ask at Telegram's
pace; the hottest functions by own time and by inclusive time are tabulated.

python -m bench.profile_bot [--quick] [--no-write] [--encoder off|auto|both]   # project folder
"""

from __future__ import annotations

import asyncio
import collections
import re
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from bench.common import (
    BIN,
    TOKEN,
    Section,
    Table,
    benchmark,
    copy_database,
    standalone_with_encoders,
    write_config,
)
from bench.e2e import BotProcess, LoadResult, bank_database, drive, load_queries, with_bot

TOP = 15


def py_spy() -> str | None:
    found = BIN / "py-spy"
    return str(found) if found.exists() else shutil.which("py-spy")


def _frame(raw: str) -> str:
    """'func (pkg/sub/file.py:123)' -> 'func (pkg/file.py)'; the line is dropped to aggregate.

    py-spy names files relative to their sys.path entry ("telegram/ext/_application.py")."""
    name, _, where = raw.partition(" (")
    file = where.rstrip(")").rsplit(":", 1)[0]
    parts = Path(file).parts
    if "site-packages" in parts:
        parts = parts[parts.index("site-packages") + 1 :]
    elif "bot" in parts:
        parts = parts[parts.index("bot") :]
    if parts and parts[0] == "bot":
        short = "/".join(parts)
    elif len(parts) > 1:
        short = f"{parts[0]}/{parts[-1]}"
    else:
        short = file
    return f"{name} ({short})"


CATEGORIES = (
    "SQLite statements (aiosqlite worker thread)",
    "sentence encoder (onnxruntime, tokenizers, numpy)",
    "matching in Python (bot/matching.py)",
    "failed imports retried per request (importlib)",
    "HTTP client (aiohttp; the echo bot: httpx, httpcore, h11, anyio)",
    "PTB objects (telegram/*: de_json, to_dict...)",
    "aiosqlite hand-off on the loop (_execute, wake-ups)",
    "event loop select / socket writes",
    "other (asyncio, PTB dispatch, handlers)",
)
_HTTP_PACKAGES = ("(aiohttp/", "(yarl/", "(multidict/", "(httpx/", "(httpcore/", "(h11/", "(anyio/")
# Whether a stack belongs to a category, from its frames joined by ";" and its leaf frame.
Rule = Callable[[str, str], bool]
RULES: tuple[Rule, ...] = (
    lambda joined, leaf: "_connection_worker_thread" in joined,
    lambda joined, leaf: any(n in joined for n in ("onnxruntime", "embeddings.py", "tokenizers")),
    lambda joined, leaf: "bot/matching.py" in joined,
    lambda joined, leaf: "importlib" in joined,
    lambda joined, leaf: any(n in joined for n in _HTTP_PACKAGES),
    lambda joined, leaf: "(telegram/" in leaf,
    lambda joined, leaf: any(n in leaf for n in ("aiosqlite", "_write_to_self", "_read_from")),
    lambda joined, leaf: "(selectors.py)" in leaf or "(asyncio/selector_events.py)" in leaf,
)


def category(frames: list[str]) -> str:
    """Which part of the work a sampled stack belongs to (first rule that fits)."""
    joined = ";".join(frames)
    for name, rule in zip(CATEGORIES, RULES, strict=False):
        if rule(joined, frames[-1]):
            return name
    return CATEGORIES[-1]


# aiosqlite's worker thread, or asyncio.to_thread's, seen in its own loop rather than in a
# statement or a call: it is waiting for work (a queue's get, in C), which py-spy counts as
# running; those samples are dropped.
_WORKERS_WAITING = ("_connection_worker_thread (", "_worker (concurrent/thread.py)")


def hot_spots(
    raw_file: Path,
) -> tuple[int, list[tuple[str, int]], list[tuple[str, int]], collections.Counter[str]]:
    """Total samples, top functions by own samples, top by inclusive samples, by category."""
    categories: collections.Counter[str] = collections.Counter()
    own: collections.Counter[str] = collections.Counter()
    inclusive: collections.Counter[str] = collections.Counter()
    total = 0
    for line in raw_file.read_text(encoding="utf-8", errors="replace").splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        count = int(count_text)
        frames = [_frame(f) for f in stack.split(";") if " (" in f]
        if not frames or frames[-1].startswith(_WORKERS_WAITING):
            continue
        total += count
        categories[category(frames)] += count
        own[frames[-1]] += count
        for frame in set(frames):
            inclusive[frame] += count
    return total, own.most_common(TOP), inclusive.most_common(TOP * 3), categories


async def profiled(
    kind: str, folder: Path, questions: list[str], database: Path | None, encoder: str
) -> tuple[LoadResult, Path]:
    out = folder / f"{kind}-{encoder}.txt"

    async def run(bot: BotProcess) -> LoadResult:
        spy = subprocess.Popen(  # noqa: ASYNC220 (never awaited)
            [
                str(py_spy()),
                "record",
                "--pid",
                str(bot.pid),
                "--rate",
                "250",
                "--format",
                "raw",
                "--output",
                str(out),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        await asyncio.sleep(1.0)
        try:
            return await drive(bot, questions, rate=30.0, patients=50)
        finally:
            spy.send_signal(signal.SIGINT)
            for _ in range(100):
                if spy.poll() is not None:
                    break
                await asyncio.sleep(0.1)
            else:
                spy.kill()

    result = await with_bot(kind, folder, run, database=database, encoder=encoder)
    return result, out


async def traced_statements(questions: list[str], database: Path, folder: Path) -> Table:
    """The SQL each answered question costs: the real bot in this process against the
    emulator, with SQLite's trace callback counting statements by kind."""
    from bot.app import Connection, running_bot
    from bot.bank_files import read_question_folder
    from bot.config import load_settings
    from bot.emulator import TelegramEmulator

    db_path = copy_database(database, folder / "traced.db")
    settings = load_settings(write_config(folder / "traced", db_path, matching={"encoder": "off"}))
    statements: collections.Counter[str] = collections.Counter()

    def trace(sql: str) -> None:
        text = " ".join(sql.split())
        # Bound values appear as literals: fold them so one statement counts as one kind.
        text = re.sub(r"(?<=[=(,\s])'(?:[^']|'')*'(?=[\s,)]|$)", "?", text)
        text = re.sub(r"(?<![\w.'])-?\d+(?:\.\d+)?(?![\w'])", "?", text)
        text = re.sub(r"\(\?(,\s*\?)*\)", "(?...)", text)
        statements[text[:90]] += 1

    async with TelegramEmulator(token=TOKEN) as emulator:
        connection = Connection(token=TOKEN, base_url=emulator.base_url)
        bank = read_question_folder(settings.answers_dir)
        async with running_bot(settings, connection, bank) as application:
            store_database = application.bot_data.running.services.store.database
            await asyncio.sleep(0.6)
            await store_database.connection.set_trace_callback(trace)
            users = [emulator.new_user(f"T{i}") for i in range(len(questions))]
            for user, text in zip(users, questions, strict=True):
                await emulator.send_text(user, text)
                await emulator.wait_for_messages(user.chat_id, 1, timeout=30)
            await asyncio.sleep(0.2)
            # sqlite3 takes None (no callback); aiosqlite's annotation says Callable only.
            await store_database.connection.set_trace_callback(None)  # type: ignore[arg-type]
    count = len(questions)
    table = Table(
        f"SQL statements per answered question (traced, {count} questions in turn, encoder off)",
        ["statement", "per question"],
    )
    for text, seen in statements.most_common(25):
        table.add(f"`{text}`", f"{seen / count:.2f}")
    table.add("**all statements**", f"{sum(statements.values()) / count:.1f}")
    table.notes = [
        "Counted with sqlite3's trace callback on the bot's connection (values folded to ?);"
        " lines starting `--` are FTS5's own statements inside a MATCH query (bm25 reads each"
        " matching row's size from `questions_fts_docsize`). The outbox job's polls every"
        " 0.5 s are included."
    ]
    return table


@benchmark("CPU profile per answered question")
def run(section: Section, quick: bool = False, encoders: list[str] | None = None) -> None:
    if py_spy() is None:
        section.notes.append("Skipped: py-spy is not installed (`pip install py-spy`).")
        return
    encoders = encoders or ["off"]
    questions = load_queries(45 if quick else 600)
    summary = Table(
        "Samples (py-spy, 250 Hz, all threads, idle excluded) under 30 questions a second",
        ["bot", "answered", "CPU ms / answer", "samples", "samples / answer"],
    )
    per_category: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory(prefix="askdoc-profile-") as tmp:
        folder = Path(tmp)
        runs = [("echo bot (bare PTB)", "echo", None, "off")] + [
            (f"AskDoc (encoder: {e})", "askdoc", bank_database(e), e) for e in encoders
        ]
        for label, kind, database, encoder in runs:
            print(f"  profiling {label}...", file=sys.stderr, flush=True)
            result, out = asyncio.run(profiled(kind, folder, questions, database, encoder))
            if not out.exists():
                section.notes.append(f"{label}: py-spy wrote nothing (is ptrace allowed?).")
                continue
            total, own, inclusive, categories = hot_spots(out)
            summary.add(
                label,
                result.answered,
                result.cpu_ms_per_answer,
                total,
                total / max(result.answered, 1),
            )
            ms = result.cpu_ms_per_answer / max(total, 1)
            per_category[label] = {name: count * ms for name, count in categories.items()}
            if kind == "echo":
                continue
            own_table = Table(
                f"{label}: hottest functions by own time",
                ["function", "share of samples", "≈ CPU ms / answer"],
            )
            for name, count in own:
                own_table.add(f"`{name}`", f"{100 * count / total:.1f}%", count * ms)
            wanted = [(n, c) for n, c in inclusive if "(bot/" in n or "aiosqlite" in n]
            incl_table = Table(
                f"{label}: AskDoc and aiosqlite functions by inclusive time",
                ["function", "share of samples", "≈ CPU ms / answer"],
            )
            for name, count in wanted[:TOP]:
                incl_table.add(f"`{name}`", f"{100 * count / total:.1f}%", count * ms)
            section.tables += [own_table, incl_table]
    breakdown = Table(
        "Where the CPU per answered question goes (ms, samples spread over measured CPU)",
        ["part", *per_category],
    )
    for name in CATEGORIES:
        breakdown.add(name, *(f"{values.get(name, 0.0):.1f}" for values in per_category.values()))
    breakdown.add("**total**", *(f"{sum(v.values()):.1f}" for v in per_category.values()))
    section.tables.insert(0, breakdown)
    section.tables.insert(0, summary)
    with tempfile.TemporaryDirectory(prefix="askdoc-trace-") as tmp:
        section.tables.append(
            asyncio.run(
                traced_statements(
                    load_queries(20 if quick else 100), bank_database("off"), Path(tmp)
                )
            )
        )
    section.notes.append(
        "CPU ms per answer is spread over the samples in proportion (a sample is one thread"
        " seen running Python or native code; threads: the event loop, aiosqlite's worker,"
        " onnxruntime's pool). aiosqlite's worker waiting for its next statement (py-spy"
        " counts it as running) is left out."
    )


def main() -> None:
    standalone_with_encoders("bench.profile_bot", run, __doc__, "off")


if __name__ == "__main__":
    main()
