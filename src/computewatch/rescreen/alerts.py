"""The alerts about listed parties and their affiliates: one builder each, used by the
listed_parties detector and, with what changed added, by re-screening."""

from __future__ import annotations

from datetime import date

from computewatch.alerts.model import Alert, Evidence
from computewatch.rescreen.affiliates import Affiliate
from computewatch.rescreen.parties import Party
from computewatch.rescreen.state import StoredMatch
from computewatch.workspace import Workspace

LISTED = "party-listed"
AFFILIATE = "party-affiliate"


def with_country(code: str) -> str:
    """' (SG)' after a name, or nothing."""
    return f" ({code})" if code else ""


def entry_history(ws: Workspace, entity_ids: set[str]) -> dict[str, str]:
    """List entry id -> 'listed since 2024-12-02; in us_trade_csl since version 1 (loaded 2026-11-25 from FILE)'."""
    if not entity_ids:
        return {}
    ids = sorted(entity_ids)
    since = dict(ws.con.execute(
        "SELECT entity_id, json_extract_string(source_fields, '$.start_date') FROM list_entities WHERE entity_id IN (SELECT unnest(?))",
        [ids],
    ).fetchall())  # fmt: skip
    added = {eid: (v, ds, at, f) for eid, v, ds, at, f in ws.con.execute(
        """SELECT c.entity_id, c.version_id, c.dataset, v.loaded_at, v.file FROM list_changes c
           JOIN list_versions v USING (version_id) WHERE c.change = 'added' AND c.entity_id IN (SELECT unnest(?))
           ORDER BY c.version_id""",
        [ids],
    ).fetchall()}  # fmt: skip
    out = {}
    for eid in ids:
        parts = [f"listed since {since[eid][:10]}"] if since.get(eid) else []
        if eid in added:
            v, ds, at, f = added[eid]
            parts.append(f"in {ds} since version {v} (loaded {at:%Y-%m-%d} from {f})")
        out[eid] = "; ".join(parts) or "in the loaded lists"
    return out


def match_alert(party: Party, m: StoredMatch, history: str, as_of: date) -> Alert:
    return Alert(
        detector=LISTED, scenario="S9", severity="critical" if m.score >= 0.95 else "high", score=m.score,
        subjects=[party.subject, m.entity_id], as_of=as_of.isoformat(),
        summary=f"{party.name}{with_country(party.country)} matches listed '{m.caption}' "
                f"({m.dataset}), score {m.score:.2f}",
        evidence=[
            Evidence(f"screening match {m.score:.2f} of '{party.name}' with '{m.caption}' (list entry {m.entity_id})"
                     + (f": {m.explanation}" if m.explanation else ""), m.dataset),
            Evidence(f"the entry: {history}", m.dataset),
            Evidence(f"appears as {party.where()} ({party.count} records)", "workspace"),
        ],
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
