"""The requirements document's example responses (1.1, 1.2, 2.1) come back from the demo data."""

import pytest

pytestmark = pytest.mark.usefixtures("demo_data")


def test_health_is_the_documents_example(role_client):
    body = role_client("metrics_viewer").get("/api/v1/orchestration/health").json()
    assert body["status"] == "healthy"
    expected = {
        "technical": {"health": "excellent", "uptime": 99.95},
        "brand": {"health": "good", "engagement": 285},
        "visual": {"health": "excellent", "accuracy": 94},
        "customer": {"health": "excellent", "satisfaction": 92},
    }
    for kind, fields in expected.items():
        assert {key: body["partnerships"][kind][key] for key in fields} == fields
    assert {kind: body["partnerships"][kind]["score"] for kind in expected} == {
        "technical": 97.0,
        "brand": 93.75,
        "visual": 94.99,
        "customer": 95.72,
    }
    assert body["last_updated"].endswith("Z")


def test_metrics_of_a_type_are_the_documents_example(role_client):
    body = role_client("metrics_viewer").get("/api/v1/orchestration/metrics/technical").json()
    assert body["partnership_type"] == "technical"
    assert body["metrics"] == {
        "development_velocity": 35.2,
        "system_uptime": 99.95,
        "api_response_time": 85,
        "security_score": 100,
    }
    assert body["timestamp"].endswith("Z")


def test_partnerships_are_the_documents_example(role_client):
    body = role_client("partnership_manager").get("/api/v1/partnerships/").json()
    first = body["partnerships"][0]
    assert {key: first[key] for key in ("id", "name", "health", "progress")} == {
        "id": "technical_excellence",
        "name": "Claude + Cursor Technical Engine",
        "health": "excellent",
        "progress": 71.25,
    }
    assert [{"name": d["name"], "progress": d["progress"]} for d in first["deliverables"][:2]] == [
        {"name": "microservices_architecture", "progress": 60.0},
        {"name": "ai_personalization_engine", "progress": 75.0},
    ]
    assert [p["id"] for p in body["partnerships"]] == [
        "technical_excellence",
        "brand_amplification",
        "visual_intelligence",
        "customer_excellence",
    ]
    assert sum(len(p["deliverables"]) for p in body["partnerships"]) == 16
