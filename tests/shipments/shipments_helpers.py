"""Helpers shared by the shipment tests."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from computewatch.shipments.scoring import ScoringRun

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "shipments"
AS_OF = date(2026, 11, 25)


def flag_ids(run: ScoringRun, shipment_id: str) -> set[str]:
    return {h.id for h in run.by_id(shipment_id).flags}
