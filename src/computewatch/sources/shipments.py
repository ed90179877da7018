"""The `shipments` input table (CONTRACTS.md): CSV with header or JSON lines, checked row by row.

Every bad field is reported by file, line and field while the good rows load, all
in one transaction (a load is atomic). Rows are keyed by `shipment_id`: loading a
shipment again replaces the earlier row. Parsing reuses the typed, vectorised
readers of the operational tables (sources/operations), so a million rows load in
seconds.

Beyond the CONTRACTS.md columns the table keeps optional columns that sharpen the
red flags: `hs_code`, `consignee_address`, `consignee_phone`, `consignee_entity_id`,
`end_user_country`, `end_use`, `payer`, `licence_number`. Any other column is kept
in `extra` (JSON).
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from computewatch.errors import InputError, InputProblem, refuse_damaged
from computewatch.sources.inputfiles import check_input_file
from computewatch.sources.operations.staging import STAGE
from computewatch.sources.operations.tables import Column, TableSpec, create_sql
from computewatch.sources.operations.validate import PARSED, stage_and_check
from computewatch.workspace import Workspace

TABLE = "shipments"


def _c(name: str, type_: str = "text", required: bool = False, minimum: float | None = None) -> Column:
    return Column(name, type_, required, minimum)


SHIPMENTS = TableSpec(
    "shipments", TABLE,
    (_c("shipment_id", "id", True), _c("date", "timestamp", True), _c("shipper", "text", True),
     _c("consignee", "text", True), _c("consignee_country", "country", True), _c("destination_country", "country", True),
     _c("description", "text", True), _c("quantity", "int", minimum=1), _c("value_usd", "number", minimum=0),
     _c("end_user"), _c("notify_party"), _c("payer_country", "country"), _c("freight_forwarder"),
     _c("hs_code"), _c("consignee_address"), _c("consignee_phone"), _c("consignee_entity_id"),
     _c("end_user_country", "country"), _c("end_use"), _c("payer"), _c("licence_number")),
    key="shipment_id",
)  # fmt: skip
REQUIRED = tuple(c.name for c in SHIPMENTS.columns if c.required)
OPTIONAL = tuple(c.name for c in SHIPMENTS.columns if not c.required)


@dataclass
class ShipmentLoad:
    loaded: int = 0
    rejected: int = 0
    problems: list[InputProblem] = field(default_factory=list)


def ensure_shipments_table(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(create_sql(SHIPMENTS))


def _load_file(con: duckdb.DuckDBPyConnection, path: Path, tmp: Path, report: ShipmentLoad) -> None:
    if not stage_and_check(con, SHIPMENTS, path, tmp, report, "shipment_problems"):
        return
    good = f"FROM {PARSED} WHERE __line NOT IN (SELECT line FROM shipment_problems)"
    con.execute(f"DELETE FROM {TABLE} WHERE shipment_id IN (SELECT shipment_id {good})")
    cols = ", ".join(f'"{c.name}"' for c in SHIPMENTS.columns)
    before = con.execute(f"SELECT count(*) FROM {TABLE}").fetchone()[0]  # type: ignore[index]
    con.execute(f"INSERT INTO {TABLE} SELECT {cols}, src_file, __line, __extra {good} ORDER BY __line")
    report.loaded += int(con.execute(f"SELECT count(*) FROM {TABLE}").fetchone()[0]) - int(before)  # type: ignore[index]
    for temp in (PARSED, "shipment_problems"):
        con.execute(f"DROP TABLE IF EXISTS {temp}")
    con.execute(f"DROP VIEW IF EXISTS {STAGE}")


def load_shipments(ws: Workspace, files: Sequence[Path]) -> ShipmentLoad:
    """Load every good row of every file in one transaction; name every bad row by file, line and field."""
    for f in files:
        check_input_file(f)
    report = ShipmentLoad()
    with tempfile.TemporaryDirectory(prefix="cw-shipments-") as tmp, ws.transaction() as con:
        ensure_shipments_table(con)
        for path in map(Path, files):
            _load_file(con, path, Path(tmp), report)
        refuse_damaged(report.problems)  # damage anywhere: nothing is stored
        if report.problems and not report.loaded:
            raise InputError.many(sorted(report.problems, key=lambda p: (p.file, p.line or 0, p.field or "")))
    report.problems.sort(key=lambda p: (p.file, p.line or 0, p.field or ""))
    return report
