"""Log hygiene, end to end: real traffic at DEBUG with LOG_FORMAT=json writes valid JSON
lines and never a credential, a pulse answer, a per-invite secret or a comment.

The same records also go to a second, unfiltered handler, so the test shows that the
traffic did put those things in front of the logs (Bolt and slack_sdk log whole bodies
at DEBUG) and that the mask is what kept them out.
"""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from bot.config import Settings
from bot.db.models import PulseBallot
from bot.logs import PULSE_NOTE, configure_logging
from bot.sandbox.harness import SECRET_KEY, SIGNING_SECRET, bot_environment, bot_in_process
from bot.slack.views.pulse import PulseButton
from tests.e2e.test_pulse import answer_everything, pulse_dm
from tests.e2e.test_pulse import jobs as jobs  # the fixture, for send_pulse
from tests.e2e.test_stories import share

APP_TOKEN = "xapp-1-A0MOTBOT01-1234567890-0f1e2d3c4b5a69788796a5b4c3d2e1f0"
COMMENT = "Rostering ignores what the gate team says, quietly noted 7d1f"
KUDOS_REASON = "for finding a wheelchair in four minutes flat"


@pytest.fixture
def logs(emulator, demo) -> Iterator[tuple[io.StringIO, io.StringIO]]:
    """(what LOG_FORMAT=json at DEBUG writes, the same records unfiltered)."""
    env = bot_environment(emulator, database_url="sqlite://", port=3000, extra=demo.env())
    settings = Settings.from_env({**env, "LOG_LEVEL": "DEBUG", "LOG_FORMAT": "json"})
    root = logging.getLogger()
    saved_handlers, saved_level = root.handlers[:], root.level
    capped = [logging.getLogger(name) for name in ("alembic.runtime.plugins", "sqlalchemy.engine")]
    saved_levels = [logger.level for logger in capped]
    written, raw = io.StringIO(), io.StringIO()
    configure_logging(
        settings.log_level,
        settings.log_format,
        [*settings.secret_values(), APP_TOKEN],
        stream=written,
    )
    unfiltered = logging.StreamHandler(raw)
    unfiltered.setFormatter(logging.Formatter("%(name)s %(message)s"))
    root.addHandler(unfiltered)
    try:
        yield written, raw
    finally:
        root.handlers[:] = saved_handlers
        root.setLevel(saved_level)
        for logger, level in zip(capped, saved_levels, strict=True):
            logger.setLevel(level)


@pytest.fixture
def world(logs, emulator, engine, bot_env):
    """The bot, started after logging is configured (as `motbot run` does)."""
    with bot_in_process(emulator, engine, bot_env) as world:
        yield world


def test_debug_json_logs_hold_no_credential_answer_secret_or_comment(
    world, jobs, logs, engine, emulator
):
    from bot.scheduling.pulse_jobs import send_pulse

    written, raw = logs
    alice, bjorn = world.user("alice"), world.user("bjorn")

    send_pulse(jobs(datetime.now(UTC)))  # this week's round, open while the bot answers
    dm = pulse_dm(alice)
    buttons = [
        element
        for block in dm.blocks
        for element in block.get("elements") or []
        if element.get("action_id", "").startswith("pulse_answer:")
    ]
    answer_everything(alice)
    alice.clicks("Add an anonymous comment", on=pulse_dm(alice))
    alice.submits({"Anything you would like HR and leaders to hear?": COMMENT})
    bjorn.runs(f"/kudos @alice {KUDOS_REASON} #customer-first")
    share(alice)
    careless = logging.getLogger("bot.careless")
    careless.debug("tokens %s and %s", emulator.workspace.bot.token, APP_TOKEN)
    try:
        raise RuntimeError(f"signature with {SIGNING_SECRET} and key {SECRET_KEY} failed")
    except RuntimeError:
        careless.exception("oops")

    # What came through: valid JSON lines, and the traffic is really in them.
    lines = [json.loads(line) for line in written.getvalue().splitlines()]
    assert lines and all({"time", "level", "logger", "message"} <= line.keys() for line in lines)
    messages = [line["message"] for line in lines]
    assert any("Sending a request" in m and "chat.postMessage" in m for m in messages)
    assert any(KUDOS_REASON in m for m in messages), "request bodies were not logged"
    assert any(line["logger"].startswith("bot.bolt") for line in lines)
    assert any(line["level"] == "DEBUG" for line in lines)
    assert "RuntimeError: signature with *** and key *** failed" in "".join(
        line.get("exc_info", "") for line in lines
    )

    secrets = {button["value"] for button in buttons}
    invite_secret = PulseButton.decode(buttons[0]["value"]).ballot
    must_not_appear = {
        "bot token": emulator.workspace.bot.token,
        "app token": APP_TOKEN,
        "signing secret": SIGNING_SECRET,
        "secret key": SECRET_KEY,
        "per-invite secret": invite_secret,
        **{f"button value {n}": value for n, value in enumerate(sorted(secrets))},
        **{f"answer action {b['action_id']}": b["action_id"] for b in buttons},
    }
    # Without the mask every one of them would have been written.
    never_logged = [what for what, value in must_not_appear.items() if value not in raw.getvalue()]
    assert never_logged == [], f"the traffic never logged: {never_logged}"

    # The comment's text reaches no log even unfiltered: only SQL parameters would carry
    # it, and LOG_LEVEL=DEBUG leaves SQL logging off (tests/unit/test_logs.py).
    must_not_appear["comment"] = COMMENT

    with engine.connect() as connection:
        response_keys = list(connection.execute(select(PulseBallot.response_key)).scalars())
    assert len(response_keys) >= 2
    must_not_appear.update({f"response key {n}": key for n, key in enumerate(response_keys)})
    output = written.getvalue()
    for what, value in must_not_appear.items():
        assert value not in output, f"the {what} reached the logs"
    assert any(m.endswith(PULSE_NOTE) for m in messages), "no pulse record was cut short"
