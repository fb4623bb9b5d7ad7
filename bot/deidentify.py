"""De-identify a patient's question before it joins the public answer bank.

`find_identifiers` finds what identifies someone (names, contact details, dates, places, record
numbers, ages over 89); `public_question` replaces each with a placeholder, so that the doctor
is offered a question fit to publish and edits it from there. Standard library only.

It is a suggestion, not a guarantee: regular expressions and word lists catch the common
shapes, and a name with nothing around it that marks it as one can slip through, which is why
the doctor sees the result before it is published.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Finding:
    """One identifying detail: its kind and where it is in the text."""

    kind: str  # one of KINDS
    start: int  # offsets in the input text
    end: int


# In order of precedence: when two findings of the same length overlap, the earlier kind wins.
KINDS: tuple[str, ...] = (
    "email",
    "url",
    "handle",
    "ip_address",
    "date",
    "phone",
    "id_number",
    "address",
    "age_over_89",
    "name",
)

PLACEHOLDERS: dict[str, str] = {
    "email": "[email]",
    "url": "[link]",
    "handle": "[username]",
    "ip_address": "[IP address]",
    "date": "[date]",
    "phone": "[phone]",
    "id_number": "[number]",
    "address": "[address]",
    # HIPAA's safe harbour pools every age over 89 into one category.
    "age_over_89": "[90+]",
    "name": "[name]",
}

_PRECEDENCE = {kind: rank for rank, kind in enumerate(KINDS)}


# --- word lists -------------------------------------------------------------------------------


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Common first names across languages, found even with no cue around them when capitalised.
# Names that are also everyday English words (Will, Hope, Rose...) are in _WORD_NAMES instead,
# and so are names that are drugs, eponyms or symbols a patient writes (Allegra, Li, Al).
_FIRST_NAMES = _words(
    """
    aaron abdul abdullah abigail adam adrian agnieszka ahmed aisha alan alberto aleksandra
    alejandro alessandro alex alexander alexandra alexis ali alice alicia alina alison amanda
    amelia amir amit amy ana anastasia andrea andreas andrei andrew andrzej angela angelo anika
    anita anna anne annie anthony antoine antonio anya arjun arthur ashley audrey ava barbara
    beatriz ben benjamin bernard beth bethany bianca boris brandon brenda brian bruno caitlin
    camila carla carlos carmen caroline catherine cecilia charles charlie charlotte chen
    chiara chinedu chloe chris christina christine christopher claire clara claudia colin connor
    daniel daniela daniele danielle dave david deborah denis diana diego dimitri dmitry dominic
    donna dorothy dylan edward elena eleanor elif elizabeth ella ellen emily emma emmanuel eric
    erik erin esther ethan eva evan fatima felix fernando fiona francesca francesco
    francisco gabriel gabriela gabriele george georgia gerald giorgio giovanni giulia giuseppe
    gloria graham greg gregory guillaume gustavo hamza hannah hans harry hassan heidi helen
    helena henry hiroshi hugo ian ibrahim ines inês ingrid irina isaac isabel isabella isabelle
    ivan jacob jake james jamie jane janet jason javier jennifer jenny jeremy jess jessica
    jesse joanna joao joe joel johan johanna john jonathan jorge jose josé joseph joshua juan
    judith julia julian julie justin kai karen karim kate katherine kathleen katie kelly kenji
    kevin khalid kim kofi kristina kwame lars laura lauren layla leah lena leo leon liam linda
    lisa liz lorenzo louis louise lucas lucia lucy luis luisa luka lukas madison magdalena
    manuel marco marcus margaret maria mariam marie marina mario marta martha martin mary
    mateo matteo matthew maya megan mehmet melissa mia michael michelle miguel mikhail
    mohamed mohammad mohammed monica muhammad nadia nancy naomi natalia natalie natasha nathan
    nicholas nicola nicole nikita nina noah nora nuno olga oliver olivia omar oscar pablo
    pamela paolo patricia patrick paul paula pavel pedro peter philip pierre piotr priya
    rachel rafael rahul rajesh ramon raphael rebecca ricardo richard rita robert roberto rosa
    rosalind ryan sakura sam samantha samuel sandra sanjay sara sarah sasha scott sean sebastian
    sergei sergio sharon simon sofia sophia sophie stefan stefano stephanie stephen steven
    susan suzanne svetlana tamara tanya teresa thomas theo timothy tobias tom tomas tomasz
    tyler valentina valeria vanessa veronica victoria vikram vincent wei wendy william
    xavier yasmin yusuf yuki zainab zoe zoë
    """
)

# Names that are also words: a name only when capitalised after a cue ("my husband Will").
_WORD_NAMES = _words(
    """
    will hope grace rose may mark bill pat sue joy faith dawn frank grant ray art don april june
    august summer autumn sunny iris ruby amber holly ivy jade max miles rich chase hunter sky
    skye river gene olive penny sandy lily daisy violet hazel heather jasmine pearl crystal honey
    ginger melody angel destiny trinity jack nick rob bob ted drew dean earl glen lance rod cliff
    dale carol robin christian victor eve kay lee al ed li allegra addison celeste precious
    """
)

# Never part of a name, even capitalised after a cue: function words, how people describe
# themselves ("I'm Worried", "I am Diabetic"), medical words, drugs, days and titles.
_STOP_WORDS = _words(
    """
    a about above after again against all almost already also although always am an and any
    anyone anything are around as at away back bad be because been before being below best
    better between both but by can cannot could currently day days did do does doing done down
    during each early either else even ever every everyone few fine first for from further get
    getting go going good got had has have having he her here hers herself him himself his how
    however i if in into is it its itself just last late least less like little lot lots many me
    might mine more most much must my myself near nearly need never new next no nobody none nor
    not nothing now of off often ok okay old on once one only or other our ours out over own
    please pretty quite rather really recently same she should since so some someone something
    sometimes soon still such sure than thanks thank that the their them then there these they
    thing things this those though through thus till to today together tomorrow tonight too
    under until up upon us very was we well were what when where whether which while who whom
    whose why with within without would yes yesterday yet you your yours yourself hi hello hey
    dear sir madam maam team everybody sorry regards cheers sincerely wishes kind warm love bye
    doctor doc dr mr mrs ms miss mx prof professor nurse sister gp patient mum mom dad mother
    father son daughter wife husband baby child kid parent parents friend lol haha omg btw pls
    plz thx ty idk im ive id type stage grade level week weeks month months year years age aged
    male female man woman boy girl trans gay straight single married divorced widowed retired
    unemployed pregnant breastfeeding nursing diabetic prediabetic asthmatic epileptic anaemic
    anemic allergic intolerant immune immunocompromised hiv aids positive negative covid
    vegan vegetarian overweight obese underweight healthy sick ill unwell poorly tired exhausted
    worried scared afraid anxious nervous concerned confused depressed stressed frustrated
    desperate struggling suffering bleeding pain painful sore dizzy nauseous fine great awful
    terrible normal abnormal high low menopausal postmenopausal perimenopausal postpartum
    premature disabled deaf blind autistic bipolar schizophrenic dyslexic celiac coeliac
    lupus crohn crohns hashimoto hashimotos graves raynaud raynauds lyme tourette tourettes
    asperger aspergers alzheimer alzheimers parkinson parkinsons meniere menieres sjogren
    cushing cushings huntington huntingtons ebola zika mpox monkeypox
    monday tuesday wednesday thursday friday saturday sunday january february march july
    september october november december weekend morning evening night afternoon
    british english scottish welsh irish american canadian australian indian pakistani
    african nigerian ghanaian kenyan asian chinese japanese korean european french german
    spanish italian polish russian ukrainian mexican brazilian arab muslim jewish hindu sikh
    catholic buddhist atheist dutch swedish norwegian danish finnish greek turkish portuguese
    filipino vietnamese thai egyptian moroccan iranian iraqi syrian somali ethiopian jamaican
    latina latino hispanic black white caucasian
    urgent serious important awkward weird strange odd crazy silly random rare common typical
    usual unusual possible likely unlikely safe unsafe dangerous risky free busy ready lucky
    happy sad angry upset lonely alone home big small tall short fat thin heavy light strong
    weak fit unfit active broke homeless hypothyroid hyperthyroid premenopausal rh gluten
    lactose dairy nut peanut
    keeps kept gets feels felt says said went goes came comes took takes take gave gives made
    makes needs needed wants wanted seems seemed looks looked started starts stopped stops
    began begins woke wakes threw throws fell falls ate eats drank drinks slept sleeps cried
    cries coughs coughed vomited vomits complains complained suffers suffered developed
    develops breaks hurt hurts tested tests tried tries used uses told tells asked asks
    prescribed recommended suggested thinks thought knows knew
    appointment visit office surgery clinic hospital practice note letter referral
    paracetamol acetaminophen ibuprofen aspirin naproxen codeine tramadol morphine oxycodone
    metformin insulin ozempic wegovy mounjaro semaglutide tirzepatide jardiance januvia
    lisinopril ramipril amlodipine losartan bisoprolol atenolol propranolol statin statins
    atorvastatin simvastatin rosuvastatin warfarin apixaban rivaroxaban eliquis xarelto
    clopidogrel plavix levothyroxine synthroid omeprazole lansoprazole nexium gaviscon
    sertraline fluoxetine citalopram escitalopram prozac zoloft lexapro wellbutrin bupropion
    venlafaxine duloxetine mirtazapine amitriptyline quetiapine seroquel olanzapine risperidone
    aripiprazole abilify lithium lamotrigine levetiracetam keppra valproate gabapentin
    pregabalin lyrica diazepam valium lorazepam alprazolam xanax zopiclone zolpidem ambien
    melatonin amoxicillin augmentin penicillin doxycycline azithromycin clarithromycin
    ciprofloxacin nitrofurantoin trimethoprim metronidazole flucloxacillin cephalexin
    fluconazole diflucan clotrimazole canesten acyclovir aciclovir valacyclovir valtrex
    tamiflu paxlovid prednisone prednisolone hydrocortisone dexamethasone salbutamol albuterol
    ventolin symbicort seretide montelukast cetirizine loratadine fexofenadine claritin zyrtec
    benadryl piriton sudafed tylenol advil motrin aleve panadol nurofen calpol imodium
    loperamide buscopan laxido movicol senna lactulose viagra cialis sildenafil tadalafil
    finasteride minoxidil accutane isotretinoin tretinoin retin botox mirena nexplanon yaz
    depo ritalin adderall concerta methylphenidate suboxone methadone narcan naloxone
    vitamin iron folic zinc magnesium calcium omega
    """
)

# Relationship words after which a capitalised word is a name ("my son Jake").
_RELATION_WORDS = _words(
    """
    son daughter wife husband partner boyfriend girlfriend fiance fiancee spouse mother mom mum
    mummy mommy mama father dad daddy papa parent brother sister sibling twin grandmother
    grandma granny gran nan nana grandfather grandpa granddad grandad grandson granddaughter
    grandchild aunt auntie aunty uncle niece nephew cousin stepson stepdaughter stepmother
    stepmom stepmum stepfather stepdad baby child kid toddler newborn infant teen teenager boy
    girl friend colleague coworker co-worker boss neighbour neighbor roommate flatmate housemate
    carer caregiver caretaker doctor gp nurse physio therapist midwife dentist
    """
)
# Longest first, so that "grandma" is not read as "gran" followed by "dma".
_RELATIONS = "|".join(re.escape(w) for w in sorted(_RELATION_WORDS, key=len, reverse=True))

# Endings that make a capitalised word after "I'm" / "this is" unlikely to be a name ("I'm
# Diabetic", "this is Lisinopril"); only checked for words on neither name list.
_WORDLIKE = re.compile(
    r"(?:ing|ed|ly|ous|ful|ive|ic|ical|ness|ment|able|ible|ish|less|ary|ory|"
    r"pril|sartan|statin|olol|dipine|prazole|azole|cillin|mycin|cycline|oxacin|vir|mab|"
    r"profen|azepam|zolam|triptan|gliptin|gliflozin|formin|tidine|etine|apine|amine|"
    r"codone|caine|olone|sone|lukast|fenac|xaban|amol)$"
)

# Typographic apostrophes and dashes become ASCII ones, one character for one, so that the
# patterns stay ASCII and the offsets stay those of the input.
_SAME_LENGTH = str.maketrans({"\u2019": "'", "\u2018": "'", "\u2013": "-", "\u2014": "-"})


# --- the patterns -----------------------------------------------------------------------------

# Units after a number: "10000 IU" is a dose, "95 kg" a weight, not an id or an age.
_UNIT = (
    r"(?i:\s?(?:%|mg|mcg|ug|g|kg|lbs?|pounds|stone|ml|l|iu|units?|u/l|mmol|umol|nmol|ng|"
    r"pg|cells|copies|steps|kcal|cal|calories|bpm|ms|cm|mm|m|km|miles|/)(?![a-z]))"
)
# Counts a patient quotes ("platelets 120000", "viral load 40000") are results, not ids.
_LAB_BEFORE = re.compile(
    r"(?i:platelets?|plt|wbc|rbc|white\s+cells?|neutrophils?|lymphocytes?|count|load|cd4|hcg|"
    r"psa|d-dimer|ferritin|b12|tsh|glucose|steps|calories)\W+(?:\w+\W+)?\Z"
)
_NINETY_PLUS = r"(?:9\d|1[01]\d)"
# A full stop after an abbreviated month only when a day follows ("Mar. 3"), so that a
# sentence ending in "10 Jan." keeps its full stop.
_MONTH = (
    r"(?:(?i:january|february|march|april|june|july|august|september|october|november|"
    r"december|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)(?:\.(?=\s*\d))?|May)"
)
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?:19|20)\d\d"
_STREET = (
    r"Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Place|Pl|Way|"
    r"Terrace|Close|Crescent|Cres|Parkway|Pkwy|Highway|Hwy|Square|Sq|Gardens|Grove|Row|Mews"
)
_CITY_STOP = r"(?!(?:Apt|Apartment|Flat|Unit|Suite|Ste|Room|Floor|And|But|So|The|My|Our|I)\b)"
# What may follow a street or a P.O. box: ", Springfield IL 62704", ", London NW1 6XE".
_PLACE_TAIL = (
    rf"(?:,\s*{_CITY_STOP}[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)?"
    r"(?:,?\s+[A-Z]{2}(?=\s+\d{5}))?"
    r"(?:,?\s+(?:\d{5}(?:-\d{4})?|[A-Z]{1,2}\d[A-Z\d]?\s\d[A-Z]{2})\b)?"
)

Check = Callable[[re.Match[str]], bool]


def _digit_count(text: str) -> int:
    return sum(ch.isdigit() for ch in text)


def _ip(match: re.Match[str]) -> bool:
    return all(int(part) <= 255 for part in match.group().split("."))


def _numeric_date(match: re.Match[str]) -> bool:
    parts = [int(p) for p in re.split(r"[/.-]", match.group("v"))]
    if parts[0] > 31:  # year first
        return len(parts) == 3 and 1 <= parts[1] <= 12 and 1 <= parts[2] <= 31
    first, second = parts[0], parts[1]
    if len(parts) == 2 and (second == 10 or (first, second) == (24, 7)):
        return False  # "pain 7/10" is a score, "24/7" a habit
    return 1 <= first <= 31 and 1 <= second <= 31 and min(first, second) <= 12


def _day(match: re.Match[str]) -> bool:
    return 1 <= int(match.group("day")) <= 31


def _not_a_result(match: re.Match[str]) -> bool:
    before = match.string[max(0, match.start() - 30) : match.start()]
    return _LAB_BEFORE.search(before) is None


def _record_number(match: re.Match[str]) -> bool:
    value = match.group("v")
    digits = _digit_count(value)
    # "patient since 2019": a year after the cue is a year, not a number.
    is_year = re.fullmatch(_YEAR, value) is not None
    return digits >= 3 and not is_year and (len(value) >= 5 or digits < len(value))


def _phone_digits(low: int, high: int) -> Check:
    return lambda match: low <= _digit_count(match.group()) <= high


# kind -> (pattern, extra check); a group named "v" is the finding, else the whole match.
_PATTERNS: dict[str, list[tuple[re.Pattern[str], Check | None]]] = {
    "email": [(re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}"), None)],
    "url": [
        (re.compile(r"(?i)\b(?:https?://|www\.)[^\s<>\"']+"), None),
        (re.compile(r"(?i)\bt\.me/\w+"), None),
        (
            re.compile(
                r"(?i)(?<![@\w.-])[a-z0-9][\w-]*(?:\.[\w-]+)*\."
                r"(?:com|org|net|edu|gov|io|uk|de|fr|es|nl|eu|info|app|health|biz|ca|au|us|"
                r"ru|tv|blog|site|online)\b(?:/[^\s<>\"']*)?"
            ),
            None,
        ),
    ],
    "handle": [(re.compile(r"(?<![\w.@/])@[A-Za-z][\w.]{2,31}"), None)],
    "ip_address": [(re.compile(r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.]*\d)"), _ip)],
    "date": [
        (
            re.compile(r"(?<![\d/.-])(?P<v>\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2}))(?![/.-]?\d)"),
            _numeric_date,
        ),
        (
            re.compile(rf"(?<![\d/.-])(?P<v>{_YEAR}[/.-]\d{{1,2}}[/.-]\d{{1,2}})(?![/.-]?\d)"),
            _numeric_date,
        ),
        # Day and month alone only after a preposition: "BP 140/90" has none.
        (
            re.compile(
                r"(?i:\b(?:on|since|from|until|till|by|before|after|dob:?)\s+)"
                r"(?P<v>\d{1,2}/\d{1,2})(?![/\d])(?!\s+of\b)"
            ),
            _numeric_date,
        ),
        (re.compile(rf"\b{_MONTH}\s+{_DAY}\b(?!{_UNIT})(?:,?\s+{_YEAR}\b)?"), _day),
        (re.compile(rf"\b{_DAY}(?:\s+of)?\s+{_MONTH}(?![a-z])(?:,?\s+{_YEAR}\b)?"), _day),
        (re.compile(rf"\b{_MONTH}\s+{_YEAR}\b"), None),
    ],
    "phone": [
        (
            re.compile(r"(?<![\w+])\+\d{1,3}(?:[ .-]?\(?\d{1,4}\)?){2,6}(?!\d)"),
            _phone_digits(7, 15),
        ),
        (re.compile(r"(?<!\w)\(\d{3}\)[ .-]?\d{3}[ .-]?\d{4}\b"), None),
        (re.compile(r"\b(?:1[ .-])?\d{3}[ .-]\d{3}[ .-]\d{4}\b"), None),
        (re.compile(rf"\b\d{{3}}[ .-]\d{{4}}\b(?!{_UNIT})"), None),
        # European and UK numbers start with a trunk 0: "020 7946 0958", "07700 900123".
        (re.compile(r"(?<![\w+.-])0\d{1,4}(?:[ .-]?\d{2,6}){1,4}(?!\.?\d)"), _phone_digits(9, 12)),
    ],
    "id_number": [
        (re.compile(r"\b\d{3}-\d{2}-\d{4}\b"), None),  # US social security number
        (re.compile(r"\b\d{4}(?:[ -]\d{4}){3}\b"), None),  # payment card
        (re.compile(rf"(?<![\d.,])\d{{5,}}(?![.,]?\d)(?!{_UNIT})"), _not_a_result),
        (re.compile(r"\b[A-Z]{1,3}-?\d{5,}[A-Z]?\b"), None),
        (re.compile(r"\b[A-Z]{2,5}-\d{4,}(?:-[A-Z0-9]+)*\b"), None),
        (
            re.compile(
                r"(?i:\b(?:mrn|medical\s+record|record|patient|hospital|nhs|policy|membership|"
                r"member|insurance|passport|licen[cs]e|account|claim|reference|ref|case|id|ssn|"
                r"social\s+security)(?:\s+(?:id|number|no\.?|#))?(?:\s+is)?\s*[:#]?\s*)"
                r"(?P<v>[A-Za-z0-9][A-Za-z0-9-]{2,}[A-Za-z0-9])\b"
            ),
            _record_number,
        ),
    ],
    "address": [
        (
            re.compile(
                rf"\b\d{{1,5}}[A-Za-z]?\s+(?:(?:[A-Z][\w'-]*|\d+(?:st|nd|rd|th))\s+){{1,3}}"
                rf"(?:{_STREET})\b{_PLACE_TAIL}"
            ),
            None,
        ),
        # In lower case only with words that cannot be anything else ("9 willow lane").
        (
            re.compile(
                r"(?i)\b\d{1,5}[a-z]?\s+"
                r"(?!(?:miles?|km|hours?|minutes?|mins?|times?|days?|weeks?)\b)"
                r"(?:[a-z][\w'-]*\s+){1,2}(?:street|avenue|road|lane|boulevard|terrace|crescent)\b"
            ),
            None,
        ),
        (re.compile(rf"(?i:\bp\.?\s?o\.?\s*box\s*#?\s*\d+){_PLACE_TAIL}"), None),
        (
            re.compile(
                r"(?:\b(?i:apt|apartment|flat|suite)\.?|\bUnit|\bRoom)\s*#?\s*\d+[A-Za-z]?\b"
                r"(?!\s*(?i:days?|weeks?|months?|years?|hours?|times?|mg|ml)\b)"
            ),
            None,
        ),
        (re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s\d[A-Z]{2}\b"), None),  # UK postcode
        (
            re.compile(
                r"(?i:\b(?:live|living|lives|reside|residing|based)\s+(?:in|at|near)\s+)"
                r"(?P<v>[A-Z][a-z]+(?:[ -][A-Z][a-z]+){0,2})"
            ),
            None,
        ),
    ],
    "age_over_89": [
        (
            re.compile(rf"(?<![\d.,])(?P<v>{_NINETY_PLUS})\s*-?\s*(?i:years?|yrs?|y/?o)(?![a-z])"),
            None,
        ),
        (
            re.compile(
                r"(?i:\b(?:i'?m|i\s+am|aged?:?|turned|turning|(?:he|she)(?:'?s|\s+is)|"
                rf"(?:{_RELATIONS})\b\s*,?\s+(?:is|was|who\s+is))\s+)"
                rf"(?P<v>{_NINETY_PLUS})\b(?![.,]\d)(?!{_UNIT})"
            ),
            None,
        ),
    ],
}


# --- names ------------------------------------------------------------------------------------

_WORD = re.compile(r"[^\W\d_]+(?:['-][^\W\d_]+)*")
_GAP = re.compile(r"[ \t]+")

# Cues, by how much they vouch for the words after them (the `mode` of _is_name_word):
# "strong": even a lower-case word that is no common word ("my name is maria"); "weak":
# capitalised and not looking like an adjective or a drug ("I'm Worried", "this is
# Lisinopril"); "title": capitalised ("Dr Grant"); "relation" and "sign_off": capitalised, or
# a listed first name in lower case ("my son jake", "thx, jess").
_STRONG_CUE = re.compile(
    r"(?i)\b(?:(?:my|his|her|their|our)\s+names?(?:\s+is)?|my\s+name's|name's|name\s*:)[ \t]+"
)
_WEAK_CUE = re.compile(
    r"(?:\b(?i:i'm|i\s+am|this\s+is|here\s+is|call\s+me|calls\s+me|known\s+as|goes\s+by)"
    r"|\b[Ii]m)[ \t]+"
)
_CALLED_CUE = re.compile(r"(?i)\b(?:(?:is|was|am|are)\s+)?(?:named|called)[ \t]+")
_TITLE_CUE = re.compile(
    r"\b(?:(?i:dr|doctor|mr|mrs|ms|mx|prof|professor|nurse|matron)|Miss|Sister)\.?[ \t]+"
)
_RELATION_CUE = re.compile(
    r"(?i)\b(?:my|our|his|her|their)\s+"
    r"(?:(?:little|baby|older|younger|elder|big|twin|late|eldest|youngest|oldest|new|ex|best|"
    r"dear|great|step)[- ]?)*"
    rf"(?:{_RELATIONS})\b(?:-in-law)?(?:'s\s+name\s+is)?[ \t]*,?[ \t]*"
)
_SIGN_OFF_CUE = re.compile(
    r"(?i)(?:^|(?<=[\s.!?,]))(?:(?:many\s+)?thanks(?:\s+(?:so\s+much|a\s+lot|again|in\s+advance))?"
    r"|thank\s+you(?:\s+(?:so\s+much|very\s+much|in\s+advance|again))?|thx|ty|tia"
    r"|(?:kind|best|warm|warmest)\s+regards|regards|best\s+wishes|best|cheers|sincerely"
    r"|yours(?:\s+(?:sincerely|truly|faithfully))?|love|take\s+care|bless(?:ings)?)"
    r"\s*[,.!:;-]*\s*"
)
_DASH_CUE = re.compile(r"(?:^|(?<=\s))[-~]+\s*")
_LAST_LINE = re.compile(r"\n[ \t]*(?=[^\n]*\Z)")
_END = re.compile(r"\W*\Z")
# Words just before "called"/"named" that say a person is being named, not a drug or a disease.
_PERSON_BEFORE = _RELATION_WORDS | _words(
    "i i'm im am he she they who someone person man woman guy lady gentleman"
)
# "Addison's disease" is a disease, whoever Addison was.
_EPONYM_AFTER = re.compile(
    r"(?:[ -][A-Z][a-z]+)?(?:'s?)?\s+(?i:disease|syndrome|palsy|disorder|sign|test|phenomenon)\b"
)
# "Sam here." at the start of a message or a sentence.
_HERE_CUE = re.compile(r"(?:^|(?<=[.!?,]\s)|(?<=\n))(?=\w+(?:[ \t]\w+)?[ \t]+here\b\W)")


def _is_name_word(word: str, mode: str, first: bool) -> bool:
    low = word.lower()
    if len(word) < 2:
        return False
    if word[0].isupper():
        if low in _FIRST_NAMES or low in _WORD_NAMES:
            return True
        if low in _STOP_WORDS or low.removesuffix("s") in _STOP_WORDS:
            return False
        if word.isupper():  # HIV, COPD, ALT
            return False
        return not (mode == "weak" and first and len(low) > 4 and _WORDLIKE.search(low))
    if low in _STOP_WORDS or low in _WORD_NAMES:
        return False
    if mode == "strong":
        return _WORDLIKE.search(low) is None
    return mode in ("relation", "sign_off") and low in _FIRST_NAMES


def _name_at(text: str, pos: int, mode: str, limit: int = 3) -> tuple[int, int] | None:
    """The span of up to `limit` name words from pos on, with only spaces between them."""
    start = end = -1
    for index in range(limit):
        match = _WORD.match(text, pos)
        if match is None:
            break
        word, word_end = match.group(), match.end()
        possessive = word.endswith("'s") and len(word) > 3
        if possessive:
            word, word_end = word[:-2], word_end - 2
        if not _is_name_word(word, mode, first=index == 0):
            break
        if index == 0:
            start = match.start()
        end = word_end
        gap = _GAP.match(text, word_end)
        if possessive or gap is None:
            break
        pos = gap.end()
    return (start, end) if start >= 0 else None


def _cued_names(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []

    def after(cue: re.Pattern[str], mode: str, at_end: bool = False) -> None:
        for match in cue.finditer(text):
            span = _name_at(text, match.end(), mode)
            if span is not None and (not at_end or _END.match(text, span[1])):
                spans.append(span)

    after(_STRONG_CUE, "strong")
    after(_WEAK_CUE, "weak")
    after(_TITLE_CUE, "title")
    after(_RELATION_CUE, "relation")
    # A name closing the message: after a sign-off, a dash, or alone on the last line.
    after(_SIGN_OFF_CUE, "sign_off", at_end=True)
    after(_DASH_CUE, "weak", at_end=True)
    after(_LAST_LINE, "weak", at_end=True)
    for match in _HERE_CUE.finditer(text):
        span = _name_at(text, match.end(), "weak", limit=2)
        if span is not None and re.match(r"[ \t]+here\b", text[span[1] :]):
            spans.append(span)
    for match in _CALLED_CUE.finditer(text):
        before = re.findall(r"[\w']+", text[max(0, match.start() - 40) : match.start()].lower())
        if _PERSON_BEFORE.intersection(before[-2:]):
            span = _name_at(text, match.end(), "weak")
            if span is not None:
                spans.append(span)
    return spans


def _listed_names(text: str) -> list[tuple[int, int]]:
    """Capitalised first names from the list, wherever they are, with a following surname."""
    spans: list[tuple[int, int]] = []
    for match in _WORD.finditer(text):
        word, end = match.group(), match.end()
        possessive = word.endswith("'s")
        if possessive:
            word, end = word[:-2], end - 2
        if not (word[0].isupper() and word[1:].islower() and word.lower() in _FIRST_NAMES):
            continue
        if _EPONYM_AFTER.match(text, end):
            continue
        gap = None if possessive else _GAP.match(text, end)
        if gap is not None:
            surname = _name_at(text, gap.end(), "title", limit=1)
            if surname is not None:
                end = surname[1]
        spans.append((match.start(), end))
    return spans


# --- finding and replacing --------------------------------------------------------------------

# Punctuation that closes the sentence, not the link or the address.
_TRAILING = ".,;:!?)]}'\""


def _candidates(text: str) -> list[Finding]:
    found: list[Finding] = []
    for kind, patterns in _PATTERNS.items():
        for pattern, check in patterns:
            for match in pattern.finditer(text):
                if check is not None and not check(match):
                    continue
                start, end = match.span("v") if "v" in pattern.groupindex else match.span()
                if kind in ("url", "handle", "email", "phone"):
                    while end > start and text[end - 1] in _TRAILING:
                        end -= 1
                found.append(Finding(kind, start, end))
    found.extend(Finding("name", s, e) for s, e in _cued_names(text) + _listed_names(text))
    return found


def find_identifiers(text: str) -> list[Finding]:
    """What identifies someone in the text: non-overlapping findings, sorted by start.

    Where candidates overlap, the longest wins ("P.O. Box 12, Springfield IL 62704" is one
    address, not a ZIP code inside one), then the kind earlier in KINDS.
    """
    candidates = _candidates(text.translate(_SAME_LENGTH))
    chosen: list[Finding] = []
    for finding in sorted(
        candidates, key=lambda f: (f.start - f.end, _PRECEDENCE[f.kind], f.start)
    ):
        if finding.end > finding.start and all(
            finding.end <= other.start or finding.start >= other.end for other in chosen
        ):
            chosen.append(finding)
    return sorted(chosen, key=lambda f: f.start)


_REPEATED = re.compile(
    "(" + "|".join(re.escape(p) for p in sorted(set(PLACEHOLDERS.values()))) + r")(?:[ \t]+\1)+"
)


def public_question(text: str) -> str:
    """The text with every identifier replaced by its kind's placeholder, tidied."""
    parts: list[str] = []
    last = 0
    for finding in find_identifiers(text):
        parts.append(text[last : finding.start])
        parts.append(PLACEHOLDERS[finding.kind])
        last = finding.end
    parts.append(text[last:])
    result = _REPEATED.sub(r"\1", "".join(parts))
    result = re.sub(r"[ \t]+", " ", result)
    result = re.sub(r" +([,.;:!?)])", r"\1", result)
    result = re.sub(r"\( +", "(", result)
    result = "\n".join(line.strip() for line in result.split("\n"))
    return re.sub(r"\n{3,}", "\n\n", result).strip()
