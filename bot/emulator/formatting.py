"""Telegram's HTML parse mode: visible text plus MessageEntity list, with Telegram's strictness.

Telegram rejects anything outside its small tag set and any ``<``/``&`` that is not
markup, so a bot that passes here is not going to be surprised in production.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

SUPPORTED_TAGS = frozenset(
    {
        "b",
        "strong",
        "i",
        "em",
        "u",
        "ins",
        "s",
        "strike",
        "del",
        "span",
        "tg-spoiler",
        "a",
        "code",
        "pre",
        "blockquote",
        "tg-emoji",
    }
)
_SIMPLE_ENTITY = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "span": "spoiler",
    "tg-spoiler": "spoiler",
    "code": "code",
}
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}

_END_TAG = re.compile(r"</\s*([a-zA-Z][a-zA-Z0-9-]*)?\s*>")
_TAG_NAME = re.compile(r"<([a-zA-Z][a-zA-Z0-9-]*)")
_ATTR = re.compile(
    r"""\s*([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+)))?"""
)
_CHAR_REF = re.compile(r"&(?:#([0-9]{1,8})|#[xX]([0-9a-fA-F]{1,8})|([a-zA-Z]+));")
_MENTION_URL = re.compile(r"tg://user\?id=(\d+)$")

MAX_TEXT_LENGTH = 4096


class EntityParseError(ValueError):
    """Text Telegram would refuse with 400 "Bad Request: can't parse entities: ..."."""


@dataclass
class ParsedText:
    text: str
    entities: list[dict[str, Any]] = field(default_factory=list)


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


@dataclass
class _Open:
    name: str
    attrs: dict[str, str]
    offset: int
    language: str | None = None


def _byte_offset(source: str, index: int) -> int:
    return len(source[:index].encode("utf-8"))


def _unescape_attr(value: str) -> str:
    def repl(match: re.Match[str]) -> str:
        return _char_ref(match) or match.group(0)

    return _CHAR_REF.sub(repl, value)


def _char_ref(match: re.Match[str]) -> str | None:
    decimal, hexadecimal, named = match.groups()
    if named is not None:
        return _NAMED_ENTITIES.get(named)
    code = int(decimal) if decimal is not None else int(hexadecimal, 16)
    if code == 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        return None
    return chr(code)


def parse_html(
    source: str, user_lookup: Callable[[int], dict[str, Any] | None] | None = None
) -> ParsedText:
    out: list[str] = []
    pos16 = 0
    stack: list[_Open] = []
    entities: list[dict[str, Any]] = []
    i = 0
    n = len(source)
    while i < n:
        ch = source[i]
        if ch == "<":
            if source.startswith("</", i):
                end = _END_TAG.match(source, i)
                if end is None:
                    raise EntityParseError(
                        f"Can't find end of end tag at byte offset {_byte_offset(source, i)}"
                    )
                name = (end.group(1) or "").lower()
                if not stack:
                    raise EntityParseError(
                        f"Unexpected end tag at byte offset {_byte_offset(source, i)}"
                    )
                top = stack.pop()
                if name and name != top.name:
                    raise EntityParseError(
                        f'Can\'t find end tag corresponding to start tag "{top.name}"'
                    )
                entity = _close(top, pos16, stack, user_lookup)
                if entity is not None:
                    entities.append(entity)
                i = end.end()
                continue
            i = _open_tag(source, i, stack, pos16)
            continue
        if ch == "&":
            ref = _CHAR_REF.match(source, i)
            decoded = _char_ref(ref) if ref is not None else None
            if ref is None or decoded is None:
                raise EntityParseError(
                    "Character entity expected at byte offset "
                    f"{_byte_offset(source, i)}; use &amp; to write a literal &"
                )
            out.append(decoded)
            pos16 += utf16_len(decoded)
            i = ref.end()
            continue
        out.append(ch)
        pos16 += 2 if ord(ch) > 0xFFFF else 1
        i += 1
    if stack:
        raise EntityParseError(f'Can\'t find end tag corresponding to start tag "{stack[-1].name}"')
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return ParsedText("".join(out), entities)


def _open_tag(source: str, i: int, stack: list[_Open], pos16: int) -> int:
    start = _TAG_NAME.match(source, i)
    if start is None:
        raise EntityParseError(
            f'Unsupported start tag "" at byte offset {_byte_offset(source, i)}; '
            "use &lt; to write a literal <"
        )
    name = start.group(1).lower()
    j = start.end()
    attrs: dict[str, str] = {}
    while True:
        while j < len(source) and source[j].isspace():
            j += 1
        if j >= len(source):
            raise EntityParseError(f"Unclosed start tag at byte offset {_byte_offset(source, i)}")
        if source[j] == ">":
            j += 1
            break
        attr = _ATTR.match(source, j)
        if attr is None or attr.end() == j:
            raise EntityParseError(
                f"Unexpected character in start tag at byte offset {_byte_offset(source, j)}"
            )
        raw = attr.group(2) if attr.group(2) is not None else attr.group(3)
        if raw is None:
            raw = attr.group(4) or ""
        attrs[attr.group(1).lower()] = _unescape_attr(raw)
        j = attr.end()
    if name not in SUPPORTED_TAGS:
        raise EntityParseError(
            f'Unsupported start tag "{name}" at byte offset {_byte_offset(source, i)}'
        )
    if name == "span" and attrs.get("class") != "tg-spoiler":
        raise EntityParseError('Tag "span" must have class "tg-spoiler"')
    stack.append(_Open(name, attrs, pos16))
    return j


def _close(
    tag: _Open,
    pos16: int,
    stack: list[_Open],
    user_lookup: Callable[[int], dict[str, Any] | None] | None,
) -> dict[str, Any] | None:
    length = pos16 - tag.offset
    if tag.name == "code" and stack and stack[-1].name == "pre":
        language = tag.attrs.get("class", "")
        if language.startswith("language-"):
            # Telegram folds <pre><code class="language-x"> into one pre entity.
            stack[-1].language = language[len("language-") :]
            return None
    if length <= 0:
        return None
    entity: dict[str, Any] = {"offset": tag.offset, "length": length}
    if tag.name in _SIMPLE_ENTITY:
        entity["type"] = _SIMPLE_ENTITY[tag.name]
    elif tag.name == "pre":
        entity["type"] = "pre"
        if tag.language:
            entity["language"] = tag.language
    elif tag.name == "blockquote":
        expandable = "expandable" in tag.attrs
        entity["type"] = "expandable_blockquote" if expandable else "blockquote"
    elif tag.name == "tg-emoji":
        emoji_id = tag.attrs.get("emoji-id")
        if not emoji_id:
            return None
        entity.update(type="custom_emoji", custom_emoji_id=emoji_id)
    elif tag.name == "a":
        href = tag.attrs.get("href")
        if not href:
            return None
        mention = _MENTION_URL.match(href)
        user = user_lookup(int(mention.group(1))) if mention and user_lookup else None
        if user is not None:
            entity.update(type="text_mention", user=user)
        else:
            entity.update(type="text_link", url=href)
    else:  # pragma: no cover - every supported tag is handled above
        return None
    return entity


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
