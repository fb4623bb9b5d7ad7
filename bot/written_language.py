"""Whether a patient's text is English, decided from the text alone.

English questions are matched with AskDoc's own English encoder; anything else goes to the
multilingual one. The patient's app language says little here: many people keep an English
phone and write in their own language, or the other way round.

Pure: no Telegram, no SQL.
"""

from __future__ import annotations

import re
import unicodedata


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words that are common in a question and rare in English text, for the Latin-script languages
# patients most often write in besides English. A handful in a message is enough to tell.
_WORDS_OF = {
    "es": _words(
        "el la los las un una unos del al que qué de y o en es está estoy tengo tiene tienen "
        "hay por para con mi mis su sus se le lo muy más pero como cómo cuál cuáles cuando "
        "cuándo dónde porqué porque puedo puede debo hijo hija bebé años dolor tomar pastilla "
        "médico síntomas tratamiento embarazada mamá papá cuanto cuánto también ya hace"
    ),
    "pt": _words(
        "não sim uma você tenho está estou meu minha dor médico remédio gravidez também muito "
        "quando onde quanto isso isto pode posso"
    ),
    "fr": _words(
        "je j'ai mon mes est les des une avec pour dans sur pas mal médecin enfant ans peut "
        "quand comment pourquoi c'est qu'est ce cette très aussi"
    ),
    "de": _words(
        "ich habe ist und der das nicht mit mein meine ein eine kann wie warum wann seit "
        "schmerzen arzt kind jahre auch sehr"
    ),
    "it": _words(
        "il gli sono della con per che non mio mia dolore medico bambino anni perché quando"
    ),
}
_FOREIGN_WORDS = frozenset().union(*_WORDS_OF.values())
_ENGLISH_WORDS = _words(
    "the a an and or of to in is are am was were be been have has had do does did i my me "
    "you your he she it its we our they their what why how when where which who can could "
    "should would will with without for on at from after before about this that these those "
    "not no yes pain take taking get got feel feeling doctor years old son daughter baby mom "
    "dad wife husband if so but there"
)
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
# Letters with these marks are not written in English words (é in "café" is rare enough).
_FOREIGN_MARKS = frozenset("ñ¿¡ãõçàèìòùâêîôûäöüßáíóúœ")


def is_english(text: str) -> bool:
    """True when `text` reads as English: Latin letters, and more English words than words of
    other languages. Text with no letters at all counts as English (nothing to translate)."""
    letters = [char for char in text if char.isalpha()]
    if not letters:
        return True
    latin = sum(1 for char in letters if _is_latin(char))
    if latin < 0.8 * len(letters):
        return False
    words = [word.lower() for word in _WORD.findall(text)]
    english = sum(1 for word in words if word in _ENGLISH_WORDS)
    foreign = sum(1 for word in words if word in _FOREIGN_WORDS)
    marked = sum(1 for word in words if any(char in _FOREIGN_MARKS for char in word))
    if foreign + marked == 0:
        return True
    return english >= foreign + marked


def written_in(text: str) -> str:
    """The language `text` is most likely written in, as an ISO 639-1 code: "en" for English
    (see is_english), else by its script (Cyrillic "ru", or "uk" with Ukrainian letters; Arabic
    script "ar"), else the Latin-script language with the most of its common words ("es" when
    none stands out)."""
    if is_english(text):
        return "en"
    letters = [char for char in text if char.isalpha()]
    scripts = [_script(char) for char in letters]
    script = max(set(scripts), key=scripts.count)
    if script == "CYRILLIC":
        return "uk" if any(char in "іїєґІЇЄҐ" for char in letters) else "ru"
    if script == "ARABIC":
        return "ar"
    words = [word.lower() for word in _WORD.findall(text)]
    counts = {code: sum(1 for word in words if word in known) for code, known in _WORDS_OF.items()}
    best = max(counts, key=lambda code: counts[code])
    return best if counts[best] else "es"


def _script(char: str) -> str:
    try:
        return unicodedata.name(char).split()[0]
    except ValueError:
        return ""


def _is_latin(char: str) -> bool:
    # The Latin blocks (Basic to Extended-B, and Extended Additional's Vietnamese letters):
    # ranges, not unicodedata names, as every letter of a message is looked at.
    code = ord(char)
    return code < 0x250 or 0x1E00 <= code < 0x1F00
