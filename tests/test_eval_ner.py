"""NER evaluation: gold readers (CoNLL-U, stockmark, MEANTIME), label mapping, scoring and an end-to-end run."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy
from ginza.ene_ontonotes_mapper import ENE_ONTONOTES_MAPPING
from spacy.tokens import Span

from extract.evaluation import ner
from extract.evaluation.ner import (
    COMMON,
    Example,
    bio_spans,
    detokenize,
    predicted_spans,
    read_gsd,
    rebuild_text,
    score,
)
from extract.nlp.gazetteer import Match

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
STOCKMARK = SHARED / "data/ja-ner/stockmark-ner-wikipedia.json"
GSD = SHARED / "data/ja-ner/gsd-dev.ne.conllu"
MEANTIME = SHARED / "data/en-news-meantime"

CONLLU = """\
# sent_id = t1
# text = 東京都の田中太郎議員は2020年に来た。
1\t東京\t東京\tPROPN\t_\t_\t0\troot\t_\tSpaceAfter=No|NE=B-GPE
2\t都\t都\tNOUN\t_\t_\t1\tcompound\t_\tSpaceAfter=No|NE=L-GPE
3\tの\tの\tADP\t_\t_\t1\tcase\t_\tSpaceAfter=No
4\t田中\t田中\tPROPN\t_\t_\t1\tnmod\t_\tSpaceAfter=No|NE=B-PERSON
5\t太郎\t太郎\tPROPN\t_\t_\t1\tnmod\t_\tSpaceAfter=No|NE=L-PERSON
6\t議員\t議員\tNOUN\t_\t_\t1\tnmod\t_\tSpaceAfter=No|NE=U-TITLE_AFFIX
7\tは\tは\tADP\t_\t_\t1\tcase\t_\tSpaceAfter=No
8\t2020\t2020\tNUM\t_\t_\t1\tnmod\t_\tSpaceAfter=No|NE=B-DATE
9\t年\t年\tNOUN\t_\t_\t1\tnmod\t_\tSpaceAfter=No|NE=L-DATE
10\tに\tに\tADP\t_\t_\t1\tcase\t_\tSpaceAfter=No
11\t来\t来る\tVERB\t_\t_\t1\tacl\t_\tSpaceAfter=No
12\tた\tた\tAUX\t_\t_\t1\taux\t_\tSpaceAfter=No
13\t。\t。\tPUNCT\t_\t_\t1\tpunct\t_\tSpaceAfter=Yes

# sent_id = t2
# text = New York Times は 3 部 を 売る
1\tNew\tNew\tPROPN\t_\t_\t0\troot\t_\tNE=B-ORG
2\tYork\tYork\tPROPN\t_\t_\t1\tflat\t_\tNE=I-ORG
3\tTimes\tTimes\tPROPN\t_\t_\t1\tflat\t_\tNE=L-ORG
4\tは\tは\tADP\t_\t_\t1\tcase\t_\t_
5\t3\t3\tNUM\t_\t_\t1\tnummod\t_\tNE=B-QUANTITY
6\t部\t部\tNOUN\t_\t_\t1\tobj\t_\tNE=L-QUANTITY
7\tを\tを\tADP\t_\t_\t1\tcase\t_\t_
8\t売る\t売る\tVERB\t_\t_\t1\tacl\t_\tSpaceAfter=No|NE=U-WORK_OF_ART
"""


def test_bio_spans_reads_biluo_and_bio():
    assert bio_spans(["B-ORG", "I-ORG", "L-ORG", "O", "U-GPE"]) == [(0, 3, "ORG"), (4, 5, "GPE")]
    assert bio_spans(["B-PERSON", "I-PERSON", "O", "B-DATE", "B-DATE"]) == [
        (0, 2, "PERSON"),
        (3, 4, "DATE"),
        (4, 5, "DATE"),
    ]
    # an I- that does not continue the open entity starts a new one; a trailing entity is closed
    assert bio_spans(["B-ORG", "I-GPE", "I-GPE"]) == [(0, 1, "ORG"), (1, 3, "GPE")]
    assert bio_spans(["O", "I-LOC"]) == [(1, 2, "LOC")]
    assert bio_spans([]) == []


def test_rebuild_text_places_spaces_from_space_after():
    text, offsets = rebuild_text(["New", "York", "は", "。"], [True, True, False, True])
    assert text == "New York は。"
    assert offsets == [(0, 3), (4, 8), (9, 10), (10, 11)]


def test_read_gsd_maps_tags_to_common_character_spans(tmp_path):
    path = tmp_path / "mini.conllu"
    path.write_text(CONLLU, encoding="utf-8")
    first, second = read_gsd(path)
    assert first.text == "東京都の田中太郎議員は2020年に来た。"
    # GPE → LOC, TITLE_AFFIX dropped
    assert first.gold == {(0, 3, "LOC"), (4, 8, "PERSON"), (11, 16, "DATE")}
    assert second.text == "New York Times は 3 部 を 売る"
    # QUANTITY dropped, WORK_OF_ART → MISC
    assert second.gold == {(0, 14, "ORG"), (23, 25, "MISC")}
    assert [second.text[s:e] for s, e, _ in sorted(second.gold)] == ["New York Times", "売る"]
    assert len(read_gsd(path, limit=1)) == 1


def test_detokenize_offsets_point_at_tokens():
    sentences = [["Apple", "'s", "CEO", "(", "Jobs", ")", "said", "``", "hi", "''", "."], ["US$", "40", "bn"]]
    text, offsets = detokenize(sentences)
    assert text == 'Apple\'s CEO (Jobs) said "hi".\nUS$ 40 bn'
    assert [text[s:e] for s, e in offsets[0]] == ["Apple", "'s", "CEO", "(", "Jobs", ")", "said", '"', "hi", '"', "."]
    assert [text[s:e] for s, e in offsets[1]] == ["US$", "40", "bn"]


def test_every_source_label_has_a_mapping_into_common():
    tables = [
        ner.ONTONOTES_TO_COMMON,
        ner.STOCKMARK_TO_COMMON,
        ner.MEANTIME_ENTITY_TO_COMMON,
        ner.MEANTIME_TIMEX_TO_COMMON,
        ner.GAZETTEER_TO_COMMON,
    ]
    for table in tables:
        assert set(table.values()) <= {*COMMON, None}
    # every label GiNZA's ENE → OntoNotes mapper can produce
    assert set(ENE_ONTONOTES_MAPPING.values()) <= set(ner.ONTONOTES_TO_COMMON)
    assert ner.ONTONOTES_TO_COMMON["NORP"] == "MISC"
    assert ner.ONTONOTES_TO_COMMON["FAC"] == "LOC"
    assert ner.ONTONOTES_TO_COMMON["TIME"] == "DATE"
    with pytest.raises(KeyError):
        ner.to_common("NEW_LABEL", ner.ONTONOTES_TO_COMMON)


def test_english_pipeline_labels_are_all_mapped():
    from extract.nlp.analyse import load_pipeline

    assert set(load_pipeline("en").get_pipe("ner").labels) <= set(ner.ONTONOTES_TO_COMMON)


def _fake_doc():
    """'Ukraine forces took 3 villages in Donbas near Kyiv' with hand-set entities and one gazetteer link."""
    nlp = spacy.blank("en")
    doc = nlp.make_doc("Ukraine forces took 3 villages in Donbas near Kyiv ")
    doc.ents = [
        Span(doc, 0, 2, "ORG"),  # "Ukraine forces", overlaps the gazetteer link
        Span(doc, 3, 4, "CARDINAL"),  # not scored
        Span(doc, 6, 7, "Country"),  # a GiNZA ENE label: Country → GPE → LOC
        Span(doc, 8, 9, "Position_Vocation"),  # ENE → OTHERS → not scored
    ]
    doc._.links = [Match(0, 7, "Ukraine", "country:UA")]
    return doc


def test_predicted_spans_maps_labels_and_lets_gazetteer_links_win():
    doc = _fake_doc()
    assert predicted_spans(doc, use_gazetteer=False) == {(0, 14, "ORG"), (34, 40, "LOC")}
    assert predicted_spans(doc, use_gazetteer=True) == {(0, 7, "LOC"), (34, 40, "LOC")}


def test_predicted_spans_drop_topic_links_but_still_replace_overlapping_entities():
    nlp = spacy.blank("en")
    doc = nlp.make_doc("security guarantees for Kyiv")
    doc.ents = [Span(doc, 0, 2, "LAW"), Span(doc, 3, 4, "GPE")]
    doc._.links = [Match(0, 19, "security guarantees", "topic:security-guarantees")]
    assert predicted_spans(doc, use_gazetteer=True) == {(24, 28, "LOC")}


def test_score_counts_exact_span_and_type_and_skips_ignored_and_unscored():
    example = Example("x" * 40, frozenset({(0, 5, "PERSON"), (10, 15, "ORG"), (20, 25, "DATE")}), frozenset({(30, 35)}))
    predicted = {(0, 5, "PERSON"), (10, 15, "LOC"), (20, 24, "DATE"), (30, 35, "ORG")}
    counts = score([example], [predicted], ["PERSON", "ORG", "LOC", "DATE"])
    assert (counts["PERSON"].tp, counts["PERSON"].fp, counts["PERSON"].fn) == (1, 0, 0)
    assert (counts["ORG"].tp, counts["ORG"].fp, counts["ORG"].fn) == (0, 0, 1)  # (30, 35) is ignored
    assert (counts["LOC"].tp, counts["LOC"].fp, counts["LOC"].fn) == (0, 1, 0)
    assert (counts["DATE"].tp, counts["DATE"].fp, counts["DATE"].fn) == (0, 1, 1)
    # a label the dataset does not annotate is dropped from the predictions
    counts = score([example], [{(20, 25, "DATE")}], ["PERSON", "ORG"])
    assert set(counts) == {"PERSON", "ORG"} and all(c.fp == 0 for c in counts.values())
    assert "DATE" not in ner.dataset_labels("stockmark") and "DATE" in ner.dataset_labels("meantime")


@pytest.mark.skipif(not STOCKMARK.exists(), reason="shared stockmark data missing")
def test_read_stockmark_real_items():
    items = ner.read_stockmark(STOCKMARK, limit=3)
    assert items[0].text == "SPRiNGSと最も仲の良いライバルグループ。"
    assert items[0].gold == {(0, 7, "ORG")}  # その他の組織名
    assert items[1].text == "レッドフォックス株式会社は、東京都千代田区に本社を置くITサービス企業である。"
    assert items[1].gold == {(0, 12, "ORG"), (14, 21, "LOC")}  # 法人名, 地名
    assert items[2].gold == {(0, 5, "PERSON"), (7, 9, "LOC")}  # 松友美佐紀 (人名), 日本 (地名)


@pytest.mark.skipif(not GSD.exists(), reason="shared GSD data missing")
def test_read_gsd_real_sentences():
    first, _, third = read_gsd(GSD, limit=3)
    assert first.text == "ただし、50周年ソングに変更後は、EDも歌つきのものが使われた。"
    assert first.gold == {(4, 8, "DATE")}  # 50周年
    # セントラル・リーグ (ORG), 審判員 (TITLE_AFFIX, dropped), 水落朋大 (PERSON)
    assert third.gold == {(0, 9, "ORG"), (13, 17, "PERSON")}


@pytest.mark.skipif(not MEANTIME.exists(), reason="shared MEANTIME data missing")
def test_read_meantime_real_documents():
    path = MEANTIME / "corpus_apple" / "101354_Apple_releases_iPhone_SDK,_announces_upcoming_update.xml"
    doc = ner.meantime_example(path)
    assert doc.text.startswith("Apple releases iPhone SDK, announces upcoming update\nMarch 06, 2008\nDuring a media")
    spans = {(doc.text[s:e], label) for s, e, label in doc.gold}
    # NAM mentions get the type of the entity they refer to; the TIMEX3 dateline is a DATE
    assert ("Apple", "ORG") in spans and ("iPhone SDK", "MISC") in spans and ("March 06, 2008", "DATE") in spans
    assert (0, 5, "ORG") in doc.gold and (238, 262, "MISC") in doc.gold  # "iPhone Developer Program"
    # nominal (NOM "the program") and pronominal (PRO "its") mentions are not gold
    assert not any(text in {"its", "them", "the program", "Developers"} for text, _ in spans)
    assert len(doc.gold) == 12 and not doc.ignore

    airbus = ner.read_meantime(MEANTIME, limit=1)[0]
    assert (0, 16, "ORG") in airbus.gold and airbus.text[0:16] == "Northrop Grumman"
    assert (92, 106, "DATE") in airbus.gold and airbus.text[92:106] == "March 01, 2008"
    # the airbus sub-corpus leaves non-name mentions untyped: they are ignored, not gold
    assert (58, 91) in airbus.ignore and airbus.text[58:91] == "$40 billion US airtanker contract"
    # only the annotated head of the article (title, dateline, first sentences) is kept
    assert airbus.text.count("\n") == 5


@pytest.mark.skipif(not (GSD.exists() and STOCKMARK.exists() and MEANTIME.exists()), reason="shared data missing")
def test_evaluate_ner_end_to_end_small():
    scores = ner.evaluate_ner(SHARED, limit=50)
    by_key = {(s.dataset, s.kind): s for s in scores}
    assert {s.dataset for s in scores} == {"gsd-dev", "stockmark", "meantime"}
    assert all(s.stage == "ner" for s in scores)
    assert {s.lang for s in scores if s.dataset == "meantime"} == {"en"}
    for dataset in ("gsd-dev", "stockmark", "meantime"):
        assert by_key[(dataset, "ALL")].n_docs == 50
        assert by_key[(dataset, "ALL")].prf.f1 > 0.35, dataset
        for kind in ("PERSON", "ORG", "LOC"):
            assert by_key[(dataset, kind)].prf.f1 > 0.25, (dataset, kind)
    assert ("stockmark", "DATE") not in by_key
    assert by_key[("meantime", "DATE")].prf.f1 > 0.5
