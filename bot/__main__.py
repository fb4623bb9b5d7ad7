"""The `askdoc` command: run, sandbox, check-config, import, eval, health. The only place that
reads the environment and the command line."""

from __future__ import annotations

import argparse
import asyncio
import ctypes
import logging
import os
import signal
import sys
import time
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from bot import embeddings, texts
from bot.app import TELEGRAM_BASE_URL, BotApiUnreachable, Connection, serve_until_stopped
from bot.bank_files import BankFileError, read_jsonl, read_question_folder
from bot.config import DEFAULT_CONFIG_PATH, ConfigError, Settings, load_settings
from bot.models import BankEntry
from bot.progress import Progress, count_lines, embed_with_progress
from bot.store import Store

EXIT_CONFIG = 2
# `askdoc health`: how old the heartbeat file may be before the bot counts as stuck. Six of
# the bot's 10-second beats, so a slow moment is not mistaken for a hang.
HEALTH_MAX_AGE_SECONDS = 60.0

log = logging.getLogger("askdoc")


class TokenRedactor(logging.Filter):
    """Keeps the bot token out of every log line, whoever logs it (httpx logs request URLs)."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self.token = token

    def filter(self, record: logging.LogRecord) -> bool:
        if not self.token:
            return True
        if self.token in record.getMessage():
            record.msg = record.getMessage().replace(self.token, "<token>")
            record.args = None
        if record.exc_info and not record.exc_text:
            # Tracebacks can quote URLs; format the exception here so it can be redacted too.
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = record.exc_text.replace(self.token, "<token>")
        return True


def configure_logging(token: str | None, level: int = logging.INFO) -> None:
    """Plain logs on stderr, with the token redacted and per-request noise turned down."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    if token:
        handler.addFilter(TokenRedactor(token))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # httpx (PTB's default transport, the emulator's client) logs every request URL, and the
    # URL carries the token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)


def _load(config_path: Path, environ: Mapping[str, str]) -> tuple[Settings, list[BankEntry]]:
    settings = load_settings(config_path, environ)
    return settings, read_question_folder(settings.answers_dir)


def command_check_config(args: argparse.Namespace, environ: Mapping[str, str]) -> int:
    """Validate the config and the answers folder."""
    settings, bank = _load(args.config, environ)
    answers = sum(len(entry.answers) for entry in bank)
    print(
        f"{args.config}: OK ({texts.count_of(len(bank), 'question')} with"
        f" {texts.count_of(answers, 'answer')} in "
        f"{settings.answers_dir}, database {settings.database})"
    )
    return 0


def _stop_on_signals(stop: asyncio.Event) -> None:
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)


# glibc's mallopt parameter for the number of heaps (arenas) threads allocate from.
_M_ARENA_MAX = -8


def fewer_malloc_arenas(environ: Mapping[str, str]) -> None:
    """Two malloc arenas, unless MALLOC_ARENA_MAX says otherwise. glibc gives each thread that
    allocates a heap of its own and keeps what was freed there: with the encoder and the
    matcher on worker threads, a million-question bot held about 30 MB more under a burst
    (docs/benchmarks.md). The bot's work is one event loop and a few workers; two suffice."""
    if not sys.platform.startswith("linux") or "MALLOC_ARENA_MAX" in environ:
        return
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:
        return  # not glibc (musl, say): nothing to tune
    libc.mallopt(_M_ARENA_MAX, 2)


def command_run(args: argparse.Namespace, environ: Mapping[str, str]) -> int:
    """Run the bot against Telegram (or TELEGRAM_API_BASE_URL)."""
    fewer_malloc_arenas(environ)
    settings, bank = _load(args.config, environ)
    token = environ.get("TELEGRAM_BOT_TOKEN", "").strip()
    configure_logging(token)
    if not token:
        print(
            "TELEGRAM_BOT_TOKEN is not set. Set it to the token @BotFather gave you, "
            "or try the bot offline with: askdoc sandbox",
            file=sys.stderr,
        )
        return EXIT_CONFIG
    mode = "webhook" if args.webhook else settings.telegram.mode
    if mode == "webhook" and not settings.telegram.webhook.public_url:
        print(
            f"{settings.source}: telegram.webhook.public_url: missing; webhook mode needs the "
            "public HTTPS address Telegram should post updates to.",
            file=sys.stderr,
        )
        return EXIT_CONFIG
    connection = Connection(
        token=token,
        base_url=environ.get("TELEGRAM_API_BASE_URL") or TELEGRAM_BASE_URL,
        mode=mode,
        webhook_secret=environ.get("TELEGRAM_WEBHOOK_SECRET") or None,
        heartbeat=_heartbeat_path(environ),
    )

    async def main() -> None:
        stop = asyncio.Event()
        _stop_on_signals(stop)
        await serve_until_stopped(settings, connection, bank, stop)

    try:
        asyncio.run(main())
    except BotApiUnreachable as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


def _heartbeat_path(environ: Mapping[str, str]) -> Path | None:
    value = environ.get("ASKDOC_HEARTBEAT", "").strip()
    return Path(value) if value else None


def command_health(args: argparse.Namespace, environ: Mapping[str, str]) -> int:
    """Exit 0 when the running bot's heartbeat file (ASKDOC_HEARTBEAT) is fresh, else say
    why in one line and exit 1 (a container health check)."""
    path = _heartbeat_path(environ)
    if path is None:
        print(
            "unhealthy: ASKDOC_HEARTBEAT is not set (the file `askdoc run` touches while it runs)",
            file=sys.stderr,
        )
        return 1
    try:
        age = time.time() - path.stat().st_mtime
    except FileNotFoundError:
        print(f"unhealthy: no heartbeat at {path}: the bot is not running (yet)", file=sys.stderr)
        return 1
    except OSError as error:
        print(f"unhealthy: cannot read {path}: {error.strerror or error}", file=sys.stderr)
        return 1
    if age > args.max_age:
        print(
            f"unhealthy: the heartbeat at {path} is {age:.0f} s old (more than"
            f" {args.max_age:g} s): the bot is stuck or stopped",
            file=sys.stderr,
        )
        return 1
    print(f"healthy: heartbeat {max(age, 0):.0f} s ago")
    return 0


def _positive_seconds(value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        seconds = 0.0
    if not seconds > 0:
        raise argparse.ArgumentTypeError(f"expected a number of seconds above 0, got {value!r}")
    return seconds


def command_sandbox(args: argparse.Namespace, environ: Mapping[str, str]) -> int:
    """Run the real bot against the built-in emulator, with a chat in this terminal."""
    from bot.sandbox import run_sandbox

    settings, bank = _load(args.config, environ)
    configure_logging(None, logging.WARNING)
    asyncio.run(run_sandbox(settings, bank))
    return 0


def command_import(args: argparse.Namespace, environ: Mapping[str, str]) -> int:
    """Import a folder of YAML questions or a JSONL file into the database."""
    settings = load_settings(args.config, environ)
    path: Path = args.path
    source: Iterable[BankEntry]
    if path.is_dir():
        folder = read_question_folder(path)
        source, total = folder, len(folder)
    elif path.suffix.lower() == ".jsonl":
        source, total = read_jsonl(path), count_lines(path)
    else:
        raise BankFileError(path, None, "expected a folder of .yaml files or a .jsonl file.")

    async def main() -> None:
        store = await Store.open(settings.database)
        try:
            with Progress("importing", total) as progress:
                stats = await store.bank.import_entries(source, on_progress=progress.advance)
            print(
                f"imported {texts.count_of(stats.total, 'question')} into {settings.database}:"
                f" {stats.added} added, {stats.updated} updated, {stats.unchanged} unchanged "
                f"({progress.rate():.0f} per second)"
            )
            # Embedding here (only what lacks a vector) keeps the bot's start fast.
            # Batches side by side on one thread each, whatever matching.encoder_threads
            # says: about 6% faster than on two threads each.
            encoder = embeddings.load_encoder(settings.matching.encoder)
            if encoder is not None:
                started = time.perf_counter()
                embedded = await embed_with_progress(store, encoder)
                print(
                    f"embedded {texts.count_of(embedded, 'question')} for matching "
                    f"in {time.perf_counter() - started:.0f} s"
                )
            multilingual = (
                embeddings.load_multilingual_encoder(settings.matching.encoder, threads=2)
                if settings.beyond_english
                else None
            )
            if multilingual is not None:
                started = time.perf_counter()
                embedded = await embed_with_progress(
                    store, multilingual, store.multilingual_vectors
                )
                print(
                    f"embedded {texts.count_of(embedded, 'question')} for questions in other "
                    f"languages in {time.perf_counter() - started:.0f} s"
                )
        finally:
            await store.close()

    asyncio.run(main())
    return 0


def command_eval(args: argparse.Namespace, environ: Mapping[str, str]) -> int:
    """Measure matching the way the bot matches, against a plain FTS5 baseline."""
    from bot.evaluation import run_evaluation

    settings = load_settings(args.config, environ)
    report = asyncio.run(
        run_evaluation(settings, args.bank, args.queries, args.results, signs=args.signs)
    )
    print(report)
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The command line."""
    parser = argparse.ArgumentParser(prog="askdoc", description="Ask a doctor: a Telegram bot.")
    commands = parser.add_subparsers(dest="command", required=True)

    def with_config(sub: argparse.ArgumentParser) -> argparse.ArgumentParser:
        sub.add_argument(
            "--config", type=Path, default=DEFAULT_CONFIG_PATH, help="config file (./config.yaml)"
        )
        return sub

    run = with_config(commands.add_parser("run", help="run the bot (TELEGRAM_BOT_TOKEN)"))
    run.add_argument("--webhook", action="store_true", help="use the webhook server, not polling")
    run.set_defaults(handler=command_run)
    sandbox = with_config(
        commands.add_parser("sandbox", help="chat with the bot offline, against the emulator")
    )
    sandbox.set_defaults(handler=command_sandbox)
    check = with_config(commands.add_parser("check-config", help="validate the config"))
    check.set_defaults(handler=command_check_config)
    importer = with_config(
        commands.add_parser(
            "import",
            help="import Q&As (folder or .jsonl)",
            description=(
                "Add questions and answers to the bank in the config's database: a folder of"
                " question files like answers/ (one YAML file per question), or a JSONL file"
                " with one {id, question, answer, source, url?, license} object per line"
                " (an answer of null makes a question that is matched but never shown)."
                " Importing again updates changed entries and adds nothing twice; the sentence"
                " encoder then embeds the new questions, so the bot starts fast."
            ),
        )
    )
    importer.add_argument("path", type=Path, help="a folder of .yaml questions, or a .jsonl file")
    importer.set_defaults(handler=command_import)
    evaluate = commands.add_parser(
        "eval", help="measure matching on a bank and labelled queries (JSONL)"
    )
    evaluate.add_argument("--bank", type=Path, required=True, help="bank JSONL file")
    evaluate.add_argument("--queries", type=Path, required=True, help="queries JSONL file")
    evaluate.add_argument("--results", type=Path, help="write one JSON line per query here")
    evaluate.add_argument(
        "--config", type=Path, default=DEFAULT_CONFIG_PATH, help="matching settings to use"
    )
    evaluate.add_argument(
        "--signs",
        action="store_true",
        help="hold only the vectors' signs, as the bot does from 200,000 questions on",
    )
    evaluate.set_defaults(handler=command_eval)
    health = commands.add_parser(
        "health",
        help="exit 0 if the running bot's heartbeat (ASKDOC_HEARTBEAT) is fresh",
        description=(
            "A health check for a container: `askdoc run` touches the file ASKDOC_HEARTBEAT"
            " names every 10 seconds while it serves; this exits 0 when that file is younger"
            " than --max-age, and otherwise says why in one line and exits 1."
        ),
    )
    health.add_argument(
        "--max-age",
        type=_positive_seconds,
        default=HEALTH_MAX_AGE_SECONDS,
        metavar="SECONDS",
        help=f"the oldest heartbeat that counts as healthy ({HEALTH_MAX_AGE_SECONDS:g})",
    )
    health.set_defaults(handler=command_health)
    return parser


def main(argv: Sequence[str] | None = None, environ: Mapping[str, str] | None = None) -> int:
    """Entry point of the `askdoc` console script."""
    args = build_parser().parse_args(argv)
    environ = os.environ if environ is None else environ
    try:
        return int(args.handler(args, environ))
    except ConfigError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_CONFIG
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
