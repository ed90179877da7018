"""Reading the `probes` table (CONTRACTS.md): CSV with a header, or JSON lines with the same keys.

Required: chip_id, claimed_country, landmark_id, landmark_lat, landmark_lon, rtt_ms, ts.
Optional: claimed_lat, claimed_lon, nonce, signature_valid, site (the declared site's
name), and our extensions signature (hex), public_key (hex), chip_ts. Other columns
are kept in `Probe.extra`. Every problem is collected and reported with file, line
and field. `locate verify` reads with `read_probes` (any problem rejects the file);
`ingest probes` with `parse_probes` (good rows load, bad rows are named).
"""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from computewatch.errors import InputError, InputProblem
from computewatch.sources.inputfiles import (
    check_input_file,
    decoding,
    default_limits,
    delimiter_hint,
    open_text,
    row_problems,
    text_encoding,
)
from computewatch.sources.jsonlines import json_objects

REQUIRED = ("chip_id", "claimed_country", "landmark_id", "landmark_lat", "landmark_lon", "rtt_ms", "ts")
OPTIONAL = ("claimed_lat", "claimed_lon", "nonce", "signature_valid", "signature", "public_key", "chip_ts", "site")
SIGNATURE_EVIDENCE = ("signature_valid", "signature")
TRUE = {"true", "t", "yes", "y", "1"}
FALSE = {"false", "f", "no", "n", "0"}
COUNTRY = re.compile(r"^[A-Z]{2}$")
KNOWN = frozenset(REQUIRED + OPTIONAL)


@dataclass
class Probe:
    line: int
    chip_id: str
    claimed_country: str
    claimed_lat: float | None
    claimed_lon: float | None
    landmark_id: str
    landmark_lat: float
    landmark_lon: float
    rtt_ms: float
    ts: datetime
    nonce: str | None = None
    signature_valid: bool | None = None
    signature: bytes | None = None
    public_key: str | None = None
    chip_ts: datetime | None = None
    site: str | None = None
    extra: dict[str, str] = field(default_factory=dict)  # columns beyond REQUIRED and OPTIONAL


@dataclass
class ProbeTable:
    file: str
    probes: list[Probe]
    columns: frozenset[str]

    @property
    def has_signature_evidence(self) -> bool:
        return any(c in self.columns for c in SIGNATURE_EVIDENCE)

    @property
    def has_nonces(self) -> bool:
        return "nonce" in self.columns


def parse_ts(text: str) -> datetime:
    """ISO 8601; UTC when no offset is given."""
    ts = datetime.fromisoformat(text.strip())
    return ts if ts.tzinfo else ts.replace(tzinfo=UTC)


class _Row:
    """Field parsing for one row; problems are collected, not raised."""

    def __init__(self, file: str, line: int, raw: Mapping[str, Any], problems: list[InputProblem]):
        self.file, self.line, self.raw, self.problems = file, line, raw, problems

    def text(self, name: str) -> str:
        value = self.raw.get(name)
        return "" if value is None else str(value).strip()

    def no_nul(self) -> None:
        for name, value in self.raw.items():
            if isinstance(name, str) and isinstance(value, str) and "\x00" in value:
                self.fail(name, "contains a NUL byte")

    def fail(self, name: str, reason: str) -> None:
        self.problems.append(InputProblem(self.file, self.line, name, reason))

    def required(self, name: str, optional: bool = False) -> str:
        """The field's text; an empty one is a problem unless it is optional."""
        value = self.text(name)
        if not value and not optional:
            self.fail(name, "is empty")
        return value

    def number(self, name: str, low: float, high: float, optional: bool = False) -> float | None:
        value = self.required(name, optional)
        if not value:
            return None
        try:
            number = float(value)
        except ValueError:
            self.fail(name, f"{value!r} is not a number")
            return None
        if not math.isfinite(number) or not low <= number <= high:
            self.fail(name, f"{value} is outside {low:g}..{high:g}")
            return None
        return number

    def timestamp(self, name: str, optional: bool = False) -> datetime | None:
        value = self.required(name, optional)
        if not value:
            return None
        try:
            return parse_ts(value)
        except ValueError:
            self.fail(name, f"{value!r} is not an ISO 8601 timestamp")
            return None

    def boolean(self, name: str) -> bool | None:
        value = self.text(name).lower()
        if not value:
            return None
        if value in TRUE or value in FALSE:
            return value in TRUE
        self.fail(name, f"{value!r} is not true/false")
        return None

    def hex_bytes(self, name: str, size: int) -> str | None:
        value = self.text(name).lower()
        if not value:
            return None
        if len(value) != 2 * size or not re.fullmatch(r"[0-9a-f]+", value):
            self.fail(name, f"must be {2 * size} hex digits")
            return None
        return value


def _parse(row: _Row) -> Probe | None:
    before = len(row.problems)
    row.no_nul()
    chip_id = row.required("chip_id")
    country = row.required("claimed_country").upper()
    if country and not COUNTRY.match(country):
        row.fail("claimed_country", f"{country!r} is not an ISO 3166-1 alpha-2 code")
    claimed_lat = row.number("claimed_lat", -90, 90, optional=True)
    claimed_lon = row.number("claimed_lon", -180, 180, optional=True)
    if (row.text("claimed_lat") == "") != (row.text("claimed_lon") == ""):
        row.fail("claimed_lon" if row.text("claimed_lat") else "claimed_lat", "give both claimed_lat and claimed_lon, or neither")
    landmark_id = row.required("landmark_id")
    lm_lat = row.number("landmark_lat", -90, 90)
    lm_lon = row.number("landmark_lon", -180, 180)
    rtt = row.number("rtt_ms", 0, 1e6)
    ts = row.timestamp("ts")
    nonce = row.text("nonce") or None
    valid = row.boolean("signature_valid")
    signature = row.hex_bytes("signature", 64)
    public_key = row.hex_bytes("public_key", 32)
    chip_ts = row.timestamp("chip_ts", optional=True)
    if len(row.problems) > before or lm_lat is None or lm_lon is None or rtt is None or ts is None:
        return None
    extra = {k: row.text(k) for k in row.raw if k and k not in KNOWN and row.text(k)}
    return Probe(
        row.line, chip_id, country, claimed_lat, claimed_lon, landmark_id, lm_lat, lm_lon, rtt, ts,
        nonce, valid, bytes.fromhex(signature) if signature else None, public_key, chip_ts,
        row.text("site") or None, extra,
    )


def _csv_rows(path: Path, problems: list[InputProblem]) -> tuple[list[str], Iterator[tuple[int, dict[str, Any]]]]:
    """The header and the rows, with the line each row starts on, decoded by the shared input decoder
    (legacy encodings where unambiguous); a damaged row or unreadable CSV becomes a problem at its line."""
    limits = default_limits()
    encoding = text_encoding(path)
    handle = open_text(path, encoding)
    reader = csv.DictReader(handle)
    with decoding(path, encoding):
        header = [h.strip() for h in (reader.fieldnames or [])]
    reader.fieldnames = header

    def rows() -> Iterator[tuple[int, dict[str, Any]]]:
        with handle, decoding(path, encoding):
            try:
                for record in reader:
                    values = [v if isinstance(v, str) else "" for v in record.values()]
                    damaged = row_problems(str(path), reader.line_num, list(record), values, limits)
                    if damaged:
                        problems.extend(damaged)
                        continue
                    yield reader.line_num, record
            except csv.Error as err:
                problems.append(InputProblem(str(path), reader.line_num, None, f"malformed CSV: {err}"))

    return header, rows()


def _jsonl_rows(path: Path, problems: list[InputProblem]) -> tuple[list[str], list[tuple[int, dict[str, Any]]]]:
    rows: list[tuple[int, dict[str, Any]]] = []
    keys: set[str] = set()
    for line_no, record in json_objects(path, problems):
        keys |= set(record)
        rows.append((line_no, record))
    return sorted(keys), rows


def _parquet_rows(path: Path) -> tuple[list[str], list[tuple[int, dict[str, Any]]]]:
    """Parquet, read by DuckDB; the line is the row number, from 1 (as for the operational tables)."""
    import duckdb

    from computewatch.sources.operations.staging import check_parquet

    check_parquet(path)
    try:
        with duckdb.connect() as con:
            cur = con.execute("SELECT * FROM read_parquet(?)", [str(path)])
            header = [d[0] for d in cur.description]
            rows = [(n, dict(zip(header, values, strict=True))) for n, values in enumerate(cur.fetchall(), start=1)]
    except duckdb.Error as err:
        raise InputError(path, None, None, f"not a readable Parquet file: {str(err).splitlines()[0]}") from None
    return header, rows


def parse_probes(path: str | Path, same_claim: bool = True) -> tuple[ProbeTable, list[InputProblem]]:
    """Every good probe of a file, and every problem by file, line and field (bad rows are left out).

    `same_claim`: every row of a chip must make the same claim (one verification); a
    monitoring feed, where a chip may be declared at a new site, sets it to False.
    A missing required column is a problem of the header, and no row is read.
    """
    path = Path(path)
    check_input_file(path)
    problems: list[InputProblem] = []
    rows: Any
    if path.suffix.lower() in (".jsonl", ".ndjson", ".json"):
        header, rows = _jsonl_rows(path, problems)
        missing = [c for c in REQUIRED if rows and not all(c in r for _, r in rows)]
        header_line = None
    elif path.suffix.lower() in (".parquet", ".pq"):
        header, rows = _parquet_rows(path)
        missing = [c for c in REQUIRED if c not in header]
        header_line = None
    else:
        header, rows = _csv_rows(path, problems)
        missing = [c for c in REQUIRED if c not in header] if header else []
        header_line = 1
    for column in missing:
        problems.append(InputProblem(str(path), header_line, column, "required column is missing" + delimiter_hint(header)))
    if missing:
        return ProbeTable(str(path), [], frozenset(header)), problems
    probes = [p for line, raw in rows if (p := _parse(_Row(str(path), line, raw, problems)))]
    if same_claim:
        _check_chip_claims(str(path), probes, problems)
    return ProbeTable(str(path), probes, frozenset(header)), problems


def read_probes(path: str | Path) -> ProbeTable:
    """Read and validate a probes table; raises InputError naming every bad file/line/field."""
    table, problems = parse_probes(path)
    if problems:
        raise InputError.many(problems)
    if not table.probes:
        raise InputError(path, None, None, "no probes in file")
    return table


def _check_chip_claims(file: str, probes: list[Probe], problems: list[InputProblem]) -> None:
    """Every row of a chip must make the same claim."""
    first: dict[str, Probe] = {}
    for p in probes:
        seen = first.setdefault(p.chip_id, p)
        for name in ("claimed_country", "claimed_lat", "claimed_lon"):
            if getattr(p, name) != getattr(seen, name):
                problems.append(
                    InputProblem(
                        file, p.line, name,
                        f"chip {p.chip_id} claimed {getattr(seen, name)!r} on line {seen.line}, "
                        f"{getattr(p, name)!r} here",
                    )
                )
