"""The policy signals page, /dashboard/policies (and its figures as CSV,
/dashboard/policies.csv): signals raised and closed per week over the last 12 weeks, and
the areas with the most open signals of the last quarter, each with its newest stories and
its last revision, from bot/domain/policy_report.py.

    register(blueprint)   pages.py adds the routes to the dashboard's blueprint

HR, admins and leaders all read the same page, the whole workspace's: in Slack,
`/mot policies` shows all three the same list (`policy_signals.can_read_signals`), and
the stories behind a signal are public cards signed by their tellers, so a leader's page
is not cut down to their team as the pulse and recognition pages are.

The dashboard only reads: leaders mark a policy revised in Slack (`/mot policies`), where
the people in its stories are told. The weeks are the workspace's local weeks (as HR's
summary counts them); a story's or a revision's day is read in the reader's time zone,
as on the story wall. The page and the CSV are drawn from the same `PoliciesPage`, so
the CSV holds exactly the figures the page's tables show.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass

from flask import Blueprint, Response, g

from bot.db.types import utcnow
from bot.domain.common import local_day
from bot.domain.dashboard_access import DashboardViewer
from bot.domain.member_data import shown_name
from bot.domain.policy_report import PolicyReport, WeekSignals, policy_report
from bot.domain.policy_signals import LastRevision, PolicySignal, SignalStory
from bot.i18n import Translate, translator
from bot.web.dashboard import charts
from bot.web.dashboard.csv_files import csv_download, spreadsheet_safe
from bot.web.dashboard.rendering import render, viewer_locale, viewer_required
from bot.web.dashboard.slack_links import SlackLinks, slack_links
from bot.web.dashboard.story_wall_page import excerpt
from bot.web.unit_of_work import request_session

WEEK_CSV_COLUMNS = ("week", "raised", "closed", "still_open")
AREA_CSV_COLUMNS = ("area", "open", "last_revised")


def register(blueprint: Blueprint) -> None:
    blueprint.add_url_rule("/policies", "policies", policies)
    blueprint.add_url_rule("/policies.csv", "policies_csv", policies_csv)


# --- what the page shows ----------------------------------------------------------------


@dataclass(frozen=True)
class WeekRow:
    period: str
    raised: int
    closed: int
    still_open: int


@dataclass(frozen=True)
class StoryRow:
    """A story behind a signal: who told it and when, the rule, what they did."""

    heading: str  # "Moment of truth · Alice · 2026-11-23"
    rule: str
    """The rule gone beyond in their words ("a usual rule" when only an area is named)."""
    action: str
    link: str | None
    """The card in Slack; None until it is posted."""


@dataclass(frozen=True)
class AreaRow:
    name: str
    """The area's name, or the label of the signals filed under no area."""
    open_count: int
    last_revised: str
    """The day of the area's last revision (YYYY-MM-DD), or "" if never revised."""
    revision: str
    """Who revised it last, when, and their note; or that it was never revised."""
    stories: tuple[StoryRow, ...]
    more_stories: str | None


@dataclass(frozen=True)
class PoliciesPage:
    title: str
    intro: tuple[str, ...]
    week_columns: tuple[str, ...]
    weeks: tuple[WeekRow, ...]
    chart: charts.Chart | None
    """None when every week's figures are zero: nothing to draw."""
    open_total: str
    area_columns: tuple[str, ...]
    areas: tuple[AreaRow, ...]
    more_areas: str | None
    empty: str | None
    """What a policy signal is, when no area has an open one; else None."""


@viewer_required
def policies() -> str:
    viewer: DashboardViewer = g.viewer
    locale = viewer_locale(viewer)
    page = _page(viewer, translator(locale))
    return render("dashboard_policies.html", locale, page.title, page=page)


@viewer_required
def policies_csv() -> Response:
    viewer: DashboardViewer = g.viewer
    return csv_download(
        page_csv(_page(viewer, translator(viewer_locale(viewer)))), "motbot-policies.csv"
    )


def _page(viewer: DashboardViewer, t: Translate) -> PoliciesPage:
    report = policy_report(request_session(), viewer.workspace_id, utcnow())
    return policies_page(report, slack_links(viewer), viewer.timezone, t)


def policies_page(
    report: PolicyReport, links: SlackLinks, reader_tz: str, t: Translate
) -> PoliciesPage:
    """The page for `report`; `links` lead from its stories to their cards, and their days
    are read in `reader_tz`."""
    weeks = tuple(week_row(week) for week in report.weeks)
    columns = (
        t("dashboard.policies.week"),
        t("dashboard.policies.raised"),
        t("dashboard.policies.closed"),
        t("dashboard.policies.still_open"),
    )
    signals = report.signals
    return PoliciesPage(
        title=t("dashboard.policies.title"),
        intro=(
            t("policies.intro"),
            t(
                "dashboard.policies.window",
                first=weeks[0].period,
                last=weeks[-1].period,
                tz=report.timezone,
            ),
        ),
        week_columns=columns,
        weeks=weeks,
        chart=_weeks_chart(t, weeks, columns[1:]),
        open_total=t("policies.text", count=signals.open_total),
        area_columns=(
            t("dashboard.policies.area"),
            t("dashboard.policies.open"),
            t("dashboard.policies.last_revised_on"),
        ),
        areas=tuple(
            area_row(signal, report.names, reader_tz, links, t) for signal in signals.signals
        ),
        more_areas=t("policies.more_areas", count=signals.more_areas)
        if signals.more_areas
        else None,
        empty=t("dashboard.policies.empty")
        if not signals.signals and not signals.more_areas
        else None,
    )


def week_row(week: WeekSignals) -> WeekRow:
    counts = week.counts
    return WeekRow(week.period, counts.raised, counts.closed, counts.still_open)


def _weeks_chart(
    t: Translate, weeks: tuple[WeekRow, ...], names: tuple[str, ...]
) -> charts.Chart | None:
    series = [
        (names[0], [week.raised for week in weeks]),
        (names[1], [week.closed for week in weeks]),
        (names[2], [week.still_open for week in weeks]),
    ]
    if not any(any(counts) for _, counts in series):
        return None  # a flat line at zero says less than the table does
    return charts.later(charts.policy_weeks_chart, t, [week.period for week in weeks], series)


def area_row(
    signal: PolicySignal, names: Mapping[str, str], tz: str, links: SlackLinks, t: Translate
) -> AreaRow:
    revision = signal.last_revision
    hidden = signal.open_count - len(signal.stories)
    return AreaRow(
        name=signal.area_name or t("policies.no_area"),
        open_count=signal.open_count,
        last_revised=local_day(revision.revised_at, tz) if revision else "",
        revision=_revision(revision, names, tz, t),
        stories=tuple(story_row(story, names, tz, links, t) for story in signal.stories),
        more_stories=t("policies.more_stories", count=hidden) if hidden > 0 else None,
    )


def story_row(
    story: SignalStory, names: Mapping[str, str], tz: str, links: SlackLinks, t: Translate
) -> StoryRow:
    kind = "stories.card.recovery_mrkdwn" if story.is_recovery else "stories.card.title_mrkdwn"
    return StoryRow(
        heading=t(
            "policies.story_line",
            kind=t(kind),
            author=names.get(story.author_user_id) or shown_name(story.author_user_id, None, None),
            date=local_day(story.created_at, tz),
        ),
        rule=excerpt(story.rule_bent) or t("stories.card.rule_unnamed"),
        action=excerpt(story.action_taken),
        link=links.card(story.channel_id, story.message_ts),
    )


def _revision(
    revision: LastRevision | None, names: Mapping[str, str], tz: str, t: Translate
) -> str:
    if revision is None:
        return t("dashboard.policies.not_revised")
    leader = revision.leader_user_id
    return t(
        "dashboard.policies.last_revised",
        leader=names.get(leader, leader) if leader else t("policies.former_leader"),
        date=local_day(revision.revised_at, tz),
        note=excerpt(revision.note) or "–",  # a forgotten leader's note is emptied
    )


# --- the CSV ----------------------------------------------------------------------------


def page_csv(page: PoliciesPage) -> str:
    """The page's two tables, one after the other, each led by a header row and each row
    by its section's name (as the recognition CSV). Area names are people's text: a cell
    a spreadsheet would run as a formula gets a leading '."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["section", *WEEK_CSV_COLUMNS])
    for week in page.weeks:
        writer.writerow(["week", week.period, week.raised, week.closed, week.still_open])
    writer.writerow(["section", *AREA_CSV_COLUMNS])
    for area in page.areas:
        writer.writerow(["area", spreadsheet_safe(area.name), area.open_count, area.last_revised])
    return out.getvalue()
