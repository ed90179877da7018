"""The bundled fictional notices of `computewatch demo` (S1, S2 and a negative)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from computewatch.screening.screener import Screener


def demo_notices_dir() -> Path:
    return Path(__file__).resolve().parents[1] / "data" / "demo" / "tenders"


def demo_tenders(screener: Screener | None) -> list[dict[str, Any]]:
    """Scan the bundled demo notices; one tenders record each, in file-name order."""
    from computewatch.tenders.scan import NoticeScanner, notice_files

    scanner = NoticeScanner(screener)
    return [scanner.scan_file(path) for path in notice_files([demo_notices_dir()])]
