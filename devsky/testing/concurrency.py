"""Fire calls at the same instant from several threads (each with its own database connection)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from django.db import close_old_connections

T = TypeVar("T")


def run_concurrently(call: Callable[..., T], arguments: Sequence[tuple[Any, ...]], timeout: float = 60) -> list[T]:
    """Run ``call(*args)`` for each tuple in its own thread, all released together; results in order.

    An exception in any call is raised here.
    """
    barrier = threading.Barrier(len(arguments), timeout=timeout)

    def worker(args: tuple[Any, ...]) -> T:
        try:
            barrier.wait()
            return call(*args)
        finally:
            close_old_connections()

    with ThreadPoolExecutor(max_workers=len(arguments)) as pool:
        futures = [pool.submit(worker, args) for args in arguments]
        return [future.result(timeout=timeout) for future in futures]
