"""The adoption page, /dashboard/adoption (and its figures as CSV): each week of the last
12, the share of active members who took part, against Carlzon's 5% / 20% / 80%, from
bot/domain/adoption.py (the same report as the HR summary in Slack). HR and admins read
the workspace's curve and every team's that could be shown; a leader reads their own
team's curve, and nothing of the workspace or the other teams.

The page and the CSV are drawn from the same tables, so the CSV holds exactly the weeks
the page shows. A group's table starts at the first week it could be shown; a later week
it could not be shown is a "–" row on the page and no row in the CSV, never a number.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass

from flask import Blueprint, Response, g

from bot.db.types import utcnow
from bot.domain.adoption import AdoptionReport, GroupCurve, WeekAdoption, adoption_report
from bot.domain.dashboard_access import Audience, DashboardViewer
from bot.i18n import Translate, translator
from bot.web.dashboard import charts
from bot.web.dashboard.csv_files import csv_download, spreadsheet_safe
from bot.web.dashboard.rendering import render, viewer_locale, viewer_required
from bot.web.unit_of_work import request_session

HIDDEN_MARK = "–"
CSV_COLUMNS = ("group", "week", "active", "took_part", "share_pct", "stage")


def register(blueprint: Blueprint) -> None:
    blueprint.add_url_rule("/adoption", "adoption", adoption)
    blueprint.add_url_rule("/adoption.csv", "adoption_csv", adoption_csv)


@dataclass(frozen=True)
class WeekRow:
    period: str
    week: WeekAdoption | None
    """None: the group could not be shown that week."""
    cells: tuple[str, ...]
    """Active, took part, share and stage as the page shows them ("–" when hidden)."""


@dataclass(frozen=True)
class GroupTable:
    """One group's weeks, from the first it could be shown."""

    key: str  # the table's id in the page: "workspace", "team-3"
    name: str
    rows: tuple[WeekRow, ...]


@dataclass(frozen=True)
class Section:
    key: str
    heading: str
    chart: charts.Chart | None
    notes: tuple[str, ...]
    tables: tuple[GroupTable, ...]


@dataclass(frozen=True)
class AdoptionPage:
    title: str
    intro: tuple[str, ...]
    hidden: str | None
    """Why nothing is shown (the workspace or the leader's team is below K), or None."""
    columns: tuple[str, ...]
    sections: tuple[Section, ...]


@viewer_required
def adoption() -> str:
    viewer: DashboardViewer = g.viewer
    locale = viewer_locale(viewer)
    report = adoption_report(request_session(), viewer.workspace_id, utcnow())
    page = adoption_page(report, viewer, translator(locale))
    return render("dashboard_adoption.html", locale, page.title, page=page)


@viewer_required
def adoption_csv() -> Response:
    viewer: DashboardViewer = g.viewer
    report = adoption_report(request_session(), viewer.workspace_id, utcnow())
    page = adoption_page(report, viewer, translator(viewer_locale(viewer)))
    return csv_download(page_csv(page), "motbot-adoption.csv")


def adoption_page(report: AdoptionReport, viewer: DashboardViewer, t: Translate) -> AdoptionPage:
    if viewer.audience is Audience.CULTURE:
        return _culture(report, t)
    return _team(report, viewer, t)


def _culture(report: AdoptionReport, t: Translate) -> AdoptionPage:
    title = t("dashboard.adoption.title")
    periods = shown_periods(report)
    if not periods:
        return AdoptionPage(title, (), t("adoption.too_few", k=report.k), (), ())
    everyone = t("adoption.workspace")
    workspace = Section(
        key="workspace",
        heading=everyone,
        chart=charts.later(
            charts.adoption_chart, t, periods, [(everyone, shares(report, report.workspace))]
        ),
        notes=(),
        tables=(group_table(t, "workspace", everyone, report.workspace, report.workspace),),
    )
    named = [(report.team_names.get(curve.team_id or 0, "?"), curve) for curve in report.teams]
    teams = Section(
        key="teams",
        heading=t("dashboard.adoption.teams_heading"),
        chart=charts.later(
            charts.adoption_chart,
            t,
            periods,
            [(name, shares(report, curve)) for name, curve in named],
        )
        if named
        else None,
        notes=(
            t("dashboard.adoption.k_rule", k=report.k),
            *(() if named else (t("dashboard.adoption.no_teams", k=report.k),)),
        ),
        tables=tuple(
            group_table(t, f"team-{curve.team_id}", name, curve, report.workspace)
            for name, curve in named
        ),
    )
    return AdoptionPage(title, _intro(t, periods), None, _columns(t), (workspace, teams))


def _team(report: AdoptionReport, viewer: DashboardViewer, t: Translate) -> AdoptionPage:
    """A leader's view: their own team's curve, nothing of the workspace or other teams."""
    name = viewer.team_name or "–"
    title = t("dashboard.adoption.team_title", team=name)
    if viewer.team_id is None:
        return AdoptionPage(title, (), t("dashboard.adoption.no_team"), (), ())
    curve = next((c for c in report.teams if c.team_id == viewer.team_id), None)
    if curve is None:  # below K in every week, or it would single out a smaller group
        return AdoptionPage(title, (), t("dashboard.adoption.team_hidden", k=report.k), (), ())
    periods = shown_periods(report)
    team = Section(
        key="team",
        heading=name,
        chart=charts.later(charts.adoption_chart, t, periods, [(name, shares(report, curve))]),
        notes=(t("dashboard.adoption.gaps", k=report.k),),
        tables=(group_table(t, f"team-{curve.team_id}", name, curve, report.workspace),),
    )
    return AdoptionPage(title, _intro(t, periods), None, _columns(t), (team,))


def _intro(t: Translate, periods: Sequence[str]) -> tuple[str, ...]:
    if len(periods) == 1:
        window = t("dashboard.adoption.intro_one_week", week=periods[0])
    else:
        window = t("dashboard.adoption.intro", first=periods[0], last=periods[-1])
    return (
        window,
        t("dashboard.adoption.milestones"),
        t("dashboard.adoption.privacy"),
    )


def _columns(t: Translate) -> tuple[str, ...]:
    return tuple(
        t(f"dashboard.adoption.{key}") for key in ("week", "active", "took_part", "share", "stage")
    )


def shown_periods(report: AdoptionReport) -> list[str]:
    """The weeks in which the workspace could be shown: the charts' axis. A team is shown
    only in such a week, and the weeks before the workspace reached K say nothing."""
    return [week.period for week in report.workspace.weeks if week is not None]


def shares(report: AdoptionReport, curve: GroupCurve) -> list[float | None]:
    """`curve`'s share (%) in each week of `shown_periods` (None where it is hidden)."""
    return [
        share_pct(week) if week is not None else None
        for week, whole in zip(curve.weeks, report.workspace.weeks, strict=True)
        if whole is not None
    ]


def share_pct(week: WeekAdoption) -> float:
    """The share in %, rounded down to a tenth: a group at 19.96% has not reached the
    20% milestone, and its figure must not read as if it had."""
    return 1000 * week.took_part // week.active / 10 if week.active else 0.0


def group_table(
    t: Translate, key: str, name: str, curve: GroupCurve, workspace: GroupCurve
) -> GroupTable:
    """The group's weeks from the first it could be shown (as Slack's summary starts its
    line there); a later week it could not be shown is a row of "–". A hidden week is
    named by the workspace's, which is shown whenever a team is."""
    rows: list[WeekRow] = []
    for week, whole in zip(curve.weeks, workspace.weeks, strict=True):
        if whole is None or (week is None and not rows):
            continue  # before the group could first be shown: nothing to say
        rows.append(_row(t, whole.period, week))
    return GroupTable(key, name, tuple(rows))


def _row(t: Translate, period: str, week: WeekAdoption | None) -> WeekRow:
    if week is None:
        return WeekRow(period, None, (HIDDEN_MARK,) * 4)
    return WeekRow(
        period,
        week,
        (
            str(week.active),
            str(week.took_part),
            f"{share_pct(week):g}%",
            t(f"adoption.stage.{week.stage.value}"),
        ),
    )


def page_csv(page: AdoptionPage) -> str:
    """A row per group and week the page shows figures for: the stage as its stable
    English value, a hidden week left out (it has no figures, not even a nought)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for section in page.sections:
        for table in section.tables:
            group = spreadsheet_safe(table.name)  # team names are typed by admins
            for row in table.rows:
                if row.week is not None:
                    writer.writerow(
                        [
                            group,
                            row.period,
                            row.week.active,
                            row.week.took_part,
                            f"{share_pct(row.week):g}",
                            row.week.stage.value,
                        ]
                    )
    return out.getvalue()
