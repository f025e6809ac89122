"""Start-up time of the analysts' commands, against ``python -c "import duckdb"`` (the floor for any of them).

    python benchmarks/startup.py                 # median of 7 fresh processes per command
    python benchmarks/startup.py --runs 15 --src /tmp/old/src   # another checkout's code, to compare

Each command runs in a new interpreter (``python -m extract.cli``), so every import is counted; the store of
``sql "select 1"`` is an empty migrated one in a temporary folder. Times are printed, never asserted (the
tests check what is imported, not how long it takes).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def timed(argv: list[str], env: dict[str, str], runs: int) -> float:
    """Median wall time of ``argv`` over ``runs`` fresh processes, after one warm-up (file cache)."""
    subprocess.run(argv, env=env, capture_output=True, check=False)
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        result = subprocess.run(argv, env=env, capture_output=True, check=False)
        samples.append(time.perf_counter() - start)
        if result.returncode != 0:
            raise SystemExit(f"{' '.join(argv)} failed: {result.stderr.decode()[-500:]}")
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--src", default=str(ROOT / "src"), help="the package to time (default: this checkout)")
    args = parser.parse_args()
    env = {**os.environ, "PYTHONPATH": args.src}
    python = sys.executable
    with tempfile.TemporaryDirectory() as folder:
        db = str(Path(folder) / "empty.duckdb")
        make = f"from extract.store.db import Store\nwith Store.open({db!r}): pass"
        subprocess.run([python, "-c", make], env=env, check=True)
        cli = [python, "-m", "extract.cli"]
        commands = {
            'python -c "import duckdb"': [python, "-c", "import duckdb"],
            "extract --help": [*cli, "--help"],
            "extract --version": [*cli, "--version"],
            'extract sql "select 1"': [*cli, "sql", "select 1", "--db", db],
        }
        print(f"{'command':<28} median of {args.runs}")
        for name, argv in commands.items():
            print(f"{name:<28} {timed(argv, env, args.runs):.3f} s")


if __name__ == "__main__":
    main()
