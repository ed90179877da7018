"""Parties of the workspace on a restricted-party list, or owned 50% or more by listed parties (S9).

Every party the workspace names (ingested entities, account holders and payers, lessees,
media carriers, shipment parties; see rescreen/parties.py) is screened against the lists
loaded now; every entity below a listed party is judged under the 50% rule. `detect`
therefore alerts on a list change at its next run; `computewatch rescreen` says what changed.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from computewatch.detectors.model import Alert, DetectorMeta, Evidence
from computewatch.rescreen.affiliates import Affiliate, find_affiliates
from computewatch.rescreen.matches import listed_graph_entities, screen_parties
from computewatch.rescreen.parties import Party, gather_parties
from computewatch.rescreen.state import StoredMatch
from computewatch.workspace import Workspace

METADATA = DetectorMeta(
    id="party-listed",
    title="A party of the workspace is on a restricted-party list, or owned 50% or more by listed parties",
    scenario="S9",
    severity="high",
    references=(
        "15 CFR 744.11 and Supplement No. 4 to Part 744: the Entity List",
        "BIS Affiliates rule, 90 FR 47201 (2025-09-30): entities 50% or more owned by listed parties",
        "15 CFR Part 732, Supplement No. 3: 'Know Your Customer' guidance",
    ),
    thresholds="listed_parties",
    description="Every party named in the workspace is screened against the loaded lists (matches at or above the "
    "screening threshold); entities owned 50% or more, together, by listed parties and their affiliates are reported too.",
)
AFFILIATE_DETECTOR = "party-affiliate"


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
        detector=METADATA.id, scenario=METADATA.scenario, severity="critical" if m.score >= 0.95 else "high", score=m.score,
        subjects=[party.subject, m.entity_id], as_of=as_of.isoformat(),
        summary=f"{party.name}{f' ({party.country})' if party.country else ''} matches listed '{m.caption}' "
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
        detector=AFFILIATE_DETECTOR, scenario=METADATA.scenario, severity="high" if a.binds else "medium",
        score=0.9 if a.binds else 0.6, subjects=[a.entity_id], as_of=as_of.isoformat(),
        summary=f"{a.name}{f' ({a.country})' if a.country else ''} {restricted}: owned {a.restricted_pct:.0f}% by listed parties",
        evidence=[Evidence(path, "graph ownership") for path in a.paths]
        + [Evidence(f"aggregate stake of listed parties and their affiliates {a.restricted_pct:.1f}% "
                    f"(look-through {a.lookthrough_pct:.1f}%); {a.rule}", "graph ownership")],
    )  # fmt: skip


def detect(ctx: Any) -> list[Alert]:
    """The registry's entry point: ctx is a detectors.context.DetectionContext."""
    from computewatch.settings import default_settings

    ws: Workspace = ctx.parties.ws
    has_lists = ws.con.execute("SELECT count(*) FROM list_entities").fetchone()[0]  # type: ignore[index]
    parties = gather_parties(ws) if has_lists else {}
    matches = screen_parties(ws, parties, default_settings().screening)
    history = entry_history(ws, {m.entity_id for m in matches})
    alerts = [match_alert(parties[m.party_key], m, history[m.entity_id], ctx.as_of) for m in matches]
    if ctx.settings.listed_parties.affiliates:
        alerts += [affiliate_alert(a, ctx.as_of) for a in find_affiliates(ws, listed_graph_entities(parties, matches), ctx.as_of)]
    return alerts
