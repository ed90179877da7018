"""Keep the parties of scanned notices in the workspace, so that re-screening covers them:
a supplier listed after its notice was scanned is caught at the next `rescreen` or `detect`.

One row per (notice file, role, name); scanning a file again replaces its rows.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import Any

from computewatch.sources.inputfiles import default_limits
from computewatch.workspace import Workspace

log = logging.getLogger(__name__)

TABLE_SQL = """CREATE TABLE IF NOT EXISTS tender_parties (file VARCHAR, role VARCHAR, name VARCHAR,
    title VARCHAR, notice_date DATE, flagged BOOLEAN, scanned_at TIMESTAMP)"""


def _day(text: Any) -> date | None:
    try:
        return date.fromisoformat(str(text)[:10]) if text else None
    except ValueError:
        return None


def record_notice_parties(ws: Workspace, records: Iterable[dict[str, Any]]) -> int:
    """Store the buyer, agency and suppliers of each scanned notice; returns the rows written."""
    now = datetime.now(UTC).replace(tzinfo=None)
    limit = default_limits().max_field_chars
    rows, files = [], []
    for rec in records:
        file = str(rec.get("file") or "")
        if not file:
            continue
        files.append(file)
        named = [("buyer", rec.get("buyer")), ("agency", rec.get("agency"))]
        named += [("supplier", s) for s in rec.get("suppliers") or []]
        seen = set()
        for role, name in named:
            name = " ".join(str(name or "").split())
            if len(name) > limit:  # no party's name: a damaged or hostile notice
                log.warning("%s: a %s of %s characters is not kept (over inputs.max_field_chars)", file, role, f"{len(name):,}")
                continue
            if name and (role, name) not in seen:
                seen.add((role, name))
                rows.append((file, role, name, rec.get("title"), _day(rec.get("date")), bool(rec.get("flagged")), now))
    if not files:
        return 0  # nothing read: the workspace is left as it is
    with ws.transaction() as con:
        con.execute(TABLE_SQL)
        if files:
            con.execute("DELETE FROM tender_parties WHERE file IN (SELECT unnest(?))", [files])
        if rows:
            con.executemany("INSERT INTO tender_parties VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
    return len(rows)
