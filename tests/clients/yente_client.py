"""Runs in .venv-clients (nomenklatura installed): match and expand entities against a yente API.

    python yente_client.py API_URL API_KEY QUERIES.json  ->  JSON on stdout

QUERIES.json: a list of FollowTheMoney entities (the query side). The output: for each query, the
candidates `match` yields and, for each candidate, the entities `expand` yields (as FtM dicts); or
{"error": type, "message"} when the enricher raises.
"""

from __future__ import annotations

import json
import sys
import tempfile

from followthemoney import Dataset, StatementEntity
from nomenklatura.cache import Cache
from nomenklatura.db import make_session
from nomenklatura.enrich import make_enricher


def main(api: str, key: str, queries_file: str) -> None:
    dataset = Dataset.make({"name": "client_test", "title": "client test"})
    with tempfile.TemporaryDirectory() as tmp, make_session(f"sqlite:///{tmp}/cache.sqlite3") as session:
        cache = Cache(session, dataset, create=True)
        config = {"type": "nomenklatura.enrich.yente:YenteEnricher", "api": api, "api_key": key, "cache_days": 0}
        enricher = make_enricher(dataset, cache, config)
        out = []
        for data in json.load(open(queries_file)):
            entity = StatementEntity.from_data(dataset, data)
            try:
                found = []
                for match in enricher.match(entity):
                    expanded = [e.to_dict() for e in enricher.expand(entity, match)]
                    found.append({"match": match.to_dict(), "expanded": expanded})
                out.append({"query": entity.id, "candidates": found})
            except Exception as exc:  # the test asserts on what the client raised
                out.append({"query": entity.id, "error": type(exc).__name__, "message": str(exc)})
        enricher.close()
    json.dump(out, sys.stdout, default=str)


if __name__ == "__main__":
    main(*sys.argv[1:4])
