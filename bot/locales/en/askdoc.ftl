# AskDoc's messages in English. Telegram HTML: <b>, <i> and &amp; as in any message.
# Every language has the same message ids with the same variables (tests/unit/test_i18n.py).

disclaimer =
    These answers are for educational purposes and should not be relied upon as a substitute
    for medical advice you may receive from your physician. If you have a medical emergency,
    please call your local emergency number. These answers do not constitute or initiate a
    patient/doctor relationship.

emergency-message =
    If this may be an emergency, call your local emergency number now or go to the nearest
    emergency department. If you are thinking about suicide or harming yourself, call a crisis
    line now. Do not wait for an answer here.

# One country's numbers, after its flag and name.
emergency-numbers = { $flag } { $country }: { $numbers }
number-ambulance = ambulance { $number }
number-emergency = emergency { $number }
number-crisis = crisis line { $number }
# While the patient's country is not known.
emergency-numbers-generic =
    Emergency numbers: 112 in the European Union and many other countries, 911 in the US,
    Canada, Mexico and much of Latin America.
emergency-set-country = Send /country to see your own country's numbers.

country-ask = Which country are you in? I will show its emergency numbers whenever you need them.
country-other-button = Other countries
country-not-listed-button = My country is not listed
country-saved = Saved. In an emergency: { $numbers }
country-not-listed =
    I don't have your country's numbers yet. Call your local emergency number, or go to the
    nearest emergency department.
country-unknown = I don't know that country. Please choose it with the buttons.

# What a patient whose question went to doctors is told to expect while there are too few
# answers to measure the usual wait (routing.expected_wait in the config replaces it).
expected-wait = Doctors usually answer within a day.

language-name = English

language-ask = Which language should I speak to you in?
language-saved = Done: I will speak to you in English.
language-unknown = I don't speak that language yet. Please choose one with the buttons.

# The command menu, one line per command.
command-start = What this bot does
command-help = How to ask a question
command-privacy = What we keep, and for how long
command-mydata = Everything we keep about you
command-forget = Erase your data
command-country = Your country, for its emergency numbers
command-language = The language I speak to you in
command-queue = Questions waiting for an answer
command-answers = Your answers, each editable
command-profile = Your card as patients see it
command-cancel = Drop the answer you are writing
command-register = Apply as a doctor with an invitation
command-doctors = The doctors, with Revoke, Restore, Approve and Reject buttons
command-review = Doctors' answers waiting for your review
command-bank = Find a bank entry by words or number, to hide, restore, edit or delete
command-audit = Who published, hid or erased what
command-block = Block the patient of a question: /block REF
command-unblock = Unblock them: /unblock REF
command-stats = Questions asked, how they were answered, speed and ratings
