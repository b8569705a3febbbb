"""The dashboard's pages through Flask's test client, on both databases (signing in with
Slack itself is tested through the emulator and a real browser in tests/browser): who sees
what, and that no group below K reaches the HTML or the CSV."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from sqlalchemy import update

from bot.db.engine import unit_of_work
from bot.db.models import Member
from bot.domain.pulse import close_round, open_round
from tests.support.dashboard import csv_text, dashboard_app
from tests.support.dashboard import signed_in as signed_in_to
from tests.support.pulse_rounds import KEY, NOW, add_team, pulse_workspace, respondent
from tests.support.units import run

TEAM = "T0DASHPG1"


@pytest.fixture
def web(sessions) -> Flask:
    return dashboard_app(sessions)


@pytest.fixture
def round_closed(sessions):
    """2026-W48 closed: Gate (4 answered) is shown; Cabin (2 answered) is below K=3."""
    workspace_id = pulse_workspace(sessions, TEAM)
    gate, cabin = (
        add_team(sessions, workspace_id, "Gate"),
        add_team(sessions, workspace_id, "Cabin"),
    )
    pulse = run(sessions, open_round, workspace_id, "2026-W48", NOW)
    people = {}
    for n, (team, values) in enumerate(
        [(gate, [4, 4, 4, 4])] * 4 + [(cabin, [1, 1, 1, 1])] * 2 + [(None, [3, 3, 3, 3])] * 2
    ):
        people[n] = respondent(sessions, pulse, team, values)
    run(sessions, close_round, workspace_id, pulse.id, pulse.closes_at, KEY)
    return {"workspace_id": workspace_id, "people": people, "gate": gate, "cabin": cabin}


def member(sessions, who, **flags) -> str:
    with unit_of_work(sessions) as session:
        session.execute(update(Member).where(Member.id == who.member_id).values(**flags))
    return who.user_id


def signed_in(web: Flask, user_id: str, locale: str = "en-US"):
    return signed_in_to(web, TEAM, user_id, locale)


def test_a_stranger_is_sent_to_sign_in_with_slack_and_back_to_the_page(web):
    answer = web.test_client().get("/dashboard/pulse")

    assert answer.status_code == 302
    assert answer.headers["Location"].startswith("/dashboard/login?next=/dashboard/pulse")


def test_hr_reads_the_released_groups_and_the_charts_but_never_a_group_below_k(
    web, sessions, round_closed
):
    karin = member(sessions, round_closed["people"][0], is_hr=True)

    page = signed_in(web, karin).get("/dashboard/pulse")

    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Round 2026-W48" in html and "8 of 8 people answered" in html
    assert ">Gate<" in html and "Cabin" not in html
    assert html.count("<svg") >= 3, "trend, response rate, distribution"
    assert "<script" not in html
    assert page.headers["X-Frame-Options"] == "DENY"
    assert "no-store" in page.headers["Cache-Control"]


def test_the_csv_holds_the_groups_shown_and_nothing_below_k(web, sessions, round_closed):
    karin = member(sessions, round_closed["people"][0], is_hr=True)

    text = csv_text(signed_in(web, karin).get("/dashboard/pulse.csv"))

    assert re.search(r"^2026-W48,Gate,4,", text, re.M)
    assert "Cabin" not in text


def test_a_leader_reads_their_own_team_only(web, sessions, round_closed):
    people = round_closed["people"]
    erik = member(sessions, people[1], is_leader=True)

    html = signed_in(web, erik).get("/dashboard/pulse").get_data(as_text=True)

    assert "Culture pulse · Gate" in html and ">Gate<" in html
    assert "Whole workspace" not in html and "of 8 people answered" not in html


def test_a_leader_whose_team_is_below_k_is_told_so(web, sessions, round_closed):
    ingrid = member(sessions, round_closed["people"][4], is_leader=True)

    html = signed_in(web, ingrid).get("/dashboard/pulse").get_data(as_text=True)

    assert "results are hidden to protect anonymity" in html
    assert "<svg" not in html


def test_an_employee_is_refused_with_a_page_that_says_why_in_their_language(
    web, sessions, round_closed
):
    alice = round_closed["people"][2].user_id
    with unit_of_work(sessions) as session:
        session.execute(update(Member).where(Member.slack_user_id == alice).values(locale="zh-CN"))

    page = signed_in(web, alice, locale="zh-CN").get("/dashboard/pulse")

    assert page.status_code == 403
    assert "仪表板供 HR、管理员和领导使用" in page.get_data(as_text=True)


def test_signing_out_needs_the_pages_csrf_token(web, sessions, round_closed):
    karin = member(sessions, round_closed["people"][0], is_hr=True)
    client = signed_in(web, karin)

    forged = client.post("/dashboard/logout", data={})
    still_in = client.get("/dashboard/pulse")
    page = still_in.get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    out = client.post("/dashboard/logout", data={"csrf_token": token})
    after = client.get("/dashboard/pulse")

    assert forged.status_code == 400 and still_in.status_code == 200
    assert out.status_code == 200 and "signed out" in out.get_data(as_text=True)
    assert after.status_code == 302
