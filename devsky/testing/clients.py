"""API clients that authenticate through the real stack."""

from __future__ import annotations

from django.test import Client
from rest_framework.test import APIClient


def client_for(user) -> APIClient:
    """An API client logged in as ``user`` (a real session, checked by the authentication classes)."""
    client = APIClient()
    client.force_login(user)
    return client


def browser_for(user) -> Client:
    """A plain Django client (form posts, HTML pages) logged in as ``user``, for the admin."""
    client = Client()
    client.force_login(user)
    return client


class EventListener:
    """Joins the real-time ``events`` group of the channel layer and waits for a given event."""

    def __init__(self) -> None:
        from asgiref.sync import async_to_sync
        from channels.layers import get_channel_layer

        self._sync = async_to_sync
        self.layer = get_channel_layer()
        self.channel = async_to_sync(self.layer.new_channel)()
        async_to_sync(self.layer.group_add)("events", self.channel)

    def next(self, event: str, timeout: float = 5.0) -> dict:
        """The next message of type ``event`` (others are skipped)."""
        import asyncio

        async def wait() -> dict:
            while True:
                message = await self.layer.receive(self.channel)
                if message.get("event") == event:
                    return message

        async def wait_with_timeout() -> dict:
            return await asyncio.wait_for(wait(), timeout)

        return self._sync(wait_with_timeout)()

    def close(self) -> None:
        self._sync(self.layer.group_discard)("events", self.channel)
