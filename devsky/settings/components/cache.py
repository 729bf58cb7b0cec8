"""Cache: local memory by default; Redis (django-redis) when REDIS_URL is set.

Redis errors never become 500s: short socket timeouts and IGNORE_EXCEPTIONS make a Redis outage a
cache miss, and the API keeps serving from the database (DESIGN.md §11).
"""

from devsky import env

REDIS_URL = env.get_str("REDIS_URL", "")
CACHE_KEY_PREFIX = env.get_str("DEVSKY_CACHE_PREFIX", "devsky")

if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": CACHE_KEY_PREFIX,
            "OPTIONS": {
                "CLIENT_CLASS": "django_redis.client.DefaultClient",
                "SOCKET_CONNECT_TIMEOUT": env.get_float("REDIS_SOCKET_CONNECT_TIMEOUT", 0.2),
                "SOCKET_TIMEOUT": env.get_float("REDIS_SOCKET_TIMEOUT", 0.2),
                "IGNORE_EXCEPTIONS": True,
            },
        }
    }
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
    DJANGO_REDIS_LOGGER = "devsky.cache"
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "devsky",
            "KEY_PREFIX": CACHE_KEY_PREFIX,
        }
    }
