"""Delta re-screening gives the alerts a full sweep gives, byte for byte (rescreen/delta.py).

The list is the real BIS list (bundled). Version 1 lacks 20 entries; version 2 adds them back,
renames 5 entries (same id: modified) and removes 5. The parties are variants of all of those
names (as held back, renamed before and after, removed), of unchanged entries, and fictional
names. One copy of the workspace is re-screened by delta, the other with --full.
"""

from __future__ import annotations

import csv
import random
import re
import shutil
from datetime import date
from pathlib import Path

import orjson
import pytest

from computewatch.rescreen import rescreen
from computewatch.rescreen.delta import changed_entries
from computewatch.sources.lists import read_list
from computewatch.sources.operations import load_operations
from computewatch.workspace import Workspace

LIST = Path(__file__).resolve().parents[2] / "src/computewatch/data/lists/bis-lists.csl.csv"
DAY = date(2026, 12, 1)
FICTIONAL = ["Amberwick", "Brightmoor", "Cobaltine", "Dunhollow", "Elmsgate", "Fernbury", "Glenholt", "Harrowmere"]
RENAMED = ["Quillonmark", "Ravensholt", "Sablecrest", "Tidewend", "Umbervale"]  # words of renamed entries only
GENERIC = ["Technology", "Trading", "Electronics", "Systems", "Research Institute", "Semiconductor"]


def _rows() -> tuple[list[str], list[dict[str, str]]]:
    with LIST.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames or []), list(reader)


def _write(path: Path, header: list[str], rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, header, quoting=csv.QUOTE_ALL)
        w.writeheader()
        w.writerows(rows)
    return path


def _variant(name: str, rng: random.Random) -> str:
    kind = rng.randrange(4)
    if kind == 0:
        return name.upper()
    if kind == 1:
        return name.replace(",", "").replace(".", "").lower()
    words = name.split()
    if kind == 2 and len(words) > 1:
        return " ".join(words[1:] + words[:1])
    i = max(range(len(words)), key=lambda j: len(words[j]))
    w = words[i]
    if len(w) > 5:
        words[i] = w[:2] + w[3] + w[2] + w[4:]  # two letters swapped
    return " ".join(words)


def _load(ws: Workspace, path: Path) -> None:
    fmt, records = read_list(path)
    ws.load_list("us_trade_csl", records, path, fmt)


# when the previous run happened (the copies' earlier runs may straddle a minute) is no result
LAST_RUN_TIME = re.compile(rb"(last re-screening: run \d+ \()\d{4}-\d\d-\d\d \d\d:\d\d UTC")


def _alerts(report) -> list[bytes]:  # type: ignore[no-untyped-def]
    return [LAST_RUN_TIME.sub(rb"\1<time> UTC", orjson.dumps(a.to_json(), option=orjson.OPT_SORT_KEYS)) for a in report.alerts]


STATE = {
    "matches": "SELECT * FROM rescreen_matches ORDER BY ALL",
    "parties": "SELECT * FROM rescreen_parties ORDER BY ALL",
    "list snapshot": "SELECT * FROM rescreen_list_snapshot ORDER BY ALL",
    "basis": "SELECT * FROM rescreen_basis",
    # the probes by party key (a delta run numbers the parties it screens again anew)
    "probes": """SELECT p.party_key, p.weight, k.key, k.credit, k.grp FROM rescreen_probe_parties p
                 JOIN rescreen_probe_keys k USING (party) ORDER BY ALL""",
    "probe parties": "SELECT party_key, weight FROM rescreen_probe_parties ORDER BY ALL",
}


def _state(home: Path) -> dict[str, list[tuple[object, ...]]]:
    """What the next run starts from (the delta run rewrites only some rows of it)."""
    with Workspace(home) as ws:
        return {name: ws.con.execute(sql).fetchall() for name, sql in STATE.items()}


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    tmp = tmp_path_factory.mktemp("delta")
    rng = random.Random(15)
    header, rows = _rows()
    companies = [r for r in rows if len(r["name"]) > 14 and r["type"] != "Individual"]
    picked = rng.sample(companies, 30)
    held, renamed, removed = picked[:20], picked[20:25], picked[25:]
    held_ids = {r["_id"] for r in held}
    v1 = _write(tmp / "v1.csv", header, [r for r in rows if r["_id"] not in held_ids])
    new_names = {r["_id"]: f"{rng.choice(RENAMED)} {r['name']}" for r in renamed}
    removed_ids = {r["_id"] for r in removed}
    v2_rows = [dict(r, name=new_names.get(r["_id"], r["name"])) for r in rows if r["_id"] not in removed_ids]
    v2 = _write(tmp / "v2.csv", header, v2_rows)
    # v3: two of the renamed entries renamed back, one more entry removed
    back = {r["_id"] for r in renamed[:2]}
    more = companies[-1]["_id"]
    v3_rows = [dict(r, name=r["name"] if r["_id"] in back else new_names.get(r["_id"], r["name"])) for r in rows
               if r["_id"] not in removed_ids and r["_id"] != more]  # fmt: skip
    v3 = _write(tmp / "v3.csv", header, v3_rows)
    names = [_variant(r["name"], rng) for r in held + renamed + removed for _ in range(2)]
    names += [_variant(new_names[r["_id"]], rng) for r in renamed]
    names += [_variant(r["name"], rng) for r in rng.sample(rows, 120)]
    names += [f"{rng.choice(FICTIONAL)} {rng.choice(FICTIONAL)} {rng.choice(GENERIC)} Co., Ltd." for _ in range(200)]
    accounts = tmp / "accounts.csv"
    with accounts.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["account_id", "holder_name", "country", "created_at", "payer_name", "billing_country"])
        for i, name in enumerate(names):
            w.writerow([f"acc-{i}", name, rng.choice(["CN", "RU", "SG", "AE"]), "2026-01-01", "", ""])
    home = tmp / "delta"
    with Workspace(home) as ws:
        _load(ws, v1)
        assert not load_operations(ws, "accounts", [accounts]).problems
        base = rescreen(ws, DAY, run_detectors=False)
    assert base.mode == "full" and base.matches > 50
    shutil.copytree(home, tmp / "full")
    reports: dict[str, list[object]] = {"delta": [], "full": []}
    for version in (v2, v3):
        for side in ("delta", "full"):
            with Workspace(tmp / side) as ws:
                _load(ws, version)
                reports[side].append(rescreen(ws, DAY, run_detectors=False, full=side == "full"))
    return {"tmp": tmp, "reports": reports, "parties": base.parties}


def test_delta_raises_the_alerts_of_a_full_sweep_byte_for_byte(planted: dict[str, object]) -> None:
    reports = planted["reports"]
    assert isinstance(reports, dict)
    for delta, full in zip(reports["delta"], reports["full"], strict=True):
        assert delta.mode == "delta" and full.mode == "full"
        assert _alerts(delta) == _alerts(full)
        assert delta.matches == full.matches
    first = reports["delta"][0]
    kinds = {a.detector for a in first.alerts}
    assert {"rescreen-list-match", "rescreen-list-delisted"} <= kinds  # not vacuous: new and lost matches


def test_delta_screens_only_the_parties_the_update_touches(planted: dict[str, object]) -> None:
    reports = planted["reports"]
    assert isinstance(reports, dict)
    parties = planted["parties"]
    assert isinstance(parties, int)
    for delta in reports["delta"]:
        assert 0 < delta.screened < parties / 3, delta.mode_reason
        assert delta.summary()["screening"]["mode"] == "delta"
    for full in reports["full"]:
        assert full.screened == parties


def test_delta_leaves_the_same_state_for_the_next_run(planted: dict[str, object]) -> None:
    tmp = planted["tmp"]
    assert isinstance(tmp, Path)
    delta, full = _state(tmp / "delta"), _state(tmp / "full")
    for name in STATE:
        assert delta[name] == full[name], name
    assert delta["matches"] and delta["list snapshot"] and len(delta["probe parties"]) == len(delta["parties"])


def test_an_unchanged_list_needs_no_party_screened_again(planted: dict[str, object], tmp_path: Path) -> None:
    tmp = planted["tmp"]
    assert isinstance(tmp, Path)
    shutil.copytree(tmp / "delta", tmp_path / "again")
    with Workspace(tmp_path / "again") as ws:
        assert changed_entries(ws) == ([], [])
        report = rescreen(ws, DAY, run_detectors=False)
    assert report.mode == "delta" and report.screened == 0 and not report.alerts


def test_changed_settings_sweep_in_full(planted: dict[str, object], tmp_path: Path) -> None:
    from computewatch.settings import Settings

    tmp = planted["tmp"]
    assert isinstance(tmp, Path)
    shutil.copytree(tmp / "delta", tmp_path / "stricter")
    settings = Settings()
    settings = settings.model_copy(update={"screening": settings.screening.model_copy(update={"threshold": 0.9})})
    with Workspace(tmp_path / "stricter") as ws:
        report = rescreen(ws, DAY, settings, run_detectors=False)
    assert report.mode == "full" and "settings" in report.mode_reason
    assert any(a.detector == "rescreen-list-delisted" for a in report.alerts)  # matches between 0.8 and 0.9 lost


def test_parties_joining_and_leaving_keep_delta_equal_to_full(planted: dict[str, object], tmp_path: Path) -> None:
    """Accounts re-ingested under other names: their old parties leave the workspace (some were
    matched), the new ones join (some match listed entries); delta and full agree on both."""
    tmp = planted["tmp"]
    assert isinstance(tmp, Path)
    _, rows = _rows()
    listed = [r["name"].upper() for r in random.Random(4).sample([r for r in rows if len(r["name"]) > 14], 4)]
    names = listed + [f"{a} {b} Holdings" for a, b in zip(FICTIONAL, reversed(FICTIONAL), strict=True)]
    accounts = tmp_path / "renamed.csv"
    with accounts.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["account_id", "holder_name", "country", "created_at", "payer_name", "billing_country"])
        for i, name in enumerate(names):
            w.writerow([f"acc-{i}", name, "CN", "2026-01-01", "", ""])
    reports = {}
    for side in ("delta", "full"):
        shutil.copytree(tmp / side, tmp_path / side)
        with Workspace(tmp_path / side) as ws:
            assert not load_operations(ws, "accounts", [accounts]).problems
            reports[side] = rescreen(ws, DAY, run_detectors=False, full=side == "full")
    delta, full = reports["delta"], reports["full"]
    assert delta.mode == "delta" and delta.screened == len(names), delta.mode_reason
    assert _alerts(delta) == _alerts(full) and delta.matches == full.matches
    assert any("not screened before" in a.summary for a in delta.alerts if a.detector == "rescreen-list-match")
    before, after = _state(tmp / "delta"), _state(tmp_path / "delta")
    assert set(before["parties"]) - set(after["parties"]) and set(after["parties"]) - set(before["parties"])
    assert {m[0] for m in before["matches"]} - {m[0] for m in after["matches"]}
    for name in STATE:
        assert after[name] == _state(tmp_path / "full")[name], name
