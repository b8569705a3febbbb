"""Signing in to the dashboard with Slack, against the emulator: motbot's side through
Flask's test client, Slack's side through a cookie-keeping browser without JavaScript.
Every way a sign-in can go wrong ends on a page that says so, never signed in."""

from __future__ import annotations

import urllib.parse

import pytest
from flask import Flask

from bot.config import Settings
from bot.sandbox.demo import KARIN, LI_WEI
from bot.sandbox.harness import SECRET_KEY
from bot.web.dashboard import install_dashboard
from bot.web.dashboard.signin import CALLBACK_PATH, VIEWER
from bot.web.unit_of_work import install_unit_of_work
from slackemu.server import Emulator
from tests.emulator.test_openid import Browser, sign_in_as

DASHBOARD = "http://dashboard.test"
CLIENT_ID, CLIENT_SECRET = "3333.4444", "dashboard-test-client-secret"


@pytest.fixture
def web(emulator: Emulator, sessions) -> Flask:
    emulator.openid.register_client(CLIENT_ID, CLIENT_SECRET, f"{DASHBOARD}{CALLBACK_PATH}")
    settings = Settings(
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        secret_key=SECRET_KEY,
        dashboard_url=DASHBOARD,
        slack_api_url=emulator.api_url,
    )
    app = Flask("dashboard-signin-test")
    install_unit_of_work(app, sessions)
    install_dashboard(app, settings)
    return app


def to_slack(client, path: str = "/dashboard/login") -> str:
    """Where motbot sends the browser to sign in."""
    answer = client.get(path)
    assert answer.status_code == 302
    return answer.headers["Location"]


def back_from_slack(emulator: Emulator, authorize: str, user: str = KARIN) -> str:
    """Where Slack sends the browser back after `user` signs in, as a path of ours."""
    target = Browser(emulator).follow(sign_in_as(user, authorize))
    assert target.startswith(DASHBOARD + CALLBACK_PATH), target
    return target.removeprefix(DASHBOARD)


def viewer_of(client) -> dict | None:
    with client.session_transaction() as session:
        return session.get(VIEWER)


def test_signing_in_with_slack_remembers_who_and_returns_to_the_page_asked_for(emulator, web):
    client = web.test_client()
    authorize = to_slack(client, "/dashboard/login?next=/dashboard/pulse.csv")

    done = client.get(back_from_slack(emulator, authorize, LI_WEI))

    assert authorize.startswith(f"{emulator.base_url}/openid/connect/authorize?")
    assert done.status_code == 302 and done.headers["Location"] == "/dashboard/pulse.csv"
    assert viewer_of(client) == {
        "team": "T0DEMO001",
        "user": LI_WEI,
        "locale": "zh-CN",
        "domain": "nordlys-air",  # for links to cards: nordlys-air.slack.com/archives/...
    }


def test_after_signing_in_the_browser_never_goes_to_another_site(emulator, web):
    client = web.test_client()
    authorize = to_slack(client, "/dashboard/login?next=https://evil.example/dashboard/")

    done = client.get(back_from_slack(emulator, authorize))

    assert done.headers["Location"] == "/dashboard/"


def test_a_callback_whose_state_is_not_this_browsers_signs_nobody_in(emulator, web):
    client = web.test_client()
    to_slack(client)  # this browser started a sign-in of its own, with its own state
    callback = back_from_slack(emulator, to_slack(web.test_client()))  # another browser's

    answer = client.get(callback)

    assert answer.status_code == 400
    assert "expired or was opened in another browser" in answer.get_data(as_text=True)
    assert viewer_of(client) is None


def test_a_code_used_twice_signs_nobody_in_the_second_time(emulator, web):
    first, second = web.test_client(), web.test_client()
    authorize = to_slack(first)
    with first.session_transaction() as pending:  # the sign-in under way, as sent to Slack
        replayed = dict(pending)
    callback = back_from_slack(emulator, authorize)
    assert first.get(callback).status_code == 302 and viewer_of(first) is not None
    with second.session_transaction() as session:  # the same state and code, replayed
        session.update(replayed)

    answer = second.get(callback)

    assert answer.status_code == 400
    assert "did not confirm who you are" in answer.get_data(as_text=True)
    assert viewer_of(second) is None


def test_cancelling_on_slacks_page_says_so(emulator, web):
    client = web.test_client()
    authorize = to_slack(client)
    page = Browser(emulator).get(authorize)
    cancel = next(
        urllib.parse.unquote(part.split('"')[0])
        for part in page.text.split('href="')[1:]
        if "error=access_denied" in part
    ).replace("&amp;", "&")

    answer = client.get(cancel.removeprefix(DASHBOARD))

    assert "You cancelled signing in with Slack" in answer.get_data(as_text=True)
    assert viewer_of(client) is None
