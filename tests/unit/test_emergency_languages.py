"""Shipped emergency patterns in four languages (pure logic): real messages from frightened
people, typos and missing accents included, are caught; everyday health questions are not."""

# Cyrillic and Arabic letters that look like Latin ones are the point of these strings.

from __future__ import annotations

import re

import pytest

from bot.emergency import LANGUAGES, looks_like_emergency, normalise, shipped_patterns

EMERGENCIES = {
    "en": [
        "I have a crushing pain in my chest and it's going down my left arm",
        "chest pian for an hour now and sweating",
        "my chest feels really tight and heavy, I'm scared",
        "I cant breath",
        "CANT BREATHE HELP",
        "my husband isn't breathing, what do I do",
        "my baby is choking on a grape",
        "I think my mum is having a stroke, her face is drooping on one side",
        "Dad's speech is slurred and he can't lift his right arm",
        "she is suddenly very confused and can't find her words",
        "my son cut his leg on glass and the bleeding won't stop",
        "i keep thinking about sucide",
        "I want to kill myself",
        "i dont want to live anymore",
        "I've been cutting myself again",
        "my friend overdosed on heroin",
        "I took a whole bottle of sleeping pills an hour ago",
        "my 2 year old swallowed some bleach",
        "my throat is closing up after eating peanuts",
        "her lips and tongue are swelling up after a bee sting",
        "he fainted and won't wake up",
        "my grandmother collapsed and is unresponsive",
        "my daughter is having a seizure right now",
        "my toddler pulled a pot of boiling water on himself, severe burns on his arm",
        "the baby is turning blue",
        "I'm 20 weeks pregnant and bleeding heavily with clots",
        "I think I'm having a heart atack",
        "My dad is unconcious",
        "i'm so tired of everything, i just want to end it all tonight",
        "Hi doctor, I was going to ask about my cold, but now my dad says he has pressure in "
        "his chest and feels sick and sweaty. What should we do? Thanks",
        "my wife is having a severe allergic reaction",
        "is this anaphalactic shock? his face is swelling up",
        "there's an elephant sitting on my chest",
        "i wnat to die",
    ],
    "es": [
        "tengo un dolor fuerte en el pecho y no puedo respirar",
        "me duele mucho el pecho y el brazo izquierdo",
        "dolor de pexo y sudor frio",
        "no puedo respriar",
        "mi hijo no respira!!",
        "se esta ahogando con un caramelo",
        "creo que a mi papá le está dando un infarto",
        "a mi abuela se le cayó la cara de un lado y habla raro",
        "mi mamá tiene la boca torcida y no puede mover el brazo",
        "creo que le dio un derrame cerebral",
        "me corté con un vidrio y no para de sangrar",
        "quiero morirme",
        "ya no quiero vivir",
        "estoy pensando en suicidarme",
        "me quiero matar",
        "mi hermana se tomó una caja entera de pastillas",
        "mi niño de 2 años se tomó cloro",
        "se me está cerrando la garganta después de comer maní",
        "se le hincharon los labios y la lengua, reacción alérgica muy fuerte",
        "mi papá esta inconciente",
        "se desmayó y no despierta",
        "mi bebé está convulsionando",
        "mi hijo se quemó con agua hirviendo, tiene quemaduras graves en el brazo",
        "estoy embarazada de 30 semanas y tengo un sangrado muy abundante",
        "el bebe se puso morado",
        "SOBREDOSIS de mi amigo, que hago",
        "Hola doctor, queria preguntarle por la tos de mi hija pero ahora mi esposo dice que "
        "siente una presion en el pecho muy fuerte y esta sudando, que hacemos?",
        "ME DUELE EL PECHO Y NO PUEDO RESPIRAR BIEN",
        "tengo ganas de hacerme daño",
        "me falta el aire y tengo los labios morados",
        "mi abuelo tuvo una convulcion y no reacciona",
        "me sale mucha sangre de la herida y no para",
        "se me durmió medio cuerpo de repente",
    ],
    "ru": [
        "не могу дышать, мне плохо",
        "хочу убить себя",
        "сильная боль в груди отдает в левую руку",
        "давит в груди уже час, холодный пот",
        "немогу дышать помогите",
        "ребенок не дышит!!!",
        "муж подавился и задыхается",
        "у папы перекосило лицо и речь невнятная",
        "кажется у мамы инсульт, онемела половина тела",
        "кровь не останавливается, порезал руку",
        "хочу умереть",
        "не хочу больше жить",
        "думаю о суециде",
        "я режу себя",
        "подруга наглоталась таблеток",
        "передозировка у друга, что делать",
        "сын выпил уксусную эссенцию",
        "отёк Квинке у ребёнка, опухли губы и горло",
        "после укуса пчелы горло сжимается",
        "бабушка без сознания",
        "потерял сознание и не приходит в себя",
        "у ребенка судороги при температуре 40",
        "эпилептический приступ уже 5 минут",
        "малыш обварился кипятком, сильный ожог",
        "я беременна, 25 недель, сильное кровотечение",
        "у отца инфакрт?",
        "ВЫЗВАЛИ СКОРУЮ, У НЕЁ ПРИПАДОК",
        "Здравствуйте, хотела спросить про прививки, но у мужа сейчас давит в груди и отдает "
        "в челюсть, он весь бледный. Что делать?",
        "не вижу смысла жить",
        "ребенок посинел",
        "жить не хочется совсем",
        "у дочки анафилактический шок, что делать",
        "его парализовало, не может говорить",
        "мама упала в обморок и не приходит в себя",
    ],
    "ar": [
        "عندي ألم شديد في الصدر ومش قادر أتنفس",
        "صدري يوجعني وايد ويدي اليسار تنمل",
        "أبوي جاته جلطة",
        "ما اقدر اتنفس",
        "لا أستطيع التنفس",
        "لَا أَسْتَطِيعُ التَّنَفُّسَ",
        "الطفل مش بيتنفس",
        "ابني بيختنق بحتة أكل",
        "وجه امي مايل ولسانها تقيل فجأة",
        "نص جسمه مشلول وكلامه مش مفهوم",
        "نزيف شديد من الجرح والدم ما يوقف",
        "بدي انتحر",
        "أبي أموت",
        "نفسي اموت وارتاح",
        "بفكر اقتل نفسي",
        "ما ابي اعيش",
        "أخوي بلع علبة حبوب كاملة",
        "ابني شرب كلوركس",
        "جرعة زائدة من الانسولين",
        "حلقي يتسكر بعد ما أكلت فول سوداني",
        "لسانه ورم وشفايفه انتفخت بعد لسعة نحلة",
        "أبوي مغمى عليه وما يصحى",
        "ابني جاته تشنجات وحرارته عالية",
        "البنت انكب عليها ماي مغلي",
        "انا حامل في الشهر السادس ونازل مني دم كثير",
        "الرضيع صار لونه ازرق",
        "أفكر بالانتحار",
        "أمي فقدت الوعي فجأة",
        "السلام عليكم دكتور، كنت بسأل عن الكحة عند ابني، بس دلوقتي جوزي بيقول عنده ضغط على "
        "صدره وعرق كتير، نعمل ايه؟",
        "ولعت النار في هدومه",
        "ألـــم في الصدر",
        "الطفلة ابتلعت بطارية",
        "أعتقد أنها نوبة قلبية",
        "لم أعد أستطيع التنفس",
        "ولدي طاح من الدرج وما قام",
        "الجنين ما يتحرك من امس",
    ],
}

EVERYDAY = {
    "en": [
        "I have a mild headache since this morning",
        "What is a normal resting heart rate?",
        "my chest has a small rash, is it eczema?",
        "heavy periods every month, should I worry?",
        "How long does a sore throat last?",
        "Is it OK to take ibuprofen with food?",
        "I cut my finger while cooking, do I need a plaster?",
        "I feel blue lately and can't sleep",
        "my baby has a runny nose and a little cough",
        "how do I stop my nose bleeding quickly",
        "my hair is going grey early, is that normal?",
        "what helps with food poisoning?",
        "I have a slight burn from the oven, what cream should I use?",
        "why do I get heartburn after meals",
        "my lips are dry and cracked",
        "I'm pregnant and my blood pressure is a lot higher than before",
        "my daughter doesn't respond to her name, could it be autism?",
        "the baby is blue-eyed like her dad",
    ],
    "es": [
        "tengo un dolor de cabeza leve",
        "me duele el pecho al dar de mamar, ¿es normal?",
        "tengo una mancha roja en el pecho",
        "¿cuánto dura la gripe?",
        "tengo tos con flema en el pecho",
        "¿qué puedo tomar para la intoxicación alimentaria?",
        "mi hijo tiene fiebre de 38",
        "sangrado abundante durante la regla, ¿es normal?",
        "¿es bueno respirar aire fresco por la mañana?",
        "me quemé un poco con el sol",
        "tengo los labios secos y agrietados",
        "¿cuántas pastillas de ibuprofeno puedo tomar al día?",
        "me duele la espalda cuando respiro hondo",
        "¿la acidez puede dar ardor en el pecho?",
        "mi hijo no responde al antibiótico",
        "me estoy muriendo de frío con esta gripe",
        "perdí el sentido del olfato con el covid",
        "quiero acabar con todo el acné de la espalda",
    ],
    "ru": [
        "дышать свежим воздухом полезно",
        "болит голова второй день",
        "судороги в ногах по ночам, чего не хватает?",
        "какой крем лучше от прыщей?",
        "болит грудь перед месячными",
        "пищевое отравление, что пить?",
        "как правильно дышать при беге?",
        "можно ли пить кофе при давлении",
        "опухоль в горле, это рак?",
        "солнечный ожог на плечах",
        "хочу померить давление, какой тонометр выбрать",
        "аллергия на кошек, постоянно чихаю",
        "сколько таблеток парацетамола можно выпить в день?",
        "умираю от скуки на больничном",
        "немеет рука по утрам",
    ],
    "ar": [
        "عندي صداع خفيف من الصبح",
        "ما هي تمارين التنفس للقلق؟",
        "كم مرة آخذ المضاد الحيوي في اليوم؟",
        "عندي حرقان في المعدة بعد الأكل",
        "ما علاج التسمم الغذائي؟",
        "عندي حساسية من الغبار",
        "هل ضغط الدم 130 على 85 طبيعي؟",
        "زوري ملتهب وعندي كحة",
        "تشنج عضلي في الرجل بالليل",
        "كيف أحرق الدهون بسرعة؟",
        "ما فائدة التنفس العميق؟",
        "عيون ابني لونها ازرق، هل هذا وراثي؟",
        "هل حبوب الإفطار صحية للأطفال؟",
        "عندي جرح نفسي من الطفولة",
        "ما هو المصدر الأفضل للحديد؟",
        "ما التنفس الصحيح أثناء الرياضة؟",
        "آخذ الدواء مرة وحدة في اليوم",
        "عندي دم كثير مع الدورة الشهرية",
        "احتاج راحة نفسية",
        "طفلي عيونه ازرق",
    ],
}


ALL = [pattern for language in LANGUAGES for pattern in shipped_patterns(language)]


def cases(table: dict[str, list[str]]) -> list[tuple[str, str]]:
    return [(language, text) for language, texts in table.items() for text in texts]


@pytest.mark.parametrize(("language", "text"), cases(EMERGENCIES))
def test_emergencies_are_recognised(language: str, text: str) -> None:
    assert looks_like_emergency(text, shipped_patterns(language))


@pytest.mark.parametrize(("language", "text"), cases(EVERYDAY))
def test_everyday_questions_are_not_emergencies(language: str, text: str) -> None:
    # The bot searches every message with all languages' patterns, so none may fire.
    fired = [pattern.pattern for pattern in ALL if looks_like_emergency(text, [pattern])]
    assert not fired
    assert not looks_like_emergency(text, shipped_patterns(language))


def test_every_language_has_enough_examples() -> None:
    for language in LANGUAGES:
        assert len(EMERGENCIES[language]) >= 20
        assert len(EVERYDAY[language]) >= 10


@pytest.mark.parametrize("language", LANGUAGES)
def test_shipped_patterns_compile_and_never_match_nothing(language: str) -> None:
    patterns = shipped_patterns(language)
    assert len(patterns) >= 20
    for pattern in patterns:
        assert pattern.search("") is None, pattern.pattern
        assert pattern.search(" ") is None, pattern.pattern
    assert shipped_patterns(language) is patterns  # read once


def test_an_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError, match="fr"):
        shipped_patterns("fr")


def test_a_spanish_emergency_is_caught_by_all_languages_together() -> None:
    assert looks_like_emergency("tengo un dolor fuerte en el pecho y no puedo respirar", ALL)
    assert looks_like_emergency("no puedo respriar, me ahogo", ALL)
    assert not looks_like_emergency("tengo un dolor de cabeza leve", ALL)
    # An English message must not trip over a Spanish word, nor the reverse.
    assert not looks_like_emergency("I have no respiratory symptoms, only a fever", ALL)


def test_operators_patterns_with_accents_still_match() -> None:
    own = [re.compile("está sangrando", re.IGNORECASE)]
    assert looks_like_emergency("Mi hijo está sangrando", own)
    assert looks_like_emergency("Mi hijo está sangrando", [re.compile("esta sangrando")])


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("I can\u2019t \u2018breathe\u2019 `now`", "i can't 'breathe' 'now'"),
        ("Está DOLOR de pécho, niño", "esta dolor de pecho, nino"),
        ("не могу дышать, мне плохо", "не могу дышать, мне плохо"),
        ("хочу убить себя", "хочу убить себя"),
        ("Какой ЙОД", "какой йод"),
        ("како\u0438\u0306", "какой"),  # й typed as и and a combining breve
        ("Ёлка, всё ещё", "елка, все еще"),
        ("أ إ آ ٱ", "ا ا ا ا"),
        ("نوبة قلبية", "نوبه قلبيه"),
        ("أتمنى", "اتمني"),
        ("مؤلم", "مولم"),
        ("جرعة زائدة", "جرعه زايده"),
        ("ألـــم", "الم"),
        ("لَا أَسْتَطِيعُ التَّنَفُّسَ", "لا استطيع التنفس"),
        ("٣٩ درجة و ۴۰", "39 درجه و 40"),
        ("  too \n\t many   spaces ", "too many spaces"),
        ("مش\u200f قادر", "مش قادر"),
    ],
)
def test_normalise_folds_the_variants_people_type(text: str, folded: str) -> None:
    assert normalise(text) == folded
