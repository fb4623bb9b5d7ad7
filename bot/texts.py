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

# English, for what doctors and admins read (their side has no messages of its own yet), and for
# the patient messages whose senders do not pass the patient's words yet.
ENGLISH = i18n.Words(i18n.Catalog(languages=(i18n.DEFAULT_LANGUAGE,)), i18n.DEFAULT_LANGUAGE)

# Sent by handlers that do not know the patient's words yet (app.py's error handler,
# moderation.py's thanks for a report): English until they pass them.
INTERNAL_ERROR = ENGLISH("internal-error")
REPORT_THANKS = ENGLISH("report-thanks")

# What a doctor's copy of an erased question becomes where Telegram no longer lets it go.
DELETED_BY_PATIENT = "(deleted by the patient)"
ERASED_BY_RETENTION = "(erased: kept no longer than the privacy settings allow)"

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


def _doctor_card(words: i18n.Words, card: DoctorCard) -> str:
    parts = [escape(part) for part in (card.title, card.location) if part]
    who = f"<b>{escape(card.name)}</b>" if card.name else f"<b>{parts.pop(0)}</b>" if parts else ""
    first_line = " · ".join([who, *parts]) if who else " · ".join(parts)
    return f"🩺 {first_line}\n{_stars(words, card)}"


def doctor_card(card: DoctorCard) -> str:
    """The doctor's line and rating line, as under each answer on the seed page, as doctors
    and admins see it (in English)."""
    return _doctor_card(ENGLISH, card)


def source_card(words: i18n.Words, card: SourceCard) -> str:
    """Stands where a doctor's card would, for imported public answers."""
    line = words("source-line", source=escape(card.source))
    extras = [escape(card.license) if card.license else "", escape(card.url) if card.url else ""]
    details = " · ".join(extra for extra in extras if extra)
    return f"{line}\n{details}" if details else line


def _answer_block(words: i18n.Words, answer: StoredAnswer) -> str:
    if answer.doctor is not None:
        card = _doctor_card(words, answer.doctor)
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


# The three below reach the patient from bot/handlers/doctor.py, which does not pass the
# patient's `words` yet: until it does, they are in English.


def answer_for_patient(
    question: str,
    card: DoctorCard,
    body: str,
    *,
    updated: bool = False,
    words: i18n.Words = ENGLISH,
) -> str:
    """A doctor's answer as it reaches the patient: the card, then the text."""
    headline = (
        words("answer-updated-headline", who=who(card)) if updated else words("answer-headline")
    )
    return (
        f"<b>{headline}</b>\n<i>{escape(_shorten(question, 300))}</i>\n\n"
        f"{_doctor_card(words, card)}\n{_paragraphs(body)}\n\n{words('answer-closing')}"
    )


def file_for_patient(
    kind: str, card: DoctorCard, ref: int, caption: str, *, words: i18n.Words = ENGLISH
) -> str:
    """The caption of a doctor's file with their answer (`kind`: bot.models.FileKind's value)."""
    said = f"\n{escape(_shorten(caption, 600))}" if caption.strip() else ""
    return words("file-from-doctor", kind=kind, who=who(card), ref=str(ref)) + said


def details_for_patient(
    card: DoctorCard, ref: int, question: str, *, words: i18n.Words = ENGLISH
) -> str:
    """A doctor's request for details as the patient receives it, with the doctor's card."""
    heading = words("details-heading", who=who(card), ref=str(ref))
    return (
        f"<b>{heading}</b>\n{_doctor_card(words, card)}\n\n{_paragraphs(question)}\n\n"
        f"{words('details-how-to-reply', who=who(card))}"
    )


# --- the doctor's side -------------------------------------------------------------------------

ANSWER_BUTTON = "Answer"
SKIP_BUTTON = "Skip"
SEND_BUTTON = "Send"
EDIT_BUTTON = "Edit"
CANCEL_BUTTON = "Cancel"
REVISE_BUTTON = "Edit answer to #{ref}"


# The first line of a question that matched an emergency pattern, as doctors see it.
EMERGENCY_FLAG = (
    "🚨 <b>Possible emergency</b>: the patient was shown the emergency message. Please look "
    "at this one first."
)


def _flagged(emergency: bool) -> str:
    return f"{EMERGENCY_FLAG}\n" if emergency else ""


def _files_follow(files: int) -> str:
    if not files:
        return ""
    noun = "file follows" if files == 1 else "files follow"
    return f"📎 {files} {noun} this message (protected: they can't be forwarded or saved).\n\n"


def offer_to_doctor(
    label: str,
    ref: int,
    question: str,
    *,
    emergency: bool = False,
    files: int = 0,
    language: str = "en",
) -> str:
    """A question as a doctor receives it: an anonymous label, never the patient's name; a
    possible emergency says so first; a question not in English names its language."""
    written = (
        f"<i>Written in {escape(i18n.language_name(language, 'en'))}</i>\n"
        if language != "en"
        else ""
    )
    return (
        f"{_flagged(emergency)}<b>New question</b> from Patient #{escape(label)}"
        f" (reference #{ref})\n\n"
        f"{written}{_paragraphs(question)}\n\n{_files_follow(files)}"
        "Reply to this message with your answer, or tap Answer. Ask for details puts a question "
        "to the patient first."
    )


# How a file of each kind (bot.models.FileKind's value) is named to doctors.
FILE_NAMES = {"photo": "photo", "document": "file", "voice": "voice message"}


def file_for_doctor(kind: str, label: str, ref: int, caption: str) -> str:
    """The caption of a patient's file as a doctor receives it."""
    name = FILE_NAMES.get(kind, "file").capitalize()
    words = f"\n{escape(_shorten(caption, 600))}" if caption.strip() else ""
    return f"📎 {name} from Patient #{escape(label)} for question #{ref}{words}"


ASK_DETAILS_BUTTON = "Ask for details"
ASK_FOR_DETAILS = (
    "Write your question for the patient of #{ref} as one message. They see your name and "
    "title with it, and their reply comes back to you here. /cancel stops."
)
DETAILS_REQUEST_SENT = "Sent to the patient of #{ref}. Their reply comes to you here."


def details_for_doctor(
    label: str, ref: int, question: str, reply: str, *, files: int = 0, emergency: bool = False
) -> str:
    """The patient's reply to a doctor's request for details."""
    words = _paragraphs(reply) if reply.strip() else "<i>(no text)</i>"
    return (
        f"{_flagged(emergency)}<b>Details</b> from Patient #{escape(label)} for question"
        f" #{ref}\n\nYou asked:\n<blockquote>{escape(_shorten(question, 600))}</blockquote>\n"
        f"{words}\n\n{_files_follow(files)}Tap Answer when you are ready."
    )


def follow_up_to_doctor(
    label: str,
    ref: int,
    question: str,
    earlier_question: str,
    earlier_answer: str,
    *,
    emergency: bool = False,
) -> str:
    """A follow-up as the doctor receives it, with the earlier exchange quoted."""
    return (
        f"{_flagged(emergency)}<b>Follow-up</b> from Patient #{escape(label)}"
        f" (reference #{ref})\n\n"
        f"Earlier question:\n<blockquote>{escape(_shorten(earlier_question, 800))}</blockquote>\n"
        f"Your answer:\n<blockquote>{escape(_shorten(earlier_answer, 1500))}</blockquote>\n\n"
        f"Now:\n{_paragraphs(question)}\n\n"
        "Reply to this message with your answer, or tap Answer."
    )


def reminder_to_doctor(
    label: str, ref: int, question: str, waited: str, *, emergency: bool = False
) -> str:
    """A question still unanswered, offered again to a doctor who has neither answered nor
    skipped it."""
    return (
        f"{_flagged(emergency)}⏰ <b>Still waiting</b> for an answer after {escape(waited)}:"
        f" question #{ref} from Patient #{escape(label)}\n\n"
        f"{_paragraphs(question)}\n\n"
        "Tap Answer to answer it, or Skip to leave it to the others."
    )


def escalation(
    ref: int,
    label: str,
    waited: str,
    seen: Sequence[tuple[str, str]],
    *,
    emergency: bool = False,
) -> str:
    """The admins told of a question no doctor has answered: its reference and who has it,
    not its text."""
    states = {"offered": "not answered yet", "skipped": "skipped", "closed": "closed"}
    doctors = ", ".join(f"{escape(name)} ({states.get(state, state)})" for name, state in seen)
    flag = "🚨 A possible emergency. " if emergency else ""
    return (
        f"⚠️ <b>No answer after {escape(waited)}</b>: question #{ref} from Patient"
        f" #{escape(label)}. {flag}Offered to: {doctors or 'no doctor (none could take it)'}."
        "\n\nAsk a doctor to take it, or, if the patient is abusing the service, block them."
    )


BLOCK_BUTTON = "Block this patient"


def offer_closed(label: str, ref: int, question: str, answers: int) -> str:
    """What a doctor's copy of a question turns into once it has its answers."""
    return (
        f"<b>Answered</b>: question #{ref} from Patient #{escape(label)} has its answers "
        f"({answers}); no more are needed.\n\n<i>{escape(_shorten(question, 500))}</i>"
    )


ASK_FOR_ANSWER = (
    "Write your answer to question #{ref} as one message. You will see a preview before it is "
    "sent. /cancel stops."
)
ASK_FOR_REVISION = (
    "Send the new text of your answer to question #{ref} as one message. You will see a "
    "preview first."
)


def answer_preview(
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
    what = "your revised answer" if revision else "your answer"
    public_part = f"{public}\n\n" if public else ""
    files_part = (
        f"📎 With {count_of(files, 'file')}: to the patient only, after the text; never in the "
        "bank.\n\n"
        if files
        else ""
    )
    return (
        f"<b>Preview</b> of {what} to Patient #{escape(label)} (question #{ref}), as the patient "
        f"will see it:\n\n{doctor_card(card)}\n{_paragraphs(body)}\n\n{files_part}{public_part}"
        "Send it?"
    )


FILE_ADDED_TO_ANSWER = (
    "📎 Attached to your answer to question #{ref} ({files}). Now write the answer's text as "
    "one message; you will see a preview before anything is sent."
)
FILE_WITHOUT_ANSWER = (
    "To send a file with an answer, tap Answer under the question first, then send the file. "
    "To ask a question of your own about it, send it again with your question as its caption."
)
NO_FILES_IN_REVISION = (
    "Files go with a new answer; an edit changes the text of your answer to #{ref} only."
)


# What Send does with the public question, by answering.Publishing's value.
PUBLIC_QUESTION_NOTES = {
    "publish": (
        "<b>Public question</b>, as the answer bank will show it with your answer (details that "
        "could identify the patient are removed; check it):\n<i>{question}</i>"
    ),
    "review": (
        "<b>Public question</b>, as the answer bank will show it with your answer once an admin "
        "approves it (details that could identify the patient are removed; check it):\n"
        "<i>{question}</i>"
    ),
    "not_published": "<b>Not published</b>: your answer goes to the patient only.",
    "kept_private": (
        "<b>Private</b>: the patient asked to keep this question private, so your answer goes "
        "to them alone and never joins the bank."
    ),
    "follow_up": "<b>Private</b>: a follow-up goes to the patient only, not into the bank.",
    "joins_published": (
        "Another doctor's answer is in the bank under this public question; yours joins it:"
        "\n<i>{question}</i>"
    ),
    "joins_review": (
        "Another doctor's answer waits for an admin's review under this public question; yours "
        "joins it:\n<i>{question}</i>"
    ),
    "joins_private": "<b>Private</b>: this question's answers go to the patient only.",
    "revision": "",
}
STILL_IDENTIFYING = "⚠️ It may still contain: {kinds}. Edit it before you send."
IDENTIFIER_NAMES = {
    "name": "a name",
    "phone": "a phone number",
    "email": "an e-mail address",
    "url": "a link",
    "handle": "a username",
    "date": "a date",
    "address": "an address",
    "id_number": "an identifying number",
    "age_over_89": "an age over 89",
}


def public_question_note(publishing: str, question: str, identifiers: Sequence[str]) -> str:
    """The public-question part of a preview."""
    note = PUBLIC_QUESTION_NOTES[publishing].format(question=escape(question))
    if identifiers and "{question}" in PUBLIC_QUESTION_NOTES[publishing]:
        kinds = ", ".join(
            IDENTIFIER_NAMES.get(kind, kind.replace("_", " ")) for kind in identifiers
        )
        note += "\n" + STILL_IDENTIFYING.format(kinds=kinds)
    return note


EDIT_PUBLIC_BUTTON = "Edit public question"
DONT_PUBLISH_BUTTON = "Don't publish"
PUBLISH_BUTTON = "Publish to the bank"
ASK_FOR_PUBLIC_QUESTION = (
    "Send the public question for #{ref} as one message: how the answer bank should show it, "
    "with nothing that could identify the patient (/cancel drops the answer). It now reads:\n"
    "<i>{current}</i>"
)


# What the doctor is told once Send went through, by the bank entry's visibility.
ANSWER_SENT = {
    Visibility.PUBLISHED: (
        "Sent to Patient #{label} and added to the answer bank as <i>{question}</i>, so the next "
        "patient who asks this is answered at once. Thank you."
    ),
    Visibility.REVIEW: (
        "Sent to Patient #{label}. It joins the answer bank as <i>{question}</i> once an admin "
        "approves it. Thank you."
    ),
    Visibility.HIDDEN: "Sent to Patient #{label}. Thank you.",
    Visibility.PRIVATE: (
        "Sent to Patient #{label} only: it does not join the answer bank. Thank you."
    ),
}
REVISION_SENT = "Your answer to question #{ref} is updated in the bank, and the patient was told."
REVISION_SAVED = (
    "Your answer to question #{ref} is updated. Its patient erased their data, so nobody else "
    "is told."
)
DRAFT_CANCELLED = "Cancelled: nothing was sent."
PREVIEW_ALREADY_CANCELLED = (
    "This preview was cancelled earlier, so nothing was sent. To answer, reply to the question "
    "again or tap Answer under it in /queue."
)
PREVIEW_ALREADY_SENT = "Your answer to this question was sent already. /answers lets you edit it."
NOTHING_TO_CANCEL = "There is nothing to cancel."
SKIPPED = "Skipped question #{ref}. /queue lists the questions still waiting for an answer."
QUESTION_CLOSED = "Question #{ref} already has its answers; thank you all the same."
NOT_A_DOCTOR = "Only registered doctors can do that."
NOT_YOUR_ANSWER = "You can change only your own answers."
QUEUE_EMPTY = "No questions are waiting for an answer right now. Thank you!"
QUEUE_HEADER = "<b>Questions waiting for an answer</b> ({count}):"
ANSWERS_EMPTY = "You have not answered any questions yet. /queue lists those waiting."
ANSWERS_HEADER = "<b>Your answers</b> (newest first):"


def queue_item(
    label: str, ref: int, question: str, *, emergency: bool = False, files: int = 0
) -> str:
    """One waiting question in /queue."""
    flag = "🚨 <b>Possible emergency</b> · " if emergency else ""
    attached = f" · 📎 {count_of(files, 'file')}" if files else ""
    return f"{flag}#{ref} · Patient #{escape(label)}{attached}\n{escape(_shorten(question, 300))}"


def answers_item(ref: int, question: str, body: str) -> str:
    """One of the doctor's answers in /answers, under its question's reference."""
    return f"<b>#{ref}</b> {escape(_shorten(question, 200))}\n<i>{escape(_shorten(body, 300))}</i>"


def profile(card: DoctorCard, specialties: Sequence[str], answers_given: int) -> str:
    """The doctor's own card, as patients see it, with their figures."""
    fields = ", ".join(escape(s) for s in specialties) if specialties else "none listed"
    return (
        "<b>Your card</b>, as patients see it:\n\n"
        f"{doctor_card(card)}\n\n"
        f"Specialties (for routing): {fields}\nAnswers given: {answers_given}"
    )


DOCTOR_HELP = (
    "<b>For doctors</b>\n"
    "Questions the answer bank cannot answer come to you here, without the patient's name. "
    "Reply to a question with your answer, or tap Answer; you see a preview before it is sent. "
    "Your answer goes to the patient and into the bank, under a public question with nothing "
    "that identifies the patient: check it in the preview, edit it, or keep the answer out of "
    "the bank. Ask for details puts a question to the patient first. A photo or file you send "
    "while writing an answer goes with it, to the patient only."
)


# --- the admin's side and registration by invitation ------------------------------------------

NOT_AN_ADMIN = "Only the bot's admins can do that."

REGISTRATION_OFF = "Registration of doctors is closed: this bot does not take applications."
REGISTER_USAGE = "To apply as a doctor, send /register followed by your invitation code."
REGISTER_WRONG_CODE = "That invitation code is not valid."
ALREADY_A_DOCTOR = "You are already one of this bot's doctors. /help lists what you can do."
APPLICATION_WAITING = "Your application is already with the admins. You will hear from us here."
ACCESS_REVOKED_NO_REAPPLY = (
    "Your access as a doctor was withdrawn, so you cannot apply again here. Please contact the "
    "bot's operator."
)
REGISTRATION_STARTED = (
    "<b>Applying as a doctor</b>\n"
    "I will ask three short questions; patients will see your answers on your card. "
    "/cancel stops."
)
REGISTRATION_ASK = {
    "name": "What is your name, as patients should see it? For example: <i>Dr. Jane Roe</i>",
    "title": "What is your title or specialty? For example: <i>Dermatologist</i>",
    "location": "Where do you practise? For example: <i>Austin, TX</i>",
}
REGISTRATION_TOO_LONG = "Please keep it under {limit} characters."
REGISTRATION_CANCELLED = "Your application is cancelled; nothing was sent to the admins."
APPLICATION_SENT = (
    "Thank you. Your application is with the admins:\n\n{card}\n\n"
    "You will hear from us here. Until then you can use the bot as anyone else."
)
APPROVE_BUTTON = "Approve"
REJECT_BUTTON = "Reject"
REVOKE_BUTTON = "Revoke"
RESTORE_BUTTON = "Restore"
APPLICATION_APPROVED = "<b>Welcome aboard!</b> An admin approved your application.\n\n{help}"
APPLICATION_REJECTED = (
    "Thank you for applying. An admin has not approved your application, so you cannot answer "
    "questions here. You can still ask questions like anyone else."
)
ACCESS_REVOKED = (
    "An admin has withdrawn your access as a doctor: questions no longer come to you, and any "
    "answer you were writing is dropped. You can still ask questions like anyone else."
)
ACCESS_RESTORED = "An admin restored your access as a doctor.\n\n{help}"
ALREADY_DECIDED = "Doctor #{ref} is already {status}; nothing changed."
NO_SUCH_DOCTOR = "There is no doctor #{ref}."
DECISION_DONE = {
    "approve": "Approved doctor #{ref} ({who}); they have been told.",
    "reject": "Rejected doctor #{ref} ({who}); they have been told.",
    "revoke": "Revoked doctor #{ref} ({who}); they have been told.",
    "restore": "Restored doctor #{ref} ({who}); they have been told.",
}
DOCTORS_EMPTY = "No doctors use the bot yet."
DOCTORS_HEADER = "<b>Doctors</b> ({count}):"
STATUS_LABELS = {
    "active": "active",
    "pending": "waiting for approval",
    "revoked": "revoked",
    "rejected": "rejected",
    "author": "bank author",
}


def application_for_admins(
    ref: int, name: str, title: str, location: str, telegram_name: str, telegram_id: int
) -> str:
    """A new application as every admin receives it, with the buttons to decide."""
    return (
        f"<b>New doctor application</b> (doctor #{ref})\n\n"
        f"Name: {escape(name)}\nTitle: {escape(title)}\nLocation: {escape(location)}\n"
        f"Telegram: {escape(telegram_name)} (id {telegram_id})"
    )


def doctors_item(ref: int, card: DoctorCard, status: str, answers_given: int) -> str:
    """One doctor in /doctors."""
    label = STATUS_LABELS.get(status, status)
    return f"<b>#{ref}</b> · {escape(label)} · answers given: {answers_given}\n{doctor_card(card)}"


def doctor_button(action: str, ref: int, card: DoctorCard) -> str:
    """A Revoke or Restore button's label: the action and whose."""
    return match_button_label(f"{action} #{ref} {card.name or card.title}")


def duration(seconds: float) -> str:
    """A span of time as doctors and admins read it: 45 s, 12 min, 3 h 20 min, 2 d 4 h."""
    return duration_in(ENGLISH, seconds)


def statistics(
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
    median = duration(median_seconds) if median_seconds is not None else "no answers yet"
    average = f" (average {average_stars:.1f}★)" if average_stars is not None else ""
    return (
        "<b>Statistics</b>\n"
        f"Questions asked: {asked}\n"
        f"Answered from the bank: {from_bank}\n"
        f"Sent to doctors: {routed}\n"
        f"Answered by doctors: {by_doctors}\n"
        f"Median time to a doctor's answer: {median}\n"
        f"Ratings: {ratings}{average}"
    )


ADMIN_HELP = "<b>For admins</b>"

BLOCK_USAGE = (
    "Send /{command} followed by the reference of one of the patient's questions, as doctors "
    "see it: <i>/{command} 42</i>."
)
BLOCK_DONE = {
    True: "Blocked the patient of question #{ref}: their messages are neither routed nor kept.",
    False: "The patient of question #{ref} was blocked already.",
}
UNBLOCK_DONE = {
    True: "Unblocked the patient of question #{ref}: their messages are answered again.",
    False: "The patient of question #{ref} was not blocked.",
}
BLOCK_NO_SUCH = "There is no question #{ref} with a patient (it may have been erased)."

VISIBILITY_LABELS = {
    Visibility.PUBLISHED: "published",
    Visibility.REVIEW: "waiting for review",
    Visibility.HIDDEN: "hidden: never matched, not in inline mode",
    Visibility.PRIVATE: "private",
}
PUBLISH_ENTRY_BUTTON = "Publish"
EDIT_ENTRY_BUTTON = "Edit"
REJECT_ENTRY_BUTTON = "Reject"
HIDE_BUTTON = "Hide"
RESTORE_ENTRY_BUTTON = "Restore"
DELETE_BUTTON = "Delete"
KEEP_BUTTON = "Keep"


def bank_entry(question: StoredQuestion) -> str:
    """A bank entry as an admin sees it: its number and standing, then the page."""
    status = escape(VISIBILITY_LABELS[question.visibility])
    return f"<b>Bank #{question.id}</b> · {status}\n\n{question_page(ENGLISH, question)}"


def review_request(question: StoredQuestion) -> str:
    """A doctor's answer waiting for an admin, as every admin receives it."""
    return f"<b>New answer to review</b>\n\n{bank_entry(question)}"


def report_for_admins(report_id: int, question: StoredQuestion) -> str:
    """A patient's report, as every admin receives it."""
    return f"<b>Report #{report_id}</b>: a patient reported an answer.\n\n{bank_entry(question)}"


REVIEW_EMPTY = "No answers are waiting for review."
REVIEW_HEADER = "<b>Waiting for review</b>: {count}. The oldest:"
BANK_USAGE = (
    "Send /bank followed by words of a bank question, or its number: <i>/bank acne</i>, "
    "<i>/bank #12</i>."
)
BANK_NOTHING = "No bank entry matches <i>{words}</i>."
NO_SUCH_ENTRY = "There is no bank entry #{ref} to change."
ENTRY_UNCHANGED = "Bank #{ref} is {status}; nothing changed."
ENTRY_CHANGED = {
    "publish": "Published bank #{ref}: patients are matched to it from now on.",
    "reject": "Rejected bank #{ref}: it stays with the patient alone, never in the bank.",
    "hide": "Hid bank #{ref}: it is never matched and not in inline mode. Restore brings it back.",
    "restore": "Restored bank #{ref}: patients are matched to it again.",
}
ENTRY_DELETED = "Deleted bank #{ref} and its answers for good."
ENTRY_HIDDEN_INSTEAD = (
    "Bank #{ref} comes from the answers folder or an imported data set, which would bring it "
    "back at the next start, so it is hidden instead. Remove it there to delete it for good."
)
ASK_FOR_PUBLIC_TEXT = (
    "Send the new public question for bank #{ref} as one message (/cancel keeps it as it is). "
    "It now reads:\n<i>{current}</i>"
)
REWRITE_CANCELLED = "Cancelled: bank #{ref} keeps its public question."
REPORT_KEPT = "Kept bank #{ref} as it is; report #{report} is closed."
REPORT_DECIDED = "Report #{report} was decided already."
AUDIT_EMPTY = "The audit trail is empty."
AUDIT_HEADER = "<b>Audit trail</b>, newest first:"


def audit_item(at: str, actor: str, action: str, target: str) -> str:
    """One line of /audit."""
    when = at.replace("T", " ")[:16]
    return f"{escape(when)} · {escape(actor)} · {escape(action)} · {escape(target)}"


def _shorten(text: str, limit: int) -> str:
    clean = " ".join(text.split())
    return clean if len(clean) <= limit else clean[: limit - 1].rstrip() + "…"


def _paragraphs(text: str) -> str:
    return "\n\n".join(escape(part.strip()) for part in re.split(r"\n\s*\n", text.strip()))
