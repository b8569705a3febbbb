"""The web seam: pages added as blueprints get one unit of work per request, on both
databases: committed when the page answers, rolled back when it fails, and never opened
for a request that does not touch the database."""

from __future__ import annotations

import pytest
from flask import Blueprint, abort
from slack_bolt import App
from sqlalchemy import event, select

from bot.db.models import Workspace
from bot.web.server import create_web_app
from bot.web.unit_of_work import request_session


def pages() -> Blueprint:
    """A stand-in for a dashboard: routes that write, read twice and fail."""
    page = Blueprint("pages", __name__)

    @page.post("/workspaces/<team_id>")
    def add(team_id: str) -> str:
        request_session().add(Workspace(team_id=team_id, name="Nordlys Air"))
        return "added"

    @page.post("/workspaces/<team_id>/then-fail")
    def add_then_fail(team_id: str) -> str:
        request_session().add(Workspace(team_id=team_id, name="Half-done"))
        request_session().flush()
        raise RuntimeError("the page broke after writing")

    @page.post("/workspaces/<team_id>/then-refuse")
    def add_then_refuse(team_id: str) -> str:
        request_session().add(Workspace(team_id=team_id, name="Refused"))
        request_session().flush()
        abort(403)

    @page.get("/same-session")
    def same_session() -> str:
        return str(request_session() is request_session())

    @page.get("/workspaces")
    def count() -> str:
        return str(len(request_session().scalars(select(Workspace.id)).all()))

    return page


@pytest.fixture
def web(sessions):
    bolt = App(token="xoxb-web-test", signing_secret="web-test", token_verification_enabled=False)
    app = create_web_app(bolt, sessions, blueprints=[pages()])
    app.config["PROPAGATE_EXCEPTIONS"] = False  # answer 500 as in production
    return app.test_client()


def team_ids(sessions) -> list[str]:
    with sessions() as session:
        return list(session.scalars(select(Workspace.team_id).order_by(Workspace.team_id)))


def test_a_page_that_answers_commits_its_changes(web, sessions):
    response = web.post("/workspaces/T0NORDLYS")

    assert response.status_code == 200
    assert team_ids(sessions) == ["T0NORDLYS"]


def test_a_page_that_fails_after_writing_leaves_nothing_behind(web, sessions):
    response = web.post("/workspaces/T0BROKEN/then-fail")

    assert response.status_code == 500
    assert team_ids(sessions) == []


def test_a_page_that_refuses_after_writing_leaves_nothing_behind(web, sessions):
    response = web.post("/workspaces/T0REFUSED/then-refuse")

    assert response.status_code == 403
    assert team_ids(sessions) == []


def test_a_request_has_one_session_however_often_it_asks(web):
    assert web.get("/same-session").text == "True"


def test_requests_that_do_not_touch_the_database_take_no_connection(web, engine):
    checkouts: list[object] = []

    def checked_out(*connection: object) -> None:
        checkouts.append(connection)

    event.listen(engine, "checkout", checked_out)
    try:
        healthz = web.get("/healthz")
        metrics = web.get("/metrics")
        web.get("/workspaces")  # a page that does read, to show the listener sees it
    finally:
        event.remove(engine, "checkout", checked_out)

    assert (healthz.status_code, metrics.status_code) == (200, 200)
    assert len(checkouts) == 1, "only the page that asked for a session took a connection"


def test_a_page_reads_what_an_earlier_request_committed(web):
    web.post("/workspaces/T0NORDLYS")

    assert web.get("/workspaces").text == "1"


def test_the_blueprints_sit_beside_slacks_routes(web):
    rules = {rule.rule for rule in web.application.url_map.iter_rules()}

    assert {"/slack/events", "/healthz", "/readyz", "/metrics"} <= rules
    assert "/workspaces/<team_id>" in rules
