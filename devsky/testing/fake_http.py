"""A local HTTP server that plays a third-party service in tests: started on a free loopback port, it
answers each path from a script of responses (status, JSON or raw body, headers, delay) and records
every request it receives (method, path, query, headers, body)."""

from __future__ import annotations

import json
import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass
class Reply:
    status: int = 200
    json: Any = None
    body: bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0

    def encoded(self) -> tuple[bytes, str]:
        if self.body is not None:
            return self.body, self.headers.get("Content-Type", "application/octet-stream")
        return json.dumps(self.json if self.json is not None else {}).encode(), "application/json"


@dataclass
class Received:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes


class FakeService:
    """``with FakeService() as service: service.script("/stats", Reply(500), Reply(json={...}))``.

    Each request to a path takes the next scripted reply; the last one repeats. Unknown paths get 404.
    """

    def __init__(self) -> None:
        self.requests: list[Received] = []
        self._scripts: dict[str, deque[Reply]] = defaultdict(deque)
        self._lock = threading.Lock()
        self.arrived = threading.Condition()
        service = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                parts = urlsplit(self.path)
                received = Received(self.command, parts.path, parse_qs(parts.query), dict(self.headers), body)
                with service.arrived:  # recorded before answering: a client that got its answer finds it here
                    service.requests.append(received)
                    service.arrived.notify_all()
                reply = service._next(parts.path)
                if reply.delay:
                    time.sleep(reply.delay)
                payload, content_type = reply.encoded()
                try:
                    self.send_response(reply.status)
                    self.send_header("Content-Type", content_type)
                    self.send_header("Content-Length", str(len(payload)))
                    for name, value in reply.headers.items():
                        if name.lower() != "content-type":
                            self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a timeout test)

            do_GET = do_POST = do_PUT = _handle

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def script(self, path: str, *replies: Reply) -> None:
        with self._lock:
            self._scripts[path] = deque(replies)

    def _next(self, path: str) -> Reply:
        with self._lock:
            queue = self._scripts.get(path)
            if not queue:
                return Reply(404, json={"error": "not found"})
            return queue.popleft() if len(queue) > 1 else queue[0]

    def wait_for(self, count: int, timeout: float = 20.0) -> list[Received]:
        """Block until ``count`` requests arrived (or the timeout passed); returns them."""
        deadline = time.monotonic() + timeout
        with self.arrived:
            while len(self.requests) < count and time.monotonic() < deadline:
                self.arrived.wait(timeout=max(0.0, deadline - time.monotonic()))
            return list(self.requests)

    def __enter__(self) -> FakeService:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
