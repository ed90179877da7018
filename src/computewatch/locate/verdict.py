"""A chip's verdict: the disks it was judged on, what was excluded, where it can be, and why.

`to_record` is the CONTRACTS.md locate record plus extras.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from computewatch.locate.region import Region
from computewatch.locate.screening import Exclusion


@dataclass(frozen=True)
class Disk:
    line: int
    landmark_id: str
    lat: float
    lon: float
    rtt_ms: float
    radius_km: float


@dataclass
class Verdict:
    chip_id: str
    claimed_country: str
    claimed_lat: float | None
    claimed_lon: float | None
    status: str  # consistent, inconsistent, impossible, unverified
    feasible_countries: list[str] = field(default_factory=list)
    max_distance_km_from_claim: float | None = None
    min_distance_km_from_claim: float | None = None
    reasons: list[str] = field(default_factory=list)
    disks: list[Disk] = field(default_factory=list)
    excluded: list[Exclusion] = field(default_factory=list)
    region: Region | None = None
    # when the disks have no common point (status impossible): the largest group of them that agree
    agreeing: int | None = None  # how many disks that group holds
    suspects: list[Disk] = field(default_factory=list)  # disks outside it: their landmarks are suspect
    rival_groups: list[list[str]] = field(default_factory=list)  # other groups as large, that disagree (landmark ids)
    claim_fits_agreeing: bool | None = None  # the claim lies in the region of that group (None: undecided)

    @property
    def consistent(self) -> bool:
        return self.status == "consistent"

    def to_record(self) -> dict[str, Any]:
        """The CONTRACTS.md locate record, plus extras."""

        def km(x: float | None) -> float | None:
            return None if x is None or not np.isfinite(x) else round(float(x), 1)

        return {
            "chip_id": self.chip_id,
            "claimed_country": self.claimed_country,
            "consistent": self.consistent,
            "feasible_countries": self.feasible_countries,
            "max_distance_km_from_claim": km(self.max_distance_km_from_claim),
            "reasons": self.reasons,
            "status": self.status,
            "claimed_lat": self.claimed_lat,
            "claimed_lon": self.claimed_lon,
            "min_distance_km_from_claim": km(self.min_distance_km_from_claim),
            "valid_probes": len(self.disks),
            "total_probes": len(self.disks) + len(self.excluded),
            "excluded_probes": [
                {"line": e.line, "landmark_id": e.landmark_id, "kind": e.kind, "reason": e.reason}
                for e in self.excluded
            ],
            "agreeing_probes": self.agreeing,
            "suspect_landmarks": [d.landmark_id for d in self.suspects],
            "rival_groups": self.rival_groups,
            "claim_fits_agreeing": self.claim_fits_agreeing,
        }


def site_or_first_landmark(v: Verdict) -> tuple[float, float]:
    """The claimed site, or (claims of a country only) a landmark: the point distances are measured from."""
    if v.claimed_lat is not None and v.claimed_lon is not None:
        return v.claimed_lat, v.claimed_lon
    return v.disks[0].lat, v.disks[0].lon
