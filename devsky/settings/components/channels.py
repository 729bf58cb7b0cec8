"""Channels layer: in memory by default (one process); Redis when REDIS_URL is set."""

from devsky import env

_redis_url = env.get_str("REDIS_URL", "")

if _redis_url:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [_redis_url], "prefix": env.get_str("DEVSKY_CACHE_PREFIX", "devsky") + ":channels"},
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
