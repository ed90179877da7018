"""Each catalogue chip: TPP, band and licence to China today; names and aliases."""

from __future__ import annotations

from datetime import date

import pytest

from computewatch.errors import NotFound
from computewatch.policy import (
    UnknownChip,
    catalogue,
    classify_accelerator,
    find_chip,
    training_compute,
)
from computewatch.policy.catalogue import vendor_of

TODAY = date(2026, 11, 25)

# name: (TPP, ECCN today, licence to CN today, review policy to CN today)
EXPECTED = {
    "A100": (4992, "3A090.a", True, "case-by-case"),
    "A800": (4992, "3A090.a", True, "case-by-case"),
    "H100-SXM": (15832, "3A090.a", True, "case-by-case"),
    "H100-PCIe": (12104, "3A090.a", True, "case-by-case"),
    "H100-NVL": (13368, "3A090.a", True, "case-by-case"),
    "H800": (15832, "3A090.a", True, "case-by-case"),
    "H20": (2368, None, True, "case-by-case"),
    "H200": (15832, "3A090.a", True, "case-by-case"),
    "B200": (36000, "3A090.a", True, "presumption of denial"),
    "A30": (2644, "3A090.b", True, "case-by-case"),
    "A40": (2395.2, "3A090.b", True, "case-by-case"),
    "L4": (1940, "3A090.a", True, "case-by-case"),
    "L40S": (5864, "3A090.a", True, "case-by-case"),
    "L20": (1912, None, False, None),
    "RTX-4090": (5284.8, "3A090.a", True, "case-by-case"),
    "RTX-4090D": (4707.2, None, False, None),
    "RTX-3060": (815.2, None, False, None),
    "MI250X": (6128, "3A090.a", True, "case-by-case"),
    "MI300X": (20919.2, "3A090.a", True, "case-by-case"),
    "Gaudi2": (6920, "3A090.a", True, "case-by-case"),
    "Gaudi3": (29360, "3A090.a", True, "presumption of denial"),
    "Ascend-910B": (5120, "3A090.a", False, None),
    "HBM3E-12H": (None, "3A090.c", True, "presumption of denial"),
    "DGX-A100": (4992, "4A090.a", True, "case-by-case"),
    "DGX-H100": (15832, "4A090.a", True, "case-by-case"),
    "HGX-H20": (2368, None, True, "case-by-case"),
    "DGX-B200": (36000, "4A090.a", True, "presumption of denial"),
}


def test_every_catalogue_entry_has_an_expectation() -> None:
    assert set(EXPECTED) == set(catalogue().accelerators)
    assert sum(1 for a in catalogue().accelerators.values() if a.kind == "ic") >= 20


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_chip_to_china_today(name: str) -> None:
    tpp, eccn, licence, review = EXPECTED[name]
    result = classify_accelerator(name, "CN", TODAY)
    assert result.tpp == (pytest.approx(tpp) if tpp is not None else None)
    assert result.eccn == eccn
    assert result.license_required is licence
    assert result.review_policy == review


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_chip_to_an_a5_ally_needs_no_licence(name: str) -> None:
    result = classify_accelerator(name, "JP", TODAY)
    assert result.license_required is False
    assert result.eccn == EXPECTED[name][1]


def test_every_figure_has_a_source() -> None:
    for acc in catalogue().accelerators.values():
        assert set(acc.figures()) <= set(acc.sources), acc.name


@pytest.mark.parametrize(
    ("alias", "name"),
    [
        ("H100 80GB SXM5", "H100-SXM"),
        ("h100-sxm5-80gb", "H100-SXM"),
        ("H100", "H100-SXM"),
        ("A800 80GB", "A800"),
        ("4090D", "RTX-4090D"),
        ("RTX 4090", "RTX-4090"),
        ("ＲＴＸ ４０９０", "RTX-4090"),
        ("昇腾910B", "Ascend-910B"),
        ("Gaudi 3", "Gaudi3"),
        ("instinct mi300x", "MI300X"),
    ],
)
def test_aliases_find_the_chip(alias: str, name: str) -> None:
    assert find_chip(alias).name == name


def test_vendor_alias() -> None:
    vendor = vendor_of("英伟达")
    assert vendor is not None and vendor.name == "NVIDIA" and vendor.country == "US"
    assert vendor_of("no such vendor") is None


def test_unknown_chip_lists_closest_names() -> None:
    with pytest.raises(UnknownChip) as info:
        find_chip("H10")
    assert isinstance(info.value, NotFound)
    assert info.value.exit_code == 2
    assert "H100-SXM" in info.value.suggestions
    assert "H100-SXM" in str(info.value)


def test_training_compute_is_gpu_hours_times_dense_peak_times_utilisation() -> None:
    run = training_compute("H100", gpu_hours=1000, utilisation=0.4)
    assert run.precision == "fp16"
    assert run.operations == pytest.approx(1000 * 3600 * 989.5e12 * 0.4)
    assert "GPU-hours" in run.explain()
    assert training_compute("H100", 1000, 0.4, precision="fp8").operations == pytest.approx(2 * run.operations, rel=1e-3)
    # a chip without an fp16 rate falls back to its highest rate; systems count GPUs
    assert training_compute("Gaudi2", 10, 1.0).precision == "fp8"
    assert training_compute("DGX-H100", 1000, 0.4).operations == pytest.approx(run.operations)
    with pytest.raises(ValueError):
        training_compute("H100", 10, 1.5)
    with pytest.raises(ValueError):
        training_compute("H100", 10, 0.5, precision="fp4")
