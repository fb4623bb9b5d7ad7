"""The one place every outgoing message passes: it appends the disclaimer and splits long text.

Every Bot API call of python-telegram-bot goes through `Bot._post`, whatever helper a handler
used (`reply_text`, `edit_message_text`, `context.bot.send_message`...), so enforcing the
disclaimer there means no handler can forget it. Methods that would send something the
disclaimer cannot be attached to are refused outright.
"""

from __future__ import annotations

from typing import Any

from telegram.constants import ParseMode
from telegram.ext import ExtBot

from bot import texts

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


class UndisclaimableMessage(RuntimeError):
    """A handler tried to send something that cannot end with the disclaimer."""


class DisclaimerBot(ExtBot[Any]):
    """An ExtBot whose every message ends with the operator's disclaimer and fits Telegram."""

    def __init__(self, *args: Any, disclaimer: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._disclaimer = disclaimer

    @property
    def disclaimer(self) -> str:
        """The text every message ends with."""
        return self._disclaimer

    def compose(self, body_html: str) -> list[str]:
        """The messages `body_html` becomes: split to fit, each closing with the disclaimer."""
        if texts.ends_with_disclaimer(body_html, self._disclaimer):
            body_html = body_html.rstrip()[: -len(texts.disclaimer_html(self._disclaimer))]
        return texts.with_disclaimer(body_html, self._disclaimer)

    async def _post(self, endpoint: str, data: dict[str, Any] | None = None, **kwargs: Any) -> Any:
        data = dict(data or {})
        if endpoint in _NO_MESSAGE_TEXT:
            return await super()._post(endpoint, data, **kwargs)
        if endpoint == "sendMessage":
            return await self._send_chunks(data, **kwargs)
        if endpoint == "editMessageText":
            return await self._edit_with_overflow(data, **kwargs)
        raise UndisclaimableMessage(
            f"{endpoint} cannot carry the disclaimer; send text with send_message instead"
        )

    async def _send_chunks(self, data: dict[str, Any], **kwargs: Any) -> Any:
        chunks = self.compose(str(data.get("text", "")))
        data["parse_mode"] = ParseMode.HTML
        markup = data.pop("reply_markup", None)
        result: Any = None
        for index, chunk in enumerate(chunks):
            last = index == len(chunks) - 1
            part = {**data, "text": chunk}
            if last and markup is not None:
                part["reply_markup"] = markup
            if index > 0:
                # Only the first part answers the patient's message; the rest follow it.
                part.pop("reply_parameters", None)
            result = await super()._post("sendMessage", part, **kwargs)
        return result

    async def _edit_with_overflow(self, data: dict[str, Any], **kwargs: Any) -> Any:
        chunks = self.compose(str(data.get("text", "")))
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
