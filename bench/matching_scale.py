"""Matching at scale: `matching.find_matches` per query at 1,000, 17,942, 48,976 and
1,000,000 questions, beside raw FTS5 MATCH queries on the same database, plus a plot.

Each bank is imported with the bot's own import code (`askdoc import`, encoder off) and cached;
the million is made by recombining real questions (bench/million.py).

python -m bench.matching_scale [--quick] [--no-write]   # from the project's folder
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import shutil
import sqlite3
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from bench.common import (
    BANK,
    BANK_LOAD,
    CACHE,
    PROJECT,
    Section,
    Table,
    askdoc_import,
    benchmark,
    cached_database,
    median,
    percentile,
    standalone,
)
from bench.e2e import load_queries
from bench.million import first_lines, generate
from bot import embeddings, matching
from bot.config import load_settings
from bot.models import Candidate
from bot.store import Search, Store
from bot.terms import terms

MILLION = 1_000_000
ENCODED_LABEL = "with sentence encoder (vector signs)"
MILLION_QUERIES = 300
# Per component: a unit vector plus this noise has a cosine of about 0.9 to the unit vector.
NOISE = 0.025
PLOT = PROJECT / "docs" / "match-latency.png"


def small_bank() -> Path:
    def build(path: Path) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            askdoc_import(first_lines(BANK, Path(tmp) / "bank-1000.jsonl", 1000), path)

    return cached_database("bank1000-off", BANK, build)


def million_bank(count: int = MILLION) -> Path:
    def build(path: Path) -> None:
        source = CACHE / f"generated-{count}.jsonl"
        print(f"  generating {count:,} questions into {source}...", file=sys.stderr)
        generate(BANK_LOAD, source, count)
        print("  importing them (askdoc import, a few minutes, cached)...", file=sys.stderr)
        askdoc_import(source, path)
        source.unlink()

    return cached_database(f"gen{count}-off", BANK_LOAD, build)


def million_bank_encoded(count: int = MILLION) -> Path:
    """The million-question bank with a vector from today's encoder for every question.

    Embedding a million questions takes about 40 minutes on 2 cores, so these vectors are real
    encodings of bank_load.jsonl's 48,976 questions, each reused about 20 times with a little
    noise (a cosine of about 0.9 to its source), stored as the bot stores its own: the bot
    loads them as up to date. Memory, start-up and the scan are a million's; what each vector
    says only matters to quality, measured on the dev set instead."""

    def build(path: Path) -> None:
        encoder = embeddings.load_encoder("auto")
        if encoder is None:
            raise SystemExit("the encoder is not installed: pip install -e .")
        shutil.copyfile(million_bank(count), path)
        with BANK_LOAD.open(encoding="utf-8") as handle:
            titles = [json.loads(line)["question"] for line in handle if line.strip()]
        print(f"  encoding {len(titles):,} real questions...", file=sys.stderr, flush=True)
        real = embeddings.encode_in_batches(encoder, titles)
        rng = np.random.default_rng(7)
        connection = sqlite3.connect(path)
        try:
            rows = connection.execute("SELECT id, title FROM questions ORDER BY id").fetchall()
            for start in range(0, len(rows), 50_000):
                part = rows[start : start + 50_000]
                base = real[np.arange(start, start + len(part)) % len(real)]
                noise = rng.standard_normal(base.shape).astype(np.float32) * NOISE
                vectors = embeddings.normalise(base + noise)
                connection.executemany(
                    "INSERT OR REPLACE INTO question_embeddings"
                    " (question_id, model, text_hash, vector) VALUES (?, ?, ?, ?)",
                    [
                        (
                            question_id,
                            encoder.name,
                            hashlib.sha1(title.encode("utf-8")).hexdigest(),
                            embeddings.to_blob(vector),
                        )
                        for (question_id, title), vector in zip(part, vectors, strict=True)
                    ],
                )
                connection.commit()
        finally:
            connection.close()

    return cached_database(f"gen{count}-encoded", BANK_LOAD, build, embedded=True)


def banks(quick: bool) -> list[tuple[int, Path]]:
    found = [
        (1000, small_bank()),
        (17_942, cached_database("bank-off", BANK, lambda p: askdoc_import(BANK, p))),
        (48_976, cached_database("bankload-off", BANK_LOAD, lambda p: askdoc_import(BANK_LOAD, p))),
    ]
    if not quick:
        found.append((MILLION, million_bank()))
    return found


class TimedIndex:
    """The store's search index as the matcher reads it, timing each call it makes."""

    def __init__(self, search: Search) -> None:
        self.search = search
        self.spent: dict[str, float] = {}

    def _add(self, name: str, started: float) -> None:
        self.spent[name] = self.spent.get(name, 0.0) + time.perf_counter() - started

    async def search_candidates(
        self, match_expression: str, limit: int, newest: int
    ) -> list[Candidate]:
        started = time.perf_counter()
        try:
            return await self.search.search_candidates(match_expression, limit, newest)
        finally:
            self._add("search_candidates", started)

    async def term_document_counts(self, query_terms: Sequence[str]) -> dict[str, int]:
        started = time.perf_counter()
        try:
            return await self.search.term_document_counts(query_terms)
        finally:
            self._add("term_document_counts", started)

    async def indexed_question_count(self) -> int:
        return await self.search.indexed_question_count()

    async def candidates_by_id(self, question_ids: Sequence[int]) -> list[Candidate]:
        started = time.perf_counter()
        try:
            return await self.search.candidates_by_id(question_ids)
        finally:
            self._add("candidates_by_id", started)


@dataclass
class Timing:
    size: int
    label: str
    match_ms: list[float]
    raw_ms: list[float]
    ranked_ms: list[float]
    db_bytes: int
    steps_ms: dict[str, list[float]] = field(default_factory=dict)


def raw_times(path: Path, expressions: list[str]) -> tuple[list[float], list[float]]:
    """Plain FTS5: MATCH ... LIMIT 30, and the same ordered by bm25 (what the bot asks)."""
    connection = sqlite3.connect(path)
    raw: list[float] = []
    ranked: list[float] = []
    try:
        for sql, out in (
            ("SELECT rowid FROM questions_fts WHERE questions_fts MATCH ? LIMIT 30", raw),
            (
                "SELECT rowid FROM questions_fts WHERE questions_fts MATCH ?"
                " ORDER BY bm25(questions_fts, 1.0, 0.2) LIMIT 30",
                ranked,
            ),
        ):
            for expression in expressions[:10]:  # warm the page cache
                connection.execute(sql, (expression,)).fetchall()
            for expression in expressions:
                started = time.perf_counter()
                connection.execute(sql, (expression,)).fetchall()
                out.append(1000 * (time.perf_counter() - started))
    finally:
        connection.close()
    return raw, ranked


async def match_times(
    path: Path, queries: list[str], *, encoder: embeddings.Encoder | None = None
) -> tuple[list[float], dict[str, list[float]]]:
    settings = load_settings(PROJECT / "config.yaml")
    store = await Store.open(path)
    try:
        vectors = (await store.vectors.index_for(encoder)).index
        for text in queries[:10]:
            await matching.find_matches(
                store.search,
                text,
                min_score=settings.matching.min_score,
                candidates=settings.matching.candidates,
                vectors=vectors,
            )
        times: list[float] = []
        steps: dict[str, list[float]] = {}
        for text in queries:
            index = TimedIndex(store.search)
            started = time.perf_counter()
            await matching.find_matches(
                index,
                text,
                min_score=settings.matching.min_score,
                candidates=settings.matching.candidates,
                vectors=vectors,
            )
            times.append(1000 * (time.perf_counter() - started))
            for name in ("search_candidates", "term_document_counts"):
                steps.setdefault(name, []).append(1000 * index.spent.get(name, 0.0))
        return times, steps
    finally:
        await store.close()


def encoder_bank() -> Path | None:
    """The 17,942 bank with embeddings, if bench/e2e.py cached one (embedding takes minutes)."""
    found = sorted(CACHE.glob("bank-auto-*.db"))
    return next((p for p in found if ".building" not in p.name), None)


def measure(quick: bool) -> list[Timing]:
    queries = load_queries(50 if quick else None)
    expressions = [
        matching.fts_query(t) for t in (terms(q[: matching.MATCH_CHARS]) for q in queries)
    ]
    expressions = [e for e in expressions if e]
    timings: list[Timing] = []
    for size, path in banks(quick):
        print(f"  {size:,} questions...", file=sys.stderr, flush=True)
        # The million answers slowly: a third of the queries keep the run to minutes.
        some = queries[:MILLION_QUERIES] if size >= MILLION else queries
        raw, ranked = raw_times(path, expressions[: len(some)] if size >= MILLION else expressions)
        found, steps = asyncio.run(match_times(path, some))
        timings.append(Timing(size, "full-text", found, raw, ranked, path.stat().st_size, steps))
    auto = encoder_bank()
    if auto is not None and not quick:
        encoder = embeddings.load_encoder("auto")
        if encoder is not None:
            print("  17,942 questions with the sentence encoder...", file=sys.stderr, flush=True)
            raw, ranked = raw_times(auto, expressions)
            found, steps = asyncio.run(match_times(auto, queries, encoder=encoder))
            timings.append(
                Timing(
                    17_942,
                    "with sentence encoder",
                    found,
                    raw,
                    ranked,
                    auto.stat().st_size,
                    steps,
                )
            )
    if not quick:
        encoder = embeddings.load_encoder("auto")
        if encoder is not None:
            print("  1,000,000 questions with the sentence encoder...", file=sys.stderr, flush=True)
            encoded = million_bank_encoded()
            some = queries[:MILLION_QUERIES]
            raw, ranked = raw_times(encoded, expressions[:MILLION_QUERIES])
            found, steps = asyncio.run(match_times(encoded, some, encoder=encoder))
            timings.append(
                Timing(MILLION, ENCODED_LABEL, found, raw, ranked, encoded.stat().st_size, steps)
            )
    return timings


def plot(timings: list[Timing], target: Path) -> str | None:
    """match p50/p99 and raw FTS5 against bank size, log-log; None when matplotlib is absent."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return None
    lexical = [t for t in timings if t.label == "full-text"]
    sizes = [t.size for t in lexical]
    figure, axes = plt.subplots(figsize=(7, 4.5), dpi=110)
    series = [
        ("find_matches p99", [percentile(t.match_ms, 0.99) for t in lexical], "C3", "-"),
        ("find_matches p50", [median(t.match_ms) for t in lexical], "C0", "-"),
        ("FTS5 MATCH + bm25 top 30, p50", [median(t.ranked_ms) for t in lexical], "C2", "--"),
        ("FTS5 MATCH LIMIT 30, p50", [median(t.raw_ms) for t in lexical], "C7", ":"),
    ]
    for label, values, colour, style in series:
        axes.plot(sizes, values, marker="o", label=label, color=colour, linestyle=style)
    targets = [(48_976, 30.0), (MILLION, 60.0)]
    axes.scatter(
        [s for s, _ in targets],
        [v for _, v in targets],
        marker="_",
        s=400,
        color="black",
        label="p99 target",
        zorder=5,
    )
    for timing in timings:
        if timing.label != "full-text":
            axes.scatter(
                [timing.size],
                [percentile(timing.match_ms, 0.99)],
                marker="x",
                color="C1",
                label="find_matches p99 with the sentence encoder",
                zorder=6,
            )
    axes.set_xscale("log")
    axes.set_yscale("log")
    axes.set_xlabel("questions in the bank")
    axes.set_ylabel("ms per query")
    axes.set_title("Match latency against bank size (dev queries, full-text matching)")
    axes.grid(True, which="both", alpha=0.3)
    axes.legend(fontsize=8)
    figure.tight_layout()
    target.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(target)
    plt.close(figure)
    return target.name


@benchmark("Matching at scale")
def run(section: Section, quick: bool = False, write_plot: bool = True) -> None:
    timings = measure(quick)
    table = Table(
        "matching.find_matches per query, beside raw FTS5 on the same database",
        [
            "questions",
            "matcher",
            "find_matches p50 ms",
            "p99 ms",
            "FTS5 MATCH LIMIT 30 p50 / p99 ms",
            "FTS5 + bm25 top 30 p50 / p99 ms",
            "find_matches ÷ raw MATCH (p50)",
            "DB MB",
        ],
    )
    for t in timings:
        table.add(
            t.size,
            t.label,
            f"{median(t.match_ms):.2f}",
            f"{percentile(t.match_ms, 0.99):.2f}",
            f"{median(t.raw_ms):.2f} / {percentile(t.raw_ms, 0.99):.2f}",
            f"{median(t.ranked_ms):.2f} / {percentile(t.ranked_ms, 0.99):.2f}",
            f"{median(t.match_ms) / max(median(t.raw_ms), 1e-6):.0f}x",
            f"{t.db_bytes / 2**20:,.0f}",
        )
    count = len(timings[0].match_ms) if timings else 0
    table.notes = [
        f"{count} queries (the dev queries' text; the first {MILLION_QUERIES} at 1,000,000),"
        " after 10 warm-up queries, one at a time, in"
        " process: find_matches through the bot's store (aiosqlite), raw FTS5 through plain"
        " sqlite3 with the same MATCH expression (the query's terms OR-ed)."
        " Banks imported with `askdoc import` (encoder off); 1,000 = the first 1,000 of"
        " bank.jsonl; 1,000,000 = real questions recombined (bench/million.py). With the"
        " encoder at 1,000,000 the bot holds only the vectors' signs and reads the exact"
        " vectors of the candidates back from the file; those vectors are real encodings"
        " reused with noise (see million_bank_encoded)."
    ]
    section.tables.append(table)
    steps = Table(
        "Where find_matches spends its time (p50 / p99 ms per query)",
        [
            "questions",
            "matcher",
            "find_matches",
            "search_candidates (FTS5 + bm25 + join)",
            "term_document_counts (term_counts table)",
            "the rest (Python scoring, encoder)",
        ],
    )
    for t in timings:
        search = t.steps_ms.get("search_candidates", [])
        counts = t.steps_ms.get("term_document_counts", [])
        rest = [m - a - b for m, a, b in zip(t.match_ms, search, counts, strict=False)]
        steps.add(
            t.size,
            t.label,
            f"{median(t.match_ms):.2f} / {percentile(t.match_ms, 0.99):.2f}",
            f"{median(search):.2f} / {percentile(search, 0.99):.2f}",
            f"{median(counts):.2f} / {percentile(counts, 0.99):.2f}",
            f"{median(rest):.2f} / {percentile(rest, 0.99):.2f}",
        )
    section.tables.append(steps)
    if write_plot:
        name = plot(timings, PLOT)
        if name:
            section.notes.append(f"![match latency against bank size]({name})")
        else:
            section.notes.append("(No plot: matplotlib is not installed; `pip install .[bench]`.)")
    by_size = {t.size: t for t in timings if t.label == "full-text"}
    for size, limit in ((48_976, 30.0), (MILLION, 60.0)):
        if size in by_size:
            p99 = percentile(by_size[size].match_ms, 0.99)
            section.targets.append(
                (f"match p99 ≤ {limit:.0f} ms at {size:,} ({p99:.1f} ms, full-text)", p99 <= limit)
            )
    for t in timings:
        if t.label == ENCODED_LABEL:
            p99 = percentile(t.match_ms, 0.99)
            section.targets.append(
                (f"match p99 ≤ 60 ms at 1,000,000 with the encoder ({p99:.1f} ms)", p99 <= 60)
            )


def main() -> None:
    standalone(
        "bench.matching_scale", lambda args: run(args.quick, write_plot=not args.no_write), __doc__
    )


if __name__ == "__main__":
    main()
