"""Shared set-up of the benchmarks: Django on PostgreSQL, an authenticated client, a timing report."""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from io import StringIO
from typing import Any


def setup_django() -> Any:
    from devsky.env import use_settings_module

    use_settings_module()
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor != "postgresql":
        sys.exit("The benchmarks run against PostgreSQL: set DATABASE_URL (see the module docstring).")
    call_command("migrate", verbosity=0)
    call_command("seed_demo", stdout=StringIO())
    return connection


def admin_client() -> Any:
    """A client with a JWT of the demo orchestration_admin (every group allowed)."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    from devsky.testing.auth import jwt_pair

    user = get_user_model().objects.get(username="orchestration_admin")
    user.set_password("bench-password-1")
    user.save()
    access = jwt_pair(user, "bench-password-1")["access"]
    return Client(HTTP_AUTHORIZATION=f"Bearer {access}", HTTP_HOST="127.0.0.1")


def timed(call: Callable[[], Any], count: int, expect: int = 200) -> list[float]:
    timings = []
    for _ in range(count):
        started = time.perf_counter()
        response = call()
        timings.append((time.perf_counter() - started) * 1000)
        if response.status_code != expect:
            sys.exit(f"{response.status_code} {response.content[:300]!r}")
    return timings


def header() -> None:
    print(f"{'endpoint':60} {'mode':5} {'p50 ms':>8} {'p99 ms':>8} {'mean ms':>8}")


def report(label: str, mode: str, timings: list[float]) -> None:
    ordered = sorted(timings)
    p50 = statistics.median(ordered)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    print(f"{label:60} {mode:5} {p50:8.2f} {p99:8.2f} {statistics.fmean(ordered):8.2f}")
