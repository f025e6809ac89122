"""Where a run writes (``runner.Sink``): the DuckDB store, or Parquet files the store imports (or memory, for
the evaluation).

``StoreSink`` writes each version in one transaction as it comes back. ``ParquetSink`` writes every table
under ``out_dir/<table>/`` with the columns and types of the store's table of the same name (the Arrow
schemas are read from the store's own migrations, the rows are ``rows.version_rows``'), for a Ray cluster
whose driver should not hold the database; ``Store.import_parquet`` then copies them in.
"""

from __future__ import annotations

import shutil
from collections.abc import Collection, Iterable
from functools import cache
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from extract.ids import doc_id_for, document_key, new_run_id, now, version_id_for
from extract.model import Document, Extraction, RunSummary
from extract.store.db import PARQUET_TABLES, Store
from extract.store.rows import Row, error_row, version_rows
from extract.version import EXTRACTOR_VERSION

DUCKDB_TO_ARROW = {
    "VARCHAR": pa.string(),
    "JSON": pa.string(),  # JSON text; the store casts it back when it imports the Parquet files
    "INTEGER": pa.int32(),
    "BIGINT": pa.int64(),
    "DOUBLE": pa.float64(),
    "BOOLEAN": pa.bool_(),
    "DATE": pa.date32(),
    "TIMESTAMP": pa.timestamp("us"),
}
ROWS_PER_FILE = 50_000  # a table's buffered rows are written as one Parquet file once there are this many


class StoreSink:
    """Writes a run into ``store``; the gazetteer's ``entities`` are upserted when the run starts, so the
    analyst views resolve entity names."""

    def __init__(self, store: Store, entities: Iterable[tuple] = ()) -> None:
        self.store = store
        self.entities = entities
        self.run_id: str | None = None

    def start(self, command: str) -> str:
        self.store.mark_interrupted_runs()  # one writer at a time: a run still "running" belongs to a dead process
        self.store.upsert_entities(self.entities)
        self.run_id = self.store.start_run(command)
        return self.run_id

    def is_stored(self, doc: Document) -> bool:
        return self.store.is_latest_version(document_key(doc), doc.raw_sha256)

    def write(self, run_id: str, extraction: Extraction) -> str | None:
        e = extraction
        return self.store.save_version(run_id, e.document, e.sentences, e.mentions, e.claims)

    def record_error(self, run_id: str, source: str, exc: BaseException, fingerprint: str | None = None) -> None:
        self.store.record_error(run_id, source, exc, fingerprint)

    def failed_before(self, source: str, fingerprint: str) -> bool:
        return self.store.failed_before(source, fingerprint)

    def finish(self, summary: RunSummary) -> None:
        self.store.finish_run(
            summary.run_id,
            summary.status,
            n_sources=len(summary.results),
            n_new_versions=summary.count("new"),
            n_skipped=summary.n_skipped,
            n_errors=summary.n_errors,
        )

    def interrupt(self, run_id: str) -> None:
        self.store.interrupt_run(run_id)


class MemorySink:
    """Keeps a run's extractions and failures in memory (the evaluation): nothing stored, nothing skipped."""

    def __init__(self) -> None:
        self.extractions: list[Extraction] = []
        self.errors: list[BaseException] = []

    def start(self, command: str) -> str:
        return new_run_id()

    def is_stored(self, doc: Document) -> bool:
        return False

    def write(self, run_id: str, extraction: Extraction) -> str | None:
        self.extractions.append(extraction)
        return _version_id(extraction.document)

    def record_error(self, run_id: str, source: str, exc: BaseException, fingerprint: str | None = None) -> None:
        self.errors.append(exc)

    def failed_before(self, source: str, fingerprint: str) -> bool:
        return False

    def finish(self, summary: RunSummary) -> None:
        pass

    def interrupt(self, run_id: str) -> None:
        pass


@cache
def table_schemas() -> dict[str, pa.Schema]:
    """Arrow schema of each Parquet table: the columns and types of the store's table of the same name."""
    store = Store(duckdb.connect(":memory:"))
    try:
        store.migrate()
        return {table: _arrow_schema(store, table) for table in PARQUET_TABLES}
    finally:
        store.close()


def _arrow_schema(store: Store, table: str) -> pa.Schema:
    _, rows = store.query(f"DESCRIBE {table}")
    try:
        return pa.schema([(name, DUCKDB_TO_ARROW[duckdb_type]) for name, duckdb_type, *_ in rows])
    except KeyError as exc:
        raise TypeError(f"column type {exc.args[0]} of table {table} has no Arrow mapping") from exc


class ParquetSink:
    """Writes a run as Parquet under ``out_dir/<table>/`` (existing table folders are replaced).

    ``known_versions``: version ids already stored (``Store.version_ids()``); that content, and content
    repeating the version of an earlier source of the run, is "unchanged" and written nowhere. Nothing is
    known of earlier failures, so every failure is recorded.
    """

    def __init__(self, out_dir: str | Path, known_versions: Collection[str] = frozenset()) -> None:
        self.out_dir = Path(out_dir).resolve()
        self.known = set(known_versions)
        self.buffers: dict[str, list[Row]] = {table: [] for table in PARQUET_TABLES}
        self.parts = 0
        self.run_id = ""
        self.command = ""
        self.started = now()

    def start(self, command: str) -> str:
        for table in PARQUET_TABLES:
            shutil.rmtree(self.out_dir / table, ignore_errors=True)
        self.run_id, self.command, self.started = new_run_id(), command, now()
        return self.run_id

    def is_stored(self, doc: Document) -> bool:
        return _version_id(doc) in self.known

    def write(self, run_id: str, extraction: Extraction) -> str | None:
        version_id = _version_id(extraction.document)
        if version_id in self.known:  # an earlier source of this run had the same content
            return None
        self.known.add(version_id)
        rows = version_rows(extraction, document_key(extraction.document), version_id, run_id, now())
        for table, table_rows in rows.tables().items():
            self.buffers[table] += table_rows
        if max(len(rows) for rows in self.buffers.values()) >= ROWS_PER_FILE:
            self._flush()
        return version_id

    def record_error(self, run_id: str, source: str, exc: BaseException, fingerprint: str | None = None) -> None:
        self.buffers["errors"].append(error_row(run_id, source, exc, now(), fingerprint))

    def failed_before(self, source: str, fingerprint: str) -> bool:
        return False

    def finish(self, summary: RunSummary) -> None:
        """Write what is buffered and the ``runs`` row; a table without rows still gets one empty file, so
        readers always find its schema."""
        self.buffers["runs"] = [
            {
                "run_id": summary.run_id,
                "started_at": self.started,
                "finished_at": now(),
                "extractor_version": EXTRACTOR_VERSION,
                "command": self.command,
                "status": summary.status,
                "n_sources": len(summary.results),
                "n_new_versions": summary.count("new"),
                "n_skipped": summary.n_skipped,
                "n_errors": summary.n_errors,
            }
        ]
        self._flush(empty_files=True)

    def interrupt(self, run_id: str) -> None:
        """Nothing to mark: without a ``runs`` row the store does not import the run."""

    def table_dir(self, table: str) -> Path:
        return self.out_dir / table

    def _flush(self, *, empty_files: bool = False) -> None:
        schemas = table_schemas()
        for table, rows in self.buffers.items():
            folder = self.out_dir / table
            if not rows and not (empty_files and not any(folder.glob("*.parquet"))):
                continue
            folder.mkdir(parents=True, exist_ok=True)
            part = pa.Table.from_pylist(rows, schema=schemas[table])
            pq.write_table(part, folder / f"{self.run_id}-{self.parts:05d}.parquet")
            rows.clear()
        self.parts += 1


def _version_id(doc: Document) -> str:
    return version_id_for(doc_id_for(document_key(doc)), doc.raw_sha256)
