"""gunicorn settings of the production web tier: the REST API, the admin and static files (WSGI).

``gunicorn -c python:devsky.gunicorn_conf devsky.wsgi:application`` (the Procfile's ``web``). Every value
can be tuned from the environment; WebSockets are served by the ASGI process (``ws``), not here.

Shutdown: on SIGTERM the arbiter stops accepting connections and gives each worker up to
``graceful_timeout`` seconds to finish the requests it is serving, then exits 0.
"""

from __future__ import annotations

import multiprocessing
from typing import Any

from gunicorn.glogging import Logger

from devsky import env
from devsky.settings.components.logging import LOG_LEVEL
from devsky.settings.components.logging import LOGGING as _DJANGO_LOGGING

bind = env.get_list("GUNICORN_BIND", ["0.0.0.0:8000"])
# The classic 2 * cores + 1 sync workers; with GUNICORN_THREADS > 1 each worker serves that many
# requests at once (gthread), and its database pool (DATABASE_POOL_MAX_SIZE) must be at least as large.
workers = env.get_int("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count() + 1)
threads = env.get_int("GUNICORN_THREADS", 1)
worker_class = "gthread" if threads > 1 else "sync"
timeout = env.get_int("GUNICORN_TIMEOUT", 30)
graceful_timeout = env.get_int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = env.get_int("GUNICORN_KEEPALIVE", 5)
# Recycle workers now and then (jittered, so they do not all restart at once).
max_requests = env.get_int("GUNICORN_MAX_REQUESTS", 10000)
max_requests_jitter = env.get_int("GUNICORN_MAX_REQUESTS_JITTER", 1000)
# Not preloaded: each worker opens its own database pool and Redis connections after the fork.
preload_app = False
# Addresses whose X-Forwarded-* headers gunicorn believes (the load balancer's).
forwarded_allow_ips = env.get_str("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
# No control socket: its default path is one per user, which two servers on one machine would share.
control_socket_disable = True
accesslog = "-" if env.get_bool("GUNICORN_ACCESS_LOG", True) else None
errorlog = "-"
loglevel = LOG_LEVEL.lower()


class JsonAccessLogger(Logger):
    """One JSON line per request, in the same format (and with the same request id) as the application's logs."""

    def access(self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any) -> None:
        if not self.access_log_enabled:
            return
        headers = {name.lower(): value for name, value in (resp.headers or [])}
        self.access_log.info(
            "access",
            extra={
                "method": environ.get("REQUEST_METHOD"),
                "path": environ.get("PATH_INFO"),
                "status": resp.status_code,
                "bytes": getattr(resp, "sent", None),
                "duration_ms": round(request_time.total_seconds() * 1000, 2),
                "remote_addr": environ.get("REMOTE_ADDR"),
                "user_agent": environ.get("HTTP_USER_AGENT"),
                "request_id": headers.get("x-request-id", "-"),
            },
        )


logger_class = JsonAccessLogger
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": _DJANGO_LOGGING["filters"],
    "formatters": _DJANGO_LOGGING["formatters"],
    "handlers": {
        "console": {**_DJANGO_LOGGING["handlers"]["console"], "stream": "ext://sys.stdout"},
    },
    "loggers": {
        "gunicorn.error": {"handlers": ["console"], "level": LOG_LEVEL, "propagate": False},
        "gunicorn.access": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
}
