"""Flagging: positives of each kind (S1 cloud GPUs, S2 model tokens, hardware, listed party)
and negatives of each kind (domestic, uncontrolled, instrument, website hosting, unrelated)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from tenders_helpers import NOTICES

from computewatch.tenders.scan import NoticeScanner

CONTRACT_KEYS = ["file", "title", "buyer", "agency", "suppliers", "amount_cny", "date", "items", "flagged", "reasons", "parties_screened"]
ITEM_KEYS = {"text", "chip", "eccn", "cloud_provider", "kind"}


def test_every_record_has_the_contract_fields_first(records: dict[str, dict[str, Any]]) -> None:
    for record in records.values():
        assert list(record)[: len(CONTRACT_KEYS)] == CONTRACT_KEYS
        assert all(ITEM_KEYS <= set(item) for item in record["items"])


def test_s1_cloud_gpus_through_a_reseller(records: dict[str, dict[str, Any]]) -> None:
    r = records["s1_cloud_gpu_award.html"]
    assert r["flagged"] is True
    chips = {(i["chip"], i["eccn"], i["cloud_provider"], i["kind"]) for i in r["items"] if i["chip"]}
    assert chips == {("A100", "3A090.a", "Amazon Web Services", "cloud_compute"),
                     ("H100-SXM", "3A090.a", "Amazon Web Services", "cloud_compute")}
    assert any("A100" in x and "Amazon Web Services" in x and "星桥云图科技（北京）有限公司" in x for x in r["reasons"])
    assert r["intermediaries"] == ["星桥云图科技（北京）有限公司"]


def test_s1_tender_for_google_cloud_h100_hours(records: dict[str, dict[str, Any]]) -> None:
    r = records["s1_cloud_gpu_tender_gbk.html"]
    assert r["flagged"] and r["items"][0]["chip"] == "H100-SXM" and r["items"][0]["gpu_hours"] == 4000


@pytest.mark.parametrize(
    ("name", "provider", "tokens"),
    [("s2_azure_openai_tokens.txt", "Azure OpenAI Service", 40_000_000), ("s2_openai_api_gbk.txt", "OpenAI", 20_000_000),
     ("english_claude_api_award.html", "Anthropic", 30_000_000)],
)
def test_s2_foreign_model_tokens_through_a_local_company(records: dict[str, dict[str, Any]], name: str, provider: str, tokens: int) -> None:
    r = records[name]
    assert r["flagged"] is True
    item = next(i for i in r["items"] if i["cloud_provider"] == provider)
    assert item["kind"] == "model_tokens" and item["tokens"] == tokens
    assert any(f"{tokens:,} tokens of {provider}" in x and "not offered in CN" in x for x in r["reasons"])
    assert r["intermediaries"] == r["suppliers"]


def test_hardware_for_hong_kong_needs_a_licence(records: dict[str, dict[str, Any]]) -> None:
    r = records["hk_h100_servers_traditional.html"]
    assert r["flagged"] and "licence for HK" in r["reasons"][0]


@pytest.mark.parametrize(
    "name",
    ["neg_domestic_cloud.html", "neg_rtx3060_lab.html", "neg_lab_instrument_a100.txt", "neg_aws_website.txt",
     "neg_office_furniture_gbk.html", "neg_a800_before_rule.txt", "neg_domestic_model_tokens.txt"],
)
def test_negatives_are_not_flagged(records: dict[str, dict[str, Any]], name: str) -> None:
    r = records[name]
    assert r["flagged"] is False and r["reasons"] == [] and r["errors"] == []
    assert r["buyer"] and r["title"]


def test_negatives_say_why(records: dict[str, dict[str, Any]]) -> None:
    assert any("instrument" in n for n in records["neg_lab_instrument_a100.txt"]["notes"])
    assert any("RTX-3060" in n and "no licence" in n for n in records["neg_rtx3060_lab.html"]["notes"])
    assert any("without controlled compute" in n for n in records["neg_aws_website.txt"]["notes"])
    assert any("昇腾" in n for n in records["neg_domestic_cloud.html"]["notes"])


def test_the_same_a800_notice_is_flagged_after_the_november_2023_rule(scanner: NoticeScanner) -> None:
    later = NoticeScanner(scanner.screener, as_of=date(2024, 1, 2)).scan_file(NOTICES / "neg_a800_before_rule.txt")
    assert later["flagged"] is True and later["items"][0]["eccn"] == "3A090.a"


def test_pdf_notices_are_decided(scanner: NoticeScanner, pdf_dir: Path) -> None:
    cn = scanner.scan_file(pdf_dir / "cn_h800_servers.pdf")
    assert cn["flagged"] and cn["buyer"] == "云岭大学" and cn["items"][0]["chip"] == "H800" and cn["budget_cny"] == 3_600_000
    en = scanner.scan_file(pdf_dir / "en_h200_award.pdf")
    assert en["flagged"] and en["suppliers"] == ["Silverkey Trading Limited"]
    assert en["amounts"][0]["currency"] == "USD" and en["amount_cny"] is None  # no rate given


def test_every_party_is_screened(records: dict[str, dict[str, Any]]) -> None:
    screened = records["s1_cloud_gpu_award.html"]["parties_screened"]
    assert [(p["role"], p["name"]) for p in screened] == [
        ("buyer", "东岚理工大学"), ("agency", "华衡招标代理有限公司"), ("supplier", "星桥云图科技（北京）有限公司")]
    assert all(p["listed"] is False for p in screened)


def test_a_listed_supplier_is_a_reason(scanner: NoticeScanner, tmp_path: Path) -> None:
    notice = tmp_path / "listed.txt"
    notice.write_text("某某学院GPU服务器采购项目中标公告\n采购人：柏林湾学院\n中标供应商：鸿远智算科技有限公司\n"
                      "主要标的：GPU服务器 1台，配置 GeForce RTX 3060 显卡\n发布日期：2025年01月06日\n", encoding="utf-8")
    r = scanner.scan_file(notice)
    supplier = next(p for p in r["parties_screened"] if p["role"] == "supplier")
    assert supplier["listed"] is True and supplier["matches"][0]["entity_id"] == "fic-tenders-reseller"
    assert r["flagged"] is True and any("鸿远智算科技有限公司" in x and "matches" in x for x in r["reasons"])


def test_a_listed_party_buying_furniture_is_a_note_not_a_flag(scanner: NoticeScanner, tmp_path: Path) -> None:
    notice = tmp_path / "furniture.txt"
    notice.write_text("办公家具采购项目中标公告\n采购人：柏林湾学院\n中标供应商：鸿远智算科技有限公司\n采购内容：办公桌 20 张\n",
                      encoding="utf-8")
    r = scanner.scan_file(notice)
    assert r["flagged"] is False and any("buys no compute" in n for n in r["notes"])
