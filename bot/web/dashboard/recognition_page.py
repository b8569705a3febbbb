"""The recognition page, /dashboard/recognition (and its figures as CSV): recognition
over the last 12 weeks, by company value and by team, and who gives to whom between
teams, from bot/domain/recognition_report.py. HR and admins read the whole workspace; a
leader reads their own team's weeks and values.

The page and the CSV are drawn from the same sections, so the CSV holds exactly the
aggregates the page shows, with the same teams folded into "Other teams".
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from flask import Blueprint, Response, g
from sqlalchemy.orm import Session

from bot.db.types import utcnow
from bot.domain.dashboard_access import Audience, DashboardViewer
from bot.domain.recognition_report import (
    RecognitionReport,
    TeamRecognitionReport,
    recognition_report,
    team_recognition,
)
from bot.i18n import Translate, translator
from bot.web.dashboard import charts
from bot.web.dashboard.csv_files import csv_download, spreadsheet_safe
from bot.web.dashboard.rendering import render, viewer_locale, viewer_required
from bot.web.unit_of_work import request_session


def register(blueprint: Blueprint) -> None:
    blueprint.add_url_rule("/recognition", "recognition", recognition)
    blueprint.add_url_rule("/recognition.csv", "recognition_csv", recognition_csv)


@dataclass(frozen=True)
class Section:
    """One aggregate as a table (and perhaps a chart): a row per label, its figures in
    `columns` order."""

    key: str  # the CSV's name of the section: "week", "value", "team", "matrix"
    heading: str
    columns: tuple[str, ...]  # the label column's heading, then one per figure
    csv_columns: tuple[str, ...]  # the same, as the CSV names them
    rows: tuple[tuple[str, tuple[int, ...]], ...]
    chart: charts.Chart | None = None
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class RecognitionPage:
    title: str
    intro: tuple[str, ...]
    hidden: str | None
    """Why nothing is shown (the workspace or the leader's team is below K), or None."""
    sections: tuple[Section, ...]


@viewer_required
def recognition() -> str:
    viewer: DashboardViewer = g.viewer
    locale = viewer_locale(viewer)
    page = recognition_page(request_session(), viewer, translator(locale), utcnow())
    return render("dashboard_recognition.html", locale, page.title, page=page)


@viewer_required
def recognition_csv() -> Response:
    viewer: DashboardViewer = g.viewer
    page = recognition_page(request_session(), viewer, translator(viewer_locale(viewer)), utcnow())
    return csv_download(sections_csv(page.sections), "motbot-recognition.csv")


def recognition_page(
    session: Session, viewer: DashboardViewer, t: Translate, now: datetime
) -> RecognitionPage:
    if viewer.audience is Audience.CULTURE:
        return _culture(recognition_report(session, viewer.workspace_id, now), t)
    return _team(team_recognition(session, viewer.workspace_id, viewer.team_id, now), t)


def _culture(report: RecognitionReport, t: Translate) -> RecognitionPage:
    title = t("dashboard.recognition.title")
    if report.hidden:
        return RecognitionPage(
            title, (), t("dashboard.recognition.workspace_hidden", k=report.k), ()
        )
    intro = (
        _window(t, report.periods),
        t("dashboard.recognition.k_rule", k=report.k),
    )
    kudos, points = t("dashboard.recognition.kudos"), t("dashboard.recognition.points")
    weeks = Section(
        key="week",
        heading=t("dashboard.recognition.weeks_heading"),
        columns=(t("dashboard.recognition.week"), kudos, points),
        csv_columns=("week", "kudos", "points"),
        rows=tuple((week.period, (week.kudos, week.points)) for week in report.weeks),
        chart=charts.later(
            charts.recognition_weeks_chart,
            t,
            report.periods,
            [
                (kudos, [week.kudos for week in report.weeks]),
                (points, [week.points for week in report.weeks]),
            ],
        ),
    )
    value_names = [value.name for value in report.values]
    values = Section(
        key="value",
        heading=t("dashboard.recognition.values_heading"),
        columns=(t("dashboard.recognition.value"), kudos),
        csv_columns=("value", "kudos"),
        rows=tuple((value.name, (value.kudos,)) for value in report.values),
        chart=charts.later(
            charts.recognition_values_chart,
            t,
            value_names,
            [(kudos, [value.kudos for value in report.values])],
        )
        if report.values
        else None,
        notes=() if report.values else (t("dashboard.recognition.no_values"),),
    )
    labels = [team.name or t("dashboard.recognition.other_teams") for team in report.teams]
    given, received = (
        t("dashboard.recognition.points_given"),
        t("dashboard.recognition.points_received"),
    )
    folded = (
        (t("dashboard.recognition.folded", count=report.folded_teams, k=report.k),)
        if report.folded_teams
        else ()
    )
    teams = Section(
        key="team",
        heading=t("dashboard.recognition.teams_heading"),
        columns=(
            t("dashboard.recognition.team"),
            t("dashboard.recognition.kudos_given"),
            t("dashboard.recognition.kudos_received"),
            given,
            received,
        ),
        csv_columns=("team", "kudos_given", "kudos_received", "points_given", "points_received"),
        rows=tuple(
            (
                label,
                (team.kudos_given, team.kudos_received, team.points_given, team.points_received),
            )
            for label, team in zip(labels, report.teams, strict=True)
        ),
        chart=charts.later(
            charts.recognition_teams_chart,
            t,
            labels,
            [
                (given, [team.points_given for team in report.teams]),
                (received, [team.points_received for team in report.teams]),
            ],
        )
        if report.teams
        else None,
        notes=folded,
    )
    matrix = Section(
        key="matrix",
        heading=t("dashboard.recognition.matrix_heading"),
        columns=(t("dashboard.recognition.from_to"), *labels),
        csv_columns=("from_team", "to_team", "kudos"),
        rows=tuple(zip(labels, report.matrix, strict=True)),
        notes=(t("dashboard.recognition.matrix_note"),),
    )
    return RecognitionPage(title, intro, None, (weeks, values, teams, matrix))


def _team(report: TeamRecognitionReport, t: Translate) -> RecognitionPage:
    """A leader's view: their own team's weeks and values, nothing of the rest."""
    title = t("dashboard.recognition.team_title", team=report.name or "–")
    if report.hidden:
        why = (
            t("dashboard.recognition.no_team")
            if report.team_id is None
            else t("dashboard.recognition.team_hidden", k=report.k)
        )
        return RecognitionPage(title, (), why, ())
    kudos_given = t("dashboard.recognition.kudos_given")
    kudos_received = t("dashboard.recognition.kudos_received")
    weeks = Section(
        key="week",
        heading=t("dashboard.recognition.weeks_heading"),
        columns=(
            t("dashboard.recognition.week"),
            kudos_given,
            kudos_received,
            t("dashboard.recognition.points_given"),
            t("dashboard.recognition.points_received"),
        ),
        csv_columns=("week", "kudos_given", "kudos_received", "points_given", "points_received"),
        rows=tuple(
            (
                week.period,
                (week.kudos_given, week.kudos_received, week.points_given, week.points_received),
            )
            for week in report.weeks
        ),
        chart=charts.later(
            charts.recognition_weeks_chart,
            t,
            report.periods,
            [
                (kudos_given, [week.kudos_given for week in report.weeks]),
                (kudos_received, [week.kudos_received for week in report.weeks]),
            ],
        ),
    )
    values = Section(
        key="value",
        heading=t("dashboard.recognition.values_heading"),
        columns=(t("dashboard.recognition.value"), kudos_given, kudos_received),
        csv_columns=("value", "kudos_given", "kudos_received"),
        rows=tuple((value.name, (value.given, value.received)) for value in report.values),
        chart=charts.later(
            charts.recognition_values_chart,
            t,
            [value.name for value in report.values],
            [
                (kudos_given, [value.given for value in report.values]),
                (kudos_received, [value.received for value in report.values]),
            ],
        )
        if report.values
        else None,
        notes=() if report.values else (t("dashboard.recognition.no_values"),),
    )
    return RecognitionPage(title, (_window(t, report.periods),), None, (weeks, values))


def _window(t: Translate, periods: Sequence[str]) -> str:
    return t("dashboard.recognition.intro", first=periods[0], last=periods[-1])


def sections_csv(sections: Sequence[Section]) -> str:
    """The sections shown, one after the other, each row led by its section's name and
    each section by a header row; the matrix as one row per pair of teams. Team and value
    names are typed by admins: no cell of theirs is run as a formula."""
    out = io.StringIO()
    writer = csv.writer(out)
    for section in sections:
        writer.writerow(["section", *section.csv_columns])
        for label, figures in section.rows:
            if section.key == "matrix":
                for recipient, kudos in zip(section.columns[1:], figures, strict=True):
                    writer.writerow(
                        [section.key, spreadsheet_safe(label), spreadsheet_safe(recipient), kudos]
                    )
            else:
                writer.writerow([section.key, spreadsheet_safe(label), *figures])
    return out.getvalue()
