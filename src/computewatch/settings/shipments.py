"""Thresholds of shipment screening, with defaults (pass a ShipmentThresholds down; nothing reads globals).

The red flags themselves, their weights and sources are data (data/red_flags.yaml);
these are the numbers that decide when a flag fires and when a score becomes an alert, and
`workers`, the processes scoring uses. In the settings: detectors.shipments
(COMPUTEWATCH_DETECTORS__SHIPMENTS__ALERT_SCORE=0.6, or [detectors.shipments] in the TOML file).
"""

from __future__ import annotations

from pydantic import BaseModel, Field


class ShipmentThresholds(BaseModel):
    alert_score: float = Field(0.5, ge=0, le=1, description="a shipment scoring this or more becomes an S7 alert")
    consignee_alert_score: float = Field(0.5, ge=0, le=1, description="a consignee whose roll-up scores this or more becomes an alert")
    large_volume_usd: float = Field(250_000, ge=0, description="a shipment worth this much is a large volume")
    large_volume_accelerators: int = Field(32, ge=1, description="a shipment of this many accelerators (chips, or GPUs in servers) is a large volume")
    commercial_quantity: int = Field(8, ge=1, description="this many accelerators (or items of interest) is a commercial, not a personal, quantity")
    recent_incorporation_days: int = Field(365, ge=0, description="a consignee incorporated at most this many days before the shipment is recent")
    history_min_shipments: int = Field(5, ge=1, description="earlier shipments to the consignee that make a history")
    history_min_days: int = Field(180, ge=0, description="days from its first shipment that make the history long")
    history_mitigation: float = Field(0.5, ge=0, le=1, description="mitigable flags are multiplied by this for a consignee with a long, consistent history")
    volume_spike_factor: float = Field(5.0, gt=1, description="a shipment worth more than this times the median of the consignee's earlier ones is a spike")
    price_above_factor: float = Field(2.0, gt=1, description="unit value above the market band's top x this is far above market")
    price_below_factor: float = Field(0.5, gt=0, lt=1, description="unit value below the market band's bottom x this is far below market")
    mismatch_factor: float = Field(1.5, ge=1, description="unit value above the claimed class's top x this no longer fits the description")
    uncontrolled_factor: float = Field(0.5, ge=0, le=1, description="score multiplier when no 3A090/4A090 item was recognised (and no mismatch)")
    screening_threshold: float | None = Field(None, ge=0, le=1, description="list-match score for listed_party (default: the screening threshold)")
    max_shared_listed: int = Field(5, ge=1, description="other parties listed in the evidence of a shared address, phone or director")
    max_shared_contact_group: int = Field(20, ge=2, description="an address or phone given by more consignees than this by the shipment's day (a business park, a forwarder's hub) links none of them")
    concern_groups: list[str] = Field(default_factory=lambda: ["D:5"], description="country groups of concern (policy data, as of the shipment date)")
    concern_countries: list[str] = Field(default_factory=lambda: ["MO"], description="further countries of concern")
    # not a threshold: how the run is spread over the machine (the scores are the same whatever it is)
    workers: int = Field(0, ge=0, description="processes that score (0: one per CPU); fewer than 50,000 shipments are scored in one")
