"""HTML notices (ccgp.gov.cn and provincial platforms) to text lines and tables, with lxml."""

from __future__ import annotations

import re
from pathlib import Path

import lxml.html
from lxml import etree

from computewatch.sources.tenders.text import Document, NoticeFileError, Table, normalise_text

_DROP = ("script", "style", "noscript", "template", "iframe", "svg", "head", "select", "button")
_BLOCKS = (
    "p", "div", "br", "tr", "li", "ul", "ol", "table", "section", "article", "header", "footer",
    "h1", "h2", "h3", "h4", "h5", "h6", "dt", "dd", "dl", "blockquote", "pre", "hr", "form", "caption",
)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*>", re.I)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # control characters XML cannot carry
_TITLE_SUFFIX = re.compile(r"\s*[_|\-–—]\s*(?:中国政府采购网|[^_|\-–—]{0,20}(?:政府采购网|公共资源交易[^_|]*|采购网|交易网|招标网)|ccgp[^_|]*)\s*$", re.I)


def _cell_text(cell: etree._Element) -> str:
    return " ".join(cell.text_content().split())


def _tables(root: etree._Element) -> list[Table]:
    tables: list[Table] = []
    for table in root.iter("table"):
        if table.find(".//table") is not None:
            continue  # layout table around a data table: the inner one has the rows
        rows = []
        for tr in table.iter("tr"):
            cells = [_cell_text(c) for c in tr if c.tag in ("td", "th")]
            if any(cells):
                rows.append(cells)
        if rows:
            tables.append(rows)
    return tables


def _title(root: etree._Element) -> str | None:
    for tag in ("h1", "h2"):
        for el in root.iter(tag):
            text = " ".join(el.text_content().split())
            if 4 <= len(text) <= 200:
                return text
    title = root.find(".//title")
    if title is not None and title.text:
        text = _TITLE_SUFFIX.sub("", " ".join(title.text.split()))
        return text or None
    return None


def html_document(path: Path, html: str, encoding: str | None) -> Document:
    html = _XML_DECL.sub("", html, count=1)
    html = _NOT_XML.sub(" ", html)  # lxml refuses to hold them in the text it hands back
    try:
        root = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError) as exc:
        raise NoticeFileError(path, f"unreadable HTML: {exc}") from exc
    title = _title(root)
    for el in list(root.iter(*_DROP)):
        if el.getparent() is not None:
            el.drop_tree()
    tables = _tables(root)
    for el in root.iter("td", "th"):
        el.tail = " | " + (el.tail or "")
    for el in root.iter(*_BLOCKS):
        el.tail = "\n" + (el.tail or "")
        if el.tag == "br":
            continue
        el.text = "\n" + (el.text or "")
    text = normalise_text(root.text_content())
    text = re.sub(r"\s*\|\s*\n", "\n", text)  # row ends
    return Document(path, "html", encoding, text, tables, title)
