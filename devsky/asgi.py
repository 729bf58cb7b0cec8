"""ASGI entry point: HTTP through Django, WebSockets through Channels."""

from devsky.env import use_settings_module

use_settings_module()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from django.core.asgi import get_asgi_application  # noqa: E402

django_asgi_app = get_asgi_application()

from devsky.routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        # Sessions let the admin's live page connect (same-origin only); JWTs and API keys are checked
        # by the consumer itself.
        "websocket": AuthMiddlewareStack(URLRouter(websocket_urlpatterns)),
    }
)
