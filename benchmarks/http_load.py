"""HTTP benchmark of the production profile: gunicorn on PostgreSQL + Redis, driven by wrk from another process.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/devsky_bench REDIS_URL=redis://127.0.0.1:6379/3 \
        make bench-http

1. Loads the volume (``benchmarks.volume``: 1M samples, 1M content pieces, 100k influencers, 500k
   orders, a year of reports) into the database, skipping what is already there.
2. Times the daily, weekly and monthly report builds in this process.
3. Makes many principals: JWTs of ``--principals`` orchestration_admin users and API keys of
   ``--collectors`` metrics_collector users.
4. Starts gunicorn with ``DJANGO_ENV=production`` on a free port (``--workers`` processes) and drives
   each endpoint with wrk at 1, 16 and 64 connections; ``benchmarks/wrk.lua`` rotates every
   connection over all principals, so per-principal rate limits count every request. The limits are
   raised for the run (``DEVSKY_RATE_*``) so the counting runs but never rejects.
5. Serves a bare Django ``JsonResponse`` view (``devsky/bench.py``) in the same server and reports each
   endpoint's throughput as a fraction of it.
6. Writes ``bench/runs/<label>.json`` and the table between the markers of ``bench/RESULTS.md``
   (text outside the markers is kept); ``--baseline`` adds a before/after table.

Not a test: numbers, no asserts. Ingested samples and stored decisions are deleted afterwards.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from benchmarks.reports import report_build_times

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "bench"
WORK_DIR = ROOT / "var" / "bench"
LUA = Path(__file__).with_name("wrk.lua")
MARK_BEGIN = "<!-- bench-http:begin (written by benchmarks/http_load.py) -->"
MARK_END = "<!-- bench-http:end -->"
INGEST_SOURCE = "bench-http"
HIGH_LIMIT = "100000000"
JWT_LIFETIME_SECONDS = "43200"


@dataclass
class Endpoint:
    key: str  # for --only
    name: str
    kind: str  # bare | read | write | ingest
    paths: list[str]
    target_p99_ms: float | None = None
    method: str = "GET"
    auth: str = "jwt"  # jwt | api_key | none
    body: str | None = None
    samples_per_request: int = 0
    expect: int = 200


@dataclass
class Measurement:
    endpoint: str
    connections: int
    requests: int
    seconds: float
    rps: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float
    errors: int
    non_2xx: int
    load: float
    samples_per_second: float | None = None


@dataclass
class Run:
    label: str
    started_at: str
    command: str
    machine: dict
    server: dict
    volume: dict
    report_builds: dict
    measurements: list[Measurement] = field(default_factory=list)
    load_before: list[float] = field(default_factory=list)
    load_after: list[float] = field(default_factory=list)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=10, help="seconds per measurement (default 10)")
    parser.add_argument("--connections", default="1,16,64")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes (default 4 for 2 cores)")
    parser.add_argument("--threads", type=int, default=1, help="threads per worker (1: sync workers)")
    parser.add_argument("--principals", type=int, default=200, help="users with JWTs (default 200)")
    parser.add_argument("--collectors", type=int, default=50, help="API keys for ingestion (default 50)")
    parser.add_argument("--batch", type=int, default=5000, help="samples per ingestion request")
    parser.add_argument(
        "--only",
        default="",
        help="comma-separated subset of: health, metrics, partnerships, content-first, content-deep, "
        "influencers, reports, roi, decision, ingest (the bare view always runs)",
    )
    parser.add_argument("--label", default="latest", help="name of the run (bench/runs/<label>.json)")
    parser.add_argument("--baseline", default="", help="a previous run's JSON for the before/after table")
    parser.add_argument("--no-write", action="store_true", help="print only; leave bench/RESULTS.md alone")
    parser.add_argument("--skip-builds", action="store_true", help="do not time report builds")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: `apt-get install wrk` (make bench-http does it).")

    from devsky import env

    # Tokens minted here must outlive the run; the server gets the same lifetime.
    env.set_default("JWT_ACCESS_LIFETIME_SECONDS", JWT_LIFETIME_SECONDS)
    # The server verifies the JWTs minted here: both sign with this run's secret key.
    env.set_default("DJANGO_SECRET_KEY", "bench-" + secrets.token_urlsafe(40))
    from benchmarks.common import setup_django
    from benchmarks.volume import Volume, volume_load

    connection = setup_django()
    from django.conf import settings

    if not settings.CACHES["default"]["BACKEND"].startswith("django_redis"):
        sys.exit("The HTTP benchmark runs against Redis too: set REDIS_URL (see the module docstring).")
    volume = volume_load(connection, Volume())
    cleanup(connection)
    builds = {} if args.skip_builds else report_build_times()
    endpoints = endpoint_list(connection, batch=args.batch)
    if args.only:
        wanted = {name.strip() for name in args.only.split(",")}
        endpoints = [e for e in endpoints if e.key in wanted or e.kind == "bare"]
    WORK_DIR.mkdir(parents=True, exist_ok=True)
    auth_files = principals_make(jwt_users=args.principals, collectors=args.collectors)
    connections = [int(c) for c in args.connections.split(",")]
    run = Run(
        label=args.label,
        started_at=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        command=command_line(),
        machine=machine_facts(connection),
        server={"workers": args.workers, "threads": args.threads, "duration_s": args.duration},
        volume=volume,
        report_builds=builds,
        load_before=list(os.getloadavg()),
    )
    port = free_port()
    server = server_start(port=port, workers=args.workers, threads=args.threads)
    try:
        server_wait(port, server)
        for endpoint in endpoints:
            if not endpoint_check(port, endpoint, auth_files):
                continue
            files = endpoint_files(endpoint)
            wrk_run(port, endpoint, files, auth_files, connections=16, duration=2)  # warm-up, not recorded
            for count in connections:
                measurement = wrk_run(port, endpoint, files, auth_files, connections=count, duration=args.duration)
                run.measurements.append(measurement)
                print(row_text(measurement), flush=True)
    finally:
        server_stop(server)
        cleanup(connection)
    run.load_after = list(os.getloadavg())
    BENCH_DIR.joinpath("runs").mkdir(parents=True, exist_ok=True)
    out = BENCH_DIR / "runs" / f"{args.label}.json"
    out.write_text(json.dumps(asdict(run), indent=1) + "\n")
    baseline = json.loads(Path(args.baseline).read_text()) if args.baseline else None
    table = results_markdown(asdict(run), baseline, endpoints)
    print(table)
    if not args.no_write:
        results_write(table)
        print(f"wrote {out.relative_to(ROOT)} and bench/RESULTS.md")


# --- what is measured -----------------------------------------------------------------------------


def endpoint_list(connection, *, batch: int) -> list[Endpoint]:
    from benchmarks.content import deep_cursor

    decision = {
        "context": {
            "revenue_impact": 500000,
            "customer_impact": 5000,
            "estimated_cost": 100000,
            "expected_revenue": 300000,
            "affects_technical": True,
        }
    }
    return [
        Endpoint("bare", "bare Django JsonResponse", "bare", ["/bench/bare"], auth="none"),
        Endpoint("health", "health", "read", ["/api/v1/orchestration/health"], 15),
        Endpoint(
            "metrics",
            "metrics/{type}",
            "read",
            [f"/api/v1/orchestration/metrics/{t}" for t in ("technical", "brand", "visual", "customer")],
            15,
        ),
        Endpoint("partnerships", "partnerships list", "read", ["/api/v1/partnerships/"], 25),
        Endpoint("content-first", "content list, first page", "read", ["/api/v1/content/pieces"], 25),
        Endpoint(
            "content-deep",
            "content list, page 100,000 rows deep",
            "read",
            [f"/api/v1/content/pieces?cursor={deep_cursor(connection, '', 100_000)}"],
            25,
        ),
        Endpoint(
            "influencers",
            "influencer search",
            "read",
            [f"/api/v1/content/influencers?search={name}" for name in ("Anna", "Marco", "Sofia", "Theo", "Iris")],
            25,
        ),
        Endpoint("reports", "reports/daily", "read", ["/api/v1/analytics/reports/daily"], 25),
        Endpoint("roi", "ROI (all partnerships, 30 days)", "read", ["/api/v1/analytics/roi"], 25),
        Endpoint(
            "decision",
            "decision POST",
            "write",
            ["/api/v1/orchestration/decisions"],
            30,
            method="POST",
            body=json.dumps(decision),
            expect=201,
        ),
        Endpoint(
            "ingest",
            f"metrics ingestion ({batch:,} samples per POST)",
            "ingest",
            ["/api/v1/orchestration/metrics"],
            None,
            method="POST",
            auth="api_key",
            body=json.dumps({"samples": ingest_batch(batch)}),
            samples_per_request=batch,
            expect=201,
        ),
    ]


def ingest_batch(size: int) -> list[dict]:
    """Samples of every KPI at its demo value (so health stays as it was), tagged for clean-up."""
    from orchestration.defaults import KPI_CATALOG
    from orchestration.demo import DEMO_LATEST

    kpis = [(kind, key, DEMO_LATEST[key]) for kind, key, *_ in KPI_CATALOG]
    return [
        {"partnership_type": t, "metric": key, "value": value, "source": INGEST_SOURCE}
        for t, key, value in (kpis[i % len(kpis)] for i in range(size))
    ]


def principals_make(*, jwt_users: int, collectors: int) -> dict[str, Path]:
    """Users with JWTs (admins) and API keys (collectors); files with one Authorization value per line."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group
    from rest_framework_simplejwt.tokens import AccessToken

    from devsky.models import UserAPIKey
    from devsky.roles import METRICS_COLLECTOR, ORCHESTRATION_ADMIN

    user_model = get_user_model()
    password = make_password(secrets.token_urlsafe(16))  # hashed once, shared: hashing 250 passwords is slow

    def users(prefix: str, count: int, role: str) -> list:
        names = [f"{prefix}{i:04d}" for i in range(count)]
        have = set(user_model.objects.filter(username__in=names).values_list("username", flat=True))
        user_model.objects.bulk_create([user_model(username=n, password=password) for n in names if n not in have])
        found = list(user_model.objects.filter(username__in=names).order_by("username"))
        group = Group.objects.get(name=role)
        group.user_set.add(*found)
        return found

    admins = users("bench_admin_", jwt_users, ORCHESTRATION_ADMIN)
    jwt_lines = [f"Bearer {AccessToken.for_user(user)}" for user in admins]
    keepers = users("bench_collector_", collectors, METRICS_COLLECTOR)
    UserAPIKey.objects.filter(user__in=keepers).delete()  # the secrets of earlier runs are gone
    key_lines = [f"Api-Key {UserAPIKey.objects.create_key(user=u, name='bench')[1]}" for u in keepers]
    files = {"jwt": WORK_DIR / "auth-jwt.txt", "api_key": WORK_DIR / "auth-api-key.txt"}
    files["jwt"].write_text("\n".join(jwt_lines) + "\n")
    files["api_key"].write_text("\n".join(key_lines) + "\n")
    print(f"principals: {len(jwt_lines)} JWT users, {len(key_lines)} API keys")
    return files


def cleanup(connection) -> None:
    """Remove what the run wrote: ingested samples and stored decisions of the benchmark's users."""
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM orchestration_metricsample WHERE source = %s", [INGEST_SOURCE])
        cursor.execute(
            "DELETE FROM orchestration_decision WHERE created_by_id IN "
            "(SELECT id FROM auth_user WHERE username LIKE 'bench\\_admin\\_%%')"
        )
    from django.core.cache import cache

    cache.clear()


# --- the server -----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env() -> dict[str, str]:
    from django.conf import settings

    from devsky import env

    variables = env.for_child_process(
        DJANGO_ENV="production",
        DJANGO_SECRET_KEY=settings.SECRET_KEY,
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_STATIC_ROOT=str(WORK_DIR / "static"),
        DATABASE_URL=env.get_str("DATABASE_URL"),
        REDIS_URL=settings.REDIS_URL,
        DEVSKY_BENCH_BARE_VIEW="true",
        JWT_ACCESS_LIFETIME_SECONDS=JWT_LIFETIME_SECONDS,
        # Rate limits stay on (every request is counted in Redis) but high enough never to reject.
        **{f"DEVSKY_RATE_{group}": HIGH_LIMIT for group in ("METRICS", "DECISIONS", "CONTENT", "REPORTS", "DEFAULT")},
    )
    variables.pop("DJANGO_SETTINGS_MODULE", None)
    return variables


def server_start(*, port: int, workers: int, threads: int) -> subprocess.Popen:
    variables = server_env()
    python = Path(sys.executable)
    if not (WORK_DIR / "static" / "staticfiles.json").exists():
        subprocess.run(
            [str(python), "manage.py", "collectstatic", "--noinput", "-v", "0"], cwd=ROOT, env=variables, check=True
        )
    command = [
        str(python.with_name("gunicorn")),
        "devsky.wsgi:application",
        f"--bind=127.0.0.1:{port}",
        f"--workers={workers}",
        f"--threads={threads}",
        f"--worker-class={'gthread' if threads > 1 else 'sync'}",
        "--backlog=2048",
        "--timeout=60",
    ]
    log = (WORK_DIR / "gunicorn.log").open("w")
    print("server:", " ".join(command[1:]))
    return subprocess.Popen(command, cwd=ROOT, env=variables, stdout=log, stderr=subprocess.STDOUT)


def server_wait(port: int, server: subprocess.Popen) -> None:
    for _ in range(120):
        if server.poll() is not None:
            sys.exit(f"gunicorn exited ({server.returncode}); see {WORK_DIR / 'gunicorn.log'}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    sys.exit("gunicorn did not answer /healthz within a minute")


def server_stop(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()


# --- the load -------------------------------------------------------------------------------------


def endpoint_files(endpoint: Endpoint) -> dict[str, str]:
    slug = re.sub(r"[^a-z0-9]+", "-", endpoint.name.lower()).strip("-")
    paths = WORK_DIR / f"{slug}.paths"
    paths.write_text("\n".join(endpoint.paths) + "\n")
    files = {"paths": str(paths), "body": "-"}
    if endpoint.body is not None:
        body = WORK_DIR / f"{slug}.json"
        body.write_text(endpoint.body)
        files["body"] = str(body)
    return files


def endpoint_check(port: int, endpoint: Endpoint, auth_files: dict[str, Path]) -> bool:
    """One request as wrk will send it: the status must be the expected one, or the endpoint is skipped."""
    headers = {"X-Forwarded-Proto": "https", "Accept": "application/json", "Content-Type": "application/json"}
    if endpoint.auth != "none":
        headers["Authorization"] = auth_files[endpoint.auth].read_text().splitlines()[0]
    data = endpoint.body.encode() if endpoint.body else None
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{endpoint.paths[0]}", data=data, headers=headers, method=endpoint.method
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            status, body = response.status, response.read(300)
    except urllib.error.HTTPError as error:
        status, body = error.code, error.read(300)
    if status != endpoint.expect:
        print(f"SKIPPED {endpoint.name}: {status} {body!r}", file=sys.stderr)
        return False
    return True


def wrk_run(
    port: int,
    endpoint: Endpoint,
    files: dict[str, str],
    auth_files: dict[str, Path],
    *,
    connections: int,
    duration: int,
) -> Measurement:
    load = os.getloadavg()[0]
    auth = str(auth_files[endpoint.auth]) if endpoint.auth != "none" else "-"
    command = [
        "wrk",
        f"--threads={min(2, connections)}",
        f"--connections={connections}",
        f"--duration={duration}s",
        "--timeout=10s",
        f"--script={LUA}",
        f"http://127.0.0.1:{port}{endpoint.paths[0]}",
        "--",
        auth,
        files["paths"],
        endpoint.method,
        files["body"],
    ]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    line = next(line for line in output.splitlines() if line.startswith("DEVSKY-RESULT "))
    raw = json.loads(line.removeprefix("DEVSKY-RESULT "))
    seconds = raw["duration_us"] / 1e6
    rps = raw["requests"] / seconds
    return Measurement(
        endpoint=endpoint.name,
        connections=connections,
        requests=raw["requests"],
        seconds=round(seconds, 2),
        rps=round(rps, 1),
        p50_ms=raw["p50_us"] / 1000,
        p90_ms=raw["p90_us"] / 1000,
        p99_ms=raw["p99_us"] / 1000,
        max_ms=raw["max_us"] / 1000,
        errors=raw["connect_errors"] + raw["read_errors"] + raw["write_errors"] + raw["timeouts"],
        non_2xx=raw["non_2xx"],
        load=round(load, 2),
        samples_per_second=round(rps * endpoint.samples_per_request) if endpoint.samples_per_request else None,
    )


# --- the report -----------------------------------------------------------------------------------


def command_line() -> str:
    from devsky import env

    shown = [f"{name}={env.get_str(name)}" for name in ("DATABASE_URL", "REDIS_URL") if env.get_str(name)]
    return " ".join([*shown, "python -m benchmarks.http_load", *sys.argv[1:]])


def machine_facts(connection) -> dict:
    cpu = ""
    with contextlib.suppress(OSError, StopIteration):
        cpu = next(
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        )
    memory = ""
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f"{kib / 1024 / 1024:.0f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
    from django_redis import get_redis_connection

    redis_version = get_redis_connection("default").info().get("redis_version", "?")
    wrk_version = subprocess.run(["wrk", "--version"], capture_output=True, text=True).stdout.split("\n")[0]
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory": memory,
        "kernel": platform.release(),
        "python": platform.python_version(),
        "postgresql": postgres,
        "redis": redis_version,
        "wrk": wrk_version.strip(),
    }


def row_text(m: Measurement) -> str:
    extra = f" {m.samples_per_second:>9,.0f} samples/s" if m.samples_per_second else ""
    return (
        f"{m.endpoint:42} c={m.connections:<3} p50 {m.p50_ms:7.2f} ms  p99 {m.p99_ms:7.2f} ms  "
        f"{m.rps:8.1f} req/s  errors {m.errors + m.non_2xx}  load {m.load}{extra}"
    )


def results_markdown(run: dict, baseline: dict | None, endpoints: list[Endpoint]) -> str:
    targets = {e.name: e for e in endpoints}
    bare = {m["connections"]: m["rps"] for m in run["measurements"] if m["endpoint"].startswith("bare")}
    machine = run["machine"]
    lines = [
        MARK_BEGIN,
        f"### Run `{run['label']}` — {run['started_at']}",
        "",
        f"Machine: {machine['cores']} cores ({machine['cpu']}), {machine['memory']}, Linux {machine['kernel']}, "
        f"Python {machine['python']}, PostgreSQL {machine['postgresql']}, Redis {machine['redis']}, "
        f"{machine['wrk']}. Server: gunicorn, {run['server']['workers']} workers x {run['server']['threads']} "
        f"thread(s), `DJANGO_ENV=production`; wrk on the same machine; {run['server']['duration_s']} s per cell. "
        f"Load average (1/5/15 min) before: {fmt_load(run['load_before'])}, after: {fmt_load(run['load_after'])}.",
        "",
        "Volume: " + ", ".join(f"{count:,} {name}" for name, count in run["volume"].items()) + ".",
        "",
        f"Command: `{run['command']}`",
        "",
        "| endpoint | conns | p50 ms | p99 ms | req/s | x bare | p99 target (16 conns) | errors | load |",
        "|---|---:|---:|---:|---:|---:|---|---:|---:|",
    ]
    for m in run["measurements"]:
        endpoint = targets.get(m["endpoint"])
        ratio = m["rps"] / bare[m["connections"]] if bare.get(m["connections"]) else None
        target = ""
        if endpoint and endpoint.target_p99_ms and m["connections"] == 16:
            met = m["p99_ms"] <= endpoint.target_p99_ms
            target = f"≤ {endpoint.target_p99_ms:g} ms {'met' if met else '**missed**'}"
            if endpoint.kind == "read" and ratio is not None:
                target += f"; ≥ 0.50 x bare {'met' if ratio >= 0.5 else '**missed**'}"
        rps = f"{m['rps']:,.0f}"
        if m.get("samples_per_second"):
            rps += f" ({m['samples_per_second']:,.0f} samples/s)"
            if m["connections"] == 16:
                target = f"≥ 20,000 samples/s {'met' if m['samples_per_second'] >= 20000 else '**missed**'}"
        lines.append(
            f"| {m['endpoint']} | {m['connections']} | {m['p50_ms']:.2f} | {m['p99_ms']:.2f} | {rps} | "
            f"{'' if ratio is None else f'{ratio:.2f}'} | {target} | {m['errors'] + m['non_2xx']} | {m['load']} |"
        )
    if run["report_builds"]:
        lines += ["", "| report build (in-process) | period | best ms | worst ms | target |", "|---|---|---:|---:|---|"]
        for report_type, build in run["report_builds"].items():
            target = ""
            if report_type == "monthly":
                target = f"≤ 5,000 ms {'met' if build['worst_ms'] <= 5000 else '**missed**'}"
            lines.append(
                f"| {report_type} | {build['period_start']} | {build['best_ms']:,.0f} | {build['worst_ms']:,.0f} | "
                f"{target} |"
            )
    if baseline:
        lines += before_after(baseline, run)
    lines.append(MARK_END)
    return "\n".join(lines)


def before_after(before: dict, after: dict) -> list[str]:
    old = {(m["endpoint"], m["connections"]): m for m in before["measurements"]}
    lines = [
        "",
        f"Before (`{before['label']}`, {before['started_at']}) → after (`{after['label']}`), at 16 connections:",
        "",
        "| endpoint | p99 ms before | p99 ms after | req/s before | req/s after |",
        "|---|---:|---:|---:|---:|",
    ]
    for m in after["measurements"]:
        if m["connections"] != 16 or (m["endpoint"], 16) not in old:
            continue
        b = old[(m["endpoint"], 16)]
        lines.append(f"| {m['endpoint']} | {b['p99_ms']:.2f} | {m['p99_ms']:.2f} | {b['rps']:,.0f} | {m['rps']:,.0f} |")
    for report_type, build in after["report_builds"].items():
        if report_type in before.get("report_builds", {}):
            b = before["report_builds"][report_type]
            lines.append(
                f"| build {report_type} report (ms, best) | {b['best_ms']:,.0f} | {build['best_ms']:,.0f} | | |"
            )
    return lines


def fmt_load(load: list[float]) -> str:
    return " / ".join(f"{value:.2f}" for value in load)


def results_write(table: str) -> None:
    path = BENCH_DIR / "RESULTS.md"
    text = path.read_text() if path.exists() else "# Benchmark results\n\n" + MARK_BEGIN + "\n" + MARK_END + "\n"
    if MARK_BEGIN in text and MARK_END in text:
        head, rest = text.split(MARK_BEGIN, 1)
        tail = rest.split(MARK_END, 1)[1]
        text = head + table + tail
    else:
        text += "\n" + table + "\n"
    path.write_text(text)


if __name__ == "__main__":
    main()
