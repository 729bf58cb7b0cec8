"""The Celery application. Tasks live in each app's tasks.py and are discovered from there."""

import sys

from celery import Celery

from devsky import env

env.use_settings_module()
if any(arg in {"worker", "beat"} for arg in sys.argv[1:]):
    # Forked worker children must not share pooled database sockets (PITFALLS.md).
    env.set_default("DATABASE_POOL", "false")

app = Celery("devsky")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
