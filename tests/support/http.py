"""A real HTTP server on loopback for a WSGI app, and a tiny client for tests."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from werkzeug.serving import make_server


@dataclass
class HttpResponse:
    status: int
    body: bytes
    headers: Mapping[str, str]

    def json(self) -> Any:
        return json.loads(self.body)

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")


@contextmanager
def serving(wsgi_app: Any) -> Iterator[str]:
    """Serve `wsgi_app` on a free loopback port; yields its base URL."""
    server = make_server("127.0.0.1", 0, wsgi_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)


def post(url: str, body: bytes, headers: Mapping[str, str]) -> HttpResponse:
    return _send(urllib.request.Request(url, data=body, headers=dict(headers), method="POST"))


def get(url: str) -> HttpResponse:
    return _send(urllib.request.Request(url, method="GET"))


def _send(request: urllib.request.Request) -> HttpResponse:
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return HttpResponse(response.status, response.read(), dict(response.headers))
    except urllib.error.HTTPError as error:
        return HttpResponse(error.code, error.read(), dict(error.headers))
