"""The patient's side in the patient's language (issue 17): /start and /help, the reply to a
question the bank has no good answer for, a bank page's labels and buttons, a file without a
question, a question sent to doctors and inline results, for a Spanish, a Russian and an Arabic
Telegram app; an English app gets exactly the English it always got. Real bot, emulator over
HTTP."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from bot import texts
from bot.emulator import BotMessage, FakeUser, TelegramEmulator
from bot.testing import MakeBot, RunningBot

SEED = "why would I need microdermabrasion after ematrix?"
SEED_TITLE = "What is the Purpose of Getting Microdermabrasion After EMatrix Treatments?"
# No answer in the bank fits it (tests/e2e/test_patient_chat.py).
UNANSWERED = "can I drink alcohol on antibiotics"


def plain(text: str) -> str:
    """Text without the invisible marks that keep numbers, names and /commands in their place
    in right-to-left text."""
    return text.replace("\u2068", "").replace("\u2069", "").replace("\u200e", "")


@dataclass(frozen=True)
class Speaks:
    """What a patient whose Telegram app is in one language should read."""

    code: str  # Telegram's language_code
    language: str
    welcome_heading: str
    commands_heading: str
    privacy_command: str  # /help's line for /privacy
    no_good_match: str
    privacy_notice: str
    doctor_answers: str  # the seed page's two doctors' answers
    language_note: str  # the seed page is in English
    rating: str  # the seed page's first doctor
    buttons: tuple[str, str]  # under a bank answer
    photo_joined: str  # a photo right after a question the bank answered


SPANISH = Speaks(
    code="es-MX",
    language="es",
    welcome_heading="Pregunta a un médico\nEnvíame tu pregunta de salud",
    commands_heading="Comandos",
    privacy_command="/privacy - Qué guardamos y por cuánto tiempo",
    no_good_match="No encontré la respuesta de un médico que encaje bien con tu pregunta",
    privacy_notice="Privacidad: los médicos nunca ven tu nombre.",
    doctor_answers="Respuestas de médicos: 2",
    language_note="Esta respuesta está en inglés.",
    rating="Dermatologic Surgeon · South Burlington\n★ 5,0 · 9 valoraciones",
    buttons=("Preguntar a un médico", "Reportar"),
    photo_joined="📎 Añadí tu foto a tu pregunta #",
)
RUSSIAN = Speaks(
    code="ru",
    language="ru",
    welcome_heading="Спросите врача\nНапишите мне свой вопрос о здоровье",
    commands_heading="Команды",
    privacy_command="/privacy - Что мы храним и как долго",
    no_good_match="Мне не удалось найти ответ врача, который хорошо подходит к вашему вопросу",
    privacy_notice="Конфиденциальность: врачи никогда не видят вашего имени.",
    doctor_answers="Ответы врачей: 2",
    language_note="Язык этого ответа: английский.",
    rating="Dermatologic Surgeon · South Burlington\n★ 5,0 · 9 оценок",
    buttons=("Спросить врача", "Пожаловаться"),
    photo_joined="📎 Ваше фото добавлено к вопросу #",
)
ARABIC = Speaks(
    code="ar",
    language="ar",
    welcome_heading="اسأل طبيبًا\nأرسل لي سؤالك الصحي",
    commands_heading="الأوامر",
    privacy_command="/privacy - ما الذي نحتفظ به ولأي مدة",
    no_good_match="لم أجد إجابة طبيب تناسب سؤالك جيدًا، لذا لن أخمّن.",
    privacy_notice="الخصوصية: لا يرى الأطباء اسمك أبدًا.",
    doctor_answers="إجابات الأطباء: 2",
    language_note="هذه الإجابة باللغة الإنجليزية.",
    rating="Dermatologic Surgeon · South Burlington\n★ 5.0 · 9 تقييمات",
    buttons=("اسأل طبيبًا", "إبلاغ"),
    photo_joined="📎 أضفتُ صورتك إلى سؤالك رقم ",
)

# Today's English, written out: the English app must get it character for character.
ENGLISH_WELCOME = (
    "Ask a doctor\nSend me your health question in your own words, as one message. I search "
    "answers that doctors have already given and show you the closest one, with each doctor's "
    "name, specialty, location and rating.\n\nHow to ask\nWrite a full question, for example: "
    "Why would I need microdermabrasion after eMatrix treatments? Include what matters (age, how "
    "long, medicines) but not your name or contact details. A photo, a PDF or a voice message "
    "may go with it: send it with your question as its caption, or right after; only the doctors "
    "see it.\n\nWhen there is no answer yet\nI keep your question so a doctor can answer it, and "
    "tell you what happens next.\n\nEmergencies\nThis bot is not for emergencies. If you may be "
    "in danger, call your local emergency number now.\n\nPrivacy\nWe keep your questions (with "
    "any files), the answers you get and an anonymous label, for 365 days after your last "
    "message. Doctors never see your name, username or Telegram id. An answered question may "
    "join our public answers reworded, with nothing that identifies you, unless you tap Keep "
    "private. /privacy tells more; /mydata shows what we keep; /forget erases it."
)
ENGLISH_NO_GOOD_MATCH = (
    "I could not find a doctor's answer that fits your question well, so I won't guess.\n\n"
    "What happens next: your question is saved (reference #{ref}) for our doctors. When a doctor "
    "answers it, the answer is sent to you here. Meanwhile you can try asking in other words."
    "\n\nPrivacy: doctors never see your name. If a doctor answers, your question may join our "
    "public answers reworded so that nothing identifies you. /privacy explains; /forget erases "
    "your data."
)


async def command(emulator: TelegramEmulator, patient: FakeUser, text: str) -> BotMessage:
    before = len(emulator.messages_to(patient.chat_id))
    await emulator.send_command(patient, text)
    [reply] = (await emulator.wait_for_messages(patient.chat_id, before + 1))[before:]
    return reply


@pytest.mark.parametrize("speaks", [SPANISH, RUSSIAN, ARABIC], ids=lambda s: s.language)
async def test_a_patient_is_welcomed_answered_and_shown_buttons_in_their_language(
    running: RunningBot, emulator: TelegramEmulator, speaks: Speaks
) -> None:
    patient = emulator.new_user("Patient", language_code=speaks.code)
    disclaimer = running.settings.disclaimer_in(speaks.language)

    welcome = await command(emulator, patient, "/start")
    assert plain(welcome.text).startswith(speaks.welcome_heading)
    assert "/privacy" in welcome.text and "/forget" in welcome.text
    assert welcome.text.endswith(disclaimer)
    help_text = plain((await command(emulator, patient, "/help")).text)
    assert help_text.startswith(speaks.welcome_heading)
    assert f"\n\n{speaks.commands_heading}\n" in help_text
    assert speaks.privacy_command in help_text

    [reply] = await running.ask(patient, UNANSWERED)
    shown = plain(reply.text)
    assert shown.startswith(speaks.no_good_match)
    # The first question closes with the privacy notice.
    assert speaks.privacy_notice in shown
    assert reply.text.endswith(disclaimer)

    # The bank's page stays in English, with its labels, the note and buttons in theirs.
    [page] = await running.ask(patient, SEED)
    shown = plain(page.text)
    assert shown.startswith(SEED_TITLE)
    assert speaks.language_note in shown
    assert shown.index(speaks.language_note) < shown.index(speaks.doctor_answers)
    assert speaks.rating in shown
    assert "Combining microdermabrasion with eMatrix treatments" in shown
    assert tuple(page.button_labels()[-2:]) == speaks.buttons
    assert page.text.endswith(disclaimer)

    before = len(emulator.messages_to(patient.chat_id))
    await emulator.send_photo(patient)
    [joined] = (await emulator.wait_for_messages(patient.chat_id, before + 1))[before:]
    assert plain(joined.text).startswith(speaks.photo_joined)
    # It names the button that sends it, as the button reads.
    assert speaks.buttons[0] in joined.text


async def test_an_english_patient_reads_exactly_the_english_of_before(
    running: RunningBot, emulator: TelegramEmulator
) -> None:
    patient = emulator.new_user("Pat", language_code="en-GB")
    disclaimer = running.settings.disclaimer

    welcome = await command(emulator, patient, "/start")
    assert welcome.text == f"{ENGLISH_WELCOME}\n\n{disclaimer}"
    help_text = (await command(emulator, patient, "/help")).text
    assert help_text.startswith(f"{ENGLISH_WELCOME}\n\nCommands\n/start - What this bot does\n")

    [reply] = await running.ask(patient, UNANSWERED)
    ref = reply.text.split("(reference #")[1].split(")")[0]
    assert reply.text == f"{ENGLISH_NO_GOOD_MATCH.format(ref=ref)}\n\n{disclaimer}"

    [page] = await running.ask(patient, SEED)
    assert page.text.startswith(SEED_TITLE)
    assert "Doctor answers: 2" in page.text and "This answer is in" not in page.text
    assert "Dermatologic Surgeon · South Burlington\n★ 5.0 · 9 reviews" in page.text
    assert page.button_labels()[-2:] == ["Ask a doctor", "Report"]


async def test_a_question_sent_to_doctors_is_news_in_the_patients_language(
    make_bot: MakeBot, emulator: TelegramEmulator
) -> None:
    doctor = emulator.new_user("Doc")
    entry = {"telegram_id": doctor.id, "name": "Dr. Pat Test", "title": "GP", "location": "Town"}
    bot = make_bot("polling", doctors=[entry])
    await bot.start()
    try:
        patient = emulator.new_user("Иван", language_code="ru")
        [routed] = await bot.ask(patient, UNANSWERED)
        assert "отправлен нашим врачам. Они видят его без вашего имени." in routed.text
        assert routed.button_labels()[0] == "Не публиковать"
        ref = routed.text.split("(номер #")[1].split(")")[0]

        before = len(emulator.messages_to(patient.chat_id))
        await emulator.press_button(patient, routed, "Не публиковать")
        [kept] = (await emulator.wait_for_messages(patient.chat_id, before + 1))[before:]
        assert kept.text.startswith(f"Готово: на вопрос #{ref} ответят только вам")

        # The doctor's side stays English.
        [offer] = await emulator.wait_for_messages(doctor.chat_id, 1)
        assert offer.text.startswith("New question")
    finally:
        await bot.stop()


async def test_inline_results_are_in_the_language_of_who_asks(
    running: RunningBot, emulator: TelegramEmulator
) -> None:
    buttons: list[dict[str, Any]] = []

    def on_event(kind: str, payload: Any) -> None:
        if kind == "inline_answer" and isinstance(payload, dict):
            buttons.append(payload.get("button") or {})

    emulator.add_listener(on_event)
    user = emulator.new_user("Lucía", language_code="es")
    query_id = await emulator.send_inline_query(user, SEED, chat_type="group")
    [first, *_] = await emulator.wait_for_inline_answer(query_id)
    html = first["input_message_content"]["message_text"]
    assert "<b>Respuestas de médicos: 2</b>" in html
    assert texts.ends_with_disclaimer(html, running.settings.disclaimer_in("es"))
    assert buttons[-1]["text"] == "Haz tu propia pregunta en privado"
    posted = await emulator.choose_inline_result(user, query_id, first["id"])
    assert "Esta respuesta está en inglés." in posted["text"]
