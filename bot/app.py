"""Wiring: build the Application, register every handler in one place, start and stop it."""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
import time
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from telegram import Update
from telegram.error import InvalidToken, NetworkError, TelegramError
from telegram.ext import (
    AIORateLimiter,
    ApplicationBuilder,
    CallbackQueryHandler,
    ContextTypes,
    InlineQueryHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot import commands, embeddings, i18n, texts
from bot.bank_files import FILE_KEY_PREFIX
from bot.config import Settings
from bot.embeddings import VectorSearch
from bot.flows import Services
from bot.handlers import (
    admin,
    callbacks,
    chasing,
    doctor,
    guards,
    inline,
    moderation,
    patient,
    privacy,
    safety,
)
from bot.handlers.context import AppState, AskDocApplication, AskDocContext, Running
from bot.messaging.courier import Courier
from bot.messaging.sending import DisclaimerBot
from bot.messaging.transport import AiohttpRequest
from bot.messaging.updates import ChatOrderedProcessor
from bot.models import BankEntry, DoctorProfile
from bot.progress import embed_with_progress
from bot.store import Store

log = logging.getLogger(__name__)

TELEGRAM_BASE_URL = "https://api.telegram.org/bot"

# How often the outbox is checked for retries that have come due.
OUTBOX_INTERVAL_SECONDS = 0.5
# How often stored questions without a reply are looked for, and how old one must be: any
# handler still working on it has long finished or failed by then.
RESUME_INTERVAL_SECONDS = 30.0
RESUME_AFTER_SECONDS = 60.0

# How often the heartbeat file (Connection.heartbeat) is touched while the bot runs; `askdoc
# health` calls the bot stuck once the file is older than its --max-age (60 s by default).
HEARTBEAT_INTERVAL_SECONDS = 10.0

# Long-poll length for getUpdates: long enough to be cheap, short enough to stop promptly.
POLL_TIMEOUT_SECONDS = 10
# Updates of different chats handled at once: enough to keep both cores busy while questions
# wait for the sentence encoder's thread (burst with the encoder: 28 -> 46 answered a second),
# few enough that a burst without it costs no more CPU per answer than one at a time.
UPDATES_AT_ONCE = 4

_MEDIA = (
    filters.Sticker.ALL
    | filters.PHOTO
    | filters.VOICE
    | filters.VIDEO
    | filters.VIDEO_NOTE
    | filters.AUDIO
    | filters.ANIMATION
    | filters.Document.ALL
    | filters.LOCATION
    | filters.CONTACT
    | filters.POLL
)


# A start that cannot reach the Bot API tries again after these pauses, then gives up.
START_RETRY_SECONDS = (1.0, 2.0, 4.0)


class BotApiUnreachable(Exception):
    """The Bot API could not be reached at start-up; the message says where and what to check
    (never the token)."""


@dataclass(frozen=True, slots=True)
class Connection:
    """How to reach the Bot API and how updates arrive."""

    token: str
    base_url: str = TELEGRAM_BASE_URL
    mode: str = "polling"
    webhook_secret: str | None = None
    # A file touched every HEARTBEAT_INTERVAL_SECONDS while the bot runs (ASKDOC_HEARTBEAT),
    # for a health check that cannot ask an HTTP port (polling mode has none).
    heartbeat: Path | None = None


def build_application(settings: Settings, connection: Connection) -> AskDocApplication:
    """The python-telegram-bot Application with AskDoc's bot, context and handlers."""
    limits = settings.telegram
    bot = DisclaimerBot(
        token=connection.token,
        base_url=connection.base_url,
        disclaimer=settings.disclaimer,
        disclaimers=settings.disclaimers,
        request=AiohttpRequest(connection_pool_size=32),
        get_updates_request=AiohttpRequest(read_timeout=POLL_TIMEOUT_SECONDS + 5),
        rate_limiter=AIORateLimiter(
            overall_max_rate=limits.messages_per_second,
            max_retries=limits.max_retries,
        ),
    )
    application: AskDocApplication = (
        ApplicationBuilder()
        .bot(bot)
        .context_types(ContextTypes(context=AskDocContext, bot_data=AppState))
        .concurrent_updates(ChatOrderedProcessor(UPDATES_AT_ONCE))
        .build()
    )
    register_handlers(application)
    return application


def register_handlers(application: AskDocApplication) -> None:
    """Every handler, in one ordered block. Order matters: in a group the first matching
    handler wins, and group -1 runs before group 0."""
    private = filters.ChatType.PRIVATE
    text = private & filters.UpdateType.MESSAGE & filters.TEXT & ~filters.COMMAND

    # Before anything else: the language to speak to the sender (it never stops the update).
    application.add_handler(TypeHandler(Update, safety.remember_language), group=-10)

    # A doctor's answer (a reply to a question, or text the bot asked for) is taken first;
    # the handler stops here when it took the text, and otherwise lets the patient side see it.
    application.add_handler(MessageHandler(text, doctor.doctor_text), group=-1)
    # A file from a doctor writing an answer goes with it, the same way.
    files = (
        private
        & filters.UpdateType.MESSAGE
        & (filters.PHOTO | filters.VOICE | filters.Document.ALL)
    )
    application.add_handler(MessageHandler(files, doctor.doctor_file), group=-4)
    # An application in progress takes its answers the same way. Its own group: in one group
    # only the first handler whose filter matches runs, even when it lets the text through.
    application.add_handler(MessageHandler(text, admin.registration_text), group=-2)
    # An admin's new public question for a bank entry, the same way.
    application.add_handler(MessageHandler(text, moderation.admin_text), group=-3)

    commands.register_commands(application)
    # After every known command: whatever command is left is unknown.
    application.add_handler(MessageHandler(private & filters.COMMAND, patient.unknown_command))
    application.add_handler(
        MessageHandler(
            private & filters.UpdateType.EDITED_MESSAGE & filters.TEXT, patient.edited_question
        )
    )
    application.add_handler(MessageHandler(text, patient.ask))
    application.add_handler(MessageHandler(private & _MEDIA, patient.media))

    buttons = [
        (callbacks.OPEN_MATCH, patient.open_match),
        (callbacks.ASK_A_DOCTOR, patient.ask_a_doctor),
        (callbacks.RATE, patient.rate),
        (callbacks.FOLLOW_UP, patient.follow_up),
        (callbacks.KEEP_PRIVATE, privacy.keep_private),
        (callbacks.FORGET, privacy.confirm_forget),
        (callbacks.REPORT, moderation.report_answer),
        (callbacks.ANSWER, doctor.take_question),
        (callbacks.SKIP, doctor.skip_question),
        (callbacks.ASK_DETAILS, doctor.ask_for_details),
        (callbacks.FILE_JOIN, patient.join_file),
        (callbacks.FILE_NEW, patient.file_for_new_question),
        (callbacks.SEND, doctor.preview_action),
        (callbacks.EDIT, doctor.preview_action),
        (callbacks.CANCEL, doctor.preview_action),
        (callbacks.EDIT_PUBLIC, doctor.preview_action),
        (callbacks.DONT_PUBLISH, doctor.preview_action),
        (callbacks.PUBLISH, doctor.preview_action),
        (callbacks.REVISE, doctor.revise_answer),
        (callbacks.APPROVE, admin.decide_application),
        (callbacks.REJECT, admin.decide_application),
        (callbacks.REVOKE, admin.change_access),
        (callbacks.RESTORE, admin.change_access),
        (callbacks.ENTRY_PUBLISH, moderation.entry_action),
        (callbacks.ENTRY_EDIT, moderation.entry_action),
        (callbacks.ENTRY_REJECT, moderation.entry_action),
        (callbacks.ENTRY_HIDE, moderation.entry_action),
        (callbacks.ENTRY_RESTORE, moderation.entry_action),
        (callbacks.ENTRY_DELETE, moderation.entry_action),
        (callbacks.REPORT_HIDE, moderation.report_action),
        (callbacks.REPORT_KEEP, moderation.report_action),
        (callbacks.BLOCK, moderation.block_button),
        (callbacks.COUNTRY, safety.country_button),
        (callbacks.LANGUAGE, safety.language_button),
    ]
    for prefix, callback in buttons:
        application.add_handler(CallbackQueryHandler(callback, pattern=callbacks.pattern(prefix)))
    # `@bot words` in any chat: no private-chat filter here.
    application.add_handler(InlineQueryHandler(inline.search_bank))
    # Last: any button data we did not recognise above is refused.
    application.add_handler(CallbackQueryHandler(guards.unknown_button))
    application.add_error_handler(on_error)


async def on_error(update: object, context: AskDocContext) -> None:
    """Log the failure and tell the user, without losing what they sent (it is stored first)."""
    log.error(
        "handler failed for update %s", getattr(update, "update_id", None), exc_info=context.error
    )
    if isinstance(update, Update) and update.effective_chat is not None:
        try:
            await context.bot.send_message(update.effective_chat.id, _apology(update, context))
        except Exception:
            log.warning("could not tell chat about the failure", exc_info=True)


def _apology(update: Update, context: AskDocContext) -> str:
    """The apology in the language of who sent the update, or in English when even that cannot
    be told (the failure being handled may be the store's)."""
    try:
        return guards.words_of_sender(update, context)("internal-error")
    except Exception:
        log.warning("could not tell the language of a failed update's sender", exc_info=True)
        return texts.ENGLISH("internal-error")


async def _multilingual_vectors(settings: Settings, store: Store) -> VectorSearch | None:
    """The bank in the multilingual encoder's space, when the bot speaks languages besides
    English (questions in English keep to the English encoder either way)."""
    if not settings.beyond_english:
        return None
    encoder = embeddings.load_multilingual_encoder(
        settings.matching.encoder, settings.matching.encoder_threads
    )
    if encoder is None:
        return None
    embedded = await embed_with_progress(store, encoder, store.multilingual_vectors)
    if embedded:
        log.info("embedded %d bank questions for questions in other languages", embedded)
    return await store.multilingual_vectors.load(encoder)


async def open_services(
    application: AskDocApplication,
    settings: Settings,
    bank: Sequence[BankEntry],
    heartbeat: Path | None = None,
) -> None:
    """Open the database, sync the answers folder into it and publish the command menus;
    touch `heartbeat`, if given, every few seconds once the bot has started."""
    if heartbeat is not None:
        # A file left by an earlier run (a restarted container) must not vouch for this one.
        await asyncio.to_thread(heartbeat.unlink, missing_ok=True)
    store = await Store.open(settings.database)
    stats = await store.bank.import_entries(bank)
    removed = await store.bank.remove_entries_except(FILE_KEY_PREFIX, [entry.key for entry in bank])
    log.info(
        "answers synced: %d added, %d updated, %d unchanged, %d removed",
        stats.added,
        stats.updated,
        stats.unchanged,
        removed,
    )
    withdrawn = await store.bank.reconcile_index()
    if withdrawn:
        log.info("took %d unpublished questions out of the search index", withdrawn)
    # Embeds only questions that lack a vector (all of them once, after a fresh import).
    encoder = embeddings.load_encoder(settings.matching.encoder, settings.matching.encoder_threads)
    if encoder is not None:
        embedded = await embed_with_progress(store, encoder)
        if embedded:
            log.info("embedded %d bank questions for matching", embedded)
    vectors = await store.vectors.load_if(encoder)
    multilingual_vectors = await _multilingual_vectors(settings, store)
    await store.doctors.sync_config(
        [
            DoctorProfile(
                telegram_id=doctor.telegram_id,
                name=doctor.name,
                title=doctor.title,
                location=doctor.location,
                specialties=doctor.specialties,
                languages=doctor.languages,
            )
            for doctor in settings.doctors
        ]
    )
    await store.preferences.load()
    application.bot.use_languages(store.preferences.language_of)
    courier = Courier(store.outbox, application.bot, settings.telegram.messages_per_chat_per_second)
    catalog = i18n.Catalog(languages=settings.languages)
    menus = commands.menus(catalog)
    application.bot_data.running = Running(
        services=Services(
            settings=settings,
            store=store,
            vectors=vectors,
            multilingual_vectors=multilingual_vectors,
        ),
        courier=courier,
        menus=menus,
        catalog=catalog,
    )
    await menus.publish(
        application.bot,
        await store.doctors.of_the_bot(),
        settings.admin_ids,
        settings.languages,
        lambda telegram_id: store.preferences.language_of(telegram_id) or settings.default_language,
    )
    # Retries and anything left from before a restart go out from here; fresh messages are
    # drained at once by the handler that queued them.
    job_queue = application.job_queue
    assert job_queue is not None
    job_queue.run_repeating(drain_outbox, interval=OUTBOX_INTERVAL_SECONDS, first=0)
    # At start every question stored before a crash, whatever its age; then the stragglers.
    job_queue.run_once(patient.resume_unsettled, when=0, data=0.0)
    job_queue.run_repeating(
        patient.resume_unsettled,
        interval=RESUME_INTERVAL_SECONDS,
        first=RESUME_INTERVAL_SECONDS,
        data=RESUME_AFTER_SECONDS,
    )
    routing = settings.routing
    chase = chasing.chase_interval(routing.remind_after_minutes, routing.escalate_after_minutes)
    job_queue.run_repeating(chasing.chase_waiting_questions, interval=chase, first=chase)
    retention = privacy.retention_interval(settings.privacy.retention_days)
    job_queue.run_once(privacy.expire_old_data, when=0)
    job_queue.run_repeating(privacy.expire_old_data, interval=retention, first=retention)
    if heartbeat is not None:
        # Jobs run only once the application has started, and only while its event loop is
        # free to run them: a stale file means a bot that is stuck, stopped or never started.
        # The first beat is a job of its own: a repeating job's first=0 lies in the past by the
        # time the job queue starts, and the scheduler then skips to the second beat.
        job_queue.run_once(touch_heartbeat, when=0, data=heartbeat)
        job_queue.run_repeating(
            touch_heartbeat,
            interval=HEARTBEAT_INTERVAL_SECONDS,
            first=HEARTBEAT_INTERVAL_SECONDS,
            data=heartbeat,
        )


async def touch_heartbeat(context: AskDocContext) -> None:
    """Job: write the current time into the heartbeat file (its age is what counts)."""
    path = context.job.data if context.job is not None else None
    if not isinstance(path, Path):
        return
    try:
        await asyncio.to_thread(_write_heartbeat, path)
    except OSError as error:
        log.warning("cannot write the heartbeat file %s: %s", path, error.strerror or error)


def _write_heartbeat(path: Path) -> None:
    """Replace the file whole: whoever reads it never sees it emptied half-way through."""
    fresh = path.with_name(f".{path.name}.new")
    fresh.write_text(f"{time.time():.0f}\n", encoding="utf-8")
    os.replace(fresh, path)


async def drain_outbox(context: AskDocContext) -> None:
    """Job: deliver what the outbox holds."""
    await context.courier.drain()


async def close_services(application: AskDocApplication) -> None:
    """Let a delivery under way finish, then close the database."""
    try:
        running = application.bot_data.running
    except RuntimeError:
        return
    await running.courier.close()
    await running.services.store.close()
    application.bot_data.running = None


@asynccontextmanager
async def running_bot(
    settings: Settings,
    connection: Connection,
    bank: Sequence[BankEntry],
) -> AsyncIterator[AskDocApplication]:
    """Start the bot (polling or webhook), yield it while it serves, then stop it cleanly."""
    application = build_application(settings, connection)
    await _initialize(application, connection)
    try:
        await open_services(application, settings, bank, connection.heartbeat)
        updater = application.updater
        assert updater is not None
        if connection.mode == "webhook":
            hook = settings.telegram.webhook
            if not hook.public_url:
                raise ValueError("webhook mode needs telegram.webhook.public_url in the config")
            await updater.start_webhook(
                listen=hook.listen,
                port=hook.port,
                url_path=hook.url_path,
                webhook_url=f"{hook.public_url.rstrip('/')}/{hook.url_path}",
                secret_token=connection.webhook_secret or secrets.token_urlsafe(32),
                allowed_updates=Update.ALL_TYPES,
            )
        else:
            await updater.start_polling(
                poll_interval=0,
                timeout=POLL_TIMEOUT_SECONDS,
                allowed_updates=Update.ALL_TYPES,
                error_callback=_polling_failed(connection),
            )
        await application.start()
        try:
            yield application
        finally:
            if updater.running:
                await updater.stop()
            await application.stop()
    finally:
        await close_services(application)
        await application.shutdown()


def _unreachable(connection: Connection, error: TelegramError) -> str:
    # An HTTP library's message may quote the whole request URL, which holds the token; this
    # line is also printed, past the log's redaction.
    reason = error.message.replace(connection.token, "<token>")
    return (
        f"cannot reach the Telegram Bot API at {connection.base_url} ({reason}); check"
        " the network, TELEGRAM_API_BASE_URL and any HTTPS_PROXY"
    )


async def _initialize(application: AskDocApplication, connection: Connection) -> None:
    """Connect to the Bot API (getMe), trying again a few times before giving up."""
    for pause in (*START_RETRY_SECONDS, None):
        try:
            await application.initialize()
            return
        except InvalidToken:
            await application.bot.close_transports()
            raise BotApiUnreachable(
                f"the Telegram Bot API at {connection.base_url} refused the token; check"
                " TELEGRAM_BOT_TOKEN (from @BotFather)"
            ) from None
        except NetworkError as error:
            if pause is None:
                await application.bot.close_transports()
                raise BotApiUnreachable(_unreachable(connection, error)) from None
            log.warning("%s; trying again in %.0f s", _unreachable(connection, error), pause)
            await asyncio.sleep(pause)


def _polling_failed(connection: Connection) -> Callable[[TelegramError], None]:
    """One line per failed poll (PTB tries again, waiting longer each time, up to 30 s)."""

    def report(error: TelegramError) -> None:
        log.warning("%s; trying again", _unreachable(connection, error))

    return report


async def serve_until_stopped(
    settings: Settings, connection: Connection, bank: Sequence[BankEntry], stop: asyncio.Event
) -> None:
    """Run the bot until `stop` is set (by a signal, in the CLI)."""
    async with running_bot(settings, connection, bank):
        log.info("AskDoc is running (%s); press Ctrl+C to stop", connection.mode)
        await stop.wait()
