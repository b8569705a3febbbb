"""Pulse rounds with people in teams, for the tests of results, the HR summary and the export.

K is 3: the smallest K a workspace may set, so a handful of respondents exercises every
suppression rule.
"""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import update

from bot.db.engine import SessionFactory, unit_of_work
from bot.db.models import Member, PulseRound, Team, Workspace
from bot.domain.ballots import ballot_check, new_ballot
from bot.domain.directory import Profile, Requester, WorkspaceDefaults, register_requester
from bot.domain.pulse import (
    RoundInfo,
    complete_invite,
    record_answer,
    record_comment,
    record_invite,
)
from tests.support.units import run

NOW = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)  # Tuesday of 2026-W48
KEY = "server-key"
K = 3
_users = itertools.count(1)


def pulse_workspace(sessions: SessionFactory, slack_team: str, **settings: Any) -> int:
    """A new workspace (through its bot user) with K = 3 and any other `settings`."""
    with unit_of_work(sessions) as session:
        admin = register_requester(
            session, slack_team, Profile("U0ADMIN", is_bot=True), WorkspaceDefaults(), NOW
        )
        session.execute(
            update(Workspace)
            .where(Workspace.id == admin.workspace_id)
            .values(pulse_min_group=K, **settings)
        )
        return admin.workspace_id


def add_team(sessions: SessionFactory, workspace_id: int, name: str) -> int:
    with unit_of_work(sessions) as session:
        row = Team(workspace_id=workspace_id, name=name)
        session.add(row)
        session.flush()
        return row.id


def respondent(
    sessions: SessionFactory,
    pulse: RoundInfo,
    team_id: int | None,
    values: list[int | None],
    comment: str | None = None,
    now: datetime = NOW,
) -> Requester:
    """A new member of the round's workspace in `team_id` (None: no team), invited to
    `pulse`, answering its questions in order (None skips one; fewer values leave the
    rest unanswered, none at all: invited and silent), and leaving `comment` if given."""
    with unit_of_work(sessions) as session:
        workspace_id = session.get(PulseRound, pulse.id).workspace_id
        slack_team = session.get(Workspace, workspace_id).team_id
        who = register_requester(
            session, slack_team, Profile(f"U0P{next(_users):05d}"), WorkspaceDefaults(), NOW
        )
        session.get(Member, who.member_id).team_id = team_id
        secret = new_ballot()
        check = ballot_check(KEY, secret)
        record_invite(session, workspace_id, pulse.id, who.member_id, "D0X", "1.0", check)
    for question, value in zip(pulse.questions, values, strict=False):
        if value is None:
            continue
        outcome = run(sessions, record_answer, who, pulse.id, question.id, value, secret, KEY, now)
        if outcome.completed:
            run(sessions, complete_invite, who, pulse.id)
    if comment:
        run(sessions, record_comment, who, pulse.id, comment, secret, KEY, now)
    return who
