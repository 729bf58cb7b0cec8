"""Every error under /api/ is RFC 9457 problem details, whatever raised it."""

import json

import pytest

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.testapp.urls")]

PROBLEM = "application/problem+json"
PROBLEM_KEYS = {"type", "title", "status", "detail", "code", "errors", "request_id"}


def assert_problem(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith(PROBLEM)
    body = json.loads(response.content)
    assert body.keys() >= PROBLEM_KEYS
    assert body["status"] == status
    assert body["request_id"] == response["X-Request-ID"]
    if code:
        assert body["code"] == code
    return body


@pytest.mark.parametrize("path", ["/api/v1/no-such-thing", "/api/v1/no-such-thing/", "/api/v2/", "/api/"])
def test_unknown_route_is_a_problem_not_html(client, path):
    body = assert_problem(client.get(path), 404, "not_found")
    assert body["title"] == "Not Found"
    assert body["instance"] == path


def test_unknown_route_outside_api_keeps_django_page(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert not response["Content-Type"].startswith(PROBLEM)


def test_wrong_method_on_drf_view(client):
    response = client.delete("/api/v1/")
    body = assert_problem(response, 405, "method_not_allowed")
    assert "DELETE" in body["detail"]
    assert "GET" in response["Allow"]


def test_wrong_method_on_plain_django_view(client):
    response = client.get("/api/v1/test/plain-post")
    assert_problem(response, 405, "method_not_allowed")
    assert response["Allow"] == "POST"


def test_malformed_json(user_client):
    response = user_client.post("/api/v1/test/gadgets", data='{"name": "x",', content_type="application/json")
    body = assert_problem(response, 400, "parse_error")
    assert "JSON" in body["detail"]


def test_wrong_content_type(user_client):
    response = user_client.post("/api/v1/test/gadgets", data="name=x", content_type="text/plain")
    assert_problem(response, 415, "unsupported_media_type")


def test_validation_errors_name_each_field(user_client):
    response = user_client.post("/api/v1/test/gadgets", {"name": "", "size": 101}, format="json")
    body = assert_problem(response, 400, "validation_error")
    assert set(body["errors"]) == {"name", "size"}
    assert any("100" in message for message in body["errors"]["size"])


def test_domain_error_carries_its_status(user_client):
    user_client.post("/api/v1/test/gadgets", {"name": "dup", "size": 1}, format="json")
    response = user_client.post("/api/v1/test/gadgets", {"name": "dup", "size": 1}, format="json")
    body = assert_problem(response, 409, "conflict")
    assert body["detail"] == "A gadget with this name exists."


def test_unauthenticated_is_refused_with_a_problem(client):
    response = client.post("/api/v1/test/gadgets", {"name": "x", "size": 1}, content_type="application/json")
    assert response.status_code in (401, 403)
    assert_problem(response, response.status_code, "not_authenticated")


def test_unhandled_error_is_a_500_problem_without_internals(user_client):
    user_client.raise_request_exception = False
    response = user_client.get("/api/v1/test/boom")
    body = assert_problem(response, 500, "server_error")
    assert "deliberate" not in response.content.decode()
    assert body["detail"].startswith("The server hit an unexpected error")


def test_nul_byte_in_query_is_rejected(client):
    body = assert_problem(client.get("/api/v1/", {"q": "a\x00b"}), 400, "invalid_query")
    assert body["errors"] == {"q": ["Contains a NUL character."]}


def test_request_id_is_echoed_in_problem(client):
    response = client.get("/api/v1/nothing", HTTP_X_REQUEST_ID="abc-123")
    assert response["X-Request-ID"] == "abc-123"
    assert json.loads(response.content)["request_id"] == "abc-123"


def test_problem_responses_keep_the_security_headers(client):
    response = client.get("/api/v1/no-such-thing")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
