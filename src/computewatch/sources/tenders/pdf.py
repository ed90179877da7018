"""Text PDFs to text, with pypdf. Scanned PDFs (images only) have no text and are reported."""

from __future__ import annotations

import io
import logging
from pathlib import Path

from computewatch.sources.tenders.text import Document, NoticeFileError, normalise_text

MAX_PAGES = 200


def pdf_document(path: Path, data: bytes) -> Document:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    warnings: list[str] = []
    if not data.startswith(b"%PDF-"):
        raise NoticeFileError(path, "not a PDF (no %PDF- header)")
    if b"%%EOF" not in data[-2048:]:
        warnings.append("the PDF is truncated (no %%EOF marker); text may be incomplete")
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        pages = []
        for page in reader.pages[:MAX_PAGES]:
            pages.append(page.extract_text() or "")
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError, OSError) as exc:
        raise NoticeFileError(path, f"damaged PDF: {type(exc).__name__}: {exc}") from exc
    text = normalise_text("\n".join(pages))
    if not text:
        if warnings:
            raise NoticeFileError(path, "truncated or damaged PDF: no text could be read")
        raise NoticeFileError(path, "the PDF has no text layer (a scanned image?)")
    if len(reader.pages) > MAX_PAGES:
        warnings.append(f"only the first {MAX_PAGES} of {len(reader.pages)} pages were read")
    return Document(path, "pdf", None, text, warnings=warnings)
