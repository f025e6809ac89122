"""Throughput of the full pipeline against raw ``nlp.pipe`` of the same spaCy pipelines, in one run.

    .venv/bin/python benchmarks/throughput.py [--docs 180] [--processes 2]

Corpus: MEANTIME English news articles and Japanese documents made of stockmark Wikipedia sentences (both
read from ../shared, written to a temporary folder, never into the project). Each measurement runs in a
fresh subprocess, so peak memory (max RSS, parent + workers) is its own:

- raw: paragraphs → ``nlp.pipe(n_process=P)`` per language (the practical limit of the NLP);
- full: ``extract ingest`` of the folder (read, language, NLP, gazetteer, claims, DuckDB writes) with P workers;
- rerun: the same ingest again on the unchanged corpus (must skip everything);
- half: a full run on half the corpus (memory should not grow with the corpus).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"


def build_corpus(folder: Path, n_docs: int) -> list[Path]:
    """Half English (MEANTIME), half Japanese (stockmark sentences, 25 per document)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    english = sorted((SHARED / "en-news-meantime").glob("corpus_*/*.xml"))
    for i, xml in enumerate(english[: n_docs // 2]):
        lines: dict[int, list[str]] = defaultdict(list)
        for token in ET.parse(xml).getroot().iter("token"):
            lines[int(token.get("sentence"))].append(token.text or "")
        text = "\n".join(" ".join(t) for _, t in sorted(lines.items()))
        path = folder / f"en-{i:04d}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    sentences = [item["text"] for item in json.loads((SHARED / "ja-ner" / "stockmark-ner-wikipedia.json").read_text())]
    for i in range(n_docs - len(paths)):
        chunk = sentences[i * 25 : (i + 1) * 25]
        path = folder / f"ja-{i:04d}.txt"
        path.write_text("\n".join(chunk), encoding="utf-8")
        paths.append(path)
    return paths


def peak_rss_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return (own + children) / 1024


def phase_raw(folder: Path, processes: int) -> dict:
    from extract.acquire.read import load
    from extract.nlp.analyse import load_pipeline, paragraphs

    docs = [load(str(p)) for p in sorted(folder.glob("*.txt"))]
    by_lang: dict[str, list[str]] = defaultdict(list)
    for doc in docs:
        by_lang[doc.lang] += [text for _, _, text in paragraphs(doc.text)]
    pipelines = {lang: load_pipeline(lang) for lang in by_lang}
    start = time.perf_counter()
    for lang, texts in by_lang.items():
        for _ in pipelines[lang].pipe(texts, batch_size=32, n_process=processes):
            pass
    return {"seconds": time.perf_counter() - start, "docs": len(docs)}


def phase_ingest(folder: Path, db: Path, processes: int) -> dict:
    from extract.nlp.analyse import load_pipeline
    from extract.run.ingest import ingest
    from extract.store.db import Store

    for lang in ("ja", "en"):
        load_pipeline(lang)  # both measurements start with loaded models
    start = time.perf_counter()
    with Store.open(db) as store:
        run = ingest(store, [str(folder)], processes=processes)
        claims = store.query("SELECT count(*) FROM claims")[1][0][0]
    return {
        "seconds": time.perf_counter() - start,
        "docs": len(run.results),
        "new": run.count("new"),
        "unchanged": run.count("unchanged"),
        "errors": run.count("error"),
        "claims": claims,
    }


def run_phase(args: list[str]) -> dict:
    out = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=180)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--phase", choices=("raw", "ingest"), help=argparse.SUPPRESS)
    parser.add_argument("--folder", help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        folder = Path(args.folder)
        result = (
            phase_raw(folder, args.processes)
            if args.phase == "raw"
            else phase_ingest(folder, Path(args.db), args.processes)
        )
        result["peak_rss_mb"] = round(peak_rss_mb(), 1)
        print(json.dumps(result))
        return
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        build_corpus(tmp / "full", args.docs)
        build_corpus(tmp / "half", args.docs // 2)
        p = str(args.processes)
        raw = run_phase(["--phase", "raw", "--folder", str(tmp / "full"), "--processes", p])
        full = run_phase(
            ["--phase", "ingest", "--folder", str(tmp / "full"), "--db", str(tmp / "a.duckdb"), "--processes", p]
        )
        rerun = run_phase(
            ["--phase", "ingest", "--folder", str(tmp / "full"), "--db", str(tmp / "a.duckdb"), "--processes", p]
        )
        half = run_phase(
            ["--phase", "ingest", "--folder", str(tmp / "half"), "--db", str(tmp / "b.duckdb"), "--processes", p]
        )
        single = run_phase(
            ["--phase", "ingest", "--folder", str(tmp / "full"), "--db", str(tmp / "c.duckdb"), "--processes", "1"]
        )
    report = {
        "docs": raw["docs"],
        "processes": args.processes,
        "raw nlp.pipe docs/s": round(raw["docs"] / raw["seconds"], 2),
        "full pipeline docs/s": round(full["docs"] / full["seconds"], 2),
        "full pipeline docs/s, 1 process": round(single["docs"] / single["seconds"], 2),
        "full / raw throughput": round(raw["seconds"] / full["seconds"], 3),
        "rerun / full time": round(rerun["seconds"] / full["seconds"], 4),
        "rerun skipped": rerun["unchanged"],
        "claims": full["claims"],
        "errors": full["errors"],
        "peak RSS MB (raw, full, half corpus)": [raw["peak_rss_mb"], full["peak_rss_mb"], half["peak_rss_mb"]],
    }
    for key, value in report.items():
        print(f"{key:40s} {value}")


if __name__ == "__main__":
    main()
