"""From a read document to a notice: fields, amounts, dates, recognised line items."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from computewatch.sources.tenders.dates import find_dates, notice_date
from computewatch.sources.tenders.fields import (
    find_notice_type,
    find_parties,
    find_project_number,
    find_title,
)
from computewatch.sources.tenders.items import LineItem, summary_items, table_items, text_items
from computewatch.sources.tenders.money import (
    Amount,
    find_amounts,
    label_role,
    label_scale,
    parse_amount,
)
from computewatch.sources.tenders.script import NoticeText
from computewatch.sources.tenders.text import Document
from computewatch.tenders.providers import ProviderBook
from computewatch.tenders.recognise import Recognised, lines_naming_chips, recognise

# Strong signs of where the buyer is; otherwise the scan's default destination applies.
_PLACES = [
    ("HK", re.compile(r"香港特别行政区|香港特別行政區|Hong Kong SAR|HKSAR")),
    ("MO", re.compile(r"澳门特别行政区|澳門特別行政區|Macao SAR|Macau SAR")),
    ("TW", re.compile(r"中华民国|中華民國|行政院")),
]


@dataclass
class Notice:
    file: str
    format: str
    encoding: str | None
    title: str | None
    notice_type: str
    notice_type_words: str | None
    project_number: str | None
    buyer: str | None
    agency: str | None
    suppliers: list[str]
    amounts: list[Amount]
    date: date | None
    destination: str
    traditional: bool
    items: list[tuple[LineItem, Recognised]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def amount(self, role: str) -> float | None:
        values = [a.cny for a in self.amounts if a.role == role and a.cny is not None]
        return max(values) if values else None


def _destination(text: str, default: str) -> str:
    for code, pattern in _PLACES:
        if pattern.search(text):
            return code
    return default


def _table_amounts(doc: Document, nt: NoticeText, rates: dict[str, float] | None) -> list[Amount]:
    """Award and budget amounts in table columns (中标金额（万元）...); a table with several rows sums to one award."""
    out: list[Amount] = []
    for table in doc.tables:
        header = [nt.to_simplified(c) for c in table[0]]
        for i, cell in enumerate(header):
            role = label_role(cell)
            if role not in ("award", "budget"):
                continue
            found = [parse_amount(row[i], role, label_scale(cell), rates) for row in table[1:] if i < len(row)]
            values = [a for a in found if a is not None and a.value > 0]
            if len(values) > 1 and role == "award" and all(a.currency == values[0].currency for a in values):
                total = sum(a.value for a in values)
                cny = sum(a.cny for a in values if a.cny is not None) if all(a.cny is not None for a in values) else None
                out.append(Amount(round(total, 2), values[0].currency, role, " + ".join(a.text for a in values), cny))
            else:
                out.extend(values)
    return out


def _lines_of(offsets: list[int], lines: list[str]) -> set[int]:
    """Indexes of the lines holding these character offsets."""
    found: set[int] = set()
    pos, i = 0, 0
    for offset in sorted(offsets):
        while i < len(lines) and pos + len(lines[i]) < offset:
            pos += len(lines[i]) + 1
            i += 1
        found.add(i)
    return found


def extract_notice(doc: Document, book: ProviderBook, default_destination: str = "CN",
                   rates: dict[str, float] | None = None) -> Notice:
    nt = NoticeText.of(doc.text)
    title = find_title(doc, nt)
    kind, words = find_notice_type(title, nt)
    parties = find_parties(nt, doc.tables)
    dates = find_dates(nt.simplified)
    destination = _destination(nt.original, default_destination)
    items: list[LineItem] = []
    covered: set[str] = set()
    for table in doc.tables:
        found = table_items(table, nt, rates)
        if found:
            items.extend(found)
            covered |= {" | ".join(c for c in row if c) for row in table}
    lines = nt.original.split("\n")
    with_provider = _lines_of([m.start for m in book.find(nt.original)], lines)
    with_chip = lines_naming_chips(lines)
    wanted = [i in with_provider or i in with_chip for i in range(len(lines))]
    items.extend(text_items(nt, wanted, covered))
    recognised = [(item, recognise(item, book, destination)) for item in items]
    if not recognised:
        recognised = [(i, recognise(i, book, destination)) for i in summary_items(nt)]
    return Notice(
        file=str(doc.path), format=doc.format, encoding=doc.encoding, title=title, notice_type=kind,
        notice_type_words=words, project_number=find_project_number(nt), buyer=parties.buyer, agency=parties.agency,
        suppliers=parties.suppliers, amounts=find_amounts(nt.simplified, rates) + _table_amounts(doc, nt, rates),
        date=notice_date(nt.simplified, dates), destination=destination, traditional=nt.traditional,
        items=recognised, warnings=list(doc.warnings),
    )
