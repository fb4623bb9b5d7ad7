"""The store's aggregates on a real SQLite file: act, then assert on what is stored."""

from __future__ import annotations

import dataclasses

import pytest

from bot.models import (
    AnswerEntry,
    AskedStatus,
    BankEntry,
    DoctorCard,
    DoctorProfile,
    DoctorStatus,
    Draft,
    Offer,
    OutgoingMessage,
    PublishedAnswer,
    Registration,
    Visibility,
)
from bot.store import OutboxStatus, Store
from bot.store.database import Change

CARD = DoctorCard("Dr. A", "Dermatologist", "Austin", rating_total=9.0, review_count=2)


def entry(key: str, question: str, *answers: str) -> BankEntry:
    return BankEntry(
        key=key,
        question=question,
        answers=tuple(AnswerEntry(text=text, doctor=CARD) for text in answers),
    )


def no_messages(published: PublishedAnswer) -> list[OutgoingMessage]:
    return []


def to(chat_id: int, text: str = "hello") -> OutgoingMessage:
    return OutgoingMessage(chat_id=chat_id, body_html=text)


async def asked_and_routed(store: Store, patient: int, doctor_ids: list[int], text: str) -> int:
    recorded = await store.consultations.record(
        update_id=None, patient_id=patient, chat_id=patient, text=text
    )
    offers = [Offer(doctor_id, to(doctor_id, "offer")) for doctor_id in doctor_ids]
    await store.consultations.route(recorded.question.id, offers, [to(patient, "routed")])
    return recorded.question.id


async def config_doctors(store: Store, *telegram_ids: int) -> list[int]:
    await store.doctors.sync_config(
        [DoctorProfile(tid, f"Dr. {tid}", "GP", "Town") for tid in telegram_ids]
    )
    return [doctor.id for doctor in await store.doctors.active()]


# --- database ------------------------------------------------------------------------------


async def test_a_transaction_that_raises_leaves_nothing_and_still_drops_caches(
    store: Store,
) -> None:
    forgotten: list[str] = []
    store.database.on_change(Change.PEOPLE, lambda: forgotten.append("people"))
    with pytest.raises(RuntimeError):
        async with store.database.transaction() as tx:
            tx.changed(Change.PEOPLE)
            await store.outbox.enqueue(tx, [to(1)])
            raise RuntimeError("boom")
    assert await store.outbox.due() == []
    assert forgotten == ["people"]


# --- bank and search -----------------------------------------------------------------------


async def test_import_adds_then_updates_changed_entries_and_skips_the_rest(store: Store) -> None:
    first = await store.bank.import_entries(
        [entry("file:a", "Is gout inherited?", "Sometimes."), entry("file:b", "What is acne?")]
    )
    again = await store.bank.import_entries(
        [entry("file:a", "Is gout inherited?", "Often."), entry("file:b", "What is acne?")]
    )
    assert (first.added, first.updated, first.unchanged) == (2, 0, 0)
    assert (again.added, again.updated, again.unchanged) == (0, 1, 1)
    assert await store.bank.size() == 2


async def test_a_stored_question_carries_its_answers_and_their_authors_cards(store: Store) -> None:
    await store.bank.import_entries([entry("file:a", "Is gout inherited?", "Sometimes.")])
    [candidate] = await store.search.search_candidates('"gout"', 10, 100)
    question = await store.bank.question(candidate.question_id)
    assert question is not None and question.question == "Is gout inherited?"
    [answer] = question.answers
    assert answer.text == "Sometimes." and answer.doctor == CARD


async def test_a_bank_question_keeps_its_language(store: Store) -> None:
    spanish = dataclasses.replace(entry("file:es", "¿Es hereditaria la gota?"), language="es")
    await store.bank.import_entries([entry("file:en", "Is gout inherited?"), spanish])
    [english_hit] = await store.search.search_candidates('"gout"', 10, 9)
    [spanish_hit] = await store.search.search_candidates('"gota"', 10, 9)
    english = await store.bank.question(english_hit.question_id)
    stored = await store.bank.question(spanish_hit.question_id)
    assert english is not None and english.language == "en"
    assert stored is not None and stored.language == "es"
    # A changed language is a changed entry.
    again = await store.bank.import_entries([dataclasses.replace(spanish, language="pt")])
    assert again.updated == 1


async def test_a_doctors_answer_joins_the_bank_in_the_language_of_its_public_question(
    store: Store,
) -> None:
    [doctor] = await config_doctors(store, 11)
    asked_id = await asked_and_routed(store, 1, [doctor], "¿Por qué tengo la piel seca?")
    published = await store.consultations.publish(
        doctor,
        asked_id,
        "Hidrátala.",
        2,
        "¿Por qué se seca la piel?",
        Visibility.PUBLISHED,
        no_messages,
    )
    assert published is not None
    question = await store.bank.question(published.question_id)
    assert question is not None and question.language == "es"


async def test_a_doctor_from_the_config_keeps_the_languages_they_read(store: Store) -> None:
    await store.doctors.sync_config([DoctorProfile(11, "Dr. Ana", "GP", "Sevilla", (), ("es",))])
    doctor = await store.doctors.by_telegram_id(11)
    assert doctor is not None and doctor.languages == ("es",)


async def test_removing_entries_takes_them_out_of_the_index_and_its_counts(store: Store) -> None:
    await store.bank.import_entries(
        [entry("file:a", "Is gout inherited?"), entry("file:b", "Is gout painful?")]
    )
    assert await store.search.term_document_counts(["gout"]) == {"gout": 2}
    assert await store.bank.remove_entries_except("file:", ["file:b"]) == 1
    assert await store.search.term_document_counts(["gout", "inherit"]) == {
        "gout": 1,
        "inherit": 0,
    }
    assert await store.search.indexed_question_count() == 1


# --- doctors -------------------------------------------------------------------------------


async def test_a_doctor_the_config_drops_is_revoked_and_comes_back_when_listed(
    store: Store,
) -> None:
    await config_doctors(store, 11, 12)
    await config_doctors(store, 11)
    dropped = await store.doctors.by_telegram_id(12)
    assert dropped is not None and dropped.status is DoctorStatus.REVOKED
    await config_doctors(store, 11, 12)
    back = await store.doctors.by_telegram_id(12)
    assert back is not None and back.status is DoctorStatus.ACTIVE


async def test_a_status_changes_only_from_the_statuses_allowed(store: Store) -> None:
    [doctor_id] = await config_doctors(store, 11)
    async with store.database.transaction() as tx:
        first = await store.doctors.change_status(
            tx, doctor_id, DoctorStatus.REVOKED, only_from=(DoctorStatus.ACTIVE,)
        )
    async with store.database.transaction() as tx:
        second = await store.doctors.change_status(
            tx, doctor_id, DoctorStatus.REVOKED, only_from=(DoctorStatus.ACTIVE,)
        )
    assert (first, second) == (True, False)
    assert await store.doctors.active() == []


async def test_an_application_is_kept_step_by_step_then_pending(store: Store) -> None:
    await store.doctors.save_registration(Registration(77, "title", "Dr. New", None, None))
    assert await store.doctors.registration(77) == Registration(77, "title", "Dr. New", None, None)
    applied = await store.doctors.apply(DoctorProfile(77, "Dr. New", "GP", "Town"))
    assert applied.status is DoctorStatus.PENDING
    assert await store.doctors.registration(77) is None
    assert await store.doctors.discard_registration(77) is False


# --- outbox --------------------------------------------------------------------------------


async def test_the_outbox_keeps_messages_until_delivered_or_given_up(store: Store) -> None:
    first, second, third = await store.outbox.post([to(1, "a"), to(2, "b"), to(3, "c")])
    await store.outbox.delivered(first, [41])
    await store.outbox.retry_later(second, at=0.0, error="500")
    await store.outbox.give_up(third, OutboxStatus.UNDELIVERABLE, "blocked")
    assert [m.body_html for m in await store.outbox.due()] == ["b"]
    assert (await store.outbox.due())[0].attempts == 1
    delivery = await store.outbox.delivery(first)
    assert (delivery.status, delivery.message_id) == (OutboxStatus.SENT, 41)
    assert await store.outbox.counts() == {
        OutboxStatus.SENT: 1,
        OutboxStatus.PENDING: 1,
        OutboxStatus.UNDELIVERABLE: 1,
    }


# --- consultations -------------------------------------------------------------------------


async def test_an_update_delivered_twice_is_stored_once(store: Store) -> None:
    first = await store.consultations.record(update_id=5, patient_id=1, chat_id=1, text="acne?")
    again = await store.consultations.record(update_id=5, patient_id=1, chat_id=1, text="acne?")
    assert first.is_new and not again.is_new
    assert again.question.id == first.question.id
    assert [q.text for q in await store.consultations.all()] == ["acne?"]


async def test_settling_records_the_outcome_and_queues_the_replies(store: Store) -> None:
    recorded = await store.consultations.record(update_id=1, patient_id=1, chat_id=1, text="?")
    await store.consultations.settle(recorded.question.id, AskedStatus.UNCLEAR, None, None, [to(1)])
    [unclear] = await store.consultations.all(AskedStatus.UNCLEAR)
    assert unclear.replied and [m.chat_id for m in await store.outbox.due()] == [1]


async def test_publishing_puts_the_answer_in_the_bank_and_closes_the_question_at_enough(
    store: Store,
) -> None:
    first, second, third = await config_doctors(store, 11, 12, 13)
    asked_id = await asked_and_routed(store, 1, [first, second, third], "Why is my skin dry?")

    def messages(published: PublishedAnswer) -> list[OutgoingMessage]:
        return [to(1, f"answer {published.answer_id}")]

    once = await store.consultations.publish(
        first, asked_id, "Moisturise.", 2, "Dry skin?", Visibility.PUBLISHED, messages
    )
    twice = await store.consultations.publish(
        second, asked_id, "Drink water.", 2, "Dry skin?", Visibility.PUBLISHED, messages
    )
    late = await store.consultations.publish(
        third, asked_id, "Too late.", 2, "Dry skin?", Visibility.PUBLISHED, messages
    )
    assert once is not None and twice is not None and late is None
    assert twice.answer_count == 2 and len(twice.closed_offers) == 1
    question = await store.bank.question(twice.question_id)
    assert question is not None
    assert [a.text for a in question.answers] == ["Moisturise.", "Drink water."]
    assert await store.consultations.answerable(third, 2) == []


async def test_a_patient_rates_once_and_rating_again_changes_only_the_stars(store: Store) -> None:
    [doctor_id] = await config_doctors(store, 11)
    asked_id = await asked_and_routed(store, 1, [doctor_id], "Why is my skin dry?")
    published = await store.consultations.publish(
        doctor_id, asked_id, "Moisturise.", 1, "Dry skin?", Visibility.PUBLISHED, no_messages
    )
    assert published is not None
    assert await store.consultations.rate(published.answer_id, 1, 5)
    assert await store.consultations.rate(published.answer_id, 1, 3)
    assert not await store.consultations.rate(published.answer_id, 2, 5)
    doctor = await store.doctors.get(doctor_id)
    assert doctor is not None and doctor.card.review_count == 1 and doctor.card.rating == 3


async def test_a_revision_changes_the_bank_text_and_drops_the_doctors_draft(store: Store) -> None:
    [doctor_id] = await config_doctors(store, 11)
    asked_id = await asked_and_routed(store, 1, [doctor_id], "Why is my skin dry?")
    published = await store.consultations.publish(
        doctor_id, asked_id, "Moisturise.", 1, "Dry skin?", Visibility.PUBLISHED, no_messages
    )
    assert published is not None
    await store.consultations.save_draft(Draft(doctor_id, asked_id, published.answer_id, None))
    await store.consultations.revise(published.answer_id, "Use cream.", [to(1)])
    found = await store.consultations.doctor_answer(published.answer_id)
    assert found is not None and found.answer.text == "Use cream."
    assert await store.consultations.draft(doctor_id) is None


async def test_a_patients_label_is_made_once_and_follow_ups_are_remembered(store: Store) -> None:
    label = await store.consultations.patient_label(1)
    assert len(label) == 4 and await store.consultations.patient_label(1) == label
    assert await store.consultations.patient_label(2) != label
    await store.consultations.set_follow_up(1, None)
    assert await store.consultations.pending_follow_up(1) is None


async def test_a_skipped_question_leaves_the_doctors_queue(store: Store) -> None:
    first, second = await config_doctors(store, 11, 12)
    asked_id = await asked_and_routed(store, 1, [first, second], "Why is my skin dry?")
    await store.consultations.skip(first, asked_id)
    assert await store.consultations.answerable(first, 2) == []
    assert [q.id for q in await store.consultations.answerable(second, 2)] == [asked_id]


# --- stats ---------------------------------------------------------------------------------


async def test_the_figures_count_questions_answers_and_ratings(store: Store) -> None:
    [doctor_id] = await config_doctors(store, 11)
    asked_id = await asked_and_routed(store, 1, [doctor_id], "Why is my skin dry?")
    published = await store.consultations.publish(
        doctor_id, asked_id, "Moisturise.", 1, "Dry skin?", Visibility.PUBLISHED, no_messages
    )
    assert published is not None
    await store.consultations.rate(published.answer_id, 1, 4)
    figures = await store.stats.figures()
    assert (figures.asked, figures.routed, figures.answered_by_doctors) == (1, 1, 1)
    assert figures.ratings == 1 and figures.average_stars == 4.0
    assert figures.median_seconds_to_answer is not None


async def test_a_question_gets_its_first_reply_once(store: Store) -> None:
    recorded = await store.consultations.record(update_id=1, patient_id=1, chat_id=1, text="?")
    asked_id = recorded.question.id
    assert [q.id for q in await store.consultations.unsettled()] == [asked_id]
    first = await store.consultations.settle(asked_id, AskedStatus.UNCLEAR, None, None, [to(1)])
    again = await store.consultations.settle(asked_id, AskedStatus.UNCLEAR, None, None, [to(1)])
    routed = await store.consultations.route(asked_id, [], [to(1, "routed")])
    assert (first, again, routed) == (True, False, False)
    assert [m.body_html for m in await store.outbox.due()] == ["hello"]
    assert await store.consultations.unsettled() == []


async def test_a_patient_sends_an_answered_question_to_doctors_once(store: Store) -> None:
    recorded = await store.consultations.record(update_id=1, patient_id=1, chat_id=1, text="?")
    asked_id = recorded.question.id
    await store.consultations.settle(asked_id, AskedStatus.MATCHED, None, 0.9, [])
    once = await store.consultations.route(asked_id, [], [to(1, "a")], on_request=True)
    twice = await store.consultations.route(asked_id, [], [to(1, "b")], on_request=True)
    assert (once, twice) == (True, False)
    assert [m.body_html for m in await store.outbox.due()] == ["a"]


async def test_only_questions_old_enough_are_unsettled_stragglers(store: Store) -> None:
    await store.consultations.record(update_id=1, patient_id=1, chat_id=1, text="?")
    assert await store.consultations.unsettled(older_than_seconds=60) == []
    assert len(await store.consultations.unsettled(older_than_seconds=0)) == 1


async def test_one_chats_backlog_does_not_hide_another_chats_message(store: Store) -> None:
    await store.outbox.post([to(1, f"offer {n}") for n in range(30)])
    await store.outbox.post([to(2, "your reply")])
    due = await store.outbox.due(per_chat=10)
    assert [m.body_html for m in due if m.chat_id == 1] == [f"offer {n}" for n in range(10)]
    assert [m.body_html for m in due if m.chat_id == 2] == ["your reply"]
