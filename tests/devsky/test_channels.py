"""The ASGI application and the channel layer: in memory by default, Redis in services mode."""

import uuid

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from channels.routing import ProtocolTypeRouter
from django.conf import settings


def test_asgi_application_routes_http_and_websocket():
    from devsky.asgi import application

    assert isinstance(application, ProtocolTypeRouter)
    assert {"http", "websocket"} <= set(application.application_mapping)


def _round_trip() -> dict:
    layer = get_channel_layer()
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.send)(channel, {"type": "probe", "token": uuid.uuid4().hex})
    return async_to_sync(layer.receive)(channel)


def test_channel_layer_round_trip():
    message = _round_trip()
    assert message["type"] == "probe"


@pytest.mark.redis
def test_channel_layer_is_redis_in_services_mode():
    assert settings.CHANNEL_LAYERS["default"]["BACKEND"] == "channels_redis.core.RedisChannelLayer"
    assert _round_trip()["type"] == "probe"
