"""Where the bot's CPU goes per answered question: py-spy samples every thread of the running
`askdoc run` process (and, as the baseline, the echo bot's) while patients ask at Telegram's
pace; the hottest functions by own time and by inclusive time are tabulated.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import BIN, Section, Table, have_eval_data, write_section
from bench.e2e import BotProcess, LoadResult, bank_database, drive, load_queries, with_bot

TOP = 15


def py_spy() -> str | None:
    found = BIN / "py-spy"
    return str(found) if found.exists() else shutil.which("py-spy")


def _frame(raw: str) -> str:
    """'func (path/to/file.py:123)' -> 'func (file.py)'; the line is dropped to aggregate."""
    name, _, where = raw.partition(" (")
    where = where.rstrip(")")
    file = where.rsplit(":", 1)[0]
    parts = Path(file).parts
    if "site-packages" in parts:
        file = "/".join(parts[parts.index("site-packages") + 1 :][:2])
    elif "bot" in parts:
        file = "/".join(parts[parts.index("bot") :])
    else:
        file = Path(file).name
    return f"{name} ({file})"


def hot_spots(raw_file: Path) -> tuple[int, list[tuple[str, int]], list[tuple[str, int]]]:
    """Total samples, top functions by own samples, top by inclusive samples."""
    own: collections.Counter[str] = collections.Counter()
    inclusive: collections.Counter[str] = collections.Counter()
    total = 0
    for line in raw_file.read_text(encoding="utf-8", errors="replace").splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        count = int(count_text)
        frames = [_frame(f) for f in stack.split(";") if " (" in f]
        if not frames:
            continue
        total += count
        own[frames[-1]] += count
        for frame in set(frames):
            inclusive[frame] += count
    return total, own.most_common(TOP), inclusive.most_common(TOP * 3)


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
                "--nonblocking",
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


def run(quick: bool = False, encoders: list[str] | None = None) -> Section:
    section = Section("CPU profile per answered question")
    started = time.perf_counter()
    if not have_eval_data():
        section.notes.append("Skipped: ../shared/eval is absent.")
        return section
    if py_spy() is None:
        section.notes.append("Skipped: py-spy is not installed (`pip install py-spy`).")
        return section
    encoders = encoders or ["off"]
    questions = load_queries(45 if quick else 600)
    summary = Table(
        "Samples (py-spy, 250 Hz, all threads, idle excluded) under 30 questions a second",
        ["bot", "answered", "CPU ms / answer", "samples", "samples / answer"],
    )
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
            total, own, inclusive = hot_spots(out)
            summary.add(
                label,
                result.answered,
                result.cpu_ms_per_answer,
                total,
                total / max(result.answered, 1),
            )
            if kind == "echo":
                continue
            ms = result.cpu_ms_per_answer / max(total, 1)
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
    section.tables.insert(0, summary)
    section.notes.append(
        "CPU ms per answer is spread over the samples in proportion (a sample is one thread"
        " seen running Python or native code; threads: the event loop, aiosqlite's worker,"
        " onnxruntime's pool)."
    )
    section.seconds = time.perf_counter() - started
    return section


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--encoder", choices=["off", "auto", "both"], default="off")
    args = parser.parse_args()
    encoders = {"off": ["off"], "auto": ["auto"], "both": ["off", "auto"]}[args.encoder]
    section = run(args.quick, encoders)
    section.print()
    if not args.no_write:
        write_section(section, f"python bench/profile_bot.py {' '.join(sys.argv[1:])}".strip())


if __name__ == "__main__":
    main()
