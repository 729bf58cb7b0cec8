"""The test profile: the embedded default, or services mode when DATABASE_URL / REDIS_URL are set."""

import uuid

from devsky import env
from devsky.settings.base import *  # noqa: F403
from devsky.settings.base import CACHES, CHANNEL_LAYERS, INSTALLED_APPS

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# In memory, unless a test points a process it starts (a Celery worker) at a local SMTP sink.
EMAIL_BACKEND = env.get_str("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
INSTALLED_APPS = [*INSTALLED_APPS, "tests.testapp"]

# Concurrent test runs and parallel workers (pytest-xdist) share one Redis: give each its own keys. The
# run id is put in the environment, so processes a test starts (Celery worker, load generators) share it.
env.set_default("DEVSKY_TEST_RUN_ID", uuid.uuid4().hex[:12])
_run = env.get_str("DEVSKY_TEST_RUN_ID")
_worker = env.get_str("PYTEST_XDIST_WORKER", "main")
CACHES["default"]["KEY_PREFIX"] = f"{CACHES['default']['KEY_PREFIX']}-test-{_run}-{_worker}"
if "CONFIG" in CHANNEL_LAYERS["default"]:
    CHANNEL_LAYERS["default"]["CONFIG"]["prefix"] += f"-test-{_run}-{_worker}"

# Tests that need a real Celery worker start one on their own queue (tests/conftest.py); everything
# else runs eagerly so a stray worker never sees test tasks.
CELERY_TASK_ALWAYS_EAGER = env.get_bool("CELERY_TASK_ALWAYS_EAGER", True)
DEVSKY_PROFILE = "test"
