"""Plain records the emulator keeps about users, messages and injected faults."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

FAULT_KINDS = frozenset({"429", "500", "502", "403", "timeout", "slow"})


@dataclass(frozen=True)
class FakeUser:
    id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = "en"

    @property
    def chat_id(self) -> int:
        # Telegram gives a user's private chat with a bot the user's own id.
        return self.id

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        if self.last_name:
            data["last_name"] = self.last_name
        if self.username:
            data["username"] = self.username
        if self.language_code:
            data["language_code"] = self.language_code
        return data

    def chat_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "type": "private", "first_name": self.first_name}
        if self.last_name:
            data["last_name"] = self.last_name
        if self.username:
            data["username"] = self.username
        return data


ButtonRow = list[tuple[str, str | None]]


@dataclass
class BotMessage:
    """One revision of a message the bot sent (every edit produces a new revision)."""

    chat_id: int
    message_id: int
    text: str
    html: str | None
    entities: list[dict[str, Any]]
    reply_markup: dict[str, Any] | None
    buttons: list[ButtonRow]
    date: int
    edit_count: int = 0
    raw: dict[str, Any] = field(default_factory=dict)
    deleted: bool = False
    # Set for messages a user posted from one of the bot's inline results (via_bot).
    via_inline: bool = False
    # Media messages: `text` and `entities` above then hold the caption and its entities
    # (empty without one), and `caption` is the caption itself (None without one).
    caption: str | None = None
    document: dict[str, Any] | None = None
    photo: list[dict[str, Any]] = field(default_factory=list)
    voice: dict[str, Any] | None = None
    has_protected_content: bool = False

    def button_data(self) -> list[str]:
        return [data for row in self.buttons for _, data in row if data is not None]

    def button_labels(self) -> list[str]:
        return [label for row in self.buttons for label, _ in row]


@dataclass
class Fault:
    method: str
    kind: str
    remaining: int
    retry_after: int = 1
    delay: float = 0.0
    chat_id: int | None = None


def buttons_of(markup: dict[str, Any] | None) -> list[ButtonRow]:
    if not markup or "inline_keyboard" not in markup:
        return []
    rows: list[ButtonRow] = []
    for row in markup["inline_keyboard"]:
        rows.append([(str(b.get("text", "")), b.get("callback_data", b.get("url"))) for b in row])
    return rows
