"""The embedded default: one process, SQLite, local-memory cache, eager Celery, console e-mail."""

from devsky import env
from devsky.settings.base import *  # noqa: F403

DEBUG = env.get_bool("DJANGO_DEBUG", True)
DEVSKY_PROFILE = "local"
