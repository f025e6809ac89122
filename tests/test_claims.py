"""Claim extraction on real text: the Japanese seed article, and English/Japanese reports of the same facts."""

from __future__ import annotations

import pytest

from extract.claims.keys import family_of
from extract.model import Claim


def find(claims: list[Claim], **want) -> list[Claim]:
    """Claims whose attributes match ``want``; dotted names reach into nested values (subject_id, ...)."""

    def value(c: Claim, key: str):
        if key == "subject_id":
            return c.subject.entity_id if c.subject else None
        if key == "object_id":
            return c.object.entity_id if c.object else None
        if key == "location_id":
            return c.location.entity_id if c.location else None
        if key == "time_iso":
            return c.time.iso if c.time else None
        if key == "window":
            return c.window.duration if c.window else None
        return getattr(c, key)

    return [c for c in claims if all(value(c, k) == v for k, v in want.items())]


def tiers(claims: list[Claim]) -> dict[int, Claim]:
    """The acting claim of each tier (the first one; the members named for a group come after it)."""
    found: dict[int, Claim] = {}
    for c in claims:
        if c.kind == "tier":
            found.setdefault(c.tier, c)
    assert sorted(found) == [1, 2, 3], f"expected tiers 1-3, got {sorted(found)}"
    return found


# --- the Japanese seed ------------------------------------------------------------------------------


def test_seed_has_three_tiers_with_actors_windows_and_conditions(seed_extraction):
    t = tiers(seed_extraction.claims)
    assert (t[1].subject.entity_id, t[1].predicate, t[1].window.duration) == ("force:UA", "respond", "PT24H")
    assert t[1].condition == "停戦違反が発生した場合"
    assert (t[2].subject.entity_id, t[2].predicate, t[2].window) == (
        "org:coalition-of-the-willing",
        "deploy_forces",
        None,
    )
    assert t[2].condition == "敵対行為が継続する場合"
    assert (t[3].subject.entity_id, t[3].predicate, t[3].window.duration) == ("force:US", "intervene", "PT72H")
    assert t[3].window.anchor == "最初の違反"
    assert "ロシアの攻撃" in t[3].condition


def test_seed_tier_evidence_points_into_the_document(seed_extraction):
    text = seed_extraction.document.text
    for claim in tiers(seed_extraction.claims).values():
        ev = claim.evidence
        sentence = seed_extraction.sentences[ev.sentence_idx]
        assert text[sentence.start : sentence.end] == sentence.text == ev.sentence
        assert sentence.start <= ev.start < ev.end <= sentence.end
        # The evidence is the step's action, in the section under its "第N段階" heading.
        heading = max(
            (s for s in seed_extraction.sentences if s.is_heading and s.idx < sentence.idx),
            key=lambda s: s.idx,
        )
        assert f"第{claim.tier}段階" in heading.text


def test_seed_abu_dhabi_talks_are_dated_ranges(seed_extraction):
    talks = find(seed_extraction.claims, kind="event", predicate="meeting", location_id="place:abu-dhabi")
    assert {c.time.iso for c in talks} == {"2026-02-04/2026-02-05", "2026-01-23/2026-01-24"}
    round2 = find(talks, time_iso="2026-02-04/2026-02-05")[0]
    assert {p.entity_id for p in round2.participants} == {"country:US", "country:RU", "country:UA"}
    assert round2.time.text == "2026年2月4日から5日"


def test_seed_paris_declaration_is_an_event_on_jan_6(seed_extraction):
    signed = find(seed_extraction.claims, kind="event", predicate="sign", time_iso="2026-01-06")
    assert [c.location.entity_id for c in signed] == ["place:paris"]
    people = {p.entity_id for p in signed[0].participants}
    assert {"person:macron", "person:starmer", "person:zelensky"} <= people


def test_seed_croatia_and_czechia_will_not_send_troops(seed_extraction):
    refusals = find(seed_extraction.claims, kind="position", predicate="deploy_forces", polarity="negative")
    assert {"country:HR", "country:CZ"} <= {c.subject.entity_id for c in refusals}
    croatia = find(refusals, subject_id="country:HR")[0]
    assert croatia.evidence.sentence.startswith("クロアチア・チェコ")


def test_seed_russia_rejects_guarantees_and_peacekeepers(seed_extraction):
    rejections = find(seed_extraction.claims, kind="position", predicate="reject", subject_id="country:RU")
    assert {c.object.entity_id for c in rejections} >= {"topic:security-guarantees", "topic:peacekeepers"}
    putin = find(seed_extraction.claims, kind="position", predicate="accept", subject_id="person:putin")
    assert putin and putin[0].polarity == "negative" and putin[0].object.entity_id == "org:nato"


def test_seed_pledges_keep_modality_quantity_and_date(seed_extraction):
    estonia = find(seed_extraction.claims, kind="pledge", subject_id="country:EE", predicate="deploy_forces")[0]
    assert estonia.modality == "offered"
    assert (estonia.quantity.value, estonia.quantity.upper, estonia.quantity.unit) == (50, 250, "person")
    assert estonia.time.iso == "2025-04-30"
    germany = find(seed_extraction.claims, kind="pledge", subject_id="country:DE")[0]
    assert (germany.predicate, germany.modality) == ("participate", "possible")
    assert germany.object.entity_id == "topic:ceasefire-monitoring"
    france_uk = find(seed_extraction.claims, kind="pledge", predicate="deploy_forces", modality="intended")
    assert {c.subject.entity_id for c in france_uk} == {"country:FR", "country:GB"}


def test_seed_quantities(seed_extraction):
    coalition = find(seed_extraction.claims, kind="quantity", subject_id="org:coalition-of-the-willing")
    assert [(c.quantity.value, c.quantity.unit) for c in coalition] == [(34, "country")]
    uae = find(seed_extraction.claims, kind="quantity", subject_id="country:AE")
    assert sorted((c.quantity.value, c.quantity.unit) for c in uae) == [(17, "occurrence"), (4641, "person")]


def test_seed_agreement_to_halt_strikes_is_a_one_week_commitment(seed_extraction):
    halt = find(seed_extraction.claims, predicate="halt_attacks", subject_id="person:putin")[0]
    assert (halt.kind, halt.modality, halt.window.duration) == ("pledge", "agreed", "P1W")


def test_every_claim_is_versioned_and_scored(seed_extraction):
    from extract.version import EXTRACTOR_VERSION

    assert seed_extraction.claims
    for c in seed_extraction.claims:
        assert c.extractor == EXTRACTOR_VERSION
        assert 0 < c.confidence <= 1
        assert c.kind in {"pledge", "tier", "event", "position", "quantity"}


# --- the same facts in English, and in another Japanese report ---------------------------------------


def test_english_report_has_the_same_tiers(en_extraction):
    t = tiers(en_extraction.claims)
    assert (t[1].subject.entity_id, t[1].window.duration) == ("force:UA", "PT24H")
    assert t[1].condition == "if the ceasefire is violated"
    assert t[2].subject.entity_id == "org:coalition-of-the-willing"
    assert t[2].condition == "If hostilities continue"
    assert (t[3].subject.entity_id, t[3].window.duration, t[3].window.anchor) == (
        "force:US",
        "PT72H",
        "the first violation",
    )


def test_english_report_events_positions_quantities(en_extraction):
    claims = en_extraction.claims
    talks = find(claims, kind="event", predicate="meeting", location_id="place:abu-dhabi")
    assert {c.time.iso for c in talks} == {"2026-02-04/2026-02-05", "2026-01-23/2026-01-24"}
    refusals = find(claims, kind="position", predicate="deploy_forces", polarity="negative")
    # Croatia and the Czech Republic, and Trump ruling out sending US troops.
    assert {c.subject.entity_id for c in refusals} == {"country:HR", "country:CZ", "person:trump"}
    rejections = find(claims, kind="position", predicate="reject", subject_id="country:RU")
    assert {c.object.entity_id for c in rejections} == {"topic:security-guarantees", "topic:peacekeepers"}
    coalition = find(claims, kind="quantity", subject_id="org:coalition-of-the-willing")
    assert [(c.quantity.value, c.quantity.unit) for c in coalition] == [(34, "country")]
    offer = find(claims, kind="pledge", predicate="deploy_forces", modality="offered")[0]
    assert (offer.quantity.value, offer.quantity.upper, offer.time.iso) == (50, 250, "2025-04-30")


def _comparable(claims: list[Claim]) -> set[tuple]:
    """Language-independent view of the claims analysts compare across reports."""
    view = set()
    for c in claims:
        if c.kind == "tier":
            view.add(("tier", c.tier, c.subject.entity_id, c.predicate, c.window.duration if c.window else None))
        elif c.kind == "position" and c.polarity == "negative" and c.predicate == "deploy_forces":
            view.add(("refuses troops", c.subject.entity_id))
        elif c.kind == "event" and c.location and c.time and c.time.iso.startswith("2026-02-04"):
            view.add(("talks", c.location.entity_id, c.time.iso))
        elif c.kind == "quantity" and c.subject:
            view.add(("count", c.subject.entity_id, c.quantity.value, c.quantity.unit))
    return view


@pytest.mark.parametrize("other", ["en_extraction", "ja_sample_extraction"])
def test_reports_in_two_languages_compare(seed_extraction, other, request):
    expected = {
        ("tier", 1, "force:UA", "respond", "PT24H"),
        ("tier", 2, "org:coalition-of-the-willing", "deploy_forces", None),
        ("tier", 3, "force:US", "intervene", "PT72H"),
        ("refuses troops", "country:HR"),
        ("refuses troops", "country:CZ"),
        ("talks", "place:abu-dhabi", "2026-02-04/2026-02-05"),
        ("count", "org:coalition-of-the-willing", 34, "country"),
    }
    assert expected <= _comparable(seed_extraction.claims)
    assert expected <= _comparable(request.getfixturevalue(other).claims)


# --- rules that hold beyond the seed's story (new text in the phrasing of wire reports) ---------------


def _claims_of(text: str, lang: str, published):
    from extract.claims.rules import extract_claims
    from extract.nlp.analyse import analyse

    return extract_claims(analyse(text, lang), published)


def test_a_dateline_names_no_actor_and_no_comment_lines_state_nothing():
    from datetime import date

    text = (
        "NAIROBI, March 3 (Reuters) - Sudan's army and the Rapid Support Forces (RSF) signed a truce in Jeddah "
        "on Monday.\n\n"
        "Kenya's foreign ministry did not immediately respond to a request for comment."
    )
    claims = _claims_of(text, "en", date(2026, 3, 3))
    signed = find(claims, kind="event", predicate="sign")
    assert signed and {p.entity_id or p.text for p in signed[0].participants} == {
        "country:SD",
        "org:rsf",
    }
    assert not any(c.subject and c.subject.entity_id == "country:KE" for c in claims)  # the no-comment line
    assert not any(c.subject and c.subject.entity_id == "place:nairobi" for c in claims)


def test_a_baseline_year_is_no_time_of_the_pledge():
    from datetime import date

    text = "Canada will cut greenhouse gas emissions by 45% below 2005 levels by 2035, the government said."
    cut = [c for c in _claims_of(text, "en", date(2026, 5, 4)) if c.kind == "pledge"]
    assert cut and cut[0].time.iso == "2035"
    assert cut[0].quantity.value == 45


def test_cut_by_a_share_to_a_level_keeps_the_level():
    from datetime import date

    text = "Under the deal, Iran will reduce its stockpile by 90%, to no more than 200 kg, for ten years."
    pledge = find(_claims_of(text, "en", date(2026, 5, 4)), kind="pledge", subject_id="country:IR")
    assert pledge and (pledge[0].quantity.value, pledge[0].window.duration) == (200, "P10Y")


def test_a_plan_told_in_stages_gives_numbered_tiers():
    from datetime import date

    text = (
        "The defence ministers of Japan and the Philippines agreed on a phased plan on Tuesday.\n\n"
        "First, Japan will send coast guard trainers to Manila this year.\n\n"
        "From 2028, the Philippines will buy five Japanese patrol vessels.\n\n"
        "In the final stage, both countries will open a joint maintenance base in Luzon."
    )
    claims = _claims_of(text, "en", date(2026, 6, 2))
    steps = {c.tier: c.subject.entity_id for c in claims if c.kind == "tier" and c.subject}
    assert steps.get(1) == "country:JP" and steps.get(2) == "country:PH" and 3 in steps


def test_quoted_words_are_the_speakers_assessment():
    from datetime import date

    text = 'Chancellor Friedrich Merz called the agreement "a turning point for European security".'
    positions = [c for c in _claims_of(text, "en", date(2026, 6, 2)) if c.kind == "position"]
    assert [c.predicate for c in positions] == ["assess"]
    labels = _claims_of("「個人的な要請」を受け入れたと述べた。", "ja", date(2026, 6, 2))
    assert not find(labels, predicate="assess")  # a quoted label is not a statement


def test_the_government_is_the_story_country():
    from datetime import date

    text = (
        "Colombia's government and the rebels agreed to a ceasefire on Friday.\n\n"
        "The government will release 20 prisoners within a week."
    )
    release = find(_claims_of(text, "en", date(2026, 6, 5)), kind="pledge", predicate="release")
    assert release and release[0].subject.entity_id == "country:CO"


def test_he_is_the_last_person_named_not_the_last_countries():
    from datetime import date

    text = (
        "Prime Minister Mark Carney met the leaders of Norway and Denmark in Oslo on Monday.\n\n"
        "He said he would not hesitate to order more patrols in the Arctic."
    )
    claims = _claims_of(text, "en", date(2026, 3, 3))
    order = [c for c in claims if c.kind == "pledge" and c.predicate.endswith("order")]
    assert order and order[0].subject.text.endswith("Carney") and order[0].polarity == "positive"
    assert not [c for c in claims if c.predicate.endswith("hesitate")]  # the reluctance is no act of its own


def test_a_date_set_off_after_the_topic_dates_the_reported_agreement():
    from datetime import date

    text = "インドとパキスタンは１２日、２０１９年から停止している国境貿易を再開することで合意したと発表した。"
    agree = find(_claims_of(text, "ja", date(2026, 5, 13)), kind="event", predicate="agree")
    assert agree and agree[0].time.iso == "2026-05-12"


def test_counted_strikes_carried_out_are_an_event():
    from datetime import date

    text = "A military spokesman said Israeli aircraft had carried out 40 strikes on southern Lebanon."
    strikes = find(_claims_of(text, "en", date(2026, 4, 9)), kind="event", predicate="attack")
    assert strikes and strikes[0].quantity.value == 40 and strikes[0].subject.entity_id == "country:IL"


def test_its_own_withdrawal_is_the_subjects():
    from datetime import date

    text = "Germany completed its own withdrawal from Mali in December, the defence ministry said."
    withdraw = find(_claims_of(text, "en", date(2026, 1, 20)), predicate="withdraw")
    assert withdraw and {c.subject.entity_id for c in withdraw} == {"country:DE"}


def test_a_count_in_a_relative_clause_is_its_noun_s_not_the_main_clause_s():
    from datetime import date

    text = "Israel, which holds about a third of the enclave, wants a buffer zone along the border."
    claims = _claims_of(text, "en", date(2026, 3, 3))
    share = find(claims, kind="quantity", subject_id="country:IL")
    assert share and round(share[0].quantity.value) == 33
    assert all(c.quantity is None for c in claims if c.kind == "position")


def test_a_city_before_an_event_noun_is_its_venue_and_a_topic_is_no_actor():
    from datetime import date

    claims = _claims_of("首相は２０２６年３月９日、中東に関するジュネーブ会議に出席した。", "ja", date(2026, 3, 10))
    meeting = [c for c in claims if c.kind == "event" and c.location is not None]
    assert meeting and meeting[0].location.entity_id == "place:geneva"
    assert not [c for c in claims if c.subject and c.subject.text == "中東"]


def test_talks_of_a_stated_size_are_among_that_many_actors():
    from datetime import date

    text = "カタールが加わった4カ国の協議で、エジプトとイスラエル、ヨルダンは停戦の延長で一致した。"
    from extract.claims.clauses import build_clauses
    from extract.nlp.analyse import analyse

    talks = [c for c in build_clauses(analyse(text, "ja"), date(2026, 4, 1)) if c.predicate == "meeting"]
    assert talks and {m.entity_id for m in talks[0].agents} == {"country:QA", "country:EG", "country:IL", "country:JO"}


def test_a_definite_noun_from_an_organisation_s_name_refers_to_it_and_a_name_list_is_a_list():
    from datetime import date

    from extract.claims.clauses import build_clauses
    from extract.nlp.analyse import analyse

    text = (
        "Leaders of the Coalition of the Willing met in Rome on Tuesday.\n\n"
        "Members of the 31-country coalition will send engineers.\n\n"
        "In Rome, Keir Starmer, Emmanuel Macron and Giorgia Meloni put their names to a declaration of intent to "
        "send engineers."
    )
    clauses = build_clauses(analyse(text, "en"), date(2026, 5, 6))
    count = [c for c in clauses if c.predicate == "count" and c.quantity.value == 31]
    assert count and [m.entity_id for m in count[0].agents] == ["org:coalition-of-the-willing"]
    sign = [c for c in clauses if c.predicate == "sign"]
    assert sign and len(sign[0].agents) == 3


def test_a_visit_is_its_visitor_s_and_a_clause_on_a_noun_has_no_sentence_theme_as_actor():
    from datetime import date

    from extract.claims.clauses import build_clauses
    from extract.nlp.analyse import analyse

    text = (
        "ロシア軍は、マクロン仏大統領のウクライナ訪問に反発し、来月にモスクワで開かれる会議までに回答すると表明した。"
    )
    clauses = build_clauses(analyse(text, "ja"), date(2026, 5, 6))
    visit = [c for c in clauses if c.predicate == "visit"]
    assert visit and [m.entity_id for m in visit[0].agents] == ["person:macron"]
    meeting = [c for c in clauses if c.predicate == "meeting"]
    assert meeting and not any(m.entity_id == "force:RU" for c in meeting for m in c.agents)


def test_a_person_s_reported_words_that_state_no_act_are_an_assessment():
    from datetime import date

    text = (
        "The UN envoy for Libya, Hanna Tetteh, said the vote was a fragile but real step forward.\n\n"
        "The interior ministry said the roads around the port were calm.\n\n"
        "Prime Minister Abdul Hamid Dbeibah said his government would hold elections by June."
    )
    claims = _claims_of(text, "en", date(2026, 4, 2))
    assess = [c for c in claims if c.predicate == "assess"]
    assert [c.subject.text for c in assess] == ["Hanna Tetteh"]  # not the ministry; not a pledge's speaker
    ja = _claims_of("マクロン大統領は記者会見で、今回の決定は極めて遺憾だと述べた。", "ja", date(2026, 4, 2))
    assert [c.predicate for c in ja if c.kind == "position"] == ["assess"]


def test_a_definite_period_is_the_range_just_told_of():
    from datetime import date

    from extract.claims.clauses import build_clauses
    from extract.nlp.analyse import analyse

    text = (
        "Envoys of Armenia and Azerbaijan met in Geneva on March 3 and 4.\n\n"
        "Over the two days, the envoys discussed the border commission."
    )
    clauses = build_clauses(analyse(text, "en"), date(2026, 3, 6))
    discuss = [c for c in clauses if c.predicate == "discuss"]
    assert discuss and discuss[0].time.iso == "2026-03-03/2026-03-04" and discuss[0].window is None


def test_the_size_of_a_meeting_s_group_is_no_quantity_claim():
    from datetime import date

    text = "カタールが加わった4カ国の協議で、エジプトとイスラエル、ヨルダンは停戦の延長で一致した。"
    claims = _claims_of(text, "ja", date(2026, 4, 1))
    assert not [c for c in claims if c.kind == "quantity" and c.quantity.value == 4]


def test_an_act_told_in_the_passive_is_the_headline_actor_s():
    from datetime import date

    text = (
        "イラン、弾道ミサイル発射\n\n"
        "国営テレビによりますと、10日午後、イラン中部から弾道ミサイル2発が西の方向に発射されました。"
    )
    launch = find(_claims_of(text, "ja", date(2026, 9, 10)), kind="event", predicate="launch")
    assert launch and launch[0].subject.entity_id == "country:IR" and launch[0].time.iso == "2026-09-10"


def test_a_bare_government_in_japanese_news_is_japan_s_and_a_protest_is_an_act():
    from datetime import date

    claims = _claims_of("政府は外交ルートを通じて韓国に抗議した。米政府は懸念を表明した。", "ja", date(2026, 9, 10))
    protest = find(claims, predicate="protest")
    assert protest and protest[0].kind == "event" and protest[0].subject.entity_id == "country:JP"
    assert not any(c.subject and c.subject.entity_id == "country:JP" for c in claims if c is not protest[0])


def test_both_sides_are_the_parties_not_the_signatories_and_act_together():
    from datetime import date

    text = (
        "Sudan's army and the rebel Popular Front signed a truce on Friday. General Ali Hassan and rebel commander "
        "Omar Dafallah signed the text in Jeddah.\n\n"
        "Both sides committed to opening humanitarian corridors within two weeks."
    )
    claims = _claims_of(text, "en", date(2026, 6, 5))
    opened = [c for c in claims if c.kind == "pledge" and c.window is not None]
    assert len(opened) == 1 and opened[0].window.duration == "P2W"
    actors = {p.entity_id or p.text for p in opened[0].participants}
    assert "country:SD" in actors and any("Popular Front" in a for a in actors)


def test_a_name_before_a_one_word_title_is_the_speaker_and_a_katakana_name_is_whole():
    from datetime import date

    said = find(
        _claims_of("バイデン米大統領は記者会見で「歴史的な合意だ」と述べた。", "ja", date(2026, 6, 2)), kind="position"
    )
    assert said and said[0].subject.entity_id == "person:biden"  # 「米大統領」 is one token: not the US
    named = find(
        _claims_of("クリステション首相は「歴史的な日だ」と述べました。", "ja", date(2026, 6, 2)), kind="position"
    )
    assert named and named[0].subject.text == "クリステション"  # NER tagged only 「ション」


def test_a_continuative_verb_takes_the_tense_of_the_verb_it_runs_into():
    from datetime import date

    text = "北欧のノルウェーが3日、EUに正式に加盟し、加盟国は28か国となりました。"
    joined = [c for c in _claims_of(text, "ja", date(2026, 5, 4)) if c.kind == "event" and "加盟" in c.predicate]
    assert joined and joined[0].subject.entity_id == "country:NO" and joined[0].time.iso == "2026-05-03"


def test_a_phased_deal_in_japanese_names_its_parties_and_both_sides_act_together():
    from datetime import date

    text = (
        "スーダン国軍と準軍事組織の即応支援部隊（RSF）は20日、3段階からなる停戦案で合意した。"
        "仲介したサウジアラビア外務省が発表した。\n\n"
        "30日間の第1段階では、双方が首都ハルツームでの戦闘を停止する。\n\n"
        "第2段階では、双方の部隊が市外へ撤退する。\n\n"
        "最終段階では、恒久的な和平協定に署名する。"
    )
    claims = _claims_of(text, "ja", date(2026, 5, 21))
    agreed = find(claims, kind="event", predicate="agree")
    assert agreed and {p.entity_id or p.text for p in agreed[0].participants} == {"country:SD", "org:rsf"}
    assert not any(c.subject and c.subject.text == "外務省" for c in claims)  # the Saudi ministry is Saudi Arabia
    steps = {c.tier: c for c in claims if c.kind == "tier"}
    assert sorted(steps) == [1, 2, 3] and steps[1].window.duration == "P30D"
    assert {p.entity_id or p.text for p in steps[1].participants} == {"country:SD", "org:rsf"}


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        (
            "fr",
            "Les ministres de la Défense du Japon et des Philippines ont adopté mardi un plan en trois étapes.\n\n"
            "D'abord, le Japon enverra des formateurs des garde-côtes à Manille cette année.\n\n"
            "À partir de 2028, les Philippines achèteront cinq patrouilleurs japonais.",
        ),
        (
            "de",
            "Die Verteidigungsminister Japans und der Philippinen haben am Dienstag einen Plan in drei Stufen "
            "beschlossen.\n\nZunächst wird Japan noch in diesem Jahr Ausbilder der Küstenwache nach Manila "
            "entsenden.\n\nAb 2028 werden die Philippinen fünf japanische Patrouillenboote kaufen.",
        ),
    ],
)
def test_a_plan_told_in_stages_gives_tiers_in_french_and_german(lang, text):
    from datetime import date

    steps = {c.tier: c for c in _claims_of(text, lang, date(2026, 6, 2)) if c.kind == "tier"}
    assert steps[1].subject.entity_id == "country:JP"
    assert steps[2].subject.entity_id == "country:PH" and steps[2].time.iso == "2028"


def test_shallow_both_sides_are_the_last_parties_and_talks_between_name_who_meets():
    from datetime import date

    text = (
        "Armenien und Aserbaidschan haben am Montag in Genf verhandelt.\n\n"
        "In Genf ist am Dienstag die zweite Runde der Gespräche zu Ende gegangen, die die Schweiz zwischen "
        "Armenien und Aserbaidschan vermittelt. Die Schweiz lobte den Verlauf.\n\n"
        "Beide Seiten verständigten sich auf einen Austausch von Gefangenen."
    )
    claims = _claims_of(text, "de", date(2026, 6, 3))
    meetings = [c for c in claims if c.kind == "event" and c.time is not None and c.time.iso == "2026-06-02"]
    assert meetings and {p.entity_id for p in meetings[0].participants} == {"country:AM", "country:AZ"}
    agreed = [c for c in claims if c.evidence.sentence.startswith("Beide")]
    assert agreed and all({p.entity_id for p in c.participants} == {"country:AM", "country:AZ"} for c in agreed)


def test_a_bare_coalition_is_the_one_named_before_else_no_particular_one():
    from datetime import date

    yemen = "The coalition said it would halt military operations inside Yemen from Wednesday."
    halt = [c for c in _claims_of(yemen, "en", date(2026, 3, 29)) if c.kind == "pledge"]
    assert halt and halt[0].subject.entity_id == "org:coalition"  # not the Coalition of the Willing
    seed = (
        "Leaders of the Coalition of the Willing met in Paris on Tuesday. "
        "The coalition will deploy forces to Ukraine after a ceasefire."
    )
    deploy = find(_claims_of(seed, "en", date(2026, 1, 7)), kind="pledge", predicate="deploy_forces")
    assert deploy and deploy[0].subject.entity_id == "org:coalition-of-the-willing"


def test_a_pronoun_in_a_sentence_citing_a_person_is_that_person():
    from datetime import date

    text = (
        "La Russie et l'Ukraine ont échangé 157 prisonniers jeudi.\n\n"
        "Selon M. Witkoff, il s'agit d'un résultat de discussions qu'il juge « productives »."
    )
    judged = [c for c in _claims_of(text, "fr", date(2026, 2, 6)) if c.kind == "position"]
    assert judged and {c.subject.entity_id for c in judged} == {"person:witkoff"}  # not the two states


def test_an_abbreviation_does_not_end_an_attribution():
    from extract import lang as langdata

    rxs = langdata.load("en").regex("attribution")
    found = [
        m.group("x") for rx in rxs for m in rx.finditer("According to U.S. officials, the strikes hit 60 targets.")
    ]
    assert found == ["According to U.S. officials"]


def test_a_date_set_off_at_the_head_dates_the_meeting_named_after_it():
    from datetime import date

    fr = (
        "Le jeudi 12 mars, lors de leur réunion à Genève, les ministres arméniens et azerbaïdjanais ont décidé "
        "de rouvrir la frontière."
    )
    meeting = find(_claims_of(fr, "fr", date(2026, 3, 13)), kind="event", predicate="meeting")
    assert meeting and meeting[0].time.iso == "2026-03-12"
    # the weekday's tense is the main verb's, after the commas: the last Thursday, not the next one
    en = (
        "On Thursday, at their meeting in Geneva, the foreign ministers of Armenia and Azerbaijan agreed to "
        "reopen the border."
    )
    reopen = [c for c in _claims_of(en, "en", date(2026, 3, 13)) if c.kind == "pledge"]
    assert reopen and reopen[0].time.iso == "2026-03-12"


def test_a_normalisation_deal_keeps_each_clause_s_own_window_and_no_plan_size():
    from datetime import date

    text = (
        "BRUSSELS, March 19 (Reuters) - Serbia and Kosovo agreed on Saturday to implement a European Union plan, "
        "EU foreign policy chief Josep Borrell said after 12 hours of talks in Ohrid.\n\n"
        "Under the 11-point plan, Serbia will not object to Kosovo's membership in international organisations, "
        "and Kosovo will set up an association of Serb-majority municipalities within 30 days.\n\n"
        "The EU will convene a joint monitoring committee by the end of April, he said."
    )
    claims = _claims_of(text, "en", date(2023, 3, 19))
    assert not any(c.window and c.window.duration == "PT12H" for c in claims)  # how long the talks lasted
    assert not any(c.quantity and c.quantity.value == 11 for c in claims)  # an 11-point plan counts nothing
    serbia = [c for c in claims if c.subject and c.subject.entity_id == "country:RS" and c.polarity == "negative"]
    assert serbia and all(c.window is None for c in serbia)  # the 30 days are Kosovo's
    kosovo = [c for c in claims if c.subject and c.subject.entity_id == "country:XK" and c.window]
    assert kosovo and kosovo[0].window.duration == "P30D"
    convene = [c for c in claims if c.subject and c.subject.entity_id == "org:eu"]
    assert convene and family_of(convene[0]) == "pledge"  # planned by a deadline: a commitment


def test_japanese_talks_held_are_a_meeting_and_a_date_before_no_is_no_window():
    from datetime import date

    text = (
        "インドネシアのプラボウォ大統領と豪州のアルバニージー首相は20日、ジャカルタで会談し、防衛協力協定に署名した。\n\n"
        "一方、中国外務省の報道官は21日の記者会見で、「地域の平和と安定を損なうべきではない」と述べた。"
    )
    claims = _claims_of(text, "ja", date(2026, 10, 21))
    met = find(claims, kind="event", predicate="meeting")
    assert met and met[0].time.iso == "2026-10-20" and "country:ID" in {p.entity_id for p in met[0].participants}
    assert any(p.entity_id in ("country:AU", "person:albanese") for p in met[0].participants)
    aid = _claims_of("豪州政府は今後5年間で10億豪ドルを投じ、艦艇整備を支援する方針だ。", "ja", date(2026, 10, 21))
    assert aid and all(c.subject.entity_id == "country:AU" for c in aid)  # 「豪州」 is Australia
    said = [c for c in claims if c.kind == "position"]
    assert said and said[0].window is None and said[0].time.iso == "2026-10-21"


def test_without_doing_something_negates_that_not_the_main_act():
    from datetime import date

    text = "The Kremlin said on Friday it would respond to the new sanctions, without giving details."
    respond = [c for c in _claims_of(text, "en", date(2024, 6, 21)) if c.predicate == "respond"]
    assert respond and respond[0].polarity == "positive" and respond[0].subject.entity_id == "country:RU"
    refusal = _claims_of("Poland said it would stay in the talks without sending troops.", "en", date(2024, 6, 21))
    assert not any(c.predicate == "deploy_forces" and c.polarity == "positive" for c in refusal)


def test_a_japanese_topic_beside_a_ga_subject_is_the_teller_not_the_actor():
    from datetime import date

    text = (
        "統合参謀本部は５日、北朝鮮が同日朝、日本海に向けて弾道ミサイル２発を発射し、"
        "いずれも日本海に落下したと発表した。"
    )
    claims = _claims_of(text, "ja", date(2026, 3, 6))
    launched = find(claims, kind="event", predicate="launch")
    assert launched and launched[0].subject.entity_id == "country:KP" and launched[0].time.iso == "2026-03-05"


def test_according_to_is_an_attribution_not_an_agreement():
    from extract.claims.clauses import build_clauses
    from extract.nlp.analyse import analyse

    text = "Officials from both countries held talks in Geneva on Monday, according to the ministry."
    talks = [c for c in build_clauses(analyse(text, "en"), None) if c.predicate == "talk"]
    assert talks and talks[0].modality == "asserted"


@pytest.mark.parametrize(
    ("lang", "text", "plover"),
    [
        ("en", "Russia announced a ceasefire for the Easter weekend.", "CONCEDE"),  # declared: a verbal concession
        ("en", "Both armies will observe a ceasefire from Monday.", "RETREAT"),  # kept: the halt itself
        ("ja", "ロシアは復活祭に合わせて一時的な停戦を宣言した。", "CONCEDE"),
    ],
)
def test_a_declared_or_kept_ceasefire_is_a_halt_and_plover_tells_them_apart(lang, text, plover):
    from extract.claims import plover as pl
    from extract.claims.clauses import build_clauses
    from extract.nlp.analyse import analyse

    halts = [c for c in build_clauses(analyse(text, lang), None) if c.predicate == "halt_attacks"]
    assert halts and pl.base_type("halt_attacks", halts[0].trigger_text)[0] == plover


def test_a_clause_that_describes_a_noun_is_not_a_tier_step_s_act():
    text = (
        "The plan has three tiers.\n\n"
        "In the first tier, Ukrainian forces would respond within 24 hours.\n\n"
        "In the second tier, the coalition of the willing would intervene.\n\n"
        "In the third tier, a force that Britain supports would intervene within 72 hours."
    )
    third = [c for c in _claims_of(text, "en", None) if c.kind == "tier" and c.tier == 3]
    assert third and {c.predicate for c in third} == {"intervene"}  # "that Britain supports" names the force


def test_a_japanese_state_institution_acts_for_its_state():
    from datetime import date

    text = (
        "ギリシャ議会は１２日、隣国との国境画定条約を賛成多数で承認した。\n\n"
        "ブラジルの国会は今月上旬、対外援助の予算案を可決した。\n\n"
        "中国の外交団が１０日、平壌に到着した。\n\n"
        "ペルー国防省とチリ国防省は１１日、合同演習を終えたと発表した。"
    )
    claims = _claims_of(text, "ja", date(2025, 5, 14))
    assert {c.subject.entity_id for c in find(claims, kind="event", predicate="approve")} == {
        "country:GR",
        "country:BR",
    }
    assert [c.subject.entity_id for c in claims if "平壌" in c.evidence.sentence] == ["country:CN"]
    announced = find(claims, kind="event", predicate="announce")
    assert announced and {p.entity_id for p in announced[0].participants} == {"country:PE", "country:CL"}


@pytest.mark.parametrize(
    ("lang", "text", "pledged"),
    [
        (
            "en",
            "Serbia and Kosovo agreed in March that they would release all detainees by the end of the year.",
            "2025-12",
        ),
        ("ja", "セルビアとコソボは３月、年末までに全ての拘束者を解放することで合意した。", "2025-12"),
        ("en", "Serbia and Kosovo agreed on March 3 to release all detainees.", None),
    ],
)
def test_an_agreement_told_with_its_own_date_is_an_event_beside_the_pledge_it_holds(lang, text, pledged):
    from datetime import date

    claims = _claims_of(text, lang, date(2025, 5, 14))
    agreed = find(claims, kind="event", predicate="agree")
    assert agreed and agreed[0].time.iso.startswith("2025-03")
    pledges = [c for c in claims if c.kind == "pledge" and c.predicate == "release"]
    assert pledges
    if pledged:
        assert pledges[0].time.iso == pledged and pledges[0].window.bound == "within"


@pytest.mark.parametrize(
    ("lang", "text", "agents"),
    [
        ("en", "Britain, along with France, will send troops to Estonia.", {"country:GB", "country:FR"}),
        ("en", "Japan imposed sanctions on Iran together with Canada on Monday.", {"country:JP", "country:CA"}),
        ("ja", "フィンランドは去年5月にスウェーデンとともに加盟を申請した。", {"country:FI", "country:SE"}),
        ("ja", "日本は３日、カナダと共にイランに制裁を科した。", {"country:JP", "country:CA"}),
    ],
)
def test_who_acts_together_with_the_agent_is_a_joint_agent(lang, text, agents):
    from datetime import date

    claims = [c for c in _claims_of(text, lang, date(2023, 4, 5)) if c.kind in ("pledge", "event")]
    assert len(claims) == 1 and {p.entity_id for p in claims[0].participants} == agents


@pytest.mark.parametrize(
    ("lang", "text", "predicate"),
    [
        ("en", "Armenia and Azerbaijan carried out their first prisoner swap on Thursday.", "exchange"),
        ("en", "Japan and Canada conducted an exchange of detainees on Saturday.", "exchange"),
        ("ja", "日本は３日、イランに制裁を科した。", "sanction"),
    ],
)
def test_a_light_verb_tells_its_noun_s_act_as_done(lang, text, predicate):
    from datetime import date

    claims = _claims_of(text, lang, date(2023, 4, 5))
    assert [c.predicate for c in claims if c.kind == "event"] == [predicate]


@pytest.mark.parametrize(
    ("text", "demander"),
    [
        ("Washington urged Caracas to free all political prisoners by the end of November.", "country:US"),
        ("The EU called on Russia to withdraw its troops from Moldova.", "org:eu"),
        ("Turkey wants Sweden to extradite the suspects.", "country:TR"),
    ],
)
def test_what_one_party_urges_another_to_do_is_its_demand_and_nobody_s_pledge(text, demander):
    from datetime import date

    claims = _claims_of(text, "en", date(2023, 10, 18))
    assert [(c.kind, c.predicate, c.subject.entity_id) for c in claims if c.kind != "quantity"] == [
        ("position", "demand", demander)
    ]


@pytest.mark.parametrize(
    ("lang", "text", "actor"),
    [
        ("en", "British troops will be sent to Estonia next year.", "GB"),
        ("en", "Canadian personnel will be deployed to Latvia.", "CA"),
        ("en", "French forces were withdrawn from Mali in August.", "FR"),
        ("ja", "英国軍の部隊が来年エストニアに派遣される。", "GB"),
    ],
)
def test_forces_moved_in_the_passive_are_moved_by_their_state(lang, text, actor):
    from datetime import date

    from extract.nlp.gazetteer import load_gazetteer

    gaz = load_gazetteer()
    claims = [c for c in _claims_of(text, lang, date(2023, 3, 13)) if c.predicate in ("deploy_forces", "withdraw")]
    assert claims
    entity = gaz.get(claims[0].subject.entity_id)
    assert f"country:{actor}" in (entity.id, entity.parent)


def test_japanese_clauses_of_one_chain_share_their_ga_subject_over_the_teller_s_topic():
    from datetime import date

    text = (
        "ペスコフ報道官は記者団に対し、トルコ政府がロシアの提案を受け入れ、"
        "黒海での攻撃を停止することで合意したと述べた。"
    )
    claims = _claims_of(text, "ja", date(2024, 5, 14))
    agreed = [c.subject.entity_id for c in claims if c.predicate == "agree"]
    assert agreed == ["country:TR"]


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "Armenia and Azerbaijan exchanged 32 prisoners each on Thursday."),
        ("ja", "アルメニアとアゼルバイジャンは15日、捕虜をそれぞれ32人交換した。"),
        ("de", "Armenien und Aserbaidschan tauschten am Donnerstag jeweils 32 Gefangene aus."),
    ],
)
def test_an_exchange_done_with_a_count_for_each_side_is_one_joint_event(lang, text):
    from datetime import date

    events = [c for c in _claims_of(text, lang, date(2025, 5, 16)) if c.kind == "event"]
    assert len(events) == 1 and events[0].predicate == "exchange" and events[0].time.iso == "2025-05-15"
    assert {p.entity_id for p in events[0].participants} == {"country:AM", "country:AZ"}
    assert events[0].quantity.value == 32 and events[0].quantity.scope == "each"


def test_a_japanese_state_name_written_with_a_part_of_its_land_is_a_place_not_an_actor():
    from datetime import date

    text = "スーダンの国軍は２０日、サウジアラビア西部ジッダで、停戦に入ることで合意した。"
    agreed = find(_claims_of(text, "ja", date(2023, 5, 21)), kind="event", predicate="agree")
    assert agreed and [p.entity_id for p in (agreed[0].participants or (agreed[0].subject,))] == ["country:SD"]


def test_meeting_demands_is_no_meeting():
    claims = _claims_of("Hamas refused to meet the demands.", "en", None)
    assert [(c.kind, c.predicate) for c in claims] == [("position", "reject")]


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "Mali's junta scrapped its defence agreement with France in May."),
        ("ja", "ロシアは５月、ウクライナとの穀物協定を破棄した。"),
        ("de", "Russland kündigte am Montag das Abkommen mit der Ukraine."),
        ("ru", "В мае Россия денонсировала соглашение с Украиной."),
        ("fr", "En mai, la Russie a dénoncé l'accord sur les céréales."),
    ],
)
def test_ending_an_agreement_is_a_cut_in_relations_not_an_agreement(lang, text):
    from datetime import date

    claims = _claims_of(text, lang, date(2025, 6, 2))
    assert [c.predicate for c in claims if c.kind == "event"] == ["reduce_relations"]


@pytest.mark.parametrize(
    ("text", "polarity"),
    [
        ("Russia will withdraw its troops without delay.", "positive"),
        ("Turkey will ratify the accord without conditions.", "positive"),
        ("Russia will not withdraw its troops.", "negative"),
    ],
)
def test_without_and_a_noun_says_how_an_act_is_done_not_that_it_is_not(text, polarity):
    claims = [c for c in _claims_of(text, "en", None) if c.predicate in ("withdraw", "approve")]
    assert claims and claims[0].polarity == polarity


@pytest.mark.parametrize(
    ("lang", "text", "subjects", "value"),
    [
        ("en", "Britain deployed four Typhoon jets to Cyprus, the defence ministry said.", ["country:GB"], 4),
        ("en", "Canada and Australia sent some 300 soldiers to the border.", ["country:AU", "country:CA"], 300),
        ("ja", "米軍はニジェールにおよそ１０００人を駐留させていました。", ["force:US"], 1000),
    ],
)
def test_a_done_act_with_a_count_and_no_date_states_the_count_of_its_agents_together(lang, text, subjects, value):
    claims = [c for c in _claims_of(text, lang, None) if c.quantity is not None]
    assert [family_of(c) for c in claims] == ["quantity"]
    actors = claims[0].participants or (claims[0].subject,)
    assert sorted(a.entity_id for a in actors) == subjects and claims[0].quantity.value == value


def test_each_keeps_a_count_per_agent_and_an_exchange_stays_an_event():
    claims = _claims_of(
        "The Netherlands and Denmark released 50 prisoners each. Russia and Ukraine exchanged 157 prisoners.",
        "en",
        None,
    )
    assert sorted((family_of(c), c.subject.entity_id) for c in claims if c.quantity) == [
        ("event", "country:RU"),
        ("quantity", "country:DK"),
        ("quantity", "country:NL"),
    ]


def test_a_staged_plan_numbers_steps_that_name_no_actor_or_only_an_event():
    from datetime import date

    text = (
        "Rebels and government agree phased deal\n\n"
        "GOMA, June 2 (Reuters) - DR Congo's government and the M23 rebels agreed on Sunday to a three-phase plan, "
        "Qatari and Togolese mediators said.\n\n"
        "In the first phase, both sides will stop fighting for 14 days from Tuesday.\n\n"
        "The second phase, to begin within 60 days, provides for the withdrawal of fighters from Goma airport.\n\n"
        "A third phase would see talks on disarmament, the mediators said."
    )
    claims = _claims_of(text, "en", date(2025, 6, 2))
    steps = {c.tier: c for c in claims if c.kind == "tier" and c.predicate != "participate"}
    assert sorted(steps) == [1, 2, 3]
    for step in steps.values():  # the parties, never the mediators
        actors = {p.entity_id or p.text for p in step.participants or (step.subject,)}
        assert "country:CD" in actors and not actors & {"country:QA", "country:TG"}
    assert steps[2].predicate == "withdraw" and steps[2].window.duration == "P60D"
    assert steps[3].predicate == "meeting"


@pytest.mark.parametrize(
    ("text", "percent"),
    [
        ("A third round of talks is due next month.", None),
        ("Prices rose in the second half of the year.", None),
        ("Russia controls nearly a fifth of the country.", 20),
    ],
)
def test_a_fraction_word_that_ranks_a_noun_or_names_a_period_is_no_share(text, percent):
    from extract.claims.quantities import find_quantities
    from extract.lang import load

    found = [q.value for q, _, _ in find_quantities(text, load("en")) if q.unit == "percent"]
    assert found == ([percent] if percent else [])


@pytest.mark.parametrize(
    ("text", "states"),
    [
        ("来年から、フランスとドイツの艦艇を地中海東部に交代で配備する。", ["country:DE", "country:FR"]),
        ("２０２６年には、米国の原潜をフィリピン沖に配備する計画だ。", ["country:US"]),
    ],
)
def test_forces_moved_with_no_subject_are_moved_by_their_states(text, states):
    from datetime import date

    claims = [c for c in _claims_of(text, "ja", date(2025, 5, 1)) if c.predicate == "deploy_forces"]
    assert sorted(c.subject.entity_id for c in claims) == states


@pytest.mark.parametrize(
    ("lang", "text", "actor"),
    [
        ("en", "Hezbollah said on Monday the group would withdraw its fighters from the border.", "org:hezbollah"),
        ("ja", "ハマスは２日、声明を出した。同組織は人質２０人を解放する方針だ。", "org:hamas"),
        (
            "en",
            "The Houthis fired two missiles on Tuesday. The group said it would halt attacks on ships.",
            "org:houthis",
        ),
    ],
)
def test_a_definite_organisation_noun_is_the_last_organisation_named(lang, text, actor):
    from datetime import date

    pledges = [c for c in _claims_of(text, lang, date(2025, 5, 6)) if c.kind == "pledge"]
    assert pledges and all(c.subject.entity_id == actor for c in pledges)


def test_the_group_of_seven_is_no_reference_to_an_organisation():
    from datetime import date

    claims = _claims_of(
        "Hamas rejected the plan. The Group of Seven said it would impose sanctions.", "en", date(2025, 5, 6)
    )
    assert [c.subject.entity_id for c in claims if c.kind == "pledge"] == ["org:g7"]


def test_a_count_of_countries_that_is_the_number_of_agents_names_them():
    from datetime import date

    text = "Armenia and Azerbaijan signed a peace deal on Friday. The two countries will reopen their borders."
    pledges = [c for c in _claims_of(text, "en", date(2025, 8, 9)) if c.kind == "pledge"]
    assert pledges and all(c.quantity is None for c in pledges)
    text = "In all, five countries took part in the exercise: Japan, Australia, India, France and Canada."
    counts = [c for c in _claims_of(text, "en", date(2025, 8, 9)) if c.quantity is not None]
    assert [c.quantity.value for c in counts] == [5]


@pytest.mark.parametrize(
    ("text", "predicate", "polarity"),
    [
        ("Armenia and Azerbaijan held talks on Monday but failed to reach an agreement.", "agree", "negative"),
        ("Russia has threatened to seize the region by force if the talks fail.", "seize", "positive"),
    ],
)
def test_failing_to_act_negates_it_and_a_failure_in_a_condition_does_not(text, predicate, polarity):
    from datetime import date

    claims = [c for c in _claims_of(text, "en", date(2026, 2, 3)) if c.predicate == predicate]
    assert claims and {c.polarity for c in claims} == {polarity}


def test_a_conceded_clause_is_no_complement_and_a_missed_agreement_is_a_negative_event():
    from datetime import date

    text = "アルメニアとアゼルバイジャンは５日、協議したが、合意には至らなかった。"
    claims = _claims_of(text, "ja", date(2026, 2, 6))
    got = sorted((c.kind, c.predicate, c.polarity) for c in claims)
    assert got == [("event", "agree", "negative"), ("event", "discuss", "positive")]


@pytest.mark.parametrize(
    ("lang", "text", "iso"),
    [
        ("ja", "ＡＳＥＡＮ外相は１０日、声明を採択した。林外相は同日、フィリピンの外相と会談した。", "2025-07-10"),
        (
            "en",
            "ASEAN ministers adopted a statement on July 10. Hayashi met his Philippine counterpart the same day.",
            "2025-07-10",
        ),
    ],
)
def test_the_same_day_is_the_last_day_named(lang, text, iso):
    from datetime import date

    meetings = [c for c in _claims_of(text, lang, date(2025, 7, 11)) if c.predicate == "meeting"]
    assert meetings and meetings[0].time is not None and meetings[0].time.iso == iso


def test_the_same_day_that_something_happens_names_no_earlier_day():
    from datetime import date

    text = "The accord was signed on July 10. The talks will open on the same day that the truce ends."
    meetings = [c for c in _claims_of(text, "en", date(2025, 7, 11)) if c.predicate == "meeting"]
    assert all(c.time is None for c in meetings)


@pytest.mark.parametrize(
    ("text", "actor"),
    [
        ("M23 spokesman Lawrence Kanyuka rejected the plan on Friday.", "org:m23"),
        ("Houthi military spokesman Yahya Saree welcomed the truce.", "org:houthis"),
        ("ELN commander Antonio Garcia signed the accord in Havana on Friday.", "org:eln"),
    ],
)
def test_a_person_named_with_a_title_of_an_actor_speaks_for_it(text, actor):
    from datetime import date

    claims = _claims_of(text, "en", date(2026, 3, 6))
    assert claims and all(c.subject and c.subject.entity_id == actor for c in claims), claims


def test_a_coalition_led_by_a_state_is_the_coalition_not_the_state():
    from datetime import date

    text = "The Saudi-led coalition welcomed the truce. The Iranian-backed coalition rejected the plan."
    claims = _claims_of(text, "en", date(2026, 3, 6))
    assert [c.subject.entity_id for c in claims if c.kind == "position"] == ["org:coalition", "org:coalition"]


def test_denying_a_done_act_is_a_position_and_refusing_an_act_is_a_pledge():
    from datetime import date

    text = "The Houthis denied that they had agreed to a truce. Hamas refused to meet the mediators."
    got = {(family_of(c), c.predicate, c.polarity) for c in _claims_of(text, "en", date(2026, 3, 6))}
    assert ("position", "agree", "negative") in got and ("pledge", "meeting", "negative") in got
