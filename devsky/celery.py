"""The Celery application. Tasks live in each app's tasks.py and are discovered from there."""

import signal
import sys

from billiard.process import current_process
from celery import Celery
from celery.signals import worker_process_init

from devsky import env

env.use_settings_module()
if any(arg in {"worker", "beat"} for arg in sys.argv[1:]):
    # Forked worker children must not share pooled database sockets (PITFALLS.md).
    env.set_default("DATABASE_POOL", "false")

app = Celery("devsky")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_process_init.connect
def _leave_sigterm_to_the_main_process(**_kwargs: object) -> None:
    """Pool children ignore SIGTERM, so a supervisor that signals the whole process group (honcho, systemd's
    default KillMode) still gets a warm shutdown: the main process stops taking tasks and waits for the
    children to finish the ones they run (Celery ignores SIGINT in children for the same reason). The cost: a
    cold shutdown (SIGQUIT) also waits for running tasks, up to their time limit; SIGKILL stops everything."""
    if current_process().name != "MainProcess":  # the solo pool sends this signal in the main process too
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
