"""Line items: rows of item tables (名称/品牌/型号/数量/单价), else the lines that name compute.

Each item keeps its text as written plus what its columns say; recognition
(recognise.py) then reads the text for chips, providers and quantities.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from computewatch.sources.tenders.money import label_scale, parse_amount
from computewatch.sources.tenders.script import NoticeText
from computewatch.sources.tenders.text import Table

_COLUMNS: dict[str, re.Pattern[str]] = {
    "name": re.compile(r"名称|品目|标的|货物|服务内容|采购内容|项目内容|产品|设备|item|description|product|goods|service", re.I),
    "brand": re.compile(r"品牌|厂商|厂家|制造商|brand|manufacturer|make", re.I),
    "model": re.compile(r"型号|规格|配置|技术参数|model|specification|spec", re.I),
    "quantity": re.compile(r"数量|数目|qty|quantity", re.I),
    "unit_price": re.compile(r"单价|unit\s*price", re.I),
    "spec": re.compile(r"范围|要求|内容|参数|说明|scope|requirement", re.I),
}
_NOT_ITEMS = re.compile(r"得分|评分|排名|score|rank", re.I)
_ITEM_LINE_LABEL = re.compile(r"^(?:\d+[.、．]\s*)?(?:采购内容|采购需求|采购标的|标的名称|品目名称|项目概况|项目名称|服务内容|主要标的|scope|subject|description)\s*[:：]", re.I)
_QTY = re.compile(r"(\d+(?:[.,]\d+)?)\s*([^\d\s]{0,3})")
MAX_TEXT_ITEMS = 50


@dataclass
class LineItem:
    text: str
    name: str | None = None
    brand: str | None = None
    model: str | None = None
    quantity: float | None = None
    unit: str | None = None
    unit_price_cny: float | None = None
    source: str = "text"  # table or text
    context: str = ""  # neighbouring text that helps recognition (table header, nearby lines)
    extra: dict[str, object] = field(default_factory=dict)


def _header_map(header: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for i, cell in enumerate(header):
        for key, pattern in _COLUMNS.items():
            if key not in found and pattern.search(cell) and not (key == "name" and re.search(r"供应商|单位名称|supplier", cell, re.I)):
                found[key] = i
                break
    return found


def table_items(table: Table, nt: NoticeText, rates: dict[str, float] | None = None) -> list[LineItem]:
    header = [nt.to_simplified(c) for c in table[0]]
    columns = _header_map(header)
    if "name" not in columns or len(columns) < 2 or any(_NOT_ITEMS.search(c) for c in header):
        return []
    items = []
    for row in table[1:]:
        if columns["name"] >= len(row) or not row[columns["name"]].strip():
            continue

        def cell(key: str, row: list[str] = row) -> str | None:
            i = columns.get(key)
            value = row[i].strip() if i is not None and i < len(row) else ""
            return value or None

        item = LineItem(text=" ".join(c for c in row if c), name=cell("name"), brand=cell("brand"), model=cell("model"),
                        source="table", context=" ".join(table[0]))
        qty = cell("quantity")
        if qty:
            m = _QTY.search(qty)
            if m:
                item.quantity = float(m.group(1).replace(",", ""))
                item.unit = m.group(2) or None
        price = cell("unit_price")
        if price:
            amount = parse_amount(price, "price", label_scale(header[columns["unit_price"]]), rates)
            item.unit_price_cny = amount.cny if amount else None
        items.append(item)
    return items


def text_items(nt: NoticeText, wanted: list[bool], covered: set[str]) -> list[LineItem]:
    """Items from lines: each line flagged in `wanted` (it names compute), with its neighbours as context."""
    lines = nt.original.split("\n")
    items = []
    for i, line in enumerate(lines):
        if not wanted[i] or line.strip() in covered:
            continue
        context = " ".join(lines[max(0, i - 1) : i + 2])
        items.append(LineItem(text=line.strip()[:300], context=context))
        if len(items) >= MAX_TEXT_ITEMS:
            break
    return items


def summary_items(nt: NoticeText) -> list[LineItem]:
    """When nothing names compute: the lines that say what is bought (采购内容：..., 项目名称：...)."""
    out = []
    for line in nt.original.split("\n"):
        if _ITEM_LINE_LABEL.search(nt.to_simplified(line)):
            out.append(LineItem(text=line.strip()[:300]))
        if len(out) >= 5:
            break
    return out
