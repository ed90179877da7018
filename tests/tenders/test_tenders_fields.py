"""Field extraction: amounts, dates, parties, project number, notice type."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from computewatch.sources.tenders.dates import notice_date
from computewatch.sources.tenders.money import find_amounts, parse_amount, parse_uppercase


@pytest.mark.parametrize(
    ("text", "value"),
    [("壹佰贰拾万元整", 1_200_000), ("叁仟伍佰元伍角", 3500.5), ("壹亿贰仟万元", 120_000_000),
     ("壹拾万零伍佰元", 100_500), ("肆佰柒拾萬元整", 4_700_000), ("玖角", None)],
)
def test_uppercase_numerals(text: str, value: float | None) -> None:
    result = parse_uppercase(text)
    assert (float(result) if result is not None else None) == value


def test_amount_forms_and_roles() -> None:
    text = "\n".join([
        "预算金额：120.0000000 万元（人民币）",
        "中标（成交）金额(万元)：118.5",
        "合同金额：壹佰贰拾万元整（¥1,200,000.00）",
        "总价 ￥198,000.00元 联系电话：010-12345678",
        "项目编号：2024-0317",
    ])
    found = [(a.role, a.cny) for a in find_amounts(text)]
    assert found == [("budget", 1_200_000), ("award", 1_185_000), ("award", 1_200_000), ("other", 198_000)]


def test_other_currencies_keep_their_code_and_convert_only_with_a_rate() -> None:
    plain = parse_amount("USD 1,250,000", "award")
    assert plain is not None and (plain.currency, plain.value, plain.cny) == ("USD", 1_250_000, None)
    rated = parse_amount("US$ 1.25 million", "award", rates={"USD": 7.1})
    assert rated is not None and rated.cny == pytest.approx(8_875_000)


def test_publication_date_is_the_labelled_one() -> None:
    text = "获取文件时间：2025年03月03日至2025年03月10日\n公告日期：2025年03月01日\n"
    assert notice_date(text) == date(2025, 3, 1)
    assert notice_date("二〇二四年五月十二日") == date(2024, 5, 12)
    assert notice_date("民國113年5月10日") == date(2024, 5, 10)
    assert notice_date("Date of publication: 12 August 2025") == date(2025, 8, 12)


def test_ccgp_award_notice_fields(records: dict[str, dict[str, Any]]) -> None:
    r = records["s1_cloud_gpu_award.html"]
    assert r["title"] == "东岚理工大学人工智能算力云服务采购项目中标公告"
    assert (r["buyer"], r["agency"], r["suppliers"]) == ("东岚理工大学", "华衡招标代理有限公司", ["星桥云图科技（北京）有限公司"])
    assert (r["notice_type"], r["project_number"], r["date"]) == ("award", "HHZB-2024-0317", "2024-05-10")
    assert r["amount_cny"] == r["award_cny"] == 198_000


def test_gbk_tender_has_budget_but_no_award(records: dict[str, dict[str, Any]]) -> None:
    r = records["s1_cloud_gpu_tender_gbk.html"]
    assert (r["buyer"], r["agency"], r["suppliers"]) == ("青枫市智能计算研究院", "青枫市公信招标有限公司", [])
    assert (r["notice_type"], r["budget_cny"], r["award_cny"], r["amount_cny"]) == ("tender", 1_200_000, None, 1_200_000)


def test_single_source_notice_names_the_proposed_supplier(records: dict[str, dict[str, Any]]) -> None:
    r = records["s2_openai_api_gbk.txt"]
    assert r["notice_type"] == "single_source" and r["suppliers"] == ["启辰数联信息技术有限公司"]
    assert r["buyer"] == "鹭岛医学院" and r["budget_cny"] == 150_000


def test_traditional_notice_keeps_original_names(records: dict[str, dict[str, Any]]) -> None:
    r = records["hk_h100_servers_traditional.html"]
    assert r["script"] == "traditional" and r["destination"] == "HK"
    assert r["suppliers"] == ["恆川數碼貿易有限公司"] and r["agency"] == "港信招標顧問有限公司"
    assert r["award_cny"] == 4_700_000
    item = r["items"][0]
    assert (item["brand"], item["model"], item["quantity"], item["unit_price_cny"]) == ("輝達", "H100 80GB SXM5", 2, 2_350_000)


def test_english_notice_fields(records: dict[str, dict[str, Any]]) -> None:
    r = records["english_claude_api_award.html"]
    assert r["buyer"] == "Eastern Harbour Institute of Technology, Shenzhen"
    assert r["agency"] == "Meridian Tendering Services Co., Ltd."
    assert r["suppliers"] == ["Lanting Digital Solutions Co., Ltd."]
    assert (r["notice_type"], r["project_number"], r["date"], r["amount_cny"]) == ("award", "EHI-2025-041", "2025-08-12", 520_000)


def test_item_table_columns(records: dict[str, dict[str, Any]]) -> None:
    items = records["neg_office_furniture_gbk.html"]["items"]
    assert [(i["name"], i["model"], i["quantity"], i["unit"], i["unit_price_cny"]) for i in items] == [
        ("办公桌", "BG-1400", 40, "张", 1200), ("文件柜", "WJG-900", 20, "个", 950)]
    assert records["neg_office_furniture_gbk.html"]["amount_cny"] == 67_000
