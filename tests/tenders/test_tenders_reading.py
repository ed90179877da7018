"""Reading notices: formats, encodings, scripts, and files that cannot be read."""

from __future__ import annotations

from pathlib import Path

import pytest
from tenders_helpers import NOTICES
from tenders_pdfgen import write_pdf

from computewatch.sources.tenders.document import NoticeFileError, read_document
from computewatch.tenders.scan import NoticeScanner


def test_utf8_html_flattens_paragraphs_and_keeps_tables() -> None:
    doc = read_document(NOTICES / "s1_cloud_gpu_award.html")
    assert doc.format == "html" and doc.encoding == "utf-8"
    assert doc.title == "东岚理工大学人工智能算力云服务采购项目中标公告"
    assert "var _hmt" not in doc.text and "font-size" not in doc.text  # scripts and styles dropped
    assert "名 称：东岚理工大学" in doc.text.split("\n")
    assert doc.tables[0][1] == ["1", "¥198,000.00", "星桥云图科技（北京）有限公司", "北京市海淀区清河路88号"]


def test_gbk_html_is_decoded_from_its_meta_charset() -> None:
    raw = (NOTICES / "s1_cloud_gpu_tender_gbk.html").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    doc = read_document(NOTICES / "s1_cloud_gpu_tender_gbk.html")
    assert doc.encoding == "gb18030"
    assert "青枫市智能计算研究院" in doc.text and doc.title == "青枫市智能计算研究院GPU算力租赁服务竞争性磋商公告"


def test_gbk_text_without_declaration_is_detected() -> None:
    doc = read_document(NOTICES / "s2_openai_api_gbk.txt")
    assert doc.encoding == "gb18030" and "鹭岛医学院" in doc.text


def test_big5_traditional_text_is_not_read_as_gbk(tmp_path: Path) -> None:
    text = "翠灣科技學院GPU伺服器採購公告\n採購單位：翠灣科技學院\n中標供應商：恆川數碼貿易有限公司\n"
    path = tmp_path / "big5.txt"
    path.write_bytes(text.encode("big5hkscs"))
    doc = read_document(path)
    assert doc.encoding == "big5hkscs" and "恆川數碼貿易有限公司" in doc.text


def test_text_pdfs_in_chinese_and_english_are_read(pdf_dir: Path) -> None:
    cn = read_document(pdf_dir / "cn_h800_servers.pdf")
    assert cn.format == "pdf" and "采购人：云岭大学" in cn.text
    en = read_document(pdf_dir / "en_h200_award.pdf")
    assert "Awarded to: Silverkey Trading Limited" in en.text


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.html", b"", "empty file"),
        ("blank.txt", b"   \n\n ", "empty file"),
        ("binary.txt", bytes(range(256)) * 40, "binary content"),
        ("image.html", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 500, "binary content"),
        ("not-really.pdf", b"hello, not a pdf", "not a PDF"),
    ],
)
def test_unreadable_files_raise_a_reason(tmp_path: Path, name: str, content: bytes, reason: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(NoticeFileError, match=reason):
        read_document(path)


def test_truncated_pdf_is_an_error_not_a_crash(tmp_path: Path) -> None:
    whole = write_pdf(tmp_path / "whole.pdf", ["采购人：云岭大学"] * 3).read_bytes()
    cut = tmp_path / "cut.pdf"
    cut.write_bytes(whole[: len(whole) // 3])
    with pytest.raises(NoticeFileError, match="PDF"):
        read_document(cut)


def test_pdf_without_text_layer_is_reported(tmp_path: Path) -> None:
    path = write_pdf(tmp_path / "scan.pdf", [])
    with pytest.raises(NoticeFileError, match="no text layer"):
        read_document(path)


def test_huge_file_is_refused_by_size_without_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.html"
    with path.open("wb") as fh:
        fh.truncate(50 * 2**20)  # 50 MB, sparse
    with pytest.raises(NoticeFileError, match="50.0 MB"):
        read_document(path)


def test_scanner_returns_an_error_record_and_goes_on(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    scanner = NoticeScanner(None)
    bad = scanner.scan_file(tmp_path / "empty.txt")
    assert bad["errors"] == ["empty file"] and bad["flagged"] is False and bad["items"] == []
    good = scanner.scan_file(NOTICES / "s2_azure_openai_tokens.txt")
    assert good["flagged"] is True and good["errors"] == []


def test_control_characters_in_html_are_read_as_spaces(tmp_path: Path) -> None:
    # lxml hands back text it then refuses to take again (a vertical tab, a form feed): found by the parser properties
    path = tmp_path / "notice.html"
    path.write_text("<html><body><p>采购\x0b项目</p><table><tr><td>GPU\x0c服务器</td></tr></table></body></html>", encoding="utf-8")
    doc = read_document(path)
    assert "采购 项目" in doc.text and "GPU 服务器" in doc.text
