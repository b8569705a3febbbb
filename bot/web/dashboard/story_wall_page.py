"""The story wall page, /dashboard/stories (and its CSV, /dashboard/stories.csv): the
stories HR (every story) or a leader (their team's) may read, searched and filtered from
the query string (bot/domain/story_wall.py reads it as untrusted text).

    register(blueprint)   pages.py adds the routes to the dashboard's blueprint

Each row links to its card in Slack (slack_links.py).

What the page shows is built here by pure functions (`wall_view`, `wall_csv`) from the
domain's StoryWall; the template autoescapes every text people wrote.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from flask import Blueprint, Response, g, request, url_for

from bot.db.types import utcnow
from bot.domain import common
from bot.domain.common import local_day
from bot.domain.dashboard_access import Audience, DashboardViewer
from bot.domain.stories import Touchpoint
from bot.domain.story_wall import PAGE, StoryWall, WallStory, story_wall, wall_export
from bot.i18n import Translate, translator
from bot.web.dashboard.csv_files import csv_download, spreadsheet_safe
from bot.web.dashboard.rendering import render, viewer_locale, viewer_required
from bot.web.dashboard.slack_links import SlackLinks, slack_links
from bot.web.unit_of_work import request_session

EXCERPT = 280
"""Characters of each text a row shows (the CSV holds the same excerpts)."""


def register(blueprint: Blueprint) -> None:
    blueprint.add_url_rule("/stories", "stories", stories)
    blueprint.add_url_rule("/stories.csv", "stories_csv", stories_csv)


@viewer_required
def stories() -> str:
    viewer: DashboardViewer = g.viewer
    locale = viewer_locale(viewer)
    wall = story_wall(request_session(), viewer, request.args)
    view = wall_view(wall, viewer, slack_links(viewer), translator(locale), _url)
    return render("dashboard_stories.html", locale, view.title, wall=wall, view=view)


@viewer_required
def stories_csv() -> Response:
    viewer: DashboardViewer = g.viewer
    found = wall_export(request_session(), viewer, request.args)
    name = f"motbot-stories-{utcnow().date().isoformat()}.csv"
    return csv_download(
        wall_csv(found, viewer, slack_links(viewer), translator(viewer_locale(viewer))), name
    )


def _url(endpoint: str, query: dict[str, str]) -> str:
    return url_for(f"dashboard.{endpoint}", **query)


# --- what the page shows ----------------------------------------------------------------


@dataclass(frozen=True)
class StoryRow:
    date: str
    """The day it was shared, in the reader's time zone (YYYY-MM-DD)."""
    touchpoint: str
    author: str
    people: tuple[str, ...]
    excerpts: tuple[tuple[str, str], ...]
    """(label, excerpt) of each text told, in the card's order."""
    values: tuple[str, ...]
    tag_count: int
    backers: tuple[str, ...]
    on_spot: bool
    recovery: bool
    rule: str | None
    """The rule gone beyond, in words ("a usual rule" when only an area is named)."""
    policy_area: str | None
    link: str | None
    """The card in Slack; None until it is posted."""


@dataclass(frozen=True)
class WallView:
    title: str
    intro: str
    rows: tuple[StoryRow, ...]
    notes: tuple[str, ...]
    touchpoints: tuple[tuple[str, str], ...]
    """(value, label) of each touchpoint, for the filter."""
    chosen: dict[str, str]
    """The filters in force, as the form's fields hold them."""
    previous_url: str | None
    next_url: str | None
    csv_url: str
    clear_url: str | None


def wall_view(
    wall: StoryWall,
    viewer: DashboardViewer,
    links: SlackLinks,
    t: Translate,
    url: Callable[[str, dict[str, str]], str],
) -> WallView:
    """The page for `wall`: rows, notes and links; `url(endpoint, query)` builds links."""
    query = wall.filters.query()
    if wall.audience is Audience.TEAM:
        title = t("dashboard.stories.team_title", team=wall.team_name or "–")
        intro = t("dashboard.stories.team_intro", team=wall.team_name or "–")
    else:
        title, intro = t("dashboard.stories.title"), t("dashboard.stories.intro")
    return WallView(
        title=title,
        intro=intro,
        rows=tuple(story_row(story, viewer, links, t) for story in wall.stories),
        notes=tuple(t(note.key, **note.params) for note in wall.notes),
        touchpoints=tuple((tp.value, t(f"stories.touchpoint.{tp.value}")) for tp in Touchpoint),
        chosen=query,
        previous_url=url("stories", {**query, PAGE: str(wall.page - 1)}) if wall.page > 1 else None,
        next_url=url("stories", {**query, PAGE: str(wall.page + 1)})
        if wall.page < wall.pages
        else None,
        csv_url=url("stories_csv", query),
        clear_url=url("stories", {}) if wall.filters.any else None,
    )


def story_row(
    story: WallStory, viewer: DashboardViewer, links: SlackLinks, t: Translate
) -> StoryRow:
    texts = (
        ("stories.card.went_wrong", story.went_wrong),
        ("stories.card.need", story.customer_need),
        ("stories.card.action", story.action_taken),
        ("stories.card.outcome", story.outcome),
    )
    rule = None
    if story.raises_policy_signal:
        rule = story.rule_bent or t("stories.card.rule_unnamed")
    return StoryRow(
        date=local_day(story.created_at, viewer.timezone),
        touchpoint=t(f"stories.touchpoint.{story.touchpoint.value}"),
        author=story.author,
        people=story.people,
        excerpts=tuple((t(key), excerpt(text)) for key, text in texts if text),
        values=tuple(f"#{value.tag}" for value in story.values),
        tag_count=story.tag_count,
        backers=story.backers,
        on_spot=story.decided_on_spot,
        recovery=story.is_recovery,
        rule=rule,
        policy_area=story.policy_area,
        link=links.card(story.channel_id, story.message_ts),
    )


def excerpt(text: str) -> str:
    """A text as the dashboard shows it (common.excerpt, at most EXCERPT characters)."""
    return common.excerpt(text, EXCERPT)


# --- the CSV ----------------------------------------------------------------------------


def wall_csv(
    stories: Sequence[WallStory], viewer: DashboardViewer, links: SlackLinks, t: Translate
) -> str:
    """The filtered stories as CSV: the same excerpts as the page, no names but the
    backing leaders', and the link to each card. A cell a spreadsheet would run as a
    formula gets a leading '."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            t("dashboard.stories.csv.date"),
            t("dashboard.stories.touchpoint"),
            t("stories.card.need"),
            t("stories.card.action"),
            t("stories.card.outcome"),
            t("stories.card.went_wrong"),
            t("dashboard.stories.csv.values"),
            t("dashboard.stories.csv.tags"),
            t("dashboard.stories.csv.backed_by"),
            t("dashboard.stories.recovery"),
            t("dashboard.stories.on_spot"),
            t("dashboard.stories.csv.rule"),
            t("dashboard.stories.csv.policy_area"),
            t("dashboard.stories.csv.link"),
        ]
    )
    yes, no = t("dashboard.stories.yes"), t("dashboard.stories.no")
    for story in stories:  # every text cell may hold what a person typed
        row = story_row(story, viewer, links, t)
        writer.writerow(
            [
                row.date,
                row.touchpoint,
                *(
                    spreadsheet_safe(excerpt(text))
                    for text in (
                        story.customer_need,
                        story.action_taken,
                        story.outcome,
                        story.went_wrong,
                    )
                ),
                " ".join(row.values),
                row.tag_count,
                spreadsheet_safe(", ".join(row.backers)),
                yes if row.recovery else no,
                yes if row.on_spot else no,
                spreadsheet_safe(row.rule or ""),
                spreadsheet_safe(row.policy_area or ""),
                row.link or "",
            ]
        )
    return out.getvalue()
