"""One unit of work per Flask request: a page or an API route asks for `request_session()`
and gets the request's own session, in one transaction, committed when the request has
been answered with a success (below 400) and rolled back otherwise: a page that writes
and then refuses (403) or fails (500) leaves nothing behind.

A request that never asks opens no session and takes no connection (health checks,
Slack's events, whose listeners have their own unit of work through Bolt's middleware).
"""

from __future__ import annotations

from flask import Flask, Response, current_app, g
from sqlalchemy.orm import Session

from bot.db.engine import SessionFactory

_SESSIONS = "motbot.sessions"
_OPEN = "motbot_session"
_SUCCEEDED = "motbot_succeeded"


def install_unit_of_work(web: Flask, sessions: SessionFactory) -> None:
    web.extensions[_SESSIONS] = sessions
    web.after_request(_note_outcome)
    web.teardown_request(_end_unit_of_work)


def request_session() -> Session:
    """The current request's session; its transaction is begun on first use."""
    session: Session | None = g.get(_OPEN)
    if session is None:
        sessions: SessionFactory = current_app.extensions[_SESSIONS]
        session = sessions()
        session.begin()
        setattr(g, _OPEN, session)
    return session


def _note_outcome(response: Response) -> Response:
    setattr(g, _SUCCEEDED, response.status_code < 400)
    return response


def _end_unit_of_work(error: BaseException | None) -> None:
    session: Session | None = g.pop(_OPEN, None)
    if session is None:
        return
    try:
        if error is None and g.get(_SUCCEEDED, False) and session.in_transaction():
            session.commit()
        else:
            session.rollback()
    finally:
        session.close()
