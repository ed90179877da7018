"""Amounts of money in notices: 元/万元/亿元, ¥/￥ with separators, uppercase numerals
(壹佰贰拾万元整, read by computewatch.numerals), other currencies kept with their ISO code:
100万美元 is USD 1,000,000, 50万港元 HKD 500,000, HK$ HKD (each currency word is looked up whole).

Only CNY is converted without being asked; another currency becomes CNY only with
an explicit rate table (`rates`: ISO code -> CNY per unit).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Literal

from computewatch.numerals import DIGITS, NUMERAL_CHARS, parse_chinese_number

Role = Literal["budget", "award", "price", "other"]

_FRACTION = {"角": Decimal("0.1"), "分": Decimal("0.01")}
UPPER_RE = re.compile(rf"[{NUMERAL_CHARS}]+[元圆圓](?:[{NUMERAL_CHARS}]+[角分])*(?:整|正)?")

# Every currency word, looked up whole (never by substring): 'HK$' is HKD, not USD; '美元' is USD, not 元.
_CURRENCY_WORDS = {
    "¥": "CNY", "￥": "CNY", "rmb": "CNY", "cny": "CNY", "人民币": "CNY", "人民幣": "CNY", "元": "CNY", "圆": "CNY", "圓": "CNY",
    "us$": "USD", "usd": "USD", "$": "USD", "美元": "USD", "美金": "USD",
    "hk$": "HKD", "hkd": "HKD", "港元": "HKD", "港币": "HKD", "港幣": "HKD",
    "eur": "EUR", "€": "EUR", "欧元": "EUR", "歐元": "EUR", "jpy": "JPY", "日元": "JPY", "円": "JPY",
    "nt$": "TWD", "ntd": "TWD", "twd": "TWD", "新台币": "TWD", "新臺幣": "TWD", "新台幣": "TWD",
    "gbp": "GBP", "£": "GBP", "英镑": "GBP", "英鎊": "GBP",
}  # fmt: skip
_GENERIC = frozenset({"元", "圆", "圓"})  # 元 after a number is the prefix's currency when one is given (HK$100万元)
_SCALE = {"亿": 10**8, "億": 10**8, "万": 10**4, "萬": 10**4, "千": 10**3, "仟": 10**3, "百": 10**2, "佰": 10**2, "十": 10, "拾": 10,
          "million": 10**6, "mn": 10**6, "billion": 10**9, "bn": 10**9}  # fmt: skip

_NUM = r"\d{1,3}(?:[,，]\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_PREFIX = r"US\$|HK\$|NT\$|¥|￥|RMB|CNY|人民币|人民幣|USD|HKD|NTD|TWD|EUR|€|GBP|£|JPY|\$"
_SCALE_WORD = r"[十拾百佰千仟]?[万萬亿億]|[千仟]|million|billion|mn|bn"
_CURRENCY_AFTER = "|".join(sorted((re.escape(w) for w in _CURRENCY_WORDS if w not in ("$", "¥", "￥", "€", "£")), key=len, reverse=True))
AMOUNT_RE = re.compile(
    rf"(?P<cur>{_PREFIX})?\s*(?P<num>{_NUM})\s*(?:[（(]\s*)?(?P<unit>(?P<scale>{_SCALE_WORD})?\s*(?P<word>{_CURRENCY_AFTER})?"
    rf"(?:\s*(?:人民币|人民幣|RMB|CNY))?)",
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
    """壹佰贰拾万元整 -> 1200000; 叁仟伍佰元伍角 -> 3500.5; 三千二百万元 -> 32000000; None if it is not a numeral amount."""
    m = UPPER_RE.search(text)
    if m is None:
        return None
    integer_part, _, fraction_part = re.split(r"([元圆圓])", m.group(0), maxsplit=1)
    total = parse_chinese_number(integer_part)
    if total is None:
        return None
    digit = 0
    for ch in fraction_part:
        if ch in DIGITS:
            digit = DIGITS[ch]
        elif ch in _FRACTION:
            total += digit * _FRACTION[ch]
            digit = 0
    return total


def currency_of(before: str | None, after: str | None) -> str | None:
    """The currency of an amount from the word before its number (US$, HK$, ¥...) and the word after it
    (美元, 港元, 元, USD...), each looked up whole. A specific word after the number wins; plain 元 is the
    currency before the number when one is given (HK$100万元), else CNY."""
    cur = _CURRENCY_WORDS.get(before.strip().lower()) if before else None
    word = (after or "").strip().lower()
    if word and word not in _GENERIC:
        return _CURRENCY_WORDS.get(word) or cur
    return cur or (_CURRENCY_WORDS.get(word) if word else None)


def scale_of(unit: str | None) -> int:
    """万 -> 10,000; 千万 -> 10,000,000; 百万 -> 1,000,000; million -> 1,000,000; '' -> 1."""
    u = (unit or "").strip().lower()
    if u in _SCALE:
        return _SCALE[u]
    factor = 1
    for ch in u:
        if ch not in _SCALE:
            return 1
        factor *= _SCALE[ch]
    return factor


def label_role(label: str) -> Role | None:
    for role, pattern in _LABELS:
        if pattern.search(label):
            return role
    return None


def label_scale(label: str) -> int:
    """The unit a label or column header declares: 中标金额（万元） -> 10,000."""
    m = _LABEL_UNIT.search(label)
    return scale_of((m.group(1) or m.group(2)).rstrip("元")) if m else 1


def parse_amount(value: str, role: Role = "other", default_scale: int = 1, rates: dict[str, float] | None = None,
                 require_unit: bool = False) -> Amount | None:
    """The first amount in a cell or a label's value: '¥1,185,000.00', '118.5 万元', '壹佰贰拾万元整'."""
    upper = parse_uppercase(value)
    m = AMOUNT_RE.search(value)
    if m is None or (upper is not None and value.find(m.group(0)) > value.find(UPPER_RE.search(value).group(0))):  # type: ignore[union-attr]
        if upper is None:
            return None
        found = UPPER_RE.search(value)
        before = _UPPER_CURRENCY.search(value[: found.start()]) if found else None  # 美元壹拾万元整
        return _amount(float(upper), _CURRENCY_WORDS[before.group(0)] if before else "CNY", role, found.group(0) if found else value, rates)
    cur_word, scale_word, word = m.group("cur"), m.group("scale"), m.group("word")
    if require_unit and not (cur_word or scale_word or word):
        return None
    try:
        number = Decimal(re.sub(r"[,，]", "", m.group("num")))
    except InvalidOperation:
        return None
    currency = currency_of(cur_word, word) or "CNY"
    scale = scale_of(scale_word) if scale_word else default_scale
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


_UPPER_CURRENCY = re.compile(r"(?:美元|美金|港元|港币|港幣|欧元|歐元|日元|英镑|英鎊|新台币|新臺幣|新台幣|人民币|人民幣)(?=\s*[:：]?\s*$)")
_LABEL_BEFORE = re.compile(r"(?:[A-Za-z()]+\s+){0,3}[^：:\n|，,。；;\s]{1,24}\s*$")
_VALUE_END = re.compile(r"[\n|；;]")
_VALUE_START = re.compile(rf"\s*(?:{_PREFIX}|大写|小写|[（(])?\s*[：:]?\s*(?:{_PREFIX})?\s*[\d{NUMERAL_CHARS}]", re.I)
_SPECIFIC_AFTER = "|".join(sorted((re.escape(w) for w in _CURRENCY_WORDS if len(w) > 1 and w not in _GENERIC), key=len, reverse=True))
_FREE = re.compile(rf"(?:{_PREFIX})\s*(?:{_NUM})|(?:{_NUM})\s*(?:{_SCALE_WORD})\s*(?:元|圆|圓|{_SPECIFIC_AFTER})"
                   rf"|(?:{_NUM})\s*(?:{_SPECIFIC_AFTER})(?![a-z])|{UPPER_RE.pattern}", re.I)


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
