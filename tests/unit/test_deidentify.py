"""The de-identifier (pure logic): each kind of identifier is found, medical content survives,
and the made-up question set in tests/data is de-identified well enough."""

from __future__ import annotations

import re
from itertools import pairwise

import pytest

from bench.deidentify import Case, covered, kept, load_cases, score
from bot.deidentify import KINDS, PLACEHOLDERS, Finding, find_identifiers, public_question

CASES = load_cases()
PLACEHOLDER = re.compile("|".join(re.escape(p) for p in PLACEHOLDERS.values()))


def found(text: str) -> list[tuple[str, str]]:
    """(kind, text) of each finding."""
    return [(f.kind, text[f.start : f.end]) for f in find_identifiers(text)]


@pytest.mark.parametrize(
    ("text", "kind", "identifier"),
    [
        # phone
        ("Call me on +1 555 0100 tonight.", "phone", "+1 555 0100"),
        ("my number is (555) 010-0100", "phone", "(555) 010-0100"),
        ("text 555-0100 if late", "phone", "555-0100"),
        ("ring 555.010.0142", "phone", "555.010.0142"),
        ("London: +44 20 7946 0958.", "phone", "+44 20 7946 0958"),
        ("Paris 01 99 00 45 67.", "phone", "01 99 00 45 67"),
        ("my mobile 07700 900123", "phone", "07700 900123"),
        # email, url, handle, IP address
        ("write to jane.doe+gp@example.org.", "email", "jane.doe+gp@example.org"),
        ("see https://example.com/a?b=1, thanks", "url", "https://example.com/a?b=1"),
        ("see www.example.org/mydiary.", "url", "www.example.org/mydiary"),
        ("my blog example.com/path is public", "url", "example.com/path"),
        ("on t.me/some_user_example", "url", "t.me/some_user_example"),
        ("telegram @jake_example.", "handle", "@jake_example"),
        ("my IP is 192.0.2.17.", "ip_address", "192.0.2.17"),
        # date
        ("seen on 12/03/2024 by the GP", "date", "12/03/2024"),
        ("seen on 2024-03-12 by the GP", "date", "2024-03-12"),
        ("seen on 12.03.2024 by the GP", "date", "12.03.2024"),
        ("it began March 12 after lunch", "date", "March 12"),
        ("born 12 March 2024 at home", "date", "12 March 2024"),
        ("jab on Mar 3rd, sore since", "date", "Mar 3rd"),
        ("the 3rd of June was bad", "date", "3rd of June"),
        ("bloods in March 2023 were fine", "date", "March 2023"),
        ("swelling since 5/6, still there", "date", "5/6"),
        # address
        ("I live at 123 Main Street.", "address", "123 Main Street"),
        ("visit 45 Oak Ave please", "address", "45 Oak Ave"),
        ("we are in Apt 4B upstairs", "address", "Apt 4B"),
        ("in flat 2 upstairs", "address", "flat 2"),
        ("post to P.O. Box 1234 please", "address", "P.O. Box 1234"),
        ("near 9 willow lane, turn left", "address", "9 willow lane"),
        ("postcode NW1 6XE here", "address", "NW1 6XE"),
        ("we live in Upper Wyndle now", "address", "Upper Wyndle"),
        # id numbers
        ("SSN 123-45-6789 on file", "id_number", "123-45-6789"),
        ("my MRN 4456712 please", "id_number", "4456712"),
        ("policy AB123456 lapsed", "id_number", "AB123456"),
        ("passport number is X1234567.", "id_number", "X1234567"),
        ("card 4111 1111 1111 1111 used", "id_number", "4111 1111 1111 1111"),
        ("zip 10001 here", "id_number", "10001"),
        ("ref TRV-88213-B noted", "id_number", "TRV-88213-B"),
        # ages over 89
        ("I'm 93 and tired", "age_over_89", "93"),
        ("she is 93 years old", "age_over_89", "93"),
        ("a 93-year-old man", "age_over_89", "93"),
        ("granddad, aged 97, fell", "age_over_89", "97"),
        ("my grandpa is 98 and frail", "age_over_89", "98"),
        # names
        ("Hi, I'm Maria Lopez, 34.", "name", "Maria Lopez"),
        ("my name is maria and I", "name", "maria"),
        ("I am Hope, and I have a cough", "name", "Hope"),
        ("this is Kofi, again", "name", "Kofi"),
        ("call me Sasha.", "name", "Sasha"),
        ("a baby boy named Theo last month", "name", "Theo"),
        ("my carer is called Beth", "name", "Beth"),
        ("my son Jake has a cough", "name", "Jake"),
        ("my wife Maria Lopez has a cough", "name", "Maria Lopez"),
        ("my daughter, Emma, has a cough", "name", "Emma"),
        ("my husband Will has a cough", "name", "Will"),
        ("my son jake has a cough", "name", "jake"),
        ("Jake's mum here", "name", "Jake"),
        ("Dr. Smith said so", "name", "Smith"),
        ("Dr Alan Grant said so", "name", "Alan Grant"),
        ("Mrs Jones said so", "name", "Jones"),
        ("Miss Jones said so", "name", "Jones"),
        ("Nurse Kelly said so", "name", "Kelly"),
        ("Is it bad? Thanks, Maria", "name", "Maria"),
        ("Is it bad?\n\nRegards,\nJohn Smith", "name", "John Smith"),
        ("Is it bad?\n- Tom", "name", "Tom"),
        ("Is it bad? Best, Ana 😊", "name", "Ana"),
        ("Is it bad? thx, jess", "name", "jess"),
        ("Hey, Sam here. My knee hurts", "name", "Sam"),
        ("Could Priya Sharma have flu?", "name", "Priya Sharma"),
    ],
)
def test_each_kind_is_found(text: str, kind: str, identifier: str) -> None:
    assert (kind, identifier) in found(text)


@pytest.mark.parametrize(
    "text",
    [
        "I'm worried about my BP, it was 140/90 this morning.",
        "I am diabetic and take metformin 500 mg twice a day.",
        "I'm Worried my mole has changed.",
        "I am Diabetic, Type 1, since 2008.",
        "I am Pregnant with twins.",
        "I'm 34 and I'm 67 and I'm 89.",
        "He's 85 and she is 45 years old.",
        "I've had a headache for 3 days and a cough for 2 weeks.",
        "Took 2 tablets of paracetamol 500mg at 8pm.",
        "HbA1c 7.2, TSH 4.2, eGFR 40, ALT 68, BP 130/85 and 180/110.",
        "Vitamin D 50000 IU weekly; vitamin B12 1000 mcg.",
        "My platelets are 120000, is that low?",
        "A platelet count of 95,000 and a heart rate of 95 bpm.",
        "He is 95 kg; my grandmother is 95% deaf.",
        "Pain is 7/10 most days, 24/7 really.",
        "Since 2019 I have had tinnitus; in 2020, 2021 and 2022 it got worse.",
        "I was diagnosed with Hashimoto's and Raynaud's.",
        "My dad has Addison's disease and Parkinson's.",
        "Will paracetamol help? May I take Advil with Lexapro?",
        "I'm On metformin; I'm Also on Lipitor; this is Normal?",
        "Grade 2 fatty liver, 10 units a week, 2 hours drive.",
        "My Daughter Keeps Vomiting After Eating, She Is 5.",
        "I walked 2 miles down the road and 3 blocks down the street.",
        "Hello doctor, can I take ibuprofen?",
        "IM injection of ceftriaxone 1g.",
        "Thanks in advance!",
    ],
)
def test_medical_content_is_not_an_identifier(text: str) -> None:
    assert find_identifiers(text) == []
    assert public_question(text) == " ".join(text.split())


def test_findings_are_sorted_and_do_not_overlap() -> None:
    for case in CASES:
        findings = find_identifiers(case.text)
        assert all(a.end <= b.start for a, b in pairwise(findings))
        assert all(f.kind in KINDS for f in findings)


def test_every_kind_has_a_placeholder() -> None:
    assert set(PLACEHOLDERS) == set(KINDS)


def test_offsets_are_those_of_the_input() -> None:
    # A typographic apostrophe must not shift offsets.
    text = "I\u2019m Maria \u2014 call 555-0100"
    assert found(text) == [("name", "Maria"), ("phone", "555-0100")]
    assert find_identifiers(text)[0] == Finding("name", 4, 9)


def test_public_question_replaces_and_tidies() -> None:
    text = "Hi,  I'm Maria Lopez , 34. Call  me on +1 555 0100 .\n\n\n\nThanks, Maria"
    assert public_question(text) == "Hi, I'm [name], 34. Call me on [phone].\n\nThanks, [name]"


def test_public_question_merges_adjacent_placeholders() -> None:
    assert public_question("Call 555-0100 555-0199 now") == "Call [phone] now"
    assert public_question("seen by Dr Chen and Dr Okafor") == "seen by Dr [name] and Dr [name]"


def test_the_set_is_varied() -> None:
    kinds = {i.kind for case in CASES for i in case.identifiers}
    assert len(CASES) >= 60
    assert sum(not case.identifiers for case in CASES) >= 8
    assert {"name", "phone", "email", "url", "handle", "date", "address", "id_number"} <= kinds
    assert any(case.hard for case in CASES)


def test_the_set_keeps_its_medical_words() -> None:
    damaged = [
        (case.number, word)
        for case in CASES
        for word in case.keep
        if not kept(word, public_question(case.text))
    ]
    assert damaged == []


def test_the_set_loses_most_identifiers() -> None:
    result = score(CASES)
    assert result.share() >= 0.9, result.missed
    for kind in result.total:
        assert result.share(kind) >= 0.8, (kind, result.missed)


@pytest.mark.parametrize("case", [c for c in CASES if not c.hard], ids=lambda c: f"case{c.number}")
def test_no_identifier_survives_in_the_cases_not_marked_hard(case: Case) -> None:
    findings = find_identifiers(case.text)
    # "[90+]" would otherwise read as a surviving "90".
    public = PLACEHOLDER.sub(" ", public_question(case.text))
    for identifier in case.identifiers:
        assert covered(case.text, identifier.text, findings), identifier
        assert identifier.text not in public, identifier
