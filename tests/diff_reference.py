"""The diff matching as it was before issue 16 (every old value against every new one, in Python), kept to
check that the SQL matching of ``extract.compare.diff`` gives the same changes (``tests/test_diff_matching.py``)."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from extract.claims import keys

# The helpers issue 16 did not change are the module's own.
from extract.compare.diff import (
    ORDER,
    Change,
    ClaimSide,
    Diff,
    _bare,
    _detail_fields,
    _match,
    _pair_off,
    _shared_components,
    describe_key,
    is_date,
    resolve,
)
from extract.store.db import Store

_COLUMNS = (
    "claim_key, claim_value, kind, predicate, subject_id, subject_text, evidence_text, evidence_start, "
    "evidence_end, confidence, doc_key, site, outlet, lang, title, version_id, version_no, valid_from"
)


def diff(store: Store, a: str, b: str, kind: str | None = None) -> Diff:
    a_label, a_rows = resolve(store, a)
    b_label, b_rows = resolve(store, b)
    if is_date(a) and is_date(b):
        changes, unchanged = _per_source(store, date.fromisoformat(a), a_rows, b_rows, kind)
        return Diff(a, b, a_label, b_label, _sorted(changes), unchanged, per_source=True)
    sources = {r["outlet"] for r in a_rows} | {r["outlet"] for r in b_rows}
    one_source = sources.pop() if len(sources) == 1 else None
    changes, unchanged = compare(state(a_rows, kind), state(b_rows, kind), one_source, details=bool(one_source))
    return Diff(a, b, a_label, b_label, _sorted(changes), unchanged)


def _rows(store: Store, source_sql: str, params: list[Any]) -> list[dict[str, Any]]:
    columns, rows = store.query(
        f"SELECT c.*, COALESCE(s.start_char, c.evidence_start) AS sentence_start "
        f"FROM (SELECT {_COLUMNS}, sentence_idx {source_sql}) c "
        "LEFT JOIN sentences s ON s.version_id = c.version_id AND s.idx = c.sentence_idx",
        params,
    )
    return [dict(zip(columns, r, strict=True)) for r in rows]


def _sorted(changes: list[Change]) -> list[Change]:
    return sorted(changes, key=lambda c: (ORDER[c.change], c.source or "", c.key))


def state(rows: list[dict[str, Any]], kind: str | None = None) -> dict[str, list[ClaimSide]]:
    latest: dict[str, tuple] = {}
    for row in rows:
        if kind and keys.key_parts(row["claim_key"])["family"] != kind:
            continue
        stamp = (row["valid_from"] or date.min, row["version_id"])
        if row["claim_key"] not in latest or stamp > latest[row["claim_key"]]:
            latest[row["claim_key"]] = stamp
    grouped: dict[str, dict[str, ClaimSide]] = {}
    # evidence_start breaks ties of confidence, as the SQL matching does (row order is not defined)
    for row in sorted(rows, key=lambda r: (-(r["confidence"] or 0), r["evidence_start"], r["sentence_idx"])):
        key = row["claim_key"]
        if key not in latest or (row["valid_from"] or date.min, row["version_id"]) != latest[key]:
            continue
        values = grouped.setdefault(key, {})
        if row["claim_value"] not in values:
            values[row["claim_value"]] = _side(row)
    return {key: list(values.values()) for key, values in grouped.items()}


def _side(row: dict[str, Any]) -> ClaimSide:
    start = row["evidence_start"] - row["sentence_start"]
    end = row["evidence_end"] - row["sentence_start"]
    return ClaimSide(
        key=row["claim_key"],
        value=json.loads(row["claim_value"]),
        kind=keys.key_parts(row["claim_key"])["family"],
        evidence=row["evidence_text"],
        highlight=(max(0, start), max(0, end)),
        doc_key=row["doc_key"],
        version_no=row["version_no"],
        lang=row["lang"],
        title=row["title"],
        source=row.get("outlet") or row.get("site") or row["doc_key"],
        valid_from=row["valid_from"],
    )


def compare(old, new, source=None, *, details: bool = False) -> tuple[list[Change], int]:
    pairs = [(key, key) for key in sorted(old.keys() & new.keys())]
    pairs += _compatible_pairs(
        {k: v for k, v in old.items() if k not in new}, {k: v for k, v in new.items() if k not in old}
    )
    paired_old, paired_new = {o for o, _ in pairs}, {n for _, n in pairs}
    pairs += [(key, None) for key in sorted(old.keys() - paired_old)]
    pairs += [(None, key) for key in sorted(new.keys() - paired_new)]
    changes: list[Change] = []
    unchanged = 0
    for old_key, new_key in pairs:
        key = new_key or old_key
        label = describe_key(key)
        agreeing, removed, added = _match(old.get(old_key, []), new.get(new_key, []))
        renamed = old_key if old_key and new_key and old_key != new_key else None
        refined = [(o, n) for o, n in agreeing if details and _detail_fields(o.value, n.value)]
        unchanged += len(agreeing) - len(refined)
        changes += [Change("refined", key, label, o, n, source, renamed) for o, n in refined]
        paired = _pair_off(removed, added)
        changes += [Change("changed", key, label, o, n, source, renamed) for o, n in paired]
        matched_old, matched_new = {id(o) for o, _ in paired}, {id(n) for _, n in paired}
        changes += [Change("removed", key, label, o, None, source) for o in removed if id(o) not in matched_old]
        changes += [Change("added", key, label, None, n, source) for n in added if id(n) not in matched_new]
    return changes, unchanged


def _compatible_pairs(old, new) -> list[tuple[str, str]]:
    scored = []
    for o in old:
        for n in new:
            if any(keys.compatible(o, n, a.value, b.value) for a in old[o] for b in new[n]):
                score = _shared_components(o, n)
                if keys.key_parts(o)["family"] == "event" and score < 2 and not (_bare(o) or _bare(n)):
                    continue
                scored.append((score, o, n))
    pairs, used_old, used_new = [], set(), set()
    for score, o, n in sorted(scored, key=lambda t: (-t[0], t[1], t[2])):
        if o in used_old or n in used_new:
            continue
        rivals = [
            t
            for t in scored
            if t[0] == score and (t[1] == o) != (t[2] == n) and t[1] not in used_old and t[2] not in used_new
        ]
        if rivals:
            continue
        used_old.add(o)
        used_new.add(n)
        pairs.append((o, n))
    return sorted(pairs)


def _per_source(store, a_day, a_rows, b_rows, kind):
    by_source_a, by_source_b = _by_source(a_rows), _by_source(b_rows)
    earlier = _earlier_statements(store, a_day, by_source_a, by_source_b, kind)
    changes, unchanged = [], 0
    for source in sorted(by_source_a.keys() | by_source_b.keys()):
        old = state(by_source_a.get(source, []), kind)
        new = state(by_source_b.get(source, []), kind)
        for key, sides in earlier.get(source, {}).items():
            old.setdefault(key, sides)
        found, same = compare(old, new, source, details=True)
        changes += found
        unchanged += same
    return changes, unchanged


def _by_source(rows):
    out: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        out.setdefault(row["outlet"], []).append(row)
    return out


def _earlier_statements(store, a_day, by_source_a, by_source_b, kind):
    wanted = {
        (source, key)
        for source, rows in by_source_b.items()
        for key in {r["claim_key"] for r in rows} - {r["claim_key"] for r in by_source_a.get(source, [])}
    }
    if not wanted:
        return {}
    rows = _rows(
        store,
        "FROM claim_history WHERE valid_from <= ?::DATE AND outlet IN (SELECT UNNEST(?::VARCHAR[])) "
        "AND claim_key IN (SELECT UNNEST(?::VARCHAR[]))",
        [a_day, sorted({s for s, _ in wanted}), sorted({k for _, k in wanted})],
    )
    out = {}
    for source, found in _by_source([r for r in rows if (r["outlet"], r["claim_key"]) in wanted]).items():
        out[source] = state(found, kind)
    return out
