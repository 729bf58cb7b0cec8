"""ETag / If-None-Match on reads; If-Match on versioned writes, checked inside the write."""

import pytest
from rest_framework.test import APIClient

from devsky.testing.concurrency import run_concurrently
from tests.testapp.models import Gadget

pytestmark = [pytest.mark.urls("tests.testapp.urls")]


@pytest.mark.django_db
def test_get_has_etag_and_if_none_match_gives_304(client):
    first = client.get("/api/v1/")
    etag = first["ETag"]
    assert etag
    again = client.get("/api/v1/", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    assert client.get("/api/v1/", HTTP_IF_NONE_MATCH='"other"').status_code == 200


@pytest.fixture
def gadget(db):
    return Gadget.objects.create(name="lamp", size=1)


@pytest.mark.django_db
def test_versioned_resource_etag_is_its_version(user_client, gadget):
    response = user_client.get(f"/api/v1/test/gadgets/{gadget.pk}")
    assert response["ETag"] == '"v1"'
    assert user_client.get(f"/api/v1/test/gadgets/{gadget.pk}", HTTP_IF_NONE_MATCH='"v1"').status_code == 304


@pytest.mark.django_db
def test_write_with_current_version_succeeds_and_bumps_it(user_client, gadget):
    response = user_client.put(
        f"/api/v1/test/gadgets/{gadget.pk}", {"name": "lamp", "size": 7}, format="json", HTTP_IF_MATCH='"v1"'
    )
    assert response.status_code == 200
    assert response["ETag"] == '"v2"'
    assert response.json()["version"] == 2
    gadget.refresh_from_db()
    assert (gadget.size, gadget.version) == (7, 2)


@pytest.mark.django_db
def test_stale_version_is_412_and_changes_nothing(user_client, gadget):
    Gadget.objects.filter(pk=gadget.pk).update(version=5)
    response = user_client.put(
        f"/api/v1/test/gadgets/{gadget.pk}", {"name": "lamp", "size": 9}, format="json", HTTP_IF_MATCH='"v4"'
    )
    assert response.status_code == 412
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["current_etag"] == '"v5"'
    gadget.refresh_from_db()
    assert gadget.size == 1


@pytest.mark.django_db
@pytest.mark.parametrize("header", ['"abc"', "v1", 'W/"x1"'])
def test_if_match_that_is_not_our_etag_is_412(user_client, gadget, header):
    response = user_client.put(
        f"/api/v1/test/gadgets/{gadget.pk}", {"name": "lamp", "size": 9}, format="json", HTTP_IF_MATCH=header
    )
    assert response.status_code == 412


@pytest.mark.django_db
def test_missing_if_match_on_required_write_is_428(user_client, gadget):
    response = user_client.put(f"/api/v1/test/gadgets/{gadget.pk}", {"name": "lamp", "size": 9}, format="json")
    assert response.status_code == 428
    assert response.json()["code"] == "precondition_required"


@pytest.mark.django_db
def test_write_to_missing_resource_is_404(user_client):
    response = user_client.put(
        "/api/v1/test/gadgets/999", {"name": "x", "size": 1}, format="json", HTTP_IF_MATCH='"v1"'
    )
    assert response.status_code == 404


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_with_one_etag_exactly_one_wins(admin_user):
    """Eight writers read v1 and all send If-Match "v1": one succeeds, seven get 412, no lost update."""
    gadget = Gadget.objects.create(name="race", size=0)
    writers = 8  # each holds a pooled connection while it waits for the row lock
    clients = []
    for _ in range(writers):
        client = APIClient()
        client.force_login(admin_user)
        clients.append(client)

    def write(client: APIClient, size: int) -> int:
        return client.put(
            f"/api/v1/test/gadgets/{gadget.pk}", {"name": "race", "size": size}, format="json", HTTP_IF_MATCH='"v1"'
        ).status_code

    statuses = run_concurrently(write, [(client, size) for size, client in enumerate(clients, 1)])
    assert sorted(statuses) == [200] + [412] * (writers - 1)
    gadget.refresh_from_db()
    assert gadget.version == 2
