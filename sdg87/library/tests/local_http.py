"""Real HTTP servers on 127.0.0.1 for the harvester and SSRF-guard tests (no network).

:func:`serving` gives a threaded server on a free loopback port whose
routes a test sets (``server.route("/feed", handler)``) and which records every request
(``server.requests``), so a test can prove that a refused URL was never contacted.
"""

from __future__ import annotations

import gzip
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

Handler = Callable[["Request"], None]


@dataclass
class Request:
    """One request as the server saw it, with the means to answer it."""

    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    handler: BaseHTTPRequestHandler = field(repr=False)

    def arg(self, name: str) -> str:
        return self.query.get(name, [""])[0]

    def respond(
        self,
        body: bytes | str = b"",
        *,
        status: int = 200,
        content_type: str = "text/xml; charset=utf-8",
        headers: dict[str, str] | None = None,
    ) -> None:
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.handler.send_response(status)
        self.handler.send_header("Content-Type", content_type)
        self.handler.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.handler.send_header(name, value)
        self.handler.end_headers()
        self.handler.wfile.write(data)

    def redirect(self, location: str, status: int = 302) -> None:
        self.respond(b"", status=status, headers={"Location": location})


class LocalServer:
    def __init__(self) -> None:
        self.routes: dict[str, Handler] = {}
        self.requests: list[Request] = []
        server = self

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                request = Request(
                    path=parts.path,
                    query=parse_qs(parts.query),
                    headers={name.lower(): value for name, value in self.headers.items()},
                    handler=self,
                )
                server.requests.append(request)
                route = server.routes.get(parts.path)
                try:
                    if route is None:
                        request.respond(b"not found", status=404, content_type="text/plain")
                    else:
                        route(request)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (size or time limit): expected in these tests

            def log_message(self, format: str, *args: object) -> None:
                return None

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def endpoint(self) -> str:
        return f"127.0.0.1:{self.port}"

    def url(self, path: str = "/") -> str:
        return f"http://{self.endpoint}{path}"

    def route(self, path: str, handler: Handler) -> None:
        self.routes[path] = handler

    def paths(self) -> list[str]:
        return [request.path for request in self.requests]

    def start(self) -> LocalServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def serving() -> Iterator[LocalServer]:
    """A started server, stopped afterwards; a test module's fixture yields from it::

    @pytest.fixture
    def local_server():
        yield from serving()
    """
    server = LocalServer().start()
    try:
        yield server
    finally:
        server.stop()


# --- hostile answers ----------------------------------------------------------------


def endless_body(request: Request) -> None:
    """200 with no Content-Length and a body that never ends (chunks of 64 KiB)."""
    handler = request.handler
    handler.send_response(200)
    handler.send_header("Content-Type", "text/xml")
    handler.send_header("Connection", "close")
    handler.end_headers()
    chunk = b"<a>" + b"x" * 65_536 + b"</a>"
    for _ in range(10_000):
        handler.wfile.write(chunk)


def trickle(request: Request) -> None:
    """Headers at once, then one byte every 0.2 s (beats a read timeout, not a deadline)."""
    handler = request.handler
    handler.send_response(200)
    handler.send_header("Content-Type", "text/xml")
    handler.send_header("Content-Length", "1000")
    handler.end_headers()
    for _ in range(1000):
        handler.wfile.write(b" ")
        handler.wfile.flush()
        time.sleep(0.2)


def silent(request: Request) -> None:
    """Accept the request and say nothing for a long while."""
    time.sleep(5)


def gzip_bomb(size: int) -> Handler:
    compressed = gzip.compress(b"\0" * size)

    def answer(request: Request) -> None:
        request.respond(compressed, headers={"Content-Encoding": "gzip"})

    return answer
