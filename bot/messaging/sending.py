"""The one place every outgoing message passes: it appends the disclaimer and splits long text.

Every Bot API call of python-telegram-bot goes through `Bot._post`, whatever helper a handler
used (`reply_text`, `edit_message_text`, `context.bot.send_message`...), so enforcing the
disclaimer there means no handler can forget it. Inline results get it too, each within one
message. Methods that would send something the disclaimer cannot be attached to are refused.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from telegram import TelegramObject
from telegram.constants import ParseMode
from telegram.ext import ExtBot
from telegram.request import BaseRequest

from bot import texts
from bot.models import FileKind, FileRef

# Calls that send or change no message text a user reads: they pass unchanged.
_NO_MESSAGE_TEXT = frozenset(
    {
        "getMe",
        "getUpdates",
        "setWebhook",
        "deleteWebhook",
        "getWebhookInfo",
        "answerCallbackQuery",
        "setMyCommands",
        "getMyCommands",
        "deleteMyCommands",
        "setMyDescription",
        "setMyShortDescription",
        "sendChatAction",
        "editMessageReplyMarkup",
        "deleteMessage",
        "close",
        "logOut",
    }
)


# Sends whose caption carries the disclaimer, and Telegram's limit on a caption.
_CAPTIONED = frozenset({"sendDocument", "sendPhoto", "sendVoice"})
_SEND_FILE = {
    FileKind.PHOTO: "sendPhoto",
    FileKind.DOCUMENT: "sendDocument",
    FileKind.VOICE: "sendVoice",
}
CAPTION_LIMIT = 1024

# A paragraph cut to fill the end of a message shows at least this much, or is left out.
_SHORTEST_CUT = 200


def _fill(body_html: str, budget: int) -> str:
    """The start of `body_html` within `budget` visible characters: whole paragraphs, then as
    much of the next one as fits (cut plain, as texts.with_disclaimer cuts an oversized one)."""
    kept = ""
    for paragraph in re.split(r"\n{2,}", body_html.strip()):
        joined = f"{kept}\n\n{paragraph}" if kept else paragraph
        if texts.visible_length(joined) <= budget:
            kept = joined
            continue
        room = budget - texts.visible_length(f"{kept}\n\n" if kept else "")
        if room >= _SHORTEST_CUT:
            # with_disclaimer's splitter, given a stand-in closing that leaves exactly `room`.
            stand_in = "x" * (texts.TELEGRAM_TEXT_LIMIT - 2 - room)
            piece = texts.with_disclaimer(paragraph, stand_in)[0]
            piece = piece.removesuffix("\n\n" + texts.disclaimer_html(stand_in))
            kept = f"{kept}\n\n{piece}" if kept else piece
        break
    return kept


class UndisclaimableMessage(RuntimeError):
    """A handler tried to send something that cannot end with the disclaimer."""


class DisclaimerBot(ExtBot[Any]):
    """An ExtBot whose every message ends with the operator's disclaimer and fits Telegram."""

    def __init__(
        self,
        *args: Any,
        disclaimer: str,
        disclaimers: Mapping[str, str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self._disclaimer = disclaimer
        self._disclaimers = dict(disclaimers or {})
        # A chat's language (None: unknown, the default language's disclaimer); set once the
        # store is open (Preferences.language_of).
        self._language_of: Callable[[int], str | None] = lambda chat_id: None
        self._transports = [
            transport
            for transport in (kwargs.get("request"), kwargs.get("get_updates_request"))
            if isinstance(transport, BaseRequest)
        ]

    def use_languages(self, language_of: Callable[[int], str | None]) -> None:
        """Close each chat's messages with the disclaimer in its person's language."""
        self._language_of = language_of

    async def close_transports(self) -> None:
        """Close the HTTP sessions of a start that failed before initialize() finished, which
        shutdown() would skip: the process is about to give up."""
        for transport in self._transports:
            await transport.shutdown()

    @property
    def disclaimer(self) -> str:
        """The text every message ends with, in the default language."""
        return self._disclaimer

    def disclaimer_for(self, chat_id: object) -> str:
        """The disclaimer in the language of the chat's person (the default one for a chat not
        known, or not a private chat)."""
        language = self._language_of(chat_id) if isinstance(chat_id, int) else None
        return self.disclaimer_in(language)

    def disclaimer_in(self, language: str | None) -> str:
        """The disclaimer in a language (the default one's for None or one it lacks)."""
        return self._disclaimers.get(language or "", self._disclaimer)

    async def send_html(
        self, chat_id: int, body_html: str, markup_json: str | None
    ) -> tuple[int, ...]:
        """Send a message as the outbox stores it (HTML, buttons as JSON) and return the ids
        of the parts it became, the last (the one with the buttons) last. send_message would
        parse Telegram's whole reply into a Message (text, entities, buttons) and the buttons
        from JSON and back, all for these ids: about a tenth of the bot's CPU per answer."""
        data: dict[str, Any] = {"chat_id": chat_id, "text": body_html}
        if markup_json is not None:
            data["reply_markup"] = markup_json
        _, ids = await self._send_parts(data)
        return ids

    async def send_file(
        self, chat_id: int, file: FileRef, caption_html: str, markup_json: str | None, protect: bool
    ) -> tuple[int, ...]:
        """Send a file Telegram holds by its id, with `caption_html` (and the disclaimer) as its
        caption; `protect`: it cannot be forwarded or saved. The id of the file's message."""
        data: dict[str, Any] = {"chat_id": chat_id, file.kind.value: file.file_id}
        data["caption"] = caption_html
        if markup_json is not None:
            data["reply_markup"] = markup_json
        if protect:
            data["protect_content"] = True
        result = await self._post(_SEND_FILE[file.kind], data)
        return (int(result["message_id"]),) if isinstance(result, dict) else ()

    def compose(self, body_html: str, chat_id: object = None) -> list[str]:
        """The messages `body_html` becomes: split to fit, each closing with the disclaimer."""
        disclaimer = self.disclaimer_for(chat_id)
        return texts.with_disclaimer(self._without_disclaimer(body_html), disclaimer)

    def first_message(
        self, body_html: str, rest_in_chat_html: str, language: str | None = None
    ) -> str:
        """The one message `body_html` may become where nothing can follow it (an inline result):
        as much as fits, `rest_in_chat_html` (a note that the rest is in the private chat), then
        the disclaimer in `language`."""
        disclaimer = self.disclaimer_in(language)
        body_html = self._without_disclaimer(body_html)
        chunks = texts.with_disclaimer(body_html, disclaimer)
        if len(chunks) == 1:
            return chunks[0]
        tail = f"\n\n{rest_in_chat_html}\n\n{texts.disclaimer_html(disclaimer)}"
        budget = texts.TELEGRAM_TEXT_LIMIT - texts.visible_length(tail)
        return _fill(body_html, budget) + tail

    def _closing(self, chat_id: object) -> str:
        return texts.disclaimer_html(self.disclaimer_for(chat_id))

    def _without_disclaimer(self, body_html: str) -> str:
        for disclaimer in (self._disclaimer, *self._disclaimers.values()):
            if texts.ends_with_disclaimer(body_html, disclaimer):
                return body_html.rstrip()[: -len(texts.disclaimer_html(disclaimer))]
        return body_html

    async def _post(self, endpoint: str, data: dict[str, Any] | None = None, **kwargs: Any) -> Any:
        data = dict(data or {})
        if endpoint in _NO_MESSAGE_TEXT:
            return await super()._post(endpoint, data, **kwargs)
        if endpoint == "sendMessage":
            return await self._send_chunks(data, **kwargs)
        if endpoint == "editMessageText":
            return await self._edit_with_overflow(data, **kwargs)
        if endpoint in _CAPTIONED:
            return await self._send_captioned(endpoint, data, **kwargs)
        if endpoint == "editMessageCaption":
            caption = self._without_disclaimer(str(data.get("caption") or "")).strip()
            closing = self._closing(data.get("chat_id"))
            budget = CAPTION_LIMIT - texts.visible_length(f"\n\n{closing}")
            data["caption"] = f"{_fill(caption, budget)}\n\n{closing}".strip()
            data["parse_mode"] = ParseMode.HTML
            data.pop("caption_entities", None)
            return await super()._post(endpoint, data, **kwargs)
        if endpoint == "answerInlineQuery":
            data["results"] = [self._disclaimed_result(r) for r in data.get("results") or []]
            return await super()._post(endpoint, data, **kwargs)
        raise UndisclaimableMessage(
            f"{endpoint} cannot carry the disclaimer; send text with send_message instead"
        )

    def _disclaimed_result(self, result: TelegramObject | dict[str, Any]) -> dict[str, Any]:
        """An inline result whose message ends with the disclaimer; other content is refused."""
        item = result.to_dict() if isinstance(result, TelegramObject) else dict(result)
        content = item.get("input_message_content")
        if not isinstance(content, dict) or "message_text" not in content:
            raise UndisclaimableMessage(
                f"inline result {item.get('id')!r} ({item.get('type')}) cannot carry the"
                " disclaimer; offer an article with InputTextMessageContent instead"
            )
        text = str(content["message_text"])
        if str(content.get("parse_mode") or "").upper() != ParseMode.HTML.upper():
            text = texts.escape(text)  # plain text (its entities are dropped) becomes HTML
        content = {k: v for k, v in content.items() if k != "entities"}
        # A result the handler already made one message, in its user's language, stays as it
        # is; any other gets the default language's disclaimer.
        if not self._one_closed_message(text):
            text = self.first_message(text, texts.ENGLISH("inline-rest-in-chat"))
        content["message_text"] = text
        content["parse_mode"] = ParseMode.HTML
        return {**item, "input_message_content": content}

    def _one_closed_message(self, html_text: str) -> bool:
        """Whether the text already ends with a disclaimer and fits one message."""
        closed = self._without_disclaimer(html_text) != html_text
        return closed and texts.visible_length(html_text) <= texts.TELEGRAM_TEXT_LIMIT

    async def _send_chunks(self, data: dict[str, Any], **kwargs: Any) -> Any:
        sent, _ = await self._send_parts(data, **kwargs)
        return sent

    async def _send_parts(self, data: dict[str, Any], **kwargs: Any) -> tuple[Any, tuple[int, ...]]:
        """Send `data`'s text in as many messages as it needs; the last's result, and every
        part's message id."""
        chunks = self.compose(str(data.get("text", "")), data.get("chat_id"))
        data["parse_mode"] = ParseMode.HTML
        markup = data.pop("reply_markup", None)
        result: Any = None
        ids: list[int] = []
        for index, chunk in enumerate(chunks):
            last = index == len(chunks) - 1
            part = {**data, "text": chunk}
            if last and markup is not None:
                part["reply_markup"] = markup
            if index > 0:
                # Only the first part answers the patient's message; the rest follow it.
                part.pop("reply_parameters", None)
            result = await super()._post("sendMessage", part, **kwargs)
            if isinstance(result, dict) and "message_id" in result:
                ids.append(int(result["message_id"]))
        return result, tuple(ids)

    async def _send_captioned(self, endpoint: str, data: dict[str, Any], **kwargs: Any) -> Any:
        """A file whose caption ends with the disclaimer; where the two do not fit Telegram's
        caption limit, the disclaimer follows as a text message in the same send."""
        caption = self._without_disclaimer(str(data.get("caption") or "")).strip()
        closing = self._closing(data.get("chat_id"))
        joined = f"{caption}\n\n{closing}" if caption else closing
        data["parse_mode"] = ParseMode.HTML
        data.pop("caption_entities", None)
        if texts.visible_length(joined) <= CAPTION_LIMIT:
            return await super()._post(endpoint, {**data, "caption": joined}, **kwargs)
        data["caption"] = _fill(caption, CAPTION_LIMIT)
        result = await super()._post(endpoint, data, **kwargs)
        await self._send_chunks({"chat_id": data["chat_id"], "text": ""}, **kwargs)
        return result

    async def _edit_with_overflow(self, data: dict[str, Any], **kwargs: Any) -> Any:
        chunks = self.compose(str(data.get("text", "")), data.get("chat_id"))
        data["parse_mode"] = ParseMode.HTML
        result = await super()._post("editMessageText", {**data, "text": chunks[0]}, **kwargs)
        # An edited message cannot grow past the limit: what does not fit follows as new
        # messages in the same chat (inline messages have no chat to follow up in).
        if len(chunks) > 1 and data.get("chat_id") is not None:
            for chunk in chunks[1:]:
                await super()._post(
                    "sendMessage",
                    {"chat_id": data["chat_id"], "text": chunk, "parse_mode": ParseMode.HTML},
                    **kwargs,
                )
        return result
