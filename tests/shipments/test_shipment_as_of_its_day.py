"""Every red flag of a shipment is judged as of the shipment's day, from what was known then: a party listed
after the shipment is 'listed later, on DATE', not a listed party; the graph answers for each day."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from shipments_helpers import FIXTURES, flag_ids
from typer.testing import CliRunner

from computewatch.graph.store import GraphStore
from computewatch.screening.screener import Screener
from computewatch.shipments.scoring import ScoringRun, score_shipments
from computewatch.sources.entities import read_entities
from computewatch.sources.lists import read_list
from computewatch.sources.shipments import load_shipments
from computewatch.workspace import Workspace

PRE = FIXTURES / "pre_listing"
AS_OF = date(2026, 11, 25)


@pytest.fixture(scope="module")
def run(tmp_path_factory) -> ScoringRun:  # type: ignore[no-untyped-def]
    with Workspace(tmp_path_factory.mktemp("pre-listing")) as ws:
        fmt, records = read_list(PRE / "list.csl.csv")
        ws.load_list("fictional_csl", records, PRE / "list.csl.csv", fmt)
        batch = read_entities([PRE / "entities.jsonl"])
        assert not batch.problems
        GraphStore(ws).load(batch, [PRE / "entities.jsonl"])
        assert load_shipments(ws, [PRE / "shipments.csv"]).problems == []
        return score_shipments(ws, Screener(ws.list_entities()), AS_OF)


def test_a_shipment_made_before_the_consignee_was_listed_is_not_to_a_listed_party(run: ScoringRun) -> None:
    before = run.by_id("PRE-01")  # 2024-09-10; Harrowgate was listed on 2025-03-14
    assert "listed_party" not in flag_ids(run, "PRE-01")
    assert any("listed later, on 2025-03-14" in n and "not a listed party on 2024-09-10" in n for n in before.notes)
    after = run.by_id("PRE-02")  # 2025-04-02
    hit = next(h for h in after.flags if h.id == "listed_party")
    assert any("Harrowgate Silicon Trading Limited" in e and "listed since 2025-03-14" in e for e in hit.evidence)
    assert not after.notes


def test_a_party_listed_before_the_shipment_is_a_listed_party(run: ScoringRun) -> None:
    assert "listed_party" in flag_ids(run, "PRE-03")  # listed 2023-06-01, shipped 2024-02-01


def test_the_graph_answers_as_of_each_shipments_day(run: ScoringRun) -> None:
    # the graph's sanction record for Kestrel Bay starts on 2025-06-01: after KB-01, before KB-02
    assert "listed_party" not in flag_ids(run, "KB-01")
    assert any("g-kestrel" in n and "listed later, on 2025-06-01" in n for n in run.by_id("KB-01").notes)
    hit = next(h for h in run.by_id("KB-02").flags if h.id == "listed_party")
    assert any("graph entity g-kestrel" in e and "listed on 2025-07-20" in e for e in hit.evidence)


def test_the_note_reaches_the_alert_and_the_cli_reads_listing_dates_from_list_files(tmp_path: Path) -> None:
    from computewatch.cli import _register_commands, app

    _register_commands()
    ws = str(tmp_path / "ws")
    runner = CliRunner()
    assert runner.invoke(app, ["ingest", "shipments", str(PRE / "shipments.csv"), "-w", ws]).exit_code == 0
    out, alerts = tmp_path / "scores.jsonl", tmp_path / "alerts.jsonl"
    result = runner.invoke(app, ["shipments", "score", "--as-of", AS_OF.isoformat(), "--out", str(out), "--alerts", str(alerts),
                                 "--lists", str(PRE / "list.csl.csv"), "-w", ws])  # fmt: skip
    assert result.exit_code == 0, result.output
    import orjson

    scores = {s["shipment_id"]: s for s in map(orjson.loads, out.read_bytes().splitlines())}
    assert not any(h["id"] == "listed_party" for h in scores["PRE-01"]["flags"])
    assert any("listed later, on 2025-03-14" in n for n in scores["PRE-01"]["notes"])
    assert any(h["id"] == "listed_party" for h in scores["PRE-02"]["flags"])
