"""Walk the URL conf: every route, its full regex, a concrete sample path and its name."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver

SAMPLE_VALUES = ("1", "sample", "00000000-0000-4000-8000-000000000000")


@dataclass(frozen=True)
class Route:
    regex: str
    name: str | None
    callback_name: str

    def sample_path(self) -> str:
        """A concrete path the route matches, with each parameter replaced by a sample value."""
        pattern = re.compile(self.regex)
        template = self.regex.replace("^", "").replace("\\Z", "").replace("$", "")
        template = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"{\1}", template)
        template = template.replace("/?", "/").replace("\\", "")
        names = list(pattern.groupindex)
        for value in SAMPLE_VALUES:
            candidate = "/" + template.format(**dict.fromkeys(names, value))
            if pattern.match(candidate.lstrip("/")) or pattern.match(candidate.lstrip("/").rstrip("/")):
                return candidate
        raise AssertionError(f"no sample path for {self.regex}")


def _pattern_regex(pattern: URLPattern | URLResolver) -> str:
    return pattern.pattern.regex.pattern


def walk(resolver: URLResolver | None = None, prefix: str = "") -> Iterator[Route]:
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        regex = prefix + _pattern_regex(pattern).lstrip("^") if prefix else _pattern_regex(pattern)
        if isinstance(pattern, URLResolver):
            yield from walk(pattern, regex.rstrip("$").replace("\\Z", ""))
        else:
            callback = pattern.callback
            name = getattr(callback, "__qualname__", repr(callback))
            view_class = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
            if view_class is not None:
                name = view_class.__qualname__
            yield Route(regex=regex if regex.startswith("^") else "^" + regex, name=pattern.name, callback_name=name)
