"""The WebSocket stream: authentication, topics and roles, events after commit, health.changed only on change.

Each test runs one async scenario (the communicator lives on one event loop); HTTP requests and
database work run through ``sync_to_async`` on the test's thread, inside its transaction.
"""

from datetime import timedelta

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.testing.websocket import WebsocketCommunicator
from rest_framework_simplejwt.tokens import AccessToken

from devsky.asgi import application
from devsky.testing.auth import api_key_for, jwt_pair
from tests.devsky.factories import UserFactory

# Transactional: the consumer's database work closes stale connections (channels' database_sync_to_async),
# which must not happen inside a test-wide transaction on PostgreSQL.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("demo_data")]
DELIVERABLE = "/api/v1/partnerships/technical_excellence/deliverables/microservices_architecture"


async def open_socket(
    path: str, subprotocols: list[str] | None = None
) -> tuple[WebsocketCommunicator, bool, str | None]:
    socket = WebsocketCommunicator(application, path, subprotocols=subprotocols)
    connected, subprotocol = await socket.connect()
    return socket, connected, subprotocol


async def connect_as(role: str) -> WebsocketCommunicator:
    token = await sync_to_async(lambda: jwt_pair(UserFactory(roles=[role]))["access"])()
    socket, connected, _ = await open_socket(f"/ws/v1/events/?token={token}")
    assert connected
    assert (await socket.receive_json_from(5))["type"] == "welcome"
    return socket


async def subscribe(socket: WebsocketCommunicator, *topics: str) -> dict:
    await socket.send_json_to({"action": "subscribe", "topics": list(topics)})
    return await socket.receive_json_from(5)


def test_a_deliverable_put_gives_exactly_one_event_and_no_health_change(
    role_client, django_capture_on_commit_callbacks
):
    def update():
        with django_capture_on_commit_callbacks(execute=True):
            return (
                role_client("partnership_manager")
                .put(DELIVERABLE, {"completion_percentage": 85, "status": "85%"}, format="json")
                .status_code
            )

    async def scenario():
        socket = await connect_as("partnership_manager")
        assert (await subscribe(socket, "partnerships.technical_excellence", "health"))["refused"] == {}
        assert await sync_to_async(update)() == 200
        event = await socket.receive_json_from(5)
        assert (event["type"], event["topic"]) == ("deliverable.updated", "partnerships.technical_excellence")
        assert event["data"]["progress"] == 85 and event["id"] and event["at"]
        assert event["data"]["partnership_progress"] == 77.5
        assert await socket.receive_nothing(0.3)  # exactly one event; no level moved, so no health.changed
        await socket.disconnect()

    async_to_sync(scenario)()


def test_health_changed_only_when_a_level_moves(role_client, django_capture_on_commit_callbacks):
    low = [
        {"partnership_type": "brand", "metric": key, "value": 1}
        for key in ("social_engagement", "viral_coefficient", "brand_sentiment", "social_revenue")
    ]

    def ingest():
        with django_capture_on_commit_callbacks(execute=True):
            role_client("metrics_collector").post("/api/v1/orchestration/metrics", {"samples": low}, format="json")

    async def scenario():
        socket = await connect_as("metrics_viewer")
        await subscribe(socket, "health", "metrics.brand")
        await sync_to_async(ingest)()
        events = [await socket.receive_json_from(5), await socket.receive_json_from(5)]
        assert {event["type"] for event in events} == {"metric.recorded", "health.changed"}
        changed = next(event for event in events if event["type"] == "health.changed")
        assert changed["data"]["partnerships"]["brand"] == "poor" and changed["data"]["status"] == "critical"
        await sync_to_async(ingest)()
        assert (await socket.receive_json_from(5))["type"] == "metric.recorded"
        assert await socket.receive_nothing(0.3)  # still poor: no second health.changed
        await socket.disconnect()

    async_to_sync(scenario)()


def test_a_metrics_viewer_cannot_subscribe_to_content_or_config():
    async def scenario():
        socket = await connect_as("metrics_viewer")
        reply = await subscribe(socket, "content", "config", "metrics.technical", "nonsense", "partnerships.x")
        assert reply["topics"] == ["metrics.technical"]
        assert set(reply["refused"]) == {"content", "config", "nonsense", "partnerships.x"}
        assert reply["refused"]["nonsense"] == "unknown topic"
        await socket.disconnect()

    async_to_sync(scenario)()


@pytest.mark.parametrize("message", ["not json", {"action": "dance"}, {"action": "subscribe", "topics": "health"}, [1]])
def test_malformed_messages_get_an_error_not_a_dropped_connection(message):
    async def scenario():
        socket = await connect_as("metrics_viewer")
        if isinstance(message, str):
            await socket.send_to(text_data=message)
        else:
            await socket.send_json_to(message)
        assert (await socket.receive_json_from(5))["type"] == "error"
        assert (await subscribe(socket, "health"))["topics"] == ["health"]  # still open
        await socket.disconnect()

    async_to_sync(scenario)()


@pytest.mark.parametrize("path", ["/ws/v1/events/", "/ws/v1/events/?token=garbage", "/ws/v1/events/?api_key=x.y"])
def test_without_valid_credentials_the_socket_closes_4401(path):
    async def scenario():
        socket, connected, _ = await open_socket(path)
        assert connected
        assert await socket.receive_output() == {"type": "websocket.close", "code": 4401}

    async_to_sync(scenario)()


def test_api_key_and_subprotocol_authentication():
    user = UserFactory(roles=["metrics_viewer"])
    key, token = api_key_for(user), jwt_pair(user)["access"]

    async def scenario():
        by_key, connected, _ = await open_socket(f"/ws/v1/events/?api_key={key}")
        assert connected and (await by_key.receive_json_from())["type"] == "welcome"
        await by_key.disconnect()
        by_protocol, connected, subprotocol = await open_socket("/ws/v1/events/", ["bearer", token])
        assert connected and subprotocol == "bearer"
        assert (await by_protocol.receive_json_from())["user"] == user.username
        await by_protocol.disconnect()

    async_to_sync(scenario)()


def test_an_expired_token_ends_the_stream(monkeypatch):
    import devsky.realtime as realtime

    token = AccessToken.for_user(UserFactory(roles=["metrics_viewer"]))
    token.set_exp(lifetime=timedelta(minutes=1))
    now = realtime.time.time()

    async def scenario():
        socket, connected, _ = await open_socket(f"/ws/v1/events/?token={token}")
        assert connected and (await socket.receive_json_from(5))["type"] == "welcome"
        monkeypatch.setattr(realtime.time, "time", lambda: now + 120)  # the token's minute passes
        await socket.send_json_to({"action": "subscribe", "topics": ["health"]})
        assert await socket.receive_output() == {"type": "websocket.close", "code": 4401}

    async_to_sync(scenario)()


def test_a_rejected_write_sends_nothing(role_client):
    def bad_update():
        return (
            role_client("partnership_manager")
            .put(DELIVERABLE, {"completion_percentage": 150, "status": "x"}, format="json")
            .status_code
        )

    async def scenario():
        socket = await connect_as("partnership_manager")
        await subscribe(socket, "partnerships")
        assert await sync_to_async(bad_update)() == 400
        assert await socket.receive_nothing(0.3)
        await socket.disconnect()

    async_to_sync(scenario)()


@pytest.mark.redis
def test_an_event_from_another_process_reaches_this_socket_through_redis():
    """A second OS process publishes through the Redis channel layer; the socket held here receives it."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    from tests.conftest import test_database_url

    root = Path(__file__).resolve().parents[2]
    code = (
        "from devsky.events import send\n"
        "send({'type': 'event.message', 'event': 'config.updated', 'topic': 'config', 'id': 'x1',"
        " 'data': {'version': 99}, 'at': '2030-01-01T00:00:00Z', 'request_id': ''})\n"
    )
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "devsky.settings.test", "DATABASE_URL": test_database_url()}

    def publish_elsewhere() -> int:
        return subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", code], cwd=root, env=environment, timeout=120, check=False
        ).returncode

    async def scenario():
        socket = await connect_as("orchestration_admin")
        await subscribe(socket, "config")
        assert await sync_to_async(publish_elsewhere, thread_sensitive=False)() == 0
        event = await socket.receive_json_from(10)
        assert (event["type"], event["data"], event["id"]) == ("config.updated", {"version": 99}, "x1")
        await socket.disconnect()

    async_to_sync(scenario)()


def test_the_live_page_renders_and_is_for_staff(client):
    from devsky.testing.clients import browser_for

    staff = browser_for(UserFactory(roles=["orchestration_admin"], is_staff=True))
    page = staff.get("/live/").content.decode()
    assert "Claude + Cursor Technical Engine" in page and "/ws/v1/events/" in page
    assert 'value="71.25"' in page
    assert client.get("/live/").status_code == 302  # to the admin login
