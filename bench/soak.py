"""A randomized soak: the real bot as a process against the emulator, two hundred patients, a
doctor and an admin sending every kind of update (questions of every shape, media, commands,
edits, buttons pressed by the wrong user, forged button data, inline queries), Telegram
failing or hanging on a share of requests and some patients blocking the bot, and the process
killed with SIGKILL and started again. At the end the emulator's records and the database are
judged: nothing lost, nothing doubled outside the documented kill window, every message with
the disclaimer and within Telegram's limits, no wrong-user or forged press honoured, no
patient's identity in the doctor's chat, no traceback in the logs.

python -m bench.soak                      # 3,000 updates, 3 kills, 5% faults, seed 1
python -m bench.soak --seed 7 --updates 500 --kills 1
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bot.config import load_settings
from bot.emulator import BotMessage, FakeUser, TelegramEmulator, utf16_len
from bot.store import OutboxStatus, Store
from bot.testing import PROJECT, write_config

TOKEN = "123456:SOAK-TOKEN"
# Messages Telegram may get twice per kill: those in flight when the process died (the courier
# delivers to this many chats at once), which the outbox had not yet marked as delivered.
DOUBLES_PER_KILL = 16
SEED_QUESTION = "why would I need microdermabrasion after ematrix?"
# Questions written for the soak (no data set needed): some the bank answers, most not.
QUESTIONS = (
    SEED_QUESTION,
    "Is it safe to take ibuprofen with coffee in the morning?",
    "How long does a sprained ankle take to heal?",
    "Can I drink alcohol while taking antibiotics?",
    "What are the first signs of type 2 diabetes?",
    "My child has a rash after a new soap, what should I do?",
    "Is a resting heart rate of 50 normal for a runner?",
    "How often should an adult get a tetanus shot?",
    "Why do I wake up at four every night?",
    "Is it normal to have headaches after starting the pill?",
    "Can stress cause hair loss?",
    "What helps with acne scars after microdermabrasion?",
)
EMERGENCY = "I have crushing chest pain and can't breathe"
LONG = "Please help. " + "My knee hurts when I climb stairs and it clicks. " * 210  # ~10,000


@dataclass
class Verdict:
    """What the soak found."""

    updates: int = 0
    kills: int = 0
    questions: int = 0
    latencies_ms: list[float] = field(default_factory=list)
    answers_sent: int = 0
    doubles: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        ordered = sorted(self.latencies_ms)

        def at(share: float) -> float:
            return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0

        lines = [
            f"updates {self.updates}, kills {self.kills}, questions {self.questions},"
            f" doctor answers {self.answers_sent}",
            f"first reply to a question: p50 {at(0.5):.0f} ms, p99 {at(0.99):.0f} ms"
            f" (max {ordered[-1] if ordered else 0:.0f} ms)",
            f"sent twice (kill window, at most {DOUBLES_PER_KILL} a kill): {self.doubles}",
            "verdict: " + ("PASS" if self.ok else "FAIL"),
            *(f"  - {problem}" for problem in self.problems[:30]),
        ]
        return "\n".join(lines)


class Bot:
    """`askdoc run` as a process against the emulator; killed and started again at will."""

    def __init__(self, emulator: TelegramEmulator, folder: Path, config: Path) -> None:
        self.emulator = emulator
        self.folder = folder
        self.config = config
        self.process: subprocess.Popen[bytes] | None = None
        self.starts = 0

    @property
    def logs(self) -> list[Path]:
        return sorted(self.folder.glob("askdoc-*.log"))

    async def start(self) -> None:
        self.starts += 1
        env = {**os.environ, "TELEGRAM_BOT_TOKEN": TOKEN}
        env["TELEGRAM_API_BASE_URL"] = self.emulator.base_url
        log = (self.folder / f"askdoc-{self.starts}.log").open("wb")
        seen = len(self.emulator.requests_for("getUpdates"))
        self.process = subprocess.Popen(  # noqa: ASYNC220 (never awaited)
            [sys.executable, "-m", "bot", "run", "--config", str(self.config)],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=PROJECT,
        )
        deadline = time.monotonic() + 120
        while len(self.emulator.requests_for("getUpdates")) <= seen:
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the bot did not start: see {self.logs[-1]}")
            await asyncio.sleep(0.02)

    async def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    async def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        for _ in range(300):
            if self.process.poll() is not None:
                return
            await asyncio.sleep(0.05)
        self.process.kill()
        self.process.wait()


class Soak:
    """Drives the patients, the doctor and the admin, and keeps what the judge needs."""

    def __init__(self, emulator: TelegramEmulator, rng: random.Random, patients: int) -> None:
        self.emulator = emulator
        self.rng = rng
        self.patients = [
            emulator.new_user(f"Patientname{n}", username=f"soak_patient_{n}", last_name="Sx")
            for n in range(patients)
        ]
        self.doctor = emulator.new_user("Doctorname", username="soak_doctor")
        self.admin = emulator.new_user("Adminname", username="soak_admin")
        # Patients whose question waits for its first reply: chat id -> when it was sent.
        self.waiting: dict[int, float] = {}
        self.latencies_ms: list[float] = []
        self.questions = 0
        self.handled_offers: set[int] = set()
        self.answers: dict[str, int] = {}  # answer text -> the offer's message id
        self.confirmed: set[str] = set()
        self.blocked: set[int] = set()
        self.doctor_tasks: list[asyncio.Task[None]] = []
        # One answer at a time, as a person writes them (the bot keeps one draft a doctor).
        self.doctor_busy = asyncio.Lock()
        emulator.add_listener(self._on_event)

    def _on_event(self, kind: str, payload: object) -> None:
        if kind == "message" and isinstance(payload, BotMessage):
            sent = self.waiting.pop(payload.chat_id, None)
            if sent is not None:
                self.latencies_ms.append(1000 * (time.monotonic() - sent))

    def idle_patient(self) -> FakeUser:
        idle = [p for p in self.patients if p.chat_id not in self.waiting]
        return self.rng.choice(idle or self.patients)

    async def ask(self, patient: FakeUser, text: str) -> None:
        if patient.chat_id not in self.blocked:
            self.waiting[patient.chat_id] = time.monotonic()
        self.questions += 1
        await self.emulator.send_text(patient, text)

    async def random_update(self) -> None:
        """One update of a kind drawn at random."""
        emulator, rng = self.emulator, self.rng
        patient = self.idle_patient()
        roll = rng.random()
        if roll < 0.45:
            await self.ask(patient, rng.choice(QUESTIONS))
        elif roll < 0.48:
            await self.ask(patient, EMERGENCY)
        elif roll < 0.50:
            await self.ask(patient, LONG)
        elif roll < 0.53:
            await self.ask(patient, rng.choice(["🙂🙂", "?!", "👍", "..."]))
        elif roll < 0.57:
            caption = rng.choice([None, "What is this rash on my arm?"])
            await emulator.send_photo(patient, caption=caption)
        elif roll < 0.59:
            if rng.random() < 0.5:
                await emulator.send_sticker(patient)
            else:
                await emulator.send_voice(patient)
        elif roll < 0.64:
            await emulator.send_command(patient, rng.choice(["/start", "/help", "/nonsense"]))
        elif roll < 0.67:
            sent = await emulator.send_text(patient, "Can stress cause hair loss?")
            await emulator.edit_user_message(patient, sent["message_id"], "Can stress cause acne?")
        elif roll < 0.80:
            await self.press_own_button(patient)
        elif roll < 0.86:
            await self.press_wrong_or_forged(patient)
        elif roll < 0.91:
            query = rng.choice(["microdermabrasion", "ibuprofen coffee", "rash"])
            await emulator.send_inline_query(patient, query, chat_type="group")
        elif roll < 0.92:
            self.blocked.add(patient.chat_id)
            emulator.set_blocked(patient)
        else:
            # The doctor writes at their own pace: the updates go on meanwhile.
            self.doctor_tasks.append(asyncio.create_task(self.act_as_doctor()))

    async def press_own_button(self, patient: FakeUser) -> None:
        with_buttons = [m for m in self.emulator.messages_to(patient.chat_id) if m.buttons]
        if not with_buttons:
            return
        message = self.rng.choice(with_buttons)
        label = self.rng.choice([text for row in message.buttons for text, _ in row])
        await self.emulator.press_button(patient, message, label)

    async def press_wrong_or_forged(self, patient: FakeUser) -> None:
        offers = [m for m in self.emulator.messages_to(self.doctor.chat_id) if m.buttons]
        others = [m for m in self.emulator.all_bot_messages() if m.buttons]
        if self.rng.random() < 0.5 and offers:
            # A patient presses a button of the doctor's message (or of an admin's).
            message = self.rng.choice(offers)
            label = self.rng.choice([text for row in message.buttons for text, _ in row])
            await self.emulator.press_button(patient, message, label)
        elif others:
            forged = self.rng.choice(
                ["send:1", "ans:1", "approve:1", "rate:1:5", "rev:1", "x" * 60, "fup:999", "open:"]
            )
            await self.emulator.press_raw_callback(patient, self.rng.choice(others), forged)

    async def act_as_doctor(self) -> None:
        """Answer a waiting question by replying to it, then Send the preview."""
        if self.doctor_busy.locked():
            return
        async with self.doctor_busy:
            await self._answer_one()

    async def _answer_one(self) -> None:
        chat = self.emulator.messages_to(self.doctor.chat_id)
        offers = [
            m
            for m in chat
            if m.text.startswith(("New question", "Follow-up", "🚨"))
            and m.message_id not in self.handled_offers
            and m.buttons
        ]
        if not offers:
            return
        offer = self.rng.choice(offers)
        self.handled_offers.add(offer.message_id)
        answer = f"Soak answer {len(self.answers) + 1}: rest, fluids, and see your GP."
        self.answers[answer] = offer.message_id
        await self.emulator.send_text(self.doctor, answer, reply_to=offer.message_id)
        try:
            preview = await self.emulator.wait_until(
                lambda: next(
                    (
                        m
                        for m in self.emulator.messages_to(self.doctor.chat_id)
                        if m.text.startswith("Preview") and answer in m.text and m.buttons
                    ),
                    None,
                ),
                timeout=10,
            )
        except TimeoutError:
            return  # the question closed, or the bot is down: nothing was sent
        await self.emulator.press_button(self.doctor, preview, "Send")


async def settle(
    soak: Soak, database: Path, say: Callable[[str], None], limit: float = 90.0
) -> None:
    """Wait until every question has its reply and the outbox is empty (or `limit` passes)."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        await asyncio.sleep(1.0)
        store = await Store.open(database)
        try:
            unsettled = await store.consultations.unsettled()
            counts = await store.outbox.counts()
        finally:
            await store.close()
        pending = counts.get(OutboxStatus.PENDING, 0)
        updates = soak.emulator.pending_updates()
        if not unsettled and not pending and not updates:
            return
        say(f"  waiting: {len(unsettled)} questions, {pending} messages, {updates} updates")


async def judge(soak: Soak, bot: Bot, database: Path, disclaimer: str, verdict: Verdict) -> None:
    """Read the emulator's records, the database and the logs; add what is wrong."""
    emulator, problems = soak.emulator, verdict.problems
    for message in emulator.all_bot_messages():
        if not message.text.rstrip().endswith(disclaimer):
            problems.append(f"no disclaimer: chat {message.chat_id} message {message.message_id}")
        if not 1 <= utf16_len(message.text) <= 4096:
            problems.append(f"over Telegram's limit: chat {message.chat_id}")
    store = await Store.open(database)
    try:
        unsettled = await store.consultations.unsettled()
        if unsettled:
            problems.append(f"{len(unsettled)} questions stored but never answered")
        counts = await store.outbox.counts()
        if counts.get(OutboxStatus.PENDING):
            problems.append(f"{counts[OutboxStatus.PENDING]} messages never delivered")
        if counts.get(OutboxStatus.FAILED):
            problems.append(f"{counts[OutboxStatus.FAILED]} messages refused by Telegram")
        rows = await store.database.rows(
            "SELECT chat_id, earlier_part_ids FROM outbox WHERE status = 'sent'"
            " AND edit_of IS NULL AND edit_message_id IS NULL"
        )
    finally:
        await store.close()
    expected: dict[int, int] = {}
    for row in rows:
        parts = 1 + len((row["earlier_part_ids"] or "").split())
        expected[int(row["chat_id"])] = expected.get(int(row["chat_id"]), 0) + parts
    for chat_id in {m.chat_id for m in emulator.all_bot_messages()} | set(expected):
        delivered = len(emulator.messages_to(chat_id))
        extra = delivered - expected.get(chat_id, 0)
        if extra > 0:
            verdict.doubles += extra
        elif extra < 0:
            problems.append(f"chat {chat_id}: {-extra} messages recorded as sent never arrived")
    if verdict.doubles > DOUBLES_PER_KILL * verdict.kills:
        problems.append(f"{verdict.doubles} messages sent twice, more than the kill window")

    doctor_chat = emulator.messages_to(soak.doctor.chat_id)
    for patient in soak.patients:
        secrets = (patient.first_name, patient.username or "", rf"\b{patient.id}\b")
        for message in doctor_chat:
            if any(re.search(secret, message.text) for secret in secrets if secret):
                problems.append(f"patient {patient.id}'s identity reached the doctor")
                break
    confirmations = [m.text for m in doctor_chat if m.text.startswith("Sent to Patient #")]
    patient_texts = [m.text for p in soak.patients for m in emulator.messages_to(p.chat_id)]
    delivered_answers = {a for a in soak.answers if any(a in text for text in patient_texts)}
    verdict.answers_sent = len(confirmations)
    if len(delivered_answers) < len(confirmations) - len(soak.blocked):
        problems.append(
            f"{len(confirmations)} answers confirmed to the doctor, {len(delivered_answers)}"
            " reached a patient"
        )
    for text in patient_texts:
        if text.startswith(("Write your answer", "Preview of your answer", "Approved doctor")):
            problems.append("a patient's wrong or forged press was honoured: " + text[:60])
        if "Soak answer" in text and not any(a in text for a in soak.answers):
            problems.append("an answer no doctor sent reached a patient")
    for log in bot.logs:
        content = log.read_text(errors="replace")
        if "Traceback" in content:
            problems.append(f"a traceback in {log.name}")
        if TOKEN.split(":")[1] in content:
            problems.append(f"the token in {log.name}")


async def run(
    seed: int = 1,
    updates: int = 3000,
    kills: int = 3,
    faults: float = 0.05,
    rate: float = 30.0,
    patients: int = 200,
    on_line: Callable[[str], None] | None = None,
) -> Verdict:
    """The soak; returns what it found."""
    began = time.monotonic()

    def say(line: str) -> None:
        if on_line is not None:
            on_line(f"[{time.monotonic() - began:5.1f} s] {line}")

    rng = random.Random(seed)
    verdict = Verdict(updates=updates, kills=kills)
    with tempfile.TemporaryDirectory(prefix="askdoc-soak-") as tmp:
        folder = Path(tmp)
        async with TelegramEmulator(token=TOKEN, bot_username="askdoc_soak_bot") as emulator:
            soak = Soak(emulator, rng, patients)
            config = write_config(
                folder,
                None,
                PROJECT / "config.yaml",
                matching={"encoder": "off"},
                doctors=[
                    {
                        "telegram_id": soak.doctor.id,
                        "name": "Dr. Soak",
                        "title": "GP",
                        "location": "Testville",
                    }
                ],
                admins=[{"telegram_id": soak.admin.id}],
                routing={"answers_per_question": 1, "invite_code": "soak-invite-2026"},
                # The doctor gets every routed question: let their chat drain quickly.
                telegram={"messages_per_chat_per_second": 20},
            )
            settings = load_settings(config)
            bot = Bot(emulator, folder, config)
            await bot.start()
            if faults:
                emulator.inject_random_faults(
                    "sendMessage", faults, ("500", "timeout", "429"), delay=8.0, seed=seed
                )
                emulator.inject_random_faults(
                    "answerCallbackQuery", faults, ("500", "timeout"), delay=2.0, seed=seed + 1
                )
            kill_at = {updates * (k + 1) // (kills + 1) for k in range(kills)}
            started = time.monotonic()
            try:
                for index in range(updates):
                    pause = started + index / rate - time.monotonic()
                    if pause > 0:
                        await asyncio.sleep(pause)
                    if index in kill_at:
                        say(f"  update {index}: SIGKILL, then start again")
                        await bot.kill()
                        await asyncio.sleep(rng.uniform(0.2, 1.0))
                        await bot.start()
                        say("  started again")
                    if index % 50 == 0:
                        say(f"  update {index}")
                    await soak.random_update()
                # A doctor still writing when the updates end stops there (nothing sent).
                for task in soak.doctor_tasks:
                    task.cancel()
                await asyncio.gather(*soak.doctor_tasks, return_exceptions=True)
                say("  all updates sent; waiting for the bot to settle")
                emulator.clear_faults()
                await settle(soak, settings.database, say)
                say("  settled")
            finally:
                await bot.stop()
            verdict.questions = soak.questions
            verdict.latencies_ms = soak.latencies_ms
            await judge(soak, bot, settings.database, settings.disclaimer, verdict)
    return verdict


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.soak", description=__doc__)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--updates", type=int, default=3000)
    parser.add_argument("--kills", type=int, default=3)
    parser.add_argument("--faults", type=float, default=0.05, help="share of requests failing")
    args = parser.parse_args()
    verdict = asyncio.run(run(args.seed, args.updates, args.kills, args.faults, on_line=print))
    print(verdict.summary())
    sys.exit(0 if verdict.ok else 1)


if __name__ == "__main__":
    main()
