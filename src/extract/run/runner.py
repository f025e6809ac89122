"""The one run loop: items read → an executor runs the NLP → a sink writes the results.

    summary = run(items, executor, sink, command="ingest inbox/")

``items`` come from a reader (``ingest.read_targets`` for ``extract ingest``, the nightly job's fetcher):
each is a ``Read`` (a document that may need the NLP), a ``Failed`` source, an ``Unlisted`` one (a feed that
could not be listed) or a ``SourceResult`` the reader settled itself (an HTTP 304). The reader is iterated
lazily, after the sink started the run, so it can use the run id. Content the sink already holds is skipped
before the NLP. The executor (``executors.Inline``, ``executors.ProcessPool``, ``ray.RayActors``) returns
each document's ``Extraction`` or its exception, in input order; the sink (``store.sinks.StoreSink``,
``ParquetSink``, ``MemorySink``) writes it and says whether it was new. A run stopped by anything (Ctrl-C, SIGTERM, a
full disk, a bug) is marked interrupted in the sink on the way out.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any, Protocol, TypeVar

from extract.errors import ExtractError
from extract.model import Document, Extraction, RunSummary, SourceResult
from extract.urls import without_credentials

K = TypeVar("K")


@dataclass(frozen=True)
class Read:
    """A source read into a document; ``state`` is what its reader records once the content is stored (the
    nightly job's fetch state: validators are kept only for content that is safely stored)."""

    source: str
    document: Document
    state: Any = None


@dataclass(frozen=True)
class Failed:
    """A source that could not be read or listed (a missing path, an HTTP error, an empty file)."""

    source: str
    error: Exception


@dataclass(frozen=True)
class Unlisted:
    """A source of a pipeline file whose items could not be listed (``source NAME: LOCATION``): recorded,
    counted as a source error, no result of its own."""

    source: str
    error: Exception


Item = Read | Failed | Unlisted | SourceResult


class Executor(Protocol):
    def map(self, items: Iterable[tuple[K, Document]]) -> Iterator[tuple[K, Extraction | Exception]]:
        """(key, result) for every (key, document), in input order; a failing document yields its exception."""
        ...


class Sink(Protocol):
    """Where a run's results go: the DuckDB store, or Parquet files the store imports."""

    def start(self, command: str) -> str:
        """Record the start of a run; return its id."""
        ...

    def is_stored(self, doc: Document) -> bool:
        """True when this exact content of the document is what the sink holds already."""
        ...

    def write(self, run_id: str, extraction: Extraction) -> str | None:
        """Write one new version; its id, or None when that content was stored in the meantime."""
        ...

    def record_error(self, run_id: str, source: str, exc: BaseException, fingerprint: str | None = None) -> None: ...

    def failed_before(self, source: str, fingerprint: str) -> bool:
        """True when the last failure recorded for ``source`` is this same permanent one."""
        ...

    def finish(self, summary: RunSummary) -> None:
        """Record the run's end, status and counts (called again when a later step changes them)."""
        ...

    def interrupt(self, run_id: str) -> None:
        """Mark a run that is being abandoned as interrupted, if the sink still can."""
        ...


def run(
    items: Iterable[Item],
    executor: Executor,
    sink: Sink,
    *,
    command: str,
    progress: Callable[[SourceResult], None] | None = None,
    on_stored: Callable[[Read], None] | None = None,
    steps: int = 0,
) -> RunSummary:
    """Run ``items`` through ``executor`` into ``sink`` as one recorded run; ``progress`` sees each source's
    result as it is known, ``on_stored`` each read whose content is stored (new or found unchanged)."""
    summary = RunSummary(sink.start(command), steps=steps)

    def add(result: SourceResult) -> None:
        summary.results.append(result)
        if progress:
            progress(result)

    def to_extract() -> Iterator[tuple[Read, Document]]:
        for item in items:
            if isinstance(item, SourceResult):
                add(item)
            elif isinstance(item, Failed):
                add(record_failure(sink, summary.run_id, item.source, item.error))
            elif isinstance(item, Unlisted):
                sink.record_error(summary.run_id, item.source, item.error)
                summary.source_errors.append(str(item.error))
            elif sink.is_stored(item.document):
                if on_stored:
                    on_stored(item)
                add(SourceResult(item.source, "unchanged", lang=item.document.lang, title=item.document.title))
            else:
                yield item, item.document

    try:
        with terminate_as_exit():
            for read, result in executor.map(to_extract()):
                if isinstance(result, Exception):
                    add(record_failure(sink, summary.run_id, read.source, result))
                    continue
                version_id = sink.write(summary.run_id, result)
                if on_stored:
                    on_stored(read)
                doc = result.document
                status = "new" if version_id else "unchanged"
                add(SourceResult(read.source, status, version_id, doc.lang, doc.title, len(result.claims)))
            sink.finish(summary)
    except BaseException:
        sink.interrupt(summary.run_id)
        raise
    return summary


def record_failure(sink: Sink, run_id: str, source: str, exc: Exception) -> SourceResult:
    """Record a failed source; the result names the source and the problem.

    A permanent failure of the same content as the last time this source failed (an empty file, a text in an
    unsupported language) is not recorded again: its status is "failed before", which is no failure of the
    run, so a nightly job does not exit 1 forever over one bad file.
    """
    message = str(exc) if isinstance(exc, ExtractError) else f"{source}: {type(exc).__name__}: {exc}"
    result = SourceResult(without_credentials(source), "error", error=without_credentials(message))
    fingerprint = failure_fingerprint(exc)
    if fingerprint is not None and sink.failed_before(source, fingerprint):
        return replace(result, status="failed before")
    sink.record_error(run_id, source, exc, fingerprint)
    return result


def failure_fingerprint(exc: Exception) -> str | None:
    """``reason:content hash`` for a permanent failure of content that was read; None otherwise."""
    content = getattr(exc, "raw_sha256", None)
    if content is None or getattr(exc, "transient", False):
        return None
    return f"{getattr(exc, 'reason', 'internal')}:{content}"


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
