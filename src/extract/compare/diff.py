"""What changed between two reports, two versions of one URL, two sources, or two dates.

A *target* names a set of stored claims:

| target                      | claims                                                        |
|-----------------------------|---------------------------------------------------------------|
| ``2026-02-03``              | what every source said on that date (``corpus_as_of``)        |
| ``site:example-news.test``  | the current claims of every document from that site           |
| ``DOC``                     | the latest version of a document: URL, file path, doc_key, doc_id |
| ``DOC@N``                   | version N of a document (1 = first, -1 = latest, -2 = previous) |
| ``version:ID``              | one stored version                                            |

What a set of claims says about a key is its latest statement: when several documents of a target state a
key, the claims of the most recent version stating it (a site that said "will not send troops" on Monday and
"will send 30 troops" on Thursday says the latter).

Claims are matched by ``claim_key`` (see ``keys``); per key, values that agree are unchanged, the rest are
paired off as changed (old → new, with both evidence sentences and the fields that changed inside the
value), and what is left is added or removed. Comparing a source with itself (two versions of a document,
two dates), a claim that now states a detail it did not (or drops one) is *refined*, with those fields;
between two sources, what one leaves out is not a change. A key that one side leaves less specific — no venue, no
object, "the next round" for "round 2", a round for its date — is paired with the one compatible key of the
other side (``keys.compatible``) before anything is called added or removed.

Two dates are compared **per source** (the site, else the document): each source's state on the first date
against its state on the second, so a source that changed its claim shows as changed with both evidence
sentences, and a claim is *added* only when no version of that source had stated it on or before the first
date (a key it had dropped and states again is compared with what it last said).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from extract.claims import keys
from extract.errors import Error
from extract.nlp.gazetteer import load_gazetteer
from extract.store.db import Store

_VERSION_SUFFIX = re.compile(r"^(?P<doc>.+)@(?P<n>-?\d+)$")
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_COLUMNS = (
    "claim_key, claim_value, kind, predicate, subject_id, subject_text, evidence_text, evidence_start, "
    "evidence_end, confidence, doc_key, site, outlet, lang, title, version_id, version_no, valid_from"
)
ORDER = {"changed": 0, "added": 1, "removed": 2, "refined": 3}


class TargetError(Error, ValueError):
    """A diff target that names nothing in the store."""


@dataclass(frozen=True)
class ClaimSide:
    """One claim as it appears on one side of a diff."""

    key: str
    value: dict[str, str]
    kind: str  # the key's family
    evidence: str
    highlight: tuple[int, int]  # the trigger span inside ``evidence``
    doc_key: str
    version_no: int
    lang: str
    title: str | None
    source: str = ""  # the site, else the document
    valid_from: date | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "value": self.value,
            "reading": keys.describe(self.value),
            "evidence": self.evidence,
            "highlight": list(self.highlight),
            "doc_key": self.doc_key,
            "version_no": self.version_no,
            "lang": self.lang,
            "source": self.source,
            "valid_from": self.valid_from.isoformat() if self.valid_from else None,
        }


@dataclass(frozen=True)
class Change:
    change: str  # "added" | "removed" | "changed" | "refined" (a source states a detail more or less)
    key: str
    label: str  # human reading of the key
    old: ClaimSide | None
    new: ClaimSide | None
    source: str | None = None  # per-source date diffs: whose claim changed
    old_key: str | None = None  # when the old side was keyed less (or more) specifically

    @property
    def fields(self) -> dict[str, tuple[str, str]]:
        """What changed inside the value: field → (old, new) for ``changed`` (the fields that conflict) and
        ``refined`` (the fields one side states alone, the other side "—"); empty otherwise."""
        if self.old is None or self.new is None:
            return {}
        if self.change == "refined":
            return details(self.old.value, self.new.value)
        return keys.value_diff(self.old.value, self.new.value)

    def to_json(self) -> dict[str, Any]:
        return {
            "change": self.change,
            "key": self.key,
            "old_key": self.old_key,
            "claim": self.label,
            "source": self.source,
            "fields": {f: {"old": o, "new": n} for f, (o, n) in self.fields.items()},
            "old": self.old.to_json() if self.old else None,
            "new": self.new.to_json() if self.new else None,
        }


# The fields of ``Diff.records``: one flat record per change.
RECORD_FIELDS = (
    "change",
    "source",
    "claim_key",
    "old_key",
    "claim",
    "what_changed",
    *(
        f"{side}_{f}"
        for side in ("old", "new")
        for f in ("value", "doc_key", "version_no", "lang", "valid_from", "evidence")
    ),
)


@dataclass(frozen=True)
class Diff:
    a: str
    b: str
    a_label: str
    b_label: str
    changes: list[Change] = field(default_factory=list)
    unchanged: int = 0
    per_source: bool = False

    def count(self, change: str) -> int:
        return sum(1 for c in self.changes if c.change == change)

    def records(self) -> list[dict[str, Any]]:
        """One flat record per change (``RECORD_FIELDS``), for CSV, JSON Lines and Parquet; values as JSON."""
        out = []
        for c in self.changes:
            record: dict[str, Any] = {
                "change": c.change,
                "source": c.source,
                "claim_key": c.key,
                "old_key": c.old_key,
                "claim": c.label,
                "what_changed": "; ".join(f"{f} {o} → {n}" for f, (o, n) in c.fields.items()),
            }
            for name, side in (("old", c.old), ("new", c.new)):
                record |= {
                    f"{name}_value": json.dumps(side.value, ensure_ascii=False) if side else None,
                    f"{name}_doc_key": side.doc_key if side else None,
                    f"{name}_version_no": side.version_no if side else None,
                    f"{name}_lang": side.lang if side else None,
                    f"{name}_valid_from": side.valid_from if side else None,
                    f"{name}_evidence": side.evidence if side else None,
                }
            out.append(record)
        return out

    def to_json(self) -> dict[str, Any]:
        return {
            "a": {"target": self.a, "label": self.a_label},
            "b": {"target": self.b, "label": self.b_label},
            "per_source": self.per_source,
            "summary": {
                "added": self.count("added"),
                "removed": self.count("removed"),
                "changed": self.count("changed"),
                "refined": self.count("refined"),
                "unchanged": self.unchanged,
            },
            "changes": [c.to_json() for c in self.changes],
        }


# --- targets --------------------------------------------------------------------------------------


def is_date(target: str) -> bool:
    return bool(_DAY.fullmatch(target))


@dataclass(frozen=True)
class Target:
    """The claims a target names: a label, and the FROM clause (with parameters) that selects them."""

    label: str
    source_sql: str
    params: list[Any]


def target(store: Store, name: str) -> Target:
    """The claims a target names; raises TargetError when it names nothing."""
    if is_date(name):
        try:
            day = date.fromisoformat(name)
        except ValueError as exc:  # 2026-02-30: shaped like a date, but none
            raise TargetError(f"{name}: not a calendar date ({exc})") from exc
        return Target(f"corpus as of {day}", "FROM corpus_as_of(?::DATE)", [day])
    if name.startswith("site:"):
        site = name.removeprefix("site:")
        if not _exists(store, "SELECT 1 FROM documents WHERE site = ?", [site]):
            raise TargetError(f"no documents from site {site!r}")
        return Target(f"site {site}", "FROM current_claims WHERE site = ?", [site])
    if name.startswith("version:"):
        return _version(store, name.removeprefix("version:"))
    m = _VERSION_SUFFIX.match(name)
    doc, n = (m["doc"], int(m["n"])) if m else (name, -1)
    return _version(store, _version_of(store, doc, n))


def resolve(store: Store, name: str) -> tuple[str, list[dict[str, Any]]]:
    """(label, claim rows) for a target; raises TargetError when it names nothing."""
    found = target(store, name)
    return found.label, _rows(store, found.source_sql, found.params)


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


def _version(store: Store, version_id: str) -> Target:
    _, found = store.query(
        "SELECT doc_key, version_no, valid_from FROM version_history WHERE version_id = ?", [version_id]
    )
    if not found:
        raise TargetError(f"no stored version {version_id!r}")
    doc_key, number, valid_from = found[0]
    return Target(f"{doc_key} v{number} ({valid_from})", "FROM claim_history WHERE version_id = ?", [version_id])


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
    """Compare the claims of target ``a`` (old) with those of target ``b`` (new); ``kind`` keeps one family."""
    ta, tb = target(store, a), target(store, b)
    per_source = is_date(a) and is_date(b)
    source = None if per_source else _one_source(store, ta, tb)
    sides = _states(store, ta, tb, kind, date.fromisoformat(a) if per_source else None)
    changes, unchanged = [], sides.unchanged
    for grp in sorted(sides.old.keys() | sides.new.keys()):
        found, same = compare(
            sides.old.get(grp, {}),
            sides.new.get(grp, {}),
            grp if per_source else source,
            details=per_source or bool(source),
        )
        changes += found
        unchanged += same
    return Diff(a, b, ta.label, tb.label, _sorted(changes), unchanged, per_source=per_source)


def _one_source(store: Store, a: Target, b: Target) -> str | None:
    """The source both targets belong to (two versions of one document, or one site), else None."""
    _, rows = store.query(
        f"SELECT DISTINCT outlet FROM (SELECT outlet {a.source_sql} UNION ALL SELECT outlet {b.source_sql}) LIMIT 2",
        [*a.params, *b.params],
    )
    return rows[0][0] if len(rows) == 1 else None


@dataclass(frozen=True)
class States:
    """Two targets' states (``old``, ``new``: group → key → claims) without the keys settled in SQL, and how
    many claims those keys hold unchanged. The group is the source in per-source date diffs, else ""."""

    old: dict[str, dict[str, list[ClaimSide]]]
    new: dict[str, dict[str, list[ClaimSide]]]
    unchanged: int


# What a target says per key, in SQL: the rows of the latest version stating the key, one per distinct value
# (its most confident statement). ``grp`` is the source in per-source date diffs.
_STATE = """
SELECT grp, claim_key, claim_value, claim_id, confidence, evidence_start, sentence_idx FROM (
    SELECT * FROM {rows}
    QUALIFY dense_rank() OVER (PARTITION BY grp, claim_key
                               ORDER BY COALESCE(valid_from, DATE '0001-01-01') DESC, version_id DESC) = 1)
QUALIFY row_number() OVER (PARTITION BY grp, claim_key, claim_value
                           ORDER BY COALESCE(confidence, 0) DESC, evidence_start, sentence_idx) = 1
"""
_STATE_COLUMNS = "claim_key, claim_value, claim_id, confidence, evidence_start, sentence_idx, version_id, valid_from"
# The columns of ``claim_history`` a diff shows, for the few claims fetched (the view computes more).
_SIDE_SQL = (
    "SELECT c.claim_id, c.claim_key, c.claim_value, c.evidence_text, c.evidence_start, c.evidence_end, "
    "c.confidence, c.version_id, c.sentence_idx, h.doc_key, h.site, COALESCE(h.site, h.doc_key) AS outlet, "
    "h.lang, h.title, h.version_no, h.valid_from FROM claims c JOIN version_history h USING (version_id)"
)
# A key stated with one value on each side, the same: unchanged. Only these are settled in SQL; a key with
# several values goes to ``compare`` whole, whose greedy matching may pair a value with another that agrees.
_SETTLED = """
SELECT grp, claim_key FROM
    (SELECT grp, claim_key, min(claim_value) AS v FROM diff_old GROUP BY ALL HAVING count(*) = 1) o
    JOIN (SELECT grp, claim_key, min(claim_value) AS v FROM diff_new GROUP BY ALL HAVING count(*) = 1) n
    USING (grp, claim_key)
WHERE o.v = n.v
"""
_TABLES = ("diff_old", "diff_new", "diff_settled")


def _states(store: Store, a: Target, b: Target, kind: str | None, a_day: date | None) -> States:
    """Each target's state per key, in temporary tables; the keys it leaves unchanged are counted in SQL, only
    the others are fetched."""
    family = " WHERE split_part(claim_key, '|', 1) = ?" if kind else ""
    kind_params = [kind] if kind else []
    grp = "outlet" if a_day else "''"

    def state(t: Target) -> tuple[str, list[Any]]:
        rows = f"(SELECT {_STATE_COLUMNS}, {grp} AS grp {t.source_sql}){family}"
        return _STATE.format(rows=rows), [*t.params, *kind_params]

    try:
        store.query("CREATE OR REPLACE TEMP TABLE diff_old AS " + state(a)[0], state(a)[1])
        store.query("CREATE OR REPLACE TEMP TABLE diff_new AS " + state(b)[0], state(b)[1])
        if a_day:
            # Keys a source states on the second date but not on the first: what it last said about them in a
            # version valid from the first date or before (a claim it had retracted) is its old state.
            rows = (
                f"(SELECT {_STATE_COLUMNS}, outlet AS grp FROM claim_history h "
                "SEMI JOIN (SELECT grp, claim_key FROM diff_new ANTI JOIN diff_old USING (grp, claim_key)) w "
                f"ON w.grp = h.outlet AND w.claim_key = h.claim_key WHERE h.valid_from <= ?::DATE){family}"
            )
            store.query("INSERT INTO diff_old " + _STATE.format(rows=rows), [a_day, *kind_params])
        store.query("CREATE OR REPLACE TEMP TABLE diff_settled AS " + _SETTLED)
        _, ((unchanged,),) = store.query("SELECT count(*) FROM diff_settled")
        old, new = _unsettled(store, "diff_old"), _unsettled(store, "diff_new")
    finally:
        for table in _TABLES:
            store.query(f"DROP TABLE IF EXISTS {table}")
    return States(old, new, unchanged)


def _unsettled(store: Store, table: str) -> dict[str, dict[str, list[ClaimSide]]]:
    """The claims of a state table whose keys are not settled, per group and key, most confident first, with
    the start of their sentence (highlights are relative to it)."""
    columns, rows = store.query(
        f"SELECT t.grp, c.*, COALESCE(s.start_char, c.evidence_start) AS sentence_start "
        f"FROM (FROM {table} ANTI JOIN diff_settled USING (grp, claim_key)) t "
        f"JOIN ({_SIDE_SQL}) c USING (claim_id) "
        "LEFT JOIN sentences s ON s.version_id = c.version_id AND s.idx = c.sentence_idx "
        "ORDER BY t.grp, t.claim_key, COALESCE(t.confidence, 0) DESC, t.evidence_start, t.sentence_idx"
    )
    out: dict[str, dict[str, list[ClaimSide]]] = {}
    for values in rows:
        row = dict(zip(columns, values, strict=True))
        out.setdefault(row["grp"], {}).setdefault(row["claim_key"], []).append(_side(row))
    return out


def details(old: dict[str, str], new: dict[str, str]) -> dict[str, tuple[str, str]]:
    """The fields only one of two agreeing values states: field → (old or "—", new or "—")."""
    one_sided = [f for f in keys.FIELD_ORDER if (f in old) != (f in new) and f not in keys.NOT_COMPARED]
    one_sided += sorted(f for f in (old.keys() ^ new.keys()) if f not in keys.FIELD_ORDER)
    return {f: (old.get(f, "—"), new.get(f, "—")) for f in one_sided}


def _sorted(changes: list[Change]) -> list[Change]:
    return sorted(changes, key=lambda c: (ORDER[c.change], c.source or "", c.key))


def _side(row: dict[str, Any]) -> ClaimSide:
    start = row["evidence_start"] - row["sentence_start"]
    end = row["evidence_end"] - row["sentence_start"]
    return ClaimSide(
        key=row["claim_key"],
        value=json.loads(row["claim_value"]),
        kind=row["claim_key"].split("|", 1)[0],
        evidence=row["evidence_text"],
        highlight=(max(0, start), max(0, end)),
        doc_key=row["doc_key"],
        version_no=row["version_no"],
        lang=row["lang"],
        title=row["title"],
        source=row.get("outlet") or row.get("site") or row["doc_key"],
        valid_from=row["valid_from"],
    )


def compare(
    old: dict[str, list[ClaimSide]],
    new: dict[str, list[ClaimSide]],
    source: str | None = None,
    *,
    details: bool = False,
) -> tuple[list[Change], int]:
    """Changes between two states (key → claims), and how many claims are unchanged. With ``details`` (two
    states of one source) an agreeing claim that now states a detail more or less is ``refined``: what a
    source adds to or drops from its own statement is news, what another report leaves out is not."""
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
        agreeing, removed, added = _match(old.get(old_key, []), new.get(new_key, []))
        renamed = old_key if old_key and new_key and old_key != new_key else None
        refined = [(o, n) for o, n in agreeing if details and _detail_fields(o.value, n.value)]
        unchanged += len(agreeing) - len(refined)
        if not (refined or removed or added):
            continue
        label = describe_key(key)
        changes += [Change("refined", key, label, o, n, source, renamed) for o, n in refined]
        paired = _pair_off(removed, added)
        changes += [Change("changed", key, label, o, n, source, renamed) for o, n in paired]
        matched_old, matched_new = {id(o) for o, _ in paired}, {id(n) for _, n in paired}
        changes += [Change("removed", key, label, o, None, source) for o in removed if id(o) not in matched_old]
        changes += [Change("added", key, label, None, n, source) for n in added if id(n) not in matched_new]
    return changes, unchanged


def _detail_fields(old: dict[str, str], new: dict[str, str]) -> bool:
    return any((f in old) != (f in new) for f in (old.keys() | new.keys()) - keys.NOT_COMPARED)


def _block(parts: dict[str, str]) -> tuple[str, ...]:
    """What two compatible keys must share (``keys.compatible``): the family and every component that is not
    soft (actor, class, tier, unit)."""
    return tuple(f"{n}={v}" for n, v in sorted(parts.items()) if v and n not in keys.SOFT_COMPONENTS)


def _soft(name: str, value: str) -> str:
    """A soft component as the index files it: a venue under its outermost place (a venue is compatible with
    places on its own chain only), anything else as it is."""
    if name != "venue" or not value:
        return value
    gaz, seen = load_gazetteer(), set()
    while (entity := gaz.get(value)) is not None and entity.parent and value not in seen:
        seen.add(value)
        value = entity.parent
    return value


def _candidates(old: Iterable[str], new: Iterable[str]) -> list[tuple[str, str]]:
    """The (old, new) key pairs that can be compatible, found through an index instead of every pair: the same
    block, and each soft component equal, empty on one side, or related (the same outermost place, "next" for
    a round). ``keys.compatible`` decides."""
    index: dict[tuple[str, ...], dict[str, dict[str, set[str]]]] = {}
    for n in new:
        parts = keys.key_parts(n)
        entry = index.setdefault(_block(parts), {"*": {"": set()}})
        entry["*"][""].add(n)
        for name in keys.SOFT_COMPONENTS:
            entry.setdefault(name, {}).setdefault(_soft(name, parts.get(name, "")), set()).add(n)
    found = []
    for o in old:
        parts = keys.key_parts(o)
        entry = index.get(_block(parts))
        if entry is None:
            continue
        allowed = []
        for name in keys.SOFT_COMPONENTS:
            value = _soft(name, parts.get(name, ""))
            if not value or (name == "round" and value == "next"):
                continue
            by_value = entry.get(name, {})
            allowed.append(by_value.get("", set()) | by_value.get(value, set()) | by_value.get("next", set()))
        matches = set.intersection(*sorted(allowed, key=len)) if allowed else entry["*"][""]
        found += [(o, n) for n in sorted(matches)]
    return found


def _compatible_pairs(old: dict[str, list[ClaimSide]], new: dict[str, list[ClaimSide]]) -> list[tuple[str, str]]:
    """Keys only one side has, paired when compatible (``keys.compatible``): the pairs sharing most stated
    components first; a key whose best candidates tie is left unpaired (added or removed) rather than guessed."""
    scored = []
    for o, n in _candidates(old, new):
        if any(keys.compatible(o, n, a.value, b.value) for a in old[o] for b in new[n]):
            score = _shared_components(o, n)
            if keys.key_parts(o)["family"] == "event" and score < 2 and not (_bare(o) or _bare(n)):
                continue  # a round-1 meeting and an undated one in Florida share nothing but being meetings
            scored.append((score, o, n))
    by_old: dict[str, list[tuple[int, str, str]]] = {}
    by_new: dict[str, list[tuple[int, str, str]]] = {}
    for t in scored:
        by_old.setdefault(t[1], []).append(t)
        by_new.setdefault(t[2], []).append(t)
    pairs, used_old, used_new = [], set(), set()
    for score, o, n in sorted(scored, key=lambda t: (-t[0], t[1], t[2])):
        if o in used_old or n in used_new:
            continue
        rivals = [
            t
            for t in by_old[o] + by_new[n]
            if t[0] == score and (t[1] == o) != (t[2] == n) and t[1] not in used_old and t[2] not in used_new
        ]
        if rivals:
            continue
        used_old.add(o)
        used_new.add(n)
        pairs.append((o, n))
    return sorted(pairs)


def _bare(key: str) -> bool:
    """An event key that states nothing but its class: no venue, round or date."""
    parts = keys.key_parts(key)
    return not any(parts.get(name) for name in ("venue", "round", "date"))


def _shared_components(a: str, b: str) -> int:
    """How much two compatible keys say alike; the same round or date counts most (it names the event)."""
    pa, pb = keys.key_parts(a), keys.key_parts(b)
    return sum(
        3 if name in ("round", "date") else 1
        for name, value in pa.items()
        if name != "family" and value and pb.get(name) == value
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


def _distance(old: dict[str, str], new: dict[str, str]) -> int:
    changed = keys.value_diff(old, new)
    return len(changed) + (1 if "stance" in changed else 0)


def _pair_off(removed: list[ClaimSide], added: list[ClaimSide]) -> list[tuple[ClaimSide, ClaimSide]]:
    """Old and new values of one key that disagree, paired closest first (fewest fields changed — a changed
    stance counts double —, most fields shared): the changed claims of the key."""
    options = sorted(
        (_distance(o.value, n.value), -len(o.value.keys() & n.value.keys()), i, j)
        for i, o in enumerate(removed)
        for j, n in enumerate(added)
    )
    used_old, used_new, pairs = set(), set(), []
    for _, _, i, j in options:
        if i not in used_old and j not in used_new:
            used_old.add(i)
            used_new.add(j)
            pairs.append((i, j))
    return [(removed[i], added[j]) for i, j in sorted(pairs)]


# --- labels -----------------------------------------------------------------------------------------


def describe_key(key: str) -> str:
    """ "pledge|country:ES|deploy_forces" → "pledge: Spain deploy_forces"; events name venue and round."""
    parts = keys.key_parts(key)
    fam = parts.pop("family")
    gaz = load_gazetteer()

    def name(value: str) -> str:
        return " + ".join((gaz.get(p).name_en if gaz.get(p) else p) for p in value.split("+"))

    if fam == "tier":
        return f"tier {parts.get('tier', '?')}" + (f" {parts['class']}" if parts.get("class") else "")
    words = []
    for component, value in parts.items():
        if not value:
            continue
        if component == "round":
            words.append("next round" if value == "next" else f"round {value}")
        elif component == "date":
            words.append(f"on {value}")
        elif component in ("actor", "venue", "object"):
            words.append(name(value))
        else:
            words.append(value)
    return f"{fam}: " + " ".join(words)
