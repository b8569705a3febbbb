"""The adoption page built from a report, without a database: what a hidden week becomes
on the page, in the chart and in the CSV, and how a share is rounded against the
milestones (tests/db/test_dashboard_adoption_page.py reads the page through Flask)."""

from __future__ import annotations

import csv
import io

from bot.domain.adoption import AdoptionReport, GroupCurve, Stage, WeekAdoption
from bot.domain.dashboard_access import Audience, DashboardViewer
from bot.i18n import translator
from bot.web.dashboard import charts
from bot.web.dashboard.adoption_page import adoption_page, page_csv, share_pct, shares

T = translator("en")
# Four weeks: the workspace below K the first; Gate shown, then hidden in W47 (say the
# rest of the workspace fell below K), then shown again; Cabin only from W47.
REPORT = AdoptionReport(
    k=3,
    curves=(
        GroupCurve(
            None,
            (
                None,
                WeekAdoption("2026-W46", 10, 1),
                WeekAdoption("2026-W47", 10, 4),
                WeekAdoption("2026-W48", 10, 9),
            ),
        ),
        GroupCurve(1, (None, WeekAdoption("2026-W46", 4, 1), None, WeekAdoption("2026-W48", 4, 4))),
        GroupCurve(2, (None, None, WeekAdoption("2026-W47", 3, 1), WeekAdoption("2026-W48", 3, 2))),
    ),
    team_names={1: "Gate", 2: "-Cabin", 3: "Tiny"},
)


def viewer(audience: Audience, team_id: int | None = None) -> DashboardViewer:
    return DashboardViewer(
        workspace_id=1,
        member_id=1,
        slack_team_id="T1",
        user_id="U1",
        name="Someone",
        locale="en-US",
        timezone="UTC",
        audience=audience,
        team_id=team_id,
        team_name={1: "Gate", 3: "Tiny"}.get(team_id or 0),
    )


HR = viewer(Audience.CULTURE)


def test_the_share_is_rounded_down_so_no_milestone_is_shown_before_it_is_reached():
    almost = WeekAdoption("2026-W48", active=2000, took_part=399)

    assert share_pct(almost) == 19.9 and almost.stage is Stage.INNOVATORS
    assert share_pct(WeekAdoption("2026-W48", 3, 2)) == 66.6
    assert share_pct(WeekAdoption("2026-W48", 5, 1)) == 20.0
    assert share_pct(WeekAdoption("2026-W48", 0, 0)) == 0.0


def test_the_weeks_before_the_workspace_reached_k_are_left_off_the_axis():
    assert shares(REPORT, REPORT.workspace) == [10.0, 40.0, 90.0]
    assert shares(REPORT, REPORT.teams[0]) == [25.0, None, 100.0], "a gap, not a nought"


def test_a_hidden_week_after_the_first_shown_is_a_row_of_marks_and_no_csv_row():
    page = adoption_page(REPORT, HR, T)

    workspace, teams = page.sections
    gate, cabin = teams.tables
    assert [row.period for row in workspace.tables[0].rows] == ["2026-W46", "2026-W47", "2026-W48"]
    assert [(row.period, row.cells) for row in gate.rows] == [
        ("2026-W46", ("4", "1", "25%", "the active 20%")),
        ("2026-W47", ("–", "–", "–", "–")),
        ("2026-W48", ("4", "4", "100%", "the majority has followed")),
    ]
    assert [row.period for row in cabin.rows] == ["2026-W47", "2026-W48"]
    table = list(csv.reader(io.StringIO(page_csv(page))))
    assert [row[:2] for row in table if row[0] == "Gate"] == [
        ["Gate", "2026-W46"],
        ["Gate", "2026-W48"],
    ]
    assert ["'-Cabin", "2026-W47", "3", "1", "33.3", "early_adopters"] in table
    assert "Tiny" not in str(page), "in the names, but never shown"


def test_a_single_week_is_drawn_as_bars():
    one_week = AdoptionReport(
        k=3,
        curves=(GroupCurve(None, (None, WeekAdoption("2026-W48", 5, 2))),),
        team_names={},
    )

    (workspace, teams) = adoption_page(one_week, HR, T).sections

    drawn = workspace.chart.draw()
    assert 'class="rect reactive' in drawn and "line reactive" not in drawn
    assert teams.chart is None and teams.notes[-1].startswith("No team could be shown")


def test_a_leader_reads_their_team_or_why_it_is_not_there():
    gate = adoption_page(REPORT, viewer(Audience.TEAM, 1), T)
    tiny = adoption_page(REPORT, viewer(Audience.TEAM, 3), T)
    nobody = adoption_page(REPORT, viewer(Audience.TEAM), T)

    assert [table.name for section in gate.sections for table in section.tables] == ["Gate"]
    assert "Everyone" not in str(gate) and "Cabin" not in str(gate)
    assert tiny.sections == () and "hidden to protect anonymity" in (tiny.hidden or "")
    assert nobody.sections == () and "does not know which team you lead" in (nobody.hidden or "")


def test_a_workspace_never_shown_has_a_page_that_says_so():
    below_k = AdoptionReport(k=5, curves=(GroupCurve(None, (None, None)),), team_names={})

    page = adoption_page(below_k, HR, T)

    assert page.hidden == "Fewer than 5 active members: no curve to show yet."
    assert page.sections == () and page_csv(page).splitlines() == [
        "group,week,active,took_part,share_pct,stage"
    ]


def test_a_single_week_is_introduced_as_the_first_not_as_a_range():
    first_week = AdoptionReport(
        k=3, curves=(GroupCurve(None, (None, WeekAdoption("2026-W48", 10, 9))),), team_names={}
    )

    page = adoption_page(first_week, HR, T)

    assert page.intro[0].startswith("The week 2026-W48, the first in which the workspace")
    assert "from 2026-W48 to 2026-W48" not in " ".join(page.intro)


def test_the_csv_never_draws_the_charts(monkeypatch):
    def no_drawing(*_args):
        raise AssertionError("drawn for a CSV")

    monkeypatch.setattr(charts, "adoption_chart", no_drawing)

    text = page_csv(adoption_page(REPORT, HR, T))

    assert text.startswith("group,week,active,took_part,share_pct,stage")
