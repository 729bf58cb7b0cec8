"""WSGI entry point: serves the REST API and the admin."""

from devsky.env import use_settings_module

use_settings_module()

from django.core.wsgi import get_wsgi_application  # noqa: E402

application = get_wsgi_application()
