"""List entries' name analyses kept in the workspace: the next index build analyses only the
entries it has not seen, answers as a build from scratch does, and never uses analyses of
other code."""

from __future__ import annotations

import logging
import pickle
from dataclasses import replace
from pathlib import Path

import pytest

import computewatch.screening.index_cache as index_cache
from computewatch.screening.index import analyse_entities, analysis_key
from computewatch.screening.model import ListEntity, Query
from computewatch.screening.screener import Screener

ENTITIES = [
    ListEntity("e1", "Company", "Kestrel Northgate Photonics Co., Ltd.", ("Kestrel Northgate Photonics Co., Ltd.", "北方红隼光电有限公司"), ("cn",), ("fictional",), "fictional"),
    ListEntity("e2", "Person", "Alexey Ivanovich Brightlakov", ("Alexey Ivanovich Brightlakov", "Алексей Иванович Брайтлаков"), ("ru",), ("fictional",), "fictional"),
    ListEntity("e3", "Organization", "Valemont Institute of Applied Optics", ("Valemont Institute of Applied Optics",), ("ir",), ("fictional",), "fictional"),
]
QUERIES = ["Kestrel Northgate Photonics Company Limited", "Алексей Брайтлаков", "Alexei Brightlakov", "Valemont Inst. of Applied Optics", "Juniper Trading LLC"]


def _answers(screener: Screener) -> list[list[tuple[str, float, bool, str]]]:
    return [[(m.entity.id, m.score, m.match, m.explanation) for m in screener.screen(Query(q))] for q in QUERIES]


def _analysed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The ids of the entities whose names the next builds analyse."""
    seen: list[str] = []

    def analyse(entities):  # type: ignore[no-untyped-def]
        seen.extend(e.id for e in entities)
        return analyse_entities(entities)

    monkeypatch.setattr(index_cache, "analyse_entities", analyse)
    return seen


def _stored_keys(home: Path) -> set[bytes]:
    with (home / index_cache.CACHE_FOLDER / index_cache.CACHE_FILE).open("rb") as fh:
        return set(pickle.load(fh)["analyses"])


def test_the_next_screener_analyses_nothing_and_answers_the_same(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    built = _answers(Screener(ENTITIES))
    assert all(row for row in built[:4]), "the fictional queries should find their entries"
    analysed = _analysed(monkeypatch)
    first = Screener(ENTITIES, home=tmp_path)
    assert sorted(analysed) == ["e1", "e2", "e3"]
    assert _answers(first) == built
    analysed.clear()
    assert _answers(Screener(list(ENTITIES), home=tmp_path)) == built
    assert analysed == []


def test_a_list_update_analyses_only_the_changed_entries(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    Screener(ENTITIES, home=tmp_path)
    analysed = _analysed(monkeypatch)
    renamed = [ENTITIES[0], replace(ENTITIES[1], names=("Alexey Ivanovich Brightlakov", "Harrowgate Yarrowby")), ENTITIES[2]]
    updated = Screener(renamed, home=tmp_path)
    assert analysed == ["e2"]
    assert [m.entity.id for m in updated.screen(Query("Harrowgate Yarrowby")) if m.match] == ["e2"]
    assert _answers(updated) == _answers(Screener(renamed))
    assert _stored_keys(tmp_path) == {analysis_key(e) for e in renamed}  # the old e2 is gone
    analysed.clear()
    monkeypatch.setattr(index_cache, "code_fingerprint", lambda: "another release")
    Screener(renamed, home=tmp_path)
    assert sorted(analysed) == ["e1", "e2", "e3"]


def test_an_unreadable_cache_file_is_analysed_again(tmp_path: Path, caplog: pytest.LogCaptureFixture):
    built = _answers(Screener(ENTITIES, home=tmp_path))
    path = tmp_path / index_cache.CACHE_FOLDER / index_cache.CACHE_FILE
    path.write_bytes(path.read_bytes()[:100])  # truncated, as by a full disk
    with caplog.at_level(logging.WARNING, logger=index_cache.__name__):
        again = Screener(ENTITIES, home=tmp_path)
    assert "unreadable" in caplog.text
    assert _answers(again) == built
    assert path.stat().st_size > 100 and path.stat().st_mode & 0o077 == 0


def test_big_lists_are_not_cached(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(index_cache, "CACHE_UP_TO", 2)
    built = _answers(Screener(ENTITIES))
    assert _answers(Screener(ENTITIES, home=tmp_path)) == built
    assert not (tmp_path / index_cache.CACHE_FOLDER / index_cache.CACHE_FILE).exists()
