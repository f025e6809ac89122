"""The ingestion job as plain functions: sources → documents → NLP → claims → store.

Each source is processed on its own: a bad input is recorded in the ``errors`` table with a clear
message and the run goes on. Content already stored (same document, same raw bytes) is skipped before
any NLP is run.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date

from extract.engine import DEFAULT_LIMITS, Limits, extract_many
from extract.errors import ExtractError
from extract.gazetteer import load_gazetteer
from extract.ids import document_key
from extract.ingest import iter_sources, load
from extract.store import Store
from extract.urls import without_credentials


@dataclass(frozen=True)
class SourceResult:
    source: str
    status: str  # "new" | "unchanged" | "error" | "failed before" (as in an earlier run) | "not modified" (304)
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
    """Record a failed source in the ``errors`` table; the result names the source and the problem.

    A permanent failure of the same content as the last time this source failed (an empty file, a text in an
    unsupported language) is not recorded again: its status is "failed before", which is no failure of the
    run, so a nightly job does not exit 1 forever over one bad file.
    """
    message = str(exc) if isinstance(exc, ExtractError) else f"{source}: {type(exc).__name__}: {exc}"
    result = SourceResult(without_credentials(source), "error", error=without_credentials(message))
    fingerprint = failure_fingerprint(exc)
    if fingerprint is not None and store.failed_before(source, fingerprint):
        return replace(result, status="failed before")
    store.record_error(run_id, source, exc, fingerprint)
    return result


@contextmanager
def terminate_as_exit() -> Iterator[None]:
    """While the block runs, SIGTERM (``kill``, ``systemctl stop``) raises ``SystemExit`` instead of ending the
    process on the spot, so a run is marked "interrupted" on the way out. Only in the main thread, and only
    where nobody installed a SIGTERM handler of their own."""
    if threading.current_thread() is not threading.main_thread() or signal.getsignal(signal.SIGTERM) not in (
        signal.SIG_DFL,
        None,
    ):
        yield
        return

    def exit_on_term(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, exit_on_term)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)


def failure_fingerprint(exc: Exception) -> str | None:
    """``reason:content hash`` for a permanent failure of content that was read; None otherwise."""
    content = getattr(exc, "raw_sha256", None)
    if content is None or getattr(exc, "transient", False):
        return None
    return f"{getattr(exc, 'reason', 'internal')}:{content}"


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
    limits: Limits = DEFAULT_LIMITS,
) -> RunSummary:
    """Ingest every source under ``targets`` into ``store`` as one recorded run.

    Sources are read and checked against the store here (unchanged content never reaches the NLP); the
    NLP runs in ``processes`` workers (default: one per core) and results are written here, one
    transaction per document, as they come back.
    """
    store.mark_interrupted_runs()  # one writer at a time: a run still "running" belongs to a dead process
    store.upsert_entities(load_gazetteer().rows())
    run = RunSummary(store.start_run(command))
    try:
        with terminate_as_exit():
            _ingest_sources(store, run, targets, published, progress, processes, limits)
    except BaseException:
        store.interrupt_run(run.run_id)
        raise
    store.finish_run(
        run.run_id,
        run.status,
        n_sources=len(run.results),
        n_new_versions=run.count("new"),
        n_skipped=run.count("unchanged") + run.count("failed before"),
        n_errors=run.count("error"),
    )
    return run


def _ingest_sources(
    store: Store,
    run: RunSummary,
    targets: Iterable[str],
    published: date | None,
    progress: Callable[[SourceResult], None] | None,
    processes: int | None,
    limits: Limits,
) -> None:

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
            if store.is_latest_version(document_key(doc), doc.raw_sha256):
                add(SourceResult(source, "unchanged", lang=doc.lang, title=doc.title))
                continue
            yield source, doc

    sources, failures = expand_targets(targets)
    for target, exc in failures:
        fail(target, exc)
    for source, result in extract_many(to_extract(), processes, limits):
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


def plover_records(targets: Iterable[str], published: date | None = None) -> Iterator[dict]:
    """PLOVER records of every claim of the given files, folders or URLs (read and extracted, nothing stored)."""
    from extract import plover
    from extract.extraction import extract_file

    sources, errors = expand_targets(targets)
    for _source, exc in errors:
        raise exc
    for source in sources:
        ex = extract_file(source, published)
        doc_id = ex.document.text_sha256[:16]
        starts = {s.idx: s.start for s in ex.sentences}
        yield from plover.records(
            ex.claims, ex.document.lang, doc_id=doc_id, starts=starts, published=ex.document.published, source=source
        )
