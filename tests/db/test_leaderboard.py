"""Leaderboards against a hand-computed ledger, on SQLite and PostgreSQL.

The workspace runs on Shanghai time (UTC+8, no DST), so each period starts at 16:00 UTC
the day before its local midnight, and "now" is Wednesday 25 November 2026, 12:00 there.
Every expected table below was worked out by hand from the entries in `world`.
"""

from __future__ import annotations

from dataclasses import astuple, dataclass, field
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.db.engine import unit_of_work
from bot.db.models import Kudos, KudosReversal, Member, Story, StoryTag, Team, Workspace
from bot.db.repositories import totals
from bot.domain.leaderboard import Period, Standing, leaderboard, member_standing

TZ = "Asia/Shanghai"
NOW = datetime(2026, 11, 25, 4, 0, tzinfo=UTC)  # Wednesday 12:00 in Shanghai
WEEK = datetime(2026, 11, 22, 16, 0, tzinfo=UTC)  # Monday 23 November 00:00
MONTH = datetime(2026, 10, 31, 16, 0, tzinfo=UTC)  # 1 November 00:00
QUARTER = datetime(2026, 9, 30, 16, 0, tzinfo=UTC)  # 1 October 00:00
SECOND = timedelta(seconds=1)
HOUR = timedelta(hours=1)

# name: (Slack user id, team, flags)
PEOPLE = {
    "anna": ("U01ANNA", "Red", {}),
    "ben": ("U02BEN", "Red", {}),
    "chloe": ("U03CHLOE", "Blue", {}),
    "dan": ("U04DAN", "Blue", {}),
    "eva": ("U05EVA", "Green", {}),
    "finn": ("U06FINN", None, {}),
    "gia": ("U07GIA", "Red", {"leaderboard_opt_out": True}),
    "hal": ("U08HAL", "Blue", {"is_active": False}),
    "bot": ("U09BOT", "Green", {"is_bot": True}),
    "ivy": ("U10IVY", None, {}),
    "jon": ("U11JON", "Green", {}),
}

# (kind, giver, recipient, points, when); this week unless said otherwise.
WEEK_ENTRIES = [
    ("kudos", "ivy", "anna", 2, WEEK + 1 * HOUR),
    ("kudos", "jon", "anna", 2, WEEK + 2 * HOUR),
    ("tag", "dan", "anna", 1, WEEK + 3 * HOUR),
    ("kudos", "ivy", "ben", 3, WEEK + 4 * HOUR),
    ("kudos", "anna", "ben", 1, WEEK + 5 * HOUR),
    ("tag", "chloe", "ben", 1, WEEK + 6 * HOUR),
    ("kudos", "ivy", "chloe", 2, WEEK + 7 * HOUR),
    ("kudos", "ivy", "chloe", 2, WEEK + 8 * HOUR),
    ("tag", "ivy", "chloe", 1, WEEK + 9 * HOUR),
    ("kudos", "anna", "dan", 2, WEEK + 10 * HOUR),
    ("kudos", "ben", "dan", 2, WEEK + 11 * HOUR),
    ("kudos", "ben", "dan", 1, WEEK + 12 * HOUR),
    ("kudos", "anna", "eva", 1, WEEK + 13 * HOUR),
    ("kudos", "ben", "eva", 1, WEEK + 14 * HOUR),
    ("kudos", "ben", "eva", 1, WEEK + 15 * HOUR),
    ("kudos", "finn", "eva", 1, WEEK),  # exactly at the start of the week: counts
    ("kudos", "jon", "finn", 1, WEEK + 16 * HOUR),
    ("tag", "anna", "finn", 1, WEEK + 17 * HOUR),
    ("kudos", "ivy", "gia", 3, WEEK + 18 * HOUR),  # gia opted out
    ("kudos", "jon", "gia", 3, WEEK + 19 * HOUR),
    ("kudos", "anna", "gia", 3, WEEK + 20 * HOUR),
    ("kudos", "ivy", "hal", 3, WEEK + 21 * HOUR),  # hal was deactivated
    ("kudos", "jon", "hal", 4, WEEK + 22 * HOUR),
    *[("kudos", "gia", "hal", 1, WEEK + (23 + n) * HOUR) for n in range(5)],
    ("kudos", "ivy", "bot", 6, WEEK + 30 * HOUR),
]
REVERSED = [("kudos", "ivy", "dan", 3, WEEK + 31 * HOUR)]
EARLIER = [
    ("kudos", "jon", "eva", 4, WEEK - SECOND),  # last week, this month
    ("kudos", "ivy", "finn", 1, MONTH),  # first moment of the month
    ("kudos", "ivy", "finn", 5, MONTH - SECOND),  # last month, this quarter
    ("kudos", "anna", "chloe", 1, QUARTER),  # first moment of the quarter
    ("kudos", "jon", "chloe", 10, QUARTER - SECOND),  # last quarter: all time only
]

# (author, created, tags, deleted)
STORIES = [
    ("anna", WEEK + 1 * HOUR, 2, False),
    ("anna", WEEK + 2 * HOUR, 0, False),
    ("ben", WEEK + 3 * HOUR, 3, False),
    ("chloe", WEEK + 4 * HOUR, 2, False),
    ("chloe", WEEK + 5 * HOUR, 5, True),  # deleted: neither it nor its tags count
    ("dan", WEEK - SECOND, 2, False),  # last week
    ("dan", WEEK + 6 * HOUR, 0, False),
    ("gia", WEEK + 7 * HOUR, 4, False),  # opted out
    ("bot", WEEK + 8 * HOUR, 1, False),
    ("eva", WEEK, 2, False),  # exactly at the start of the week
]
TAGGERS = ("ivy", "jon", "finn", "hal", "bot")


@dataclass
class World:
    workspace_id: int
    members: dict[str, int] = field(default_factory=dict)
    teams: dict[str, int] = field(default_factory=dict)


@pytest.fixture
def world(sessions) -> World:
    with unit_of_work(sessions) as session:
        workspace = Workspace(team_id="T0LEADERS", timezone=TZ)
        other = Workspace(team_id="T0ELSEWHERE")
        session.add_all([workspace, other])
        session.flush()
        built = World(workspace.id)
        for name in ("Red", "Blue", "Green", "Yellow"):
            team = Team(workspace_id=workspace.id, name=name)
            session.add(team)
            session.flush()
            built.teams[name] = team.id
        for name, (user_id, team_name, flags) in PEOPLE.items():
            member = Member(
                workspace_id=workspace.id,
                slack_user_id=user_id,
                team_id=built.teams[team_name] if team_name else None,
                **flags,
            )
            session.add(member)
            session.flush()
            built.members[name] = member.id

        keys = iter(range(1, 1000))

        def add(workspace_id, giver, recipient, kind, points, when):
            entry = Kudos(
                workspace_id=workspace_id,
                giver_id=giver,
                recipient_id=recipient,
                kind=kind,
                points=points,
                budget_week=(when - timedelta(days=when.weekday())).date(),
                source_key=f"test:{next(keys)}",
                created_at=when,
            )
            session.add(entry)
            return entry

        ids = built.members
        for kind, giver, recipient, points, when in WEEK_ENTRIES + EARLIER:
            add(workspace.id, ids[giver], ids[recipient], kind, points, when)
        for kind, giver, recipient, points, when in REVERSED:
            entry = add(workspace.id, ids[giver], ids[recipient], kind, points, when)
            session.flush()
            session.add(
                KudosReversal(
                    workspace_id=workspace.id,
                    kudos_id=entry.id,
                    cause="revoked",
                    created_at=when + HOUR,
                )
            )

        # Another workspace's ledger never shows up here.
        stranger = Member(workspace_id=other.id, slack_user_id="U00STRANGER")
        friend = Member(workspace_id=other.id, slack_user_id="U00FRIEND")
        session.add_all([stranger, friend])
        session.flush()
        for _ in range(3):
            add(other.id, friend.id, stranger.id, "kudos", 50, WEEK + HOUR)
        session.add(
            Story(
                workspace_id=other.id,
                author_id=stranger.id,
                touchpoint="phone",
                customer_need="-",
                action_taken="-",
                outcome="-",
                created_at=WEEK + HOUR,
            )
        )

        for author, created, tags, deleted in STORIES:
            story = Story(
                workspace_id=workspace.id,
                author_id=ids[author],
                touchpoint="phone",
                customer_need="A customer needed help.",
                action_taken="We helped.",
                outcome="Happy.",
                created_at=created,
                deleted_at=created + HOUR if deleted else None,
            )
            session.add(story)
            session.flush()
            taggers = [name for name in TAGGERS if name != author][:tags]
            assert len(taggers) == tags
            session.add_all(
                StoryTag(
                    workspace_id=workspace.id,
                    story_id=story.id,
                    tagger_id=ids[tagger],
                    source="button",
                    created_at=created + HOUR,
                )
                for tagger in taggers
            )
        # The rows above bypass the ledger writer, so the all-time totals are computed
        # from them here, as migration 0003 does for an existing database.
        session.flush()
        totals.rebuild(session)
    return built


def board(sessions, world, period, now=NOW, limit=10):
    with sessions() as session:
        return leaderboard(session, world.workspace_id, period, now, TZ, limit=limit)


def standing(sessions, world, name, period, now=NOW):
    with sessions() as session:
        return member_standing(session, world.workspace_id, world.members[name], period, now, TZ)


def rows(entries):
    return [astuple(entry) for entry in entries]


def team_rows(board_):
    return [(team.rank, team.name, team.points, team.people) for team in board_.teams]


# --- recognised people ----------------------------------------------------------------

# (rank, user id, points, distinct givers)
RECOGNISED = {
    Period.WEEK: [
        (1, "U01ANNA", 5, 3),
        (1, "U02BEN", 5, 3),
        (3, "U04DAN", 5, 2),
        (4, "U03CHLOE", 5, 1),  # one enthusiastic colleague does not make a leader
        (5, "U05EVA", 4, 3),
        (6, "U06FINN", 2, 2),
    ],
    Period.MONTH: [
        (1, "U05EVA", 8, 4),
        (2, "U01ANNA", 5, 3),
        (2, "U02BEN", 5, 3),
        (4, "U04DAN", 5, 2),
        (5, "U03CHLOE", 5, 1),
        (6, "U06FINN", 3, 3),
    ],
    Period.QUARTER: [
        (1, "U05EVA", 8, 4),
        (2, "U06FINN", 8, 3),
        (3, "U03CHLOE", 6, 2),
        (4, "U01ANNA", 5, 3),
        (4, "U02BEN", 5, 3),
        (6, "U04DAN", 5, 2),
    ],
    Period.ALL: [
        (1, "U03CHLOE", 16, 3),
        (2, "U05EVA", 8, 4),
        (3, "U06FINN", 8, 3),
        (4, "U01ANNA", 5, 3),
        (4, "U02BEN", 5, 3),
        (6, "U04DAN", 5, 2),
    ],
}


@pytest.mark.parametrize("period", list(Period))
def test_people_are_ranked_by_points_then_by_distinct_givers(sessions, world, period):
    result = board(sessions, world, period)

    assert rows(result.recognised) == RECOGNISED[period]


def test_the_board_knows_its_period(sessions, world):
    week = board(sessions, world, Period.WEEK)
    everything = board(sessions, world, "all")

    assert (week.period, week.start, week.end) == (Period.WEEK, WEEK, WEEK + timedelta(days=7))
    assert (everything.period, everything.start, everything.end) == (Period.ALL, None, NOW)


def test_opted_out_deactivated_bot_and_foreign_recipients_are_never_named(sessions, world):
    named = {
        person.user_id for period in Period for person in board(sessions, world, period).recognised
    }

    assert {"U07GIA", "U08HAL", "U09BOT", "U00STRANGER"}.isdisjoint(named)


def test_a_reversed_entry_counts_nowhere(sessions, world):
    # ivy's 3 reversed points would have made dan first this week with 8 from 3 givers,
    # and added a kudos and a person to ivy's giving.
    week = board(sessions, world, Period.WEEK)

    assert next(p for p in week.recognised if p.user_id == "U04DAN").points == 5
    assert next(g for g in week.givers if g.user_id == "U10IVY").kudos_given == 7


@pytest.mark.parametrize(
    ("limit", "expected"),
    [
        (1, [(1, "U01ANNA", 5, 3)]),
        (2, [(1, "U01ANNA", 5, 3), (1, "U02BEN", 5, 3)]),
        # Four people have 5 points; the third place goes to the one with more givers.
        (3, [(1, "U01ANNA", 5, 3), (1, "U02BEN", 5, 3), (3, "U04DAN", 5, 2)]),
        (4, RECOGNISED[Period.WEEK][:4]),
        (0, []),
    ],
)
def test_the_limit_cuts_the_board_after_the_tie_breakers(sessions, world, limit, expected):
    assert rows(board(sessions, world, Period.WEEK, limit=limit).recognised) == expected


# --- the period's edges ---------------------------------------------------------------


def test_an_entry_at_the_first_moment_of_next_week_belongs_to_next_week(sessions, world):
    next_week = WEEK + timedelta(days=7)
    with unit_of_work(sessions) as session:
        session.add(
            Kudos(
                workspace_id=world.workspace_id,
                giver_id=world.members["ivy"],
                recipient_id=world.members["finn"],
                kind="kudos",
                points=20,
                budget_week=next_week.date(),
                source_key="test:next-week",
                created_at=next_week,
            )
        )

    this_week = board(sessions, world, Period.WEEK, now=next_week - SECOND)
    following = board(sessions, world, Period.WEEK, now=next_week)

    assert rows(this_week.recognised) == RECOGNISED[Period.WEEK]
    assert rows(following.recognised) == [(1, "U06FINN", 20, 1)]
    # All time ends now: the entry after `now` is not in it yet.
    assert rows(board(sessions, world, Period.ALL).recognised) == RECOGNISED[Period.ALL]


def test_a_week_in_the_past_is_given_by_any_moment_in_it(sessions, world):
    last_week = board(sessions, world, Period.WEEK, now=WEEK - SECOND)

    assert (last_week.start, last_week.end) == (WEEK - timedelta(days=7), WEEK)
    assert rows(last_week.recognised) == [(1, "U05EVA", 4, 1)]
    assert rows(last_week.storytellers) == [(1, "U04DAN", 1, 2)]


# --- teams ----------------------------------------------------------------------------

# (rank, name, points, people who received any): opt-outs count for their team (gia's 9
# points are in Red's 19), deactivated members do not (hal's 12 are not in Blue's).
TEAMS = {
    Period.WEEK: [(1, "Red", 19, 3), (2, "Blue", 10, 2), (3, "Green", 4, 1)],
    Period.MONTH: [(1, "Red", 19, 3), (2, "Blue", 10, 2), (3, "Green", 8, 1)],
    Period.QUARTER: [(1, "Red", 19, 3), (2, "Blue", 11, 2), (3, "Green", 8, 1)],
    Period.ALL: [(1, "Blue", 21, 2), (2, "Red", 19, 3), (3, "Green", 8, 1)],
}


@pytest.mark.parametrize("period", list(Period))
def test_teams_are_ranked_by_their_members_points_opt_outs_included(sessions, world, period):
    result = board(sessions, world, period)

    assert team_rows(result) == TEAMS[period]
    assert {team.team_id for team in result.teams} <= set(world.teams.values())


def test_teams_with_equal_points_are_ranked_by_how_many_of_them_were_recognised(sessions, world):
    # Move ben to Yellow: Red keeps anna (5) and gia (9) = 14.
    with unit_of_work(sessions) as session:
        session.get(Member, world.members["ben"]).team_id = world.teams["Yellow"]
        session.get(Member, world.members["dan"]).team_id = world.teams["Yellow"]
        session.get(Member, world.members["chloe"]).team_id = world.teams["Green"]

    result = board(sessions, world, Period.WEEK)

    # Yellow: ben 5 + dan 5, two people; Green: eva 4 + chloe 5, two people.
    assert team_rows(result) == [(1, "Red", 14, 2), (2, "Yellow", 10, 2), (3, "Green", 9, 2)]
    with unit_of_work(sessions) as session:
        session.get(Member, world.members["eva"]).team_id = world.teams["Yellow"]
        session.get(Member, world.members["chloe"]).team_id = world.teams["Blue"]
        session.get(Member, world.members["anna"]).team_id = world.teams["Blue"]
    # Blue: chloe 5 + anna 5 = 10 (2); Yellow: ben 5 + dan 5 + eva 4 = 14 (3);
    # Red: gia 9 (1).
    assert team_rows(board(sessions, world, Period.WEEK)) == [
        (1, "Yellow", 14, 3),
        (2, "Blue", 10, 2),
        (3, "Red", 9, 1),
    ]
    with unit_of_work(sessions) as session:
        session.get(Member, world.members["gia"]).team_id = world.teams["Green"]
        session.get(Member, world.members["eva"]).team_id = world.teams["Red"]
        session.get(Member, world.members["ivy"]).team_id = world.teams["Red"]
        session.get(Member, world.members["dan"]).team_id = world.teams["Red"]
    # Yellow: ben 5 (1); Blue: chloe 5 + anna 5 = 10 (2); Green: gia 9 (1);
    # Red: eva 4 + dan 5 = 9 (2), ahead of Green on people; ivy received nothing.
    assert team_rows(board(sessions, world, Period.WEEK)) == [
        (1, "Blue", 10, 2),
        (2, "Red", 9, 2),
        (3, "Green", 9, 1),
        (4, "Yellow", 5, 1),
    ]


def test_equal_teams_share_a_rank(sessions, world):
    # Green gets 6 more points from one entry to jon: Green 10 (2 people) = Blue 10 (2).
    with unit_of_work(sessions) as session:
        session.add(
            Kudos(
                workspace_id=world.workspace_id,
                giver_id=world.members["ivy"],
                recipient_id=world.members["jon"],
                kind="kudos",
                points=6,
                budget_week=WEEK.date(),
                source_key="test:jon",
                created_at=WEEK + HOUR,
            )
        )

    assert team_rows(board(sessions, world, Period.WEEK)) == [
        (1, "Red", 19, 3),
        (2, "Blue", 10, 2),
        (2, "Green", 10, 2),
    ]


# --- givers ---------------------------------------------------------------------------

# (rank, user id, kudos given, distinct recipients): tags are not counted, nor is ivy's
# reversed kudos to dan; gia (opted out) gave 5 and is not named.
GIVERS = {
    Period.WEEK: [
        (1, "U10IVY", 7, 6),
        (2, "U01ANNA", 4, 4),
        (2, "U11JON", 4, 4),
        (4, "U02BEN", 4, 2),
        (5, "U06FINN", 1, 1),
    ],
    Period.MONTH: [
        (1, "U10IVY", 8, 7),
        (2, "U11JON", 5, 5),
        (3, "U01ANNA", 4, 4),
        (4, "U02BEN", 4, 2),
        (5, "U06FINN", 1, 1),
    ],
    Period.ALL: [
        (1, "U10IVY", 9, 7),
        (2, "U11JON", 6, 6),
        (3, "U01ANNA", 5, 5),
        (4, "U02BEN", 4, 2),
        (5, "U06FINN", 1, 1),
    ],
}


@pytest.mark.parametrize("period", [Period.WEEK, Period.MONTH, Period.ALL])
def test_givers_are_ranked_by_kudos_given_then_by_people_recognised(sessions, world, period):
    assert rows(board(sessions, world, period).givers) == GIVERS[period]


def test_givers_limit(sessions, world):
    # ben has as many kudos as anna and jon, but to fewer people.
    assert rows(board(sessions, world, Period.WEEK, limit=3).givers) == GIVERS[Period.WEEK][:3]


# --- storytellers ---------------------------------------------------------------------

# (rank, user id, stories, tags on them): chloe's deleted story and its 5 tags are gone,
# gia opted out and the bot is not a storyteller.
STORYTELLERS = {
    Period.WEEK: [
        (1, "U02BEN", 1, 3),
        (2, "U01ANNA", 2, 2),
        (3, "U03CHLOE", 1, 2),
        (3, "U05EVA", 1, 2),
        (5, "U04DAN", 1, 0),
    ],
    Period.MONTH: [
        (1, "U02BEN", 1, 3),
        (2, "U01ANNA", 2, 2),
        (2, "U04DAN", 2, 2),
        (4, "U03CHLOE", 1, 2),
        (4, "U05EVA", 1, 2),
    ],
}


@pytest.mark.parametrize("period", [Period.WEEK, Period.MONTH])
def test_storytellers_are_ranked_by_the_tags_their_stories_received(sessions, world, period):
    assert rows(board(sessions, world, period).storytellers) == STORYTELLERS[period]


def test_storytellers_limit(sessions, world):
    assert rows(board(sessions, world, Period.WEEK, limit=2).storytellers) == [
        (1, "U02BEN", 1, 3),
        (2, "U01ANNA", 2, 2),
    ]


# --- one member's standing ------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "period", "expected"),
    [
        ("ben", Period.WEEK, Standing(rank=1, points=5, givers=3)),
        ("dan", Period.WEEK, Standing(rank=3, points=5, givers=2)),
        ("chloe", Period.WEEK, Standing(rank=4, points=5, givers=1)),
        ("finn", Period.WEEK, Standing(rank=6, points=2, givers=2)),
        ("chloe", Period.ALL, Standing(rank=1, points=16, givers=3)),
        ("ben", Period.QUARTER, Standing(rank=4, points=5, givers=3)),
        # They see their own points, but take no place from anyone.
        ("gia", Period.WEEK, Standing(rank=None, points=9, givers=3)),
        ("hal", Period.WEEK, Standing(rank=None, points=12, givers=3)),
        ("bot", Period.WEEK, Standing(rank=None, points=6, givers=1)),
        ("ivy", Period.WEEK, Standing(rank=None, points=0, givers=0)),
        ("jon", Period.ALL, Standing(rank=None, points=0, givers=0)),
    ],
)
def test_member_standing(sessions, world, name, period, expected):
    assert standing(sessions, world, name, period) == expected


@pytest.mark.parametrize("period", list(Period))
def test_standing_agrees_with_the_board(sessions, world, period):
    for person in board(sessions, world, period).recognised:
        name = next(key for key, value in PEOPLE.items() if value[0] == person.user_id)
        assert standing(sessions, world, name, period) == Standing(
            person.rank, person.points, person.givers
        )


def test_a_member_of_another_workspace_has_no_standing_here(sessions, world):
    with sessions() as session:
        stranger = session.scalars(
            select(Member).where(Member.slack_user_id == "U00STRANGER")
        ).one()
        result = member_standing(session, world.workspace_id, stranger.id, Period.WEEK, NOW, TZ)

    assert result == Standing(rank=None, points=0, givers=0)


def test_an_empty_workspace_has_empty_boards(sessions):
    with unit_of_work(sessions) as session:
        workspace = Workspace(team_id="T0EMPTY")
        session.add(workspace)
        session.flush()
        workspace_id = workspace.id

    with sessions() as session:
        result = leaderboard(session, workspace_id, Period.ALL, NOW, "UTC")

    assert (result.recognised, result.storytellers, result.givers, result.teams) == (
        [],
        [],
        [],
        [],
    )
