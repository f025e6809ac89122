"""How much of the throughput corpus a cascade could skip: the share of sentences that can carry a claim.

    .venv/bin/python benchmarks/cascade_share.py [--docs 120]

Issue 16 proposed running the parse and NER only on sentences with a predicate trigger or a quantity (and
their neighbours, which anaphora and tier frames need), and a cheap pass elsewhere. Before building it, this
measures its ceiling on the corpus of ``benchmarks/throughput.py`` (one sentence per line): a sentence is a
candidate when it holds a trigger of the language file (the first word of a pattern, English with its regular
inflections: "pledge", "pledged", "pledging"; Japanese as a substring) or a number before a quantity or time
unit of the file. This under-counts (no irregular forms, no tier or sequence cues, no ``act:`` verbs with a
date), so the real share is higher. If the parsed share is S, the NLP cannot get faster than 1 / S.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from throughput import build_corpus  # noqa: E402

from extract import lang as langdata  # noqa: E402


def candidate_patterns(code: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """(trigger, quantity) patterns of a language's data file."""
    data = langdata.load(code)
    words = {pattern.split()[0].rstrip("*") for trigger in data.triggers for pattern in trigger.patterns}
    units = set().union(*data.quantity_units.values(), *data.units.values())
    if data.head_final:  # no spaces: substrings
        trigger = re.compile("|".join(sorted(map(re.escape, words), key=len, reverse=True)))
        quantity = re.compile(r"[\d０-９]+\s*(?:" + "|".join(map(re.escape, units)) + ")")
        return trigger, quantity
    forms = words | {w + suffix for w in words for suffix in ("s", "es", "ed", "d", "ing")}
    forms |= {w[:-1] + "ing" for w in words if w.endswith("e")}
    trigger = re.compile(r"\b(?:" + "|".join(sorted(map(re.escape, forms), key=len, reverse=True)) + r")\b", re.I)
    quantity = re.compile(r"\d[\d,.]*\s+(?:\w+\s+)?(?:" + "|".join(map(re.escape, units)) + r")", re.I)
    return trigger, quantity


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=120)
    args = parser.parse_args()
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        paths = build_corpus(Path(tmp), args.docs)
        by_lang: dict[str, list[list[str]]] = {}
        for path in paths:
            lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
            by_lang.setdefault(path.name[:2], []).append(lines)
    print("| language | sentences | trigger | + quantity | + neighbours | NLP speed-up ceiling |")
    print("|---|---:|---:|---:|---:|---:|")
    for code, docs in sorted(by_lang.items()):
        trigger, quantity = candidate_patterns(code)
        n = triggered = carrying = parsed = 0
        for lines in docs:
            hits = [bool(trigger.search(s)) for s in lines]
            carry = [h or bool(quantity.search(s)) for h, s in zip(hits, lines, strict=True)]
            near = [c or (i > 0 and carry[i - 1]) or (i + 1 < len(carry) and carry[i + 1]) for i, c in enumerate(carry)]
            n, triggered, carrying, parsed = (
                n + len(lines),
                triggered + sum(hits),
                carrying + sum(carry),
                parsed + sum(near),
            )
        print(f"| {code} | {n:,} | {triggered / n:.1%} | {carrying / n:.1%} | {parsed / n:.1%} | {n / parsed:.2f}× |")


if __name__ == "__main__":
    main()
