"""Entity resolution: which graph entity is the party a lease, a shipment or a registry extract names?

Ids first, then registration numbers (normalised: 'SG 2019-12345K' = '201912345K'),
then the screening engine's name matching over the graph's parties (so
'Kestrel Compute Sdn Bhd' finds 'KESTREL COMPUTE SDN. BHD.', and company forms,
scripts and transliterations are handled once, in names/ and screening/).
"""

from __future__ import annotations

from dataclasses import dataclass

from computewatch.graph.store import GraphStore
from computewatch.screening.model import ListEntity, Query
from computewatch.screening.screener import Screener
from computewatch.settings import ScreeningSettings
from computewatch.sources.entities import normalise_identifier


@dataclass(frozen=True)
class Resolution:
    entity_id: str
    name: str
    country: str
    method: str  # 'id', 'registration number', 'name'
    score: float
    explanation: str


class EntityResolver:
    """Build once per session: the name index covers every party in the graph at that moment."""

    def __init__(self, store: GraphStore, settings: ScreeningSettings | None = None):
        self.store = store
        self.settings = settings or ScreeningSettings()
        self._screener: Screener | None = None

    def _names(self) -> Screener:
        if self._screener is None:
            entities = [
                ListEntity(eid, schema, name, tuple(dict.fromkeys([name, *aliases])), (country.lower(),) if country else (), ("graph",), "graph")
                for eid, schema, name, country, aliases in self.store.party_names()
            ]  # fmt: skip
            self._screener = Screener(entities, self.settings)
        return self._screener

    def resolve(
        self, *, entity_id: str = "", registration_number: str = "", name: str = "", country: str = "", schema: str = ""
    ) -> list[Resolution]:
        """Candidates, best first; an id or registration-number hit ends the search."""
        if entity_id and (node := self.store.node(entity_id)):
            return [Resolution(node.id, node.name, node.country, "id", 1.0, "same id")]
        if registration_number and (key := normalise_identifier(registration_number)):
            hits = [eid for eid, _ in self.store.entities_with("regnum", [key])]
            nodes = self.store.nodes(hits)
            found = [
                Resolution(n.id, n.name, n.country, "registration number", 1.0 if not country or n.country in ("", country.upper()) else 0.9,
                           f"registration number {registration_number} (normalised {key})")
                for n in nodes.values()
            ]  # fmt: skip
            if found:
                return sorted(found, key=lambda r: (-r.score, r.entity_id))
        if not name:
            return []
        matches = self._names().screen(Query(name, "", country, schema))
        return [
            Resolution(m.entity.id, m.entity.caption, (m.entity.countries[0].upper() if m.entity.countries else ""), "name", m.score, m.explanation)
            for m in matches if m.match
        ]  # fmt: skip
