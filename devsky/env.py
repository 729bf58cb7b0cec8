"""The only module that reads the process environment.

Every setting that can change between machines comes from here, so a reader can see in one
place what the deployment can tune, and nothing else in the code base calls ``os.environ``.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TypeVar

from django.core.exceptions import ImproperlyConfigured

PROFILES = ("local", "test", "production")
T = TypeVar("T", int, float)
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def get_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def get_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false), got {raw!r}")


def _get_number(name: str, default: T, cast: Callable[[str], T], kind: str) -> T:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return cast(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be {kind}, got {raw!r}") from None


def get_int(name: str, default: int) -> int:
    return _get_number(name, default, int, "an integer")


def get_float(name: str, default: float) -> float:
    return _get_number(name, default, float, "a number")


def get_list(name: str, default: list[str] | None = None) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return list(default or [])
    return [item.strip() for item in raw.split(",") if item.strip()]


def profile() -> str:
    """The settings profile: ``DJANGO_ENV`` (local by default)."""
    value = get_str("DJANGO_ENV", "local").strip().lower() or "local"
    if value not in PROFILES:
        raise ImproperlyConfigured(f"DJANGO_ENV must be one of {', '.join(PROFILES)}, got {value!r}")
    return value


def settings_module() -> str:
    """The settings module for the current profile, unless DJANGO_SETTINGS_MODULE names one."""
    return os.environ.get("DJANGO_SETTINGS_MODULE") or f"devsky.settings.{profile()}"


def use_settings_module() -> None:
    """Point Django at the profile's settings; called by manage.py, wsgi, asgi and celery."""
    os.environ["DJANGO_SETTINGS_MODULE"] = settings_module()


def require(*names: str, reason: str) -> None:
    """Fail at start-up, naming every missing variable at once."""
    missing = [name for name in names if not os.environ.get(name, "").strip()]
    if missing:
        raise ImproperlyConfigured(f"{', '.join(missing)} must be set: {reason}")


def set_default(name: str, value: str) -> None:
    """Used by process entry points (e.g. the Celery worker) to choose a default before settings load."""
    os.environ.setdefault(name, value)


#: Collector credentials referenced from the environment must carry this prefix, so a collector
#: configured in the admin can never read (and send away) any other variable, such as the secret key.
CREDENTIAL_PREFIX = "DEVSKY_CREDENTIAL_"


def get_credential(name: str) -> str | None:
    """The value of a ``DEVSKY_CREDENTIAL_*`` variable, or None when unset (other names are refused)."""
    if not name.startswith(CREDENTIAL_PREFIX):
        raise ValueError(f"Credential variables must start with {CREDENTIAL_PREFIX}.")
    return os.environ.get(name)


def for_child_process(**overrides: str) -> dict[str, str]:
    """This process's environment with ``overrides``, for a process it starts (benchmark servers)."""
    return {**os.environ, **overrides}
