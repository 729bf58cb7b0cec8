"""Benchmark of content lists with a million pieces: the first page and a deep page cost the same.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/devsky_bench REDIS_URL=redis://127.0.0.1:6379/3 \
        make bench

Fills the content table to PIECES rows (one INSERT ... SELECT), then times list requests through the
whole stack: the first page, and a page 100,000 rows deep reached by its keyset cursor, with and
without a filter. A deep OFFSET page would read and skip every row before it; a keyset page seeks.
"""

from __future__ import annotations

import argparse
import base64
import json
import time
from urllib.parse import urlencode

from benchmarks.common import admin_client, header, report, setup_django, timed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pieces", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--depth", type=int, default=100_000, help="rows before the deep page")
    args = parser.parse_args()
    connection = setup_django()
    fill_pieces(connection, args.pieces)

    from django.test import override_settings

    client = admin_client()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM content_contentpiece")
        print(f"database: PostgreSQL, {cursor.fetchone()[0]:,} content pieces")
    header()
    with override_settings(DEVSKY_RATE_LIMITS_ENABLED=False, ALLOWED_HOSTS=["127.0.0.1"]):
        for label, filters, where in (
            ("GET /api/v1/content/pieces", {}, ""),
            (
                "GET /api/v1/content/pieces?platform=instagram",
                {"platform": "instagram"},
                "WHERE platform = 'instagram'",
            ),
        ):
            query = urlencode(filters)
            first = f"/api/v1/content/pieces?{query}"
            report(label, "first", timed(lambda first=first: client.get(first), args.requests))
            deep = f"{first}&cursor={deep_cursor(connection, where, args.depth)}"
            report(label, "deep", timed(lambda deep=deep: client.get(deep), args.requests))
            brief = f"{deep}&brief=1"
            report(label + " &brief=1", "deep", timed(lambda brief=brief: client.get(brief), args.requests))


def deep_cursor(connection, where: str, depth: int) -> str:
    """The keyset cursor of the page that starts ``depth`` rows into the list (as a client paging would get)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT published_at, id FROM content_contentpiece {where} ORDER BY published_at DESC, id DESC "
            "OFFSET %s LIMIT 1",
            [depth - 1],
        )
        published_at, last_id = cursor.fetchone()
    token = {"v": published_at.isoformat(), "id": last_id, "f": "published_at", "d": True}
    return base64.urlsafe_b64encode(json.dumps(token).encode()).decode("ascii")


def fill_pieces(connection, target: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM content_contentpiece")
        missing = target - cursor.fetchone()[0]
        if missing <= 0:
            return
        started = time.perf_counter()
        cursor.execute(
            """
            INSERT INTO content_contentpiece (platform, content_type, title, url, published_at, reach, impressions,
                                              conversions, engagement_rate, partnership_id, influencer_id,
                                              created_at, updated_at)
            SELECT (ARRAY['instagram','tiktok','pinterest','x','youtube','facebook','linkedin','blog','email'])
                       [1 + g %% 9],
                   (ARRAY['luxury_showcase','style_tutorial','fashion_inspiration','product_launch'])[1 + g %% 4],
                   '', '', now() - (g * interval '37 seconds'), 1000 + g %% 90000, 2000 + g %% 180000, g %% 1000,
                   (g %% 1500) / 100.0, 'brand_amplification', NULL, now(), now()
            FROM generate_series(1, %s) AS g
            """,
            [missing],
        )
        cursor.execute("ANALYZE content_contentpiece")
    print(f"inserted {missing:,} content pieces in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
