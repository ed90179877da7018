"""The shrink guard of `lists load`: a new list version may not silently drop a large part of a dataset.

A truncated download or a file cut at a row boundary parses cleanly, so the parser cannot
see it; only the comparison with what the workspace holds can. A load that would remove
more than `lists.max_removed_share` of a dataset's entries (default 10%), or leave it
empty, is refused unless the person says `--allow-shrink`; the refusal says what would be
removed and is kept in the workspace (`list_refusals`) so it can be shown later.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import orjson

from computewatch.errors import ComputewatchError
from computewatch.sources.records import ListRecord
from computewatch.workspace import Workspace

REFUSALS_SQL = """CREATE TABLE IF NOT EXISTS list_refusals (
    refused_at TIMESTAMP NOT NULL, dataset VARCHAR NOT NULL, file VARCHAR NOT NULL, file_sha256 VARCHAR NOT NULL,
    entries_now INTEGER NOT NULL, entries_new INTEGER NOT NULL, removed INTEGER NOT NULL, max_removed_share DOUBLE NOT NULL,
    removed_entries VARCHAR NOT NULL  -- JSON list of [entity_id, caption, source]
)"""
SHOWN_NAMES = 10


@dataclass
class ListShrink:
    """What a new version would remove from a dataset, and whether that is over the limit."""

    dataset: str
    file: Path
    entries_now: int
    entries_new: int
    limit: float
    removed: list[tuple[str, str, str]] = field(default_factory=list)  # (entity id, caption, source list)

    @property
    def share(self) -> float:
        return len(self.removed) / self.entries_now if self.entries_now else 0.0

    @property
    def over_limit(self) -> bool:
        if not self.entries_now:
            return False  # a first load removes nothing
        return self.entries_new == 0 or self.share > self.limit

    def text(self) -> str:
        if self.entries_new == 0:
            head = f"{self.dataset}: {self.file} would leave the dataset empty (it holds {self.entries_now:,} entries)"
        else:
            head = (f"{self.dataset}: {self.file} would remove {len(self.removed):,} of {self.entries_now:,} entries "
                    f"({self.share:.1%}, over the {self.limit:.0%} limit; the new version has {self.entries_new:,})")  # fmt: skip
        by_source = Counter(source or "unknown list" for _, _, source in self.removed)
        lines = [head, "  removed by list: " + ", ".join(f"{s} {n:,}" for s, n in by_source.most_common())]
        shown = ", ".join(f"'{caption}'" for _, caption, _ in self.removed[:SHOWN_NAMES])
        more = f" and {len(self.removed) - SHOWN_NAMES:,} more" if len(self.removed) > SHOWN_NAMES else ""
        lines.append(f"  for example: {shown}{more}")
        return "\n".join(lines)


class ListShrinkRefused(ComputewatchError):
    """One or more list files would remove too much of their dataset; nothing was loaded."""

    def __init__(self, shrinks: list[ListShrink]):
        self.shrinks = shrinks
        text = "\n".join(s.text() for s in shrinks)
        super().__init__(
            f"list load refused, nothing was loaded:\n{text}\n"
            "A truncated or partial file looks like this. If the lists really shrank, load again with --allow-shrink. "
            "The refusal is recorded (computewatch lists refusals)."
        )


def list_shrink(ws: Workspace, dataset: str, records: list[ListRecord], file: Path, limit: float) -> ListShrink:
    """Compare a parsed file with what the workspace holds for its dataset."""
    rows = ws.con.execute("SELECT entity_id, caption, source FROM list_entities WHERE dataset = ? ORDER BY caption", [dataset]).fetchall()
    new_ids = {r.id for r in records}
    removed = [(eid, caption, source) for eid, caption, source in rows if eid not in new_ids]
    return ListShrink(dataset, file, len(rows), len(new_ids), limit, removed)


def record_refusal(ws: Workspace, shrink: ListShrink) -> None:
    """Keep the refusal in the workspace, in its own transaction."""
    sha = hashlib.sha256(shrink.file.read_bytes()).hexdigest()
    with ws.transaction() as con:
        con.execute(REFUSALS_SQL)
        con.execute(
            "INSERT INTO list_refusals VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [datetime.now(UTC).replace(tzinfo=None), shrink.dataset, str(shrink.file), sha, shrink.entries_now,
             shrink.entries_new, len(shrink.removed), shrink.limit, orjson.dumps(shrink.removed).decode()],
        )  # fmt: skip


def list_refusals(ws: Workspace) -> list[dict[str, object]]:
    exists = ws.con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'list_refusals'").fetchone()
    if not exists or not exists[0]:
        return []
    cur = ws.con.execute("SELECT * EXCLUDE (removed_entries) FROM list_refusals ORDER BY refused_at")
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, row, strict=True)) for row in cur.fetchall()]


def audit_details(shrink: ListShrink) -> dict[str, object]:
    """What the audit log keeps of a refused or allowed shrink."""
    return {"dataset": shrink.dataset, "file": str(shrink.file), "entries_now": shrink.entries_now,
            "entries_new": shrink.entries_new, "removed": len(shrink.removed), "limit": shrink.limit,
            "removed_sample": [eid for eid, _, _ in shrink.removed[:SHOWN_NAMES]]}  # fmt: skip
