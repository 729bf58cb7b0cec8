"""The benchmark volume, loaded into PostgreSQL with set-based inserts; every step tops up to its target.

1,000,000 metric samples and 1,000,000 content pieces (the generators of ``benchmarks.orchestration``
and ``benchmarks.content``), 100,000 influencers, 500,000 orders over the last year and a year of
reports. Each step counts what is there and inserts only what is missing, so a second run is a few
``count(*)`` queries.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from benchmarks.content import fill_pieces
from benchmarks.orchestration import fill_samples


@dataclass(frozen=True)
class Volume:
    samples: int = 1_000_000
    pieces: int = 1_000_000
    influencers: int = 100_000
    orders: int = 500_000
    report_days: int = 365


def volume_load(connection, volume: Volume, *, log: Callable[[str], None] = print) -> dict[str, int]:
    """Top every table up to ``volume``; returns the row counts afterwards."""
    started = time.perf_counter()
    fill_samples(connection, volume.samples)
    fill_influencers(connection, volume.influencers, log=log)
    fill_pieces(connection, volume.pieces)
    fill_orders(connection, volume.orders, log=log)
    fill_reports(connection, volume.report_days, log=log)
    counts = volume_counts(connection)
    log(f"volume ready in {time.perf_counter() - started:.1f} s: " + ", ".join(f"{v:,} {k}" for k, v in counts.items()))
    return counts


def volume_counts(connection) -> dict[str, int]:
    tables = {
        "samples": "orchestration_metricsample",
        "content pieces": "content_contentpiece",
        "influencers": "content_influencer",
        "orders": "analytics_order",
        "reports": "analytics_report",
    }
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(f"(SELECT count(*) FROM {table})" for table in tables.values()))
        return dict(zip(tables, cursor.fetchone(), strict=True))


def fill_influencers(connection, target: int, *, log: Callable[[str], None] = print) -> None:
    """Generated handles (unique per platform), followers spread log-uniformly from 3k to 5M."""
    from content.generate import HANDLE_WORDS, PEOPLE

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*), coalesce(max(id), 0) FROM content_influencer")
        count, last_id = cursor.fetchone()
        missing = target - count
        if missing <= 0:
            return
        started = time.perf_counter()
        cursor.execute(
            """
            INSERT INTO content_influencer (name, platform, followers, engagement_rate, tier, status, verified,
                                            contact, notes, created_at, updated_at)
            SELECT words[1 + g %% cardinality(words)] || people[1 + (g / 7) %% cardinality(people)]
                       || '_b' || (%s + g),
                   (ARRAY['instagram','tiktok','youtube','pinterest'])[1 + g %% 4],
                   f.followers, round((1.5 + random() * 10.5)::numeric, 2),
                   CASE WHEN f.followers >= 1000000 THEN 'tier_1' WHEN f.followers >= 100000 THEN 'tier_2'
                        WHEN f.followers >= 10000 THEN 'tier_3' ELSE 'tier_4' END,
                   (ARRAY['prospect','contacted','negotiating','active','paused','ended'])[1 + g %% 6],
                   g %% 5 < 2, 'agent' || g %% 997 || '@example.com', '', now(), now()
            FROM generate_series(1, %s) AS g,
                 LATERAL (SELECT floor(power(10, 3.5 + 3.2 * random()))::bigint AS followers) AS f,
                 (SELECT %s::text[] AS words, %s::text[] AS people) AS lists
            """,
            [last_id, missing, HANDLE_WORDS, PEOPLE],
        )
        cursor.execute("ANALYZE content_influencer")
    log(f"inserted {missing:,} influencers in {time.perf_counter() - started:.1f} s")


def fill_orders(connection, target: int, *, log: Callable[[str], None] = print) -> None:
    """Orders of the active partnerships over the last 365 days (one every ~63 s), a tenth with a promo code."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM analytics_order WHERE order_id LIKE 'BENCH-%%'")
        done = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM analytics_order")
        missing = target - cursor.fetchone()[0]
        if missing <= 0:
            return
        started = time.perf_counter()
        cursor.execute(
            """
            INSERT INTO analytics_order (order_id, partnership_id, amount, placed_at, content_piece_id,
                                         influencer_id, promo_code, utm_source, created_at)
            SELECT 'BENCH-' || lpad((%s + g)::text, 9, '0'), p.ids[1 + g %% cardinality(p.ids)],
                   round((40 + random() * 960)::numeric, 2),
                   now() - ((%s + g) * interval '63 seconds'), NULL, NULL,
                   CASE WHEN g %% 10 = 0 THEN 'LUXE' || g %% 50 ELSE '' END,
                   (ARRAY['instagram','newsletter','tiktok','google','pinterest'])[1 + g %% 5], now()
            FROM generate_series(1, %s) AS g,
                 (SELECT array_agg(id ORDER BY id) AS ids FROM partnerships_partnership WHERE active) AS p
            """,
            [done, done, missing],
        )
        cursor.execute("ANALYZE analytics_order")
    log(f"inserted {missing:,} orders in {time.perf_counter() - started:.1f} s")


def fill_reports(connection, days: int, *, log: Callable[[str], None] = print) -> None:
    """Daily, weekly and monthly reports for every finished period of the last ``days`` days.

    The latest finished period of each type is built for real (``report_build``); earlier periods get
    a copy of its body, which gives the reports table a year's rows at a fraction of the build time.
    """
    from analytics.models import Report
    from analytics.periods import TYPES, latest_finished, period_containing, today_utc
    from analytics.services import report_build

    started = time.perf_counter()
    first_day = today_utc() - timedelta(days=days)
    added = 0
    for report_type in TYPES:
        latest_start, _ = latest_finished(report_type)
        template = Report.objects.filter(report_type=report_type, period_start=latest_start).first()
        if template is None:
            template = report_build(report_type=report_type, start=latest_start)
        existing = set(Report.objects.filter(report_type=report_type).values_list("period_start", flat=True))
        rows = []
        start = latest_start
        while start >= first_day:
            period_start, period_end = period_containing(report_type, start)
            if period_start not in existing:
                rows.append(
                    Report(
                        report_type=report_type,
                        period_start=period_start,
                        period_end=period_end,
                        generated_at=template.generated_at,
                        body=template.body,
                    )
                )
            start = period_start - timedelta(days=1)
        Report.objects.bulk_create(rows, batch_size=200, ignore_conflicts=True)
        added += len(rows)
    if added:
        log(f"added {added} reports (a year of periods) in {time.perf_counter() - started:.1f} s")
