"""Shared fixtures: paths to real data and extractions that are expensive enough to share per session."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEED = SHARED / "seeds" / "ft-derived-ja-security-guarantees.txt"
SAMPLES = ROOT / "corpus" / "samples"
EN_SAMPLE = SAMPLES / "en-security-guarantees.html"
JA_SAMPLE = SAMPLES / "ja-coalition-update.html"


@pytest.fixture(scope="session")
def seed_extraction():
    """The Japanese seed article (plain text, published early February 2026)."""
    from extract.run.extraction import extract_file

    if not SEED.exists():
        pytest.skip(f"seed article not found at {SEED}")
    return extract_file(str(SEED), published=date(2026, 2, 2))


@pytest.fixture(scope="session")
def en_extraction():
    from extract.run.extraction import extract_file

    return extract_file(str(EN_SAMPLE))


@pytest.fixture(scope="session")
def ja_sample_extraction():
    from extract.run.extraction import extract_file

    return extract_file(str(JA_SAMPLE))


@pytest.fixture(autouse=True)
def _no_proxies_from_the_machine(monkeypatch):
    """The fetcher honours HTTP(S)_PROXY: tests talk to 127.0.0.1 directly whatever the machine sets."""
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "http_proxy", "https_proxy", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
