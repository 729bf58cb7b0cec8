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
from django.db import transaction

from devsky import env

DEMO_ADMIN_USERNAME = "admin"
DEMO_ADMIN_EMAIL = "admin@devsky.local"


def demo_password() -> str:
    """The demo accounts' password; set DEVSKY_DEMO_PASSWORD to choose another."""
    return env.get_str("DEVSKY_DEMO_PASSWORD", "devsky-demo-2024")


def seed(*, log: Callable[[str], None]) -> None:
    """The foundation's own demo data: a superuser for the admin."""
    user_model = get_user_model()
    if user_model.objects.filter(username=DEMO_ADMIN_USERNAME).exists():
        log(f"admin user '{DEMO_ADMIN_USERNAME}' exists (password unchanged)")
        return
    user_model.objects.create_superuser(DEMO_ADMIN_USERNAME, DEMO_ADMIN_EMAIL, demo_password())
    log(f"admin user '{DEMO_ADMIN_USERNAME}' created, password '{demo_password()}'")


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
