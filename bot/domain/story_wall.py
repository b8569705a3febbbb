"""The story wall: the stories of a workspace as HR and leaders browse them outside Slack,
newest first, a page at a time, searched and filtered (touchpoint, company value, decided
on the spot, backed by a leader, service recovery).

Who reads what (bot/domain/dashboard_access.py): HR and admins every story; a leader the
stories of their own team (written by, or about, one of its members). Stories are public
in their Slack channel anyway; the wall keeps the dashboard's rule that a leader reads
their own team.

The filters arrive as untrusted text (a query string): `read_filters` keeps what it
understands and says, as notes, what it ignored or shortened; nothing a person types
fails the page. Deleted stories are never shown.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from bot.db.models import CompanyValue, Story
from bot.db.repositories import policies as policies_repo
from bot.db.repositories import stories as stories_repo
from bot.db.repositories import story_wall as repo
from bot.db.repositories import values as values_repo
from bot.db.repositories.directory import names_by_member
from bot.domain.common import clean_text
from bot.domain.dashboard_access import Audience, DashboardViewer
from bot.domain.member_data import shown_name
from bot.domain.stories import Touchpoint
from bot.domain.values import ValueLabel

PER_PAGE = 25
SEARCH_MAX = 100
"""Characters of search text kept; the rest is dropped, with a note."""
GIVEN_MAX = 40
"""Characters of an ignored filter value repeated back in a note."""
EXPORT_BATCH = 500

# The query string's names.
SEARCH, TOUCHPOINT, VALUE, ON_SPOT, BACKED, RECOVERY, PAGE = (
    "q",
    "touchpoint",
    "value",
    "on_spot",
    "backed",
    "recovery",
    "page",
)
YES, NO = "yes", "no"
_CHOICES = {YES: True, NO: False, "": None}


@dataclass(frozen=True)
class WallFilters:
    """What the wall is asked to show; None (or "") means any."""

    search: str = ""
    touchpoint: Touchpoint | None = None
    value: str | None = None
    """A company value's tag, as the workspace spells it."""
    on_spot: bool | None = None
    backed: bool | None = None
    recovery: bool | None = None

    def query(self) -> dict[str, str]:
        """The query string that asks for these filters (only those set)."""
        pairs = {
            SEARCH: self.search,
            TOUCHPOINT: self.touchpoint.value if self.touchpoint else "",
            VALUE: self.value or "",
            ON_SPOT: _choice(self.on_spot),
            BACKED: _choice(self.backed),
            RECOVERY: _choice(self.recovery),
        }
        return {name: value for name, value in pairs.items() if value}

    @property
    def any(self) -> bool:
        return bool(self.query())


@dataclass(frozen=True)
class Note:
    """Something the page tells the reader about their filters: a message key and its
    parameters."""

    key: str
    params: Mapping[str, str | int] = field(default_factory=dict)


@dataclass(frozen=True)
class WallStory:
    """One story as a row of the wall shows it (texts whole; shortening is the page's)."""

    id: int
    created_at: datetime
    author: str
    people: tuple[str, ...]
    """The other people in the story (not the author), by display name."""
    touchpoint: Touchpoint
    customer_need: str
    action_taken: str
    outcome: str
    went_wrong: str
    decided_on_spot: bool
    is_recovery: bool
    values: tuple[ValueLabel, ...]
    tag_count: int
    backers: tuple[str, ...]
    rule_bent: str
    policy_area: str | None
    raises_policy_signal: bool
    channel_id: str | None
    message_ts: str | None
    """Where the story's card is in Slack; None until the card is posted."""


@dataclass(frozen=True)
class StoryWall:
    audience: Audience
    team_name: str | None
    filters: WallFilters
    notes: tuple[Note, ...]
    stories: tuple[WallStory, ...]
    total: int
    page: int
    pages: int
    values: tuple[ValueLabel, ...]
    """The values one may filter by: the workspace's active ones, then retired ones."""
    no_team: bool = False
    """A leader of no team motbot knows: there is nothing of theirs to show."""


# --- reading the filters ----------------------------------------------------------------


def read_filters(
    query: Mapping[str, str], value_tags: Collection[str]
) -> tuple[WallFilters, tuple[Note, ...]]:
    """The filters a query string asks for, and notes on what was ignored or shortened.

    `value_tags` are the workspace's values; a value is matched case-insensitively, with
    or without its `#`. Anything not understood (an unknown touchpoint or value, a choice
    other than yes or no) is ignored, with a note that repeats it (shortened)."""
    notes: list[Note] = []
    search = " ".join(clean_text(query.get(SEARCH) or "").split())
    if len(search) > SEARCH_MAX:
        search = search[:SEARCH_MAX].rstrip()
        notes.append(Note("dashboard.stories.note.search_cut", {"max": SEARCH_MAX}))

    touchpoint = None
    given = clean_text(query.get(TOUCHPOINT) or "")
    if given:
        try:
            touchpoint = Touchpoint(given)
        except ValueError:
            notes.append(Note("dashboard.stories.note.touchpoint", {"given": _shown(given)}))

    value = None
    given = clean_text(query.get(VALUE) or "")
    if given:
        tags = {tag.casefold(): tag for tag in value_tags}
        value = tags.get(given.lstrip("#").casefold())
        if value is None:
            notes.append(Note("dashboard.stories.note.value", {"given": _shown(given)}))

    choices: dict[str, bool | None] = {}
    for name in (ON_SPOT, BACKED, RECOVERY):
        given = clean_text(query.get(name) or "")
        choices[name] = _CHOICES.get(given.lower())
        if given.lower() not in _CHOICES:
            notes.append(Note("dashboard.stories.note.choice", {"given": _shown(given)}))

    filters = WallFilters(
        search=search,
        touchpoint=touchpoint,
        value=value,
        on_spot=choices[ON_SPOT],
        backed=choices[BACKED],
        recovery=choices[RECOVERY],
    )
    return filters, tuple(notes)


def read_page(given: str | None) -> int:
    """The page number asked for: a positive whole number, else 1 (the wall clamps it
    to its last page)."""
    text = (given or "").strip()
    if not text.isascii() or not text.isdigit():
        return 1
    return max(1, min(int(text[:9]), 10**6))


def _shown(given: str) -> str:
    return given if len(given) <= GIVEN_MAX else given[: GIVEN_MAX - 1] + "…"


def _choice(flag: bool | None) -> str:
    return "" if flag is None else YES if flag else NO


# --- the wall ---------------------------------------------------------------------------


def story_wall(session: Session, viewer: DashboardViewer, query: Mapping[str, str]) -> StoryWall:
    """The page of the wall the query string asks for, as `viewer` may read it. A page
    past the last is the last page."""
    values = values_repo.all_values(session, viewer.workspace_id)
    filters, notes, wall = _read(viewer, query, values)
    labels = tuple(ValueLabel(value.tag, value.name) for value in values)
    if wall is None:
        return StoryWall(viewer.audience, None, filters, notes, (), 0, 1, 1, labels, no_team=True)
    total = repo.count_stories(session, wall)
    pages = max(1, -(-total // PER_PAGE))
    page = min(read_page(query.get(PAGE)), pages)
    rows = repo.stories(session, wall, (page - 1) * PER_PAGE, PER_PAGE)
    return StoryWall(
        audience=viewer.audience,
        team_name=viewer.team_name if viewer.audience is Audience.TEAM else None,
        filters=filters,
        notes=notes,
        stories=tuple(_rows(session, rows)),
        total=total,
        page=page,
        pages=pages,
        values=labels,
    )


def wall_export(
    session: Session, viewer: DashboardViewer, query: Mapping[str, str]
) -> list[WallStory]:
    """Every story the query's filters match (all pages), newest first, for the CSV."""
    _filters, _notes, wall = _read(
        viewer, query, values_repo.all_values(session, viewer.workspace_id)
    )
    if wall is None:
        return []
    found: list[WallStory] = []
    while batch := repo.stories(session, wall, len(found), EXPORT_BATCH):
        found += _rows(session, batch)
        if len(batch) < EXPORT_BATCH:
            break
    return found


def _read(
    viewer: DashboardViewer, query: Mapping[str, str], values: Sequence[CompanyValue]
) -> tuple[WallFilters, tuple[Note, ...], repo.WallFilter | None]:
    """The query string's filters, what to tell about them, and the query they make."""
    filters, notes = read_filters(query, [value.tag for value in values])
    return filters, notes, _filter(viewer, filters, {value.tag: value.id for value in values})


def _filter(
    viewer: DashboardViewer, filters: WallFilters, value_ids: Mapping[str, int]
) -> repo.WallFilter | None:
    """The query for what `viewer` may read with these filters; None: nothing at all (a
    leader whose team motbot does not know)."""
    team_id = None
    if viewer.audience is not Audience.CULTURE:
        if viewer.team_id is None:
            return None
        team_id = viewer.team_id
    return repo.WallFilter(
        workspace_id=viewer.workspace_id,
        team_id=team_id,
        search=filters.search,
        touchpoint=filters.touchpoint.value if filters.touchpoint else None,
        value_id=value_ids[filters.value] if filters.value else None,
        decided_on_spot=filters.on_spot,
        backed=filters.backed,
        recovery=filters.recovery,
    )


def _rows(session: Session, stories: list[Story]) -> list[WallStory]:
    """The rows of these stories, in a fixed number of queries however many they are."""
    if not stories:
        return []
    ids = [story.id for story in stories]
    people = repo.people_ids(session, ids)
    backers = repo.backer_ids(session, ids)
    names = {
        member_id: shown_name(*row)
        for member_id, row in names_by_member(
            session,
            {story.author_id for story in stories}
            | {member for members in people.values() for member in members}
            | {member for members in backers.values() for member in members},
        ).items()
    }
    values = stories_repo.story_values(session, ids)
    tags = stories_repo.tag_counts(session, ids)
    areas = policies_repo.area_names(
        session, {story.policy_area_id for story in stories if story.policy_area_id is not None}
    )
    return [
        WallStory(
            id=story.id,
            created_at=story.created_at.astimezone(UTC),
            author=names.get(story.author_id, ""),
            people=tuple(
                names.get(member, "")
                for member in people.get(story.id, [])
                if member != story.author_id
            ),
            touchpoint=Touchpoint(story.touchpoint),
            customer_need=story.customer_need,
            action_taken=story.action_taken,
            outcome=story.outcome,
            went_wrong=story.went_wrong,
            decided_on_spot=story.decided_on_spot,
            is_recovery=story.is_recovery,
            values=tuple(ValueLabel(value.tag, value.name) for value in values.get(story.id, [])),
            tag_count=tags.get(story.id, 0),
            backers=tuple(names.get(member, "") for member in backers.get(story.id, [])),
            rule_bent=story.rule_bent,
            policy_area=areas.get(story.policy_area_id) if story.policy_area_id else None,
            raises_policy_signal=story.raises_policy_signal,
            channel_id=story.channel_id,
            message_ts=story.message_ts,
        )
        for story in stories
    ]
