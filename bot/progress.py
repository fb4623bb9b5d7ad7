"""Progress of a long step (an import, embedding the bank, an evaluation): on a terminal a
tqdm bar with the rate and the time left; anywhere else (a log file, CI) a plain line when the
step starts, every few seconds, and when it ends."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from types import TracebackType
from typing import NoReturn, TextIO

from tqdm import tqdm

from bot.embeddings import Encoder
from bot.store import Store
from bot.store.vectors import Vectors

# How often a plain line is written where there is no terminal.
LINE_EVERY_SECONDS = 10.0


class Progress:
    """Counts work done towards `total`; use as a context manager, call `advance`."""

    def __init__(
        self,
        description: str,
        total: int,
        *,
        units: str = "questions",
        stream: TextIO | None = None,
        every: float = LINE_EVERY_SECONDS,
    ) -> None:
        self.description = description
        self.total = total
        self.units = units
        self.stream = stream or sys.stderr
        self.every = every
        self.done = 0
        self.started = time.perf_counter()
        self._last_line = self.started
        self._bar: tqdm[NoReturn] | None = None

    def __enter__(self) -> Progress:
        if self.stream.isatty():
            self._bar = tqdm(
                total=self.total,
                desc=self.description,
                unit=f" {self.units}",
                file=self.stream,
                dynamic_ncols=True,
            )
        else:
            self._line(f"{self.description}: {self.total:,} {self.units} to do")
        return self

    def advance(self, count: int) -> None:
        """`count` more done."""
        self.done += count
        if self._bar is not None:
            self._bar.update(count)
            return
        now = time.perf_counter()
        if now - self._last_line >= self.every and self.done < self.total:
            self._last_line = now
            rate = self.rate()
            left = (self.total - self.done) / rate if rate else float("nan")
            self._line(
                f"{self.description}: {self.done:,}/{self.total:,}"
                f" ({100 * self.done / max(self.total, 1):.0f}%), {rate:,.0f} per second,"
                f" about {left:,.0f} s left"
            )

    def rate(self) -> float:
        """Work done per second so far."""
        return self.done / max(time.perf_counter() - self.started, 1e-9)

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._bar is not None:
            self._bar.close()
        elif kind is None:
            seconds = time.perf_counter() - self.started
            self._line(f"{self.description}: done, {self.done:,} in {seconds:,.0f} s")

    def _line(self, text: str) -> None:
        print(text, file=self.stream, flush=True)


def count_lines(path: Path) -> int:
    """Lines that hold something in a JSONL file: the total a progress bar counts to."""
    with path.open("rb") as handle:
        return sum(1 for line in handle if line.strip())


# Fewer questions than this embed in about two seconds: no progress to show.
EMBEDDED_QUIETLY = 200


async def embed_with_progress(
    store: Store, encoder: Encoder, vectors: Vectors | None = None
) -> int:
    """Embed the bank questions that lack a vector from `encoder` (in `vectors`, by default the
    English encoder's table), showing progress when it takes a while; how many it embedded."""
    vectors = vectors or store.vectors
    unembedded = await vectors.unembedded(encoder)
    if len(unembedded) < EMBEDDED_QUIETLY:
        return await vectors.embed_missing(encoder, unembedded=unembedded)
    label = (
        "embedding the bank for matching"
        if vectors is store.vectors
        else "embedding the bank for questions in other languages"
    )
    with Progress(label, len(unembedded)) as progress:
        return await vectors.embed_missing(
            encoder, unembedded=unembedded, on_progress=progress.advance
        )
