"""Throughput of what users run against raw ``nlp.pipe`` of the same spaCy pipelines, in one run.

    .venv/bin/python benchmarks/throughput.py [--docs 120] [--processes 2] [--src OTHER/src]

Corpus: MEANTIME English news articles and Japanese documents made of stockmark Wikipedia sentences (both
read from ../shared, written to a temporary folder, never into the project). Every measurement is a fresh
process, timed from its start (so model loading counts) to its end; its memory is the peak, sampled every
0.1 s, of the proportional set size (PSS) summed over the process and all its children, so pages the workers
share with the parent (copy-on-write after fork) count once:

- raw: paragraphs → ``nlp.pipe(n_process=P)`` per language with every component of the pipelines (the
  practical limit of running everything on every sentence);
- full: ``extract ingest FOLDER --processes P`` (the CLI: read, language, NLP, gazetteer, claims, DuckDB
  writes), and with ``--processes 1``;
- rerun: the same ingest again on the unchanged corpus (must skip everything);
- half: a full run on half the corpus (memory should not grow with the corpus);
- one Japanese document: ``extract ingest`` of one document with P processes and with one.

``--src`` runs the CLI of another checkout (``PYTHONPATH``), to compare before and after in one run.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import xml.etree.ElementTree as ET
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
SAMPLE_SECONDS = 0.1


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


# --- memory of a process tree ------------------------------------------------------------------------


def tree(pid: int) -> list[int]:
    """``pid`` and all its descendants (Linux /proc)."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as children:
                    todo += [int(c) for c in children.read().split()]
        except OSError:
            continue
    return found


@dataclass(frozen=True)
class Measured:
    seconds: float
    peak_mb: float  # PSS summed over the process tree, at its peak
    output: str


def measure(command: list[str], env: dict[str, str]) -> Measured:
    """Run ``command``; its wall time and the peak of its tree's summed PSS."""
    from extract.run.executors import pss_bytes  # this checkout's (the measured one may be older)

    peak = 0
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, sum(pss_bytes(p) or 0 for p in tree(process.pid)))
            time.sleep(SAMPLE_SECONDS)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = process.communicate()
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    if process.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed ({process.returncode}):\n{err[-3000:]}")
    return Measured(seconds, peak / 2**20, out)


# --- phases ------------------------------------------------------------------------------------------


def phase_raw(folder: Path, processes: int) -> None:
    """Raw ``nlp.pipe`` of every paragraph with every component (run as its own process)."""
    from extract.acquire.read import load
    from extract.nlp.analyse import paragraphs

    try:  # every component of the spaCy package, whatever the rules use
        from extract.nlp.analyse import every_component as loader
    except ImportError:  # a checkout that runs every component anyway
        from extract.nlp.analyse import load_pipeline as loader

    docs = [load(str(p)) for p in sorted(folder.glob("*.txt"))]
    by_lang: dict[str, list[str]] = defaultdict(list)
    for doc in docs:
        by_lang[doc.lang] += [text for _, _, text in paragraphs(doc.text)]
    for lang, texts in by_lang.items():
        for _ in loader(lang).pipe(texts, batch_size=32, n_process=processes):
            pass
    print(json.dumps({"docs": len(docs)}))


def cli(src: Path, *args: str) -> list[str]:
    del src  # the checkout is chosen through PYTHONPATH
    return [sys.executable, "-m", "extract.cli", *args]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=120)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--src", type=Path, default=ROOT / "src", help="the checkout's src folder to run")
    parser.add_argument("--phase", choices=("raw",), help=argparse.SUPPRESS)
    parser.add_argument("--folder", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase == "raw":
        phase_raw(Path(args.folder), args.processes)
        return
    env = {**os.environ, "PYTHONPATH": str(args.src.resolve())}
    p = str(args.processes)
    results: dict[str, Measured] = {}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        paths = build_corpus(tmp / "full", args.docs)
        build_corpus(tmp / "half", args.docs // 2)
        one = tmp / "one"
        one.mkdir()
        ja = next(path for path in paths if path.name.startswith("ja-"))
        (one / ja.name).write_text(ja.read_text(encoding="utf-8"), encoding="utf-8")

        def ingest(name: str, folder: Path, db: str, *extra: str) -> None:
            command = cli(args.src, "ingest", str(folder), "--db", str(tmp / db), "--quiet", *extra)
            results[name] = measure(command, env)

        raw_cmd = [sys.executable, __file__, "--phase", "raw", "--folder", str(tmp / "full"), "--processes", p]
        results["raw"] = measure(raw_cmd, env)
        ingest("full", tmp / "full", "full.duckdb", "--processes", p)
        ingest("full, 1 process", tmp / "full", "full1.duckdb", "--processes", "1")
        ingest("rerun", tmp / "full", "full.duckdb", "--processes", p)
        ingest("half", tmp / "half", "half.duckdb", "--processes", p)
        ingest("one ja document", one, "one.duckdb", "--processes", p)
        ingest("one ja document, 1 process", one, "one1.duckdb", "--processes", "1")
        out = subprocess.run(
            cli(args.src, "sql", "SELECT count(*) FROM claims", "--db", str(tmp / "full.duckdb"), "--format", "csv"),
            env=env,
            capture_output=True,
            text=True,
        ).stdout
        claims = out.strip().splitlines()[-1]
    n = args.docs
    raw = results["raw"].seconds
    print(f"{n} documents, {args.processes} processes, {args.src}")
    print("| measure | docs/s | s | peak PSS, process tree MB |")
    print("|---|---:|---:|---:|")
    for name, m in results.items():
        docs = 1 if name.startswith("one") else n // 2 if name == "half" else n
        print(f"| {name} | {docs / m.seconds:.2f} | {m.seconds:.1f} | {m.peak_mb:,.0f} |")
    print(f"full / raw throughput: {raw / results['full'].seconds:.3f}")
    print(f"rerun / full time: {results['rerun'].seconds / results['full'].seconds:.3f}")
    print(f"claims: {claims}")


if __name__ == "__main__":
    main()
