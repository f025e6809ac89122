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
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

from extract import keys
from extract.ids import doc_id_for, document_key, new_run_id, now, version_id_for
from extract.model import Claim, Document, Extraction, Mention, Sentence
from extract.rows import Row, error_row, version_rows
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
RAY_TABLES = PARQUET_TABLES  # the name older migrations use
ENTITY_UPSERT = (
    "ON CONFLICT (entity_id) DO UPDATE SET type = excluded.type, name_en = excluded.name_en, "
    "name_ja = excluded.name_ja, parent_id = excluded.parent_id"
)


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
    from extract import syndication  # numpy: only when writing

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
    Migration(
        1,
        "initial schema",
        """
        CREATE TABLE runs (
            run_id VARCHAR PRIMARY KEY,
            started_at TIMESTAMP NOT NULL,
            finished_at TIMESTAMP,
            extractor_version VARCHAR NOT NULL,
            command VARCHAR,
            status VARCHAR NOT NULL,
            n_sources INTEGER,
            n_new_versions INTEGER,
            n_skipped INTEGER,
            n_errors INTEGER
        );
        CREATE TABLE documents (
            doc_id VARCHAR PRIMARY KEY,
            doc_key VARCHAR NOT NULL UNIQUE,
            url VARCHAR,
            site VARCHAR,
            first_seen_run VARCHAR,
            first_seen_at TIMESTAMP NOT NULL
        );
        CREATE TABLE versions (
            version_id VARCHAR PRIMARY KEY,
            doc_id VARCHAR NOT NULL,
            run_id VARCHAR,
            raw_sha256 VARCHAR NOT NULL,
            text_sha256 VARCHAR NOT NULL,
            title VARCHAR,
            published DATE,
            lang VARCHAR,
            lang_score DOUBLE,
            content_type VARCHAR,
            source VARCHAR,
            fetched_at TIMESTAMP NOT NULL,
            text VARCHAR NOT NULL,
            UNIQUE (doc_id, raw_sha256)
        );
        CREATE TABLE sentences (
            version_id VARCHAR NOT NULL,
            idx INTEGER NOT NULL,
            paragraph INTEGER,
            start_char INTEGER NOT NULL,
            end_char INTEGER NOT NULL,
            text VARCHAR NOT NULL,
            is_heading BOOLEAN,
            PRIMARY KEY (version_id, idx)
        );
        CREATE TABLE entities (
            entity_id VARCHAR PRIMARY KEY,
            type VARCHAR,
            name_en VARCHAR,
            name_ja VARCHAR,
            parent_id VARCHAR
        );
        CREATE TABLE mentions (
            version_id VARCHAR NOT NULL,
            sentence_idx INTEGER,
            start_char INTEGER NOT NULL,
            end_char INTEGER NOT NULL,
            text VARCHAR,
            label VARCHAR,
            entity_id VARCHAR,
            source VARCHAR
        );
        CREATE TABLE claims (
            claim_id VARCHAR PRIMARY KEY,
            version_id VARCHAR NOT NULL,
            run_id VARCHAR,
            kind VARCHAR NOT NULL,
            predicate VARCHAR NOT NULL,
            subject_id VARCHAR,
            subject_text VARCHAR,
            object_id VARCHAR,
            object_text VARCHAR,
            polarity VARCHAR,
            modality VARCHAR,
            condition VARCHAR,
            time_start DATE,
            time_end DATE,
            time_granularity VARCHAR,
            time_iso VARCHAR,
            time_text VARCHAR,
            window_duration VARCHAR,
            window_bound VARCHAR,
            window_anchor VARCHAR,
            tier INTEGER,
            quantity_value DOUBLE,
            quantity_upper DOUBLE,
            quantity_unit VARCHAR,
            quantity_text VARCHAR,
            quantity_approximate BOOLEAN,
            location_id VARCHAR,
            location_text VARCHAR,
            participants VARCHAR,
            sentence_idx INTEGER,
            evidence_start INTEGER,
            evidence_end INTEGER,
            evidence_text VARCHAR,
            confidence DOUBLE,
            extractor VARCHAR,
            extractor_version VARCHAR NOT NULL
        );
        CREATE TABLE errors (
            run_id VARCHAR,
            source VARCHAR,
            error_type VARCHAR NOT NULL,
            message VARCHAR NOT NULL,
            "at" TIMESTAMP NOT NULL  -- AT is a keyword in DuckDB: quote it in queries
        );
        CREATE INDEX versions_doc_id ON versions (doc_id);
        CREATE INDEX mentions_version_id ON mentions (version_id);
        CREATE INDEX claims_version_id ON claims (version_id);
        CREATE INDEX claims_kind ON claims (kind);
        CREATE INDEX claims_subject_id ON claims (subject_id);
        """,
    ),
    Migration(
        2,
        "claim keys, history and analyst views",
        """
        ALTER TABLE claims ADD COLUMN claim_key VARCHAR;
        ALTER TABLE claims ADD COLUMN claim_value VARCHAR;
        CREATE INDEX claims_claim_key ON claims (claim_key);

        -- Versions of each document in order, valid from their publication (else fetch) date until the
        -- next version of the same document supersedes them.
        CREATE VIEW version_history AS
        WITH dated AS (
            SELECT v.version_id, v.doc_id, d.doc_key, d.url, d.site, v.title, v.lang, v.published, v.fetched_at,
                   v.source, COALESCE(v.published, CAST(v.fetched_at AS DATE)) AS valid_from
            FROM versions v JOIN documents d USING (doc_id)
        )
        SELECT *,
               ROW_NUMBER() OVER w AS version_no,
               LEAD(valid_from) OVER w AS valid_to
        FROM dated
        WINDOW w AS (PARTITION BY doc_id ORDER BY valid_from, fetched_at, version_id);

        -- Every claim with the validity of the version that states it.
        CREATE VIEW claim_history AS
        SELECT c.claim_key, c.claim_value, c.kind, c.predicate, c.subject_id, c.subject_text, c.object_id,
               c.object_text, c.polarity, c.modality, c.tier, c.time_iso, c.window_duration, c.window_anchor,
               c.quantity_value, c.quantity_upper, c.quantity_unit, c.location_id, c.condition,
               c.evidence_text, c.evidence_start, c.evidence_end, c.sentence_idx, c.claim_id, c.confidence,
               h.doc_id, h.doc_key, h.site, h.lang, h.title, h.version_id, h.version_no, h.valid_from, h.valid_to
        FROM claims c JOIN version_history h USING (version_id);

        -- What the corpus said on a date: SELECT * FROM corpus_as_of(DATE '2026-02-03').
        CREATE MACRO corpus_as_of(d) AS TABLE
            SELECT * FROM claim_history WHERE valid_from <= d AND (valid_to IS NULL OR valid_to > d);

        -- Claims as of the latest version of each document.
        CREATE VIEW current_claims AS SELECT * FROM claim_history WHERE valid_to IS NULL;

        CREATE VIEW pledges AS
        SELECT c.subject_id, e.name_en AS subject, c.predicate, c.polarity, c.modality, c.object_id,
               c.window_duration, c.window_anchor, c.condition, c.quantity_value, c.quantity_upper,
               c.quantity_unit, c.time_iso, c.tier, c.lang, c.site, c.doc_key, c.version_no, c.evidence_text
        FROM current_claims c LEFT JOIN entities e ON e.entity_id = c.subject_id
        WHERE c.kind = 'pledge';

        CREATE VIEW positions AS
        SELECT c.subject_id, e.name_en AS subject, c.predicate, c.polarity, c.modality, c.object_id,
               c.object_text, c.lang, c.site, c.doc_key, c.version_no, c.evidence_text
        FROM current_claims c LEFT JOIN entities e ON e.entity_id = c.subject_id
        WHERE c.kind = 'position';

        CREATE VIEW tiers AS
        SELECT c.tier, c.subject_id, e.name_en AS actor, c.predicate, c.window_duration, c.window_anchor,
               c.condition, c.lang, c.site, c.doc_key, c.version_no, c.evidence_text
        FROM current_claims c LEFT JOIN entities e ON e.entity_id = c.subject_id
        WHERE c.kind = 'tier';

        CREATE VIEW events AS
        SELECT c.predicate, c.time_iso, c.location_id, e.name_en AS location, c.object_text, c.lang, c.site,
               c.doc_key, c.version_no, c.evidence_text
        FROM current_claims c LEFT JOIN entities e ON e.entity_id = c.location_id
        WHERE c.kind = 'event';

        -- What changed between consecutive versions of each document (values per key compared as sets).
        CREATE VIEW claim_changes AS
        WITH per_version AS (
            SELECT doc_id, version_no, claim_key, any_value(kind) AS kind,
                   string_agg(DISTINCT claim_value, ' | ' ORDER BY claim_value) AS value,
                   min(evidence_text) AS evidence
            FROM claim_history GROUP BY doc_id, version_no, claim_key
        ),
        pairs AS (
            SELECT doc_id, doc_key, version_no, valid_from FROM version_history WHERE version_no > 1
        ),
        old AS (
            SELECT p.doc_id, p.version_no, c.claim_key, c.kind, c.value, c.evidence
            FROM pairs p JOIN per_version c ON c.doc_id = p.doc_id AND c.version_no = p.version_no - 1
        ),
        new AS (
            SELECT p.doc_id, p.version_no, c.claim_key, c.kind, c.value, c.evidence
            FROM pairs p JOIN per_version c ON c.doc_id = p.doc_id AND c.version_no = p.version_no
        )
        SELECT p.doc_key, p.version_no, p.valid_from,
               COALESCE(o.claim_key, n.claim_key) AS claim_key, COALESCE(o.kind, n.kind) AS kind,
               CASE WHEN o.claim_key IS NULL THEN 'added' WHEN n.claim_key IS NULL THEN 'removed'
                    ELSE 'changed' END AS change,
               o.value AS old_value, n.value AS new_value, o.evidence AS old_evidence, n.evidence AS new_evidence
        FROM old o
        FULL OUTER JOIN new n ON o.doc_id = n.doc_id AND o.version_no = n.version_no AND o.claim_key = n.claim_key
        JOIN pairs p ON p.doc_id = COALESCE(o.doc_id, n.doc_id) AND p.version_no = COALESCE(o.version_no, n.version_no)
        WHERE o.value IS DISTINCT FROM n.value;
        """,
        _backfill_claim_keys,
    ),
    Migration(
        3,
        "fetch state and error reasons for the nightly job",
        """
        CREATE TABLE fetch_state (
            url VARCHAR PRIMARY KEY,
            doc_key VARCHAR,
            etag VARCHAR,
            last_modified VARCHAR,
            raw_sha256 VARCHAR,
            last_status INTEGER,
            last_error VARCHAR,
            last_run VARCHAR,
            last_checked TIMESTAMP NOT NULL,
            last_changed TIMESTAMP
        );
        ALTER TABLE errors ADD COLUMN reason VARCHAR;
        ALTER TABLE errors ADD COLUMN transient BOOLEAN;
        """,
    ),
    Migration(
        4,
        "faster claim_changes",
        # Same rows as migration 2's view; a document filter now reaches the claims (0.72 s → 0.02 s for one
        # document at 1M claims, benchmarks/queries.py) and kind is chosen deterministically.
        """
        CREATE OR REPLACE VIEW claim_changes AS
        WITH per_version AS (
            SELECT doc_key, version_no, claim_key, min(kind) AS kind,
                   nullif(array_to_string(list_sort(list_distinct(list(claim_value))), ' | '), '') AS value,
                   min(evidence_text) AS evidence
            FROM claim_history
            WHERE version_no > 1 OR valid_to IS NOT NULL
            GROUP BY doc_key, version_no, claim_key
        ),
        sides AS (
            SELECT c.doc_key, c.version_no + s.shift AS version_no, c.claim_key, c.kind, c.value, c.evidence, s.is_old
            FROM per_version c CROSS JOIN (VALUES (0, false), (1, true)) s(shift, is_old)
        ),
        compared AS (
            SELECT doc_key, version_no, claim_key,
                   COALESCE(min(kind) FILTER (WHERE is_old), min(kind) FILTER (WHERE NOT is_old)) AS kind,
                   count(*) FILTER (WHERE is_old) AS n_old, count(*) FILTER (WHERE NOT is_old) AS n_new,
                   any_value(value) FILTER (WHERE is_old) AS old_value,
                   any_value(value) FILTER (WHERE NOT is_old) AS new_value,
                   any_value(evidence) FILTER (WHERE is_old) AS old_evidence,
                   any_value(evidence) FILTER (WHERE NOT is_old) AS new_evidence
            FROM sides
            GROUP BY doc_key, version_no, claim_key
        )
        SELECT c.doc_key, c.version_no, h.valid_from, c.claim_key, c.kind,
               CASE WHEN c.n_old = 0 THEN 'added' WHEN c.n_new = 0 THEN 'removed' ELSE 'changed' END AS change,
               c.old_value, c.new_value, c.old_evidence, c.new_evidence
        FROM compared c JOIN version_history h ON h.doc_key = c.doc_key AND h.version_no = c.version_no
        WHERE c.version_no > 1 AND c.old_value IS DISTINCT FROM c.new_value
        """,
    ),
    Migration(
        5,
        "no stored views that read files",
        # Ray imports used to leave persistent ``ray_*`` views over Parquet files in the store; they are now
        # temporary views of the importing connection, so nothing stored reads the file system.
        "\n".join(f"DROP VIEW IF EXISTS ray_{table};" for table in RAY_TABLES),
    ),
    Migration(
        6,
        "claim keys from meaning (key versions), new claim fields, syndication fingerprints, disagreements",
        # Keys are recomputed from the claims (keys.KEY_VERSION); later key rule changes re-key through
        # ``Store.migrate`` without a schema migration. ``disagreements`` is described in its own comment.
        r"""
        ALTER TABLE claims ADD COLUMN IF NOT EXISTS quantity_scope VARCHAR;
        ALTER TABLE claims ADD COLUMN IF NOT EXISTS quantity_previous DOUBLE;
        ALTER TABLE claims ADD COLUMN IF NOT EXISTS quantity_per VARCHAR;
        ALTER TABLE claims ADD COLUMN IF NOT EXISTS analysis VARCHAR;
        ALTER TABLE claims ADD COLUMN IF NOT EXISTS key_version INTEGER;
        CREATE TABLE IF NOT EXISTS key_versions (
            key_version INTEGER NOT NULL,
            applied_at TIMESTAMP NOT NULL,
            n_claims BIGINT NOT NULL
        );
        CREATE TABLE IF NOT EXISTS fingerprints (
            version_id VARCHAR PRIMARY KEY,
            doc_id VARCHAR NOT NULL,
            wire_group VARCHAR NOT NULL,
            signature BIGINT[] NOT NULL
        );
        CREATE TABLE IF NOT EXISTS fingerprint_bands (
            band INTEGER NOT NULL,
            hash BIGINT NOT NULL,
            version_id VARCHAR NOT NULL
        );
        CREATE INDEX IF NOT EXISTS fingerprint_bands_hash ON fingerprint_bands (band, hash);

        -- Every claim with the validity of the version that states it; ``outlet`` is the source a claim is
        -- compared by (the site, else the document), ``wire_group`` the near-identical texts it belongs to.
        CREATE OR REPLACE VIEW claim_history AS
        SELECT c.claim_key, c.claim_value, c.kind, c.predicate, c.subject_id, c.subject_text, c.object_id,
               c.object_text, c.polarity, c.modality, c.tier, c.time_iso, c.window_duration, c.window_anchor,
               c.quantity_value, c.quantity_upper, c.quantity_unit, c.location_id, c.condition,
               c.evidence_text, c.evidence_start, c.evidence_end, c.sentence_idx, c.claim_id, c.confidence,
               h.doc_id, h.doc_key, h.site, h.lang, h.title, h.version_id, h.version_no, h.valid_from, h.valid_to,
               c.window_bound, c.quantity_text, c.quantity_scope, c.quantity_previous, c.quantity_per,
               c.participants, c.analysis, c.key_version, h.published,
               COALESCE(h.site, h.doc_key) AS outlet, COALESCE(f.wire_group, h.version_id) AS wire_group
        FROM claims c JOIN version_history h USING (version_id)
        LEFT JOIN fingerprints f ON f.version_id = c.version_id;

        -- Near-identical texts on more than one source (a wire story and its copies), with their sources.
        CREATE OR REPLACE VIEW wire_groups AS
        SELECT f.wire_group, list(DISTINCT COALESCE(d.site, d.doc_key) ORDER BY COALESCE(d.site, d.doc_key)) AS members,
               count(DISTINCT COALESCE(d.site, d.doc_key)) AS n_sources
        FROM fingerprints f JOIN documents d USING (doc_id)
        GROUP BY f.wire_group HAVING count(DISTINCT COALESCE(d.site, d.doc_key)) > 1;

        -- What each source says now about each key: the claims of its latest current version stating it.
        CREATE OR REPLACE VIEW source_claims AS
        SELECT * FROM current_claims
        QUALIFY dense_rank() OVER (PARTITION BY outlet, claim_key ORDER BY valid_from DESC, version_id DESC) = 1;

        -- Keys whose current values differ between sources: one row per reading (distinct value) of such a key,
        -- with the fields that conflict, the sources and languages stating it, how many independent sources
        -- those are (a wire story copied by several sites counts once; ``syndicated`` lists the copies) and
        -- the evidence. Fields agree as in keys.value_diff: a field one reading leaves out is no conflict; a
        -- month, week or year agrees with the days inside it, "until X" with anything ending on X, a place
        -- with the places inside it, participants with a subset of them; anchors and conditions compare only
        -- as listed terms, and a tier's action (its class is in the key) is never a conflict. Two values of a
        -- field conflict only when each has a source that does not state the other, and a plan ("will") does
        -- not conflict with its fulfilment ("did") when every statement of the plan predates the event.
        -- Keys that identify nothing on their own are left out: an event with neither venue nor a numbered
        -- round or date, a pledge, position or quantity with no actor.
        CREATE OR REPLACE VIEW disagreements AS
        WITH stated AS (
            SELECT s.*, w.members,
                   CASE WHEN w.wire_group IS NULL THEN s.outlet ELSE 'wire:' || w.wire_group END AS independent
            FROM source_claims s LEFT JOIN wire_groups w ON w.wire_group = s.wire_group
            WHERE NOT (split_part(s.claim_key, '|', 1) = 'event' AND split_part(s.claim_key, '|', 3) = ''
                       AND split_part(s.claim_key, '|', 4) IN ('', 'next'))
              AND NOT (split_part(s.claim_key, '|', 1) IN ('pledge', 'position', 'quantity')
                       AND split_part(s.claim_key, '|', 2) = '')
        ),
        readings AS (
            SELECT claim_key, split_part(claim_key, '|', 1) AS family, claim_value,
                   list(DISTINCT outlet ORDER BY outlet) AS sources,
                   list(DISTINCT lang ORDER BY lang) AS langs,
                   count(DISTINCT outlet) AS n_sources,
                   count(DISTINCT independent) AS n_independent,
                   list(DISTINCT members) FILTER (WHERE members IS NOT NULL) AS syndicated,
                   list(DISTINCT {'source': outlet, 'lang': lang, 'doc_key': doc_key, 'version_no': version_no,
                                  'evidence': evidence_text}) AS evidence,
                   max(valid_from) AS latest
            FROM stated GROUP BY claim_key, claim_value
        ),
        -- Each value of each field, with the sources stating it and whether every statement of it came before
        -- the time it names.
        fields AS (
            SELECT r.claim_key, j.key AS field, json_extract_string(j.value, '$') AS v,
                   list(DISTINCT t.source ORDER BY t.source) AS sources,
                   bool_and(COALESCE(
                       try_cast(left(json_extract_string(r.claim_value, '$.time'), 10) AS DATE) > r.latest, false
                   )) AS before_time
            FROM readings r, json_each(r.claim_value) j, (SELECT UNNEST(r.sources) AS source) t
            WHERE j.key <> 'action'
            GROUP BY ALL
        ),
        conflicts AS (
            SELECT DISTINCT a.claim_key, a.field
            FROM fields a JOIN fields b ON a.claim_key = b.claim_key AND a.field = b.field AND a.v < b.v
                AND NOT list_has_all(b.sources, a.sources) AND NOT list_has_all(a.sources, b.sources)
            LEFT JOIN entities ea ON ea.entity_id = a.v LEFT JOIN entities eb ON eb.entity_id = b.v
            LEFT JOIN entities pa ON pa.entity_id = ea.parent_id LEFT JOIN entities pb ON pb.entity_id = eb.parent_id
            WHERE NOT COALESCE(CASE
                WHEN a.field = 'time' THEN
                    (starts_with(a.v, '../') OR starts_with(b.v, '../'))
                        AND string_split(a.v, '/')[-1] = string_split(b.v, '/')[-1]
                    OR NOT (starts_with(a.v, '../') OR starts_with(b.v, '../')) AND (
                        regexp_full_match(a.v, '\d{4}(-\d{2})?')
                            AND starts_with(string_split(b.v, '/')[1], a.v)
                            AND starts_with(string_split(b.v, '/')[-1], a.v)
                        OR regexp_full_match(b.v, '\d{4}(-\d{2})?')
                            AND starts_with(string_split(a.v, '/')[1], b.v)
                            AND starts_with(string_split(a.v, '/')[-1], b.v)
                        OR regexp_full_match(a.v, '\d{4}-W\d{2}')
                            AND strftime(try_cast(left(string_split(b.v, '/')[1], 10) AS DATE), '%G-W%V') = a.v
                            AND strftime(try_cast(left(string_split(b.v, '/')[-1], 10) AS DATE), '%G-W%V') = a.v
                        OR regexp_full_match(b.v, '\d{4}-W\d{2}')
                            AND strftime(try_cast(left(string_split(a.v, '/')[1], 10) AS DATE), '%G-W%V') = b.v
                            AND strftime(try_cast(left(string_split(a.v, '/')[-1], 10) AS DATE), '%G-W%V') = b.v
                        OR regexp_full_match(a.v, '\d{4}-\d{2}/\d{4}-\d{2}')
                            AND left(b.v, 7) >= split_part(a.v, '/', 1)
                            AND left(string_split(b.v, '/')[-1], 7) <= split_part(a.v, '/', 2)
                        OR regexp_full_match(b.v, '\d{4}-\d{2}/\d{4}-\d{2}')
                            AND left(a.v, 7) >= split_part(b.v, '/', 1)
                            AND left(string_split(a.v, '/')[-1], 7) <= split_part(b.v, '/', 2))
                WHEN a.field = 'place' THEN
                    ea.parent_id = b.v OR eb.parent_id = a.v OR pa.parent_id = b.v OR pb.parent_id = a.v
                WHEN a.field = 'participants' THEN
                    list_has_all(string_split(a.v, ','), string_split(b.v, ','))
                    OR list_has_all(string_split(b.v, ','), string_split(a.v, ','))
                WHEN a.field IN ('anchor', 'condition') THEN starts_with(a.v, '“') OR starts_with(b.v, '“')
                WHEN a.field = 'stance' THEN a.v = 'did' AND b.v = 'will' AND b.before_time
                ELSE false END, false)
        )
        SELECT r.claim_key, r.family, c.fields, r.claim_value AS reading, r.sources, r.langs, r.n_sources,
               r.n_independent, r.syndicated, r.evidence, r.latest
        FROM readings r
        JOIN (SELECT claim_key, list(field ORDER BY field) AS fields FROM conflicts GROUP BY claim_key) c
          USING (claim_key);
        """,
        _rekey_and_fingerprint,
    ),
    Migration(
        7,
        "versions compared with the latest one; credentials stripped from stored URLs and keys",
        # A document may now return to the content of an earlier version, which is then a new version: the
        # unique (doc_id, raw_sha256) goes (DuckDB drops a constraint by rebuilding the table). Such a version
        # is valid from its fetch date (``valid_from``), not from the earlier version's publication date.
        # ``warnings``: what decoding had to repair.
        """
        CREATE TABLE versions_rebuilt (
            version_id VARCHAR PRIMARY KEY,
            doc_id VARCHAR NOT NULL,
            run_id VARCHAR,
            raw_sha256 VARCHAR NOT NULL,
            text_sha256 VARCHAR NOT NULL,
            title VARCHAR,
            published DATE,
            lang VARCHAR,
            lang_score DOUBLE,
            content_type VARCHAR,
            source VARCHAR,
            fetched_at TIMESTAMP NOT NULL,
            text VARCHAR NOT NULL,
            valid_from DATE,
            warnings VARCHAR
        );
        INSERT INTO versions_rebuilt BY NAME SELECT * FROM versions;
        DROP TABLE versions;
        ALTER TABLE versions_rebuilt RENAME TO versions;
        CREATE INDEX versions_doc_id ON versions (doc_id);

        CREATE OR REPLACE VIEW version_history AS
        WITH dated AS (
            SELECT v.version_id, v.doc_id, d.doc_key, d.url, d.site, v.title, v.lang, v.published, v.fetched_at,
                   v.source, COALESCE(v.valid_from, v.published, CAST(v.fetched_at AS DATE)) AS valid_from
            FROM versions v JOIN documents d USING (doc_id)
        )
        SELECT *,
               ROW_NUMBER() OVER w AS version_no,
               LEAD(valid_from) OVER w AS valid_to
        FROM dated
        WINDOW w AS (PARTITION BY doc_id ORDER BY valid_from, fetched_at, version_id);
        """,
        _strip_stored_credentials,
    ),
    Migration(
        8,
        "error fingerprints: a permanent failure of unchanged content is recorded once",
        "ALTER TABLE errors ADD COLUMN IF NOT EXISTS fingerprint VARCHAR;",
    ),
    Migration(
        9,
        "for SQL users: JSON columns, windows as intervals, comments on every table, view and column",
        # DuckDB refuses to change a column's type while indexes depend on its table: drop, alter, recreate.
        # ``claim_history`` is migration 6's view plus ``window_interval``; ``pledges`` and ``tiers`` are
        # migration 2's plus it. A later migration that replaces a view must call ``apply_comments`` again.
        r"""
        DROP INDEX IF EXISTS claims_claim_key;
        DROP INDEX IF EXISTS claims_kind;
        DROP INDEX IF EXISTS claims_subject_id;
        DROP INDEX IF EXISTS claims_version_id;
        ALTER TABLE claims ALTER claim_value SET DATA TYPE JSON;
        ALTER TABLE claims ALTER participants SET DATA TYPE JSON;
        CREATE INDEX claims_claim_key ON claims (claim_key);
        CREATE INDEX claims_kind ON claims (kind);
        CREATE INDEX claims_subject_id ON claims (subject_id);
        CREATE INDEX claims_version_id ON claims (version_id);

        -- DuckDB casts '72 hours' to an INTERVAL but not ISO 8601's 'PT72H', which is how windows are stored.
        CREATE OR REPLACE MACRO iso_interval(d) AS
            CASE WHEN regexp_full_match(d, 'P(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?')
                      AND d NOT IN ('P', 'PT') AND NOT ends_with(d, 'T')
            THEN to_years(COALESCE(TRY_CAST(regexp_extract(split_part(d, 'T', 1), '(\d+)Y', 1) AS INTEGER), 0))
               + to_months(COALESCE(TRY_CAST(regexp_extract(split_part(d, 'T', 1), '(\d+)M', 1) AS INTEGER), 0))
               + to_days(7 * COALESCE(TRY_CAST(regexp_extract(split_part(d, 'T', 1), '(\d+)W', 1) AS INTEGER), 0))
               + to_days(COALESCE(TRY_CAST(regexp_extract(split_part(d, 'T', 1), '(\d+)D', 1) AS INTEGER), 0))
               + to_hours(COALESCE(TRY_CAST(regexp_extract(split_part(d, 'T', 2), '(\d+)H', 1) AS BIGINT), 0))
               + to_minutes(COALESCE(TRY_CAST(regexp_extract(split_part(d, 'T', 2), '(\d+)M', 1) AS BIGINT), 0))
               + to_seconds(COALESCE(TRY_CAST(regexp_extract(split_part(d, 'T', 2), '([\d.]+)S', 1) AS DOUBLE), 0))
            END;

        CREATE OR REPLACE VIEW claim_history AS
        SELECT c.claim_key, c.claim_value, c.kind, c.predicate, c.subject_id, c.subject_text, c.object_id,
               c.object_text, c.polarity, c.modality, c.tier, c.time_iso, c.window_duration, c.window_anchor,
               c.quantity_value, c.quantity_upper, c.quantity_unit, c.location_id, c.condition,
               c.evidence_text, c.evidence_start, c.evidence_end, c.sentence_idx, c.claim_id, c.confidence,
               h.doc_id, h.doc_key, h.site, h.lang, h.title, h.version_id, h.version_no, h.valid_from, h.valid_to,
               c.window_bound, c.quantity_text, c.quantity_scope, c.quantity_previous, c.quantity_per,
               c.participants, c.analysis, c.key_version, h.published,
               COALESCE(h.site, h.doc_key) AS outlet, COALESCE(f.wire_group, h.version_id) AS wire_group,
               iso_interval(c.window_duration) AS window_interval
        FROM claims c JOIN version_history h USING (version_id)
        LEFT JOIN fingerprints f ON f.version_id = c.version_id;

        CREATE OR REPLACE VIEW pledges AS
        SELECT c.subject_id, e.name_en AS subject, c.predicate, c.polarity, c.modality, c.object_id,
               c.window_duration, c.window_interval, c.window_anchor, c.condition, c.quantity_value,
               c.quantity_upper, c.quantity_unit, c.time_iso, c.tier, c.lang, c.site, c.doc_key, c.version_no,
               c.evidence_text
        FROM current_claims c LEFT JOIN entities e ON e.entity_id = c.subject_id
        WHERE c.kind = 'pledge';

        CREATE OR REPLACE VIEW tiers AS
        SELECT c.tier, c.subject_id, e.name_en AS actor, c.predicate, c.window_duration, c.window_interval,
               c.window_anchor, c.condition, c.lang, c.site, c.doc_key, c.version_no, c.evidence_text
        FROM current_claims c LEFT JOIN entities e ON e.entity_id = c.subject_id
        WHERE c.kind = 'tier';
        """,
        lambda con: apply_comments(con),
    ),
)


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


class StoreError(Exception):
    """The store cannot be opened as asked: missing file, pending migrations. The message is one line."""


class EmptyQueryError(StoreError):
    """A query with no statement in it: blank, or only comments."""


@dataclass(frozen=True)
class QueryResult:
    """A query's result as DuckDB gives it to Arrow, with DuckDB's name of each column's type (``JSON``,
    ``INTERVAL``, ``UUID``, …: Arrow alone does not tell a JSON column from text)."""

    columns: list[str]
    types: list[str]
    table: pa.Table

    @property
    def num_rows(self) -> int:
        return self.table.num_rows


@dataclass(frozen=True)
class ClaimFilter:
    """What ``Store.claim_rows`` (``extract claims``) keeps. Dates are publication dates (else fetch dates)."""

    kind: str | None = None
    lang: str | None = None
    doc: str | None = None  # doc_id, doc_key, or the source as ingested
    subject: str | None = None  # an entity id (also inside joint actors and as a parent), or its name
    site: str | None = None
    since: date | None = None
    until: date | None = None
    limit: int | None = None
    all_versions: bool = False  # every version of each document, not only its latest


# ``extract claims``: what a table shows first; every other column of ``claims`` follows in the files. The
# columns of ``VERSION_VIEW_COLUMNS`` come from the claim's version (``version_history h``), the rest from ``c``.
VERSION_VIEW_COLUMNS = {"published": "h.valid_from", "site": "h.site", "version": "h.version_no", "lang": "h.lang"}
CLAIM_VIEW_COLUMNS = (
    "published",
    "site",
    "version",
    "kind",
    "tier",
    "subject_id",
    "predicate",
    "polarity",
    "modality",
    "time_iso",
    "window_duration",
    "window_anchor",
    "object_text",
    "quantity_text",
    "location_id",
    "lang",
    "evidence_text",
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

    def run_changes(self, run_id: str) -> list[tuple[str, str, str, str | None, str | None]]:
        """(doc_key, change, claim_key, old, new) for documents that got a new version in ``run_id``."""
        _, rows = self.query(
            "SELECT c.doc_key, c.change, c.claim_key, c.old_value, c.new_value FROM claim_changes c "
            "JOIN version_history h ON h.doc_key = c.doc_key AND h.version_no = c.version_no "
            "JOIN versions v ON v.version_id = h.version_id WHERE v.run_id = ? ORDER BY c.doc_key, c.claim_key",
            [run_id],
        )
        return [tuple(r) for r in rows]

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
            for sql in IMPORT_SQL:
                self.con.execute(sql)
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

    def schema(self, name: str | None = None) -> QueryResult:
        """The store's tables, views and macros with their comments; with ``name``, that one's columns
        (name, DuckDB type, comment). An unknown name is a ``StoreError``."""
        here = "database_name = current_database() AND schema_name = 'main' AND NOT internal"
        if name is None:
            return self.run(
                f"SELECT table_name AS name, 'table' AS kind, comment FROM duckdb_tables() WHERE {here} "
                f"UNION ALL SELECT view_name, 'view', comment FROM duckdb_views() WHERE {here} AND NOT temporary "
                f"UNION ALL SELECT DISTINCT function_name, replace(function_type, '_', ' '), comment "
                f"FROM duckdb_functions() WHERE {here} AND function_type IN ('macro', 'table_macro') "
                "ORDER BY kind, name"
            )
        result = self.run(
            f"SELECT column_name AS column, data_type AS type, comment FROM duckdb_columns() "
            f"WHERE {here} AND table_name = ? ORDER BY column_index",
            [name],
        )
        if not result.num_rows:
            raise StoreError(f"no table or view named {name!r} (`extract schema` lists them)")
        return result

    def claim_rows(self, where: ClaimFilter | None = None) -> QueryResult:
        """Claims with their document's site, version number and publication date (``CLAIM_VIEW_COLUMNS``
        first, then every other column of ``claims`` and the document's key, title and validity), newest
        publication first. By default only the latest version of each document."""
        where = where or ClaimFilter()
        conditions, params = [], []
        if not where.all_versions:
            conditions.append("h.valid_to IS NULL")
        if where.kind:
            conditions.append("c.kind = ?")
            params.append(where.kind)
        if where.lang:
            conditions.append("h.lang = ?")
            params.append(where.lang)
        if where.doc:
            conditions.append("(h.doc_id = ? OR h.doc_key = ? OR h.source = ?)")
            params += [where.doc] * 3
        if where.subject:
            conditions.append(
                "(list_contains(string_split(c.subject_id, '+'), ?) OR c.subject_id IN (SELECT entity_id "
                "FROM entities WHERE parent_id = ? OR lower(name_en) = lower(?) OR name_ja = ?))"
            )
            params += [where.subject] * 4
        if where.site:
            conditions.append("h.site = ?")
            params.append(where.site)
        if where.since:
            conditions.append("h.valid_from >= ?")
            params.append(where.since)
        if where.until:
            conditions.append("h.valid_from <= ?")
            params.append(where.until)
        from_claims = [c for c in CLAIM_VIEW_COLUMNS if c not in VERSION_VIEW_COLUMNS]
        shown = ", ".join(f"{VERSION_VIEW_COLUMNS.get(c, 'c.' + c)} AS {c}" for c in CLAIM_VIEW_COLUMNS)
        sql = (
            f"SELECT {shown}, h.doc_key, h.doc_id, h.title, h.valid_from, h.valid_to, "
            f"c.* EXCLUDE ({', '.join(from_claims)}), h.source "
            "FROM claims c JOIN version_history h USING (version_id) "
            + (f"WHERE {' AND '.join(conditions)} " if conditions else "")
            + "ORDER BY h.valid_from DESC, h.site, h.doc_key, h.version_no, c.sentence_idx, c.evidence_start, "
            "c.kind, c.claim_id" + (" LIMIT ?" if where.limit is not None else "")
        )
        return self.run(sql, [*params, *([where.limit] if where.limit is not None else [])])

    def claims(self, kind: str | None = None, lang: str | None = None, doc: str | None = None) -> list[dict]:
        """Claims joined with their version (title, lang, published, source) and document key.

        ``doc`` matches a doc_id, a doc_key or the source as given by the user.
        """
        conditions, params = [], []
        if kind:
            conditions.append("c.kind = ?")
            params.append(kind)
        if lang:
            conditions.append("v.lang = ?")
            params.append(lang)
        if doc:
            conditions.append("(d.doc_id = ? OR d.doc_key = ? OR v.source = ?)")
            params.extend([doc, doc, doc])
        where = f"WHERE {' AND '.join(conditions)}" if conditions else ""
        columns, rows = self.query(
            "SELECT c.*, v.title, v.lang, v.published, v.source, d.doc_id, d.doc_key "
            "FROM claims c JOIN versions v USING (version_id) JOIN documents d ON d.doc_id = v.doc_id "
            f"{where} ORDER BY v.source, c.sentence_idx, c.evidence_start, c.kind, c.claim_id",
            params,
        )
        return [dict(zip(columns, row, strict=True)) for row in rows]
