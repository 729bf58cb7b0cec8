"""Demo data: each project app may define ``<app>/demo.py`` with ``seed(*, log)``; seed_demo runs them in order.

Every seeder is idempotent: it creates what is missing and changes nothing that exists, so running
``manage.py seed_demo`` twice leaves the database as the first run did.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from devsky import env
from devsky.models import UserAPIKey
from devsky.roles import METRICS_COLLECTOR, ROLES
from devsky.services import api_key_create

DEMO_ADMIN_USERNAME = "admin"
DEMO_ADMIN_EMAIL = "admin@devsky.local"


def demo_password() -> str:
    """The demo accounts' password; set DEVSKY_DEMO_PASSWORD to choose another."""
    return env.get_str("DEVSKY_DEMO_PASSWORD", "devsky-demo-2024")


DEMO_COLLECTOR_KEY_NAME = "demo-collector"


def seed(*, log: Callable[[str], None]) -> None:
    """The access layer's demo data: a superuser, one user per role, and a collector API key."""
    user_model = get_user_model()
    password = demo_password()
    if user_model.objects.filter(username=DEMO_ADMIN_USERNAME).exists():
        log(f"user '{DEMO_ADMIN_USERNAME}' (superuser) exists, password unchanged")
    else:
        user_model.objects.create_superuser(DEMO_ADMIN_USERNAME, DEMO_ADMIN_EMAIL, password)
        log(f"user '{DEMO_ADMIN_USERNAME}' (superuser) created, password '{password}'")
    for role in ROLES:
        user, created = user_model.objects.get_or_create(
            username=role,
            defaults={"email": f"{role}@devsky.local", "is_staff": role != METRICS_COLLECTOR},
        )
        if created:
            user.set_password(password)
            user.save(update_fields=["password"])
            user.groups.add(Group.objects.get(name=role))
            log(f"user '{role}' (role {role}) created, password '{password}'")
        else:
            log(f"user '{role}' exists, password unchanged")
    existing = UserAPIKey.objects.filter(name=DEMO_COLLECTOR_KEY_NAME, user__username=METRICS_COLLECTOR).first()
    if existing:
        log(f"API key '{DEMO_COLLECTOR_KEY_NAME}' exists (prefix {existing.prefix}; its secret was shown at creation)")
    else:
        _key, secret = api_key_create(username=METRICS_COLLECTOR, name=DEMO_COLLECTOR_KEY_NAME)
        log(f"API key '{DEMO_COLLECTOR_KEY_NAME}' for '{METRICS_COLLECTOR}' created: Authorization: Api-Key {secret}")


def seeders() -> list[tuple[str, Callable[..., None]]]:
    found: list[tuple[str, Callable[..., None]]] = []
    for app in settings.PROJECT_APPS:
        module_name = f"{app}.demo"
        if importlib.util.find_spec(module_name) is None:
            continue
        module = importlib.import_module(module_name)
        found.append((app, module.seed))
    return found


def seed_all(*, log: Callable[[str], None]) -> list[str]:
    """Run every app's seeder in one transaction: a failure leaves no half-seeded database."""
    ran: list[str] = []
    with transaction.atomic():
        for app, seeder in seeders():
            seeder(log=lambda message, app=app: log(f"[{app}] {message}"))
            ran.append(app)
    return ran
