"""Property-based tests of every parser (issue 13): no input makes a parser raise anything but
its own input error. Inputs are raw bytes, and near-valid files (the right header or keys,
any text in the cells, any encoding, cut anywhere), so the search reaches past the first check.

Kept quick for CI: a modest number of examples per parser, no deadline (the machine is shared).
"""

from __future__ import annotations

import csv
import io
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from computewatch.errors import InputError
from computewatch.workspace import Workspace

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tenders"))
from tenders_pdfgen import write_pdf  # noqa: E402

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
SLOWER = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# Text as it comes: any character, NUL, quotes, separators and newlines included.
cell = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["", "NaN", "-1", "1e309", "2025-13-45", "ＣＮ", '"', "\x00", "\r\n", "0x1F", "H100-SXM", "CN", "true"]),
)
encodings = st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "gb18030", "big5", "cp1252", "latin-1"])
json_scalar = st.one_of(st.none(), st.booleans(), st.integers(-(2**63), 2**64 - 1), st.floats(allow_nan=False), st.text(max_size=20))
json_value = st.recursive(json_scalar, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3), max_leaves=8)


@st.composite
def csv_bytes(draw: st.DrawFn, columns: list[str]) -> bytes:
    """A CSV with (mostly) the parser's own header, any cells, in any encoding, possibly cut short."""
    header = draw(st.lists(st.sampled_from(columns) | st.text(max_size=8), min_size=1, max_size=len(columns) + 2))
    if draw(st.booleans()):
        header = columns + header[:1]
    rows = draw(st.lists(st.lists(cell, min_size=0, max_size=len(header) + 1), max_size=6))
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=draw(st.sampled_from([",", ",", ",", ";", "\t"])), lineterminator=draw(st.sampled_from(["\n", "\r\n"])))
    writer.writerow(header)
    writer.writerows(rows)
    data = buf.getvalue().encode(draw(encodings), errors="replace")
    cut = draw(st.integers(0, len(data)))
    return data[:cut] if draw(st.integers(0, 4)) == 0 else data


@st.composite
def jsonl_bytes(draw: st.DrawFn, keys: list[str]) -> bytes:
    """JSON lines of objects with the parser's keys (any values), and some broken lines."""
    lines = []
    for _ in range(draw(st.integers(0, 5))):
        obj = draw(st.dictionaries(st.sampled_from(keys) | st.text(max_size=6), json_value, max_size=len(keys) + 1))
        if draw(st.booleans()):
            obj.update({k: draw(st.text(max_size=12) | json_value) for k in keys})
        lines.append(orjson.dumps(obj))
    if draw(st.booleans()):
        lines.append(draw(st.binary(max_size=40)))
    data = b"\n".join(lines) + draw(st.sampled_from([b"", b"\n"]))
    return data[: draw(st.integers(0, len(data)))] if draw(st.integers(0, 4)) == 0 else data


any_bytes = st.binary(max_size=3000)


@pytest.fixture(scope="module")
def folder() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="cw-props-") as tmp:
        yield Path(tmp)


def _file(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


def only_input_errors(parse: Callable[[], Any]) -> None:
    """The property: the parser returns, or raises its own input error, never anything else."""
    try:
        parse()
    except InputError as err:
        assert err.problems and all(p.file for p in err.problems)  # every problem names its file


# --- restricted-party lists -----------------------------------------------------------------------

CSL_KEYS = ["_id", "source", "name", "type", "addresses", "alt_names", "start_date", "end_date", "federal_register_notice", "citizenships"]


@FAST
@given(data=st.one_of(any_bytes, csv_bytes(CSL_KEYS)))
def test_csl_csv(folder: Path, data: bytes) -> None:
    from computewatch.sources.csl import read_csl_csv

    only_input_errors(lambda: read_csl_csv(_file(folder, "list.csv", data)))


@FAST
@given(data=st.one_of(any_bytes, st.lists(st.dictionaries(st.sampled_from(CSL_KEYS), json_value | st.text()), max_size=4).map(
    lambda rows: orjson.dumps({"results": rows}))))  # fmt: skip
def test_csl_json(folder: Path, data: bytes) -> None:
    from computewatch.sources.csl import read_csl_json

    only_input_errors(lambda: read_csl_json(_file(folder, "list.json", data)))


@FAST
@given(data=st.one_of(any_bytes, jsonl_bytes(["id", "schema", "properties", "datasets"])))
def test_ftm_lists_and_format_detection(folder: Path, data: bytes) -> None:
    from computewatch.sources.ftm import read_ftm_jsonl
    from computewatch.sources.lists import read_list

    path = _file(folder, "list.jsonl", data)
    only_input_errors(lambda: read_ftm_jsonl(path))
    only_input_errors(lambda: read_list(path))


# --- the entities table (ownership graph) ------------------------------------------------------------


@FAST
@given(data=st.one_of(any_bytes, jsonl_bytes(["id", "schema", "properties", "topics"])))
def test_entities(folder: Path, data: bytes) -> None:
    from computewatch.sources.entities import read_entities

    batch = read_entities([_file(folder, "entities.jsonl", data)])  # problems are collected, never raised
    assert all(p.file for p in batch.problems)


# --- the operational tables and shipments (into a real workspace) ------------------------------------


@pytest.fixture(scope="module")
def workspace(folder: Path) -> Iterator[Workspace]:
    with Workspace(folder / "ws") as ws:
        yield ws


def _ops_columns(kind: str) -> list[str]:
    from computewatch.sources.operations import TABLES

    return [c.name for c in TABLES[kind].columns]


@pytest.mark.parametrize("kind", ["accounts", "usage", "access", "leases", "media"])
@SLOWER
@given(data=st.data())
def test_operations_tables(workspace: Workspace, folder: Path, kind: str, data: st.DataObject) -> None:
    from computewatch.sources.operations import load_operations

    suffix = data.draw(st.sampled_from([".csv", ".jsonl", ".parquet"]))
    body = data.draw(jsonl_bytes(_ops_columns(kind)) if suffix == ".jsonl" else (csv_bytes(_ops_columns(kind)) | any_bytes))
    only_input_errors(lambda: load_operations(workspace, kind, [_file(folder, f"{kind}{suffix}", body)]))


@SLOWER
@given(data=st.data())
def test_shipments(workspace: Workspace, folder: Path, data: st.DataObject) -> None:
    from computewatch.sources.shipments import SHIPMENTS, load_shipments

    columns = [c.name for c in SHIPMENTS.columns]
    suffix = data.draw(st.sampled_from([".csv", ".jsonl"]))
    body = data.draw(jsonl_bytes(columns) if suffix == ".jsonl" else (csv_bytes(columns) | any_bytes))
    only_input_errors(lambda: load_shipments(workspace, [_file(folder, f"shipments{suffix}", body)]))


# --- probes, screening queries, case imports, audit anchors -----------------------------------------

PROBE_KEYS = ["chip_id", "claimed_country", "claimed_lat", "claimed_lon", "landmark_id", "landmark_lat", "landmark_lon",
              "rtt_ms", "ts", "nonce", "signature_valid", "signature", "public_key", "chip_ts"]  # fmt: skip


@FAST
@given(data=st.data())
def test_probes(folder: Path, data: st.DataObject) -> None:
    from computewatch.locate.probes import read_probes

    suffix = data.draw(st.sampled_from([".csv", ".jsonl"]))
    body = data.draw((jsonl_bytes(PROBE_KEYS) if suffix == ".jsonl" else csv_bytes(PROBE_KEYS)) | any_bytes)
    only_input_errors(lambda: read_probes(_file(folder, f"probes{suffix}", body)))


@FAST
@given(data=st.one_of(any_bytes, csv_bytes(["id", "name", "country", "schema"])))
def test_screening_queries(folder: Path, data: bytes) -> None:
    from computewatch.screening.batch import read_queries

    only_input_errors(lambda: read_queries(_file(folder, "queries.csv", data)))


ALERT_KEYS = ["id", "detector", "scenario", "severity", "score", "subjects", "summary", "evidence", "as_of",
              "matches", "query", "flagged", "file", "reasons", "parties_screened", "buyer"]  # fmt: skip


@pytest.fixture(scope="module")
def case_store(folder: Path) -> Iterator[Any]:
    from computewatch.cases.db import open_case_db
    from computewatch.settings import Settings

    with open_case_db(folder / "cases", Settings()) as db:
        yield db


@SLOWER
@given(data=st.one_of(any_bytes, jsonl_bytes(ALERT_KEYS)))
def test_case_imports(case_store: Any, folder: Path, data: bytes) -> None:
    from computewatch.cases.importing import import_records, read_jsonl
    from computewatch.cases.store import CaseStore

    def parse() -> None:
        records, lines, _ = read_jsonl(_file(folder, "records.jsonl", data))
        with case_store.session() as session:
            import_records(CaseStore(session, "hypothesis"), records, "records.jsonl", lines)

    only_input_errors(parse)


@FAST
@given(data=st.one_of(any_bytes, jsonl_bytes(["seq", "hash", "anchored_at", "signature"])))
def test_audit_anchor_files(folder: Path, data: bytes) -> None:
    from computewatch.cases.anchor import read_anchors

    only_input_errors(lambda: read_anchors(_file(folder, "anchors.jsonl", data)))


# --- procurement notices: HTML, text and PDF bytes --------------------------------------------------

notice_text = st.lists(st.sampled_from(["采购人：", "中标供应商：", "中标金额：", "万元", "H100", "GPU", "云服务", "项目名称：",
                                        "<table><tr><td>", "</td><td>", "</td></tr></table>", "\n", "Amount: USD"]) | st.text(max_size=20),
                       max_size=30).map("".join)  # fmt: skip


@st.composite
def notice_bytes(draw: st.DrawFn) -> tuple[str, bytes]:
    kind = draw(st.sampled_from(["html", "txt", "pdf"]))
    text = draw(notice_text)
    if kind == "pdf":
        with tempfile.TemporaryDirectory() as tmp:
            data = write_pdf(Path(tmp) / "n.pdf", text.split("\n")).read_bytes()
        cut = draw(st.integers(0, len(data)))
        flips = draw(st.lists(st.tuples(st.integers(0, max(0, len(data) - 1)), st.integers(0, 255)), max_size=4))
        buf = bytearray(data[:cut] if draw(st.booleans()) else data)
        for at, value in flips:
            if at < len(buf):
                buf[at] = value
        return kind, bytes(buf)
    body = f"<html><head><title>{text[:20]}</title></head><body>{text}</body></html>" if kind == "html" else text
    return kind, body.encode(draw(encodings), errors="replace")


@SLOWER
@given(notice=st.one_of(notice_bytes(), st.tuples(st.sampled_from(["html", "txt", "pdf"]), any_bytes)))
def test_notices(folder: Path, notice: tuple[str, bytes]) -> None:
    from computewatch.tenders.notice import extract_notice
    from computewatch.tenders.providers import provider_book
    from computewatch.tenders.scan import NoticeScanner

    from computewatch.sources.tenders.document import read_document

    kind, data = notice
    path = _file(folder, f"notice.{kind}", data)
    only_input_errors(lambda: extract_notice(read_document(path), provider_book()))
    record = NoticeScanner(None).scan_file(path)  # a scan never raises: a bad file is a record with errors
    assert record["file"] == str(path) and isinstance(record["errors"], list)
