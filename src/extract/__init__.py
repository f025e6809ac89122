"""extract: multilingual claim extraction from news and documents.

For analysts, in Python or a notebook::

    import extract
    db = extract.open("store.duckdb")        # read-only, with every view (pledges, claim_history, …)
    db.sql("FROM pledges").df()              # pandas; .pl() polars, .arrow() pyarrow, .fetchall() tuples
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

    import duckdb

from extract.version import EXTRACTOR_VERSION, __version__

__all__ = ["EXTRACTOR_VERSION", "__version__", "open"]


def open(path: str | Path | None = None) -> duckdb.DuckDBPyConnection:  # noqa: A001 - extract.open, as sqlite3.connect
    """A read-only DuckDB connection to the store at ``path`` (default: $EXTRACT_DB or ./extract.duckdb).

    The same connection ``extract sql`` uses (``Store.open_readonly``): the tables and views of the store,
    no writes, no file or network access, so a notebook cannot change or leak what it reads. A missing file or
    a store that needs ``extract migrate`` raises ``extract.errors.StoreError``. Close it with ``db.close()``
    or use it as a context manager (``with extract.open(path) as db:``).
    """
    import os

    from extract.store.db import DEFAULT_DB, connect_readonly  # here: ``import extract`` stays as light as can be

    return connect_readonly(path or os.environ.get("EXTRACT_DB") or DEFAULT_DB)
