"""Amounts of money in notices: 元/万元/亿元, ¥/￥ with separators, uppercase numerals
(壹佰贰拾万元整), other currencies kept with their ISO code.

Only CNY is converted without being asked; another currency becomes CNY only with
an explicit rate table (`rates`: ISO code -> CNY per unit).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Literal

Role = Literal["budget", "award", "price", "other"]

_DIGITS = {"零": 0, "〇": 0, "壹": 1, "一": 1, "贰": 2, "貳": 2, "二": 2, "两": 2, "兩": 2, "叁": 3, "參": 3, "叄": 3, "三": 3,
           "肆": 4, "四": 4, "伍": 5, "五": 5, "陆": 6, "陸": 6, "六": 6, "柒": 7, "七": 7, "捌": 8, "八": 8, "玖": 9, "九": 9}
_SMALL = {"拾": 10, "十": 10, "佰": 100, "百": 100, "仟": 1000, "千": 1000}
_BIG = {"万": 10**4, "萬": 10**4, "亿": 10**8, "億": 10**8}
_FRACTION = {"角": Decimal("0.1"), "分": Decimal("0.01")}
_UPPER_CHARS = "".join(_DIGITS) + "".join(_SMALL) + "".join(_BIG)
UPPER_RE = re.compile(rf"[{_UPPER_CHARS}]+[元圆圓](?:[{_UPPER_CHARS}]+[角分])*(?:整|正)?")

_CURRENCY_WORDS = {
    "¥": "CNY", "￥": "CNY", "rmb": "CNY", "cny": "CNY", "人民币": "CNY", "人民幣": "CNY", "元": "CNY", "圆": "CNY",
    "圓": "CNY", "us$": "USD", "usd": "USD", "$": "USD", "美元": "USD", "美金": "USD", "hk$": "HKD", "hkd": "HKD",
    "港元": "HKD", "港币": "HKD", "港幣": "HKD", "eur": "EUR", "€": "EUR", "欧元": "EUR", "歐元": "EUR",
    "jpy": "JPY", "日元": "JPY", "円": "JPY", "ntd": "TWD", "twd": "TWD", "nt$": "TWD", "新台币": "TWD", "新臺幣": "TWD",
    "新台幣": "TWD", "gbp": "GBP", "英镑": "GBP", "£": "GBP",
}
_SCALE = {"亿": 10**8, "億": 10**8, "万": 10**4, "萬": 10**4, "千": 10**3, "million": 10**6, "billion": 10**9, "m": 10**6, "bn": 10**9}

_NUM = r"\d{1,3}(?:[,，]\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_PREFIX = r"¥|￥|RMB|CNY|人民币|人民幣|US\$|USD|HK\$|HKD|NT\$|NTD|TWD|EUR|€|GBP|£|JPY|\$"
_SUFFIX = (r"亿元|億元|万元|萬元|千元|元|圆|圓|亿|億|万|萬|美元|美金|港元|港币|港幣|欧元|歐元|日元|新台币|新臺幣|新台幣|英镑"
           r"|million|billion|bn|USD|EUR|HKD|CNY|RMB|JPY|TWD|GBP")
AMOUNT_RE = re.compile(
    rf"(?P<cur>{_PREFIX})?\s*(?P<num>{_NUM})\s*(?:[（(]\s*)?(?P<unit>(?:{_SUFFIX})(?:\s*(?:人民币|人民幣|RMB|CNY|USD|元))?)?",
    re.I,
)

_LABELS: list[tuple[Role, re.Pattern[str]]] = [
    ("award", re.compile(r"中标(?:（成交）|\(成交\))?(?:金额|价格|价|总价)|成交(?:金额|价格|价|总价)|中標(?:金額|價格|價)|成交(?:金額|價格|價)"
                         r"|合同(?:金额|价款|总价|价)|合同(?:金額|價款|總價)|签约金额|决标金额|決標金額|得標金額|award(?:ed)?\s*(?:amount|value|price)"
                         r"|contract\s*(?:value|amount|price)|winning\s*bid|total\s*award", re.I)),
    ("budget", re.compile(r"预算|預算|最高限价|最高限價|控制价|控制價|招标控制|拦标价|采购金额|採購金額|项目金额|估算|budget|estimated\s*(?:value|amount)"
                          r"|maximum\s*price|ceiling\s*price", re.I)),
    ("price", re.compile(r"单价|單價|报价|報價|投标价|投标报价|unit\s*price|\bprice\b|总价|總價|小计|金额|金額|价格|價格|amount|value|费用|費用", re.I)),
]
_LABEL_UNIT = re.compile(r"[（(]\s*(?:单位[:：]?\s*)?(万元|萬元|亿元|億元|元)\s*[）)]|单位[:：]\s*(万元|萬元|元)")


@dataclass(frozen=True)
class Amount:
    value: float  # in `currency`
    currency: str  # ISO 4217
    role: Role
    text: str  # as written
    cny: float | None  # the value in CNY, when known

    def record(self) -> dict[str, object]:
        return {"value": self.value, "currency": self.currency, "role": self.role, "text": self.text, "cny": self.cny}


def parse_uppercase(text: str) -> Decimal | None:
    """壹佰贰拾万元整 -> 1200000; 叁仟伍佰元伍角 -> 3500.5; None if it is not a numeral amount."""
    m = UPPER_RE.search(text)
    if m is None:
        return None
    body = m.group(0)
    integer_part, _, fraction_part = re.split(r"([元圆圓])", body, maxsplit=1) if re.search(r"[元圆圓]", body) else (body, "", "")
    total = Decimal(0)
    section = 0  # below 10,000
    digit = 0
    for ch in integer_part:
        if ch in _DIGITS:
            digit = _DIGITS[ch]
        elif ch in _SMALL:
            section += (digit or 1) * _SMALL[ch]
            digit = 0
        elif ch in _BIG:
            section += digit
            total = (total + section) * _BIG[ch] if _BIG[ch] > 10**4 else total + section * _BIG[ch]
            section = digit = 0
    total += section + digit
    digit = 0
    for ch in fraction_part:
        if ch in _DIGITS:
            digit = _DIGITS[ch]
        elif ch in _FRACTION:
            total += digit * _FRACTION[ch]
            digit = 0
    return total


def _currency(*words: str | None) -> str | None:
    for word in words:
        if not word:
            continue
        w = word.strip().lower()
        for key, code in _CURRENCY_WORDS.items():
            if key in w:
                return code
    return None


def _scale(unit: str | None) -> int:
    if not unit:
        return 1
    u = unit.strip().lower()
    for key, factor in _SCALE.items():
        if u.startswith(key):
            return factor
    return 1


def label_role(label: str) -> Role | None:
    for role, pattern in _LABELS:
        if pattern.search(label):
            return role
    return None


def label_scale(label: str) -> int:
    """The unit a label or column header declares: 中标金额（万元） -> 10,000."""
    m = _LABEL_UNIT.search(label)
    return _scale(m.group(1) or m.group(2)) if m else 1


def parse_amount(value: str, role: Role = "other", default_scale: int = 1, rates: dict[str, float] | None = None,
                 require_unit: bool = False) -> Amount | None:
    """The first amount in a cell or a label's value: '¥1,185,000.00', '118.5 万元', '壹佰贰拾万元整'."""
    upper = parse_uppercase(value)
    m = AMOUNT_RE.search(value)
    if m is None or (upper is not None and value.find(m.group(0)) > value.find(UPPER_RE.search(value).group(0))):  # type: ignore[union-attr]
        if upper is None:
            return None
        return _amount(float(upper), "CNY", role, UPPER_RE.search(value).group(0), rates)  # type: ignore[union-attr]
    cur_word, unit = m.group("cur"), m.group("unit")
    if require_unit and not (cur_word or unit):
        return None
    try:
        number = Decimal(re.sub(r"[,，]", "", m.group("num")))
    except InvalidOperation:
        return None
    currency = _currency(cur_word, unit) or "CNY"
    scale = _scale(unit) if unit else default_scale
    return _amount(float(number * scale), currency, role, m.group(0).strip(), rates)


def _amount(value: float, currency: str, role: Role, text: str, rates: dict[str, float] | None) -> Amount:
    value = round(value, 2)
    if currency == "CNY":
        cny: float | None = value
    elif rates and currency in rates:
        cny = round(value * rates[currency], 2)
    else:
        cny = None
    return Amount(value, currency, role, text, cny)


_LABEL_BEFORE = re.compile(r"(?:[A-Za-z()]+\s+){0,3}[^：:\n|，,。；;\s]{1,24}\s*$")
_VALUE_END = re.compile(r"[\n|；;]")
_VALUE_START = re.compile(rf"\s*(?:{_PREFIX}|大写|小写|[（(])?\s*[：:]?\s*(?:{_PREFIX})?\s*[\d{_UPPER_CHARS}]", re.I)
_FREE = re.compile(rf"(?:{_PREFIX})\s*(?:{_NUM})|(?:{_NUM})\s*(?:亿元|億元|万元|萬元)|{UPPER_RE.pattern}", re.I)


_MONEY_HINT = re.compile(r"[元圆圓¥￥$€£]|金额|金額|价|價|预算|預算|budget|amount|value|price|cny|rmb|usd|eur|hkd", re.I)


def find_amounts(text: str, rates: dict[str, float] | None = None) -> list[Amount]:
    """Amounts after money labels (预算金额：..., 中标金额（万元）：...), and unlabelled ¥/万元/uppercase amounts."""
    found: list[Amount] = []
    covered: list[tuple[int, int]] = []
    for line_start, line in _lines(text):
        if _MONEY_HINT.search(line) is None:
            continue
        for colon in (i for i, ch in enumerate(line) if ch in "：:"):
            m = _LABEL_BEFORE.search(line, max(0, colon - 40), colon)
            role = label_role(m.group(0)) if m else None
            if m is None or role is None:
                continue
            value = line[colon + 1 : colon + 81]
            end = _VALUE_END.search(value)
            value = value[: end.start()] if end else value
            if _VALUE_START.match(value) is None:
                continue  # the value must begin with the amount: "金额：按国家标准收取" is not one
            amount = parse_amount(value, role, label_scale(m.group(0)), rates, require_unit=False)
            if amount is not None and amount.value > 0:
                found.append(amount)
                covered.append((line_start + m.start(), line_start + colon + 1 + len(value)))
    for m in _FREE.finditer(text):
        if any(s <= m.start() < e for s, e in covered):
            continue
        amount = parse_amount(m.group(0), "other", 1, rates)
        if amount is not None and amount.value > 0:
            found.append(amount)
    return found


def _lines(text: str) -> list[tuple[int, str]]:
    out, pos = [], 0
    for line in text.split("\n"):
        out.append((pos, line))
        pos += len(line) + 1
    return out
