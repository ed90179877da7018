"""Thresholds of the graph analyses, with defaults (Settings.graph; COMPUTEWATCH_GRAPH__MAX_DEPTH=10, or [graph] in the TOML file)."""

from __future__ import annotations

from pydantic import BaseModel, Field


class GraphSettings(BaseModel):
    affiliates_rule: str = Field("affiliates-2025", description="rule record of the 50% (Affiliates) rule")
    headquarters_rule: str = Field("ac-2023-licence-hq", description="rule record whose end_user.headquarters scope is the D:5/Macau test")
    restricted_threshold_pct: float = Field(50.0, gt=0, le=100, description="aggregate restricted ownership that makes an affiliate")
    control_threshold_pct: float = Field(50.0, ge=0, le=100, description="a stake above this controls the asset")
    max_depth: int = Field(25, ge=1, description="longest ownership chain followed")
    min_path_pct: float = Field(0.01, ge=0, description="paths whose effective share falls below this are not followed")
    max_paths: int = Field(5000, ge=1, description="paths enumerated per query before the answer is marked truncated")
    max_nodes: int = Field(50_000, ge=1, description="owners collected per query before the answer is marked truncated")
    recent_incorporation_days: int = Field(365, ge=0, description="incorporated this recently (before the as-of date): shell indicator")
    crowded_address: int = Field(10, ge=2, description="this many companies at one address: mass-registration indicator, and too weak for successors")
    busy_director: int = Field(10, ge=2, description="a director of this many companies: nominee-director indicator")
    successor_threshold: float = Field(0.4, gt=0, le=1, description="evidence score (with a takeover) that makes a successor")
    link_weights: dict[str, float] = Field(
        default_factory=lambda: {
            "succession": 1.0, "director": 0.4, "owner": 0.35, "email": 0.35, "phone": 0.3, "domain": 0.25,
            "name": 0.3, "address": 0.2, "crowded_address": 0.02,
        },
        description="evidence weight of each kind of shared link between an old and a new entity",
    )
