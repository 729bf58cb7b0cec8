"""Settings shared by every profile. Values that vary between machines come from devsky.env."""

from pathlib import Path

from devsky import env

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env.get_str("DEVSKY_VAR_DIR", str(BASE_DIR / "var")))

DEVSKY_PROFILE = "base"  # each profile module names itself
SECRET_KEY = env.get_str("DJANGO_SECRET_KEY", "local-development-only-key-not-for-production-use-4b1d2c9e")
DEBUG = env.get_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env.get_list("DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.get_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "daphne",  # `manage.py runserver` serves HTTP and WebSockets (ASGI); production uses its own servers
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    # third party
    "rest_framework",
    "rest_framework_simplejwt.token_blacklist",
    "oauth2_provider",
    "rest_framework_api_key",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "import_export",
    "channels",
    "django_prometheus",
    "simple_history",
    # project
    "devsky.apps.DevskyConfig",
    "orchestration.apps.OrchestrationConfig",
    "partnerships.apps.PartnershipsConfig",
    "content.apps.ContentConfig",
    "analytics.apps.AnalyticsConfig",
    "communication.apps.CommunicationConfig",
    "integrations.apps.IntegrationsConfig",
]

# Project apps in dependency order; seed_demo walks them in this order.
PROJECT_APPS = ["devsky", "partnerships", "orchestration", "content", "analytics", "communication", "integrations"]

MIDDLEWARE = [
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "devsky.middleware.RequestIdMiddleware",
    "devsky.middleware.ProbeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "devsky.middleware.ProblemDetailsMiddleware",
    "devsky.api.throttling.RateLimitHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # the audit log takes its user from the request (DRF puts the API principal there too)
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "devsky.urls"
WSGI_APPLICATION = "devsky.wsgi.application"
ASGI_APPLICATION = "devsky.asgi.application"

# Every API route answers with and without a trailing slash itself; never redirect (POST bodies would be lost).
APPEND_SLASH = False

# Where the OAuth 2.0 authorization-code flow sends a user who is not logged in.
LOGIN_URL = "/accounts/login/"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env.get_str("DJANGO_STATIC_ROOT", str(VAR_DIR / "static")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# How long a stored Idempotency-Key response is replayed (DESIGN.md §9), and after how long a request
# that never finished (a crashed process) stops blocking its key.
IDEMPOTENCY_TTL_SECONDS = env.get_int("DEVSKY_IDEMPOTENCY_TTL_SECONDS", 24 * 3600)
IDEMPOTENCY_LOCK_SECONDS = env.get_int("DEVSKY_IDEMPOTENCY_LOCK_SECONDS", 60)

# Where people reach this deployment (links in e-mails, e.g. unsubscribe).
DEVSKY_PUBLIC_URL = env.get_str("DEVSKY_PUBLIC_URL", "http://127.0.0.1:8000")

# How long before a meeting its reminder e-mail goes out.
DEVSKY_MEETING_REMINDER_MINUTES = env.get_int("DEVSKY_MEETING_REMINDER_MINUTES", 30)

# The HTTP benchmark's bare Django view (devsky/bench.py) answers only when this is on.
DEVSKY_BENCH_BARE_VIEW = env.get_bool("DEVSKY_BENCH_BARE_VIEW", False)

# Readiness checks fail fast rather than hang a probe.
READINESS_TIMEOUT_SECONDS = env.get_float("DEVSKY_READINESS_TIMEOUT_SECONDS", 2.0)

from devsky.settings.components.auth import *  # noqa: E402, F403
from devsky.settings.components.cache import *  # noqa: E402, F403
from devsky.settings.components.celery import *  # noqa: E402, F403
from devsky.settings.components.channels import *  # noqa: E402, F403
from devsky.settings.components.database import *  # noqa: E402, F403
from devsky.settings.components.drf import *  # noqa: E402, F403
from devsky.settings.components.email import *  # noqa: E402, F403
from devsky.settings.components.integrations import *  # noqa: E402, F403
from devsky.settings.components.logging import *  # noqa: E402, F403

# The audit log (django-simple-history, devsky/audit.py): the admin shows it, but never reverts from it —
# a revert would skip the services that record progress history, publish events and invalidate caches.
SIMPLE_HISTORY_REVERT_DISABLED = True
