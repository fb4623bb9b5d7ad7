"""The store's privacy rules on a fresh real database: who sees a bank question, what keeping a
question private, erasing a patient and the retention limit leave behind (down to the bytes of
the file), the audit trail, and which questions wait for a reminder."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

from bot.models import (
    AnswerEntry,
    BankEntry,
    DoctorCard,
    DoctorProfile,
    Offer,
    OutgoingMessage,
    PublishedAnswer,
    Visibility,
)
from bot.store import DoctorCopy, Store
from bot.store.migrations import MIGRATIONS
from bot.store.privacy import ERASED_PATIENT
from bot.terms import terms

CARD = DoctorCard("Dr. Card", "GP", "Town", 0.0, 0)
SECRET = "Quorvexilan"


def to(chat_id: int, text: str = "hello") -> OutgoingMessage:
    return OutgoingMessage(chat_id=chat_id, body_html=text)


def no_messages(published: PublishedAnswer) -> list[OutgoingMessage]:
    return []


def deleted_copy(copy: DoctorCopy) -> OutgoingMessage:
    return to(copy.chat_id, "(deleted by the patient)")


async def one_doctor(store: Store) -> int:
    await store.doctors.sync_config([DoctorProfile(11, "Dr. Eleven", "GP", "Town")])
    [doctor] = await store.doctors.active()
    return doctor.id


async def routed(store: Store, patient: int, doctor_id: int, text: str) -> int:
    recorded = await store.consultations.record(
        update_id=None, patient_id=patient, chat_id=patient, text=text
    )
    offer = OutgoingMessage(
        chat_id=11, body_html=f"offer: {text}", about_asked=recorded.question.id
    )
    await store.consultations.route(recorded.question.id, [Offer(doctor_id, offer)], [to(patient)])
    return recorded.question.id


async def searchable(store: Store, words: str) -> set[int]:
    expression = " OR ".join(terms(words))
    return {c.question_id for c in await store.search.search_candidates(expression, 10, 100)}


async def test_only_published_questions_are_searchable_and_an_import_keeps_a_hidden_one_hidden(
    store: Store,
) -> None:
    entry = BankEntry(
        key="file:acne", question="Acne cream?", answers=(AnswerEntry("Yes.", doctor=CARD),)
    )
    await store.bank.import_entries([entry])
    [question_id] = await searchable(store, "acne")
    async with store.database.transaction() as tx:
        assert await store.bank.set_visibility(tx, question_id, Visibility.HIDDEN) is (
            Visibility.PUBLISHED
        )
    assert await searchable(store, "acne") == set()
    changed = BankEntry(key="file:acne", question="Acne cream at night?", answers=entry.answers)
    await store.bank.import_entries([changed])
    assert await searchable(store, "acne") == set()
    found = await store.bank.question(question_id)
    assert found is not None and found.visibility is Visibility.HIDDEN
    async with store.database.transaction() as tx:
        await store.bank.set_visibility(tx, question_id, Visibility.PUBLISHED)
    assert await searchable(store, "night") == {question_id}


async def test_a_patients_question_joins_under_its_public_text_and_keep_private_withdraws_it(
    store: Store,
) -> None:
    doctor_id = await one_doctor(store)
    asked_id = await routed(store, 1, doctor_id, f"I'm Ann, is {SECRET} safe?")
    published = await store.consultations.publish(
        doctor_id, asked_id, "Yes.", 1, "Is [drug] safe?", Visibility.PUBLISHED, no_messages
    )
    assert published is not None and published.visibility is Visibility.PUBLISHED
    assert await searchable(store, "safe") == {published.question_id}
    question = await store.bank.question(published.question_id)
    assert question is not None and question.question == "Is [drug] safe?"
    assert question.from_patient

    assert await store.consultations.keep_private(asked_id, patient_id=2) is None
    assert await store.consultations.keep_private(asked_id, 1) is Visibility.PUBLISHED
    assert await searchable(store, "safe") == set()
    [line] = await store.audit.latest(1)
    assert (line.actor, line.action) == ("a patient", "kept private")


async def test_a_private_question_never_joins_the_bank(store: Store) -> None:
    doctor_id = await one_doctor(store)
    asked_id = await routed(store, 1, doctor_id, "Is coffee safe?")
    assert await store.consultations.keep_private(asked_id, 1) is Visibility.PRIVATE
    published = await store.consultations.publish(
        doctor_id, asked_id, "Yes.", 1, "Is coffee safe?", Visibility.PUBLISHED, no_messages
    )
    assert published is not None and published.visibility is Visibility.PRIVATE
    assert await searchable(store, "coffee") == set()


async def test_erasing_a_patient_leaves_no_trace_of_their_words_in_the_file(
    store: Store, tmp_path: Path
) -> None:
    doctor_id = await one_doctor(store)
    private_id = await routed(store, 1, doctor_id, f"Is {SECRET} safe in pregnancy?")
    # Long enough to spill into overflow pages, which a delete frees without zeroing.
    story = " ".join(f"Day {day}: {SECRET} again." for day in range(300))
    open_id = await routed(store, 1, doctor_id, f"Does {SECRET} cause rashes? {story}")
    kept_id = await routed(store, 2, doctor_id, "Does ibuprofen cause rashes?")
    for message in await store.outbox.due():
        await store.outbox.delivered(message.id, [100 + message.id])
    private = await store.consultations.publish(
        doctor_id, private_id, f"{SECRET} answer.", 2, "x", Visibility.PRIVATE, no_messages
    )
    public = await store.consultations.publish(
        doctor_id, kept_id, "Sometimes.", 2, "Rashes?", Visibility.PUBLISHED, no_messages
    )
    assert private is not None and public is not None
    assert await store.consultations.rate(private.answer_id, 1, 5)
    await store.consultations.patient_label(1)

    erased = await store.privacy.erase_patient(1, deleted_copy)
    assert (erased.questions, erased.ratings, erased.doctor_copies) == (2, 1, 2)
    assert erased.private_answers == 1 and erased.purged
    # The copies in the doctor's chat are deleted (or overwritten) through the outbox.
    copies = await store.outbox.due()
    assert {(m.chat_id, m.delete_first, m.body_html) for m in copies} == {
        (11, True, "(deleted by the patient)")
    }
    assert len(copies) == 2
    for asked_id in (private_id, open_id):
        asked = await store.consultations.get(asked_id)
        assert asked is not None and asked.text == "" and asked.patient_id == ERASED_PATIENT
    assert await store.consultations.answerable(doctor_id, 2) == []
    # The doctor's figures stay as rated; the other patient's public answer stays.
    doctor = await store.doctors.get(doctor_id)
    assert doctor is not None and doctor.card.review_count == 1
    assert await store.bank.question(public.question_id) is not None
    assert await store.bank.question(private.question_id) is None
    files = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.name.startswith("askdoc"))
    assert SECRET.encode() not in files
    assert await store.privacy.export(1) == {
        "label_doctors_see": None,
        "first_seen": None,
        "questions": [],
    }


async def test_the_retention_limit_erases_inactive_patients_old_texts_and_delivered_messages(
    store: Store,
) -> None:
    doctor_id = await one_doctor(store)
    await routed(store, 1, doctor_id, f"Is {SECRET} safe?")
    for message in await store.outbox.due():
        await store.outbox.delivered(message.id, [100 + message.id])
    await store.consultations.patient_label(1)
    await asyncio.sleep(0.05)
    fresh = await routed(store, 2, doctor_id, "Is coffee safe?")

    expired = await store.privacy.expire(0.03 / 86400, deleted_copy)
    assert expired.erased.patients == 1 and expired.question_texts == 0
    # The patient's reply; the doctor's copy stays until its deletion has gone out.
    assert expired.delivered_messages == 1
    asked = await store.consultations.all()
    assert [(a.id, a.text) for a in asked if a.text] == [(fresh, "Is coffee safe?")]
    assert await store.database.scalar("SELECT count(*) FROM patients") == 0
    [line] = await store.audit.latest(1)
    assert line.actor == "retention" and SECRET not in line.target


async def test_the_audit_trail_names_references_never_content(store: Store) -> None:
    doctor_id = await one_doctor(store)
    asked_id = await routed(store, 1, doctor_id, f"Is {SECRET} safe?")
    published = await store.consultations.publish(
        doctor_id, asked_id, "Yes.", 1, f"Is {SECRET} safe?", Visibility.REVIEW, no_messages
    )
    assert published is not None
    before = await store.moderation.change_visibility(
        published.question_id,
        Visibility.PUBLISHED,
        frozenset({Visibility.REVIEW}),
        "admin 900",
        "approved and published",
    )
    assert before is Visibility.REVIEW
    assert await store.moderation.delete(published.question_id, "admin 900")
    lines = await store.audit.latest()
    assert [(line.actor, line.action) for line in lines] == [
        ("admin 900", "deleted"),
        ("admin 900", "approved and published"),
        (f"doctor #{doctor_id}", "submitted for review"),
    ]
    assert all(SECRET not in f"{line.action} {line.target}" for line in lines)


async def test_an_older_database_takes_patients_published_words_out_of_the_bank(
    tmp_path: Path,
) -> None:
    # A database as the version before public questions left it: a patient's question
    # published word for word, in the index and embedded.
    path = tmp_path / "old.db"
    with sqlite3.connect(path) as connection:
        for script in MIGRATIONS[:4]:
            connection.executescript(script)
        connection.execute("PRAGMA user_version = 4")
        connection.execute(
            "INSERT INTO questions (id, bank_key, title, content_hash, answer_count)"
            f" VALUES (1, 'asked:7', 'I am Ann, is {SECRET} safe?', '', 1)"
        )
        connection.execute(
            "INSERT INTO questions_fts (rowid, title_terms, detail_terms)"
            f" VALUES (1, '{SECRET.lower()} safe', '')"
        )
        connection.execute("INSERT INTO term_counts VALUES ('safe', 1)")
        connection.execute(
            "INSERT INTO question_embeddings VALUES (1, 'model', 'hash', x'00000000')"
        )
    store = await Store.open(path)
    try:
        assert await store.bank.reconcile_index() == 1
        assert await searchable(store, "safe") == set()
        [waiting] = await store.bank.waiting_for_review()
        assert waiting.id == 1 and waiting.visibility is Visibility.REVIEW
        assert await store.database.scalar("SELECT count(*) FROM question_embeddings") == 0
        assert await store.bank.reconcile_index() == 0
    finally:
        await store.close()


async def test_only_unanswered_questions_wait_and_each_chase_is_recorded_once(
    store: Store,
) -> None:
    doctor_id = await one_doctor(store)
    waiting_id = await routed(store, 1, doctor_id, "Why do I wake at four?")
    answered_id = await routed(store, 2, doctor_id, "Is coffee safe?")
    erased_id = await routed(store, 3, doctor_id, "Is tea safe?")
    await store.consultations.publish(
        doctor_id, answered_id, "Yes.", 2, "Is coffee safe?", Visibility.PUBLISHED, no_messages
    )
    await store.privacy.erase_patient(3, deleted_copy)
    [waiting] = await store.consultations.waiting("remind", 0)
    assert waiting.asked.id == waiting_id and erased_id != waiting_id
    assert [(o.name, o.state) for o in waiting.offered] == [("Dr. Eleven", "offered")]
    assert await store.consultations.chase(waiting_id, "remind", [to(11, "reminder")])
    assert not await store.consultations.chase(waiting_id, "remind", [to(11, "reminder")])
    assert await store.consultations.waiting("remind", 0) == []
    assert [w.asked.id for w in await store.consultations.waiting("escalate", 0)] == [waiting_id]
    assert await store.consultations.waiting("escalate", 3600) == []
