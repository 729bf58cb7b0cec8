"""E-mail: printed to the console by default; SMTP when EMAIL_HOST is set."""

from devsky import env

EMAIL_HOST = env.get_str("EMAIL_HOST", "")
EMAIL_BACKEND = env.get_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_PORT = env.get_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env.get_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env.get_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env.get_bool("EMAIL_USE_TLS", True)
EMAIL_TIMEOUT = env.get_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = env.get_str("DEFAULT_FROM_EMAIL", "DevSky Orchestration <orchestration@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
