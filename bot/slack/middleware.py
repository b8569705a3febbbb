"""Bolt middleware: identify who is asking before any listener runs.

The requester (workspace, member, roles, language) is put into the Bolt context as
`requester`, so listeners never look people up themselves.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from slack_bolt import BoltContext
from slack_sdk import WebClient
from sqlalchemy.exc import IntegrityError

from bot.db.engine import SessionFactory, unit_of_work
from bot.db.types import utcnow
from bot.domain import directory
from bot.domain.directory import Profile, Requester, WorkspaceDefaults
from bot.slack.profiles import fetch_profile

Clock = Callable[[], datetime]
REQUESTER = "requester"


def requester_of(context: BoltContext) -> Requester:
    return context[REQUESTER]


def identify_requester(
    sessions: SessionFactory, defaults: WorkspaceDefaults, clock: Clock = utcnow
) -> Callable[..., None]:
    def middleware(context: BoltContext, client: WebClient, next: Callable[[], None]) -> None:
        team_id, user_id = context.team_id, context.user_id
        if team_id and user_id:
            context[REQUESTER] = _identify(client, team_id, user_id)
        next()

    def _identify(client: WebClient, team_id: str, user_id: str) -> Requester:
        now = clock()
        with unit_of_work(sessions) as session:
            known = directory.find_requester(session, team_id, user_id, now)
        if known is not None and known.profile_is_fresh:
            return known
        fetched = fetch_profile(client, user_id)
        profile = fetched or Profile(user_id=user_id)
        try:
            with unit_of_work(sessions) as session:
                return directory.register_requester(
                    session, team_id, profile, defaults, now, profile_is_real=fetched is not None
                )
        except IntegrityError:
            # A concurrent first request from the same person created the rows first.
            with unit_of_work(sessions) as session:
                return directory.register_requester(
                    session, team_id, profile, defaults, now, profile_is_real=fetched is not None
                )

    return middleware
