"""WebSocket routes under /ws/v1/ (DESIGN.md §12)."""

from django.urls import re_path

from devsky.realtime import EventsConsumer

websocket_urlpatterns = [re_path(r"^ws/v1/events/?$", EventsConsumer.as_asgi())]
