"""Logging set-up for the entry points: text or JSON lines, with credentials and pulse
payloads masked before anything is written.

The mask sits in the root handler, so it applies to every record written, ours and the
libraries' (Bolt and slack_sdk log whole request and response bodies at DEBUG). It masks
Slack tokens by their shape and the credentials it is given by value, and cuts short any
record that carries a pulse DM or comment (recognised by the pulse's action and callback
ids, which survive JSON and form encoding): those payloads hold the per-invite secret,
the answer chosen and the comment text. The handler masks a copy of each record, so a
handler added beside it (pytest's log capture, say) still gets the record as logged;
any other destination for the logs belongs in `configure_logging`, behind the mask.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import IO, Any
from urllib.parse import quote, quote_plus

from bot.slack import ids

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
MASK = "***"
PULSE_NOTE = "[pulse payload redacted]"

# xoxb- (bot), xoxp- (user), xoxa-, xoxr- (refresh), xoxe- / xoxe.xoxb- (rotating), xapp-.
SLACK_TOKEN = re.compile(r"(xox[a-z](?:\.xox[a-z])?|xapp)-[A-Za-z0-9-]+")
# Anything that names a pulse DM's buttons or the comment modal carries its secrets.
PULSE_MARKERS = (
    ids.PULSE_ANSWER_PREFIX.rstrip(":"),
    ids.PULSE_COMMENT,  # also the start of the comment modal's callback id
    "PulseButton",
)
# A pulse button's or comment's value on its own, plain or inside escaped JSON.
_Q = r'\\*"'  # a JSON quote, escaped any number of times over
PULSE_VALUE = re.compile(
    rf"\{{{_Q}r{_Q}:\s*\d+,\s*(?:{_Q}q{_Q}:\s*\d+,\s*{_Q}v{_Q}:\s*\d+,\s*)?"
    rf'{_Q}s{_Q}:\s*{_Q}[^"\\]*{_Q}\}}'
)
# Where the part of a pulse record worth keeping ends (a body or its parameters start).
_PAYLOAD_START = re.compile(r"[{,?=]|%7B", re.IGNORECASE)
_KEPT_PREFIX = 80
# Secrets shorter than this are not masked by value: masking "a" would garble everything.
MIN_SECRET_LENGTH = 6

_RECORD_FIELDS = frozenset(vars(logging.makeLogRecord({}))) | {"message", "asctime", "taskName"}


def configure_logging(
    level: str,
    fmt: str = "text",
    secrets: Iterable[str | None] = (),
    *,
    stream: IO[str] | None = None,
) -> logging.Handler:
    """Send every log record to `stream` (default stderr) as text lines or JSON lines,
    masking `secrets` and Slack tokens; returns the handler it installed on the root."""
    handler = RedactingHandler(Redactor(secrets), stream)
    handler.setFormatter(JsonFormatter() if fmt == "json" else logging.Formatter(TEXT_FORMAT))
    logging.basicConfig(level=level, handlers=[handler], force=True)
    # Alembic announces each of its plugins at INFO on import; that is noise here.
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)
    # SQL parameters and rows hold pulse answers and comments: LOG_LEVEL=DEBUG must not
    # switch on SQL logging through the root level (an engine's echo still can).
    logging.getLogger("sqlalchemy.engine").setLevel(logging.WARNING)
    return handler


class JsonFormatter(logging.Formatter):
    """One JSON object per record: time (ISO 8601, UTC), level, logger, message, then
    exc_info and stack_info as text when present, then the record's `extra` fields."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC)
            .isoformat(timespec="milliseconds")
            .replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["exc_info"] = record.exc_text
        if record.stack_info:
            entry["stack_info"] = self.formatStack(record.stack_info)
        for key, value in vars(record).items():
            if key not in _RECORD_FIELDS and not key.startswith("_"):
                entry[key if key not in entry else f"extra_{key}"] = value
        return json.dumps(entry, default=str)


class RedactingHandler(logging.StreamHandler):
    """Writes a masked copy of each record; the record itself is left as it was."""

    def __init__(self, redactor: Redactor, stream: IO[str] | None = None) -> None:
        super().__init__(stream)
        self.redactor = redactor

    def format(self, record: logging.LogRecord) -> str:
        copy = logging.makeLogRecord(vars(record))
        self.redactor.redact_record(copy)
        return super().format(copy)


class Redactor:
    """Masks Slack tokens and the given secrets in a record's message, arguments,
    exception text and extra fields, and reduces a record carrying a pulse payload to
    what came before the payload. Never drops a record."""

    def __init__(self, secrets: Iterable[str | None] = ()) -> None:
        variants = {
            variant
            for secret in secrets
            if secret and len(secret) >= MIN_SECRET_LENGTH
            for variant in (secret, quote(secret, safe=""), quote_plus(secret), _json(secret))
        }
        self._secrets = sorted(variants, key=len, reverse=True)  # longest first

    def redact_record(self, record: logging.LogRecord) -> None:
        """Rewrite `record` in place."""
        record.msg, record.args = self.redact(_message_of(record)), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        for key, value in list(vars(record).items()):
            if key in _RECORD_FIELDS or key.startswith("_"):
                continue
            if not isinstance(value, bool | int | float | type(None)):
                setattr(record, key, self._redact_value(value))

    def _redact_value(self, value: object) -> object:
        """A redacted copy of an extra field: lists and dicts stay JSON-shaped if they can."""
        if isinstance(value, list | tuple | dict):
            redacted = self.redact(json.dumps(value, default=str))
            try:
                return json.loads(redacted)
            except ValueError:  # cut short at a pulse payload
                return redacted
        return self.redact(str(value))

    def redact(self, text: str) -> str:
        if any(marker in text for marker in PULSE_MARKERS):
            text = _before_payload(text)
        text = PULSE_VALUE.sub("{" + PULSE_NOTE + "}", text)
        text = SLACK_TOKEN.sub(lambda token: f"{token.group(1)}-{MASK}", text)
        for secret in self._secrets:
            text = text.replace(secret, MASK)
        return text


def _message_of(record: logging.LogRecord) -> str:
    try:
        return record.getMessage()
    except Exception:  # arguments that do not fit the format: keep both, as text
        return f"{record.msg} {record.args!r}"


def _before_payload(text: str) -> str:
    first = min(text.find(marker) for marker in PULSE_MARKERS if marker in text)
    start = _PAYLOAD_START.search(text, 0, first)
    kept = text[: start.start() if start else first][:_KEPT_PREFIX].rstrip(" :-")
    return f"{kept} {PULSE_NOTE}" if kept else PULSE_NOTE


def _json(secret: str) -> str:
    return json.dumps(secret)[1:-1]
