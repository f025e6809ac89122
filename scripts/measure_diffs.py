"""Score ``extract diff`` on the declared report pairs against ``corpus/gold/diff-expectations.jsonl``.

For each pair of ``../shared/data/news-reports`` (plain-text reports, ingested one file at a time with the
manifest's ``published`` date into a fresh store) the diff of report A against report B is compared with the
hand-made expectations:

- **expected changes found**: a `change` item counts as found when some reported change matches one of its
  targets — same claim family, key components that do not contradict the target's (a component the key
  leaves empty is unknown, not different), and the target's field among the fields the change says
  changed (``presence`` targets: an added or removed claim on the right side);
- **spurious changes**: reported changes that match no target of any `change` item of the pair (the ones that
  match a `same` item are listed separately: they contradict a shared fact);
- **same facts unchanged**: a `same` item is *kept* when both reports state a claim matching its target and
  no reported change touches that field; *contradicted* when a reported change does; *unseen* when a side
  does not state it (an extraction miss, not a diff error).

Items the claim model cannot represent (``representable: false``) are counted apart. A version pair is
ingested as two versions of one document. Spurious changes that the gold claims (``gold.jsonl``) show to be
real differences the pair list leaves out are counted apart, and the others split by cause (an extracted
claim the text does not state, a claim extracted from one side only, keys that did not meet, a value misread).
Run::

    .venv/bin/python scripts/measure_diffs.py                 # the English and Japanese pairs
    .venv/bin/python scripts/measure_diffs.py --pairs all -v  # every pair, with each item and change
    .venv/bin/python scripts/measure_diffs.py --oracle        # diff the gold claims: key and diff rules alone
    .venv/bin/python scripts/measure_diffs.py --disagreements # conflicts over all English and Japanese reports
    .venv/bin/python scripts/measure_diffs.py --json          # machine-readable
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from extract.claims import keys  # noqa: E402
from extract.compare.diff import Change, diff, resolve  # noqa: E402
from extract.model import Claim, EntityRef, Evidence, Quantity, TimeValue, Window  # noqa: E402
from extract.nlp.gazetteer import load_gazetteer  # noqa: E402
from extract.run.ingest import ingest  # noqa: E402
from extract.store.db import Store  # noqa: E402

SHARED = ROOT.parent / "shared" / "data" / "news-reports"
EXPECTATIONS = ROOT / "corpus" / "gold" / "diff-expectations.jsonl"
EN_JA = ("06/07", "14/15", "12/13", "04/16")

# value field of the expectations → field name of ``keys.claim_value``
FIELD_NAMES = {
    "window.duration": "window",
    "window.bound": "bound",
    "window.anchor": "anchor",
    "quantity.value": "quantity",
    "quantity.scope": "scope",
    "quantity.total": "total",
}


def load_expectations(path: Path = EXPECTATIONS) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


# --- matching a reported change to an expected target ----------------------------------------------


def _as_set(value: Any) -> set[str]:
    if value is None:
        return set()
    if isinstance(value, list):
        return {str(v) for v in value}
    return {str(value)}


def _actor_matches(want: Any, have: str) -> bool:
    """A joint target actor matches the joint key actor or one of its members (split per actor)."""
    if not have:
        return True  # the key leaves the actor unstated
    have_set = set(have.split("+"))
    want_set = _as_set(want)
    return have_set == want_set or have_set <= want_set


def key_matches(target: dict[str, Any], parts: dict[str, str]) -> bool:
    families = _as_set(target["family"])
    if parts.get("family") not in families:
        return False
    for component, want in target["key"].items():
        have = parts.get(component, "")
        if component == "actor":
            if not _actor_matches(want, have):
                return False
        elif component == "round":
            if have and have != "next" and str(have) != str(want):  # "the next round" is not a number
                return False
        elif component == "date":
            if have and str(have)[:10] != str(want)[:10]:
                return False
        elif have and have not in _as_set(want):
            return False
    return True


def target_matches(target: dict[str, Any], change: Change, check_values: bool = True) -> bool:
    """True when ``change`` shows the target's difference (``check_values``: with the target's old and new
    values where it gives them; a shared fact is contradicted by any change of its field)."""
    if not key_matches(target, keys.key_parts(change.key)):
        return False
    wanted = {target["field"], *target.get("alternatives", ())}
    if "presence" in wanted:
        if change.change == "added" and target["a"] is None:
            return True
        if change.change == "removed" and target["b"] is None:
            return True
        wanted.discard("presence")
    if change.change not in ("changed", "refined"):
        # New or dropped members of a tier: a list of actors on one side shows as claims of theirs added/removed.
        if target["field"] == "actor" and isinstance(target["b"] if change.change == "added" else target["a"], list):
            side = change.new if change.change == "added" else change.old
            return side.value.get("actor") in (target["b"] if change.change == "added" else target["a"])
        return False
    fields = change.fields  # the conflicting fields, or for a refined claim those one side states alone
    name = FIELD_NAMES.get(target["field"], target["field"])
    if target["field"] in wanted and name in fields:
        old, new = fields[name]
        return not check_values or (_value_matches(target["a"], old) and _value_matches(target["b"], new))
    return any(FIELD_NAMES.get(f, f) in fields for f in wanted - {target["field"]})


def _value_matches(want: Any, have: Any) -> bool:
    """The expected value of one side (None: not checked) against the reported one (display strings)."""
    if want is None or have is None or have == "—":
        return True
    if isinstance(want, list):
        return {str(w) for w in want} <= set(str(have).split(","))
    w, h = str(want).lower(), str(have).lower()
    return w == h or h.startswith(w + " ") or w in h or h in w


def stated(target: dict[str, Any], rows: list[dict[str, Any]]) -> bool:
    """Some claim of one side matches the target's key and states its field (``presence``: any claim)."""
    name = FIELD_NAMES.get(target["field"], target["field"])
    for row in rows:
        if not key_matches(target, keys.key_parts(row["claim_key"])):
            continue
        if target["field"] == "presence" or name in json.loads(row["claim_value"]):
            return True
    return False


# --- the gold claims of a report, keyed by this code (to judge changes the pair list does not name) -------

GOLD_SUBJECTS = {
    "EU": "org:eu", "NATO": "org:nato", "Hamas": "org:hamas", "coalition": "org:coalition-of-the-willing",
    "Europe": "region:europe", "West": "region:west", "UN": "org:un", "Hezbollah": "org:hezbollah",
}  # fmt: skip
GOLD_PREDICATES = {"meet": "meeting", "deploy": "deploy_forces"}


def _gold_ref(code: str | None) -> EntityRef | None:
    if not code:
        return None
    if code in GOLD_SUBJECTS:
        return EntityRef(code, GOLD_SUBJECTS[code])
    if len(code) == 2 and code.isupper():
        return EntityRef(code, f"country:{code}")
    person = f"person:{code.lower()}"
    return EntityRef(code, person if load_gazetteer().get(person) else None)


def _gold_place(place: str | None) -> EntityRef | None:
    if not place:
        return None
    if len(place) == 2 and place.isupper():
        return EntityRef(place, f"country:{place}")
    found = load_gazetteer().find(place, "en")
    return EntityRef(place, found[0].entity_id if found else None)


def _gold_time(iso: str | None) -> TimeValue | None:
    interval = keys._interval(iso) if iso else None
    if interval is None:
        return None
    start, end, coarse = interval
    open_start = iso.startswith("../")
    granularity = "day"
    if coarse and not open_start:
        granularity = "week" if "W" in iso else ("year" if len(iso) == 4 else "month")
    return TimeValue(end if open_start else start, end, granularity, iso, open_start=open_start)


def _gold_object(text: str | None) -> EntityRef | None:
    """The gold's object text, linked to the first entity it names (as the extraction links objects)."""
    if not text:
        return None
    found = load_gazetteer().find(text, "en")
    return EntityRef(text, found[0].entity_id if found else None)


def gold_claim(g: dict[str, Any], index: int = 0) -> Claim:
    """A gold claim as a ``Claim`` (each in a sentence of its own: the gold writes joint acts jointly)."""
    actors = [_gold_ref(a) for a in (g["subject"] or "").split(",") if a]
    quantity = g.get("quantity")
    return Claim(
        kind=g["kind"],
        predicate=GOLD_PREDICATES.get(g["predicate"], g["predicate"]),
        evidence=Evidence(index, g.get("note") or "", 0, 0),
        subject=actors[0] if actors else None,
        participants=tuple(actors) if len(actors) > 1 else (),
        object=_gold_object(g.get("object")),
        polarity=g.get("polarity") or "positive",
        modality=g.get("modality") or "asserted",
        condition=g.get("condition"),
        time=_gold_time(g.get("time")),
        window=Window(g["window"], g.get("bound") or "within", None, "") if g.get("window") else None,
        tier=g.get("tier"),
        quantity=Quantity(quantity["value"], quantity["unit"], "") if quantity else None,
        location=_gold_place(g.get("place")),
    )


def gold_keys(shared: Path, name: str) -> list[dict[str, str]]:
    rows = [json.loads(line) for line in (shared / "gold.jsonl").read_text(encoding="utf-8").splitlines() if line]
    mine = [g for g in rows if Path(g["file"]).name == name]
    return [keys.key_parts(keys.claim_key(gold_claim(g, i))) for i, g in enumerate(mine)]


def _same_claim(gold: dict[str, str], reported: dict[str, str]) -> bool:
    """A gold claim and a reported key name the same claim: same family and class (and tier), actors that
    overlap; places, rounds, dates and objects are not compared (the gold writes them freely)."""
    if gold["family"] != reported["family"] or gold.get("tier", "") != reported.get("tier", ""):
        return False
    if gold.get("class") != reported.get("class"):
        return False
    a, b = set(filter(None, gold.get("actor", "").split("+"))), set(filter(None, reported.get("actor", "").split("+")))
    return not a or not b or bool(a & b)


def cause(
    change: Change,
    gold_a: list[dict[str, str]],
    gold_b: list[dict[str, str]],
    keys_a: list[dict[str, str]],
    keys_b: list[dict[str, str]],
) -> str:
    """Why a spurious change was reported: ``value`` (a changed value the texts do not differ on), ``not in
    the text`` (the gold has no such claim on that side: an extraction error), ``missed`` (the gold has it on
    both sides, the extraction only on one), ``keyed apart`` (both sides' extractions have it, under keys
    that did not meet)."""
    if change.change == "changed":
        return "value"
    parts = keys.key_parts(change.key)
    here, there, there_keys = (gold_b, gold_a, keys_a) if change.change == "added" else (gold_a, gold_b, keys_b)
    if not any(_same_claim(g, parts) for g in here):
        return "not in the text"
    if any(_same_claim(k, parts) for k in there_keys):
        return "keyed apart"
    return "missed"


def real_difference(change: Change, gold_a: list[dict[str, str]], gold_b: list[dict[str, str]]) -> bool:
    """A reported added/removed claim is a real difference between the texts when the gold states it on that
    side only; a changed claim is judged only by the pair list (the gold's values are not comparable)."""
    if change.change == "changed":
        return False
    parts = keys.key_parts(change.key)
    here, there = (gold_b, gold_a) if change.change == "added" else (gold_a, gold_b)
    return any(_same_claim(g, parts) for g in here) and not any(_same_claim(g, parts) for g in there)


# --- one pair -----------------------------------------------------------------------------------------


@dataclass
class PairResult:
    pair: str
    kind: str
    found: list[dict[str, Any]] = field(default_factory=list)
    missed: list[dict[str, Any]] = field(default_factory=list)
    unrepresentable: list[dict[str, Any]] = field(default_factory=list)
    explained: list[Change] = field(default_factory=list)
    spurious: list[Change] = field(default_factory=list)  # not a listed change (strict)
    unlisted: list[Change] = field(default_factory=list)  # of those, real differences the gold confirms
    causes: dict[str, int] = field(default_factory=dict)  # why the others were reported (``cause``)
    cause_of: dict[int, str] = field(default_factory=dict)
    contradicting: list[Change] = field(default_factory=list)  # spurious changes that touch a shared fact
    kept: list[dict[str, Any]] = field(default_factory=list)
    contradicted: list[dict[str, Any]] = field(default_factory=list)
    unseen: list[dict[str, Any]] = field(default_factory=list)
    same_unrepresentable: list[dict[str, Any]] = field(default_factory=list)

    @property
    def reported(self) -> int:
        return len(self.explained) + len(self.spurious)


def manifest(shared: Path) -> dict[str, dict[str, Any]]:
    rows = [json.loads(line) for line in (shared / "manifest.jsonl").read_text(encoding="utf-8").splitlines()]
    return {Path(r["file"]).name: r for r in rows if r}


def store_gold(store: Store, shared: Path, name: str, published: date, path: Path) -> None:
    """Store a report (read from ``path``) with its gold claims as its claims (``--oracle``: perfect
    extraction)."""
    from extract.acquire.read import load

    doc = load(str(path), published=published)
    rows = [json.loads(line) for line in (shared / "gold.jsonl").read_text(encoding="utf-8").splitlines() if line]
    claims = [gold_claim(g, i) for i, g in enumerate(g for g in rows if Path(g["file"]).name == name)]
    store.upsert_entities(load_gazetteer().rows())
    store.save_version(store.start_run("oracle"), doc, [], [], claims)


def measure_pair(pair: str, items: list[dict[str, Any]], shared: Path, work: Path, oracle: bool = False) -> PairResult:
    info = manifest(shared)
    a_name, b_name = items[0]["a"], items[0]["b"]
    result = PairResult(pair, items[0]["pair_kind"])
    versions = items[0]["pair_kind"] == "version"
    with Store.open(work / f"{pair.replace('/', '-')}{'-oracle' if oracle else ''}.duckdb") as store:
        targets = []
        for name in (a_name, b_name):
            # The two reports of a version pair are two versions of one document (one file, rewritten).
            path = work / f"{pair.replace('/', '-')}.txt" if versions else shared / "reports" / name
            if versions:
                path.write_bytes((shared / "reports" / name).read_bytes())
            published = date.fromisoformat(info[name]["published"])
            if oracle:
                store_gold(store, shared, name, published, path)
            else:
                ingest(store, [str(path)], published=published, processes=1)
            targets.append(f"{path}@{len(targets) + 1}" if versions else str(path))
        d = diff(store, targets[0], targets[1])
        a_rows, b_rows = resolve(store, targets[0])[1], resolve(store, targets[1])[1]

    change_targets = [(i, t) for i in items if i["type"] == "change" for t in i["targets"]]
    same_targets = [(i, t) for i in items if i["type"] == "same" for t in i["targets"]]
    for item in items:
        if item["type"] == "change":
            if not item["representable"]:
                result.unrepresentable.append(item)
            elif any(target_matches(t, c) for t in item["targets"] for c in d.changes):
                result.found.append(item)
            else:
                result.missed.append(item)
        elif not item["representable"]:
            result.same_unrepresentable.append(item)
        elif any(target_matches(t, c, check_values=False) for t in item["targets"] for c in d.changes):
            result.contradicted.append(item)
        elif all(stated(t, a_rows) and stated(t, b_rows) for t in item["targets"]):
            result.kept.append(item)
        else:
            result.unseen.append(item)
    gold_a, gold_b = gold_keys(shared, a_name), gold_keys(shared, b_name)
    for change in d.changes:
        if any(target_matches(t, change) for _, t in change_targets):
            result.explained.append(change)
        else:
            result.spurious.append(change)
            if any(target_matches(t, change, check_values=False) for _, t in same_targets):
                result.contradicting.append(change)
            elif real_difference(change, gold_a, gold_b):
                result.unlisted.append(change)
                continue
            why = cause(change, gold_a, gold_b, *(_extracted(rows) for rows in (a_rows, b_rows)))
            result.causes[why] = result.causes.get(why, 0) + 1
            result.cause_of[id(change)] = why
    return result


def _extracted(rows: list[dict[str, Any]]) -> list[dict[str, str]]:
    return [keys.key_parts(r["claim_key"]) for r in rows]


# --- report ---------------------------------------------------------------------------------------


def _rate(n: int, d: int) -> str:
    return f"{n}/{d} = {n / d:.0%}" if d else f"{n}/0"


def _change_line(c: Change) -> str:
    if c.change == "changed":
        fields = ", ".join(f"{f}: {o} → {n}" for f, (o, n) in keys.value_diff(c.old.value, c.new.value).items())
        return f"changed  {c.key}  [{fields}]"
    side = c.new or c.old
    return f"{c.change:<8} {c.key}  {keys.describe(side.value)}  «{side.evidence[:90]}»"


def summary(results: list[PairResult]) -> dict[str, Any]:
    found = sum(len(r.found) for r in results)
    expected = found + sum(len(r.missed) for r in results)
    unrep = sum(len(r.unrepresentable) for r in results)
    reported = sum(r.reported for r in results)
    spurious = sum(len(r.spurious) for r in results)
    unlisted = sum(len(r.unlisted) for r in results)
    kept = sum(len(r.kept) for r in results)
    contradicted = sum(len(r.contradicted) for r in results)
    unseen = sum(len(r.unseen) for r in results)
    return {
        "expected_changes": expected,
        "found": found,
        "found_rate": found / expected if expected else None,
        "found_rate_all_items": found / (expected + unrep) if expected + unrep else None,
        "unrepresentable_changes": unrep,
        "reported_changes": reported,
        "spurious": spurious,
        "spurious_rate": spurious / reported if reported else None,
        "unlisted_real": unlisted,
        "spurious_causes": {
            k: sum(r.causes.get(k, 0) for r in results) for k in sorted({k for r in results for k in r.causes})
        },
        "spurious_judged": spurious - unlisted,
        "spurious_judged_rate": (spurious - unlisted) / reported if reported else None,
        "same_facts": kept + contradicted + unseen,
        "same_kept": kept,
        "same_contradicted": contradicted,
        "same_unseen": unseen,
    }


def print_report(results: list[PairResult], verbose: bool) -> None:
    for r in results:
        print(
            f"{r.pair} ({r.kind}): found {_rate(len(r.found), len(r.found) + len(r.missed))}, "
            f"spurious {_rate(len(r.spurious), r.reported)}, same kept {len(r.kept)}, "
            f"contradicted {len(r.contradicted)}, unseen {len(r.unseen)}"
        )
        if not verbose:
            continue
        for item in r.found:
            print(f"   found     {item['what']}")
        for item in r.missed:
            print(f"   MISSED    {item['what']}")
        for item in r.unrepresentable:
            print(f"   (n/a)     {item['what']}: {item['why']}")
        for item in r.contradicted:
            print(f"   SAME≠     {item['what']}")
        for item in r.unseen:
            print(f"   same?     {item['what']} (not stated on both sides)")
        for c in r.explained:
            print(f"     ok      {_change_line(c)}")
        for c in r.spurious:
            mark = "SPURIOUS!" if c in r.contradicting else ("unlisted" if c in r.unlisted else "spurious")
            why = f" ({r.cause_of[id(c)]})" if id(c) in r.cause_of else ""
            print(f"     {mark:<9} {_change_line(c)}{why}")
    s = summary(results)
    print()
    print(f"expected changes reported as changes: {_rate(s['found'], s['expected_changes'])}", end="")
    print(f" (+{s['unrepresentable_changes']} the claim model cannot represent)")
    print(f"reported changes that are spurious:   {_rate(s['spurious'], s['reported_changes'])} not in the pair list")
    print(
        f"                                      {_rate(s['spurious_judged'], s['reported_changes'])} after "
        f"{s['unlisted_real']} real differences the pair list leaves out (confirmed by the gold claims)"
    )
    print(
        "                                      of which: "
        + ", ".join(f"{n} {k}" for k, n in s["spurious_causes"].items())
    )
    print(
        f"same facts unchanged:                 {s['same_kept']} kept, {s['same_contradicted']} contradicted, "
        f"{s['same_unseen']} not stated on both sides"
    )


# --- disagreements over the dev reports --------------------------------------------------------------


def measure_disagreements(shared: Path, langs: tuple[str, ...], work: Path) -> dict[str, Any]:
    """Ingest every report in ``langs`` into one store and list its disagreements; the value changes of the
    cross-outlet pairs among them should be there as conflicts (a fact one report leaves out is not one)."""
    from extract.compare.disagreements import disagreements

    info = manifest(shared)
    names = sorted(n for n, r in info.items() if r["lang"] in langs)
    # The second report of a version pair is a later version of the first: the same document, so the first
    # is no longer what its outlet says.
    later = {
        name: Path(r["pair"]["with"]).name
        for name, r in info.items()
        if r["pair"] and r["pair"]["kind"] == "version" and r["pair"]["order"] == 1
    }
    with Store.open(work / "dev.duckdb") as store:
        for name in names:
            if name in later.values():
                continue
            path = shared / "reports" / name
            if name in later:
                copy = work / f"{name.split('-')[0]}-versions.txt"
                for version in (name, later[name]):
                    copy.write_bytes((shared / "reports" / version).read_bytes())
                    ingest(store, [str(copy)], published=date.fromisoformat(info[version]["published"]), processes=1)
                continue
            ingest(store, [str(path)], published=date.fromisoformat(info[name]["published"]), processes=1)
        found = disagreements(store)
    doc_of = {name: "file:" + str((shared / "reports" / name).resolve()) for name in names}
    expected = [
        (item, target)
        for item in load_expectations()
        if item["pair_kind"] == "outlets" and item["type"] == "change" and item["representable"]
        and set(item["langs"]) <= set(langs)
        for target in item["targets"]
        if target["field"] != "presence"
    ]  # fmt: skip
    matched_items, matched_keys = [], set()
    for item, target in expected:
        pair_docs = {doc_of[item["a"]], doc_of[item["b"]]}
        wanted = {FIELD_NAMES.get(f, f) for f in (target["field"], *target.get("alternatives", ()))}
        for d in found:
            stated_by = {s for r in d.readings for s in r.sources}
            if key_matches(target, keys.key_parts(d.key)) and wanted & set(d.fields) and pair_docs <= stated_by:
                matched_items.append(item["what"])
                matched_keys.add(d.key)
                break
    extra = [d for d in found if d.key not in matched_keys]
    return {
        "reports": len(names),
        "documents": len(names) - sum(1 for name in later if name in names),
        "disagreements": len(found),
        "expected": [item["what"] for item, _ in expected],
        "found": matched_items,
        "extra": [
            {
                "key": d.key,
                "fields": d.fields,
                "readings": [
                    {
                        "reading": r.reading,
                        "sources": [Path(s).name for s in r.sources],
                        "evidence": r.evidence[0]["evidence"],
                    }
                    for r in d.readings
                ],
            }
            for d in extra
        ],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=SHARED, help="the news-reports folder")
    parser.add_argument("--pairs", nargs="*", default=list(EN_JA), help="pairs like 06/07, or 'all'")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("-v", "--verbose", action="store_true")
    parser.add_argument(
        "--disagreements", action="store_true", help="list the disagreements over all English and Japanese reports"
    )
    parser.add_argument(
        "--oracle", action="store_true", help="diff the gold claims instead of extracted ones (keys and diffs alone)"
    )
    args = parser.parse_args(argv)
    if args.disagreements:
        with tempfile.TemporaryDirectory() as tmp:
            report = measure_disagreements(args.shared, ("en", "ja"), Path(tmp))
        if args.json:
            print(json.dumps(report, ensure_ascii=False, indent=2))
            return 0
        print(
            f"{report['reports']} reports ({report['documents']} documents: version pairs are versions), "
            f"{report['disagreements']} disagreements"
        )
        print(f"cross-outlet value changes listed as conflicts: {len(report['found'])}/{len(report['expected'])}")
        for what in report["expected"]:
            print(f"   {'found ' if what in report['found'] else 'MISSED'}  {what}")
        print(f"conflicts that are not among them: {len(report['extra'])}")
        for d in report["extra"]:
            print(f"   {d['key']}  [{', '.join(d['fields'])}]")
            for r in d["readings"]:
                print(f"      {r['reading']}  — {', '.join(r['sources'])}  «{r['evidence'][:100]}»")
        return 0
    expectations = load_expectations()
    pairs = sorted({e["pair"] for e in expectations}) if args.pairs == ["all"] else args.pairs
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for pair in pairs:
            items = [e for e in expectations if e["pair"] == pair]
            if not items:
                parser.error(f"no expectations for pair {pair}")
            results.append(measure_pair(pair, items, args.shared, Path(tmp), oracle=args.oracle))
    if args.json:
        per_pair = {r.pair: summary([r]) for r in results}
        print(json.dumps({"pairs": per_pair, "total": summary(results)}, indent=2))
    else:
        print_report(results, args.verbose)
    return 0


if __name__ == "__main__":
    sys.exit(main())
