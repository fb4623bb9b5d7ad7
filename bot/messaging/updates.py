"""How updates are handled: several chats side by side, each chat's updates in order.

PTB handles updates one at a time by default, so while one question waits for the sentence
encoder (about 20 ms on a thread of its own) nothing else happens and a second core sits idle:
with the encoder on the bot kept up with about 26 questions a second. Its `concurrent_updates`
would let a patient's second message overtake the first, so this processor keeps an order per
chat and handles up to `concurrency` updates at once.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

# PTB's own bound on updates in flight; the real limit on work is `concurrency`. Updates of a
# busy chat wait their turn inside it without taking one of those places.
IN_FLIGHT = 512


class ChatOrderedProcessor(BaseUpdateProcessor):
    """Up to `concurrency` updates at once; a chat's updates start in the order they came."""

    def __init__(self, concurrency: int) -> None:
        super().__init__(max_concurrent_updates=IN_FLIGHT)
        self._slots = asyncio.Semaphore(concurrency)
        # chat id -> its lock and how many of its updates hold or wait for it.
        self._chats: dict[int, tuple[asyncio.Lock, int]] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        chat = update.effective_chat if isinstance(update, Update) else None
        if chat is None:
            # Inline queries and the like: no chat, no order to keep.
            async with self._slots:
                await coroutine
            return
        # Taken before the first await: PTB starts the tasks in the order updates arrive, and
        # asyncio's Lock wakes its waiters first come, first served.
        lock, users = self._chats.get(chat.id, (asyncio.Lock(), 0))
        self._chats[chat.id] = (lock, users + 1)
        try:
            async with lock, self._slots:
                await coroutine
        finally:
            lock, users = self._chats[chat.id]
            if users == 1:
                del self._chats[chat.id]
            else:
                self._chats[chat.id] = (lock, users - 1)

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release: PTB waits for the updates in flight itself."""
