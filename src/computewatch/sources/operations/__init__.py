"""The operational tables of cloud providers and data-centre operators (CONTRACTS.md):
accounts, usage, access, leases and media, from CSV, JSON lines or Parquet.

    load_operations(workspace, kind, files) -> LoadReport   # good rows load, bad rows named
    TABLES                                                  # the table specs (columns, types, keys)
"""

from __future__ import annotations

from computewatch.sources.operations.load import LoadReport, load_operations
from computewatch.sources.operations.tables import TABLES, TableSpec, ensure_tables

__all__ = ["TABLES", "LoadReport", "TableSpec", "ensure_tables", "load_operations"]
