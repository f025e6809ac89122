"""Structural check of corpus/reports (run: python3 corpus/reports/validate.py)."""
import json
import re
import sys
from collections import Counter
from datetime import date, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
FIELDS = ["file", "kind", "subject", "predicate", "object", "tier", "window", "bound", "time", "place",
          "quantity", "polarity", "modality", "condition", "note"]
KINDS = {"tier", "pledge", "position", "event", "quantity"}
BOUNDS = {None, "within", "after", "for"}
POLARITY = {"positive", "negative"}
MODALITY = {"asserted", "planned", "possible", "demanded", "offered", "unclear"}
DURATION = re.compile(r"^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?$")


def _date(s):
    return date.fromisoformat(s)


def _month(s):
    return datetime.strptime(s, "%Y-%m")


def _part(s):
    """One side of a range: a date, a month, or a year."""
    for f in (_date, _month, lambda x: datetime.strptime(x, "%Y")):
        try:
            f(s)
            return True
        except ValueError:
            pass
    return False


def time_ok(t):
    if re.fullmatch(r"\d{4}", t) or re.fullmatch(r"\d{4}-W(0[1-9]|[1-4]\d|5[0-3])", t):
        return True
    if re.fullmatch(r"\d{4}-\d\d", t):
        return _part(t)
    if re.fullmatch(r"\d{4}-\d\d-\d\d", t):
        return _part(t)
    if re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d([+-]\d\d:\d\d|Z)", t):
        try:
            datetime.fromisoformat(t.replace("Z", "+00:00"))
            return True
        except ValueError:
            return False
    if t.startswith("../"):
        return _part(t[3:])
    if "/" in t:
        a, b = t.split("/", 1)
        same_shape = len(a) == len(b)
        return same_shape and _part(a) and _part(b) and a <= b
    return False


def main():
    errors = []
    manifest = [json.loads(l) for l in (HERE / "manifest.jsonl").read_text(encoding="utf-8").splitlines() if l.strip()]
    mfiles = {m["file"] for m in manifest}
    on_disk = {"reports/" + p.name for p in (HERE / "reports").glob("*.txt")}
    if mfiles != on_disk:
        errors.append(f"manifest vs reports/: missing {sorted(on_disk - mfiles)}, extra {sorted(mfiles - on_disk)}")
    for m in manifest:
        for k in ("file", "lang", "published", "published_estimated", "story", "style_of", "group", "pair"):
            if k not in m:
                errors.append(f"manifest {m.get('file')}: no {k}")
        _date(m["published"])
        if m["pair"] is not None and m["pair"]["with"] not in mfiles:
            errors.append(f"manifest {m['file']}: pair target missing")
    counts = Counter()
    for n, line in enumerate((HERE / "gold.jsonl").read_text(encoding="utf-8").splitlines(), 1):
        try:
            g = json.loads(line)
        except json.JSONDecodeError as e:
            errors.append(f"gold line {n}: {e}")
            continue
        where = f"gold line {n} ({g.get('file')})"
        if list(g) != FIELDS:
            errors.append(f"{where}: fields {list(g)}")
        if not (HERE / g["file"]).is_file():
            errors.append(f"{where}: file does not exist")
        if g["file"] not in mfiles:
            errors.append(f"{where}: file not in manifest")
        if g["kind"] not in KINDS:
            errors.append(f"{where}: kind {g['kind']}")
        if g["kind"] == "tier" and not isinstance(g["tier"], int):
            errors.append(f"{where}: tier claim without tier number")
        if g["tier"] is not None and not isinstance(g["tier"], int):
            errors.append(f"{where}: tier {g['tier']!r}")
        if g["window"] is not None and not DURATION.match(g["window"]):
            errors.append(f"{where}: window {g['window']}")
        if g["bound"] not in BOUNDS:
            errors.append(f"{where}: bound {g['bound']}")
        if g["time"] is not None and not time_ok(g["time"]):
            errors.append(f"{where}: time {g['time']}")
        q = g["quantity"]
        if q is not None and (set(q) != {"value", "unit"} or not isinstance(q["value"], (int, float))):
            errors.append(f"{where}: quantity {q}")
        if g["polarity"] not in POLARITY:
            errors.append(f"{where}: polarity {g['polarity']}")
        if g["modality"] not in MODALITY:
            errors.append(f"{where}: modality {g['modality']}")
        counts[g["file"]] += 1
    for f in sorted(mfiles):
        if counts[f] < 4:
            errors.append(f"{f}: only {counts[f]} gold claims")
    for n, line in enumerate((HERE / "diffs.jsonl").read_text(encoding="utf-8").splitlines(), 1):
        d = json.loads(line)
        if d["a"] not in mfiles or d["b"] not in mfiles or d["kind"] not in ("version", "outlets"):
            errors.append(f"diffs line {n}: bad a/b/kind")
        for c in d["changes"]:
            if set(c) != {"what", "a_value", "b_value"}:
                errors.append(f"diffs line {n}: change {c}")
    for e in errors:
        print("ERROR", e)
    print(f"{len(manifest)} reports, {sum(counts.values())} gold claims, {len(errors)} errors")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
