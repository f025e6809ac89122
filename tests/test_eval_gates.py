"""The quality gate: every stage is scored on real data and no score may fall below its recorded floor."""

from __future__ import annotations

import pytest

from extract.evaluation import harness
from extract.evaluation.scoring import PRF, Score


def score(key_kind: str, tp: int, fp: int, fn: int) -> Score:
    return Score("claims", "en", "test", key_kind, PRF(tp, fp, fn))


def test_floors_only_ratchet_up_and_lowering_needs_a_reason():
    base = {"scores": {}, "floors": {}, "history": []}
    first = harness.update(base, [score("ALL", 8, 2, 2), score("rare", 1, 0, 1)])
    assert first["floors"] == {"claims/en/test/ALL": 0.79}  # F1 0.8 minus the tolerance; "rare" has too little support
    worse = harness.update(first, [score("ALL", 5, 5, 5)])
    assert worse["floors"]["claims/en/test/ALL"] == 0.79  # a worse run never lowers a floor
    assert [f.key for f in harness.check([score("ALL", 5, 5, 5)], worse)] == ["claims/en/test/ALL"]
    assert harness.check([score("ALL", 8, 2, 2)], worse) == []
    with pytest.raises(ValueError, match="reason"):
        harness.lower(worse, "claims/en/test/ALL", 0.4, " ")
    lowered = harness.lower(worse, "claims/en/test/ALL", 0.4, "gold file corrected")
    assert lowered["floors"]["claims/en/test/ALL"] == 0.4
    assert lowered["history"][-1]["reason"] == "gold file corrected"


def test_the_recorded_baseline_is_consistent():
    baseline = harness.load_baseline()
    assert baseline["floors"], "corpus/gold/baseline.json has no floors"
    for key, floor in baseline["floors"].items():
        assert key in baseline["scores"], key
        assert floor <= baseline["scores"][key]["f1"] + 1e-9, key
    stages = {key.split("/")[0] for key in baseline["floors"]}
    assert stages == set(harness.STAGES)


@pytest.mark.skipif(not harness.SHARED.exists(), reason="evaluation data in ../shared is missing")
@pytest.mark.parametrize("stage", harness.STAGES)
def test_no_score_is_below_its_floor(stage):
    scores = harness.run([stage])
    failures = harness.check(scores, harness.load_baseline())
    assert not failures, "\n".join(f"{f.key}: F1 {f.f1:.3f} < floor {f.floor:.3f}" for f in failures)
    floors = {k for k in harness.load_baseline()["floors"] if k.startswith(stage + "/")}
    assert floors <= {s.key for s in scores}, "a floored score was not produced"
