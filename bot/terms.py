"""The words of a text as the search index and the matcher both read them: lower-cased, lay
words and abbreviations rewritten to one clinical form, stopwords dropped, stemmed. No I/O.

The index stores exactly these terms (bot.store.search), so what FTS5 matches and counts is what
the matcher scores (bot.matching).
"""

from __future__ import annotations

import re
from functools import lru_cache

import snowballstemmer

# Words that carry no meaning in a health question: question words, pronouns, auxiliaries and
# filler. They may appear in a match but never decide one.
_STOPWORD_TEXT = """
    a about above after again against all also am an and any are aren't as at be because been
    before being below between both but by can can't cannot could couldn't did didn't do does
    doesn't doing don't down during each few for from further had hadn't has hasn't have haven't
    having he her here hers herself him himself his how i i'm i've if in into is isn't it it's its
    itself just let's me more most my myself no nor not now of off on once only or other ought our
    ours ourselves out over own same she should shouldn't so some such than that that's the their
    theirs them themselves then there there's these they this those through to too under until up
    very was wasn't we were weren't what what's when where which while who whom why will with
    won't would wouldn't you your yours yourself yourselves

    what whats is are was were does do did can could should would will shall may might must
    need needs needed get gets getting got go going want wanting wanted know known tell please
    thank thanks hello hi hey doctor doctors dr question questions answer ask asking purpose
    reason reasons mean means meaning way ways thing things something anything really also
    still even ever much many lot lots kind sort just like likely possible possibly normal
    okay ok yes anyone someone somebody help advice info information recommend recommended
"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())

_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)?", re.UNICODE)
_stemmer = snowballstemmer.stemmer("english")

# Lay words and clinical words for the same thing, and common abbreviations, each rewritten to
# one form before stemming, in the patient's question and in the bank alike, so "heart attack"
# finds "myocardial infarction". General medical vocabulary only; multi-word forms first.
PHRASES: dict[str, str] = {
    # conditions
    "heart attack": "myocardial infarction",
    "heart attacks": "myocardial infarction",
    "mi": "myocardial infarction",
    "high blood pressure": "hypertension",
    "raised blood pressure": "hypertension",
    "hbp": "hypertension",
    "low blood pressure": "hypotension",
    "bp": "blood pressure",
    "high blood sugar": "hyperglycemia",
    "low blood sugar": "hypoglycemia",
    "blood sugar": "blood glucose",
    "sugar level": "glucose level",
    "sugar levels": "glucose level",
    "high cholesterol": "hypercholesterolemia",
    "high blood cholesterol": "hypercholesterolemia",
    "mini stroke": "transient ischemic attack",
    "mini-stroke": "transient ischemic attack",
    "tia": "transient ischemic attack",
    "flu": "influenza",
    "pink eye": "conjunctivitis",
    "chicken pox": "varicella",
    "chickenpox": "varicella",
    "shingles": "herpes zoster",
    "cold sore": "herpes labialis",
    "cold sores": "herpes labialis",
    "fever blister": "herpes labialis",
    "fever blisters": "herpes labialis",
    "strep throat": "streptococcal pharyngitis",
    "sore throat": "pharyngitis",
    "heartburn": "gastroesophageal reflux",
    "acid reflux": "gastroesophageal reflux",
    "gerd": "gastroesophageal reflux",
    "uti": "urinary tract infection",
    "utis": "urinary tract infection",
    "bladder infection": "urinary tract infection",
    "std": "sexually transmitted disease",
    "stds": "sexually transmitted disease",
    "sti": "sexually transmitted disease",
    "stis": "sexually transmitted disease",
    "sexually transmitted infection": "sexually transmitted disease",
    "sexually transmitted infections": "sexually transmitted disease",
    "copd": "chronic obstructive pulmonary disease",
    "ibs": "irritable bowel syndrome",
    "ibd": "inflammatory bowel disease",
    "adhd": "attention deficit hyperactivity disorder",
    "ocd": "obsessive compulsive disorder",
    "ptsd": "posttraumatic stress disorder",
    "post traumatic": "posttraumatic",
    "post-traumatic": "posttraumatic",
    "ms": "multiple sclerosis",
    "als": "amyotrophic lateral sclerosis",
    "lou gehrig's disease": "amyotrophic lateral sclerosis",
    "dvt": "deep vein thrombosis",
    "pe": "pulmonary embolism",
    "ckd": "chronic kidney disease",
    "cad": "coronary artery disease",
    "chf": "heart failure",
    "congestive heart failure": "heart failure",
    "afib": "atrial fibrillation",
    "a-fib": "atrial fibrillation",
    "irregular heartbeat": "arrhythmia",
    "irregular heart beat": "arrhythmia",
    "ed": "erectile dysfunction",
    "impotence": "erectile dysfunction",
    "pcos": "polycystic ovary syndrome",
    "polycystic ovarian": "polycystic ovary",
    "hpv": "human papillomavirus",
    "hiv/aids": "hiv aids",
    "tb": "tuberculosis",
    "sids": "sudden infant death syndrome",
    "rsv": "respiratory syncytial virus",
    "ra": "rheumatoid arthritis",
    "oa": "osteoarthritis",
    "sle": "lupus",
    "t1d": "type 1 diabetes",
    "t2d": "type 2 diabetes",
    "diabetes mellitus": "diabetes",
    "kidney stone": "kidney stones",
    "nosebleed": "epistaxis",
    "nose bleed": "epistaxis",
    "nosebleeds": "epistaxis",
    "runny nose": "rhinorrhea",
    "c-section": "cesarean",
    "c section": "cesarean",
    "pregnant": "pregnancy",
    "overweight": "obesity",
    "obese": "obesity",
    "tylenol": "acetaminophen",
    "paracetamol": "acetaminophen",
    "advil": "ibuprofen",
    "motrin": "ibuprofen",
    "aleve": "naproxen",
    "nsaid": "nsaids",
    "antibiotic": "antibiotics",
    # British spellings
    "anaemia": "anemia",
    "diarrhoea": "diarrhea",
    "oesophagus": "esophagus",
    "oesophageal": "esophageal",
    "oestrogen": "estrogen",
    "haemorrhage": "hemorrhage",
    "haemoglobin": "hemoglobin",
    "leukaemia": "leukemia",
    "tumour": "tumor",
    "tumours": "tumor",
    "paediatric": "pediatric",
    "foetus": "fetus",
    "oedema": "edema",
    "coeliac": "celiac",
}
_PHRASE = re.compile(
    r"(?<![\w'])("
    + "|".join(re.escape(key) for key in sorted(PHRASES, key=len, reverse=True))
    + r")(?![\w'])"
)

# Terms that say what is asked about a subject rather than the subject itself. A bank built as
# "the symptoms of X", "the treatment of X"... makes them common, so IDF weighs them as filler;


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The Snowball (English) stem of a lower-case word."""
    return str(_stemmer.stemWord(word))


def _canonical(text: str) -> str:
    return _PHRASE.sub(lambda match: PHRASES[match.group(1)], text.lower())


def terms(text: str) -> list[str]:
    """The meaningful, stemmed terms of a text, in order of first appearance, without repeats.

    Synonyms and abbreviations become one form first (see PHRASES); stopwords are dropped.
    """
    seen: dict[str, None] = {}
    for match in _WORD.finditer(_canonical(text)):
        word = match.group().replace("'", "")
        if match.group() in STOPWORDS or word in STOPWORDS:
            continue
        stemmed = stem(word)
        if stemmed and stemmed not in STOPWORDS:
            seen.setdefault(stemmed, None)
    return list(seen)
