"""List loaders: the real trade.gov-layout CSL file, CSL JSON, FollowTheMoney JSON lines, bad input."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest

from computewatch.errors import InputError
from computewatch.sources.csl import CSL_COLUMNS, parse_citations, split_addresses, split_aliases
from computewatch.sources.lists import detect_format, read_list

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests/fixtures"
REAL_LIST = ROOT / "src/computewatch/data/lists/bis-lists.csl.csv"


def test_real_csl_file_loads_every_entry(real_list_records):
    # 4,043 rows; entries listed under several countries repeat their _id and are merged.
    assert len(real_list_records) == 3840
    programs = Counter(r.entity["properties"]["program"][0] for r in real_list_records)
    assert programs["Entity List (EL) - Bureau of Industry and Security"] > 3000
    assert programs["Denied Persons List (DPL) - Bureau of Industry and Security"] == 499
    assert programs["Military End User (MEU) List - Bureau of Industry and Security"] == 70


def test_real_csl_keeps_every_source_field_and_maps_to_ftm(real_list_records):
    record = next(r for r in real_list_records if r.entity["properties"]["name"] == ["Emal Bilal Construction Company (EBCC)"])
    assert set(CSL_COLUMNS) <= set(record.source_fields)
    props = record.entity["properties"]
    assert props["alias"] == ["Imal Bilal Road Construction Company", "Aimal and Balal Company"]
    assert props["country"] == ["af"]
    assert record.entity["schema"] == "Company"
    assert record.source_fields["federal_register_citations"][0] == {
        "text": "79 FR 44683, 8/1/14", "volume": 79, "page": 44683, "date": "2014-08-01"
    }


def test_repeated_rows_merge_addresses_and_countries(real_list_records):
    record = next(r for r in real_list_records if r.entity["properties"]["name"] == ["Abdul Satar Ghoura"])
    assert {"af", "pk"} <= set(record.entity["properties"]["country"])
    assert len(record.source_fields["_more_rows"]) >= 1


def test_alias_quirks():
    assert split_aliases("A Co.; B Ltd.; and C and D Company") == ["A Co.", "B Ltd.", "C and D Company"]
    assert split_aliases("") == []


def test_address_country_codes():
    assert split_addresses("1 Road, Kabul, Afghanistan, AF; 2 Street, Peshawar, Pakistan, PK") == [
        ("1 Road, Kabul, Afghanistan, AF", "AF"),
        ("2 Street, Peshawar, Pakistan, PK", "PK"),
    ]
    assert split_addresses("Yangon, Burma")[0][1] is None


def test_federal_register_citations():
    cited = parse_citations("82 F.R. 61745 12/29/2017; 83 F.R. 28801 6/21/2018, 84 FR 27233, 6/12/19")
    assert [c["page"] for c in cited] == [61745, 28801, 27233]
    assert [c["date"] for c in cited] == ["2017-12-29", "2018-06-21", "2019-06-12"]


def test_csl_json_api_shape():
    fmt, records = read_list(FIXTURES / "lists/csl-api.json")
    assert fmt == "csl-json"
    by_name = {r.entity["properties"]["name"][0]: r for r in records}
    company = by_name["Orchid Vale Compute Pte. Ltd."].entity
    assert company["properties"]["alias"] == ["OVC Singapore", "Orchid Vale Computing"]
    assert company["properties"]["country"] == ["sg"]
    assert by_name["Kestrel Harrowgate"].entity["schema"] == "Person"


def test_ftm_jsonl_keeps_screenable_entities_only():
    fmt, records = read_list(FIXTURES / "lists/fictional.ftm.jsonl")
    assert fmt == "ftm"
    assert sorted(r.id for r in records) == ["fic-lumen", "fic-person", "fic-qinghe", "fic-xingqiao"]
    entity = next(r for r in records if r.id == "fic-qinghe").to_list_entity("fictional_list")
    assert "青禾云算科技有限公司" in entity.names
    assert entity.datasets == ("fictional_list",)


def test_truncated_csv_names_the_line(tmp_path: Path):
    data = REAL_LIST.read_bytes()
    cut = data[: data.index(b"\n", len(data) // 2) + 40]  # stop in the middle of a quoted field
    broken = tmp_path / "truncated.csv"
    broken.write_bytes(cut)
    with pytest.raises(InputError) as err:
        read_list(broken)
    problem = err.value.problems[-1]
    assert problem.file == str(broken)
    assert problem.line is not None and problem.line > 1000


def test_csv_without_name_column_is_rejected(tmp_path: Path):
    bad = tmp_path / "other.csv"
    bad.write_text("id,title\n1,x\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_list(bad)
    assert err.value.problems[0].line == 1 and err.value.problems[0].field == "header"


def test_bad_row_fields_are_named(tmp_path: Path):
    bad = tmp_path / "bad.csv"
    header = ",".join(CSL_COLUMNS)
    good = ["x"] * len(CSL_COLUMNS)
    empty_name = list(good)
    empty_name[CSL_COLUMNS.index("name")] = ""
    bad_date = list(good)
    bad_date[CSL_COLUMNS.index("start_date")] = "31/31/2020"
    bad_date[CSL_COLUMNS.index("end_date")] = ""
    good[CSL_COLUMNS.index("start_date")] = good[CSL_COLUMNS.index("end_date")] = ""
    rows = [header, ",".join(good), ",".join(empty_name).replace("x,x,x,x,x,,", "x,x,x,x,x,,"), ",".join(bad_date), "x,x"]
    bad.write_text("\n".join(rows) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_list(bad)
    found = {(p.line, p.field) for p in err.value.problems}
    assert (3, "name") in found
    assert (4, "start_date") in found
    assert any(line == 5 and "fields" in p.reason for p in err.value.problems for line in [p.line])


def test_broken_ftm_line_is_named(tmp_path: Path):
    bad = tmp_path / "bad.jsonl"
    shutil.copy(FIXTURES / "lists/fictional.ftm.jsonl", bad)
    with bad.open("a", encoding="utf-8") as fh:
        fh.write('{"id": "x", "schema": "Spaceship", "properties": {}}\n{"id": "y", "sch\n')
    with pytest.raises(InputError) as err:
        read_list(bad)
    found = {(p.line, p.field) for p in err.value.problems}
    assert (6, "schema") in found
    assert any(p.line == 7 and "JSON" in p.reason for p in err.value.problems)


def test_unknown_format_and_missing_file(tmp_path: Path):
    odd = tmp_path / "list.bin"
    odd.write_bytes(b"\x00\x01\x02 not a list")
    with pytest.raises(InputError):
        detect_format(odd)
    with pytest.raises(InputError, match="not found"):
        detect_format(tmp_path / "missing.csv")
