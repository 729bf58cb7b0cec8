"""PostgreSQL unreachable: the API answers 503 problem details (never a 500 or an HTML page), readiness fails,
and both recover by themselves when the database is back.

The web process reaches the shared PostgreSQL through a TCP proxy that this test owns and cuts; the
database server itself keeps running for everyone else.
"""

import pytest
import requests
from django.db import connection

from devsky.testing.auth import api_key_for
from devsky.testing.processes import TcpProxy, wait_for
from tests.devsky.factories import UserFactory

pytestmark = [pytest.mark.postgres]


@pytest.fixture
def database_proxy():
    db = connection.settings_dict
    proxy = TcpProxy(db["HOST"] or "127.0.0.1", int(db["PORT"] or 5432))
    yield proxy
    proxy.close()


def test_an_unreachable_database_is_a_503_problem_and_readiness_fails_until_it_returns(wsgi_server, database_proxy):
    db = connection.settings_dict
    url = wsgi_server(
        DATABASE_URL=f"postgres://{db['USER']}@127.0.0.1:{database_proxy.port}/{db['NAME']}",
        DATABASE_POOL_TIMEOUT="2",
        DATABASE_CONNECT_TIMEOUT="2",
    )
    headers = {"Authorization": f"Api-Key {api_key_for(UserFactory(is_staff=True, is_superuser=True))}"}

    def get(path: str) -> requests.Response:
        return requests.get(f"{url}{path}", headers=headers, timeout=30)

    assert get("/api/v1/partnerships/").status_code == 200
    assert get("/readyz").status_code == 200

    database_proxy.cut()

    for response in (
        get("/api/v1/partnerships/"),
        get("/api/v1/orchestration/health"),
        requests.post(f"{url}/api/v1/orchestration/metrics", json={"samples": []}, headers=headers, timeout=30),
    ):
        assert response.status_code == 503, response.text
        assert response.headers["Content-Type"] == "application/problem+json"
        assert response.headers["Retry-After"]
        body = response.json()
        assert (body["status"], body["code"]) == (503, "database_unavailable")
        assert body["request_id"] == response.headers["X-Request-ID"]
    ready = get("/readyz")
    assert ready.status_code == 503
    assert (ready.json()["status"], ready.json()["failed"]) == ("unavailable", ["database"])
    assert get("/healthz").status_code == 200  # the process itself is alive: no restart wanted

    database_proxy.restore()

    assert wait_for(lambda: get("/readyz").status_code == 200, timeout=30)
    assert get("/api/v1/partnerships/").status_code == 200
