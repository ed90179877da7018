"""FollowTheMoney prefix dates ('2024', '2024-05', '2024-05-17') as days, and 'held on a day'."""

from __future__ import annotations

import calendar
import re
from datetime import date

_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:T.*)?$")


def parse_day(text: str, end: bool = False) -> date:
    """The first day a prefix date covers, or the last one when `end` (an end date is inclusive).

    Raises ValueError for anything that is not YYYY, YYYY-MM or YYYY-MM-DD (a time part is ignored).
    """
    m = _DATE.match(text.strip())
    if not m:
        raise ValueError(f"{text!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)")
    year, month, day = int(m.group(1)), m.group(2), m.group(3)
    if month is None:
        return date(year, 12, 31) if end else date(year, 1, 1)
    mon = int(month)
    if day is None:
        if not 1 <= mon <= 12:
            raise ValueError(f"{text!r}: month {mon} does not exist")
        return date(year, mon, calendar.monthrange(year, mon)[1] if end else 1)
    return date(year, mon, int(day))  # raises ValueError for 2024-02-30


def held_on(start: date | None, end: date | None, on: date) -> bool:
    """True when a relationship that started on `start` and ended on `end` (inclusive) held on `on`."""
    return (start is None or start <= on) and (end is None or on <= end)
