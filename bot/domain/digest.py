"""The weekly leadership digest: what a leader should see of their week, in one DM.

Six parts, each with its rule:

1. Top stories: not-deleted stories created in the week, workspace-wide, most tagged
   first (every tag the story has), then oldest first; at most TOP_STORIES.
2. Decisions awaiting a leader: not-deleted stories created in the last RECENT window
   (28 days before `now`) whose teller decided on the spot and that no leader has backed
   yet, newest first; at most AWAITING_STORIES. Stories the leader wrote or is one of
   the people in are left out, since nobody backs their own decision.
3. The team's recognition this week: live (not reversed) ledger entries given by and
   received by the team's members (every member whose team is the leader's): kudos
   counts only entries of kind "kudos", points count all entries (kudos and story-tag
   points), as the all-time totals do. Beside them: the distinct not-deleted stories the
   team tagged, and the team's stories (written by, or telling of, a member) tagged.
4. People not recognised lately: active human members of the leader's own team (not
   guests, not the leader) with no live entry received and no tag on a story they wrote
   or are in, over the RECENT window. Ordered by name, never by any score: it is a prompt
   to look at their work, shown only to their own leader; at most QUIET_PEOPLE named,
   with the count of the others.
5. Say and do: the latest closed pulse round's scores for the leader's team, exactly as
   pulse_results.round_results releases them (K, folding and differencing are its
   rules, not repeated here), beside the team's on-the-spot stories over the RECENT
   window. When round_results shows no group for the team, or (belt and braces) one
   with fewer than K respondents, the digest carries no score for it at all.
6. Rules bent most often: the policy areas with the most open policy signals of the
   quarter up to `now`, workspace-wide and the same for every leader, as
   `policy_signals.policy_signals` ranks them; at most POLICY_AREAS areas, with their
   newest stories (deleted stories and signals a revision closed are not open).

Parts 3-5 need the leader's team; a leader in no team gets `team` None and those parts
None. Functions take a session and plain values and return frozen dataclasses; they
only read.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from sqlalchemy.orm import Session

from bot.db.repositories import digest as repo
from bot.domain.adoption import AdoptionReport, adoption_report
from bot.domain.common import excerpt
from bot.domain.member_data import shown_name
from bot.domain.policy_signals import PolicySignals, policy_signals
from bot.domain.pulse import last_closed_round_id
from bot.domain.pulse_bank import ACTION, EMPOWERMENT_DIMENSIONS, TRUST
from bot.domain.pulse_results import round_results
from bot.domain.stories import Touchpoint

TOP_STORIES = 5
AWAITING_STORIES = 5
QUIET_PEOPLE = 10
POLICY_AREAS = 3
RECENT = timedelta(days=28)
EXCERPT_CHARS = 200
"""Characters of a story's "what was done" kept for the digest (the card has the rest)."""

SAY_DO_DIMENSIONS: tuple[str, ...] = (*EMPOWERMENT_DIMENSIONS, TRUST, ACTION)
"""The dimensions the say/do part shows, in this order (custom questions have none)."""


@dataclass(frozen=True)
class DigestStory:
    id: int
    author_user_id: str
    author_name: str
    """The author's display name, else real name, else user id (for text without mentions)."""
    touchpoint: Touchpoint
    excerpt: str
    """The start of what was done, whitespace collapsed, at most EXCERPT_CHARS characters."""
    tag_count: int
    decided_on_spot: bool
    created_at: datetime
    is_recovery: bool = False


@dataclass(frozen=True)
class DigestPerson:
    user_id: str
    name: str


@dataclass(frozen=True)
class TeamRef:
    id: int
    name: str


@dataclass(frozen=True)
class TeamRecognition:
    """The team's live recognition in the week (see the module's rule 3)."""

    kudos_given: int
    points_given: int
    kudos_received: int
    points_received: int
    stories_tagged_by_team: int
    team_stories_tagged: int


@dataclass(frozen=True)
class QuietPeople:
    """Team members without recognition in the RECENT window, by name."""

    people: tuple[DigestPerson, ...]
    total: int

    @property
    def more(self) -> int:
        """How many are not named (beyond QUIET_PEOPLE)."""
        return self.total - len(self.people)


class SayDoStatus(StrEnum):
    SHOWN = "shown"
    HIDDEN = "hidden"
    """The round's results do not show the team on its own (fewer than K, or differencing)."""
    NO_ROUND = "no_round"


@dataclass(frozen=True)
class SayDo:
    """Empowerment as the team said it, beside decisions on the spot as the team did them.

    Only SHOWN carries scores; HIDDEN and NO_ROUND carry none, whatever the data.
    """

    status: SayDoStatus
    period: str | None
    min_group: int | None
    respondents: int | None
    dimensions: tuple[tuple[str, float], ...]
    """(dimension, mean of the item means on a 1-5 scale), in SAY_DO_DIMENSIONS order."""
    on_spot_stories: int


@dataclass(frozen=True)
class LeaderDigest:
    leader_user_id: str
    week_start: datetime
    week_end: datetime
    team: TeamRef | None
    top_stories: tuple[DigestStory, ...]
    awaiting_backing: tuple[DigestStory, ...]
    recognition: TeamRecognition | None
    quiet: QuietPeople | None
    say_do: SayDo | None
    adoption: AdoptionReport
    """The 12 weeks up to the digest's: everyone, and the leader's team where shown."""
    policy_signals: PolicySignals
    """The rules bent most often in the quarter up to `now` (see the module's rule 6)."""


def leader_digest(
    session: Session,
    workspace_id: int,
    leader_member_id: int,
    week_start: datetime,
    week_end: datetime,
    now: datetime,
) -> LeaderDigest | None:
    """The digest of [week_start, week_end) for the leader, as of `now`; None unless the
    member is an active human leader of the workspace."""
    for moment in (week_start, week_end, now):
        if moment.tzinfo is None:
            raise ValueError("leader_digest needs aware datetimes")
    leader = repo.member(session, workspace_id, leader_member_id)
    if leader is None or not leader.is_leader or not leader.is_active or leader.is_bot:
        return None
    week_start, week_end, now = (m.astimezone(UTC) for m in (week_start, week_end, now))
    recent_start = now - RECENT

    top = repo.top_stories(session, workspace_id, week_start, week_end, TOP_STORIES)
    awaiting = repo.stories_awaiting_backing(
        session, workspace_id, leader.id, recent_start, now, AWAITING_STORIES
    )
    team = _team(session, workspace_id, leader.team_id)
    recognition = quiet = say_do = None
    if team is not None:
        recognition = _recognition(session, workspace_id, team.id, week_start, week_end)
        quiet = _quiet(session, workspace_id, team.id, leader.id, recent_start, now)
        say_do = _say_do(session, workspace_id, team, recent_start, now)
    return LeaderDigest(
        leader_user_id=leader.slack_user_id,
        week_start=week_start,
        week_end=week_end,
        team=team,
        top_stories=_stories(top),
        awaiting_backing=_stories(awaiting),
        recognition=recognition,
        quiet=quiet,
        say_do=say_do,
        adoption=adoption_report(session, workspace_id, week_end - timedelta(microseconds=1)),
        policy_signals=policy_signals(session, workspace_id, now, POLICY_AREAS),
    )


# --- parts ----------------------------------------------------------------------------


def _team(session: Session, workspace_id: int, team_id: int | None) -> TeamRef | None:
    if team_id is None:
        return None
    name = repo.team_name(session, workspace_id, team_id)
    return None if name is None else TeamRef(team_id, name)


def _stories(rows: Sequence[repo.StoryRow]) -> tuple[DigestStory, ...]:
    return tuple(
        DigestStory(
            id=row.id,
            author_user_id=row.author_user_id,
            author_name=shown_name(
                row.author_user_id, row.author_display_name, row.author_real_name
            ),
            touchpoint=Touchpoint(row.touchpoint),
            excerpt=excerpt(row.action_taken, EXCERPT_CHARS),
            tag_count=int(row.tags),
            decided_on_spot=bool(row.decided_on_spot),
            created_at=row.created_at.astimezone(UTC),
            is_recovery=bool(row.is_recovery),
        )
        for row in rows
    )


def _recognition(
    session: Session, workspace_id: int, team_id: int, start: datetime, end: datetime
) -> TeamRecognition:
    given = repo.team_kudos_given(session, workspace_id, team_id, start, end)
    received = repo.team_kudos_received(session, workspace_id, team_id, start, end)
    return TeamRecognition(
        kudos_given=given.kudos,
        points_given=given.points,
        kudos_received=received.kudos,
        points_received=received.points,
        stories_tagged_by_team=repo.stories_tagged_by_team(
            session, workspace_id, team_id, start, end
        ),
        team_stories_tagged=repo.team_stories_tagged(session, workspace_id, team_id, start, end),
    )


def _quiet(
    session: Session,
    workspace_id: int,
    team_id: int,
    leader_id: int,
    start: datetime,
    end: datetime,
) -> QuietPeople:
    rows = repo.unrecognised_team_members(session, workspace_id, team_id, leader_id, start, end)
    everyone = sorted(
        (
            DigestPerson(row.user_id, shown_name(row.user_id, row.display_name, row.real_name))
            for row in rows
        ),
        # By name (the same on every database's collation), never by any figure.
        key=lambda person: (person.name.casefold(), person.user_id),
    )
    return QuietPeople(people=tuple(everyone[:QUIET_PEOPLE]), total=len(everyone))


def _say_do(
    session: Session, workspace_id: int, team: TeamRef, start: datetime, end: datetime
) -> SayDo:
    on_spot = repo.on_spot_stories_of_team(session, workspace_id, team.id, start, end)
    round_id = last_closed_round_id(session, workspace_id)
    if round_id is None:
        return _no_scores(SayDoStatus.NO_ROUND, None, None, on_spot)
    # A closed round of this workspace, so round_results has no reason to refuse it.
    results = round_results(session, workspace_id, round_id)
    group = next(
        (
            group
            for group in results.groups
            if group.kind == "team" and group.label_key_or_name == team.name
        ),
        None,
    )
    if group is None or group.respondents < results.min_group:
        return _no_scores(SayDoStatus.HIDDEN, results.period, results.min_group, on_spot)
    return SayDo(
        status=SayDoStatus.SHOWN,
        period=results.period,
        min_group=results.min_group,
        respondents=group.respondents,
        dimensions=tuple(
            (name, group.dimensions[name]) for name in SAY_DO_DIMENSIONS if name in group.dimensions
        ),
        on_spot_stories=on_spot,
    )


def _no_scores(status: SayDoStatus, period: str | None, k: int | None, on_spot: int) -> SayDo:
    return SayDo(
        status=status,
        period=period,
        min_group=k,
        respondents=None,
        dimensions=(),
        on_spot_stories=on_spot,
    )
