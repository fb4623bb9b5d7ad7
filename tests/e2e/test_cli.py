"""The `askdoc` command as an operator runs it: a real process talking HTTP to the emulator."""

from __future__ import annotations

import asyncio
import json
import os
import signal
from pathlib import Path

import pytest

from bot.__main__ import main
from bot.emulator import BotMessage, TelegramEmulator
from bot.store import OutboxStatus
from bot.testing import (
    TOKEN,
    RunningBot,
    askdoc_process,
    assert_every_message_disclaimed,
    free_port,
    open_store,
    write_config,
)

SEED_TITLE = "What is the Purpose of Getting Microdermabrasion After EMatrix Treatments?"


async def start_askdoc(
    emulator: TelegramEmulator, config: Path, *extra: str
) -> asyncio.subprocess.Process:
    return await askdoc_process(
        "run",
        "--config",
        str(config),
        *extra,
        env={"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE_URL": emulator.base_url},
    )


async def test_askdoc_run_answers_and_never_logs_the_token(
    emulator: TelegramEmulator, tmp_path: Path
) -> None:
    config = write_config(tmp_path)
    process = await start_askdoc(emulator, config)
    try:
        patient = emulator.new_user("Cli")
        await emulator.send_text(patient, "why would I need microdermabrasion after ematrix?")
        [reply] = await emulator.wait_for_messages(patient.chat_id, 1, timeout=30)
        assert reply.text.startswith(SEED_TITLE)
    finally:
        process.send_signal(signal.SIGTERM)
        _, stderr = await asyncio.wait_for(process.communicate(), 30)
    log = stderr.decode()
    assert process.returncode == 0, log
    assert "AskDoc is running (polling)" in log
    assert TOKEN not in log and TOKEN.split(":")[1] not in log
    assert_every_message_disclaimed(
        emulator, "do not constitute or initiate a patient/doctor relationship."
    )


async def wait_until_outbox_settled(database: Path, *, sent: int = 1, pending: int = 0) -> None:
    """Wait until the outbox records `sent` deliveries and holds `pending` messages."""
    for _ in range(100):
        async with open_store(database) as store:
            counts = await store.outbox.counts()
        if (
            counts.get(OutboxStatus.SENT, 0) >= sent
            and counts.get(OutboxStatus.PENDING, 0) == pending
        ):
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"outbox never settled: {counts}")


async def test_a_killed_bot_comes_back_with_everything(
    emulator: TelegramEmulator, tmp_path: Path
) -> None:
    config = write_config(tmp_path)
    patient = emulator.new_user("Kill")
    process = await start_askdoc(emulator, config)
    try:
        await emulator.send_text(patient, "can I drink alcohol on antibiotics")
        await emulator.wait_for_messages(patient.chat_id, 1, timeout=30)
        # Between Telegram accepting a message and the outbox recording it lies a moment in
        # which a crash means a resend (Telegram offers no way to ask); kill after it.
        await wait_until_outbox_settled(tmp_path / "askdoc.db")
    finally:
        process.kill()  # no clean shutdown: as in a crash
        await process.wait()

    process = await start_askdoc(emulator, config)
    try:
        await emulator.send_text(patient, "why would I need microdermabrasion after ematrix?")
        messages = await emulator.wait_for_messages(patient.chat_id, 2, timeout=30)
        assert messages[1].text.startswith(SEED_TITLE)
    finally:
        process.send_signal(signal.SIGTERM)
        await asyncio.wait_for(process.communicate(), 30)
    await asyncio.sleep(0.2)
    assert len(emulator.messages_to(patient.chat_id)) == 2  # nothing answered twice

    async with open_store(tmp_path / "askdoc.db") as store:
        asked = [question.text for question in await store.consultations.all()]
        assert asked == [
            "can I drink alcohol on antibiotics",
            "why would I need microdermabrasion after ematrix?",
        ]
        assert await store.bank.size() == 1


async def test_run_without_a_token_points_to_the_sandbox(tmp_path: Path) -> None:
    config = write_config(tmp_path)
    process = await askdoc_process("run", "--config", str(config), env={"TELEGRAM_BOT_TOKEN": None})
    _, stderr = await asyncio.wait_for(process.communicate(), 30)
    assert process.returncode == 2
    assert "TELEGRAM_BOT_TOKEN is not set" in stderr.decode()
    assert "askdoc sandbox" in stderr.decode()


async def run_sandbox(config: Path, lines: list[str]) -> str:
    """Run `askdoc sandbox` with `lines` typed at its prompt; its output."""
    process = await askdoc_process(
        "sandbox",
        "--config",
        str(config),
        env={"TELEGRAM_BOT_TOKEN": None},
        stdin=asyncio.subprocess.PIPE,
    )
    typed = "".join(f"{line}\n" for line in lines).encode()
    stdout, stderr = await asyncio.wait_for(process.communicate(typed), 90)
    assert process.returncode == 0, stderr.decode()
    return stdout.decode()


async def test_sandbox_chats_in_the_terminal(tmp_path: Path) -> None:
    output = await run_sandbox(
        write_config(tmp_path),
        ["why would I need microdermabrasion after ematrix?", "/help", "/quit"],
    )
    assert "You are a patient" in output
    assert f"> {SEED_TITLE}" in output
    assert "Doctor answers: 2" in output
    assert "/start - What this bot does" in output
    assert output.rstrip().endswith("Bye.")
    assert (tmp_path / "askdoc-sandbox.db").exists()
    assert not (tmp_path / "askdoc.db").exists()


async def test_the_sandbox_switches_language(tmp_path: Path) -> None:
    output = await run_sandbox(
        write_config(tmp_path),
        [
            "/language es",
            "¿por qué me recomendaron microdermoabrasión después del eMatrix?",
            "/language ar",
            "/help",
            "/quit",
        ],
    )
    assert "Listo: te hablaré en español." in output
    # The English bank page, with its Spanish frame and the note of its language.
    assert f"> {SEED_TITLE}" in output
    assert "Esta respuesta está en inglés." in output
    assert "Respuestas de médicos: 2" in output
    assert "تم: سأخاطبك بالعربية." in output
    assert "/start - ما الذي يفعله هذا البوت" in output
    assert "فاتصل برقم الطوارئ المحلي" in output  # the Arabic disclaimer closes it


async def test_sandbox_runs_the_whole_loop_as_patient_and_doctor(tmp_path: Path) -> None:
    script = [
        "I keep waking up at four every night, why?",  # no match: goes to the doctor
        "/as doctor",
        "1",  # Answer
        "Generated sandbox answer: keep a sleep diary.",
        "1",  # Send, from the preview
        "/as patient",
        "5",  # 5 stars
        "why do I keep waking at four every night?",  # now answered from the bank
        "/quit",
    ]
    output = await run_sandbox(write_config(tmp_path), script)
    offer = output.split("bot to doctor 1 (You (sandbox doctor)) (message ")[1]
    assert offer.split(")> ", 1)[1].startswith("New question from Patient #")
    assert "Preview of your answer" in output
    assert "bot to patient (message " in output and ")> A doctor answered your question" in output
    assert "Thank you: you gave 5★" in output
    final = output.rsplit("you> ", 2)[-2]
    assert "Doctor answers: 1" in final and "★ 5.0 · 1 review" in final


async def test_killed_mid_flow_the_question_the_claim_and_the_answer_survive(
    emulator: TelegramEmulator, tmp_path: Path
) -> None:
    doctor = emulator.new_user("Doc")
    patient = emulator.new_user("Pia")
    config = write_config(
        tmp_path,
        doctors=[{"telegram_id": doctor.id, "name": "Dr. Kill Test", "title": "GP"}],
    )
    question = "Is it safe to take ibuprofen with coffee in the morning?"

    async def doctor_sees(predicate: str, count: int) -> BotMessage:
        messages = await emulator.wait_for_messages(doctor.chat_id, count, timeout=30)
        assert predicate in messages[-1].text
        return messages[-1]

    # Telegram refuses everything to the doctor while the question comes in; then a crash.
    emulator.inject_fault("sendMessage", "502", times=1000, chat_id=doctor.chat_id)
    process = await start_askdoc(emulator, config)
    try:
        await emulator.send_text(patient, question)
        await emulator.wait_for_messages(patient.chat_id, 1, timeout=30)
        await wait_until_outbox_settled(tmp_path / "askdoc.db", sent=1, pending=1)
    finally:
        process.kill()
        await process.wait()
    assert emulator.messages_to(doctor.chat_id) == []
    emulator.clear_faults()

    # Restarted, the bot delivers the offer; the doctor claims it; another crash.
    process = await start_askdoc(emulator, config)
    try:
        offer = await doctor_sees("New question", 1)
        await emulator.press_button(doctor, offer, "Answer")
        await doctor_sees("Write your answer", 2)
        await wait_until_outbox_settled(tmp_path / "askdoc.db", sent=3)
    finally:
        process.kill()
        await process.wait()

    # Restarted again, the claim is still there: the doctor's text becomes the answer.
    process = await start_askdoc(emulator, config)
    try:
        await emulator.send_text(doctor, "Generated answer after two crashes.")
        preview = await doctor_sees("Preview", 3)
        await emulator.press_button(doctor, preview, "Send")
        messages = await emulator.wait_for_messages(patient.chat_id, 2, timeout=30)
        assert "Generated answer after two crashes." in messages[-1].text
    finally:
        process.send_signal(signal.SIGTERM)
        await asyncio.wait_for(process.communicate(), 30)
    assert len(emulator.messages_to(patient.chat_id)) == 2
    assert_every_message_disclaimed(
        emulator, "do not constitute or initiate a patient/doctor relationship."
    )


def test_import_help_says_what_it_imports(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["import", "--help"])
    assert exit_info.value.code == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "JSONL" in out and "folder of question files" in out and "adds nothing twice" in out


async def test_an_unreachable_bot_api_gets_one_line_and_a_clean_exit(tmp_path: Path) -> None:
    address = f"http://127.0.0.1:{free_port()}/bot"
    process = await askdoc_process(
        "run",
        "--config",
        str(write_config(tmp_path)),
        env={"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE_URL": address},
    )
    out, err = await asyncio.wait_for(process.communicate(), timeout=60)
    output = (out + err).decode()
    assert process.returncode == 1, output
    [final] = [line for line in output.splitlines() if line.startswith("error:")]
    assert f"cannot reach the Telegram Bot API at {address}" in final
    assert "TELEGRAM_API_BASE_URL" in final
    assert "Traceback" not in output and "Unclosed" not in output
    assert TOKEN not in output and TOKEN.split(":")[1] not in output
    # It tried again before giving up, a line each time.
    assert output.count("trying again in") == 3


async def test_a_failing_poll_is_one_line_in_the_log_and_the_bot_goes_on(
    running: RunningBot, emulator: TelegramEmulator, caplog: pytest.LogCaptureFixture
) -> None:
    emulator.inject_fault("getUpdates", "502", times=2)
    patient = emulator.new_user("Polly")
    [reply] = await running.ask(patient, "why would I need microdermabrasion after ematrix?")
    assert "Doctor answers" in reply.text
    polls = [r for r in caplog.records if "cannot reach the Telegram Bot API" in r.getMessage()]
    assert len(polls) == 2 and all(r.exc_info is None for r in polls)
    assert not any(r.exc_info for r in caplog.records)


async def test_ctrl_c_in_the_sandbox_ends_it_at_once_and_cleanly(tmp_path: Path) -> None:
    # A pseudo-terminal, as a person's: the old sandbox hung here until Enter was pressed.
    leader, follower = os.openpty()
    process = await askdoc_process(
        "sandbox",
        "--config",
        str(write_config(tmp_path)),
        env={"TELEGRAM_BOT_TOKEN": None},
        stdin=follower,
    )
    os.close(follower)
    try:
        assert process.stdout is not None
        seen = b""
        while b"you> " not in seen:
            seen += await asyncio.wait_for(process.stdout.read(1024), 60)
        process.send_signal(signal.SIGINT)
        out, err = await asyncio.wait_for(process.communicate(), 5)
    finally:
        os.close(leader)
        if process.returncode is None:
            process.kill()
    assert process.returncode == 0, err.decode()
    assert (seen + out).decode().rstrip().endswith("Bye.")
    assert b"Traceback" not in err


async def test_the_sandbox_numbers_every_message_and_replays_a_chat_on_switching(
    tmp_path: Path,
) -> None:
    script = [
        "I keep waking up at four every night, why?",  # no match: goes to the doctor
        "/as doctor",
        "/reply Generated sandbox answer: a sleep diary helps.",
        "1",  # Send, from the preview
        "/as patient",
        "/quit",
    ]
    output = await run_sandbox(write_config(tmp_path), script)
    switched = output.split("You are now doctor 1")[1]
    # The offer shown again in the doctor's chat, with its number and its buttons.
    replayed = switched.split("doctor> ")[0]
    assert "(message 1)> New question from Patient #" in replayed
    assert "[1] Answer" in replayed and "[2] Ask for details" in replayed and "[3] Skip" in replayed
    assert "Preview of your answer" in output
    assert ")> A doctor answered your question" in output.split("You are now patient")[1]


async def test_import_says_what_it_is_doing(tmp_path: Path) -> None:
    # Three Q&As written for this test.
    source = tmp_path / "qa.jsonl"
    source.write_text(
        "".join(
            json.dumps(
                {"id": f"t{n}", "question": q, "answer": "An answer.", "source": "AskDoc tests"}
            )
            + "\n"
            for n, q in enumerate(["Is gout inherited?", "What causes acne?", "Can flu recur?"])
        ),
        encoding="utf-8",
    )
    config = write_config(tmp_path, matching={"encoder": "off"})
    process = await askdoc_process("import", str(source), "--config", str(config))
    out, err = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 0, err.decode()
    assert "importing: 3 questions to do" in err.decode()
    assert "importing: done, 3 in" in err.decode()
    assert "imported 3 questions" in out.decode()


async def test_a_malformed_bot_api_url_is_reported_without_the_token(tmp_path: Path) -> None:
    # aiohttp quotes the whole request URL, token included, for a URL it cannot use.
    process = await askdoc_process(
        "run",
        "--config",
        str(write_config(tmp_path)),
        env={"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE_URL": "htp://127.0.0.1:9/bot"},
    )
    out, err = await asyncio.wait_for(process.communicate(), 60)
    output = (out + err).decode()
    assert process.returncode == 1 and "cannot reach the Telegram Bot API" in output
    assert TOKEN.split(":")[1] not in output
