"""Integrations: metric collectors, alert escalation, outbound webhooks and the Prometheus exposition."""

from devsky import env

# Alerts climb one escalation level each time this many minutes pass while they stay open
# (level 1 after one delay, level 2 after two...). The levels come from the configuration document.
DEVSKY_ALERT_ESCALATION_MINUTES = env.get_float("DEVSKY_ALERT_ESCALATION_MINUTES", 30)
# Who hears about the last escalation level ("executive_escalation"); empty: recorded, no e-mail.
DEVSKY_EXECUTIVE_EMAILS = env.get_list("DEVSKY_EXECUTIVE_EMAILS", [])

# Outgoing HTTP of collectors and webhooks: per-request timeout, attempts and the first backoff delay.
DEVSKY_HTTP_TIMEOUT_SECONDS = env.get_float("DEVSKY_HTTP_TIMEOUT_SECONDS", 10.0)
DEVSKY_HTTP_MAX_ATTEMPTS = env.get_int("DEVSKY_HTTP_MAX_ATTEMPTS", 3)
DEVSKY_HTTP_BACKOFF_SECONDS = env.get_float("DEVSKY_HTTP_BACKOFF_SECONDS", 1.0)
# A 429's Retry-After longer than this ends the run (the next scheduled run tries again).
DEVSKY_HTTP_MAX_RETRY_AFTER_SECONDS = env.get_float("DEVSKY_HTTP_MAX_RETRY_AFTER_SECONDS", 60.0)

# Webhook deliveries: attempts (each a Celery retry with exponential backoff from this delay).
DEVSKY_WEBHOOK_MAX_ATTEMPTS = env.get_int("DEVSKY_WEBHOOK_MAX_ATTEMPTS", 6)
DEVSKY_WEBHOOK_BACKOFF_SECONDS = env.get_int("DEVSKY_WEBHOOK_BACKOFF_SECONDS", 10)

# Key that encrypts stored credentials and webhook secrets (Fernet); derived from SECRET_KEY when empty.
DEVSKY_FIELD_ENCRYPTION_KEY = env.get_str("DEVSKY_FIELD_ENCRYPTION_KEY", "")

# /metrics (Prometheus): a bearer token, an allow-list of client addresses, or both (either admits).
# Addresses count only for direct clients (no forwarding header). With neither set, loopback clients
# are admitted, except in the production profile (behind a local proxy every client looks like loopback).
DEVSKY_METRICS_TOKEN = env.get_str("DEVSKY_METRICS_TOKEN", "")
DEVSKY_METRICS_ALLOWED_IPS = env.get_list("DEVSKY_METRICS_ALLOWED_IPS", [])
DEVSKY_METRICS_LOOPBACK = env.get_bool("DEVSKY_METRICS_LOOPBACK", True)
