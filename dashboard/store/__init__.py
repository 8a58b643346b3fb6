"""Data access: the read-only DuckDB connection, the SQL files by name and the fetcher the
layers above are given instead of a connection. The only place (beside ingest and the cache)
that touches DuckDB."""
