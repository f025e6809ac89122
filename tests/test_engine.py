"""The NLP engine: worker processes give exactly the in-process results, and a failing document stays alone."""

from __future__ import annotations

from dataclasses import replace

from conftest import EN_SAMPLE, JA_SAMPLE

from extract.engine import Extracted, extract_many
from extract.ingest import load


def test_workers_give_the_same_claims_in_input_order():
    docs = [load(str(EN_SAMPLE)), load(str(JA_SAMPLE))]
    broken = replace(docs[0], lang="xx")  # no pipeline for this language: fails in the worker
    items = [("en", docs[0]), ("broken", broken), ("ja", docs[1])]
    local = list(extract_many(items, processes=1))
    pooled = list(extract_many(items, processes=2))
    assert [key for key, _ in pooled] == ["en", "broken", "ja"]
    assert isinstance(pooled[1][1], ValueError) and "no NLP pipeline" in str(pooled[1][1])
    for (_, a), (_, b) in zip(local, pooled, strict=True):
        if isinstance(a, Extracted):
            assert a.claims == b.claims and a.sentences == b.sentences and a.mentions == b.mentions
    tiers = sorted(c.tier for c in pooled[2][1].claims if c.kind == "tier")
    assert tiers == [1, 2, 3]
