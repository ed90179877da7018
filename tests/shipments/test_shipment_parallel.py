"""Scoring in forked workers gives the output of scoring in one process, byte for byte (shipments/batch.py);
the output lines are orjson.dumps(to_json()); the shipment detector runs inside `computewatch detect`."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import orjson
import pytest
from shipments_helpers import AS_OF, FIXTURES
from typer.testing import CliRunner

from computewatch.detectors.registry import check_module, load_detectors
from computewatch.screening.screener import Screener
from computewatch.settings.detectors import DetectorSettings
from computewatch.shipments import batch, detector
from computewatch.shipments.batch import score_chunks
from computewatch.shipments.detector import alerts_from_run, shipment_alert
from computewatch.shipments.rollup import Rollup, rank
from computewatch.shipments.scoring import ScoringRun, ShipmentScorer, score_shipments
from computewatch.sources.entities import read_entities
from computewatch.sources.shipments import load_shipments
from computewatch.workspace import Workspace

BENCH = Path(__file__).resolve().parents[2] / "bench" / "shipments_bench.py"
# HUBS[7 % 10] in the bench generator: consignee 7 is in the US, and a logistics company (7 % 7 == 0)
WATCHED = "Consignee 7 Logistics Pte. Ltd."
DIRECTOR_FROM = (
    "2025-01-01"  # between the watched consignee's shipments (they run from 2024-01 to 2026-11)
)


def _generate(path: Path, n: int, consignees: int) -> None:
    spec = importlib.util.spec_from_file_location("shipments_bench", BENCH)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.generate(path, n, consignees=consignees)


def _entities(path: Path) -> Path:
    """A graph in which the watched consignee gets a director, who also directs another company, on DIRECTOR_FROM."""
    rows = [
        {"id": "t-watched", "schema": "Company", "properties": {"name": [WATCHED], "country": ["us"], "incorporationDate": ["2001-02-03"]}},
        {"id": "t-other", "schema": "Company", "properties": {"name": ["Lantern Relay Trading Ltd."], "country": ["hk"]}},
        {"id": "t-person", "schema": "Person", "properties": {"name": ["Orrin Vasquez-Lee"], "nationality": ["hk"]}},
        {"id": "t-dir-1", "schema": "Directorship", "properties": {"director": ["t-person"], "organization": ["t-watched"], "startDate": [DIRECTOR_FROM]}},
        {"id": "t-dir-2", "schema": "Directorship", "properties": {"director": ["t-person"], "organization": ["t-other"], "startDate": ["2020-01-01"]}},
    ]  # fmt: skip
    path.write_bytes(b"\n".join(orjson.dumps(r) for r in rows) + b"\n")
    return path


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:  # type: ignore[no-untyped-def]
    """A workspace of 4,000 generated shipments to 300 consignees, and a small ownership graph."""
    from computewatch.graph.store import GraphStore

    tmp = tmp_path_factory.mktemp("parallel")
    _generate(tmp / "shipments.csv", 4000, 300)
    with Workspace(tmp / "ws") as ws:
        assert load_shipments(ws, [tmp / "shipments.csv"]).problems == []
        entities = _entities(tmp / "entities.jsonl")
        GraphStore(ws).load(read_entities([entities]), [entities])
    return tmp / "ws"


@pytest.fixture(scope="module")
def list_file(tmp_path_factory) -> Path:  # type: ignore[no-untyped-def]
    """The fictional list, and an entry for one generated consignee (shipped to by several workers' chunks)."""
    path = tmp_path_factory.mktemp("lists") / "list.ftm.jsonl"
    entry = {"id": "t-listed", "schema": "Company", "datasets": ["test_list"],
             "properties": {"name": ["Consignee 12 Pte. Ltd."], "country": ["th"]}}  # fmt: skip
    path.write_bytes(
        (FIXTURES.parent / "lists" / "fictional.ftm.jsonl").read_bytes().rstrip(b"\n")
        + b"\n"
        + orjson.dumps(entry)
        + b"\n"
    )
    return path


@pytest.fixture(scope="module")
def screener(list_file: Path) -> Screener:
    from computewatch.sources.lists import read_list

    _, records = read_list(list_file)
    return Screener([r.to_list_entity("test_list") for r in records])


def _run(
    ws_path: Path, screener: Screener | None, out: Path, **options: Any
) -> tuple[list[Any], list[Any], int]:
    """Score into `out`; the alerts (as JSON), the consignees (ranked, as JSON) and the count of shipments."""
    day = AS_OF.isoformat()
    found, consignees, shipments = [], [], 0
    with Workspace(ws_path) as ws, out.open("wb") as fh:
        scorer = ShipmentScorer(ws, screener, AS_OF)
        for chunk in score_chunks(scorer, fh, on_alert=lambda s: shipment_alert(s, day).to_json(),
                                  on_consignee=lambda c: (rank(c), c.to_json()), **options):  # fmt: skip
            found += chunk.found
            consignees += chunk.consignees
            shipments += chunk.shipments
    return found, sorted(consignees, key=lambda c: c[0]), shipments


def test_workers_write_what_one_process_writes(
    generated: Path, screener: Screener, tmp_path: Path
) -> None:
    serial = _run(generated, screener, tmp_path / "serial.jsonl", workers=1)
    parallel = _run(
        generated, screener, tmp_path / "parallel.jsonl", workers=2, chunk_rows=150, serial_below=0
    )
    assert serial[2] == parallel[2] == 4000
    assert (tmp_path / "serial.jsonl").read_bytes() == (tmp_path / "parallel.jsonl").read_bytes()
    assert serial[0] == parallel[0] and serial[1] == parallel[1]
    # and both are what scoring in memory gives: the scores' to_json, the roll-up of rollup.Rollup
    with Workspace(generated) as ws:
        run = score_shipments(ws, screener, AS_OF)
    expected = b"".join(orjson.dumps(s.to_json()) + b"\n" for s in run.scores)
    assert (tmp_path / "serial.jsonl").read_bytes() == expected
    rollup = Rollup()
    for s in run.scores:
        if s.of_interest:
            rollup.add(s)
    assert [c.to_json() for c in rollup.consignees()] == [c for _, c in parallel[1]]
    assert any(h.id == "listed_party" for s in run.scores for h in s.flags)  # the screener was used


def test_a_graph_answer_is_that_of_each_shipments_day_in_every_worker(generated: Path, tmp_path: Path) -> None:
    _run(generated, None, tmp_path / "serial.jsonl", workers=1)
    _run(generated, None, tmp_path / "parallel.jsonl", workers=2, chunk_rows=150, serial_below=0)
    serial = [orjson.loads(line) for line in (tmp_path / "serial.jsonl").read_bytes().splitlines()]
    assert (tmp_path / "serial.jsonl").read_bytes() == (tmp_path / "parallel.jsonl").read_bytes()
    watched = [s for s in serial if s["consignee"] == WATCHED and s["of_interest"]]
    assert watched[0]["date"] < DIRECTOR_FROM < watched[-1]["date"]  # the director came in between

    def shares_director(s: dict[str, Any]) -> bool:
        return any("its director Orrin Vasquez-Lee also directs Lantern Relay Trading Ltd." in e
                   for h in s["flags"] if h["id"] == "shared_address_phone_or_directors" for e in h["evidence"])  # fmt: skip

    # before the director was appointed the graph did not know of the shared director; from that day it did
    assert not any(shares_director(s) for s in watched if s["date"] < DIRECTOR_FROM)
    assert all(shares_director(s) for s in watched if s["date"] >= DIRECTOR_FROM)


def test_a_graph_lookup_missed_before_forking_fails_in_a_worker(generated: Path) -> None:
    with Workspace(generated) as ws:
        parties = ShipmentScorer(ws, None, AS_OF).checks.parties
        parties.in_worker = True
        with pytest.raises(RuntimeError, match="prepare_workers"):
            parties.graph_party("", "Nobody Asked For Ltd.", "SG", AS_OF)


def test_every_output_line_is_the_json_of_its_score(scored: ScoringRun) -> None:
    for s in scored.scores:
        line = s.json_line()
        assert (
            line == orjson.dumps(s.to_json()) + b"\n"
        )  # to_json builds the items from the scorer's parts
        assert s.json_line() == line  # and from the dict, once built


def test_cli_scores_the_same_with_one_worker_or_two(
    generated: Path, list_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from computewatch.cli import _register_commands, app

    _register_commands()
    monkeypatch.setattr(batch, "SERIAL_BELOW", 0)
    monkeypatch.setattr(batch, "CHUNK_ROWS", 200)
    lists = str(list_file)
    outputs = []
    for workers in ("1", "2"):
        files = [
            tmp_path / f"{name}-{workers}.jsonl" for name in ("scores", "consignees", "alerts")
        ]
        result = CliRunner().invoke(app, ["shipments", "score", "--as-of", AS_OF.isoformat(), "--out", str(files[0]), "--consignees",
                                          str(files[1]), "--alerts", str(files[2]), "--lists", lists, "--workers", workers,
                                          "-w", str(generated)])  # fmt: skip
        assert result.exit_code == 0, result.output
        outputs.append([f.read_bytes() for f in files])
    assert outputs[0] == outputs[1]
    assert outputs[0][0].count(b"\n") == 4000 and outputs[0][1] and b"listed_party" in outputs[0][2]


def test_the_shipment_detector_is_registered_and_alerts_like_alerts_from_run(
    generated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert "shipment-diversion" in [d.meta.id for d in load_detectors()]
    assert check_module(detector) == []
    with Workspace(generated) as ws:
        expected = [a.to_json() for a in alerts_from_run(score_shipments(ws, None, AS_OF))]
        ctx = SimpleNamespace(
            settings=DetectorSettings(), parties=SimpleNamespace(ws=ws), as_of=AS_OF
        )
        assert [a.to_json() for a in detector.detect(ctx)] == expected
        monkeypatch.setattr(batch, "SERIAL_BELOW", 0)
        ctx.settings = DetectorSettings(shipments={"workers": 2})
        assert [a.to_json() for a in detector.detect(ctx)] == expected
    assert expected and {a["detector"] for a in expected} == {
        "shipment-diversion",
        "shipment-diversion-consignee",
    }


def test_a_failing_worker_fails_the_run(generated: Path, tmp_path: Path) -> None:
    with Workspace(generated) as ws:
        scorer = ShipmentScorer(ws, None, AS_OF)
        score = scorer.score

        def failing(ckey: str, row: Any, history: Any) -> Any:
            if row.shipment_id == "B3000":
                raise ValueError("a bad row")
            return score(ckey, row, history)

        scorer.score = failing  # type: ignore[method-assign]
        with (
            pytest.raises(ValueError, match="a bad row"),
            (tmp_path / "out.jsonl").open("wb") as fh,
        ):
            for _ in score_chunks(scorer, fh, workers=2, chunk_rows=150, serial_below=0):
                pass


def test_workers_hand_their_lines_back_for_a_file_without_a_descriptor(
    generated: Path, tmp_path: Path
) -> None:
    import io

    _run(generated, None, tmp_path / "serial.jsonl", workers=1)
    buffer = io.BytesIO()
    with Workspace(generated) as ws:
        for chunk in score_chunks(
            ShipmentScorer(ws, None, AS_OF), buffer, workers=2, chunk_rows=150, serial_below=0
        ):
            assert chunk.lines == b""  # written to the buffer already
    assert buffer.getvalue() == (tmp_path / "serial.jsonl").read_bytes()
