"""Entity resolution: ids, then registration numbers, then screening name matching."""

from __future__ import annotations

from graph_helpers import FIXTURES, load

from computewatch.graph.demo import s6_file
from computewatch.graph.resolve import EntityResolver
from computewatch.graph.store import GraphStore
from computewatch.workspace import Workspace


def test_ids_come_first(s6: GraphStore) -> None:
    (r,) = EntityResolver(s6).resolve(entity_id="s6-kestrel-my", name="something else")
    assert (r.entity_id, r.method) == ("s6-kestrel-my", "id")


def test_registration_numbers_match_however_they_are_written(s6: GraphStore) -> None:
    (r,) = EntityResolver(s6).resolve(registration_number="2023-12345-K")
    assert (r.entity_id, r.method) == ("s6-kestrel-sg", "registration number")


def test_name_variants_from_a_lease_or_a_shipment_find_the_registry_entity(s6: GraphStore) -> None:
    resolver = EntityResolver(s6)
    assert resolver.resolve(name="KESTREL COMPUTE SDN BHD", country="MY")[0].entity_id == "s6-kestrel-my"
    assert resolver.resolve(name="Harbourline Holdings Ltd.")[0].entity_id == "s6-harbourline"
    assert resolver.resolve(name="天瑞智算科技有限公司")[0].entity_id == "s6-tianrui"  # the alias, in Chinese
    found = resolver.resolve(name="Kestrel Compute", country="MY")
    assert found[0].entity_id == "s6-kestrel-my"  # the country decides between the two Kestrels


def test_unrelated_names_resolve_to_nothing(s6: GraphStore) -> None:
    assert EntityResolver(s6).resolve(name="Juniper Biscuit Bakery Ltd") == []
    assert EntityResolver(s6).resolve(registration_number="999999999") == []


def test_resolution_spans_files(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with Workspace(tmp_path / "ws") as ws:
        store = load(ws, s6_file(), FIXTURES / "structures.jsonl")
        assert EntityResolver(store).resolve(name="Birchmoor Pte Ltd")[0].entity_id == "ch-b"
