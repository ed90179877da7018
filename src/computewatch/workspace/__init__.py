"""The workspace: one embedded DuckDB file holding every table computewatch works on."""

from computewatch.workspace.lists import DB_FILE, LoadResult, Workspace, resolve_home

__all__ = ["DB_FILE", "LoadResult", "Workspace", "resolve_home"]
