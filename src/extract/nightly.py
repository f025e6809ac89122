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
from collections.abc import Callable
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

import duckdb

from extract.engine import DEFAULT_LIMITS, Limits, extract_many
from extract.errors import ExtractError
from extract.fetch import Fetcher, FetchError, FetchPolicy, proxies_from_env
from extract.gazetteer import load_gazetteer
from extract.ids import document_key
from extract.ingest import document_from_fetch, is_url, load
from extract.model import Document
from extract.pipeline import SourceResult, record_failure, terminate_as_exit
from extract.sources import Item, SourceSpec, canonical_url, discover, parse_spec
from extract.store import Store

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


@dataclass
class NightlySummary:
    run_id: str
    results: list[SourceResult] = field(default_factory=list)
    source_errors: list[str] = field(default_factory=list)
    changes: list[tuple[str, str, str, str | None, str | None]] = field(default_factory=list)
    snapshot: Path | None = None
    snapshot_error: str | None = None

    def count(self, status: str) -> int:
        return sum(1 for r in self.results if r.status == status)

    @property
    def status(self) -> str:
        """ "ok", "partial" or "failed"; a snapshot that could not be published is one more failure."""
        failed = self.count("error") + len(self.source_errors) + bool(self.snapshot_error)
        if not failed:
            return "ok"
        return "failed" if failed >= len(self.results) + len(self.source_errors) + 1 else "partial"

    @property
    def exit_code(self) -> int:
        return {"ok": 0, "partial": 1, "failed": 2}[self.status]


class ConfigError(ValueError):
    """A pipeline file that cannot be used, with the reason."""


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


def run_nightly(
    config: NightlyConfig,
    *,
    progress: Callable[[SourceResult], None] | None = None,
    processes: int | None = None,
) -> NightlySummary:
    """Run every source of ``config`` once; return what happened and what changed."""
    config.db.parent.mkdir(parents=True, exist_ok=True)
    fetcher = Fetcher(config.policy)
    with Store.open(config.db, lock_wait=config.lock_wait) as store:
        store.mark_interrupted_runs()
        store.upsert_entities(load_gazetteer().rows())
        summary = NightlySummary(store.start_run(f"run {config.path}"))
        try:
            with terminate_as_exit():
                _run(config, fetcher, store, summary, progress, processes)
        except BaseException:  # Ctrl-C, SIGTERM, a full disk, a bug: the run says so instead of staying "running"
            store.interrupt_run(summary.run_id)
            raise
    return summary


def _run(
    config: NightlyConfig,
    fetcher: Fetcher,
    store: Store,
    summary: NightlySummary,
    progress: Callable[[SourceResult], None] | None,
    processes: int | None,
) -> None:
    items = _discover_all(config, fetcher, store, summary)

    def add(result: SourceResult) -> None:
        summary.results.append(result)
        if progress:
            with _bar_cleared():  # what the callback prints gets a line of its own, under the bar
                progress(result)

    def to_extract():
        for item in _bar(items):
            fetched = _read_item(store, fetcher, summary.run_id, item, add)
            if fetched is not None:
                yield fetched, fetched[1]

    for (item, doc, state), result in extract_many(to_extract(), processes, config.limits):
        if isinstance(result, Exception):
            add(record_failure(store, summary.run_id, item.target, result))
            continue
        version_id = store.save_version(summary.run_id, doc, result.sentences, result.mentions, result.claims)
        if state is not None:  # validators only once the content is safely stored
            store.save_fetch_state(**state)
        add(
            SourceResult(
                item.target,
                "new" if version_id else "unchanged",
                version_id,
                doc.lang,
                doc.title,
                len(result.claims),
            )
        )
    _finish(store, summary)
    summary.changes = store.run_changes(summary.run_id)
    if config.snapshot:
        try:
            summary.snapshot = publish_snapshot(store, config.db, config.snapshot)
        except SnapshotError as exc:
            store.record_error(summary.run_id, exc.source, exc)
            summary.snapshot_error = str(exc)
            _finish(store, summary)  # the run is not ok after all


def _finish(store: Store, summary: NightlySummary) -> None:
    store.finish_run(
        summary.run_id,
        summary.status,
        n_sources=len(summary.results),
        n_new_versions=summary.count("new"),
        n_skipped=summary.count("unchanged") + summary.count("not modified") + summary.count("failed before"),
        n_errors=summary.count("error") + len(summary.source_errors) + bool(summary.snapshot_error),
    )


def _discover_all(config: NightlyConfig, fetcher: Fetcher, store: Store, summary: NightlySummary) -> list[Item]:
    items: list[Item] = []
    seen: set[str] = set()
    for spec in config.sources:
        try:
            found = discover(spec, lambda url: fetcher.fetch(url).body, base_dir=config.path.parent)
        except (ExtractError, ValueError) as exc:
            store.record_error(summary.run_id, f"source {spec.name}: {spec.location}", exc)
            summary.source_errors.append(str(exc))
            continue
        for item in found:
            if item.target not in seen:
                seen.add(item.target)
                items.append(item)
    return items


def _read_item(store: Store, fetcher: Fetcher, run_id: str, item: Item, add) -> tuple | None:
    """(item, document, fetch state to save after storing) for content that needs the NLP; None when the
    item failed, was not modified (304) or is unchanged (same content hash) — those are reported here."""
    state = None
    try:
        if is_url(item.target):
            doc, state = _fetch_document(store, fetcher, run_id, item)
            if doc is None:
                add(SourceResult(item.target, "not modified"))
                return None
        else:
            doc = load(item.target)
            if doc.published is None and item.published is not None:  # a default, not an override
                doc = replace(doc, published=item.published)
    except Exception as exc:  # noqa: BLE001 - one bad item must not stop the night
        add(record_failure(store, run_id, item.target, exc))
        return None
    if store.is_latest_version(document_key(doc), doc.raw_sha256):
        if state is not None:
            store.save_fetch_state(**state)
        add(SourceResult(item.target, "unchanged", lang=doc.lang, title=doc.title))
        return None
    return item, doc, state


def _fetch_document(store: Store, fetcher: Fetcher, run_id: str, item: Item) -> tuple[Document | None, dict | None]:
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
    new_state = dict(
        url=url,
        run_id=run_id,
        status=result.status,
        etag=result.etag,
        last_modified=result.last_modified,
        raw_sha256=doc.raw_sha256,
        doc_key=document_key(doc),
    )
    return doc, new_state


def _bar_cleared():
    """A context in which progress bars on the terminal are cleared, and redrawn after it (``tqdm``)."""
    if not sys.stderr.isatty():
        return contextlib.nullcontext()
    from tqdm import tqdm

    return tqdm.external_write_mode(file=sys.stderr)


def _bar(items: list[Item]):
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
        store.con.execute("CHECKPOINT")
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


def summary_text(summary: NightlySummary, *, item_errors: bool = True) -> str:
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
        for doc_key, change, key, old, new in summary.changes:
            lines.append(f"    {change:<8} {key}  {old or ''} → {new or ''}  [{doc_key}]")
    if summary.snapshot:
        lines.append(f"  snapshot for analysts: {summary.snapshot}")
    if summary.snapshot_error:
        lines.append(f"  snapshot error: {summary.snapshot_error}")
    return "\n".join(lines)
