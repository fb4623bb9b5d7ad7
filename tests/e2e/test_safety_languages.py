"""Safety in the patient's language (issue 17): an emergency written in Spanish, Russian or
Arabic is recognised and answered with the emergency message in that language, the patient's
country is asked once with buttons (or set with /country), and its numbers come with every
emergency after; the disclaimer is in the patient's language. Real bot, emulator over HTTP."""

from __future__ import annotations

import json

from bot.emulator import TelegramEmulator
from bot.testing import MakeBot, RunningBot, assert_every_message_disclaimed, open_store


def plain(text: str) -> str:
    """Text without the Unicode isolation marks that keep numbers and names in their place in
    right-to-left text (invisible to the reader)."""
    return text.replace("\u2068", "").replace("\u2069", "")


async def test_a_spanish_emergency_gets_spanish_help_and_the_country_is_asked_once(
    running: RunningBot, emulator: TelegramEmulator
) -> None:
    patient = emulator.new_user("Lucía", language_code="es-MX")
    reply, question = await running.ask(
        patient, "tengo un dolor fuerte en el pecho y no puedo respirar", replies=2
    )
    spanish = running.settings.emergency.message_in("es")
    assert spanish.startswith("Si esto puede ser una emergencia")
    assert reply.text.startswith(spanish)
    # Until the country is known: 112 and 911, and how to choose.
    assert "112 en la Unión Europea" in reply.text
    assert "Envía /country para ver los números de tu país." in reply.text
    assert reply.text.endswith(running.settings.disclaimer_in("es"))
    assert "Estas respuestas tienen fines educativos" in reply.text
    # Then, once: which country, with Spanish-speaking countries first.
    assert question.text.startswith("¿En qué país estás?")
    labels = [label for row in question.buttons for label, _ in row]
    assert labels[:3] == ["🇪🇸 España", "🇲🇽 México", "🇦🇷 Argentina"]
    assert "Otros países" in labels and "Mi país no está en la lista" in labels

    before = len(emulator.messages_to(patient.chat_id))
    await emulator.press_button(patient, question, "🇪🇸 España")
    [saved] = (await emulator.wait_for_messages(patient.chat_id, before + 1))[before:]
    assert saved.text.startswith("Guardado. En una emergencia: 🇪🇸 España: emergencias 112")
    assert "línea de crisis 024" in saved.text

    # The next emergency names Spain's numbers, and the country is not asked again.
    [again] = await running.ask(patient, "mi padre se desmayo y no respira")
    assert again.text.startswith(spanish)
    assert "📞 🇪🇸 España: emergencias 112 · línea de crisis 024" in again.text
    assert "/country" not in again.text
    assert_every_message_disclaimed(emulator, running.settings.disclaimer_in("es"))


async def test_a_russian_patient_chooses_among_every_country_and_sees_its_ambulance_number(
    running: RunningBot, emulator: TelegramEmulator
) -> None:
    patient = emulator.new_user("Иван", language_code="ru")
    reply, question = await running.ask(
        patient, "у мамы сильная боль в груди, ей тяжело дышать", replies=2
    )
    assert reply.text.startswith("Если это может быть неотложное состояние")
    assert reply.text.endswith(running.settings.disclaimer_in("ru"))
    assert question.text.startswith("В какой стране вы находитесь?")
    before = len(emulator.messages_to(patient.chat_id))
    await emulator.press_button(patient, question, "Другие страны")
    [every] = (await emulator.wait_for_messages(patient.chat_id, before + 1))[before:]
    labels = [label for row in every.buttons for label, _ in row]
    # Every country in the operator's table, by its Russian name.
    assert len(labels) == len(running.settings.emergency.numbers) + 1
    assert labels.index("🇦🇿 Азербайджан") < labels.index("🇰🇿 Казахстан")
    before = len(emulator.messages_to(patient.chat_id))
    await emulator.press_button(patient, every, "🇰🇿 Казахстан")
    await emulator.wait_for_messages(patient.chat_id, before + 1)

    [again] = await running.ask(patient, "ребенок выпил таблетки, передозировка")
    assert "📞 🇰🇿 Казахстан: скорая помощь 103 · экстренная служба 112" in again.text
    assert_every_message_disclaimed(emulator, running.settings.disclaimer_in("ru"))


async def test_an_arabic_patient_sets_the_country_with_a_command(
    running: RunningBot, emulator: TelegramEmulator
) -> None:
    patient = emulator.new_user("Omar", language_code="ar")
    before = len(emulator.messages_to(patient.chat_id))
    await emulator.send_text(patient, "/country eg")
    [saved] = (await emulator.wait_for_messages(patient.chat_id, before + 1))[before:]
    assert plain(saved.text).startswith("تم الحفظ. في حالة الطوارئ: 🇪🇬 مصر: الإسعاف 123")

    # Set already: an emergency gets Egypt's numbers and no question about the country.
    [reply] = await running.ask(patient, "ابني بلع كلور وصار يتقيأ")
    assert reply.text.startswith(running.settings.emergency.message_in("ar"))
    assert "📞 🇪🇬 مصر: الإسعاف 123" in plain(reply.text)
    assert reply.text.endswith(running.settings.disclaimer_in("ar"))

    # A country the bot has no numbers for is refused, with the buttons again.
    before = len(emulator.messages_to(patient.chat_id))
    await emulator.send_text(patient, "/country ZZ")
    refused, buttons = (await emulator.wait_for_messages(patient.chat_id, before + 2))[before:]
    assert refused.text.startswith("لا أعرف هذا البلد")
    assert buttons.buttons


async def test_the_operators_default_country_until_the_patient_chooses(
    make_bot: MakeBot, emulator: TelegramEmulator
) -> None:
    bot = make_bot(emergency={"default_country": "GB"})
    async with bot:
        patient = emulator.new_user("Amy")
        reply, question = await bot.ask(patient, "my husband is having a heart attack", replies=2)
        assert "📞 🇬🇧 United Kingdom: emergency 999 or 112 · crisis line Samaritans" in reply.text
        assert "Send /country to see your own country's numbers." in reply.text
        before = len(emulator.messages_to(patient.chat_id))
        await emulator.press_button(patient, question, "My country is not listed")
        [told] = (await emulator.wait_for_messages(patient.chat_id, before + 1))[before:]
        assert told.text.startswith("I don't have your country's numbers yet.")
        # Asked once: the next emergency does not ask again.
        [again] = await bot.ask(patient, "I took an overdose of my pills")
        assert "🇬🇧 United Kingdom" in again.text


async def test_forged_country_buttons_change_nothing(
    running: RunningBot, emulator: TelegramEmulator
) -> None:
    patient = emulator.new_user("Mallory")
    _, question = await running.ask(patient, "chest pain and I can't breathe", replies=2)
    for forged in ("cty:XX", "cty:es", "cty:<b>", "cty:" + "A" * 60):
        before = len(emulator.messages_to(patient.chat_id))
        await emulator.press_raw_callback(patient, question, forged)
        replies = (await emulator.wait_for_messages(patient.chat_id, before + 1))[before:]
        assert not replies[0].text.startswith("Saved.")
    async with open_store(running.settings.database) as store:
        assert (await store.preferences.of(patient.id)).country is None


async def test_mydata_lists_the_country_and_language_and_forget_erases_them(
    running: RunningBot, emulator: TelegramEmulator
) -> None:
    patient = emulator.new_user("Sofía", language_code="es")
    await running.ask(patient, "¿es normal tener fiebre despues de la vacuna?")
    before = len(emulator.messages_to(patient.chat_id))
    await emulator.send_text(patient, "/country MX")
    await emulator.wait_for_messages(patient.chat_id, before + 1)
    before = len(emulator.messages_to(patient.chat_id))
    await emulator.send_text(patient, "/mydata")
    [export] = (await emulator.wait_for_messages(patient.chat_id, before + 1))[before:]
    assert export.document is not None
    data = json.loads(emulator.file_bytes(export.document["file_id"]))
    assert data["language"] == "es" and data["country_for_emergency_numbers"] == "MX"

    before = len(emulator.messages_to(patient.chat_id))
    await emulator.send_text(patient, "/forget")
    [confirm] = (await emulator.wait_for_messages(patient.chat_id, before + 1))[before:]
    before = len(emulator.messages_to(patient.chat_id))
    await emulator.press_button(patient, confirm, confirm.buttons[0][0][0])
    await emulator.wait_for_messages(patient.chat_id, before + 1)
    async with open_store(running.settings.database) as store:
        row = await store.database.row(
            "SELECT count(*) AS n FROM preferences WHERE telegram_id = ?", (patient.id,)
        )
        assert row is not None and row["n"] == 0


async def test_language_buttons_switch_the_bot_and_outlast_the_apps_language(
    running: RunningBot, emulator: TelegramEmulator
) -> None:
    patient = emulator.new_user("Nadia")  # an English Telegram app
    before = len(emulator.messages_to(patient.chat_id))
    await emulator.send_text(patient, "/language")
    [question] = (await emulator.wait_for_messages(patient.chat_id, before + 1))[before:]
    assert question.text.startswith("Which language should I speak to you in?")
    labels = [label for row in question.buttons for label, _ in row]
    assert labels == ["English", "Español", "Русский", "العربية"]
    before = len(emulator.messages_to(patient.chat_id))
    await emulator.press_button(patient, question, "Русский")
    [saved] = (await emulator.wait_for_messages(patient.chat_id, before + 1))[before:]
    assert saved.text.startswith("Готово: я буду говорить с вами по-русски.")
    assert saved.text.endswith(running.settings.disclaimer_in("ru"))
    # Their own menu, in Russian.
    scope = {"type": "chat", "chat_id": patient.id}
    menu = {entry["command"]: entry["description"] for entry in emulator.commands_for(scope)}
    assert menu["country"] == "Ваша страна — для её номеров экстренной помощи"
    # Chosen outlasts the app: their next emergency is answered in Russian all the same.
    reply, _ = await running.ask(patient, "my chest hurts and I can't breathe", replies=2)
    assert reply.text.startswith(running.settings.emergency.message_in("ru"))

    # The sandbox's way, typed: /language es; an unknown one is refused with the buttons.
    before = len(emulator.messages_to(patient.chat_id))
    await emulator.send_text(patient, "/language es")
    [spanish] = (await emulator.wait_for_messages(patient.chat_id, before + 1))[before:]
    assert spanish.text.startswith("Listo: te hablaré en español.")
    before = len(emulator.messages_to(patient.chat_id))
    await emulator.send_text(patient, "/language fr")
    refused, again = (await emulator.wait_for_messages(patient.chat_id, before + 2))[before:]
    assert refused.text.startswith("Todavía no hablo ese idioma.")
    assert again.buttons
    before = len(emulator.messages_to(patient.chat_id))
    await emulator.press_raw_callback(patient, question, "lang:xx")
    [forged] = (await emulator.wait_for_messages(patient.chat_id, before + 1))[before:]
    assert forged.text.startswith("Todavía no hablo ese idioma.")


async def test_the_command_menu_is_set_in_each_language(
    running: RunningBot, emulator: TelegramEmulator
) -> None:
    def menu(language: str | None) -> dict[str, str]:
        entries = emulator.commands_for(None, language) if language else emulator.commands
        return {entry["command"]: entry["description"] for entry in entries}

    assert menu(None)["language"] == "The language I speak to you in"
    assert menu("es")["language"] == "El idioma en que te hablo"
    assert menu("ru")["help"] == "Как задать вопрос"
    assert menu("ar")["forget"] == "احذف بياناتك"
    # The same commands in every language.
    assert list(menu("ar")) == list(menu("es")) == list(menu(None))
