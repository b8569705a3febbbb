"""Policy signals: where the front line keeps going beyond the rules, and leaders revising
the rules in answer (Carlzon: service rules stay flexible, revised from what the front
line meets).

A story decided on the spot may name the rule or usual practice it went beyond, in words
and/or as one of the admin's policy areas: it then *raises a signal*. Signals add up by
area (those naming no area form one group of their own); leaders see the areas with the
most open signals of the last quarter, with the stories behind them. A leader who revised
the policy says so with a note: that closes the area's open signals, and everyone in
those stories is told that their decision changed how the company works.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from bot.db.models import PolicyRevision, Story
from bot.db.repositories import policies as repo
from bot.db.repositories import stories as stories_repo
from bot.domain import outbox
from bot.domain.common import clean_text
from bot.domain.directory import Requester
from bot.domain.errors import DomainError
from bot.domain.member_data import is_tombstone

QUARTER = timedelta(days=91)
RULE_MAX = 500  # characters of the rule a story names
NOTE_MAX = 1000  # characters of a leader's note on a revision
SIGNALS_SHOWN = 5  # areas listed, most signals first
STORIES_PER_SIGNAL = 3  # the newest stories shown under each area


@dataclass(frozen=True)
class SignalStory:
    """A story behind a signal, as leaders read it."""

    story_id: int
    author_user_id: str
    rule_bent: str
    action_taken: str
    is_recovery: bool
    channel_id: str | None
    message_ts: str | None
    created_at: datetime


@dataclass(frozen=True)
class LastRevision:
    leader_user_id: str | None
    """None: the leader has since been forgotten (their note is emptied too)."""
    note: str
    revised_at: datetime


@dataclass(frozen=True)
class PolicySignal:
    """The open signals of one area (`area_id` None: those that named no area)."""

    area_id: int | None
    area_name: str | None
    open_count: int
    stories: tuple[SignalStory, ...]
    last_revision: LastRevision | None


@dataclass(frozen=True)
class PolicySignals:
    """The areas with the most open signals raised since `since`; `more_areas` were left
    out of `signals`."""

    since: datetime
    signals: tuple[PolicySignal, ...]
    more_areas: int
    open_total: int


@dataclass(frozen=True)
class Revision:
    """A revision recorded: the signals it closed and the people owed a DM."""

    revision_id: int
    area_name: str | None
    closed: int
    told: int
    effect_keys: tuple[str, ...]  # what it owes Slack: the DMs and the cards to refresh


@dataclass(frozen=True)
class RevisionNotice:
    """What a person in a revised signal's stories is told."""

    area_name: str | None
    leader_user_id: str | None
    """None: the leader has since been forgotten."""
    note: str
    stories: tuple[SignalStory, ...]


@dataclass(frozen=True)
class SignalCounts:
    """For HR: signals raised and closed in a period, and those open at its end (raised
    before it ended, closed by no revision made by then)."""

    raised: int
    closed: int
    still_open: int


# --- rules without a database ---------------------------------------------------------


def raises_signal(decided_on_spot: bool, rule_bent: str, area_id: int | None) -> bool:
    return decided_on_spot and (bool(clean_text(rule_bent)) or area_id is not None)


def check_rule(decided_on_spot: bool, rule_bent: str, area_id: int | None) -> str | None:
    """The message key of what is wrong with the rule a story names, or None."""
    if len(clean_text(rule_bent)) > RULE_MAX:
        return "stories.errors.rule_too_long"
    if (clean_text(rule_bent) or area_id is not None) and not decided_on_spot:
        return "stories.errors.rule_needs_spot"
    return None


def can_read_signals(requester: Requester) -> bool:
    return requester.is_leader or requester.is_hr or requester.is_admin


# --- reading --------------------------------------------------------------------------


def policy_signals(
    session: Session, workspace_id: int, now: datetime, limit: int = SIGNALS_SHOWN
) -> PolicySignals:
    """The areas with the most open signals of the last quarter, most first (then the one
    with the newest story), each with its newest stories."""
    since = now - QUARTER
    stories = repo.open_signals(session, workspace_id, since)
    by_area: dict[int | None, list[Story]] = {}
    for story in stories:  # newest first, and so within each area
        by_area.setdefault(story.policy_area_id, []).append(story)
    ranked = sorted(
        by_area.items(), key=lambda item: (-len(item[1]), -item[1][0].created_at.timestamp())
    )
    shown = ranked[:limit]
    shown_stories = [
        story for _, area_stories in shown for story in area_stories[:STORIES_PER_SIGNAL]
    ]
    names = repo.area_names(session, [area for area, _ in shown if area is not None])
    revisions = repo.latest_revisions(session, workspace_id)
    users = stories_repo.user_ids_of(
        session,
        {story.author_id for story in shown_stories}
        | {revision.leader_id for revision in revisions.values()},
    )
    signals = tuple(
        PolicySignal(
            area_id=area_id,
            area_name=names.get(area_id) if area_id is not None else None,
            open_count=len(area_stories),
            stories=tuple(
                _signal_story(story, users) for story in area_stories[:STORIES_PER_SIGNAL]
            ),
            last_revision=_last_revision(revisions.get(area_id), users),
        )
        for area_id, area_stories in shown
    )
    return PolicySignals(
        since=since,
        signals=signals,
        more_areas=max(0, len(ranked) - limit),
        open_total=len(stories),
    )


def open_signal(
    session: Session, workspace_id: int, area_id: int | None, now: datetime
) -> tuple[str | None, int]:
    """The area's name and its open signals raised up to `now`, for a leader about to
    revise it. Raises DomainError for an area of no signal (unknown, or nothing open)."""
    name = None
    if area_id is not None:
        area = repo.area_in_workspace(session, workspace_id, area_id)
        if area is None:
            raise DomainError("policies.errors.unknown_area")
        name = area.name
    count = repo.count_open_in_area(session, workspace_id, area_id, now)
    if not count:
        raise DomainError("policies.errors.nothing_open")
    return name, count


def signal_counts(
    session: Session, workspace_id: int, start: datetime, end: datetime
) -> SignalCounts:
    return SignalCounts(
        raised=repo.count_raised(session, workspace_id, start, end),
        closed=repo.count_closed(session, workspace_id, start, end),
        still_open=repo.count_open(session, workspace_id, end),
    )


def revision_notice(
    session: Session, workspace_id: int, revision_id: int, member_id: int
) -> RevisionNotice | None:
    """The DM owed to `member_id` about a revision: the stories of theirs it closed. None
    when there is nothing left to tell (the stories were deleted since)."""
    revision = repo.revision_in_workspace(session, workspace_id, revision_id)
    if revision is None:
        return None
    closed = repo.stories_closed_by(session, revision.id)
    people = repo.people_of(session, [story.id for story in closed])
    theirs = [story for story in closed if member_id in people.get(story.id, set())]
    if not theirs:
        return None
    users = stories_repo.user_ids_of(
        session, {story.author_id for story in theirs} | {revision.leader_id}
    )
    names = repo.area_names(session, [revision.policy_area_id] if revision.policy_area_id else [])
    return RevisionNotice(
        area_name=names.get(revision.policy_area_id) if revision.policy_area_id else None,
        leader_user_id=_leader(users[revision.leader_id]),
        note=revision.note,
        stories=tuple(_signal_story(story, users) for story in theirs),
    )


# --- revising -------------------------------------------------------------------------


def revise_policy(
    session: Session,
    requester: Requester,
    area_id: int | None,
    note: str,
    as_of: datetime,
    now: datetime,
) -> Revision:
    """A leader revised the policy behind an area's signals. Closes the area's open
    signals raised up to `as_of` (what the leader was shown: a story shared while they
    wrote the note stays open) and owes a DM to each person in those stories but the
    leader. Raises DomainError when there is nothing open to close."""
    if not requester.is_leader:
        raise DomainError("policies.errors.leaders_only")
    as_of = min(as_of, now)  # a form can only have been opened in the past
    note = clean_text(note)
    if not note:
        raise DomainError("policies.errors.note_required")
    if len(note) > NOTE_MAX:
        raise DomainError("policies.errors.note_too_long", max=NOTE_MAX)
    area_name = None
    if area_id is not None:
        area = repo.area_in_workspace(session, requester.workspace_id, area_id)
        if area is None:
            raise DomainError("policies.errors.unknown_area")
        area_name = area.name
    # Refuse before writing anything: a caller that catches the refusal must not be left
    # with a revision that closed nothing in its transaction.
    if not repo.count_open_in_area(session, requester.workspace_id, area_id, as_of):
        raise DomainError("policies.errors.nothing_open")
    revision = repo.add_revision(
        session, requester.workspace_id, area_id, requester.member_id, note, now
    )
    # Conditional: of two leaders revising at once, the second waits for the first's
    # row locks and closes only what is still open then, possibly nothing.
    closed = repo.close_signals(session, requester.workspace_id, area_id, as_of, revision.id)
    if not closed:
        session.delete(revision)  # lost the race: no revision without signals
        session.flush()
        raise DomainError("policies.errors.nothing_open")
    people = repo.people_of(session, closed)
    told = sorted(set().union(*people.values()) - {requester.member_id})
    for member_id in told:
        outbox.owe_revision_notice(session, requester.workspace_id, revision.id, member_id, now)
    for story_id in closed:  # the cards say the policy was revised
        outbox.owe_refresh(session, requester.workspace_id, story_id, now)
    keys = [outbox.revision_notice_key(revision.id, member_id) for member_id in told]
    keys += [outbox.refresh_key(story_id) for story_id in closed]
    return Revision(revision.id, area_name, len(closed), len(told), tuple(keys))


def _signal_story(story: Story, users: dict[int, str]) -> SignalStory:
    return SignalStory(
        story_id=story.id,
        author_user_id=users[story.author_id],
        rule_bent=story.rule_bent,
        action_taken=story.action_taken,
        is_recovery=story.is_recovery,
        channel_id=story.channel_id,
        message_ts=story.message_ts,
        created_at=story.created_at,
    )


def _last_revision(revision: PolicyRevision | None, users: dict[int, str]) -> LastRevision | None:
    if revision is None:
        return None
    return LastRevision(_leader(users[revision.leader_id]), revision.note, revision.created_at)


def _leader(user_id: str) -> str | None:
    return None if is_tombstone(user_id) else user_id
