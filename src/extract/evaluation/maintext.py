"""Evaluation of main-text extraction on the ScrapingHub article-extraction benchmark.

Data: ``shared/data/article-extraction/html/<id>.html.gz`` and ``ground-truth.json`` (id -> ``articleBody``,
``url``). Each page is decoded and extracted exactly as :mod:`extract.acquire.read` does for HTML
(``decode``, ``main_text``, ``normalise_text``), with the page URL from the ground truth.

Scoring follows the benchmark's own ``evaluate.py``: texts are split into ``\\w+`` tokens, compared as
multisets (the Counter intersection is the true positives), and precision/recall are computed per page
and averaged over pages (macro): precision over the pages with any output, recall over the pages with
any gold text, and F1 is the harmonic mean of the two averages. The benchmark's headline numbers use
shingles of 4 tokens (``ngram=4``); the default here is single tokens (``ngram=1``). The ``Score``
returned carries the micro counts (tp/fp/fn summed over pages); the macro averages and the pages where
extraction returned nothing are in :class:`MaintextResult`.
"""

from __future__ import annotations

import gzip
import json
import re
import statistics
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from extract.acquire.read import Raw, decode, main_text, normalise_text
from extract.errors import InputError
from extract.evaluation.scoring import PRF, Score

BENCHMARK_DIR = Path("data") / "article-extraction"
_TOKEN = re.compile(r"\w+")


@dataclass(frozen=True)
class PageScore:
    """Counts for one page."""

    id: str
    prf: PRF
    extracted: bool  # False when extraction returned no text

    @property
    def precision(self) -> float:
        """Benchmark convention: identical (also both empty) texts score 1."""
        return 1.0 if self.prf.fp == self.prf.fn == 0 else self.prf.precision

    @property
    def recall(self) -> float:
        return 1.0 if self.prf.fp == self.prf.fn == 0 else self.prf.recall


@dataclass
class MaintextResult:
    """Per-page scores with their micro and macro summaries."""

    pages: list[PageScore] = field(default_factory=list)

    @property
    def failures(self) -> list[str]:
        """Ids of the pages where extraction returned nothing."""
        return [page.id for page in self.pages if not page.extracted]

    @property
    def micro(self) -> PRF:
        total = PRF()
        for page in self.pages:
            total += page.prf
        return total

    @property
    def macro_precision(self) -> float:
        values = [page.precision for page in self.pages if page.prf.tp + page.prf.fp > 0]
        return statistics.fmean(values) if values else 0.0

    @property
    def macro_recall(self) -> float:
        values = [page.recall for page in self.pages if page.prf.tp + page.prf.fn > 0]
        return statistics.fmean(values) if values else 0.0

    @property
    def macro_f1(self) -> float:
        p, r = self.macro_precision, self.macro_recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def scores(self) -> list[Score]:
        return [Score("maintext", "en", "scrapinghub", "ALL", self.micro, len(self.pages))]


def evaluate_maintext(shared: Path, *, limit: int | None = None) -> list[Score]:
    """Micro token counts of main-text extraction over the benchmark (the first ``limit`` pages by id)."""
    return measure_maintext(shared, limit=limit).scores()


def measure_maintext(shared: Path, *, limit: int | None = None, ngram: int = 1) -> MaintextResult:
    """Score every benchmark page (the first ``limit`` by id); ``ngram`` = 4 gives the benchmark's shingles."""
    directory = shared / BENCHMARK_DIR
    truth = json.loads((directory / "ground-truth.json").read_text(encoding="utf-8"))
    result = MaintextResult()
    for page_id in sorted(truth)[:limit]:
        gold = truth[page_id].get("articleBody") or ""
        predicted = extract_page(directory / "html" / f"{page_id}.html.gz", truth[page_id].get("url"))
        prf = token_prf(gold, predicted, ngram)
        result.pages.append(PageScore(page_id, prf, bool(predicted.strip())))
    return result


def extract_page(path: Path, url: str | None) -> str:
    """Main text of a gzipped HTML page as the product extracts it; "" when it cannot be decoded."""
    body = gzip.decompress(path.read_bytes())
    try:
        html, _warnings = decode(Raw(body=body, media_type="text/html", charset=None, url=url), str(path), "text/html")
    except InputError:
        return ""
    return normalise_text(main_text(html, url))


def tokens(text: str, ngram: int = 1) -> Counter[tuple[str, ...]]:
    """Multiset of ``\\w+`` token n-grams; a text shorter than ``ngram`` tokens is one shorter shingle."""
    words = _TOKEN.findall(text)
    if not words:
        return Counter()
    count = max(1, len(words) - ngram + 1)
    return Counter(tuple(words[i : i + ngram]) for i in range(count))


def token_prf(gold: str, predicted: str, ngram: int = 1) -> PRF:
    """True positives are the multiset intersection of the token n-grams of ``gold`` and ``predicted``."""
    gold_tokens, predicted_tokens = tokens(gold, ngram), tokens(predicted, ngram)
    tp = sum((gold_tokens & predicted_tokens).values())
    return PRF(tp=tp, fp=predicted_tokens.total() - tp, fn=gold_tokens.total() - tp)
