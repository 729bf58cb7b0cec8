"""Benchmark of report builds over the benchmark database (1,000,000 samples and 1,000,000 content pieces
after ``benchmarks.orchestration`` and ``benchmarks.content`` have filled it): wall time of each build."""

from __future__ import annotations

import time

from benchmarks.common import setup_django


def report_build_times() -> dict:
    """Wall time of building the latest finished daily, weekly and monthly report, best and worst of 3."""
    from analytics.periods import TYPES, latest_finished
    from analytics.services import report_build

    times = {}
    for report_type in TYPES:
        start = latest_finished(report_type)[0]
        timings = []
        for _ in range(3):
            started = time.perf_counter()
            report_build(report_type=report_type, start=start)
            timings.append((time.perf_counter() - started) * 1000)
        times[report_type] = {"period_start": start.isoformat(), "best_ms": min(timings), "worst_ms": max(timings)}
        print(f"build {report_type:8} report ({start}): best {min(timings):8.1f} ms, worst {max(timings):8.1f} ms")
    return times


def main() -> None:
    connection = setup_django()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (SELECT count(*) FROM orchestration_metricsample), (SELECT count(*) FROM content_contentpiece)"
        )
        samples, pieces = cursor.fetchone()
    print(f"database: PostgreSQL, {samples:,} samples, {pieces:,} content pieces")
    report_build_times()


if __name__ == "__main__":
    main()
