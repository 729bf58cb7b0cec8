"""The cached user behind JWT and API-key requests: fewer queries, and every revocation still immediate."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext

from devsky.api.principal import user_cached
from devsky.testing.auth import TEST_PASSWORD, client_with
from tests.devsky.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.testapp.urls")]
PROBE = "/api/v1/test/policy/metrics"


@pytest.fixture
def viewer():
    return UserFactory(roles=["metrics_viewer"])


def queries_of(client) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as captured:
        status = client.get(PROBE).status_code
    return status, len(captured)


@pytest.mark.parametrize(("kind", "queries"), [("jwt", 0), ("api_key", 1)])
def test_the_second_request_does_not_read_the_user_or_its_roles(viewer, kind, queries):
    client = client_with(kind, viewer)
    first_status, first = queries_of(client)
    second_status, second = queries_of(client)
    assert first_status == second_status == 200
    assert first >= queries + 2  # the user row and its groups, the first time
    assert second == queries  # then only the API key's own row (its hash is checked on every request)


@pytest.mark.parametrize("kind", ["jwt", "api_key"])
def test_deactivating_a_cached_user_refuses_the_next_request(viewer, kind):
    client = client_with(kind, viewer)
    assert client.get(PROBE).status_code == 200
    viewer.is_active = False
    viewer.save()
    assert client.get(PROBE).status_code == 401


def test_a_password_change_revokes_cached_jwts(viewer):
    client = client_with("jwt", viewer)
    assert client.get(PROBE).status_code == 200
    viewer.set_password("another-password-9")
    viewer.save()
    response = client.get(PROBE)
    assert response.status_code == 401
    assert response.json()["code"] == "password_changed"


def test_a_deleted_user_is_refused(viewer):
    client = client_with("jwt", viewer)
    assert client.get(PROBE).status_code == 200
    viewer.delete()
    assert client.get(PROBE).status_code == 401


@pytest.mark.parametrize(
    "revoke",
    [
        lambda user, group: user.groups.remove(group),
        lambda user, group: group.user_set.remove(user),
        lambda user, group: user.groups.clear(),
        lambda user, group: group.user_set.clear(),
        lambda user, group: Group.objects.filter(pk=group.pk).first().delete(),
        lambda user, group: setattr(group, "name", "former_viewers") or group.save(),
    ],
    ids=[
        "user.groups.remove",
        "group.user_set.remove",
        "user.groups.clear",
        "group.user_set.clear",
        "group delete",
        "group rename",
    ],
)
@pytest.mark.parametrize("kind", ["jwt", "api_key"])
def test_losing_a_role_takes_effect_on_the_next_request(viewer, kind, revoke):
    client = client_with(kind, viewer)
    assert client.get(PROBE).status_code == 200
    revoke(viewer, Group.objects.get(name="metrics_viewer"))
    assert client.get(PROBE).status_code == 403


def test_gaining_a_role_takes_effect_on_the_next_request():
    user = UserFactory(roles=["content_manager"])
    client = client_with("jwt", user)
    assert client.get(PROBE).status_code == 403
    Group.objects.get_or_create(name="metrics_viewer")[0].user_set.add(user)
    assert client.get(PROBE).status_code == 200


def test_saving_a_cached_user_keeps_its_password(viewer):
    client_with("jwt", viewer).get(PROBE)  # cached now
    cached = user_cached(viewer.pk)
    assert "password" in cached.get_deferred_fields()
    cached.first_name = "Ada"
    cached.save()
    viewer.refresh_from_db()
    assert viewer.first_name == "Ada"
    assert viewer.check_password(TEST_PASSWORD)


def test_unknown_user_is_none():
    assert user_cached(987654321) is None
