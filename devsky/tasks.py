"""Housekeeping tasks of the API machinery."""

from celery import shared_task

from devsky.api.idempotency import idempotency_purge_expired


@shared_task(name="devsky.purge_idempotency_records")
def purge_idempotency_records() -> int:
    return idempotency_purge_expired()


@shared_task(name="devsky.ping")
def ping() -> str:
    """Round trip through the broker and a worker: operators run `celery -A devsky call devsky.ping`."""
    return "pong"
