"""``extract ingest``: files, folders and URLs read here, then ``runner.run`` (NLP, claims, the store).

Each source is processed on its own: a bad input is recorded in the ``errors`` table with a clear
message and the run goes on. Content already stored (same document, same raw bytes) is skipped before
any NLP is run.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator
from datetime import date

from extract.acquire.read import iter_sources, load
from extract.errors import ExtractError
from extract.model import Document, Extraction, RunSummary, SourceResult
from extract.run.executors import DEFAULT_LIMITS, Inline, Limits, local_executor
from extract.run.runner import Executor, Failed, Item, Read, run
from extract.store.db import Store
from extract.store.sinks import MemorySink, StoreSink


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


def read_targets(targets: Iterable[str], published: date | None = None) -> Iterator[Item]:
    """The runner's items for ``targets``: the targets that cannot be listed first, then every source read
    (``acquire.read.load``; ``published`` overrides the date found in the content)."""
    sources, failures = expand_targets(targets)
    for target, exc in failures:
        yield Failed(target, exc)
    for source in sources:
        try:
            yield Read(source, load(source, published=published))
        except Exception as exc:  # noqa: BLE001 - one bad source must not stop the run
            yield Failed(source, exc)


def ingest(
    store: Store,
    targets: Iterable[str],
    *,
    published: date | None = None,
    command: str = "ingest",
    progress: Callable[[SourceResult], None] | None = None,
    processes: int | None = None,
    limits: Limits = DEFAULT_LIMITS,
    executor: Executor | None = None,
    entities: Iterable[tuple] | None = None,
) -> RunSummary:
    """Ingest every source under ``targets`` into ``store`` as one recorded run.

    Sources are read and checked against the store here (unchanged content never reaches the NLP); the NLP
    runs on ``executor`` (default: ``processes`` worker processes, one per core) and results are written
    here, one transaction per document, as they come back. ``entities``: the gazetteer's rows for the
    store's entity table (default: ``load_gazetteer().rows()``).
    """
    if entities is None:
        from extract.nlp.gazetteer import load_gazetteer

        entities = load_gazetteer().rows()
    executor = executor or local_executor(processes, limits)
    sink = StoreSink(store, entities)
    return run(read_targets(targets, published), executor, sink, command=command, progress=progress)


# The evaluation scores what the rules make of whole documents: no batches, no length limit.
EVALUATION_LIMITS = Limits(max_chars=sys.maxsize, batch_chars=None)


def extract_documents(docs: Iterable[Document], executor: Executor | None = None) -> list[Extraction]:
    """The extraction of each document, in order, through the runner with nothing stored (the evaluation's
    run; default: in this process, with ``EVALUATION_LIMITS``). The first failure is raised."""
    sink = MemorySink()
    items = (Read(doc.source, doc) for doc in docs)
    run(items, executor or Inline(EVALUATION_LIMITS), sink, command="evaluate")
    if sink.errors:
        raise sink.errors[0]
    return sink.extractions


def plover_records(targets: Iterable[str], published: date | None = None) -> Iterator[dict]:
    """PLOVER records of every claim of the given files, folders or URLs (read and extracted, nothing stored)."""
    from extract.claims import plover
    from extract.run.extraction import extract_file

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
