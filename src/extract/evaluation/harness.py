"""``extract eval``: run the stage evaluations, print P/R/F1, and hold them to the floors in the baseline.

The baseline (``corpus/gold/baseline.json``) records every score and a floor for each score with enough
support. ``--check`` fails when a score is below its floor. ``--update-baseline`` records the new scores and
raises floors to the new score minus a small tolerance, but never lowers one: lowering needs
``--lower KEY=F1 --reason TEXT``, which is written to the baseline's history.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from extract.evaluation.paths import GOLD, SHARED
from extract.evaluation.scoring import Score

BASELINE = GOLD / "baseline.json"
STAGES = ("claims", "reports", "timex", "maintext", "ner", "plover")
TOLERANCE = 0.01  # floors sit this far below the recorded score (the pipeline is deterministic)
MIN_SUPPORT = 5  # scores with fewer gold items get no floor (too brittle)


def run_stage(stage: str, shared: Path, limit: int | None = None) -> list[Score]:
    """Scores of one stage (imports lazily: each stage loads its own models and data)."""
    if stage == "claims":
        from extract.evaluation.claims_eval import evaluate_claims

        return evaluate_claims(shared, GOLD / "claims.jsonl")
    if stage == "reports":
        from extract.evaluation.reports_eval import evaluate_reports
        from extract.nlp.analyse import PIPELINES

        return evaluate_reports(shared, set(PIPELINES))
    if stage == "timex":
        from extract.evaluation.timex_eval import evaluate_timex

        return evaluate_timex(shared, GOLD)
    if stage == "maintext":
        from extract.evaluation.maintext import evaluate_maintext

        return evaluate_maintext(shared, limit=limit)
    if stage == "ner":
        from extract.evaluation.ner import evaluate_ner

        return evaluate_ner(shared, limit=limit)
    if stage == "plover":
        from extract.evaluation.plover_eval import evaluate_plover

        return evaluate_plover(shared, GOLD, limit=limit)
    raise ValueError(f"unknown stage {stage!r}; choose from {', '.join(STAGES)}")


def run(stages: Iterable[str], shared: Path = SHARED, limit: int | None = None, log: Callable | None = None):
    scores: list[Score] = []
    for stage in stages:
        if log:
            log(f"evaluating {stage} …")
        scores += run_stage(stage, shared, limit)
    return scores


@dataclass(frozen=True)
class Failure:
    key: str
    f1: float
    floor: float


def load_baseline(path: Path = BASELINE) -> dict[str, Any]:
    if not path.exists():
        return {"scores": {}, "floors": {}, "history": []}
    return json.loads(path.read_text(encoding="utf-8"))


def check(scores: list[Score], baseline: dict[str, Any]) -> list[Failure]:
    """Scores below their floor (scores the run did not produce are not judged)."""
    current = {s.key: s.prf.f1 for s in scores}
    return [
        Failure(key, current[key], floor)
        for key, floor in sorted(baseline.get("floors", {}).items())
        if key in current and current[key] + 1e-9 < floor
    ]


def score_record(s: Score) -> dict[str, Any]:
    """One score as the baseline file and `extract eval --format json` record it."""
    p = s.prf
    return {
        "precision": round(p.precision, 4),
        "recall": round(p.recall, 4),
        "f1": round(p.f1, 4),
        "tp": p.tp,
        "fp": p.fp,
        "fn": p.fn,
        "docs": s.n_docs,
    }


def update(baseline: dict[str, Any], scores: list[Score], note: str | None = None) -> dict[str, Any]:
    """New scores; floors raised (never lowered) for scores with enough support."""
    floors = dict(baseline.get("floors", {}))
    raised = []
    for s in scores:
        if s.prf.tp + s.prf.fn < MIN_SUPPORT:
            continue
        candidate = round(max(0.0, s.prf.f1 - TOLERANCE), 3)
        if candidate > floors.get(s.key, -1.0):
            floors[s.key] = candidate
            raised.append(s.key)
    scores_out = dict(baseline.get("scores", {}))
    scores_out.update({s.key: score_record(s) for s in scores})
    history = list(baseline.get("history", []))
    history.append({"date": date.today().isoformat(), "raised": len(raised), "note": note or "update"})
    return {"scores": dict(sorted(scores_out.items())), "floors": dict(sorted(floors.items())), "history": history}


def lower(baseline: dict[str, Any], key: str, floor: float, reason: str) -> dict[str, Any]:
    """Lower one floor on purpose, with the reason kept in the history."""
    if not reason.strip():
        raise ValueError("lowering a floor needs a reason")
    if key not in baseline.get("floors", {}):
        raise ValueError(f"no floor named {key!r}")
    old = baseline["floors"][key]
    out = dict(baseline, floors=dict(baseline["floors"], **{key: floor}))
    out["history"] = [
        *baseline.get("history", []),
        {"date": date.today().isoformat(), "lowered": key, "from": old, "to": floor, "reason": reason},
    ]
    return out


def save_baseline(baseline: dict[str, Any], path: Path = BASELINE) -> None:
    path.write_text(json.dumps(baseline, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def table_rows(scores: list[Score], baseline: dict[str, Any]) -> list[list[Any]]:
    floors = baseline.get("floors", {})
    before = baseline.get("scores", {})
    rows = []
    for s in scores:
        was = before.get(s.key, {}).get("f1")
        rows.append(
            [
                s.stage,
                s.lang,
                s.dataset,
                s.kind,
                f"{s.prf.precision:.3f}",
                f"{s.prf.recall:.3f}",
                f"{s.prf.f1:.3f}",
                s.prf.tp + s.prf.fn,
                "" if was is None else f"{was:.3f}",
                "" if s.key not in floors else f"{floors[s.key]:.3f}",
            ]
        )
    return rows


TABLE_COLUMNS = ["stage", "lang", "dataset", "kind", "P", "R", "F1", "gold", "baseline F1", "floor"]
