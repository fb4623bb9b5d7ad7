"""Every inline keyboard the bot shows, and the outbox message that carries one."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import i18n, texts
from bot.flows.moderating import ACTIONS, BankAction
from bot.flows.registration import Decision
from bot.handlers import callbacks
from bot.matching import Hit
from bot.models import Doctor, FileRef, OutgoingMessage, StoredQuestion
from bot.store.consultations import AnswerSummary

DECISION_DATA = {
    Decision.APPROVE: callbacks.APPROVE,
    Decision.REJECT: callbacks.REJECT,
    Decision.REVOKE: callbacks.REVOKE,
    Decision.RESTORE: callbacks.RESTORE,
}
# The decision a button's action stands for.
DECISION_OF_ACTION = {action: decision for decision, action in DECISION_DATA.items()}
# Each decision's button label, a message in admins.ftl.
DECISION_LABELS = {
    Decision.APPROVE: "approve-button",
    Decision.REJECT: "reject-button",
    Decision.REVOKE: "revoke-button",
    Decision.RESTORE: "restore-button",
}


def outgoing(
    chat_id: int,
    body_html: str,
    markup: InlineKeyboardMarkup | None = None,
    *,
    about_asked: int | None = None,
    file: FileRef | None = None,
    protect: bool = False,
) -> OutgoingMessage:
    """A new message for the outbox, its buttons stored as JSON (`about_asked`: the patient's
    question it quotes to a doctor; `file`: a file with `body_html` as its caption)."""
    return OutgoingMessage(
        chat_id=chat_id,
        body_html=body_html,
        markup_json=markup.to_json() if markup is not None else None,
        about_asked=about_asked,
        file=file,
        protect=protect,
    )


def _button(label: str, prefix: str, number: int) -> InlineKeyboardButton:
    return InlineKeyboardButton(label, callback_data=callbacks.make(prefix, number))


def match_rows(hits: Sequence[Hit]) -> list[list[InlineKeyboardButton]]:
    """One button per close match: it opens that question."""
    return [
        [_button(texts.match_button_label(hit.title), callbacks.OPEN_MATCH, hit.question_id)]
        for hit in hits
    ]


def matches(hits: Sequence[Hit]) -> InlineKeyboardMarkup | None:
    """Close matches as buttons, or None when there are none."""
    rows = match_rows(hits)
    return InlineKeyboardMarkup(rows) if rows else None


def bank_answer(
    words: i18n.Words, others: Sequence[Hit], asked_id: int, question_id: int
) -> InlineKeyboardMarkup:
    """Under a bank answer: other close matches, then Ask a doctor and Report."""
    rows = match_rows(others)
    rows.append(
        [
            _button(words("ask-a-doctor-button"), callbacks.ASK_A_DOCTOR, asked_id),
            _button(words("report-button"), callbacks.REPORT, question_id),
        ]
    )
    return InlineKeyboardMarkup(rows)


def ask_a_doctor(words: i18n.Words, asked_id: int) -> InlineKeyboardMarkup:
    """One button: send the question to doctors (once the patient may)."""
    return InlineKeyboardMarkup(
        [[_button(words("ask-a-doctor-button"), callbacks.ASK_A_DOCTOR, asked_id)]]
    )


def block(words: i18n.Words, asked_id: int) -> InlineKeyboardMarkup:
    """Under an escalation: block the patient who asked it."""
    return InlineKeyboardMarkup([[_button(words("block-button"), callbacks.BLOCK, asked_id)]])


def report(words: i18n.Words, question_id: int) -> InlineKeyboardMarkup:
    """Under a bank question a patient opened: Report."""
    return InlineKeyboardMarkup([[_button(words("report-button"), callbacks.REPORT, question_id)]])


def routed(words: i18n.Words, asked_id: int, others: Sequence[Hit]) -> InlineKeyboardMarkup:
    """Under the news that a question went to doctors: Keep private, then close matches."""
    rows = [[_button(words("keep-private-button"), callbacks.KEEP_PRIVATE, asked_id)]]
    rows += match_rows(others)
    return InlineKeyboardMarkup(rows)


def forget(words: i18n.Words) -> InlineKeyboardMarkup:
    """Under /forget's question: the one button that erases."""
    return InlineKeyboardMarkup([[_button(words("forget-button"), callbacks.FORGET, 1)]])


def choices(words: i18n.Words, hits: Sequence[Hit], asked_id: int) -> InlineKeyboardMarkup:
    """Is this your question?: the candidates, then None of these (to a doctor)."""
    rows = match_rows(hits)
    rows.append([_button(words("none-of-these-button"), callbacks.ASK_A_DOCTOR, asked_id)])
    return InlineKeyboardMarkup(rows)


def offer(words: i18n.Words, asked_id: int) -> InlineKeyboardMarkup:
    """Under a question a doctor is offered."""
    return InlineKeyboardMarkup(
        [
            [
                _button(words("answer-button"), callbacks.ANSWER, asked_id),
                _button(words("ask-details-button"), callbacks.ASK_DETAILS, asked_id),
                _button(words("skip-button"), callbacks.SKIP, asked_id),
            ]
        ]
    )


def join_file(words: i18n.Words, asked_id: int) -> InlineKeyboardMarkup:
    """Under "Is this photo about your question?": yes (it joins), or no (a new question)."""
    join = words("file-join-button", ref=str(asked_id))
    return InlineKeyboardMarkup(
        [
            [_button(join, callbacks.FILE_JOIN, asked_id)],
            [_button(words("file-new-question-button"), callbacks.FILE_NEW, asked_id)],
        ]
    )


def preview(
    words: i18n.Words, asked_id: int, *, editable: bool = False, publish: bool = True
) -> InlineKeyboardMarkup:
    """Under the preview of a doctor's answer (`editable`: the public question is still the
    doctor's to edit or keep out of the bank; `publish`: it goes into the bank now)."""
    rows = [
        [
            _button(words("send-button"), callbacks.SEND, asked_id),
            _button(words("edit-button"), callbacks.EDIT, asked_id),
            _button(words("cancel-button"), callbacks.CANCEL, asked_id),
        ]
    ]
    if editable and publish:
        rows.append(
            [
                _button(words("edit-public-button"), callbacks.EDIT_PUBLIC, asked_id),
                _button(words("dont-publish-button"), callbacks.DONT_PUBLISH, asked_id),
            ]
        )
    elif editable:
        rows.append([_button(words("publish-button"), callbacks.PUBLISH, asked_id)])
    return InlineKeyboardMarkup(rows)


def answer(words: i18n.Words, answer_id: int, question_id: int) -> InlineKeyboardMarkup:
    """Under a doctor's answer as the patient gets it: stars, a follow-up, and Report."""
    stars = [
        InlineKeyboardButton(label, callback_data=callbacks.make_rating(answer_id, value))
        for value, label in enumerate(texts.RATE_BUTTONS, start=1)
    ]
    follow = _button(words("follow-up-button"), callbacks.FOLLOW_UP, answer_id)
    flag = _button(words("report-button"), callbacks.REPORT, question_id)
    return InlineKeyboardMarkup([stars, [follow, flag]])


def queue(words: i18n.Words, asked_ids: Sequence[int]) -> InlineKeyboardMarkup:
    """Under /queue: Answer and Skip for each question."""
    return InlineKeyboardMarkup(
        [
            [
                _button(words("queue-answer-button", ref=str(ref)), callbacks.ANSWER, ref),
                _button(words("queue-skip-button", ref=str(ref)), callbacks.SKIP, ref),
            ]
            for ref in asked_ids
        ]
    )


def my_answers(words: i18n.Words, answers: Sequence[AnswerSummary]) -> InlineKeyboardMarkup:
    """Under /answers: an Edit button for each answer, named by its question's reference."""
    return InlineKeyboardMarkup(
        [
            [_button(words("revise-button", ref=str(a.asked_id)), callbacks.REVISE, a.answer_id)]
            for a in answers
        ]
    )


def decision_row(
    words: i18n.Words, doctor: Doctor, decisions: Sequence[Decision], *, named: bool = False
) -> list[InlineKeyboardButton]:
    """An admin's buttons for one doctor (`named`: each says which doctor, as in /doctors)."""
    labels = {decision: words(DECISION_LABELS[decision]) for decision in decisions}
    return [
        _button(
            texts.doctor_button(words, labels[decision], doctor.id, doctor.card)
            if named
            else labels[decision],
            DECISION_DATA[decision],
            doctor.id,
        )
        for decision in decisions
    ]


def decisions(
    words: i18n.Words, doctor: Doctor, choices: Sequence[Decision]
) -> InlineKeyboardMarkup | None:
    """Under an application: what an admin can do now."""
    row = decision_row(words, doctor, choices)
    return InlineKeyboardMarkup([row]) if row else None


ENTRY_DATA = {
    BankAction.PUBLISH: callbacks.ENTRY_PUBLISH,
    BankAction.EDIT: callbacks.ENTRY_EDIT,
    BankAction.REJECT: callbacks.ENTRY_REJECT,
    BankAction.HIDE: callbacks.ENTRY_HIDE,
    BankAction.RESTORE: callbacks.ENTRY_RESTORE,
    BankAction.DELETE: callbacks.ENTRY_DELETE,
}
# The bank action a button's action stands for.
ENTRY_ACTION_OF = {action: bank_action for bank_action, action in ENTRY_DATA.items()}
# Each bank action's button label, a message in admins.ftl.
ENTRY_LABELS = {
    BankAction.PUBLISH: "publish-entry-button",
    BankAction.EDIT: "edit-entry-button",
    BankAction.REJECT: "reject-entry-button",
    BankAction.HIDE: "hide-button",
    BankAction.RESTORE: "restore-entry-button",
    BankAction.DELETE: "delete-button",
}


def bank_entry(words: i18n.Words, question: StoredQuestion) -> InlineKeyboardMarkup | None:
    """Under a bank entry an admin sees: what can be done with it as it stands."""
    row = [
        _button(words(ENTRY_LABELS[action]), ENTRY_DATA[action], question.id)
        for action in ACTIONS[question.visibility]
    ]
    return InlineKeyboardMarkup([row]) if row else None


def reported(words: i18n.Words, report_id: int) -> InlineKeyboardMarkup:
    """Under a patient's report: Hide the entry, or Keep it."""
    return InlineKeyboardMarkup(
        [
            [
                _button(words("hide-button"), callbacks.REPORT_HIDE, report_id),
                _button(words("keep-button"), callbacks.REPORT_KEEP, report_id),
            ]
        ]
    )


def countries(
    catalog: i18n.Catalog, language: str, codes: Sequence[str], *, more: bool
) -> InlineKeyboardMarkup:
    """A button per country (flag and name in the language), three to a row; then "Other
    countries" (when `more`) and "My country is not listed"."""
    buttons = [
        InlineKeyboardButton(
            f"{i18n.flag(code)} {i18n.country_name(code, language)}",
            callback_data=f"{callbacks.COUNTRY}:{code}",
        )
        for code in codes
    ]
    rows = [buttons[start : start + 3] for start in range(0, len(buttons), 3)]
    if more:
        label = catalog.text(language, "country-other-button")
        rows.append(
            [
                InlineKeyboardButton(
                    label, callback_data=f"{callbacks.COUNTRY}:{callbacks.MORE_COUNTRIES}"
                )
            ]
        )
    label = catalog.text(language, "country-not-listed-button")
    rows.append(
        [InlineKeyboardButton(label, callback_data=f"{callbacks.COUNTRY}:{callbacks.NOT_LISTED}")]
    )
    return InlineKeyboardMarkup(rows)


def languages(catalog: i18n.Catalog, codes: Sequence[str]) -> InlineKeyboardMarkup:
    """A button per language, each named in itself, two to a row."""
    buttons = [
        InlineKeyboardButton(
            catalog.text(code, "language-name"), callback_data=f"{callbacks.LANGUAGE}:{code}"
        )
        for code in codes
    ]
    return InlineKeyboardMarkup([buttons[start : start + 2] for start in range(0, len(buttons), 2)])
