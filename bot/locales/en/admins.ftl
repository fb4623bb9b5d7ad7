# What admins read, and doctors applying by invitation, in English. Telegram HTML: <b>, <i>
# and &amp; as in any message. Every language has the same message ids with the same variables
# (tests/unit/test_i18n.py). $ref is a doctor's, a question's or a bank entry's number, written
# after "#"; $label is a patient's anonymous label, written after "Patient #".

not-an-admin = Only the bot's admins can do that.
admin-help-heading = For admins

## Registration by invitation: what the applicant reads

registration-off = Registration of doctors is closed: this bot does not take applications.
register-usage = To apply as a doctor, send /register followed by your invitation code.
register-wrong-code = That invitation code is not valid.
already-a-doctor = You are already one of this bot's doctors. /help lists what you can do.
application-waiting = Your application is already with the admins. You will hear from us here.
access-revoked-no-reapply =
    Your access as a doctor was withdrawn, so you cannot apply again here. Please contact the
    bot's operator.
registration-heading = Applying as a doctor
registration-intro =
    I will ask three short questions; patients will see your answers on your card. /cancel
    stops.
# The three questions, each with an example answer.
registration-ask-name = What is your name, as patients should see it? For example: <i>Dr. Jane Roe</i>
registration-ask-title = What is your title or specialty? For example: <i>Dermatologist</i>
registration-ask-location = Where do you practise? For example: <i>Austin, TX</i>
# $limit: how many characters an answer may have.
registration-too-long = Please keep it under { $limit } characters.
registration-cancelled = Your application is cancelled; nothing was sent to the admins.
# Followed by the applicant's card, then "application-sent-next".
application-sent = Thank you. Your application is with the admins:
application-sent-next = You will hear from us here. Until then you can use the bot as anyone else.
# Followed by what doctors can do (doctor-help, doctors.ftl).
application-approved = <b>Welcome aboard!</b> An admin approved your application.
application-rejected =
    Thank you for applying. An admin has not approved your application, so you cannot answer
    questions here. You can still ask questions like anyone else.
access-revoked =
    An admin has withdrawn your access as a doctor: questions no longer come to you, and any
    answer you were writing is dropped. You can still ask questions like anyone else.
# Followed by what doctors can do (doctor-help, doctors.ftl).
access-restored = An admin restored your access as a doctor.

## Applications and /doctors: what admins read

application-heading = <b>New doctor application</b> (doctor #{ $ref })
application-name = Name: { $name }
application-title = Title: { $title }
application-location = Location: { $location }
# $name: the applicant's name on Telegram, with their @username; $id: their Telegram id.
application-telegram = Telegram: { $name } (id { $id })
approve-button = Approve
reject-button = Reject
revoke-button = Revoke
restore-button = Restore
# In /doctors, a button named after the doctor. $action: one of the four buttons above.
doctor-button = { $action } #{ $ref } { $who }
# $decision: approve, reject, revoke or restore.
decision-done = { $decision ->
    [approve] Approved doctor #{ $ref } ({ $who }); they have been told.
    [reject] Rejected doctor #{ $ref } ({ $who }); they have been told.
    [revoke] Revoked doctor #{ $ref } ({ $who }); they have been told.
   *[restore] Restored doctor #{ $ref } ({ $who }); they have been told.
}
# $status: from the message "doctor-status".
already-decided = Doctor #{ $ref } is already { $status }; nothing changed.
no-such-doctor = There is no doctor #{ $ref }.
doctors-empty = No doctors use the bot yet.
doctors-header = <b>Doctors</b> ({ $count }):
doctors-item = <b>#{ $ref }</b> · { $status } · answers given: { $answers }
doctor-status = { $status ->
    [active] active
    [pending] waiting for approval
    [revoked] revoked
    [rejected] rejected
    [author] bank author
   *[other] { $status }
}

## /stats

stats-heading = Statistics
stats-asked = Questions asked: { $count }
stats-from-bank = Answered from the bank: { $count }
stats-routed = Sent to doctors: { $count }
stats-by-doctors = Answered by doctors: { $count }
# $median: a duration, from the duration-… messages (patients.ftl).
stats-median = Median time to a doctor's answer: { $median }
stats-median-none = Median time to a doctor's answer: no answers yet
stats-ratings = Ratings: { $count }
# $average: stars, like 4.5.
stats-ratings-average = Ratings: { $count } (average { $average }★)

## Questions nobody answers, and blocking their patient

# $waited: a duration, from the duration-… messages (patients.ftl).
escalation-heading =
    ⚠️ <b>No answer after { $waited }</b>: question #{ $ref } from Patient #{ $label }.
escalation-emergency = 🚨 A possible emergency.
# $doctors: each doctor's name with what they did, from the message "offer-state".
escalation-offered-to = Offered to: { $doctors }.
escalation-offered-to-nobody = Offered to: no doctor (none could take it).
offer-state = { $state ->
    [offered] not answered yet
    [skipped] skipped
    [closed] closed
   *[other] { $state }
}
escalation-what-to-do =
    Ask a doctor to take it, or, if the patient is abusing the service, block them.
block-button = Block this patient
# $command: block or unblock.
block-usage =
    Send /{ $command } followed by the reference of one of the patient's questions, as doctors
    see it: <i>/{ $command } 42</i>.
blocked-patient =
    Blocked the patient of question #{ $ref }: their messages are neither routed nor kept.
already-blocked = The patient of question #{ $ref } was blocked already.
unblocked-patient =
    Unblocked the patient of question #{ $ref }: their messages are answered again.
not-blocked = The patient of question #{ $ref } was not blocked.
block-no-such = There is no question #{ $ref } with a patient (it may have been erased).

## The answer bank: /review, /bank, reports and /audit

# $visibility: bot.models.Visibility's value.
visibility = { $visibility ->
    [published] published
    [review] waiting for review
    [hidden] hidden: never matched, not in inline mode
   *[private] private
}
# Above a bank entry. $status: from the message "visibility".
bank-entry-heading = <b>Bank #{ $ref }</b> · { $status }
review-request-heading = New answer to review
report-for-admins = <b>Report #{ $report }</b>: a patient reported an answer.
publish-entry-button = Publish
edit-entry-button = Edit
reject-entry-button = Reject
hide-button = Hide
restore-entry-button = Restore
delete-button = Delete
keep-button = Keep
review-empty = No answers are waiting for review.
review-header = <b>Waiting for review</b>: { $count }. The oldest:
bank-usage =
    Send /bank followed by words of a bank question, or its number: <i>/bank acne</i>,
    <i>/bank #12</i>.
# $query: what the admin searched for.
bank-nothing = No bank entry matches <i>{ $query }</i>.
no-such-entry = There is no bank entry #{ $ref } to change.
# $status: from the message "visibility".
entry-unchanged = Bank #{ $ref } is { $status }; nothing changed.
# $action: publish, reject, hide or restore.
entry-changed = { $action ->
    [publish] Published bank #{ $ref }: patients are matched to it from now on.
    [reject] Rejected bank #{ $ref }: it stays with the patient alone, never in the bank.
    [hide]
        Hid bank #{ $ref }: it is never matched and not in inline mode. Restore brings it back.
   *[restore] Restored bank #{ $ref }: patients are matched to it again.
}
entry-deleted = Deleted bank #{ $ref } and its answers for good.
entry-hidden-instead =
    Bank #{ $ref } comes from the answers folder or an imported data set, which would bring it
    back at the next start, so it is hidden instead. Remove it there to delete it for good.
# Followed by the public question as it reads now, on a line of its own.
ask-for-public-text =
    Send the new public question for bank #{ $ref } as one message (/cancel keeps it as it is).
    It now reads:
rewrite-cancelled = Cancelled: bank #{ $ref } keeps its public question.
report-kept = Kept bank #{ $ref } as it is; report #{ $report } is closed.
report-decided = Report #{ $report } was decided already.
audit-empty = The audit trail is empty.
audit-header = <b>Audit trail</b>, newest first:
