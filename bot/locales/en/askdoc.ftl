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

language-name = English
