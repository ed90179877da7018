"""Dates in notices: 2024年5月10日, 2024-05-10, 2024/5/10, 二〇二四年五月十日, 民國113年5月10日, May 10, 2024."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from computewatch.numerals import parse_chinese_integer

_MONTHS = {m: i + 1 for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"))}
_H = "〇零○Ｏ一二三四五六七八九"

DATE_RE = re.compile(
    rf"(?=[0-9民{_H}JFMASONDjfmasond])"  # lets the engine skip most positions at once
    r"(?:(?P<y>(?:19|20)\d{2})\s*[年\-/.]\s*(?P<m>\d{1,2})\s*[月\-/.]\s*(?P<d>\d{1,2})(?!\d)"
    rf"|(?P<hy>[{_H}]{{4}})年(?P<hm>[{_H}十]{{1,2}})月(?P<hd>[{_H}十]{{1,3}})日"
    r"|民[国國]\s*(?P<ry>\d{2,3})\s*年\s*(?P<rm>\d{1,2})\s*月\s*(?P<rd>\d{1,2})\s*日"
    r"|(?P<em>Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+(?P<ed>\d{1,2}),?\s+(?P<ey>(?:19|20)\d{2})"
    r"|(?P<ed2>\d{1,2})\s+(?P<em2>Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?,?\s+(?P<ey2>(?:19|20)\d{2}))",
    re.I,
)
_PUBLISHED = re.compile(r"(?:发布|發布|公告|公示|发稿|發稿|刊登|公开|公開)(?:时间|時間|日期)|publi(?:shed|cation)\s*(?:date|on)?|date\s*of\s*(?:publication|notice)|notice\s*date", re.I)


@dataclass(frozen=True)
class FoundDate:
    day: date
    start: int


def _han_number(text: str) -> int:
    """二〇二四 -> 2024, 十二 -> 12 (computewatch.numerals, the one Chinese-numeral reader); ValueError if not a number."""
    value = parse_chinese_integer(text)
    if value is None:
        raise ValueError(f"not a Chinese numeral: {text!r}")
    return value


def _to_date(m: re.Match[str]) -> date | None:
    g = m.groupdict()
    try:
        if g["y"]:
            return date(int(g["y"]), int(g["m"]), int(g["d"]))
        if g["hy"]:
            return date(_han_number(g["hy"]), _han_number(g["hm"]), _han_number(g["hd"]))
        if g["ry"]:
            return date(int(g["ry"]) + 1911, int(g["rm"]), int(g["rd"]))
        if g["em"]:
            return date(int(g["ey"]), _MONTHS[g["em"][:3].lower()], int(g["ed"]))
        if g["em2"]:
            return date(int(g["ey2"]), _MONTHS[g["em2"][:3].lower()], int(g["ed2"]))
    except (ValueError, KeyError):
        return None
    return None


def find_dates(text: str) -> list[FoundDate]:
    out = []
    for m in DATE_RE.finditer(text):
        day = _to_date(m)
        if day is not None:
            out.append(FoundDate(day, m.start()))
    return out


def notice_date(text: str, dates: list[FoundDate] | None = None) -> date | None:
    """The publication date: the date after a 发布时间/公告日期/Published label, else the last date in the text."""
    dates = find_dates(text) if dates is None else dates
    if not dates:
        return None
    for label in _PUBLISHED.finditer(text):
        after = [d for d in dates if 0 <= d.start - label.end() <= 20]
        if after:
            return after[0].day
    return dates[-1].day
