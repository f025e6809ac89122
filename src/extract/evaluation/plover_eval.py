"""``extract eval --stage plover``: PLOVER event coding against the PLOVER gold standard records (issue 17).

``../shared/data/plover-gsr/dev.jsonl`` holds 161 hand-coded English sentences. ``corpus/gold/plover-split.toml``
splits them by line into a development half (odd lines) and a held-out half (even lines, never read while
writing rules); both are scored, as datasets ``gsr-dev`` and ``gsr-held-out``.

Each sentence is coded by ``plover.code_sentences`` (its main clause) and scored on:

- the event type, per type (P/R/F1 of a single-label classification: a wrong type is a miss of the gold type and
  a false alarm of the predicted one), with ``type-accuracy`` and ``type-macro-F1`` (the mean F1 over the types
  of the gold half) as scores of their own. The records use older names, scored as the manual's CAMEO table maps
  them: DEMAND is REQUEST, DISAPPROVE and INVESTIGATE are ACCUSE, FIGHT is ASSAULT;
- ``actor-accuracy``: over records with a coded source, the share whose first predicted actor code is one of the
  gold source codes; ``recipient-accuracy`` the same for targets. The records predate the manual's separate UNO
  and EUR codes, so a gold ``IGO`` accepts UNO and EUR too.

Actors are resolved from the gazetteer (CLDR country names, curated actors) and the language's demonyms only.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass
from pathlib import Path

from extract.evaluation.scoring import PRF, Score

OLD_NAMES = {"DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE", "INVESTIGATE": "ACCUSE", "FIGHT": "ASSAULT"}
IGO_LIKE = {"IGO": {"IGO", "UNO", "EUR"}}


@dataclass
class Ratio(PRF):
    """A share (accuracy, macro-F1) in the score table: ``tp`` hits of ``tp + fn`` items, ``f1`` the value."""

    value: float = 0.0

    @property
    def precision(self) -> float:
        return self.value

    @property
    def recall(self) -> float:
        return self.value

    @property
    def f1(self) -> float:
        return self.value


def load_split(gold: Path) -> dict:
    return tomllib.loads((gold / "plover-split.toml").read_text(encoding="utf-8"))


def halves(shared: Path, gold: Path) -> dict[str, list[dict]]:
    """Records of each half: ``gsr-dev`` (odd lines, counted from 1) and ``gsr-held-out`` (even lines)."""
    split = load_split(gold)
    lines = (shared / split["source"]).read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines if line.strip()]
    pick = {"odd": records[0::2], "even": records[1::2]}
    return {"gsr-dev": pick[split["halves"]["dev"]], "gsr-held-out": pick[split["halves"]["held_out"]]}


def gold_type(record: dict) -> str:
    return OLD_NAMES.get(record["event"], record["event"])


def gold_codes(record: dict, field: str) -> set[str]:
    value = record.get(field)
    if not isinstance(value, list):
        return set()
    return {a["code"] for a in value if isinstance(a, dict) and a.get("code")}


def _accepts(gold: set[str], code: str | None) -> bool:
    if not code:
        return False
    return any(code in IGO_LIKE.get(g, {g}) for g in gold)


@dataclass(frozen=True)
class Coded:
    record: dict
    type: str | None
    mode: str | None
    actor: str | None
    recipient: str | None


def code_records(records: list[dict]) -> list[Coded]:
    from extract.claims import plover
    from extract.nlp.analyse import analyse

    out = []
    for r in records:
        events = plover.code_sentences(analyse(r["text"], r.get("language") or "en", None))
        c = events[0].code if events else plover.Code()
        out.append(Coded(r, c.type, c.mode, c.actor, c.recipient))
    return out


def score(dataset: str, coded: list[Coded], lang: str = "en") -> list[Score]:
    from extract.claims.plover import TYPES

    counts = {t: PRF() for t in TYPES}
    hits = 0
    actor_hits = actor_n = recipient_hits = recipient_n = 0
    for c in coded:
        g = gold_type(c.record)
        if c.type == g:
            counts[g].tp += 1
            hits += 1
        else:
            counts.setdefault(g, PRF()).fn += 1
            if c.type:
                counts.setdefault(c.type, PRF()).fp += 1
        src, tgt = gold_codes(c.record, "source"), gold_codes(c.record, "target")
        if src:
            actor_n += 1
            actor_hits += _accepts(src, c.actor)
        if tgt:
            recipient_n += 1
            recipient_hits += _accepts(tgt, c.recipient)
    present = [t for t in counts if counts[t].tp + counts[t].fn]
    macro = sum(counts[t].f1 for t in present) / len(present) if present else 0.0
    n = len(coded)
    scores = [Score("plover", lang, dataset, t, counts[t], n) for t in sorted(present)]
    scores += [
        Score("plover", lang, dataset, "type-accuracy", Ratio(hits, 0, n - hits, hits / n if n else 0.0), n),
        Score("plover", lang, dataset, "type-macro-F1", Ratio(hits, 0, n - hits, macro), n),
        Score(
            "plover",
            lang,
            dataset,
            "actor-accuracy",
            Ratio(actor_hits, 0, actor_n - actor_hits, actor_hits / actor_n if actor_n else 0.0),
            n,
        ),
        Score(
            "plover",
            lang,
            dataset,
            "recipient-accuracy",
            Ratio(
                recipient_hits, 0, recipient_n - recipient_hits, recipient_hits / recipient_n if recipient_n else 0.0
            ),
            n,
        ),
    ]
    return scores


def evaluate_plover(shared: Path, gold: Path, limit: int | None = None) -> list[Score]:
    scores: list[Score] = []
    for dataset, records in halves(shared, gold).items():
        scores += score(dataset, code_records(records[:limit] if limit else records))
    return scores
