"""Pagination for big collections: keyset (cursor) pages stay fast however deep the client reads."""

from rest_framework import pagination


class CursorPagination(pagination.CursorPagination):
    """Opaque ``cursor`` links; ``page_size`` up to 500. Views set ``ordering`` to an indexed, unique key."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
    ordering = "-pk"
