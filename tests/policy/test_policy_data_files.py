"""The loaders refuse bad data files and say where: file, line, rule id, field."""

from __future__ import annotations

from pathlib import Path

import pytest

from computewatch.errors import InputError
from computewatch.policy.catalogue import catalogue
from computewatch.policy.countries import country_groups
from computewatch.policy.rules import load_rules

RULE = """
  - id: {id}
    kind: licence
    title: test rule
    source: "99 FR 1"
    effective: 2024-01-01
    items: {{always: true}}
    destinations: {{countries: [CN]}}
    review: case-by-case
"""


def write(tmp_path: Path, text: str, name: str = "rules.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def problems(err: pytest.ExceptionInfo[InputError]) -> list[str]:
    return [str(p) for p in err.value.problems]


def test_bundled_data_loads() -> None:
    assert len(load_rules().rules) >= 15
    assert {"A:5", "A:6", "D:1", "D:4", "D:5"} <= set(country_groups().groups)
    assert len(catalogue().accelerators) >= 20


def test_duplicate_rule_id_is_refused_with_line(tmp_path: Path) -> None:
    path = write(tmp_path, "review_policies: [case-by-case]\nrules:" + RULE.format(id="a") + RULE.format(id="a"))
    with pytest.raises(InputError) as err:
        load_rules(path)
    assert any("rules.yaml, line 12" in p and "duplicate id 'a'" in p for p in problems(err))


def test_missing_fields_are_all_reported(tmp_path: Path) -> None:
    path = write(tmp_path, "review_policies: [case-by-case]\nrules:\n  - id: b\n    kind: licence\n    title: t\n")
    with pytest.raises(InputError) as err:
        load_rules(path)
    found = problems(err)
    assert any("'b: source'" in p for p in found)
    assert any("'b: effective'" in p for p in found)


def test_duplicate_yaml_key_is_refused(tmp_path: Path) -> None:
    text = "review_policies: [case-by-case]\nrules:" + RULE.format(id="c").replace(
        "    review: case-by-case", "    review: case-by-case\n    review: case-by-case"
    )
    with pytest.raises(InputError) as err:
        load_rules(write(tmp_path, text))
    assert "duplicate key" in str(err.value) and "review" in str(err.value)


def test_bad_conditions_groups_and_references_are_refused(tmp_path: Path) -> None:
    text = "review_policies: [case-by-case]\nrules:" + RULE.format(id="d").replace(
        "items: {always: true}", "items: {tpp: {over: 4800}}"
    ).replace("{countries: [CN]}", "{groups: ['Z:9']}") + "    superseded: 2025-01-01\n"
    with pytest.raises(InputError) as err:
        load_rules(write(tmp_path, text))
    found = " | ".join(problems(err))
    assert "unknown comparison" in found
    assert "unknown country group 'Z:9'" in found
    assert "superseded_by" in found


def test_catalogue_requires_a_source_per_figure(tmp_path: Path) -> None:
    text = """
precisions: {fp16: 16}
training_precision: fp16
vendors: [{name: V, country: US, aliases: []}]
accelerators:
  - name: X1
    vendor: V
    origin_country: US
    kind: ic
    datacenter: true
    dense_tops: {fp16: 100, fp3: 1}
    die_area_mm2: 100
    sources: {dense_tops: datasheet}
"""
    with pytest.raises(InputError) as err:
        catalogue(write(tmp_path, text, "accelerators.yaml"))
    found = " | ".join(problems(err))
    assert "X1: sources.die_area_mm2" in found and "every figure needs a source" in found
    assert "X1: dense_tops.fp3" in found


def test_country_codes_must_be_iso(tmp_path: Path) -> None:
    text = "groups:\n  - id: 'D:5'\n    title: t\n    source: s\n    members: [CN, XX]\n"
    with pytest.raises(InputError) as err:
        country_groups(write(tmp_path, text, "groups.yaml"))
    assert "'XX' is not an ISO 3166-1 alpha-2 code" in str(err.value)
