"""Django REST framework and drf-spectacular: the API conventions every endpoint shares."""

from devsky import env

REST_FRAMEWORK = {
    # The first class's challenge goes into WWW-Authenticate on 401.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "devsky.api.authentication.JWTAuthentication",
        "devsky.api.authentication.ApiKeyAuthentication",
        "devsky.api.authentication.OAuth2Authentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["devsky.api.policy.PolicyPermission"],
    "DEFAULT_THROTTLE_CLASSES": ["devsky.api.throttling.PolicyRateThrottle"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "devsky.api.pagination.CursorPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "devsky.api.exceptions.problem_exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "COERCE_DECIMAL_TO_STRING": False,
    "NUM_PROXIES": env.get_int("DJANGO_NUM_PROXIES", 0),
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "URL_FORMAT_OVERRIDE": None,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "DevSky Orchestration API",
    "DESCRIPTION": (
        "Control room of four AI partnerships: health, KPIs, deliverables, decisions, content, "
        "influencers, reports and meetings. Errors are RFC 9457 problem details "
        "(`application/problem+json`) with `errors` per field and the `request_id`."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "DeliverableStateEnum": "partnerships.choices.DeliverableState",
        "InfluencerStatusEnum": "content.choices.InfluencerStatus",
        "HealthLevelEnum": ["excellent", "good", "fair", "poor", "unknown"],
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "devsky.api.schema.postprocess_problem_responses",
    ],
}
