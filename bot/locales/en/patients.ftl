# What patients read, in English. Telegram HTML: <b>, <i> and &amp; as in any message.
# Every language has the same message ids with the same variables (tests/unit/test_i18n.py).
# $ref is a question's reference, written after "#"; $who is a doctor's name or title.

## /start (and the top of /help): each section is a heading, then its paragraph.

welcome-heading = Ask a doctor
welcome-intro =
    Send me your health question in your own words, as one message. I search answers that
    doctors have already given and show you the closest one, with each doctor's name,
    specialty, location and rating.
welcome-how-heading = How to ask
welcome-how =
    Write a full question, for example: <i>Why would I need microdermabrasion after eMatrix
    treatments?</i> Include what matters (age, how long, medicines) but not your name or
    contact details. A photo, a PDF or a voice message may go with it: send it with your
    question as its caption, or right after; only the doctors see it.
welcome-unanswered-heading = When there is no answer yet
welcome-unanswered =
    I keep your question so a doctor can answer it, and tell you what happens next.
welcome-emergencies-heading = Emergencies
welcome-emergencies =
    This bot is not for emergencies. If you may be in danger, call your local emergency
    number now.
welcome-privacy-heading = Privacy
# $days: how long we keep data, from the message "days".
welcome-privacy =
    We keep your questions (with any files), the answers you get and an anonymous label, for
    { $days } after your last message. Doctors never see your name, username or Telegram id.
    An answered question may join our public answers reworded, with nothing that identifies
    you, unless you tap <i>Keep private</i>. /privacy tells more; /mydata shows what we keep;
    /forget erases it.
help-commands-heading = Commands

days = { $days ->
    [one] { $days } day
   *[other] { $days } days
}

## Privacy

# Closes the reply to a patient's first question.
privacy-notice =
    <i>Privacy: doctors never see your name. If a doctor answers, your question may join our
    public answers reworded so that nothing identifies you. /privacy explains; /forget erases
    your data.</i>

# /privacy. $review: who checks a reworded question, one of the two messages after this one.
privacy =
    <b>Your privacy</b>

    <b>What we keep.</b> Your questions, the answers you received, your replies to doctors,
    your ratings, and an anonymous label (like <i>Patient #K7QX</i>). Not your name, username
    or phone number. Photos, files and voice messages stay on Telegram: we keep only a
    reference to them, and doctors cannot forward or save them; they never join the public
    answers. Everything is erased { $days } after your last message; the text of each question
    { $days } after you sent it.

    <b>Who sees it.</b> Doctors see your question and your label, never your name, username or
    Telegram id. The bot's operator can read the database.

    <b>The public answers.</b> When a doctor answers, your question may join our public answers
    so that the next patient is answered at once, but never as you wrote it: it is reworded,
    without names, phone numbers, e-mail addresses, links, addresses, dates or anything else
    that identifies you. { $review } Tap <i>Keep private</i> when your question goes to doctors
    and it never joins them.

    <b>Your data.</b> /mydata sends you everything we keep about you, as a file. /forget erases
    it: your questions and files, your label, your ratings' link to you, and the copies of your
    questions in doctors' chats. Reworded public answers stay, because they no longer identify
    anyone.
privacy-review-by-admin =
    A doctor checks the reworded question, and an admin approves it before it is published.
privacy-review-by-doctor =
    The doctor who answers checks the reworded question before it is published.

keep-private-button = Keep private
kept-private =
    Done: question #{ $ref } will be answered to you alone and will never join the public
    answers.
kept-private-withdrawn =
    Done: question #{ $ref } is now yours alone. It had joined the public answers; it is taken
    out.
report-button = Report
report-thanks =
    Thank you for telling us. The admins will look at this answer and hide it if it is wrong or
    identifies someone.

# The caption of the /mydata file.
mydata-caption =
    Everything AskDoc keeps about you: { $questions ->
        [one] { $questions } question
       *[other] { $questions } questions
    }. /forget erases it.
# Inside the /mydata file, at its top.
mydata-about = Everything AskDoc keeps about you. /forget in the chat erases it.
mydata-nothing = We keep nothing about you: you have not asked any question here.
forget-confirm-heading = Erase your data?
forget-confirm =
    This erases your questions with the files you sent and your replies to doctors, your label,
    your ratings' link to you, any question still waiting for a doctor, and the copies of your
    questions in doctors' chats. Reworded public answers stay, because they no longer identify
    anyone. This cannot be undone.
forget-button = Delete my data
forgotten =
    Done: erased { $questions ->
        [one] { $questions } question
       *[other] { $questions } questions
    }, { $ratings ->
        [one] { $ratings } rating
       *[other] { $ratings } ratings
    } and your label. The copies of your questions in doctors' chats are being deleted. The
    messages in this chat are on your device: Telegram's <i>Clear history</i> removes them.
nothing-to-forget = We keep nothing about you, so there is nothing to erase.

## A question without an answer in the bank

no-good-match =
    I could not find a doctor's answer that fits your question well, so I won't guess.

    <b>What happens next:</b> your question is saved (reference <b>#{ $ref }</b>) for our
    doctors. When a doctor answers it, the answer is sent to you here. Meanwhile you can try
    asking in other words.
known-but-unanswered =
    Your question is one we know, but no doctor has answered it yet.

    <b>What happens next:</b> your question is saved (reference <b>#{ $ref }</b>) for our
    doctors. When a doctor answers it, the answer is sent to you here.
routed =
    I could not find a doctor's answer that fits your question well, so I won't guess.

    <b>What happens next:</b> your question (reference <b>#{ $ref }</b>) has gone to our
    doctors. They see it without your name. When a doctor answers, the answer comes to you
    here; you can rate it and ask a follow-up. Meanwhile you can try asking in other words.
routed-on-request =
    Your question (reference <b>#{ $ref }</b>) has gone to our doctors, without your name. When
    a doctor answers, the answer comes to you here.
already-with-doctors = Your question #{ $ref } is already with our doctors.
# $wait: a duration, from the duration-… messages.
usual-wait = Doctors usually answer within about { $wait }.
# $day: a day of the week; $time: 24-hour, like 09:00; $zone: a time zone, like Europe/Madrid.
doctors-away = Our doctors are away now: they are back on { $day } at { $time } ({ $zone }).
slow-down =
    You are sending messages faster than I can answer them well. Your message is saved; please
    wait about { $wait }, then send your question as one message.
# $count: how many of the patient's questions the doctors have from the last hour.
limited =
    Our doctors already have { $count } of your questions from the last hour, the most they take
    from one person. Your question is saved (reference <b>#{ $ref }</b>): in about { $wait },
    tap <i>Ask a doctor</i> below to send it to them. Meanwhile you can try asking in other
    words.
blocked =
    An admin has paused this service for you, so your messages here are not read or kept. If you
    think this is a mistake, please contact the organisation that runs this bot.

## How long: in "about { $wait }" and "within about { $wait }".

duration-seconds = { $seconds } s
duration-minutes = { $minutes } min
duration-hours = { $hours } h
duration-hours-minutes = { $hours } h { $minutes } min
duration-days = { $days } d
duration-days-hours = { $days } d { $hours } h

## Replies about what the patient sent

no-words =
    I couldn't find any words in your message. Please describe your question in words, for
    example: <i>Is it safe to take ibuprofen with coffee?</i>
# $length: how many characters the message has (always many).
long-question =
    Your message is long ({ $length } characters), so I searched with its first part. Your
    whole question is saved.
edited-question = You edited your message, so here is what I found for the new text.
# $command: what the patient typed, like /foo.
unknown-command =
    I don't know the command { $command }. Send /help to see what I can do, or just type your
    question.
internal-error =
    Sorry, something went wrong on our side. Your message is saved; please try again in a
    moment.
opened-match-missing = That answer is no longer available. Please ask your question again.

# A message the bot cannot read, in "I can't open { $kind }".
media-kind = { $kind ->
    [sticker] stickers
    [photo] photos
    [voice] voice messages
    [video_note] video messages
    [video] videos
    [audio] audio files
    [animation] GIFs
    [document] files
    [location] locations
    [contact] contacts
    [poll] polls
   *[other] that
}
# $kind: what was sent, from media-kind.
only-text = I can only read text. Please type your question in words: I can't open { $kind }.
caption-used = I can't open { $kind }, so I used your caption as your question.

## Files a patient attaches. $kind: photo, document (a PDF or an image file) or voice.

file-kept =
    📎 I keep your { $kind ->
        [photo] photo
        [voice] voice message
       *[document] file
    } with this question, for the doctors only: they can't forward or save it, and it never
    appears in the public answers.
file-joined =
    📎 I added your { $kind ->
        [photo] photo
        [voice] voice message
       *[document] file
    } to your question <b>#{ $ref }</b>. The doctors see it with your question, and can't
    forward or save it.
file-joined-not-sent =
    📎 I added your { $kind ->
        [photo] photo
        [voice] voice message
       *[document] file
    } to your question <b>#{ $ref }</b>. If you tap Ask a doctor, it goes to them with the
    question.
file-ask-to-join =
    Is this { $kind ->
        [photo] photo
        [voice] voice message
       *[document] file
    } about your question <b>#{ $ref }</b>, which is still with our doctors?
file-join-button = Yes, add it to #{ $ref }
file-new-question-button = No, it's a new question
file-what-about =
    { $kind ->
        [photo] What would you like to ask about this photo? Type your question and I'll keep the photo with it, for the doctors only.
        [voice] What would you like to ask about this voice message? Type your question and I'll keep the voice message with it, for the doctors only.
       *[document] What would you like to ask about this file? Type your question and I'll keep the file with it, for the doctors only.
    }
file-join-gone = There is nothing waiting to add any more. Send the file again if you like.
file-unsupported =
    I can pass photos, PDF and image files and voice messages to the doctors, but not that type
    of file. Please type your question in words.

## A bank question and its answers

no-reviews = No reviews yet
# $rating: average stars, like 4.5.
rating = ★ { $rating } · { $reviews ->
    [one] { $reviews } review
   *[other] { $reviews } reviews
}
# $source: where an imported answer comes from, like medquad/NHLBI.
source-line = 📚 Source: <b>{ $source }</b>
doctor-answers = Doctor answers: { $count }
answers-count = Answers: { $count }
# Under a question whose answers are in another language. $language: its name, from the CLDR,
# as it is written inside a sentence (Spanish "inglés", Russian "английский").
answer-language-note = This answer is in { $language }.
other-matches = Other close questions:
is-this-your-question =
    I found questions that may be yours, but I am not sure enough to answer for you.

    <b>Is this your question?</b> Tap it to see the doctors' answers. If none fits, tap
    <i>None of these</i> and your question goes to our doctors, without your name.
none-of-these-button = None of these: ask a doctor
ask-a-doctor-button = Ask a doctor

## A doctor's answer, follow-ups and requests for details

answer-headline = A doctor answered your question
answer-updated-headline = { $who } updated their answer
answer-closing = Was this helpful? Rate the answer, or ask this doctor a follow-up.
follow-up-button = Ask a follow-up
# $stars: 1 to 5.
rated = Thank you: you gave { $stars }★ to { $who }.
rate-refused = You can rate only answers to your own questions.
follow-up-prompt =
    Send your follow-up question for { $who } as one message. They will see your earlier
    question and their answer with it.
follow-up-sent =
    Your follow-up (reference <b>#{ $ref }</b>) has gone to { $who }. The reply comes to you
    here.
follow-up-unavailable =
    That doctor can't take follow-ups right now, so I treated your message as a new question.
# The caption of a file a doctor sent with their answer. $kind: photo, document or voice.
file-from-doctor =
    📎 { $kind ->
        [photo] Photo
        [voice] Voice message
       *[document] File
    } from { $who }, with the answer to your question #{ $ref }
details-heading = { $who } asks about your question #{ $ref }
details-how-to-reply =
    Reply with one message (text, a photo, a file or a voice message): it goes to { $who }
    only.
details-sent =
    Sent to { $who } as details of your question <b>#{ $ref }</b>. The answer comes to you
    here.

## Inline mode (@bot words in any chat)

# Closes an inline result whose page is longer than one message.
inline-rest-in-chat =
    <i>…This is only the first part. For the rest, ask me the same question in our private
    chat.</i>
# The button above inline results that opens the private chat.
inline-ask-privately = Ask your own question privately
