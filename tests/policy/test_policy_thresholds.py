"""3A090 bands at every threshold edge (88 FR 73458 as carried into 89 FR 96790)."""

from __future__ import annotations

from datetime import date

import pytest

from computewatch.policy import Specs, classify_accelerator

ON = date(2025, 6, 1)


def part(tpp: float, area: float | None = None, datacenter: bool = True, **kw: float) -> Specs:
    """An uncatalogued part, as `classify --tpp N --die-area MM2` builds it."""
    return Specs(name="custom", tpp=tpp, die_area_mm2=area, datacenter=datacenter, **kw)


@pytest.mark.parametrize(
    ("tpp", "area", "datacenter", "expected"),
    [
        # TPP >= 4800 is .a whatever the density, datacenter or not
        (4799, 4799 / 1.0, True, None),
        (4800, 4800 / 1.0, True, "3A090.a"),
        (4799, 100_000, False, None),
        (4800, 100_000, False, "3A090.a"),
        # .a by density: TPP >= 1600 and PD >= 5.92
        (1600, 1600 / 5.92, True, "3A090.a"),
        (1599, 1599 / 5.92, True, None),
        (2000, 2000 / 5.91, True, "3A090.b"),
        (2000, 2000 / 5.92, True, "3A090.a"),
        # .b first clause: 2400 <= TPP < 4800 and 1.6 <= PD < 5.92
        (2399, 2399 / 1.6, True, None),
        (2400, 2400 / 1.6, True, "3A090.b"),
        (2400, 2400 / 1.59, True, None),
        (4799, 4799 / 1.6, True, "3A090.b"),
        (4799, 4799 / 1.59, True, None),
        # .b second clause: TPP >= 1600 and 3.2 <= PD < 5.92
        (1600, 1600 / 3.2, True, "3A090.b"),
        (1599, 1599 / 3.2, True, None),
        (2000, 2000 / 3.19, True, None),
        (2000, 2000 / 3.2, True, "3A090.b"),
        # Note 2: not designed or marketed for datacenters and TPP < 4800: outside 3A090
        (2000, 2000 / 5.92, False, None),
        (3000, 3000 / 3.2, False, None),
        (4000, 4000 / 2.0, False, None),
    ],
)
def test_band_at_edge(tpp: float, area: float, datacenter: bool, expected: str | None) -> None:
    assert classify_accelerator(part(tpp, area, datacenter), None, ON).eccn == expected


def test_performance_density_is_tpp_over_die_area() -> None:
    result = classify_accelerator(part(5920, 1000), None, ON)
    assert result.performance_density == pytest.approx(5.92)
    assert result.eccn == "3A090.a"


def test_unknown_die_area_still_classifies_by_tpp_alone() -> None:
    assert classify_accelerator(part(4800), None, ON).eccn == "3A090.a"
    assert classify_accelerator(part(4799), None, ON).eccn is None


@pytest.mark.parametrize(
    ("tpp", "link", "expected"),
    [(4799, 600, None), (4800, 600, "3A090.a"), (4800, 599, None), (10_000, 400, None)],
)
def test_2022_rule_needs_tpp_4800_and_600_gbs(tpp: float, link: float, expected: str | None) -> None:
    result = classify_accelerator(part(tpp, 1000, interconnect_gbs=link), "CN", date(2023, 6, 1))
    assert result.eccn == expected
    assert result.license_required is (expected is not None)


def test_2022_rule_with_unknown_interconnect_says_what_it_could_not_test() -> None:
    result = classify_accelerator(part(6000, 800), "CN", date(2023, 6, 1))
    assert result.eccn is None
    assert any("interconnect_gbs" in n for n in result.notes)


@pytest.mark.parametrize(
    ("bandwidth", "area", "expected"),
    [(200, 100, None), (201, 100, "3A090.c"), (1180, 121, "3A090.c")],
)
def test_hbm_needs_memory_bandwidth_density_above_2(bandwidth: float, area: float, expected: str | None) -> None:
    hbm = Specs(name="hbm", kind="memory", memory_bandwidth_gbs=bandwidth, die_area_mm2=area)
    assert classify_accelerator(hbm, "CN", ON).eccn == expected


@pytest.mark.parametrize(
    ("tpp", "bandwidth", "review"),
    [
        (20_999, 6_499, "case-by-case"),
        (21_000, 6_499, "presumption of denial"),
        (20_999, 6_500, "presumption of denial"),
    ],
)
def test_case_by_case_review_edges_for_china(tpp: float, bandwidth: float, review: str) -> None:
    result = classify_accelerator(part(tpp, 1000, memory_bandwidth_gbs=bandwidth), "CN", date(2026, 2, 1))
    assert result.license_required is True
    assert result.review_policy == review
    assert ("ac-2026-01-review" in [r.id for r in result.rules]) is (review == "case-by-case")


def test_case_by_case_review_is_not_for_other_d5_destinations() -> None:
    result = classify_accelerator(part(10_000, 1000, memory_bandwidth_gbs=3000), "RU", date(2026, 2, 1))
    assert result.license_required is True
    assert result.review_policy == "presumption of denial"
