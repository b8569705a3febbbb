"""The pulse's privacy rules, checked on the schema itself and on what reaches the logs.

Anyone adding a column to pulse_answers or pulse_comments must come here and argue for
it: what was answered must never be joinable to who answered (docs/privacy.md).
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import pytest
from sqlalchemy import Date, DateTime, Time, Uuid, inspect

from bot.db.base import Base
from bot.db.engine import unit_of_work
from bot.db.models import Member, Team
from bot.domain.ballots import ballot_check, new_ballot, response_key
from bot.domain.directory import Profile, WorkspaceDefaults, register_requester
from bot.domain.pulse import (
    close_round,
    members_to_invite,
    open_round,
    record_answer,
    record_comment,
    record_invite,
    skip_round,
)
from bot.domain.pulse_results import round_results

ALLOWED = {
    "pulse_answers": {
        "id",
        "workspace_id",
        "round_id",
        "question_id",
        "value",
        "team_id",
        "response_key",
    },
    "pulse_comments": {"id", "workspace_id", "round_id", "team_id", "text", "response_key"},
    "pulse_ballots": {"round_id", "response_key", "workspace_id", "sealed"},
}
FORBIDDEN_TARGETS = {"members", "pulse_invites"}


@pytest.mark.parametrize("table_name", sorted(ALLOWED))
def test_anonymous_tables_hold_only_the_allowed_columns(table_name):
    table = Base.metadata.tables[table_name]

    assert {column.name for column in table.columns} <= ALLOWED[table_name]
    for column in table.columns:
        assert not isinstance(column.type, DateTime | Date | Time), column.name
        assert "time" not in column.name and "_at" not in column.name, column.name
    targets = {fk.column.table.name for fk in table.foreign_keys}
    assert not targets & FORBIDDEN_TARGETS
    if table_name == "pulse_ballots":
        # Keyed by round and response key (an HMAC): no id at all, and no rowid on SQLite.
        assert [column.name for column in table.primary_key.columns] == [
            "round_id",
            "response_key",
        ]
        assert table.dialect_options["sqlite"]["with_rowid"] is False
        return
    (primary_key,) = table.primary_key.columns
    assert primary_key.name == "id"
    assert isinstance(primary_key.type, Uuid)
    assert primary_key.autoincrement is not True


@pytest.mark.parametrize("table_name", sorted(ALLOWED))
def test_the_migrated_database_agrees(engine, table_name):
    inspector = inspect(engine)

    columns = {column["name"]: column for column in inspector.get_columns(table_name)}
    assert set(columns) <= ALLOWED[table_name]
    for column in columns.values():
        assert not isinstance(column["type"], DateTime | Date | Time), column["name"]
    targets = {fk["referred_table"] for fk in inspector.get_foreign_keys(table_name)}
    assert not targets & FORBIDDEN_TARGETS


def test_the_check_itself_catches_a_timestamp():
    from sqlalchemy import Column, MetaData, String, Table

    table = Table(
        "pulse_answers",
        MetaData(),
        Column("id", Uuid, primary_key=True),
        Column("answered_at", DateTime()),
        Column("member_slack_id", String(32)),
    )

    assert {c.name for c in table.columns} - ALLOWED["pulse_answers"] == {
        "answered_at",
        "member_slack_id",
    }
    assert any(isinstance(c.type, DateTime) for c in table.columns)


NOW = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
TEAM = "T0PRIVACY"
KEY = "server-key"


def test_no_log_record_puts_a_respondent_beside_an_answer(sessions, engine, caplog):
    """A whole round at DEBUG with SQL echo on (statements, parameters and rows): no log
    record may carry a respondent's Slack user id together with a response key, an answer
    or comment row, or a comment's text."""
    previous_echo = engine.echo
    engine.echo = "debug"
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="sqlalchemy.engine")
    user_ids = [f"U0SECRET{n:02d}" for n in range(6)]
    comments = [f"private remark number {n}" for n in range(6)]
    keys: list[str] = []
    try:
        with unit_of_work(sessions) as session:
            people = [
                register_requester(session, TEAM, Profile(u), WorkspaceDefaults(), NOW)
                for u in user_ids
            ]
            workspace_id = people[0].workspace_id
            team = Team(workspace_id=workspace_id, name="Cabin crew")
            session.add(team)
            session.flush()
            for who in people:
                session.get(Member, who.member_id).team_id = team.id
        with unit_of_work(sessions) as session:
            pulse = open_round(session, workspace_id, "2026-W48", NOW)
            ballots = {}
            for invitee in members_to_invite(session, workspace_id, pulse.id):
                dm = "D0" + invitee.user_id
                ballots[invitee.member_id] = new_ballot()
                check = ballot_check(KEY, ballots[invitee.member_id])
                record_invite(session, workspace_id, pulse.id, invitee.member_id, dm, "1.0", check)
        for n, who in enumerate(people):
            secret = ballots[who.member_id]
            for question in pulse.questions:
                keys.append(response_key(KEY, secret, question.id))
                with unit_of_work(sessions) as session:
                    record_answer(session, who, pulse.id, question.id, 4, secret, KEY, NOW)
            with unit_of_work(sessions) as session:
                record_comment(session, who, pulse.id, comments[n], secret, KEY, NOW)
                keys.append(response_key(KEY, secret, "comment"))
            if n == 5:
                with unit_of_work(sessions) as session:
                    skip_round(session, who, pulse.id, NOW)
        with unit_of_work(sessions) as session:
            close_round(session, workspace_id, pulse.id, pulse.closes_at, KEY)
            round_results(session, workspace_id, pulse.id)
    finally:
        engine.echo = previous_echo

    texts = [_record_text(record) for record in caplog.records]
    assert any("pulse_answers" in text for text in texts), "SQL logging was not captured"
    assert any(key in text for key in keys for text in texts), "parameters were not captured"
    for text in texts:
        if any(user_id in text for user_id in user_ids):
            assert not any(key in text for key in keys), text
            assert not any(comment in text for comment in comments), text
            assert "pulse_answers" not in text and "pulse_comments" not in text, text


def _record_text(record: logging.LogRecord) -> str:
    try:
        message = record.getMessage()
    except Exception:  # a record whose arguments do not fit its format
        message = str(record.msg)
    return f"{message} {record.args!r}"
