"""Celery: tasks run eagerly in-process by default; a real broker when REDIS_URL (or CELERY_BROKER_URL) is set."""

from celery.schedules import crontab

from devsky import env

_redis_url = env.get_str("REDIS_URL", "")
CELERY_BROKER_URL = env.get_str("CELERY_BROKER_URL", _redis_url or "memory://")
CELERY_RESULT_BACKEND = env.get_str("CELERY_RESULT_BACKEND", _redis_url) or None
CELERY_TASK_ALWAYS_EAGER = env.get_bool("CELERY_TASK_ALWAYS_EAGER", CELERY_BROKER_URL == "memory://")
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_DEFAULT_QUEUE = env.get_str("CELERY_TASK_DEFAULT_QUEUE", "devsky")
CELERY_TIMEZONE = "UTC"
CELERY_ENABLE_UTC = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_EXPIRES = 24 * 3600
# Tasks are idempotent and acknowledged after they finish, so a worker lost mid-task means a rerun,
# not a lost task. The visibility timeout must exceed the longest task, or Redis redelivers it early.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env.get_int("CELERY_TASK_TIME_LIMIT", 30 * 60)
CELERY_TASK_SOFT_TIME_LIMIT = env.get_int("CELERY_TASK_SOFT_TIME_LIMIT", 25 * 60)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.get_int("CELERY_VISIBILITY_TIMEOUT", 2 * 3600),
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"

# Periodic tasks, defined once here; django-celery-beat copies them into the database where staff
# can pause or re-time them in the admin. Each expires before its next run, so a backlog never piles up.
CELERY_BEAT_SCHEDULE = {
    # Each report just after its period closes (UTC); the task builds the latest finished period.
    "build-daily-report": {
        "task": "analytics.build_report",
        "schedule": crontab(minute=15, hour=0),
        "args": ["daily"],
        "options": {"expires": 6 * 3600},
    },
    "build-weekly-report": {
        "task": "analytics.build_report",
        "schedule": crontab(minute=30, hour=0, day_of_week="mon"),
        "args": ["weekly"],
        "options": {"expires": 12 * 3600},
    },
    "build-monthly-report": {
        "task": "analytics.build_report",
        "schedule": crontab(minute=45, hour=0, day_of_month="1"),
        "args": ["monthly"],
        "options": {"expires": 24 * 3600},
    },
    "send-meeting-reminders": {
        "task": "communication.send_meeting_reminders",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    # Alerts are also evaluated after each ingestion; this catches escalation delays and quiet KPIs.
    "evaluate-alerts": {
        "task": "orchestration.evaluate_alerts",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    # Collectors whose interval has passed are started (each run is its own task).
    "run-due-collectors": {
        "task": "integrations.run_due_collectors",
        "schedule": 15.0,
        "options": {"expires": 14},
    },
    # Webhook deliveries and alert e-mails whose task was lost (broker down, worker killed) go out again.
    "requeue-lost-work": {
        "task": "integrations.requeue_lost_work",
        "schedule": 300.0,
        "options": {"expires": 290},
    },
    "purge-idempotency-records": {
        "task": "devsky.purge_idempotency_records",
        "schedule": 3600.0,
        "options": {"expires": 3000},
    },
}
