"""Structured logs: JSON lines, each carrying the request id of the request that wrote it."""

import json
import logging

import pytest
from django.conf import settings

from devsky.log import RequestIdFilter


@pytest.fixture
def json_lines(caplog):
    """Log records of the test rendered with the project's configured JSON formatter."""
    formatter_config = settings.LOGGING["formatters"]["json"]
    from pythonjsonlogger.json import JsonFormatter

    formatter = JsonFormatter(
        formatter_config["fmt"], rename_fields=formatter_config["rename_fields"], datefmt=formatter_config["datefmt"]
    )
    caplog.handler.addFilter(RequestIdFilter())
    caplog.set_level(logging.INFO)
    return lambda: [json.loads(formatter.format(record)) for record in caplog.records]


@pytest.mark.django_db
def test_access_log_line_is_json_with_request_id(client, json_lines):
    response = client.get("/healthz", HTTP_X_REQUEST_ID="trace-42")
    assert response["X-Request-ID"] == "trace-42"
    access = [line for line in json_lines() if line["logger"] == "devsky.request"]
    assert len(access) == 1
    line = access[0]
    assert line["request_id"] == "trace-42"
    assert line["path"] == "/healthz"
    assert line["status"] == 200
    assert line["level"] == "INFO"
    assert isinstance(line["duration_ms"], float)


@pytest.mark.django_db
def test_djangos_own_error_lines_carry_the_request_id(client, json_lines):
    response = client.get("/api/v1/missing")
    lines = [line for line in json_lines() if line["logger"] == "django.request"]
    assert lines and all(line["request_id"] == response["X-Request-ID"] for line in lines)


@pytest.mark.django_db
@pytest.mark.parametrize("incoming", ["", "has space", "x" * 200, "<script>"])
def test_malformed_request_ids_are_replaced(client, incoming):
    response = client.get("/healthz", HTTP_X_REQUEST_ID=incoming)
    generated = response["X-Request-ID"]
    assert generated != incoming
    assert len(generated) == 32 and int(generated, 16) >= 0
