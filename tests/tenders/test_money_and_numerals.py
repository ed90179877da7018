"""Money in notices (S3): the currency is the whole currency word next to the number, never a substring
found in dict order; one Chinese-numeral reader (computewatch.numerals) for amounts, dates and names."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from tenders_helpers import NOTICES

from computewatch.names.han import chinese_numeral_value
from computewatch.numerals import parse_chinese_number
from computewatch.sources.tenders.dates import find_dates
from computewatch.sources.tenders.money import find_amounts, parse_amount, parse_uppercase
from computewatch.tenders.scan import NoticeScanner


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("三千二", 3200), ("一百一", 110), ("两万五", 25000), ("一亿二", 120_000_000), ("一万", 10_000), ("十四", 14),
        ("二十", 20), ("二十一", 21), ("一百零八", 108), ("三千零二", 3002), ("一千零五十", 1050), ("十万零一", 100_001),
        ("三千二百万", 32_000_000), ("一亿二千万", 120_000_000), ("壹佰贰拾万", 1_200_000), ("叁仟伍佰", 3500),
        ("貳拾萬", 200_000), ("兩萬", 20_000), ("七〇七", 707), ("二〇二四", 2024), ("廿三", 23), ("三点五万", 35_000),
        ("零点五", Decimal("0.5")),
    ],
)  # fmt: skip
def test_chinese_numerals(text: str, value: int | Decimal) -> None:
    assert parse_chinese_number(text) == value


@pytest.mark.parametrize("text", ["十十", "百千", "万万", "万", "三二百", "千百", "", "三千二x"])
def test_what_is_not_a_numeral_is_refused(text: str) -> None:
    assert parse_chinese_number(text) is None


def test_every_place_reads_numerals_the_same_way() -> None:
    assert parse_uppercase("叁仟零贰元整") == 3002 and parse_uppercase("叁仟贰元整") == 3200 and parse_uppercase("三千二百万元") == 32_000_000
    assert parse_uppercase("壹佰贰拾万元整") == 1_200_000 and parse_uppercase("叁仟伍佰元伍角") == Decimal("3500.5")
    assert chinese_numeral_value("一百一") == 110 and chinese_numeral_value("十十") is None  # numbers in names (第一百一研究所)
    assert [d.day.isoformat() for d in find_dates("二〇二四年十二月三十一日")] == ["2024-12-31"]


@pytest.mark.parametrize(
    ("text", "value", "currency"),
    [
        ("100万美元", 1_000_000, "USD"), ("50万港元", 500_000, "HKD"), ("HK$1,200,000", 1_200_000, "HKD"),
        ("US$ 5,000", 5_000, "USD"), ("$300", 300, "USD"), ("NT$80,000", 80_000, "TWD"), ("500 HKD", 500, "HKD"),
        ("HK$100万元", 1_000_000, "HKD"), ("2万欧元", 20_000, "EUR"), ("300万日元", 3_000_000, "JPY"),
        ("3千万元", 30_000_000, "CNY"), ("1.5百万元", 1_500_000, "CNY"), ("118.5 万元", 1_185_000, "CNY"),
        ("¥1,185,000.00", 1_185_000, "CNY"), ("100万元人民币", 1_000_000, "CNY"), ("USD 2 million", 2_000_000, "USD"),
        ("美元壹拾万元整", 100_000, "USD"),
    ],
)  # fmt: skip
def test_amounts_take_the_currency_word_next_to_the_number(text: str, value: float, currency: str) -> None:
    amount = parse_amount(text)
    assert amount is not None and (amount.value, amount.currency) == (value, currency)
    assert amount.cny == (value if currency == "CNY" else None)  # a foreign amount is CNY only with a rate


def test_unlabelled_foreign_amounts_are_found_and_converted_only_with_a_rate() -> None:
    found = find_amounts("另需技术服务费50万港元，折合约45万元", {"HKD": 0.92})
    assert [(a.value, a.currency, a.cny) for a in found] == [(500_000, "HKD", 460_000), (450_000, "CNY", 450_000)]


@pytest.fixture(scope="module")
def foreign(scanner: NoticeScanner) -> dict[str, dict[str, Any]]:
    return {name: scanner.scan_file(NOTICES / name) for name in ("usd_cloud_budget.txt", "hk_award_hkd.html")}


def _amounts(record: dict[str, Any]) -> list[tuple[float, str, str]]:
    return [(a["value"], a["currency"], a["role"]) for a in record["amounts"]]


def test_a_budget_in_us_dollars_is_not_read_as_yuan(foreign: dict[str, dict[str, Any]]) -> None:
    record = foreign["usd_cloud_budget.txt"]
    assert _amounts(record) == [(1_000_000, "USD", "budget")]
    assert record["amount_cny"] is None and record["flagged"]


def test_a_hong_kong_award_is_in_hong_kong_dollars(foreign: dict[str, dict[str, Any]]) -> None:
    record = foreign["hk_award_hkd.html"]
    assert _amounts(record) == [(2_400_000, "HKD", "award"), (500_000, "HKD", "price")]
    assert record["amount_cny"] is None
    rated = NoticeScanner(None, rates={"HKD": 0.92}).scan_file(NOTICES / "hk_award_hkd.html")
    assert rated["amount_cny"] == pytest.approx(2_208_000)

