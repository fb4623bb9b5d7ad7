"""Shared helpers for the benchmarks: paths, the machine, statistics, tables, /proc readings,
the bot's config and cached databases, and writing sections of docs/benchmarks.md."""

from __future__ import annotations

import argparse
import functools
import hashlib
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Concatenate, ParamSpec

# The one config writer, shared with the tests and the sandbox.
from bot.testing import write_config as write_config

PROJECT = Path(__file__).resolve().parents[1]
SHARED_EVAL = PROJECT.parent / "shared" / "eval"
BANK = SHARED_EVAL / "bank.jsonl"
BANK_LOAD = SHARED_EVAL / "bank_load.jsonl"
QUERIES = SHARED_EVAL / "queries-dev.jsonl"
DOC = PROJECT / "docs" / "benchmarks.md"
CACHE = Path(os.environ.get("ASKDOC_BENCH_CACHE", Path(tempfile.gettempdir()) / "askdoc-bench"))
TOKEN = "123456:BENCH-TOKEN"
BIN = Path(sys.executable).parent


def have_eval_data() -> bool:
    """True when ../shared/eval holds the bank and the queries."""
    return BANK.is_file() and BANK_LOAD.is_file() and QUERIES.is_file()


# --- the machine ------------------------------------------------------------------------------


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def machine() -> str:
    """One line: cores, CPU model, OS, Python and SQLite versions."""
    return (
        f"{os.cpu_count()} cores, {cpu_model()}, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}"
    )


def git_revision() -> str:
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=PROJECT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "bot"], cwd=PROJECT, capture_output=True, text=True
        ).stdout.strip()
        return head + (" (bot/ has uncommitted changes)" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


# --- statistics and tables --------------------------------------------------------------------


def percentile(values: Sequence[float], share: float) -> float:
    """The nearest-rank percentile (share from 0 to 1); NaN for no values."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * len(ordered) + 0.5) - 1))
    return ordered[index]


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


def fmt(value: float | int | str | None, digits: int = 1) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, str):
        return value
    if isinstance(value, int):
        return f"{value:,}"
    if value != value:  # NaN
        return "n/a"
    return f"{value:,.{digits}f}"


@dataclass
class Table:
    """A markdown table with a title and notes under it."""

    title: str
    headers: list[str]
    rows: list[list[str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, *cells: float | int | str | None) -> None:
        self.rows.append([c if isinstance(c, str) else fmt(c) for c in cells])

    def markdown(self) -> str:
        lines = [f"### {self.title}", ""]
        lines.append("| " + " | ".join(self.headers) + " |")
        lines.append("|" + "|".join("---" for _ in self.headers) + "|")
        lines.extend("| " + " | ".join(row) + " |" for row in self.rows)
        if self.notes:
            lines.append("")
            lines.extend(self.notes)
        return "\n".join(lines) + "\n"


@dataclass
class Section:
    """What one benchmark produced: its tables, targets (text, met?) and free notes."""

    name: str
    tables: list[Table] = field(default_factory=list)
    targets: list[tuple[str, bool | None]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def markdown(self) -> str:
        parts = [table.markdown() for table in self.tables]
        if self.targets:
            lines = ["Targets:", ""]
            for text, met in self.targets:
                verdict = "n/a" if met is None else ("**met**" if met else "**not met**")
                lines.append(f"- {text}: {verdict}")
            parts.append("\n".join(lines) + "\n")
        if self.notes:
            parts.append("\n".join(self.notes) + "\n")
        parts.append(f"_This section took {self.seconds:.0f} s to measure._\n")
        return "\n".join(parts)

    def print(self) -> None:
        print(f"\n== {self.name} ==\n")
        print(self.markdown())


def write_section(section: Section, command: str) -> None:
    """Replace (or append) the section between its markers in docs/benchmarks.md."""
    start, end = f"<!-- bench:{section.name} -->", f"<!-- /bench:{section.name} -->"
    body = (
        f"{start}\n## {section.name}\n\n"
        f"Measured {time.strftime('%Y-%m-%d %H:%M %Z')} on {machine()}, "
        f"AskDoc {git_revision()}, with `{command}`.\n\n{section.markdown()}{end}"
    )
    DOC.parent.mkdir(parents=True, exist_ok=True)
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else HEADER
    if start in text and end in text:
        before, rest = text.split(start, 1)
        after = rest.split(end, 1)[1]
        text = before + body + after
    else:
        text = text.rstrip("\n") + "\n\n" + body + "\n"
    DOC.write_text(text, encoding="utf-8")


HEADER = """# Benchmarks

Reproduce everything with `python -m bench.run` from the project's folder (a few minutes plus,
once, building the million-question database, cached under `$ASKDOC_BENCH_CACHE` or the temp
folder); one part with `python -m bench.run --only e2e` (e2e, matching, import, memory,
profile). `--quick` runs small sizes (CI's smoke test). Every figure is measured beside a
baseline in the same run; read the ratios and medians, not single absolute times: these
machines are shared and noisy.

The evaluation data is read from `../shared/eval/` and never copied here.
"""


# --- running a benchmark ------------------------------------------------------------------------

P = ParamSpec("P")


def benchmark(
    name: str,
) -> Callable[[Callable[Concatenate[Section, P], None]], Callable[P, Section]]:
    """Makes a benchmark's body, `fill(section, ...)`, into its `run(...) -> Section`: the
    section named `name`, left with a note when ../shared/eval is absent, and timed."""

    def decorate(fill: Callable[Concatenate[Section, P], None]) -> Callable[P, Section]:
        @functools.wraps(fill)
        def run(*args: P.args, **kwargs: P.kwargs) -> Section:
            section = Section(name)
            started = time.perf_counter()
            if not have_eval_data():
                section.notes.append("Skipped: ../shared/eval is absent.")
                return section
            fill(section, *args, **kwargs)
            section.seconds = time.perf_counter() - started
            return section

        return run

    return decorate


def standalone(
    module: str,
    run: Callable[[argparse.Namespace], Section],
    description: str | None,
    add_arguments: Callable[[argparse.ArgumentParser], None] | None = None,
) -> None:
    """Run one benchmark as `python -m <module>`: --quick, --no-write, then print and record
    it."""
    parser = argparse.ArgumentParser(prog=f"python -m {module}", description=description)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--no-write", action="store_true")
    if add_arguments is not None:
        add_arguments(parser)
    args = parser.parse_args()
    os.chdir(PROJECT)
    section = run(args)
    section.print()
    if not args.no_write:
        write_section(section, f"python -m {module} {' '.join(sys.argv[1:])}".strip())


# --encoder of the benchmarks that run the bot: which matchers to measure (None: their default).
_ENCODERS: dict[str | None, list[str] | None] = {
    "off": ["off"],
    "auto": ["auto"],
    "both": ["off", "auto"],
    None: None,
}


def standalone_with_encoders(
    module: str,
    run: Callable[[bool, list[str] | None], Section],
    description: str | None,
    default: str | None,
) -> None:
    """`standalone` for a benchmark of the running bot, with --encoder (off, auto or both)."""

    def add(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--encoder", choices=["off", "auto", "both"], default=default)

    standalone(module, lambda args: run(args.quick, _ENCODERS[args.encoder]), description, add)


# --- /proc ------------------------------------------------------------------------------------

_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (all its threads), from /proc/<pid>/stat."""
    raw = Path(f"/proc/{pid}/stat").read_text()
    fields = raw.rsplit(")", 1)[1].split()
    # Fields 14 and 15 (utime, stime) are at 11 and 12 after the command name.
    return (int(fields[11]) + int(fields[12])) / _TICKS


def memory_kb(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM (peak RSS) of a process, in kB."""
    values: dict[str, int] = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            values[key] = int(rest.split()[0])
    return values


def reset_peak_rss(pid: int) -> bool:
    """Reset VmHWM to the current RSS (Linux 4.0+); False when not allowed."""
    try:
        Path(f"/proc/{pid}/clear_refs").write_text("5")
        return True
    except OSError:
        return False


# --- the bot's config and databases -------------------------------------------------------------


def is_current(path: Path, *, embedded: bool = False, sample: int = 300) -> bool:
    """Whether a built database still matches the code: the schema version is the latest and
    a sample of questions is indexed by exactly the terms `bot.terms.terms` gives today (and,
    when `embedded`, every indexed question has a vector from today's encoder)."""
    from bot import embeddings
    from bot.store.migrations import MIGRATIONS
    from bot.terms import terms

    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error:
        return False
    try:
        if connection.execute("PRAGMA user_version").fetchone()[0] != len(MIGRATIONS):
            return False
        rows = connection.execute(
            "SELECT q.title, f.title_terms FROM questions q JOIN questions_fts f"
            " ON f.rowid = q.id ORDER BY q.id LIMIT ?",
            (sample,),
        ).fetchall()
        if not rows or any(" ".join(terms(t)) != stored for t, stored in rows):
            return False
        if embedded:
            indexed = connection.execute("SELECT count(*) FROM questions_fts").fetchone()[0]
            vectors = connection.execute(
                "SELECT count(*) FROM question_embeddings WHERE model = ?",
                (embeddings.MODEL_NAME,),
            ).fetchone()[0]
            return bool(vectors >= indexed)
        return True
    except sqlite3.Error:
        return False
    finally:
        connection.close()


def cached_database(
    name: str,
    source: Path,
    build: Callable[[Path], object],
    *,
    embedded: bool = False,
    rebuild: bool = False,
) -> Path:
    """A database built once by `build(path)` and kept in the cache folder, keyed by the source
    file; rebuilt when it no longer matches the code (see is_current) or when asked."""
    stat = source.stat()
    key = hashlib.sha1(f"{source.resolve()}|{stat.st_size}|{stat.st_mtime_ns}".encode())
    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"{name}-{key.hexdigest()[:12]}.db"
    if path.exists() and not rebuild and is_current(path, embedded=embedded):
        return path
    partial = path.with_suffix(".building.db")
    for leftover in CACHE.glob(partial.name + "*"):
        leftover.unlink()
    print(f"  building {path.name} (cached for later runs)...", file=sys.stderr, flush=True)
    build(partial)
    checkpoint(partial)
    partial.rename(path)
    for stale in CACHE.glob(f"{name}-*.db"):
        if stale != path and ".building" not in stale.name:
            stale.unlink()
    return path


def checkpoint(path: Path) -> None:
    """Fold the WAL into the main file, so copying the .db alone copies everything."""
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()


def copy_database(source: Path, target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    return target


# The bot's languages in a benchmark unless said: English only, so what is measured is AskDoc's
# own encoder (with other languages on, the bank is also embedded for the multilingual one).
ENGLISH_ONLY = ("en",)
FOUR_LANGUAGES = ("en", "es", "ru", "ar")


def askdoc_import(
    jsonl: Path,
    database: Path,
    *,
    encoder: str = "off",
    languages: tuple[str, ...] = ENGLISH_ONLY,
) -> float:
    """`askdoc import` as a subprocess into `database`; returns its wall time in seconds."""
    with tempfile.TemporaryDirectory(prefix="askdoc-import-") as folder:
        config = write_config(
            Path(folder), database, matching={"encoder": encoder}, languages=list(languages)
        )
        started = time.perf_counter()
        subprocess.run(
            [str(BIN / "askdoc"), "import", str(jsonl), "--config", str(config)],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        return time.perf_counter() - started


def database_size(path: Path) -> int:
    """The database's bytes on disk, with its WAL and shared-memory files."""
    return sum(
        p.stat().st_size for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")) if p.exists()
    )
