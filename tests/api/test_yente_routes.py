"""The rest of yente's API over the fictional workspace: list entities at /entities/{id} (graph ids still
answer there), the graph view at /graph/owners/{id}, /search, /catalog; and /match's fast path answers
exactly as the documented route does."""

from __future__ import annotations

from api_fixtures import Api


def test_a_list_entity_is_served_as_ftm_json(api: Api) -> None:
    r = api.get("/entities/fic-qinghe")
    assert r.status_code == 200, r.text
    entity = r.json()
    assert entity["id"] == "fic-qinghe" and entity["schema"] == "Company" and entity["target"] is True
    assert entity["properties"]["alias"] == ["青禾云算科技有限公司"] and entity["datasets"] == ["fictional_list"]
    assert entity["first_seen"] and entity["last_seen"] and entity["last_change"]


def test_nested_brings_adjacent_entities_and_can_be_turned_off(tmp_path, built_workspace) -> None:  # type: ignore[no-untyped-def]
    import json

    from api_fixtures import make_api

    from computewatch.settings import Settings
    from computewatch.sources.lists import read_list
    from computewatch.workspace import Workspace

    made = make_api(tmp_path, built_workspace, Settings())
    lists = tmp_path / "linked.ftm.jsonl"
    parent = {"id": "fic-parent", "schema": "Company", "properties": {"name": ["Ravensmoor Holdings Ltd"]}, "datasets": ["linked"]}
    child = {"id": "fic-child", "schema": "Company", "properties": {"name": ["Ravensmoor Optics Ltd"], "parent": ["fic-parent"]}, "datasets": ["linked"]}
    lists.write_text("\n".join(json.dumps(e) for e in (parent, child)) + "\n")
    with Workspace(made.home) as ws:
        fmt, records = read_list(lists)
        ws.load_list("linked", records, lists, fmt)
    child_nested = made.get("/entities/fic-child").json()
    assert child_nested["properties"]["parent"][0]["id"] == "fic-parent"  # the referenced entity, inline
    parent_nested = made.get("/entities/fic-parent").json()
    subsidiary = parent_nested["properties"]["subsidiaries"][0]  # the reverse side of `parent`
    assert subsidiary["id"] == "fic-child" and "parent" not in subsidiary["properties"]
    flat = made.get("/entities/fic-child?nested=false").json()
    assert flat["properties"]["parent"] == ["fic-parent"]
    assert "subsidiaries" not in made.get("/entities/fic-parent?nested=false").json()["properties"]
    made.db.close()


def test_graph_ids_answer_at_the_old_path_and_at_their_own(api: Api) -> None:
    new = api.get("/graph/owners/s6-kestrel-my?as_of=2025-12-01")
    old = api.get("/entities/s6-kestrel-my?as_of=2025-12-01")
    assert new.status_code == old.status_code == 200
    assert new.json() == old.json() and new.json()["restricted_ownership_pct"] == 100.0
    assert api.get("/graph/owners/fic-qinghe").status_code == 404  # a list entity is not in the graph
    missing = api.get("/entities/nobody-here")
    assert missing.status_code == 404 and "unknown entity" in missing.json()["detail"]


def test_search_ranks_screening_matches_then_names_containing_the_text(api: Api) -> None:
    r = api.get("/search/default?q=Qinghe Cloud Computing Technology")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["results"][0]["id"] == "fic-qinghe" and body["results"][0]["score"] >= 0.8
    assert body["facets"]["countries"]["values"][0] == {"name": "cn", "label": "China", "count": 1}
    part = api.get("/search/default?q=bright").json()  # no screening match, a name containing it
    assert [e["id"] for e in part["results"]] == ["fic-lumen"] and part["results"][0]["score"] is None
    everyone = api.get("/search/fictional_list?limit=2&offset=1").json()
    assert everyone["total"]["value"] == 4 and len(everyone["results"]) == 2 and everyone["offset"] == 1
    people = api.get("/search/default?schema=Person").json()
    assert [e["id"] for e in people["results"]] == ["fic-person"]
    assert api.get("/search/default?q=Qinghe&countries=sg").json()["total"]["value"] == 0
    assert api.get("/search/nowhere?q=x").status_code == 404
    assert api.get("/search/default?schema=Spaceship").status_code == 422


def test_the_catalog_names_each_list_and_the_index_version(api: Api) -> None:
    api.post("/match/default", json={"queries": {"q": {"schema": "Company", "properties": {"name": ["x"]}}}}, role="viewer")
    r = api.get("/catalog")
    assert r.status_code == 200, r.text
    catalog = r.json()
    names = [d["name"] for d in catalog["datasets"]]
    assert names == ["default", "fictional_list"] and catalog["datasets"][0]["children"] == ["fictional_list"]
    listed = catalog["datasets"][1]
    assert listed["entity_count"] == 4 and listed["index_current"] is True and listed["version"] == listed["index_version"]
    assert catalog["current"] == ["fictional_list"] and catalog["outdated"] == [] and catalog["index_stale"] is False


def test_the_fast_path_answers_as_the_documented_route(api: Api) -> None:
    payload = {"queries": {"a": {"schema": "Company", "properties": {"name": ["Qinghe Cloud Computing"], "country": ["cn"]}},
                           "b": {"schema": "Person", "properties": {"firstName": ["Qiaoyu"], "lastName": ["Lin"]}}}}  # fmt: skip
    first = api.post("/match/default?limit=3", json=payload, role="viewer")  # an uncached key: the documented route
    second = api.post("/match/default?limit=3", json=payload, role="viewer")  # now cached: the fast path
    assert first.status_code == second.status_code == 200
    assert first.json() == second.json() and first.headers["x-batch-size"] == second.headers["x-batch-size"] == "2"
    assert first.json()["responses"]["a"]["results"][0]["id"] == "fic-qinghe"
    # what the fast path does not take, the route answers as documented
    assert api.post("/match/default?limit=0", json=payload, role="viewer").status_code == 422
    assert api.post("/match/default", json={"queries": {}}, role="viewer").status_code == 422
    assert api.post("/match/nowhere", json=payload, role="viewer").status_code == 404
    assert api.client.post("/match/default", json=payload).status_code == 401
