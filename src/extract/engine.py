"""Where the NLP runs: in this process, or in worker processes on both cores (the default).

The store has a single writer, so workers only compute: a ``Document`` goes in, an ``Extracted`` (plain
dataclasses, no spaCy objects) comes back, and the caller writes it. Each worker loads the pipelines once
(on first use) and keeps them. At most ``2 × processes`` documents are in flight, so memory stays flat however
long the input is.
"""

from __future__ import annotations

import os
import signal
import sys
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from typing import TypeVar

from extract.model import Claim, Document, Mention, Sentence

K = TypeVar("K")


@dataclass(frozen=True)
class Extracted:
    """What the NLP and claim stages produce for one document, ready to store."""

    document: Document
    sentences: list[Sentence]
    mentions: list[Mention]
    claims: list[Claim]


def default_processes() -> int:
    """``$EXTRACT_PROCESSES``, else one worker per core (at most 4: each holds both spaCy pipelines)."""
    configured = os.environ.get("EXTRACT_PROCESSES")
    if configured:
        return max(1, int(configured))
    return max(1, min(4, os.cpu_count() or 1))


def extract_one(doc: Document) -> Extracted:
    """NLP + claims for one document (runs in a worker, or in-process)."""
    from extract.pipeline import extract_document  # imported here: pipeline imports this module

    extraction = extract_document(doc)
    return Extracted(doc, extraction.analysis.sentences, extraction.analysis.mentions, extraction.claims)


def extract_many(
    items: Iterable[tuple[K, Document]], processes: int | None = None
) -> Iterator[tuple[K, Extracted | Exception]]:
    """(key, result) for every (key, document), in input order; a failing document yields its exception
    instead of stopping the others. ``processes=1`` runs in this process."""
    processes = default_processes() if processes is None else processes
    if processes <= 1:
        for key, doc in items:
            yield key, _safe(doc)
        return
    with ProcessPoolExecutor(max_workers=processes, initializer=_die_with_parent) as pool:
        pending: deque[tuple[K, Future]] = deque()
        for key, doc in items:
            pending.append((key, pool.submit(_safe, doc)))
            if len(pending) >= 2 * processes:
                done_key, future = pending.popleft()
                yield done_key, future.result()
        while pending:
            done_key, future = pending.popleft()
            yield done_key, future.result()


def _die_with_parent() -> None:
    """Workers end when the job does, even when it is killed with SIGKILL (Linux; elsewhere a no-op)."""
    if sys.platform.startswith("linux"):
        import ctypes

        pr_set_pdeathsig = 1
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL)


def _safe(doc: Document) -> Extracted | Exception:
    try:
        return extract_one(doc)
    except Exception as exc:  # noqa: BLE001 - returned to the caller, who records it for this document
        return exc
