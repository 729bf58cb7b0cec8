"""Roles are groups with exactly the names of DESIGN.md §10, with matching admin permissions."""

import pytest
from django.contrib.auth.models import Group

from devsky.roles import ROLES, roles_sync_permissions, user_roles
from tests.devsky.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_migrations_create_exactly_the_roles():
    assert set(Group.objects.values_list("name", flat=True)) >= {
        "orchestration_admin",
        "partnership_manager",
        "metrics_viewer",
        "content_manager",
        "metrics_collector",
    }
    assert len(ROLES) == 5


def test_admin_permissions_follow_the_roles():
    admin = Group.objects.get(name="orchestration_admin")
    codenames = set(admin.permissions.values_list("content_type__app_label", "codename"))
    assert ("django_celery_beat", "change_periodictask") in codenames
    assert not Group.objects.get(name="metrics_collector").permissions.exists()
    content = Group.objects.get(name="content_manager")
    assert all(app == "content" for app in content.permissions.values_list("content_type__app_label", flat=True))


def test_sync_is_idempotent_and_repairs_drift():
    viewer = Group.objects.get(name="metrics_viewer")
    before = set(viewer.permissions.all())
    roles_sync_permissions()
    assert set(viewer.permissions.all()) == before
    from django.contrib.auth.models import Permission

    viewer.permissions.add(Permission.objects.get(codename="delete_periodictask"))
    roles_sync_permissions()
    assert set(viewer.permissions.all()) == before


def test_user_roles():
    assert user_roles(UserFactory(roles=["content_manager", "metrics_viewer"])) == {"content_manager", "metrics_viewer"}
    assert user_roles(UserFactory(is_superuser=True)) == {"orchestration_admin"}
    assert user_roles(UserFactory(roles=["content_manager"], is_active=False)) == frozenset()
    assert user_roles(UserFactory(roles=["not-a-role"])) == frozenset()


@pytest.mark.parametrize(
    "path", ["/admin/devsky/userapikey/", "/admin/oauth2_provider/application/", "/admin/auth/user/"]
)
def test_orchestration_admin_manages_keys_apps_and_users_in_the_admin(client, path):
    from devsky.testing.clients import client_for

    staff = UserFactory(roles=["orchestration_admin"], is_staff=True)
    assert client_for(staff).get(path).status_code == 200
    manager = UserFactory(roles=["partnership_manager"], is_staff=True)
    assert client_for(manager).get(path).status_code == 403
