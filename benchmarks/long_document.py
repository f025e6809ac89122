"""Time and memory of one long Japanese document against the seed article, in one run.

    .venv/bin/python benchmarks/long_document.py [--chars 300000] [--processes 2]

The long document is the seed article (../shared/seeds) repeated, each copy numbered, to ``--chars``
characters. Two measurements, each in a fresh subprocess:

- nlp: ``extract_document`` with the default limits (texts over ``Limits.batch_chars`` are analysed in
  batches of paragraphs) on the seed (after a warm-up, best of 3) and on the long document: seconds per
  1,000 characters, and their ratio (the issue's bound: within 1.5× of the seed's);
- ingest: ``extract ingest`` of the long document with ``--processes`` workers, its process tree sampled
  every 0.1 s: peak resident memory summed over the tree, and the largest single process (bound: 1.5 GB
  per worker).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT.parent / "shared" / "seeds" / "ft-derived-ja-security-guarantees.txt"

NLP_PHASE = """
import json, resource, sys, time
from datetime import date
from extract.run.executors import DEFAULT_LIMITS
from extract.acquire.read import load
from extract.run.extraction import extract_document
seed, long = (load(p, published=date(2026, 2, 2)) for p in sys.argv[1:3])
extract_document(seed)  # loads the pipeline
def timed(doc):
    start = time.perf_counter()
    claims = extract_document(doc, batch_chars=DEFAULT_LIMITS.batch_chars).claims
    return time.perf_counter() - start, len(claims)
seed_s = min(timed(seed)[0] for _ in range(3))
long_s, long_claims = timed(long)
print(json.dumps({"seed_chars": len(seed.text), "seed_s": seed_s, "long_chars": len(long.text),
                  "long_s": long_s, "long_claims": long_claims,
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def long_text(chars: int) -> str:
    seed = SEED.read_text(encoding="utf-8").strip()
    copies, n = [], 0
    while sum(len(c) for c in copies) < chars:
        n += 1
        copies.append(f"第{n}部\n\n{seed}\n\n")
    return "".join(copies)[:chars].rsplit("\n", 1)[0] + "\n"


def tree_rss_mb(root: int) -> tuple[float, float]:
    """(summed, largest) resident memory of ``root`` and its descendants, from /proc."""
    parents: dict[int, int] = {}
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":", 1) for line in status.read_text().splitlines() if ":" in line)
            parents[int(status.parent.name)] = int(fields["PPid"])
        except (OSError, KeyError, ValueError):
            continue
    tree, frontier = {root}, [root]
    while frontier:
        pid = frontier.pop()
        for child, parent in parents.items():
            if parent == pid and child not in tree:
                tree.add(child)
                frontier.append(child)
    sizes = []
    for pid in tree:
        try:
            fields = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines())
            sizes.append(int(fields["VmRSS"].split()[0]) / 1024)
        except (OSError, KeyError, ValueError):
            continue
    return sum(sizes), max(sizes, default=0.0)


def phase_ingest(path: Path, db: Path, processes: int) -> dict:
    cmd = [sys.executable, "-m", "extract.cli", "ingest", str(path), "--db", str(db), "--processes", str(processes)]
    start = time.perf_counter()
    job = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    peak = {"sum": 0.0, "max": 0.0}

    def sample() -> None:
        while job.poll() is None:
            summed, largest = tree_rss_mb(job.pid)
            peak["sum"], peak["max"] = max(peak["sum"], summed), max(peak["max"], largest)
            time.sleep(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, _ = job.communicate()
    sampler.join()
    return {
        "seconds": time.perf_counter() - start,
        "peak_tree_mb": peak["sum"],
        "peak_process_mb": peak["max"],
        "exit": job.returncode,
        "output": out.strip().splitlines()[-1:],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chars", type=int, default=300_000)
    parser.add_argument("--processes", type=int, default=2)
    args = parser.parse_args()
    if not SEED.exists():
        print(f"seed article not found at {SEED}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "long-ja.txt"
        path.write_text(long_text(args.chars), encoding="utf-8")
        nlp = json.loads(
            subprocess.run(
                [sys.executable, "-c", NLP_PHASE, str(SEED), str(path)], capture_output=True, text=True, check=True
            )
            .stdout.strip()
            .splitlines()[-1]
        )
        ingest = phase_ingest(path, Path(tmp) / "bench.duckdb", args.processes)
    per_k_seed = 1000 * nlp["seed_s"] / nlp["seed_chars"]
    per_k_long = 1000 * nlp["long_s"] / nlp["long_chars"]
    print(f"seed: {nlp['seed_chars']:,} chars in {nlp['seed_s']:.2f} s ({per_k_seed:.3f} s per 1k chars)")
    print(
        f"long: {nlp['long_chars']:,} chars in {nlp['long_s']:.1f} s ({per_k_long:.3f} s per 1k chars), "
        f"{nlp['long_claims']} claims"
    )
    print(f"time per character, long / seed: {per_k_long / per_k_seed:.2f} (bound 1.5)")
    print(f"peak RSS of the in-process NLP run: {nlp['peak_rss_mb']:,.0f} MB")
    print(
        f"extract ingest --processes {args.processes}: {ingest['seconds']:.1f} s, exit {ingest['exit']}, "
        f"peak RSS summed over the process tree {ingest['peak_tree_mb']:,.0f} MB, "
        f"largest process {ingest['peak_process_mb']:,.0f} MB (bound 1,536 MB per worker)"
    )
    print(f"  {ingest['output'][0] if ingest['output'] else ''}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
