"""FollowTheMoney entity JSON lines, as exported by OpenSanctions."""

from __future__ import annotations

from pathlib import Path

from followthemoney import model

from computewatch.errors import InputError, InputProblem
from computewatch.sources.jsonlines import json_objects
from computewatch.sources.records import ListRecord

SCREENABLE = {"Person", "Company", "Organization", "LegalEntity", "PublicBody", "Vessel", "Airplane"}


def read_ftm_jsonl(path: Path, only_screenable: bool = True) -> list[ListRecord]:
    problems: list[InputProblem] = []
    records: list[ListRecord] = []
    for lineno, data in json_objects(path, problems):
        bad = False
        for field in ("id", "schema"):
            if not data.get(field):
                problems.append(InputProblem(str(path), lineno, field, "missing"))
                bad = True
            elif not isinstance(data[field], str):
                problems.append(InputProblem(str(path), lineno, field, f"must be text, not {type(data[field]).__name__}"))
                bad = True
        if bad:
            continue
        schema = model.get(data["schema"])
        if schema is None:
            problems.append(InputProblem(str(path), lineno, "schema", f"unknown FollowTheMoney schema {data['schema']!r}"))
            continue
        if only_screenable and not any(schema.is_a(model.get(s)) for s in SCREENABLE if model.get(s)):
            continue
        try:
            proxy = model.get_proxy(data, cleaned=False)
        except Exception as err:  # followthemoney raises several types for bad properties
            problems.append(InputProblem(str(path), lineno, "properties", str(err)))
            continue
        entity = proxy.to_dict()
        for extra in ("datasets", "caption", "topics", "first_seen", "last_seen", "referents"):
            if extra in data:
                entity[extra] = data[extra]
        records.append(ListRecord(entity=entity, source_fields=data, line=lineno))
    if problems:
        raise InputError.many(problems)
    return records
