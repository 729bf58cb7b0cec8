"""seed_demo is idempotent: the second run changes nothing."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from devsky.demo import demo_password


def _snapshot():
    return list(get_user_model().objects.order_by("pk").values_list("pk", "username", "password", "is_superuser"))


@pytest.mark.django_db
def test_seed_demo_twice_changes_nothing():
    first_out = io.StringIO()
    call_command("seed_demo", stdout=first_out)
    after_first = _snapshot()
    second_out = io.StringIO()
    call_command("seed_demo", stdout=second_out)
    assert _snapshot() == after_first
    assert "created" in first_out.getvalue()
    assert "created" not in second_out.getvalue()


@pytest.mark.django_db
def test_demo_admin_can_log_in_to_the_admin(client):
    call_command("seed_demo", stdout=io.StringIO())
    assert client.login(username="admin", password=demo_password())
    assert client.get("/admin/").status_code == 200
