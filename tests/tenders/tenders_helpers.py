"""Constants shared by the tenders tests: fixture folder, a fictional listed party, PDF texts."""

from __future__ import annotations

from pathlib import Path

from computewatch.screening.model import ListEntity

NOTICES = Path(__file__).resolve().parents[1] / "fixtures" / "tenders"

# A fictional reseller "on a list", so that screening hits can be tested without real names.
LISTED_RESELLER = ListEntity(
    id="fic-tenders-reseller", schema="Company", caption="Hongyuan Zhisuan Technology Co., Ltd.",
    names=("Hongyuan Zhisuan Technology Co., Ltd.", "鸿远智算科技有限公司"), countries=("cn",),
    datasets=("fictional_tenders_list",), source="Entity List (EL) - fictional test entry",
)

CN_GPU_PDF = [
    "云岭大学高性能计算平台GPU服务器采购项目招标公告",
    "项目编号：YLDX-2024-HPC-02",
    "采购人：云岭大学",
    "采购代理机构：云岭众信招标有限公司",
    "预算金额：￥3,600,000.00元",
    "采购需求：GPU服务器 2台，每台配置 8 张英伟达 H800 80GB 加速卡",
    "发布日期：2024年03月18日",
]
EN_GPU_PDF = [
    "Contract Award Notice - Supply of AI Training Servers",
    "Tender No.: NRI-2025-007",
    "Purchaser: Northridge Robotics Institute",
    "Procurement agency: Harbourline Procurement Services Ltd.",
    "Awarded to: Silverkey Trading Limited",
    "Contract value: USD 1,250,000",
    "Items: 4 x NVIDIA H200 GPU servers (HGX, 8 GPUs each)",
    "Published: March 3, 2025",
]
