"""The five operational input tables of CONTRACTS.md as data: columns, types, keys.

Column types:
  id, text  -- strings (empty means missing); ``lower`` folds case (email domains)
  country   -- ISO 3166-1 alpha-2, upper-cased
  timestamp -- ISO 8601; an offset (Z, +08:00) is converted to UTC, none means UTC
  int       -- a whole number >= ``minimum``;  number -- a number >= ``minimum``
  fraction  -- a number from 0 to 1;  bool -- true/false/yes/no/1/0
  chip      -- an accelerator catalogue name or alias (stored as the catalogue name)
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    required: bool = False
    minimum: float | None = None
    lower: bool = False

    @property
    def sql_type(self) -> str:
        return {"timestamp": "TIMESTAMP", "int": "BIGINT", "number": "DOUBLE", "fraction": "DOUBLE", "bool": "BOOLEAN"}.get(
            self.type, "VARCHAR"
        )


@dataclass(frozen=True)
class TableSpec:
    kind: str  # the `ingest KIND`
    table: str  # the workspace table
    columns: tuple[Column, ...]
    key: str | None = None  # rows with the same key replace older ones; None: rows are events, appended
    ordered: tuple[str, str] | None = None  # (start, end): end must not be before start
    derived: tuple[tuple[str, str, str], ...] = ()  # (name, SQL type, SQL over the parsed columns)

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


def _c(name: str, type_: str = "text", required: bool = False, minimum: float | None = None, lower: bool = False) -> Column:
    return Column(name, type_, required, minimum, lower)


ACCOUNTS = TableSpec(
    "accounts", "ops_accounts",
    (_c("account_id", "id", True), _c("holder_name", "text", True), _c("holder_entity_id"), _c("country", "country", True),
     _c("created_at", "timestamp", True), _c("billing_country", "country"), _c("payer_name"), _c("payment_fingerprint"),
     _c("email_domain", lower=True), _c("phone"), _c("parent_account_id"), _c("declared_reseller", "bool"),
     _c("declared_monthly_tokens", "number", minimum=0)),
    key="account_id",
)  # fmt: skip
USAGE = TableSpec(
    "usage", "ops_usage",
    (_c("account_id", "id", True), _c("start", "timestamp", True), _c("end", "timestamp", True), _c("accelerator", "chip", True),
     _c("accelerator_count", "int", True, 1), _c("region"), _c("end_user_id"), _c("utilisation", "fraction"),
     _c("bytes_in", "number", minimum=0), _c("bytes_out", "number", minimum=0)),
    ordered=("start", "end"),
    derived=(("gpu_hours", "DOUBLE", 'accelerator_count * (epoch("end") - epoch("start")) / 3600.0'),),
)  # fmt: skip
ACCESS = TableSpec(
    "access", "ops_access",
    (_c("account_id", "id", True), _c("ts", "timestamp", True), _c("ip"), _c("country", "country"), _c("end_user_id"),
     _c("api_key_id"), _c("service"), _c("tokens", "number", minimum=0), _c("device_id")),
)  # fmt: skip
LEASES = TableSpec(
    "leases", "ops_leases",
    (_c("lease_id", "id", True), _c("lessee_name", "text", True), _c("lessee_entity_id"), _c("site_country", "country", True),
     _c("site"), _c("signed_at", "timestamp", True), _c("start", "timestamp", True), _c("end", "timestamp"),
     _c("servers", "int", True, 1), _c("accelerator", "chip", True), _c("accelerators_per_server", "int", True, 1)),
    key="lease_id",
    ordered=("start", "end"),
)  # fmt: skip
MEDIA = TableSpec(
    "media", "ops_media",
    (_c("site_country", "country", True), _c("ts", "timestamp", True), _c("lease_id"), _c("lessee_name"), _c("media"),
     _c("devices", "int", True, 1), _c("bytes", "number", True, 0), _c("carried_by"), _c("carrier_nationality", "country")),
)  # fmt: skip

TABLES: dict[str, TableSpec] = {t.kind: t for t in (ACCOUNTS, USAGE, ACCESS, LEASES, MEDIA)}
META_COLUMNS = (("src_file", "VARCHAR"), ("src_line", "BIGINT"), ("extra", "VARCHAR"))


def create_sql(spec: TableSpec) -> str:
    cols = [f'"{c.name}" {c.sql_type}' for c in spec.columns]
    cols += [f'"{name}" {sql_type}' for name, sql_type, _ in spec.derived]
    cols += [f"{name} {sql_type}" for name, sql_type in META_COLUMNS]
    return f"CREATE TABLE IF NOT EXISTS {spec.table} ({', '.join(cols)})"


LOADS_SQL = """CREATE TABLE IF NOT EXISTS ops_loads (loaded_at TIMESTAMP, kind VARCHAR, file VARCHAR,
    file_sha256 VARCHAR, rows_loaded BIGINT, rows_rejected BIGINT)"""


def ensure_tables(con: object) -> None:
    """Create every operational table (empty) so detectors can run on a workspace with none loaded."""
    from computewatch.sources.probes_table import ensure_probes_table

    for spec in TABLES.values():
        con.execute(create_sql(spec))  # type: ignore[attr-defined]
    ensure_probes_table(con)  # type: ignore[arg-type]
    con.execute(LOADS_SQL)  # type: ignore[attr-defined]
