"""Verdicts: is each chip where it claims to be?

Flow: probes -> exclusions (screening) -> one disk per valid probe (bounds) ->
vectorised decision for all chips (batch) -> region and countries where needed
(region, countries) -> a Verdict per chip with reasons in plain words.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Literal

import numpy as np

from computewatch.locate.batch import DiskBatch, decide
from computewatch.locate.bounds import Bestline
from computewatch.locate.countries import country_atlas, distances_to_country
from computewatch.locate.disagreement import settle_impossible
from computewatch.locate.geometry import great_circle_km, km_to_angle, unit_vectors
from computewatch.locate.probes import Probe, ProbeTable
from computewatch.locate.region import feasible_region
from computewatch.locate.screening import Exclusion, exclusions
from computewatch.locate.verdict import Disk, Verdict, site_or_first_landmark
from computewatch.settings import LocateSettings

CountryMode = Literal["all", "inconsistent", "none"]


def verify_table(
    table: ProbeTable,
    settings: LocateSettings | None = None,
    *,
    keys: Mapping[str, str] | None = None,
    as_of: datetime | None = None,
    bestlines: Mapping[str, Bestline] | None = None,
    countries: CountryMode = "all",
) -> list[Verdict]:
    """Verdicts for every chip of a probes table, in order of first appearance."""
    return verify_probes(
        table.probes, settings, keys=keys, as_of=as_of, bestlines=bestlines, countries=countries,
        signed_input=table.has_signature_evidence, nonced_input=table.has_nonces,
    )


def verify_probes(
    probes: Sequence[Probe],
    settings: LocateSettings | None = None,
    *,
    keys: Mapping[str, str] | None = None,
    as_of: datetime | None = None,
    bestlines: Mapping[str, Bestline] | None = None,
    countries: CountryMode = "all",
    signed_input: bool | None = None,
    nonced_input: bool | None = None,
) -> list[Verdict]:
    settings = settings or LocateSettings.model_validate({})
    if signed_input is None:
        signed_input = any(p.signature is not None or p.signature_valid is not None for p in probes)
    if nonced_input is None:
        nonced_input = any(p.nonce for p in probes)
    excluded = exclusions(
        probes, settings, signed_input=signed_input, nonced_input=nonced_input, keys=keys, as_of=as_of
    )
    chips: dict[str, list[Probe]] = {}
    for p in probes:
        chips.setdefault(p.chip_id, []).append(p)
    unmeasured = not signed_input and not settings.require_signatures
    return verify_groups(list(chips.values()), excluded, settings, bestlines=bestlines, countries=countries,
                         taken_as_measured=unmeasured)  # fmt: skip


def verify_groups(
    groups: Sequence[Sequence[Probe]],
    excluded: Mapping[int, Exclusion],
    settings: LocateSettings,
    *,
    bestlines: Mapping[str, Bestline] | None = None,
    countries: CountryMode = "all",
    taken_as_measured: bool = False,
) -> list[Verdict]:
    """One verdict per group of probes (a chip, or one round of a chip), each judged on its own.

    Every probe of a group makes the group's claim (the first probe's); `excluded` holds the
    probes screened out, by `Probe.line`; `taken_as_measured` notes that nothing was signed.
    """
    verdicts = []
    for group in groups:
        head = group[0]
        v = Verdict(head.chip_id, head.claimed_country, head.claimed_lat, head.claimed_lon, "unverified")
        v.excluded = [excluded[p.line] for p in group if p.line in excluded]
        v.disks = [_disk(p, settings, bestlines) for p in group if p.line not in excluded]
        if taken_as_measured:
            v.reasons.append("input carries no signature evidence: probes taken as measured")
        verdicts.append(v)
    _decide_all(verdicts, settings, countries)
    return verdicts


def _disk(p: Probe, settings: LocateSettings, bestlines: Mapping[str, Bestline] | None) -> Disk:
    line = bestlines.get(p.landmark_id) if bestlines else None
    if line:
        bound = max(p.rtt_ms - line.intercept_ms, 0.0) / line.slope_ms_per_km
    else:  # physical_bound_km, inlined: this runs once per probe
        bound = max(p.rtt_ms - settings.processing_ms, 0.0) * settings.km_per_ms_rtt
    return Disk(p.line, p.landmark_id, p.landmark_lat, p.landmark_lon, p.rtt_ms, bound)


def _decide_all(verdicts: list[Verdict], settings: LocateSettings, countries: CountryMode) -> None:
    by_count: dict[int, list[Verdict]] = {}
    for v in verdicts:
        _summarise_exclusions(v)
        if len(v.disks) < settings.min_valid_probes:
            v.reasons.append(
                f"not verified: {len(v.disks)} valid probe(s), at least {settings.min_valid_probes} needed"
            )
            continue
        by_count.setdefault(len(v.disks), []).append(v)
    for k, group in by_count.items():
        lat = np.array([[d.lat for d in v.disks] for v in group]).reshape(len(group), k)
        lon = np.array([[d.lon for d in v.disks] for v in group]).reshape(len(group), k)
        radius = km_to_angle(np.array([[d.radius_km for d in v.disks] for v in group]))
        site = np.array([site_or_first_landmark(v) for v in group])
        centres = unit_vectors(lat, lon)
        decision = decide(
            DiskBatch(centres, radius, np.ones((len(group), k), bool), unit_vectors(site[:, 0], site[:, 1])),
            settings.tolerance_km,
        )
        impossible = [i for i in range(len(group)) if decision.region_empty[i]]
        for i in impossible:
            group[i].status = "impossible"
            group[i].reasons += _impossible_reasons(group[i])
        if impossible:
            settle_impossible([group[i] for i in impossible], centres[impossible], radius[impossible], settings,
                              countries != "none")  # fmt: skip
        for i, v in enumerate(group):
            if decision.region_empty[i]:
                continue
            if v.claimed_lat is not None:
                v.status = "consistent" if decision.claim_inside[i] else "inconsistent"
                v.min_distance_km_from_claim = float(decision.min_km[i])
                v.max_distance_km_from_claim = float(decision.max_km[i])
            active = decision.active[i]
            need_region = countries == "all" or v.claimed_lat is None or (
                countries == "inconsistent" and v.status != "consistent"
            )
            if need_region:
                v.region = feasible_region(unit_vectors(lat[i], lon[i])[active], radius[i][active], settings.tolerance_km)
                v.feasible_countries = v.region.countries(country_atlas())
            if v.claimed_lat is None:
                _decide_country_claim(v)
            _explain(v)
    if any(v.claimed_lat is not None and (v.status == "consistent" or v.claim_fits_agreeing) for v in verdicts) and countries != "none":
        _check_site_countries(verdicts)


def _summarise_exclusions(v: Verdict) -> None:
    if not v.excluded:
        return
    kinds: dict[str, int] = {}
    for e in v.excluded:
        kinds[e.kind] = kinds.get(e.kind, 0) + 1
    text = ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in sorted(kinds.items()))
    v.reasons.append(f"{len(v.excluded)} probe(s) excluded: {text} (lines {', '.join(str(e.line) for e in v.excluded[:10])})")


def _impossible_reasons(v: Verdict) -> list[str]:
    reasons = []
    for i, a in enumerate(v.disks):
        for b in v.disks[i + 1 :]:
            apart = float(great_circle_km(a.lat, a.lon, b.lat, b.lon))
            if apart > a.radius_km + b.radius_km:
                reasons.append(
                    f"landmarks {a.landmark_id} and {b.landmark_id} are {apart:,.0f} km apart, but their RTTs "
                    f"({a.rtt_ms:g} ms, {b.rtt_ms:g} ms) put the chip within {a.radius_km:,.0f} km of one "
                    f"and {b.radius_km:,.0f} km of the other"
                )
                break
        if reasons:
            break
    if not reasons:
        reasons.append(f"no point on Earth lies within all {len(v.disks)} distance bounds")
    reasons.append("measurements are physically impossible: RTTs were falsified or answers relayed (tampering)")
    return reasons


def _decide_country_claim(v: Verdict) -> None:
    """Claim of a country only: consistent when the region reaches into that country."""
    assert v.region is not None
    v.status = "consistent" if v.claimed_country in v.feasible_countries else "inconsistent"
    distances = distances_to_country(v.region.points, v.claimed_country)
    if distances is not None:
        v.min_distance_km_from_claim, v.max_distance_km_from_claim = distances


def _explain(v: Verdict) -> None:
    if v.status == "consistent":
        where = "site" if v.claimed_lat is not None else "country"
        v.reasons.append(f"claimed {where} lies within all {len(v.disks)} distance bounds")
        return
    if v.claimed_lat is not None and v.claimed_lon is not None:
        broken = []
        for d in v.disks:
            away = float(great_circle_km(d.lat, d.lon, v.claimed_lat, v.claimed_lon))
            if away > d.radius_km:
                broken.append((away - d.radius_km, d, away))
        for _, d, away in sorted(broken, key=lambda b: b[0], reverse=True)[:3]:
            v.reasons.append(
                f"landmark {d.landmark_id}: RTT {d.rtt_ms:g} ms puts the chip within {d.radius_km:,.0f} km, "
                f"but the claimed site is {away:,.0f} km away"
            )
        if v.min_distance_km_from_claim is not None:
            v.reasons.append(
                f"the chip is {v.min_distance_km_from_claim:,.0f} to {v.max_distance_km_from_claim:,.0f} km from its claimed site"
            )
    else:
        v.reasons.append(f"the feasible region does not reach {v.claimed_country}")
    if v.feasible_countries:
        v.reasons.append(f"the chip must be in: {', '.join(v.feasible_countries)}")


def _check_site_countries(verdicts: list[Verdict]) -> None:
    """A claimed site in another country than the claimed one makes the claim contradict itself."""
    sites = [v for v in verdicts if v.claimed_lat is not None and (v.status == "consistent" or v.claim_fits_agreeing)]
    found = country_atlas().at(np.array([v.claimed_lat for v in sites]), np.array([v.claimed_lon for v in sites]))
    for v, code in zip(sites, found, strict=True):
        if code and code != v.claimed_country:
            if v.status == "consistent":
                v.status = "inconsistent"
            else:
                v.claim_fits_agreeing = False
            v.reasons.append(f"the claimed site lies in {code}, not in the claimed country {v.claimed_country}")
