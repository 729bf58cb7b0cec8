"""Outgoing HTTP for collectors: timeouts, retries with exponential backoff on 5xx and network errors,
``Retry-After`` respected on 429, no retry on other 4xx, and JSON bodies checked.

Built on httpx. ``Fetcher`` counts every request it sends, so a run can record how many it took.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Any

import httpx
from django.conf import settings
from django.utils import timezone

USER_AGENT = "DevSky-Orchestration-Collector/1.0"


class FetchError(Exception):
    """A source did not give a usable answer; ``status`` is the last HTTP status, if any."""

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


def retry_after_seconds(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (delta seconds or an HTTP date); None when absent/invalid."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, (when - timezone.now()).total_seconds())


@dataclass
class Fetcher:
    """GETs JSON with the project's retry policy. ``sleep`` is replaceable (tests pass a recorder)."""

    timeout: float = field(default_factory=lambda: settings.DEVSKY_HTTP_TIMEOUT_SECONDS)
    max_attempts: int = field(default_factory=lambda: settings.DEVSKY_HTTP_MAX_ATTEMPTS)
    backoff: float = field(default_factory=lambda: settings.DEVSKY_HTTP_BACKOFF_SECONDS)
    max_retry_after: float = field(default_factory=lambda: settings.DEVSKY_HTTP_MAX_RETRY_AFTER_SECONDS)
    sleep: Callable[[float], None] = time.sleep
    requests: int = 0
    last_status: int | None = None

    def get_json(self, url: str, *, headers: dict[str, str] | None = None, params: dict[str, Any] | None = None) -> Any:
        headers = {"Accept": "application/json", "User-Agent": USER_AGENT, **(headers or {})}
        last_error = "no attempt made"
        with httpx.Client(timeout=self.timeout, follow_redirects=False) as client:
            for attempt in range(1, max(1, self.max_attempts) + 1):
                delay = self.backoff * 2 ** (attempt - 1)
                self.requests += 1
                try:
                    response = client.get(url, headers=headers, params=params)
                except httpx.TimeoutException:
                    last_error = f"timed out after {self.timeout:g} s"
                except httpx.HTTPError as error:
                    last_error = f"{type(error).__name__}: {error}"
                else:
                    self.last_status = response.status_code
                    if response.status_code == 429:
                        wait = retry_after_seconds(response.headers.get("Retry-After"))
                        last_error = "rate limited (429)"
                        if wait is not None:
                            if wait > self.max_retry_after:
                                raise FetchError(
                                    f"rate limited (429); Retry-After {wait:g} s is longer than we wait",
                                    status=429,
                                )
                            delay = wait
                    elif response.status_code >= 500:
                        last_error = f"server error {response.status_code}"
                    elif response.status_code >= 400:
                        raise FetchError(
                            f"client error {response.status_code}: {response.text[:200]}", status=response.status_code
                        )
                    elif response.status_code >= 300:
                        raise FetchError(f"unexpected redirect {response.status_code}", status=response.status_code)
                    else:
                        try:
                            return response.json()
                        except (json.JSONDecodeError, UnicodeDecodeError):
                            raise FetchError(
                                f"malformed answer: not JSON ({response.text[:80]!r})", status=response.status_code
                            ) from None
                if attempt < self.max_attempts:
                    self.sleep(delay)
        raise FetchError(f"gave up after {self.max_attempts} attempts: {last_error}", status=self.last_status)
