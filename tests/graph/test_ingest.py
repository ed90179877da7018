"""`ingest entities`: bad rows reported by file, line and field; good rows loaded; loads replace by id."""

from __future__ import annotations

from pathlib import Path

from graph_helpers import FIXTURES, load

from computewatch.graph.store import GraphStore
from computewatch.sources.entities import read_entities
from computewatch.workspace import Workspace

BAD = FIXTURES / "bad-rows.jsonl"


def problems_by_line(tmp_path: Path) -> tuple[dict[int, tuple[str | None, str]], GraphStore, Workspace]:
    ws = Workspace(tmp_path / "ws")
    store = GraphStore(ws)
    batch = read_entities([BAD])
    store.load(batch, [BAD])
    assert all(p.file == str(BAD) for p in batch.problems)
    return {p.line or 0: (p.field, p.reason) for p in batch.problems}, store, ws


def test_every_bad_row_is_named_with_line_and_field(tmp_path: Path) -> None:
    found, _, ws = problems_by_line(tmp_path)
    ws.close()
    assert found[5][1].startswith("not valid JSON")
    assert found[6] == ("schema", "unknown FollowTheMoney schema 'Corporation'")
    assert found[7] == ("properties.percentage", "150% is outside 0-100")
    assert found[8] == ("properties.asset", "'ok-a' owns itself")
    assert found[9][0] == "properties.owner" and "'ghost-owner'" in found[9][1]
    assert found[10][0] == "properties.startDate"
    assert found[11] == ("properties.endDate", "ends (2023-01-01) before it starts (2024-05-01)")
    assert found[12] == ("properties.cuntry", "not a property of Company")
    assert found[13][0] == "properties.country" and "'XX'" in found[13][1]
    assert found[14] == ("properties.asset", "refers to 'ok-p', a Person, where a Asset is needed")
    assert found[15] == ("id", "duplicate id 'ok-a' (first on line 1)")
    assert found[16] == ("properties.percentage", "'about half' is not a number")
    assert sorted(found) == list(range(5, 17))


def test_the_good_rows_are_loaded_despite_the_bad(tmp_path: Path) -> None:
    _, store, ws = problems_by_line(tmp_path)
    with ws:
        counts = store.counts()
        assert counts["graph_entities"] == 3 and counts["graph_relations"] == 2  # ok-o1 and ok-d
        assert store.node("ok-a") is not None and store.node("ok-a").name == "Goodrow Alpha Ltd"  # type: ignore[union-attr]
        assert store.node("bad-country") is None
        (edge,) = store.edges_into(["ok-a"], ["ownership"])
        assert (edge.source, edge.percentage, str(edge.start)) == ("ok-b", 75.0, "2024-01-01")


def test_a_later_file_may_refer_to_entities_already_loaded_and_reloading_replaces(tmp_path: Path) -> None:
    first, second = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    first.write_text('{"id": "x", "schema": "Company", "properties": {"name": ["Xylo Ltd"]}}\n'
                     '{"id": "y", "schema": "Company", "properties": {"name": ["Yarrow Ltd"]}}\n')  # fmt: skip
    second.write_text('{"id": "o", "schema": "Ownership", "properties": {"owner": ["y"], "asset": ["x"], "percentage": ["20%"]}}\n'
                      '{"id": "x", "schema": "Company", "properties": {"name": ["Xylo Holdings Ltd"], "country": ["sg"]}}\n')  # fmt: skip
    with Workspace(tmp_path / "ws") as ws:
        store = load(ws, first)
        load(ws, second)
        assert store.counts()["graph_entities"] == 2
        x = store.node("x")
        assert x is not None and (x.name, x.country) == ("Xylo Holdings Ltd", "SG")
        assert [e.percentage for e in store.edges_into(["x"], ["ownership"])] == [20.0]
        load(ws, second)  # same ids again: replaced, not duplicated
        assert store.counts()["graph_relations"] == 1


def test_partial_dates_cover_the_whole_period(tmp_path: Path) -> None:
    data = tmp_path / "d.jsonl"
    data.write_text('{"id": "a", "schema": "Company", "properties": {"name": ["Ashgrove Ltd"]}}\n'
                    '{"id": "b", "schema": "Company", "properties": {"name": ["Beckside Ltd"]}}\n'
                    '{"id": "o", "schema": "Ownership", "properties": {"owner": ["b"], "asset": ["a"], "startDate": ["2023"], "endDate": ["2024-02"]}}\n')  # fmt: skip
    with Workspace(tmp_path / "ws") as ws:
        (edge,) = load(ws, data).edges_into(["a"], ["ownership"])
        assert (str(edge.start), str(edge.end)) == ("2023-01-01", "2024-02-29")
