"""PLOVER coding (issue 17) on real text: every event type in English and Japanese, codes on claims, the mapping
rules the manual states, and the export. The sentences are written for these tests (none is from the PLOVER gold
records)."""

from __future__ import annotations

import json
from datetime import date

import pytest

from extract.claims import plover
from extract.claims.rules import extract_claims
from extract.nlp.analyse import analyse

EN = [
    ("AGREE", "Canada has promised to send humanitarian aid to Sudan.", "CAN", "SDN"),
    ("CONSULT", "The foreign ministers of Japan and India met in Tokyo on Monday.", "JPN", None),
    ("SUPPORT", "Germany praised Kenya's efforts to hold a peaceful election.", "DEU", "KEN"),
    ("CONCEDE", "The government of Peru lifted the curfew in Lima on Sunday.", "PER", None),
    ("COOPERATE", "Australian and Indonesian navies began joint exercises on Tuesday.", "AUS", None),
    ("AID", "Norway granted political asylum to two Belarusian journalists.", "NOR", "BLR"),
    ("RETREAT", "Hundreds of rebel fighters in Colombia surrendered to the army on Friday.", "COL", None),
    ("REQUEST", "Brazil demanded that Venezuela release the detained diplomats.", "BRA", "VEN"),
    ("ACCUSE", "Poland accused Belarus of sending migrants across the border.", "POL", "BLR"),
    ("REJECT", "Iran rejected the proposal from France.", "IRN", "FRA"),
    ("THREATEN", "North Korea threatened to attack South Korea.", "PRK", "KOR"),
    ("PROTEST", "Thousands of Chilean students staged a demonstration in the capital on Monday.", "CHL", None),
    ("SANCTION", "The European Union imposed sanctions on Iran on Monday.", "EUR", "IRN"),
    ("MOBILIZE", "Turkey mobilized troops along its border with Syria.", "TUR", "SYR"),
    ("COERCE", "Myanmar's military imposed martial law in Yangon on Tuesday.", "MMR", None),
    ("ASSAULT", "Gunmen killed 12 villagers in northern Nigeria on Sunday.", "NGA", None),
]

JA = [
    ("AGREE", "日本とインドは安全保障で協力することで合意した。", "JPN", None),
    ("CONSULT", "日本とインドの外相は月曜日、東京で会談を行った。", "JPN", "IND"),
    ("SUPPORT", "ドイツはケニアの選挙を称賛した。", "DEU", "KEN"),
    ("CONCEDE", "ペルー政府は日曜日、首都リマの夜間外出禁止令を解除した。", "PER", None),
    ("COOPERATE", "オーストラリアとインドネシアの海軍は火曜日、合同演習を開始した。", "AUS", None),
    ("AID", "ノルウェーはベラルーシの記者2人の亡命を認めた。", "NOR", "BLR"),
    ("RETREAT", "コロンビアの反政府勢力の数百人が金曜日、政府軍に投降した。", "COL", None),
    ("REQUEST", "ブラジルはベネズエラに外交官の解放を要求した。", "BRA", "VEN"),
    ("ACCUSE", "ポーランドはベラルーシを非難した。", "POL", "BLR"),
    ("REJECT", "イランはフランスの提案を拒否した。", "IRN", "FRA"),
    ("THREATEN", "北朝鮮は韓国を威嚇した。", "PRK", "KOR"),
    ("PROTEST", "チリで月曜日、数千人の学生がデモを行った。", "CHL", None),
    ("SANCTION", "欧州連合は月曜日、イランに制裁を科した。", "EUR", None),
    ("MOBILIZE", "トルコはシリアとの国境に部隊を動員した。", "TUR", None),
    ("COERCE", "ミャンマー軍はヤンゴンに戒厳令を敷いた。", "MMR", None),
    ("ASSAULT", "ナイジェリア北部で日曜日、武装集団が村人12人を殺害した。", "NGA", None),
]


def coded(text: str, lang: str) -> plover.Code:
    events = plover.code_sentences(analyse(text, lang, None))
    assert events, f"no PLOVER event in {text!r}"
    return events[0].code


@pytest.mark.parametrize(("lang", "cases"), [("en", EN), ("ja", JA)])
def test_every_plover_type_is_produced_in_english_and_japanese(lang, cases):
    assert {t for t, *_ in cases} == set(plover.TYPES)
    wrong = []
    for want, text, actor, recipient in cases:
        c = coded(text, lang)
        if c.type != want or c.actor != actor or (recipient and c.recipient != recipient):
            wrong.append((text, want, actor, recipient, c))
    assert not wrong, wrong


MORE = [
    ("en", "THREATEN", "Iran threatened to close the Strait of Hormuz."),
    ("en", "THREATEN", "Rebels in Mali threatened to kill the hostages."),
    ("en", "THREATEN", "The union threatened a general strike in Argentina."),
    ("en", "THREATEN", "Turkey warned that it would retaliate against Syria."),
    ("en", "THREATEN", "China threatened sanctions against Lithuania."),
    ("en", "THREATEN", "Serbia has threatened to cut diplomatic ties with Croatia."),
    ("en", "THREATEN", "Russia threatened to expel Polish diplomats."),
    ("en", "AID", "Japan gave 10 million dollars to Nepal for earthquake relief."),
    ("en", "AID", "The World Bank approved a loan of 200 million dollars for Kenya."),
    ("en", "AID", "Sweden sent food and medicine to Yemen."),
    ("en", "CONCEDE", "The Thai government eased restrictions on protests on Monday."),
    ("en", "CONCEDE", "The president of Peru pardoned 20 political prisoners."),
    ("en", "COOPERATE", "Colombia extradited a drug trafficker to the United States."),
    ("en", "COOPERATE", "India and France held joint naval exercises in the Indian Ocean."),
    ("en", "MOBILIZE", "Pakistan put its air force on high alert."),
    ("en", "MOBILIZE", "China massed troops near the border with India."),
    ("en", "RETREAT", "Armenian forces withdrew from three villages on Sunday."),
    ("en", "RETREAT", "The prime minister of Italy resigned on Monday."),
    ("en", "RETREAT", "Hamas freed four hostages on Saturday."),
    ("en", "COERCE", "Police in Egypt arrested 40 opposition activists on Friday."),
    ("en", "COERCE", "Zimbabwe banned opposition rallies."),
    ("en", "COERCE", "Authorities in Iran shut down the internet on Wednesday."),
    ("en", "REQUEST", "The United Nations called on Israel to allow aid into Gaza."),
    ("en", "REQUEST", "Ukraine asked Germany for more air defence systems."),
    ("en", "SUPPORT", "France recognized the new government of Libya."),
    ("en", "SUPPORT", "Spain expressed support for Morocco's plan."),
    ("en", "CONSULT", "The president of Chile visited Argentina on Tuesday."),
    ("en", "CONSULT", "Egypt hosted talks between Israel and Hamas on Monday."),
    ("en", "ACCUSE", "Ukraine condemned the Russian strike on Kharkiv."),
    ("en", "ACCUSE", "Kenya criticized the report."),
    ("en", "REJECT", "Hungary vetoed the EU aid package for Ukraine."),
    ("en", "REJECT", "Venezuela refused to allow observers into the country."),
    ("en", "SANCTION", "Niger expelled the French ambassador."),
    ("en", "SANCTION", "Morocco recalled its ambassador from Algeria."),
    ("en", "PROTEST", "Thousands of people marched against the government in Belgrade."),
    ("en", "ASSAULT", "Israeli aircraft bombed a building in Beirut on Monday."),
    ("en", "ASSAULT", "Militants ambushed a police convoy in Somalia."),
    ("en", "AGREE", "Iran offered to resume talks with the IAEA."),
    ("en", "AGREE", "Ethiopia and Eritrea agreed to restore diplomatic relations."),
    (
        "en",
        "THREATEN",
        "The opposition party in Togo said it will boycott the election unless the constitution is changed.",
    ),
    ("en", "THREATEN", "Dock workers in Chile vowed to strike next week."),
    ("en", "THREATEN", "Iran vowed to retaliate against Israel."),
    ("en", "THREATEN", "Turkey warned Greece against drilling in the Aegean."),
    ("en", "PROTEST", "Farmers in India boycotted the talks on Monday."),
    ("en", "ASSAULT", "Iran retaliated with missile strikes on Iraq on Tuesday."),
    ("ja", "THREATEN", "イランはホルムズ海峡を封鎖すると脅した。"),
    ("ja", "THREATEN", "中国はリトアニアに対する制裁を示唆して威嚇した。"),
    ("ja", "AID", "日本はネパールに1000万ドルの緊急援助を行った。"),
    ("ja", "AID", "スウェーデンはイエメンに人道支援を送った。"),
    ("ja", "CONCEDE", "タイ政府は集会の制限を緩和した。"),
    ("ja", "COOPERATE", "インドとフランスはインド洋で共同訓練を行った。"),
    ("ja", "MOBILIZE", "中国はインドとの国境付近に部隊を集結させた。"),
    ("ja", "RETREAT", "イタリアの首相は月曜日、辞任した。"),
    ("ja", "RETREAT", "アルメニア軍は日曜日、3つの村から撤退した。"),
    ("ja", "COERCE", "エジプトの警察は金曜日、野党の活動家40人を逮捕した。"),
    ("ja", "REQUEST", "国連はイスラエルにガザへの支援物資の搬入を許可するよう求めた。"),
    ("ja", "SUPPORT", "スペインはモロッコの計画を支持した。"),
    ("ja", "CONSULT", "チリの大統領は火曜日、アルゼンチンを訪問した。"),
    ("ja", "ACCUSE", "ウクライナはロシアによるハリコフへの攻撃を非難した。"),
    ("ja", "REJECT", "ハンガリーはウクライナへの支援策を拒否した。"),
    ("ja", "SANCTION", "ニジェールはフランス大使を追放した。"),
    ("ja", "PROTEST", "ベオグラードで数千人が政府に抗議するデモを行った。"),
    ("ja", "ASSAULT", "イスラエル軍は月曜日、ベイルートの建物を空爆した。"),
    ("ja", "AGREE", "エチオピアとエリトリアは外交関係を回復することで合意した。"),
    ("en", "AID", "The United States provided 50 million dollars in emergency assistance to Haiti."),
    ("en", "AID", "France provided military training to Malian soldiers last year."),
    ("en", "AID", "Italy gave shelter to 300 refugees from Libya."),
    ("en", "AID", "The Red Cross delivered medical supplies to hospitals in Gaza."),
    ("en", "AID", "Germany granted Ukraine a loan of one billion euros."),
    ("en", "AID", "Navy divers rescued 12 fishermen off the coast of Sri Lanka."),
    ("en", "CONCEDE", "The junta in Mali released the opposition leader from house arrest."),
    ("en", "CONCEDE", "The government of Sudan lifted the ban on opposition newspapers."),
    ("en", "CONCEDE", "Bolivia's president apologized for the police violence."),
    ("en", "CONCEDE", "Authorities in Hong Kong eased restrictions on public gatherings."),
    ("en", "CONCEDE", "The Georgian government granted an amnesty to 200 prisoners."),
    ("en", "SUPPORT", "Brazil and Argentina signed a trade pact and resumed trade in beef."),
    ("en", "COOPERATE", "Kenya handed over a terror suspect to Uganda."),
    ("en", "COOPERATE", "Russia and China conducted joint military drills in the Pacific."),
    ("en", "COOPERATE", "Jordan shared intelligence with Egypt about the attack."),
    ("en", "MOBILIZE", "Venezuela deployed 2,000 troops to the border with Guyana."),
    ("en", "MOBILIZE", "Serbia raised the combat readiness of its army."),
    ("en", "MOBILIZE", "North Korea test-fired a ballistic missile on Sunday."),
    ("en", "MOBILIZE", "Police in Kenya were deployed across Nairobi ahead of the protests."),
    ("en", "MOBILIZE", "Iran held military exercises near the Strait of Hormuz."),
    ("en", "RETREAT", "Rebels in Sudan released 20 hostages on Monday."),
    ("en", "RETREAT", "Israeli troops pulled out of the town of Jenin."),
    ("en", "RETREAT", "The militia in Libya handed over its weapons to the army."),
    ("en", "RETREAT", "Myanmar allowed UN observers into Rakhine state."),
    ("en", "RETREAT", "The defence minister of Peru resigned on Friday."),
    ("en", "COERCE", "Soldiers in Burma raided the offices of an opposition party."),
    ("en", "COERCE", "The government of Iran imposed a curfew in Tehran."),
    ("en", "COERCE", "Police in Uganda detained the opposition leader."),
    ("en", "COERCE", "Turkey deported 50 Syrian refugees."),
    ("en", "COERCE", "Authorities in Belarus blocked access to the internet."),
    ("en", "SANCTION", "Canada suspended aid to Rwanda."),
    ("en", "SANCTION", "Russia cut off gas supplies to Moldova."),
    ("en", "SANCTION", "Bahrain severed diplomatic ties with Qatar."),
    ("en", "ASSAULT", "Gunmen in Pakistan kidnapped two Chinese engineers."),
    ("en", "ASSAULT", "A suicide bomber killed 20 people in Kabul."),
    ("en", "ASSAULT", "Troops opened fire on protesters in Sudan."),
    ("en", "ASSAULT", "Fighting broke out between Armenian and Azerbaijani forces."),
    ("ja", "AID", "米国はハイチに5000万ドルの緊急援助を行った。"),
    ("ja", "AID", "イタリアはリビアからの難民300人を保護した。"),
    ("ja", "AID", "ドイツはウクライナに10億ユーロの融資を供与した。"),
    ("ja", "CONCEDE", "スーダン政府は野党系新聞の発行禁止を解除した。"),
    ("ja", "CONCEDE", "ボリビアの大統領は警察の暴力について謝罪した。"),
    ("ja", "CONCEDE", "ジョージア政府は受刑者200人に恩赦を与えた。"),
    ("ja", "COOPERATE", "ロシアと中国は太平洋で合同軍事演習を実施した。"),
    ("ja", "COOPERATE", "ヨルダンはエジプトと情報を共有した。"),
    ("ja", "MOBILIZE", "ベネズエラはガイアナとの国境に部隊2000人を派遣した。"),
    ("ja", "MOBILIZE", "北朝鮮は日曜日、弾道ミサイルを発射した。"),
    ("ja", "MOBILIZE", "イランはホルムズ海峡付近で軍事演習を行った。"),
    ("ja", "RETREAT", "スーダンの反政府勢力は月曜日、人質20人を解放した。"),
    ("ja", "RETREAT", "イスラエル軍はジェニンから撤退した。"),
    ("ja", "RETREAT", "ペルーの国防相は金曜日、辞任した。"),
    ("ja", "COERCE", "イラン政府はテヘランに夜間外出禁止令を出した。"),
    ("ja", "COERCE", "ウガンダの警察は野党指導者を拘束した。"),
    ("ja", "COERCE", "トルコはシリア難民50人を強制送還した。"),
    ("ja", "SANCTION", "カナダはルワンダへの援助を停止した。"),
    ("ja", "SANCTION", "バーレーンはカタールと断交した。"),
    ("ja", "ASSAULT", "パキスタンで武装集団が中国人技術者2人を誘拐した。"),
    ("ja", "ASSAULT", "カブールで自爆テロがあり、20人が死亡した。"),
    ("ja", "ASSAULT", "スーダンで兵士がデモ隊に発砲した。"),
    ("en", "REQUEST", "Ghana appealed to the international community for food aid."),
    ("en", "REQUEST", "The Arab League urged Iraq to withdraw its forces from Kuwait."),
    ("en", "REQUEST", "Opposition leaders in Togo called for the resignation of the president."),
    ("en", "REQUEST", "Iran demanded the release of its diplomats held in Lebanon."),
    ("en", "SUPPORT", "Russia welcomed the decision of Serbia."),
    ("en", "SUPPORT", "Japan endorsed India's bid for a permanent seat on the Security Council."),
    ("en", "SUPPORT", "Egypt and Israel established diplomatic relations in 1980."),
    ("en", "SUPPORT", "Australia backed New Zealand's position on whaling."),
    ("en", "CONSULT", "Officials from Sudan and South Sudan held talks in Addis Ababa."),
    ("en", "CONSULT", "The prime minister of India telephoned the president of Sri Lanka."),
    ("en", "CONSULT", "Chinese and American negotiators discussed trade in Geneva."),
    ("en", "AGREE", "Armenia and Azerbaijan agreed to hold peace talks next month."),
    ("en", "AGREE", "Vietnam promised to cooperate with Cambodia on border security."),
    ("en", "AGREE", "The president of Colombia invited the leader of Ecuador to visit Bogota."),
    ("en", "RETREAT", "Ethiopia returned 50 prisoners of war to Eritrea."),
    ("en", "RETREAT", "Rebels in Angola laid down their arms on Sunday."),
    ("en", "REJECT", "Israel turned down a request from Lebanon for talks."),
    ("en", "REJECT", "North Korea refused to allow inspectors into its nuclear sites."),
    ("en", "ACCUSE", "Pakistan accused India of supporting militants."),
    ("en", "ACCUSE", "A court in Argentina charged the former president with corruption."),
]


@pytest.mark.parametrize(("lang", "want", "text"), MORE)
def test_more_ways_to_say_each_type(lang, want, text):
    assert coded(text, lang).type == want


OTHER_LANGUAGES = [
    ("fr", "COERCE", "La police a imposé un couvre-feu à Dakar."),
    ("fr", "PROTEST", "Des milliers de manifestants ont défilé à Paris contre la réforme."),
    ("fr", "RETREAT", "Le Premier ministre du Liban a présenté sa démission lundi."),
    ("de", "COERCE", "Die Regierung verhängte eine Ausgangssperre in Minsk."),
    ("de", "PROTEST", "Tausende Demonstranten protestierten in Berlin gegen die Regierung."),
    ("de", "ACCUSE", "Die Staatsanwaltschaft in Wien leitete Ermittlungen gegen den Minister ein."),
    ("es", "PROTEST", "Miles de manifestantes marcharon en Caracas contra el gobierno."),
    ("es", "ASSAULT", "Hombres armados secuestraron a tres periodistas en México."),
    ("it", "PROTEST", "I lavoratori hanno proclamato uno sciopero generale in Italia."),
    ("ru", "COERCE", "Власти Белоруссии ввели комендантский час в Минске."),
    ("ru", "PROTEST", "В Тбилиси прошел митинг оппозиции."),
    ("uk", "COERCE", "Влада запровадила комендантську годину в Харкові."),
]


@pytest.mark.parametrize(("lang", "want", "text"), OTHER_LANGUAGES)
def test_the_other_languages_code_through_their_own_data_files(lang, want, text):
    assert coded(text, lang).type == want


@pytest.mark.parametrize(
    ("lang", "text", "mode"),
    [
        ("en", "Prosecutors in Spain opened an investigation into the bank on Thursday.", "investigate"),
        ("en", "Rioters in Kenya set fire to shops in Nairobi on Friday.", "riot"),
        ("en", "Dockworkers in France went on strike on Monday.", "strike"),
        ("ja", "スペインの検察は木曜日、銀行の捜査に乗り出した。", "investigate"),
        ("ja", "ベネズエラで労働者がストライキを行った。", "strike"),
    ],
)
def test_modes_from_the_manual(lang, text, mode):
    assert coded(text, lang).mode == mode


def test_a_pledge_is_agree_with_mode_intent_and_keeps_its_own_fields():
    text = "Canada will send humanitarian aid to Sudan next week."
    claims = extract_claims(analyse(text, "en", None))
    pledge = next(c for c in claims if c.kind == "pledge")
    assert (pledge.predicate, pledge.modality, pledge.subject.entity_id) == ("send", "planned", "country:CA")
    assert (pledge.plover_type, pledge.plover_mode, pledge.actor_code) == ("AGREE", "intent", "CAN")
    assert pledge.recipient_code == "SDN"


def test_event_and_position_claims_carry_plover_codes():
    # dated by its publication: a count told of an undated act is a quantity claim
    text = "Russia released 20 Ukrainian prisoners on Monday. Iran rejected the plan."
    claims = extract_claims(analyse(text, "en"), date(2026, 2, 4))
    release = next(c for c in claims if c.predicate == "release")
    assert (release.kind, release.plover_type, release.plover_mode, release.actor_code) == (
        "event",
        "RETREAT",
        "release",
        "RUS",
    )
    reject = next(c for c in claims if c.predicate == "reject")
    assert (reject.kind, reject.plover_type, reject.actor_code) == ("position", "REJECT", "IRN")


def test_japanese_claims_carry_plover_codes():
    claims = extract_claims(analyse("ロシアは5日、ウクライナ兵の捕虜157人を解放した。", "ja"))
    release = next(c for c in claims if c.predicate == "release")
    assert (release.plover_type, release.actor_code) == ("RETREAT", "RUS")


@pytest.mark.parametrize(
    ("predicate", "negated", "modality", "pledge", "expected"),
    [
        ("withdraw", False, "asserted", False, ("RETREAT", "withdraw")),
        ("withdraw", False, "planned", True, ("AGREE", "intent")),  # CAMEO 03: an intent to withdraw is AGREE
        ("withdraw", False, "offered", True, ("AGREE", "intent")),
        ("withdraw", True, "asserted", False, ("REJECT", "yield")),  # "refused to pull out"
        ("meeting", True, "planned", False, ("REJECT", "meet")),
        ("give_aid", False, "demanded", False, ("REQUEST", "assist")),
        ("attack", False, "planned", False, ("THREATEN", "violence")),
        ("seize", False, "possible", False, ("THREATEN", "territory")),
        ("attack", True, "planned", True, ("AGREE", "intent")),  # "will not attack"
        ("attack", True, "asserted", False, (None, None)),  # a negated act is not an event
        ("announce", False, "asserted", False, (None, None)),  # CAMEO 01 statements are dropped
    ],
)
def test_how_an_act_is_put_changes_its_type_as_the_manual_says(predicate, negated, modality, pledge, expected):
    assert plover.classify(predicate, "", negated=negated, modality=modality, pledge=pledge) == expected


def test_actor_codes_are_iso_alpha3_and_the_manuals_codes():
    assert plover.entity_code("country:US") == "USA"
    assert plover.entity_code("country:DE") == "DEU"  # not the old DDR
    assert plover.entity_code("country:XK") == "KOS"  # the manual's code for Kosovo
    assert plover.entity_code("org:un") == "UNO"
    assert plover.entity_code("org:nato") == "IGO"
    assert plover.entity_code("person:putin") == "RUS"  # a person's country
    assert plover.resolve("Robert Mwale", None, "Zambian Foreign Minister Robert Mwale said", "en") == "ZMB"


def test_plover_json_export_of_a_document(tmp_path):
    from extract.cli import main

    src = tmp_path / "report.txt"
    src.write_text("Canada will send humanitarian aid to Sudan next week. Iran rejected the plan.", encoding="utf-8")
    out = tmp_path / "events.jsonl"
    assert main(["export", "--format", "plover-json", "--output", str(out), str(src)]) == 0
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    agree = next(r for r in records if r["event"] == ["AGREE"])
    assert agree["actor"] == [{"code": "CAN", "entity_text": "Canada", "identifier_id": "country:CA"}]
    assert agree["recipient"][0]["code"] == "SDN"
    assert agree["mode"] == ["intent"] and agree["language"] == "en"
    assert agree["text"].startswith("Canada will send")
    assert {"id", "date", "context", "claim"} <= set(agree)
    assert agree["claim"]["kind"] == "pledge" and agree["claim"]["predicate"] == "send"
    assert any(r["event"] == ["REJECT"] and r["actor"][0]["code"] == "IRN" for r in records)


def test_plover_json_export_from_the_store_reads_the_stored_columns(tmp_path):
    from extract.cli import main

    src = tmp_path / "report.txt"
    src.write_text("Iran rejected the plan. Canada will send humanitarian aid to Sudan next week.", encoding="utf-8")
    db = tmp_path / "store.duckdb"
    assert main(["ingest", "--db", str(db), "--quiet", str(src)]) == 0
    out = tmp_path / "events.jsonl"
    assert main(["export", "--db", str(db), "--output", str(out)]) == 0
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    by_event = {r["event"][0]: r for r in records}
    assert by_event["REJECT"]["actor"][0]["code"] == "IRN"
    assert by_event["AGREE"]["actor"][0]["code"] == "CAN" and by_event["AGREE"]["recipient"][0]["code"] == "SDN"
    assert by_event["AGREE"]["event_text"] == ["send"]
    assert all(r["id"] and r["claim"]["kind"] in ("pledge", "position", "event") for r in records)


def test_ingest_stores_the_codes_and_the_views_show_them(tmp_path):
    from extract.acquire.read import load
    from extract.store.db import Store

    src = tmp_path / "report.txt"
    src.write_text("Iran rejected the plan. Canada will send humanitarian aid to Sudan next week.", encoding="utf-8")
    with Store.open(tmp_path / "store.duckdb") as store:
        doc = load(str(src))
        analysis = analyse(doc.text, doc.lang or "en")
        store.save_version(
            store.start_run("test"), doc, analysis.sentences, analysis.mentions, extract_claims(analysis)
        )
        _, stored = store.query("SELECT kind, plover_type, plover_mode, actor_code, recipient_code FROM claims")
        assert ("pledge", "AGREE", "intent", "CAN", "SDN") in stored and (
            "position",
            "REJECT",
            None,
            "IRN",
            None,
        ) in stored
        _, pledges = store.query("SELECT plover_type, actor_code, recipient_code FROM pledges")
        assert pledges == [("AGREE", "CAN", "SDN")]
        _, positions = store.query("SELECT plover_type, actor_code FROM positions")
        assert positions == [("REJECT", "IRN")]
        _, history = store.query("SELECT count(*) FROM current_claims WHERE plover_type IS NOT NULL")
        assert history == [(2,)]
        _, comments = store.query(
            "SELECT column_name FROM duckdb_columns() WHERE table_name = 'claims' AND column_name IN "
            "('plover_type', 'plover_mode', 'plover_context', 'actor_code', 'recipient_code') AND comment IS NOT NULL"
        )
        assert len(comments) == 5


def test_migration_codes_the_claims_stored_before_it(tmp_path, monkeypatch):
    import extract.store.db as store_module
    from extract.acquire.read import load
    from extract.store.db import Store

    src = tmp_path / "report.txt"
    src.write_text("Iran rejected the plan. Canada will send humanitarian aid to Sudan next week.", encoding="utf-8")
    path = tmp_path / "old.duckdb"
    with monkeypatch.context() as old_code:  # a store written by the code before migration 10
        old_code.setattr(store_module, "MIGRATIONS", store_module.MIGRATIONS[:9])
        with Store.open(path) as old:
            doc = load(str(src))
            analysis = analyse(doc.text, doc.lang or "en")
            old.save_version(old.start_run("old"), doc, analysis.sentences, analysis.mentions, extract_claims(analysis))
            columns = old.query("SELECT * FROM claims LIMIT 0")[0]
            assert "plover_type" not in columns
    with Store.open(path) as upgraded:
        assert upgraded.query("SELECT max(version) FROM schema_migrations")[1] == [(10,)]
        _, rows = upgraded.query(
            "SELECT kind, plover_type, plover_mode, actor_code, recipient_code FROM current_claims ORDER BY kind"
        )
        assert ("pledge", "AGREE", "intent", "CAN", "SDN") in rows and ("position", "REJECT", None, "IRN", None) in rows
        assert all(t is None for kind, t, *_ in rows if kind not in ("pledge", "position", "event"))


# Longer, wire-style sentences (attributions, titles, purposes, nouns for acts), written for these tests.
NEWS = [
    ("en", "AGREE", "India accepted an offer by Pakistan to hold talks on Kashmir, a foreign ministry spokesman said."),
    ("en", "CONSULT", "Norwegian peace envoy Erik Solheim flew to Colombo for talks with the Sri Lankan government."),
    ("en", "SUPPORT", "Britain voiced strong support for Kuwait's sovereignty, the foreign office said."),
    ("en", "CONCEDE", "Turkey's parliament eased the ban on broadcasting in Kurdish."),
    ("en", "COOPERATE", "Egypt and Israel exchanged information on the movement of militants in Sinai."),
    ("en", "AID", "France sent 500 paratroopers to Chad to protect the government against the rebels."),
    ("en", "RETREAT", "Iraq allowed U.N. inspectors to visit the presidential palaces."),
    ("en", "REQUEST", "Moscow called on Washington to resume negotiations on the arms treaty."),
    ("en", "ACCUSE", "France summoned the Iranian ambassador to protest the arrest of a French journalist."),
    ("en", "REJECT", "Venezuela defied a U.S. request to extradite the suspect."),
    (
        "en",
        "THREATEN",
        "Muslim rebels in the southern Philippines vowed to intensify their attacks, a rebel spokesman said.",
    ),
    ("en", "PROTEST", "Hundreds of Indian villagers rallied in New Delhi to demand the closure of the chemical plant."),
    ("en", "SANCTION", "Washington cut off military aid to Pakistan after the nuclear tests."),
    ("en", "MOBILIZE", "Venezuela called up thousands of reservists after the border incident."),
    ("en", "COERCE", "Russian tax police searched the offices of the independent television network."),
    ("en", "ASSAULT", "Islamic militants slit the throats of 23 villagers south of Algiers."),
    ("ja", "AGREE", "日本と中国は来月、首脳会談を開くことで合意した。"),
    ("ja", "CONSULT", "米国務長官は火曜日、東京で日本の外相と会談した。"),
    ("ja", "SUPPORT", "ドイツはフランスの提案を称賛した。"),
    ("ja", "CONCEDE", "タイ政府は非常事態宣言を解除した。"),
    ("ja", "COOPERATE", "韓国と米国は日本海で合同演習を実施した。"),
    ("ja", "AID", "日本政府はトルコの地震被災者に緊急援助物資を送った。"),
    ("ja", "RETREAT", "ロシア軍はヘルソンから撤退した。"),
    ("ja", "REQUEST", "日本政府は北朝鮮に拉致被害者の帰国を求めた。"),
    ("ja", "ACCUSE", "中国外務省は米国を強く批判した。"),
    ("ja", "REJECT", "北朝鮮は韓国の対話の提案を拒否した。"),
    ("ja", "THREATEN", "ロシアはポーランドに対抗措置を取ると警告した。"),
    ("ja", "PROTEST", "ソウルで数万人の市民が政府に抗議する集会を開いた。"),
    ("ja", "SANCTION", "米国はロシアの銀行に追加制裁を科した。"),
    ("ja", "MOBILIZE", "中国軍は台湾周辺で大規模な軍事演習を行った。"),
    ("ja", "COERCE", "香港警察は民主派の活動家10人を逮捕した。"),
    ("ja", "ASSAULT", "イスラエル軍はガザ地区の難民キャンプを空爆した。"),
]


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_news_style_sentences_of_every_type(lang):
    cases = [(want, text) for code, want, text in NEWS if code == lang]
    assert {want for want, _ in cases} == set(plover.TYPES)
    wrong = [(text, want, coded(text, lang).type) for want, text in cases if coded(text, lang).type != want]
    assert not wrong, wrong


@pytest.mark.parametrize(
    ("text", "actor", "recipient"),
    [
        ("Amnesty International called on China to release all political prisoners.", "NGO", "CHN"),
        ("Fidel Castro rejected American calls for free elections in Cuba.", "CUB", "USA"),
        ("Kofi Annan condemned Israel's use of force in the occupied territories.", "UNO", "ISR"),
        ("The Organization of African Unity praised Senegal for holding free elections.", "IGO", "SEN"),
        ("Yeltsin and Clinton held a summit in Helsinki.", "RUS", "USA"),
    ],
)
def test_actors_the_gazetteer_does_not_link_are_coded_by_the_manuals_rules(text, actor, recipient):
    c = coded(text, "en")
    assert (c.actor, c.recipient) == (actor, recipient)


def test_how_the_parse_puts_an_act_named_as_a_noun():
    assert coded("Iran vowed to intensify its attacks on Iraq.", "en").type == "THREATEN"  # a promise of attacks
    assert coded("Moscow called on Washington to resume negotiations.", "en").type == "REQUEST"  # a demand of talks
    assert coded("French and Egyptian warships launched war games on Monday.", "en").type == "COOPERATE"  # begun
    # the modality words of a phrasal trigger are its own: no demand, no plan
    assert coded("Striking workers set tyres on fire in Marseille.", "en").type == "ASSAULT"


def test_a_sentence_no_clause_codes_is_coded_from_the_manuals_words():
    analysis = analyse("The Security Council called on Israel to end its occupation of Lebanese territory.", "en")
    sentence = analysis.sentences[0]
    event = plover.code_by_words(analysis, sentence)
    assert event is not None and (event.code.type, event.code.actor, event.code.recipient) == ("REQUEST", "UNO", "ISR")
