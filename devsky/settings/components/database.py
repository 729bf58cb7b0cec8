"""Database: SQLite file by default; PostgreSQL (psycopg 3) when DATABASE_URL is set."""

from pathlib import Path

import dj_database_url

from devsky import env

_BASE_DIR = Path(__file__).resolve().parents[3]
DATABASE_URL = env.get_str("DATABASE_URL", "")

if DATABASE_URL:
    _db = dj_database_url.parse(DATABASE_URL, conn_max_age=0, conn_health_checks=True)
    if _db["ENGINE"] == "django.db.backends.postgresql":
        _options = _db.setdefault("OPTIONS", {})
        _options.setdefault("connect_timeout", env.get_int("DATABASE_CONNECT_TIMEOUT", 5))
        # Django's psycopg pool serves web processes; Celery workers turn it off (devsky/celery.py),
        # because forked children must not share pooled sockets.
        if env.get_bool("DATABASE_POOL", True):
            _options["pool"] = {
                "min_size": env.get_int("DATABASE_POOL_MIN_SIZE", 1),
                "max_size": env.get_int("DATABASE_POOL_MAX_SIZE", 10),
                "timeout": env.get_float("DATABASE_POOL_TIMEOUT", 5.0),
            }
    DATABASES = {"default": _db}
else:
    _sqlite_path = Path(env.get_str("DEVSKY_SQLITE_PATH", str(_BASE_DIR / "var" / "db.sqlite3")))
    _sqlite_path.parent.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": _sqlite_path,
            "OPTIONS": {
                # WAL lets readers run beside a writer; IMMEDIATE takes the write lock up front so two
                # writers queue (up to the timeout) instead of failing with "database is locked".
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }
