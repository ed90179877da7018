"""`POST /match/{dataset}` answers as yente does; `/screen` and `/classify` give the CONTRACTS.md records."""

from __future__ import annotations

import pytest
from api_fixtures import Api

QINGHE = {"schema": "Company", "properties": {"name": ["Qinghe Cloud Computing Technology Co Ltd"], "country": ["cn"]}}


def test_match_answers_each_query_by_its_key_with_scored_explained_results(api: Api) -> None:
    body = {"queries": {"q1": QINGHE, "q2": {"schema": "Person", "properties": {"name": "林巧雨"}},
                        "q3": {"schema": "Company", "properties": {"name": ["Entirely Unrelated Bakery"]}}}}  # fmt: skip
    r = api.post("/match/default", role="viewer", json=body)
    assert r.status_code == 200, r.text
    data = r.json()
    assert set(data["responses"]) == {"q1", "q2", "q3"} and data["limit"] == 5
    assert r.headers["x-batch-size"] == "3"
    top = data["responses"]["q1"]["results"][0]
    assert top["id"] == "fic-qinghe" and top["schema"] == "Company" and top["match"] is True
    assert 0.8 <= top["score"] <= 1 and top["datasets"] == ["fictional_list"]
    assert set(top["features"]) >= {"name_score", "country_effect"}
    assert all(isinstance(v, float) for v in top["features"].values())
    assert "Score" in top["explanation"] and top["properties"]["name"]
    assert data["responses"]["q1"]["query"]["schema"] == "Company"
    assert data["responses"]["q2"]["results"][0]["id"] == "fic-person"
    assert data["responses"]["q3"]["results"] == [] and data["responses"]["q3"]["total"]["value"] == 0
    assert "name_score" in data["matcher"]


def test_match_honours_threshold_limit_and_dataset(api: Api) -> None:
    strict = api.post("/match/fictional_list?threshold=1.0&limit=1", role="viewer", json={"queries": {"a": QINGHE}}).json()
    results = strict["responses"]["a"]["results"]
    assert len(results) == 1 and results[0]["match"] is (results[0]["score"] >= 1.0)
    excluded = api.post("/match/default?exclude_schema=Company", role="viewer", json={"queries": {"a": QINGHE}}).json()
    assert all(r["schema"] != "Company" for r in excluded["responses"]["a"]["results"])


def test_match_on_an_unknown_dataset_is_404(api: Api) -> None:
    r = api.post("/match/no_such_list", role="viewer", json={"queries": {"a": QINGHE}})
    assert r.status_code == 404 and "unknown dataset" in r.json()["detail"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"queries": {"a": {"schema": "Spaceship", "properties": {"name": ["x"]}}}}, "unknown FollowTheMoney schema"),
        ({"queries": {"a": {"schema": "Company", "properties": {"country": ["cn"]}}}}, "no name in properties"),
        ({"queries": {}}, "at least 1 item"),
        ({"queries": {"a": {"properties": {"name": ["x"]}}}}, "Field required"),
        ({"nothing": 1}, "Field required"),
    ],
)
def test_bad_match_payloads_get_422_with_a_message(api: Api, body: dict, message: str) -> None:  # type: ignore[type-arg]
    r = api.post("/match/default", role="viewer", json=body)
    assert r.status_code == 422
    data = r.json()
    assert message in data["message"] and data["detail"][0]["msg"]


def test_screen_gives_the_contracts_screening_record(api: Api) -> None:
    r = api.post("/screen", role="viewer", json={"name": "青禾云算科技有限公司", "country": "CN"})
    assert r.status_code == 200, r.text
    rec = r.json()
    assert set(rec) == {"id", "query", "matches"}
    best = rec["matches"][0]
    assert best["entity_id"] == "fic-qinghe" and best["match"] is True and best["explanation"]
    assert api.post("/screen", role="viewer", json={"name": ""}).status_code == 422


def test_classify_gives_the_contracts_classify_record(api: Api) -> None:
    r = api.get("/classify?chip=H100-SXM&destination=CN&date=2024-06-01")
    assert r.status_code == 200, r.text
    rec = r.json()
    assert rec["eccn"] == "3A090.a" and rec["license_required"] is True and rec["destination"] == "CN"
    assert rec["rules"] and {"id", "source", "effective"} <= set(rec["rules"][0])


def test_classify_unknown_chip_is_404_and_bad_date_422(api: Api) -> None:
    r = api.get("/classify?chip=NoSuchChip9000")
    assert r.status_code == 404 and "unknown" in r.json()["detail"]
    r = api.get("/classify?chip=H100-SXM&date=yesterday")
    assert r.status_code == 422 and "date" in r.json()["message"]
