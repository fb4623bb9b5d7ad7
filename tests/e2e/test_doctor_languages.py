"""Doctors and admins in their own language: a Spanish doctor's offer, preview, confirmation
and /queue, with the doctor's answer reaching the Spanish patient in Spanish; an Arabic admin's
/stats and /doctors; refusals in the language of who was refused; and an English doctor who
reads exactly the English of before. Real bot, emulator over HTTP."""

# Russian and Arabic text: its Cyrillic letters are meant, not look-alikes of Latin ones.

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot.emulator import BotMessage, FakeUser, TelegramEmulator
from bot.testing import MakeBot, assert_every_message_disclaimed

# No answer in the bank fits them (tests/e2e/test_patient_chat.py, test_doctor_flow.py).
UNANSWERED = "can I drink alcohol on antibiotics"
SECOND = "Is it safe to take ibuprofen with coffee in the morning?"


def plain(text: str) -> str:
    """Text without the invisible marks that keep numbers, names and /commands in their place
    in right-to-left text."""
    for mark in ("\u2066", "\u2068", "\u2069", "\u200e"):
        text = text.replace(mark, "")
    return text


def doctor_entry(user: FakeUser, languages: list[str]) -> dict[str, Any]:
    return {
        "telegram_id": user.id,
        "name": "Dr. Pat Test",
        "title": "GP",
        "location": "Town",
        "languages": languages,
    }


async def wait_for(
    emulator: TelegramEmulator, user: FakeUser, predicate: Callable[[BotMessage], bool]
) -> BotMessage:
    """The first message in the user's chat that satisfies `predicate`."""

    def found() -> BotMessage | None:
        return next((m for m in emulator.messages_to(user.chat_id) if predicate(m)), None)

    return await emulator.wait_until(found, timeout=10.0)


async def command(emulator: TelegramEmulator, user: FakeUser, text: str) -> BotMessage:
    before = len(emulator.messages_to(user.chat_id))
    await emulator.send_command(user, text)
    [reply] = (await emulator.wait_for_messages(user.chat_id, before + 1))[before:]
    return reply


def reference_in(offer: BotMessage) -> tuple[str, str]:
    """The patient's label and the question's reference an offer names."""
    label = offer.text.split("#")[1].split()[0]
    ref = offer.text.split("#")[2].split(")")[0]
    return label, ref


async def test_a_spanish_doctor_works_in_spanish_and_the_patient_reads_the_answer_in_theirs(
    make_bot: MakeBot, emulator: TelegramEmulator
) -> None:
    doctor = emulator.new_user("Dra", language_code="es")
    bot = make_bot("polling", doctors=[doctor_entry(doctor, ["es", "en"])])
    await bot.start()
    try:
        # The bot learns the doctor's language from their first update.
        empty = await command(emulator, doctor, "/queue")
        assert empty.text.startswith("Ahora mismo no hay preguntas esperando respuesta. ¡Gracias!")
        assert empty.text.endswith(bot.settings.disclaimer_in("es"))

        patient = emulator.new_user("Lucía", language_code="es")
        await bot.ask(patient, UNANSWERED)
        offer = await wait_for(emulator, doctor, lambda m: "antibiotics" in m.text)
        label, ref = reference_in(offer)
        # The question is in English: named so, in Spanish.
        assert offer.text.startswith(
            f"Nueva pregunta del paciente #{label} (referencia #{ref})\n\nEscrita en inglés\n"
            f"{UNANSWERED}\n\nResponda a este mensaje con su respuesta, o toque Responder."
        )
        assert offer.button_labels() == ["Responder", "Pedir detalles", "Omitir"]
        await bot.ask(patient, SECOND)
        await wait_for(emulator, doctor, lambda m: "ibuprofen" in m.text)

        # /queue: both questions, with their buttons.
        listing = await command(emulator, doctor, "/queue")
        assert listing.text.startswith("Preguntas que esperan respuesta (2):\n\n")
        assert f"#{ref} · Paciente #{label}\n" in listing.text
        assert f"Responder #{ref}" in listing.button_labels()
        assert f"Omitir #{ref}" in listing.button_labels()

        answer = "Respuesta de prueba: mejor evitar el alcohol mientras dure el tratamiento."
        await emulator.send_text(doctor, answer, reply_to=offer.message_id)
        preview = await wait_for(emulator, doctor, lambda m: answer in m.text)
        assert preview.text.startswith(
            f"Vista previa de su respuesta al paciente #{label} (pregunta #{ref}), tal como la "
            "verá el paciente:\n\n🩺 Dr. Pat Test · GP · Town\nAún sin valoraciones\n"
        )
        assert "¿Enviarla?" in preview.text
        assert preview.button_labels()[:3] == ["Enviar", "Editar", "Cancelar"]
        await emulator.press_button(doctor, preview, "Enviar")
        sent = await wait_for(emulator, doctor, lambda m: m.text.startswith("Enviada"))
        assert sent.text.startswith(f"Enviada al paciente #{label}")
        assert "Gracias." in sent.text

        delivered = await wait_for(emulator, patient, lambda m: answer in m.text)
        assert delivered.text.startswith("Un médico respondió tu pregunta")
        assert "¿Te sirvió?" in delivered.text
        assert delivered.button_labels()[-2:] == ["Pregunta de seguimiento", "Reportar"]
        assert delivered.text.endswith(bot.settings.disclaimer_in("es"))
    finally:
        await bot.stop()
    assert_every_message_disclaimed(emulator, tuple(bot.settings.disclaimers.values()))


async def test_an_arabic_admin_reads_stats_and_doctors_in_arabic_and_refusals_follow_the_asker(
    make_bot: MakeBot, emulator: TelegramEmulator
) -> None:
    admin = emulator.new_user("Admin", language_code="ar")
    doctor = emulator.new_user("Kay")
    bot = make_bot(
        "polling",
        admins=[{"telegram_id": admin.id}],
        doctors=[doctor_entry(doctor, ["en"])],
    )
    await bot.start()
    try:
        stats = await command(emulator, admin, "/stats")
        shown = plain(stats.text)
        assert shown.startswith("الإحصاءات\nالأسئلة المطروحة: 0\n")
        assert "الوقت الوسيط لإجابة الطبيب: لا إجابات بعد" in shown
        assert stats.text.endswith(bot.settings.disclaimer_in("ar"))

        listing = await command(emulator, admin, "/doctors")
        shown = plain(listing.text)
        assert shown.startswith("الأطباء (1):\n")
        assert "نشط · الإجابات المقدّمة: 0" in shown
        assert "Dr. Pat Test · GP · Town\nلا تقييمات بعد" in shown
        [revoke] = listing.button_labels()
        assert plain(revoke).startswith("سحب الصلاحية: رقم ")

        # Who is refused reads it in their own language.
        spanish = emulator.new_user("Pablo", language_code="es")
        refused = await command(emulator, spanish, "/stats")
        assert refused.text.startswith("Solo los administradores del bot pueden hacer eso.")
        russian = emulator.new_user("Иван", language_code="ru")
        refused = await command(emulator, russian, "/queue")
        assert refused.text.startswith("Это могут делать только зарегистрированные врачи.")
    finally:
        await bot.stop()
    assert_every_message_disclaimed(emulator, tuple(bot.settings.disclaimers.values()))


async def test_an_english_doctor_reads_exactly_the_english_of_before(
    make_bot: MakeBot, emulator: TelegramEmulator
) -> None:
    doctor = emulator.new_user("Doc", language_code="en-GB")
    bot = make_bot("polling", doctors=[doctor_entry(doctor, ["en"])])
    await bot.start()
    disclaimer = bot.settings.disclaimer
    try:
        patient = emulator.new_user("Pat")
        await bot.ask(patient, UNANSWERED)
        offer = await wait_for(emulator, doctor, lambda m: "antibiotics" in m.text)
        label, ref = reference_in(offer)
        assert offer.text == (
            f"New question from Patient #{label} (reference #{ref})\n\n{UNANSWERED}\n\n"
            "Reply to this message with your answer, or tap Answer. Ask for details puts a "
            f"question to the patient first.\n\n{disclaimer}"
        )
        assert offer.button_labels() == ["Answer", "Ask for details", "Skip"]

        listing = await command(emulator, doctor, "/queue")
        assert listing.text == (
            f"Questions waiting for an answer (1):\n\n#{ref} · Patient #{label}\n{UNANSWERED}"
            f"\n\n{disclaimer}"
        )
        assert listing.button_labels() == [f"Answer #{ref}", f"Skip #{ref}"]

        answer = "Generated test answer: best avoided while you take them."
        await emulator.send_text(doctor, answer, reply_to=offer.message_id)
        preview = await wait_for(emulator, doctor, lambda m: answer in m.text)
        assert preview.text.startswith(
            f"Preview of your answer to Patient #{label} (question #{ref}), as the patient will "
            f"see it:\n\n🩺 Dr. Pat Test · GP · Town\nNo reviews yet\n{answer}\n\nPublic "
            "question, as the answer bank will show it with your answer (details that could "
            "identify the patient are removed; check it):\n"
        )
        assert preview.text.endswith(f"\n\nSend it?\n\n{disclaimer}")
        assert preview.button_labels() == [
            "Send",
            "Edit",
            "Cancel",
            "Edit public question",
            "Don't publish",
        ]
        public = preview.text.split("check it):\n")[1].split("\n")[0]
        await emulator.press_button(doctor, preview, "Send")
        sent = await wait_for(emulator, doctor, lambda m: m.text.startswith("Sent to"))
        assert sent.text == (
            f"Sent to Patient #{label} and added to the answer bank as {public}, so the next "
            f"patient who asks this is answered at once. Thank you.\n\n{disclaimer}"
        )
        empty = await command(emulator, doctor, "/queue")
        assert empty.text == (
            f"No questions are waiting for an answer right now. Thank you!\n\n{disclaimer}"
        )
    finally:
        await bot.stop()
    assert_every_message_disclaimed(emulator, disclaimer)
