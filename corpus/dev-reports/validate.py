#!/usr/bin/env python3
"""Validate the dev-reports set: gold.jsonl, manifest.jsonl, diffs.jsonl and reports/.

Usage: python3 validate.py   (run from anywhere; paths are relative to this file)
Exit status 0 if no errors; warnings do not fail.
"""
import datetime
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
FIELDS = ["file", "kind", "subject", "predicate", "object", "tier", "window", "bound",
          "time", "place", "quantity", "polarity", "modality", "condition", "note"]
KINDS = {"tier", "pledge", "position", "event", "quantity"}
BOUNDS = {None, "within", "after", "for"}
POLARITIES = {"positive", "negative"}
MODALITIES = {"asserted", "planned", "possible", "demanded", "offered", "unclear"}
LANGS = {"en", "ja"}
MIN_CLAIMS, MAX_CLAIMS = 5, 12

DURATION = re.compile(r"^P(?=\d|T\d)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?$")
D = r"\d{4}-\d{2}-\d{2}"
M = r"\d{4}-\d{2}"
TIME_SHAPES = [
    re.compile(rf"^{D}$"),                       # 2026-02-05
    re.compile(rf"^{D}/{D}$"),                   # 2026-02-04/2026-02-05
    re.compile(rf"^\.\./{D}$"),                  # ../2026-02-01
    re.compile(rf"^{M}$"),                       # 2025-09
    re.compile(rf"^{M}/{M}$"),                   # 2025-12/2026-01
    re.compile(r"^\d{4}$"),                      # 2035
    re.compile(r"^\d{4}-W\d{2}$"),               # 2026-W06
    re.compile(rf"^{D}T\d{{2}}:\d{{2}}(:\d{{2}})?(Z|[+-]\d{{2}}:\d{{2}})$"),  # date-time with offset
]
NAME = re.compile(r"^reports/(\d{2})-(en|ja)-[a-z0-9-]+\.txt$")

errors, warnings = [], []


def err(msg):
    errors.append(msg)


def warn(msg):
    warnings.append(msg)


def check_dates_in(value, where):
    for part in re.findall(r"\d{4}-\d{2}-\d{2}", value):
        try:
            datetime.date.fromisoformat(part)
        except ValueError:
            err(f"{where}: invalid calendar date {part}")
    for part in re.findall(r"(?<![\d-])(\d{4})-(\d{2})(?![\d-])", value):
        if not 1 <= int(part[1]) <= 12:
            err(f"{where}: invalid month {part[0]}-{part[1]}")


def check_range_order(value, where):
    if "/" in value and not value.startswith("../"):
        a, b = value.split("/")
        if a > b:
            err(f"{where}: range start {a} after end {b}")


# ---- reports on disk
report_files = sorted("reports/" + f for f in os.listdir(os.path.join(HERE, "reports")) if f.endswith(".txt"))
for rf in report_files:
    m = NAME.match(rf)
    if not m:
        err(f"{rf}: name does not match NN-lang-slug.txt")
        continue
    text = open(os.path.join(HERE, rf), encoding="utf-8").read()
    if m.group(2) == "en":
        n = len(text.split())
        if not 120 <= n <= 300:
            warn(f"{rf}: {n} words (expected 120-300)")
    else:
        n = len(re.sub(r"\s", "", text))
        if not 300 <= n <= 600:
            warn(f"{rf}: {n} characters (expected 300-600)")

# ---- manifest
manifest = {}
for i, line in enumerate(open(os.path.join(HERE, "manifest.jsonl"), encoding="utf-8"), 1):
    where = f"manifest.jsonl:{i}"
    try:
        row = json.loads(line)
    except json.JSONDecodeError as e:
        err(f"{where}: bad JSON ({e})")
        continue
    keys = ["file", "lang", "published", "published_estimated", "story", "style_of", "group", "pair"]
    if list(row) != keys:
        err(f"{where}: fields {list(row)} != {keys}")
    f = row.get("file")
    if f in manifest:
        err(f"{where}: duplicate {f}")
    manifest[f] = row
    if f not in report_files:
        err(f"{where}: file {f} does not exist")
    m = NAME.match(f or "")
    if m and row.get("lang") != m.group(2):
        err(f"{where}: lang {row.get('lang')} does not match file name")
    if row.get("lang") not in LANGS:
        err(f"{where}: lang {row.get('lang')}")
    try:
        datetime.date.fromisoformat(row.get("published", ""))
    except ValueError:
        err(f"{where}: published {row.get('published')!r} is not YYYY-MM-DD")
    if not isinstance(row.get("published_estimated"), bool):
        err(f"{where}: published_estimated must be boolean")
    if row.get("group") != "D":
        err(f"{where}: group must be 'D'")
    if not row.get("story") or not row.get("style_of"):
        err(f"{where}: story and style_of are required")
    p = row.get("pair")
    if p is not None:
        if set(p) != {"kind", "with", "order"} or p["kind"] not in {"version", "outlets"} or p["order"] not in (1, 2):
            err(f"{where}: bad pair {p}")
for rf in report_files:
    if rf not in manifest:
        err(f"manifest.jsonl: {rf} not listed")
for f, row in manifest.items():
    p = row.get("pair")
    if p:
        other = manifest.get(p["with"])
        if not other or not other.get("pair") or other["pair"]["with"] != f \
                or other["pair"]["kind"] != p["kind"] or other["pair"]["order"] == p["order"]:
            err(f"manifest.jsonl: pair of {f} is not reciprocal")

# ---- gold
counts = {}
for i, line in enumerate(open(os.path.join(HERE, "gold.jsonl"), encoding="utf-8"), 1):
    where = f"gold.jsonl:{i}"
    try:
        g = json.loads(line)
    except json.JSONDecodeError as e:
        err(f"{where}: bad JSON ({e})")
        continue
    if list(g) != FIELDS:
        err(f"{where}: fields {list(g)} != the 15 expected fields in order")
        continue
    f = g["file"]
    counts[f] = counts.get(f, 0) + 1
    if f not in report_files:
        err(f"{where}: file {f} does not exist")
    if g["kind"] not in KINDS:
        err(f"{where}: kind {g['kind']!r}")
    if g["subject"] is not None and (not isinstance(g["subject"], str) or not g["subject"].strip()):
        err(f"{where}: subject must be a non-empty string or null")
    if not isinstance(g["predicate"], str) or not re.match(r"^[a-z_+]+$", g["predicate"]):
        err(f"{where}: predicate {g['predicate']!r} should be a short lower-case verb")
    if g["tier"] is not None and (not isinstance(g["tier"], int) or isinstance(g["tier"], bool) or g["tier"] < 1):
        err(f"{where}: tier {g['tier']!r}")
    if g["kind"] == "tier" and g["tier"] is None:
        err(f"{where}: kind 'tier' needs a tier number")
    if g["kind"] != "tier" and g["tier"] is not None:
        warn(f"{where}: tier number on kind {g['kind']}")
    if g["window"] is not None and not DURATION.match(str(g["window"])):
        err(f"{where}: window {g['window']!r} is not an ISO 8601 duration")
    if g["bound"] not in BOUNDS:
        err(f"{where}: bound {g['bound']!r}")
    if g["bound"] == "after" and g["window"] is None:
        err(f"{where}: bound 'after' needs a window")
    if g["bound"] == "after" and not (g["condition"] or g["note"]):
        err(f"{where}: bound 'after' needs an anchor in condition or note")
    if g["bound"] is not None and g["window"] is None and g["time"] is None:
        err(f"{where}: bound without window or time")
    t = g["time"]
    if t is not None:
        if not isinstance(t, str) or not any(s.match(t) for s in TIME_SHAPES):
            err(f"{where}: time {t!r} not in an allowed shape")
        else:
            check_dates_in(t, where)
            check_range_order(t, where)
    q = g["quantity"]
    if q is not None:
        if not isinstance(q, dict) or set(q) != {"value", "unit"} \
                or not isinstance(q["value"], (int, float)) or isinstance(q["value"], bool) \
                or not isinstance(q["unit"], str) or not q["unit"]:
            err(f"{where}: quantity {q!r} must be {{value: number, unit: str}}")
    if g["kind"] == "quantity" and q is None:
        err(f"{where}: kind 'quantity' without a quantity")
    if g["polarity"] not in POLARITIES:
        err(f"{where}: polarity {g['polarity']!r}")
    if g["modality"] not in MODALITIES:
        err(f"{where}: modality {g['modality']!r}")
    for k in ("object", "place", "condition", "note"):
        if g[k] is not None and not isinstance(g[k], str):
            err(f"{where}: {k} must be a string or null")

for rf in report_files:
    n = counts.get(rf, 0)
    if n < MIN_CLAIMS:
        err(f"{rf}: {n} claims (need at least {MIN_CLAIMS})")
    elif n > MAX_CLAIMS:
        warn(f"{rf}: {n} claims (more than {MAX_CLAIMS})")

# ---- diffs
for i, line in enumerate(open(os.path.join(HERE, "diffs.jsonl"), encoding="utf-8"), 1):
    where = f"diffs.jsonl:{i}"
    try:
        d = json.loads(line)
    except json.JSONDecodeError as e:
        err(f"{where}: bad JSON ({e})")
        continue
    if list(d) != ["a", "b", "kind", "changes", "same"]:
        err(f"{where}: fields {list(d)}")
        continue
    pa = manifest.get(d["a"], {}).get("pair")
    if not pa or pa["with"] != d["b"] or pa["kind"] != d["kind"]:
        err(f"{where}: {d['a']} / {d['b']} is not a declared {d['kind']} pair")
    for c in d["changes"]:
        if set(c) != {"what", "a_value", "b_value"}:
            err(f"{where}: change {c}")
    if not isinstance(d["same"], list):
        err(f"{where}: same must be a list")

# ---- summary
by_lang, by_kind = {}, {}
for line in open(os.path.join(HERE, "gold.jsonl"), encoding="utf-8"):
    try:
        g = json.loads(line)
    except json.JSONDecodeError:
        continue
    lang = manifest.get(g.get("file"), {}).get("lang", "?")
    by_lang.setdefault(lang, {}).setdefault(g.get("kind"), 0)
    by_lang[lang][g.get("kind")] += 1
    by_kind[g.get("kind")] = by_kind.get(g.get("kind"), 0) + 1
print(f"reports: {len(report_files)}  manifest rows: {len(manifest)}  claims: {sum(counts.values())}")
for lang in sorted(by_lang):
    n_rep = sum(1 for r in manifest.values() if r["lang"] == lang)
    print(f"  {lang}: {n_rep} reports, {sum(by_lang[lang].values())} claims {dict(sorted(by_lang[lang].items()))}")
print(f"  kinds: {dict(sorted(by_kind.items()))}")
print(f"  stories: {len({r['story'] for r in manifest.values()})}")
for w in warnings:
    print("WARNING:", w)
for e in errors:
    print("ERROR:", e)
print("OK" if not errors else f"{len(errors)} error(s)")
sys.exit(1 if errors else 0)
