"""API keys: hashed, shown once, acting with the owner's roles; revoked/expired keys are refused."""

import io
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from rest_framework.test import APIClient

from devsky.models import UserAPIKey
from devsky.services import api_key_create, api_key_revoke
from tests.devsky.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.testapp.urls")]
METRICS = "/api/v1/test/policy/metrics"


@pytest.fixture
def collector():
    return UserFactory(username="instagram-collector", roles=["metrics_collector"])


def with_key(secret: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {secret}")
    return client


def test_key_acts_with_its_owners_roles(collector):
    _key, secret = api_key_create(username=collector.username, name="ig")
    client = with_key(secret)
    assert client.post(METRICS, {}, format="json").status_code == 200
    assert client.get(METRICS).status_code == 403  # collectors write samples, they do not read them


def test_only_a_hash_is_stored_and_the_prefix_is_visible(collector):
    key, secret = api_key_create(username=collector.username, name="ig")
    prefix, _, rest = secret.partition(".")
    assert key.prefix == prefix
    stored = UserAPIKey.objects.filter(pk=key.pk).values().get()
    assert all(rest not in str(value) for value in stored.values())


def test_revoked_key_is_401(collector):
    key, secret = api_key_create(username=collector.username, name="ig")
    api_key_revoke(api_key=key)
    response = with_key(secret).post(METRICS, {}, format="json")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_expired_key_is_401(collector):
    key, secret = api_key_create(username=collector.username, name="ig", expires_days=1)
    UserAPIKey.objects.filter(pk=key.pk).update(expiry_date=timezone.now() - timedelta(seconds=1))
    response = with_key(secret).post(METRICS, {}, format="json")
    assert response.status_code == 401
    assert "expired" in response.json()["detail"]


def test_key_of_inactive_owner_is_401(collector):
    _key, secret = api_key_create(username=collector.username, name="ig")
    collector.is_active = False
    collector.save()
    assert with_key(secret).post(METRICS, {}, format="json").status_code == 401


def test_tampered_secret_is_401(collector):
    _key, secret = api_key_create(username=collector.username, name="ig")
    assert (
        with_key(secret[:-1] + ("A" if secret[-1] != "A" else "B")).post(METRICS, {}, format="json").status_code == 401
    )


def test_last_used_is_recorded_at_most_once_a_minute(collector):
    key, secret = api_key_create(username=collector.username, name="ig")
    client = with_key(secret)
    client.post(METRICS, {}, format="json")
    key.refresh_from_db()
    first = key.last_used_at
    assert first is not None
    client.post(METRICS, {}, format="json")
    key.refresh_from_db()
    assert key.last_used_at == first
    UserAPIKey.objects.filter(pk=key.pk).update(last_used_at=first - timedelta(minutes=2))
    client.post(METRICS, {}, format="json")
    key.refresh_from_db()
    assert key.last_used_at > first - timedelta(minutes=2)


def test_create_api_key_command_prints_the_key_last(collector):
    out = io.StringIO()
    call_command("create_api_key", "--user", collector.username, "--name", "ig", "--expires-days", "30", stdout=out)
    secret = out.getvalue().strip().splitlines()[-1]
    key = UserAPIKey.objects.get_from_key(secret)
    assert key.user == collector
    assert timedelta(days=29) < key.expiry_date - timezone.now() <= timedelta(days=30)
    assert with_key(secret).post(METRICS, {}, format="json").status_code == 200


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--user", "nobody", "--name", "x"], "No user named"),
        (["--user", "instagram-collector", "--name", " "], "needs a name"),
        (["--user", "instagram-collector", "--name", "x", "--expires-days", "0"], "at least one day"),
        (["--user", "instagram-collector", "--name", "n" * 51], "at most 50 characters"),
    ],
)
def test_create_api_key_command_rejects_bad_input(collector, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("create_api_key", *args, stdout=io.StringIO())


def test_admin_creates_a_key_and_shows_it_once(collector, admin_client):
    response = admin_client.post(
        "/admin/devsky/userapikey/add/",
        {"name": "from-admin", "user": collector.pk},
        format="multipart",
        follow=True,
    )
    assert response.status_code == 200
    assert "adminform" not in response.context, response.context["adminform"].form.errors
    messages = [str(message) for message in response.context["messages"]]
    assert any("The API key for from-admin is:" in message for message in messages)
    secret = next(m for m in messages if "is:" in m).split("is: ")[1].split(".", 1)
    key = UserAPIKey.objects.get(name="from-admin")
    assert key.user == collector and key.prefix == secret[0]
