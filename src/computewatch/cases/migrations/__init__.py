"""Alembic migrations of the case store (run by `open_case_db`; no alembic.ini needed)."""
