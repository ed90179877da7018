"""A PDF report is rendered without following any URL: no file of the server, no web address."""

from __future__ import annotations

import io
from pathlib import Path

from pypdf import PdfReader

from computewatch.reports.build import html_to_pdf


def _page_width_pt(pdf: bytes) -> float:
    return float(PdfReader(io.BytesIO(pdf)).pages[0].mediabox.width)


def test_a_file_url_in_the_html_is_not_followed(tmp_path: Path) -> None:
    css = tmp_path / "server-file.css"
    css.write_text("@page { size: 100mm 100mm }")  # would make a 283 pt wide page if it were read
    html = f'<html><head><link rel="stylesheet" href="{css.as_uri()}"></head><body><p>case</p></body></html>'
    width = _page_width_pt(html_to_pdf(html))
    assert abs(width - 595.3) < 1  # A4, the default: the file was not read


def test_data_urls_and_inline_styles_still_work() -> None:
    html = "<html><head><style>@page { size: 100mm 100mm }</style></head><body><p>case</p></body></html>"
    assert abs(_page_width_pt(html_to_pdf(html)) - 283.5) < 1


def test_a_long_notice_text_is_cut_in_the_report() -> None:
    from computewatch.reports.build import report_html

    case = {"id": 1, "title": "Tender n.txt", "kind": "tender", "status": "new", "severity": "medium", "score": 0.7,
            "summary": "rents H100", "entities": [], "evidence": [], "notes": [], "timeline": [], "as_of": None,
            "record": {"file": "n.txt", "text": "采购 H100 " * 50_000}}  # fmt: skip
    html = report_html(case, {}, [], "ann")
    assert len(html) < 30_000 and "characters more" in html
