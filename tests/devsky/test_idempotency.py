"""Idempotency-Key on creating POSTs: replay, conflict on reuse, no double creation under races."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from devsky.api.idempotency import idempotency_purge_expired
from devsky.models import IdempotencyRecord
from devsky.tasks import purge_idempotency_records
from devsky.testing.concurrency import run_concurrently
from tests.testapp.models import Gadget

pytestmark = [pytest.mark.urls("tests.testapp.urls"), pytest.mark.django_db]
URL = "/api/v1/test/gadgets"


def post(client, body, key=None, path=URL):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key is not None else {}
    return client.post(path, body, format="json", **headers)


def test_same_key_and_body_replays_the_first_response(user_client):
    first = post(user_client, {"name": "a", "size": 1}, key="k-1")
    second = post(user_client, {"size": 1, "name": "a"}, key="k-1")  # same body, other key order
    assert first.status_code == second.status_code == 201
    assert second.json() == first.json()
    assert second["Location"] == first["Location"]
    assert second["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first
    assert Gadget.objects.count() == 1


def test_trailing_slash_is_the_same_request(user_client):
    post(user_client, {"name": "a", "size": 1}, key="k-1")
    again = post(user_client, {"name": "a", "size": 1}, key="k-1", path=URL + "/")
    assert again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"


def test_same_key_other_body_is_409(user_client):
    post(user_client, {"name": "a", "size": 1}, key="k-1")
    response = post(user_client, {"name": "b", "size": 1}, key="k-1")
    assert response.status_code == 409
    assert response.json()["code"] == "idempotency_key_reused"
    assert Gadget.objects.count() == 1


def test_keys_are_per_principal(user_client, admin_client):
    post(user_client, {"name": "a", "size": 1}, key="shared")
    response = post(admin_client, {"name": "b", "size": 1}, key="shared")
    assert response.status_code == 201
    assert "Idempotent-Replayed" not in response
    assert Gadget.objects.count() == 2


def test_keys_are_per_api_key_not_per_owner(user):
    from devsky.testing.auth import api_key_for

    first, second = APIClient(), APIClient()
    first.credentials(HTTP_AUTHORIZATION=f"Api-Key {api_key_for(user, 'one')}")
    second.credentials(HTTP_AUTHORIZATION=f"Api-Key {api_key_for(user, 'two')}")
    assert post(first, {"name": "a", "size": 1}, key="same").status_code == 201
    response = post(second, {"name": "b", "size": 1}, key="same")
    assert response.status_code == 201
    assert "Idempotent-Replayed" not in response


def test_without_key_nothing_is_stored(user_client):
    post(user_client, {"name": "a", "size": 1})
    assert IdempotencyRecord.objects.count() == 0


def test_failed_attempt_is_not_stored_and_can_be_retried(user_client):
    bad = post(user_client, {"name": "a", "size": 500}, key="k-2")
    assert bad.status_code == 400
    assert not IdempotencyRecord.objects.exists()
    good = post(user_client, {"name": "a", "size": 5}, key="k-2")
    assert good.status_code == 201
    assert "Idempotent-Replayed" not in good


@pytest.mark.parametrize("key", ["", "with space", "x" * 256, "naïve"])
def test_malformed_key_is_400(user_client, key):
    response = post(user_client, {"name": "a", "size": 1}, key=key)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_idempotency_key"
    assert "Idempotency-Key" in response.json()["errors"]
    assert Gadget.objects.count() == 0


def test_request_in_progress_is_409_with_retry_after(user_client):
    post(user_client, {"name": "a", "size": 1}, key="k-3")
    IdempotencyRecord.objects.update(status_code=None)  # as if the first request were still running
    response = post(user_client, {"name": "a", "size": 1}, key="k-3")
    assert response.status_code == 409
    assert response.json()["code"] == "idempotency_key_in_progress"
    assert response["Retry-After"] == "1"
    assert Gadget.objects.count() == 1


def test_expired_record_is_replaced_by_a_new_attempt(user_client):
    post(user_client, {"name": "a", "size": 1}, key="k-4")
    IdempotencyRecord.objects.update(created_at=timezone.now() - timedelta(days=2))
    Gadget.objects.all().delete()
    again = post(user_client, {"name": "a", "size": 1}, key="k-4")
    assert again.status_code == 201
    assert "Idempotent-Replayed" not in again
    assert Gadget.objects.count() == 1


def test_abandoned_in_progress_record_stops_blocking_after_the_lock_time(user_client):
    first = post(user_client, {"name": "a", "size": 1}, key="k-5")
    assert first.status_code == 201
    IdempotencyRecord.objects.update(status_code=None, created_at=timezone.now() - timedelta(minutes=5))
    Gadget.objects.all().delete()
    assert post(user_client, {"name": "a", "size": 1}, key="k-5").status_code == 201


def test_purge_deletes_only_expired_records(user_client):
    post(user_client, {"name": "a", "size": 1}, key="old")
    post(user_client, {"name": "b", "size": 1}, key="new")
    IdempotencyRecord.objects.filter(key="old").update(created_at=timezone.now() - timedelta(hours=25))
    assert idempotency_purge_expired() == 1
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["new"]
    IdempotencyRecord.objects.update(created_at=timezone.now() - timedelta(hours=25))
    assert purge_idempotency_records.delay().get() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_retries_create_one_resource(admin_user):
    """Six clients send the same key at once: one creates, the rest replay or are told to retry."""
    clients = []
    for _ in range(6):
        client = APIClient()
        client.force_login(admin_user)
        clients.append(client)
    statuses = run_concurrently(
        lambda client: post(client, {"name": "once", "size": 1}, key="race").status_code, [(c,) for c in clients]
    )
    assert Gadget.objects.filter(name="once").count() == 1
    assert set(statuses) <= {201, 409}
    assert 201 in statuses
