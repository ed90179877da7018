"""Which parties match a list entry now, and which ingested entities that makes listed."""

from __future__ import annotations

from collections.abc import Callable

import orjson

from computewatch.rescreen.parties import Party
from computewatch.rescreen.state import StoredMatch
from computewatch.screening.batch import screen_lines
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
    screener = Screener(entities, settings)
    queries = [Query(p.name, key, p.country, p.schema) for key, p in parties.items()]
    done = 0

    def tick(n: int) -> None:
        nonlocal done
        done += n
        if progress:
            progress("screening parties", done, len(queries))

    workers = 0 if len(queries) >= PARALLEL_FROM else 1
    found = []
    for line in screen_lines(queries, screener, workers=workers, progress=tick):
        record = orjson.loads(line)
        party = parties[record["id"]]
        for m in record["matches"]:
            if m["match"]:
                found.append(StoredMatch(record["id"], party.name, party.country, party.schema, m["entity_id"],
                                         m["caption"], ",".join(m["datasets"]), float(m["score"]), m["explanation"]))  # fmt: skip
    return found


def listed_graph_entities(parties: dict[str, Party], matches: list[StoredMatch]) -> dict[str, list[str]]:
    """Ingested entity id -> the list entries it matches, as 'caption (dataset)'."""
    listed: dict[str, list[str]] = {}
    for m in matches:
        for place in parties[m.party_key].places:
            if place.table == "graph_entities":
                listed.setdefault(place.record, []).append(f"{m.caption} ({m.dataset})")
    return listed
