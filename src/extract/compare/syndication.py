"""Syndicated copies: the same wire text published on several sites counts as one independent source.

Each stored version gets a MinHash signature of its main text (``signature``): the text is normalised
(NFKC, lower case, letters and digits only), split into words — every character of a Japanese or Chinese
run is a word —, and cut into overlapping 4-word shingles. Two texts whose signatures agree in at least
``THRESHOLD`` of their positions have an estimated shingle Jaccard similarity of at least 0.8: near-identical
texts, a wire story and its copies with a different headline or byline. Candidates are found through
locality-sensitive bands (``bands``: 16 bands of 4 values; a pair at similarity 0.8 shares a band with
probability 0.9998), stored in ``fingerprint_bands``, so a new version is compared with the few stored
versions that can be copies, not with all of them.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

import numpy as np

PERMUTATIONS = 64
ROWS_PER_BAND = 4
SHINGLE = 4
THRESHOLD = 0.8
_SEED = np.random.default_rng(20260205)
_MASKS = _SEED.integers(0, 2**63, size=PERMUTATIONS, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
_MULTIPLIERS = _SEED.integers(0, 2**63, size=PERMUTATIONS, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
_WORD = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]|[^\W_]+")


def shingles(text: str) -> set[str]:
    words = _WORD.findall(unicodedata.normalize("NFKC", text).lower())
    if len(words) < SHINGLE:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}


def _hash64(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "little")


def _signed(value: int) -> int:
    """DuckDB BIGINT: unsigned 64-bit values stored as signed."""
    return value - 2**64 if value >= 2**63 else value


def signature(text: str) -> list[int]:
    """MinHash signature of the text's shingles (``PERMUTATIONS`` values, signed 64-bit)."""
    found = shingles(text)
    if not found:
        return [0] * PERMUTATIONS
    hashes = np.fromiter((_hash64(s) for s in found), dtype=np.uint64, count=len(found))
    with np.errstate(over="ignore"):
        mixed = (hashes[None, :] ^ _MASKS[:, None]) * _MULTIPLIERS[:, None]
    return [_signed(int(v)) for v in mixed.min(axis=1)]


def bands(sig: list[int]) -> list[int]:
    """One hash per band of ``ROWS_PER_BAND`` signature values."""
    out = []
    for start in range(0, len(sig), ROWS_PER_BAND):
        chunk = ",".join(str(v) for v in sig[start : start + ROWS_PER_BAND])
        out.append(_signed(_hash64(chunk)))
    return out


def similarity(a: list[int], b: list[int]) -> float:
    """Estimated Jaccard similarity of two texts' shingle sets."""
    if not a or len(a) != len(b):
        return 0.0
    return sum(1 for x, y in zip(a, b, strict=True) if x == y) / len(a)
