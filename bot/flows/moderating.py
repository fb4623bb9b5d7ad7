"""What admins do with the bank: review doctors' answers before they are published
(publishing.review: admin), hide, restore, rewrite or delete any entry, and decide on patients'
reports. Only an admin gets here (the handlers' guard)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from bot.flows import Services
from bot.models import StoredQuestion, Visibility


class BankAction(Enum):
    """An admin's buttons under a bank entry."""

    PUBLISH = "publish"
    EDIT = "edit"
    REJECT = "reject"
    HIDE = "hide"
    RESTORE = "restore"
    DELETE = "delete"


# Where each visibility change leads, and from where it may be made.
_MOVES: dict[BankAction, tuple[Visibility, frozenset[Visibility]]] = {
    BankAction.PUBLISH: (Visibility.PUBLISHED, frozenset({Visibility.REVIEW})),
    # A rejected answer stays the patient's alone: they have it already.
    BankAction.REJECT: (Visibility.PRIVATE, frozenset({Visibility.REVIEW})),
    BankAction.HIDE: (Visibility.HIDDEN, frozenset({Visibility.PUBLISHED, Visibility.REVIEW})),
    BankAction.RESTORE: (Visibility.PUBLISHED, frozenset({Visibility.HIDDEN})),
}

_AUDIT_ACTIONS = {
    BankAction.PUBLISH: "approved and published",
    BankAction.REJECT: "rejected (kept private)",
    BankAction.HIDE: "hid",
    BankAction.RESTORE: "restored",
}

# What an admin may do with an entry as it stands. Private entries are the patient's alone:
# admins neither see nor change them here.
ACTIONS: dict[Visibility, tuple[BankAction, ...]] = {
    Visibility.REVIEW: (
        BankAction.PUBLISH,
        BankAction.EDIT,
        BankAction.REJECT,
        BankAction.DELETE,
    ),
    Visibility.PUBLISHED: (BankAction.EDIT, BankAction.HIDE, BankAction.DELETE),
    Visibility.HIDDEN: (BankAction.EDIT, BankAction.RESTORE, BankAction.DELETE),
    Visibility.PRIVATE: (),
}

# A rewritten public question longer than this is cut, as a doctor's is.
PUBLIC_QUESTION_LIMIT = 300


def admin_actor(admin_id: int) -> str:
    """How the audit names an admin (staff are named by their Telegram id)."""
    return f"admin {admin_id}"


@dataclass(frozen=True, slots=True)
class Changed:
    """The entry moved (`before` -> its visibility now)."""

    question: StoredQuestion
    action: BankAction
    before: Visibility


@dataclass(frozen=True, slots=True)
class Unchanged:
    """The action does not apply to the entry as it stands (decided already, say)."""

    question: StoredQuestion
    action: BankAction


@dataclass(frozen=True, slots=True)
class Deleted:
    """The entry and its answers are gone."""

    question_id: int


@dataclass(frozen=True, slots=True)
class HiddenInstead:
    """Delete pressed on an imported entry: the next start's import would bring it back, so
    it is hidden; removing it from the answers folder (or the data set) deletes it."""

    question: StoredQuestion


@dataclass(frozen=True, slots=True)
class WaitingForPublicText:
    """The bot waits for the admin's new public text of the question."""

    question: StoredQuestion


@dataclass(frozen=True, slots=True)
class NoSuchEntry:
    """No such bank question (or a private one, which admins do not handle)."""


ActOutcome = Changed | Unchanged | Deleted | HiddenInstead | WaitingForPublicText | NoSuchEntry


async def entry(services: Services, question_id: int) -> StoredQuestion | None:
    """A bank entry as admins may see it (not a patient's private one)."""
    found = await services.store.bank.question(question_id)
    if found is None or found.visibility is Visibility.PRIVATE:
        return None
    return found


async def act(
    services: Services,
    admin_id: int,
    question_id: int,
    action: BankAction,
    report_id: int | None = None,
) -> ActOutcome:
    """An admin's button under a bank entry (or under a report: `report_id`)."""
    store = services.store
    found = await entry(services, question_id)
    if found is None:
        return NoSuchEntry()
    actor = admin_actor(admin_id)
    if action is BankAction.EDIT:
        if action not in ACTIONS[found.visibility]:
            return Unchanged(found, action)
        await store.moderation.start_edit(admin_id, question_id)
        return WaitingForPublicText(found)
    if action is BankAction.DELETE:
        if found.from_patient:
            deleted = await store.moderation.delete(question_id, actor)
            return Deleted(question_id) if deleted else NoSuchEntry()
        if found.visibility is not Visibility.HIDDEN:
            await store.moderation.change_visibility(
                question_id,
                Visibility.HIDDEN,
                frozenset({Visibility.PUBLISHED, Visibility.REVIEW}),
                actor,
                "hid (delete asked for an imported entry)",
                report_id,
            )
        return HiddenInstead(await entry(services, question_id) or found)
    target, allowed = _MOVES[action]
    before = await store.moderation.change_visibility(
        question_id, target, allowed, actor, _AUDIT_ACTIONS[action], report_id
    )
    # Read as it is now, even rejected (private): the admin is told what became of it.
    after = await store.bank.question(question_id)
    if before is None or after is None:
        return NoSuchEntry()
    if before not in allowed:
        return Unchanged(after, action)
    return Changed(after, action, before)


async def rewrite(services: Services, admin_id: int, text: str) -> StoredQuestion | None:
    """Text from an admin who pressed Edit: the entry's new public question. None when the
    admin is not rewriting anything (the text is theirs to ask, like anyone's)."""
    store = services.store
    question_id = await store.moderation.editing(admin_id)
    if question_id is None:
        return None
    clean = " ".join(text.split())[:PUBLIC_QUESTION_LIMIT]
    await store.moderation.rewrite(admin_id, question_id, clean, admin_actor(admin_id))
    return await entry(services, question_id)


async def cancel_rewrite(services: Services, admin_id: int) -> int | None:
    """/cancel from an admin rewriting a public question: the entry stays as it was; returns
    it (None: the admin was rewriting nothing)."""
    moderation = services.store.moderation
    question_id = await moderation.editing(admin_id)
    if question_id is not None:
        await moderation.stop_edit(admin_id)
    return question_id


@dataclass(frozen=True, slots=True)
class Reported:
    """A patient's report, for the admins: the report and the entry."""

    report_id: int
    question: StoredQuestion


async def report(services: Services, question_id: int, reporter_id: int) -> Reported | None:
    """A patient reported an answer; None: the entry is gone, or it is not public and not
    theirs (forged button data must not show admins another patient's private answer)."""
    store = services.store
    found = await store.bank.question(question_id)
    if found is None:
        return None
    if found.visibility is not Visibility.PUBLISHED and (
        await store.consultations.asker_of(question_id) != reporter_id
    ):
        return None
    report_id = await store.moderation.report(question_id)
    return Reported(report_id, found) if report_id is not None else None


async def keep_reported(services: Services, admin_id: int, report_id: int) -> int | None:
    """Keep pressed under a report: the entry stays; returns it (None: decided already)."""
    return await services.store.moderation.keep(report_id, admin_actor(admin_id))


async def hide_reported(services: Services, admin_id: int, report_id: int) -> ActOutcome:
    """Hide pressed under a report."""
    store = services.store
    question_id = await store.moderation.report_question(report_id)
    if question_id is None:
        return NoSuchEntry()
    found = await store.bank.question(question_id)
    if found is not None and found.visibility is Visibility.PRIVATE:
        # An answer its patient alone has: not public, so nothing to hide.
        await store.moderation.keep(report_id, admin_actor(admin_id))
        return Unchanged(found, BankAction.HIDE)
    return await act(services, admin_id, question_id, BankAction.HIDE, report_id)
