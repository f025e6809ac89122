"""DuckDB persistence of runs, document versions, sentences, mentions, claims and errors, with provenance.

A document is identified by ``document_key`` (canonical URL or absolute file path); each distinct raw content
of it is a version. Everything derived from a version (sentences, mentions, claims) is saved in the same
transaction as the version itself, so a failure never leaves partial rows.

Only the commands that write (ingest, the nightly job, ``extract migrate``) open the store with ``Store.open``,
which creates and migrates it. Everything that only reads uses ``Store.open_readonly``: a read-only DuckDB
connection with no access to files or the network, no extensions and a locked configuration, so an analyst's
SQL cannot change the store, read or write the machine's files, attach databases or install anything.
"""

from __future__ import annotations

import contextlib
import re
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

from extract.claims import keys
from extract.errors import EmptyQueryError, StoreError
from extract.ids import doc_id_for, document_key, new_run_id, now, version_id_for
from extract.model import Claim, ClaimChange, Document, Extraction, Mention, Sentence
from extract.store import reads
from extract.store.reads import ClaimFilter, QueryResult
from extract.store.rows import PLOVER_COLUMNS, Row, error_row, version_rows
from extract.urls import without_credentials
from extract.version import EXTRACTOR_VERSION

if TYPE_CHECKING:
    import pyarrow as pa

DEFAULT_DB = "extract.duckdb"  # the command line and ``extract.open`` read $EXTRACT_DB
# Settings of every read-only connection. With ``lock_configuration`` no ``SET`` can change any setting once the
# connection is open, so a query cannot turn file access back on.
# Settings of the writing connection: nothing is ever downloaded, but extensions built into the wheel load when
# needed — replaying a WAL that holds a JSON column after a crash needs the (statically linked) json extension.
WRITE_CONFIG = {"autoinstall_known_extensions": False, "autoload_known_extensions": True}
READ_ONLY_CONFIG = {
    "enable_external_access": False,  # no read_csv/read_parquet/COPY/ATTACH/EXPORT, no Python replacement scans
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "allow_community_extensions": False,
    # No spill files: DuckDB would let queries read and write in the database's temp folder (DB.tmp/).
    # Read-only queries run in memory (memory_limit, by default 80% of RAM).
    "temp_directory": "",
    "lock_configuration": True,
}
ROWS_PER_INSERT = 500  # rows bound in one multi-row INSERT statement
ENTITY_COLUMNS = ("entity_id", "type", "name_en", "name_ja", "parent_id")
# The tables a Parquet sink writes (``sinks.ParquetSink``, the Ray engine's) and ``import_parquet`` reads.
PARQUET_TABLES = ("documents", "versions", "sentences", "mentions", "claims", "errors", "runs")
ENTITY_UPSERT = (
    "ON CONFLICT (entity_id) DO UPDATE SET type = excluded.type, name_en = excluded.name_en, "
    "name_ja = excluded.name_ja, parent_id = excluded.parent_id"
)


def _sql(name: str) -> str:
    """A SQL script of the package data (``resources/sql/``): the migrations, in order, and the Parquet import."""
    return resources.files("extract").joinpath(f"resources/sql/{name}").read_text("utf-8")


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str
    backfill: Callable[[duckdb.DuckDBPyConnection], None] | None = None  # runs after ``sql``, same transaction


def _backfill_claim_keys(con: duckdb.DuckDBPyConnection) -> None:
    """Compute claim_key/claim_value for claims stored before keys existed (migration 2).

    Later migrations re-key every claim with the current rules (``rekey``); this one only has to leave
    the columns filled.
    """
    cursor = con.execute("SELECT * FROM claims WHERE claim_key IS NULL")
    columns = [d[0] for d in cursor.description]
    updates = []
    for values in cursor.fetchall():
        row = dict(zip(columns, values, strict=True))
        updates.append([keys.claim_key(row), keys.value_json(keys.claim_value(row)), row["claim_id"]])
    if updates:
        con.executemany("UPDATE claims SET claim_key = ?, claim_value = ? WHERE claim_id = ?", updates)


def rekey(con: duckdb.DuckDBPyConnection, *, only_stale: bool = True) -> int:
    """Recompute claim_key, claim_value and key_version of stored claims with the current key rules.

    Rows are rebuilt into ``Claim`` objects (``keys.as_claim``) one document version at a time, so split
    joint acts are joined as at ingestion. Only claims keyed by another ``KEY_VERSION`` are touched unless
    ``only_stale`` is false. Returns the number of claims re-keyed; the run is recorded in ``key_versions``.
    Runs inside the caller's transaction.
    """
    stale = "WHERE key_version IS DISTINCT FROM ?" if only_stale else ""
    params = [keys.KEY_VERSION] if only_stale else []
    versions = [r[0] for r in con.execute(f"SELECT DISTINCT version_id FROM claims {stale}", params).fetchall()]
    if not versions:
        return 0
    con.execute(
        "CREATE OR REPLACE TEMP TABLE _rekeyed (claim_id VARCHAR PRIMARY KEY, claim_key VARCHAR, claim_value VARCHAR)"
    )
    n = 0
    for first in range(0, len(versions), ROWS_PER_INSERT):
        chunk = versions[first : first + ROWS_PER_INSERT]
        cursor = con.execute(
            f"SELECT * FROM claims WHERE version_id IN ({', '.join('?' for _ in chunk)}) "
            "ORDER BY version_id, sentence_idx, evidence_start, claim_id",
            chunk,
        )
        columns = [d[0] for d in cursor.description]
        by_version: dict[str, list[dict[str, Any]]] = {}
        for values in cursor.fetchall():
            row = dict(zip(columns, values, strict=True))
            by_version.setdefault(row["version_id"], []).append(row)
        updates = []
        for rows in by_version.values():
            for row, (key, value) in zip(rows, keys.keyed([keys.as_claim(r) for r in rows]), strict=True):
                updates.append((row["claim_id"], key, keys.value_json(value)))
        for start in range(0, len(updates), ROWS_PER_INSERT):
            part = updates[start : start + ROWS_PER_INSERT]
            con.execute(
                f"INSERT INTO _rekeyed VALUES {', '.join(['(?, ?, ?)'] * len(part))}",
                [v for row in part for v in row],
            )
        n += len(updates)
    con.execute(
        "UPDATE claims SET claim_key = r.claim_key, claim_value = r.claim_value, key_version = ? "
        "FROM _rekeyed r WHERE claims.claim_id = r.claim_id",
        [keys.KEY_VERSION],
    )
    con.execute("DROP TABLE _rekeyed")
    con.execute("INSERT INTO key_versions VALUES (?, ?, ?)", [keys.KEY_VERSION, now(), n])
    return n


def _rekey_and_fingerprint(con: duckdb.DuckDBPyConnection) -> None:
    """Migration 6: every stored claim re-keyed with the current rules, every stored version fingerprinted."""
    rekey(con, only_stale=False)
    for version_id, doc_id, text in con.execute(
        "SELECT version_id, doc_id, text FROM versions ORDER BY fetched_at, version_id"
    ).fetchall():
        _fingerprint(con, version_id, doc_id, text)


_SQL_USERINFO = r"(?i)\b(https?://)[^\s/?#@]*@"  # RE2, for DuckDB; ``urls.without_credentials`` in Python


def _strip_stored_credentials(con: duckdb.DuckDBPyConnection) -> None:
    """Migration 7: credentials out of every stored URL, key, source and message. A document whose key had
    credentials gets the key (and id) without them; when that document exists already, its versions join it."""
    for doc_id, doc_key in con.execute(
        "SELECT doc_id, doc_key FROM documents WHERE regexp_matches(doc_key, ?) OR regexp_matches(url, ?)",
        [_SQL_USERINFO, _SQL_USERINFO],
    ).fetchall():
        clean_key = without_credentials(doc_key)
        clean_id = doc_id_for(clean_key)
        con.execute(
            "INSERT INTO documents SELECT ?, ?, regexp_replace(url, ?, '\\1', 'g'), site, first_seen_run, "
            "first_seen_at FROM documents WHERE doc_id = ? ON CONFLICT DO NOTHING",
            [clean_id, clean_key, _SQL_USERINFO, doc_id],
        )
        con.execute("UPDATE versions SET doc_id = ? WHERE doc_id = ?", [clean_id, doc_id])
        con.execute("UPDATE fingerprints SET doc_id = ? WHERE doc_id = ?", [clean_id, doc_id])
        con.execute("DELETE FROM documents WHERE doc_id = ?", [doc_id])
    for (url,) in con.execute("SELECT url FROM fetch_state WHERE regexp_matches(url, ?)", [_SQL_USERINFO]).fetchall():
        clean = without_credentials(url)
        con.execute(  # the later check of the two spellings is kept
            "INSERT OR REPLACE INTO fetch_state SELECT * REPLACE (?::VARCHAR AS url) FROM fetch_state s WHERE url = ? "
            "AND NOT EXISTS (SELECT 1 FROM fetch_state c WHERE c.url = ? AND c.last_checked >= s.last_checked)",
            [clean, url, clean],
        )
        con.execute("DELETE FROM fetch_state WHERE url = ?", [url])
    for table, column in (("fetch_state", "doc_key"), ("versions", "source"), ("errors", "source")):
        con.execute(f"UPDATE {table} SET {column} = regexp_replace({column}, ?, '\\1', 'g')", [_SQL_USERINFO])
    con.execute("UPDATE errors SET message = regexp_replace(message, ?, '\\1', 'g')", [_SQL_USERINFO])


def _fingerprint(con: duckdb.DuckDBPyConnection, version_id: str, doc_id: str, text: str) -> str:
    """Store the MinHash signature of a version and join it to the wire group of a near-identical version of
    another document (``syndication``); return its wire group (its own id when it is no copy)."""
    from extract.compare import syndication  # numpy: only when writing

    sig = syndication.signature(text)
    bands = syndication.bands(sig)
    candidates = con.execute(
        "SELECT DISTINCT f.version_id, f.wire_group, f.signature FROM fingerprint_bands b "
        "JOIN (SELECT UNNEST(range(?)) AS band, UNNEST(?::BIGINT[]) AS hash) q ON q.band = b.band AND q.hash = b.hash "
        "JOIN fingerprints f ON f.version_id = b.version_id WHERE f.doc_id <> ?",
        [len(bands), bands, doc_id],
    ).fetchall()
    group, best = version_id, syndication.THRESHOLD
    for _, wire_group, other in sorted(candidates):
        score = syndication.similarity(sig, list(other))
        if score >= best:
            group, best = wire_group, score
    con.execute("INSERT OR REPLACE INTO fingerprints VALUES (?, ?, ?, ?)", [version_id, doc_id, group, sig])
    con.execute("DELETE FROM fingerprint_bands WHERE version_id = ?", [version_id])
    con.execute(
        f"INSERT INTO fingerprint_bands VALUES {', '.join(['(?, ?, ?)'] * len(bands))}",
        [v for i, h in enumerate(bands) for v in (i, h, version_id)],
    )
    return group


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "initial schema", _sql("0001-initial-schema.sql")),
    Migration(2, "claim keys, history and analyst views", _sql("0002-claim-keys-and-views.sql"), _backfill_claim_keys),
    Migration(3, "fetch state and error reasons for the nightly job", _sql("0003-fetch-state.sql")),
    Migration(4, "faster claim_changes", _sql("0004-faster-claim-changes.sql")),
    Migration(5, "no stored views that read files", _sql("0005-no-stored-file-views.sql")),
    Migration(
        6,
        "claim keys from meaning (key versions), new claim fields, syndication fingerprints, disagreements",
        _sql("0006-key-versions-and-fingerprints.sql"),
        _rekey_and_fingerprint,
    ),
    Migration(
        7,
        "versions compared with the latest one; credentials stripped from stored URLs and keys",
        _sql("0007-versions-and-credentials.sql"),
        _strip_stored_credentials,
    ),
    Migration(
        8,
        "error fingerprints: a permanent failure of unchanged content is recorded once",
        _sql("0008-error-fingerprints.sql"),
    ),
    Migration(
        9,
        "for SQL users: JSON columns, windows as intervals, comments on every table, view and column",
        _sql("0009-sql-users.sql"),
        lambda con: apply_comments(con),  # defined below
    ),
    Migration(
        10,
        "PLOVER codes on claims",
        _sql("0010-plover-codes.sql"),
        lambda con: (_code_stored_claims(con), apply_comments(con)),
    ),
)


def _code_stored_claims(con: duckdb.DuckDBPyConnection) -> int:
    """Migration 10: the PLOVER codes of the claims stored before them, computed from their columns."""
    from extract.claims import plover  # the NLP rules: only this migration needs them

    rows = plover.stored_codes(con)
    if rows:
        con.execute(
            "CREATE TEMP TABLE _plover (claim_id VARCHAR, " + ", ".join(f"{c} VARCHAR" for c in PLOVER_COLUMNS) + ")"
        )
        for first in range(0, len(rows), ROWS_PER_INSERT):
            part = rows[first : first + ROWS_PER_INSERT]
            con.execute(
                f"INSERT INTO _plover VALUES {', '.join(['(?, ?, ?, ?, ?, ?)'] * len(part))}",
                [v for r in part for v in r],
            )
        con.execute(
            "UPDATE claims SET "
            + ", ".join(f"{c} = p.{c}" for c in PLOVER_COLUMNS)
            + " FROM _plover p WHERE claims.claim_id = p.claim_id"
        )
        con.execute("DROP TABLE _plover")
    return len(rows)


def _sql_text(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def apply_comments(con: duckdb.DuckDBPyConnection) -> int:
    """``COMMENT ON`` every table, view and macro of the store and their columns, from
    ``resources/schema.toml``; return how many comments were written."""
    import tomllib
    from importlib import resources

    spec = tomllib.loads(resources.files("extract").joinpath("resources/schema.toml").read_text("utf-8"))
    objects, glossary = spec["objects"], spec["columns"]
    kinds = con.execute(
        "SELECT table_name, 'TABLE' FROM duckdb_tables() WHERE database_name = current_database() "
        "AND schema_name = 'main' AND NOT internal AND NOT temporary "
        "UNION ALL SELECT view_name, 'VIEW' FROM duckdb_views() WHERE database_name = current_database() "
        "AND schema_name = 'main' AND NOT internal AND NOT temporary "
        "UNION ALL SELECT DISTINCT function_name, CASE function_type WHEN 'table_macro' THEN 'MACRO TABLE' "
        "ELSE 'MACRO' END FROM duckdb_functions() WHERE database_name = current_database() "
        "AND schema_name = 'main' AND NOT internal AND function_type IN ('macro', 'table_macro')"
    ).fetchall()
    written = 0
    for name, kind in kinds:
        entry = objects.get(name, {})
        if entry.get("comment"):
            con.execute(f'COMMENT ON {kind} "{name}" IS {_sql_text(entry["comment"])}')
            written += 1
        if kind.startswith("MACRO"):
            continue
        own = entry.get("columns", {})
        columns = con.execute(
            "SELECT column_name FROM duckdb_columns() WHERE database_name = current_database() "
            "AND schema_name = 'main' AND table_name = ?",
            [name],
        ).fetchall()
        for (column,) in columns:
            comment = own.get(column) or glossary.get(column)
            if comment:
                con.execute(f'COMMENT ON COLUMN "{name}"."{column}" IS {_sql_text(comment)}')
                written += 1
    return written


LOCK_RETRY_SECONDS = 0.5


def _connect_when_free(path: Path, lock_wait: float) -> duckdb.DuckDBPyConnection:
    """A writing connection to ``path``, waiting up to ``lock_wait`` seconds for another process to let go."""
    deadline = time.monotonic() + lock_wait
    while True:
        try:
            return duckdb.connect(str(path), config=WRITE_CONFIG)
        except duckdb.IOException as exc:
            if "Could not set lock" not in str(exc):
                raise
            if time.monotonic() >= deadline:
                holder = re.search(r"held in (.*?\(PID \d+\))", str(exc))
                who = f" ({holder.group(1)})" if holder else ""
                raise StoreError(
                    f"{path}: the database is in use by another process{who}; waited {lock_wait:g} s for it "
                    "to close it (analysts should read the snapshot, not the main file)"
                ) from None
            time.sleep(min(LOCK_RETRY_SECONDS, max(0.0, deadline - time.monotonic())))


def _require_file(path: Path) -> None:
    if not path.exists():
        raise StoreError(f"{path}: no such database (check --db; `extract ingest` or `extract run` creates one)")
    if not path.is_file():
        raise StoreError(f"{path}: not a database file")


IMPORT_SQL = _sql("import-parquet.sql")


def connect_readonly(path: str | Path) -> duckdb.DuckDBPyConnection:
    """The read-only connection analysts use (``extract.open``): ``Store.open_readonly``'s."""
    return Store.open_readonly(path).con


class Store:
    """A DuckDB database of extraction results. Use ``with Store.open(path) as store:`` to write,
    ``with Store.open_readonly(path) as store:`` to read."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con
        self.rekeyed = 0  # claims re-keyed by the last ``migrate``

    @classmethod
    def open(
        cls, path: str | Path | None = None, *, create: bool = True, migrate: bool = True, lock_wait: float = 0.0
    ) -> Store:
        """Open for writing and (unless ``migrate`` is false) migrate the database at ``path``.

        With ``create`` (the default) a missing database and its parent folder are created; without it a
        missing file is a ``StoreError`` naming the path. While another process holds the file (a reader, or
        another writer), it is tried again for up to ``lock_wait`` seconds, then a ``StoreError`` says who.
        """
        db_path = Path(path or DEFAULT_DB)
        if create:
            db_path.parent.mkdir(parents=True, exist_ok=True)
        else:
            _require_file(db_path)
        store = cls(_connect_when_free(db_path, lock_wait))
        if not migrate:
            return store
        try:
            store.migrate()
        except BaseException:
            store.close()
            raise
        return store

    @classmethod
    def open_readonly(cls, path: str | Path | None = None) -> Store:
        """Open the existing database at ``path`` for reading only (``READ_ONLY_CONFIG``).

        Any number of processes can read one file at the same time (not while a writer holds it: read the
        nightly snapshot). A missing file, or a store whose schema is behind this code's migrations, is a
        ``StoreError`` naming it; nothing is created or changed.
        """
        db_path = Path(path or DEFAULT_DB)
        _require_file(db_path)
        store = cls(duckdb.connect(str(db_path), read_only=True, config=READ_ONLY_CONFIG))
        try:
            pending = store.pending_migrations()
        except BaseException:
            store.close()
            raise
        if pending:
            store.close()
            names = ", ".join(f"{m.version} ({m.name})" for m in pending)
            raise StoreError(
                f"{db_path}: the store needs migration {names}; run `extract migrate --db {db_path}` first"
            )
        stale = store.stale_keys()
        if stale:
            store.close()
            raise StoreError(
                f"{db_path}: {stale} claims have keys of other key rules than key version {keys.KEY_VERSION}; "
                f"run `extract migrate --db {db_path}` first"
            )
        return store

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- schema ---------------------------------------------------------------------------------------

    def pending_migrations(self) -> list[Migration]:
        """The migrations of this code not yet applied to the store, in order (all of them for an empty file)."""
        _, found = self.query(
            "SELECT count(*) FROM duckdb_tables() WHERE database_name = current_database() "
            "AND schema_name = 'main' AND table_name = 'schema_migrations'"
        )
        applied = set()
        if found[0][0]:
            applied = {row[0] for row in self.query("SELECT version FROM schema_migrations")[1]}
        return [m for m in sorted(MIGRATIONS, key=lambda m: m.version) if m.version not in applied]

    def migrate(self) -> list[int]:
        """Apply pending migrations in order, each in its own transaction; return the versions applied."""
        self.con.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations "
            "(version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)"
        )
        applied = {row[0] for row in self.con.execute("SELECT version FROM schema_migrations").fetchall()}
        newly_applied = []
        for migration in sorted(MIGRATIONS, key=lambda m: m.version):
            if migration.version in applied:
                continue
            with self.transaction():
                self.con.execute(migration.sql)
                if migration.backfill is not None:
                    migration.backfill(self.con)
                self.con.execute(
                    "INSERT INTO schema_migrations VALUES (?, ?, ?)",
                    [migration.version, migration.name, now()],
                )
            # DuckDB binds views again when it replays a WAL, and a view over a table a later migration alters
            # cannot be bound mid-way: schema changes never wait in the WAL for a crash to replay them
            self.con.execute("CHECKPOINT")
            newly_applied.append(migration.version)
        if self.stale_keys():
            with self.transaction():
                self.rekeyed = rekey(self.con)
        return newly_applied

    def stale_keys(self) -> int:
        """Claims keyed by other key rules than this code's (``keys.KEY_VERSION``): ``migrate`` re-keys them."""
        _, found = self.query(
            "SELECT count(*) FROM duckdb_columns() WHERE database_name = current_database() "
            "AND table_name = 'claims' AND column_name = 'key_version'"
        )
        if not found[0][0]:  # a store from before key versions: its migrations say what it needs
            return 0
        _, rows = self.query("SELECT count(*) FROM claims WHERE key_version IS DISTINCT FROM ?", [keys.KEY_VERSION])
        return rows[0][0]

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """BEGIN; COMMIT when the block succeeds, ROLLBACK (and re-raise) when it fails."""
        self.con.begin()
        try:
            yield
        except BaseException:
            self.con.rollback()
            raise
        self.con.commit()

    # -- runs and errors ------------------------------------------------------------------------------

    def start_run(self, command: str) -> str:
        """Record the start of a run and return its id."""
        run_id = new_run_id()
        self.con.execute(
            "INSERT INTO runs (run_id, started_at, extractor_version, command, status) VALUES (?, ?, ?, ?, ?)",
            [run_id, now(), EXTRACTOR_VERSION, command, "running"],
        )
        return run_id

    def finish_run(
        self,
        run_id: str,
        status: str,
        *,
        n_sources: int = 0,
        n_new_versions: int = 0,
        n_skipped: int = 0,
        n_errors: int = 0,
    ) -> None:
        """Record the end of a run with its status ("ok", "partial", "failed", ...) and counts."""
        self.con.execute(
            "UPDATE runs SET finished_at = ?, status = ?, n_sources = ?, n_new_versions = ?, n_skipped = ?, "
            "n_errors = ? WHERE run_id = ?",
            [now(), status, n_sources, n_new_versions, n_skipped, n_errors, run_id],
        )

    def record_error(self, run_id: str | None, source: str, exc: BaseException, fingerprint: str | None = None) -> None:
        """Record that ``source`` failed in ``run_id`` with ``exc`` (with its reason when it has one).

        ``fingerprint`` identifies a permanent failure of given content (``failed_before``).
        """
        self._insert_rows("errors", [error_row(run_id, source, exc, now(), fingerprint)])

    def failed_before(self, source: str, fingerprint: str) -> bool:
        """True when the latest error recorded for ``source`` is this same permanent failure."""
        row = self.con.execute(
            'SELECT fingerprint FROM errors WHERE source = ? ORDER BY "at" DESC LIMIT 1', [without_credentials(source)]
        ).fetchone()
        return row is not None and row[0] == fingerprint

    def interrupt_run(self, run_id: str) -> None:
        """Mark a run that is being abandoned (an exception, Ctrl-C) as "interrupted", if the store still can."""
        with contextlib.suppress(duckdb.Error):
            self.con.execute(
                "UPDATE runs SET finished_at = ?, status = 'interrupted' WHERE run_id = ? AND status = 'running'",
                [now(), run_id],
            )

    def mark_interrupted_runs(self) -> int:
        """Runs still "running" belong to a process that died: mark them so; return how many."""
        _, rows = self.query("SELECT count(*) FROM runs WHERE status = 'running'")
        self.con.execute("UPDATE runs SET status = 'interrupted' WHERE status = 'running'")
        return rows[0][0]

    # -- fetch state (conditional GET between nightly runs) --------------------------------------------

    def fetch_state(self, url: str) -> dict[str, Any]:
        columns, rows = self.query("SELECT * FROM fetch_state WHERE url = ?", [url])
        return dict(zip(columns, rows[0], strict=True)) if rows else {}

    def save_fetch_state(
        self,
        url: str,
        run_id: str,
        *,
        status: int | None,
        etag: str | None = None,
        last_modified: str | None = None,
        raw_sha256: str | None = None,
        doc_key: str | None = None,
        error: str | None = None,
    ) -> None:
        """Remember what the last fetch of ``url`` returned; validators are kept only from successes."""
        url, doc_key, error = (text and without_credentials(text) for text in (url, doc_key, error))
        previous = self.fetch_state(url)
        if error is not None or status == 304:
            etag, last_modified = previous.get("etag"), previous.get("last_modified")
            raw_sha256, doc_key = previous.get("raw_sha256"), previous.get("doc_key")
        changed = raw_sha256 is not None and raw_sha256 != previous.get("raw_sha256")
        self.con.execute(
            "INSERT OR REPLACE INTO fetch_state VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                url,
                doc_key,
                etag,
                last_modified,
                raw_sha256,
                status,
                error,
                run_id,
                now(),
                now() if changed else previous.get("last_changed"),
            ],
        )

    def run_changes(self, run_id: str) -> list[ClaimChange]:
        """The claim changes of the documents that got a new version in ``run_id``."""
        _, rows = self.query(
            "SELECT c.doc_key, c.change, c.claim_key, c.old_value, c.new_value FROM claim_changes c "
            "JOIN version_history h ON h.doc_key = c.doc_key AND h.version_no = c.version_no "
            "JOIN versions v ON v.version_id = h.version_id WHERE v.run_id = ? ORDER BY c.doc_key, c.claim_key",
            [run_id],
        )
        return [ClaimChange(*row) for row in rows]

    # -- documents ------------------------------------------------------------------------------------

    def is_latest_version(self, doc_key: str, raw_sha256: str) -> bool:
        """True when the latest stored version of the document (the last fetched) has this exact raw content.

        Content that returns to an earlier version is not unchanged: it is the document's current content again.
        """
        row = self.con.execute(
            "SELECT raw_sha256 FROM versions WHERE doc_id = ? ORDER BY fetched_at DESC, version_id DESC LIMIT 1",
            [doc_id_for(doc_key)],
        ).fetchone()
        return row is not None and row[0] == raw_sha256

    def save_version(
        self,
        run_id: str,
        doc: Document,
        sentences: Sequence[Sentence],
        mentions: Sequence[Mention],
        claims: Sequence[Claim],
    ) -> str | None:
        """Save a document version and everything derived from it in one transaction.

        Returns the new version id, or None when this exact content of the document is already stored
        (nothing is written then). Claims with identical ids (same version, kind, predicate, arguments and
        evidence span) are stored once.
        """
        doc_key = document_key(doc)
        doc_id = doc_id_for(doc_key)
        with self.transaction():
            if self.is_latest_version(doc_key, doc.raw_sha256):
                return None
            _, rows = self.query(
                "SELECT count(*) FROM versions WHERE doc_id = ? AND raw_sha256 = ?", [doc_id, doc.raw_sha256]
            )
            returns = rows[0][0]  # how often this content was stored before: it comes back after another one
            version_id = version_id_for(doc_id, doc.raw_sha256, returns)
            extraction = Extraction(doc, list(sentences), list(mentions), list(claims))
            valid_from = now().date() if returns else None
            rows = version_rows(extraction, doc_key, version_id, run_id, now(), valid_from=valid_from)
            for table, table_rows in rows.tables().items():
                if table == "claims":
                    table_rows = self._without_missing_plover_columns(table_rows)
                self._insert_rows(table, table_rows, "ON CONFLICT DO NOTHING" if table == "documents" else "")
            _fingerprint(self.con, version_id, doc_id, doc.text)
        return version_id

    def fingerprint_missing(self) -> int:
        """Fingerprint the versions that have none (imported from the Ray engine's Parquet); return how many."""
        missing = self.query(
            "SELECT version_id, doc_id, text FROM versions "
            "WHERE version_id NOT IN (SELECT version_id FROM fingerprints) ORDER BY fetched_at, version_id"
        )[1]
        with self.transaction():
            for version_id, doc_id, text in missing:
                _fingerprint(self.con, version_id, doc_id, text)
        return len(missing)

    def _without_missing_plover_columns(self, rows: Sequence[Row]) -> Sequence[Row]:
        """``rows`` without the PLOVER columns when the store has none yet (one mid-upgrade, in tests of old
        stores: migration 10 adds them)."""
        have = {r[0] for r in self.con.execute("SELECT name FROM pragma_table_info('claims')").fetchall()}
        if not rows or all(c in have for c in PLOVER_COLUMNS):
            return rows
        return [{c: v for c, v in row.items() if c in have or c not in PLOVER_COLUMNS} for row in rows]

    def _insert_rows(self, table: str, rows: Sequence[Row], suffix: str = "") -> None:
        """INSERT ``rows`` (each with the columns of the first) into ``table``, many rows per statement (much
        faster than executemany).

        ``table`` and ``suffix`` are SQL written in this module, and the columns those of ``rows``, never user input.
        """
        if not rows:
            return
        columns = list(rows[0])
        placeholders = f"({', '.join('?' for _ in columns)})"
        names = ", ".join(f'"{column}"' for column in columns)
        for first in range(0, len(rows), ROWS_PER_INSERT):
            chunk = rows[first : first + ROWS_PER_INSERT]
            values = ", ".join([placeholders] * len(chunk))
            self.con.execute(
                f"INSERT INTO {table} ({names}) VALUES {values} {suffix}", [row[c] for row in chunk for c in columns]
            )

    # -- entities -------------------------------------------------------------------------------------

    def upsert_entities(self, rows: Iterable[tuple[str, str, str | None, str | None, str | None]]) -> int:
        """Insert or update ``(entity_id, type, name_en, name_ja, parent_id)`` rows (last one per id wins).

        Returns the number of distinct entities written.
        """
        by_id = {row[0]: dict(zip(ENTITY_COLUMNS, row, strict=True)) for row in rows}
        with self.transaction():
            self._insert_rows("entities", list(by_id.values()), ENTITY_UPSERT)
        return len(by_id)

    # -- Parquet (what a Parquet sink wrote, on a Ray cluster say) --------------------------------------

    def attach_parquet(self, out_dir: str | Path) -> None:
        """Create (or replace) the temporary views ``ray_documents``, ``ray_versions``, ``ray_sentences``,
        ``ray_mentions``, ``ray_claims``, ``ray_errors`` and ``ray_runs`` over the Parquet tables in ``out_dir``.

        The views belong to this connection (which must be a writable one: read-only connections have no file
        access) and disappear when it closes; they read the files by absolute path at query time.
        """
        out_dir = Path(out_dir).resolve()
        for table in PARQUET_TABLES:
            folder = out_dir / table
            if not any(folder.glob("*.parquet")):
                raise FileNotFoundError(f"{folder}: no Parquet files (not a Parquet sink's output folder?)")
            pattern = _sql_text(str(folder / "*.parquet"))
            rows = self.con.execute(f"DESCRIBE {table}").fetchall()
            json_columns = [name for name, duckdb_type, *_ in rows if duckdb_type == "JSON"]
            # Parquet keeps JSON as text: the views give the store's types back
            cast = ", ".join(f"CAST({c} AS JSON) AS {c}" for c in json_columns)
            replaced = f" REPLACE ({cast})" if json_columns else ""
            self.con.execute(
                f"CREATE OR REPLACE TEMP VIEW ray_{table} AS SELECT *{replaced} FROM read_parquet({pattern})"
            )

    def import_parquet(self, out_dir: str | Path) -> int:
        """Copy the Parquet tables of ``out_dir`` into the store's tables, in one transaction, and fingerprint
        the new versions; return the number of document versions added.

        Versions the store already has (same doc_id and raw_sha256) are skipped, as are runs already imported.
        """
        self.attach_parquet(out_dir)
        with self.transaction():
            self.con.execute(IMPORT_SQL)
            _, rows = self.query("SELECT count(*) FROM _ray_new_versions")
            self.con.execute("DROP TABLE _ray_new_versions; DROP TABLE _ray_new_runs")
        self.fingerprint_missing()  # syndication fingerprints of the imported versions
        return rows[0][0]

    def version_ids(self) -> frozenset[str]:
        """Ids of the versions stored: a Parquet sink given them skips content the store has."""
        return frozenset(row[0] for row in self.query("SELECT version_id FROM versions")[1])

    def checkpoint(self) -> None:
        """Write the WAL into the database file (before the file is copied)."""
        self.con.execute("CHECKPOINT")

    # -- reading --------------------------------------------------------------------------------------

    def query(self, sql: str, params: Sequence[Any] | dict[str, Any] | None = None) -> tuple[list[str], list[tuple]]:
        """Run ``sql`` with bound ``params``; return (column names, rows)."""
        cursor = self.con.execute(sql, params or [])
        columns = [d[0] for d in cursor.description] if cursor.description else []
        return columns, cursor.fetchall() if columns else []

    def query_arrow(self, sql: str, params: Sequence[Any] | dict[str, Any] | None = None) -> pa.Table:
        """Run ``sql`` with bound ``params``; return the result as a pyarrow Table (DuckDB's own types)."""
        import pyarrow as pa

        relation = self.con.sql(sql, params=params or None)
        if relation is None:  # a statement without a result
            return pa.table({})
        return (getattr(relation, "to_arrow_table", None) or relation.arrow)()  # ``arrow`` in older DuckDB

    def run(self, sql: str, params: Sequence[Any] | dict[str, Any] | None = None) -> QueryResult:
        """Run ``sql`` (one or more statements; the last one's result) and return its Arrow result with
        DuckDB's column types. A blank or comment-only query is an ``EmptyQueryError``."""
        import pyarrow as pa

        if not self.con.extract_statements(sql):
            raise EmptyQueryError("empty query: it has no statement, only blanks or comments")
        relation = self.con.sql(sql, params=params or None)
        if relation is None:  # a statement without a result
            return QueryResult([], [], pa.table({}))
        return QueryResult(list(relation.columns), [str(t) for t in relation.types], relation.to_arrow_table())

    # -- analyst reads (``reads``) ----------------------------------------------------------------------

    def schema(self, name: str | None = None) -> QueryResult:
        return reads.schema(self, name)

    def claim_rows(self, where: ClaimFilter | None = None) -> QueryResult:
        return reads.claim_rows(self, where)

    def claims(self, kind: str | None = None, lang: str | None = None, doc: str | None = None) -> list[dict]:
        return reads.claims(self, kind, lang, doc)
