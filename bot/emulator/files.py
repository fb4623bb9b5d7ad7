"""Files the bot uploads (multipart parts) and the files the emulator keeps by file_id."""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from typing import Any

# Telegram's limits for bots uploading through the public Bot API server.
MAX_DOCUMENT_BYTES = 50 * 1024 * 1024
MAX_PHOTO_BYTES = 10 * 1024 * 1024
MAX_VOICE_BYTES = 50 * 1024 * 1024
MAX_CAPTION_LENGTH = 1024

_PNG = b"\x89PNG\r\n\x1a\n"
# JPEG start-of-frame markers (0xC4, 0xC8 and 0xCC are not frames).
_JPEG_FRAMES = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}


@dataclass(frozen=True)
class UploadedFile:
    """One file part of a multipart/form-data request."""

    filename: str
    body: bytes = field(repr=False)
    content_type: str = "application/octet-stream"

    @property
    def size(self) -> int:
        return len(self.body)


@dataclass
class StoredFile:
    """A file Telegram would hold: what the bot uploaded, or what a user sent."""

    file_id: str
    file_unique_id: str
    kind: str
    data: bytes = field(default=b"", repr=False)
    file_name: str | None = None
    mime_type: str | None = None
    width: int = 0
    height: int = 0
    # Voice messages: seconds, as the sender gave them.
    duration: int = 0

    def document(self) -> dict[str, Any]:
        document: dict[str, Any] = {"file_id": self.file_id, "file_unique_id": self.file_unique_id}
        if self.file_name is not None:
            document["file_name"] = self.file_name
        if self.mime_type is not None:
            document["mime_type"] = self.mime_type
        if self.data:
            document["file_size"] = len(self.data)
        return document

    def voice(self) -> dict[str, Any]:
        voice: dict[str, Any] = {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "duration": self.duration,
        }
        if self.mime_type is not None:
            voice["mime_type"] = self.mime_type
        if self.data:
            voice["file_size"] = len(self.data)
        return voice

    def photo_size(self) -> dict[str, Any]:
        size: dict[str, Any] = {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "width": self.width,
            "height": self.height,
        }
        if self.data:
            size["file_size"] = len(self.data)
        return size


def image_size(data: bytes) -> tuple[int, int] | None:
    """(width, height) of a PNG, GIF or JPEG image; None for anything else."""
    if data.startswith(_PNG) and data[12:16] == b"IHDR" and len(data) >= 24:
        width, height = struct.unpack(">II", data[16:24])
        return int(width), int(height)
    if data[:6] in (b"GIF87a", b"GIF89a") and len(data) >= 10:
        width, height = struct.unpack("<HH", data[6:10])
        return int(width), int(height)
    if data.startswith(b"\xff\xd8"):
        return _jpeg_size(data)
    return None


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    i = 2
    while i + 9 <= len(data):
        if data[i] != 0xFF:
            return None
        marker = data[i + 1]
        if marker == 0xFF:  # fill byte
            i += 1
            continue
        if marker == 0x01 or 0xD0 <= marker <= 0xD8:  # markers without a length
            i += 2
            continue
        if marker in _JPEG_FRAMES:
            height, width = struct.unpack(">HH", data[i + 5 : i + 9])
            return int(width), int(height)
        (length,) = struct.unpack(">H", data[i + 2 : i + 4])
        i += 2 + int(length)
    return None
