"""Bolt middleware: identify who is asking before any listener runs.

The requester (workspace, member, roles, language) is put into the Bolt context as
`requester`, so listeners never look people up themselves.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import datetime
from functools import partial

from slack_bolt import BoltContext
from slack_sdk import WebClient
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.db.engine import SessionFactory, unit_of_work
from bot.db.types import utcnow
from bot.domain import directory
from bot.domain.directory import Profile, Requester, WorkspaceDefaults
from bot.domain.errors import DomainError
from bot.slack import ids
from bot.slack.profiles import fetch_profile

Clock = Callable[[], datetime]
REQUESTER = "requester"
UNIT_OF_WORK = "unit_of_work"
NOW = "now"
PEOPLE = "people"
SECRET_KEY = "secret_key"
SESSIONS = "sessions"


def requester_of(context: BoltContext) -> Requester:
    return context[REQUESTER]


def unit_of_work_of(context: BoltContext) -> AbstractContextManager[Session]:
    """A new unit of work for a listener. Listeners run after the acknowledgement, on
    their own thread, so each opens its own transaction rather than sharing the
    middleware's."""
    return context[UNIT_OF_WORK]()


def now_of(context: BoltContext) -> datetime:
    return context[NOW]()


def clock_of(context: BoltContext) -> Clock:
    return context[NOW]


def sessions_of(context: BoltContext) -> SessionFactory:
    """The session factory, for what opens its own units of work (the outbox's courier)."""
    return context[SESSIONS]


def secret_key_of(context: BoltContext) -> str:
    """The server key for pulse response keys; without it the pulse stays switched off."""
    key = context.get(SECRET_KEY)
    if not key:
        raise DomainError("pulse.errors.not_configured")
    return key


class People:
    """Knows who people are: from the database, refreshed from Slack once a day."""

    def __init__(self, sessions: SessionFactory, defaults: WorkspaceDefaults, clock: Clock):
        self.sessions = sessions
        self.defaults = defaults
        self.clock = clock

    def identify(
        self, client: WebClient, team_id: str, user_id: str, *, may_write: bool = True
    ) -> Requester:
        """Who is asking. `may_write=False` (a pulse answer) never writes their row: a
        refreshed profile would stamp the moment they answered on them (docs/privacy.md);
        the directory sync refreshes it soon enough."""
        now = self.clock()
        with unit_of_work(self.sessions) as session:
            known = directory.find_requester(session, team_id, user_id, now)
        if known is not None and (known.profile_is_fresh or not may_write):
            return known
        fetched = fetch_profile(client, user_id)
        try:
            return self._register(team_id, fetched or Profile(user_id=user_id), fetched, now)
        except IntegrityError:
            # A concurrent first request from the same person created the rows first.
            return self._register(team_id, fetched or Profile(user_id=user_id), fetched, now)

    def _register(
        self, team_id: str, profile: Profile, fetched: Profile | None, now: datetime
    ) -> Requester:
        with unit_of_work(self.sessions) as session:
            return directory.register_requester(
                session, team_id, profile, self.defaults, now, profile_is_real=fetched is not None
            )


def people_of(context: BoltContext) -> People:
    return context[PEOPLE]


def identify_requester(
    sessions: SessionFactory,
    defaults: WorkspaceDefaults,
    clock: Clock = utcnow,
    secret_key: str | None = None,
) -> Callable[..., None]:
    people = People(sessions, defaults, clock)

    def middleware(
        context: BoltContext, client: WebClient, body: dict, next: Callable[[], None]
    ) -> None:
        context[UNIT_OF_WORK] = partial(unit_of_work, sessions)
        context[SESSIONS] = sessions
        context[NOW] = clock
        context[PEOPLE] = people
        context[SECRET_KEY] = secret_key
        team_id, user_id = context.team_id, context.user_id
        if team_id and user_id:
            context[REQUESTER] = people.identify(
                client, team_id, user_id, may_write=not is_pulse_answer(body)
            )
        next()

    return middleware


def is_pulse_answer(body: dict) -> bool:
    """Whether the request answers the pulse: a click in a pulse DM or the comment modal."""
    if body.get("type") == "block_actions":
        return any(
            _is_pulse_dm_action(str(action.get("action_id", "")))
            for action in body.get("actions") or []
        )
    if body.get("type") == "view_submission":
        return (body.get("view") or {}).get("callback_id") == ids.PULSE_COMMENT_MODAL
    return False


def _is_pulse_dm_action(action_id: str) -> bool:
    return action_id.startswith(ids.PULSE_ANSWER_PREFIX) or action_id in (
        ids.PULSE_COMMENT,
        ids.PULSE_SKIP,
    )
