"""Collector plug-ins: one class per kind of source, registered by name.

A plug-in declares ``kind``, a ``Settings`` serializer that validates the collector's ``settings``
(the admin and the run refuse the same documents), and ``collect()``, which returns samples as
``{"metric": <KPI key>, "value": <number>, "recorded_at": <datetime, optional>}``. The run hands them
to the same ingestion service as ``POST /api/v1/orchestration/metrics``, so caching, health, alerts and
events behave exactly as for any other sample. To add a source::

    @register
    class MySource(CollectorPlugin):
        kind = "my_source"
        label = "My source"

        class Settings(StrictInputSerializer):
            url = serializers.URLField()

        def collect(self, *, settings, credential, fetcher, partnership_id):
            data = fetcher.get_json(settings["url"], headers={"Authorization": f"Bearer {credential}"})
            return [{"metric": "social_engagement", "value": data["engagement"]}]
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from typing import Any, ClassVar

from django.db.models import Avg, Count, F, FloatField, Q, Sum
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from jsonpath_ng import parse as jsonpath_parse
from rest_framework import serializers

from devsky.api.fields import StrictIntegerField
from devsky.api.serializers import StrictInputSerializer
from integrations.http import Fetcher

REGISTRY: dict[str, type[CollectorPlugin]] = {}


class CollectorError(Exception):
    """The source answered, but not with what the collector's settings expect."""


def register(plugin: type[CollectorPlugin]) -> type[CollectorPlugin]:
    REGISTRY[plugin.kind] = plugin
    return plugin


def plugin_for(kind: str) -> CollectorPlugin:
    try:
        return REGISTRY[kind]()
    except KeyError:
        raise CollectorError(f"Unknown collector kind {kind!r}; known: {', '.join(sorted(REGISTRY))}.") from None


def kind_choices() -> list[tuple[str, str]]:
    return [(kind, plugin.label) for kind, plugin in sorted(REGISTRY.items())]


class CollectorPlugin:
    kind: ClassVar[str]
    label: ClassVar[str]
    needs_credential: ClassVar[bool] = False

    class Settings(StrictInputSerializer):
        pass

    def validate_settings(self, data: Any) -> dict[str, Any]:
        """The validated settings; raises ``serializers.ValidationError`` with field errors."""
        serializer = self.Settings(data=data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def collect(
        self, *, settings: dict[str, Any], credential: str, fetcher: Fetcher, partnership_id: str
    ) -> list[dict[str, Any]]:
        raise NotImplementedError


def _number(value: Any, *, where: str) -> float:
    """A finite JSON number (or a numeric string, as some APIs send); anything else is a CollectorError."""
    if isinstance(value, bool) or value is None:
        raise CollectorError(f"{where}: expected a number, got {value!r}.")
    if isinstance(value, str):
        try:
            value = float(value)
        except ValueError:
            raise CollectorError(f"{where}: expected a number, got {value!r}.") from None
    if not isinstance(value, int | float) or not math.isfinite(value):
        raise CollectorError(f"{where}: expected a finite number, got {value!r}.")
    return float(value)


def _jsonpath(expression: str):
    try:
        return jsonpath_parse(expression)
    except Exception as error:  # noqa: BLE001 - jsonpath-ng raises plain Exceptions besides JSONPathError
        raise serializers.ValidationError(f"Not a JSONPath expression: {error}") from None


class JsonPathField(serializers.CharField):
    def to_internal_value(self, data: Any) -> str:
        value = super().to_internal_value(data)
        _jsonpath(value)
        return value


@register
class HttpJsonCollector(CollectorPlugin):
    """Any analytics service that answers JSON over HTTP: each KPI is read with a JSONPath expression.

    Settings: ``url``; ``mapping`` {KPI key: JSONPath, e.g. ``$.data.engagement``}, each expression must
    match exactly one number; optional ``timestamp_path`` (an ISO 8601 time for every sample, default
    now); optional ``query`` parameters; the credential goes into ``auth_header`` (default
    ``Authorization``) as ``<auth_scheme> <credential>`` (scheme default ``Bearer``; empty for a bare key).
    """

    kind = "http_json"
    label = "Generic JSON over HTTP"

    class Settings(StrictInputSerializer):
        url = serializers.URLField(max_length=500)
        mapping = serializers.DictField(child=JsonPathField(max_length=300), allow_empty=False)
        timestamp_path = JsonPathField(max_length=300, required=False, allow_blank=True, default="")
        query = serializers.DictField(child=serializers.CharField(max_length=300), required=False, default=dict)
        auth_header = serializers.CharField(max_length=64, required=False, default="Authorization")
        auth_scheme = serializers.CharField(max_length=32, required=False, allow_blank=True, default="Bearer")

    def collect(
        self, *, settings: dict[str, Any], credential: str, fetcher: Fetcher, partnership_id: str
    ) -> list[dict[str, Any]]:
        headers = {}
        if credential:
            scheme = settings.get("auth_scheme", "Bearer")
            headers[settings.get("auth_header", "Authorization")] = f"{scheme} {credential}".strip()
        data = fetcher.get_json(settings["url"], headers=headers, params=settings.get("query") or None)
        recorded_at = None
        if settings.get("timestamp_path"):
            raw = self._one(data, settings["timestamp_path"])
            recorded_at = parse_datetime(raw) if isinstance(raw, str) else None
            if recorded_at is None or recorded_at.tzinfo is None:
                raise CollectorError(
                    f"{settings['timestamp_path']}: expected an ISO 8601 time with a zone, got {raw!r}."
                )
        samples = []
        for metric, expression in settings["mapping"].items():
            value = _number(self._one(data, expression), where=expression)
            samples.append({"metric": metric, "value": value, **({"recorded_at": recorded_at} if recorded_at else {})})
        return samples

    @staticmethod
    def _one(data: Any, expression: str) -> Any:
        matches = [match.value for match in _jsonpath(expression).find(data)]
        if len(matches) != 1:
            raise CollectorError(f"{expression}: expected exactly one value in the answer, found {len(matches)}.")
        return matches[0]


@register
class InstagramCollector(CollectorPlugin):
    """Account and media insights in the shape of the Instagram Graph API.

    Reads ``GET {base_url}/{account_id}/media?fields=like_count,comments_count,timestamp&limit=N`` and
    writes ``social_engagement`` = mean likes + comments per post of those media (the KPI's unit is
    interactions per post). With ``insights`` {KPI key: insight name}, it also reads
    ``GET {base_url}/{account_id}/insights?metric=<names>&period=day`` and writes each insight's latest
    value. The credential is the access token, sent as ``Authorization: Bearer``.
    """

    kind = "instagram"
    label = "Instagram Graph API (account and media insights)"
    needs_credential = True

    class Settings(StrictInputSerializer):
        base_url = serializers.URLField(max_length=300, required=False, default="https://graph.facebook.com/v21.0")
        account_id = serializers.RegexField(r"^[0-9A-Za-z_]{1,64}$")
        media_limit = StrictIntegerField(min_value=1, max_value=100, required=False, default=25)
        insights = serializers.DictField(child=serializers.RegexField(r"^[a-z_]{1,64}$"), required=False, default=dict)

    def collect(
        self, *, settings: dict[str, Any], credential: str, fetcher: Fetcher, partnership_id: str
    ) -> list[dict[str, Any]]:
        base = f"{settings.get('base_url', 'https://graph.facebook.com/v21.0').rstrip('/')}/{settings['account_id']}"
        headers = {"Authorization": f"Bearer {credential}"} if credential else {}
        media = fetcher.get_json(
            f"{base}/media",
            headers=headers,
            params={"fields": "like_count,comments_count,timestamp", "limit": settings.get("media_limit", 25)},
        )
        posts = media.get("data") if isinstance(media, dict) else None
        if not isinstance(posts, list):
            raise CollectorError("media: expected {'data': [...]} in the answer.")
        samples = []
        if posts:
            interactions = [
                _number(post.get("like_count", 0), where=f"media[{i}].like_count")
                + _number(post.get("comments_count", 0), where=f"media[{i}].comments_count")
                for i, post in enumerate(posts)
                if isinstance(post, dict)
            ]
            if len(interactions) != len(posts):
                raise CollectorError("media: every item must be an object.")
            samples.append({"metric": "social_engagement", "value": round(sum(interactions) / len(interactions), 4)})
        wanted = settings.get("insights") or {}
        if wanted:
            answer = fetcher.get_json(
                f"{base}/insights",
                headers=headers,
                params={"metric": ",".join(sorted(set(wanted.values()))), "period": "day"},
            )
            rows = answer.get("data") if isinstance(answer, dict) else None
            if not isinstance(rows, list):
                raise CollectorError("insights: expected {'data': [...]} in the answer.")
            by_name = {row.get("name"): row for row in rows if isinstance(row, dict)}
            for metric, name in wanted.items():
                values = (by_name.get(name) or {}).get("values")
                if not isinstance(values, list) or not values or not isinstance(values[-1], dict):
                    raise CollectorError(f"insights: no values for {name!r}.")
                samples.append({"metric": metric, "value": _number(values[-1].get("value"), where=f"insights.{name}")})
        return samples


@register
class ContentLibraryCollector(CollectorPlugin):
    """Brand KPIs derived from our own content library and orders (no outside service).

    Over the pieces published in the last ``window_days`` (default 30) of the collector's partnership
    (pieces without a partnership count too):

    - ``social_engagement`` = mean interactions per piece = mean(engagement_rate / 100 * reach);
    - ``viral_coefficient`` = 1 + 2 * the share of pieces whose engagement rate is above 5 %;
    - ``social_revenue`` = percent of the partnership's order revenue in the window that is attributed
      to a content piece or an influencer (written only when there were orders).

    ``brand_sentiment`` needs a listening service, so it is left to another collector.
    """

    kind = "content_library"
    label = "Built in: brand KPIs from the content library"
    VIRAL_ENGAGEMENT_PERCENT = 5.0

    class Settings(StrictInputSerializer):
        window_days = StrictIntegerField(min_value=1, max_value=365, required=False, default=30)

    def collect(
        self, *, settings: dict[str, Any], credential: str, fetcher: Fetcher, partnership_id: str
    ) -> list[dict[str, Any]]:
        from analytics.models import Order
        from content.models import ContentPiece

        since: datetime = timezone.now() - timedelta(days=settings.get("window_days", 30))
        pieces = ContentPiece.objects.filter(published_at__gte=since).filter(
            Q(partnership_id=partnership_id) | Q(partnership__isnull=True)
        )
        stats = pieces.aggregate(
            count=Count("id"),
            interactions=Avg(F("engagement_rate") / 100.0 * Cast(F("reach"), FloatField())),
            viral=Count("id", filter=Q(engagement_rate__gt=self.VIRAL_ENGAGEMENT_PERCENT)),
        )
        samples = []
        if stats["count"]:
            samples.append({"metric": "social_engagement", "value": round(stats["interactions"], 4)})
            samples.append({"metric": "viral_coefficient", "value": round(1 + 2 * stats["viral"] / stats["count"], 4)})
        revenue = Order.objects.filter(partnership_id=partnership_id, placed_at__gte=since).aggregate(
            total=Sum("amount"),
            social=Sum("amount", filter=Q(content_piece__isnull=False) | Q(influencer__isnull=False)),
        )
        if revenue["total"]:
            share = 100 * float(revenue["social"] or 0) / float(revenue["total"])
            samples.append({"metric": "social_revenue", "value": round(share, 4)})
        return samples
