"""Notice fields: title, notice type, project number, buyer, agency, suppliers.

Patterns read the simplified text (see script.py); Chinese labels as used by
ccgp.gov.cn and provincial platforms (采购人/采购单位, 采购代理机构, 中标/成交供应商,
拟定供应商; "1.采购人信息 / 名 称：..." sections) and English ones.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from computewatch.sources.tenders.script import NoticeText
from computewatch.sources.tenders.text import Document, Table

Role = str  # buyer, agency, supplier

# (notice_type, pattern), first that holds in the title (then the text head) wins
_NOTICE_TYPES: list[tuple[str, re.Pattern[str]]] = [
    ("correction", re.compile(r"更正|变更|澄清|corrigendum|amendment", re.I)),
    ("termination", re.compile(r"终止|废标|流标|取消|terminat|cancel", re.I)),
    ("single_source", re.compile(r"单一来源|single[\s\-]source", re.I)),
    ("award", re.compile(r"中标|成交|结果公告|结果公示|决标|得标|award|contract\s+notice|result", re.I)),
    ("contract", re.compile(r"合同公告|合同公示|contract", re.I)),
    ("intention", re.compile(r"采购意向|意向公开|prior\s+information", re.I)),
    ("acceptance", re.compile(r"验收", re.I)),
    ("tender", re.compile(r"招标公告|采购公告|磋商公告|谈判公告|询价公告|比选公告|竞价公告|公开招标|邀请招标|竞争性|询价|招标|tender|invitation|request\s+for", re.I)),
]

_PROJECT_NO = re.compile(
    r"(?:采购项目编号|项目编号|招标编号|采购编号|项目编码|采购计划编号|招标项目编号|标案案号|案号|"
    r"project\s*(?:no\.?|number|id)|tender\s*(?:no\.?|number|id)|reference\s*(?:no\.?|number))\s*[:：|]?\s*"
    r"(?P<value>[A-Za-z0-9][A-Za-z0-9\-_/.#\[\]【】〔〕（）()号]{2,60})",
    re.I,
)

_SEP = r"\s*(?:[:：]|\|)\s*"
_LABELS: list[tuple[Role, re.Pattern[str]]] = [
    ("agency", re.compile(r"(?:采购|招标|集中采购)?代理机构(?:名称)?|集中采购机构(?:名称)?|procurement\s+agen(?:t|cy)|tendering\s+agen(?:t|cy)", re.I)),
    ("buyer", re.compile(r"采购人(?:名称|单位)?|采购单位(?:名称)?|招标人(?:名称)?|招标单位|机关名称|需求单位|purchaser|buyer|procuring\s+entity|contracting\s+authority", re.I)),
    ("supplier", re.compile(
        r"(?:中标|成交|中标（成交）|中标\(成交\))(?:供应商|人|单位)(?:名称)?|拟定(?:的唯一)?供应商(?:名称)?|拟采购供应商|"
        r"供应商名称|得标厂商|决标厂商|winning\s+(?:bidder|tenderer|supplier)|successful\s+(?:bidder|tenderer)|awarded\s+to|"
        r"supplier|contractor", re.I)),
]
_SECTIONS: list[tuple[Role, re.Pattern[str]]] = [
    ("agency", re.compile(r"^(?:\d+|[一二三四五六七八九十]+)?[.、．]?\s*(?:采购)?代理机构信息")),
    ("buyer", re.compile(r"^(?:\d+|[一二三四五六七八九十]+)?[.、．]?\s*采购(?:人|单位)信息")),
    ("supplier", re.compile(r"^(?:\d+|[一二三四五六七八九十]+)?[.、．]?\s*(?:中标|成交|中标（成交）|拟定)(?:供应商)?(?:信息|结果)|供应商信息")),
]
_LABELLED = [(role, re.compile(rf"(?:^|[\s|,，；;、.．\d])(?:{p.pattern})(?:\s*\d)?{_SEP}", re.I)) for role, p in _LABELS]
_ANY_LABEL = re.compile("|".join(p.pattern for _, p in _LABELS), re.I)
_NAME_LINE = re.compile(r"^(?:单位)?名\s*称" + _SEP + r"(?P<value>.+)$")
_HEADING = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|\d+[.、．](?!\d))")
_CUT_HAN = re.compile(r"\s|[，,；;。|]|地\s*址|联系|电\s*话|（以下简称|\(以下简称")
_CUT_ASCII = re.compile(r";|\||\s{2,}|\s\(|,\s*(?:address|tel|phone|contact)", re.I)
_EMPTY = re.compile(r"^(?:/|／|-|—|无|详见.*|见附件.*|n/?a|none|\*+)$", re.I)
_HAN = re.compile(r"[\u4e00-\u9fff]")
_SUPPLIER_HEADER = re.compile(r"供应商|中标人|成交人|得标|厂商|supplier|bidder|winner|contractor|awardee", re.I)
_NOT_WINNERS = re.compile(r"得分|评分|排名|名次|投标人|响应人|score|rank", re.I)


@dataclass
class Parties:
    buyer: str | None = None
    agency: str | None = None
    suppliers: list[str] = field(default_factory=list)


def clean_name(value: str) -> str | None:
    value = value.strip().strip("：:|").strip()
    cut = _CUT_HAN if _HAN.search(value) else _CUT_ASCII
    m = cut.search(value)
    if m is not None:
        value = value[: m.start()]
    value = value.strip(" .。，,;；").strip() if _HAN.search(value) else value.strip(" ,;").strip()
    if len(value) < 2 or len(value) > 80 or _EMPTY.match(value) or not re.search(r"[A-Za-z\u4e00-\u9fff]", value):
        return None
    return value


def _add(parties: Parties, role: Role, name: str | None) -> None:
    if not name:
        return
    if role == "buyer" and parties.buyer is None:
        parties.buyer = name
    elif role == "agency" and parties.agency is None:
        parties.agency = name
    elif role == "supplier" and name not in parties.suppliers:
        parties.suppliers.append(name)


def find_parties(nt: NoticeText, tables: list[Table]) -> Parties:
    parties = Parties()
    section: Role | None = None
    pos = 0
    for line in nt.simplified.split("\n"):
        start, pos = pos, pos + len(line) + 1
        heading = next((role for role, pattern in _SECTIONS if pattern.search(line)), None) if "信息" in line or "结果" in line else None
        if heading is not None:
            section = heading
        elif _HEADING.match(line) and not _NAME_LINE.match(line):
            section = None
        if " | " in line:
            continue  # table rows are read from the tables
        name_line = _NAME_LINE.match(line)
        if name_line and section:
            _add(parties, section, clean_name(nt.cut(start + name_line.start("value"), start + len(line))))
            continue
        if _ANY_LABEL.search(line) is None:
            continue
        for role, pattern in _LABELLED:
            for m in pattern.finditer(line):
                value = nt.cut(start + m.end(), start + len(line))
                _add(parties, role, clean_name(value))
    for table in tables:
        for name in _table_suppliers(table, nt):
            _add(parties, "supplier", name)
        for role, name in _table_pairs(table, nt):
            _add(parties, role, name)
    if parties.buyer and parties.buyer in parties.suppliers:
        parties.suppliers.remove(parties.buyer)
    return parties


def _table_suppliers(table: Table, nt: NoticeText) -> list[str]:
    header = [nt.to_simplified(c) for c in table[0]]
    columns = [i for i, c in enumerate(header) if _SUPPLIER_HEADER.search(c) and not re.search(r"地址|电话|联系|address|phone", c, re.I)]
    if not columns or any(_NOT_WINNERS.search(c) for c in header) and not any(re.search(r"中标|成交|拟定", header[i]) for i in columns):
        return []
    names = []
    for row in table[1:]:
        for i in columns[:1]:
            if i < len(row):
                name = clean_name(row[i])
                if name:
                    names.append(name)
    return names


def _table_pairs(table: Table, nt: NoticeText) -> list[tuple[Role, str]]:
    """Key-value tables: 采购人 | 某某大学 | 采购代理机构 | 某某公司."""
    found = []
    for row in table:
        for key, value in zip(row, row[1:], strict=False):
            key = nt.to_simplified(key).strip().rstrip("：:")
            for role, pattern in _LABELS:
                if pattern.fullmatch(key):
                    name = clean_name(value)
                    if name and not any(p.search(name) for _, p in _LABELS):
                        found.append((role, name))
                    break
    return found


def find_title(doc: Document, nt: NoticeText) -> str | None:
    if doc.title:
        return doc.title
    for line in nt.original.split("\n")[:8]:
        line = line.strip()
        if 4 <= len(line) <= 200 and not re.match(r"^(?:发布|發布|published|date)", line, re.I):
            return line
    return None


def find_notice_type(title: str | None, nt: NoticeText) -> tuple[str, str | None]:
    """(type, the words that decided it); the title decides first, then the first 300 characters."""
    for text in (nt.to_simplified(title or ""), nt.simplified[:300]):
        for kind, pattern in _NOTICE_TYPES:
            m = pattern.search(text)
            if m:
                return kind, m.group(0)
    return "other", None


def find_project_number(nt: NoticeText) -> str | None:
    m = _PROJECT_NO.search(nt.simplified)
    if m is None:
        return None
    return nt.cut(m.start("value"), m.end("value")).rstrip(".。)）")
