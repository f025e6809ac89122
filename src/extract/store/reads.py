"""What analysts read from a store: its schema, and claims with their documents (``extract claims``).

Functions of a ``Store`` (``Store.schema``, ``Store.claim_rows`` and ``Store.claims`` call them), written with
its small query API only (``run``, ``query``), so the SQL analysts rely on sits in one module.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from extract.errors import StoreError

if TYPE_CHECKING:
    import pyarrow as pa

    from extract.store.db import Store


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


def schema(store: Store, name: str | None = None) -> QueryResult:
    """The store's tables, views and macros with their comments; with ``name``, that one's columns
    (name, DuckDB type, comment). An unknown name is a ``StoreError``."""
    here = "database_name = current_database() AND schema_name = 'main' AND NOT internal"
    if name is None:
        return store.run(
            f"SELECT table_name AS name, 'table' AS kind, comment FROM duckdb_tables() WHERE {here} "
            f"UNION ALL SELECT view_name, 'view', comment FROM duckdb_views() WHERE {here} AND NOT temporary "
            f"UNION ALL SELECT DISTINCT function_name, replace(function_type, '_', ' '), comment "
            f"FROM duckdb_functions() WHERE {here} AND function_type IN ('macro', 'table_macro') "
            "ORDER BY kind, name"
        )
    result = store.run(
        f"SELECT column_name AS column, data_type AS type, comment FROM duckdb_columns() "
        f"WHERE {here} AND table_name = ? ORDER BY column_index",
        [name],
    )
    if not result.num_rows:
        raise StoreError(f"no table or view named {name!r} (`extract schema` lists them)")
    return result


def claim_rows(store: Store, where: ClaimFilter | None = None) -> QueryResult:
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
    return store.run(sql, [*params, *([where.limit] if where.limit is not None else [])])


def claims(store: Store, kind: str | None = None, lang: str | None = None, doc: str | None = None) -> list[dict]:
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
    columns, rows = store.query(
        "SELECT c.*, v.title, v.lang, v.published, v.source, d.doc_id, d.doc_key "
        "FROM claims c JOIN versions v USING (version_id) JOIN documents d ON d.doc_id = v.doc_id "
        f"{where} ORDER BY v.source, c.sentence_idx, c.evidence_start, c.kind, c.claim_id",
        params,
    )
    return [dict(zip(columns, row, strict=True)) for row in rows]
