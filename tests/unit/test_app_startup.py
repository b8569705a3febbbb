"""Building the bot says nothing at start that an operator would have to learn to ignore."""

from __future__ import annotations

import logging

from slack_bolt.logger.messages import warning_client_prioritized_and_token_skipped
from sqlalchemy import create_engine

from bot.app import create_app
from bot.config import Settings
from bot.db.engine import make_session_factory

ENV = {"SLACK_BOT_TOKEN": "xoxb-test", "SLACK_SIGNING_SECRET": "secret"}


def test_no_client_and_token_notice_at_start(monkeypatch, caplog, tmp_path):
    for name, value in ENV.items():
        monkeypatch.setenv(name, value)  # as a deployment sets them: Bolt reads them too
    sessions = make_session_factory(create_engine(f"sqlite:///{tmp_path}/motbot.db"))

    with caplog.at_level(logging.DEBUG):
        app = create_app(Settings.from_env(ENV), sessions, verify_token=False)

    assert app.client.token == "xoxb-test"
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []


def test_the_notice_is_dropped_only_while_the_app_is_built(monkeypatch, caplog, tmp_path):
    for name, value in ENV.items():
        monkeypatch.setenv(name, value)
    sessions = make_session_factory(create_engine(f"sqlite:///{tmp_path}/motbot.db"))
    create_app(Settings.from_env(ENV), sessions, verify_token=False)

    with caplog.at_level(logging.DEBUG):
        logging.getLogger("bot.bolt").warning(warning_client_prioritized_and_token_skipped())

    assert [r.getMessage() for r in caplog.records] == [
        warning_client_prioritized_and_token_skipped()
    ]
