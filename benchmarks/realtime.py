"""Benchmark of event fan-out: from a metric ingestion request to its event on 100 connected sockets.

Runs with the services-mode channel layer (REDIS_URL) against PostgreSQL (DATABASE_URL). The sockets
are Channels communicators on the ASGI application in this process (the real consumer, the real
layer); the ingestion goes through the HTTP stack. Prints p50/p99 of every socket's delivery time and
of the slowest socket per request.
"""

from __future__ import annotations

import argparse
import asyncio
import time

from benchmarks.common import admin_client, header, report, setup_django


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sockets", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    setup_django()
    from asgiref.sync import async_to_sync, sync_to_async
    from channels.testing.websocket import WebsocketCommunicator
    from django.contrib.auth import get_user_model
    from django.test import override_settings

    from devsky.asgi import application
    from devsky.testing.auth import jwt_pair

    client = admin_client()
    viewer = get_user_model().objects.get(username="metrics_viewer")
    viewer.set_password("bench-password-1")
    viewer.save()
    token = jwt_pair(viewer, "bench-password-1")["access"]
    sample = {"samples": [{"partnership_type": "technical", "metric": "development_velocity", "value": 35.2}]}

    async def scenario() -> tuple[list[float], list[float]]:
        sockets = []
        for _ in range(args.sockets):
            socket = WebsocketCommunicator(application, f"/ws/v1/events/?token={token}")
            connected, _ = await socket.connect()
            assert connected
            await socket.receive_json_from(10)
            await socket.send_json_to({"action": "subscribe", "topics": ["metrics"]})
            await socket.receive_json_from(10)
            sockets.append(socket)

        async def arrival(socket: WebsocketCommunicator, started: float) -> float:
            while (await socket.receive_json_from(10))["type"] != "metric.recorded":
                pass
            return (time.perf_counter() - started) * 1000

        every, slowest = [], []
        post = sync_to_async(
            lambda: client.post("/api/v1/orchestration/metrics", sample, content_type="application/json")
        )
        for _ in range(args.rounds):
            started = time.perf_counter()
            response = await post()
            assert response.status_code == 201, response.content

            latencies = await asyncio.gather(*(arrival(socket, started) for socket in sockets))
            every += latencies
            slowest.append(max(latencies))
        for socket in sockets:
            await socket.disconnect()
        return every, slowest

    with override_settings(DEVSKY_RATE_LIMITS_ENABLED=False, ALLOWED_HOSTS=["127.0.0.1"]):
        every, slowest = async_to_sync(scenario)()
    header()
    report(f"ingest → metric.recorded, each of {args.sockets} sockets", "fan", every)
    report(f"ingest → metric.recorded, slowest of {args.sockets} sockets", "fan", slowest)


if __name__ == "__main__":
    main()
