"""The dashboard's recognition page and its CSV through Flask's test client, on both
databases: HR reads the charts and tables of the whole workspace, a leader their own team,
an employee is refused, and a team below K is named in no page and no CSV
(tests/support/recognition.py tells who gave what)."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from sqlalchemy import update

from bot.db.engine import unit_of_work
from bot.db.models import Member, Team
from bot.web.dashboard import recognition_page
from tests.support.dashboard import csv_rows, csv_text, dashboard_app
from tests.support.dashboard import signed_in as signed_in_to
from tests.support.pulse_rounds import NOW
from tests.support.recognition import recognition_workspace, user_id

TEAM = "T0DASHRC1"


@pytest.fixture
def web(sessions, monkeypatch) -> Flask:
    monkeypatch.setattr(recognition_page, "utcnow", lambda: NOW)  # the weeks of the seed
    return dashboard_app(sessions)


@pytest.fixture
def ids(sessions) -> dict[str, int]:
    ids = recognition_workspace(sessions, TEAM)
    with unit_of_work(sessions) as session:  # Cora of Cabin is also HR
        session.execute(update(Member).where(Member.id == ids["cora"]).values(is_hr=True))
    return ids


def signed_in(web: Flask, name: str, locale: str = "en-US"):
    return signed_in_to(web, TEAM, user_id(name), locale)


def test_hr_reads_the_charts_and_tables_of_the_whole_workspace(web, ids):
    page = signed_in(web, "cora").get("/dashboard/recognition")

    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "<h1>Recognition</h1>" in html
    assert "The last 12 weeks, 2026-W37 to 2026-W48" in html
    assert html.count("<svg") == 3, "per week, by value, by team"
    assert "<script" not in html and page.headers["X-Frame-Options"] == "DENY"
    for heading in ("Recognition per week", "By company value", "By team"):
        assert f"<h2>{heading}</h2>" in html
    assert "Who gives to whom between teams" in html
    assert re.search(r'<th scope="row">2026-W48</th><td class="number">4</td>', html)
    assert re.search(r'<th scope="row">Customer first</th><td class="number">2</td>', html)
    gate_row = r'<th scope="row">Gate</th>' + r'<td class="number">(\d+)</td>' * 4
    assert re.search(gate_row, html).groups() == ("2", "2", "3", "3")
    assert ">Other teams<" in html and "1 team is counted among Other teams" in html
    assert 'href="/dashboard/recognition"' in html, "the nav links the page"


def test_a_team_below_k_is_named_nowhere_in_the_page_or_the_csv(web, ids):
    client = signed_in(web, "cora")

    html = client.get("/dashboard/recognition").get_data(as_text=True)
    text = csv_text(client.get("/dashboard/recognition.csv"))

    for shown in (html, text):
        assert "Tiny" not in shown
        assert "Tess" not in shown and "Toby" not in shown and "Nina" not in shown


def test_the_csv_holds_every_aggregate_shown_with_the_same_folding(web, ids):
    answer = signed_in(web, "cora").get("/dashboard/recognition.csv")

    assert "motbot-recognition.csv" in answer.headers["Content-Disposition"]
    table = csv_rows(answer)
    assert ["section", "week", "kudos", "points"] in table
    assert ["week", "2026-W47", "1", "3"] in table and ["week", "2026-W48", "4", "4"] in table
    assert ["value", "Customer first", "2"] in table and ["value", "Legacy value", "1"] in table
    assert [r for r in table if r[0] == "team"] == [
        ["team", "Cabin", "1", "2", "1", "3"],
        ["team", "Gate", "2", "2", "3", "3"],
        ["team", "Other teams", "2", "1", "3", "1"],
    ]
    assert ["section", "from_team", "to_team", "kudos"] in table
    matrix = {(r[1], r[2]): int(r[3]) for r in table if r[0] == "matrix"}
    assert len(matrix) == 9
    assert matrix[("Gate", "Cabin")] == 2 and matrix[("Other teams", "Other teams")] == 1
    assert sum(matrix.values()) == 5, "the kudos of the twelve weeks, none revoked"


def test_hr_reads_it_in_chinese(web, sessions, ids):
    with unit_of_work(sessions) as session:
        session.execute(update(Member).where(Member.id == ids["cora"]).values(locale="zh-CN"))

    html = signed_in(web, "cora", "zh-CN").get("/dashboard/recognition").get_data(as_text=True)

    assert "<h1>表彰</h1>" in html
    assert "按公司价值观" in html and "团队之间谁为谁点赞" in html and ">其他团队<" in html


def test_a_leader_reads_their_own_team_only(web, ids):
    client = signed_in(web, "gina")

    html = client.get("/dashboard/recognition").get_data(as_text=True)
    table = csv_rows(client.get("/dashboard/recognition.csv"))

    assert "<h1>Recognition · Gate</h1>" in html
    assert html.count("<svg") == 2, "per week, by value"
    row = r'<th scope="row">2026-W48</th>' + r'<td class="number">(\d+)</td>' * 4
    assert re.search(row, html).groups() == ("1", "2", "1", "2")
    assert "Cabin" not in html and "Other teams" not in html
    assert "Who gives to whom" not in html
    assert ["week", "2026-W48", "1", "2", "1", "2"] in table
    assert ["value", "Customer first", "1", "1"] in table
    assert {r[0] for r in table} == {"section", "week", "value"}


def test_a_leader_whose_team_is_below_k_is_told_it_is_hidden(web, ids):
    client = signed_in(web, "tess")

    html = client.get("/dashboard/recognition").get_data(as_text=True)
    text = csv_text(client.get("/dashboard/recognition.csv"))

    assert "its recognition is hidden to protect anonymity" in html
    assert "<svg" not in html and "<table" not in html
    assert text == ""


def test_an_employee_is_refused(web, ids):
    page = signed_in(web, "gus").get("/dashboard/recognition")
    csv_answer = signed_in(web, "gus").get("/dashboard/recognition.csv")

    assert page.status_code == 403 and csv_answer.status_code == 403
    assert "The dashboard is for HR, admins and leaders" in page.get_data(as_text=True)
    assert "Gate" not in page.get_data(as_text=True)


def test_a_stranger_is_sent_to_sign_in(web):
    answer = web.test_client().get("/dashboard/recognition.csv")

    assert answer.status_code == 302
    assert answer.headers["Location"].startswith("/dashboard/login?next=/dashboard/recognition.csv")


def test_a_team_name_a_spreadsheet_would_run_is_kept_as_text_in_the_csv(web, ids, sessions):
    formula = '=HYPERLINK("https://evil.example","Cabin")'
    with unit_of_work(sessions) as session:
        session.execute(update(Team).where(Team.id == ids["Cabin"]).values(name=formula))

    table = csv_rows(signed_in(web, "cora").get("/dashboard/recognition.csv"))

    assert ["team", "'" + formula, "1", "2", "1", "3"] in table
    assert ("matrix", "'" + formula, "'" + formula) in {tuple(r[:3]) for r in table}
    assert not any(cell.startswith("=") for row in table for cell in row)
