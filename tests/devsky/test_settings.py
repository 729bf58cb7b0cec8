"""Settings profiles: the production profile is secure and refuses to start without its secrets."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DJANGO_ENV": "production",
    "DJANGO_SECRET_KEY": "a-production-secret-that-is-long-and-random-enough-0123456789-abcdefgh",
    "DJANGO_ALLOWED_HOSTS": "orchestration.example.com",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/devsky",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
}


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    base = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DATABASE_", "REDIS_"))}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env={**base, **env}, capture_output=True, text=True, timeout=120
    )


def test_production_refuses_to_start_without_secrets():
    result = manage("check", env={"DJANGO_ENV": "production"})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    for name in ("DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL"):
        assert name in result.stderr


def test_production_passes_check_deploy_without_warnings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_unknown_profile_is_a_clear_error():
    result = manage("check", env={"DJANGO_ENV": "staging"})
    assert result.returncode != 0
    assert "DJANGO_ENV must be one of" in result.stderr


@pytest.mark.parametrize(("value", "expected"), [("true", True), ("0", False), ("Yes", True), ("off", False)])
def test_boolean_variables(monkeypatch, value, expected):
    from devsky import env

    monkeypatch.setenv("SOME_FLAG", value)
    assert env.get_bool("SOME_FLAG", not expected) is expected


def test_malformed_boolean_is_a_clear_error(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    from devsky import env

    monkeypatch.setenv("SOME_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="SOME_FLAG must be a boolean"):
        env.get_bool("SOME_FLAG", False)


def test_production_trusts_one_proxy_for_client_addresses():
    code = "from django.conf import settings; print(settings.REST_FRAMEWORK['NUM_PROXIES'])"
    result = manage("shell", "-c", code, env=PRODUCTION)
    assert result.stdout.strip().splitlines()[-1] == "1", result.stderr


def test_seed_demo_refuses_production_without_consent():
    result = manage("seed_demo", env=PRODUCTION)
    assert result.returncode != 0
    assert "Refusing to load demo accounts into production" in result.stderr
