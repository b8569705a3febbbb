"""What the culture-pulse page shows, built from the domain's released figures only:
HR and admins get the workspace's trends and every group the round released; a leader
gets their own team, and only where the round released it (at least K answered, no
difference with another group reveals fewer). The same page, the same rules as Slack's
summary, from the same function (culture_pulse.pulse_summary, the pulse part of
hr_summary).

    register(blueprint)   pages.py adds /dashboard/pulse and /dashboard/pulse.csv
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime

from flask import Blueprint, Response, g
from sqlalchemy.orm import Session

from bot.db.types import utcnow
from bot.domain.culture_pulse import DIMENSION_ORDER as DIMENSIONS
from bot.domain.culture_pulse import PulseSummary, pulse_summary
from bot.domain.dashboard_access import Audience, DashboardViewer
from bot.domain.pulse import last_closed_round_id
from bot.domain.pulse_bank import BANK_BY_KEY
from bot.domain.pulse_results import GroupResult, QuestionResult
from bot.i18n import Translate, resolve_locale, translator
from bot.web.dashboard import charts
from bot.web.dashboard.charts import Chart
from bot.web.dashboard.csv_files import csv_download, spreadsheet_safe
from bot.web.dashboard.rendering import render, viewer_locale, viewer_required
from bot.web.unit_of_work import request_session


def register(blueprint: Blueprint) -> None:
    blueprint.add_url_rule("/pulse", "pulse", pulse)
    blueprint.add_url_rule("/pulse.csv", "pulse_csv", pulse_csv)


@viewer_required
def pulse() -> str:
    viewer: DashboardViewer = g.viewer
    locale = viewer_locale(viewer)
    page = pulse_page(request_session(), viewer, locale, utcnow())
    if viewer.audience is Audience.TEAM:
        title = translator(locale)("dashboard.pulse.team_title", team=viewer.team_name or "–")
    else:
        title = translator(locale)("dashboard.pulse.title")
    return render("dashboard_pulse.html", locale, title, page=page)


@viewer_required
def pulse_csv() -> Response:
    viewer: DashboardViewer = g.viewer
    page = pulse_page(request_session(), viewer, viewer_locale(viewer), utcnow())
    return csv_download(groups_csv(page), f"motbot-pulse-{page.period or 'none'}.csv")


@dataclass(frozen=True)
class GroupRow:
    label: str
    respondents: int
    dimensions: tuple[float | None, ...]  # in DIMENSIONS order
    enps: float | None


@dataclass(frozen=True)
class PulsePage:
    period: str | None
    """The round shown; None when no round has closed yet."""
    min_group: int | None
    response_rate_pct: float | None
    respondents: int | None
    invited: int | None
    dimension_names: tuple[str, ...]
    groups: tuple[GroupRow, ...]
    suppressed_teams: int
    comment_count: int
    charts: tuple[Chart, ...]
    """The charts, in the order the page shows them (drawn when it is rendered)."""
    own_team_hidden: bool = False
    """A leader's team was not released (fewer than K answered, or differencing)."""


def pulse_page(session: Session, viewer: DashboardViewer, locale: str, now: datetime) -> PulsePage:
    t = translator(locale)
    round_id = last_closed_round_id(session, viewer.workspace_id)
    summary = pulse_summary(session, viewer.workspace_id, round_id, now) if round_id else None
    if summary is None:
        return PulsePage(None, None, None, None, None, (), (), (), 0, 0, ())
    names = tuple(t(f"pulse.dimension.{name}") for name in DIMENSIONS)
    if viewer.audience is Audience.CULTURE:
        return _culture(summary, names, t, locale)
    return _team(summary, viewer, names, t, locale)


def _culture(summary: PulseSummary, names: tuple[str, ...], t: Translate, locale: str) -> PulsePage:
    results = summary.results
    periods = [past.period for past in summary.rounds]
    drawn = [
        charts.later(charts.dimension_trend_chart, t, summary.trends, periods),
        charts.later(charts.response_rate_chart, t, summary.response_rates),
    ]
    if charts.has_enps(summary.trends):
        drawn.append(charts.later(charts.enps_chart, t, summary.trends, periods))
    if results.groups and results.groups[0].questions:
        whole = results.groups[0]
        labels = _question_labels(locale, whole.questions)
        drawn.append(charts.later(charts.distribution_chart, t, whole.questions, labels))
    return PulsePage(
        period=summary.period,
        min_group=summary.min_group,
        response_rate_pct=round(100 * results.response_rate, 1),
        respondents=results.responded,
        invited=results.invited,
        dimension_names=names,
        groups=tuple(_row(t, group) for group in results.groups),
        suppressed_teams=results.suppressed_teams,
        comment_count=summary.comment_count,
        charts=tuple(drawn),
    )


def _team(
    summary: PulseSummary,
    viewer: DashboardViewer,
    names: tuple[str, ...],
    t: Translate,
    locale: str,
) -> PulsePage:
    """A leader's view: their own team's released group, nothing of the rest."""
    results = summary.results
    own = next(
        (
            group
            for group in results.groups
            if group.kind == "team" and group.label_key_or_name == viewer.team_name
        ),
        None,
    )
    drawn: tuple[Chart, ...] = ()
    if own is not None and own.questions:
        labels = _question_labels(locale, own.questions)
        drawn = (charts.later(charts.distribution_chart, t, own.questions, labels),)
    return PulsePage(
        period=summary.period,
        min_group=summary.min_group,
        response_rate_pct=None,
        respondents=None,
        invited=None,
        dimension_names=names,
        groups=(_row(t, own),) if own is not None else (),
        suppressed_teams=0,
        comment_count=0,
        charts=drawn,
        own_team_hidden=own is None,
    )


def _row(t: Translate, group: GroupResult) -> GroupRow:
    label = (
        t(group.label_key_or_name)
        if group.kind in ("workspace", "other")
        else group.label_key_or_name
    )
    return GroupRow(
        label=label,
        respondents=group.respondents,
        dimensions=tuple(group.dimensions.get(name) for name in DIMENSIONS),
        enps=group.enps,
    )


def _question_labels(locale: str, questions: tuple[QuestionResult, ...]) -> list[str]:
    zh = resolve_locale(locale) == "zh-CN"
    labels = []
    for question in questions:
        bank = BANK_BY_KEY.get(question.key)
        labels.append((bank.text_zh if zh else bank.text_en) if bank else question.key)
    return labels


def groups_csv(page: PulsePage) -> str:
    """The released groups of the page as CSV: the aggregates shown, nothing more."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["period", "group", "respondents", *page.dimension_names, "eNPS"])
    for row in page.groups:
        writer.writerow(
            [
                page.period,
                spreadsheet_safe(row.label),  # a team's name, typed by an admin
                row.respondents,
                *("" if value is None else f"{value:.2f}" for value in row.dimensions),
                "" if row.enps is None else f"{row.enps:.0f}",
            ]
        )
    return out.getvalue()
