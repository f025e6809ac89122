"""Precision/recall/F1 bookkeeping shared by every evaluation."""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass


@dataclass
class PRF:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, gold: Iterable[Hashable], predicted: Iterable[Hashable]) -> PRF:
        """Count exact matches between two collections of hashable items (sets)."""
        gold_set, pred_set = set(gold), set(predicted)
        self.tp += len(gold_set & pred_set)
        self.fp += len(pred_set - gold_set)
        self.fn += len(gold_set - pred_set)
        return self

    def __iadd__(self, other: PRF) -> PRF:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn
        return self


@dataclass(frozen=True)
class Score:
    """One line of the evaluation report: stage / language / dataset / kind with its counts."""

    stage: str  # "ner", "timex", "maintext", "claims"
    lang: str  # "ja", "en"
    dataset: str  # "gsd-dev", "stockmark", "meantime", "tempeval3", "ja-cases", "scrapinghub", "gold"
    kind: str  # label or claim kind, or "ALL" for the micro average
    prf: PRF
    n_docs: int = 0

    @property
    def key(self) -> str:
        return f"{self.stage}/{self.lang}/{self.dataset}/{self.kind}"


def by_kind(stage: str, lang: str, dataset: str, counts: dict[str, PRF], n_docs: int) -> list[Score]:
    """Scores per kind plus the micro average over all kinds ("ALL")."""
    total = PRF()
    scores = []
    for kind in sorted(counts):
        total += counts[kind]
        scores.append(Score(stage, lang, dataset, kind, counts[kind], n_docs))
    scores.append(Score(stage, lang, dataset, "ALL", total, n_docs))
    return scores
