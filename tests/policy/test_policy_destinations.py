"""Destinations and end users: CN, MO, HK, D:5, A:5, D:1-only, HQ in D:5, Entity List."""

from __future__ import annotations

from datetime import date

import pytest

from computewatch.errors import UsageError
from computewatch.policy import EndUser, classify_accelerator, groups_of, in_group

ON = date(2025, 8, 1)


@pytest.mark.parametrize(
    ("destination", "licence", "rule"),
    [
        ("CN", True, "ac-2023-licence-d5-mo"),
        ("MO", True, "ac-2023-licence-d5-mo"),
        ("HK", True, "ac-2023-licence-d5-mo"),  # Hong Kong is treated as China
        ("RU", True, "ac-2023-licence-d5-mo"),  # D:5, not China
        ("VE", True, "ac-2023-licence-d5-mo"),
        ("KZ", True, "ac-2023-licence-d1-d4"),  # D:1 only
        ("VN", True, "ac-2023-licence-d1-d4"),
        ("SA", True, "ac-2023-licence-d1-d4"),  # D:4
        ("IL", False, None),  # D:4 but also A:6
        ("CY", False, None),  # D:5 but also A:6
        ("DE", False, None),  # A:5
        ("IN", False, None),  # A:5
        ("MY", False, None),
        ("SG", False, None),
        ("US", False, None),
    ],
)
def test_h100_by_destination(destination: str, licence: bool, rule: str | None) -> None:
    result = classify_accelerator("H100-SXM", destination, ON)
    assert result.license_required is licence
    assert ([r.id for r in result.rules if r.role == "licence"] == [rule]) if rule else result.rules[1:] == []


def test_worldwide_for_an_end_user_headquartered_in_d5() -> None:
    for hq in (EndUser(headquarters_country="CN"), EndUser(ultimate_parent_country="MO"), EndUser(headquarters_country="RU")):
        result = classify_accelerator("A100", "DE", ON, hq)
        assert result.license_required is True
        assert "ac-2023-licence-hq" in [r.id for r in result.rules]
        assert result.license_exceptions == [] or all("ACA" not in e for e in result.license_exceptions)
    assert classify_accelerator("A100", "DE", ON, EndUser(headquarters_country="JP")).license_required is False


def test_entity_list_end_user_needs_a_licence_for_any_item_and_no_exceptions() -> None:
    listed = EndUser(name="Fictional Compute Ltd", listed=True)
    result = classify_accelerator("RTX-3060", "DE", ON, listed)
    assert result.eccn is None
    assert result.license_required is True
    assert [r.id for r in result.rules if r.role == "licence"] == ["entity-list"]
    kz = classify_accelerator("H100", "KZ", ON, listed)
    assert kz.license_exceptions == []
    assert any("no licence exceptions" in n for n in kz.notes)
    assert classify_accelerator("H100", "KZ", ON).license_exceptions  # ACA when not listed


def test_no_destination_and_no_end_user_assesses_no_licence() -> None:
    result = classify_accelerator("H100", None, ON)
    assert result.license_required is False
    assert result.destination is None
    assert any("not assessed" in n for n in result.notes)


def test_bad_country_code_is_a_usage_error() -> None:
    with pytest.raises(UsageError):
        classify_accelerator("H100", "China", ON)
    with pytest.raises(ValueError):
        EndUser(headquarters_country="XX")


def test_country_groups_as_dated_data() -> None:
    assert {"D:1", "D:4", "D:5"} <= groups_of("CN", ON)
    assert groups_of("HK", ON) == groups_of("CN", ON)
    assert in_group("MO", "D:1", ON) and not in_group("MO", "D:5", ON)
    assert in_group("DE", "A:5", ON) and in_group("CY", "A:6", ON) and in_group("CY", "D:5", ON)
    assert in_group("KH", "D:5", date(2026, 2, 2)) and not in_group("KH", "D:5", date(2026, 2, 3))
    assert in_group("DE", "AIA", date(2025, 3, 1)) and not in_group("DE", "AIA", date(2025, 5, 13))
    assert in_group("NO", "A:5", ON)  # not read as the YAML boolean false
