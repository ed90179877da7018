"""The trade.gov Consolidated Screening List, as CSV (29 columns) or JSON.

Quirks handled: aliases '; '-separated with a final 'and '; addresses
'; '-separated, each ending in an ISO country code; Federal Register citations
such as '76 FR 71869, 11/21/11' (several, ';' or ',' separated); dates.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import orjson
from followthemoney import model
from rigour.names import extract_org_types

from computewatch.errors import InputError, InputProblem
from computewatch.sources.inputfiles import (
    InputLimits,
    checked_rows,
    decoding,
    default_limits,
    delimiter_hint,
    json_value_problems,
    open_text,
    read_text,
    text_encoding,
)
from computewatch.sources.records import ListRecord

CSL_COLUMNS = [
    "_id", "source", "entity_number", "type", "programs", "name", "title", "addresses",
    "federal_register_notice", "start_date", "end_date", "standard_order", "license_requirement",
    "license_policy", "call_sign", "vessel_type", "gross_tonnage", "gross_registered_tonnage",
    "vessel_flag", "vessel_owner", "remarks", "source_list_url", "alt_names", "citizenships",
    "dates_of_birth", "nationalities", "places_of_birth", "source_information_url", "ids",
]  # fmt: skip
REQUIRED_COLUMNS = ("name", "source")
COMPANY_WORDS = re.compile(r"\b(company|corporation|corp|co|ltd|limited|inc|group|holdings?|llc|gmbh|trading|industries)\b", re.IGNORECASE)
COUNTRY_AT_END = re.compile(r",\s*([A-Z]{2})\s*$")
FR_CITATION = re.compile(r"(?:(\d+)\s*)?F\.?\s*R\.?\s+([\d,]+)\s*,?\s*(\d{1,2}/\d{1,2}/\d{2,4})?")
ORG_WORDS = re.compile(
    r"\b(universit|institut|academy|college|school|laborator|center|centre|bureau|ministry|"
    r"department|agency|army|force|navy|guard|committee|council|hospital)",
    re.IGNORECASE,
)
CSL_TYPES = {"individual": "Person", "entity": "LegalEntity", "vessel": "Vessel", "aircraft": "Airplane"}


def split_aliases(text: str) -> list[str]:
    """'A; B; and C' -> ['A', 'B', 'C']; 'and' inside a name ('Aimal and Balal Company') stays."""
    out = []
    for part in text.split(";"):
        part = re.sub(r"^\s*and\s+", "", part.strip())
        if part:
            out.append(part)
    return out


def split_addresses(text: str) -> list[tuple[str, str | None]]:
    """Addresses and the ISO country code each one ends with."""
    out: list[tuple[str, str | None]] = []
    for part in text.split(";"):
        part = part.strip()
        if not part:
            continue
        m = COUNTRY_AT_END.search(part)
        out.append((part, m.group(1) if m else None))
    return out


def parse_citations(text: str) -> list[dict[str, Any]]:
    """'76 FR 71869, 11/21/11' -> [{'volume': 76, 'page': 71869, 'date': '2011-11-21', 'text': ...}]."""
    found = []
    for m in FR_CITATION.finditer(text):
        cited: dict[str, Any] = {"text": m.group(0).strip().rstrip(","), "volume": int(m.group(1)) if m.group(1) else None}
        cited["page"] = int(m.group(2).replace(",", "")) if m.group(2).replace(",", "") else None
        cited["date"] = _us_date(m.group(3)) if m.group(3) else None
        found.append(cited)
    return found


def _us_date(text: str) -> str | None:
    month, day, year = (int(x) for x in text.split("/"))
    if year < 100:
        year += 2000 if year < 70 else 1900
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def guess_schema(csl_type: str, name: str) -> str:
    if csl_type.strip():
        return CSL_TYPES.get(csl_type.strip().lower(), "LegalEntity")
    if extract_org_types(name) or COMPANY_WORDS.search(name):
        return "Company"
    if ORG_WORDS.search(name):
        return "Organization"
    return "LegalEntity"


def _as_list(value: Any) -> list[Any]:
    if value is None or value == "":
        return []
    return value if isinstance(value, list) else [value]


def _text(value: Any) -> str:
    if isinstance(value, list):
        return "; ".join(_text(v) for v in value if v not in (None, ""))
    if isinstance(value, dict):
        return ", ".join(str(v) for v in value.values() if v)
    return "" if value is None else str(value)


def _check_date(path: Path, line: int, field: str, value: str, problems: list[InputProblem]) -> None:
    if value:
        try:
            date.fromisoformat(value[:10])
        except ValueError:
            problems.append(InputProblem(str(path), line, field, f"not a date: {value!r}"))


def csl_row_to_record(row: dict[str, Any], path: Path, line: int, problems: list[InputProblem]) -> ListRecord | None:
    name = _text(row.get("name")).strip()
    if not name:
        problems.append(InputProblem(str(path), line, "name", "empty name"))
        return None
    for field in ("start_date", "end_date"):
        _check_date(path, line, field, _text(row.get(field)), problems)
    aliases = _as_list(row.get("alt_names")) if isinstance(row.get("alt_names"), list) else split_aliases(_text(row.get("alt_names")))
    schema = guess_schema(_text(row.get("type")), name)
    entity = model.make_entity(schema)
    source_id = _text(row.get("_id")) or _text(row.get("id"))
    entity.id = f"csl-{source_id}" if source_id else entity.make_id("csl", _text(row.get("source")), name, _text(row.get("addresses")))
    entity.add("name", name)
    entity.add("alias", [a for a in aliases if a != name])
    addresses = row.get("addresses")
    countries: list[str] = []
    if isinstance(addresses, list) and addresses and isinstance(addresses[0], dict):
        for addr in addresses:
            entity.add("address", _text({k: v for k, v in addr.items() if k != "country"}) + (f", {addr.get('country')}" if addr.get("country") else ""))
            if addr.get("country"):
                countries.append(str(addr["country"]))
    else:
        for full, cc in split_addresses(_text(addresses)):
            entity.add("address", full)
            if cc:
                countries.append(cc)
    for key in ("citizenships", "nationalities"):
        countries.extend(c for c in re.split(r"[;,]\s*", _text(row.get(key))) if len(c.strip()) == 2)
    entity.add("country", [c.strip().lower() for c in countries], quiet=True)
    entity.add("program", _text(row.get("source")))
    entity.add("notes", _text(row.get("remarks")), quiet=True)
    entity.add("sourceUrl", _text(row.get("source_information_url")) or _text(row.get("source_list_url")), quiet=True)
    topic = "sanction" if "OFAC" in _text(row.get("source")) or "Sanction" in _text(row.get("source")) else "export.control"
    entity.add("topics", topic, quiet=True)
    data = entity.to_dict()
    data["datasets"] = ["us_trade_csl"]
    fields = {k: v for k, v in row.items() if k is not None}
    fields["federal_register_citations"] = parse_citations(_text(row.get("federal_register_notice")))
    return ListRecord(entity=data, source_fields=fields, line=line)


def read_csl_csv(path: Path, limits: InputLimits | None = None) -> list[ListRecord]:
    limits = limits or default_limits()
    problems: list[InputProblem] = []
    records: list[ListRecord] = []
    encoding = text_encoding(path)
    with decoding(path, encoding), open_text(path, encoding) as fh:
        reader = csv.reader(fh, strict=True)
        try:
            header = next(reader)
        except StopIteration:
            raise InputError(path, 1, None, "empty file") from None
        except csv.Error as err:
            raise InputError(path, 1, "header", f"not CSV: {err}") from None
        if header:
            header[0] = header[0].removeprefix("\ufeff")
        missing = [c for c in REQUIRED_COLUMNS if c not in header]
        if missing:
            raise InputError(path, 1, "header", f"not a Consolidated Screening List CSV: missing column(s) {', '.join(missing)}" + delimiter_hint(header))
        try:
            for line, row in checked_rows(reader, lambda: reader.line_num, path, header, limits, problems):
                record = csl_row_to_record(dict(zip(header, row, strict=True)), path, line, problems)
                if record:
                    records.append(record)
        except csv.Error as err:
            problems.append(InputProblem(str(path), reader.line_num, None, f"malformed CSV: {err} (truncated file?)"))
    if problems:
        raise InputError.many(problems)
    if not records:
        raise InputError(path, 2, None, "no entries after the header")
    return records


def _json_rows(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    try:
        data = orjson.loads(read_text(path))
    except orjson.JSONDecodeError as err:
        raise InputError(path, err.lineno, None, f"not valid JSON: {err.msg} (truncated file?)") from None
    damaged = json_value_problems(str(path), None, data, default_limits())
    if damaged:
        raise InputError.many(damaged)
    rows = data.get("results") if isinstance(data, dict) else data
    if not isinstance(rows, list):
        raise InputError(path, 1, "results", "expected a list of entries or an object with 'results'")
    for i, row in enumerate(rows):
        if not isinstance(row, dict):
            raise InputError(path, None, f"results[{i}]", "entry is not an object")
        yield i, row


def read_csl_json(path: Path) -> list[ListRecord]:
    problems: list[InputProblem] = []
    records = []
    for i, row in _json_rows(path):
        if "name" not in row:
            problems.append(InputProblem(str(path), None, f"results[{i}].name", "missing"))
            continue
        sub: list[InputProblem] = []
        record = csl_row_to_record(row, path, i + 1, sub)
        problems.extend(InputProblem(p.file, None, f"results[{i}].{p.field}", p.reason) for p in sub)
        if record:
            records.append(record)
    if problems:
        raise InputError.many(problems)
    return records
