"""HTTP answers: Slack's error bodies, and sending an answer while logging it."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from flask import Response

from slackemu.records import JSON, SlackError
from slackemu.webapi.calls import ApiCall
from slackemu.webapi.parts import EmulatorParts


@dataclass
class Answer:
    status: int
    body: JSON
    headers: dict[str, str] = field(default_factory=dict)
    # An HTML page sent instead of `body` (a proxy's error page); `body` is what is logged.
    page: str | None = None


def error_body(error: SlackError) -> JSON:
    body: JSON = {"ok": False, "error": error.error}
    if error.messages:
        body["response_metadata"] = {"messages": list(error.messages)}
    return body


def logged_response(
    emulator: EmulatorParts, method_name: str, args: JSON, answer: Answer, arrived: float
) -> Response:
    """The HTTP answer, recorded in the call log as it is sent."""
    body = answer.page if answer.page is not None else json.dumps(answer.body, ensure_ascii=False)
    error = answer.body.get("error")
    emulator.call_log.record(
        ApiCall(
            method_name,
            args,
            answer.status,
            body,
            arrived,
            ok=bool(answer.body.get("ok")),
            error=str(error) if error is not None else None,
        )
    )
    if answer.page is not None:
        response = Response(answer.page, status=answer.status, mimetype="text/html")
    else:
        response = Response(body, status=answer.status, mimetype="application/json")
    response.headers.update(answer.headers)
    return response
