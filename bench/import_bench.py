"""Import: Q&As per second for bank_load.jsonl through `Bank.import_entries`, and the
database's size on disk, beside two baselines in the same run: parsing alone (`read_jsonl`)
and a plain sqlite3 insert of the same rows into a table and an FTS5 index of the raw text.
With the sentence encoder, the embedding step's rate is measured on a sample.

python -m bench.import_bench [--quick] [--no-write]   # from the project's folder
"""

from __future__ import annotations

import asyncio
import sqlite3
import tempfile
import time
from pathlib import Path

from bench.common import (
    BANK_LOAD,
    Section,
    Table,
    benchmark,
    database_size,
    median,
    standalone,
)
from bench.million import first_lines
from bot import embeddings
from bot.bank_files import read_jsonl
from bot.store import Store


def parse_only(source: Path) -> tuple[float, int]:
    started = time.perf_counter()
    count = sum(1 for _ in read_jsonl(source))
    return time.perf_counter() - started, count


async def bot_import(source: Path, target: Path) -> float:
    started = time.perf_counter()
    store = await Store.open(target)
    try:
        await store.bank.import_entries(read_jsonl(source))
    finally:
        await store.close()
    return time.perf_counter() - started


def plain_import(source: Path, target: Path) -> float:
    """The floor: the same entries, parsed the same way, into one table and raw-text FTS5."""
    started = time.perf_counter()
    connection = sqlite3.connect(target)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute(
        "CREATE TABLE q (id INTEGER PRIMARY KEY, key TEXT UNIQUE, title TEXT, answer TEXT)"
    )
    connection.execute("CREATE VIRTUAL TABLE q_fts USING fts5(title)")
    with connection:
        for number, entry in enumerate(read_jsonl(source), start=1):
            answer = entry.answers[0].text if entry.answers else None
            connection.execute(
                "INSERT INTO q VALUES (?, ?, ?, ?)", (number, entry.key, entry.question, answer)
            )
            connection.execute(
                "INSERT INTO q_fts (rowid, title) VALUES (?, ?)", (number, entry.question)
            )
    connection.close()
    return time.perf_counter() - started


async def embedding_rate(source: Path, sample: int, folder: Path) -> float | None:
    """Questions embedded per second by `Vectors.embed_missing` on the first `sample`."""
    encoder = embeddings.load_encoder("auto")
    if encoder is None:
        return None
    subset = first_lines(source, folder / "sample.jsonl", sample)
    store = await Store.open(folder / "embedded.db")
    try:
        await store.bank.import_entries(read_jsonl(subset))
        started = time.perf_counter()
        embedded = await store.vectors.embed_missing(encoder)
        return embedded / (time.perf_counter() - started)
    finally:
        await store.close()


@benchmark("Import")
def run(section: Section, quick: bool = False) -> None:
    repeats = 1 if quick else 3
    with tempfile.TemporaryDirectory(prefix="askdoc-import-") as tmp:
        folder = Path(tmp)
        source = first_lines(BANK_LOAD, folder / "part.jsonl", 3000) if quick else BANK_LOAD
        parse_seconds, count = parse_only(source)
        bot_seconds: list[float] = []
        plain_seconds: list[float] = []
        size = 0
        for attempt in range(repeats):
            target = folder / f"bot-{attempt}.db"
            bot_seconds.append(asyncio.run(bot_import(source, target)))
            size = database_size(target)
            plain_seconds.append(plain_import(source, folder / f"plain-{attempt}.db"))
        plain_size = database_size(folder / "plain-0.db")
        encoded = asyncio.run(embedding_rate(source, 64 if quick else 512, folder))
    bot_rate = count / median(bot_seconds)
    table = Table(
        f"Importing {count:,} Q&As ({source.name})",
        ["what", "Q&As per second", "rate ÷ the bot's import rate", "database MB"],
    )
    table.add(
        "read_jsonl alone (parsing)",
        count / parse_seconds,
        f"{median(bot_seconds) / parse_seconds:.2f}x",
        "",
    )
    table.add(
        "plain sqlite3: table + FTS5 of raw text (floor)",
        count / median(plain_seconds),
        f"{median(bot_seconds) / median(plain_seconds):.2f}x",
        f"{plain_size / 2**20:,.0f}",
    )
    table.add(
        "Bank.import_entries (the bot's import, no embeddings)",
        bot_rate,
        "1.00x",
        f"{size / 2**20:,.0f}",
    )
    if encoded is not None:
        with_embeddings = 1 / (1 / bot_rate + 1 / encoded)
        table.add(
            "sentence-encoder embedding step alone (Vectors.embed_missing, sample)",
            encoded,
            "",
            f"+{count * embeddings.DIMENSION * 4 / 2**20:,.0f} (vectors)",
        )
        table.add(
            "import + embeddings (askdoc import with encoder: auto)",
            with_embeddings,
            f"{bot_rate / with_embeddings:.0f}x slower",
            "",
        )
    table.notes = [
        f"Median of {repeats} run(s), each into a fresh database, in process. The plain"
        " sqlite3 floor's ratio is the bot's overhead over bare SQL (normalised terms, the"
        " answers table, content hashes, the FTS5 vocabulary)."
        " The embedding rate is measured on the first 512 (quick: 64) questions and combined"
        " with the import rate; database size includes the WAL."
    ]
    section.tables.append(table)
    section.targets.append(
        (f"import ≥ 5,000 Q&As a second without embeddings ({bot_rate:,.0f}/s)", bot_rate >= 5000)
    )
    if encoded is not None:
        section.notes.append(
            f"With embeddings: {1 / (1 / bot_rate + 1 / encoded):,.0f} Q&As a second "
            f"(the encoder embeds {encoded:,.0f} questions a second on this machine)."
        )


def main() -> None:
    standalone("bench.import_bench", lambda args: run(args.quick), __doc__)


if __name__ == "__main__":
    main()
