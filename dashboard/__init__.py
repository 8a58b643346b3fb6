"""Kent inclusion dashboard: caveated setting-level indicators over DuckDB."""
