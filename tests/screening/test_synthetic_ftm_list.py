"""A FollowTheMoney JSON lines list of a few hundred fictional names (the shape of
bench/biglist_bench.py's million) loads through `computewatch lists load` and is screened
from the workspace: a planted variant of a listed name is found, an unlisted name is not."""

from __future__ import annotations

import json
import random
from pathlib import Path

import orjson
import typer
from typer.testing import CliRunner

from computewatch.commands import lists as list_commands
from computewatch.commands import screen as screen_commands
from computewatch.workspace import Workspace

app = typer.Typer()
list_commands.register(app)
screen_commands.register(app)

# made-up pieces only: no real company or person is meant
SYLLABLES = ["ka", "lo", "mi", "ren", "dor", "va", "tes", "bra", "nel", "sor", "fen", "tor", "lin", "mar", "zu", "hal"]
SECTORS = ["Trading", "Electronics", "Logistics", "Systems", "Technology", "Holdings"]
FORMS = ["Co., Ltd.", "LLC", "Limited", "GmbH", "JSC"]
GIVEN = ["Arlen", "Brisa", "Cato", "Delia", "Emrik", "Fenna", "Galen", "Hesper"]
HAN = list("安宝成达德丰福光海和恒华辉嘉金锦康乐立利")
CYR = ["ка", "ло", "ми", "рен", "дор", "ва", "тес", "бра"]


def _word(rng: random.Random, parts: list[str]) -> str:
    return "".join(rng.choice(parts) for _ in range(rng.randint(2, 4))).capitalize()


def _entity(i: int, rng: random.Random) -> dict[str, object]:
    roll = rng.random()
    schema = "Person" if roll < 0.3 else "Company"
    if roll < 0.3:
        name = f"{rng.choice(GIVEN)} {_word(rng, SYLLABLES)}"
    elif roll < 0.4:
        name = "".join(rng.sample(HAN, 3)) + "科技有限公司"
    elif roll < 0.5:
        name = f"ООО «{_word(rng, CYR)}»"
    else:
        name = f"{_word(rng, SYLLABLES)} {_word(rng, SYLLABLES)} {rng.choice(SECTORS)} {rng.choice(FORMS)}"
    return {"id": f"synth-{i:04d}", "schema": schema, "properties": {"name": [name], "country": ["ae"]}, "datasets": ["synthetic"]}


def _write_list(path: Path, n: int = 400) -> list[dict[str, object]]:
    rng = random.Random(3)
    entities = [_entity(i, rng) for i in range(n)]
    # the planted entry: a company whose variant the test screens
    entities.append({"id": "synth-planted", "schema": "Company", "datasets": ["synthetic"],
                     "properties": {"name": ["Vadortes Brakalin Logistics Co., Ltd."], "country": ["ae"]}})  # fmt: skip
    path.write_text("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in entities), encoding="utf-8")
    return entities


def _screen(runner: CliRunner, ws: Path, name: str) -> list[dict[str, object]]:
    result = runner.invoke(app, ["screen", "--name", name, "--json", "--workspace", str(ws)])
    assert result.exit_code == 0, result.output
    return list(orjson.loads(result.stdout)["matches"])


def test_synthetic_ftm_list_loads_and_a_planted_variant_is_found(tmp_path: Path) -> None:
    entities = _write_list(tmp_path / "synthetic.ftm.json")
    ws = tmp_path / "ws"
    runner = CliRunner()
    loaded = runner.invoke(app, ["lists", "load", str(tmp_path / "synthetic.ftm.json"), "--workspace", str(ws)])
    assert loaded.exit_code == 0, loaded.output
    with Workspace(ws) as w:
        stored = w.list_entities()
        (version,) = w.list_versions()
    assert len(stored) == len(entities) and version["added"] == len(entities)
    assert {e.id for e in stored} == {str(e["id"]) for e in entities}
    planted = next(e for e in stored if e.id == "synth-planted")
    assert planted.names == ("Vadortes Brakalin Logistics Co., Ltd.",) and planted.schema == "Company"
    # a swapped pair of letters, another company form, upper case: still the planted entry
    found = _screen(runner, ws, "VADORTES BRAKALNI LOGISTICS LIMITED")
    assert [m["entity_id"] for m in found if m["match"]] == ["synth-planted"]
    # made of the same pieces, not listed: no match
    assert not [m for m in _screen(runner, ws, "Vadortes Halmizu Trading GmbH") if m["match"]]


def test_a_changed_entry_of_a_loaded_ftm_list_is_recorded_as_such(tmp_path: Path) -> None:
    path = tmp_path / "synthetic.ftm.json"
    entities = _write_list(path)
    ws = tmp_path / "ws"
    runner = CliRunner()
    assert runner.invoke(app, ["lists", "load", str(path), "--workspace", str(ws)]).exit_code == 0
    entities[7]["properties"] = {"name": ["Fenmarlo Systems JSC"], "country": ["ae"]}
    del entities[9]
    path.write_text("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in entities), encoding="utf-8")
    assert runner.invoke(app, ["lists", "load", str(path), "--workspace", str(ws)]).exit_code == 0
    with Workspace(ws) as w:
        (_, second) = w.list_versions()
        changes = w.list_changes(int(second["version_id"]))  # type: ignore[call-overload]
        names = {e.id: e.names for e in w.list_entities()}
    assert sorted(changes) == sorted([("synth-0007", "modified"), ("synth-0009", "removed")])
    assert names["synth-0007"] == ("Fenmarlo Systems JSC",) and "synth-0009" not in names


def test_a_big_list_index_built_in_forked_processes_is_the_serial_one(monkeypatch, real_list_records) -> None:  # type: ignore[no-untyped-def]
    """Lists from screening.index.PARALLEL_BUILD_FROM entries are analysed in forked processes:
    the index must be the one a single process builds (here on the real lists, in chunks)."""
    import numpy as np

    from computewatch.screening import index as index_module

    entities = [r.to_list_entity("us_trade_csl") for r in real_list_records]
    monkeypatch.setattr(index_module, "PARALLEL_BUILD_FROM", 10**9)
    serial = index_module.ScreeningIndex(entities)
    monkeypatch.setattr(index_module, "PARALLEL_BUILD_FROM", 1_000)
    monkeypatch.setattr(index_module, "BUILD_CHUNK", 300)
    monkeypatch.setattr(index_module.os, "cpu_count", lambda: 2)
    contexts: list[str] = []
    real_context = index_module.mp.get_context

    def get_context(method: str):  # type: ignore[no-untyped-def]
        contexts.append(method)
        return real_context(method)

    monkeypatch.setattr(index_module.mp, "get_context", get_context)
    forked = index_module.ScreeningIndex(entities)
    assert contexts == ["fork"]  # the forked build ran
    assert forked.names == serial.names and len(serial.names) > len(entities)
    for table in ("postings", "joined_postings", "spelled_postings", "given_name_postings", "loose_native_postings"):
        a, b = getattr(forked, table), getattr(serial, table)
        assert a.keys() == b.keys() and all(np.array_equal(a[k], b[k]) for k in a), table
    assert forked.doc_freq == serial.doc_freq and dict(forked._weights) == dict(serial._weights)
    assert np.array_equal(forked.name_weight_array, serial.name_weight_array)
