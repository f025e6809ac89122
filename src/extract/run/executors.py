"""Where the NLP runs: in this process, or in worker processes on both cores (the default).

The store has a single writer, so workers only compute: a ``Document`` goes in, an ``Extraction`` (plain
dataclasses, no spaCy objects) comes back, and the caller writes it. At most ``2 × processes`` documents are in
flight, so memory stays flat however many documents there are.

Workers start when there is work for them: one document gets one worker (it loads only its own language's
pipeline, and the parent none); from two documents on, the parent first loads the pipelines of the languages
read so far, then forks the workers, which share those pages copy-on-write instead of each loading its own
copy. A language first seen later is loaded by the worker that needs it.

One bad document cannot take the run down (``Limits``): a text longer than ``max_chars`` is refused before the
NLP (``too_long``); a worker that runs one document for more than ``seconds`` or grows past ``memory_bytes``
(proportional set size) is killed (``time_limit``, ``memory_limit``); a worker that dies (the OOM killer, a
crash in native code) fails only the document it held (``worker_crashed``). Each worker holds one document at a
time, so the one it held is known, and a dead worker is replaced by a fresh one. The time and memory limits
apply to workers only.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import pickle
import signal
import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import TypeVar

from extract.errors import ExtractError
from extract.model import Document, Extraction
from extract.nlp.analyse import PIPELINES, load_pipeline
from extract.nlp.gazetteer import load_gazetteer
from extract.run.extraction import extract_document

K = TypeVar("K")
POLL_SECONDS = 0.2  # how often busy workers are checked against the time and memory limits


@dataclass(frozen=True)
class Limits:
    """Bounds on the NLP of one document (``[limits]`` of a pipeline file)."""

    max_chars: int = 1_000_000  # longer texts are refused before the NLP ("too_long")
    # Longer texts are analysed in batches of whole paragraphs of about this size: a worker's memory then
    # peaks at about 1.3 GB with GiNZA (1.7 GB at 20,000; benchmarks/long_document.py).
    batch_chars: int | None = 10_000  # None: never in batches
    seconds: float = 600.0  # per document in a worker ("time_limit")
    memory_bytes: int | None = 2 * 1024**3  # proportional set size of a worker ("memory_limit"); None: no limit


DEFAULT_LIMITS = Limits()


class DocumentFailure(ExtractError):
    """The NLP of one document was refused or stopped: ``reason`` is "too_long", "time_limit",
    "memory_limit", "worker_crashed" or "nlp_error". Picklable, so a worker can send it back."""

    def __init__(
        self, source: str, problem: str, reason: str, transient: bool = False, raw_sha256: str | None = None
    ) -> None:
        super().__init__(source, problem)
        self.reason = reason
        self.transient = transient
        self.raw_sha256 = raw_sha256  # of the content that failed: the same content fails again (reported once)

    def __reduce__(self):
        return type(self), (self.source, self.problem, self.reason, self.transient, self.raw_sha256)


def default_processes() -> int:
    """One worker per core (at most 4: each holds both spaCy pipelines)."""
    return max(1, min(4, os.cpu_count() or 1))


def extract_one(doc: Document, limits: Limits = DEFAULT_LIMITS) -> Extraction:
    """NLP + claims for one document (runs in a worker, or in-process)."""
    return extract_document(doc, batch_chars=limits.batch_chars)


def extract_many(
    items: Iterable[tuple[K, Document]], processes: int | None = None, limits: Limits = DEFAULT_LIMITS
) -> Iterator[tuple[K, Extraction | Exception]]:
    """(key, result) for every (key, document), in input order; a failing document yields its exception
    instead of stopping the others. ``processes=1`` runs in this process."""
    processes = default_processes() if processes is None else processes
    if processes <= 1:
        for key, doc in items:
            yield key, too_long(doc, limits) or safe(doc, limits)
        return
    pool = _Pool(processes, limits)
    try:
        yield from pool.run(items)
    finally:
        pool.close()


def too_long(doc: Document, limits: Limits) -> DocumentFailure | None:
    if len(doc.text) <= limits.max_chars:
        return None
    problem = f"too long for the NLP: {len(doc.text)} characters, limit {limits.max_chars}"
    return DocumentFailure(doc.source, problem, "too_long", raw_sha256=doc.raw_sha256)


@dataclass(frozen=True)
class Inline:
    """The NLP in this process, one document after the other (the time and memory limits apply to workers)."""

    limits: Limits = DEFAULT_LIMITS

    def map(self, items: Iterable[tuple[K, Document]]) -> Iterator[tuple[K, Extraction | Exception]]:
        return extract_many(items, 1, self.limits)


@dataclass(frozen=True)
class ProcessPool:
    """The NLP in ``processes`` worker processes (default: one per core), with the limits of ``Limits``."""

    processes: int | None = None
    limits: Limits = DEFAULT_LIMITS

    def map(self, items: Iterable[tuple[K, Document]]) -> Iterator[tuple[K, Extraction | Exception]]:
        return extract_many(items, self.processes, self.limits)


def local_executor(processes: int | None = None, limits: Limits = DEFAULT_LIMITS) -> Inline | ProcessPool:
    """``Inline`` for one process, else a ``ProcessPool``."""
    if processes is not None and processes <= 1:
        return Inline(limits)
    return ProcessPool(processes, limits)


def safe(doc: Document, limits: Limits) -> Extraction | Exception:
    try:
        return extract_one(doc, limits)
    except Exception as exc:  # noqa: BLE001 - returned to the caller, who records it for this document
        return exc


# -- worker processes ------------------------------------------------------------------------------


def _serve(conn: Connection, limits: Limits) -> None:
    """A worker's loop: one document in, its result out, until told to stop (None) or the parent dies."""
    _die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    while True:
        try:
            doc = conn.recv()
        except EOFError:
            return
        if doc is None:
            return
        conn.send(sendable(doc, safe(doc, limits)))


def sendable(doc: Document, result: Extraction | Exception) -> Extraction | Exception:
    """An exception that would not survive pickling (custom constructors) is sent as a ``DocumentFailure``."""
    if isinstance(result, Exception):
        try:
            pickle.loads(pickle.dumps(result))
        except Exception:  # noqa: BLE001 - any failure to round-trip means: send a plain record instead
            return DocumentFailure(doc.source, f"{type(result).__name__}: {result}", "nlp_error")
    return result


def _die_with_parent() -> None:
    """Workers end when the job does, even when it is killed with SIGKILL (Linux; elsewhere a no-op)."""
    if sys.platform.startswith("linux"):
        import ctypes

        pr_set_pdeathsig = 1
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL)


def _chain(first: list[tuple[K, Document]], rest: Iterator[tuple[K, Document]]) -> Iterator[tuple[K, Document]]:
    yield from first
    yield from rest


@dataclass
class _Job:
    index: int
    doc: Document
    started: float


def pss_bytes(pid: int) -> int | None:
    """A process's proportional set size (Linux): pages shared with other processes count by share, so the
    sizes of a parent and its workers add up to what they hold together. None where /proc cannot tell."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as rollup:
            for line in rollup:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return None


# Fork where there is fork (Linux): workers inherit the pipelines the parent loaded.
_CONTEXT = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else None)


def preload(langs: Iterable[str]) -> None:
    """Load the pipelines of ``langs`` (and the gazetteer) in this process before workers are forked, and
    move what is loaded out of the garbage collector's reach, so that collections in the workers do not
    write to (and so copy) the shared pages."""
    load_gazetteer()
    for lang in sorted(set(langs) & PIPELINES.keys()):
        load_pipeline(lang)
    gc.collect()
    gc.freeze()


class _Worker:
    def __init__(self, limits: Limits) -> None:
        parent_end, child_end = _CONTEXT.Pipe()
        self.process = _CONTEXT.Process(target=_serve, args=(child_end, limits), daemon=True)
        self.process.start()
        child_end.close()  # only the worker holds it now: its death closes the pipe
        self.conn = parent_end
        self.job: _Job | None = None

    def memory_bytes(self) -> int | None:
        return pss_bytes(self.process.pid)

    def kill(self) -> None:
        self.process.kill()
        self.process.join()
        self.conn.close()

    def stop(self) -> None:
        with contextlib.suppress(OSError):
            self.conn.send(None)
        self.process.join(timeout=5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.conn.close()


class _Pool:
    """Workers that each hold one document at a time; a worker that dies or breaks a limit is replaced. Workers
    start as documents need them, up to ``size``."""

    def __init__(self, size: int, limits: Limits) -> None:
        self.size = size
        self.limits = limits
        self.workers: list[_Worker] = []

    def run(self, items: Iterable[tuple[K, Document]]) -> Iterator[tuple[K, Extraction | Exception]]:
        source = iter(items)
        ahead: list[tuple[K, Document]] = []  # read before the first worker starts
        for key, doc in source:
            ahead.append((key, doc))
            if sum(1 for _, d in ahead if too_long(d, self.limits) is None) >= 2:
                preload(d.lang for _, d in ahead if d.lang)
                break
        source = _chain(ahead, source)
        keys: dict[int, K] = {}
        results: dict[int, Extraction | Exception] = {}
        submitted = yielded = 0
        exhausted = False
        while True:
            while not exhausted and submitted - yielded < 2 * self.size and self._room():
                try:
                    key, doc = next(source)
                except StopIteration:
                    exhausted = True
                    break
                keys[submitted] = key
                refused = too_long(doc, self.limits)
                if refused is not None:
                    results[submitted] = refused
                else:
                    self._start(self._idle(), _Job(submitted, doc, time.monotonic()))
                submitted += 1
            if yielded in results:
                yield keys.pop(yielded), results.pop(yielded)
                yielded += 1
                continue
            if exhausted and yielded == submitted:
                return
            self._collect(results)

    def _room(self) -> bool:
        """Whether a document can start now: a worker is idle, or another may start."""
        return len(self.workers) < self.size or any(w.job is None for w in self.workers)

    def _idle(self) -> _Worker:
        """An idle worker, else a new one (``_room`` said there is room for it)."""
        for worker in self.workers:
            if worker.job is None:
                return worker
        self.workers.append(_Worker(self.limits))
        return self.workers[-1]

    def _start(self, worker: _Worker, job: _Job) -> None:
        try:
            worker.conn.send(job.doc)
        except OSError:  # the worker died while idle (the OOM killer picks big processes): a fresh one starts
            worker.kill()
            index = self.workers.index(worker)
            worker = self.workers[index] = _Worker(self.limits)
            worker.conn.send(job.doc)
        worker.job = job

    def _collect(self, results: dict[int, Extraction | Exception]) -> None:
        """Wait a little for busy workers; take their results, or fail and replace the ones that broke down."""
        busy = {w.conn: w for w in self.workers if w.job is not None}
        for conn in wait(list(busy), timeout=POLL_SECONDS):
            worker = busy.pop(conn)
            job = worker.job
            assert job is not None
            try:
                results[job.index] = worker.conn.recv()
                worker.job = None
            except (EOFError, OSError):
                worker.process.join(timeout=5)
                code = worker.process.exitcode
                how = f"killed by signal {-code}" if code is not None and code < 0 else f"exit code {code}"
                problem = f"the NLP worker died ({how}) while analysing it"
                self._replace(worker, results, DocumentFailure(job.doc.source, problem, "worker_crashed", True))
        now = time.monotonic()
        for worker in busy.values():
            job = worker.job
            assert job is not None
            if now - job.started > self.limits.seconds:
                problem = f"NLP stopped after {self.limits.seconds:g} s (time limit per document)"
                failure = DocumentFailure(job.doc.source, problem, "time_limit", raw_sha256=job.doc.raw_sha256)
                self._replace(worker, results, failure)
                continue
            used = worker.memory_bytes() if self.limits.memory_bytes is not None else None
            if used is not None and self.limits.memory_bytes is not None and used > self.limits.memory_bytes:
                limit_mb = self.limits.memory_bytes // 2**20
                problem = f"NLP stopped at {used // 2**20} MB (memory limit per worker {limit_mb} MB)"
                failure = DocumentFailure(job.doc.source, problem, "memory_limit", raw_sha256=job.doc.raw_sha256)
                self._replace(worker, results, failure)

    def _replace(self, worker: _Worker, results: dict[int, Extraction | Exception], failure: DocumentFailure) -> None:
        assert worker.job is not None
        results[worker.job.index] = failure
        worker.kill()
        self.workers[self.workers.index(worker)] = _Worker(self.limits)

    def close(self) -> None:
        for worker in self.workers:
            if worker.job is None:
                worker.stop()
            else:
                worker.kill()
