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


def resolve(store: Store, target: str) -> tuple[str, list[dict[str, Any]]]:
    """(label, claim rows) for a target; raises TargetError when it names nothing."""
    if is_date(target):
        try:
            day = date.fromisoformat(target)
        except ValueError as exc:  # 2026-02-30: shaped like a date, but none
            raise TargetError(f"{target}: not a calendar date ({exc})") from exc
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
    """Compare the claims of target ``a`` (old) with those of target ``b`` (new); ``kind`` keeps one family."""
    a_label, a_rows = resolve(store, a)
    b_label, b_rows = resolve(store, b)
    if is_date(a) and is_date(b):
        changes, unchanged = _per_source(store, date.fromisoformat(a), a_rows, b_rows, kind)
        return Diff(a, b, a_label, b_label, _sorted(changes), unchanged, per_source=True)
    one_source = _one_source(a_rows, b_rows)
    changes, unchanged = compare(state(a_rows, kind), state(b_rows, kind), one_source, details=bool(one_source))
    return Diff(a, b, a_label, b_label, _sorted(changes), unchanged)


def _one_source(a_rows: list[dict[str, Any]], b_rows: list[dict[str, Any]]) -> str | None:
    """The source both targets belong to (two versions of one document, or one site), else None."""
    sources = {r["outlet"] for r in a_rows} | {r["outlet"] for r in b_rows}
    return sources.pop() if len(sources) == 1 else None


def details(old: dict[str, str], new: dict[str, str]) -> dict[str, tuple[str, str]]:
    """The fields only one of two agreeing values states: field → (old or "—", new or "—")."""
    one_sided = [f for f in keys.FIELD_ORDER if (f in old) != (f in new) and f not in keys.NOT_COMPARED]
    one_sided += sorted(f for f in (old.keys() ^ new.keys()) if f not in keys.FIELD_ORDER)
    return {f: (old.get(f, "—"), new.get(f, "—")) for f in one_sided}


def _sorted(changes: list[Change]) -> list[Change]:
    return sorted(changes, key=lambda c: (ORDER[c.change], c.source or "", c.key))


def state(rows: list[dict[str, Any]], kind: str | None = None) -> dict[str, list[ClaimSide]]:
    """What a set of claims says per key: the distinct values of the latest version stating the key (the
    most confident statement of each value)."""
    latest: dict[str, tuple] = {}
    for row in rows:
        if kind and keys.key_parts(row["claim_key"])["family"] != kind:
            continue
        stamp = (row["valid_from"] or date.min, row["version_id"])
        if row["claim_key"] not in latest or stamp > latest[row["claim_key"]]:
            latest[row["claim_key"]] = stamp
    grouped: dict[str, dict[str, ClaimSide]] = {}
    for row in sorted(rows, key=lambda r: -(r["confidence"] or 0)):
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


def _detail_fields(old: dict[str, str], new: dict[str, str]) -> bool:
    return any((f in old) != (f in new) for f in (old.keys() | new.keys()) - keys.NOT_COMPARED)


def _compatible_pairs(old: dict[str, list[ClaimSide]], new: dict[str, list[ClaimSide]]) -> list[tuple[str, str]]:
    """Keys only one side has, paired when compatible (``keys.compatible``): the pairs sharing most stated
    components first; a key whose best candidates tie is left unpaired (added or removed) rather than guessed."""
    scored = []
    for o in old:
        for n in new:
            if any(keys.compatible(o, n, a.value, b.value) for a in old[o] for b in new[n]):
                score = _shared_components(o, n)
                if keys.key_parts(o)["family"] == "event" and score < 2 and not (_bare(o) or _bare(n)):
                    continue  # a round-1 meeting and an undated one in Florida share nothing but being meetings
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


# --- dates, per source --------------------------------------------------------------------------------


def _per_source(
    store: Store, a_day: date, a_rows: list[dict[str, Any]], b_rows: list[dict[str, Any]], kind: str | None
) -> tuple[list[Change], int]:
    by_source_a, by_source_b = _by_source(a_rows), _by_source(b_rows)
    earlier = _earlier_statements(store, a_day, by_source_a, by_source_b, kind)
    changes, unchanged = [], 0
    for source in sorted(by_source_a.keys() | by_source_b.keys()):
        old = state(by_source_a.get(source, []), kind)
        new = state(by_source_b.get(source, []), kind)
        for key, sides in earlier.get(source, {}).items():  # dropped before the first date, stated again
            old.setdefault(key, sides)
        found, same = compare(old, new, source, details=True)
        changes += found
        unchanged += same
    return changes, unchanged


def _by_source(rows: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        out.setdefault(row["outlet"], []).append(row)
    return out


def _earlier_statements(
    store: Store,
    a_day: date,
    by_source_a: dict[str, list[dict[str, Any]]],
    by_source_b: dict[str, list[dict[str, Any]]],
    kind: str | None,
) -> dict[str, dict[str, list[ClaimSide]]]:
    """For keys a source states on the second date but not on the first: what it last said about them in a
    version valid from the first date or before (a claim it had retracted), per source and key."""
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
    out: dict[str, dict[str, list[ClaimSide]]] = {}
    for source, found in _by_source([r for r in rows if (r["outlet"], r["claim_key"]) in wanted]).items():
        out[source] = state(found, kind)
    return out


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
