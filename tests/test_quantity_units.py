"""Quantities read the same in every language: the same fact gives the same value, unit and scope."""

from __future__ import annotations

import pytest

from extract.claims.quantities import find_quantities
from extract.lang import load


def _first(text: str, code: str):
    found = find_quantities(text, load(code))
    assert found, f"no quantity in {text!r}"
    return found[0][0]


# The same kind of count, worded as each language's wire copy would word it.
TONNES = [
    ("en", "The port shipped 4.8 million tonnes of grain last season.", 4.8e6),
    ("ja", "港は昨季、穀物480万トンを出荷した。", 4.8e6),
    ("de", "Über den Hafen wurden 4,8 Millionen Tonnen Getreide verschifft.", 4.8e6),
    ("fr", "Le port a expédié 4,8 millions de tonnes de céréales.", 4.8e6),
    ("es", "El puerto despachó 4,8 millones de toneladas de cereal.", 4.8e6),
    ("it", "Dal porto sono partite 4,8 milioni di tonnellate di grano.", 4.8e6),
    ("ru", "Через порт отгрузили 4,8 млн тонн зерна.", 4.8e6),
    ("uk", "Через порт відвантажили 4,8 млн тонн зерна.", 4.8e6),
]

SOLDIERS = [
    ("en", "The ministry said 300 servicemen had been sent to the border.", 300),
    ("ja", "国防省によると、兵士300人が国境に派遣された。", 300),
    ("de", "Das Ministerium schickte 300 Militärangehörige an die Grenze.", 300),
    ("fr", "Le ministère a envoyé 300 militaires à la frontière.", 300),
    ("es", "El ministerio envió 300 efectivos a la frontera.", 300),
    ("it", "Il ministero ha inviato mille soldati al confine.", 1000),
    ("ru", "Министерство направило к границе 300 военных.", 300),
    ("uk", "Міністерство направило до кордону 300 військових.", 300),
]

DISTANCE = [
    ("en", "Troops pulled back 15 km from the front line.", 15),
    ("ja", "部隊は前線から15キロ後退した。", 15),
    ("de", "Die Truppen zogen sich 15 Kilometer von der Front zurück.", 15),
    ("fr", "Les troupes ont reculé de 15 kilomètres depuis la ligne de front.", 15),
    ("es", "Las tropas retrocedieron 15 kilómetros desde la línea del frente.", 15),
    ("it", "Le truppe hanno arretrato di 15 chilometri dalla linea del fronte.", 15),
    ("ru", "Войска отошли на 15 километров от линии фронта.", 15),
    ("uk", "Війська відійшли на 15 кілометрів від лінії фронту.", 15),
]

VOLUME = [
    ("en", "The pipeline carried 10 million cubic metres of gas on Monday.", 1e7),
    ("ja", "パイプラインは月曜日、ガス1000万立方メートルを輸送した。", 1e7),
    ("de", "Durch die Leitung flossen am Montag 10 Millionen Kubikmeter Gas.", 1e7),
    ("fr", "Le gazoduc a transporté lundi 10 millions de mètres cubes de gaz.", 1e7),
    ("es", "El gasoducto transportó el lunes 10 millones de metros cúbicos de gas.", 1e7),
    ("it", "Il gasdotto ha trasportato lunedì 10 milioni di metri cubi di gas.", 1e7),
    ("ru", "По трубопроводу в понедельник прокачали 10 млн кубометров газа.", 1e7),
    ("uk", "Трубопроводом у понеділок прокачали 10 млн кубометрів газу.", 1e7),
]

AREA = [
    ("en", "Fires burned 2,000 hectares of forest.", 2000),
    ("ja", "火災で森林2000ヘクタールが焼けた。", 2000),
    ("de", "Die Brände vernichteten 2000 Hektar Wald.", 2000),
    ("fr", "Les incendies ont ravagé 2000 hectares de forêt.", 2000),
    ("es", "Los incendios arrasaron 2000 hectáreas de bosque.", 2000),
    ("it", "Gli incendi hanno distrutto 2000 ettari di bosco.", 2000),
    ("ru", "Пожары уничтожили 2000 гектаров леса.", 2000),
    ("uk", "Пожежі знищили 2000 гектарів лісу.", 2000),
]

AIRCRAFT = [
    ("en", "The air force scrambled 12 fighter jets.", 12),
    ("ja", "空軍は戦闘機12機を緊急発進させた。", 12),
    ("de", "Die Luftwaffe ließ 12 Kampfflugzeuge aufsteigen.", 12),
    ("fr", "L'armée de l'air a fait décoller 12 avions de chasse.", 12),
    ("es", "La fuerza aérea hizo despegar 12 aviones de combate.", 12),
    ("it", "L'aeronautica ha fatto decollare 12 caccia.", 12),
    ("ru", "ВВС подняли в воздух 12 истребителей.", 12),
    ("uk", "Повітряні сили підняли в повітря 12 винищувачів.", 12),
]

SHIPS = [
    ("en", "Seven vessels were waiting to enter the strait.", 7),
    ("ja", "海峡への進入を待つ船舶は7隻に上った。", 7),
    ("de", "Vor der Meerenge warteten 7 Schiffe.", 7),
    ("fr", "Sept navires attendaient d'entrer dans le détroit.", 7),
    ("es", "Siete buques esperaban para entrar en el estrecho.", 7),
    ("it", "Sette navi attendevano di entrare nello stretto.", 7),
    ("ru", "Войти в пролив ожидали 7 судов.", 7),
    ("uk", "Увійти в протоку очікували 7 суден.", 7),
]

SHELLS = [
    ("en", "The army fired 400 shells overnight.", 400),
    ("ja", "軍は夜間に砲弾400発を発射した。", 400),
    ("de", "Die Armee feuerte über Nacht 400 Granaten ab.", 400),
    ("fr", "L'armée a tiré 400 obus pendant la nuit.", 400),
    ("es", "El ejército disparó 400 proyectiles durante la noche.", 400),
    ("it", "L'esercito ha sparato 400 proiettili durante la notte.", 400),
    ("ru", "За ночь армия выпустила 400 снарядов.", 400),
    ("uk", "За ніч армія випустила 400 снарядів.", 400),
]

DEAD = [
    ("en", "The blast left 25 dead, officials said.", 25),
    ("ja", "爆発による死者は25人に上った。", 25),
    ("de", "Bei der Explosion gab es 25 Todesopfer.", 25),
    ("fr", "L'explosion a fait 25 tués, selon les autorités.", 25),
    ("es", "La explosión dejó 25 fallecidos, según las autoridades.", 25),
    ("it", "L'esplosione ha causato 25 morti, secondo le autorità.", 25),
    ("ru", "Среди 25 убитых, по данным властей, есть дети.", 25),
    ("uk", "Серед 25 вбитих, за даними влади, є діти.", 25),
]

HOMES = [
    ("en", "The strike damaged 40 homes in the district.", 40),
    ("ja", "攻撃で地区の住宅40棟が損壊した。", 40),
    ("de", "Der Angriff beschädigte 40 Häuser in dem Bezirk.", 40),
    ("fr", "La frappe a endommagé 40 maisons du quartier.", 40),
    ("es", "El ataque dañó 40 viviendas del distrito.", 40),
    ("it", "L'attacco ha danneggiato 40 abitazioni del quartiere.", 40),
    ("ru", "Удар повредил 40 жилых домов в районе.", 40),
    ("uk", "Удар пошкодив 40 житлових будинків у районі.", 40),
]


@pytest.mark.parametrize(
    ("unit", "cases"),
    [
        ("mass", TONNES),
        ("person", SOLDIERS),
        ("distance", DISTANCE),
        ("volume", VOLUME),
        ("area", AREA),
        ("aircraft", AIRCRAFT),
        ("ship", SHIPS),
        ("strike", SHELLS),
        ("person", DEAD),
        ("item", HOMES),
    ],
    ids=["mass", "soldiers", "distance", "volume", "area", "aircraft", "ships", "shells", "dead", "homes"],
)
def test_the_same_count_has_the_same_unit_in_every_language(unit, cases):
    assert sorted(code for code, _, _ in cases) == sorted(["en", "ja", "de", "fr", "es", "it", "ru", "uk"])
    got = {code: (q.value, q.unit) for code, text, _ in cases for q in [_first(text, code)]}
    assert got == {code: (float(value), unit) for code, _, value in cases}


def test_every_language_has_every_english_unit():
    english = set(load("en").quantity_units)
    for code in ("ja", "de", "fr", "es", "it", "ru", "uk"):
        assert english <= set(load(code).quantity_units), code


SCOPES = [
    # a cue word inside a longer word ("по" in "полонених", "пограничников") sets no scope
    ("uk", "Сторони домовилися про повернення 1000 полонених.", 1000, None),
    ("ru", "Стороны договорились о возвращении 1000 пленных после переговоров.", 1000, None),
    ("ru", "Погибли 12 пограничников, сообщили в ведомстве.", 12, None),
    ("uk", "Загинули 12 прикордонників, повідомили у відомстві.", 12, None),
    # the cue as a word of its own still does
    ("uk", "Кожна сторона звільнила по 150 полонених.", 150, "each"),
    ("ru", "Каждая из сторон передала по 150 пленных.", 150, "each"),
    ("uk", "Всього 300 полонених повернулися додому.", 300, "total"),
    ("ja", "双方はそれぞれ150人を解放した。", 150, "each"),
]


def test_scope_cues_of_spaced_scripts_are_whole_words():
    got = [(code, text, q.value, q.scope) for code, text, _, _ in SCOPES for q in [_first(text, code)]]
    assert got == [(code, text, float(value), scope) for code, text, value, scope in SCOPES]


@pytest.mark.parametrize(
    ("code", "text", "value", "unit"),
    [
        ("en", "Officials said more than 300 police officers were deployed.", 300, "person"),
        ("ja", "少なくとも300人の警察官が配置された。", 300, "person"),
        ("de", "Mehr als 300 Polizisten waren im Einsatz.", 300, "person"),
        ("de", "Rund 300 Polizisten waren im Einsatz.", 300, "person"),
        ("fr", "Plus de 300 policiers ont été déployés.", 300, "person"),
        ("es", "Más de 300 policías fueron desplegados.", 300, "person"),
        ("it", "Oltre 300 agenti sono stati schierati.", 300, "person"),
        ("ru", "Около 300 полицейских были направлены на место.", 300, "person"),
        ("uk", "Більше 300 військових перебувають у зоні.", 300, "person"),
        ("uk", "Принаймні 300 заручників досі утримуються.", 300, "person"),
        ("uk", "Близько 300 поліцейських забезпечують порядок.", 300, "person"),
    ],
)
def test_approximate_and_more_than_counts(code, text, value, unit):
    q = _first(text, code)
    assert (q.value, q.unit, q.approximate) == (value, unit, True)


THOUSANDS = [
    ("en", "A thousand hostages remain in captivity.", 1000),
    ("de", "Tausend Geiseln sind weiterhin in Gefangenschaft.", 1000),
    ("fr", "Mille otages restent en captivité.", 1000),
    ("es", "Mil rehenes siguen en cautiverio.", 1000),
    ("it", "Mille ostaggi restano prigionieri.", 1000),
    ("ru", "Тысяча заложников по-прежнему в плену.", 1000),
    ("uk", "Тисяча заручників досі в полоні.", 1000),
    ("en", "Two thousand troops crossed the river.", 2000),
    # a vague number before it leaves no figure
    ("en", "Several thousand troops crossed the river.", None),
    ("de", "Einige tausend Soldaten überquerten den Fluss.", None),
]


def test_the_word_for_a_thousand_is_a_number():
    got = [
        (code, text, [(q.value, q.unit) for q, _, _ in find_quantities(text, load(code))])
        for code, text, _ in THOUSANDS
    ]
    want = [(code, text, [(float(v), "person")] if v else []) for code, text, v in THOUSANDS]
    assert got == want


INFLECTED = [
    # whole-word matching needs the forms themselves: the paucal after 2-4, the oblique cases
    ("uk", "Інфляція сповільнилася до 3 відсотки.", 3, "percent"),
    ("uk", "Бюджет передбачає 3 мільйони доларів на ремонт.", 3e6, "USD"),
    ("uk", "Квиток коштує 3 долари.", 3, "USD"),
    ("uk", "Уряд виділив 2 мільярди гривень.", 2e9, "UAH"),
    ("ru", "Ставка остается на 5 процентах.", 5, "percent"),
    ("ru", "Контракт оценивается в 3 миллиона долларов.", 3e6, "USD"),
]


def test_inflected_percent_scale_and_currency_words():
    got = [
        (text, [(q.value, q.unit) for q, _, _ in find_quantities(text, load(code))]) for code, text, _, _ in INFLECTED
    ]
    assert got == [(text, [(float(value), unit)]) for _, text, value, unit in INFLECTED]


def test_bcm_is_billion_cubic_metres():
    cases = [
        ("en", "Europe imported 15 bcm of liquefied gas in the quarter."),
        ("en", "Europe imported 15 billion cubic metres of liquefied gas in the quarter."),
        ("ru", "Европа импортировала за квартал 15 млрд кубометров сжиженного газа."),
        ("ja", "欧州は四半期に液化ガス150億立方メートルを輸入した。"),
    ]
    assert [(_first(text, code).value, _first(text, code).unit) for code, text in cases] == [(1.5e10, "volume")] * 4


@pytest.mark.parametrize(
    ("code", "text", "value", "unit"),
    [
        ("uk", "Росія звільнила 300 українських військових.", 300, "person"),
        ("ru", "Россия освободила 300 украинских военных.", 300, "person"),
        ("de", "Russland hat 4,8 Millionen Tonnen Getreide exportiert.", 4.8e6, "mass"),
        ("fr", "La Russie a libéré mille soldats ukrainiens.", 1000, "person"),
        ("it", "La Russia ha liberato mille soldati ucraini.", 1000, "person"),
    ],
)
def test_the_count_reaches_the_claim(code, text, value, unit):
    from extract.claims.rules import extract_claims
    from extract.nlp.analyse import analyse

    claims = extract_claims(analyse(text, code), None)
    assert [(c.kind, c.subject.entity_id, c.quantity.value, c.quantity.unit) for c in claims] == [
        ("quantity", "country:RU", value, unit)
    ]
