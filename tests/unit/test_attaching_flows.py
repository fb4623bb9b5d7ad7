"""Where a patient's file belongs, and a doctor's request for details, decided on a real
store without Telegram."""

from __future__ import annotations

from bot.flows import Services, answering, asking, attaching, details
from bot.models import FileKind, FileRef, OutgoingMessage
from bot.store.privacy import DoctorCopy
from tests.unit.conftest import GP, OTHER_PATIENT, PATIENT, MakeServices
from tests.unit.test_flows import UNMATCHED, doctor, message, published, routed

PHOTO = FileRef(FileKind.PHOTO, "photo-file-id")


def with_file(
    text: str = "", patient: int = PATIENT, update_id: int | None = None
) -> asking.Incoming:
    plain = message(text, patient, update_id)
    return asking.Incoming(plain.update_id, patient, patient, text, (PHOTO,))


def copy_message(copy: DoctorCopy) -> OutgoingMessage:
    return OutgoingMessage(copy.chat_id, "(deleted)")


async def test_a_file_without_a_question_waits_and_joins_the_next_question(
    services: Services,
) -> None:
    incoming = with_file()
    outcome = await attaching.take_up(services, incoming)
    assert isinstance(outcome, attaching.WaitForWords)
    assert await attaching.keep(services, incoming, outcome, [])
    # A redelivered update is not kept twice.
    assert not await attaching.keep(services, incoming, outcome, [])
    # Words-less text does not take it; a question does.
    await asking.take_up(services, message("🙂"))
    question = await asking.take_up(services, message(UNMATCHED))
    assert isinstance(question, asking.Routed)
    assert [a.file for a in question.attachments] == [PHOTO]


async def test_a_file_right_after_a_question_joins_it_and_follows_it_to_its_doctors(
    services: Services,
) -> None:
    first = await routed(services)
    outcome = await attaching.take_up(services, with_file())
    assert isinstance(outcome, attaching.Joined) and outcome.asked.id == first.asked.id
    assert set(outcome.doctor_chats) == {d.telegram_id for d in first.doctors}
    assert outcome.label == first.label


async def test_a_file_long_after_an_open_question_asks_first(make_services: MakeServices) -> None:
    services = await make_services(routing={"attach_within_minutes": 0})
    first = await routed(services)
    incoming = with_file()
    outcome = await attaching.take_up(services, incoming)
    assert isinstance(outcome, attaching.AskToJoin) and outcome.asked.id == first.asked.id
    await attaching.keep(services, incoming, outcome, [])
    # Another patient cannot pull the file into their question, nor into this one.
    assert await attaching.join(services, OTHER_PATIENT, first.asked.id) is None
    joining = await attaching.join(services, PATIENT, first.asked.id)
    assert joining is not None and [f.file for f in joining.files] == [PHOTO]
    assert await attaching.settle_join(services, joining, lambda file: []) == 1
    assert await attaching.join(services, PATIENT, first.asked.id) is None
    assert await services.store.attachments.count_of_question(first.asked.id) == 1


async def test_a_file_after_an_answered_question_waits_for_a_new_one(services: Services) -> None:
    first = await routed(services)
    gp = await doctor(services, GP)
    await published(services, gp, first.asked.id, "Better not.")
    outcome = await attaching.take_up(services, with_file())
    assert isinstance(outcome, attaching.WaitForWords)


async def test_a_blocked_patients_file_is_refused(services: Services) -> None:
    first = await routed(services)
    await services.store.blocks.block(first.asked.id, "admin")
    outcome = await attaching.take_up(services, with_file())
    assert isinstance(outcome, asking.Blocked) and outcome.first


async def test_a_doctors_files_go_with_the_answer_and_not_a_revision(services: Services) -> None:
    first = await routed(services)
    gp = await doctor(services, GP)
    assert isinstance(await answering.receive_file(services, gp, PHOTO), answering.NotAnAnswer)
    await answering.take(services, gp, first.asked.id)
    added = await answering.receive_file(services, gp, PHOTO)
    assert isinstance(added, answering.FileAdded) and added.files == 1
    captioned = FileRef(FileKind.DOCUMENT, "doc-id", "leaflet.pdf", "Use the cream twice a day.")
    preview = await answering.receive_file(services, gp, captioned)
    assert isinstance(preview, answering.Preview) and len(preview.files) == 2
    assert preview.draft.body == "Use the cream twice a day."
    done = await published(services, gp, first.asked.id, "Use the cream twice a day.")
    assert [a.file.file_id for a in done.attachments] == ["photo-file-id", "doc-id"]
    await answering.start_revision(services, gp, done.answer_id)
    refused = await answering.receive_file(services, gp, PHOTO)
    assert isinstance(refused, answering.NoFilesInRevision)


async def test_a_cancelled_answer_drops_its_files(services: Services) -> None:
    first = await routed(services)
    gp = await doctor(services, GP)
    await answering.take(services, gp, first.asked.id)
    await answering.receive_file(services, gp, PHOTO)
    await answering.cancel(services, gp)
    assert await services.store.attachments.of_draft(gp.id, first.asked.id) == ()


async def test_details_go_to_the_patient_and_the_reply_back_to_the_doctor(
    services: Services,
) -> None:
    first = await routed(services)
    gp = await doctor(services, GP)
    assert await details.receive_question(services, gp, "How long?") is None
    assert isinstance(await details.start(services, gp, first.asked.id), details.Writing)
    request = await details.receive_question(services, gp, "  How long have you had it?  ")
    assert (
        isinstance(request, details.ToPatient) and request.question == "How long have you had it?"
    )
    assert await details.send_question(services, request, [])
    assert not await details.send_question(services, request, [])

    # Another patient's message is theirs; the patient's next one is the reply.
    other = await asking.take_up(services, message(UNMATCHED, patient=OTHER_PATIENT))
    assert not isinstance(other, asking.ForDoctor)
    reply_message = with_file("Three weeks, it itches", update_id=424242)
    reply = await asking.take_up(services, reply_message)
    assert isinstance(reply, asking.ForDoctor) and reply.doctor.id == gp.id
    assert reply.asked.id == first.asked.id and reply.files == (PHOTO,)
    assert await details.send_reply(services, reply, PATIENT, 424242, [])
    # Redelivered: not taken again, and not a new question either.
    assert isinstance(await asking.take_up(services, reply_message), asking.Duplicate)
    # Replied: the next message is a question again.
    assert isinstance(await asking.take_up(services, message("and my knees?")), asking.Routed)
    [exchange] = await services.store.details.of_question(first.asked.id)
    assert exchange.reply == "Three weeks, it itches"


async def test_details_for_a_closed_question_are_refused(services: Services) -> None:
    first = await routed(services)
    gp = await doctor(services, GP)
    await published(services, gp, first.asked.id, "Better not.")
    assert isinstance(await details.start(services, gp, first.asked.id), details.Closed)


async def test_erasing_the_patient_erases_their_files_and_exchanges(services: Services) -> None:
    first = await routed(services)
    gp = await doctor(services, GP)
    await details.start(services, gp, first.asked.id)
    request = await details.receive_question(services, gp, "How long?")
    assert isinstance(request, details.ToPatient)
    await details.send_question(services, request, [])
    reply = await asking.take_up(services, with_file("A week"))
    assert isinstance(reply, asking.ForDoctor)
    await details.send_reply(services, reply, PATIENT, None, [])
    waiting = with_file()
    await attaching.keep(services, waiting, attaching.WaitForWords(), [])
    exported = await services.store.privacy.export(PATIENT)
    assert exported["questions"][0]["doctors_requests_for_details"][0]["your_reply"] == "A week"
    assert [f["kind"] for f in exported["files_waiting_for_a_question"]] == ["photo"]
    await services.store.privacy.erase_patient(PATIENT, copy_message)
    database = services.store.database
    assert await database.scalar("SELECT count(*) FROM attachments") == 0
    assert await database.scalar("SELECT count(*) FROM detail_requests") == 0


async def test_retention_drops_files_that_waited_in_vain(services: Services) -> None:
    waiting = with_file(patient=OTHER_PATIENT)
    await attaching.keep(services, waiting, attaching.WaitForWords(), [])
    await services.store.privacy.expire(365, copy_message)
    assert await services.store.database.scalar("SELECT count(*) FROM attachments") == 1
    await services.store.database.write(
        "UPDATE attachments SET created_at = '2000-01-01T00:00:00.000Z'"
    )
    await services.store.privacy.expire(365, copy_message)
    assert await services.store.database.scalar("SELECT count(*) FROM attachments") == 0


async def test_answer_pressed_after_ask_for_details_takes_the_text_as_the_answer(
    services: Services,
) -> None:
    first = await routed(services)
    gp = await doctor(services, GP)
    await details.start(services, gp, first.asked.id)
    await answering.take(services, gp, first.asked.id)
    assert await details.receive_question(services, gp, "Rest and fluids.") is None
    preview = await answering.receive_text(services, gp, "Rest and fluids.", None)
    assert isinstance(preview, answering.Preview) and preview.draft.body == "Rest and fluids."
