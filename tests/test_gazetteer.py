"""Entity linking: CLDR country names in Japanese and English plus curated actors resolve to one id."""

from __future__ import annotations

import pytest

from extract.nlp.gazetteer import load_gazetteer


@pytest.fixture(scope="module")
def gaz():
    return load_gazetteer()


def ids(gaz, text: str, lang: str) -> list[tuple[str, str]]:
    return [(m.text, m.entity_id) for m in gaz.find(text, lang)]


def test_us_aliases_in_both_languages_are_one_entity(gaz):
    ja = ids(gaz, "米国とアメリカ、アメリカ合衆国の立場", "ja")
    en = ids(gaz, "The US, the U.S., America and the United States agree.", "en")
    assert {e for _, e in ja} == {e for _, e in en} == {"country:US"}
    assert [t for t, _ in ja] == ["米国", "アメリカ", "アメリカ合衆国"]


def test_forces_are_distinct_from_their_country(gaz):
    assert ids(gaz, "米軍とウクライナ軍、ウクライナ", "ja") == [
        ("米軍", "force:US"),
        ("ウクライナ軍", "force:UA"),
        ("ウクライナ", "country:UA"),
    ]
    assert ids(gaz, "US forces and Ukrainian forces", "en") == [
        ("US forces", "force:US"),
        ("Ukrainian forces", "force:UA"),
    ]
    # Any CLDR country gets a Japanese "<国名>軍" force linked to its country.
    assert ids(gaz, "クロアチア軍", "ja") == [("クロアチア軍", "force:HR")]
    assert gaz.get("force:HR").parent == "country:HR"


def test_cldr_names_cover_countries_beyond_the_curated_list(gaz):
    assert ids(gaz, "チェコ、ノルウェー、アイスランド、トルコ", "ja") == [
        ("チェコ", "country:CZ"),
        ("ノルウェー", "country:NO"),
        ("アイスランド", "country:IS"),
        ("トルコ", "country:TR"),
    ]
    assert [e for _, e in ids(gaz, "Czechia, the Czech Republic, Türkiye and Turkey", "en")] == [
        "country:CZ",
        "country:CZ",
        "country:TR",
        "country:TR",
    ]
    assert gaz.get("country:JP").name_ja == "日本"


def test_matches_respect_word_and_katakana_boundaries(gaz):
    # "US" inside a word, "EU" inside "EUR", "ロシア" inside a longer katakana word are not mentions.
    assert ids(gaz, "The BUS fare in EUR rose for USB users.", "en") == []
    assert ids(gaz, "ロシアンルーレット", "ja") == []
    # Japanese particles right after a Latin alias are a boundary.
    assert ids(gaz, "UAEは仲介した。EU加盟国とNATO加盟国", "ja") == [
        ("UAE", "country:AE"),
        ("EU", "org:eu"),
        ("NATO", "org:nato"),
    ]


def test_english_names_inside_japanese_text_link(gaz):
    assert ("Coalition of the Willing", "org:coalition-of-the-willing") in ids(
        gaz, "有志連合(Coalition of the Willing)", "ja"
    )


def test_leaders_link_with_titles_and_have_a_country(gaz):
    assert ids(gaz, "ゼレンスキー大統領とトランプ氏", "ja") == [
        ("ゼレンスキー大統領", "person:zelensky"),
        ("トランプ氏", "person:trump"),
    ]
    assert gaz.get("person:zelensky").parent == "country:UA"


def test_unknown_language_is_an_error(gaz):
    with pytest.raises(ValueError, match="pl"):
        gaz.find("Niemcy", "pl")


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "OPEC+ agreed to extend cuts, OPEC said."),
        ("ja", "OPECプラスは減産延長を決め、石油輸出国機構も歓迎した。"),
        ("ru", "ОПЕК+ продлила сокращение добычи, сообщила ОПЕК."),
    ],
)
def test_opec_plus_is_a_party_of_its_own_beside_opec(gaz, lang, text):
    assert [e for _, e in ids(gaz, text, lang)] == ["org:opec-plus", "org:opec"]


@pytest.mark.parametrize(
    ("lang", "text", "place"),
    [
        ("de", "Rom und Pjöngjang", ["place:rome", "place:pyongyang"]),
        ("es", "Jartum y Riad", ["place:khartoum", "place:riyadh"]),
        ("it", "Roma", ["place:rome"]),
        ("ru", "Хартум и Пхеньян", ["place:khartoum", "place:pyongyang"]),
    ],
)
def test_capitals_have_their_cldr_city_names_in_every_language(gaz, lang, text, place):
    assert [e for _, e in ids(gaz, text, lang)] == place
    assert all(gaz.get(e).metonym for e in place)  # "Rom lehnte ab": the capital stands for its state
