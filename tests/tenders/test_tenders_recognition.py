"""Recognising chips (with care at word boundaries and context), providers and quantities."""

from __future__ import annotations

import pytest

from computewatch.sources.tenders.items import LineItem
from computewatch.tenders.providers import provider_book
from computewatch.tenders.recognise import recognise


def _r(text: str, context: str = ""):  # type: ignore[no-untyped-def]
    return recognise(LineItem(text=text, context=context), provider_book(), "CN")


@pytest.mark.parametrize(
    ("text", "chip", "kind"),
    [
        ("采购英伟达A100 GPU服务器 2台", "A100", "accelerator"),
        ("NVIDIA A100 80GB", "A100", "accelerator"),
        ("GPU服务器（8×H100）", "H100-SXM", "accelerator"),
        ("GeForce RTX 3060 12GB 显卡 60台", "RTX-3060", "accelerator"),
        ("高速冷冻离心机，型号 A100，数量 2 台", None, "other"),
        ("分光光度计 UV-A1001", None, "other"),
        ("样品编号 XA100-23", None, "other"),
        ("A100", None, "other"),  # a bare model number with no compute word is not a GPU
        ("租用 p4d.24xlarge 实例", "A100", "cloud_compute"),
    ],
)
def test_chips_need_a_standalone_name_and_compute_context(text: str, chip: str | None, kind: str) -> None:
    r = _r(text)
    assert (r.chip, r.kind) == (chip, kind)


@pytest.mark.parametrize(
    ("text", "provider", "country", "kind"),
    [
        ("亚马逊云科技 GPU 云服务器", "Amazon Web Services", "US", "cloud_compute"),
        ("微软云 Azure OpenAI 服务 4000万tokens", "Azure OpenAI Service", "US", "model_tokens"),
        ("谷歌云 a3-highgpu-8g", "Google Cloud", "US", "cloud_compute"),
        ("网站部署于 AWS EC2", "Amazon Web Services", "US", "cloud_service"),
        ("阿里云 GPU 云服务器", "Alibaba Cloud", "CN", "cloud_compute"),
        ("华为云 ModelArts 昇腾算力", "Huawei Cloud", "CN", "cloud_compute"),
        ("通义千问 API 5000万 tokens", "Chinese large models", "CN", "model_tokens"),
        ("Oracle数据库许可证", None, None, "other"),  # Oracle the database is not Oracle Cloud
    ],
)
def test_providers_foreign_and_domestic(text: str, provider: str | None, country: str | None, kind: str) -> None:
    r = _r(text)
    assert (r.provider.name if r.provider else None, r.provider.country if r.provider else None, r.kind) == (provider, country, kind)


@pytest.mark.parametrize(
    ("text", "tokens"),
    [("4000万 tokens", 40_000_000), ("40 million tokens", 40_000_000), ("Token数量：2,000,000", 2_000_000),
     ("预计 2亿 token", 200_000_000)],
)
def test_token_quantities(text: str, tokens: float) -> None:
    assert _r(f"OpenAI API {text}").tokens == tokens


def test_cards_servers_and_gpu_hours() -> None:
    r = _r("GPU服务器 2台，每台配置 8 张英伟达 H800 80GB 加速卡")
    assert (r.servers, r.cards, r.chip) == (2, 8, "H800")
    assert _r("AWS H100 GPU 云算力 2000 卡时").gpu_hours == 2000
    assert _r("AWS H100 GPU 云算力 2000 卡时").cards is None  # '100 GPU' inside 'H100 GPU' is not a count


def test_domestic_chip_is_recognised_as_domestic() -> None:
    r = _r("昇腾910B 训练算力")
    assert r.chip == "Ascend-910B" and r.domestic_compute == ["昇腾"]


def test_a_chip_named_as_a_performance_yardstick_is_not_bought() -> None:
    r = _r("国产GPU服务器 2台，单卡算力不低于英伟达A100")
    assert r.chip is None and any("performance reference" in e for e in r.evidence)
    assert _r("GPU服务器 2台，配置英伟达A100").chip == "A100"


def test_a_model_named_without_access_is_not_a_purchase() -> None:
    course = _r("人工智能通识课程（含ChatGPT应用）培训服务")
    assert (course.kind, course.provider) == ("other", None)
    accounts = _r("ChatGPT企业版账号 50个")
    assert accounts.kind == "model_api" and accounts.provider is not None and accounts.provider.name == "OpenAI"


def test_providers_file_is_refused_with_every_problem(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from computewatch.errors import InputError

    bad = tmp_path / "providers.yaml"
    bad.write_text(
        "providers:\n"
        "  - {id: a, name: A, country: US, kind: cloud, aliases: [Foo], source: x}\n"
        "  - {id: a, name: B, country: US, kind: satellite, aliases: [Bar], source: y}\n"
        "  - {id: c, name: C, country: CN, kind: cloud, aliases: [Foo]}\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as caught:
        provider_book(bad)
    reasons = [p.reason for p in caught.value.problems]
    assert any("duplicate id" in r for r in reasons) and any("kind must be" in r for r in reasons)
    assert any("missing source" in r for r in reasons)


def test_every_bundled_provider_has_a_source() -> None:
    book = provider_book()
    assert all(p.source for p in book.providers)
    assert {p.id for p in book.providers if p.country != "CN"} >= {"aws", "azure", "azure-openai", "openai", "google-cloud", "oracle-cloud", "anthropic"}
    assert {p.id for p in book.providers if p.country == "CN"} >= {"aliyun", "huawei-cloud", "tencent-cloud", "baidu-cloud", "cn-chips"}
