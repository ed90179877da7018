"""A notice as the extractors read it: plain text in lines, tables as rows of cells, the title;
and the error of a notice file that cannot be read. Shared by the document readers (html, pdf, txt)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from computewatch.errors import InputError

Table = list[list[str]]


class NoticeFileError(InputError):
    """A notice file that cannot be read; the scan records it and goes on."""

    def __init__(self, file: str | Path, reason: str):
        super().__init__(file, None, None, reason)
        self.reason = reason


@dataclass
class Document:
    """What the extractors read: plain text in lines, tables as rows of cells, the HTML title."""

    path: Path
    format: str  # html, txt or pdf
    encoding: str | None
    text: str
    tables: list[Table] = field(default_factory=list)
    title: str | None = None
    warnings: list[str] = field(default_factory=list)


_SPACES = re.compile(r"[ \t\u00a0\u3000\u2002\u2003\u2009\u200b\ufeff]+")
_BLANKS = re.compile(r"\n\s*\n+")


def normalise_text(text: str) -> str:
    """One space for runs of spaces (ideographic and no-break included), no blank lines."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _SPACES.sub(" ", text)
    return _BLANKS.sub("\n", "\n".join(line.strip() for line in text.split("\n"))).strip()
