"""Main-text evaluation: token scoring on hand-made strings and the ScrapingHub benchmark end to end."""

from __future__ import annotations

import pytest
from conftest import SHARED

from extract.evaluation.maintext import (
    BENCHMARK_DIR,
    MaintextResult,
    PageScore,
    evaluate_maintext,
    measure_maintext,
    token_prf,
    tokens,
)
from extract.evaluation.scoring import PRF


def test_token_prf_counts_multisets():
    prf = token_prf("the cat sat on the mat", "the cat, the dog!")
    assert prf == PRF(tp=3, fp=1, fn=3)
    assert (prf.precision, prf.recall) == (0.75, 0.5)
    assert prf.f1 == pytest.approx(0.6)


def test_token_prf_is_case_sensitive_and_ignores_punctuation():
    assert token_prf("Hello, world!", "hello world") == PRF(tp=1, fp=1, fn=1)
    assert token_prf("It's 4,641 people.", "It s 4 641 people") == PRF(tp=5, fp=0, fn=0)


def test_token_prf_shingles():
    assert token_prf("a b c d", "a b c x", ngram=2) == PRF(tp=2, fp=1, fn=1)
    assert tokens("a b", ngram=4) == {("a", "b"): 1}  # shorter than a shingle: one short shingle
    assert token_prf("a b c d", "", ngram=4) == PRF(tp=0, fp=0, fn=1)


def test_macro_averages_follow_the_benchmark():
    result = MaintextResult(
        [
            PageScore("good", PRF(tp=3, fp=1, fn=3), extracted=True),
            PageScore("failed", PRF(tp=0, fp=0, fn=4), extracted=False),
            PageScore("exact", PRF(tp=5, fp=0, fn=0), extracted=True),
        ]
    )
    assert result.failures == ["failed"]
    assert result.micro == PRF(tp=8, fp=1, fn=7)
    assert result.macro_precision == pytest.approx((0.75 + 1.0) / 2)  # pages without output are left out
    assert result.macro_recall == pytest.approx((0.5 + 0.0 + 1.0) / 3)
    p, r = result.macro_precision, result.macro_recall
    assert result.macro_f1 == pytest.approx(2 * p * r / (p + r))


@pytest.fixture(scope="module")
def benchmark():
    if not (SHARED / BENCHMARK_DIR / "ground-truth.json").exists():
        pytest.skip(f"article-extraction benchmark not found at {SHARED / BENCHMARK_DIR}")
    return SHARED


def test_evaluate_maintext_end_to_end(benchmark):
    [score] = evaluate_maintext(benchmark, limit=20)
    assert (score.stage, score.lang, score.dataset, score.kind, score.n_docs) == (
        "maintext",
        "en",
        "scrapinghub",
        "ALL",
        20,
    )
    assert score.prf.f1 > 0.93  # measured 0.980 (micro, single tokens)


def test_measure_maintext_macro_and_failures(benchmark):
    result = measure_maintext(benchmark, limit=20)
    assert len(result.pages) == 20
    assert len(result.failures) <= 1  # measured 0
    assert result.macro_f1 > 0.93  # measured 0.970
