"""Bolt middleware: identify who is asking before any listener runs, and put what
listeners need into the Bolt context, where Bolt hands each listener the ones it names
as parameters:

- `requester` (Requester): who is asking (workspace, member, roles, language); absent
  for events nobody in particular sent (an uninstall).
- `unit_of_work` (UnitOfWork): call it for a new transaction. Listeners run after the
  acknowledgement, on their own thread, so each opens its own rather than sharing the
  middleware's.
- `now` (Clock): the time the bot tells.
- `courier` (Courier): delivers what the request's change owes Slack, with the
  request's client.
- `guide` (the catalogue keys of the guide `/mot help` and the App Home show).
- `people` (People), `secret_key` (str | None, the pulse's server key) and `sessions`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from datetime import datetime
from functools import partial

from slack_bolt import BoltContext
from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.db.engine import SessionFactory, unit_of_work
from bot.db.types import utcnow
from bot.domain.directory import Requester, WorkspaceDefaults
from bot.slack import ids
from bot.slack.outbox import Courier
from bot.slack.people import People

Clock = Callable[[], datetime]
# A new transaction each call: committed when its block ends, rolled back if it raises.
UnitOfWork = Callable[[], AbstractContextManager[Session]]

REQUESTER = "requester"
UNIT_OF_WORK = "unit_of_work"
NOW = "now"
COURIER = "courier"
PEOPLE = "people"
SECRET_KEY = "secret_key"
SESSIONS = "sessions"
GUIDE = "guide"


def requester_of(context: BoltContext) -> Requester:
    return context[REQUESTER]


def unit_of_work_of(context: BoltContext) -> AbstractContextManager[Session]:
    """A new unit of work, for helpers that take the context (bot/slack/story_flow.py)."""
    return context[UNIT_OF_WORK]()


def now_of(context: BoltContext) -> datetime:
    return context[NOW]()


def courier_of(context: BoltContext) -> Courier:
    return context[COURIER]


def guide_of(context: BoltContext) -> tuple[str, ...]:
    return context[GUIDE]


def identify_requester(
    sessions: SessionFactory,
    defaults: WorkspaceDefaults,
    clock: Clock = utcnow,
    secret_key: str | None = None,
    *,
    guide: Sequence[str],
) -> Callable[..., None]:
    people = People(sessions, defaults, clock)
    guide = tuple(guide)

    def middleware(
        context: BoltContext, client: WebClient, body: dict, next: Callable[[], None]
    ) -> None:
        context[UNIT_OF_WORK] = partial(unit_of_work, sessions)
        context[SESSIONS] = sessions
        context[NOW] = clock
        context[PEOPLE] = people
        context[SECRET_KEY] = secret_key
        context[GUIDE] = guide
        team_id, user_id = context.team_id, context.user_id
        if team_id and user_id:
            requester = people.identify(
                client, team_id, user_id, may_write=not is_pulse_answer(body)
            )
            context[REQUESTER] = requester
            context[COURIER] = Courier(
                sessions,
                client,
                requester.team_id,
                requester.workspace_id,
                people,
                clock,
                guide=guide,
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
