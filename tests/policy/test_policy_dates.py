"""The day before and the day of every dated rule."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from computewatch.policy import EndUser, classify_accelerator, pending_rules, rules_in_force


def before(day: date) -> date:
    return day - timedelta(days=1)


def ids(result) -> list[str]:  # type: ignore[no-untyped-def]
    return [r.id for r in result.rules]


def test_oct_7_2022_creates_3a090_and_the_licence_for_china() -> None:
    day = date(2022, 10, 7)
    old = classify_accelerator("A100", "CN", before(day))
    new = classify_accelerator("A100", "CN", day)
    assert (old.eccn, old.license_required, old.rules) == (None, False, [])
    assert (new.eccn, new.license_required) == ("3A090.a", True)
    assert {"ac-2022-3a090", "ac-2022-licence-cn"} <= set(ids(new))
    assert {"id": "ac-2022-licence-cn", "source": "87 FR 62186", "effective": "2022-10-07"} in [
        {k: r[k] for k in ("id", "source", "effective")} for r in new.contract()["rules"]
    ]


def test_2022_rule_did_not_reach_a800_or_h800_by_interconnect() -> None:
    day = date(2023, 6, 1)
    assert classify_accelerator("A800", "CN", day).eccn is None
    assert classify_accelerator("H800", "CN", day).license_required is False
    assert classify_accelerator("H100-SXM", "CN", day).eccn == "3A090.a"


def test_jan_17_2023_adds_macau() -> None:
    day = date(2023, 1, 17)
    assert classify_accelerator("A100", "MO", before(day)).license_required is False
    result = classify_accelerator("A100", "MO", day)
    assert result.license_required is True
    assert "ac-2023-01-licence-mo" in ids(result)


def test_nov_17_2023_performance_density_rule() -> None:
    day = date(2023, 11, 17)
    old = classify_accelerator("A800", "CN", before(day))
    new = classify_accelerator("A800", "CN", day)
    assert (old.eccn, old.license_required) == (None, False)
    assert (new.eccn, new.license_required) == ("3A090.a", True)
    assert "ac-2023-licence-d5-mo" in ids(new)
    # D:1-only destination: licence from this day
    assert classify_accelerator("H100", "KZ", before(day)).license_required is False
    assert classify_accelerator("H100", "KZ", day).license_required is True
    # worldwide for an end user headquartered in D:5
    hq_cn = EndUser(headquarters_country="CN")
    assert classify_accelerator("H100", "MY", before(day), hq_cn).license_required is False
    assert classify_accelerator("H100", "MY", day, hq_cn).license_required is True


def test_apr_4_2024_splits_nac_and_aca() -> None:
    day = date(2024, 4, 4)
    old = classify_accelerator("H100", "KZ", before(day))
    new = classify_accelerator("H100", "KZ", day)
    assert [e.split()[0] for e in old.license_exceptions] == ["NAC"]
    assert [e.split()[0] for e in new.license_exceptions] == ["ACA"]


def test_dec_2_2024_adds_hbm_3a090c() -> None:
    day = date(2024, 12, 2)
    old = classify_accelerator("HBM3E-12H", "CN", before(day))
    new = classify_accelerator("HBM3E-12H", "CN", day)
    assert (old.eccn, old.license_required) == (None, False)
    assert (new.eccn, new.license_required) == ("3A090.c", True)
    assert "ac-2024-12-licence-hbm" in ids(new)


def test_ai_diffusion_pending_from_jan_15_2025_until_rescinded_may_13() -> None:
    issued, rescinded = date(2025, 1, 15), date(2025, 5, 13)
    assert "ai-diffusion-2025" not in [r.id for r in pending_rules(before(issued))]
    assert "ai-diffusion-2025" in [r.id for r in pending_rules(issued)]
    assert "ai-diffusion-2025" in [r.id for r in pending_rules(before(rescinded))]
    assert "ai-diffusion-2025" not in [r.id for r in pending_rules(rescinded)]
    assert "ai-diffusion-2025" not in [r.id for r in rules_in_force(date(2025, 6, 1))]

    # a Tier 2 destination (A:5 but not Tier 1): nothing required, something pending
    during = classify_accelerator("H100", "PL", issued)
    assert during.license_required is False
    assert during.pending and "ai-diffusion-2025" in during.pending[0]
    assert "rescinded on 2025-05-13" in during.pending[0]
    assert classify_accelerator("H100", "PL", before(issued)).pending == []
    assert classify_accelerator("H100", "PL", rescinded).pending == []
    # Tier 1 (AIA) destinations would not have needed a licence
    assert classify_accelerator("H100", "DE", issued).pending == []


def test_apr_9_2025_h20_needs_a_licence_to_china_by_is_informed_letter() -> None:
    day = date(2025, 4, 9)
    old = classify_accelerator("H20", "CN", before(day))
    new = classify_accelerator("H20", "CN", day)
    assert old.eccn is None and new.eccn is None
    assert old.license_required is False
    assert new.license_required is True
    assert ids(new)[-1] == "h20-is-informed-2025"
    assert "is-informed" in new.rules[-1].title.lower()
    # Hong Kong is China for the EAR; Macau and D:5 too; and HQ-based
    assert classify_accelerator("H20", "HK", day).license_required is True
    assert classify_accelerator("H20", "MO", day).license_required is True
    assert classify_accelerator("H20", "VE", day).license_required is True
    assert classify_accelerator("H20", "SG", day, EndUser(ultimate_parent_country="CN")).license_required is True
    assert classify_accelerator("H20", "SG", day).license_required is False
    # the L20 reaches neither the H20's memory nor its interconnect bandwidth
    assert classify_accelerator("L20", "CN", day).license_required is False


def test_may_13_2025_ascend_guidance_is_a_note_only() -> None:
    day = date(2025, 5, 13)
    assert "bis-guidance-ascend-2025" not in ids(classify_accelerator("Ascend-910B", "MY", before(day)))
    result = classify_accelerator("Ascend-910B", "MY", day)
    assert "bis-guidance-ascend-2025" in ids(result)
    assert result.license_required is False


def test_sep_29_2025_affiliates_rule_then_nov_10_suspension_then_return() -> None:
    affiliate = EndUser(affiliate_of_listed=True)
    start, suspended, back = date(2025, 9, 29), date(2025, 11, 10), date(2026, 11, 10)
    assert classify_accelerator("RTX-3060", "DE", before(start), affiliate).license_required is False
    result = classify_accelerator("RTX-3060", "DE", start, affiliate)
    assert result.license_required is True and "affiliates-2025" in ids(result)
    assert classify_accelerator("RTX-3060", "DE", before(suspended), affiliate).license_required is True
    assert classify_accelerator("RTX-3060", "DE", suspended, affiliate).license_required is False
    assert classify_accelerator("RTX-3060", "DE", before(back), affiliate).license_required is False
    assert classify_accelerator("RTX-3060", "DE", back, affiliate).license_required is True


def test_jan_15_2026_case_by_case_review_for_h200_to_china() -> None:
    day = date(2026, 1, 15)
    old = classify_accelerator("H200", "CN", before(day))
    new = classify_accelerator("H200", "CN", day)
    assert old.license_required is True and new.license_required is True
    assert old.review_policy == "presumption of denial"
    assert new.review_policy == "case-by-case"
    assert "ac-2026-01-review" in ids(new)
    assert any("still required" in n for n in new.notes)
    # B200 is above TPP 21,000: still presumption of denial
    assert classify_accelerator("B200", "CN", day).review_policy == "presumption of denial"


def test_feb_3_2026_cambodia_leaves_d5_but_stays_d1() -> None:
    day = date(2026, 2, 3)
    old = classify_accelerator("H100", "KH", before(day))
    new = classify_accelerator("H100", "KH", day)
    assert old.license_required and new.license_required
    assert "ac-2023-licence-d5-mo" in ids(old)
    assert "ac-2023-licence-d1-d4" in ids(new)
    assert (old.review_policy, new.review_policy) == ("presumption of denial", "case-by-case")


@pytest.mark.parametrize(
    ("rule_id", "effective"),
    [
        ("ac-2022-3a090", date(2022, 10, 7)),
        ("ac-2023-3a090", date(2023, 11, 17)),
        ("ac-2024-12-3a090", date(2024, 12, 2)),
        ("h20-is-informed-2025", date(2025, 4, 9)),
        ("affiliates-2025", date(2025, 9, 29)),
        ("affiliates-suspension-2025", date(2025, 11, 10)),
        ("ac-2026-01-review", date(2026, 1, 15)),
    ],
)
def test_rules_in_force_from_their_effective_day(rule_id: str, effective: date) -> None:
    assert rule_id not in [r.id for r in rules_in_force(before(effective))]
    assert rule_id in [r.id for r in rules_in_force(effective)]
