"""The Bot API transport (bot/transport.py): python-telegram-bot's request object on aiohttp,
over loopback HTTP to the emulator. The whole bot uses it in every end-to-end test; these pin
down how it fails."""

from __future__ import annotations

import pytest
from telegram import InputFile
from telegram.error import NetworkError, TimedOut
from telegram.request import RequestData
from telegram.request._requestparameter import RequestParameter

from bot.emulator import TelegramEmulator
from bot.messaging.transport import AiohttpRequest
from bot.testing import TOKEN, free_port


async def test_a_request_returns_the_bot_apis_result(emulator: TelegramEmulator) -> None:
    request = AiohttpRequest()
    await request.initialize()
    try:
        me = await request.post(f"{emulator.base_url}{TOKEN}/getMe")
    finally:
        await request.shutdown()
    assert isinstance(me, dict) and me["username"] == "askdoc_test_bot"


async def test_a_reply_slower_than_the_read_timeout_is_a_timeout(
    emulator: TelegramEmulator,
) -> None:
    emulator.inject_fault("getMe", "slow", delay=1.0)
    request = AiohttpRequest(read_timeout=0.2)
    await request.initialize()
    try:
        with pytest.raises(TimedOut):
            await request.post(f"{emulator.base_url}{TOKEN}/getMe")
        # The connection pool is still usable: the next request goes through.
        me = await request.post(f"{emulator.base_url}{TOKEN}/getMe")
    finally:
        await request.shutdown()
    assert isinstance(me, dict)


async def test_an_unreachable_bot_api_is_a_network_error_without_the_token() -> None:
    port = free_port()
    request = AiohttpRequest()
    await request.initialize()
    try:
        with pytest.raises(NetworkError) as raised:
            await request.post(f"http://127.0.0.1:{port}/bot{TOKEN}/getMe")
    finally:
        await request.shutdown()
    assert "aiohttp.Client" in str(raised.value)
    assert TOKEN not in str(raised.value)


async def test_a_file_upload_arrives_as_multipart_with_its_name_and_bytes(
    emulator: TelegramEmulator,
) -> None:
    patient = emulator.new_user("Fay")
    parameters = [
        RequestParameter.from_input("chat_id", patient.chat_id),
        RequestParameter.from_input("caption", "Your data"),
        RequestParameter.from_input(
            "document", InputFile(b'{"questions": []}', filename="askdoc-my-data.json")
        ),
    ]
    request = AiohttpRequest()
    await request.initialize()
    try:
        await request.post(f"{emulator.base_url}{TOKEN}/sendDocument", RequestData(parameters))
    finally:
        await request.shutdown()
    [message] = emulator.messages_to(patient.chat_id)
    assert message.text == "Your data"
    assert emulator.document_bytes(patient.chat_id, message.message_id) == b'{"questions": []}'
    assert emulator.document_name(patient.chat_id, message.message_id) == "askdoc-my-data.json"


def test_proxies_come_from_the_environment_as_httpx_would_take_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in ("http_proxy", "https_proxy", "no_proxy", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.clinic.example:3128")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    request = AiohttpRequest()
    assert request.proxy_for("https://api.telegram.org/bot1:x/getMe") == (
        "http://proxy.clinic.example:3128"
    )
    assert request.proxy_for("http://127.0.0.1:8081/bot1:x/getMe") is None
