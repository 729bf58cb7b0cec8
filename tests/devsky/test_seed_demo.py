"""seed_demo is idempotent: the second run changes nothing."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Max

from devsky.demo import demo_password
from devsky.models import UserAPIKey
from devsky.roles import ROLES
from orchestration.models import MetricSample
from partnerships.models import Deliverable, Partnership


def _snapshot():
    users = get_user_model().objects.order_by("pk")
    return (
        list(users.values_list("pk", "username", "password", "is_superuser", "is_staff")),
        list(users.values_list("username", "groups__name")),
        list(UserAPIKey.objects.order_by("pk").values_list("pk", "user__username", "hashed_key")),
        list(Partnership.objects.values_list("pk", "name", "active")),
        list(Deliverable.objects.values_list("pk", "completion", "version", "last_updated")),
        MetricSample.objects.count(),
        MetricSample.objects.aggregate(latest=Max("recorded_at"))["latest"],
    )


@pytest.mark.django_db
def test_seed_demo_twice_changes_nothing():
    first_out = io.StringIO()
    call_command("seed_demo", stdout=first_out)
    after_first = _snapshot()
    second_out = io.StringIO()
    call_command("seed_demo", stdout=second_out)
    assert _snapshot() == after_first
    assert " created" in first_out.getvalue()


@pytest.mark.django_db
def test_seed_demo_makes_one_user_per_role_and_a_collector_key():
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    for role in ROLES:
        user = get_user_model().objects.get(username=role)
        assert list(user.groups.values_list("name", flat=True)) == [role]
        assert user.check_password(demo_password())
    key = UserAPIKey.objects.get(user__username="metrics_collector")
    secret = out.getvalue().split("Api-Key ")[1].split()[0]
    assert UserAPIKey.objects.get_from_key(secret) == key


@pytest.mark.django_db
def test_demo_admin_can_log_in_to_the_admin(client):
    call_command("seed_demo", stdout=io.StringIO())
    assert client.login(username="admin", password=demo_password())
    assert client.get("/admin/").status_code == 200
