"""The alerts about listed parties and their affiliates: one builder each, used by the
listed_parties detector and, with what changed added, by re-screening."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from pathlib import PurePath

from computewatch.alerts.model import Alert, Evidence, ListMatch
from computewatch.rescreen.affiliates import Affiliate
from computewatch.rescreen.parties import Party
from computewatch.rescreen.state import StoredMatch
from computewatch.workspace import Workspace

LISTED = "party-listed"
AFFILIATE = "party-affiliate"


def with_country(code: str) -> str:
    """' (SG)' after a name, or nothing."""
    return f" ({code})" if code else ""


@dataclass(frozen=True)
class EntryInfo:
    """A list entry as its alerts show it."""

    history: str  # 'listed since 2024-12-02; in us_trade_csl since version 1 (loaded 2026-11-25 from FILE)'
    source: str  # 'us_trade_csl: bis-lists.csl.csv (version 1)': the dataset and file it comes from
    content_hash: str  # of the entry as loaded: a false-positive decision is made against it


UNKNOWN_ENTRY = EntryInfo("in the loaded lists", "lists", "")


def file_name(path: str) -> str:
    """A file by its name: evidence never shows the server's folders."""
    return PurePath(str(path).replace("\\", "/")).name or str(path)


def entry_history(ws: Workspace, entity_ids: set[str]) -> dict[str, EntryInfo]:
    """List entry id -> when it was listed and added, where it comes from, and its content hash."""
    if not entity_ids:
        return {}
    ids = sorted(entity_ids)
    current: dict[str, list[tuple[str, str, int, str, str | None]]] = {}
    for eid, ds, digest, version, file, start in ws.con.execute(
        """SELECT e.entity_id, e.dataset, e.content_hash, e.version_id, v.file, json_extract_string(e.source_fields, '$.start_date')
           FROM list_entities e LEFT JOIN list_versions v USING (version_id) WHERE e.entity_id IN (SELECT unnest(?))
           ORDER BY e.dataset""",
        [ids],
    ).fetchall():  # fmt: skip
        current.setdefault(eid, []).append((ds, digest, int(version), file_name(file or ""), start))
    added = {eid: (v, ds, at, f) for eid, v, ds, at, f in ws.con.execute(
        """SELECT c.entity_id, c.version_id, c.dataset, v.loaded_at, v.file FROM list_changes c
           JOIN list_versions v USING (version_id) WHERE c.change = 'added' AND c.entity_id IN (SELECT unnest(?))
           ORDER BY c.version_id""",
        [ids],
    ).fetchall()}  # fmt: skip
    out = {}
    for eid in ids:
        rows = current.get(eid, [])
        since = next((start for *_, start in rows if start), None)
        parts = [f"listed since {since[:10]}"] if since else []
        if eid in added:
            v, ds, at, f = added[eid]
            parts.append(f"in {ds} since version {v} (loaded {at:%Y-%m-%d} from {file_name(f)})")
        source = "; ".join(f"{ds}: {f} (version {v})" if f else ds for ds, _, v, f, _ in rows) or "lists"
        digest = rows[0][1] if len(rows) == 1 else hashlib.sha256(" ".join(sorted(f"{r[0]}:{r[1]}" for r in rows)).encode()).hexdigest()
        out[eid] = EntryInfo("; ".join(parts) or "in the loaded lists", source, digest if rows else "")
    return out


def list_match(party: Party, m: StoredMatch, entry: EntryInfo) -> ListMatch:
    """What a decision on this match is made against: the party as screened and the entry as loaded."""
    return ListMatch(party.subject, m.entity_id, party.key, entry.content_hash, party.name, m.caption, m.dataset)


def match_alert(party: Party, m: StoredMatch, entry: EntryInfo, as_of: date) -> Alert:
    return Alert(
        detector=LISTED, scenario="S9", severity="critical" if m.score >= 0.95 else "high", score=m.score,
        subjects=[party.subject, m.entity_id], as_of=as_of.isoformat(),
        summary=f"{party.name}{with_country(party.country)} matches listed '{m.caption}' "
                f"({m.dataset}), score {m.score:.2f}",
        evidence=[
            Evidence(f"screening match {m.score:.2f} of '{party.name}' with '{m.caption}' (list entry {m.entity_id})"
                     + (f": {m.explanation}" if m.explanation else ""), entry.source),
            Evidence(f"the entry: {entry.history}", entry.source),
            Evidence(f"appears as {party.where()} ({party.count} records)", "workspace"),
        ],
        list_matches=[list_match(party, m, entry)],
    )  # fmt: skip


def affiliate_alert(a: Affiliate, as_of: date) -> Alert:
    restricted = "restricted as an affiliate of listed parties" if a.binds else "would be restricted as an affiliate (rule not in force: risk)"
    return Alert(
        detector=AFFILIATE, scenario="S9", severity="high" if a.binds else "medium",
        score=0.9 if a.binds else 0.6, subjects=[a.entity_id], as_of=as_of.isoformat(),
        summary=f"{a.name}{with_country(a.country)} {restricted}: owned {a.restricted_pct:.0f}% by listed parties",
        evidence=[Evidence(path, "graph ownership") for path in a.paths]
        + [Evidence(f"aggregate stake of listed parties and their affiliates {a.restricted_pct:.1f}% "
                    f"(look-through {a.lookthrough_pct:.1f}%); {a.rule}", "graph ownership")],
    )  # fmt: skip
