"""Assessment spreadsheets -> validated assessments -> DuckDB. Entry point: ``python -m etl``."""
