"""One engine API over DuckDB and Spark (the Splink DatabaseAPI idea).

Detectors hand the engine SQL written once, in the portable dialect (DuckDB's,
restricted to what SQLGlot translates faithfully); each engine translates it and
returns plain Python rows. What differs between engines is kept as named
properties (EngineTraits) that tests check against each real engine, so a
difference fails loudly instead of changing an alert.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from computewatch.engine.sql import translate

OPERATIONAL_TABLES = ("ops_accounts", "ops_usage", "ops_access", "ops_leases", "ops_media", "ops_probes")
Row = dict[str, Any]


@dataclass(frozen=True)
class EngineTraits:
    """Native behaviours that differ between engines. Portable SQL is translated so that it gets
    DuckDB's behaviour everywhere (sqlglot adds COALESCE to concat, NULLS LAST to ORDER BY);
    tests/engine checks both the native trait and that the translation hides it."""

    concat_null_propagates: bool  # concat('a', NULL): NULL (Spark) or 'a' (DuckDB)
    nulls_first_ascending: bool  # ORDER BY x ASC puts NULLs first (Spark) or last (DuckDB)
    integer_division_is_float: bool  # 7 / 2 = 3.5 on both; kept to catch a change
    timestamps_naive_utc: bool  # timestamps come back without tzinfo, in UTC


_PLAIN = (str, int, float, bool, type(None))


def normalise_value(value: Any) -> Any:
    """One Python type per SQL type, whatever the engine returned."""
    if type(value) in _PLAIN:
        return value
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime):
        return value.replace(tzinfo=None) if value.tzinfo is None else value.astimezone(UTC).replace(tzinfo=None)
    if isinstance(value, date):
        return value
    if isinstance(value, list | tuple):
        return [normalise_value(v) for v in value]
    return value


class Engine(ABC):
    """Runs portable SQL over the operational tables and temporary tables made from steps."""

    name: str = ""
    dialect: str = ""
    traits: EngineTraits

    def sql(self, portable: str) -> str:
        """The portable SQL in this engine's dialect."""
        return translate(portable, self.dialect)

    def query(self, portable: str) -> list[Row]:
        """Rows as dicts, values normalised (floats, naive UTC datetimes, dates)."""
        return [{k: normalise_value(v) for k, v in row.items()} for row in self._query(self.sql(portable))]

    def materialise(self, name: str, portable: str) -> None:
        """Keep the result of a step as a temporary table other steps can read."""
        self._materialise(name, self.sql(portable))

    @abstractmethod
    def _query(self, sql: str) -> list[Row]: ...

    @abstractmethod
    def _materialise(self, name: str, sql: str) -> None: ...

    @abstractmethod
    def register_rows(self, name: str, columns: Sequence[tuple[str, str]], rows: Sequence[Sequence[Any]]) -> None:
        """A small table computed in Python (columns as (name, SQL type)) for SQL to join."""

    @abstractmethod
    def close(self) -> None: ...

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
