"""Pagination for big collections: keyset (cursor) pages stay fast however deep the client reads."""

from __future__ import annotations

import base64
import json
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q, QuerySet
from rest_framework import pagination
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param


class CursorPagination(pagination.CursorPagination):
    """DRF's cursor pages (``page_size`` up to 500) for lists ordered by a (nearly) unique key."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
    ordering = "-pk"
    invalid_cursor_message = "Invalid cursor."

    def decode_cursor(self, request: Request) -> Any:
        try:
            cursor = super().decode_cursor(request)
        except NotFound:
            raise ValidationError({"cursor": [self.invalid_cursor_message]}) from None
        if cursor is not None and cursor.position is not None and "\x00" in cursor.position:
            raise ValidationError({"cursor": [self.invalid_cursor_message]})
        return cursor


class KeysetPagination(pagination.BasePagination):
    """Exact keyset pages over (sort field, id): ``WHERE (f, id) < (last f, last id)`` on an index.

    Unlike an offset, the cost of a page does not grow with its depth, and ties in the sort field never
    repeat or skip rows. The sort comes from ``?ordering=`` (one of the view's ``ordering_fields``,
    ``-`` for descending) or the view's ``ordering``; ``id`` always breaks ties in the same direction.
    Links: ``next`` (and ``previous`` back to the first page when a cursor was given).
    """

    page_size = 50
    max_page_size = 500
    page_size_query_param = "page_size"
    cursor_query_param = "cursor"

    def paginate_queryset(self, queryset: QuerySet, request: Request, view: Any = None) -> list[Any]:
        self.request = request
        self.page_size = self._page_size(request)
        field, descending = self._sort(request, view)
        self.field, self.descending = field, descending
        prefix = "-" if descending else ""
        queryset = queryset.order_by(f"{prefix}{field}", f"{prefix}id")
        self.cursor_given = self.cursor_query_param in request.query_params
        if self.cursor_given:
            value, last_id = self._decode(request.query_params[self.cursor_query_param], queryset.model)
            # The leading bound adds nothing logically (the OR implies it), but it is what lets PostgreSQL
            # start the index scan at the cursor: with the OR alone it walks every row before the page.
            if descending:
                queryset = queryset.filter(
                    Q(**{f"{field}__lte": value}),
                    Q(**{f"{field}__lt": value}) | Q(**{field: value, "id__lt": last_id}),
                )
            else:
                queryset = queryset.filter(
                    Q(**{f"{field}__gte": value}),
                    Q(**{f"{field}__gt": value}) | Q(**{field: value, "id__gt": last_id}),
                )
        rows = list(queryset[: self.page_size + 1])
        self.has_next = len(rows) > self.page_size
        self.page = rows[: self.page_size]
        return self.page

    def get_paginated_response(self, data: Any) -> Response:
        return Response({"next": self._next_link(), "previous": self._previous_link(), "results": data})

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        return {
            "type": "object",
            "required": ["results"],
            "properties": {
                "next": {"type": "string", "nullable": True, "format": "uri"},
                "previous": {"type": "string", "nullable": True, "format": "uri"},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "schema": {"type": "string"},
                "description": "The `next` link's cursor.",
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size},
            },
        ]

    def _page_size(self, request: Request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            size = 0
        if not 1 <= size <= self.max_page_size:
            raise ValidationError({"page_size": [f"Must be an integer from 1 to {self.max_page_size}."]})
        return size

    def _sort(self, request: Request, view: Any) -> tuple[str, bool]:
        allowed = list(getattr(view, "ordering_fields", []) or [])
        raw = request.query_params.get("ordering")
        if raw is None:
            default = (getattr(view, "ordering", None) or ("-id",))[0]
            return default.lstrip("-"), default.startswith("-")
        name = raw.strip()
        if name.lstrip("-") not in allowed or "," in name:
            raise ValidationError({"ordering": [f"Sort by one of: {', '.join(allowed)} (prefix - for descending)."]})
        return name.lstrip("-"), name.startswith("-")

    def _encode(self, row: Any) -> str:
        value = getattr(row, self.field)
        payload = {
            "v": value.isoformat() if hasattr(value, "isoformat") else value,
            "id": row.pk,
            "f": self.field,
            "d": self.descending,
        }
        return base64.urlsafe_b64encode(json.dumps(payload).encode()).decode()

    def _decode(self, token: str, model: Any) -> tuple[Any, int]:
        try:
            payload = json.loads(base64.urlsafe_b64decode(token.encode()))
            if payload["f"] != self.field or payload["d"] != self.descending:
                raise ValueError("the cursor belongs to another ordering")
            value = model._meta.get_field(self.field).to_python(payload["v"])
            last_id = int(payload["id"])
            if isinstance(value, str) and "\x00" in value:
                raise ValueError("NUL")
        except (ValueError, TypeError, KeyError, json.JSONDecodeError, DjangoValidationError, FieldDoesNotExist):
            raise ValidationError({"cursor": ["Invalid cursor."]}) from None
        return value, last_id

    def _next_link(self) -> str | None:
        if not self.has_next or not self.page:
            return None
        url = self.request.build_absolute_uri()
        return replace_query_param(url, self.cursor_query_param, self._encode(self.page[-1]))

    def _previous_link(self) -> str | None:
        if not self.cursor_given:
            return None
        return remove_query_param(self.request.build_absolute_uri(), self.cursor_query_param)
