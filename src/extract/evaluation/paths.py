"""Where the evaluation finds its data, said once: the gold files and written reports of the source checkout
it runs from, and the shared data beside the checkout (``extract eval --shared`` names another folder).

The evaluation runs from a checkout (its gold is not package data), so the checkout is this file's
``src/extract/evaluation/`` three folders up.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
GOLD = ROOT / "corpus" / "gold"
SHARED = ROOT.parent / "shared"
