"""DevSky Orchestration: project wiring and the API machinery shared by every app."""

from devsky.celery import app as celery_app

__all__ = ["celery_app"]
