"""Scale-out engine: the ingestion stages on Ray Data, written as Parquet that DuckDB attaches.

``ingest_ray`` runs the same stages as ``pipeline.ingest`` — load, skip unchanged, NLP + claims — on a Ray
cluster (a local one when no address is given): sources are spread over an actor pool, each actor loading
the spaCy pipelines once and keeping them. Nothing is written to the DuckDB store; every table goes to
Parquet under ``out_dir/<table>/`` with the columns, types and value conventions of the store's table of the
same name (the Arrow schemas are read from the store's own migrations; claim rows are built with the store's
``claim_records``; ids with ``doc_id_for``/``version_id_for``), so the rows are the ones the
local engine would have stored. Bad sources become rows of the ``errors`` table instead of failing the job.

``attach`` exposes the Parquet tables to a store's connection as temporary ``ray_<table>`` views;
``import_into`` copies them into the store's tables in one transaction, after which ``extract claims``/
``extract diff`` cannot tell Ray results from local ones. Nothing stored in the database reads files: the views
live only as long as the importing (writable) connection, and the read-only connections analysts use cannot
read files at all.

The NLP runs once: the actors produce one row per source holding that source's rows of every table (Arrow
lists of structs); that dataset is materialised in the object store and each table is a cheap flattening of
it. Local file sources are resolved to absolute paths on the driver, so on a multi-node cluster they (and
``out_dir``) must be on a filesystem every node mounts at the same path.
"""

from __future__ import annotations

import math
import shutil
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from extract.engine import extract_one
from extract.errors import ExtractError
from extract.gazetteer import load_gazetteer
from extract.ids import doc_id_for, document_key, new_run_id, version_id_for
from extract.ids import now as _now
from extract.ingest import is_url, load
from extract.model import Document, Extraction
from extract.pipeline import RunSummary, SourceResult
from extract.rows import version_rows
from extract.store import Store
from extract.version import EXTRACTOR_VERSION

if TYPE_CHECKING:
    from ray.data import Dataset

DATA_TABLES = ("documents", "versions", "sentences", "mentions", "claims", "errors")
RUNS_TABLE = "runs"  # one row per ``ingest_ray`` call, written by the driver
TABLES = (*DATA_TABLES, RUNS_TABLE)
VIEW_PREFIX = "ray_"
DEFAULT_COMMAND = "ingest --engine ray"
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
# Per-source columns of the intermediate dataset, besides one list-of-rows column per data table.
SUMMARY_FIELDS = (
    ("order", pa.int64()),  # position in the input: the first of several sources with the same version wins
    ("source", pa.string()),
    ("status", pa.string()),  # "new" | "unchanged" | "error", as in ``pipeline.SourceResult``
    ("version_id", pa.string()),
    ("lang", pa.string()),
    ("title", pa.string()),
    ("n_claims", pa.int64()),
    ("error", pa.string()),  # the one-line message the local engine reports
)
SUMMARY_COLUMNS = [name for name, _ in SUMMARY_FIELDS]


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


# -- schemas ----------------------------------------------------------------------------------------


@cache
def table_schemas() -> dict[str, pa.Schema]:
    """Arrow schema of each Parquet table: the columns and types of the store's table of the same name."""
    store = Store(duckdb.connect(":memory:"))
    try:
        store.migrate()
        return {table: _arrow_schema(store, table) for table in TABLES}
    finally:
        store.close()


def _arrow_schema(store: Store, table: str) -> pa.Schema:
    _, rows = store.query(f"DESCRIBE {table}")
    try:
        return pa.schema([(name, DUCKDB_TO_ARROW[duckdb_type]) for name, duckdb_type, *_ in rows])
    except KeyError as exc:
        raise TypeError(f"column type {exc.args[0]} of table {table} has no Arrow mapping") from exc


@cache
def source_schema() -> pa.Schema:
    """Schema of the intermediate per-source dataset: summary columns, then each data table's rows."""
    schemas = table_schemas()
    tables = [(table, pa.list_(pa.struct(list(schemas[table])))) for table in DATA_TABLES]
    return pa.schema([*SUMMARY_FIELDS, *tables])


# -- the work done in each actor --------------------------------------------------------------------


class ExtractSources:
    """Ray Data callable class: load and extract a batch of sources. Each actor builds one and keeps it, so
    the spaCy pipelines (cached per process by ``nlp.load_pipeline``) are loaded once per actor."""

    def __init__(
        self, run_id: str, published: date | None = None, known_versions: Collection[str] = frozenset()
    ) -> None:
        self.run_id = run_id
        self.published = published
        self.known_versions = frozenset(known_versions)
        self.schema = source_schema()

    def __call__(self, batch: pa.Table) -> pa.Table:
        items = batch.select(["order", "source", "location"]).to_pylist()
        rows = [self.process(item["order"], item["source"], item["location"]) for item in items]
        return pa.Table.from_pylist(rows, schema=self.schema)

    def process(self, order: int, source: str, location: str) -> dict[str, Any]:
        """The per-source row for ``source`` (read from ``location``); never raises."""
        try:
            doc, doc_key = load_document(source, location, self.published)
            version_id = version_id_for(doc_id_for(doc_key), doc.raw_sha256)
            if version_id in self.known_versions:
                return _summary_row(order, source, "unchanged", lang=doc.lang, title=doc.title)
            extracted = extract_one(doc)
        except Exception as exc:  # noqa: BLE001 - one bad source must not stop the job
            return _error_row(order, source, location, exc, self.run_id)
        tables = version_records(extracted, doc_key, self.run_id, _now())
        row = _summary_row(order, source, "new", version_id, doc.lang, doc.title, len(tables["claims"]))
        return row | tables


def load_document(source: str, location: str, published: date | None) -> tuple[Document, str]:
    """``ingest.load`` from ``location`` (the driver's absolute path for a file); the ``Document`` keeps
    ``source`` as given, and its key is computed from the absolute path, so both match the local engine."""
    doc = load(location, published=published)
    return replace(doc, source=source), document_key(doc)


def version_records(extracted: Extraction, doc_key: str, run_id: str, now: datetime) -> dict[str, list[dict]]:
    """The rows ``Store.save_version`` would insert for one extracted document, per table."""
    version_id = version_id_for(doc_id_for(doc_key), extracted.document.raw_sha256)
    return version_rows(extracted, doc_key, version_id, run_id, now).tables() | {"errors": []}


def error_record(run_id: str, source: str, message: str, exc: BaseException) -> dict[str, Any]:
    """The ``errors`` row ``Store.record_error`` would insert for ``exc``."""
    return {
        "run_id": run_id,
        "source": source,
        "error_type": type(exc).__name__,
        "message": message,
        "at": _now(),
        "reason": getattr(exc, "reason", None),
        "transient": getattr(exc, "transient", None),
    }


def _summary_row(
    order: int,
    source: str,
    status: str,
    version_id: str | None = None,
    lang: str | None = None,
    title: str | None = None,
    n_claims: int = 0,
    error: str | None = None,
) -> dict[str, Any]:
    row = dict(zip(SUMMARY_COLUMNS, (order, source, status, version_id, lang, title, n_claims, error), strict=True))
    return row | {table: [] for table in DATA_TABLES}


def _error_row(order: int, source: str, location: str, exc: Exception, run_id: str) -> dict[str, Any]:
    """The per-source row of a failed source, with messages worded as the local engine words them."""
    if isinstance(exc, ExtractError):
        message = f"{source}: {exc.problem}" if exc.source == location else str(exc)
        shown = message
    else:
        message, shown = str(exc), f"{source}: {type(exc).__name__}: {exc}"
    row = _summary_row(order, source, "error", error=shown)
    return row | {"errors": [error_record(run_id, source, message, exc)]}


# -- the driver -------------------------------------------------------------------------------------


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


def stored_versions(store: Store) -> frozenset[str]:
    """Ids of the versions already in ``store``: pass them to ``ingest_ray`` to skip unchanged content."""
    _, rows = store.query("SELECT version_id FROM versions")
    return frozenset(row[0] for row in rows)


def ingest_ray(
    sources: list[str],
    out_dir: Path,
    *,
    published: date | None = None,
    address: str | None = None,
    num_cpus: int | None = None,
    batch_size: int = 8,
    known_versions: Collection[str] = frozenset(),
    command: str = DEFAULT_COMMAND,
) -> RayRunResult:
    """Load and extract ``sources`` on Ray; write every table as Parquet under ``out_dir/<table>/``.

    ``address``: the Ray cluster to use (default: start a local one). ``num_cpus``: CPUs of the local
    cluster, and the size of the actor pool (default: the cluster's CPUs, at most one actor per batch).
    ``known_versions``: version ids already stored (see ``stored_versions(store)``); those sources, and
    sources repeating the version of an earlier source, are reported "unchanged" and written nowhere.
    Existing ``out_dir/<table>/`` folders are replaced.
    """
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, got {batch_size}")
    started = _now()
    run_id = new_run_id()
    out_dir = Path(out_dir).resolve()
    _clear_tables(out_dir)
    docs = None
    if sources:
        init_ray(address, num_cpus)
        docs = _extract_dataset(sources, run_id, published, known_versions, num_cpus, batch_size)
    rows = _summary_rows(docs)
    repeated = _repeated_versions(rows)
    summary = RunSummary(run_id, [_source_result(row, row["order"] in repeated) for row in rows])
    for table in DATA_TABLES:
        _write_table(docs, table, out_dir / table, repeated, run_id)
    _write_run(out_dir / RUNS_TABLE, summary, started, command)
    return RayRunResult(summary, out_dir)


def _clear_tables(out_dir: Path) -> None:
    for table in TABLES:
        shutil.rmtree(out_dir / table, ignore_errors=True)


def _pool_size(num_cpus: int | None, n_batches: int) -> int:
    import ray

    cpus = num_cpus or int(ray.cluster_resources().get("CPU", 1))
    return max(1, min(cpus, n_batches))


def _extract_dataset(
    sources: Sequence[str],
    run_id: str,
    published: date | None,
    known: Collection[str],
    num_cpus: int | None,
    batch_size: int,
) -> Dataset:
    """The per-source dataset (NLP done, materialised in the object store)."""
    import ray.data

    items = [{"order": i, "source": s, "location": _location(s)} for i, s in enumerate(sources)]
    n_batches = math.ceil(len(items) / batch_size)
    return (
        ray.data.from_items(items, override_num_blocks=n_batches)
        .map_batches(
            ExtractSources,
            fn_constructor_kwargs={"run_id": run_id, "published": published, "known_versions": frozenset(known)},
            batch_size=batch_size,
            batch_format="pyarrow",
            compute=ray.data.ActorPoolStrategy(size=_pool_size(num_cpus, n_batches)),
            num_cpus=1,
        )
        .materialize()
    )


def _location(source: str) -> str:
    """Where a worker reads ``source``: URLs as given, files by absolute path (workers have their own cwd)."""
    return source if is_url(source) else str(Path(source).resolve())


def _summary_rows(docs: Dataset | None) -> list[dict[str, Any]]:
    """The small per-source columns, in input order."""
    if docs is None:
        return []
    rows = [dict(row) for row in docs.select_columns(SUMMARY_COLUMNS).take_all()]
    return sorted(rows, key=lambda row: row["order"])


def _repeated_versions(rows: Iterable[dict[str, Any]]) -> frozenset[int]:
    """Orders of new sources whose version an earlier source already has (the local engine stores it once)."""
    seen: set[str] = set()
    repeated: set[int] = set()
    for row in rows:
        if row["status"] != "new":
            continue
        if row["version_id"] in seen:
            repeated.add(row["order"])
        seen.add(row["version_id"])
    return frozenset(repeated)


def _source_result(row: dict[str, Any], repeated: bool) -> SourceResult:
    """The ``SourceResult`` the local engine reports for this source."""
    if row["status"] == "error":
        return SourceResult(row["source"], "error", error=row["error"])
    if row["status"] == "unchanged" or repeated:
        return SourceResult(row["source"], "unchanged", lang=row["lang"], title=row["title"])
    return SourceResult(row["source"], "new", row["version_id"], row["lang"], row["title"], row["n_claims"])


def table_flattener(table: str, schema: pa.Schema, skip: Collection[int] = ()) -> Callable[[pa.Table], pa.Table]:
    """A function from a batch of per-source rows to the ``table`` rows they hold, leaving out the sources
    whose order is in ``skip``. A closure, so Ray ships it by value: the tasks running it import pyarrow,
    not this package and spaCy."""
    skipped = pa.array(sorted(skip), pa.int64())

    def flatten(batch: pa.Table) -> pa.Table:
        if len(skipped):
            batch = batch.filter(pc.invert(pc.is_in(batch["order"], value_set=skipped)))
        records = pc.list_flatten(batch[table]).combine_chunks()
        return pa.Table.from_arrays(records.flatten(), schema=schema)

    return flatten


def _write_table(docs: Dataset | None, table: str, folder: Path, skip: frozenset[int], run_id: str) -> None:
    """Write ``table`` as Parquet in ``folder``; an empty table still gets one (empty) file, so readers
    always find its schema."""
    schema = table_schemas()[table]
    if docs is not None:
        docs.map_batches(table_flattener(table, schema, skip), batch_format="pyarrow").write_parquet(str(folder))
    if not any(folder.glob("*.parquet")):
        folder.mkdir(parents=True, exist_ok=True)
        pq.write_table(schema.empty_table(), folder / f"{run_id}-empty.parquet")


def _write_run(folder: Path, summary: RunSummary, started: datetime, command: str) -> None:
    """The ``runs`` row of this job, as ``Store.start_run``/``finish_run`` would record it."""
    row = {
        "run_id": summary.run_id,
        "started_at": started,
        "finished_at": _now(),
        "extractor_version": EXTRACTOR_VERSION,
        "command": command,
        "status": summary.status,
        "n_sources": len(summary.results),
        "n_new_versions": summary.count("new"),
        "n_skipped": summary.count("unchanged"),
        "n_errors": summary.count("error"),
    }
    folder.mkdir(parents=True, exist_ok=True)
    pq.write_table(
        pa.Table.from_pylist([row], schema=table_schemas()[RUNS_TABLE]), folder / f"{summary.run_id}.parquet"
    )


# -- DuckDB side ------------------------------------------------------------------------------------


def _sql_string(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def attach(store: Store, out_dir: Path) -> None:
    """Create (or replace) the temporary views ``ray_documents``, ``ray_versions``, ``ray_sentences``,
    ``ray_mentions``, ``ray_claims``, ``ray_errors`` and ``ray_runs`` over the Parquet tables in ``out_dir``.

    The views belong to ``store``'s connection (which must be a writable one: read-only connections have no
    file access) and disappear when it closes; they read the files by absolute path at query time.
    """
    out_dir = Path(out_dir).resolve()
    for table in TABLES:
        folder = out_dir / table
        if not any(folder.glob("*.parquet")):
            raise FileNotFoundError(f"{folder}: no Parquet files (not an ingest_ray output folder?)")
        pattern = _sql_string(str(folder / "*.parquet"))
        rows = store.con.execute(f"DESCRIBE {table}").fetchall()
        json_columns = [name for name, duckdb_type, *_ in rows if duckdb_type == "JSON"]
        # Parquet keeps JSON as text: the views give the store's types back
        replaced = f" REPLACE ({', '.join(f'CAST({c} AS JSON) AS {c}' for c in json_columns)})" if json_columns else ""
        store.con.execute(
            f"CREATE OR REPLACE TEMP VIEW {VIEW_PREFIX}{table} AS SELECT *{replaced} FROM read_parquet({pattern})"
        )


IMPORT_SQL = (
    # Runs already imported are skipped entirely, so importing the same folder twice adds nothing.
    """CREATE OR REPLACE TEMP TABLE _ray_new_runs AS
    SELECT * FROM ray_runs WHERE run_id NOT IN (SELECT run_id FROM runs)""",
    # Versions already stored (same document, same raw bytes; e.g. by a local run) are skipped.
    """CREATE OR REPLACE TEMP TABLE _ray_new_versions AS
    SELECT * FROM ray_versions v
    WHERE v.run_id IN (SELECT run_id FROM _ray_new_runs)
      AND NOT EXISTS (SELECT 1 FROM versions x WHERE x.doc_id = v.doc_id AND x.raw_sha256 = v.raw_sha256)
    QUALIFY row_number() OVER (PARTITION BY v.doc_id, v.raw_sha256 ORDER BY v.fetched_at, v.source) = 1""",
    """INSERT INTO documents BY NAME
    SELECT * FROM ray_documents d
    WHERE d.doc_id IN (SELECT doc_id FROM _ray_new_versions) AND d.doc_id NOT IN (SELECT doc_id FROM documents)
    QUALIFY row_number() OVER (PARTITION BY d.doc_id ORDER BY d.first_seen_at) = 1""",
    "INSERT INTO versions BY NAME SELECT * FROM _ray_new_versions",
    *(
        f"INSERT INTO {table} BY NAME SELECT * FROM ray_{table} "
        "WHERE version_id IN (SELECT version_id FROM _ray_new_versions)"
        for table in ("sentences", "mentions", "claims")
    ),
    "INSERT INTO errors BY NAME SELECT * FROM ray_errors WHERE run_id IN (SELECT run_id FROM _ray_new_runs)",
    # The run's counts say what this store got: versions it had already count as skipped.
    """INSERT INTO runs BY NAME
    WITH n AS (SELECT run_id, count(*)::INTEGER AS n_new FROM _ray_new_versions GROUP BY run_id)
    SELECT r.* REPLACE (
        COALESCE(n.n_new, 0) AS n_new_versions, r.n_sources - r.n_errors - COALESCE(n.n_new, 0) AS n_skipped
    )
    FROM _ray_new_runs r LEFT JOIN n ON n.run_id = r.run_id""",
)


def import_into(store: Store, out_dir: Path) -> int:
    """Copy the Parquet tables of ``out_dir`` into the store's tables, in one transaction; return the number
    of document versions added.

    Versions the store already has (same doc_id and raw_sha256) are skipped, as are runs already imported.
    The gazetteer entities are upserted first, as ``pipeline.ingest`` does, so the analyst views resolve
    entity names.
    """
    attach(store, out_dir)
    store.upsert_entities(load_gazetteer().rows())
    with store.transaction():
        for sql in IMPORT_SQL:
            store.con.execute(sql)
        _, rows = store.query("SELECT count(*) FROM _ray_new_versions")
        store.con.execute("DROP TABLE _ray_new_versions; DROP TABLE _ray_new_runs")
    return rows[0][0]
