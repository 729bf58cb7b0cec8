"""The production profile as operators run it: the Procfile under honcho, against PostgreSQL and Redis.

gunicorn serves the API, the admin's static files (WhiteNoise) and the probes; daphne serves the WebSocket
stream; a Celery worker and beat run beside them. SIGTERM stops every process cleanly (exit code 0).
"""

from __future__ import annotations

import json
import os
import signal
import socket as socket_module
import subprocess
import sys
import uuid

import pytest
import requests
from websockets.sync.client import connect

from devsky import celery_app
from devsky.testing.auth import api_key_for
from devsky.testing.processes import free_port, port_open, stop_process, wait_for
from tests.conftest import PROJECT_ROOT, test_database_url
from tests.devsky.factories import UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.celery_worker]
HTTPS = {"X-Forwarded-Proto": "https"}  # what the TLS-terminating load balancer adds


def accept_queue(port: int) -> int:
    """Connections waiting in the listening socket's accept queue (``ss`` shows it as Recv-Q)."""
    listing = subprocess.run(["ss", "-Hltn", f"sport = :{port}"], capture_output=True, text=True, check=True)
    return int(listing.stdout.split()[1])


@pytest.fixture
def production_env(transactional_db, settings, tmp_path):
    bin_dir = os.path.dirname(sys.executable)
    static_root = tmp_path / "static"
    environment = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO_SETTINGS_MODULE"))},
        "PATH": f"{bin_dir}:{os.environ.get('PATH', '')}",
        "DJANGO_ENV": "production",
        "DJANGO_SECRET_KEY": uuid.uuid4().hex * 2,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": test_database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "DJANGO_STATIC_ROOT": str(static_root),
        # Own cache keys and queue: the test run's other processes share this Redis.
        "DEVSKY_CACHE_PREFIX": f"prod-test-{uuid.uuid4().hex[:8]}",
        "CELERY_TASK_DEFAULT_QUEUE": f"prod-test-{uuid.uuid4().hex[:8]}",
        "GUNICORN_BIND": f"127.0.0.1:{free_port()}",
        "WEB_CONCURRENCY": "2",
        "WS_HOST": "127.0.0.1",
        "WS_PORT": str(free_port()),
        "CELERY_CONCURRENCY": "1",
    }
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=PROJECT_ROOT,
        env=environment,
        check=True,
    )
    return environment


def test_the_procfile_serves_api_static_files_websockets_and_tasks_then_stops_cleanly(
    production_env, tmp_path, celery_tasks_sent_to_workers
):
    admin = UserFactory(username="prod-admin", is_staff=True, is_superuser=True)
    key = api_key_for(admin)
    web = f"http://{production_env['GUNICORN_BIND']}"
    ws_port = int(production_env["WS_PORT"])
    log_path = tmp_path / "honcho.log"
    honcho = subprocess.Popen(
        [sys.executable, "-m", "honcho", "start", "--no-colour"],
        cwd=PROJECT_ROOT,
        env=production_env,
        stdout=log_path.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        assert wait_for(lambda: requests.get(f"{web}/healthz", timeout=2).status_code == 200, timeout=60), (
            log_path.read_text()
        )
        assert wait_for(lambda: port_open(ws_port), timeout=30), log_path.read_text()

        # Probes: plain HTTP straight to the process, any Host; readiness sees database, cache and broker.
        ready = requests.get(f"{web}/readyz", timeout=10)
        assert ready.status_code == 200, ready.text
        assert ready.json()["checks"] == {"database": "ok", "cache": "ok", "broker": "ok"}

        # The API, as a load balancer would forward it (HTTPS terminated in front).
        auth = {**HTTPS, "Authorization": f"Api-Key {key}"}
        health = requests.get(f"{web}/api/v1/orchestration/health", headers=auth, timeout=10)
        assert health.status_code == 200, health.text
        assert health.json()["checks"]["broker"] == "ok"
        assert health.headers["Strict-Transport-Security"].startswith("max-age=")
        # Without the balancer's header the production profile redirects to HTTPS.
        plain = requests.get(f"{web}/api/v1/orchestration/health", allow_redirects=False, timeout=10)
        assert plain.status_code == 301 and plain.headers["Location"].startswith("https://")

        # Static files come from WhiteNoise, compressed, under hashed names cached for ever.
        manifest = json.loads((tmp_path / "static" / "staticfiles.json").read_text())
        hashed = manifest["paths"]["admin/css/base.css"]
        static = requests.get(f"{web}/static/{hashed}", headers={**HTTPS, "Accept-Encoding": "gzip"}, timeout=10)
        assert static.status_code == 200
        assert static.headers["Content-Type"].startswith("text/css")
        assert "immutable" in static.headers["Cache-Control"]
        assert static.headers.get("Content-Encoding") == "gzip"

        # The WebSocket stream on the ASGI process; an event published by the web process reaches it.
        with connect(f"ws://127.0.0.1:{ws_port}/ws/v1/events/?api_key={key}", open_timeout=10) as socket:
            assert json.loads(socket.recv(timeout=10))["type"] == "welcome"
            socket.send(json.dumps({"action": "subscribe", "topics": ["config"]}))
            assert json.loads(socket.recv(timeout=10))["topics"] == ["config"]
            current = requests.get(f"{web}/api/v1/config/orchestration", headers=auth, timeout=10)
            written = requests.put(
                f"{web}/api/v1/config/orchestration",
                json={"config": current.json()["config"]},
                headers={**auth, "If-Match": current.headers["ETag"]},
                timeout=10,
            )
            assert written.status_code == 200, written.text
            event = json.loads(socket.recv(timeout=10))
            assert (event["type"], event["data"]["version"]) == ("config.updated", written.json()["version"])

        # The Celery worker answers on the configured queue.
        result = celery_app.send_task("devsky.ping", queue=production_env["CELERY_TASK_DEFAULT_QUEUE"])
        assert result.get(timeout=30) == "pong"

        # A request in flight when SIGTERM arrives is still answered: its headers are half sent now and
        # completed only after the web process has begun its graceful stop.
        web_port = int(web.rsplit(":", 1)[1])
        in_flight = socket_module.create_connection(("127.0.0.1", web_port), timeout=10)
        in_flight.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        assert wait_for(lambda: accept_queue(web_port) == 0, timeout=10)  # a worker has taken the connection
        honcho.send_signal(signal.SIGTERM)
        assert wait_for(lambda: "Handling signal: term" in log_path.read_text(), timeout=10), log_path.read_text()
        in_flight.sendall(b"Connection: close\r\n\r\n")
        answer = in_flight.makefile("rb").read()
        in_flight.close()
        assert answer.startswith(b"HTTP/1.1 200"), answer
        returncode = honcho.wait(timeout=30)
    finally:
        stop_process(honcho)
    log = log_path.read_text()
    assert returncode == 143, log  # honcho's answer to SIGTERM (128 + 15); each process below exits 0
    for process in ("web.1", "ws.1", "worker.1", "beat.1"):
        assert f"{process} stopped (rc=0)" in log, log
    assert "Shutting down: Master" in log  # gunicorn's graceful stop
    assert "Warm shutdown" in log  # Celery stopped taking tasks and let the running ones finish
    assert "WorkerLostError" not in log
