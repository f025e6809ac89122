"""Claim extraction against the hand-annotated gold in ``corpus/gold/claims.jsonl``.

A predicted claim matches a gold claim when its family, predicate and subject match (and the tier, the
event venue, the position's object where the gold names them). Each gold claim is matched at most once.
Two scores per family: ``<family>`` counts matches (is the claim there?), ``<family>+value`` also requires
every value field of the gold to be stated and equal (does it say the right thing?).
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Any

from extract.acquire.read import load
from extract.claims import keys
from extract.evaluation.paths import ROOT
from extract.evaluation.scoring import PRF, Score, by_kind
from extract.model import Document
from extract.run.ingest import extract_documents
from extract.store.rows import claim_record


def load_gold(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def resolve_doc(ref: str, shared: Path) -> Path:
    """ "shared:seeds/x.txt" → ../shared/seeds/x.txt; "project:corpus/…" → the repository."""
    scheme, _, rel = ref.partition(":")
    base = {"shared": shared, "project": ROOT}.get(scheme)
    if base is None:
        raise ValueError(f"gold document reference must start with shared: or project: ({ref!r})")
    return base / rel


def meantime_document(path: Path, published: date | None) -> Document:
    """A MEANTIME NAF-like XML file as a Document: sentences from its tokens, one per line."""
    root = ET.parse(path).getroot()
    lines: dict[str, list[str]] = defaultdict(list)
    for token in root.iter("token"):
        lines[token.get("sentence")].append(token.text or "")
    text = "\n".join(" ".join(tokens) for _, tokens in sorted(lines.items(), key=lambda kv: int(kv[0])))
    from extract.acquire.langid import require_supported

    lang, score = require_supported(text, str(path))
    return Document(str(path), None, "", text, path.stem, published, "Wikinews", lang, score, "text/plain")


def predicted_rows(path: Path, published: date | None) -> tuple[str, list[dict[str, Any]]]:
    """(language, claim rows with keys) for one gold document."""
    doc = meantime_document(path, published) if path.suffix == ".xml" else load(str(path), published=published)
    claims = extract_documents([doc])[0].claims
    rows = []
    for claim in claims:
        row = claim_record("", "", claim)
        row["family"] = keys.family(row)
        row["value"] = keys.claim_value(row)
        rows.append(row)
    return doc.lang, rows


def _subject_matches(gold: dict[str, Any], row: dict[str, Any]) -> bool:
    if "subject" not in gold:
        return True
    accepted = {s.lower() for s in gold["subject"]}
    sid, text = row["subject_id"], (row["subject_text"] or "").lower()
    if sid and (sid.lower() in accepted or keys.actor(sid).lower() in accepted):
        return True
    return bool(text) and any(a in text or text in a for a in accepted if ":" not in a)


def _object_matches(gold: dict[str, Any], row: dict[str, Any]) -> bool:
    if "object" not in gold:
        return True
    oid, text = (row["object_id"] or "").lower(), (row["object_text"] or "").lower()
    return any(o.lower() == oid or (":" not in o and o.lower() in text) for o in gold["object"])


def _predicate(row: dict[str, Any]) -> str:
    return "accept" if row["family"] == "position" and row["predicate"] == "reject" else row["predicate"]


def matches(gold: dict[str, Any], row: dict[str, Any]) -> bool:
    return (
        gold["kind"] == row["family"]
        and gold["predicate"] == _predicate(row)
        and gold.get("tier", row["tier"]) == row["tier"]
        and gold.get("location", row["location_id"]) == row["location_id"]
        and gold.get("unit", row["quantity_unit"]) == row["quantity_unit"]
        and _subject_matches(gold, row)
        and _object_matches(gold, row)
    )


def value_correct(gold: dict[str, Any], row: dict[str, Any]) -> bool:
    return all(row["value"].get(field) == want for field, want in gold["value"].items())


def score_document(gold: list[dict[str, Any]], rows: list[dict[str, Any]]) -> tuple[dict, dict]:
    """Per-family counts (presence, presence+value) for one document; greedy one-to-one matching that
    prefers predictions whose value is also right."""
    found: dict[str, PRF] = defaultdict(PRF)
    full: dict[str, PRF] = defaultdict(PRF)
    free = list(rows)
    for g in gold:
        candidates = [r for r in free if matches(g, r)]
        best = next((r for r in candidates if value_correct(g, r)), candidates[0] if candidates else None)
        if best is None:
            found[g["kind"]].fn += 1
            full[g["kind"]].fn += 1
            continue
        free.remove(best)
        found[g["kind"]].tp += 1
        if value_correct(g, best):
            full[g["kind"]].tp += 1
        else:
            full[g["kind"]].fn += 1
            full[g["kind"]].fp += 1
    for r in free:
        found[r["family"]].fp += 1
        full[r["family"]].fp += 1
    return found, full


def evaluate_claims(shared: Path, gold_path: Path) -> list[Score]:
    gold = load_gold(gold_path)
    by_doc: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for g in gold:
        by_doc[g["doc"]].append(g)
    totals: dict[tuple[str, str], dict[str, PRF]] = defaultdict(lambda: defaultdict(PRF))
    n_docs: dict[tuple[str, str], int] = defaultdict(int)
    for ref, items in by_doc.items():
        path = resolve_doc(ref, shared)
        if not path.exists():
            continue
        published = items[0].get("published")
        lang, rows = predicted_rows(path, date.fromisoformat(published) if published else None)
        dataset = "meantime" if "meantime" in ref else "security"
        found, full = score_document(items, rows)
        for family, prf in found.items():
            totals[(lang, dataset)][family] += prf
        for family, prf in full.items():
            totals[(lang, dataset)][f"{family}+value"] += prf
        n_docs[(lang, dataset)] += 1
    scores: list[Score] = []
    for (lang, dataset), counts in sorted(totals.items()):
        plain = {k: v for k, v in counts.items() if not k.endswith("+value")}
        valued = {k: v for k, v in counts.items() if k.endswith("+value")}
        scores += by_kind("claims", lang, dataset, plain, n_docs[(lang, dataset)])
        scores += [s for s in by_kind("claims", lang, dataset, valued, n_docs[(lang, dataset)]) if s.kind != "ALL"]
        total = PRF()
        for prf in valued.values():
            total += prf
        scores.append(Score("claims", lang, dataset, "ALL+value", total, n_docs[(lang, dataset)]))
    return scores
