"""The OpenAPI schema validates, documents problem responses, and its viewers are served locally."""

import pytest
from django.core.management import call_command


def test_schema_validates_without_warnings(tmp_path):
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    assert "openapi: 3" in target.read_text()


@pytest.mark.django_db
def test_schema_endpoint_and_problem_component(client):
    response = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["info"]["title"] == "DevSky Orchestration API"
    problem = schema["components"]["schemas"]["Problem"]
    assert {"type", "title", "status", "detail", "errors", "request_id"} <= set(problem["required"])
    root = schema["paths"]["/api/v1/"]["get"]["responses"]
    assert root["429"]["content"]["application/problem+json"]["schema"]["$ref"] == "#/components/schemas/Problem"


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/v1/docs/", "/api/v1/redoc"])
def test_docs_pages_use_no_external_assets(client, path):
    response = client.get(path)
    assert response.status_code == 200
    page = response.content.decode()
    assert "/static/drf_spectacular_sidecar/" in page
    assert "cdn." not in page and "unpkg" not in page


def test_schema_of_protected_endpoints_documents_every_auth_method(tmp_path):
    target = tmp_path / "schema.yaml"
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--urlconf", "tests.testapp.urls", "--file", str(target)
    )
    text = target.read_text()
    for scheme in ("jwtAuth", "ApiKeyAuth", "oauth2", "cookieAuth"):
        assert scheme in text
