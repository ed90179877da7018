"""Fixtures for the tenders tests: the notice fixtures, generated PDFs, a screener with a
fictional listed reseller added to the real BIS list."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from tenders_helpers import CN_GPU_PDF, EN_GPU_PDF, LISTED_RESELLER, NOTICES
from tenders_pdfgen import write_pdf

from computewatch.screening.screener import Screener
from computewatch.tenders.scan import NoticeScanner


@pytest.fixture(scope="session")
def tenders_screener(real_list_records: list[Any]) -> Screener:
    entities = [r.to_list_entity("us_trade_csl") for r in real_list_records] + [LISTED_RESELLER]
    return Screener(entities)


@pytest.fixture(scope="session")
def scanner(tenders_screener: Screener) -> NoticeScanner:
    return NoticeScanner(tenders_screener)


@pytest.fixture(scope="session")
def pdf_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("pdf_notices")
    write_pdf(folder / "cn_h800_servers.pdf", CN_GPU_PDF)
    write_pdf(folder / "en_h200_award.pdf", EN_GPU_PDF)
    return folder


@pytest.fixture(scope="session")
def records(scanner: NoticeScanner) -> dict[str, dict[str, Any]]:
    """Every fixture notice scanned once, by file name."""
    return {Path(r["file"]).name: r for r in (scanner.scan_file(p) for p in sorted(NOTICES.iterdir()))}
