"""Reading the policy YAML files: duplicate keys refused, every record knows its line.

Loading collects every problem (file, line, field, reason) before raising one
``InputError`` so that a maintainer editing a data file sees all mistakes at once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from computewatch.errors import InputError, InputProblem

M = TypeVar("M", bound=BaseModel)


class LineDict(dict[str, Any]):
    """A YAML mapping that remembers the line (1-based) it started on."""

    line: int | None = None


class _DuplicateKey(Exception):
    def __init__(self, key: str, line: int):
        super().__init__(key)
        self.key = key
        self.line = line


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses duplicate keys, records line numbers, and reads only
    true/false as booleans (YAML 1.1 would read the country code NO as false)."""


_BOOL = "tag:yaml.org,2002:bool"
_StrictLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != _BOOL]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_StrictLoader.add_implicit_resolver(
    _BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    result = LineDict()
    result.line = node.start_mark.line + 1
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in result:
            raise _DuplicateKey(str(key), key_node.start_mark.line + 1)
        result[key] = loader.construct_object(value_node, deep=True)
    return result


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def data_path(name: str) -> Path:
    """Path of a bundled data file in ``computewatch/policy/data``."""
    return Path(str(resources.files("computewatch.policy") / "data" / name))


def read_yaml(path: Path) -> Any:
    """Parse one YAML file strictly; syntax errors and duplicate keys become InputError."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as err:
        raise InputError(path, None, None, f"cannot read: {err}") from err
    try:
        return yaml.load(text, Loader=_StrictLoader)  # noqa: S506 - a SafeLoader subclass
    except _DuplicateKey as err:
        raise InputError(path, err.line, err.key, "duplicate key") from err
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise InputError(path, line, None, f"not valid YAML: {err}") from err


def line_of(value: Any) -> int | None:
    return value.line if isinstance(value, LineDict) else None


def build_records(
    path: Path,
    raw: Any,
    model: type[M],
    key_field: str,
    section: str,
    problems: list[InputProblem],
) -> list[M]:
    """Validate a YAML list of mappings into models; duplicate keys and bad fields go to problems."""
    if not isinstance(raw, list):
        problems.append(InputProblem(str(path), None, section, "expected a list of records"))
        return []
    records: list[M] = []
    seen: dict[str, int | None] = {}
    for item in raw:
        line = line_of(item)
        if not isinstance(item, dict):
            problems.append(InputProblem(str(path), line, section, "expected a mapping"))
            continue
        key = str(item.get(key_field, "?"))
        if key in seen and key != "?":
            problems.append(
                InputProblem(str(path), line, key_field, f"duplicate {key_field} {key!r} (first at line {seen[key]})")
            )
            continue
        seen[key] = line
        try:
            records.append(model.model_validate({**item, "line": line}))
        except ValidationError as err:
            problems.extend(_problems_from(path, line, key, err))
    return records


def _problems_from(path: Path, line: int | None, key: str, err: ValidationError) -> Iterable[InputProblem]:
    for e in err.errors():
        where = ".".join(str(p) for p in e["loc"])
        yield InputProblem(str(path), line, f"{key}: {where}" if where else key, e["msg"])


def raise_if(problems: list[InputProblem]) -> None:
    if problems:
        raise InputError.many(problems)
