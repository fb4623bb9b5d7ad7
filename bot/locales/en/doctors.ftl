# What doctors read, in English. Telegram HTML: <b>, <i> and &amp; as in any message.
# Every language has the same message ids with the same variables (tests/unit/test_i18n.py).
# $ref is a question's reference, written after "#"; $label is a patient's anonymous label,
# like K7QX, written after "Patient #". The buttons' names in the texts are the buttons' labels.

## Buttons

answer-button = Answer
ask-details-button = Ask for details
skip-button = Skip
send-button = Send
edit-button = Edit
cancel-button = Cancel
edit-public-button = Edit public question
dont-publish-button = Don't publish
publish-button = Publish to the bank
# In /queue, one row per question.
queue-answer-button = Answer #{ $ref }
queue-skip-button = Skip #{ $ref }
# In /answers, one per answer.
revise-button = Edit answer to #{ $ref }

# Between the items of a list inside a sentence ("a name, a phone number").
list-separator = {", "}

## A question offered to a doctor, its files, the patient's details, a follow-up, a reminder

# The first line of a question that matched an emergency pattern.
emergency-flag =
    🚨 <b>Possible emergency</b>: the patient was shown the emergency message. Please look at
    this one first.
offer-heading = <b>New question</b> from Patient #{ $label } (reference #{ $ref })
# A question in another language than the doctor's. $language: its name, from the CLDR, as it
# is written inside a sentence (Spanish "inglés", Russian "английский").
written-in = <i>Written in { $language }</i>
offer-how-to-answer =
    Reply to this message with your answer, or tap Answer. Ask for details puts a question to
    the patient first.
# The patient's files, sent right after the question.
files-follow =
    📎 { $files ->
        [one] { $files } file follows
       *[other] { $files } files follow
    } this message (protected: they can't be forwarded or saved).
# The caption of a patient's file. $kind: photo, document (a PDF or an image file) or voice.
file-for-doctor =
    📎 { $kind ->
        [photo] Photo
        [voice] Voice message
       *[document] File
    } from Patient #{ $label } for question #{ $ref }
details-from-patient = <b>Details</b> from Patient #{ $label } for question #{ $ref }
# Above the doctor's own request for details, quoted.
you-asked = You asked:
# A reply of the patient's with files only.
no-text = <i>(no text)</i>
answer-when-ready = Tap Answer when you are ready.
follow-up-heading = <b>Follow-up</b> from Patient #{ $label } (reference #{ $ref })
# Above the earlier exchange, quoted.
earlier-question = Earlier question:
your-earlier-answer = Your answer:
# Above the follow-up question itself.
follow-up-now = Now:
follow-up-how-to-answer = Reply to this message with your answer, or tap Answer.
# $waited: a duration, from the duration-… messages (patients.ftl).
reminder-heading =
    ⏰ <b>Still waiting</b> for an answer after { $waited }: question #{ $ref } from Patient
    #{ $label }
reminder-how-to-answer = Tap Answer to answer it, or Skip to leave it to the others.
# What the doctor's copy of a question turns into once it has its answers.
offer-closed =
    <b>Answered</b>: question #{ $ref } from Patient #{ $label } has its answers
    ({ $answers }); no more are needed.

## Writing an answer

ask-for-answer =
    Write your answer to question #{ $ref } as one message. You will see a preview before it is
    sent. /cancel stops.
ask-for-revision =
    Send the new text of your answer to question #{ $ref } as one message. You will see a
    preview first.
ask-for-details =
    Write your question for the patient of #{ $ref } as one message. They see your name and
    title with it, and their reply comes back to you here. /cancel stops.
details-request-sent = Sent to the patient of #{ $ref }. Their reply comes to you here.
file-added-to-answer =
    📎 Attached to your answer to question #{ $ref } ({ $files ->
        [one] { $files } file
       *[other] { $files } files
    }). Now write the answer's text as one message; you will see a preview before anything is
    sent.
file-without-answer =
    To send a file with an answer, tap Answer under the question first, then send the file. To
    ask a question of your own about it, send it again with your question as its caption.
no-files-in-revision =
    Files go with a new answer; an edit changes the text of your answer to #{ $ref } only.

## The preview, and what Send does with the public question

preview-heading =
    <b>Preview</b> of your answer to Patient #{ $label } (question #{ $ref }), as the patient
    will see it:
revised-preview-heading =
    <b>Preview</b> of your revised answer to Patient #{ $label } (question #{ $ref }), as the
    patient will see it:
preview-files =
    📎 With { $files ->
        [one] { $files } file
       *[other] { $files } files
    }: to the patient only, after the text; never in the bank.
preview-send-it = Send it?
# The notes below are followed by the public question, on a line of its own.
public-note-publish =
    <b>Public question</b>, as the answer bank will show it with your answer (details that
    could identify the patient are removed; check it):
public-note-review =
    <b>Public question</b>, as the answer bank will show it with your answer once an admin
    approves it (details that could identify the patient are removed; check it):
public-note-joins-published =
    Another doctor's answer is in the bank under this public question; yours joins it:
public-note-joins-review =
    Another doctor's answer waits for an admin's review under this public question; yours joins
    it:
# These stand alone.
public-note-not-published = <b>Not published</b>: your answer goes to the patient only.
public-note-kept-private =
    <b>Private</b>: the patient asked to keep this question private, so your answer goes to them
    alone and never joins the bank.
public-note-follow-up = <b>Private</b>: a follow-up goes to the patient only, not into the bank.
public-note-joins-private = <b>Private</b>: this question's answers go to the patient only.
# Under the public question. $kinds: identifier names, from the message "identifier".
still-identifying = ⚠️ It may still contain: { $kinds }. Edit it before you send.
# What may identify a patient, in "It may still contain: …" ("ip address" is as it always read).
identifier = { $kind ->
    [name] a name
    [phone] a phone number
    [email] an e-mail address
    [url] a link
    [handle] a username
    [date] a date
    [address] an address
    [id_number] an identifying number
    [age_over_89] an age over 89
    [ip_address] ip address
   *[other] { $kind }
}
ask-for-public-question =
    Send the public question for #{ $ref } as one message: how the answer bank should show it,
    with nothing that could identify the patient (/cancel drops the answer). It now reads:

## After Send, and the other buttons

# $visibility: where the answer stands in the bank (bot.models.Visibility's value).
answer-sent = { $visibility ->
    [published]
        Sent to Patient #{ $label } and added to the answer bank as <i>{ $question }</i>, so the
        next patient who asks this is answered at once. Thank you.
    [review]
        Sent to Patient #{ $label }. It joins the answer bank as <i>{ $question }</i> once an
        admin approves it. Thank you.
    [private] Sent to Patient #{ $label } only: it does not join the answer bank. Thank you.
   *[hidden] Sent to Patient #{ $label }. Thank you.
}
revision-sent =
    Your answer to question #{ $ref } is updated in the bank, and the patient was told.
revision-saved =
    Your answer to question #{ $ref } is updated. Its patient erased their data, so nobody else
    is told.
draft-cancelled = Cancelled: nothing was sent.
preview-already-cancelled =
    This preview was cancelled earlier, so nothing was sent. To answer, reply to the question
    again or tap Answer under it in /queue.
preview-already-sent = Your answer to this question was sent already. /answers lets you edit it.
nothing-to-cancel = There is nothing to cancel.
skipped = Skipped question #{ $ref }. /queue lists the questions still waiting for an answer.
question-closed = Question #{ $ref } already has its answers; thank you all the same.
not-a-doctor = Only registered doctors can do that.
not-your-answer = You can change only your own answers.

## /queue, /answers, /profile and /help

queue-empty = No questions are waiting for an answer right now. Thank you!
queue-header = <b>Questions waiting for an answer</b> ({ $count }):
queue-emergency = 🚨 <b>Possible emergency</b>
queue-item = #{ $ref } · Patient #{ $label }
queue-files = 📎 { $files ->
    [one] { $files } file
   *[other] { $files } files
}
answers-empty = You have not answered any questions yet. /queue lists those waiting.
answers-header = <b>Your answers</b> (newest first):
# Before each answer in /answers.
question-ref = #{ $ref }
profile-heading = <b>Your card</b>, as patients see it:
# $specialties: the doctor's specialties, as the config lists them.
profile-specialties = Specialties (for routing): { $specialties }
profile-no-specialties = none listed
profile-answers-given = Answers given: { $count }
doctor-help-heading = For doctors
doctor-help =
    Questions the answer bank cannot answer come to you here, without the patient's name. Reply
    to a question with your answer, or tap Answer; you see a preview before it is sent. Your
    answer goes to the patient and into the bank, under a public question with nothing that
    identifies the patient: check it in the preview, edit it, or keep the answer out of the
    bank. Ask for details puts a question to the patient first. A photo or file you send while
    writing an answer goes with it, to the patient only.

# What a doctor's copy of a question becomes once its patient erased it, or once it is older
# than privacy.retention_days.
deleted-by-patient = (deleted by the patient)
erased-by-retention = (erased: kept no longer than the privacy settings allow)
