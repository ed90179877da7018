"""Parties of the workspace on a restricted-party list, or owned 50% or more by listed parties (S9).

Every party the workspace names (ingested entities, account holders and payers, lessees,
media carriers, shipment parties; see rescreen/parties.py) is screened against the lists
loaded now; every entity below a listed party is judged under the 50% rule. `detect`
therefore alerts on a list change at its next run; `computewatch rescreen` says what changed.
"""

from __future__ import annotations

from typing import Any

from computewatch.detectors.model import Alert, DetectorMeta
from computewatch.rescreen.affiliates import find_affiliates
from computewatch.rescreen.alerts import LISTED, affiliate_alert, entry_history, match_alert
from computewatch.rescreen.matches import listed_graph_entities, screen_parties
from computewatch.rescreen.parties import gather_parties
from computewatch.workspace import Workspace

METADATA = DetectorMeta(
    id=LISTED,
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
def detect(ctx: Any) -> list[Alert]:
    """The registry's entry point: ctx is a detectors.context.DetectionContext (its settings, not the defaults)."""
    ws: Workspace = ctx.parties.ws
    has_lists = ws.con.execute("SELECT count(*) FROM list_entities").fetchone()[0]  # type: ignore[index]
    parties = gather_parties(ws) if has_lists else {}
    matches = screen_parties(ws, parties, ctx.screening)
    history = entry_history(ws, {m.entity_id for m in matches})
    alerts = [match_alert(parties[m.party_key], m, history[m.entity_id], ctx.as_of) for m in matches]
    if ctx.settings.listed_parties.affiliates:
        alerts += [affiliate_alert(a, ctx.as_of) for a in find_affiliates(ws, listed_graph_entities(parties, matches), ctx.as_of)]
    return alerts
