"""The dashboard's adoption page and its CSV through Flask's test client, on both
databases: HR reads the workspace's curve and each team's that could be shown, a leader
their own team's only, an employee is refused, and a team below K is named in no page
and no CSV.

The seed is recognition's (tests/support/recognition.py: Gate 4, Cabin 3, Tiny 2 below K,
Nina in no team), everyone active for the twelve weeks but Cora, who joined Cabin in
2026-W46: before that Cabin had two active members and had no curve. Who took part:

    2026-W47  Gina, Cleo (kudos), Gus (a story)              3 of 10 active
    2026-W48  Cleo, Gwen, Gus, Cid, Tess, Gil, Nina, Toby    8 of 10 (Cid's to Gil revoked)
"""

from __future__ import annotations

import re
from datetime import timedelta
from xml.etree import ElementTree

import pytest
from flask import Flask
from sqlalchemy import update

from bot.db.engine import unit_of_work
from bot.db.models import Member, Team
from bot.web.dashboard import adoption_page
from tests.support.dashboard import csv_rows, csv_text, dashboard_app
from tests.support.dashboard import signed_in as signed_in_to
from tests.support.pulse_rounds import NOW
from tests.support.recognition import LONG_AGO, recognition_workspace, user_id

TEAM = "T0DASHAD1"
CORA_JOINED = NOW - timedelta(weeks=2)  # Tuesday of 2026-W46
ROW = re.compile(
    r'<tr><th scope="row">(2026-W\d\d)</th>'
    r'<td class="number">([^<]*)</td><td class="number">([^<]*)</td>'
    r'<td class="number">([^<]*)</td><td>([^<]*)</td></tr>'
)


@pytest.fixture
def web(sessions, monkeypatch) -> Flask:
    monkeypatch.setattr(adoption_page, "utcnow", lambda: NOW)  # the weeks of the seed
    return dashboard_app(sessions)


@pytest.fixture
def ids(sessions) -> dict[str, int]:
    ids = recognition_workspace(sessions, TEAM)
    with unit_of_work(sessions) as session:
        workspace = Member.workspace_id == ids["workspace"]
        session.execute(update(Member).where(workspace).values(created_at=LONG_AGO))
        session.execute(
            update(Member)
            .where(Member.id == ids["cora"])
            .values(created_at=CORA_JOINED, is_hr=True)  # Cora of Cabin is also HR
        )
        session.execute(update(Member).where(Member.id == ids["nina"]).values(is_leader=True))
    return ids


def signed_in(web: Flask, name: str, locale: str = "en-US"):
    return signed_in_to(web, TEAM, user_id(name), locale)


def tables(html: str) -> dict[str, list[tuple[str, ...]]]:
    """Each table's rows (week, active, took part, share, stage), by its caption."""
    found = re.findall(r"<caption[^>]*>([^<]*)</caption>(.*?)</table>", html, re.S)
    return {name: ROW.findall(body) for name, body in found}


def drawn(svg: str, series: int) -> list[tuple[str, str]]:
    """(week, value) of each point the chart's `series` draws (pygal draws none for None)."""
    name = f"series serie-{series} color-{series}"
    points = []
    for group in ElementTree.fromstring(svg).iter():
        if group.get("class") != name:
            continue
        for dot in group:
            texts = {desc.get("class"): desc.text for desc in dot}
            if dot.get("class") == "dots":
                points.append((texts["x_label"], texts["value"]))
    return points


def test_hr_reads_the_curves_of_the_workspace_and_of_the_teams_shown(web, ids):
    page = signed_in(web, "cora").get("/dashboard/adoption")

    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "<h1>Adoption of the culture</h1>" in html
    assert "Each week from 2026-W37 to 2026-W48" in html
    assert "Answering the pulse is not counted" in html and "Carlzon" in html
    assert html.count("<svg") == 2, "the workspace's curve, then the teams'"
    assert "<script" not in html and page.headers["X-Frame-Options"] == "DENY"
    shown = tables(html)
    assert list(shown) == ["Everyone", "Gate", "Cabin"]
    everyone = shown["Everyone"]
    assert len(everyone) == 12 and everyone[0] == (
        "2026-W37",
        "9",
        "0",
        "0%",
        "before the first 5%",
    )
    assert everyone[-2:] == [
        ("2026-W47", "10", "3", "30%", "the active 20%"),
        ("2026-W48", "10", "8", "80%", "the majority has followed"),
    ]
    assert shown["Gate"][-1] == ("2026-W48", "4", "3", "75%", "the active 20%")
    assert [row[0] for row in shown["Cabin"]] == ["2026-W46", "2026-W47", "2026-W48"]
    assert shown["Cabin"][1:] == [
        ("2026-W47", "3", "1", "33.3%", "the active 20%"),
        ("2026-W48", "3", "2", "66.6%", "the active 20%"),  # rounded down, never up
    ]


def test_the_charts_draw_the_milestones_and_leave_hidden_weeks_out(web, ids):
    html = signed_in(web, "cora").get("/dashboard/adoption").get_data(as_text=True)

    workspace, teams = re.findall(r"<svg.*?</svg>", html, re.S)
    for chart in (workspace, teams):
        assert chart.count('class="major guide line"') == 3, "5%, 20% and 80%"
        for label in ("5%", "20%", "80%"):
            assert f">{label}</text>" in chart
    assert "Cabin" in teams and "Cabin" not in workspace
    assert drawn(workspace, 0)[-2:] == [("2026-W47", "30%"), ("2026-W48", "80%")]
    assert len(drawn(teams, 0)) == 12, "Gate, every week"
    assert drawn(teams, 1) == [  # Cabin, from the week it could first be shown
        ("2026-W46", "0%"),
        ("2026-W47", "33.3%"),
        ("2026-W48", "66.6%"),
    ]


def test_a_team_below_k_is_named_nowhere_in_the_page_or_the_csv(web, ids):
    client = signed_in(web, "cora")

    html = client.get("/dashboard/adoption").get_data(as_text=True)
    text = csv_text(client.get("/dashboard/adoption.csv"))

    for shown in (html, text):
        assert "Tiny" not in shown
        assert "Tess" not in shown and "Toby" not in shown and "Nina" not in shown


def test_the_csv_holds_exactly_the_figures_shown(web, ids):
    client = signed_in(web, "cora")

    html = client.get("/dashboard/adoption").get_data(as_text=True)
    answer = client.get("/dashboard/adoption.csv")

    assert 'filename="motbot-adoption.csv"' in answer.headers["Content-Disposition"]
    header, *table = csv_rows(answer)
    assert header == ["group", "week", "active", "took_part", "share_pct", "stage"]
    assert ["Everyone", "2026-W48", "10", "8", "80", "majority"] in table
    assert ["Cabin", "2026-W48", "3", "2", "66.6", "early_adopters"] in table
    assert not any(row[0] == "Cabin" and row[1] < "2026-W46" for row in table), "hidden"
    shown = {
        (name, week, active, took_part, share.removesuffix("%"))
        for name, weeks in tables(html).items()
        for week, active, took_part, share, _stage in weeks
    }
    assert {tuple(row[:5]) for row in table} == shown
    assert len(table) == len(shown) == 12 + 12 + 3


def test_a_team_name_a_spreadsheet_would_run_is_neutralised(web, sessions, ids):
    with unit_of_work(sessions) as session:
        session.execute(update(Team).where(Team.id == ids["Cabin"]).values(name="=Cabin"))

    table = csv_rows(signed_in(web, "cora").get("/dashboard/adoption.csv"))

    assert {row[0] for row in table[1:]} == {"Everyone", "Gate", "'=Cabin"}


def test_hr_reads_it_in_chinese(web, sessions, ids):
    with unit_of_work(sessions) as session:
        session.execute(update(Member).where(Member.id == ids["cora"]).values(locale="zh-CN"))

    html = signed_in(web, "cora", "zh-CN").get("/dashboard/adoption").get_data(as_text=True)

    assert "<h1>文化认同进度</h1>" in html
    assert "全体成员" in html and "按团队" in html and "卡尔森" in html
    assert "<td>大多数人已跟上</td>" in html
    assert "每周参与的活跃成员比例（%）" in html, "the charts' title"


def test_a_leader_reads_their_own_team_only(web, ids):
    client = signed_in(web, "gina")

    html = client.get("/dashboard/adoption").get_data(as_text=True)
    table = csv_rows(client.get("/dashboard/adoption.csv"))

    assert "<h1>Adoption of the culture · Gate</h1>" in html
    assert html.count("<svg") == 1
    shown = tables(html)
    assert list(shown) == ["Gate"]
    assert shown["Gate"][-1] == ("2026-W48", "4", "3", "75%", "the active 20%")
    for elsewhere in ("Everyone", "Cabin", "By team", ">10<", "the majority has followed"):
        assert elsewhere not in html
    assert {row[0] for row in table[1:]} == {"Gate"} and len(table) == 13


def test_a_leader_whose_team_is_below_k_is_told_it_is_hidden(web, ids):
    client = signed_in(web, "tess")

    html = client.get("/dashboard/adoption").get_data(as_text=True)
    table = csv_rows(client.get("/dashboard/adoption.csv"))

    assert "<h1>Adoption of the culture · Tiny</h1>" in html
    assert "its adoption curve is hidden to protect anonymity" in html
    assert "<svg" not in html and "<table" not in html
    assert table == [["group", "week", "active", "took_part", "share_pct", "stage"]]


def test_a_leader_in_no_team_is_told_why_there_is_no_curve(web, ids):
    html = signed_in(web, "nina").get("/dashboard/adoption").get_data(as_text=True)

    assert "motbot does not know which team you lead" in html
    assert "<svg" not in html and "Everyone" not in html


def test_an_employee_is_refused(web, ids):
    page = signed_in(web, "gus").get("/dashboard/adoption")
    csv_answer = signed_in(web, "gus").get("/dashboard/adoption.csv")

    assert page.status_code == 403 and csv_answer.status_code == 403
    assert "The dashboard is for HR, admins and leaders" in page.get_data(as_text=True)
    assert "Gate" not in page.get_data(as_text=True)


def test_a_workspace_below_k_says_so(web, sessions, ids):
    with unit_of_work(sessions) as session:
        session.execute(
            update(Member)
            .where(Member.workspace_id == ids["workspace"], Member.id != ids["cora"])
            .values(is_active=False)
        )

    html = signed_in(web, "cora").get("/dashboard/adoption").get_data(as_text=True)

    assert "Fewer than 3 active members: no curve to show yet." in html
    assert "<svg" not in html and "<table" not in html
