"""Timex evaluation: the TimeML reader, the Japanese gold file and both datasets end to end."""

from __future__ import annotations

import re
from datetime import date

import pytest
from conftest import ROOT, SHARED

from extract.evaluation.scoring import PRF
from extract.evaluation.timex_eval import (
    JA_GOLD_FILE,
    TEMPEVAL_DIR,
    Mention,
    align,
    evaluate_ja_cases,
    evaluate_tempeval3,
    evaluate_timex,
    load_ja_cases,
    read_timeml,
)

GOLD_DIR = ROOT / "corpus" / "gold"
KINDS = {"DATE-extent", "DATE-value", "DURATION-extent", "DURATION-value"}

TML = (
    '<?xml version="1.0" ?>\n<TimeML>\n<DOCID>TEST_1</DOCID>\n'
    '<DCT><TIMEX3 functionInDocument="CREATION_TIME" tid="t0" type="DATE" value="2013-03-22">'
    "March 22, 2013</TIMEX3></DCT>\n"
    "<TITLE>Ignored title 2012</TITLE>\n"
    '<TEXT>\nThe talks <EVENT class="OCCURRENCE" eid="e1">ended</EVENT> '
    '<TIMEX3 tid="t1" type="DATE" value="2013-03-21">Thursday</TIMEX3> after '
    '<TIMEX3 type="DURATION" value="P3D" tid="t2">three days</TIMEX3> &amp; a '
    '<TIMEX3 tid="t3" type="TIME" value="2013-03-22TMO">Friday morning</TIMEX3>.\n</TEXT>\n</TimeML>\n'
)


def test_read_timeml_strips_tags_and_keeps_offsets():
    document = read_timeml(TML, "TEST_1")
    assert document.dct == date(2013, 3, 22)
    assert document.text == "\nThe talks ended Thursday after three days & a Friday morning.\n"
    assert document.timexes["DATE"] == [Mention(17, 25, "2013-03-21", "Thursday")]
    assert document.timexes["DURATION"] == [Mention(32, 42, "P3D", "three days")]
    assert document.timexes["TIME"] == [Mention(47, 61, "2013-03-22TMO", "Friday morning")]
    for mentions in document.timexes.values():
        assert all(document.text[m.start : m.end] == m.text for m in mentions)


def test_evaluate_tempeval3_counts_on_a_tiny_document(tmp_path):
    (tmp_path / "TEST_1.tml").write_text(TML, encoding="utf-8")
    prf = {score.kind: score.prf for score in evaluate_tempeval3(tmp_path)}
    # "Friday" inside the TIME "Friday morning" is neither a hit nor a false positive
    assert prf["DATE-extent"] == prf["DATE-extent-strict"] == prf["DATE-value"] == PRF(tp=1)
    # the window "after three days" overlaps the gold "three days" but is not the same span
    assert prf["DURATION-extent"] == prf["DURATION-value"] == PRF(tp=1)
    assert prf["DURATION-extent-strict"] == PRF(fp=1, fn=1)
    assert prf["ALL"] == PRF(tp=2)


def test_align_is_one_to_one_and_prefers_the_largest_overlap():
    gold = [Mention(0, 10, "a"), Mention(20, 25, "b")]
    predicted = [Mention(8, 22, "x"), Mention(2, 9, "y")]
    assert align(gold, predicted) == [(gold[0], predicted[1]), (gold[1], predicted[0])]


def test_ja_gold_loads_with_valid_values():
    cases = load_ja_cases(GOLD_DIR / JA_GOLD_FILE)
    assert len(cases) >= 35
    assert len({case.id for case in cases}) == len(cases)
    iso = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?(/\d{4}-\d{2}-\d{2})?")
    duration = re.compile(r"P(T\d+H|\d+[DWMY])")
    for case in cases:
        assert all(iso.fullmatch(m.value) and case.text[m.start : m.end] == m.text for m in case.times)
        assert all(duration.fullmatch(m.value) and case.text[m.start : m.end] == m.text for m in case.windows)
    assert sum(not case.times and not case.windows for case in cases) >= 5  # sentences with no time at all


def test_ja_cases_scores():
    scores = {score.kind: score for score in evaluate_ja_cases(GOLD_DIR / JA_GOLD_FILE)}
    assert KINDS | {"ALL"} <= scores.keys()
    # measured: DATE-value F1 0.945, DURATION-value F1 0.966
    assert scores["DATE-value"].prf.f1 >= 0.85
    assert scores["DURATION-value"].prf.f1 >= 0.85
    assert all(0.0 <= score.prf.f1 <= 1.0 for score in scores.values())


def test_evaluate_timex_end_to_end():
    if not (SHARED / TEMPEVAL_DIR).is_dir():
        pytest.skip(f"TempEval-3 data not found at {SHARED / TEMPEVAL_DIR}")
    scores = {(score.dataset, score.kind): score for score in evaluate_timex(SHARED, GOLD_DIR)}
    for dataset in ("tempeval3", "ja-cases"):
        assert {(dataset, kind) for kind in KINDS} <= scores.keys()
    tempeval = {kind: scores["tempeval3", kind] for kind in KINDS}
    assert tempeval["DATE-value"].n_docs == 20
    # measured: DATE-extent F1 0.732, DATE-value F1 0.641 (P 0.86, R 0.51)
    assert tempeval["DATE-extent"].prf.f1 >= 0.65
    assert 0.55 <= tempeval["DATE-value"].prf.f1 <= tempeval["DATE-extent"].prf.f1
    assert tempeval["DATE-value"].prf.precision >= 0.75
    # find_windows only finds bounded windows ("within 72 hours"), so most TimeML durations are missed
    assert tempeval["DURATION-value"].prf.tp >= 1
