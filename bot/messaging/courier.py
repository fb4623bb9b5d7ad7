"""The courier: delivers what the outbox holds, in order per chat, within Telegram's limits.

Handlers never send about a question directly: they store the message in the outbox in the
same transaction as the change it reports, then ask the courier to drain. A message Telegram
refuses for now (429, 5xx, a timeout) stays in the outbox and is tried again with backoff;
one it refuses for good (403: the user blocked the bot) is marked undeliverable and the rest
goes on. After a crash the outbox still holds whatever was not delivered.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Sequence

from telegram import InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError

from bot.messaging.sending import DisclaimerBot
from bot.models import OutboxMessage, OutgoingMessage
from bot.store.outbox import Outbox, OutboxStatus

log = logging.getLogger(__name__)

# Backoff after a 5xx or a timeout: 1 s, 2 s, 4 s ... up to five minutes.
MAX_BACKOFF_SECONDS = 300.0
# A chat may get a few messages at once (replies to a patient who sent several) before the
# per-chat rate applies.
CHAT_BURST = 3
# A chat out of turns waits this long at most for its next one within its delivery; a longer
# wait is left to the next drain.
TURN_WAIT_SECONDS = 1.0
# Chats delivered to side by side: a request that hangs until its timeout, or that Telegram
# refuses for now, then holds up its own chat only. Half the transport's connection pool.
CHATS_AT_ONCE = 16


class _ChatBudget:
    """A token bucket per chat: CHAT_BURST messages at once, then `rate` a second."""

    def __init__(self, rate: float) -> None:
        self.rate = rate
        self.tokens: dict[int, tuple[float, float]] = {}

    def take(self, chat_id: int) -> float:
        """Take a message's turn: 0 when taken, else the seconds until the chat has one."""
        now = time.monotonic()
        tokens, since = self.tokens.get(chat_id, (float(CHAT_BURST), now))
        tokens = min(float(CHAT_BURST), tokens + (now - since) * self.rate)
        if tokens < 1.0:
            self.tokens[chat_id] = (tokens, now)
            return (1.0 - tokens) / self.rate
        self.tokens[chat_id] = (tokens - 1.0, now)
        return 0.0


class Courier:
    """Drains the outbox: each chat's due messages in order, in a task of its own, up to
    CHATS_AT_ONCE chats at a time. One read of the outbox at a time; a drain asked for
    meanwhile reads again after it."""

    def __init__(self, outbox: Outbox, bot: DisclaimerBot, per_chat_rate: float) -> None:
        self.outbox = outbox
        self.bot = bot
        self._budget = _ChatBudget(per_chat_rate)
        self._lock = asyncio.Lock()
        self._again = False
        self._background: asyncio.Task[None] | None = None
        self._slots = asyncio.Semaphore(CHATS_AT_ONCE)
        # Chats being delivered to now, and those that got new messages meanwhile (read again
        # once their delivery ends).
        self._chats: dict[int, asyncio.Task[None]] = {}
        self._waiting: set[int] = set()
        # Set by close(): no new drain may start while the database is about to close.
        self._closing = False

    async def post(self, messages: Sequence[OutgoingMessage]) -> None:
        """Queue messages and start delivering them."""
        await self.outbox.post(messages)
        self.deliver_soon()

    def deliver_soon(self) -> None:
        """Start a drain in the background, or have the running one go round again.

        The handler that queued the messages returns at once: the next update is handled while
        Telegram is still answering the last sendMessage (PTB handles updates one at a time).
        """
        if self._closing:
            return
        if self._background is None or self._background.done():
            self._background = asyncio.create_task(self._drain_in_background())
        else:
            self._again = True

    async def _drain_in_background(self) -> None:
        try:
            await self.drain()
        except Exception:
            # The messages stay in the outbox; the outbox job tries again.
            log.exception("delivering the outbox failed")

    async def close(self) -> None:
        """Wait for the deliveries under way to finish (before the database closes); what is
        left stays in the outbox for the next start."""
        self._closing = True
        if self._background is not None:
            await self._background
        while self._chats:
            await asyncio.gather(*self._chats.values(), return_exceptions=True)

    async def drain(self) -> None:
        """Start delivering every message that is due, each chat in its own task; returns once
        they are started (at once if a drain is under way, which then reads again)."""
        if self._lock.locked():
            self._again = True
            return
        async with self._lock:
            self._again = True
            while self._again:
                self._again = False
                self._dispatch(await self.outbox.due())

    def _dispatch(self, due: Sequence[OutboxMessage]) -> None:
        by_chat: dict[int, list[OutboxMessage]] = {}
        for message in due:
            by_chat.setdefault(message.chat_id, []).append(message)
        for chat_id, messages in by_chat.items():
            if chat_id in self._chats:
                # Its delivery under way keeps the chat's order; these follow it.
                self._waiting.add(chat_id)
            elif messages[0].next_attempt_at <= time.time():
                task = asyncio.create_task(self._deliver_chat(chat_id, messages))
                self._chats[chat_id] = task

    async def _deliver_chat(self, chat_id: int, messages: Sequence[OutboxMessage]) -> None:
        """One chat's messages, in order, until one must wait (a retry, the chat's budget)."""
        try:
            async with self._slots:
                for message in messages:
                    if message.next_attempt_at > time.time() or not await self._turn(chat_id):
                        break
                    if not await self._deliver(message):
                        break
        except Exception:
            # The messages stay in the outbox; the outbox job tries again.
            log.exception("delivering to a chat failed")
        finally:
            del self._chats[chat_id]
            if chat_id in self._waiting:
                self._waiting.discard(chat_id)
                self.deliver_soon()

    async def _turn(self, chat_id: int) -> bool:
        """Take the chat's next turn, waiting for it when it comes soon: a busy chat (a doctor
        offered many questions) keeps its pace instead of waiting for the next drain."""
        while (wait := self._budget.take(chat_id)) > 0:
            if wait > TURN_WAIT_SECONDS:
                return False
            await asyncio.sleep(wait)
        return True

    async def _deliver(self, message: OutboxMessage) -> bool:
        """Try one message; True when it left the outbox (delivered or given up)."""
        try:
            message_ids = await self._send(message)
        except _TargetPending:
            return False
        except RetryAfter as error:
            retry_after = error.retry_after
            seconds = (
                retry_after if isinstance(retry_after, int | float) else retry_after.total_seconds()
            )
            await self.outbox.retry_later(
                message.id, time.time() + float(seconds), f"429: retry after {seconds} s"
            )
            return False
        except Forbidden as error:
            log.info("outbox %s undeliverable: %s", message.id, error.message)
            await self.outbox.give_up(message.id, OutboxStatus.UNDELIVERABLE, error.message)
            return True
        except BadRequest as error:
            if "not modified" in error.message.lower():
                edited = message.edit_message_id
                await self.outbox.delivered(message.id, [edited] if edited is not None else [])
                return True
            log.error("outbox %s refused by Telegram: %s", message.id, error.message)
            await self.outbox.give_up(message.id, OutboxStatus.FAILED, error.message)
            return True
        except NetworkError as error:
            backoff = min(MAX_BACKOFF_SECONDS, 2.0**message.attempts)
            log.warning("outbox %s: %s; retrying in %.0f s", message.id, error.message, backoff)
            await self.outbox.retry_later(message.id, time.time() + backoff, error.message)
            return False
        except TelegramError as error:
            log.error("outbox %s failed: %s", message.id, error.message)
            await self.outbox.give_up(message.id, OutboxStatus.FAILED, error.message)
            return True
        await self.outbox.delivered(message.id, message_ids)
        return True

    async def _send(self, message: OutboxMessage) -> tuple[int, ...]:
        """Deliver one message; the Telegram messages it became (one per part) or changed."""
        if message.file is not None and message.edit_of is None:
            return await self.bot.send_file(
                message.chat_id,
                message.file,
                message.body_html,
                message.markup_json,
                message.protect,
            )
        if message.edit_of is None and message.edit_message_id is None:
            return await self.bot.send_html(message.chat_id, message.body_html, message.markup_json)
        target_id = message.edit_message_id
        earlier_parts: tuple[int, ...] = ()
        if message.edit_of is not None:
            target = await self.outbox.delivery(message.edit_of)
            earlier_parts = target.earlier_parts
            if target.status is OutboxStatus.PENDING:
                raise _TargetPending
            target_id = target.message_id
            if target.status is not OutboxStatus.SENT or target_id is None:
                if message.delete_first:
                    return ()  # never arrived: there is nothing to take back
                # The message to edit never arrived; there is nothing to change.
                raise BadRequest("message to edit not found")
        if target_id is None:
            raise BadRequest("message to edit not found")
        if message.delete_first:
            # Every part of a long copy, not only the last.
            for part in (*earlier_parts, target_id):
                await self._take_back(message, part)
            return (target_id,)
        markup = (
            InlineKeyboardMarkup.de_json(json.loads(message.markup_json), self.bot)
            if message.markup_json
            else None
        )
        await self.bot.edit_message_text(
            message.body_html, chat_id=message.chat_id, message_id=target_id, reply_markup=markup
        )
        return (target_id,)

    async def _take_back(self, message: OutboxMessage, target_id: int) -> None:
        """Delete a copy of what a patient erased; where Telegram no longer allows it (after
        48 hours) overwrite its text. A copy the chat no longer has is taken back already."""
        try:
            await self.bot.delete_message(chat_id=message.chat_id, message_id=target_id)
            return
        except BadRequest as error:
            log.info("outbox %s: cannot delete, overwriting instead: %s", message.id, error.message)
        try:
            await self.bot.edit_message_text(
                message.body_html, chat_id=message.chat_id, message_id=target_id
            )
        except BadRequest as error:
            reason = error.message.lower()
            if "no text" in reason:
                # A file: Telegram keeps the file itself, but its caption (the patient's words)
                # can still be overwritten.
                await self.bot.edit_message_caption(
                    chat_id=message.chat_id, message_id=target_id, caption=message.body_html
                )
            elif "not found" in reason:
                log.info("outbox %s: the copy is gone already", message.id)
            else:
                raise


class _TargetPending(Exception):
    """The message an edit refers to has not been delivered yet."""
