"""Identity: JWT (simplejwt), API keys, OAuth 2.0 (django-oauth-toolkit); rate limits per endpoint group."""

from datetime import timedelta

from devsky import env

SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(seconds=env.get_int("JWT_ACCESS_LIFETIME_SECONDS", 15 * 60)),
    "REFRESH_TOKEN_LIFETIME": timedelta(seconds=env.get_int("JWT_REFRESH_LIFETIME_SECONDS", 7 * 24 * 3600)),
    "ROTATE_REFRESH_TOKENS": True,
    "BLACKLIST_AFTER_ROTATION": True,
    "UPDATE_LAST_LOGIN": False,
    # Tokens carry a hash of the password hash: changing the password revokes every token issued before.
    "CHECK_REVOKE_TOKEN": True,
    "AUTH_HEADER_TYPES": ("Bearer",),
    "TOKEN_REFRESH_SERIALIZER": "devsky.api.auth_views.TokenRefreshInput",
}

OAUTH2_PROVIDER = {
    "SCOPES": {
        "read": "Read data",
        "write": "Create and change data",
        "delete": "Delete data",
        "configure": "Change the orchestration configuration",
    },
    "DEFAULT_SCOPES": ["read"],
    "PKCE_REQUIRED": True,
    "ACCESS_TOKEN_EXPIRE_SECONDS": env.get_int("OAUTH2_ACCESS_TOKEN_SECONDS", 3600),
    "REFRESH_TOKEN_EXPIRE_SECONDS": env.get_int("OAUTH2_REFRESH_TOKEN_SECONDS", 7 * 24 * 3600),
    "ROTATE_REFRESH_TOKEN": True,
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
    # OAuth 2.0 Security BCP (RFC 9700): no implicit or password grants, S256 PKCE only, tokens only in
    # the Authorization header, `iss` in authorization responses, tokens stored hashed.
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,
    "COMPLIANT_BCP_RFC9700_REFRESH_TOKEN": True,
    "COMPLIANT_BCP_RFC9700_REDIRECT_URI_SCHEME": True,
    "COMPLIANT_BCP_RFC9700_REDIRECT_URI_MATCHING": True,
    "COMPLIANT_BCP_RFC9700_PKCE_REQUIRED": True,
}

# Requests per minute for each principal (user or API key) in each endpoint group (DESIGN.md §10).
DEVSKY_RATE_LIMITS = {
    "metrics": env.get_int("DEVSKY_RATE_METRICS", 100),
    "decisions": env.get_int("DEVSKY_RATE_DECISIONS", 10),
    "content": env.get_int("DEVSKY_RATE_CONTENT", 50),
    "reports": env.get_int("DEVSKY_RATE_REPORTS", 20),
}
DEVSKY_RATE_DEFAULT = env.get_int("DEVSKY_RATE_DEFAULT", 300)
# Token endpoint: attempts per minute for one client IP + username, against password guessing.
DEVSKY_RATE_LOGIN = env.get_int("DEVSKY_RATE_LOGIN", 10)
# Rate limits can be switched off for fuzzing runs against a local server, never in production.
DEVSKY_RATE_LIMITS_ENABLED = env.get_bool("DEVSKY_RATE_LIMITS_ENABLED", True)
