"""Strict claim scoring on news reports: ``../shared/data/news-reports``, ``corpus/reports`` (scoring only) and
``corpus/dev-reports`` (for tuning).

Both sets share one format: ``manifest.jsonl`` (file, lang, published, story, …), ``reports/*.txt`` and
``gold.jsonl`` with program-neutral claims (ISO country codes, tier, window, bound, time, quantity, polarity;
see the set's README). A predicted claim matches a gold claim only when

- its family agrees (``keys.family``: a refused commitment is a pledge),
- its subject agrees: a country code is the country, its armed forces, or a person speaking for it; a joint
  actor ``RU,UA,US`` is the same set of actors; a surname is that person; ``coalition`` any coalition;
  ``null`` is a claim without an actor,
- and every field the gold states agrees: tier; window by length (P6W = P42D, PT72H = P3D); bound; time (a
  gold date-time by its date: times of day are not extracted); quantity by value, and by currency for
  money; polarity.

Predicate, object, modality and condition are not scored (the gold's wording of them is free text). Gold and
predictions are paired one-to-one per report by maximum bipartite matching.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from extract.acquire.read import load
from extract.claims import keys
from extract.evaluation.paths import ROOT
from extract.evaluation.scoring import PRF, Score
from extract.model import Claim
from extract.nlp.gazetteer import load_gazetteer
from extract.run.ingest import extract_documents

SPLIT = ROOT / "corpus" / "gold" / "reports-split.toml"
WRITTEN = ROOT / "corpus" / "reports"  # written for scoring only: never tune rules on them
TUNING = ROOT / "corpus" / "dev-reports"  # written for tuning rules
KINDS = ("tier", "pledge", "position", "event", "quantity")
_DURATION = re.compile(
    r"^P(?:(\d+(?:\.\d+)?)Y)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?"
    r"(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?)?$"
)
_HOURS = (365 * 24, 30 * 24, 7 * 24, 24, 1, 1 / 60)
_CURRENCY = re.compile(r"^[A-Z]{3}$")


@dataclass(frozen=True)
class Report:
    path: Path
    file: str  # as named in gold.jsonl
    lang: str
    published: date | None
    story: str
    dataset: str  # "dev" | "held-back" | "written" | "tune"


@dataclass
class ReportResult:
    report: Report
    gold: list[dict[str, Any]]
    predicted: list[Claim]
    matched: list[tuple[dict[str, Any], Claim]] = field(default_factory=list)
    missed: list[dict[str, Any]] = field(default_factory=list)
    false: list[Claim] = field(default_factory=list)


# --- the data -------------------------------------------------------------------------------------


def load_split(path: Path = SPLIT) -> dict[str, str]:
    """language → the story held back from development."""
    return tomllib.loads(path.read_text(encoding="utf-8"))["held_back"]


def reports(folder: Path, dataset: str | None = None, split: dict[str, str] | None = None) -> list[Report]:
    """The reports of a set; ``dataset`` None means dev / held-back by ``split``."""
    out = []
    for line in (folder / "manifest.jsonl").read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        m = json.loads(line)
        name = dataset or ("held-back" if (split or {}).get(m["lang"]) == m["story"] else "dev")
        published = date.fromisoformat(m["published"]) if m.get("published") else None
        out.append(Report(folder / m["file"], m["file"], m["lang"], published, m["story"], name))
    return out


def load_gold(folder: Path) -> dict[str, list[dict[str, Any]]]:
    by_file: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for line in (folder / "gold.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            g = json.loads(line)
            by_file[g["file"]].append(g)
    return by_file


# --- matching -------------------------------------------------------------------------------------


def duration_hours(value: str | None) -> float | None:
    """Length of an ISO 8601 duration in hours (months as 30 days, years as 365)."""
    m = _DURATION.match(value or "")
    if not value or not m or not any(m.groups()):
        return None
    return sum(float(x) * h for x, h in zip(m.groups(), _HOURS, strict=True) if x)


def _actor_options(code: str) -> set[str]:
    """Entity ids (or ``text:`` surface forms) a single gold actor stands for."""
    gaz = load_gazetteer()
    if re.fullmatch(r"[A-Z]{2}", code) and f"country:{code}" in gaz.entities:
        return {f"country:{code}"}
    if code == "coalition":
        return {e.id for e in gaz.entities.values() if e.type == "org" and "coalition" in e.id}
    found = {eid for alias, eid in gaz.aliases["en"].items() if alias.lower() == code.lower()}
    found |= {e.id for e in gaz.entities.values() if e.id.split(":", 1)[1] == code.lower()}
    found |= {e.id for e in gaz.entities.values() if e.type == "person" and e.name_en.split()[-1] == code}
    return found or {f"text:{code.lower()}"}


def _predicted_actors(claim: Claim) -> list[tuple[str | None, str]]:
    """(entity id, surface text) of each actor of a claim: the joint actors, else the subject."""
    refs = claim.participants if claim.participants else ((claim.subject,) if claim.subject else ())
    return [(r.entity_id, r.text.lower()) for r in refs]


def _actor_agrees(options: set[str], entity_id: str | None, text: str) -> bool:
    gaz = load_gazetteer()
    if entity_id in options:
        return True
    entity = gaz.get(entity_id)
    if entity is not None and entity.parent in options and entity.type in ("person", "force", "org"):
        return True  # a person speaks for a state; its forces and ministries act for it
    return any(o.startswith("text:") and o[5:] in text for o in options)


def subject_agrees(gold_subject: str | None, claim: Claim) -> bool:
    actors = _predicted_actors(claim)
    if gold_subject is None:
        return not any(eid for eid, _ in actors)
    wanted = [_actor_options(part.strip()) for part in gold_subject.split(",")]
    if len(wanted) != len(actors):
        return False
    return _assign(wanted, actors)


def _assign(wanted: list[set[str]], actors: list[tuple[str | None, str]]) -> bool:
    """Can every gold actor be paired with a distinct predicted actor?"""
    if not wanted:
        return True
    first, rest = wanted[0], wanted[1:]
    for i, (eid, text) in enumerate(actors):
        if _actor_agrees(first, eid, text) and _assign(rest, actors[:i] + actors[i + 1 :]):
            return True
    return False


def _time_agrees(gold: str, claim: Claim) -> bool:
    if claim.time is None:
        return False
    want = gold.split("T")[0] if re.match(r"^\d{4}-\d\d-\d\dT", gold) else gold
    return claim.time.iso == want


def _quantity_agrees(gold: dict[str, Any], claim: Claim) -> bool:
    q = claim.quantity
    if q is None or abs(q.value - float(gold["value"])) > 1e-6 * max(1.0, abs(float(gold["value"]))):
        return False
    unit = str(gold.get("unit") or "")
    return not _CURRENCY.match(unit) or q.unit == unit


def agrees(gold: dict[str, Any], claim: Claim) -> bool:
    """Does ``claim`` state ``gold`` (family, subject and every field the gold states)?"""
    if keys.family_of(claim) != gold["kind"] or not subject_agrees(gold["subject"], claim):
        return False
    if gold.get("tier") is not None and claim.tier != gold["tier"]:
        return False
    window = claim.window
    if gold.get("window") is not None and (
        window is None or duration_hours(window.duration) != duration_hours(gold["window"])
    ):
        return False
    if gold.get("bound") is not None and (window is None or window.bound != gold["bound"]):
        return False
    if gold.get("time") is not None and not _time_agrees(gold["time"], claim):
        return False
    if gold.get("quantity") is not None and not _quantity_agrees(gold["quantity"], claim):
        return False
    return gold.get("polarity") is None or gold["polarity"] == claim.polarity


def match(gold: list[dict[str, Any]], predicted: list[Claim]) -> list[tuple[int, int]]:
    """Maximum one-to-one pairing of gold and predicted claims that agree (augmenting paths)."""
    edges = [[j for j, c in enumerate(predicted) if agrees(g, c)] for g in gold]
    owner: dict[int, int] = {}

    def augment(i: int, seen: set[int]) -> bool:
        for j in edges[i]:
            if j in seen:
                continue
            seen.add(j)
            if j not in owner or augment(owner[j], seen):
                owner[j] = i
                return True
        return False

    for i in range(len(gold)):
        augment(i, set())
    return sorted((i, j) for j, i in owner.items())


def score_report(report: Report, gold: list[dict[str, Any]], predicted: list[Claim]) -> ReportResult:
    pairs = match(gold, predicted)
    result = ReportResult(report, gold, predicted)
    used_gold, used_pred = {i for i, _ in pairs}, {j for _, j in pairs}
    result.matched = [(gold[i], predicted[j]) for i, j in pairs]
    result.missed = [g for i, g in enumerate(gold) if i not in used_gold]
    result.false = [c for j, c in enumerate(predicted) if j not in used_pred]
    return result


# --- running --------------------------------------------------------------------------------------


def predict(report: Report) -> list[Claim]:
    return extract_documents([load(str(report.path), published=report.published)])[0].claims


def run_reports(items: Iterable[tuple[Report, list[dict[str, Any]]]], langs: set[str] | None) -> list[ReportResult]:
    results = []
    for report, gold in items:
        if langs is not None and report.lang not in langs:
            continue
        results.append(score_report(report, gold, predict(report)))
    return results


def collect(shared: Path, langs: set[str] | None = None) -> list[ReportResult]:
    """Score every report of the shared set (dev + held-back), of ``corpus/reports`` (written) and of
    ``corpus/dev-reports`` (tune)."""
    items: list[tuple[Report, list[dict[str, Any]]]] = []
    folder = shared / "data" / "news-reports"
    if (folder / "manifest.jsonl").exists():
        gold = load_gold(folder)
        items += [(r, gold.get(r.file, [])) for r in reports(folder, split=load_split())]
    if (WRITTEN / "manifest.jsonl").exists():
        gold = load_gold(WRITTEN)
        items += [(r, gold.get(r.file, [])) for r in reports(WRITTEN, dataset="written")]
    if (TUNING / "manifest.jsonl").exists():
        gold = load_gold(TUNING)
        items += [(r, gold.get(r.file, [])) for r in reports(TUNING, dataset="tune")]
    return run_reports(items, langs)


def scores(results: list[ReportResult]) -> list[Score]:
    """P/R/F1 per dataset × language × kind, with "all" languages pooled and "ALL" kinds pooled."""
    counts: dict[tuple[str, str, str], PRF] = defaultdict(PRF)
    docs: dict[tuple[str, str], set[str]] = defaultdict(set)
    for r in results:
        for lang in (r.report.lang, "all"):
            docs[(r.report.dataset, lang)].add(r.report.file)
            for kind in (*KINDS, "ALL"):
                prf = counts[(r.report.dataset, lang, kind)]
                prf.tp += sum(1 for g, _ in r.matched if kind in ("ALL", g["kind"]))
                prf.fn += sum(1 for g in r.missed if kind in ("ALL", g["kind"]))
                prf.fp += sum(1 for c in r.false if kind in ("ALL", keys.family_of(c)))
    return [
        Score("reports", lang, dataset, kind, prf, len(docs[(dataset, lang)]))
        for (dataset, lang, kind), prf in sorted(counts.items())
    ]


def evaluate_reports(shared: Path, langs: set[str] | None = None) -> list[Score]:
    return scores(collect(shared, langs))


def describe_claim(c: Claim) -> str:
    actors = ",".join(eid or text for eid, text in _predicted_actors(c)) or "-"
    parts = [keys.family_of(c), actors, c.predicate]
    if c.tier is not None:
        parts.append(f"tier={c.tier}")
    if c.window is not None:
        parts.append(f"window={c.window.duration}/{c.window.bound}")
    if c.time is not None:
        parts.append(f"time={c.time.iso}")
    if c.quantity is not None:
        parts.append(f"qty={c.quantity.value:g} {c.quantity.unit}")
    if c.polarity != "positive":
        parts.append(c.polarity)
    return " ".join(parts) + f"  «{c.evidence.sentence[:90]}»"


def describe_gold(g: dict[str, Any]) -> str:
    parts = [g["kind"], str(g["subject"]), g["predicate"]]
    for name in ("tier", "window", "bound", "time"):
        if g.get(name) is not None:
            parts.append(f"{name}={g[name]}")
    if g.get("quantity"):
        parts.append(f"qty={g['quantity']['value']} {g['quantity']['unit']}")
    if g.get("polarity") != "positive":
        parts.append(str(g.get("polarity")))
    return " ".join(parts) + (f"  ({g['note']})" if g.get("note") else "")


def verbose_lines(results: list[ReportResult]) -> list[str]:
    """Misses and false claims per report, for ``extract eval --stage reports --verbose``."""
    lines = []
    for r in results:
        if not r.missed and not r.false:
            continue
        lines.append(
            f"## {r.report.file} [{r.report.dataset}] {len(r.matched)}/{len(r.gold)} found, {len(r.false)} false"
        )
        lines += [f"  miss  {describe_gold(g)}" for g in r.missed]
        lines += [f"  false {describe_claim(c)}" for c in r.false]
    return lines
