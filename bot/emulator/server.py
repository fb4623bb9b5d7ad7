"""A Telegram Bot API server emulator on 127.0.0.1, driven from the same asyncio loop."""

# The public wait_* helpers keep a plain `timeout` argument: tests read better that way.
# ruff: noqa: ASYNC109

from __future__ import annotations

import asyncio
import contextlib
import copy
import itertools
import json
import logging
import mimetypes
import random
import re
import time
from collections.abc import Awaitable, Callable
from types import TracebackType
from typing import Any, TypeVar

import httpx
import tornado.httpserver
import tornado.netutil
import tornado.web

from bot.emulator.files import (
    MAX_CAPTION_LENGTH,
    MAX_DOCUMENT_BYTES,
    MAX_PHOTO_BYTES,
    MAX_VOICE_BYTES,
    StoredFile,
    UploadedFile,
    image_size,
)
from bot.emulator.formatting import (
    MAX_TEXT_LENGTH,
    EntityParseError,
    ParsedText,
    parse_html,
    utf16_len,
)
from bot.emulator.models import FAULT_KINDS, BotMessage, FakeUser, Fault, buttons_of
from bot.emulator.spec import CoercionError, coerce_param, is_primitive, method_spec

log = logging.getLogger(__name__)

Listener = Callable[[str, Any], None]
_Handler = Callable[[dict[str, Any], "_Call"], Awaitable[Any]]

T = TypeVar("T")

# Telegram leaves these out unless a bot asks for them explicitly.
_OPT_IN_UPDATES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
_BUTTON_ACTIONS = (
    "url",
    "callback_data",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)
_CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
_CONTENT_KEYS = ("text", "entities", "photo", "sticker", "voice", "document")
_COMMAND = re.compile(r"^/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]+)?")
_BOT_COMMAND = re.compile(r"^[a-z0-9_]{1,32}$")
_SECRET = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
_STALE_QUERY = "Bad Request: query is too old and response timeout expired or query ID is invalid"
# Telegram lets a bot delete a message only while it is younger than this.
_DELETE_WINDOW = 48 * 3600
_ATTACH = "attach://"
_WRONG_FILE = "wrong file identifier/HTTP URL specified"


class ApiError(Exception):
    def __init__(
        self, code: int, description: str, parameters: dict[str, Any] | None = None
    ) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.parameters = parameters

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.code,
            "description": self.description,
        }
        if self.parameters:
            body["parameters"] = self.parameters
        return body


def _bad(description: str) -> ApiError:
    return ApiError(400, f"Bad Request: {description}")


class _Call:
    """Per-request context: lets a long poll notice that its client went away."""

    def __init__(self) -> None:
        self.closed = asyncio.Event()


class _RequestHandler(tornado.web.RequestHandler):
    def initialize(self, emulator: TelegramEmulator) -> None:
        self.emulator = emulator
        self.call = _Call()

    def on_connection_close(self) -> None:
        self.call.closed.set()

    async def get(self, token: str, method: str) -> None:
        try:
            params = self._params()
        except ValueError:
            status, body = 400, _bad("can't parse request body as JSON object").body()
        else:
            status, body = await self.emulator.handle_request(token, method, params, self.call)
        if self.call.closed.is_set():
            return
        self.set_status(status)
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps(body, ensure_ascii=False))

    async def post(self, token: str, method: str) -> None:
        await self.get(token, method)

    def _params(self) -> dict[str, Any]:
        params: dict[str, Any] = {
            key: values[-1].decode("utf-8") for key, values in self.request.query_arguments.items()
        }
        content_type = self.request.headers.get("Content-Type", "")
        body = self.request.body
        if "json" in content_type or (
            body.lstrip().startswith(b"{")
            and "form" not in content_type
            and "multipart" not in content_type
        ):
            if body.strip():
                data = json.loads(body)
                if not isinstance(data, dict):
                    raise ValueError("JSON body must be an object")
                params.update(data)
            return params
        # Tornado has parsed form and multipart bodies (httputil.parse_body_arguments) by now.
        for key, values in self.request.body_arguments.items():
            params[key] = values[-1].decode("utf-8")
        files = {
            key: UploadedFile(parts[-1].filename, parts[-1].body, parts[-1].content_type)
            for key, parts in self.request.files.items()
        }
        # A part named after the field is that field's file; attach://<name> points at a part.
        params.update(files)
        for key, value in list(params.items()):
            if isinstance(value, str) and value.startswith(_ATTACH):
                part = files.get(value[len(_ATTACH) :])
                if part is not None:
                    params[key] = part
        return params


def _log_request(handler: tornado.web.RequestHandler) -> None:
    request = handler.request
    log.debug("%s %s -> %s", request.method, request.path, handler.get_status())


class _NotFoundHandler(tornado.web.RequestHandler):
    async def get(self) -> None:
        self.set_status(404)
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps({"ok": False, "error_code": 404, "description": "Not Found"}))

    async def post(self) -> None:
        await self.get()


class TelegramEmulator:
    """Speaks the Bot API over HTTP and plays the users' side from Python.

    Everything runs in the caller's asyncio loop, so tests can interleave user
    actions and assertions without threads or locks.
    """

    def __init__(
        self,
        token: str = "123456:TEST-TOKEN",
        bot_username: str = "askdoc_test_bot",
        bot_first_name: str = "AskDoc",
    ) -> None:
        self.token = token
        prefix = token.split(":", 1)[0]
        self.bot_id = int(prefix) if prefix.isdigit() else 123456
        self.bot_username = bot_username
        self.bot_first_name = bot_first_name
        self.host = "127.0.0.1"
        self.port = 0

        self.requests: list[tuple[str, dict[str, Any]]] = []
        self.callback_answers: list[dict[str, Any]] = []
        self.chat_actions: list[dict[str, Any]] = []
        # (spec type, object) for every object sent to the bot, for schema checks.
        self.returned_objects: list[tuple[str, Any]] = []

        self._updates: list[dict[str, Any]] = []
        # Every update ever queued, for tests that replay one.
        self.update_history: list[dict[str, Any]] = []
        self._update_ids = itertools.count(1)
        self._allowed_updates: list[str] = []
        self._webhook: dict[str, Any] | None = None
        self._webhook_error: tuple[int, str] | None = None
        self._webhook_task: asyncio.Task[None] | None = None
        self._poll_generation = 0

        self._users: dict[int, FakeUser] = {}
        self._user_ids = itertools.count(10_001)
        self._chats: dict[int, dict[str, Any]] = {}
        self._blocked: set[int] = set()
        self._messages: dict[int, dict[int, dict[str, Any]]] = {}
        self._next_message_id: dict[int, int] = {}
        self._current: dict[tuple[int, int], BotMessage] = {}
        self._revisions: list[BotMessage] = []
        self._inline_messages: dict[str, tuple[int, int]] = {}
        self._callback_queries: dict[str, bool] = {}
        self._inline_queries: dict[str, dict[str, Any]] = {}
        self._inline_answers: dict[str, list[dict[str, Any]]] = {}
        self._ids = itertools.count(1)
        self._commands: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self._files: dict[str, StoredFile] = {}
        self._clock_offset = 0.0
        self._faults: list[Fault] = []
        # Faults drawn at random for a share of a method's requests (load tests and soaks).
        self._random_faults: dict[str, tuple[float, tuple[Fault, ...]]] = {}
        self._random = random.Random(0)
        self._listeners: list[Listener] = []

        self._changed = asyncio.Event()
        self._stopping = False
        self._server: tornado.httpserver.HTTPServer | None = None
        self._http: httpx.AsyncClient | None = None
        self._methods: dict[str, _Handler] = {
            "getMe": self._get_me,
            "getUpdates": self._get_updates,
            "setWebhook": self._set_webhook,
            "deleteWebhook": self._delete_webhook,
            "getWebhookInfo": self._get_webhook_info,
            "sendMessage": self._send_message,
            "sendDocument": self._send_document,
            "sendPhoto": self._send_photo,
            "sendVoice": self._send_voice,
            "editMessageText": self._edit_message_text,
            "editMessageCaption": self._edit_message_caption,
            "editMessageReplyMarkup": self._edit_message_reply_markup,
            "answerCallbackQuery": self._answer_callback_query,
            "answerInlineQuery": self._answer_inline_query,
            "setMyCommands": self._set_my_commands,
            "getMyCommands": self._get_my_commands,
            "deleteMyCommands": self._delete_my_commands,
            "sendChatAction": self._send_chat_action,
            "copyMessage": self._copy_message,
            "forwardMessage": self._forward_message,
            "deleteMessage": self._delete_message,
            "close": self._ok,
            "logOut": self._ok,
        }

    # ------------------------------------------------------------------ lifecycle

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}/bot"

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> None:
        app = tornado.web.Application(
            [
                (r"/bot([^/]*)/([^/]*)", _RequestHandler, {"emulator": self}),
                (r".*", _NotFoundHandler),
            ],
            # Error statuses are the point of many tests; keep them out of warning logs.
            log_function=_log_request,
        )
        sockets = tornado.netutil.bind_sockets(port, host)
        self._server = tornado.httpserver.HTTPServer(app)
        self._server.add_sockets(sockets)
        self.host = host
        self.port = sockets[0].getsockname()[1]
        self._stopping = False
        self._http = httpx.AsyncClient()

    async def stop(self) -> None:
        self._stopping = True
        self._notify()
        if self._webhook_task is not None:
            self._webhook_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._webhook_task
            self._webhook_task = None
        if self._server is not None:
            self._server.stop()
            await self._server.close_all_connections()
            self._server = None
        if self._http is not None:
            await self._http.aclose()
            self._http = None

    async def __aenter__(self) -> TelegramEmulator:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    # ------------------------------------------------------------------ faults

    def inject_fault(
        self,
        method: str,
        kind: str,
        times: int = 1,
        *,
        retry_after: int = 1,
        delay: float = 0.0,
        chat_id: int | None = None,
    ) -> None:
        if kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {kind!r}; expected one of {sorted(FAULT_KINDS)}")
        self._faults.append(Fault(method.lower(), kind, times, retry_after, delay, chat_id))

    def inject_random_faults(
        self,
        method: str,
        share: float,
        kinds: tuple[str, ...] = ("500", "timeout"),
        *,
        delay: float = 10.0,
        retry_after: int = 1,
        seed: int = 0,
    ) -> None:
        """From now on, fail `share` of `method`'s requests with one of `kinds`, drawn at
        random (seeded): a timeout hangs for `delay` seconds, then fails."""
        unknown = set(kinds) - FAULT_KINDS
        if unknown:
            raise ValueError(
                f"unknown fault kinds {sorted(unknown)}; expected {sorted(FAULT_KINDS)}"
            )
        faults = tuple(Fault(method.lower(), kind, 1, retry_after, delay) for kind in kinds)
        self._random_faults[method.lower()] = (share, faults)
        self._random = random.Random(seed)

    def clear_faults(self) -> None:
        self._faults.clear()
        self._random_faults.clear()

    def _take_fault(self, method: str, params: dict[str, Any]) -> Fault | None:
        drawn = self._random_faults.get(method.lower())
        if drawn is not None and self._random.random() < drawn[0]:
            return self._random.choice(drawn[1])
        for fault in self._faults:
            if fault.method != method.lower() or fault.remaining <= 0:
                continue
            if fault.chat_id is not None and params.get("chat_id") != fault.chat_id:
                continue
            fault.remaining -= 1
            if fault.remaining <= 0:
                self._faults.remove(fault)
            return fault
        return None

    # ------------------------------------------------------------------ clock

    def now(self) -> int:
        """The emulator's unix time: the real clock plus whatever advance_clock() added."""
        return int(time.time() + self._clock_offset)

    def advance_clock(self, seconds: float) -> None:
        """Move the emulator's clock forward: every message sent so far looks ``seconds``
        older (e.g. too old to delete), and new messages are dated on the moved clock."""
        if seconds < 0:
            raise ValueError("the clock only moves forward")
        self._clock_offset += seconds
        self._notify()

    # ------------------------------------------------------------------ request path

    async def handle_request(
        self, token: str, method: str, raw: dict[str, Any], call: _Call
    ) -> tuple[int, dict[str, Any]]:
        if token != self.token:
            return 401, ApiError(401, "Unauthorized").body()
        spec = method_spec(method)
        if spec is None:
            self.requests.append((method, raw))
            return 404, ApiError(404, "Not Found").body()
        name: str = spec["name"]
        try:
            params = self._validate(spec, raw)
        except ApiError as error:
            self.requests.append((name, raw))
            return error.code, error.body()
        self.requests.append((name, params))
        try:
            fault = self._take_fault(name, params)
            if fault is not None:
                await self._apply_fault(fault)
            handler = self._methods.get(name)
            if handler is None:
                raise _bad("method not supported by the emulator")
            result = await handler(params, call)
        except ApiError as error:
            return error.code, error.body()
        except Exception:
            # An emulator bug must look like a server error to the bot, not hang it.
            log.exception("emulator failed handling %s", name)
            return 500, ApiError(500, "Internal Server Error").body()
        self._record_result(spec.get("returns", []), result)
        return 200, {"ok": True, "result": result}

    async def _apply_fault(self, fault: Fault) -> None:
        if fault.kind == "429":
            raise ApiError(
                429,
                f"Too Many Requests: retry after {fault.retry_after}",
                {"retry_after": fault.retry_after},
            )
        if fault.kind == "500":
            raise ApiError(500, "Internal Server Error")
        if fault.kind == "502":
            raise ApiError(502, "Bad Gateway")
        if fault.kind == "403":
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        await asyncio.sleep(fault.delay)
        if fault.kind == "timeout":
            # The client has given up by now; whoever still listens learns nothing was done.
            raise ApiError(504, "Gateway Timeout")

    def _validate(self, spec: dict[str, Any], raw: dict[str, Any]) -> dict[str, Any]:
        params: dict[str, Any] = {}
        for field in spec.get("fields", []):
            name = field["name"]
            if name not in raw or raw[name] is None:
                if field["required"]:
                    what = "message text" if name == "text" else name
                    raise _bad(f"{what} is empty")
                continue
            try:
                params[name] = coerce_param(raw[name], field["types"])
            except CoercionError as error:
                expected = " or ".join(field["types"])
                raise _bad(f'parameter "{name}" must be {expected}: {error}') from None
        return params

    def _record_result(self, returns: list[str], result: Any) -> None:
        if isinstance(result, list):
            for type_name in returns:
                if type_name.startswith("Array of ") and not is_primitive(type_name):
                    item_type = type_name[len("Array of ") :]
                    for item in result:
                        self.returned_objects.append((item_type, copy.deepcopy(item)))
                    return
        elif isinstance(result, dict):
            for type_name in returns:
                if not type_name.startswith("Array of ") and not is_primitive(type_name):
                    self.returned_objects.append((type_name, copy.deepcopy(result)))
                    return

    # ------------------------------------------------------------------ state helpers

    def _notify(self) -> None:
        # Waiters hold the current event; swapping it wakes all of them exactly once.
        self._changed.set()
        self._changed = asyncio.Event()

    def add_listener(self, listener: Listener) -> None:
        """Call ``listener(kind, payload)`` on "message"/"edit"/"delete" (BotMessage),
        "callback_answer"/"inline_answer"/"chat_action" (params dict)."""
        self._listeners.append(listener)

    def _emit(self, kind: str, payload: Any) -> None:
        self._notify()
        for listener in self._listeners:
            try:
                listener(kind, payload)
            except Exception:
                log.exception("emulator listener failed")

    @property
    def bot_user(self) -> dict[str, Any]:
        return {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": self.bot_first_name,
            "username": self.bot_username,
        }

    def _lookup_user(self, user_id: int) -> dict[str, Any] | None:
        if user_id == self.bot_id:
            return self.bot_user
        user = self._users.get(user_id)
        return user.to_dict() if user else None

    def _chat(self, chat_id: Any, *, sending: bool = False) -> dict[str, Any]:
        chat: dict[str, Any] | None = None
        if isinstance(chat_id, int):
            chat = self._chats.get(chat_id)
        elif isinstance(chat_id, str):
            # Like Telegram, @username reaches public groups/channels only, never a user.
            wanted = chat_id.removeprefix("@").lower()
            chat = next(
                (
                    c
                    for c in self._chats.values()
                    if c["type"] != "private" and str(c.get("username", "")).lower() == wanted
                ),
                None,
            )
        if chat is None:
            raise _bad("chat not found")
        if sending and chat["id"] in self._blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        return chat

    def _render(self, text: str, parse_mode: str | None, entities: Any) -> ParsedText:
        mode = (parse_mode or "").lower()
        if mode == "html":
            try:
                return parse_html(text, self._lookup_user)
            except EntityParseError as error:
                raise _bad(f"can't parse entities: {error}") from None
        if mode in ("", "markdown", "markdownv2"):
            # Markdown is not interpreted: the text is kept verbatim.
            return ParsedText(text, list(entities or []))
        raise _bad(f"unsupported parse_mode {parse_mode!r}")

    @staticmethod
    def _check_text(parsed: ParsedText, what: str = "message text") -> None:
        if not parsed.text.strip():
            raise _bad(f"{what} is empty")
        if utf16_len(parsed.text) > MAX_TEXT_LENGTH:
            raise _bad(f"{'message' if what == 'message text' else what} is too long")

    @staticmethod
    def _check_markup(markup: dict[str, Any] | None) -> None:
        if not markup or "inline_keyboard" not in markup:
            return
        for row in markup["inline_keyboard"]:
            for button in row:
                if not button.get("text"):
                    raise _bad("BUTTON_TEXT_INVALID")
                actions = [key for key in _BUTTON_ACTIONS if key in button]
                if not actions:
                    raise _bad(
                        "can't parse inline keyboard button: "
                        "Text buttons are unallowed in the inline keyboard"
                    )
                if len(actions) > 1:
                    raise _bad(
                        "can't parse inline keyboard button: "
                        f"exactly one action field is allowed, got {actions}"
                    )
                if "callback_data" in button:
                    size = len(str(button["callback_data"]).encode("utf-8"))
                    if not 1 <= size <= 64:
                        raise _bad("BUTTON_DATA_INVALID")
                if "url" in button and not re.match(r"^(https?|tg)://", str(button["url"])):
                    raise _bad("BUTTON_URL_INVALID")

    def _new_message_id(self, chat_id: int) -> int:
        message_id = self._next_message_id.get(chat_id, 1)
        self._next_message_id[chat_id] = message_id + 1
        return message_id

    def _store(self, message: dict[str, Any]) -> None:
        self._messages.setdefault(message["chat"]["id"], {})[message["message_id"]] = message

    def _stored(self, chat_id: int, message_id: int) -> dict[str, Any] | None:
        return self._messages.get(chat_id, {}).get(message_id)

    def _revision(
        self, message: dict[str, Any], html: str | None, markup: dict[str, Any] | None
    ) -> BotMessage:
        key = (message["chat"]["id"], message["message_id"])
        previous = self._current.get(key)
        revision = BotMessage(
            chat_id=key[0],
            message_id=key[1],
            text=message.get("text", message.get("caption", "")),
            html=html,
            entities=copy.deepcopy(message.get("entities", message.get("caption_entities", []))),
            reply_markup=copy.deepcopy(markup),
            buttons=buttons_of(markup),
            date=message["date"],
            edit_count=previous.edit_count + 1 if previous else 0,
            raw=copy.deepcopy(message),
            via_inline="via_bot" in message,
            caption=message.get("caption"),
            document=copy.deepcopy(message.get("document")),
            photo=copy.deepcopy(message.get("photo", [])),
            voice=copy.deepcopy(message.get("voice")),
            has_protected_content=bool(message.get("has_protected_content")),
        )
        self._current[key] = revision
        self._revisions.append(revision)
        self._emit("edit" if previous else "message", revision)
        return revision

    def _queue_update(self, kind: str, payload: dict[str, Any]) -> dict[str, Any]:
        update = {"update_id": next(self._update_ids), kind: copy.deepcopy(payload)}
        self._updates.append(update)
        self.update_history.append(update)
        self._notify()
        return update

    def redeliver(self, update: dict[str, Any]) -> None:
        """Queue an update again with its own id, as Telegram does when a bot died before
        confirming it."""
        self._updates.append(copy.deepcopy(update))
        self._notify()

    @staticmethod
    def _update_type(update: dict[str, Any]) -> str:
        return next(key for key in update if key != "update_id")

    def _wanted(self, update: dict[str, Any], allowed: list[str]) -> bool:
        kind = self._update_type(update)
        return kind in allowed if allowed else kind not in _OPT_IN_UPDATES

    # ------------------------------------------------------------------ Bot API methods

    async def _ok(self, params: dict[str, Any], call: _Call) -> Any:
        return True

    async def _get_me(self, params: dict[str, Any], call: _Call) -> Any:
        return {
            **self.bot_user,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": True,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    async def _get_updates(self, params: dict[str, Any], call: _Call) -> Any:
        if self._webhook is not None:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        # A newer getUpdates ends an older one, as Telegram does for duplicate bot instances.
        self._poll_generation += 1
        generation = self._poll_generation
        self._notify()
        offset = params.get("offset")
        if offset is not None:
            if offset < 0:
                del self._updates[: max(0, len(self._updates) + offset)]
            else:
                self._updates = [u for u in self._updates if u["update_id"] >= offset]
        if "allowed_updates" in params:
            self._allowed_updates = list(params["allowed_updates"])
        limit = max(1, min(100, params.get("limit", 100)))
        timeout = max(0, params.get("timeout", 0))
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            if generation != self._poll_generation:
                raise ApiError(
                    409,
                    "Conflict: terminated by other getUpdates request; "
                    "make sure that only one bot instance is running",
                )
            if self._webhook is not None:
                raise ApiError(409, "Conflict: webhook was set while getUpdates was waiting")
            # Updates the bot has not subscribed to are dropped, never delivered later.
            self._updates = [u for u in self._updates if self._wanted(u, self._allowed_updates)]
            remaining = deadline - asyncio.get_running_loop().time()
            if self._updates or remaining <= 0 or self._stopping or call.closed.is_set():
                return copy.deepcopy(self._updates[:limit])
            waiters = [
                asyncio.ensure_future(self._changed.wait()),
                asyncio.ensure_future(call.closed.wait()),
            ]
            try:
                await asyncio.wait(waiters, timeout=remaining, return_when=asyncio.FIRST_COMPLETED)
            finally:
                for waiter in waiters:
                    waiter.cancel()

    async def _set_webhook(self, params: dict[str, Any], call: _Call) -> Any:
        url = params["url"]
        if not url:
            return await self._delete_webhook(params, call)
        if not re.match(r"^https?://", url):
            raise _bad("bad webhook: An HTTPS URL must be provided for webhook")
        secret = params.get("secret_token")
        if secret is not None and not _SECRET.match(secret):
            raise _bad("secret token contains unallowed characters")
        if params.get("drop_pending_updates"):
            self._updates.clear()
        if "allowed_updates" in params:
            self._allowed_updates = list(params["allowed_updates"])
        self._webhook = {
            "url": url,
            "secret_token": secret,
            "max_connections": params.get("max_connections", 40),
            "ip_address": params.get("ip_address"),
        }
        self._webhook_error = None
        self._notify()
        if self._webhook_task is None or self._webhook_task.done():
            self._webhook_task = asyncio.create_task(self._deliver_webhooks())
        return True

    async def _delete_webhook(self, params: dict[str, Any], call: _Call) -> Any:
        self._webhook = None
        if params.get("drop_pending_updates"):
            self._updates.clear()
        self._notify()
        return True

    async def _get_webhook_info(self, params: dict[str, Any], call: _Call) -> Any:
        info: dict[str, Any] = {
            "url": self._webhook["url"] if self._webhook else "",
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }
        if self._webhook:
            info["max_connections"] = self._webhook["max_connections"]
            if self._allowed_updates:
                info["allowed_updates"] = list(self._allowed_updates)
            if self._webhook_error:
                info["last_error_date"], info["last_error_message"] = self._webhook_error
        return info

    async def _deliver_webhooks(self) -> None:
        backoff = 0.05
        while self._webhook is not None and not self._stopping:
            hook = self._webhook
            self._updates = [u for u in self._updates if self._wanted(u, self._allowed_updates)]
            if not self._updates:
                await self._changed.wait()
                continue
            update = self._updates[0]
            headers = {"Content-Type": "application/json"}
            if hook["secret_token"]:
                headers["X-Telegram-Bot-Api-Secret-Token"] = hook["secret_token"]
            error: str | None = None
            assert self._http is not None
            try:
                response = await self._http.post(
                    hook["url"], content=json.dumps(update), headers=headers, timeout=10.0
                )
                if not 200 <= response.status_code < 300:
                    error = (
                        "Wrong response from the webhook: "
                        f"{response.status_code} {response.reason_phrase}"
                    )
            except httpx.HTTPError as exc:
                error = f"Connection failed: {exc!r}"
            if error is None:
                backoff = 0.05
                if self._updates and self._updates[0] is update:
                    self._updates.pop(0)
                    self.returned_objects.append(("Update", copy.deepcopy(update)))
                    self._notify()
                continue
            self._webhook_error = (self.now(), error)
            await asyncio.sleep(backoff)
            backoff = min(backoff * 2, 1.0)

    def _new_bot_message(self, chat: dict[str, Any]) -> dict[str, Any]:
        """The fields every message the bot sends starts with."""
        return {
            "message_id": self._new_message_id(chat["id"]),
            "from": self.bot_user,
            "chat": chat,
            "date": self.now(),
        }

    async def _send_message(self, params: dict[str, Any], call: _Call) -> Any:
        chat = self._chat(params["chat_id"], sending=True)
        parsed = self._render(params["text"], params.get("parse_mode"), params.get("entities"))
        self._check_text(parsed)
        markup = params.get("reply_markup")
        self._check_markup(markup)
        message: dict[str, Any] = {
            **self._new_bot_message(chat),
            "text": parsed.text,
        }
        if parsed.entities:
            message["entities"] = parsed.entities
        if params.get("protect_content"):
            message["has_protected_content"] = True
        self._attach_reply(message, params)
        if markup and "inline_keyboard" in markup:
            message["reply_markup"] = markup
        self._store(message)
        html = params["text"] if (params.get("parse_mode") or "").lower() == "html" else None
        self._revision(message, html, markup)
        return copy.deepcopy(message)

    def _caption(self, params: dict[str, Any]) -> ParsedText | None:
        """The caption (parsed like a message text) and its entities; None without one."""
        if "caption" not in params:
            return None
        parsed = self._render(
            params["caption"], params.get("parse_mode"), params.get("caption_entities")
        )
        if utf16_len(parsed.text) > MAX_CAPTION_LENGTH:
            raise _bad("message caption is too long")
        return parsed if parsed.text.strip() else None

    def _new_file(self, kind: str, data: bytes = b"", **details: Any) -> StoredFile:
        n = next(self._ids)
        return StoredFile(f"{kind}-file-{n}", f"{kind}-u{n}", kind, data, **details)

    def _input_file(self, value: Any, kind: str) -> StoredFile:
        """The file an InputFile-or-String parameter names: a new upload (not yet kept)
        or a file Telegram already holds, by file_id."""
        if isinstance(value, UploadedFile):
            limit = {"photo": MAX_PHOTO_BYTES, "voice": MAX_VOICE_BYTES}.get(
                kind, MAX_DOCUMENT_BYTES
            )
            if not value.body:
                raise _bad("file must be non-empty")
            if value.size > limit:
                if kind == "photo":
                    raise _bad("PHOTO_SAVE_FILE_INVALID")
                raise ApiError(413, "Request Entity Too Large")
            if kind == "photo":
                size = image_size(value.body)
                if size is None or min(size) <= 0:
                    raise _bad("IMAGE_PROCESS_FAILED")
                width, height = size
                if width + height > 10_000 or max(width, height) > 20 * min(width, height):
                    raise _bad("PHOTO_INVALID_DIMENSIONS")
                return self._new_file("photo", value.body, width=width, height=height)
            name = value.filename or "file"
            mime = value.content_type
            if not mime or mime == "application/octet-stream":
                mime = mimetypes.guess_type(name, strict=False)[0] or "application/octet-stream"
            return self._new_file(kind, value.body, file_name=name, mime_type=mime)
        if not isinstance(value, str):
            raise _bad(_WRONG_FILE)
        if re.match(r"^https?://", value):
            # The emulator reaches nothing outside 127.0.0.1.
            raise _bad("failed to get HTTP URL content")
        stored = self._files.get(value.strip())
        if stored is None:
            raise _bad(_WRONG_FILE)
        if stored.kind != kind:
            raise _bad("type of file mismatch")
        return stored

    async def _send_document(self, params: dict[str, Any], call: _Call) -> Any:
        return self._send_media(params, "document")

    async def _send_photo(self, params: dict[str, Any], call: _Call) -> Any:
        return self._send_media(params, "photo")

    async def _send_voice(self, params: dict[str, Any], call: _Call) -> Any:
        return self._send_media(params, "voice")

    def _send_media(self, params: dict[str, Any], kind: str) -> dict[str, Any]:
        chat = self._chat(params["chat_id"], sending=True)
        caption = self._caption(params)
        markup = params.get("reply_markup")
        self._check_markup(markup)
        stored = self._input_file(params[kind], kind)
        if kind == "voice" and isinstance(params[kind], UploadedFile):
            # A voice message's length is what the bot says it is (Telegram reads no audio).
            stored.duration = max(0, int(params.get("duration", 0)))
        message: dict[str, Any] = self._new_bot_message(chat)
        if kind == "photo":
            message[kind] = [stored.photo_size()]
        elif kind == "voice":
            message[kind] = stored.voice()
        else:
            message[kind] = stored.document()
        if caption is not None:
            message["caption"] = caption.text
            if caption.entities:
                message["caption_entities"] = caption.entities
        if params.get("protect_content"):
            message["has_protected_content"] = True
        self._attach_reply(message, params)
        if markup and "inline_keyboard" in markup:
            message["reply_markup"] = markup
        self._files.setdefault(stored.file_id, stored)
        self._store(message)
        html = (
            params["caption"]
            if caption is not None and (params.get("parse_mode") or "").lower() == "html"
            else None
        )
        self._revision(message, html, markup)
        return copy.deepcopy(message)

    def _attach_reply(self, message: dict[str, Any], params: dict[str, Any]) -> None:
        reply = params.get("reply_parameters") or {}
        reply_id = reply.get("message_id") if isinstance(reply, dict) else None
        if reply_id is None:
            return
        original = self._stored(message["chat"]["id"], reply_id)
        if original is None:
            if not reply.get("allow_sending_without_reply"):
                raise _bad("message to be replied not found")
            return
        quoted = {k: v for k, v in original.items() if k != "reply_to_message"}
        message["reply_to_message"] = copy.deepcopy(quoted)

    def _editable(self, params: dict[str, Any]) -> tuple[dict[str, Any], bool]:
        """The message an edit targets, and whether it was addressed by inline_message_id."""
        inline_id = params.get("inline_message_id")
        if inline_id is not None:
            target = self._inline_messages.get(inline_id)
            message = self._stored(*target) if target else None
            if message is None:
                raise _bad("message to edit not found")
            return message, True
        if "chat_id" not in params or "message_id" not in params:
            raise _bad("message identifier is not specified")
        chat = self._chat(params["chat_id"])
        message = self._stored(chat["id"], params["message_id"])
        if message is None:
            raise _bad("message to edit not found")
        if message["from"]["id"] != self.bot_id:
            raise _bad("message can't be edited")
        return message, False

    def _apply_edit(
        self,
        message: dict[str, Any],
        parsed: ParsedText | None,
        html: str | None,
        markup: dict[str, Any] | None,
    ) -> None:
        current_markup = message.get("reply_markup")
        new_markup = markup if markup and "inline_keyboard" in markup else None
        if parsed is None:
            unchanged = current_markup == new_markup
        else:
            unchanged = (
                message.get("text") == parsed.text
                and message.get("entities", []) == parsed.entities
                and current_markup == new_markup
            )
        if unchanged:
            raise _bad(
                "message is not modified: specified new message content and reply markup "
                "are exactly the same as a current content and reply markup of the message"
            )
        if parsed is not None:
            message["text"] = parsed.text
            message.pop("entities", None)
            if parsed.entities:
                message["entities"] = parsed.entities
        # Telegram drops an inline keyboard that an edit does not repeat.
        message.pop("reply_markup", None)
        if new_markup is not None:
            message["reply_markup"] = new_markup
        message["edit_date"] = self.now()
        previous = self._current.get((message["chat"]["id"], message["message_id"]))
        keep_html = html if parsed is not None else (previous.html if previous else None)
        self._revision(message, keep_html, new_markup)

    async def _edit_message_text(self, params: dict[str, Any], call: _Call) -> Any:
        message, inline = self._editable(params)
        if "text" not in message:
            raise _bad("there is no text in the message to edit")
        parsed = self._render(
            params.get("text", ""), params.get("parse_mode"), params.get("entities")
        )
        self._check_text(parsed)
        markup = params.get("reply_markup")
        self._check_markup(markup)
        html = params.get("text") if (params.get("parse_mode") or "").lower() == "html" else None
        self._apply_edit(message, parsed, html, markup)
        return True if inline else copy.deepcopy(message)

    async def _edit_message_caption(self, params: dict[str, Any], call: _Call) -> Any:
        message, inline = self._editable(params)
        if "text" in message:
            raise _bad("there is no caption in the message to edit")
        parsed = self._caption(params)
        markup = params.get("reply_markup")
        self._check_markup(markup)
        new_markup = markup if markup and "inline_keyboard" in markup else None
        text = parsed.text if parsed else ""
        entities = parsed.entities if parsed else []
        if (
            message.get("caption", "") == text
            and message.get("caption_entities", []) == entities
            and message.get("reply_markup") == new_markup
        ):
            raise _bad(
                "message is not modified: specified new message content and reply markup "
                "are exactly the same as a current content and reply markup of the message"
            )
        for key in ("caption", "caption_entities", "reply_markup"):
            message.pop(key, None)
        if text:
            message["caption"] = text
        if entities:
            message["caption_entities"] = entities
        if new_markup is not None:
            message["reply_markup"] = new_markup
        message["edit_date"] = self.now()
        html = params.get("caption") if (params.get("parse_mode") or "").lower() == "html" else None
        self._revision(message, html, new_markup)
        return True if inline else copy.deepcopy(message)

    async def _edit_message_reply_markup(self, params: dict[str, Any], call: _Call) -> Any:
        message, inline = self._editable(params)
        markup = params.get("reply_markup")
        self._check_markup(markup)
        self._apply_edit(message, None, None, markup)
        return True if inline else copy.deepcopy(message)

    async def _delete_message(self, params: dict[str, Any], call: _Call) -> Any:
        chat = self._chat(params["chat_id"])
        messages = self._messages.get(chat["id"], {})
        if params["message_id"] not in messages:
            raise _bad("message to delete not found")
        if self.now() - messages[params["message_id"]]["date"] >= _DELETE_WINDOW:
            raise _bad("message can't be deleted for everyone")
        del messages[params["message_id"]]
        current = self._current.get((chat["id"], params["message_id"]))
        if current is not None:
            current.deleted = True
            self._emit("delete", current)
        return True

    async def _answer_callback_query(self, params: dict[str, Any], call: _Call) -> Any:
        query_id = params["callback_query_id"]
        if self._callback_queries.get(query_id, True):
            raise _bad(_STALE_QUERY[len("Bad Request: ") :])
        if len(params.get("text", "")) > 200:
            raise _bad("MESSAGE_TOO_LONG")
        self._callback_queries[query_id] = True
        self.callback_answers.append(dict(params))
        self._emit("callback_answer", dict(params))
        return True

    async def _answer_inline_query(self, params: dict[str, Any], call: _Call) -> Any:
        query_id = params["inline_query_id"]
        if query_id not in self._inline_queries or query_id in self._inline_answers:
            raise _bad(_STALE_QUERY[len("Bad Request: ") :])
        results: list[dict[str, Any]] = params["results"]
        if len(results) > 50:
            raise _bad("RESULTS_TOO_MUCH")
        seen: set[str] = set()
        for result in results:
            result_id = str(result.get("id", ""))
            if not 1 <= len(result_id.encode("utf-8")) <= 64:
                raise _bad("RESULT_ID_INVALID")
            if result_id in seen:
                raise _bad("RESULT_ID_DUPLICATE")
            seen.add(result_id)
            content = result.get("input_message_content") or {}
            if "message_text" in content:
                parsed = self._render(
                    content["message_text"], content.get("parse_mode"), content.get("entities")
                )
                self._check_text(parsed)
            self._check_markup(result.get("reply_markup"))
        self._inline_answers[query_id] = copy.deepcopy(results)
        self._emit("inline_answer", dict(params))
        return True

    @staticmethod
    def _commands_key(params: dict[str, Any]) -> tuple[str, str]:
        scope = params.get("scope") or {"type": "default"}
        return json.dumps(scope, sort_keys=True), params.get("language_code") or ""

    async def _set_my_commands(self, params: dict[str, Any], call: _Call) -> Any:
        commands: list[dict[str, Any]] = params["commands"]
        if len(commands) > 100:
            raise _bad("too many commands")
        for command in commands:
            if not _BOT_COMMAND.match(command["command"]):
                raise _bad("BOT_COMMAND_INVALID")
            if not 1 <= len(command["description"]) <= 256:
                raise _bad("command description must be 1-256 characters")
        self._commands[self._commands_key(params)] = [
            {"command": c["command"], "description": c["description"]} for c in commands
        ]
        return True

    async def _get_my_commands(self, params: dict[str, Any], call: _Call) -> Any:
        return copy.deepcopy(self._commands.get(self._commands_key(params), []))

    async def _delete_my_commands(self, params: dict[str, Any], call: _Call) -> Any:
        self._commands.pop(self._commands_key(params), None)
        return True

    async def _send_chat_action(self, params: dict[str, Any], call: _Call) -> Any:
        self._chat(params["chat_id"], sending=True)
        if params["action"] not in _CHAT_ACTIONS:
            raise _bad("wrong parameter action in request")
        self.chat_actions.append(dict(params))
        self._emit("chat_action", dict(params))
        return True

    def _source(self, params: dict[str, Any], verb: str) -> dict[str, Any]:
        source_chat = self._chat(params["from_chat_id"])
        source = self._stored(source_chat["id"], params["message_id"])
        if source is None:
            raise _bad(f"message to {verb} not found")
        return source

    async def _copy_message(self, params: dict[str, Any], call: _Call) -> Any:
        source = self._source(params, "copy")
        chat = self._chat(params["chat_id"], sending=True)
        markup = params.get("reply_markup")
        self._check_markup(markup)
        message: dict[str, Any] = {
            **self._new_bot_message(chat),
        }
        message.update({k: copy.deepcopy(source[k]) for k in _CONTENT_KEYS if k in source})
        html: str | None = None
        if "caption" in params and "text" not in source:
            parsed = self._caption(params)
            if parsed is not None:
                message["caption"] = parsed.text
                if parsed.entities:
                    message["caption_entities"] = parsed.entities
                if (params.get("parse_mode") or "").lower() == "html":
                    html = params["caption"]
        elif "caption" in source:
            message["caption"] = source["caption"]
            if "caption_entities" in source:
                message["caption_entities"] = copy.deepcopy(source["caption_entities"])
        if params.get("protect_content"):
            message["has_protected_content"] = True
        if markup and "inline_keyboard" in markup:
            message["reply_markup"] = markup
        self._store(message)
        self._revision(message, html, markup)
        return {"message_id": message["message_id"]}

    async def _forward_message(self, params: dict[str, Any], call: _Call) -> Any:
        source = self._source(params, "forward")
        chat = self._chat(params["chat_id"], sending=True)
        message: dict[str, Any] = {
            **self._new_bot_message(chat),
            "forward_origin": {
                "type": "user",
                "date": source["date"],
                "sender_user": copy.deepcopy(source["from"]),
            },
        }
        message.update({k: copy.deepcopy(source[k]) for k in _CONTENT_KEYS if k in source})
        if "caption" in source:
            message["caption"] = source["caption"]
            if "caption_entities" in source:
                message["caption_entities"] = copy.deepcopy(source["caption_entities"])
        self._store(message)
        self._revision(message, None, None)
        return copy.deepcopy(message)

    # ------------------------------------------------------------------ the users' side

    def new_user(
        self,
        first_name: str = "Alice",
        username: str | None = None,
        user_id: int | None = None,
        *,
        last_name: str | None = None,
        language_code: str | None = "en",
    ) -> FakeUser:
        if user_id is None:
            user_id = next(self._user_ids)
            while user_id in self._users:
                user_id = next(self._user_ids)
        user = FakeUser(user_id, first_name, last_name, username, language_code)
        self._users[user_id] = user
        self._chats[user_id] = user.chat_dict()
        return user

    def set_blocked(self, user: FakeUser, blocked: bool = True) -> None:
        """Make the user block (or unblock) the bot: sends to them then fail with 403."""
        if blocked:
            self._blocked.add(user.id)
        else:
            self._blocked.discard(user.id)

    def _user_message(
        self, user: FakeUser, content: dict[str, Any], reply_to: int | None = None
    ) -> dict[str, Any]:
        if user.id not in self._users:
            raise LookupError(f"unknown user {user!r}; create it with new_user()")
        message: dict[str, Any] = {
            "message_id": self._new_message_id(user.id),
            "from": user.to_dict(),
            "chat": self._chats[user.id],
            "date": self.now(),
            **content,
        }
        if reply_to is not None:
            original = self._stored(user.id, reply_to)
            if original is None:
                raise LookupError(f"no message {reply_to} in chat {user.id}")
            quoted = {k: v for k, v in original.items() if k != "reply_to_message"}
            message["reply_to_message"] = copy.deepcopy(quoted)
        self._store(message)
        self._queue_update("message", message)
        return copy.deepcopy(message)

    @staticmethod
    def _text_content(text: str) -> dict[str, Any]:
        content: dict[str, Any] = {"text": text}
        command = _COMMAND.match(text)
        if command:
            content["entities"] = [
                {"type": "bot_command", "offset": 0, "length": utf16_len(command.group(0))}
            ]
        return content

    async def send_text(
        self, user: FakeUser, text: str, *, reply_to: int | None = None
    ) -> dict[str, Any]:
        """The user writes ``text``; a leading /command gets its bot_command entity."""
        return self._user_message(user, self._text_content(text), reply_to)

    async def send_command(self, user: FakeUser, command: str) -> dict[str, Any]:
        if not _COMMAND.match(command):
            raise ValueError(f"not a bot command: {command!r}")
        return await self.send_text(user, command)

    def _file(self, kind: str, data: bytes = b"", **details: Any) -> dict[str, str]:
        """Ids of a new file the user sends; the bot may send it on by file_id."""
        stored = self._new_file(kind, data, **details)
        self._files[stored.file_id] = stored
        return {"file_id": stored.file_id, "file_unique_id": stored.file_unique_id}

    async def send_sticker(self, user: FakeUser, emoji: str = "🙂") -> dict[str, Any]:
        sticker = {
            **self._file("sticker"),
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": emoji,
        }
        return self._user_message(user, {"sticker": sticker})

    async def send_photo(self, user: FakeUser, caption: str | None = None) -> dict[str, Any]:
        photo = [
            {**self._file("photo", width=w, height=w), "width": w, "height": w, "file_size": size}
            for w, size in ((90, 1200), (800, 64000))
        ]
        content: dict[str, Any] = {"photo": photo}
        if caption is not None:
            content["caption"] = caption
        return self._user_message(user, content)

    async def send_voice(
        self, user: FakeUser, duration: int = 3, *, caption: str | None = None
    ) -> dict[str, Any]:
        details: dict[str, Any] = {"duration": duration, "mime_type": "audio/ogg"}
        voice = {**self._file("voice", **details), **details}
        content: dict[str, Any] = {"voice": voice}
        if caption is not None:
            content["caption"] = caption
        return self._user_message(user, content)

    async def send_document(
        self,
        user: FakeUser,
        caption: str | None = None,
        *,
        file_name: str = "report.pdf",
        mime_type: str = "application/pdf",
        data: bytes | None = None,
    ) -> dict[str, Any]:
        """The user sends a document; with ``data`` the emulator keeps its bytes."""
        details = {"file_name": file_name, "mime_type": mime_type}
        document: dict[str, Any] = {**self._file("document", data or b"", **details), **details}
        if data:
            document["file_size"] = len(data)
        content: dict[str, Any] = {"document": document}
        if caption is not None:
            content["caption"] = caption
        return self._user_message(user, content)

    async def edit_user_message(self, user: FakeUser, message_id: int, text: str) -> dict[str, Any]:
        message = self._stored(user.id, message_id)
        if message is None or message["from"]["id"] != user.id:
            raise LookupError(f"user {user.id} has no message {message_id}")
        message.pop("entities", None)
        message.update(self._text_content(text))
        message["edit_date"] = self.now()
        self._queue_update("edited_message", message)
        return copy.deepcopy(message)

    def _chat_instance(self, chat_id: int) -> str:
        return str((chat_id * 1_000_003 + self.bot_id) % 10**18)

    def _press(self, user: FakeUser, target: BotMessage, data: str) -> str:
        current = self._current.get((target.chat_id, target.message_id), target)
        if current.deleted:
            raise LookupError(f"message {target.message_id} was deleted")
        query_id = str(4_000_000_000_000 + next(self._ids))
        query: dict[str, Any] = {
            "id": query_id,
            "from": user.to_dict(),
            "chat_instance": self._chat_instance(current.chat_id),
            "data": data,
        }
        inline_id = next(
            (
                k
                for k, v in self._inline_messages.items()
                if v == (current.chat_id, current.message_id)
            ),
            None,
        )
        if current.via_inline and inline_id is not None:
            query["inline_message_id"] = inline_id
        else:
            stored = self._stored(current.chat_id, current.message_id)
            query["message"] = copy.deepcopy(stored if stored is not None else current.raw)
        self._callback_queries[query_id] = False
        self._queue_update("callback_query", query)
        return query_id

    async def press_button(
        self, user: FakeUser, bot_message: BotMessage, label_or_data: str
    ) -> str:
        """Press the inline button labelled (or with callback_data) ``label_or_data``."""
        current = self._current.get((bot_message.chat_id, bot_message.message_id), bot_message)
        buttons = [b for row in current.buttons for b in row]
        match = next((b for b in buttons if b[0] == label_or_data), None)
        match = match or next((b for b in buttons if b[1] == label_or_data), None)
        if match is None:
            raise LookupError(f"no button {label_or_data!r}; buttons are {current.buttons!r}")
        raw_buttons = [
            b for row in (current.reply_markup or {}).get("inline_keyboard", []) for b in row
        ]
        raw = next(
            b for b in raw_buttons if (b.get("text"), b.get("callback_data", b.get("url"))) == match
        )
        if "callback_data" not in raw:
            raise ValueError(f"button {match[0]!r} has no callback_data: {raw!r}")
        return self._press(user, current, raw["callback_data"])

    async def press_raw_callback(self, user: FakeUser, bot_message: BotMessage, data: str) -> str:
        """Send callback data the keyboard never offered, as a forged client could."""
        return self._press(user, bot_message, data)

    async def send_inline_query(
        self, user: FakeUser, query: str, *, offset: str = "", chat_type: str = "sender"
    ) -> str:
        query_id = str(7_000_000_000_000 + next(self._ids))
        payload = {
            "id": query_id,
            "from": user.to_dict(),
            "query": query,
            "offset": offset,
            "chat_type": chat_type,
        }
        self._inline_queries[query_id] = payload
        self._queue_update("inline_query", payload)
        return query_id

    def inline_answers(self, query_id: str) -> list[dict[str, Any]]:
        """Results the bot answered to the query ([] while unanswered)."""
        return copy.deepcopy(self._inline_answers.get(query_id, []))

    async def wait_for_inline_answer(
        self,
        query_id: str,
        timeout: float = 10.0,
    ) -> list[dict[str, Any]]:
        def answered() -> list[list[dict[str, Any]]] | None:
            # An empty answer is still an answer, hence the wrapping list.
            return [self.inline_answers(query_id)] if query_id in self._inline_answers else None

        [results] = await self.wait_until(
            answered, timeout, lambda: f"inline query {query_id} was not answered in {timeout}s"
        )
        return results

    async def choose_inline_result(
        self,
        user: FakeUser,
        query_id: str,
        result_id: str,
        *,
        chat_id: int | None = None,
        feedback: bool = True,
    ) -> dict[str, Any]:
        """Post the chosen result into a chat (default: the user's chat with the bot) via_bot.

        The bot sees that message only when it lands in a chat the bot is in; with
        ``feedback`` it also gets a chosen_inline_result update.
        """
        result = next(
            (r for r in self._inline_answers.get(query_id, []) if str(r.get("id")) == result_id),
            None,
        )
        if result is None:
            raise LookupError(f"query {query_id} has no answered result {result_id!r}")
        content = result.get("input_message_content") or {}
        if "message_text" not in content:
            # The bot only ever offers text results; other kinds are out of the emulator's scope.
            raise ValueError("the emulator posts only results with InputTextMessageContent")
        target_id = user.id if chat_id is None else chat_id
        if target_id not in self._chats:
            raise LookupError(f"unknown chat {target_id}")
        parsed = self._render(
            content["message_text"], content.get("parse_mode"), content.get("entities")
        )
        message: dict[str, Any] = {
            "message_id": self._new_message_id(target_id),
            "from": user.to_dict(),
            "chat": self._chats[target_id],
            "date": self.now(),
            "text": parsed.text,
            "via_bot": self.bot_user,
        }
        if parsed.entities:
            message["entities"] = parsed.entities
        markup = result.get("reply_markup")
        inline_message_id: str | None = None
        if markup:
            message["reply_markup"] = markup
            inline_message_id = f"inline-{next(self._ids)}"
            self._inline_messages[inline_message_id] = (target_id, message["message_id"])
        self._store(message)
        html = (
            content["message_text"] if (content.get("parse_mode") or "").lower() == "html" else None
        )
        self._revision(message, html, markup)
        if target_id == user.id:
            self._queue_update("message", message)
        if feedback:
            chosen: dict[str, Any] = {
                "result_id": result_id,
                "from": user.to_dict(),
                "query": self._inline_queries.get(query_id, {}).get("query", ""),
            }
            if inline_message_id:
                chosen["inline_message_id"] = inline_message_id
            self._queue_update("chosen_inline_result", chosen)
        return copy.deepcopy(message)

    # ------------------------------------------------------------------ inspection

    def messages_to(self, chat_id: int) -> list[BotMessage]:
        """Messages the bot sent to the chat, oldest first, current state (deleted ones flagged)."""
        return [
            m
            for (chat, _), m in sorted(self._current.items())
            if chat == chat_id and not m.via_inline
        ]

    def all_bot_messages(self) -> list[BotMessage]:
        """Every revision of every message the bot authored, in the order they happened."""
        return list(self._revisions)

    def file_bytes(self, file_id: str) -> bytes:
        """The bytes kept for a file_id (uploaded by the bot, or given to a user's file)."""
        stored = self._files.get(file_id)
        if stored is None:
            raise LookupError(f"no file {file_id!r}")
        return stored.data

    def _document_file(self, chat_id: int, message_id: int) -> StoredFile:
        message = self._stored(chat_id, message_id)
        if message is None:
            current = self._current.get((chat_id, message_id))
            message = current.raw if current is not None else None
        if message is None or "document" not in message:
            raise LookupError(f"no document message {message_id} in chat {chat_id}")
        return self._files[message["document"]["file_id"]]

    def document_bytes(self, chat_id: int, message_id: int) -> bytes:
        """The bytes of the document in a message (deleted bot messages included)."""
        return self._document_file(chat_id, message_id).data

    def document_name(self, chat_id: int, message_id: int) -> str | None:
        """The file name of the document in a message."""
        return self._document_file(chat_id, message_id).file_name

    def inline_answer_ids(self) -> list[str]:
        return list(self._inline_answers)

    @property
    def commands(self) -> list[dict[str, Any]]:
        """Commands set for the default scope and no language."""
        return copy.deepcopy(self._commands.get(self._commands_key({}), []))

    def commands_for(
        self, scope: dict[str, Any] | None = None, language_code: str | None = None
    ) -> list[dict[str, Any]]:
        key = self._commands_key({"scope": scope, "language_code": language_code})
        return copy.deepcopy(self._commands.get(key, []))

    def pending_updates(self) -> int:
        return len(self._updates)

    @property
    def webhook_url(self) -> str | None:
        return self._webhook["url"] if self._webhook else None

    def requests_for(self, method: str) -> list[dict[str, Any]]:
        return [params for name, params in self.requests if name.lower() == method.lower()]

    async def wait_until(
        self,
        probe: Callable[[], T | None],
        timeout: float = 10.0,
        describe: Callable[[], str] | None = None,
    ) -> T:
        """Wait until ``probe()`` returns something truthy and return it.

        Wakes on every emulator event and also re-checks every 50 ms, so probes may
        look at state outside the emulator (e.g. what a handler recorded).
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            found = probe()
            if found:
                return found
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise TimeoutError(describe() if describe else f"condition not met in {timeout}s")
            changed = self._changed
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(changed.wait(), min(remaining, 0.05))

    async def wait_for_messages(
        self,
        chat_id: int,
        count: int = 1,
        timeout: float = 10.0,
    ) -> list[BotMessage]:
        def enough() -> list[BotMessage] | None:
            messages = self.messages_to(chat_id)
            return messages if len(messages) >= count else None

        def describe() -> str:
            texts = [m.text for m in self.messages_to(chat_id)]
            return (
                f"expected {count} bot message(s) in chat {chat_id} within {timeout}s; "
                f"got {len(texts)}: {texts!r}"
            )

        return await self.wait_until(enough, timeout, describe)

    async def wait_for_edit(
        self,
        chat_id: int,
        message_id: int,
        timeout: float = 10.0,
        *,
        min_edits: int = 1,
    ) -> BotMessage:
        """Wait until the message has been edited at least ``min_edits`` times in total."""

        def edited() -> BotMessage | None:
            message = self._current.get((chat_id, message_id))
            return message if message and message.edit_count >= min_edits else None

        def describe() -> str:
            message = self._current.get((chat_id, message_id))
            edits = message.edit_count if message else "no such message"
            return f"message {message_id} in chat {chat_id} not edited {min_edits}x: {edits}"

        return await self.wait_until(edited, timeout, describe)
