"""Every user-facing string and template, and the rules for fitting text into Telegram messages.

All templates produce Telegram HTML. Text that came from a user or a doctor is escaped here,
so no handler has to remember to.
"""

from __future__ import annotations

import datetime
import html
import re
from collections.abc import Iterable, Mapping, Sequence

import babel.dates
from fluent.runtime.types import FluentNone, FluentNumber, fluent_number

from bot import i18n
from bot.models import (
    CountryNumbers,
    DoctorCard,
    SourceCard,
    StoredAnswer,
    StoredQuestion,
    Visibility,
)

TELEGRAM_TEXT_LIMIT = 4096

_TAG = re.compile(r"<[^>]*>")


def escape(text: str) -> str:
    """Make user or doctor text safe inside Telegram HTML."""
    return html.escape(text, quote=False)


def count_of(count: int, noun: str) -> str:
    """`1 question`, `2 questions`: a count with its noun (English plural by -s)."""
    return f"{count:,} {noun}" if count == 1 else f"{count:,} {noun}s"


def emergency_notice(message: str, numbers: str = "") -> str:
    """The emergency message, set apart at the top of a reply, then where to call (see
    emergency_numbers)."""
    notice = f"<b>{escape(message)}</b>"
    return f"{notice}\n{numbers}" if numbers else notice


def numbers_of(catalog: i18n.Catalog, language: str, numbers: CountryNumbers) -> str:
    """A country's numbers in a line: "ambulance 103 · emergency 112 · crisis line ..."."""
    parts = [
        catalog.text(language, message_id, number=escape(number))
        for message_id, number in (
            ("number-ambulance", numbers.ambulance),
            ("number-emergency", numbers.emergency),
            ("number-crisis", numbers.crisis),
        )
        if number
    ]
    return " · ".join(parts)


def country_numbers(
    catalog: i18n.Catalog, language: str, country: str, numbers: CountryNumbers
) -> str:
    """The flag, the name and the numbers of a country."""
    return catalog.text(
        language,
        "emergency-numbers",
        flag=i18n.flag(country),
        country=escape(i18n.country_name(country, language)),
        numbers=numbers_of(catalog, language, numbers),
    )


def emergency_numbers(
    catalog: i18n.Catalog,
    language: str,
    country: str | None,
    table: Mapping[str, CountryNumbers],
    default_country: str | None,
) -> str:
    """Where to call: the patient's country's numbers; until they chose one (or for a country
    without numbers), the operator's default country's, or 112 and 911, and how to choose."""
    if country is not None and country in table:
        return "📞 " + country_numbers(catalog, language, country, table[country])
    if default_country is not None and default_country in table:
        known = country_numbers(catalog, language, default_country, table[default_country])
    else:
        known = catalog.text(language, "emergency-numbers-generic")
    return f"📞 {known}\n{catalog.text(language, 'emergency-set-country')}"


def with_notes(notes: Sequence[str], body: str) -> str:
    """A reply whose notes (the emergency notice first, then why this reply) come before it."""
    return "\n\n".join([*notes, body])


def visible_length(html_text: str) -> int:
    """Length as Telegram counts it: after HTML parsing, in UTF-16 code units."""
    return _utf16_length(html.unescape(_TAG.sub("", html_text)))


def disclaimer_html(disclaimer: str) -> str:
    """The operator's disclaimer as it closes every message."""
    return f"<i>{escape(disclaimer)}</i>"


def ends_with_disclaimer(html_text: str, disclaimer: str) -> bool:
    """True when a message already closes with the disclaimer (so it is not added twice)."""
    return html_text.rstrip().endswith(disclaimer_html(disclaimer))


def _utf16_length(plain: str) -> int:
    return len(plain.encode("utf-16-le")) // 2


def _hard_split(paragraph: str, budget: int) -> list[str]:
    """Split one paragraph too long for a message: at lines, then at spaces, then anywhere.

    Tags cannot safely be cut in half, so an oversized paragraph loses its formatting.
    """
    plain = html.unescape(_TAG.sub("", paragraph))
    pieces: list[str] = []
    current = ""
    for word in re.split(r"(?<=[\n ])", plain):
        while _utf16_length(word) > budget:
            cut = budget
            while _utf16_length(word[:cut]) > budget:
                cut -= 1
            if current:
                pieces.append(current)
                current = ""
            pieces.append(word[:cut])
            word = word[cut:]
        if _utf16_length(current + word) > budget:
            pieces.append(current)
            current = word
        else:
            current += word
    pieces.append(current)
    return [escape(piece.strip()) for piece in pieces if piece.strip()]


def with_disclaimer(body_html: str, disclaimer: str) -> list[str]:
    """Split `body_html` at paragraph boundaries into messages that each end with the disclaimer
    and each fit Telegram's limit."""
    closing = disclaimer_html(disclaimer)
    separator = "\n\n"
    budget = TELEGRAM_TEXT_LIMIT - visible_length(separator + closing)
    body_html = body_html.strip()
    if not body_html:
        return [closing]
    if visible_length(body_html) <= budget:
        return [body_html + separator + closing]
    paragraphs: list[str] = []
    for paragraph in re.split(r"\n{2,}", body_html):
        if visible_length(paragraph) <= budget:
            paragraphs.append(paragraph)
        else:
            paragraphs.extend(_hard_split(paragraph, budget))
    chunks: list[str] = []
    current = ""
    for paragraph in paragraphs:
        candidate = f"{current}{separator}{paragraph}" if current else paragraph
        if visible_length(candidate) <= budget:
            current = candidate
        else:
            chunks.append(current)
            current = paragraph
    if current:
        chunks.append(current)
    return [chunk + separator + closing for chunk in chunks if chunk]


# --- patient messages -------------------------------------------------------------------------
# What patients read is in bot/locales/LANG/patients.ftl; these templates put it together in
# the patient's language (`words`, from AskDocContext.words_for).

# English, where the reader's language cannot be known (an inline result the bot's handler did
# not close, bot/messaging/sending.py; an error the store itself raised, bot/app.py).
ENGLISH = i18n.Words(i18n.Catalog(languages=(i18n.DEFAULT_LANGUAGE,)), i18n.DEFAULT_LANGUAGE)

RATE_BUTTONS = ("1★", "2★", "3★", "4★", "5★")
BUTTON_LABEL_LIMIT = 60


def plain_number(number: float) -> FluentNumber | FluentNone:
    """A number for a message, written as in a sentence: without thousands separators, and a
    whole number as one ("1 day", not "1.0 days", which plural rules count as many)."""
    value = int(number) if float(number).is_integer() else number
    return fluent_number(value, useGrouping=False)


def _days(words: i18n.Words, days: float) -> str:
    return words("days", days=plain_number(days))


_WELCOME_SECTIONS = (
    ("welcome-heading", "welcome-intro"),
    ("welcome-how-heading", "welcome-how"),
    ("welcome-unanswered-heading", "welcome-unanswered"),
    ("welcome-emergencies-heading", "welcome-emergencies"),
    ("welcome-privacy-heading", "welcome-privacy"),
)


def welcome(words: i18n.Words, retention_days: float) -> str:
    """/start: what the bot does, how to ask, and what it keeps."""
    days = _days(words, retention_days)
    return "\n\n".join(
        f"<b>{words(heading)}</b>\n{words(body, days=days)}" for heading, body in _WELCOME_SECTIONS
    )


def privacy(words: i18n.Words, retention_days: float, review_by_admin: bool) -> str:
    """/privacy: what is kept, who sees it, for how long, and how to see or erase it."""
    review = "privacy-review-by-admin" if review_by_admin else "privacy-review-by-doctor"
    return words("privacy", days=_days(words, retention_days), review=words(review))


def duration_in(words: i18n.Words, seconds: float) -> str:
    """A span of time as people say it (in English 45 s, 12 min, 3 h 20 min, 2 d 4 h)."""
    whole = max(0, round(seconds))
    if whole < 60:
        return words("duration-seconds", seconds=plain_number(whole))
    minutes = whole // 60
    if minutes < 60:
        return words("duration-minutes", minutes=plain_number(minutes))
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        if minutes:
            return words(
                "duration-hours-minutes", hours=plain_number(hours), minutes=plain_number(minutes)
            )
        return words("duration-hours", hours=plain_number(hours))
    days, hours = divmod(hours, 24)
    if hours:
        return words("duration-days-hours", days=plain_number(days), hours=plain_number(hours))
    return words("duration-days", days=plain_number(days))


def _stars(words: i18n.Words, card: DoctorCard) -> str:
    if card.rating is None:
        return words("no-reviews")
    # Rounded here as Python rounds (4.35 is 4.3 in binary), then written in the language's way.
    rating = fluent_number(round(card.rating, 1), minimumFractionDigits=1, maximumFractionDigits=1)
    return words("rating", rating=rating, reviews=plain_number(card.review_count))


def doctor_card(words: i18n.Words, card: DoctorCard) -> str:
    """The doctor's line and rating line, as under each answer on the seed page."""
    parts = [escape(part) for part in (card.title, card.location) if part]
    who = f"<b>{escape(card.name)}</b>" if card.name else f"<b>{parts.pop(0)}</b>" if parts else ""
    first_line = " · ".join([who, *parts]) if who else " · ".join(parts)
    return f"🩺 {first_line}\n{_stars(words, card)}"


def source_card(words: i18n.Words, card: SourceCard) -> str:
    """Stands where a doctor's card would, for imported public answers."""
    line = words("source-line", source=escape(card.source))
    extras = [escape(card.license) if card.license else "", escape(card.url) if card.url else ""]
    details = " · ".join(extra for extra in extras if extra)
    return f"{line}\n{details}" if details else line


def _answer_block(words: i18n.Words, answer: StoredAnswer) -> str:
    if answer.doctor is not None:
        card = doctor_card(words, answer.doctor)
    elif answer.source is not None:
        card = source_card(words, answer.source)
    else:
        card = ""
    heading = f"<b>{escape(answer.heading)}</b>\n" if answer.heading else ""
    body = _paragraphs(answer.text)
    return f"{card}\n{heading}{body}" if card else f"{heading}{body}"


def question_page(words: i18n.Words, question: StoredQuestion) -> str:
    """A bank question laid out like the seed page: the question, the count, each answer. The
    bank's text stays as written; a reader of another language is told which one it is in."""
    count = len(question.answers)
    lines = [f"<b>{escape(question.question)}</b>"]
    if question.details:
        lines.append(escape(question.details.strip()))
    if question.language != words.language:
        name = i18n.language_name(question.language, words.language)
        lines.append(words("answer-language-note", language=escape(name)))
    header = "\n".join(lines)
    answers = "\n\n".join(_answer_block(words, answer) for answer in question.answers)
    label = "doctor-answers" if any(a.doctor for a in question.answers) else "answers-count"
    return f"{header}\n\n<b>{words(label, count=plain_number(count))}</b>\n\n{answers}"


def match_button_label(question: str) -> str:
    """A close match's question, shortened to fit a button."""
    clean = " ".join(question.split())
    if len(clean) <= BUTTON_LABEL_LIMIT:
        return clean
    return clean[: BUTTON_LABEL_LIMIT - 1].rstrip() + "…"


def help_commands(commands: Iterable[tuple[str, str]]) -> str:
    """Commands as /help lists them (name, description), from the same table as the menu."""
    return "\n".join(f"/{name} - {escape(description)}" for name, description in commands)


def expectations(
    words: i18n.Words,
    usual_wait_seconds: float | None,
    fallback: str,
    back_at: datetime.datetime | None,
) -> str:
    """What a patient whose question went to doctors can expect: the usual wait (measured, or
    the operator's text), and when the doctors are back if they are away."""
    lines = [
        words("usual-wait", wait=duration_in(words, usual_wait_seconds))
        if usual_wait_seconds is not None
        else escape(fallback)
    ]
    if back_at is not None:
        lines.append(
            words(
                "doctors-away",
                day=escape(babel.dates.format_date(back_at, "EEEE", locale=words.language)),
                time=back_at.strftime("%H:%M"),
                zone=escape(str(back_at.tzinfo)),
            )
        )
    return " ".join(lines)


def who(card: DoctorCard) -> str:
    """How a doctor is named in a sentence."""
    return escape(card.name or card.title)


def answer_for_patient(
    words: i18n.Words, question: str, card: DoctorCard, body: str, *, updated: bool = False
) -> str:
    """A doctor's answer as it reaches the patient: the card, then the text."""
    headline = (
        words("answer-updated-headline", who=who(card)) if updated else words("answer-headline")
    )
    return (
        f"<b>{headline}</b>\n<i>{escape(_shorten(question, 300))}</i>\n\n"
        f"{doctor_card(words, card)}\n{_paragraphs(body)}\n\n{words('answer-closing')}"
    )


def file_for_patient(words: i18n.Words, kind: str, card: DoctorCard, ref: int, caption: str) -> str:
    """The caption of a doctor's file with their answer (`kind`: bot.models.FileKind's value)."""
    said = f"\n{escape(_shorten(caption, 600))}" if caption.strip() else ""
    return words("file-from-doctor", kind=kind, who=who(card), ref=str(ref)) + said


def details_for_patient(words: i18n.Words, card: DoctorCard, ref: int, question: str) -> str:
    """A doctor's request for details as the patient receives it, with the doctor's card."""
    heading = words("details-heading", who=who(card), ref=str(ref))
    return (
        f"<b>{heading}</b>\n{doctor_card(words, card)}\n\n{_paragraphs(question)}\n\n"
        f"{words('details-how-to-reply', who=who(card))}"
    )


# --- the doctor's side -------------------------------------------------------------------------
# What doctors read is in bot/locales/LANG/doctors.ftl; these templates put it together in the
# doctor's language (`words`, from AskDocContext.words_for with the doctor's Telegram id).


def _flagged(words: i18n.Words, emergency: bool) -> str:
    return f"{words('emergency-flag')}\n" if emergency else ""


def _files_follow(words: i18n.Words, files: int) -> str:
    return f"{words('files-follow', files=plain_number(files))}\n\n" if files else ""


def _patient(label: str, ref: int) -> dict[str, str]:
    """A question's reference and its patient's label, as messages take them."""
    return {"label": escape(label), "ref": str(ref)}


def offer_to_doctor(
    words: i18n.Words,
    label: str,
    ref: int,
    question: str,
    *,
    emergency: bool = False,
    files: int = 0,
    language: str = i18n.DEFAULT_LANGUAGE,
) -> str:
    """A question as a doctor receives it: an anonymous label, never the patient's name; a
    possible emergency says so first; a question in another language than the doctor's names
    its `language`, in the doctor's."""
    written = ""
    if language != words.language:
        name = i18n.language_name(language, words.language)
        written = f"{words('written-in', language=escape(name))}\n"
    return (
        f"{_flagged(words, emergency)}{words('offer-heading', **_patient(label, ref))}\n\n"
        f"{written}{_paragraphs(question)}\n\n"
        f"{_files_follow(words, files)}{words('offer-how-to-answer')}"
    )


def file_for_doctor(words: i18n.Words, kind: str, label: str, ref: int, caption: str) -> str:
    """The caption of a patient's file as a doctor receives it (`kind`: bot.models.FileKind's
    value)."""
    said = f"\n{escape(_shorten(caption, 600))}" if caption.strip() else ""
    return words("file-for-doctor", kind=kind, **_patient(label, ref)) + said


def details_for_doctor(
    words: i18n.Words,
    label: str,
    ref: int,
    question: str,
    reply: str,
    *,
    files: int = 0,
    emergency: bool = False,
) -> str:
    """The patient's reply to a doctor's request for details."""
    said = _paragraphs(reply) if reply.strip() else words("no-text")
    return (
        f"{_flagged(words, emergency)}{words('details-from-patient', **_patient(label, ref))}"
        f"\n\n{words('you-asked')}\n<blockquote>{escape(_shorten(question, 600))}</blockquote>\n"
        f"{said}\n\n{_files_follow(words, files)}{words('answer-when-ready')}"
    )


def follow_up_to_doctor(
    words: i18n.Words,
    label: str,
    ref: int,
    question: str,
    earlier_question: str,
    earlier_answer: str,
    *,
    emergency: bool = False,
) -> str:
    """A follow-up as the doctor receives it, with the earlier exchange quoted."""
    earlier = escape(_shorten(earlier_question, 800))
    answered = escape(_shorten(earlier_answer, 1500))
    return (
        f"{_flagged(words, emergency)}{words('follow-up-heading', **_patient(label, ref))}\n\n"
        f"{words('earlier-question')}\n<blockquote>{earlier}</blockquote>\n"
        f"{words('your-earlier-answer')}\n<blockquote>{answered}</blockquote>\n\n"
        f"{words('follow-up-now')}\n{_paragraphs(question)}\n\n"
        f"{words('follow-up-how-to-answer')}"
    )


def reminder_to_doctor(
    words: i18n.Words,
    label: str,
    ref: int,
    question: str,
    waited_seconds: float,
    *,
    emergency: bool = False,
) -> str:
    """A question still unanswered, offered again to a doctor who has neither answered nor
    skipped it."""
    waited = duration_in(words, waited_seconds)
    heading = words("reminder-heading", waited=waited, **_patient(label, ref))
    return (
        f"{_flagged(words, emergency)}{heading}\n\n{_paragraphs(question)}\n\n"
        f"{words('reminder-how-to-answer')}"
    )


def offer_closed(words: i18n.Words, label: str, ref: int, question: str, answers: int) -> str:
    """What a doctor's copy of a question turns into once it has its answers."""
    closed = words("offer-closed", answers=plain_number(answers), **_patient(label, ref))
    return f"{closed}\n\n<i>{escape(_shorten(question, 500))}</i>"


def answer_preview(
    words: i18n.Words,
    card: DoctorCard,
    label: str,
    ref: int,
    body: str,
    *,
    revision: bool,
    public: str = "",
    files: int = 0,
) -> str:
    """What the doctor checks before the answer goes out (`public`: what the bank will show)."""
    heading_id = "revised-preview-heading" if revision else "preview-heading"
    heading = words(heading_id, **_patient(label, ref))
    public_part = f"{public}\n\n" if public else ""
    files_part = f"{words('preview-files', files=files)}\n\n" if files else ""
    return (
        f"{heading}\n\n{doctor_card(words, card)}\n{_paragraphs(body)}\n\n"
        f"{files_part}{public_part}{words('preview-send-it')}"
    )


# What Send does with the public question, by answering.Publishing's value: a note followed by
# the public question, or a note alone; a revision leaves the bank's question as it is.
_NOTES_ABOVE_THE_QUESTION = {
    "publish": "public-note-publish",
    "review": "public-note-review",
    "joins_published": "public-note-joins-published",
    "joins_review": "public-note-joins-review",
}
_NOTES_ALONE = {
    "not_published": "public-note-not-published",
    "kept_private": "public-note-kept-private",
    "follow_up": "public-note-follow-up",
    "joins_private": "public-note-joins-private",
}


def public_question_note(
    words: i18n.Words, publishing: str, question: str, identifiers: Sequence[str]
) -> str:
    """The public-question part of a preview (`identifiers`: the kinds of identifying detail
    still found in it, bot.deidentify.KINDS)."""
    if publishing in _NOTES_ALONE:
        return words(_NOTES_ALONE[publishing])
    if publishing not in _NOTES_ABOVE_THE_QUESTION:
        return ""
    note = f"{words(_NOTES_ABOVE_THE_QUESTION[publishing])}\n<i>{escape(question)}</i>"
    if identifiers:
        kinds = words("list-separator").join(words("identifier", kind=kind) for kind in identifiers)
        note += "\n" + words("still-identifying", kinds=kinds)
    return note


def ask_for_public_question(words: i18n.Words, ref: int, current: str) -> str:
    """The doctor pressed Edit public question: what to send, and how it reads now."""
    return f"{words('ask-for-public-question', ref=str(ref))}\n<i>{escape(current)}</i>"


def answer_sent(words: i18n.Words, visibility: Visibility, label: str, question: str) -> str:
    """What the doctor is told once Send went through, by the bank entry's visibility."""
    return words(
        "answer-sent", visibility=visibility.value, label=escape(label), question=escape(question)
    )


def queue_item(
    words: i18n.Words,
    label: str,
    ref: int,
    question: str,
    *,
    emergency: bool = False,
    files: int = 0,
) -> str:
    """One waiting question in /queue."""
    parts = [words("queue-emergency")] if emergency else []
    parts.append(words("queue-item", **_patient(label, ref)))
    if files:
        parts.append(words("queue-files", files=files))
    return f"{' · '.join(parts)}\n{escape(_shorten(question, 300))}"


def answers_item(words: i18n.Words, ref: int, question: str, body: str) -> str:
    """One of the doctor's answers in /answers, under its question's reference."""
    return (
        f"<b>{words('question-ref', ref=str(ref))}</b> {escape(_shorten(question, 200))}\n"
        f"<i>{escape(_shorten(body, 300))}</i>"
    )


def profile(
    words: i18n.Words, card: DoctorCard, specialties: Sequence[str], answers_given: int
) -> str:
    """The doctor's own card, as patients see it, with their figures."""
    fields = (
        words("list-separator").join(escape(s) for s in specialties)
        if specialties
        else words("profile-no-specialties")
    )
    return (
        f"{words('profile-heading')}\n\n{doctor_card(words, card)}\n\n"
        f"{words('profile-specialties', specialties=fields)}\n"
        f"{words('profile-answers-given', count=plain_number(answers_given))}"
    )


def doctor_help(words: i18n.Words) -> str:
    """What doctors are told of their side, before their commands in /help."""
    return f"<b>{words('doctor-help-heading')}</b>\n{words('doctor-help')}"


# --- the admin's side and registration by invitation ------------------------------------------
# What admins, and doctors applying, read is in bot/locales/LANG/admins.ftl.

# What an application asks for, by registration step.
_REGISTRATION_QUESTIONS = {
    "name": "registration-ask-name",
    "title": "registration-ask-title",
    "location": "registration-ask-location",
}


def registration_question(words: i18n.Words, step: str) -> str:
    """The question an application asks at `step` (bot.flows.registration.STEPS)."""
    return words(_REGISTRATION_QUESTIONS[step])


def registration_started(words: i18n.Words, step: str) -> str:
    """/register with the right code: what comes, then the first question."""
    return (
        f"<b>{words('registration-heading')}</b>\n{words('registration-intro')}\n\n"
        f"{registration_question(words, step)}"
    )


def application_sent(words: i18n.Words, card: DoctorCard) -> str:
    """The applicant's card as the admins got it, and what happens next."""
    return (
        f"{words('application-sent')}\n\n{doctor_card(words, card)}\n\n"
        f"{words('application-sent-next')}"
    )


def application_for_admins(
    words: i18n.Words,
    ref: int,
    name: str,
    title: str,
    location: str,
    telegram_name: str,
    telegram_id: int,
) -> str:
    """A new application as an admin receives it, with the buttons to decide."""
    return (
        f"{words('application-heading', ref=str(ref))}\n\n"
        f"{words('application-name', name=escape(name))}\n"
        f"{words('application-title', title=escape(title))}\n"
        f"{words('application-location', location=escape(location))}\n"
        f"{words('application-telegram', name=escape(telegram_name), id=str(telegram_id))}"
    )


def doctor_status(words: i18n.Words, status: str) -> str:
    """A doctor's standing (bot.models.DoctorStatus's value, or "author") in a sentence."""
    return words("doctor-status", status=status)


def doctors_item(
    words: i18n.Words, ref: int, card: DoctorCard, status: str, answers_given: int
) -> str:
    """One doctor in /doctors."""
    line = words(
        "doctors-item",
        ref=str(ref),
        status=escape(doctor_status(words, status)),
        answers=plain_number(answers_given),
    )
    return f"{line}\n{doctor_card(words, card)}"


def doctor_button(words: i18n.Words, action: str, ref: int, card: DoctorCard) -> str:
    """A Revoke or Restore button's label: the action (its label) and whose."""
    return match_button_label(
        words("doctor-button", action=action, ref=str(ref), who=card.name or card.title)
    )


def statistics(
    words: i18n.Words,
    *,
    asked: int,
    from_bank: int,
    routed: int,
    by_doctors: int,
    median_seconds: float | None,
    ratings: int,
    average_stars: float | None,
) -> str:
    """The /stats report."""
    median = (
        words("stats-median", median=duration_in(words, median_seconds))
        if median_seconds is not None
        else words("stats-median-none")
    )
    if average_stars is None:
        rated = words("stats-ratings", count=plain_number(ratings))
    else:
        # Rounded as Python rounds, as the rating of a doctor's card is.
        average = fluent_number(
            round(average_stars, 1), minimumFractionDigits=1, maximumFractionDigits=1
        )
        rated = words("stats-ratings-average", count=plain_number(ratings), average=average)
    return "\n".join(
        [
            f"<b>{words('stats-heading')}</b>",
            words("stats-asked", count=plain_number(asked)),
            words("stats-from-bank", count=plain_number(from_bank)),
            words("stats-routed", count=plain_number(routed)),
            words("stats-by-doctors", count=plain_number(by_doctors)),
            median,
            rated,
        ]
    )


def escalation(
    words: i18n.Words,
    ref: int,
    label: str,
    waited_seconds: float,
    seen: Sequence[tuple[str, str]],
    *,
    emergency: bool = False,
) -> str:
    """An admin told of a question no doctor has answered: its reference and who has it (each
    doctor's name and offer state), not its text."""
    doctors = words("list-separator").join(
        f"{escape(name)} ({words('offer-state', state=state)})" for name, state in seen
    )
    offered = (
        words("escalation-offered-to", doctors=doctors)
        if doctors
        else words("escalation-offered-to-nobody")
    )
    flag = f"{words('escalation-emergency')} " if emergency else ""
    waited = duration_in(words, waited_seconds)
    heading = words("escalation-heading", waited=waited, **_patient(label, ref))
    return f"{heading} {flag}{offered}\n\n{words('escalation-what-to-do')}"


def visibility_label(words: i18n.Words, visibility: Visibility) -> str:
    """Where a bank entry stands, in a sentence."""
    return words("visibility", visibility=visibility.value)


def bank_entry(words: i18n.Words, question: StoredQuestion) -> str:
    """A bank entry as an admin sees it: its number and standing, then the page."""
    status = escape(visibility_label(words, question.visibility))
    heading = words("bank-entry-heading", ref=str(question.id), status=status)
    return f"{heading}\n\n{question_page(words, question)}"


def review_request(words: i18n.Words, question: StoredQuestion) -> str:
    """A doctor's answer waiting for an admin, as an admin receives it."""
    return f"<b>{words('review-request-heading')}</b>\n\n{bank_entry(words, question)}"


def report_for_admins(words: i18n.Words, report_id: int, question: StoredQuestion) -> str:
    """A patient's report, as an admin receives it."""
    heading = words("report-for-admins", report=str(report_id))
    return f"{heading}\n\n{bank_entry(words, question)}"


def ask_for_public_text(words: i18n.Words, question: StoredQuestion) -> str:
    """An admin pressed Edit under a bank entry: what to send, and how it reads now."""
    asking = words("ask-for-public-text", ref=str(question.id))
    return f"{asking}\n<i>{escape(question.question)}</i>"


def audit_item(at: str, actor: str, action: str, target: str) -> str:
    """One line of /audit (the trail's own words, as stored)."""
    when = at.replace("T", " ")[:16]
    return f"{escape(when)} · {escape(actor)} · {escape(action)} · {escape(target)}"


def _shorten(text: str, limit: int) -> str:
    clean = " ".join(text.split())
    return clean if len(clean) <= limit else clean[: limit - 1].rstrip() + "…"


def _paragraphs(text: str) -> str:
    return "\n\n".join(escape(part.strip()) for part in re.split(r"\n\s*\n", text.strip()))
