"""Scan notice files: read, extract, screen every party, decide; one record per file.

`NoticeScanner.scan_file` never raises for a bad file: it returns a record whose
`errors` says what was wrong, so a folder of thousands of notices is scanned to
the end.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from computewatch.screening.model import Query
from computewatch.screening.screener import Screener
from computewatch.sources.tenders.document import (
    DEFAULT_MAX_BYTES,
    SUFFIXES,
    NoticeFileError,
    read_document,
)
from computewatch.tenders.decision import PartyHit, decide
from computewatch.tenders.notice import Notice, extract_notice
from computewatch.tenders.providers import ProviderBook, provider_book

MAX_MATCHES = 3
MAX_TEXT_CHARS = 1_000_000  # notice text kept in the record (and so in its case); longer text is cut here


def notice_files(paths: list[Path]) -> Iterator[Path]:
    """Files as given, and notice files (.html/.htm/.txt/.pdf) in folders, recursively, in name order."""
    for path in paths:
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if name.lower().endswith(SUFFIXES) and not name.startswith("."):
                        yield Path(root) / name
        else:
            yield path


@dataclass
class NoticeScanner:
    screener: Screener | None
    destination: str = "CN"
    as_of: date | None = None  # classify as of this day instead of each notice's date
    rates: dict[str, float] = field(default_factory=dict)
    max_bytes: int = DEFAULT_MAX_BYTES
    max_text_chars: int = MAX_TEXT_CHARS
    book: ProviderBook = field(default_factory=provider_book)
    _screened: dict[str, list[dict[str, Any]]] = field(default_factory=dict, repr=False)

    def scan_file(self, path: Path) -> dict[str, Any]:
        try:
            doc = read_document(path, self.max_bytes)
            notice = extract_notice(doc, self.book, self.destination, self.rates)
        except NoticeFileError as exc:
            return error_record(path, exc.reason)
        record = self.record(notice)
        # the notice text travels with the record: a case page shows it without ever opening a path again
        record["text"] = doc.text[: self.max_text_chars]
        record["text_truncated"] = len(doc.text) > self.max_text_chars
        return record

    def screen(self, name: str, country: str) -> list[dict[str, Any]]:
        key = f"{country}\t{name}"
        if key not in self._screened:
            matches = self.screener.screen(Query(name=name, country=country)) if self.screener else []
            self._screened[key] = [
                {k: v for k, v in m.to_record().items() if k != "features"} for m in matches[:MAX_MATCHES]
            ]
        return self._screened[key]

    def record(self, notice: Notice) -> dict[str, Any]:
        parties = [("buyer", notice.buyer), ("agency", notice.agency)] + [("supplier", s) for s in notice.suppliers]
        screened: list[dict[str, Any]] = []
        hits: list[PartyHit] = []
        for role, name in parties:
            if not name:
                continue
            matches = self.screen(name, notice.destination)
            screened.append({"role": role, "name": name, "listed": any(m["match"] for m in matches), "matches": matches})
            hits.extend(PartyHit(role, name, m["caption"], m["score"], m["source"]) for m in matches[:1] if m["match"])
        on = self.as_of or notice.date or date.today()
        decision = decide(notice.items, notice.destination, on, notice.suppliers, hits)
        award, budget = notice.amount("award"), notice.amount("budget")
        return {
            "file": notice.file,
            "title": notice.title,
            "buyer": notice.buyer,
            "agency": notice.agency,
            "suppliers": notice.suppliers,
            "amount_cny": award if award is not None else budget,
            "date": notice.date.isoformat() if notice.date else None,
            "items": decision.items,
            "flagged": decision.flagged,
            "reasons": decision.reasons,
            "parties_screened": screened,
            "notice_type": notice.notice_type,
            "notice_type_words": notice.notice_type_words,
            "project_number": notice.project_number,
            "budget_cny": budget,
            "award_cny": award,
            "amounts": [a.record() for a in notice.amounts],
            "destination": notice.destination,
            "classified_as_of": on.isoformat(),
            "intermediaries": decision.intermediaries,
            "notes": decision.notes,
            "format": notice.format,
            "encoding": notice.encoding,
            "script": "traditional" if notice.traditional else "simplified/latin",
            "errors": notice.warnings,
        }


def error_record(path: Path, reason: str) -> dict[str, Any]:
    """The record of a file that could not be read: contract fields empty, the reason in `errors`."""
    return {
        "file": str(path), "title": None, "buyer": None, "agency": None, "suppliers": [], "amount_cny": None,
        "date": None, "items": [], "flagged": False, "reasons": [], "parties_screened": [], "errors": [reason],
    }
