"""The flows' decisions on a real store, without Telegram: each outcome of asking, the rules of
answering, and each step of registration and of an admin's decision."""

from __future__ import annotations

from bot.flows import Services, answering, asking, registration
from bot.flows.answering import PreviewAction
from bot.flows.registration import Decision, Refusal
from bot.models import (
    AnswerEntry,
    AskedQuestion,
    AskedStatus,
    BankEntry,
    Doctor,
    DoctorStatus,
    Offer,
    OutgoingMessage,
    PublishedAnswer,
)
from bot.store.consultations import DoctorAnswer
from tests.unit.conftest import ADMIN, DERMATOLOGIST, GP, OTHER_PATIENT, PATIENT, MakeServices

SEED = "why would I need microdermabrasion after ematrix?"
UNMATCHED = "can I drink alcohol on antibiotics"
ANSWER = (AnswerEntry(text="A doctor's answer."),)
_updates = iter(range(1, 1_000_000))


def message(text: str, patient: int = PATIENT, update_id: int | None = None) -> asking.Incoming:
    return asking.Incoming(update_id or next(_updates), patient, patient, text)


async def doctor(services: Services, telegram_id: int) -> Doctor:
    found = await services.store.doctors.by_telegram_id(telegram_id)
    assert found is not None
    return found


async def routed(services: Services, text: str = UNMATCHED) -> asking.Routed:
    outcome = await asking.take_up(services, message(text))
    assert isinstance(outcome, asking.Routed)
    await asking.settle(
        services,
        outcome,
        [OutgoingMessage(PATIENT, "routed")],
        [Offer(d.id, OutgoingMessage(d.telegram_id or 0, "offer")) for d in outcome.doctors],
    )
    return outcome


def no_messages(*_: object) -> list[OutgoingMessage]:
    return []


async def published(services: Services, by: Doctor, asked_id: int, body: str) -> PublishedAnswer:
    outcome = await answering.publish(services, by, asked_id, body, no_messages)
    assert isinstance(outcome, answering.Published)
    return outcome.published


# --- asking --------------------------------------------------------------------------------


async def test_a_question_in_the_bank_is_matched(services: Services) -> None:
    outcome = await asking.take_up(services, message(SEED))
    assert isinstance(outcome, asking.Matched)
    assert "Microdermabrasion" in outcome.question.question and len(outcome.question.answers) == 2


async def test_a_contested_match_makes_the_patient_choose(services: Services) -> None:
    await services.store.bank.import_entries(
        [
            BankEntry(key=f"t:{number}", question=question, answers=ANSWER)
            for number, question in enumerate(
                [
                    "What are the symptoms of gout?",
                    "How is gout treated?",
                    "Is gout inherited?",
                    "What causes gout attacks?",
                ]
            )
        ]
    )
    outcome = await asking.take_up(services, message("gout symptoms and treatment"))
    assert isinstance(outcome, asking.Unsure)
    titles = [hit.title for hit in outcome.choices]
    assert "What are the symptoms of gout?" in titles
    assert len(titles) == len(set(titles)) >= 2
    assert outcome.score is not None
    assert (
        services.settings.matching.min_score / 2
        <= outcome.score
        < (services.settings.matching.min_score)
    )


async def test_a_bank_question_nobody_has_answered_goes_to_the_doctors(
    services: Services,
) -> None:
    await services.store.bank.import_entries(
        [BankEntry(key="q:1", source_id="q1", question="Can shingles come back?")]
    )
    outcome = await asking.take_up(services, message("can shingles come back again"))
    assert isinstance(outcome, asking.Routed) and outcome.known_unanswered
    assert outcome.doctors


async def test_a_message_without_words_is_unclear(services: Services) -> None:
    outcome = await asking.take_up(services, message("🙂 ?!"))
    assert isinstance(outcome, asking.Unclear) and not outcome.flags.emergency


async def test_an_unknown_question_goes_to_every_doctor_under_a_label(services: Services) -> None:
    outcome = await asking.take_up(services, message(UNMATCHED))
    assert isinstance(outcome, asking.Routed)
    assert {d.telegram_id for d in outcome.doctors} == {DERMATOLOGIST, GP}
    assert len(outcome.label) == 4 and str(PATIENT) not in outcome.label


async def test_a_question_in_a_doctors_specialty_goes_to_that_doctor_alone(
    services: Services,
) -> None:
    outcome = await asking.take_up(services, message("how do I get rid of acne scars"))
    assert isinstance(outcome, asking.Routed)
    assert [d.telegram_id for d in outcome.doctors] == [DERMATOLOGIST]


async def test_without_doctors_the_question_is_kept_and_nobody_gets_a_label(
    make_services: MakeServices,
) -> None:
    services = await make_services(doctors=[])
    outcome = await asking.take_up(services, message(UNMATCHED))
    assert isinstance(outcome, asking.Routed) and outcome.doctors == () and outcome.label == ""


async def test_an_emergency_is_flagged_whatever_the_outcome(services: Services) -> None:
    outcome = await asking.take_up(services, message("crushing chest pain, what do I do"))
    assert not isinstance(outcome, asking.AlreadyAnswered | asking.NotAQuestion)
    assert outcome.flags.emergency


async def test_a_long_message_is_flagged_with_its_length(services: Services) -> None:
    text = "My skin itches. " * 100
    outcome = await asking.take_up(services, message(text))
    assert not isinstance(outcome, asking.AlreadyAnswered | asking.NotAQuestion)
    assert outcome.flags.long_question == len(text)


async def test_an_update_settled_once_is_not_answered_twice(services: Services) -> None:
    first = await asking.take_up(services, message(SEED, update_id=77))
    assert not isinstance(first, asking.NotAQuestion)
    await asking.settle(services, first, [OutgoingMessage(PATIENT, "answer")])
    again = await asking.take_up(services, message(SEED, update_id=77))
    assert isinstance(again, asking.AlreadyAnswered)
    [stored] = await services.store.consultations.all()
    assert stored.status is AskedStatus.MATCHED


async def test_a_follow_up_goes_to_the_doctor_who_answered(services: Services) -> None:
    first = await routed(services)
    gp = await doctor(services, GP)
    answer = await published(services, gp, first.asked.id, "Better not.")
    await services.store.consultations.set_follow_up(PATIENT, answer.answer_id)
    outcome = await asking.take_up(services, message("And with beer?"))
    assert isinstance(outcome, asking.FollowUp)
    assert outcome.doctor.telegram_id == GP and outcome.earlier.answer.text == "Better not."


async def test_a_follow_up_to_a_revoked_doctor_is_matched_as_a_new_question(
    services: Services,
) -> None:
    first = await routed(services)
    gp = await doctor(services, GP)
    answer = await published(services, gp, first.asked.id, "Better not.")
    await services.store.consultations.set_follow_up(PATIENT, answer.answer_id)
    await registration.decide(services, gp.id, Decision.REVOKE, no_messages)
    outcome = await asking.take_up(services, message("And with beer?"))
    assert not isinstance(outcome, asking.AlreadyAnswered | asking.FollowUp | asking.NotAQuestion)
    assert outcome.flags.follow_up_unavailable


async def test_asking_a_doctor_is_refused_for_someone_elses_question(services: Services) -> None:
    outcome = await asking.take_up(services, message(SEED))
    assert isinstance(outcome, asking.Matched)
    await asking.settle(services, outcome, [])
    mine = await asking.ask_a_doctor(services, outcome.asked.id, PATIENT)
    theirs = await asking.ask_a_doctor(services, outcome.asked.id, OTHER_PATIENT)
    assert isinstance(mine, asking.Routed) and mine.on_request
    assert isinstance(theirs, asking.NotYours)
    await asking.settle(services, mine, [])
    again = await asking.ask_a_doctor(services, outcome.asked.id, PATIENT)
    assert isinstance(again, asking.AlreadyWithDoctors)


# --- answering -----------------------------------------------------------------------------


async def test_a_doctor_takes_writes_previews_and_sends(services: Services) -> None:
    question = await routed(services)
    gp = await doctor(services, GP)
    assert await answering.take(services, gp, question.asked.id) == answering.WaitingForText(
        question.asked.id
    )
    preview = await answering.receive_text(services, gp, "  Better not.  ", None)
    assert isinstance(preview, answering.Preview) and preview.draft.body == "Better not."
    assert preview.label == question.label
    send = await answering.press_preview(services, gp, PreviewAction.SEND, question.asked.id)
    assert isinstance(send, answering.SendDraft) and send.body == "Better not."


async def test_text_the_bot_did_not_ask_for_is_not_an_answer(services: Services) -> None:
    gp = await doctor(services, GP)
    assert isinstance(
        await answering.receive_text(services, gp, "hello", None), answering.NotAnAnswer
    )


async def test_a_question_closes_once_it_has_enough_answers(services: Services) -> None:
    question = await routed(services)
    derm, gp = await doctor(services, DERMATOLOGIST), await doctor(services, GP)
    await published(services, derm, question.asked.id, "No.")
    await published(services, gp, question.asked.id, "Better not.")
    late = await answering.take(services, gp, question.asked.id)
    assert late == answering.Closed(question.asked.id)


async def test_cancel_and_edit_under_a_preview(services: Services) -> None:
    question = await routed(services)
    gp = await doctor(services, GP)
    await answering.take(services, gp, question.asked.id)
    await answering.receive_text(services, gp, "Maybe.", None)
    edit = await answering.press_preview(services, gp, PreviewAction.EDIT, question.asked.id)
    assert edit == answering.WaitingForText(question.asked.id)
    await answering.receive_text(services, gp, "No.", None)
    assert (
        await answering.press_preview(services, gp, PreviewAction.CANCEL, question.asked.id)
        == answering.Cancelled()
    )
    assert await answering.press_preview(
        services, gp, PreviewAction.SEND, question.asked.id
    ) == answering.NoDraft(PreviewAction.SEND, already_sent=False)
    assert await answering.cancel(services, gp) == answering.NoDraft(PreviewAction.CANCEL)


async def test_a_doctor_revises_only_their_own_answer(services: Services) -> None:
    question = await routed(services)
    derm, gp = await doctor(services, DERMATOLOGIST), await doctor(services, GP)
    answer = await published(services, gp, question.asked.id, "Better not.")
    told: list[AskedQuestion] = []

    def messages_for(found: DoctorAnswer) -> list[OutgoingMessage]:
        told.append(found.asked)
        return []

    refused = await answering.revise(services, derm, answer.answer_id, "Yes.", messages_for)
    done = await answering.revise(services, gp, answer.answer_id, "Never.", messages_for)
    assert isinstance(refused, answering.NotTheirAnswer)
    assert done == answering.Revised(answer.answer_id) and [a.id for a in told] == [
        question.asked.id
    ]
    found = await services.store.consultations.doctor_answer(answer.answer_id)
    assert found is not None and found.answer.text == "Never."


async def test_skip_passes_and_an_unknown_question_is_refused(services: Services) -> None:
    question = await routed(services)
    gp = await doctor(services, GP)
    assert await answering.skip(services, gp, question.asked.id) == answering.Skipped(
        question.asked.id
    )
    assert await answering.skip(services, gp, 9999) == answering.NoSuchQuestion()
    assert await services.store.consultations.answerable(gp.id, 2) == []


# --- registration --------------------------------------------------------------------------

APPLICANT = 4242


async def test_registration_is_off_without_an_invite_code(services: Services) -> None:
    assert await registration.start(services, APPLICANT, "anything") == (
        registration.RegistrationOff()
    )


async def test_each_step_of_an_application_then_the_admins_decide(
    make_services: MakeServices,
) -> None:
    services = await make_services(routing={"invite_code": "let-me-in-2026"})
    assert await registration.start(services, APPLICANT, "") == registration.CodeMissing()
    assert await registration.start(services, APPLICANT, "wrong-code") == registration.WrongCode()
    started = await registration.start(services, APPLICANT, "let-me-in-2026")
    assert started == registration.Ask("name", started=True)
    assert await registration.answer_step(services, APPLICANT, "x" * 101) == (
        registration.TooLong("name")
    )
    assert await registration.answer_step(services, APPLICANT, " Dr.  New ") == (
        registration.Ask("title")
    )
    assert await registration.answer_step(services, APPLICANT, "GP") == registration.Ask("location")
    submitted = await registration.answer_step(services, APPLICANT, "Town")
    assert isinstance(submitted, registration.Submitted)
    assert submitted.doctor.card.name == "Dr. New" and submitted.doctor.status is (
        DoctorStatus.PENDING
    )
    assert await registration.start(services, APPLICANT, "let-me-in-2026") == (
        registration.CannotApply(Refusal.APPLICATION_WAITING)
    )
    decided = await registration.decide(
        services, submitted.doctor.id, Decision.APPROVE, no_messages
    )
    again = await registration.decide(services, submitted.doctor.id, Decision.REJECT, no_messages)
    assert isinstance(decided, registration.Decided) and decided.status is DoctorStatus.ACTIVE
    assert isinstance(again, registration.AlreadyDecided) and again.status is DoctorStatus.ACTIVE
    assert registration.decisions_for(await doctor(services, APPLICANT)) == (Decision.REVOKE,)


async def test_text_from_someone_not_applying_is_not_a_step(services: Services) -> None:
    assert await registration.answer_step(services, PATIENT, "hello") == (
        registration.NotApplying()
    )
    assert await registration.cancel(services, PATIENT) is False


async def test_revoking_a_doctor_drops_their_draft_and_queues_the_news(
    services: Services,
) -> None:
    question = await routed(services)
    gp = await doctor(services, GP)
    await answering.take(services, gp, question.asked.id)

    def news(found: Doctor) -> list[OutgoingMessage]:
        return [OutgoingMessage(ADMIN, f"revoked #{found.id}")]

    before = len(await services.store.outbox.due())
    outcome = await registration.decide(services, gp.id, Decision.REVOKE, news)
    assert isinstance(outcome, registration.Decided)
    assert await services.store.consultations.draft(gp.id) is None
    assert len(await services.store.outbox.due()) == before + 1
    assert await registration.decide(services, 9999, Decision.REVOKE, news) == (
        registration.NoSuchDoctor(9999)
    )


async def test_send_pressed_again_after_sending_says_it_was_sent(services: Services) -> None:
    question = await routed(services)
    gp = await doctor(services, GP)
    await answering.take(services, gp, question.asked.id)
    await answering.receive_text(services, gp, "Better not.", None)
    await published(services, gp, question.asked.id, "Better not.")
    again = await answering.press_preview(services, gp, PreviewAction.SEND, question.asked.id)
    assert again == answering.NoDraft(PreviewAction.SEND, already_sent=True)


async def test_past_the_hourly_limit_a_question_for_doctors_is_kept_not_routed(
    make_services: MakeServices,
) -> None:
    services = await make_services(limits={"questions_per_hour": 1})
    await routed(services)
    outcome = await asking.take_up(services, message("Why does my left knee click on stairs?"))
    assert isinstance(outcome, asking.Limited)
    assert outcome.count == 1 and 3500 < outcome.wait_seconds <= 3600
    await asking.settle(services, outcome, [])
    again = await asking.ask_a_doctor(services, outcome.asked.id, PATIENT)
    assert isinstance(again, asking.Limited)
    assert [q.routed for q in await services.store.consultations.all()] == [True, False]


async def test_a_burst_past_the_minute_limit_is_kept_and_not_matched(
    make_services: MakeServices,
) -> None:
    services = await make_services(limits={"messages_per_minute": 2})
    for _ in range(2):
        outcome = await asking.take_up(services, message(SEED))
        assert isinstance(outcome, asking.Matched)
        await asking.settle(services, outcome, [])
    burst = await asking.take_up(services, message(SEED))
    assert isinstance(burst, asking.SlowDown) and 0 < burst.wait_seconds <= 60
    assert len(await services.store.consultations.all()) == 3
