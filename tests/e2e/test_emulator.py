"""The Bot API emulator, driven by a real python-telegram-bot over HTTP."""

from __future__ import annotations

import asyncio
import json
import struct
import time
import zlib
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import tornado.httpserver
import tornado.netutil
import tornado.web
from telegram import (
    Bot,
    BotCommand,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputTextMessageContent,
    Message,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest, Conflict, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    InlineQueryHandler,
    MessageHandler,
    filters,
)
from telegram.request import HTTPXRequest

from bot.emulator import (
    EntityParseError,
    TelegramEmulator,
    UploadedFile,
    missing_required_fields,
    parse_html,
)
from bot.testing import free_port

TOKEN = "123456:TEST-TOKEN"


@pytest.fixture
async def emu() -> AsyncIterator[TelegramEmulator]:
    emulator = TelegramEmulator(
        token=TOKEN, bot_username="askdoc_test_bot", bot_first_name="AskDoc"
    )
    await emulator.start(host="127.0.0.1", port=0)
    try:
        yield emulator
    finally:
        await emulator.stop()
    # Whatever a test made the emulator send must be a complete object per the spec.
    problems = [
        (type_name, missing)
        for type_name, obj in emulator.returned_objects
        if (missing := missing_required_fields(type_name, obj))
    ]
    assert not problems


@pytest.fixture
async def bot(emu: TelegramEmulator) -> AsyncIterator[Bot]:
    async with Bot(TOKEN, base_url=emu.base_url) as client:
        yield client


@pytest.fixture
async def http(emu: TelegramEmulator) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=f"{emu.base_url}{TOKEN}/") as client:
        yield client


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_message is not None and update.effective_chat is not None
    kind = update.effective_chat.type
    await update.effective_message.reply_text(f"echo ({kind}): {update.effective_message.text}")


async def running_app(
    emu: TelegramEmulator, *handlers: Any
) -> Application[Any, Any, Any, Any, Any, Any]:
    app = Application.builder().token(TOKEN).base_url(emu.base_url).build()
    for handler in handlers:
        app.add_handler(handler)
    await app.initialize()
    await app.start()
    assert app.updater is not None
    await app.updater.start_polling(timeout=1, poll_interval=0)
    return app


async def stop_app(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    assert app.updater is not None
    await app.updater.stop()
    await app.stop()
    await app.shutdown()


# ---------------------------------------------------------------- wire protocol


async def test_get_me(bot: Bot) -> None:
    me = await bot.get_me()
    assert me.is_bot and me.username == "askdoc_test_bot" and me.first_name == "AskDoc"
    assert me.id == 123456


async def test_wrong_token_unknown_method_and_case(emu: TelegramEmulator) -> None:
    async with httpx.AsyncClient() as client:
        response = await client.get(f"{emu.base_url}999:WRONG/getMe")
        assert response.status_code == 401
        assert response.json() == {"ok": False, "error_code": 401, "description": "Unauthorized"}
        response = await client.get(f"{emu.base_url}{TOKEN}/sendTelepathy")
        assert response.status_code == 404
        assert response.json()["description"] == "Not Found"
        response = await client.get(f"{emu.base_url}{TOKEN}/GETME")
        assert response.json()["result"]["username"] == "askdoc_test_bot"


async def test_parameter_validation(emu: TelegramEmulator, http: httpx.AsyncClient) -> None:
    user = emu.new_user("Alice")
    missing = await http.post("sendMessage", data={"chat_id": user.id})
    assert missing.status_code == 400
    assert missing.json()["description"] == "Bad Request: message text is empty"
    wrong = await http.post("sendMessage", json={"chat_id": user.id, "text": 123})
    assert wrong.status_code == 400 and "must be String" in wrong.json()["description"]
    wrong = await http.post(
        "sendMessage", data={"chat_id": user.id, "text": "x", "disable_notification": "maybe"}
    )
    assert wrong.status_code == 400
    wrong = await http.post(
        "sendMessage", data={"chat_id": user.id, "text": "x", "reply_markup": "{not json"}
    )
    assert wrong.status_code == 400
    nested = await http.post(
        "sendMessage",
        json={"chat_id": user.id, "text": "x", "reply_markup": {"inline_keyboard": [[{}]]}},
    )
    assert nested.status_code == 400
    unsupported = await http.post("sendVideo", data={"chat_id": user.id, "video": "abc"})
    assert unsupported.json()["description"] == (
        "Bad Request: method not supported by the emulator"
    )
    still_validated = await http.post("sendVideo", data={"video": "abc"})
    assert still_validated.json()["description"] == "Bad Request: chat_id is empty"
    unknown_chat = await http.post("sendMessage", data={"chat_id": 42, "text": "hi"})
    assert unknown_chat.json()["description"] == "Bad Request: chat not found"
    assert emu.messages_to(user.id) == []


async def test_encodings_query_json_multipart(
    emu: TelegramEmulator, http: httpx.AsyncClient
) -> None:
    user = emu.new_user("Alice")
    markup = {"inline_keyboard": [[{"text": "Go", "callback_data": "go"}]]}
    by_query = await http.get(
        "sendMessage",
        params={"chat_id": user.id, "text": "q", "reply_markup": json.dumps(markup)},
    )
    by_json = await http.post("sendmessage", json={"chat_id": user.id, "text": "j"})
    by_multipart = await http.post(
        "sendMessage",
        data={"chat_id": str(user.id), "text": "m"},
        files={"unused": ("a.txt", b"hello")},
    )
    assert [r.json()["ok"] for r in (by_query, by_json, by_multipart)] == [True, True, True]
    sent = emu.messages_to(user.id)
    assert [m.text for m in sent] == ["q", "j", "m"]
    assert sent[0].buttons == [[("Go", "go")]]
    assert [m.message_id for m in sent] == [1, 2, 3]


# ---------------------------------------------------------------- updates


async def test_polling_echo(emu: TelegramEmulator) -> None:
    app = await running_app(emu, MessageHandler(filters.TEXT, echo))
    try:
        alice, bob = emu.new_user("Alice", "alice"), emu.new_user("Bob")
        await emu.send_text(alice, "hello")
        await emu.send_text(bob, "hi there")
        [reply] = await emu.wait_for_messages(alice.id, 1, timeout=5)
        assert reply.text == "echo (private): hello"
        [reply] = await emu.wait_for_messages(bob.id, 1, timeout=5)
        assert reply.text == "echo (private): hi there"
        assert reply.raw["from"]["is_bot"] is True
    finally:
        await stop_app(app)
    assert emu.pending_updates() == 0


async def test_commands_media_and_edits_reach_ptb(emu: TelegramEmulator) -> None:
    seen: list[str] = []

    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        seen.append(f"start {context.args}")

    async def anything(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        assert message is not None
        kind = "edited" if update.edited_message else "new"
        media = [
            name
            for name in ("sticker", "photo", "voice", "document", "text")
            if getattr(message, name)
        ]
        seen.append(f"{kind} {media[0]} {message.caption or ''}".strip())

    app = await running_app(
        emu, CommandHandler("start", start), MessageHandler(filters.ALL, anything)
    )
    try:
        user = emu.new_user("Carol")
        await emu.send_command(user, "/start deep")
        await emu.send_sticker(user)
        await emu.send_photo(user, caption="rash")
        await emu.send_voice(user)
        await emu.send_document(user, caption="labs")
        message = await emu.send_text(user, "typo")
        await emu.edit_user_message(user, message["message_id"], "fixed")
        await emu.wait_until(lambda: len(seen) >= 7, timeout=5, describe=lambda: str(seen))
    finally:
        await stop_app(app)
    assert seen == [
        "start ['deep']",
        "new sticker",
        "new photo rash",
        "new voice",
        "new document labs",
        "new text",
        "edited text",
    ]


async def test_long_poll_really_waits(emu: TelegramEmulator, bot: Bot) -> None:
    started = time.monotonic()
    assert await bot.get_updates(timeout=1) == ()
    assert time.monotonic() - started >= 0.9

    user = emu.new_user("Dan")
    started = time.monotonic()
    poll = asyncio.create_task(bot.get_updates(timeout=5))
    await asyncio.sleep(0.4)
    assert not poll.done()
    await emu.send_text(user, "wake up")
    updates = await poll
    assert time.monotonic() - started < 2
    assert [u.message.text for u in updates if u.message] == ["wake up"]


async def test_offset_confirms_updates(emu: TelegramEmulator, bot: Bot) -> None:
    user = emu.new_user("Eve")
    for text in ("one", "two", "three"):
        await emu.send_text(user, text)
    first = await bot.get_updates(limit=2)
    assert [u.message.text for u in first if u.message] == ["one", "two"]
    again = await bot.get_updates()
    assert len(again) == 3 and emu.pending_updates() == 3
    rest = await bot.get_updates(offset=first[-1].update_id + 1)
    assert [u.message.text for u in rest if u.message] == ["three"]
    assert emu.pending_updates() == 1
    assert await bot.get_updates(offset=rest[-1].update_id + 1) == ()
    assert emu.pending_updates() == 0


async def test_webhook_mode_with_secret(emu: TelegramEmulator) -> None:
    port = free_port()
    app = Application.builder().token(TOKEN).base_url(emu.base_url).build()
    app.add_handler(MessageHandler(filters.TEXT, echo))
    await app.initialize()
    await app.start()
    assert app.updater is not None
    await app.updater.start_webhook(
        listen="127.0.0.1",
        port=port,
        url_path="hook",
        webhook_url=f"http://127.0.0.1:{port}/hook",
        secret_token="s3cret-Token",
    )
    try:
        [set_webhook] = emu.requests_for("setWebhook")
        assert set_webhook["secret_token"] == "s3cret-Token"
        assert emu.webhook_url == f"http://127.0.0.1:{port}/hook"
        user = emu.new_user("Fay")
        await emu.send_text(user, "via webhook")
        await emu.send_text(user, "second")
        replies = await emu.wait_for_messages(user.id, 2, timeout=5)
        assert [m.text for m in replies] == [
            "echo (private): via webhook",
            "echo (private): second",
        ]
        async with httpx.AsyncClient() as client:
            forged = await client.post(
                f"http://127.0.0.1:{port}/hook",
                json={"update_id": 999},
                headers={"X-Telegram-Bot-Api-Secret-Token": "wrong"},
            )
        assert forged.status_code == 403
        async with Bot(TOKEN, base_url=emu.base_url) as other:
            with pytest.raises(Conflict):
                await other.get_updates()
            info = await other.get_webhook_info()
            assert info.url.endswith("/hook") and info.pending_update_count == 0
    finally:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()


# ---------------------------------------------------------------- Telegram's rules


async def test_text_limit_counts_visible_utf16(emu: TelegramEmulator, bot: Bot) -> None:
    user = emu.new_user("Gus")
    ok = await bot.send_message(user.id, "<b>" + "a" * 4096 + "</b>", parse_mode=ParseMode.HTML)
    assert len(ok.text or "") == 4096
    await bot.send_message(user.id, "&lt;" * 4096, parse_mode=ParseMode.HTML)
    with pytest.raises(BadRequest, match=r"(?i)too long"):
        await bot.send_message(user.id, "<i>" + "a" * 4097 + "</i>", parse_mode=ParseMode.HTML)
    await bot.send_message(user.id, "😀" * 2048)
    with pytest.raises(BadRequest, match=r"(?i)too long"):
        await bot.send_message(user.id, "😀" * 2049)
    with pytest.raises(BadRequest, match=r"(?i)empty"):
        await bot.send_message(user.id, "<b> </b>", parse_mode=ParseMode.HTML)
    assert len(emu.messages_to(user.id)) == 3


async def test_callback_data_limit_and_buttons(emu: TelegramEmulator, bot: Bot) -> None:
    user = emu.new_user("Hal")

    def keyboard(data: str) -> InlineKeyboardMarkup:
        return InlineKeyboardMarkup([[InlineKeyboardButton("Press", callback_data=data)]])

    await bot.send_message(user.id, "ok", reply_markup=keyboard("x" * 64))
    await bot.send_message(user.id, "ok", reply_markup=keyboard("é" * 32))
    with pytest.raises(BadRequest, match=r"(?i)button_data_invalid"):
        await bot.send_message(user.id, "no", reply_markup=keyboard("x" * 65))
    with pytest.raises(BadRequest, match=r"(?i)button_data_invalid"):
        await bot.send_message(user.id, "no", reply_markup=keyboard("é" * 33))
    with pytest.raises(BadRequest, match=r"(?i)Text buttons are unallowed"):
        await bot.send_message(
            user.id,
            "no",
            reply_markup={"inline_keyboard": [[{"text": "bare"}]]},  # type: ignore[arg-type]
        )
    assert len(emu.messages_to(user.id)) == 2


@pytest.mark.parametrize(
    "html",
    [
        "<br>",
        "<b>unclosed",
        "<b><i>crossed</b></i>",
        "stray </b>",
        "a < b",
        "AT&T",
        "&nbsp;",
        "<span>plain span</span>",
        '<div class="x">block</div>',
        "<b attr",
    ],
)
async def test_bad_html_rejected(emu: TelegramEmulator, bot: Bot, html: str) -> None:
    user = emu.new_user("Ivy")
    with pytest.raises(BadRequest, match=r"(?i)can't parse entities"):
        await bot.send_message(user.id, html, parse_mode=ParseMode.HTML)
    assert emu.messages_to(user.id) == []


async def test_html_to_text_and_entities(emu: TelegramEmulator, bot: Bot) -> None:
    user = emu.new_user("Jo")
    html = (
        "<b>Bold</b> <i>it</i> <u>un</u> <s>st</s> <tg-spoiler>sp</tg-spoiler> "
        '<a href="https://example.com/?a=1&amp;b=2">link</a> <code>c</code> '
        '<pre><code class="language-python">x = 1</code></pre>'
        "<blockquote expandable>quote</blockquote> 5 &lt; 6 &#128512; é"
    )
    sent = await bot.send_message(user.id, html, parse_mode=ParseMode.HTML)
    [message] = emu.messages_to(user.id)
    assert message.html == html
    assert message.text == sent.text == "Bold it un st sp link c x = 1quote 5 < 6 😀 é"
    kinds = [
        (e["type"], message.text[e["offset"] : e["offset"] + e["length"]]) for e in message.entities
    ]
    assert kinds == [
        ("bold", "Bold"),
        ("italic", "it"),
        ("underline", "un"),
        ("strikethrough", "st"),
        ("spoiler", "sp"),
        ("text_link", "link"),
        ("code", "c"),
        ("pre", "x = 1"),
        ("expandable_blockquote", "quote"),
    ]
    assert message.entities[5]["url"] == "https://example.com/?a=1&b=2"
    assert message.entities[7]["language"] == "python"
    assert [e.type for e in sent.entities][:2] == ["bold", "italic"]


def test_parse_html_offsets_are_utf16() -> None:
    parsed = parse_html("😀 <b>x</b>")
    assert parsed.text == "😀 x"
    assert parsed.entities == [{"offset": 3, "length": 1, "type": "bold"}]
    with pytest.raises(EntityParseError):
        parse_html("<b>")


async def test_edits(emu: TelegramEmulator, bot: Bot) -> None:
    user = emu.new_user("Kim")
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("A", callback_data="a")]])
    sent = await bot.send_message(user.id, "<b>v1</b>", parse_mode="HTML", reply_markup=markup)
    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await bot.edit_message_text(
            "<b>v1</b>", user.id, sent.message_id, parse_mode="HTML", reply_markup=markup
        )
    edited = await bot.edit_message_text(
        "<i>v2</i>", user.id, sent.message_id, parse_mode="HTML", reply_markup=markup
    )
    assert isinstance(edited, object) and emu.messages_to(user.id)[0].text == "v2"
    await bot.edit_message_text("v3", user.id, sent.message_id)
    current = await emu.wait_for_edit(user.id, sent.message_id, min_edits=2, timeout=1)
    assert current.text == "v3" and current.buttons == [] and current.edit_count == 2
    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await bot.edit_message_reply_markup(user.id, sent.message_id)
    await bot.edit_message_reply_markup(user.id, sent.message_id, reply_markup=markup)
    with pytest.raises(BadRequest, match=r"(?i)message to edit not found"):
        await bot.edit_message_text("x", user.id, 999)
    revisions = [(m.text, m.edit_count, m.html) for m in emu.all_bot_messages()]
    assert revisions == [
        ("v1", 0, "<b>v1</b>"),
        ("v2", 1, "<i>v2</i>"),
        ("v3", 2, None),
        ("v3", 3, None),
    ]
    assert len(emu.messages_to(user.id)) == 1


async def test_buttons_callbacks_and_other_methods(emu: TelegramEmulator) -> None:
    async def ask(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_chat is not None
        await context.bot.send_chat_action(update.effective_chat.id, "typing")
        await context.bot.send_message(
            update.effective_chat.id,
            "Pick one",
            reply_markup=InlineKeyboardMarkup(
                [
                    [InlineKeyboardButton("Yes", callback_data="v:yes")],
                    [InlineKeyboardButton("Docs", url="https://example.com")],
                ]
            ),
        )

    async def pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        assert query is not None
        await query.answer(f"got {query.data}")
        if query.data == "v:yes":
            await query.edit_message_text("You said yes")

    app = await running_app(emu, CommandHandler("ask", ask), CallbackQueryHandler(pressed))
    try:
        user = emu.new_user("Lee")
        await emu.send_command(user, "/ask")
        [question] = await emu.wait_for_messages(user.id, 1, timeout=5)
        assert question.buttons == [[("Yes", "v:yes")], [("Docs", "https://example.com")]]
        with pytest.raises(ValueError, match=r"(?i)no callback_data"):
            await emu.press_button(user, question, "Docs")
        await emu.press_button(user, question, "Yes")
        edited = await emu.wait_for_edit(user.id, question.message_id, timeout=5)
        assert edited.text == "You said yes"
        await emu.press_raw_callback(user, question, "forged")
        await emu.wait_until(lambda: len(emu.callback_answers) >= 2, timeout=5)
        assert [a["text"] for a in emu.callback_answers] == ["got v:yes", "got forged"]
        assert emu.chat_actions[0]["action"] == "typing"
    finally:
        await stop_app(app)


async def test_copy_forward_delete(emu: TelegramEmulator, bot: Bot) -> None:
    patient, doctor = emu.new_user("Pat"), emu.new_user("Doc")
    question = await emu.send_photo(patient, caption="is this ok?")
    copied = await bot.copy_message(doctor.id, patient.id, question["message_id"])
    forwarded = await bot.forward_message(doctor.id, patient.id, question["message_id"])
    assert forwarded.forward_origin is not None and forwarded.photo
    assert [m.text for m in emu.messages_to(doctor.id)] == ["is this ok?", "is this ok?"]
    assert copied.message_id == 1
    assert await bot.delete_message(doctor.id, copied.message_id)
    assert emu.messages_to(doctor.id)[0].deleted
    with pytest.raises(BadRequest, match=r"(?i)message to delete not found"):
        await bot.delete_message(doctor.id, copied.message_id)
    with pytest.raises(BadRequest, match=r"(?i)message to copy not found"):
        await bot.copy_message(doctor.id, patient.id, 999)
    with pytest.raises(BadRequest):
        await bot.send_chat_action(doctor.id, "dancing")


# ---------------------------------------------------------------- files and the clock


def tiny_png(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


async def test_send_document_upload_and_resend(emu: TelegramEmulator, bot: Bot) -> None:
    events: list[tuple[str, Any]] = []
    emu.add_listener(lambda kind, payload: events.append((kind, payload)))
    user = emu.new_user("Rae")
    data = b"%PDF-1.4\n% lab results\n"
    sent = await bot.send_document(
        user.id,
        data,
        filename="labs.pdf",
        caption="<b>Labs</b> attached",
        parse_mode=ParseMode.HTML,
        protect_content=True,
    )
    assert sent.document is not None and sent.document.file_name == "labs.pdf"
    assert sent.document.mime_type == "application/pdf" and sent.document.file_size == len(data)
    assert sent.caption == "Labs attached" and sent.has_protected_content
    assert [(e.type, e.offset, e.length) for e in sent.caption_entities] == [("bold", 0, 4)]
    # A real multipart upload reached the emulator, not a file_id string.
    [request] = emu.requests_for("sendDocument")
    assert isinstance(request["document"], UploadedFile) and request["document"].body == data

    [message] = await emu.wait_for_messages(user.id, 1, timeout=1)
    assert message.caption == "Labs attached" and message.text == "Labs attached"
    assert message.entities == [{"offset": 0, "length": 4, "type": "bold"}]
    assert message.html == "<b>Labs</b> attached" and message.has_protected_content
    assert message.document is not None and message.document["file_name"] == "labs.pdf"
    assert emu.document_bytes(user.id, message.message_id) == data
    assert emu.document_name(user.id, message.message_id) == "labs.pdf"
    assert emu.all_bot_messages() == [message]
    assert [kind for kind, _ in events] == ["message"]
    with pytest.raises(BadRequest, match=r"(?i)there is no text in the message to edit"):
        await bot.edit_message_text("x", user.id, sent.message_id)

    again = await bot.send_document(user.id, sent.document.file_id, caption="again")
    assert again.document is not None and again.document.file_id == sent.document.file_id
    assert not again.has_protected_content and again.caption_entities == ()
    assert emu.document_bytes(user.id, again.message_id) == data
    assert [m.caption for m in emu.messages_to(user.id)] == ["Labs attached", "again"]

    # A patient's document goes on to a doctor by file_id, bytes and all.
    doctor = emu.new_user("Doc")
    scan = await emu.send_document(user, "my scan", file_name="scan.txt", data=b"scan")
    passed_on = await bot.send_document(doctor.id, scan["document"]["file_id"])
    assert passed_on.caption is None and emu.document_bytes(doctor.id, 1) == b"scan"
    assert emu.messages_to(doctor.id)[0].caption is None
    assert emu.messages_to(doctor.id)[0].text == ""

    photo = await emu.send_photo(user)
    with pytest.raises(BadRequest, match=r"(?i)type of file mismatch"):
        await bot.send_document(doctor.id, photo["photo"][-1]["file_id"])
    with pytest.raises(BadRequest, match=r"(?i)wrong file identifier"):
        await bot.send_document(doctor.id, "no-such-file-id")
    with pytest.raises(LookupError):
        emu.document_bytes(user.id, 999)


async def test_send_document_limits(
    emu: TelegramEmulator, bot: Bot, http: httpx.AsyncClient
) -> None:
    user = emu.new_user("Sam")
    with pytest.raises(BadRequest, match=r"^Message caption is too long$"):
        await bot.send_document(user.id, b"x", filename="a.txt", caption="y" * 1025)
    # The limit counts the caption as shown: markup does not count.
    fits = await bot.send_document(
        user.id, b"x", filename="a.txt", caption=f"<b>{'y' * 1024}</b>", parse_mode="HTML"
    )
    assert fits.caption == "y" * 1024
    with pytest.raises(BadRequest, match=r"^File must be non-empty$"):
        await bot.send_document(user.id, b"", filename="empty.txt")
    with pytest.raises(BadRequest, match=r"(?i)can't parse entities"):
        await bot.send_document(user.id, b"x", filename="a.txt", caption="<b>", parse_mode="HTML")

    too_big = await http.post(
        "sendDocument",
        data={"chat_id": str(user.id)},
        files={"document": ("big.bin", b"\0" * (50 * 1024 * 1024 + 1))},
    )
    assert too_big.status_code == 413
    assert too_big.json()["description"] == "Request Entity Too Large"

    # attach://<name> points the field at another part of the multipart body.
    attached = await http.post(
        "sendDocument",
        data={"chat_id": str(user.id), "document": "attach://scan", "caption": "see scan"},
        files={"scan": ("scan.txt", b"hello", "text/plain")},
    )
    result = attached.json()["result"]
    assert result["document"]["file_name"] == "scan.txt"
    assert result["document"]["mime_type"] == "text/plain"
    assert emu.document_bytes(user.id, result["message_id"]) == b"hello"
    missing = await http.post("sendDocument", data={"chat_id": str(user.id)})
    assert missing.json()["description"] == "Bad Request: document is empty"
    assert [m.message_id for m in emu.messages_to(user.id)] == [1, 2]


async def test_send_photo(emu: TelegramEmulator, bot: Bot) -> None:
    user, doctor = emu.new_user("Tia"), emu.new_user("Doc")
    png = tiny_png(3, 2)
    sent = await bot.send_photo(user.id, png, caption="rash")
    [size] = sent.photo
    assert (size.width, size.height, size.file_size) == (3, 2, len(png))
    assert emu.file_bytes(size.file_id) == png
    [message] = emu.messages_to(user.id)
    assert message.caption == "rash" and message.photo[0]["file_id"] == size.file_id
    with pytest.raises(BadRequest, match=r"(?i)IMAGE_PROCESS_FAILED"):
        await bot.send_photo(user.id, b"not an image")
    with pytest.raises(BadRequest, match=r"(?i)PHOTO_INVALID_DIMENSIONS"):
        await bot.send_photo(user.id, tiny_png(1, 30))
    patients = await emu.send_photo(user, caption="is this ok?")
    passed_on = await bot.send_photo(doctor.id, patients["photo"][-1]["file_id"])
    assert passed_on.photo[-1].width == 800


async def test_send_voice_passes_a_patients_voice_on(emu: TelegramEmulator, bot: Bot) -> None:
    patient, doctor = emu.new_user("Vic"), emu.new_user("Doc")
    recorded = await emu.send_voice(patient, duration=7)
    file_id = recorded["voice"]["file_id"]
    answer = InlineKeyboardMarkup([[InlineKeyboardButton("Answer", callback_data="answer:1")]])
    sent = await bot.send_voice(
        doctor.id,
        file_id,
        caption="<b>Patient #1</b> sent this",
        parse_mode=ParseMode.HTML,
        protect_content=True,
        reply_markup=answer,
    )
    assert sent.voice is not None and sent.voice.file_id == file_id
    assert sent.voice.mime_type == "audio/ogg"
    assert sent.caption == "Patient #1 sent this" and sent.has_protected_content
    assert [(e.type, e.offset, e.length) for e in sent.caption_entities] == [("bold", 0, 10)]
    [message] = emu.messages_to(doctor.id)
    assert message.voice is not None and message.voice["file_id"] == file_id
    assert message.voice["duration"] == 7
    assert message.caption == message.text == "Patient #1 sent this"
    assert message.html == "<b>Patient #1</b> sent this" and message.has_protected_content
    assert message.button_labels() == ["Answer"] and message.document is None

    # Again, without a caption or protection, as a reply to the first.
    again = await bot.send_voice(doctor.id, file_id, reply_to_message_id=sent.message_id)
    assert again.caption is None and not again.has_protected_content
    assert again.reply_to_message is not None
    assert again.reply_to_message.message_id == sent.message_id
    assert emu.messages_to(doctor.id)[1].text == ""

    # An upload becomes a new voice file, its duration as the bot gave it.
    uploaded = await bot.send_voice(patient.id, b"OggS voice", filename="note.ogg", duration=2)
    assert uploaded.voice is not None and uploaded.voice.file_id != file_id
    assert uploaded.voice.file_size == len(b"OggS voice")
    assert emu.messages_to(patient.id)[0].voice == {
        "file_id": uploaded.voice.file_id,
        "file_unique_id": uploaded.voice.file_unique_id,
        "duration": 2,
        "mime_type": "audio/ogg",
        "file_size": len(b"OggS voice"),
    }
    assert emu.file_bytes(uploaded.voice.file_id) == b"OggS voice"
    [request, *_] = emu.requests_for("sendVoice")
    assert request["voice"] == file_id and request["protect_content"] is True


async def test_send_voice_refuses_another_kind_of_file_and_a_long_caption(
    emu: TelegramEmulator, bot: Bot
) -> None:
    patient, doctor = emu.new_user("Wes"), emu.new_user("Doc")
    photo = await emu.send_photo(patient, caption="rash")
    document = await emu.send_document(patient, "labs")
    voice = await emu.send_voice(patient)
    for file_id in (photo["photo"][0]["file_id"], document["document"]["file_id"]):
        with pytest.raises(BadRequest, match=r"^Type of file mismatch$"):
            await bot.send_voice(doctor.id, file_id)
    with pytest.raises(BadRequest, match=r"^Type of file mismatch$"):
        await bot.send_photo(doctor.id, voice["voice"]["file_id"])
    with pytest.raises(BadRequest, match=r"^Type of file mismatch$"):
        await bot.send_document(doctor.id, voice["voice"]["file_id"])
    with pytest.raises(BadRequest, match=r"(?i)wrong file identifier"):
        await bot.send_voice(doctor.id, "no-such-file-id")
    with pytest.raises(BadRequest, match=r"^Message caption is too long$"):
        await bot.send_voice(doctor.id, voice["voice"]["file_id"], caption="y" * 1025)
    with pytest.raises(BadRequest, match=r"(?i)can't parse entities"):
        await bot.send_voice(
            doctor.id, voice["voice"]["file_id"], caption="<b>", parse_mode=ParseMode.HTML
        )
    assert emu.messages_to(doctor.id) == []
    # The limit counts the caption as shown: markup does not count.
    fits = await bot.send_voice(
        doctor.id,
        voice["voice"]["file_id"],
        caption=f"<i>{'y' * 1024}</i>",
        parse_mode=ParseMode.HTML,
    )
    assert fits.caption == "y" * 1024


async def test_a_patients_attachments_go_on_to_a_doctor_by_file_id(
    emu: TelegramEmulator, bot: Bot
) -> None:
    patient, doctor = emu.new_user("Xia"), emu.new_user("Doc")
    photo = await emu.send_photo(patient, caption="is this a rash?")
    # Any of the photo's sizes names the photo.
    for size in photo["photo"]:
        sent = await bot.send_photo(doctor.id, size["file_id"], protect_content=True)
        assert sent.photo[-1].file_id == size["file_id"] and sent.has_protected_content
        assert sent.photo[-1].width == size["width"]
    document = await emu.send_document(patient, "my labs", data=b"%PDF-1.4 labs")
    sent = await bot.send_document(doctor.id, document["document"]["file_id"], caption="labs")
    assert sent.document is not None and sent.document.file_name == "report.pdf"
    voice = await emu.send_voice(patient, caption="listen")
    sent = await bot.send_voice(doctor.id, voice["voice"]["file_id"], caption="from a patient")
    assert sent.voice is not None and sent.voice.file_id == voice["voice"]["file_id"]
    kinds = [
        ("photo" if m.photo else "document" if m.document else "voice" if m.voice else "text")
        for m in emu.messages_to(doctor.id)
    ]
    assert kinds == ["photo", "photo", "document", "voice"]
    assert emu.document_bytes(doctor.id, 3) == b"%PDF-1.4 labs"


async def test_copy_message_protects_content_on_request(emu: TelegramEmulator, bot: Bot) -> None:
    patient, doctor = emu.new_user("Yan"), emu.new_user("Doc")
    voice = await emu.send_voice(patient, caption="my cough")
    protected = await bot.copy_message(
        doctor.id, patient.id, voice["message_id"], protect_content=True
    )
    plain = await bot.copy_message(doctor.id, patient.id, voice["message_id"])
    first, second = emu.messages_to(doctor.id)
    assert (first.message_id, second.message_id) == (protected.message_id, plain.message_id)
    assert first.has_protected_content and first.raw["has_protected_content"] is True
    assert not second.has_protected_content and "has_protected_content" not in second.raw
    assert first.voice == second.voice == voice["voice"]
    assert first.caption == "my cough"


async def test_delete_within_48_hours_edit_any_time(emu: TelegramEmulator, bot: Bot) -> None:
    user = emu.new_user("Uma")
    first = await bot.send_message(user.id, "first")
    second = await bot.send_message(user.id, "second")
    document = await bot.send_document(user.id, b"x", filename="a.txt", caption="doc")
    incoming = await emu.send_text(user, "hello")
    assert await bot.delete_message(user.id, first.message_id)

    emu.advance_clock(47 * 3600)
    assert emu.now() >= int(time.time()) + 47 * 3600 - 1
    emu.advance_clock(2 * 3600)
    for message_id in (second.message_id, document.message_id, incoming["message_id"]):
        with pytest.raises(BadRequest, match=r"^Message can't be deleted for everyone$"):
            await bot.delete_message(user.id, message_id)
    assert [m.deleted for m in emu.messages_to(user.id)] == [True, False, False]

    edited = await bot.edit_message_text("second, edited", user.id, second.message_id)
    assert isinstance(edited, Message) and edited.text == "second, edited"
    assert emu.messages_to(user.id)[1].text == "second, edited"

    fresh = await bot.send_message(user.id, "fresh")
    assert fresh.date.timestamp() >= second.date.timestamp() + 49 * 3600 - 1
    assert await bot.delete_message(user.id, fresh.message_id)
    with pytest.raises(ValueError):
        emu.advance_clock(-1)


async def test_commands(emu: TelegramEmulator, bot: Bot) -> None:
    await bot.set_my_commands([BotCommand("start", "Start"), BotCommand("help", "Help")])
    assert [c.command for c in await bot.get_my_commands()] == ["start", "help"]
    assert emu.commands == [
        {"command": "start", "description": "Start"},
        {"command": "help", "description": "Help"},
    ]
    with pytest.raises(BadRequest):
        await bot.set_my_commands([BotCommand("Bad-Command", "x")])
    await bot.delete_my_commands()
    assert await bot.get_my_commands() == ()
    assert await bot.close() and await bot.log_out()


async def test_inline_queries(emu: TelegramEmulator) -> None:
    async def inline(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.inline_query
        assert query is not None
        count = 51 if query.query == "too many" else 2
        results = [
            InlineQueryResultArticle(
                id=str(i),
                title=f"Answer {i}",
                input_message_content=InputTextMessageContent(
                    f"<b>Answer {i}</b> to {query.query}", parse_mode="HTML"
                ),
            )
            for i in range(count)
        ]
        try:
            await query.answer(results)
        except BadRequest as error:
            failures.append(str(error))

    failures: list[str] = []
    app = await running_app(emu, InlineQueryHandler(inline))
    try:
        user = emu.new_user("Mo")
        query_id = await emu.send_inline_query(user, "headache")
        results = await emu.wait_for_inline_answer(query_id, timeout=5)
        assert [r["title"] for r in results] == ["Answer 0", "Answer 1"]
        assert emu.inline_answers(query_id) == results
        posted = await emu.choose_inline_result(user, query_id, "1")
        assert posted["text"] == "Answer 1 to headache"
        assert posted["via_bot"]["username"] == "askdoc_test_bot"
        assert emu.all_bot_messages()[-1].via_inline
        assert emu.messages_to(user.id) == []
        await emu.send_inline_query(user, "too many")
        await emu.wait_until(lambda: failures, timeout=5)
        assert failures and "results_too_much" in failures[0].lower()
    finally:
        await stop_app(app)


# ---------------------------------------------------------------- faults


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
async def test_faults(emu: TelegramEmulator, bot: Bot) -> None:
    user, other = emu.new_user("Ned"), emu.new_user("Ola")

    emu.inject_fault("sendMessage", "429", retry_after=3)
    with pytest.raises(RetryAfter, match="Retry in 3 seconds"):
        await bot.send_message(user.id, "a")

    emu.inject_fault("sendMessage", "500")
    with pytest.raises(NetworkError):
        await bot.send_message(user.id, "b")
    emu.inject_fault("sendMessage", "502")
    with pytest.raises(NetworkError):
        await bot.send_message(user.id, "c")
    emu.inject_fault("sendmessage", "403", times=2)
    for _ in range(2):
        with pytest.raises(Forbidden, match=r"(?i)blocked"):
            await bot.send_message(user.id, "d")
    assert emu.messages_to(user.id) == []

    emu.inject_fault("sendMessage", "403", chat_id=other.id)
    await bot.send_message(user.id, "to Ned")
    with pytest.raises(Forbidden):
        await bot.send_message(other.id, "to Ola")

    emu.inject_fault("sendMessage", "slow", delay=0.3)
    started = time.monotonic()
    await bot.send_message(user.id, "slowly")
    assert time.monotonic() - started >= 0.3

    emu.inject_fault("sendMessage", "timeout", delay=0.6)
    async with Bot(TOKEN, base_url=emu.base_url, request=HTTPXRequest(read_timeout=0.2)) as hasty:
        with pytest.raises(TimedOut):
            await hasty.send_message(user.id, "lost")
    await asyncio.sleep(0.6)
    assert [m.text for m in emu.messages_to(user.id)] == ["to Ned", "slowly"]
    assert emu.messages_to(other.id) == []

    emu.inject_fault("sendMessage", "500", times=5)
    emu.clear_faults()
    await bot.send_message(user.id, "fine again")
    with pytest.raises(ValueError):
        emu.inject_fault("sendMessage", "418")


async def test_webhook_delivery_retries_until_success(emu: TelegramEmulator) -> None:
    received: list[dict[str, Any]] = []
    failures = 2

    class Hook(tornado.web.RequestHandler):
        def post(self) -> None:
            nonlocal failures
            if failures:
                failures -= 1
                self.set_status(500)
                return
            assert self.request.headers.get("X-Telegram-Bot-Api-Secret-Token") is None
            received.append(json.loads(self.request.body))

    sockets = tornado.netutil.bind_sockets(0, "127.0.0.1")
    server = tornado.httpserver.HTTPServer(tornado.web.Application([(r"/", Hook)]))
    server.add_sockets(sockets)
    port = sockets[0].getsockname()[1]
    try:
        async with httpx.AsyncClient() as client:
            url = f"{emu.base_url}{TOKEN}/setWebhook"
            assert (await client.post(url, data={"url": f"http://127.0.0.1:{port}/"})).json()["ok"]
            user = emu.new_user("Pia")
            await emu.send_text(user, "first")
            await emu.send_text(user, "second")
            await emu.wait_until(lambda: len(received) >= 2, timeout=5)
            assert [u["message"]["text"] for u in received] == ["first", "second"]
            info = (await client.get(f"{emu.base_url}{TOKEN}/getWebhookInfo")).json()["result"]
            assert info["pending_update_count"] == 0 and "500" in info["last_error_message"]
            await client.post(f"{emu.base_url}{TOKEN}/deleteWebhook")
    finally:
        server.stop()


def test_missing_required_fields_helper() -> None:
    good = {
        "message_id": 1,
        "date": 0,
        "chat": {"id": 1, "type": "private"},
        "from": {"id": 2, "is_bot": True, "first_name": "B"},
        "reply_markup": {"inline_keyboard": [[{"text": "a", "callback_data": "b"}]]},
    }
    assert missing_required_fields("Message", good) == []
    bad = {**good, "chat": {"id": 1}, "from": {"id": "2", "is_bot": True}}
    bad["reply_markup"] = {"inline_keyboard": [[{"callback_data": "b"}]]}
    assert sorted(missing_required_fields("Message", bad)) == sorted(
        [
            "Message.chat.type",
            "Message.from.id (expected Integer)",
            "Message.from.first_name",
            "Message.reply_markup.inline_keyboard[0][0].text",
        ]
    )
    assert missing_required_fields("Array of Update", [{"update_id": 1}, {}]) == [
        "Array of Update[1].update_id"
    ]


async def test_context_manager_listeners_blocking_and_wait_timeout() -> None:
    events: list[tuple[str, Any]] = []
    async with TelegramEmulator(token=TOKEN) as emu:
        emu.add_listener(lambda kind, payload: events.append((kind, payload)))
        user = emu.new_user("Quinn", username="quinn")
        async with Bot(TOKEN, base_url=emu.base_url) as bot:
            with pytest.raises(BadRequest, match=r"(?i)chat not found"):
                await bot.send_message("@quinn", "hello")
            sent = await bot.send_message(user.id, "hello")
            await bot.edit_message_text("hello!", user.id, sent.message_id)
            emu.set_blocked(user)
            with pytest.raises(Forbidden):
                await bot.send_message(user.id, "are you there?")
        with pytest.raises(TimeoutError, match="got 1: \\['hello!'\\]"):
            await emu.wait_for_messages(user.id, 2, timeout=0.1)
    assert [kind for kind, _ in events] == ["message", "edit"]
    assert events[1][1].text == "hello!"
