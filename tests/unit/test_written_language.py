"""Which encoder reads a patient's question (issue 17): English text goes to AskDoc's own
English encoder, anything else to the multilingual one, decided from the text alone."""

from __future__ import annotations

import pytest

from bot.written_language import is_english, written_in


@pytest.mark.parametrize(
    "text",
    [
        "why would I need microdermabrasion after eMatrix treatments?",
        "Is Cornelia de Lange syndrome inherited ?",
        "my son (5 y.o.) has a rash since tuesday, what is it",
        "migraine treatment",
        "ibuprofen 400 mg",
        "👍",
        "",
    ],
)
def test_english_questions_stay_with_the_english_encoder(text: str) -> None:
    assert is_english(text)
    assert written_in(text) == "en"


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("¿Cuáles son los síntomas de la gota?", "es"),
        ("mi hija tiene asma, que tratamientos hay", "es"),
        ("migraña", "es"),
        ("что такое подагра и как её лечить", "ru"),
        ("Що таке подагра, і як її лікувати", "uk"),
        ("ما هي أعراض النقرس؟", "ar"),
        ("je suis enceinte, est-ce que je peux prendre du paracétamol", "fr"),
        ("ich habe seit drei Tagen Kopfschmerzen", "de"),
        ("estou grávida, posso tomar paracetamol?", "pt"),
    ],
)
def test_questions_in_other_languages_go_to_the_multilingual_encoder(
    text: str, language: str
) -> None:
    assert not is_english(text)
    assert written_in(text) == language
