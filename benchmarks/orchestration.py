"""Benchmark of the orchestration core's hot reads with a million stored samples, and of its writes.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/devsky_bench REDIS_URL=redis://127.0.0.1:6379/0 \
        make bench

Migrates the database, loads the demo data, tops the sample table up to SAMPLES rows (history older
than the demo's, so the latest values stay the demo values), then times requests through the whole
Django stack (middleware, JWT authentication, policy, throttle, rendering) in this process:
``cold`` clears the cache before each request, so every one computes from PostgreSQL; ``warm`` is the
30-second cache at work. Prints p50 / p99 / mean in milliseconds. Not a test: numbers, no asserts.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from io import StringIO


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--samples", type=int, default=1_000_000, help="rows in the sample table (default 1M)")
    parser.add_argument("--requests", type=int, default=300, help="requests per measurement (default 300)")
    args = parser.parse_args()

    from devsky.env import use_settings_module

    use_settings_module()
    import django

    django.setup()
    from django.conf import settings
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client, override_settings

    if connection.vendor != "postgresql":
        sys.exit("The benchmark runs against PostgreSQL: set DATABASE_URL (see the module docstring).")

    call_command("migrate", verbosity=0)
    call_command("seed_demo", stdout=StringIO())
    fill_samples(connection, args.samples)

    from django.contrib.auth import get_user_model

    from devsky.testing.auth import jwt_pair

    viewer = get_user_model().objects.get(username="orchestration_admin")
    viewer.set_password("bench-password-1")
    viewer.save()
    access = jwt_pair(viewer, "bench-password-1")["access"]
    client = Client(HTTP_AUTHORIZATION=f"Bearer {access}", HTTP_HOST="127.0.0.1")

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM orchestration_metricsample")
        total = cursor.fetchone()[0]
    print(f"database: PostgreSQL, {total:,} samples; cache: {settings.CACHES['default']['BACKEND']}")
    print(f"{'endpoint':45} {'mode':5} {'p50 ms':>8} {'p99 ms':>8} {'mean ms':>8}")
    with override_settings(DEVSKY_RATE_LIMITS_ENABLED=False, ALLOWED_HOSTS=["127.0.0.1"]):
        for path in (
            "/api/v1/orchestration/health",
            "/api/v1/orchestration/metrics/technical",
            "/api/v1/orchestration/metrics",
            "/api/v1/partnerships/",
        ):
            for mode in ("cold", "warm"):
                timings = []
                for _ in range(args.requests):
                    if mode == "cold":
                        cache.clear()
                    started = time.perf_counter()
                    response = client.get(path)
                    timings.append((time.perf_counter() - started) * 1000)
                    if response.status_code != 200:
                        sys.exit(f"{path}: {response.status_code} {response.content[:200]!r}")
                report(path, mode, timings)
        batch = {
            "samples": [
                {"partnership_type": "technical", "metric": "development_velocity", "value": 30 + i / 1000}
                for i in range(5000)
            ]
        }
        timings = []
        for _ in range(10):
            started = time.perf_counter()
            response = client.post("/api/v1/orchestration/metrics", batch, content_type="application/json")
            timings.append((time.perf_counter() - started) * 1000)
            if response.status_code != 201:
                sys.exit(f"ingest: {response.status_code} {response.content[:200]!r}")
        report("POST /api/v1/orchestration/metrics (5,000)", "write", timings)
        context = {
            "context": {
                "revenue_impact": 500000,
                "customer_impact": 5000,
                "estimated_cost": 100000,
                "expected_revenue": 300000,
                "affects_technical": True,
            }
        }
        timings = []
        for _ in range(args.requests):
            started = time.perf_counter()
            response = client.post("/api/v1/orchestration/decisions", context, content_type="application/json")
            timings.append((time.perf_counter() - started) * 1000)
            if response.status_code != 201:
                sys.exit(f"decision: {response.status_code} {response.content[:200]!r}")
        report("POST /api/v1/orchestration/decisions", "write", timings)


def fill_samples(connection, target: int) -> None:
    """Insert old, per-minute history until the table holds ``target`` rows (one INSERT ... SELECT)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM orchestration_metricsample")
        missing = target - cursor.fetchone()[0]
        if missing <= 0:
            return
        started = time.perf_counter()
        cursor.execute(
            """
            WITH pairs AS (
                SELECT p.id AS partnership_id, k.id AS kpi_id, k.target, row_number() OVER () - 1 AS n,
                       count(*) OVER () AS pairs
                FROM partnerships_partnership p JOIN orchestration_kpi k ON k.partnership_type = p.type
                WHERE p.active
            )
            INSERT INTO orchestration_metricsample (partnership_id, kpi_id, value, recorded_at, source, created_at)
            SELECT pairs.partnership_id, pairs.kpi_id,
                   round((pairs.target * (0.8 + 0.15 * random()))::numeric, 2),
                   now() - interval '31 days' - (g.i / pairs.pairs) * interval '1 minute',
                   'benchmark', now()
            FROM pairs JOIN generate_series(0, %s - 1) AS g(i) ON g.i %% pairs.pairs = pairs.n
            """,
            [missing],
        )
        cursor.execute("ANALYZE orchestration_metricsample")
    print(f"inserted {missing:,} samples in {time.perf_counter() - started:.1f} s")


def report(path: str, mode: str, timings: list[float]) -> None:
    ordered = sorted(timings)
    p50 = statistics.median(ordered)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    print(f"{path:45} {mode:5} {p50:8.2f} {p99:8.2f} {statistics.fmean(ordered):8.2f}")


if __name__ == "__main__":
    main()
