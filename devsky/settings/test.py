"""The test profile: the embedded default, or services mode when DATABASE_URL / REDIS_URL are set."""

from devsky import env
from devsky.settings.base import *  # noqa: F403
from devsky.settings.base import CACHES, INSTALLED_APPS

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
INSTALLED_APPS = [*INSTALLED_APPS, "tests.testapp"]

# Parallel test workers (pytest-xdist) and concurrent CI runs share one Redis: give each its own keys.
_worker = env.get_str("PYTEST_XDIST_WORKER", "main")
CACHES["default"]["KEY_PREFIX"] = f"{CACHES['default']['KEY_PREFIX']}-test-{_worker}"

# Tests that need a real Celery worker start one on their own queue (tests/conftest.py); everything
# else runs eagerly so a stray worker never sees test tasks.
CELERY_TASK_ALWAYS_EAGER = env.get_bool("CELERY_TASK_ALWAYS_EAGER", True)
