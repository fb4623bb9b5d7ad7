"""One SQLite connection shared by every store module: the write lock, transactions, and reads
by column name. Each store module owns its tables; this module owns none."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import asynccontextmanager
from enum import Enum
from itertools import islice
from pathlib import Path
from typing import TypeVar

import aiosqlite

from bot.store.migrations import migrate

# SQLite before 3.32 allowed 999 host parameters; staying under it keeps IN lists portable.
MAX_PARAMETERS = 900

# Database.purge fills free pages with zeros in pieces of at most this size.
SCRUB_CHUNK_BYTES = 16 * 1024 * 1024

# Positional (?) or named (:name) statement parameters.
Parameters = Sequence[object] | Mapping[str, object]
Row = aiosqlite.Row

T = TypeVar("T")


def chunks(items: Iterable[T], size: int = MAX_PARAMETERS) -> Iterator[list[T]]:
    """`items` in lists of at most `size`."""
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def placeholders(count: int) -> str:
    """`?,?,?` for an IN list of `count` values."""
    return ",".join("?" * count)


class Change(Enum):
    """What a write changed, for the in-memory caches that must forget it."""

    BANK = "bank"
    PEOPLE = "people"


async def connect(path: Path | str) -> aiosqlite.Connection:
    """Open the database, creating it if needed, and bring its schema up to date."""
    if str(path) != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    # Autocommit: each statement is its own transaction unless a store opens one with
    # BEGIN IMMEDIATE, so what a handler stored is on disk before it replies.
    connection = await aiosqlite.connect(path, isolation_level=None)
    connection.row_factory = aiosqlite.Row
    await connection.execute("PRAGMA journal_mode = WAL")
    await connection.execute("PRAGMA foreign_keys = ON")
    # WAL with NORMAL sync survives a crash of the process (not of the machine), at a fraction
    # of FULL's cost per commit.
    await connection.execute("PRAGMA synchronous = NORMAL")
    await connection.execute("PRAGMA busy_timeout = 5000")
    # What a patient erases must leave no bytes behind. FAST zeroes deleted content in the pages
    # a write touches anyway; ON would also write every freed page, on every delivered message
    # (docs/benchmarks.md, "Privacy's cost"), so free pages are scrubbed after an erasure
    # instead, and the WAL's old copies go at the checkpoint that follows (Database.purge).
    await connection.execute("PRAGMA secure_delete = FAST")
    await migrate(connection)
    return connection


class Reader:
    """Reads in one round trip each to aiosqlite's thread, rows addressed by column name."""

    def __init__(self, connection: aiosqlite.Connection) -> None:
        self.connection = connection

    # Each aiosqlite call is a round trip to its worker thread (a future, a wake-up of the event
    # loop): a read through a cursor costs three (execute, fetch, close), these cost one.
    async def rows(self, query: str, params: Parameters = ()) -> list[Row]:
        """Every row the query returns."""
        return list(await self.connection.execute_fetchall(query, params))

    async def row(self, query: str, params: Parameters = ()) -> Row | None:
        """The first row, or None."""
        found = await self.rows(query, params)
        return found[0] if found else None

    async def scalar(self, query: str, params: Parameters = ()) -> int:
        """The first column of the first row, as a whole number."""
        found = await self.row(query, params)
        assert found is not None
        return int(found[0])


class Transaction(Reader):
    """A write transaction under way: reads see its writes; stores pass it on so a change that
    spans them (an answer into the bank, the question closed, the patient told) is one."""

    def __init__(self, connection: aiosqlite.Connection) -> None:
        super().__init__(connection)
        self.changes: set[Change] = set()

    async def execute(self, statement: str, params: Parameters = ()) -> int:
        """Run one statement; returns how many rows it changed."""
        cursor = await self.connection.execute(statement, params)
        return cursor.rowcount

    async def insert(self, statement: str, params: Parameters = ()) -> int:
        """Run one INSERT; returns the new row's id."""
        cursor = await self.connection.execute(statement, params)
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    async def execute_many(self, statement: str, rows: Iterable[Parameters]) -> None:
        """Run one statement for each parameter set."""
        await self.connection.executemany(statement, rows)

    def changed(self, *changes: Change) -> None:
        """Say what this transaction changes; caches that hold it forget it once it ends."""
        self.changes.update(changes)


class Database(Reader):
    """The one writer: every write takes the lock, so none can join another's transaction."""

    def __init__(self, connection: aiosqlite.Connection, path: Path | None = None) -> None:
        super().__init__(connection)
        # The file, for a reader that works apart from the event loop (None: in memory).
        self.path = path
        # One connection serves every coroutine: a statement run while another coroutine's
        # transaction is open would join it (and vanish with its rollback), so every write
        # takes this lock.
        self._write_lock = asyncio.Lock()
        self._forget: dict[Change, list[Callable[[], None]]] = {change: [] for change in Change}

    @classmethod
    async def open(cls, path: Path | str) -> Database:
        """Connect to (and migrate) the database file."""
        on_disk = Path(path) if str(path) != ":memory:" else None
        return cls(await connect(path), on_disk)

    def on_change(self, change: Change, forget: Callable[[], None]) -> None:
        """Call `forget` after every transaction that changes `change`."""
        self._forget[change].append(forget)

    def changed(self, *changes: Change) -> None:
        """Tell the caches about a change made outside a transaction (a single statement)."""
        for change in changes:
            for forget in self._forget[change]:
                forget()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Transaction]:
        """One write transaction: committed when the block ends, rolled back if it raises.
        The caches of what it changed are dropped either way: a read inside it may have cached
        what the rollback, or a later statement, made wrong."""
        async with self._write_lock, self._transaction() as transaction:
            yield transaction

    @asynccontextmanager
    async def _transaction(self) -> AsyncIterator[Transaction]:
        """transaction() for a caller that holds the write lock already."""
        transaction = Transaction(self.connection)
        await self.connection.execute("BEGIN IMMEDIATE")
        try:
            yield transaction
        except BaseException:
            await self.connection.rollback()
            raise
        else:
            await self.connection.commit()
        finally:
            self.changed(*transaction.changes)

    async def write(self, statement: str, params: Parameters = ()) -> list[Row]:
        """One statement in its own transaction (autocommit), in one round trip; returns what
        its RETURNING clause returns."""
        async with self._write_lock:
            return await self.rows(statement, params)

    async def purge(self) -> bool:
        """Leave no old bytes behind after an erasure: overwrite the free pages with zeros
        (secure_delete FAST leaves what freed pages held), then copy the WAL into the database
        file and empty it, so that its old versions of erased rows are gone too. False when
        another connection's reading kept part of the WAL (the next checkpoint gets it)."""
        async with self._write_lock:
            page_size = await self.scalar("PRAGMA page_size")
            # ON for this delete: it writes every page it frees as zeros.
            await self.connection.execute("PRAGMA secure_delete = ON")
            try:
                async with self._transaction() as tx:
                    # New rows take the free pages first: rows as large as the free space take
                    # them all, and deleting them writes each one over with zeros.
                    while (free := await tx.scalar("PRAGMA freelist_count")) > 0:
                        size = min(free * page_size, SCRUB_CHUNK_BYTES)
                        await tx.execute("INSERT INTO scrub (filler) VALUES (zeroblob(?))", (size,))
                    await tx.execute("DELETE FROM scrub")
            finally:
                await self.connection.execute("PRAGMA secure_delete = FAST")
            row = await self.row("PRAGMA wal_checkpoint(TRUNCATE)")
        return row is not None and int(row["busy"]) == 0

    async def close(self) -> None:
        """Close the connection."""
        await self.connection.close()
