"""A Web API client that keeps its connections open between calls.

slack_sdk's WebClient sends every call through urllib, which opens a new connection each
time: against slack.com a TCP and TLS handshake per message, and in a fan-out of
thousands of DMs most of the client's own work. This client sends the same requests
through urllib3's connection pool (a well-kept library; writing keep-alive, stale
connection detection and TLS reuse by hand is what it exists to spare us).

Everything else stays slack_sdk's: arguments, retry handlers, errors and responses. The
one method replaced is the one that performs a single HTTP request; it answers exactly
as urllib would, so slack_sdk cannot tell the difference:
- a status of 400 and above raises urllib's HTTPError (slack_sdk's 429 and 5xx handling
  expects it);
- a connection that fails raises URLError (slack_sdk's connection retry handler retries
  those), a read that times out raises TimeoutError (never retried, as with urllib: the
  message may have been posted).
"""

from __future__ import annotations

import io
from http.client import HTTPMessage
from typing import Any
from urllib.error import HTTPError, URLError
from urllib.request import Request

import urllib3
from slack_sdk import WebClient

DEFAULT_POOL_SIZE = 10


class PooledWebClient(WebClient):
    """A WebClient whose HTTP connections are kept alive, up to `pool_size` per host (one
    per thread that calls at the same time)."""

    def __init__(self, *args: Any, pool_size: int = DEFAULT_POOL_SIZE, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pool = urllib3.PoolManager(maxsize=pool_size, ssl_context=self.ssl)

    def _perform_urllib_http_request_internal(self, url: str, req: Request) -> dict[str, Any]:
        if self.proxy is not None or not url.lower().startswith("http"):
            return super()._perform_urllib_http_request_internal(url, req)
        try:
            response = self._pool.request(
                req.get_method(),
                url,
                body=req.data,  # type: ignore[arg-type]
                headers=dict(req.header_items()),
                timeout=self.timeout,
                retries=False,
                redirect=False,
            )
        except urllib3.exceptions.ReadTimeoutError as error:
            raise TimeoutError(str(error)) from error
        except urllib3.exceptions.HTTPError as error:
            raise URLError(error) from error
        headers = HTTPMessage()
        for name, value in response.headers.items():
            headers[name] = value
        if response.status >= 400:
            raise HTTPError(
                url, response.status, response.reason or "", headers, io.BytesIO(response.data)
            )
        if headers.get_content_type() == "application/gzip":
            return {"status": response.status, "headers": headers, "body": response.data}
        charset = headers.get_content_charset() or "utf-8"
        return {
            "status": response.status,
            "headers": headers,
            "body": response.data.decode(charset),
        }
