"""`computewatch tenders scan` end to end, and the demo notices."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import orjson
import typer
from tenders_helpers import NOTICES
from typer.testing import CliRunner

from computewatch.commands import tenders as tenders_commands
from computewatch.tenders import demo_tenders
from computewatch.tenders.scan import notice_files

REAL_LIST = Path(__file__).resolve().parents[2] / "src/computewatch/data/lists/bis-lists.csl.csv"
runner = CliRunner()
app = typer.Typer()
tenders_commands.register(app)
CONSOLE_SCRIPT = Path(sys.executable).with_name("computewatch")


def test_scan_walks_folders_and_writes_one_line_per_notice(tmp_path: Path) -> None:
    nested = tmp_path / "in" / "2025" / "06"
    nested.mkdir(parents=True)
    shutil.copy(NOTICES / "s2_azure_openai_tokens.txt", nested)
    shutil.copy(NOTICES / "neg_office_furniture_gbk.html", tmp_path / "in")
    (tmp_path / "in" / "notes.docx").write_bytes(b"ignored: not a notice type")
    out = tmp_path / "findings.jsonl"
    result = runner.invoke(app, ["tenders", "scan", str(tmp_path / "in"), "--out", str(out), "--lists", str(REAL_LIST)])
    assert result.exit_code == 0, result.output
    rows = [orjson.loads(line) for line in out.read_bytes().splitlines()]
    assert [(Path(r["file"]).name, r["flagged"]) for r in rows] == [("neg_office_furniture_gbk.html", False), ("s2_azure_openai_tokens.txt", True)]
    # the terminal names each flagged notice with its reasons, and only those
    assert "flagged: s2_azure_openai_tokens.txt" in result.stdout and rows[1]["reasons"][0][:40] in " ".join(result.stdout.split())
    assert "neg_office_furniture_gbk.html" not in result.stdout
    assert not list(tmp_path.glob(".findings.jsonl.*"))  # no temp file left behind


def test_malformed_files_get_error_records_and_exit_1(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a_empty.txt").write_bytes(b"")
    (folder / "b_binary.html").write_bytes(bytes(range(256)) * 10)
    (folder / "c_truncated.pdf").write_bytes(b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog")
    with (folder / "d_huge.txt").open("wb") as fh:
        fh.truncate(50 * 2**20)
    shutil.copy(NOTICES / "s1_cloud_gpu_award.html", folder / "e_good.html")
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["tenders", "scan", str(folder), "--out", str(out), "--no-screening"])
    assert result.exit_code == 1
    rows = [orjson.loads(line) for line in out.read_bytes().splitlines()]
    assert [bool(r["errors"]) for r in rows] == [True, True, True, True, False]
    assert rows[4]["flagged"] is True
    assert "empty" in rows[0]["errors"][0] and "binary" in rows[1]["errors"][0]
    assert "PDF" in rows[2]["errors"][0] and "MB" in rows[3]["errors"][0]


def test_usage_errors_exit_2_and_a_missing_path_or_empty_folder_1(tmp_path: Path) -> None:
    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(CONSOLE_SCRIPT), "tenders", "scan", *args], capture_output=True, text=True, timeout=120)

    missing = run(str(tmp_path / "nope"), "--out", str(tmp_path / "o.jsonl"), "--no-screening")
    assert missing.returncode == 1 and "nope: no such file or folder" in missing.stderr  # an input error (issue 13)
    (tmp_path / "empty").mkdir()
    empty = run(str(tmp_path / "empty"), "--out", str(tmp_path / "o.jsonl"), "--no-screening")
    assert empty.returncode == 1 and "no notice files" in empty.stderr
    bad_date = run(str(NOTICES), "--out", str(tmp_path / "o.jsonl"), "--as-of", "soon", "--no-screening")
    assert bad_date.returncode == 2 and "not a date" in bad_date.stderr
    assert not (tmp_path / "o.jsonl").exists()


def test_rates_file_converts_other_currencies(tmp_path: Path, pdf_dir: Path) -> None:
    rates = tmp_path / "rates.csv"
    rates.write_text("currency,cny_per_unit\nUSD,7.10\n", encoding="utf-8")
    out = tmp_path / "o.jsonl"
    result = runner.invoke(app, ["tenders", "scan", str(pdf_dir / "en_h200_award.pdf"), "--out", str(out), "--rates", str(rates), "--no-screening"])
    assert result.exit_code == 0, result.output
    assert orjson.loads(out.read_bytes())["amount_cny"] == 8_875_000


def test_demo_notices_reproduce_s1_and_s2_and_a_negative() -> None:
    records = demo_tenders(None)
    by_name = {Path(r["file"]).name: r for r in records}
    assert by_name["s1_cloud_gpu_reseller.html"]["flagged"] is True
    assert by_name["s2_azure_openai_tokens.txt"]["flagged"] is True
    assert by_name["negative_domestic_cloud.html"]["flagged"] is False


def test_only_notice_file_types_are_walked(tmp_path: Path) -> None:
    for name in ("a.HTML", "b.htm", "c.txt", "d.pdf", "e.docx", ".hidden.txt"):
        (tmp_path / name).write_text("x")
    assert [p.name for p in notice_files([tmp_path])] == ["a.HTML", "b.htm", "c.txt", "d.pdf"]
