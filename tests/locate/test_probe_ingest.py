"""`computewatch ingest probes`: rounds kept in the workspace; bad rows named by file, line and field."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import orjson
from locate_helpers import probe_rows, write_csv

from computewatch.sources.probes_table import load_probes
from computewatch.workspace import Workspace


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "computewatch", *args], capture_output=True, text=True, timeout=300)


def count(ws_dir: Path, where: str = "TRUE") -> int:
    with Workspace(ws_dir) as ws:
        return int(ws.con.execute(f"SELECT count(*) FROM ops_probes WHERE {where}").fetchone()[0])  # type: ignore[index]


def test_ingest_keeps_rounds_with_site_and_extra_columns(tmp_path: Path) -> None:
    rows = probe_rows("CHIP-ING-1", "frankfurt", "frankfurt")
    for row in rows:
        row.update(site="FRA-DC-1", rack="r17")
    ws = tmp_path / "ws"
    done = cli("ingest", "probes", str(write_csv(tmp_path / "probes.csv", rows)), "--workspace", str(ws))
    assert done.returncode == 0, done.stderr
    assert f"loaded {len(rows)} probes rows" in done.stdout
    with Workspace(ws) as w:
        site, extra, src, signed = w.con.execute("SELECT site, extra, src_file, file_signed FROM ops_probes LIMIT 1").fetchone()  # type: ignore[misc]
    assert site == "FRA-DC-1" and orjson.loads(extra) == {"rack": "r17"} and src == "probes.csv" and signed is True


def test_bad_rows_are_named_and_good_rows_load(tmp_path: Path) -> None:
    rows = probe_rows("CHIP-ING-2", "dallas", "dallas")
    rows[2]["rtt_ms"] = "fast"
    rows[4]["landmark_lat"] = "123"
    rows[5]["ts"] = "yesterday"
    ws = tmp_path / "ws"
    path = write_csv(tmp_path / "bad.csv", rows)
    done = cli("ingest", "probes", str(path), "--workspace", str(ws))
    assert done.returncode == 1
    err = " ".join(done.stderr.split())
    assert f"{path}, line 4, field 'rtt_ms': 'fast' is not a number" in err
    assert "line 6, field 'landmark_lat'" in err and "line 7, field 'ts'" in err
    assert count(ws) == len(rows) - 3 and count(ws, "src_line IN (4, 6, 7)") == 0


def test_a_file_without_a_required_column_is_rejected_whole(tmp_path: Path) -> None:
    rows = [{k: v for k, v in row.items() if k != "rtt_ms"} for row in probe_rows("CHIP-ING-3", "dallas", "dallas")]
    ws = tmp_path / "ws"
    done = cli("ingest", "probes", str(write_csv(tmp_path / "nortt.csv", rows)), "--workspace", str(ws))
    assert done.returncode == 1 and "field 'rtt_ms': required column is missing" in done.stderr
    assert count(ws) == 0


def test_loading_again_adds_nothing_and_overlapping_exports_are_not_replays(tmp_path: Path) -> None:
    rows = probe_rows("CHIP-ING-4", "sydney", "sydney")
    first = write_csv(tmp_path / "day1.csv", rows)
    again = tmp_path / "day1-copy.csv"
    shutil.copy(first, again)
    with open(again, "a") as fh:  # other bytes, same measurements: replaced, not doubled
        fh.write("\n")
    with Workspace(tmp_path / "ws") as ws:
        assert load_probes(ws, [first]).loaded == len(rows)
        assert load_probes(ws, [first]).skipped_files == [str(first)]
        assert load_probes(ws, [again]).loaded == len(rows)
        n, nonces = ws.con.execute("SELECT count(*), count(DISTINCT nonce) FROM ops_probes").fetchone()  # type: ignore[misc]
    assert n == nonces == len(rows)


def test_json_lines_and_parquet_load_like_csv(tmp_path: Path) -> None:
    rows = probe_rows("CHIP-ING-5", "sao_paulo", "sao_paulo")
    jsonl = tmp_path / "probes.jsonl"
    jsonl.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in rows))
    csv_file = write_csv(tmp_path / "other.csv", probe_rows("CHIP-ING-6", "sao_paulo", "sao_paulo"))
    parquet = tmp_path / "probes.parquet"
    duckdb.sql(f"COPY (SELECT * FROM read_csv('{csv_file}', all_varchar=true)) TO '{parquet}' (FORMAT parquet)")
    with Workspace(tmp_path / "ws") as ws:
        report = load_probes(ws, [jsonl, parquet])
        chips = ws.con.execute("SELECT chip_id, count(*) FROM ops_probes GROUP BY chip_id ORDER BY chip_id").fetchall()
    assert not report.problems and chips == [("CHIP-ING-5", len(rows)), ("CHIP-ING-6", len(rows))]


def test_locate_verify_still_rejects_a_chip_whose_rows_disagree_on_the_claim(tmp_path: Path) -> None:
    """One verification is one claim; a monitoring feed may carry a new declaration (ingest accepts it)."""
    rows = probe_rows("CHIP-ING-7", "dallas", "dallas")
    rows[3]["claimed_country"] = "MX"
    path = write_csv(tmp_path / "two-claims.csv", rows)
    done = cli("locate", "verify", str(path), "--out", str(tmp_path / "v.jsonl"))
    assert done.returncode == 1 and "field 'claimed_country'" in done.stderr
    with Workspace(tmp_path / "ws") as ws:
        assert load_probes(ws, [path]).loaded == len(rows)


def test_text_that_is_not_utf8_is_decoded_with_a_warning_and_nul_bytes_are_named_by_line(tmp_path: Path) -> None:
    """Probes go through the one input decoder every reader uses (sources/inputfiles.py): a file that is
    not UTF-8 is read in the legacy encoding its bytes allow, and the warning says which."""
    rows = probe_rows("CHIP-ING-8", "dallas", "dallas")
    path = write_csv(tmp_path / "mixed.csv", rows)
    lines = path.read_bytes().split(b"\n")
    lines[3] = lines[3].replace(b"CHIP-ING-8", b"CHIP-ING-\xff8")  # Latin-1 bytes on line 4
    lines[5] = lines[5].replace(b"CHIP-ING-8", b"CHIP-ING-\x008")  # a NUL byte on line 6
    path.write_bytes(b"\n".join(lines))
    ws = tmp_path / "ws"
    done = cli("ingest", "probes", str(path), "--workspace", str(ws))
    assert done.returncode == 1
    err = " ".join(done.stderr.split())
    assert f"warning: {path}: not UTF-8; read as Windows-1252" in err
    assert f"{path}, line 6, field 'chip_id': contains NUL bytes" in err
    assert count(ws) == len(rows) - 1 and count(ws, "src_line = 6") == 0 and count(ws, "chip_id = 'CHIP-ING-\u00ff8'") == 1
    verify = cli("locate", "verify", str(path), "--out", str(tmp_path / "v.jsonl"))
    assert verify.returncode == 1 and "line 6, field 'chip_id': contains NUL bytes" in verify.stderr and "Traceback" not in verify.stderr
