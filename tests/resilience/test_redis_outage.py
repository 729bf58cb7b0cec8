"""Redis stopped mid-run: the API answers from the database, probes say "degraded", nothing is lost, and the
service recovers by itself when Redis returns.

The test starts its own redis-server and a gunicorn serving this test's database through it; the machine's
shared Redis is never touched.
"""

import pytest
import requests

from devsky.testing.auth import api_key_for
from devsky.testing.processes import private_redis, wait_for
from orchestration.models import MetricSample
from tests.devsky.factories import UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.usefixtures("demo_data")]
METRICS = "/api/v1/orchestration/metrics"


def test_the_api_serves_from_the_database_while_redis_is_down_and_recovers(wsgi_server, tmp_path):
    admin = {"Authorization": f"Api-Key {api_key_for(UserFactory(is_staff=True, is_superuser=True))}"}
    collector = {"Authorization": f"Api-Key {api_key_for(UserFactory(roles=['metrics_collector']))}"}
    with private_redis(tmp_path) as redis:
        url = wsgi_server(REDIS_URL=redis.url, CELERY_TASK_ALWAYS_EAGER="true")

        def get(path: str) -> requests.Response:
            return requests.get(f"{url}{path}", headers=admin, timeout=10)

        assert get("/readyz").json()["status"] == "ok"
        before = get(f"{METRICS}/technical")
        assert before.status_code == 200

        redis.stop()

        # Reads and writes keep working from the database; the cached body is not served stale.
        during = get(f"{METRICS}/technical")
        assert during.status_code == 200
        assert during.json()["metrics"] == before.json()["metrics"]
        sample = {"partnership_type": "technical", "metric": "development_velocity", "value": 41.5}
        written = requests.post(f"{url}{METRICS}", json={"samples": [sample]}, headers=collector, timeout=10)
        assert written.status_code == 201, written.text
        assert get(f"{METRICS}/technical").json()["metrics"]["development_velocity"] == 41.5

        ready = get("/readyz")
        assert ready.status_code == 200  # still in the load balancer: the database answers
        assert (ready.json()["status"], ready.json()["degraded"], ready.json()["failed"]) == (
            "degraded",
            ["cache"],
            [],
        )
        health = get("/api/v1/orchestration/health")
        assert health.status_code == 200
        assert health.json()["status"] == "degraded"
        assert health.json()["checks"]["cache"].startswith("degraded: ")
        assert health.json()["checks"]["database"] == "ok"

        redis.start()  # same port, empty: no restart of the web process needed

        assert wait_for(lambda: get("/readyz").json()["status"] == "ok", timeout=30)
        health = get("/api/v1/orchestration/health").json()
        assert health["checks"]["cache"] == "ok"
        after = get(f"{METRICS}/technical")
        assert after.json()["metrics"]["development_velocity"] == 41.5  # nothing written in the outage is lost
    assert MetricSample.objects.filter(value=41.5, kpi__key="development_velocity").count() == 1
