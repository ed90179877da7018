"""Chinese numerals, read one way everywhere: amounts in notices (壹佰贰拾万元), dates (二〇二四年五月十日),
and numbers in names (第十四研究所).

    parse_chinese_number('三千二')   -> 3200      (a digit after a unit is the next lower unit: 三千二 = 3,200)
    parse_chinese_number('一百一')   -> 110
    parse_chinese_number('两万五')   -> 25000
    parse_chinese_number('一亿二')   -> 120000000
    parse_chinese_number('三千零二') -> 3002      (零 marks the skipped units)
    parse_chinese_number('十四')     -> 14        (a leading 十 is 一十)
    parse_chinese_number('一万')     -> 10000
    parse_chinese_number('七〇七')   -> 707       (digits alone are read place by place)
    parse_chinese_number('三点五万') -> 35000
    parse_chinese_number('十十')     -> None      (units must fall: 十十, 百千, 万万 are not numbers)

Simplified, traditional and financial (大写) characters are all read. Written here rather than taken from
cn2an: cn2an 0.5 reads most of these forms in its "normal" mode, but raises KeyError (not its ValueError) on
一亿二, reads 角/分 not at all, and brings a dependency for ~80 lines of well-tested grammar.
"""

from __future__ import annotations

from decimal import Decimal

DIGITS = {
    "零": 0, "〇": 0, "○": 0, "Ｏ": 0,
    "一": 1, "壹": 1, "二": 2, "贰": 2, "貳": 2, "两": 2, "兩": 2, "三": 3, "叁": 3, "參": 3, "叄": 3,
    "四": 4, "肆": 4, "五": 5, "伍": 5, "六": 6, "陆": 6, "陸": 6, "七": 7, "柒": 7, "八": 8, "捌": 8, "九": 9, "玖": 9,
}  # fmt: skip
SMALL_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
BIG_UNITS = {"万": 10**4, "萬": 10**4, "亿": 10**8, "億": 10**8}
TENS = {"廿": 20, "卅": 30, "卌": 40}
ZEROS = frozenset(c for c, v in DIGITS.items() if v == 0)
POINT = frozenset("点點")
NUMERAL_CHARS = "".join(DIGITS) + "".join(SMALL_UNITS) + "".join(BIG_UNITS) + "".join(TENS)


def parse_chinese_number(text: str) -> Decimal | None:
    """The value of a Chinese numeral, or None when it is not one (see the module's examples)."""
    text = (text or "").strip()
    if not text:
        return None
    for ch, value in TENS.items():  # 廿三 = 二十三
        text = text.replace(ch, {20: "二十", 30: "三十", 40: "四十"}[value])
    if any(ch in POINT for ch in text):
        return _with_point(text)
    whole = _integer(text)
    return None if whole is None else Decimal(whole)


def parse_chinese_integer(text: str) -> int | None:
    value = parse_chinese_number(text)
    return int(value) if value is not None and value == int(value) else None


def _with_point(text: str) -> Decimal | None:
    """三点五万 = 35,000; 零点五 = 0.5: digits after the point, then at most the big units."""
    whole, _, rest = text.partition("点" if "点" in text else "點")
    scale = 1
    while rest and rest[-1] in BIG_UNITS:
        scale *= BIG_UNITS[rest[-1]]
        rest = rest[:-1]
    if not rest or any(ch not in DIGITS for ch in rest):
        return None
    head = _integer(whole) if whole else 0
    if head is None:
        return None
    fraction = Decimal("0." + "".join(str(DIGITS[ch]) for ch in rest))
    return (head + fraction) * scale


def _integer(text: str) -> int | None:
    if all(ch in DIGITS for ch in text):  # 七〇七, 二〇二四: place by place
        return int("".join(str(DIGITS[ch]) for ch in text))
    total, section = 0, 0  # section: the part below the current big unit
    digit: int | None = None
    last_small = 10**5  # units within a section must fall: 千 > 百 > 十
    last_big = 10**13
    after_unit = 0  # the unit just read (for 三千二 = 3,200); 0 after a digit or a 零
    zero = False
    for i, ch in enumerate(text):
        if ch in DIGITS:
            if digit is not None and not (DIGITS[ch] == 0 or ch in ZEROS):
                return None  # two digits in a row inside a numeral with units (三二百)
            if ch in ZEROS:
                zero, after_unit = True, 0
                continue
            digit = DIGITS[ch]
            if i == len(text) - 1 and after_unit and not zero:
                # a last digit right after a unit: the next lower unit (三千二 = 3,200, 一亿二 = 1.2 x 10^8)
                return total + section + digit * after_unit // 10
            after_unit = 0
        elif ch in SMALL_UNITS:
            unit = SMALL_UNITS[ch]
            if unit >= last_small:
                return None  # 十十, 百千
            if digit is None and not (unit == 10 and section == 0 and not zero):
                return None  # 百 with no digit (a bare leading 十 is 一十)
            section += (digit or 1) * unit
            digit, last_small, after_unit, zero = None, unit, unit, False
        elif ch in BIG_UNITS:
            unit = BIG_UNITS[ch]
            section += digit or 0
            if unit >= last_big or (section == 0 and total == 0):
                return None  # 万万, 亿万亿, a unit with nothing before it
            if unit > 10**4 or total == 0:
                total = (total + section) * unit
            else:  # 万 after 亿: 一亿二千万
                total += section * unit
            section, digit, last_small, last_big, after_unit, zero = 0, None, 10**5, unit, unit, False
        else:
            return None
    return total + section + (digit or 0)
