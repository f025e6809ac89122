"""The ingestion job as plain functions: sources → documents → NLP → claims → store.

Each source is processed on its own: a bad input is recorded in the ``errors`` table with a clear
message and the run goes on. Content already stored (same document, same raw bytes) is skipped before
any NLP is run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

from extract.claims import extract_claims
from extract.engine import extract_many
from extract.errors import ExtractError
from extract.gazetteer import load_gazetteer
from extract.ingest import document_key, iter_sources, load
from extract.model import Claim, Document
from extract.nlp import Analysis, analyse
from extract.store import Store


@dataclass(frozen=True)
class Extraction:
    document: Document
    analysis: Analysis
    claims: list[Claim]


@dataclass(frozen=True)
class SourceResult:
    source: str
    status: str  # "new" | "unchanged" | "error"
    version_id: str | None = None
    lang: str | None = None
    title: str | None = None
    n_claims: int = 0
    error: str | None = None


@dataclass
class RunSummary:
    run_id: str
    results: list[SourceResult] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for r in self.results if r.status == status)

    @property
    def status(self) -> str:
        errors = self.count("error")
        if not errors:
            return "ok"
        return "failed" if errors == len(self.results) else "partial"

    @property
    def exit_code(self) -> int:
        return {"ok": 0, "partial": 1, "failed": 2}[self.status]


def record_failure(store: Store, run_id: str, source: str, exc: Exception) -> SourceResult:
    """Record a failed source in the ``errors`` table; the result names the source and the problem."""
    store.record_error(run_id, source, exc)
    message = str(exc) if isinstance(exc, ExtractError) else f"{source}: {type(exc).__name__}: {exc}"
    return SourceResult(source, "error", error=message)


def extract_document(doc: Document) -> Extraction:
    """NLP and claim extraction for one loaded document."""
    analysis = analyse(doc.text, doc.lang, doc.title)
    return Extraction(doc, analysis, extract_claims(analysis, doc.published))


def extract_file(source: str, published: date | None = None) -> Extraction:
    """Load and extract one source without storing anything (used by tests and notebooks)."""
    return extract_document(load(source, published=published))


def expand_targets(targets: Iterable[str]) -> tuple[list[str], list[tuple[str, ExtractError]]]:
    """Sources to ingest, and the targets that could not even be listed (missing paths)."""
    sources: list[str] = []
    failures: list[tuple[str, ExtractError]] = []
    for target in targets:
        try:
            sources += iter_sources(target)
        except ExtractError as exc:
            failures.append((target, exc))
    return sources, failures


def ingest(
    store: Store,
    targets: Iterable[str],
    *,
    published: date | None = None,
    command: str = "ingest",
    progress: Callable[[SourceResult], None] | None = None,
    processes: int | None = None,
) -> RunSummary:
    """Ingest every source under ``targets`` into ``store`` as one recorded run.

    Sources are read and checked against the store here (unchanged content never reaches the NLP); the
    NLP runs in ``processes`` workers (default: one per core) and results are written here, one
    transaction per document, as they come back.
    """
    store.upsert_entities(load_gazetteer().rows())
    run = RunSummary(store.start_run(command))

    def add(result: SourceResult) -> None:
        run.results.append(result)
        if progress:
            progress(result)

    def fail(source: str, exc: Exception) -> None:
        add(record_failure(store, run.run_id, source, exc))

    def to_extract():
        for source in sources:
            try:
                doc = load(source, published=published)
            except Exception as exc:  # noqa: BLE001 - one bad source must not stop the run
                fail(source, exc)
                continue
            if store.has_version(document_key(doc), doc.raw_sha256):
                add(SourceResult(source, "unchanged", lang=doc.lang, title=doc.title))
                continue
            yield source, doc

    sources, failures = expand_targets(targets)
    for target, exc in failures:
        fail(target, exc)
    for source, result in extract_many(to_extract(), processes):
        if isinstance(result, Exception):
            fail(source, result)
            continue
        doc = result.document
        version_id = store.save_version(run.run_id, doc, result.sentences, result.mentions, result.claims)
        add(
            SourceResult(
                source, "new" if version_id else "unchanged", version_id, doc.lang, doc.title, len(result.claims)
            )
        )
    store.finish_run(
        run.run_id,
        run.status,
        n_sources=len(run.results),
        n_new_versions=run.count("new"),
        n_skipped=run.count("unchanged"),
        n_errors=run.count("error"),
    )
    return run
