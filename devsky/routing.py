"""WebSocket routes under /ws/v1/ (DESIGN.md §12)."""

websocket_urlpatterns: list = []
