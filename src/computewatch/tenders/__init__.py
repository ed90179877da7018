"""Procurement notices (SCENARIOS.md S1-S3): read .html/.htm/.txt/.pdf notices in any
of the usual encodings, extract their fields and line items, recognise controlled
chips and foreign cloud/model providers, screen every party, and flag with reasons.

    scanner = NoticeScanner(screener)              # screener: computewatch.screening.Screener or None
    record = scanner.scan_file(Path("notice.html"))  # the CONTRACTS.md tenders record (+ extras)
"""

from __future__ import annotations

from computewatch.sources.tenders.document import Document, NoticeFileError, read_document
from computewatch.tenders.demo import demo_tenders
from computewatch.tenders.notice import Notice, extract_notice
from computewatch.tenders.providers import Provider, provider_book
from computewatch.tenders.scan import NoticeScanner, error_record, notice_files

__all__ = [
    "Document",
    "Notice",
    "NoticeFileError",
    "NoticeScanner",
    "Provider",
    "demo_tenders",
    "error_record",
    "extract_notice",
    "notice_files",
    "provider_book",
    "read_document",
]
