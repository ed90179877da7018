"""Re-screening: a list or rule change re-screens what it affects, and only what changed becomes alerts.

Every name here is fictional.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import orjson
import typer
from typer.testing import CliRunner

from computewatch.commands import register_all
from computewatch.graph.store import GraphStore
from computewatch.rescreen import rescreen
from computewatch.rescreen.parties import gather_parties, has_parties
from computewatch.rescreen.policy_state import policy_changes, policy_snapshot
from computewatch.sources.entities import read_entities
from computewatch.sources.lists import read_list
from computewatch.sources.operations import load_operations
from computewatch.workspace import Workspace

DAY = date(2026, 11, 25)
LISTED = {"id": "fic-zenith", "schema": "Company", "datasets": ["fictional_list"],
          "properties": {"name": ["Zenith Ridge Computing Technology Co., Ltd."], "alias": ["峰岭算力科技有限公司"], "country": ["cn"]}}  # fmt: skip
OTHER = {"id": "fic-lumen", "schema": "Company", "datasets": ["fictional_list"],
         "properties": {"name": ["Lumenbright Data Pte. Ltd."], "country": ["sg"]}}  # fmt: skip
ACCOUNTS = """account_id,holder_name,country,created_at,payer_name,billing_country
acc-1,Zenith Ridge Computing Technology Company Limited,CN,2026-01-05,,
acc-2,Harbour Lantern Analytics Pte. Ltd.,SG,2026-02-01,Zenith Ridge Computing Tech Co Ltd,CN
acc-3,Willowmere Robotics GmbH,DE,2026-03-01,,
"""


def _list(path: Path, *entries: dict) -> Path:
    path.write_text(
        "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in entries), encoding="utf-8"
    )
    return path


def _load_list(ws: Workspace, path: Path) -> None:
    fmt, records = read_list(path)
    ws.load_list("fictional_list", records, path, fmt)


def _accounts(ws: Workspace, tmp_path: Path, text: str = ACCOUNTS) -> None:
    path = tmp_path / f"accounts-{abs(hash(text))}.csv"
    path.write_text(text, encoding="utf-8")
    assert not load_operations(ws, "accounts", [path]).problems


def _by(report, detector: str) -> list:  # type: ignore[no-untyped-def]
    return [a for a in report.alerts if a.detector == detector]


def test_parties_are_gathered_from_every_table_with_where_they_appear(tmp_path: Path) -> None:
    with Workspace(tmp_path / "ws") as ws:
        assert not has_parties(ws)
        _accounts(ws, tmp_path)
        assert has_parties(ws)
        parties = gather_parties(ws)
    names = {(p.name, p.country, p.places[0].role) for p in parties.values()}
    assert ("Zenith Ridge Computing Technology Company Limited", "CN", "account holder") in names
    assert ("Zenith Ridge Computing Tech Co Ltd", "CN", "payer") in names
    assert len(parties) == 4


def test_an_entry_added_to_a_list_alerts_on_the_parties_it_matches_once(tmp_path: Path) -> None:
    with Workspace(tmp_path / "ws") as ws:
        _load_list(ws, _list(tmp_path / "v1.jsonl", OTHER))
        _accounts(ws, tmp_path)
        base = rescreen(ws, DAY, run_detectors=False)
        assert base.first and not _by(base, "rescreen-list-match")

        _load_list(ws, _list(tmp_path / "v2.jsonl", OTHER, LISTED))
        after = rescreen(ws, DAY, run_detectors=False)
        matches = _by(after, "rescreen-list-match")
        assert {a.subjects[0] for a in matches} == {
            "acc-1",
            "acc-2",
        }  # holder of acc-1, payer of acc-2
        assert all(a.subjects[1] == "fic-zenith" and a.scenario == "S9" for a in matches)
        payer = next(a for a in matches if a.subjects[0] == "acc-2")
        facts = " | ".join(e.fact for e in payer.evidence)
        assert "payer in ops_accounts acc-2" in facts
        assert "fictional_list version 2 added this entry" in facts
        assert after.list_changes == [  # the file by its name: never the server's folders
            "fictional_list version 2 from v2.jsonl: +1 added, -0 removed, ~0 modified"
        ]
        shown = json.dumps([a.to_json() for a in after.alerts], ensure_ascii=False)
        assert "v2.jsonl" in shown and str(tmp_path) not in shown  # evidence names the file, never where it lies

        again = rescreen(ws, DAY, run_detectors=False)
        assert again.alerts == [] and again.matches == 2


def test_an_entry_listed_in_han_script_catches_the_english_name(tmp_path: Path) -> None:
    han_only = {**LISTED, "properties": {"name": ["峰岭算力科技有限公司"], "country": ["cn"]}}
    with Workspace(tmp_path / "ws") as ws:
        _accounts(
            ws,
            tmp_path,
            "account_id,holder_name,country,created_at\nacc-9,Fengling Suanli Technology Co. Ltd,CN,2026-01-05\n",
        )
        rescreen(ws, DAY, run_detectors=False)
        _load_list(ws, _list(tmp_path / "v1.jsonl", han_only))
        report = rescreen(ws, DAY, run_detectors=False)
    assert [a.subjects for a in _by(report, "rescreen-list-match")] == [["acc-9", "fic-zenith"]]


def test_a_removed_entry_is_reported_as_no_longer_matching(tmp_path: Path) -> None:
    with Workspace(tmp_path / "ws") as ws:
        _load_list(ws, _list(tmp_path / "v1.jsonl", OTHER, LISTED))
        _accounts(ws, tmp_path)
        rescreen(ws, DAY, run_detectors=False)
        _load_list(ws, _list(tmp_path / "v2.jsonl", OTHER))
        report = rescreen(ws, DAY, run_detectors=False)
    gone = _by(report, "rescreen-list-delisted")
    assert {a.subjects[0] for a in gone} == {"acc-1", "acc-2"}
    assert all(a.severity == "low" and "version 2 removed this entry" in a.summary for a in gone)
    assert not _by(report, "rescreen-list-match")


def test_a_newly_ingested_party_is_screened_and_said_to_be_new(tmp_path: Path) -> None:
    with Workspace(tmp_path / "ws") as ws:
        _load_list(ws, _list(tmp_path / "v1.jsonl", OTHER, LISTED))
        _accounts(
            ws,
            tmp_path,
            "account_id,holder_name,country,created_at\nacc-3,Willowmere Robotics GmbH,DE,2026-03-01\n",
        )
        assert not rescreen(ws, DAY, run_detectors=False).alerts
        _accounts(
            ws,
            tmp_path,
            "account_id,holder_name,country,created_at\nacc-7,Lumenbright Data Pte Ltd,SG,2026-04-01\n",
        )
        report = rescreen(ws, DAY, run_detectors=False)
    [alert] = report.alerts
    assert alert.subjects == ["acc-7", "fic-lumen"]
    assert "party not screened before" in alert.summary


def _graph(ws: Workspace, tmp_path: Path, stake: int) -> None:
    rows = [
        {
            "id": "g-parent",
            "schema": "Company",
            "properties": {
                "name": ["Zenith Ridge Computing Technology Co., Ltd."],
                "country": ["CN"],
            },
        },
        {
            "id": "g-hold",
            "schema": "Company",
            "properties": {"name": ["Tidewater Crest Holdings Limited"], "country": ["HK"]},
        },
        {
            "id": "g-op",
            "schema": "Company",
            "properties": {"name": ["Palmgrove Compute Sdn. Bhd."], "country": ["MY"]},
        },
        {
            "id": "g-o1",
            "schema": "Ownership",
            "properties": {"owner": ["g-parent"], "asset": ["g-hold"], "percentage": [str(stake)]},
        },
        {
            "id": "g-o2",
            "schema": "Ownership",
            "properties": {"owner": ["g-hold"], "asset": ["g-op"], "percentage": ["100"]},
        },
    ]
    path = tmp_path / "graph.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    batch = read_entities([path])
    assert not batch.problems
    GraphStore(ws).load(batch, [path])


def test_subsidiaries_of_a_newly_listed_parent_become_affiliates_with_their_paths(
    tmp_path: Path,
) -> None:
    with Workspace(tmp_path / "ws") as ws:
        _graph(ws, tmp_path, 60)
        _load_list(ws, _list(tmp_path / "v1.jsonl", OTHER))
        assert not rescreen(ws, DAY, run_detectors=False).alerts
        _load_list(ws, _list(tmp_path / "v2.jsonl", OTHER, LISTED))
        report = rescreen(ws, DAY, run_detectors=False)
    assert [a.subjects for a in _by(report, "rescreen-list-match")] == [["g-parent", "fic-zenith"]]
    affiliates = {a.subjects[0]: a for a in _by(report, "rescreen-affiliate")}
    assert set(affiliates) == {
        "g-hold",
        "g-op",
    }  # 60% directly; 100% of the op by a restricted holder
    assert affiliates["g-hold"].severity == "high"  # the Affiliates rule binds on 2026-11-25
    facts = [e.fact for e in affiliates["g-op"].evidence]
    assert any(
        "Palmgrove Compute Sdn. Bhd. (MY) <- 100% Tidewater Crest Holdings Limited (HK)" in f
        for f in facts
    )


def test_a_minority_stake_does_not_make_an_affiliate(tmp_path: Path) -> None:
    with Workspace(tmp_path / "ws") as ws:
        _graph(ws, tmp_path, 40)
        _load_list(ws, _list(tmp_path / "v1.jsonl", OTHER, LISTED))
        report = rescreen(ws, DAY, run_detectors=False)
    assert _by(report, "rescreen-list-match") and not _by(report, "rescreen-affiliate")


def test_a_rule_taking_effect_is_a_change_that_alerts(tmp_path: Path) -> None:
    """The Affiliates rule is suspended until 2026-11-10: the same ownership alerts again when it binds."""
    with Workspace(tmp_path / "ws") as ws:
        _graph(ws, tmp_path, 60)
        _load_list(ws, _list(tmp_path / "v1.jsonl", LISTED))
        before = rescreen(ws, date(2026, 11, 1), run_detectors=False)
        assert {a.severity for a in _by(before, "rescreen-affiliate")} == {
            "medium"
        }  # risk only while suspended
        after = rescreen(ws, date(2026, 11, 20), run_detectors=False)
    assert any(
        c.startswith(
            "rule affiliates-2025 (90 FR 47201): suspended on 2026-11-01, in force on 2026-11-20"
        )
        for c in after.policy_changes
    )
    bound = _by(after, "rescreen-affiliate")
    assert {a.subjects[0] for a in bound} == {"g-hold", "g-op"}
    assert all(a.severity == "high" and "now binds" in a.summary for a in bound)
    assert not _by(after, "rescreen-list-match")  # the listing itself did not change


def test_policy_snapshots_name_edited_added_and_removed_rules() -> None:
    before = policy_snapshot(DAY)
    assert policy_changes(before, policy_snapshot(DAY)) == []
    assert policy_changes(None, before) == []
    edited = json.loads(json.dumps(before))
    edited["rules"]["ac-2023-3a090"]["digest"] = "0" * 16
    del edited["rules"]["affiliates-2025"]
    edited["rules"]["gone-rule"] = {"status": "in force", "digest": "1" * 16, "source": "99 FR 1"}
    edited["files"]["accelerators.yaml"] = "x"
    changes = policy_changes(edited, before)
    assert any(c.startswith("rule ac-2023-3a090 edited in the rule data (") for c in changes)
    assert any(c.startswith("rule affiliates-2025 added") for c in changes)
    assert "rule gone-rule removed from the rule data (99 FR 1)" in changes
    assert "policy data accelerators.yaml changed" in changes


def test_detectors_rerun_only_on_change_and_only_new_alerts_are_returned(tmp_path: Path) -> None:
    from computewatch.detectors.demo import load_demo  # the bundled fictional S1-S5 operations

    with Workspace(tmp_path / "ws") as ws:
        load_demo(ws)
        first = rescreen(ws, DAY)
        assert first.detectors_run and first.detector_alerts > 0
        second = rescreen(ws, DAY)
        assert not second.detectors_run and second.alerts == []
        forced = rescreen(ws, DAY, run_detectors=True)
        assert forced.detectors_run and forced.alerts == []  # same findings: nothing new


def test_lists_load_rescreens_and_opens_cases(tmp_path: Path) -> None:
    ws_dir = tmp_path / "ws"
    with Workspace(ws_dir) as ws:
        _accounts(ws, tmp_path)
    runner, app = CliRunner(), typer.Typer()
    register_all(app)
    v1, v2 = _list(tmp_path / "v1.jsonl", OTHER), _list(tmp_path / "v2.jsonl", OTHER, LISTED)
    first = runner.invoke(
        app, ["lists", "load", str(v1), "--dataset", "fictional_list", "-w", str(ws_dir)]
    )
    assert first.exit_code == 0, first.output
    assert "first re-screening (baseline)" in first.output
    quiet = runner.invoke(
        app,
        [
            "lists",
            "load",
            str(v2),
            "--dataset",
            "fictional_list",
            "-w",
            str(ws_dir),
            "--no-rescreen",
        ],
    )
    assert quiet.exit_code == 0 and "re-screening" not in quiet.output
    out_file = tmp_path / "alerts.jsonl"
    result = runner.invoke(
        app,
        [
            "rescreen",
            "-w",
            str(ws_dir),
            "--as-of",
            "2026-11-25",
            "--no-detectors",
            "--out",
            str(out_file),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "2 new list matches" in result.output and "cases: 2 new cases" in result.output
    records = [orjson.loads(line) for line in out_file.read_bytes().splitlines()]
    assert {r["detector"] for r in records} == {"rescreen-list-match"}
    assert set(records[0]) >= {
        "id",
        "detector",
        "scenario",
        "severity",
        "score",
        "subjects",
        "as_of",
        "summary",
        "evidence",
    }
    listed = runner.invoke(app, ["cases", "list", "--json", "-w", str(ws_dir)])
    assert listed.exit_code == 0
    assert json.loads(listed.output)["total"] == 2


def test_detect_reports_listed_parties_and_affiliates_after_a_list_update(tmp_path: Path) -> None:
    """`computewatch detect` alone also catches a list change (the listed_parties detector)."""
    from computewatch.detectors.runner import run_detectors

    with Workspace(tmp_path / "ws") as ws:
        _graph(ws, tmp_path, 60)
        _accounts(ws, tmp_path)
        _load_list(ws, _list(tmp_path / "v1.jsonl", OTHER))
        before = run_detectors(ws, DAY)
        assert not [a for a in before.alerts if a.detector in ("party-listed", "party-affiliate")]
        _load_list(ws, _list(tmp_path / "v2.jsonl", OTHER, LISTED))
        after = run_detectors(ws, DAY)
    listed = {a.subjects[0]: a for a in after.alerts if a.detector == "party-listed"}
    assert set(listed) == {"g-parent", "acc-1", "acc-2"}
    assert all(a.scenario == "S9" and a.subjects[1] == "fic-zenith" for a in listed.values())
    facts = " | ".join(e.fact for e in listed["acc-1"].evidence)
    assert "in fictional_list since version 2" in facts and "account holder in ops_accounts acc-1" in facts
    assert {a.subjects[0] for a in after.alerts if a.detector == "party-affiliate"} == {"g-hold", "g-op"}
    # a re-screening does not repeat them as detector alerts: it reports them as list changes
    with Workspace(tmp_path / "ws") as ws:
        report = rescreen(ws, DAY)
    assert not [a for a in report.alerts if a.detector.startswith("party-")]
    assert {a.subjects[0] for a in report.alerts if a.detector == "rescreen-list-match"} == {"g-parent", "acc-1", "acc-2"}


def test_a_supplier_listed_after_its_notice_was_scanned_is_caught(tmp_path: Path) -> None:
    """tenders scan keeps each notice's parties; a later list entry in pinyin meets the Han supplier."""
    from computewatch.tenders.demo import demo_notices_dir

    runner, app = CliRunner(), typer.Typer()
    register_all(app)
    ws_dir = tmp_path / "ws"
    notices = demo_notices_dir()
    scanned = runner.invoke(app, ["tenders", "scan", str(notices), "--out", str(tmp_path / "t.jsonl"), "--no-screening", "-w", str(ws_dir)])
    assert scanned.exit_code == 0, scanned.output
    with Workspace(ws_dir) as ws:
        roles = {p.places[0].role for p in gather_parties(ws).values()}
        assert {"notice buyer", "notice agency", "notice supplier"} <= roles
        rescreen(ws, DAY, run_detectors=False)
        supplier = {"id": "fic-xingqiao", "schema": "Company", "datasets": ["fictional_list"],
                    "properties": {"name": ["Xingqiao Yuntu Technology (Beijing) Co., Ltd."], "country": ["cn"]}}  # fmt: skip
        _load_list(ws, _list(tmp_path / "v1.jsonl", supplier))
        report = rescreen(ws, DAY, run_detectors=False)
    [alert] = _by(report, "rescreen-list-match")
    assert alert.subjects[0].endswith("s1_cloud_gpu_reseller.html") and alert.subjects[1] == "fic-xingqiao"
    assert "notice supplier in tender_parties" in " ".join(e.fact for e in alert.evidence)
    rescanned = runner.invoke(app, ["tenders", "scan", str(notices), "--out", str(tmp_path / "t.jsonl"), "--no-screening", "-w", str(ws_dir)])
    assert rescanned.exit_code == 0
    with Workspace(ws_dir) as ws:  # scanning again replaces the notices' rows
        assert ws.con.execute("SELECT count(*) FROM tender_parties").fetchone()[0] == 9


def test_no_record_keeps_the_notices_out_of_the_workspace(tmp_path: Path) -> None:
    from computewatch.tenders.demo import demo_notices_dir

    runner, app = CliRunner(), typer.Typer()
    register_all(app)
    args = ["tenders", "scan", str(demo_notices_dir()), "--out", str(tmp_path / "t.jsonl"), "--no-screening", "-w", str(tmp_path / "ws")]
    assert runner.invoke(app, [*args, "--no-record"]).exit_code == 0
    with Workspace(tmp_path / "ws") as ws:
        assert not has_parties(ws)
