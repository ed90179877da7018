"""Reading descriptions and HS codes; market bands; policy epochs."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from computewatch.policy import classify_accelerator
from computewatch.shipments.items import recognise
from computewatch.shipments.policy_view import PolicyView, epoch
from computewatch.shipments.prices import item_band


@pytest.mark.parametrize(
    ("description", "hs", "chips", "systems", "per_unit"),
    [
        ("GPU server 8x NVIDIA H100 SXM5 80GB", "", ("H100-SXM",), (), 8),
        ("AI server with 4 x A100 PCIe", "847150", ("A100",), (), 4),
        ("NVIDIA DGX H100 system", "", (), ("DGX-H100",), 8),
        ("服务器 H20 8卡", "", ("H20",), (), 8),
        ("H200 server", "", ("H200",), (), 8),  # a server naming a chip but no count: an 8-GPU board
        ("NVIDIA H100 80GB SXM5 module", "", ("H100-SXM",), (), 1),
    ],
)
def test_chips_systems_and_per_unit(description: str, hs: str, chips: tuple[str, ...], systems: tuple[str, ...], per_unit: int) -> None:
    r = recognise(description, hs)
    assert (r.chips, r.systems, r.per_unit) == (chips, systems, per_unit)
    assert r.of_interest


@pytest.mark.parametrize(("text", "codes"), [("8473.30.1180", ("8473.30",)), ("847150", ("8471.50",)), ("HS 8542.31.00", ("8542.31",)),
                                             ("8471.80", ("8471.80",)), ("8471.30", ()), ("94017100", ())])  # fmt: skip
def test_hs_codes(text: str, codes: tuple[str, ...]) -> None:
    assert recognise("goods", text).hs_codes == codes


def test_not_of_interest() -> None:
    for text in ("XA1001 centrifuge", "office chairs", "A1000 part number"):
        r = recognise(text)
        assert not r.of_interest and r.chips == ()


def test_class_words_stand_alone() -> None:
    assert recognise("graphics cards").classes == ("graphics_card",)
    assert recognise("observer kit").classes == ()  # 'server' inside a word is not a server
    assert recognise("GPU servers").classes == ("gpu_server",)


def test_server_band_is_chip_band_times_count() -> None:
    band = item_band(recognise("GPU server 8x H100 SXM"))
    assert band is not None and band.what == "server with 8 x H100-SXM"
    assert band.low == 8 * 20000 and band.high == 8 * 45000 * 1.8
    assert item_band(recognise("office chairs")) is None


def test_epoch_answers_equal_direct_classification() -> None:
    view = PolicyView(["D:5"], ["MO"])
    day = date(2022, 9, 1)
    while day < date(2026, 12, 31):
        for chip, country in (("H100-SXM", "CN"), ("A800", "CN"), ("H20", "HK"), ("A100", "AE"), ("H100-SXM", "MY")):
            direct = classify_accelerator(chip, country, day)
            cached = view.classification(chip, country, day)
            assert cached is not None
            assert (cached.eccn, cached.license_required) == (direct.eccn, direct.license_required), (chip, country, day)
        day += timedelta(days=23)
    assert epoch(date(2023, 11, 20)) == date(2023, 11, 17)


def test_concern_countries_follow_the_groups() -> None:
    view = PolicyView(["D:5"], ["MO"])
    assert view.concern("CN", date(2026, 1, 1)) and view.concern("HK", date(2026, 1, 1)) and view.concern("MO", date(2026, 1, 1))
    assert not view.concern("MY", date(2026, 1, 1)) and not view.concern("SG", date(2026, 1, 1))
