"""Pure rules for what goes out: escaping, the disclaimer, splitting to Telegram's limit."""

from __future__ import annotations

from bot import texts
from bot.emulator import parse_html, utf16_len
from bot.models import DoctorCard, SourceCard, StoredAnswer, StoredQuestion

DISCLAIMER = "Educational only. Call 911 in an emergency."


def visible(html_text: str) -> str:
    """What Telegram would show: the emulator's parser is the judge of valid HTML."""
    return parse_html(html_text).text


def test_short_text_is_one_message_ending_with_the_disclaimer() -> None:
    [message] = texts.with_disclaimer("Hello <b>there</b>", DISCLAIMER)
    assert visible(message) == f"Hello there\n\n{DISCLAIMER}"


def test_long_text_splits_at_paragraphs_and_every_part_ends_with_the_disclaimer() -> None:
    paragraphs = [f"<b>Part {n}</b> " + "word " * 150 for n in range(20)]
    messages = texts.with_disclaimer("\n\n".join(paragraphs), DISCLAIMER)
    assert len(messages) > 1
    for message in messages:
        shown = visible(message)
        assert shown.endswith(DISCLAIMER)
        assert utf16_len(shown) <= texts.TELEGRAM_TEXT_LIMIT
    joined = "".join(visible(m).removesuffix(DISCLAIMER) for m in messages)
    for n in range(20):
        assert joined.count(f"Part {n} ") == 1


def test_a_single_huge_paragraph_is_cut_at_words_and_stays_valid_html() -> None:
    body = texts.escape("a<b & c " * 2000)
    messages = texts.with_disclaimer(body, DISCLAIMER)
    assert len(messages) >= 4
    for message in messages:
        shown = visible(message)  # raises if the cut broke an entity or tag
        assert utf16_len(shown) <= texts.TELEGRAM_TEXT_LIMIT
        assert shown.endswith(DISCLAIMER)


def test_limit_is_counted_in_utf16_units_like_telegram() -> None:
    emoji_paragraphs = "\n\n".join("😷" * 1000 for _ in range(5))
    for message in texts.with_disclaimer(emoji_paragraphs, DISCLAIMER):
        assert utf16_len(visible(message)) <= texts.TELEGRAM_TEXT_LIMIT


def test_user_and_doctor_text_is_escaped() -> None:
    question = StoredQuestion(
        id=1,
        question="Is <script> & ibuprofen OK?",
        details="",
        answers=(
            StoredAnswer(
                id=1,
                heading="A & B",
                text="Take <1 tablet> & rest.",
                doctor=DoctorCard("Dr <X>", "GP", "Town", 9.0, 2),
                source=None,
            ),
        ),
    )
    page = texts.question_page(texts.ENGLISH, question)
    shown = visible(page)
    assert "Is <script> & ibuprofen OK?" in shown
    assert "Take <1 tablet> & rest." in shown
    assert "Dr <X> · GP · Town\n★ 4.5 · 2 reviews" in shown


def test_an_imported_answer_shows_its_source_where_the_doctor_would_be() -> None:
    question = StoredQuestion(
        id=2,
        question="What is (are) Anemia ?",
        details="",
        answers=(
            StoredAnswer(
                id=2,
                heading="",
                text="Generated text.",
                doctor=None,
                source=SourceCard("medquad/NHLBI", "https://example.org/x", "CC-BY-4.0"),
            ),
        ),
    )
    shown = visible(texts.question_page(texts.ENGLISH, question))
    assert "Answers: 1" in shown and "Doctor answers" not in shown
    assert "Source: medquad/NHLBI\nCC-BY-4.0 · https://example.org/x" in shown


def test_doctor_without_a_name_is_shown_by_title() -> None:
    card = DoctorCard(None, "Dermatologic Surgeon", "South Burlington", 45.0, 9)
    assert visible(texts.doctor_card(texts.ENGLISH, card)) == (
        "🩺 Dermatologic Surgeon · South Burlington\n★ 5.0 · 9 reviews"
    )
