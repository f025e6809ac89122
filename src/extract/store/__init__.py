"""Store: the DuckDB database (``db.Store``; schema and views as SQL files in ``resources/sql/``), the rows
records become (``rows``) and the sinks a run writes into (``sinks``: the store, Parquet, memory)."""
