"""What changed between two reports, two versions of one URL, two sources, or two dates.

A *target* names a set of stored claims:

| target                      | claims                                                        |
|-----------------------------|---------------------------------------------------------------|
| ``2026-02-03``              | what the whole corpus said on that date (``corpus_as_of``)    |
| ``site:example-news.test``  | the current claims of every document from that site           |
| ``DOC``                     | the latest version of a document: URL, file path, doc_key, doc_id |
| ``DOC@N``                   | version N of a document (1 = first, -1 = latest, -2 = previous) |
| ``version:ID``              | one stored version                                            |

Claims are matched by ``claim_key`` (see ``keys``); per key, values that agree are unchanged, the rest are
paired off as changed (old → new, with both evidence sentences), and what is left is added or removed.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from extract import keys
from extract.gazetteer import load_gazetteer
from extract.store import Store

_VERSION_SUFFIX = re.compile(r"^(?P<doc>.+)@(?P<n>-?\d+)$")
_COLUMNS = (
    "claim_key, claim_value, kind, predicate, subject_id, subject_text, evidence_text, evidence_start, "
    "evidence_end, confidence, doc_key, site, lang, title, version_id, version_no, valid_from"
)


class TargetError(ValueError):
    """A diff target that names nothing in the store."""


@dataclass(frozen=True)
class ClaimSide:
    """One claim as it appears on one side of a diff."""

    key: str
    value: dict[str, str]
    kind: str
    evidence: str
    highlight: tuple[int, int]  # the trigger span inside ``evidence``
    doc_key: str
    version_no: int
    lang: str
    title: str | None

    def to_json(self) -> dict[str, Any]:
        return {
            "value": self.value,
            "reading": keys.describe(self.value),
            "evidence": self.evidence,
            "highlight": list(self.highlight),
            "doc_key": self.doc_key,
            "version_no": self.version_no,
            "lang": self.lang,
        }


@dataclass(frozen=True)
class Change:
    change: str  # "added" | "removed" | "changed"
    key: str
    label: str  # human reading of the key
    old: ClaimSide | None
    new: ClaimSide | None

    def to_json(self) -> dict[str, Any]:
        return {
            "change": self.change,
            "key": self.key,
            "claim": self.label,
            "old": self.old.to_json() if self.old else None,
            "new": self.new.to_json() if self.new else None,
        }


@dataclass(frozen=True)
class Diff:
    a: str
    b: str
    a_label: str
    b_label: str
    changes: list[Change] = field(default_factory=list)
    unchanged: int = 0

    def count(self, change: str) -> int:
        return sum(1 for c in self.changes if c.change == change)

    def to_json(self) -> dict[str, Any]:
        return {
            "a": {"target": self.a, "label": self.a_label},
            "b": {"target": self.b, "label": self.b_label},
            "summary": {
                "added": self.count("added"),
                "removed": self.count("removed"),
                "changed": self.count("changed"),
                "unchanged": self.unchanged,
            },
            "changes": [c.to_json() for c in self.changes],
        }


# --- targets --------------------------------------------------------------------------------------


def resolve(store: Store, target: str) -> tuple[str, list[dict[str, Any]]]:
    """(label, claim rows) for a target; raises TargetError when it names nothing."""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", target):
        day = date.fromisoformat(target)
        return f"corpus as of {day}", _rows(store, "FROM corpus_as_of(?::DATE)", [day])
    if target.startswith("site:"):
        site = target.removeprefix("site:")
        rows = _rows(store, "FROM current_claims WHERE site = ?", [site])
        if not rows and not _exists(store, "SELECT 1 FROM documents WHERE site = ?", [site]):
            raise TargetError(f"no documents from site {site!r}")
        return f"site {site}", rows
    if target.startswith("version:"):
        return _version(store, target.removeprefix("version:"))
    m = _VERSION_SUFFIX.match(target)
    doc, n = (m["doc"], int(m["n"])) if m else (target, -1)
    return _version(store, _version_of(store, doc, n))


def _version_of(store: Store, doc: str, n: int) -> str:
    doc_id = _doc_id(store, doc)
    _, rows = store.query("SELECT version_id FROM version_history WHERE doc_id = ? ORDER BY version_no", [doc_id])
    versions = [r[0] for r in rows]
    index = n - 1 if n > 0 else n
    if n == 0 or not -len(versions) <= index < len(versions):
        raise TargetError(f"{doc} has {len(versions)} version(s); there is no version {n}")
    return versions[index]


def _doc_id(store: Store, doc: str) -> str:
    candidates = [doc]
    if not re.match(r"^[a-z]+:", doc) and Path(doc).exists():
        candidates.append("file:" + str(Path(doc).resolve()))
    for candidate in candidates:
        _, rows = store.query(
            "SELECT DISTINCT d.doc_id FROM documents d LEFT JOIN versions v USING (doc_id) "
            "WHERE d.doc_id = ? OR d.doc_key = ? OR d.url = ? OR v.source = ?",
            [candidate] * 4,
        )
        if len(rows) == 1:
            return rows[0][0]
    raise TargetError(f"no stored document matches {doc!r} (give a URL, file path, doc_key or doc_id)")


def _version(store: Store, version_id: str) -> tuple[str, list[dict[str, Any]]]:
    _, found = store.query(
        "SELECT doc_key, version_no, valid_from FROM version_history WHERE version_id = ?", [version_id]
    )
    if not found:
        raise TargetError(f"no stored version {version_id!r}")
    doc_key, number, valid_from = found[0]
    rows = _rows(store, "FROM claim_history WHERE version_id = ?", [version_id])
    return f"{doc_key} v{number} ({valid_from})", rows


def _rows(store: Store, source_sql: str, params: list[Any]) -> list[dict[str, Any]]:
    """Claim rows of a target with the start of their sentence (highlights are relative to it)."""
    columns, rows = store.query(
        f"SELECT c.*, COALESCE(s.start_char, c.evidence_start) AS sentence_start "
        f"FROM (SELECT {_COLUMNS}, sentence_idx {source_sql}) c "
        "LEFT JOIN sentences s ON s.version_id = c.version_id AND s.idx = c.sentence_idx",
        params,
    )
    return [dict(zip(columns, r, strict=True)) for r in rows]


def _exists(store: Store, sql: str, params: list[Any]) -> bool:
    return bool(store.query(sql, params)[1])


# --- comparison -----------------------------------------------------------------------------------


def diff(store: Store, a: str, b: str, kind: str | None = None) -> Diff:
    """Compare the claims of target ``a`` (old) with those of target ``b`` (new)."""
    a_label, a_rows = resolve(store, a)
    b_label, b_rows = resolve(store, b)
    old, new = _by_key(a_rows, kind), _by_key(b_rows, kind)
    changes: list[Change] = []
    unchanged = 0
    for key in sorted(old.keys() | new.keys()):
        pairs, removed, added = _match(old.get(key, []), new.get(key, []))
        unchanged += len(pairs)
        label = describe_key(key)
        changes += [Change("changed", key, label, o, n) for o, n in zip(removed, added, strict=False)]
        changes += [Change("removed", key, label, o, None) for o in removed[len(added) :]]
        changes += [Change("added", key, label, None, n) for n in added[len(removed) :]]
    order = {"changed": 0, "added": 1, "removed": 2}
    changes.sort(key=lambda c: (order[c.change], c.key))
    return Diff(a, b, a_label, b_label, changes, unchanged)


def _by_key(rows: list[dict[str, Any]], kind: str | None) -> dict[str, list[ClaimSide]]:
    """Claims per key, one per distinct value (the most confident statement of it)."""
    grouped: dict[str, dict[str, ClaimSide]] = {}
    for row in sorted(rows, key=lambda r: -(r["confidence"] or 0)):
        if kind and keys.family(row) != kind:
            continue
        values = grouped.setdefault(row["claim_key"], {})
        if row["claim_value"] not in values:  # only the most confident statement of each value is shown
            values[row["claim_value"]] = _side(row)
    return {key: list(values.values()) for key, values in grouped.items()}


def _side(row: dict[str, Any]) -> ClaimSide:
    start = row["evidence_start"] - row["sentence_start"]
    end = row["evidence_end"] - row["sentence_start"]
    return ClaimSide(
        key=row["claim_key"],
        value=json.loads(row["claim_value"]),
        kind=keys.family(row),
        evidence=row["evidence_text"],
        highlight=(max(0, start), max(0, end)),
        doc_key=row["doc_key"],
        version_no=row["version_no"],
        lang=row["lang"],
        title=row["title"],
    )


def _match(old: list[ClaimSide], new: list[ClaimSide]):
    """Pair values that agree; return (agreeing pairs, old left over, new left over)."""
    left = list(new)
    pairs, removed = [], []
    for o in old:
        match = next((n for n in left if keys.agree(o.value, n.value)), None)
        if match is None:
            removed.append(o)
        else:
            left.remove(match)
            pairs.append((o, match))
    return pairs, removed, left


def describe_key(key: str) -> str:
    """ "pledge|country:ES|deploy_forces" → "pledge: Spain deploy_forces"."""
    fam, *parts = key.split("|")
    gaz = load_gazetteer()
    names = [(gaz.get(p).name_en if gaz.get(p) else p) for p in parts if p]
    if fam == "tier":
        return f"tier {parts[0]}"
    if fam == "event" and len(parts) == 3 and parts[2]:
        names[-1] = f"round {parts[2]}"
    return f"{fam}: " + " ".join(names)
