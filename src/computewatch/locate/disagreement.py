"""Impossible verdicts settled by the largest group of landmarks that agree (consensus.py).

The verdict stays `impossible` (some landmark reported an RTT physics does not allow),
but it now says where the chip must be according to that group, whether the claim fits
there, and which landmarks disagree (suspect), each with its bound and how far the
agreeing landmarks put the chip from it.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from computewatch.locate.batch import DiskBatch, decide
from computewatch.locate.consensus import largest_agreeing_groups
from computewatch.locate.countries import country_atlas, distances_to_country
from computewatch.locate.geometry import EARTH_RADIUS_KM, unit_vectors
from computewatch.locate.region import feasible_region
from computewatch.locate.verdict import Verdict, site_or_first_landmark
from computewatch.settings import LocateSettings

Array = NDArray[np.float64]
MAX_REGIONS = 3  # regions drawn for tied groups


def _names(v: Verdict, mask: NDArray[np.bool_]) -> list[str]:
    return [d.landmark_id for d, m in zip(v.disks, mask, strict=True) if m]


def settle_impossible(
    verdicts: list[Verdict], centres: Array, radius: Array, settings: LocateSettings, with_countries: bool
) -> None:
    """verdicts with the same number K of disks, centres (N, K, 3), radius (N, K) radians."""
    n, k = radius.shape
    agreement = largest_agreeing_groups(centres, radius, np.ones((n, k), bool), settings.tolerance_km, EARTH_RADIUS_KM)
    members = np.array([agreement.members(i) for i in range(n)]).reshape(n, k)
    site = np.array([site_or_first_landmark(v) for v in verdicts])
    decision = decide(DiskBatch(centres, radius, members, unit_vectors(site[:, 0], site[:, 1])), settings.tolerance_km)
    far = _suspect_distances(verdicts, centres, radius, members, settings)
    for i, v in enumerate(verdicts):
        v.agreeing = agreement.size(i)
        outside = ~np.any(np.array(agreement.groups[i]), axis=0)
        v.suspects = [d for d, out in zip(v.disks, outside, strict=True) if out]
        v.rival_groups = [_names(v, g) for g in agreement.groups[i][1:]]
        if v.agreeing < settings.min_valid_probes:
            v.reasons.append(f"no {settings.min_valid_probes} landmarks agree with each other (at most {v.agreeing} of {k}): "
                             "where the chip is cannot be said")  # fmt: skip
            continue
        tied = agreement.tied(i)
        if v.claimed_lat is not None and not tied:
            v.claim_fits_agreeing = bool(decision.claim_inside[i])
            v.min_distance_km_from_claim = float(decision.min_km[i])
            v.max_distance_km_from_claim = float(decision.max_km[i])
        if with_countries or v.claimed_lat is None:
            found: set[str] = set()
            for g, mask in enumerate(agreement.groups[i][:MAX_REGIONS]):
                use = decision.active[i] if g == 0 else mask
                region = feasible_region(centres[i][use], radius[i][use], settings.tolerance_km)
                found |= set(region.countries(country_atlas()))
                if g == 0:
                    v.region = region
            v.feasible_countries = sorted(found)
            if v.claimed_lat is None and not tied and v.region is not None:
                v.claim_fits_agreeing = v.claimed_country in v.region.countries(country_atlas())
                distances = distances_to_country(v.region.points, v.claimed_country)
                if distances is not None:
                    v.min_distance_km_from_claim, v.max_distance_km_from_claim = distances
        v.reasons += _reasons(v, k, far.get(i, {}), _names(v, agreement.members(i)))


def _suspect_distances(
    verdicts: list[Verdict], centres: Array, radius: Array, members: NDArray[np.bool_], settings: LocateSettings
) -> dict[int, dict[int, float]]:
    """For each verdict and each disk outside its agreeing group: km from that landmark to the group's region."""
    pairs = [(i, j) for i in range(len(verdicts)) for j in range(radius.shape[1]) if not members[i, j]]
    if not pairs:
        return {}
    rows = np.array([i for i, _ in pairs])
    cols = np.array([j for _, j in pairs])
    batch = DiskBatch(centres[rows], radius[rows], members[rows], centres[rows, cols])
    nearest = decide(batch, settings.tolerance_km).min_km
    out: dict[int, dict[int, float]] = {}
    for (i, j), km in zip(pairs, nearest.tolist(), strict=True):
        out.setdefault(i, {})[j] = km
    return out


def _reasons(v: Verdict, k: int, far: dict[int, float], agreeing: list[str]) -> list[str]:
    reasons = []
    if v.rival_groups:
        groups = "; ".join(", ".join(g) for g in v.rival_groups)
        reasons.append(f"landmarks split into groups of {v.agreeing} of {k} that disagree with each other: "
                       f"{', '.join(agreeing)}; {groups}: where the chip is cannot be settled")  # fmt: skip
    else:
        reasons.append(f"the largest group of landmarks whose bounds agree holds {v.agreeing} of {k}: {', '.join(agreeing)}")
    for j, d in enumerate(v.disks):
        if d in v.suspects:
            away = far.get(j)
            where = f", but the agreeing landmarks put the chip at least {away:,.0f} km from it" if away is not None and np.isfinite(away) else ""
            reasons.append(f"suspect landmark {d.landmark_id}: RTT {d.rtt_ms:g} ms puts the chip within {d.radius_km:,.0f} km{where}")
    if v.claim_fits_agreeing is True:
        reasons.append("the claim lies within the bounds of every agreeing landmark")
    elif v.claim_fits_agreeing is False and v.min_distance_km_from_claim is not None:
        what = "site" if v.claimed_lat is not None else "country"
        reasons.append(f"by the agreeing landmarks the chip is {v.min_distance_km_from_claim:,.0f} to "
                       f"{v.max_distance_km_from_claim:,.0f} km from its claimed {what}")  # fmt: skip
    if v.feasible_countries:
        reasons.append(f"the chip must be in: {', '.join(v.feasible_countries)}")
    return reasons

