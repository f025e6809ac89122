"""The nightly job: every source in a pipeline file, fetched politely and ingested incrementally.

    extract run pipelines/nightly.toml

Per item: conditional GET (ETag / Last-Modified from the last run), then the same checks and stages as
``extract ingest``; unchanged content is skipped before NLP, changed content becomes a new version. Each
version is written in one transaction and the per-URL fetch state after it, so a run killed at any point
loses nothing and duplicates nothing: the next run marks the dead run ``interrupted`` and carries on. At the
end the database is checkpointed and copied to a read-only snapshot for analysts (atomic rename), so
queries never wait for the writer.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
import tomllib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import Any

import duckdb

from extract.acquire.fetch import Fetcher, FetchError, FetchPolicy, proxies_from_env
from extract.acquire.read import document_from_fetch, is_url, load
from extract.acquire.sources import Item as SourceItem
from extract.acquire.sources import SourceSpec, canonical_url, discover, parse_spec
from extract.errors import ConfigError, ExtractError
from extract.ids import document_key
from extract.model import Document, RunSummary, SourceResult
from extract.run.executors import DEFAULT_LIMITS, Limits, local_executor
from extract.run.runner import Executor, Failed, Item, Read, Unlisted, run, terminate_as_exit
from extract.store.db import Store
from extract.store.sinks import StoreSink

DEFAULT_LOCK_WAIT = 600.0


@dataclass(frozen=True)
class NightlyConfig:
    path: Path
    db: Path
    snapshot: Path | None
    policy: FetchPolicy
    sources: list[SourceSpec]
    limits: Limits = DEFAULT_LIMITS
    lock_wait: float = DEFAULT_LOCK_WAIT  # seconds to wait for another process to let go of the database


# --- configuration --------------------------------------------------------------------------------


def load_config(path: str | Path) -> NightlyConfig:
    """Read a pipeline TOML file; relative paths in it are relative to the file's folder."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read pipeline file: {exc}") from exc
    base = path.parent
    store = data.get("store", {})
    if "db" not in store:
        raise ConfigError(f'{path}: [store] needs db = "path/to/extract.duckdb"')
    sources = data.get("sources", [])
    if not sources:
        raise ConfigError(f"{path}: no [[sources]] listed")
    specs = []
    for i, table in enumerate(sources):
        name = table.get("name") or f"source {i + 1}"
        try:
            spec = parse_spec(name, {k: v for k, v in table.items() if k != "name"})
        except ValueError as exc:
            raise ConfigError(f"{path}: {exc}") from exc
        if spec.kind in ("folder", "urls", "feed", "sitemap") and not is_url(spec.location):
            spec = replace(spec, location=str((base / spec.location).resolve()))
        specs.append(spec)
    snapshot = store.get("snapshot")
    lock_wait = store.get("lock_wait", DEFAULT_LOCK_WAIT)
    if isinstance(lock_wait, bool) or not isinstance(lock_wait, int | float) or lock_wait < 0:
        raise ConfigError(f"{path}: [store] lock_wait must be a number of seconds, got {lock_wait!r}")
    return NightlyConfig(
        path=path,
        db=(base / store["db"]).resolve(),
        snapshot=(base / snapshot).resolve() if snapshot else None,
        policy=_policy(path, data.get("fetch", {})),
        sources=specs,
        limits=_limits(path, data.get("limits", {})),
        lock_wait=float(lock_wait),
    )


def _policy(path: Path, table: dict[str, Any]) -> FetchPolicy:
    known = {f.name for f in fields(FetchPolicy)}
    unknown = set(table) - known
    if unknown:
        raise ConfigError(f"{path}: unknown [fetch] settings: {', '.join(sorted(unknown))}")
    values = {k: tuple(v) if isinstance(v, list) else v for k, v in table.items()}
    return FetchPolicy(**(proxies_from_env() | values))  # the pipeline file wins over the environment


def _limits(path: Path, table: dict[str, Any]) -> Limits:
    """``[limits]``: max_chars, batch_chars, seconds, memory_mb (0 for no memory limit)."""
    known = {"max_chars", "batch_chars", "seconds", "memory_mb"}
    unknown = set(table) - known
    if unknown:
        raise ConfigError(f"{path}: unknown [limits] settings: {', '.join(sorted(unknown))}")
    for name, value in table.items():
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            raise ConfigError(f"{path}: [limits] {name} must be a non-negative number, got {value!r}")
    memory_mb = table.get("memory_mb")
    memory = DEFAULT_LIMITS.memory_bytes if memory_mb is None else int(memory_mb * 2**20) or None
    return Limits(
        max_chars=int(table.get("max_chars", DEFAULT_LIMITS.max_chars)),
        batch_chars=int(table.get("batch_chars", DEFAULT_LIMITS.batch_chars)),
        seconds=float(table.get("seconds", DEFAULT_LIMITS.seconds)),
        memory_bytes=memory,
    )


# --- the run --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FetchState:
    """What a fetch of ``url`` returned, recorded once its content is stored (``Store.save_fetch_state``)."""

    url: str
    run_id: str
    status: int | None
    etag: str | None
    last_modified: str | None
    raw_sha256: str
    doc_key: str


def run_nightly(
    config: NightlyConfig,
    *,
    progress: Callable[[SourceResult], None] | None = None,
    processes: int | None = None,
    executor: Executor | None = None,
    entities: Iterable[tuple] | None = None,
) -> RunSummary:
    """Run every source of ``config`` once (the NLP on ``executor``, default: ``processes`` worker processes);
    return what happened and what changed. ``entities``: the gazetteer's rows (default: ``load_gazetteer``)."""
    if entities is None:
        from extract.nlp.gazetteer import load_gazetteer

        entities = load_gazetteer().rows()
    executor = executor or local_executor(processes, config.limits)
    config.db.parent.mkdir(parents=True, exist_ok=True)
    fetcher = Fetcher(config.policy)
    with Store.open(config.db, lock_wait=config.lock_wait) as store:
        sink = StoreSink(store, entities)

        def report(result: SourceResult) -> None:
            if progress:
                with _bar_cleared():  # what the callback prints gets a line of its own, under the bar
                    progress(result)

        def stored(read: Read) -> None:  # validators only once the content is safely stored
            if read.state is not None:
                store.save_fetch_state(**asdict(read.state))

        summary = run(
            _items(config, fetcher, store, sink),
            executor,
            sink,
            command=f"run {config.path}",
            progress=report,
            on_stored=stored,
            steps=1,  # the snapshot
        )
        summary.changes = store.run_changes(summary.run_id)
        if config.snapshot:
            with terminate_as_exit():
                try:
                    summary.snapshot = publish_snapshot(store, config.db, config.snapshot)
                except SnapshotError as exc:
                    store.record_error(summary.run_id, exc.source, exc)
                    summary.snapshot_error = str(exc)
                    sink.finish(summary)  # the run is not ok after all
    return summary


def _items(config: NightlyConfig, fetcher: Fetcher, store: Store, sink: StoreSink) -> Iterator[Item]:
    """The runner's items: every source discovered, then each item fetched or read (once the run started)."""
    items: list[SourceItem] = []
    seen: set[str] = set()
    for spec in config.sources:
        try:
            found = discover(spec, lambda url: fetcher.fetch(url).body, base_dir=config.path.parent)
        except (ExtractError, ValueError) as exc:
            yield Unlisted(f"source {spec.name}: {spec.location}", exc)
            continue
        for item in found:
            if item.target not in seen:
                seen.add(item.target)
                items.append(item)
    for item in _bar(items):
        yield _read_item(store, fetcher, sink.run_id, item)


def _read_item(store: Store, fetcher: Fetcher, run_id: str, item: SourceItem) -> Item:
    """The item read (its document and the fetch state to save once it is stored), failed, or not modified."""
    state = None
    try:
        if is_url(item.target):
            doc, state = _fetch_document(store, fetcher, run_id, item)
            if doc is None:
                return SourceResult(item.target, "not modified")
        else:
            doc = load(item.target)
            if doc.published is None and item.published is not None:  # a default, not an override
                doc = replace(doc, published=item.published)
    except Exception as exc:  # noqa: BLE001 - one bad item must not stop the night
        return Failed(item.target, exc)
    return Read(item.target, doc, state)


def _fetch_document(
    store: Store, fetcher: Fetcher, run_id: str, item: SourceItem
) -> tuple[Document | None, FetchState | None]:
    """Conditional GET. (None, None) when the server says the page has not changed since the last run;
    else the document and the fetch state to record once it is stored."""
    url = canonical_url(item.target)
    state = store.fetch_state(url)
    try:
        result = fetcher.fetch(url, etag=state.get("etag"), last_modified=state.get("last_modified"))
    except FetchError as exc:
        store.save_fetch_state(url, run_id, status=exc.status, error=str(exc))
        raise
    if result.not_modified:
        store.save_fetch_state(url, run_id, status=304)
        return None, None
    doc = document_from_fetch(result)
    if doc.published is None and item.published is not None:
        doc = replace(doc, published=item.published)
    key = document_key(doc)
    return doc, FetchState(url, run_id, result.status, result.etag, result.last_modified, doc.raw_sha256, key)


def _bar_cleared():
    """A context in which progress bars on the terminal are cleared, and redrawn after it (``tqdm``)."""
    if not sys.stderr.isatty():
        return contextlib.nullcontext()
    from tqdm import tqdm

    return tqdm.external_write_mode(file=sys.stderr)


def _bar(items: list[SourceItem]):
    """A progress bar on a terminal, nothing in logs."""
    if not sys.stderr.isatty():
        return items
    from tqdm import tqdm

    return tqdm(items, desc="ingest", unit="page", file=sys.stderr)


class SnapshotError(ExtractError):
    """The snapshot could not be published (checkpoint or copy failed); the previous snapshot stays."""

    reason = "snapshot"
    transient = True


def publish_snapshot(store: Store, db: Path, snapshot: Path) -> Path:
    """Checkpoint and copy the database to ``snapshot`` atomically (readers see the old or the new file).

    Raises ``SnapshotError`` (one line) when the checkpoint or the copy fails, a full disk say; the partial
    copy is removed and the previous snapshot is left as it was.
    """
    partial = snapshot.with_name(snapshot.name + ".partial")
    try:
        store.checkpoint()
        snapshot.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(db, partial)
        os.replace(partial, snapshot)
    except (OSError, duckdb.Error) as exc:
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
        first_line = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise SnapshotError(f"snapshot {snapshot}", f"not published: {first_line}") from exc
    return snapshot


# --- reporting ------------------------------------------------------------------------------------


def summary_text(summary: RunSummary, *, item_errors: bool = True) -> str:
    """What happened tonight, for the terminal and the job's log; without ``item_errors`` the failed items
    are only counted (for a caller that printed each as it happened)."""
    counts = Counter(r.status for r in summary.results)
    lines = [
        f"run {summary.run_id}: {summary.status}",
        f"  {counts['new']} new or changed, {counts['unchanged']} unchanged, "
        f"{counts['not modified']} not modified (304), {counts['error']} failed, "
        f"{len(summary.source_errors)} sources failed, {counts['failed before']} failing as before (not counted)",
    ]
    for source_error in summary.source_errors:
        lines.append(f"  source error: {source_error}")
    for r in summary.results:
        if r.status == "error" and item_errors:
            lines.append(f"  error: {r.error}")
    if summary.changes:
        lines.append(f"  claim changes in updated documents ({len(summary.changes)}):")
        for c in summary.changes:
            lines.append(f"    {c.change:<8} {c.claim_key}  {c.old or ''} → {c.new or ''}  [{c.doc_key}]")
    if summary.snapshot:
        lines.append(f"  snapshot for analysts: {summary.snapshot}")
    if summary.snapshot_error:
        lines.append(f"  snapshot error: {summary.snapshot_error}")
    return "\n".join(lines)
