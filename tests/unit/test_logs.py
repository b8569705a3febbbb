"""Log lines: text or one JSON object per line, and never a credential or a pulse answer."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from datetime import datetime

import pytest

from bot.config import Settings
from bot.logs import JsonFormatter, Redactor, configure_logging
from bot.slack.views.pulse import PulseButton

BOT_TOKEN = "xoxb-1234567890-0987654321-AbCdEfGhIjKlMnOpQrStUvWx"
SIGNING_SECRET = "8f14e45fceea167a5a36dedd4bea2543"
SECRET_KEY = "k3y-for-the-pulse-Zx9Qm2Lr7Tn4Wp6Vb8Nc"


@pytest.fixture
def root_logging() -> Iterator[None]:
    """configure_logging replaces the root's handlers; put pytest's back afterwards."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    touched = [logging.getLogger(name) for name in ("alembic.runtime.plugins", "sqlalchemy.engine")]
    levels = [logger.level for logger in touched]
    yield
    root.handlers[:] = handlers
    root.setLevel(level)
    for logger, previous in zip(touched, levels, strict=True):
        logger.setLevel(previous)


def json_lines(stream: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def record(msg: str, *args: object, exc_info=None, **extra: object) -> logging.LogRecord:
    made = logging.LogRecord("bot.test", logging.INFO, __file__, 1, msg, args, exc_info)
    for key, value in extra.items():
        setattr(made, key, value)
    return made


def test_json_lines_carry_time_level_logger_message_and_extras(root_logging):
    stream = io.StringIO()
    configure_logging("INFO", "json", stream=stream)

    logging.getLogger("bot.test").info("job %s done", "digest", extra={"sent": 3, "team": "T1"})
    logging.getLogger("bot.test").debug("below the level")

    [line] = json_lines(stream)
    assert line["level"] == "INFO"
    assert line["logger"] == "bot.test"
    assert line["message"] == "job digest done"
    assert line["sent"] == 3 and line["team"] == "T1"
    assert line["time"].endswith("Z")
    assert datetime.fromisoformat(line["time"]).utcoffset().total_seconds() == 0


def test_an_exception_is_one_json_line_with_its_traceback_as_a_string(root_logging):
    stream = io.StringIO()
    configure_logging("INFO", "json", stream=stream)

    try:
        raise ValueError("first line\nsecond line")
    except ValueError:
        logging.getLogger("bot.test").exception("it failed")

    assert len(stream.getvalue().splitlines()) == 1
    [line] = json_lines(stream)
    assert line["message"] == "it failed"
    assert line["exc_info"].startswith("Traceback (most recent call last):")
    assert "ValueError: first line\nsecond line" in line["exc_info"]


def test_an_extra_named_like_a_core_field_does_not_replace_it():
    line = json.loads(JsonFormatter().format(record("hello", level="mine")))

    assert line["level"] == "INFO"
    assert line["extra_level"] == "mine"


def test_debug_does_not_switch_on_sql_logging_whose_parameters_hold_answers(root_logging):
    configure_logging("DEBUG", "json", stream=io.StringIO())

    assert logging.getLogger("bot.anything").isEnabledFor(logging.DEBUG)
    assert not logging.getLogger("sqlalchemy.engine.Engine").isEnabledFor(logging.INFO)


def test_text_is_the_default_format(root_logging):
    stream = io.StringIO()
    configure_logging("INFO", stream=stream)

    logging.getLogger("bot.test").info("plain %d", 1)

    assert stream.getvalue().rstrip().endswith("INFO bot.test: plain 1")


@pytest.mark.parametrize(
    "token",
    [
        BOT_TOKEN,
        "xoxp-1-2-3-abcdef",
        "xoxa-2-abc",
        "xoxr-abc-def",
        "xoxe-1-ABCDEF",
        "xoxe.xoxb-1-ABCDEF",
        "xapp-1-A012345-6789-abcdef0123",
    ],
)
def test_slack_tokens_are_masked_by_their_shape(token):
    redacted = Redactor().redact(f"Authorization: Bearer {token}; token={token}&x=1")

    assert token not in redacted
    assert token.split("-")[0] + "-***" in redacted
    assert redacted.endswith("&x=1")


def test_tokens_and_secrets_are_masked_in_message_args_exception_text_and_extras(root_logging):
    stream = io.StringIO()
    secrets = (BOT_TOKEN, SIGNING_SECRET, SECRET_KEY)
    configure_logging("INFO", "json", secrets, stream=stream)
    log = logging.getLogger("bot.test")

    log.info(f"in the message {SIGNING_SECRET}")
    log.info("in the args %s %r", BOT_TOKEN, {"key": SECRET_KEY})
    try:
        raise RuntimeError(f"signing with {SIGNING_SECRET} failed for {BOT_TOKEN}")
    except RuntimeError:
        log.exception("in the exception")
    log.info("in an extra", extra={"request": {"token": BOT_TOKEN, "secret": SECRET_KEY}})

    output = stream.getvalue()
    lines = json_lines(stream)
    assert [line["message"] for line in lines[:2]] == [
        "in the message ***",
        "in the args xoxb-*** {'key': '***'}",
    ]
    assert "RuntimeError: signing with *** failed for xoxb-***" in lines[2]["exc_info"]
    assert lines[3]["request"] == {"token": "xoxb-***", "secret": "***"}
    for secret in secrets:
        assert secret not in output


def test_secrets_are_masked_in_the_text_format_too(root_logging):
    stream = io.StringIO()
    configure_logging("INFO", "text", [SECRET_KEY], stream=stream)

    try:
        raise RuntimeError(SECRET_KEY)
    except RuntimeError:
        logging.getLogger("bot.test").exception("key %s", SECRET_KEY)

    assert SECRET_KEY not in stream.getvalue()
    assert "RuntimeError: ***" in stream.getvalue()


def test_secrets_are_masked_when_url_or_json_encoded():
    secret = 'a+b/c=d "e" f-g_h'
    redacting = Redactor([secret])

    for encoded in (
        "a%2Bb%2Fc%3Dd%20%22e%22%20f-g_h",
        "a%2Bb%2Fc%3Dd+%22e%22+f-g_h",
        json.dumps(secret),
    ):
        assert redacting.redact(f"body={encoded}") in ("body=***", 'body="***"')


def test_a_very_short_secret_is_not_masked_everywhere():
    assert Redactor(["a", "", None]).redact("a banana") == "a banana"


def test_settings_name_every_credential_and_the_database_password():
    settings = Settings.from_env(
        {
            "SLACK_BOT_TOKEN": BOT_TOKEN,
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SLACK_APP_TOKEN": "xapp-1-A0-1-abc",
            "MOTBOT_SECRET_KEY": SECRET_KEY,
            "DATABASE_URL": "postgresql://motbot:hunter2-db@db.internal/motbot",
            "MOTBOT_CLIENT_ID": "1234.5678",
            "MOTBOT_CLIENT_SECRET": "oauth-client-secret-abc123",
        }
    )

    assert set(settings.secret_values()) == {
        BOT_TOKEN,
        SIGNING_SECRET,
        "xapp-1-A0-1-abc",
        SECRET_KEY,
        "hunter2-db",
        "oauth-client-secret-abc123",
    }


def test_a_pulse_payload_is_cut_where_it_starts():
    button = PulseButton(round_id=7, question_id=3, value=4, ballot="per-invite-secret").encode()
    body = json.dumps({"actions": [{"action_id": "pulse_answer:4", "value": button}]})

    redacted = Redactor().redact(
        f"Sending a request - url: https://slack.com/api/chat.update, json_body: {body}"
    )

    assert redacted == (
        "Sending a request - url: https://slack.com/api/chat.update [pulse payload redacted]"
    )


def test_a_pulse_button_value_alone_is_masked_in_any_encoding():
    button = PulseButton(round_id=7, question_id=3, value=4, ballot="per-invite-secret").encode()
    comment = json.dumps({"r": 7, "s": "per-invite-secret"})
    redacting = Redactor()

    for text in (button, json.dumps({"value": button}), repr({"metadata": comment})):
        redacted = redacting.redact(f"got {text}")
        assert "per-invite-secret" not in redacted
        assert '"v"' not in redacted.replace("\\", "")
        assert "[pulse payload redacted]" in redacted


def test_a_form_encoded_pulse_interaction_keeps_nothing_of_the_payload():
    from urllib.parse import urlencode

    payload = json.dumps(
        {
            "type": "view_submission",
            "view": {
                "callback_id": "pulse_comment_modal",
                "private_metadata": json.dumps({"r": 1, "s": "per-invite-secret"}),
                "state": {"values": {"comment": {"input": {"value": "my honest comment"}}}},
            },
        }
    )

    redacted = Redactor().redact(f"Incoming body: {urlencode({'payload': payload})}")

    assert redacted == "Incoming body: payload [pulse payload redacted]"


def test_arguments_that_do_not_fit_the_format_are_kept_and_masked():
    broken = record("two %s %s", BOT_TOKEN)

    Redactor().redact_record(broken)

    assert broken.getMessage() == "two %s %s ('xoxb-***',)"


def test_log_format_is_text_or_json_and_a_mistake_is_named():
    from bot.config import SettingsError

    assert Settings.from_env({}).log_format == "text"
    assert Settings.from_env({"LOG_FORMAT": " JSON "}).log_format == "json"
    with pytest.raises(SettingsError) as raised:
        Settings.from_env({"LOG_FORMAT": "xml", "PORT": "zero"})
    assert "LOG_FORMAT must be one of text, json, got 'xml'" in raised.value.problems
    assert len(raised.value.problems) == 2  # reported together with the other mistakes


def test_other_handlers_get_the_record_as_logged(root_logging, caplog):
    stream = io.StringIO()
    configure_logging("INFO", "json", [SECRET_KEY], stream=stream)
    logging.getLogger().addHandler(caplog.handler)

    logging.getLogger("bot.test").info("key %s", SECRET_KEY)

    assert json_lines(stream)[0]["message"] == "key ***"
    assert caplog.records[-1].getMessage() == f"key {SECRET_KEY}"
