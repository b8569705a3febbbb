"""What a request body from Slack is, read once at the HTTP edge: its kind (for the
metrics) and, if Slack could not have sent it, why not (answered 400 before Bolt)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs

from bot import metrics

_EVENT_KINDS = {"event_callback": metrics.EVENT, "url_verification": metrics.URL_VERIFICATION}


@dataclass(frozen=True)
class SlackBody:
    kind: str = metrics.UNKNOWN
    problem: str | None = None  # why Slack could not have sent it; None if it could


def read_slack_body(body: bytes, content_type: str | None) -> SlackBody:
    try:
        decoded = body.decode("utf-8")
    except UnicodeDecodeError:
        return SlackBody(problem="body is not UTF-8")
    media_type = (content_type or "").split(";")[0].strip().lower()
    if media_type == "application/json":
        data, problem = _json_object(decoded, "body")
        kind = _EVENT_KINDS.get(data.get("type"), metrics.UNKNOWN) if data else metrics.UNKNOWN
        return SlackBody(kind, problem)
    if media_type == "application/x-www-form-urlencoded":
        try:
            fields = parse_qs(decoded, strict_parsing=True, keep_blank_values=True)
        except ValueError:
            return SlackBody(problem="body is not form data")
        if "payload" in fields:
            payload, problem = _json_object(fields["payload"][0], "payload field")
            kind = payload.get("type") if payload else None
            return SlackBody(
                kind if kind in metrics.INTERACTIVE_KINDS else metrics.UNKNOWN, problem
            )
        if "command" in fields:
            return SlackBody(metrics.SLASH_COMMAND)
        if "ssl_check" in fields:
            return SlackBody(metrics.SSL_CHECK)
        return SlackBody()
    return SlackBody(problem=f"unsupported content type {media_type or 'none'}")


def _json_object(text: str, what: str) -> tuple[dict[str, Any] | None, str | None]:
    try:
        value = json.loads(text)
    except ValueError:
        return None, f"{what} is not JSON"
    if not isinstance(value, dict):
        return None, f"{what} is not a JSON object"
    return value, None
