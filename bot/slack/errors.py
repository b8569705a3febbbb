"""What a person sees when something fails: a short apology in their language with a
reference to find the log line, never a traceback."""

from __future__ import annotations

import json
import logging
import uuid
from typing import Any

from slack_bolt import BoltContext, BoltResponse
from slack_bolt.context.respond import Respond

from bot.i18n import DEFAULT_LOCALE
from bot.slack.middleware import REQUESTER
from bot.slack.views.errors import internal_error

log = logging.getLogger(__name__)


def handle_error(
    error: Exception, body: dict[str, Any], context: BoltContext, respond: Respond | None
) -> BoltResponse | None:
    reference = uuid.uuid4().hex[:8]
    log.error(
        "request failed (reference %s, type %s)",
        reference,
        body.get("type") or body.get("command") or "unknown",
        exc_info=error,
    )
    requester = context.get(REQUESTER)
    message = internal_error(requester.locale if requester else DEFAULT_LOCALE, reference)
    if body.get("command"):
        # A slash command not yet acknowledged: the apology is the acknowledgement.
        return BoltResponse(
            status=200,
            body=json.dumps({"response_type": "ephemeral", **message}),
            headers={"content-type": "application/json"},
        )
    if respond is not None and body.get("response_url"):
        respond(replace_original=False, response_type="ephemeral", **message)
    return None
