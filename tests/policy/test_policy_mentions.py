"""Finding chips named in free text, without mistaking other codes for GPUs."""

from __future__ import annotations

from computewatch.policy import find_chips_in_text


def chips(text: str) -> list[str]:
    return [m.name for m in find_chips_in_text(text) if m.kind == "chip"]


def test_chinese_tender_text() -> None:
    text = "采购英伟达A100服务器2台及H800 80GB加速卡，另需RTX4090D显卡"
    found = find_chips_in_text(text)
    assert [m.name for m in found] == ["NVIDIA", "A100", "H800", "RTX-4090D"]
    a100 = found[1]
    assert text[a100.start : a100.end] == "A100" and a100.vendor == "NVIDIA"


def test_model_codes_inside_other_ids_are_not_gpus() -> None:
    assert chips("Spectrophotometer model XA1001, spare part A1000-3") == []
    assert chips("catalogue no. H100X2 and 4090元") == []


def test_longest_name_wins() -> None:
    assert chips("8x H100 80GB SXM5 and one RTX 4090 D") == ["H100-SXM", "RTX-4090D"]
    assert chips("GeForce RTX 4090") == ["RTX-4090"]


def test_full_width_and_separators() -> None:
    assert chips("Ａ１００ GPU") == ["A100"]
    assert chips("h100-pcie cards") == ["H100-PCIe"]


def test_weak_aliases_need_a_context_word() -> None:
    assert chips("L4 autonomy level for the vehicle") == []
    assert chips("NVIDIA L4 inference cards") == ["L4"]
    assert chips("推理服务器 配置 L20 ×8") == ["L20"]


def test_vendors_can_be_left_out() -> None:
    assert [m.kind for m in find_chips_in_text("华为 昇腾910B", include_vendors=False)] == ["chip"]
    found = find_chips_in_text("华为 昇腾910B")
    assert [(m.kind, m.name) for m in found] == [("vendor", "Huawei"), ("chip", "Ascend-910B")]
