"""Scale-out: the NLP on a pool of Ray actors (``RayActors``), an executor like ``executors.ProcessPool``.

Each actor loads the spaCy pipelines once and keeps them; documents are read on the driver (so local files
need not be on a filesystem the cluster mounts), sent to the actors, and their ``Extraction`` records come
back in input order, at most two per actor in flight. ``ingest_ray`` is ``extract ingest`` on Ray into a
``store.sinks.ParquetSink`` (for a driver that should not hold the database); ``extract run --engine ray`` and
``extract ingest --engine ray`` use ``RayActors`` with the same readers and sinks as the local engine.

Texts longer than ``Limits.max_chars`` are refused on the driver and long texts analysed in batches, as
locally; the time and memory limits of worker processes do not apply to actors (Ray restarts none: an actor
that dies fails the document it held and is replaced).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TypeVar

from extract.model import Document, Extraction, RunSummary
from extract.run.executors import DEFAULT_LIMITS, DocumentFailure, Limits, safe, sendable, too_long
from extract.run.ingest import read_targets
from extract.run.runner import run
from extract.store.sinks import ParquetSink

K = TypeVar("K")
DEFAULT_COMMAND = "ingest --engine ray"


def init_ray(address: str | None = None, num_cpus: int | None = None) -> None:
    """Connect to the cluster at ``address``, or start a local one with ``num_cpus`` CPUs (no dashboard).

    ``num_cpus`` is only given to Ray for a local cluster (Ray refuses it when connecting to one).
    Does nothing when Ray is already initialised in this process.
    """
    import ray

    ray.init(
        address=address,
        num_cpus=num_cpus if address is None else None,
        include_dashboard=False,
        ignore_reinit_error=True,
        log_to_driver=False,
    )


class Extractor:
    """One actor's state: the limits (the spaCy pipelines are cached per process by ``nlp.analyse.load_pipeline``)."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits

    def extract(self, doc: Document) -> Extraction | Exception:
        return sendable(doc, safe(doc, self.limits))


@dataclass
class RayActors:
    """An executor: ``size`` actors (default: the cluster's CPUs) on the cluster at ``address`` (default: a
    local one with ``size`` CPUs)."""

    size: int | None = None
    limits: Limits = DEFAULT_LIMITS
    address: str | None = None

    def map(self, items: Iterable[tuple[K, Document]]) -> Iterator[tuple[K, Extraction | Exception]]:
        import ray

        init_ray(self.address, self.size)
        size = self.size or max(1, int(ray.cluster_resources().get("CPU", 1)))
        actor = ray.remote(num_cpus=1)(Extractor)
        actors = [actor.remote(self.limits) for _ in range(size)]
        in_flight: deque[tuple[K, Document, int, object]] = deque()  # key, document, actor index, result ref
        turn = 0
        try:
            for key, doc in items:
                refused = too_long(doc, self.limits)  # refused here: no need to ship the text
                if refused is None:
                    in_flight.append((key, doc, turn, actors[turn].extract.remote(doc)))
                    turn = (turn + 1) % size
                else:
                    in_flight.append((key, doc, turn, refused))
                while len(in_flight) >= 2 * size:
                    yield self._next(in_flight, actors, actor)
            while in_flight:
                yield self._next(in_flight, actors, actor)
        finally:
            for handle in actors:
                ray.kill(handle)

    def _next(self, in_flight: deque, actors: list, actor: type) -> tuple[K, Extraction | Exception]:
        """The oldest document's result; an actor that died fails its document and is replaced."""
        import ray
        from ray.exceptions import RayActorError

        key, doc, index, ref = in_flight.popleft()
        if isinstance(ref, Exception):
            return key, ref
        try:
            return key, ray.get(ref)
        except RayActorError as exc:
            actors[index] = actor.remote(self.limits)
            problem = f"the NLP actor died while analysing it ({type(exc).__name__})"
            return key, DocumentFailure(doc.source, problem, "worker_crashed", True)


@dataclass(frozen=True)
class RayRunResult:
    """What one ``ingest_ray`` call did: per-source results (as the local engine reports them) and where the
    Parquet tables are."""

    summary: RunSummary
    out_dir: Path

    @property
    def run_id(self) -> str:
        return self.summary.run_id

    @property
    def documents(self) -> int:
        """New document versions written."""
        return self.summary.count("new")

    @property
    def unchanged(self) -> int:
        """Sources skipped: already stored (``known_versions``) or the same version as an earlier source."""
        return self.summary.count("unchanged")

    @property
    def errors(self) -> int:
        return self.summary.count("error")

    @property
    def claims(self) -> int:
        """Claim rows written."""
        return sum(r.n_claims for r in self.summary.results if r.status == "new")

    @property
    def status(self) -> str:
        return self.summary.status

    @property
    def exit_code(self) -> int:
        return self.summary.exit_code

    def table_dir(self, table: str) -> Path:
        """The folder holding ``table``'s Parquet files."""
        return self.out_dir / table


def ingest_ray(
    targets: Iterable[str],
    out_dir: Path,
    *,
    published: date | None = None,
    address: str | None = None,
    num_cpus: int | None = None,
    known_versions: Collection[str] = frozenset(),
    command: str = DEFAULT_COMMAND,
    limits: Limits = DEFAULT_LIMITS,
    progress=None,
) -> RayRunResult:
    """``extract ingest`` of ``targets`` with the NLP on Ray, every table written as Parquet under
    ``out_dir/<table>/`` (``store.sinks.ParquetSink``; ``Store.import_parquet`` copies them in).

    ``address``: the Ray cluster to use (default: start a local one). ``num_cpus``: CPUs of the local
    cluster, and the number of actors (default: the cluster's CPUs). ``known_versions``: version ids already
    stored (``Store.version_ids()``); those sources, and sources repeating the version of an earlier source,
    are reported "unchanged" and written nowhere.
    """
    sink = ParquetSink(out_dir, known_versions)
    executor = RayActors(num_cpus, limits, address)
    summary = run(read_targets(targets, published), executor, sink, command=command, progress=progress)
    return RayRunResult(summary, sink.out_dir)
