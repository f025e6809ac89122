"""The six languages added to Japanese and English (issue 12): language identification on short texts, the
shallow pipelines (sentences, lemmas), inflected names in the gazetteer, CLDR names per language, dates and
windows as news write them, and a German report end to end."""

from __future__ import annotations

from datetime import date

import pytest

from extract import lang as langdata
from extract.acquire.langid import detect_language, require_supported
from extract.errors import LanguageError
from extract.nlp.analyse import PIPELINES, analyse, load_pipeline
from extract.nlp.gazetteer import load_gazetteer
from extract.nlp.timex import find_times, find_windows

NEW = ("de", "fr", "es", "it", "ru", "uk")

# Headline + two sentences, as a short news item.
SHORT = {
    "de": "Koalition will binnen 72 Stunden reagieren\nDie Ukraine und ihre Partner haben sich auf einen Plan "
    "geeinigt. Russland lehnt ihn ab.",
    "fr": "Kiev et ses alliés s'accordent sur une riposte\nLa coalition interviendrait dans les 72 heures. Moscou "
    "rejette le plan.",
    "es": "Kiev y sus aliados pactan una respuesta\nLa coalición intervendría en un plazo de 72 horas. Moscú "
    "rechaza el plan.",
    "it": "Kiev e gli alleati concordano una risposta\nLa coalizione interverrebbe entro 72 ore. Mosca respinge "
    "il piano.",
    "ru": "Киев и союзники согласовали ответ\nКоалиция вмешается в течение 72 часов. Москва отвергает план.",
    "uk": "Київ і союзники погодили відповідь\nКоаліція втрутиться протягом 72 годин. Москва відкидає план.",
    "en": "Kyiv and allies agree on a response\nThe coalition would intervene within 72 hours. Moscow rejects "
    "the plan.",
    "ja": "停戦違反に72時間以内に対応\n有志連合が介入する計画だ。ロシアは計画を拒否した。",
}


@pytest.fixture(scope="module")
def gaz():
    return load_gazetteer()


# --- language data and pipelines ---------------------------------------------------------------------


def test_every_language_has_a_checked_data_file_and_a_pipeline():
    data = langdata.load_all()
    assert set(data) == {"ja", "en", *NEW}
    assert set(PIPELINES) == set(data)
    assert data["fr"].analysis == "full" and data["fr"].pipeline == "fr_core_news_sm"
    for code in ("de", "es", "it", "ru", "uk"):
        assert data[code].analysis == "shallow"
        assert data[code].lemmatizer == ("pymorphy3" if code in ("ru", "uk") else "lookup")


@pytest.mark.parametrize("code", sorted(SHORT))
def test_language_id_on_a_headline_and_two_sentences(code):
    lang, score = require_supported(SHORT[code], "short.txt")
    assert lang == code
    assert score > 0.6


def test_russian_and_ukrainian_are_told_apart_by_their_letters():
    # No headline, one short sentence each: the letters і/ї/є and ы/э decide.
    assert detect_language("Війська не будуть направлені, заявили в Києві.")[0] == "uk"
    assert detect_language("Войска не будут направлены, заявили в Москве.")[0] == "ru"


@pytest.mark.parametrize(
    "text, code",
    [
        (
            "Kijów i sojusznicy uzgodnili odpowiedź. Koalicja interweniowałaby w ciągu 72 godzin. Moskwa odrzuca plan.",
            "pl",
        ),
        (
            "Kiev en bondgenoten eens over een reactie. De coalitie zou binnen 72 uur ingrijpen. Moskou verwerpt "
            "het plan.",
            "nl",
        ),
        ("Кіеў і саюзнікі ўзгаднілі адказ. Кааліцыя ўмяшаецца на працягу 72 гадзін. Масква адхіляе план.", "be"),
    ],
)
def test_unsupported_language_is_a_one_line_error_with_a_reason(text, code):
    with pytest.raises(LanguageError) as excinfo:
        require_supported(text, "report.txt")
    message = str(excinfo.value)
    assert f"unsupported language '{code}'" in message and "\n" not in message
    assert "supported: de, en, es, fr, it, ja, ru, uk" in message
    assert excinfo.value.reason == "unsupported_language"


def test_shallow_sentences_keep_abbreviations_and_ordinal_dates_together():
    text = (
        "Die USA, Russland u. a. Staaten trafen sich am 5. Februar in Abu Dhabi. Nr. 3 der Liste, z. B. "
        "Frankreich, fehlte. Dr. Merz sagte, es gebe ca. 20 Mio. Euro."
    )
    assert [s.text for s in analyse(text, "de").sentences] == [
        "Die USA, Russland u. a. Staaten trafen sich am 5. Februar in Abu Dhabi.",
        "Nr. 3 der Liste, z. B. Frankreich, fehlte.",
        "Dr. Merz sagte, es gebe ca. 20 Mio. Euro.",
    ]
    ru = "Президент В. В. Путин заявил, что т. н. коалиция желающих не нужна. Москва против."
    assert [s.text for s in analyse(ru, "ru").sentences] == [
        "Президент В. В. Путин заявил, что т. н. коалиция желающих не нужна.",
        "Москва против.",
    ]
    es = "Se reunirán el 4 de feb. en Abu Dabi. «No enviaremos tropas», dijo el Sr. Sánchez."
    assert [s.text for s in analyse(es, "es").sentences] == [
        "Se reunirán el 4 de feb. en Abu Dabi.",
        "«No enviaremos tropas», dijo el Sr. Sánchez.",
    ]


@pytest.mark.parametrize(
    "code, text, lemmas",
    [
        (
            "de",
            "Die Staaten entsandten keine Truppen und lehnten Verhandlungen ab.",
            {"Staaten": "staat", "Truppen": "truppe", "keine": "kein", "Verhandlungen": "verhandlung"},
        ),
        ("es", "Los países rechazaron enviar tropas.", {"rechazaron": "rechazar", "tropas": "tropa"}),
        ("it", "L'Italia ha escluso l'invio di truppe.", {"escluso": "escludere", "truppe": "truppa"}),
        (
            "ru",
            "Москва отвергла гарантии безопасности и не отправит войска.",
            {"отвергла": "отвергнуть", "гарантии": "гарантия", "войска": "войско", "отправит": "отправить"},
        ),
        (
            "uk",
            "Коаліція охочих втрутиться протягом 72 годин після першого порушення.",
            {"втрутиться": "втрутитися", "годин": "година", "порушення": "порушення", "Коаліція": "коаліція"},
        ),
    ],
)
def test_shallow_lemmas_are_lower_case_dictionary_forms(code, text, lemmas):
    doc = load_pipeline(code)(text)
    got = {t.text: t.lemma_ for t in doc}
    assert {w: got[w] for w in lemmas} == lemmas


# --- gazetteer ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "code, text, expected",
    [
        (
            "de",
            "Unterhändler Russlands und der Ukraine sowie die Koalition der Willigen und das US-Militär.",
            [
                ("Russlands", "country:RU"),
                ("Ukraine", "country:UA"),
                ("Koalition der Willigen", "org:coalition-of-the-willing"),
                ("US-Militär", "force:US"),
            ],
        ),
        (
            "ru",
            "Переговоры России и Украины с Москвой о «коалиции желающих» и Соединённых Штатах.",
            [
                ("России", "country:RU"),
                ("Украины", "country:UA"),
                ("Москвой", "country:RU"),
                ("коалиции желающих", "org:coalition-of-the-willing"),
                ("Соединённых Штатах", "country:US"),
            ],
        ),
        (
            "uk",
            "Представники України та Росії зустрілися з коаліцією охочих.",
            [("України", "country:UA"), ("Росії", "country:RU"), ("коаліцією охочих", "org:coalition-of-the-willing")],
        ),
        (
            "fr",
            "La coalition des volontaires et l'armée américaine soutiennent l'Ukraine face à la Russie.",
            [
                ("coalition des volontaires", "org:coalition-of-the-willing"),
                ("l'armée américaine", "force:US"),
                ("Ukraine", "country:UA"),
                ("Russie", "country:RU"),
            ],
        ),
        (
            "es",
            "EE. UU., Rusia y Ucrania se reunieron en Abu Dabi.",
            [
                ("EE. UU.", "country:US"),
                ("Rusia", "country:RU"),
                ("Ucrania", "country:UA"),
                ("Abu Dabi", "place:abu-dhabi"),
            ],
        ),
        (
            "it",
            "La coalizione dei volenterosi e gli Stati Uniti con l'Ucraina.",
            [
                ("coalizione dei volenterosi", "org:coalition-of-the-willing"),
                ("Stati Uniti", "country:US"),
                ("Ucraina", "country:UA"),
            ],
        ),
        # international organisations by their names and acronyms in each language
        ("ru", "МАГАТЭ и ОПЕК выступили с заявлением.", [("МАГАТЭ", "org:iaea"), ("ОПЕК", "org:opec")]),
        ("de", "Der IWF und die Weltbank warnten.", [("IWF", "org:imf"), ("Weltbank", "org:world-bank")]),
        ("fr", "L'OSCE et la Ligue arabe ont réagi.", [("OSCE", "org:osce"), ("Ligue arabe", "org:arab-league")]),
    ],
)
def test_gazetteer_links_inflected_names(code, text, expected):
    analysis = analyse(text, code)
    assert [(m.text, m.entity_id) for m in analysis.mentions if m.entity_id] == expected


def test_a_common_word_sharing_a_lemma_with_a_country_is_not_a_mention():
    # "малых" (small) and Мали (Mali); "Россиянин" is not "Россия".
    analysis = analyse("Это касается малых стран. Россиянин приехал.", "ru")
    assert [m.entity_id for m in analysis.mentions] == []


def test_entities_have_cldr_and_curated_names_in_every_language(gaz):
    de = gaz.get("country:DE")
    assert (de.name("de"), de.name("fr"), de.name("es"), de.name("it"), de.name("ru"), de.name("uk")) == (
        "Deutschland",
        "Allemagne",
        "Alemania",
        "Germania",
        "Германия",
        "Німеччина",
    )
    assert gaz.get("country:JP").name_ja == "日本"
    coalition = gaz.get("org:coalition-of-the-willing")
    assert coalition.name("de") == "Koalition der Willigen"
    assert coalition.name("ru") == "коалиция желающих"
    rows = gaz.names()
    assert ("country:UA", "uk", "Україна") in rows
    assert ("person:putin", "ru", "Владимир Путин") in rows
    assert {lang for eid, lang, _ in rows if eid == "country:US"} == {"ja", "en", *NEW}


# --- dates and windows -------------------------------------------------------------------------------

TUESDAY = date(2026, 2, 3)


@pytest.mark.parametrize(
    "code, text, expected",
    [
        (
            "de",
            "Die Gespräche fanden am 4. und 5. Februar 2026 statt.",
            [("4. und 5. Februar 2026", "2026-02-04/2026-02-05")],
        ),
        (
            "de",
            "Runde zwei am 4.–5. Februar, die erste am 23. und 24. Januar.",
            [("4.–5. Februar", "2026-02-04/2026-02-05"), ("23. und 24. Januar", "2026-01-23/2026-01-24")],
        ),
        ("de", "Unterhändler sollen noch in dieser Woche zusammenkommen.", [("noch in dieser Woche", "2026-W06")]),
        ("de", "Die Feuerpause gilt bis zum 1. Februar.", [("1. Februar", "2026-02-01")]),
        (
            "fr",
            "Après les discussions des 23 et 24 janvier, rendez-vous jeudi 5 février.",
            [("23 et 24 janvier", "2026-01-23/2026-01-24"), ("jeudi 5 février", "2026-02-05")],
        ),
        (
            "fr",
            "D'ici 2035, les alliés paieront. L'accord date du 1er janvier 2028.",
            [("2035", "2035"), ("1er janvier 2028", "2028-01-01")],
        ),
        (
            "es",
            "Las conversaciones del 4 al 5 de febrero de 2026.",
            [("4 al 5 de febrero de 2026", "2026-02-04/2026-02-05")],
        ),
        (
            "it",
            "La tregua andrà dalla mezzanotte dell'8 maggio fino alla fine del 10 maggio.",
            [("dell'8 maggio fino alla fine del 10 maggio", "2026-05-08/2026-05-10")],
        ),
        (
            "ru",
            "Переговоры 4–5 февраля в Абу-Даби. Следующая встреча на следующей неделе.",
            [("4–5 февраля", "2026-02-04/2026-02-05"), ("на следующей неделе", "2026-W07")],
        ),
        ("uk", "Переговори 4-5 лютого в Абу-Дабі.", [("4-5 лютого", "2026-02-04/2026-02-05")]),
        # two months named together: the whole stretch, across the year end
        ("uk", "План обговорювали в грудні та січні.", [("грудні та січні", "2025-12/2026-01")]),
        ("it", "Il piano è stato discusso tra dicembre e gennaio.", [("dicembre e gennaio", "2025-12/2026-01")]),
        (
            "fr",
            "Ils en ont discuté en décembre 2025 puis en janvier 2026.",
            [("décembre 2025 puis en janvier 2026", "2025-12/2026-01")],
        ),
        ("de", "Die Truppen bleiben im Mai und Juni.", [("Mai und Juni", "2026-05/2026-06")]),
    ],
)
def test_dates_and_ranges(code, text, expected):
    found = find_times(text, code, anchor=TUESDAY)
    for value in found:
        assert text[value.char_start : value.char_end] == value.text
    assert [(v.text, v.iso) for v in found] == expected


@pytest.mark.parametrize(
    "code, text, iso",
    [
        ("de", "Die Gespräche sind am Donnerstag zu Ende gegangen.", "2026-01-29"),  # told as past: the last one
        ("de", "Die Delegationen werden am Donnerstag verhandeln.", "2026-02-05"),  # future: the next one
        ("fr", "Mercredi, Moscou a rejeté le plan.", "2026-01-28"),
        ("es", "Las partes se reunirán el jueves en Ginebra.", "2026-02-05"),
        ("ru", "В четверг прошел обмен пленными.", "2026-01-29"),
        ("uk", "Зустріч відбудеться в четвер.", "2026-02-05"),
        ("es", "Ambas partes observarán una tregua a partir del jueves.", "2026-02-05"),  # a future form, no word
        ("de", "Am Dienstag berichtete die Zeitung darüber.", "2026-02-03"),  # the publication day itself
        # what the colon introduces is the content, not the tense of the weekday's clause
        (
            "de",
            "Beide Seiten verkündeten am Sonntag eine Einigung: Künftig gilt ein Zoll von 15 Prozent.",
            "2026-02-01",
        ),
    ],
)
def test_weekdays_are_anchored_to_the_publication_date(code, text, iso):
    assert [v.iso for v in find_times(text, code, anchor=TUESDAY)] == [iso]


@pytest.mark.parametrize(
    "code, text, expected",
    [
        ("de", "eine Reaktion binnen 24 Stunden", ("PT24H", "within", None)),
        ("de", "ausgelöst 72 Stunden nach dem ersten Verstoß", ("PT72H", "after", "ersten Verstoß")),
        ("de", "innerhalb von 24 Stunden nach einem russischen Verstoß", ("PT24H", "within", "russischen Verstoß")),
        ("fr", "une riposte dans les 72 heures", ("PT72H", "within", None)),
        ("es", "en un plazo de 72 horas desde la aceptación", ("PT72H", "within", "aceptación")),
        ("it", "entro 72 ore dalla violazione", ("PT72H", "within", "violazione")),
        ("ru", "ответ в течение 72 часов", ("PT72H", "within", None)),
        ("ru", "через 72 часа после первого нарушения", ("PT72H", "after", "первого нарушения")),
        ("uk", "протягом 72 годин", ("PT72H", "within", None)),
        ("uk", "через 72 години", ("PT72H", "after", None)),
    ],
)
def test_windows(code, text, expected):
    [window] = find_windows(text, code)
    assert (window.duration, window.bound, window.anchor) == expected
    assert text[window.char_start : window.char_end] == window.text


# --- end to end --------------------------------------------------------------------------------------

GERMAN_TIERS = (
    "Dreistufiger Plan: Westen will binnen 24 Stunden auf Verstöße reagieren\n\n"
    "Die Ukraine und ihre Partner haben sich nach einem Bericht der Financial Times auf einen dreistufigen Plan "
    "verständigt.\n\n"
    "In der ersten Stufe würden die ukrainischen Streitkräfte binnen 24 Stunden nach einem Verstoß reagieren.\n\n"
    "Halten die Angriffe an, würde in der zweiten Stufe die Koalition der Willigen eingreifen.\n\n"
    "In der dritten Stufe würden die USA 72 Stunden nach dem ersten Verstoß eingreifen.\n"
)


def test_german_report_gives_tier_claims_with_windows():
    from extract.claims.rules import extract_claims

    claims = extract_claims(analyse(GERMAN_TIERS, "de"), TUESDAY)
    tiers = sorted(
        (
            c.tier,
            c.subject.entity_id if c.subject else None,
            c.window.duration if c.window else None,
            c.window.bound if c.window else None,
        )
        for c in claims
        if c.kind == "tier"
    )
    assert tiers == [
        (1, "force:UA", "PT24H", "within"),
        (2, "org:coalition-of-the-willing", None, None),
        (3, "country:US", "PT72H", "after"),
    ]
    assert all(c.analysis == "shallow" for c in claims)


# --- shallow clauses: lists of actors, places, complement clauses, future forms ---------------------


def _clauses(text: str, code: str):
    from extract.claims.clauses import build_clauses

    return build_clauses(analyse(text, code), TUESDAY)


def _agents_of(clauses, predicate: str) -> list[list[str | None]]:
    return [[m.entity_id for m in c.agents] for c in clauses if c.predicate == predicate]


@pytest.mark.parametrize(
    "code, text",
    [
        (
            "de",
            "Unterdessen sollen Unterhändler der Ukraine, Russlands und der USA noch in dieser Woche in Abu Dhabi "
            "zusammenkommen.",
        ),
        ("es", "Los negociadores de Ucrania, Rusia y Estados Unidos se reunirán de nuevo en Abu Dabi el lunes."),
        ("it", "I negoziatori di Ucraina, Russia e Stati Uniti si incontreranno ad Abu Dhabi."),
        ("uk", "Делегації України, Росії та США зустрінуться наступного тижня в Абу-Дабі."),
    ],
)
def test_a_list_of_actors_is_one_clause_with_every_actor(code, text):
    assert _agents_of(_clauses(text, code), "meeting") == [["country:UA", "country:RU", "country:US"]]


def test_a_comma_and_a_join_between_clauses_still_separate_their_agents():
    clauses = _clauses("Russland lehnt den Plan ab, und die Ukraine begrüßt ihn.", "de")
    assert _agents_of(clauses, "reject") == [["country:RU"]]
    assert _agents_of(clauses, "accept") == [["country:UA"]]
    clauses = _clauses("Россия и Украина обменялись пленными, а США приветствовали обмен.", "ru")
    assert _agents_of(clauses, "exchange")[0] == ["country:RU", "country:UA"]
    assert _agents_of(clauses, "accept") == [["country:US"]]


@pytest.mark.parametrize(
    "code, text, predicate",
    [
        ("de", "Russland hat in der Ukraine neue Truppen stationiert.", "deploy_forces"),
        ("de", "Russland werde keine Truppen in der Ukraine stationieren, sagte Peskow.", "deploy_forces"),
        ("es", "Rusia ha desplegado en Ucrania nuevas tropas.", "deploy_forces"),
    ],
)
def test_a_place_after_a_locative_preposition_is_not_the_agent(code, text, predicate):
    assert _agents_of(_clauses(text, code), predicate) == [["country:RU"]]


@pytest.mark.parametrize(
    "code, text",
    [
        ("de", "Der Kreml erklärte, dass er den Plan ablehne."),
        ("ru", "В Кремле заявили, что отвергают план."),
        ("it", "Il Cremlino ha dichiarato che respinge il piano europeo."),
        ("es", "El Kremlin afirmó que rechaza el plan europeo."),
    ],
)
def test_a_complement_clause_without_an_actor_is_its_reporters(code, text):
    assert _agents_of(_clauses(text, code), "reject") == [["country:RU"]]


@pytest.mark.parametrize(
    "code, text, ids",
    [
        ("fr", "Les délégations américaine, ukrainienne et russe se sont réunies jeudi.", {"US", "UA", "RU"}),
        ("es", "Las delegaciones estadounidense, ucraniana y rusa se reunieron el jueves.", {"US", "UA", "RU"}),
        ("it", "I negoziatori americani e russi si sono incontrati ieri.", {"US", "RU"}),
        ("es", "Rusia denunció una violación rusa del alto el fuego.", set()),  # a breach is no actor noun
    ],
)
def test_demonyms_after_their_noun_name_the_country(code, text, ids):
    from extract.claims.clauses import frames
    from extract.lang import load

    frame = next(frames(analyse(text, code), load(code), load_gazetteer(), TUESDAY))
    found = {r.mention.entity_id.split(":")[1] for r in frame.actors if r.mention.source == "demonym"}
    assert found == ids


@pytest.mark.parametrize(
    "code, text, predicate, subject",
    [
        ("de", "Die sudanesische Armee hat am Samstag eine einwöchige Waffenruhe verkündet.", "announce", "SD"),
        ("de", "Die jemenitische Regierung hat den Vorschlag am Montag abgelehnt.", "reject", "YE"),
        ("de", "Die venezolanische Regierung lehnt den Vorschlag ab.", "reject", "VE"),
        ("fr", "L'armée soudanaise a annoncé samedi une trêve d'une semaine.", "announce", "SD"),
        ("fr", "Les autorités nigériennes ont rejeté la proposition de médiation.", "reject", "NE"),
        ("fr", "Le gouvernement éthiopien a rejeté la proposition de paix.", "reject", "ET"),
        ("es", "El ejército sudanés anunció el sábado una tregua de una semana.", "announce", "SD"),
        ("es", "El gobierno venezolano rechazó la propuesta de diálogo.", "reject", "VE"),
        ("it", "L'esercito sudanese ha annunciato sabato una tregua di una settimana.", "announce", "SD"),
        ("it", "Le truppe sudanesi hanno annunciato una tregua di tre giorni.", "announce", "SD"),
        ("it", "Il governo etiope ha respinto la proposta di pace.", "reject", "ET"),
        ("ru", "Суданская армия в субботу объявила о недельном перемирии.", "announce", "SD"),
        ("ru", "Южнокорейское правительство отвергло предложение о переговорах.", "reject", "KR"),
        ("ru", "Северокорейские военные отвергли предложение Сеула.", "reject", "KP"),
        ("uk", "Суданська армія в суботу оголосила тижневе перемир'я.", "announce", "SD"),
        ("uk", "Венесуельський уряд відхилив пропозицію про переговори.", "reject", "VE"),
        ("uk", "Ефіопський уряд відхилив пропозицію щодо перемир'я.", "reject", "ET"),
        # forms of countries already listed that the lemmatizer leaves alone or takes to another word
        ("de", "Die saudische Regierung hat den Angriff verurteilt.", "assess", "SA"),
        ("es", "Las autoridades españolas rechazaron la propuesta.", "reject", "ES"),
        ("it", "I mediatori qatarioti hanno proposto una tregua.", "halt_attacks", "QA"),
        ("uk", "Турецька делегація відхилила пропозицію.", "reject", "TR"),
        # 「韓」 written onto an institution, which GiNZA splits off and the gazetteer does not link
        ("ja", "韓外務省は7日、北朝鮮の対話提案を拒否した。", "reject", "KR"),
        ("ja", "韓政府は米国の追加関税の撤回を求めた。", "demand", "KR"),
    ],
)
def test_a_demonym_of_any_country_names_the_actor_of_its_claim(code, text, predicate, subject):
    from extract.claims.rules import extract_claims

    claims = extract_claims(analyse(text, code), TUESDAY)
    assert (predicate, f"country:{subject}") in {(c.predicate, c.subject and c.subject.entity_id) for c in claims}


@pytest.mark.parametrize(
    "code, text, modality",
    [
        ("es", "La coalición intervendría en un plazo de 72 horas.", "planned"),
        ("es", "La coalición intervino con artillería.", "asserted"),
        ("it", "Le forze ucraine risponderanno entro 24 ore.", "planned"),
        ("uk", "Коаліція надаватиме підтримку Україні.", "planned"),
    ],
)
def test_future_and_conditional_forms_are_planned(code, text, modality):
    clauses = [c for c in _clauses(text, code) if c.predicate != "count"]
    assert clauses and clauses[0].modality == modality


def test_vague_number_words_state_no_quantity():
    from extract.claims.quantities import find_quantities

    assert find_quantities("Several countries and a few allies offered troops.", langdata.load("en")) == []
    assert [q.value for q, _, _ in find_quantities("Three countries offered troops.", langdata.load("en"))] == [3]


def test_a_clause_without_an_actor_takes_the_last_agents_only_when_its_sentence_names_none():
    text = (
        "Die Ukraine und Frankreich haben sich auf einen Plan geeinigt. Sie wollen binnen 72 Stunden eingreifen. "
        "Der Plan sieht eine Reaktion binnen 24 Stunden vor, Russland lehnt ihn ab."
    )
    clauses = _clauses(text, "de")
    assert _agents_of(clauses, "intervene") == [["country:UA", "country:FR"]]
    assert _agents_of(clauses, "respond") == [[]]  # the sentence names Russland, in another clause
    assert _agents_of(clauses, "reject") == [["country:RU"]]


@pytest.mark.parametrize(
    "code, text, modality, past",
    [
        ("ru", "Россия освободила 20 украинцев во вторник.", "asserted", True),  # pymorphy3: past
        ("ru", "Россия освободит 20 украинцев.", "planned", False),  # perfective future
        ("es", "Rusia liberó a 12 ucranianos el martes.", "asserted", True),  # a preterite form
        ("it", "L'Ucraina liberò 15 russi martedì.", "asserted", True),
        ("fr", "La France se retirera du Tchad d'ici la fin de l'année.", "planned", False),  # Tense=Fut
    ],
)
def test_the_tense_of_the_trigger_word_itself(code, text, modality, past):
    clauses = [c for c in _clauses(text, code) if c.predicate in ("release", "withdraw")]
    assert clauses and (clauses[0].modality, clauses[0].past) == (modality, past)


@pytest.mark.parametrize(
    "code, text, predicate",
    [
        ("en", "Canada will withdraw from Mali by the end of the year.", "withdraw"),  # a place, not a troop word
        ("fr", "Le Mali a exigé que la France se retire du pays et de Gao.", "withdraw"),
        ("en", "Belarus freed 14 Lithuanians on Monday.", "release"),  # people named by nationality
        ("de", "Die Ukraine hat am Dienstag 30 Russen freigelassen.", "release"),
        ("en", "Hamas will release 33 in the first phase.", "release"),  # a bare count
    ],
)
def test_objects_required_by_kind_not_by_a_list_of_names(code, text, predicate):
    assert any(c.predicate == predicate for c in _clauses(text, code))
    assert not any(c.predicate == predicate for c in _clauses("Canada will withdraw the bill.", "en"))


def test_a_scale_joined_to_its_currency_by_a_preposition_is_money():
    from extract.claims.quantities import find_quantities

    found = find_quantities("Les pays riches verseront 300 milliards de dollars par an.", langdata.load("fr"))
    assert [(q.value, q.unit) for q, _, _ in found] == [(300e9, "USD")]
    assert find_quantities("D'ici 2035, les pays riches paieront.", langdata.load("fr")) == []


@pytest.mark.parametrize(
    "code, text",
    [
        ("fr", "La France reconnaîtra l'État en septembre."),
        ("de", "Die Wahl findet im September statt."),
        ("es", "La cumbre se celebrará en septiembre."),
        ("it", "Il vertice si terrà a settembre."),
        ("ru", "Саммит пройдет в сентябре."),
        ("uk", "Саміт відбудеться у вересні."),
    ],
)
def test_a_bare_month_after_its_preposition_is_that_month_of_the_report_s_year(code, text):
    assert [t.iso for t in find_times(text, code, anchor=date(2025, 7, 25))] == ["2025-09"]


def test_a_dated_announcement_stays_an_event_beside_the_act_it_announces():
    from extract.claims.rules import extract_claims

    text = "Keir Starmer a annoncé mardi que le Royaume-Uni reconnaîtra l'État de Palestine en septembre."
    claims = extract_claims(analyse(text, "fr"), date(2025, 7, 31))
    assert [c.time.iso for c in claims if c.kind == "event" and c.predicate == "announce"] == ["2025-07-29"]
    assert [c.time.iso for c in claims if c.kind == "pledge"] == ["2025-09"]


def test_dozens_count_and_a_counted_group_of_countries_is_nobody_s_continuation():
    from extract.claims.quantities import find_quantities
    from extract.claims.rules import extract_claims

    found = find_quantities("participaron unas tres docenas de países", langdata.load("es"))
    assert [(q.value, q.unit) for q, _, _ in found] == [(36, "country")]
    text = "Marruecos y Argelia firmaron el acuerdo el lunes. En las gestiones participaron unas dos docenas de países."
    claims = extract_claims(analyse(text, "es"), date(2025, 5, 10))
    assert not [c for c in claims if c.predicate == "participate" and c.subject is not None]


def test_a_stance_told_as_done_on_a_date_is_a_position():
    from extract.claims.rules import extract_claims

    claims = extract_claims(analyse("Україна 11 березня підтримала пропозицію США.", "uk"), date(2025, 3, 12))
    support = [c for c in claims if c.predicate == "support"]
    assert support and support[0].kind == "position" and support[0].time.iso == "2025-03-11"


@pytest.mark.parametrize(
    ("lang", "text", "want"),
    [
        ("en", "Canberra will spend up to A$368 billion ($245 billion) on the programme.", [(368e9, "AUD")]),
        ("ja", "米国は１億ドル（約１４５億円）以上を投じて基地を建設した。", [(1e8, "USD")]),
        ("ja", "総額は最大で3680億豪ドル、日本円でおよそ33兆円に上る。", [(368e9, "AUD")]),
        ("de", "Die EU will Energie für 750 Milliarden Dollar (rund 640 Milliarden Euro) kaufen.", [(750e9, "USD")]),
        ("en", "The fund holds $5 billion and €3 billion in bonds.", [(5e9, "USD"), (3e9, "EUR")]),
    ],
)
def test_an_amount_restated_in_another_currency_is_one_amount(lang, text, want):
    from extract.claims.quantities import find_quantities

    found = [(q.value, q.unit) for q, _, _ in find_quantities(text, langdata.load(lang))]
    assert found == want


@pytest.mark.parametrize(
    ("lang", "text", "want"),
    [
        ("en", "The programme will create 20,000 jobs over the next three decades.", ("P30Y", "for")),
        ("de", "Das Programm soll in den nächsten drei Jahrzehnten laufen.", ("P30Y", "within")),
        ("fr", "Le programme durera pendant deux décennies.", ("P20Y", "for")),
    ],
)
def test_decades_are_windows_of_ten_years_each(lang, text, want):
    windows = find_windows(text, lang)
    assert [(w.duration, w.bound) for w in windows] == [want]


@pytest.mark.parametrize(
    "code, text, predicate",
    [
        ("de", "Die US-Regierung will Einfuhren aus der Europäischen Union mit Zöllen belegen.", "impose_tariff"),
        ("es", "Estados Unidos impondrá a partir de agosto sobre China nuevos aranceles.", "impose_tariff"),
        ("it", "Gli Stati Uniti hanno imposto contro la Cina nuovi dazi.", "impose_tariff"),
        ("ru", "США вводят против Китая новые пошлины.", "impose_tariff"),
        ("uk", "США запроваджують проти Китаю нові мита.", "impose_tariff"),
    ],
)
def test_the_noun_of_a_preposition_that_names_no_doer_is_not_the_agent(code, text, predicate):
    assert _agents_of(_clauses(text, code), predicate)[:1] == [["country:US"]]


@pytest.mark.parametrize(
    "code, text, predicate, agents",
    [
        (
            "de",
            "Die Ukraine hat sich mit ihren westlichen Partnern auf einen Plan verständigt.",
            "agree",
            ["country:UA"],
        ),
        ("es", "Ucrania acordó junto a sus aliados europeos un plan de respuesta.", "agree", ["country:UA"]),
        ("uk", "Київ домовився із західними союзниками про спільний план.", "agree", ["country:UA"]),
        # a symmetric act: who comes along is a joint agent
        ("de", "Selenskyj traf sich am Montag mit Macron in Paris.", "meeting", ["person:zelensky", "person:macron"]),
    ],
)
def test_who_comes_along_is_no_agent_of_its_own(code, text, predicate, agents):
    assert _agents_of(_clauses(text, code), predicate) == [agents]


@pytest.mark.parametrize(
    "code, text",
    [
        ("de", "Kiew meldete am Sonntag zahlreiche Verstöße gegen die Waffenruhe im Osten."),
        ("it", "Mosca denuncia nuove violazioni della tregua da parte ucraina."),
        ("uk", "Україна заявила про порушення перемир'я на фронті."),
        ("en", "Ukraine reported dozens of violations of the ceasefire on Sunday."),
        ("fr", "Kiev a dénoncé des violations de la trêve dans l'est du pays."),
    ],
)
def test_a_breached_truce_is_nobody_s_pledge(code, text):
    clauses = _clauses(text, code)
    assert not [c for c in clauses if c.predicate == "halt_attacks"]
    # the same truce agreed is one
    agreed = {
        "de": "Russland sagte eine Waffenruhe zu.",
        "it": "La Russia ha promesso una tregua.",
        "uk": "Росія пообіцяла перемир'я.",
        "en": "Russia agreed to a ceasefire.",
        "fr": "La Russie a promis une trêve.",
    }[code]
    assert [c for c in _clauses(agreed, code) if c.predicate == "halt_attacks"]


UKRAINIAN_TIERS = (
    "План реагування на порушення перемир'я\n\n"
    "Європа і США відповідатимуть скоординовано на серйозні порушення, пише газета.\n\n"
    "На першому етапі відповідь має надійти протягом 24 годин. Спершу буде дипломатичне попередження, а також "
    "дії української армії.\n\n"
    "На другому етапі до відповіді долучаться сили коаліції охочих.\n\n"
    "На третьому етапі американські війська втрутяться протягом 72 годин.\n"
)


def test_a_step_that_names_its_own_actor_is_not_the_last_sentence_s_agents():
    from extract.claims.rules import extract_claims

    claims = extract_claims(analyse(UKRAINIAN_TIERS, "uk"), TUESDAY)
    first = [(c.subject.entity_id, c.window.duration if c.window else None) for c in claims if c.tier == 1]
    assert first == [("force:UA", "PT24H")]


@pytest.mark.parametrize(
    "code, text, predicate",
    [
        ("it", "Una delegazione partirà verso Mosca la prossima settimana.", "pay"),
        ("es", "Bajo el acuerdo, ambos países mantendrán sus aranceles actuales.", "cut"),
    ],
)
def test_a_function_word_is_no_trigger_however_the_lemma_table_reads_it(code, text, predicate):
    assert not [c for c in _clauses(text, code) if c.predicate == predicate]


@pytest.mark.parametrize(
    "code, text",
    [
        ("it", "Il piano serve a costringere la Russia a rispettare un eventuale cessate il fuoco."),
        ("de", "Der Plan soll Russland zur Einhaltung einer künftigen Waffenruhe zwingen."),
        ("ru", "План должен заставить Россию соблюдать режим возможного перемирия."),
    ],
)
def test_a_truce_yet_to_be_is_nobody_s_pledge(code, text):
    assert not [c for c in _clauses(text, code) if c.predicate == "halt_attacks"]


ITALIAN_TIERS = (
    "Il piano in tre fasi per la tregua\n\n"
    "Nella prima fase, entro 24 ore dalla violazione partirebbe verso Mosca un avvertimento diplomatico.\n\n"
    "Nella seconda fase interverrebbe la coalizione dei volenterosi.\n\n"
    "Nella terza fase, entro 72 ore, interverrebbero le forze americane.\n"
)


def test_a_step_whose_actor_is_unstated_is_nobody_s_and_not_where_it_is_aimed():
    from extract.claims.rules import extract_claims

    claims = extract_claims(analyse(ITALIAN_TIERS, "it"), TUESDAY)
    first = [(c.subject, c.window.duration if c.window else None) for c in claims if c.tier == 1]
    assert first == [(None, "PT24H")]
    assert {c.tier for c in claims if c.kind == "tier"} == {1, 2, 3}


@pytest.mark.parametrize(
    "text",
    [
        "Mardi, lors de leur réunion à Genève, les délégations américaine, ukrainienne et russe ont trouvé un accord.",
        "Les pourparlers trilatéraux entre diplomates ukrainiens, américains et russes ont repris lundi à Istanbul.",
    ],
)
def test_a_meeting_is_of_the_whole_list_of_demonyms_however_the_parser_splits_it(text):
    met = [c for c in _clauses(text, "fr") if c.predicate in ("meeting", "talk")]
    assert met and {m.entity_id for m in met[0].agents} == {"country:US", "country:UA", "country:RU"}


@pytest.mark.parametrize(
    "code, text, speaker",
    [
        ("es", "El presidente Zelenski aseguró que el acuerdo con Washington está «prácticamente listo».", "zelensky"),
        ("ru", "Песков назвал итоги визита «весьма конструктивными и полезными».", "peskov"),
        ("fr", "Emmanuel Macron a jugé ces garanties « solides et crédibles » pour l'Ukraine.", "macron"),
    ],
)
def test_a_speaker_s_quoted_words_are_the_speaker_s_assessment(code, text, speaker):
    from extract.claims.rules import extract_claims

    said = [c for c in extract_claims(analyse(text, code), TUESDAY) if c.predicate == "assess"]
    assert said and said[0].kind == "position" and said[0].subject.entity_id == f"person:{speaker}"


@pytest.mark.parametrize(
    "code, text, iso",
    [
        (
            "fr",
            "Lors de la première session, le 12 janvier à Genève, il a surtout été question des prisonniers.",
            "2026-01-12",
        ),
        ("en", "At the first session, on January 12 in Geneva, the prisoners were the main topic.", "2026-01-12"),
    ],
)
def test_a_date_set_off_with_its_venue_dates_the_meeting_that_opens_the_sentence(code, text, iso):
    met = [c for c in _clauses(text, code) if c.predicate == "meeting"]
    assert met and met[0].time is not None and met[0].time.iso == iso


def test_a_first_step_told_with_first_opens_the_ladder():
    from extract.claims.rules import extract_claims

    text = (
        "План гарантий\n\n"
        "Ответ последует в течение 24 часов: сначала дипломатическое предупреждение, затем действия ВСУ. "
        "Если бои не прекратятся, начнётся вторая фаза с вмешательством коалиции желающих.\n"
    )
    claims = extract_claims(analyse(text, "ru"), TUESDAY)
    first = [c for c in claims if c.tier == 1]
    assert first and first[0].window is not None and first[0].window.duration == "PT24H"
    assert any(c.tier == 2 for c in claims)


@pytest.mark.parametrize(
    "code, text, predicate, name",
    [
        (
            "de",
            "Die Allied Democratic Forces (ADF) haben sich am Samstag auf eine Waffenruhe geeinigt.",
            "agree",
            "allied democratic forces (adf)",
        ),
        (
            "es",
            "Las Fuerzas Democráticas Aliadas (FDA) firmaron el sábado una tregua.",
            "sign",
            "fuerzas democráticas aliadas (fda)",
        ),
        (
            "it",
            "Le Forze Democratiche Alleate (FDA) hanno firmato sabato una tregua.",
            "sign",
            "forze democratiche alleate (fda)",
        ),
    ],
)
def test_a_name_its_bracketed_acronym_spells_out_is_an_actor_without_ner(code, text, predicate, name):
    from extract.claims.rules import extract_claims

    claims = [c for c in extract_claims(analyse(text, code), TUESDAY) if c.predicate == predicate]
    assert claims and claims[0].subject.text.lower() == name


def test_german_relief_goods_are_what_is_sent():
    from extract.claims.rules import extract_claims

    text = "Die Vereinten Nationen wollen bis Ende des Monats 200 Lastwagen mit Hilfsgütern nach Darfur schicken."
    sent = [c for c in extract_claims(analyse(text, "de"), TUESDAY) if c.predicate == "send"]
    assert sent and sent[0].subject.entity_id == "org:un" and sent[0].window.bound == "within"


@pytest.mark.parametrize(
    "code, text",
    [
        ("it", "La Turchia, che sostiene il governo di Tripoli, ha accolto con favore l'accordo."),
        ("es", "Turquía, que apoya al Gobierno de Trípoli, acogió el acuerdo."),
        ("ru", "Турция, которая поддерживает правительство в Триполи, приветствовала соглашение."),
    ],
)
def test_a_relative_clause_between_subject_and_verb_does_not_hide_the_subject(code, text):
    from extract.claims.rules import extract_claims

    accepted = [c for c in extract_claims(analyse(text, code), TUESDAY) if c.predicate == "accept"]
    assert [c.subject.entity_id for c in accepted] == ["country:TR"]


def test_an_empty_stretch_between_commas_is_no_relative_clause():
    from extract.claims.rules import extract_claims

    claims = extract_claims(analyse("La Turchia, , ha accolto l'accordo; Ankara, , lo ha firmato.", "it"), TUESDAY)
    assert all(c.subject is None or c.subject.entity_id != "country:TR" for c in claims if c.predicate == "accept")


def test_a_quoted_japanese_name_with_its_acronym_is_an_actor_and_so_is_its_later_acronym():
    from extract.claims.rules import extract_claims

    # the RSF is known (its full-width acronym too, as Japanese press writes it)
    text = "準軍事組織「即応支援部隊（ＲＳＦ）」は２０日、停戦に入ることで合意した。ＲＳＦは２１日、首都を攻撃した。"
    claims = extract_claims(analyse(text, "ja"), TUESDAY)
    by = {c.predicate: c.subject.entity_id or c.subject.text for c in claims if c.subject}
    assert by.get("agree") == by.get("attack") == "org:rsf"


def test_german_strong_preterites_of_separable_verbs_tell_a_dated_act():
    from extract.claims.rules import extract_claims

    claims = extract_claims(analyse("Russland griff am Sonntag Kiew mit Drohnen an.", "de"), TUESDAY)
    attacks = [c for c in claims if c.predicate == "attack"]
    assert attacks and attacks[0].kind == "event" and attacks[0].subject.entity_id == "country:RU"
    text = "Mali zog am Freitag seine Truppen aus Gao ab."
    withdrawn = [c for c in extract_claims(analyse(text, "de"), TUESDAY) if c.predicate == "withdraw"]
    assert withdrawn and withdrawn[0].kind == "event" and withdrawn[0].subject.entity_id == "country:ML"


@pytest.mark.parametrize(
    "code, text, actor",
    [
        ("es", "Níger rechazó el plan. La junta denunció en marzo el acuerdo militar con EE. UU.", "country:NE"),
        ("ru", "Мали отвергла план. В марте хунта денонсировала соглашение с Францией.", "country:ML"),
    ],
)
def test_a_bare_state_noun_in_the_shallow_path_is_the_story_s_state(code, text, actor):
    from extract.claims.rules import extract_claims

    cut = [c for c in extract_claims(analyse(text, code), TUESDAY) if c.predicate == "reduce_relations"]
    assert [c.subject.entity_id for c in cut] == [actor]


def test_french_se_mettre_d_accord_is_an_agreement():
    from extract.claims.rules import extract_claims

    text = "Le Niger et les États-Unis se sont mis d'accord dimanche sur le retrait des soldats américains."
    agreed = [c for c in extract_claims(analyse(text, "fr"), TUESDAY) if c.predicate == "agree"]
    assert agreed and {p.entity_id for p in agreed[0].participants} == {"country:NE", "country:US"}


@pytest.mark.parametrize(
    ("code", "text", "name"),
    [
        (
            "es",
            "El Gobierno de Colombia y el Ejército de Liberación Nacional firmaron el lunes un alto el fuego.",
            "Ejército de Liberación Nacional",
        ),
        (
            "it",
            "Il governo del Mali e il Fronte di Liberazione dell'Azawad hanno firmato lunedì un accordo.",
            "Fronte di Liberazione dell'Azawad",
        ),
        ("fr", "Le gouvernement éthiopien et le TPLF ont signé lundi un accord de paix.", "TPLF"),
        (
            "de",
            "Die kongolesische Regierung und die ADF-Miliz unterzeichneten am Montag ein Abkommen.",
            "ADF-Miliz",
        ),
        ("ru", "Правительство Эфиопии и НФОТ подписали в понедельник мирное соглашение.", "НФОТ"),
    ],
)
def test_a_name_no_gazetteer_knows_joined_to_an_actor_is_an_actor_too(code, text, name):
    signed = [c for c in _clauses(text, code) if c.predicate == "sign"]
    assert signed and name in [m.text for m in signed[0].agents]
    assert len(signed[0].agents) == 2


def test_a_capital_inside_a_known_name_is_no_trigger_and_a_lone_capital_word_no_actor():
    clauses = _clauses("Las Fuerzas de Apoyo Rápido y Sudán firmaron el lunes una tregua.", "es")
    assert "support" not in [c.predicate for c in clauses]
    assert not any(m.text == "Lunes" for c in clauses for m in c.agents)


@pytest.mark.parametrize(
    ("code", "text"),
    [
        ("de", "Die Kämpfer der Miliz sollen sich binnen zwei Wochen aus der Stadt zurückziehen."),
        ("es", "Los combatientes de la milicia deberán retirarse de la ciudad en dos semanas."),
        ("it", "I combattenti della milizia dovranno ritirarsi dalla città entro due settimane."),
        ("en", "The militia's fighters are to withdraw from the city within two weeks."),
    ],
)
def test_fighters_pulling_out_is_a_withdrawal(code, text):
    assert "withdraw" in [c.predicate for c in _clauses(text, code)]


def test_keeping_a_truce_is_the_halt_itself():
    from extract.claims.rules import extract_claims

    text = "L'Arménie et l'Azerbaïdjan ont signé lundi un accord. Les deux pays respecteront le cessez-le-feu."
    pledges = [c for c in extract_claims(analyse(text, "fr"), TUESDAY) if c.kind == "pledge"]
    assert [c.predicate for c in pledges] == ["halt_attacks"]
    assert sorted(p.entity_id for p in pledges[0].participants) == ["country:AM", "country:AZ"]


@pytest.mark.parametrize(
    ("code", "text"),
    [
        ("en", "The UN envoy for Libya, Hanna Tetteh, visited Benghazi on Monday."),
        ("fr", "L'envoyée de l'ONU pour la Libye, Hanna Tetteh, a annoncé lundi la reprise des pourparlers."),
        ("es", "La enviada especial de la ONU para Libia anunció el lunes la reanudación de las conversaciones."),
        ("de", "Die UN-Sondergesandte für Libyen kündigte am Montag neue Gespräche an."),
        ("ru", "Спецпосланник ООН по Ливии в понедельник объявил о возобновлении переговоров."),
        ("ja", "国連のリビア担当特使は２日、協議を再開すると発表した。"),
    ],
)
def test_the_state_an_office_is_about_is_not_its_actor(code, text):
    from extract.claims.rules import extract_claims

    claims = extract_claims(analyse(text, code), TUESDAY)
    actors = {a.entity_id for c in claims for a in (c.participants or (c.subject,)) if a is not None}
    assert "org:un" in actors and "country:LY" not in actors


@pytest.mark.parametrize(
    ("code", "text"),
    [
        ("en", "The U.N. Security Council adopted a resolution on Sudan on Monday."),
        ("ja", "国連安保理は２日、スーダンに関する決議を採択した。"),
        ("de", "Der Weltsicherheitsrat verabschiedete am Montag eine Resolution zum Sudan."),
        ("ru", "Совбез ООН в понедельник принял резолюцию по Судану."),
    ],
)
def test_the_security_council_is_an_actor_of_its_own_that_acts_for_the_un(code, text):
    from extract.claims.plover import code_claim
    from extract.claims.rules import extract_claims

    claims = [c for c in extract_claims(analyse(text, code), TUESDAY) if c.predicate == "approve"]
    assert [c.subject.entity_id for c in claims] == ["org:unsc"]
    assert load_gazetteer().get("org:unsc").parent == "org:un"
    assert code_claim(claims[0], code).actor == "UNO"


@pytest.mark.parametrize(
    ("code", "text", "entity"),
    [
        ("de", "Die Huthi-Miliz feuerte am Dienstag zwei Raketen ab.", "org:houthis"),
        ("es", "Las Fuerzas de Apoyo Rápido tomaron la ciudad.", "org:rsf"),
        ("ru", "Хуситы в среду атаковали судно.", "org:houthis"),
        ("it", "Il PKK ha annunciato il proprio scioglimento.", "org:pkk"),
        ("fr", "Le M23 a pris le contrôle de Goma.", "org:m23"),
    ],
)
def test_armed_groups_of_many_stories_are_known_in_every_language(code, text, entity):
    assert entity in [m.entity_id for m in analyse(text, code).mentions]


def test_a_shallow_step_naming_nobody_is_the_act_of_the_parties_that_agreed_together():
    from extract.claims.rules import extract_claims

    text = (
        "Kongo und M23 einigen sich auf Stufenplan\n\n"
        "Die kongolesische Regierung und die M23 haben sich am Sonntag in Doha auf einen Stufenplan geeinigt.\n\n"
        "In der ersten Phase sollen die Waffen zwei Wochen lang ruhen.\n\n"
        "In einer zweiten Phase sollen sich die Kämpfer binnen 60 Tagen aus Goma zurückziehen."
    )
    steps = {c.tier: c for c in extract_claims(analyse(text, "de"), TUESDAY) if c.kind == "tier"}
    assert sorted(steps) == [1, 2]
    for step in steps.values():
        assert sorted(p.entity_id for p in step.participants) == ["country:CD", "org:m23"]
    assert steps[2].predicate == "withdraw" and steps[2].window.duration == "P60D"
