"""Restricted-party list files: detect the format, read with the right adapter."""

from __future__ import annotations

from pathlib import Path

from computewatch.errors import InputError
from computewatch.sources.csl import read_csl_csv, read_csl_json
from computewatch.sources.ftm import read_ftm_jsonl
from computewatch.sources.inputfiles import text_head
from computewatch.sources.records import ListRecord

FORMATS = ("csl-csv", "csl-json", "ftm")


def detect_format(path: Path) -> str:
    head = text_head(path).lstrip("\ufeff").lstrip()
    if not head:
        raise InputError(path, 1, None, "empty file (only blank space)")
    suffix = path.suffix.lower()
    if suffix == ".csv" or (head[:1] not in ("{", "[") and "," in head.split("\n", 1)[0]):
        return "csl-csv"
    if head[:1] == "[" or (head[:1] == "{" and '"results"' in head):
        return "csl-json"
    if head[:1] == "{":
        return "ftm"
    raise InputError(path, 1, None, "unrecognised list format (expected trade.gov CSL CSV/JSON or FollowTheMoney JSON lines)")


def default_dataset(path: Path, fmt: str, records: list[ListRecord]) -> str:
    if fmt.startswith("csl"):
        return "us_trade_csl"
    for record in records:
        datasets = record.entity.get("datasets")
        if datasets:
            return str(datasets[0])
    return path.stem


def read_list(path: Path, fmt: str | None = None) -> tuple[str, list[ListRecord]]:
    fmt = fmt or detect_format(path)
    if fmt == "csl-csv":
        records = read_csl_csv(path)
    elif fmt == "csl-json":
        records = read_csl_json(path)
    elif fmt == "ftm":
        records = read_ftm_jsonl(path)
    else:
        raise InputError(path, None, None, f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    if not records:
        raise InputError(path, None, None, "no entries found")
    return fmt, merge_duplicates(records)


def merge_duplicates(records: list[ListRecord]) -> list[ListRecord]:
    """One record per entity id; repeated rows (same entry under several countries) are merged."""
    by_id: dict[str, ListRecord] = {}
    for record in records:
        if record.id in by_id:
            by_id[record.id].merge(record)
        else:
            by_id[record.id] = record
    return list(by_id.values())
