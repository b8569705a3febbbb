"""Who people are: from the database, refreshed from Slack's profile once a day."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime

from slack_sdk import WebClient
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.db.engine import SessionFactory, unit_of_work
from bot.domain import directory
from bot.domain.directory import Profile, Requester, WorkspaceDefaults
from bot.slack.profiles import fetch_profile

Clock = Callable[[], datetime]


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

    def look_up(self, session: Session, team_id: str, user_id: str) -> Requester | None:
        """Who the directory knows, in the caller's transaction (to spare one of its own);
        `known()` finishes the job."""
        return directory.find_requester(session, team_id, user_id, self.clock())

    def known(
        self, client: WebClient, team_id: str, user_id: str, looked_up: Requester | None
    ) -> Requester:
        """identify(), given what `look_up()` found: Slack is asked only when the directory
        did not know them, or knew them from a stale profile."""
        if looked_up is not None and looked_up.profile_is_fresh:
            return looked_up
        return self.identify(client, team_id, user_id)

    def stale(self, session: Session, team_id: str, user_ids: Iterable[str]) -> tuple[str, ...]:
        """Those of `user_ids` who need `identify()`: unknown, or known from a stale
        profile (read in the caller's transaction)."""
        return tuple(
            user_id
            for user_id in user_ids
            if (known := self.look_up(session, team_id, user_id)) is None
            or not known.profile_is_fresh
        )

    def _register(
        self, team_id: str, profile: Profile, fetched: Profile | None, now: datetime
    ) -> Requester:
        with unit_of_work(self.sessions) as session:
            return directory.register_requester(
                session, team_id, profile, self.defaults, now, profile_is_real=fetched is not None
            )
