"""The baseline for the end-to-end benchmark: a bare python-telegram-bot echo bot.

Long polling, one handler that replies with the text it got; nothing else. Reads the same
environment as `askdoc run`: TELEGRAM_BOT_TOKEN and TELEGRAM_API_BASE_URL. With `--aiohttp` it
sends through AskDoc's transport (bot/messaging/transport.py) instead of PTB's httpx, to show
what is left of AskDoc's cost once the transport is the same.

python -m bench.echo_bot [--aiohttp]   # from the project's folder; bench/e2e.py starts it
"""

from __future__ import annotations

import os
import signal
import sys

from telegram import Update
from telegram.ext import Application, ContextTypes, MessageHandler, filters


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    if message is not None and message.text is not None:
        await message.reply_text(message.text)


def main() -> None:
    builder = (
        Application.builder()
        .token(os.environ["TELEGRAM_BOT_TOKEN"])
        .base_url(os.environ.get("TELEGRAM_API_BASE_URL", "https://api.telegram.org/bot"))
    )
    if "--aiohttp" in sys.argv[1:]:
        from bot.messaging.transport import AiohttpRequest

        builder = builder.request(AiohttpRequest(connection_pool_size=32)).get_updates_request(
            AiohttpRequest(read_timeout=15.0)
        )
    application = builder.build()
    application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    application.run_polling(
        poll_interval=0,
        timeout=10,
        allowed_updates=Update.ALL_TYPES,
        stop_signals=(signal.SIGINT, signal.SIGTERM),
    )


if __name__ == "__main__":
    main()
