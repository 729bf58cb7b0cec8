"""What big collections share: slim rows (``?fields=`` / ``?brief=1``) and streamed CSV export."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import Any

from django.http import StreamingHttpResponse
from rest_framework import renderers
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request

CSV_CHUNK = 2000


class DownloadRenderer(renderers.BaseRenderer):
    """Lets a download's media type through content negotiation; the view builds the body itself
    (errors are still problem+json, rendered by the exception handler)."""

    charset = "utf-8"

    def render(self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None) -> bytes:
        return b""


class CsvRenderer(DownloadRenderer):
    media_type = "text/csv"
    format = "csv"


def wants_format(request: Request, name: str) -> bool:
    """``?format=<name>``, or an Accept header that negotiated the renderer of that format."""
    return (
        request.query_params.get("format") == name
        or getattr(getattr(request, "accepted_renderer", None), "format", None) == name
    )


class _Echo:
    def write(self, value: str) -> str:
        return value


class CollectionMixin:
    """For list views over a ModelSerializer with FieldSelectionSerializerMixin.

    ``brief_fields`` names the slim row of ``?brief=1``; ``?fields=a,b`` picks any of the output fields.
    ``?format=csv`` or ``Accept: text/csv`` streams every filtered row (no pagination) as CSV.
    """

    brief_fields: tuple[str, ...] = ()
    renderer_classes = [renderers.JSONRenderer, CsvRenderer]

    def selected_fields(self) -> list[str] | None:
        request: Request = self.request
        if request.query_params.get("brief") in {"1", "true"}:
            return list(self.brief_fields)
        raw = request.query_params.get("fields")
        if raw is None:
            return None
        names = [name.strip() for name in raw.split(",") if name.strip()]
        available = set(self.get_serializer_class()().fields)
        unknown = sorted(set(names) - available)
        if not names or unknown:
            raise ValidationError(
                {
                    "fields": [
                        f"Unknown fields: {', '.join(unknown) or '(none given)'}; "
                        f"available: {', '.join(sorted(available))}."
                    ]
                }
            )
        return names

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        if self.request is not None and getattr(self, "action", None) in {"list", "retrieve"}:
            context["fields"] = self.selected_fields()
        return context

    def wants_csv(self) -> bool:
        return (
            self.request.query_params.get("format") == "csv"
            or getattr(getattr(self.request, "accepted_renderer", None), "format", None) == "csv"
        )

    def list(self, request: Request, *args: Any, **kwargs: Any):
        if not self.wants_csv():
            return super().list(request, *args, **kwargs)
        queryset = self.filter_queryset(self.get_queryset())
        serializer = self.get_serializer()
        columns = list(serializer.fields)
        response = StreamingHttpResponse(self._csv_rows(queryset, serializer, columns), content_type="text/csv")
        response["Content-Disposition"] = f'attachment; filename="{self.csv_filename}"'
        return response

    csv_filename = "export.csv"

    def _csv_rows(self, queryset: Any, serializer: Any, columns: list[str]) -> Iterator[str]:
        writer = csv.writer(_Echo())
        yield writer.writerow(columns)
        for instance in queryset.iterator(chunk_size=CSV_CHUNK):
            row = serializer.to_representation(instance)
            yield writer.writerow([_cell(row.get(column)) for column in columns])


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value  # no formula injection into spreadsheets
    return value
