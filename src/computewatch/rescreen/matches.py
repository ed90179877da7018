"""Which parties match a list entry now, and which ingested entities that makes listed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import orjson

from computewatch.rescreen.parties import Party
from computewatch.rescreen.state import StoredMatch
from computewatch.screening.batch import screen_lines, screen_lines_with_probes
from computewatch.screening.model import Query
from computewatch.screening.screener import Screener
from computewatch.settings import ScreeningSettings
from computewatch.workspace import Workspace

PARALLEL_FROM = 5_000  # parties; below this one process screens faster than forking


def screen_parties(
    ws: Workspace,
    parties: dict[str, Party],
    settings: ScreeningSettings,
    progress: Callable[[str, int, int], None] | None = None,
) -> list[StoredMatch]:
    """Every (party, list entry) pair scoring at or above the threshold, in party order."""
    entities = ws.list_entities()
    if not entities or not parties:
        return []
    matches, _ = screen_some(Screener(entities, settings, home=ws.home), parties, list(parties), progress, with_probes=False)
    return matches


def _stored(record: dict[str, Any], party: Party) -> list[StoredMatch]:
    return [
        StoredMatch(record["id"], party.name, party.country, party.schema, m["entity_id"], m["caption"],
                    ",".join(m["datasets"]), float(m["score"]), m["explanation"])
        for m in record["matches"] if m["match"]
    ]  # fmt: skip


def screen_some(
    screener: Screener,
    parties: dict[str, Party],
    keys: list[str],
    progress: Callable[[str, int, int], None] | None = None,
    engine: str = "local",
    with_probes: bool = True,
    spark_master: str = "local[2]",
) -> tuple[list[StoredMatch], dict[str, bytes]]:
    """The matches of the parties named by `keys` (in that order), and each one's hashed lookup
    keys (screening.touch) for the next delta re-screen. engine: 'local' (forked processes)
    or 'spark' (rescreen/spark.py)."""
    queries = [Query(parties[k].name, k, parties[k].country, parties[k].schema) for k in keys]
    done = 0

    def tick(n: int) -> None:
        nonlocal done
        done += n
        if progress:
            progress("screening parties", done, len(queries))

    if engine == "spark":
        from computewatch.screening.spark import screen_on_spark

        lines: Any = screen_on_spark(queries, screener, with_probes=with_probes, master=spark_master)
    else:
        workers = 0 if len(queries) >= PARALLEL_FROM else 1
        if with_probes:
            lines = screen_lines_with_probes(queries, screener, workers, tick)
        else:
            lines = ((line, b"") for line in screen_lines(queries, screener, workers, tick))
    found: list[StoredMatch] = []
    probes: dict[str, bytes] = {}
    for line, probe in lines:
        record = orjson.loads(line)
        found += _stored(record, parties[record["id"]])
        if with_probes:
            probes[record["id"]] = probe
    return found, probes


def listed_graph_entities(parties: dict[str, Party], matches: list[StoredMatch]) -> dict[str, list[str]]:
    """Ingested entity id -> the list entries it matches, as 'caption (dataset)'."""
    listed: dict[str, list[str]] = {}
    for m in matches:
        for place in parties[m.party_key].places:
            if place.table == "graph_entities":
                listed.setdefault(place.record, []).append(f"{m.caption} ({m.dataset})")
    return listed
