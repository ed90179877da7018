"""Reading procurement notices: .html/.htm/.txt/.pdf files in any of the usual encodings, as text
and tables (document), and the fields a notice states: parties, amounts, dates, line items.

What a notice means (controlled chips, foreign providers, the decision) is analysis: computewatch.tenders.
"""

from __future__ import annotations

from computewatch.sources.tenders.document import Document, NoticeFileError, read_document

__all__ = ["Document", "NoticeFileError", "read_document"]
