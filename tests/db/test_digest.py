"""The weekly leadership digest against a hand-built workspace, on SQLite and PostgreSQL.

The week is Monday 23 to Sunday 29 November 2026 (UTC) and the digest is made on Friday
27 November at 15:00, so "the last 4 weeks" starts on 30 October at 15:00. Every
expected value below was worked out by hand from the rows in `world`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update

from bot.db.engine import unit_of_work
from bot.db.models import (
    Kudos,
    KudosReversal,
    Member,
    PolicyArea,
    PulseAnswer,
    PulseQuestion,
    PulseRound,
    PulseRoundQuestion,
    Story,
    StoryBacking,
    StoryPerson,
    StoryTag,
    Team,
    Workspace,
)
from bot.domain.common import excerpt
from bot.domain.digest import (
    POLICY_AREAS,
    QUIET_PEOPLE,
    DigestPerson,
    SayDoStatus,
    TeamRecognition,
    TeamRef,
    leader_digest,
)
from bot.domain.directory import Requester
from bot.domain.policy_signals import revise_policy
from bot.domain.pulse import iso_period
from bot.domain.stories import Touchpoint
from bot.i18n import translate
from bot.slack import ids as slack_ids
from bot.slack.views.digest import digest_message
from bot.slack.views.policies import PolicyButton
from slackemu.blockkit import validate_message_blocks
from slackemu.render import render_message
from tests.support.units import run

WEEK_START = datetime(2026, 11, 23, tzinfo=UTC)
WEEK_END = datetime(2026, 11, 30, tzinfo=UTC)
NOW = datetime(2026, 11, 27, 15, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)
DAY = timedelta(days=1)
SECOND = timedelta(seconds=1)

# name: (Slack user id, team, flags)
PEOPLE = {
    "lea": ("U01LEA", "Red", {"is_leader": True}),
    "leo": ("U02LEO", "Blue", {"is_leader": True}),
    "ann": ("U03ANN", "Red", {}),
    "bob": ("U04BOB", "Red", {}),
    "cat": ("U05CAT", "Red", {}),
    "dov": ("U06DOV", "Red", {"is_active": False}),
    "eli": ("U07ELI", "Red", {"is_guest": True}),
    "fay": ("U08FAY", "Red", {"is_bot": True}),
    "gus": ("U09GUS", "Blue", {}),
    "hal": ("U10HAL", "Blue", {}),
    "ivy": ("U11IVY", None, {}),
    "joe": ("U12JOE", "Red", {}),
    "kim": ("U13KIM", "Red", {}),
    "max": ("U14MAX", "Red", {}),
    "nia": ("U15NIA", "Red", {}),
    "pia": ("U16PIA", None, {"is_leader": True}),
    "zed": ("U17ZED", "Red", {}),
}

# (kind, giver, recipient, points, when, reversed)
LEDGER = [
    ("kudos", "ivy", "ann", 2, WEEK_START + 1 * HOUR, False),
    ("kudos", "ann", "gus", 3, WEEK_START + 2 * HOUR, False),
    ("tag", "gus", "ann", 1, WEEK_START + 3 * HOUR, False),
    ("kudos", "bob", "ann", 1, WEEK_START + 4 * HOUR, False),
    ("kudos", "gus", "joe", 5, WEEK_START + 5 * HOUR, True),  # reversed: never counts
    ("kudos", "lea", "ann", 2, WEEK_START + 6 * HOUR, False),
    ("kudos", "hal", "gus", 4, WEEK_START + 7 * HOUR, False),  # Blue only
    ("kudos", "ivy", "ann", 1, WEEK_START, False),  # the first moment of the week counts
    ("kudos", "ann", "ivy", 2, WEEK_START - SECOND, False),  # last week
    ("kudos", "ivy", "ann", 9, WEEK_END, False),  # next week
    ("kudos", "ivy", "bob", 1, NOW - 10 * DAY, False),
    ("kudos", "ivy", "max", 3, NOW - 30 * DAY, False),  # before the last 4 weeks
    ("kudos", "ivy", "zed", 1, NOW - 6 * DAY, False),  # before the week, in 4 weeks
]


@dataclass(frozen=True)
class StorySpec:
    author: str
    people: tuple[str, ...]
    created: datetime
    on_spot: bool = False
    deleted: bool = False
    taggers: tuple[tuple[str, datetime], ...] = ()
    backers: tuple[str, ...] = ()
    action: str = "We helped."


STORIES = {
    "s1": StorySpec(
        "ann",
        ("ann",),
        WEEK_START + 1 * HOUR,
        on_spot=True,
        taggers=(
            ("gus", WEEK_START + 3 * HOUR),
            ("hal", WEEK_START + 4 * HOUR),
            ("ivy", WEEK_START + 5 * HOUR),
        ),
        action="Rebooked the  whole family\non the next flight.",
    ),
    "s2": StorySpec(
        "gus",
        ("gus",),
        WEEK_START + 2 * HOUR,
        taggers=(("ann", WEEK_START + 3 * HOUR), ("ivy", WEEK_START + 3 * HOUR)),
    ),
    # Deleted: the most tagged story of the week, yet it shows nowhere.
    "s3": StorySpec(
        "nia",
        ("nia",),
        WEEK_START + 3 * HOUR,
        on_spot=True,
        deleted=True,
        taggers=tuple((name, WEEK_START + 4 * HOUR) for name in ("ivy", "gus", "hal", "joe")),
    ),
    # Kim is one of the people; tagged 5 days ago (before this week); backed by Leo.
    "s4": StorySpec(
        "ivy",
        ("kim",),
        NOW - 6 * DAY,
        on_spot=True,
        taggers=(("gus", NOW - 5 * DAY),),
        backers=("leo",),
    ),
    "s5": StorySpec(
        "cat", ("cat",), WEEK_START + 5 * HOUR, taggers=(("ivy", WEEK_START + 6 * HOUR),)
    ),
    "s6": StorySpec("lea", ("lea",), WEEK_START + 6 * HOUR, on_spot=True),  # Lea's own
    "s7": StorySpec("hal", ("hal", "lea"), NOW - 3 * DAY, on_spot=True),  # Lea is in it
    "s8": StorySpec(
        "bob",
        ("bob",),
        WEEK_START - SECOND,
        on_spot=True,
        taggers=tuple((name, NOW - 8 * DAY) for name in ("gus", "hal", "ivy", "leo", "joe")),
    ),
    "s9": StorySpec("gus", ("gus",), NOW - 20 * DAY, on_spot=True),
    "s10": StorySpec("hal", ("hal",), NOW - 29 * DAY, on_spot=True),  # too old
    "s11": StorySpec("ivy", ("ivy",), WEEK_START + 8 * HOUR, on_spot=True, backers=("pia",)),
    "s12": StorySpec("ann", ("ann",), NOW - 40 * DAY, on_spot=True),  # too old
}

K = 3
# Pulse rounds: (period, opened, status, {team: [(meaning_1, meaning_2, trust), ...]}).
ROUNDS = [
    ("2026-W45", NOW - 24 * DAY, "closed", {"Red": [(1, 1, 1)] * 3, "Blue": [(1, 1, 1)] * 4}),
    (
        "2026-W47",
        NOW - 10 * DAY,
        "closed",
        {
            "Red": [(5, 4, 2), (4, 3, 3), (4, 3, 4)],
            "Blue": [(2, 2, 5), (2, 2, 5), (2, 2, 5), (2, 2, 5)],
        },
    ),
    ("2026-W48", NOW - 2 * DAY, "open", {"Red": [(2, 2, 2)] * 3, "Blue": [(3, 3, 3)] * 4}),
]
# Red in W47: meaning = mean(13/3, 10/3) = 23/6; trust = 9/3 = 3.
QUESTIONS = (("meaning_1", "meaning"), ("meaning_2", "meaning"), ("trust_supervisor", "trust"))


@dataclass
class World:
    workspace_id: int
    other_workspace_id: int
    members: dict[str, int] = field(default_factory=dict)
    teams: dict[str, int] = field(default_factory=dict)
    stories: dict[str, int] = field(default_factory=dict)
    ledger: list[int] = field(default_factory=list)


@pytest.fixture
def world(sessions) -> World:
    with unit_of_work(sessions) as session:
        workspace = Workspace(team_id="T0DIGEST", pulse_min_group=K)
        other = Workspace(team_id="T0OTHER")
        session.add_all([workspace, other])
        session.flush()
        built = World(workspace.id, other.id)
        for name in ("Red", "Blue", "Green"):
            team = Team(workspace_id=workspace.id, name=name)
            session.add(team)
            session.flush()
            built.teams[name] = team.id
        for name, (user_id, team_name, flags) in PEOPLE.items():
            member = Member(
                workspace_id=workspace.id,
                slack_user_id=user_id,
                display_name=name.capitalize(),
                team_id=built.teams[team_name] if team_name else None,
                **flags,
            )
            session.add(member)
            session.flush()
            built.members[name] = member.id
        ids = built.members

        for kind, giver, recipient, points, when, reversed_ in LEDGER:
            entry = _entry(session, workspace.id, ids[giver], ids[recipient], kind, points, when)
            built.ledger.append(entry.id)
            if reversed_:
                session.add(
                    KudosReversal(workspace_id=workspace.id, kudos_id=entry.id, cause="revoked")
                )
        for key, spec in STORIES.items():
            built.stories[key] = _story(session, workspace.id, ids, spec).id

        # Another workspace: a leader-less world with a loud week that must not leak in.
        stranger = Member(workspace_id=other.id, slack_user_id="U99STRANGER", is_leader=True)
        friend = Member(workspace_id=other.id, slack_user_id="U99FRIEND")
        session.add_all([stranger, friend])
        session.flush()
        _entry(session, other.id, friend.id, stranger.id, "kudos", 50, WEEK_START + HOUR)
        loud = Story(
            workspace_id=other.id,
            author_id=friend.id,
            touchpoint="phone",
            customer_need="-",
            action_taken="Elsewhere",
            outcome="-",
            decided_on_spot=True,
            created_at=WEEK_START + HOUR,
        )
        session.add(loud)
        session.flush()
        session.add(
            StoryTag(
                workspace_id=other.id,
                story_id=loud.id,
                tagger_id=stranger.id,
                source="button",
                created_at=WEEK_START + HOUR,
            )
        )

        questions = []
        for key, dimension in QUESTIONS:
            question = PulseQuestion(
                workspace_id=workspace.id,
                key=key,
                dimension=dimension,
                scale="agree5",
                text_en=key,
                text_zh=key,
            )
            session.add(question)
            questions.append(question)
        session.flush()
        for period, opened, status, answers in ROUNDS:
            _round(session, workspace.id, built.teams, questions, period, opened, status, answers)
    return built


def _entry(session, workspace_id, giver, recipient, kind, points, when):
    entry = Kudos(
        workspace_id=workspace_id,
        giver_id=giver,
        recipient_id=recipient,
        kind=kind,
        points=points,
        budget_week=(when - timedelta(days=when.weekday())).date(),
        source_key=f"test:{giver}:{recipient}:{when.isoformat()}:{kind}",
        created_at=when,
    )
    session.add(entry)
    session.flush()
    return entry


def _story(session, workspace_id, ids, spec: StorySpec) -> Story:
    story = Story(
        workspace_id=workspace_id,
        author_id=ids[spec.author],
        touchpoint="in_person",
        customer_need="A customer needed help.",
        action_taken=spec.action,
        outcome="Happy.",
        decided_on_spot=spec.on_spot,
        created_at=spec.created,
        deleted_at=spec.created + HOUR if spec.deleted else None,
    )
    session.add(story)
    session.flush()
    session.add_all(StoryPerson(story_id=story.id, member_id=ids[name]) for name in spec.people)
    session.add_all(
        StoryTag(
            workspace_id=workspace_id,
            story_id=story.id,
            tagger_id=ids[name],
            source="button",
            created_at=when,
        )
        for name, when in spec.taggers
    )
    session.add_all(
        StoryBacking(
            workspace_id=workspace_id,
            story_id=story.id,
            leader_id=ids[name],
            created_at=spec.created + HOUR,
        )
        for name in spec.backers
    )
    session.flush()
    return story


def _round(session, workspace_id, teams, questions, period, opened, status, answers):
    """A pulse round with anonymous answers per team (the way the pulse stores them)."""
    pulse = PulseRound(
        workspace_id=workspace_id,
        period=period,
        min_group=K,
        status=status,
        opens_at=opened,
        closes_at=opened + 4 * DAY,
        closed_at=opened + 4 * DAY if status == "closed" else None,
    )
    session.add(pulse)
    session.flush()
    session.add_all(
        PulseRoundQuestion(round_id=pulse.id, question_id=question.id, position=position)
        for position, question in enumerate(questions)
    )
    number = 0
    for team_name, people in answers.items():
        for values in people:
            number += 1
            for question, value in zip(questions, values, strict=False):
                session.add(
                    PulseAnswer(
                        workspace_id=workspace_id,
                        round_id=pulse.id,
                        question_id=question.id,
                        value=value,
                        team_id=teams[team_name] if team_name else None,
                        response_key=f"{period}:{number}:{question.id}",
                    )
                )
    session.flush()


def digest(sessions, world, name, *, workspace_id=None):
    workspace_id = world.workspace_id if workspace_id is None else workspace_id
    return run(
        sessions, leader_digest, workspace_id, world.members[name], WEEK_START, WEEK_END, NOW
    )


def story_keys(world, stories):
    by_id = {story_id: key for key, story_id in world.stories.items()}
    return [by_id[story.id] for story in stories]


# --- who gets a digest ---------------------------------------------------------------


def test_a_member_who_is_not_a_leader_gets_none(sessions, world):
    assert digest(sessions, world, "ann") is None
    assert digest(sessions, world, "zed") is None


def test_a_leader_of_another_workspace_or_an_unknown_member_gets_none(sessions, world):
    assert digest(sessions, world, "lea", workspace_id=world.other_workspace_id) is None
    unknown = run(sessions, leader_digest, world.workspace_id, 987654, WEEK_START, WEEK_END, NOW)
    assert unknown is None


def test_a_deactivated_leader_gets_none(sessions, world):
    with unit_of_work(sessions) as session:
        session.get(Member, world.members["lea"]).is_active = False

    assert digest(sessions, world, "lea") is None


def test_the_digest_knows_its_leader_week_and_team(sessions, world):
    got = digest(sessions, world, "lea")

    assert got is not None
    assert (got.leader_user_id, got.week_start, got.week_end) == ("U01LEA", WEEK_START, WEEK_END)
    assert got.team == TeamRef(world.teams["Red"], "Red")


def test_the_digest_carries_the_adoption_curve_of_the_12_weeks_up_to_its_own(sessions, world):
    with unit_of_work(sessions) as session:  # everyone joined long before
        session.execute(update(Member).values(created_at=WEEK_START - timedelta(weeks=20)))

    got = digest(sessions, world, "lea")

    weeks = got.adoption.workspace.weeks
    assert len(weeks) == 12 and None not in weeks
    assert weeks[-1].period == iso_period(WEEK_START, "UTC")


# --- 1. top stories ----------------------------------------------------------------------


def test_top_stories_are_the_weeks_most_tagged_without_deleted_ones(sessions, world):
    got = digest(sessions, world, "lea")

    # s3 (4 tags) is deleted; s8 (5 tags) is last week's; s7 (0 tags, the latest of the
    # untagged ones) falls off the end; untagged stories come oldest first.
    assert story_keys(world, got.top_stories) == ["s1", "s2", "s5", "s6", "s11"]
    assert [story.tag_count for story in got.top_stories] == [3, 2, 1, 0, 0]
    first = got.top_stories[0]
    assert (first.author_user_id, first.author_name, first.touchpoint) == (
        "U03ANN",
        "Ann",
        Touchpoint.IN_PERSON,
    )
    assert first.excerpt == "Rebooked the whole family on the next flight."
    assert first.decided_on_spot is True
    assert first.created_at == WEEK_START + HOUR


def test_top_stories_are_workspace_wide_and_the_same_for_every_leader(sessions, world):
    lea = digest(sessions, world, "lea")
    leo = digest(sessions, world, "leo")
    pia = digest(sessions, world, "pia")

    assert lea.top_stories == leo.top_stories == pia.top_stories


def test_a_long_action_is_cut_to_a_short_excerpt():
    text = "word " * 100

    cut = excerpt(text, 50)

    assert len(cut) <= 50 and cut.endswith("…")
    assert cut == ("word " * 9).strip() + "…"
    assert excerpt("  short\n\ttext ", 50) == "short text"


# --- 2. decisions awaiting backing -------------------------------------------------------


def test_awaiting_lists_unbacked_on_the_spot_stories_of_4_weeks_newest_first(sessions, world):
    got = digest(sessions, world, "lea")

    # Not s3 (deleted), s4 and s11 (backed), s6 (Lea's own), s7 (Lea is in it), s10 and
    # s12 (older than 4 weeks), s2 and s5 (not decided on the spot).
    assert story_keys(world, got.awaiting_backing) == ["s1", "s8", "s9"]
    assert [story.tag_count for story in got.awaiting_backing] == [3, 5, 0]


def test_awaiting_leaves_out_only_what_the_leader_cannot_back(sessions, world):
    got = digest(sessions, world, "pia")

    # Pia is in none of these: Lea's s6 and s7 are hers to back.
    assert story_keys(world, got.awaiting_backing) == ["s7", "s6", "s1", "s8", "s9"]


def test_awaiting_is_capped_at_5(sessions, world):
    with unit_of_work(sessions) as session:
        world.stories["s13"] = _story(
            session,
            world.workspace_id,
            world.members,
            StorySpec("gus", ("gus",), NOW - HOUR, on_spot=True),
        ).id

    got = digest(sessions, world, "pia")

    assert story_keys(world, got.awaiting_backing) == ["s13", "s7", "s6", "s1", "s8"]


def test_a_backing_by_any_leader_takes_a_story_off_every_digest(sessions, world):
    with unit_of_work(sessions) as session:
        session.add(
            StoryBacking(
                workspace_id=world.workspace_id,
                story_id=world.stories["s8"],
                leader_id=world.members["leo"],
                created_at=NOW - HOUR,
            )
        )

    assert story_keys(world, digest(sessions, world, "lea").awaiting_backing) == ["s1", "s9"]


# --- 3. the team's recognition --------------------------------------------------------------


def test_team_recognition_counts_live_entries_of_the_week(sessions, world):
    got = digest(sessions, world, "lea")

    # Given by Red: ann->gus 3, bob->ann 1, lea->ann 2 (kudos). Received by Red:
    # ivy->ann 2, bob->ann 1, lea->ann 2, ivy->ann 1 at the week's start (kudos) and the
    # gus->ann tag (1 point, not a kudos). Not gus->joe 5 (reversed), nor last or next
    # week's entries. Red tagged s2 (ann) this week (joe's tag on s3 is on a deleted
    # story); Red's stories tagged this week: s1 (ann) and s5 (cat).
    assert got.recognition == TeamRecognition(
        kudos_given=3,
        points_given=6,
        kudos_received=4,
        points_received=7,
        stories_tagged_by_team=1,
        team_stories_tagged=2,
    )


def test_a_reversed_entry_stops_counting(sessions, world):
    with unit_of_work(sessions) as session:
        session.add(
            KudosReversal(
                workspace_id=world.workspace_id, kudos_id=world.ledger[0], cause="revoked"
            )
        )

    got = digest(sessions, world, "lea").recognition

    assert (got.kudos_received, got.points_received) == (3, 5)
    assert (got.kudos_given, got.points_given) == (3, 6)


def test_another_team_sees_its_own_figures(sessions, world):
    got = digest(sessions, world, "leo")

    # Blue gave hal->gus 4 and the gus->ann tag (1 point, not a kudos); gus->joe is
    # reversed. Blue received ann->gus 3 and hal->gus 4. Blue tagged s1 this week (its
    # tags on s3 are on a deleted story, those on s4 and s8 are older). Blue's stories
    # tagged this week: s2 (gus's).
    assert got.recognition == TeamRecognition(
        kudos_given=1,
        points_given=5,
        kudos_received=2,
        points_received=7,
        stories_tagged_by_team=1,
        team_stories_tagged=1,
    )


# --- 4. people not recognised lately --------------------------------------------------------


def test_quiet_people_are_the_leaders_team_without_recognition_in_4_weeks(sessions, world):
    got = digest(sessions, world, "lea")

    # Red without Lea, Dov (deactivated), Eli (guest), Fay (bot). Ann, Bob and Zed
    # received kudos; Cat's story s5 was tagged; Kim is in s4, tagged 5 days ago.
    # Joe's only kudos was reversed, Max's is 30 days old, Nia's tagged story is deleted.
    assert got.quiet.people == (
        DigestPerson("U12JOE", "Joe"),
        DigestPerson("U14MAX", "Max"),
        DigestPerson("U15NIA", "Nia"),
    )
    assert (got.quiet.total, got.quiet.more) == (3, 0)


def test_quiet_people_never_show_another_teams_members(sessions, world):
    lea = digest(sessions, world, "lea")
    leo = digest(sessions, world, "leo")

    red = {person.user_id for person in lea.quiet.people}
    blue = {person.user_id for person in leo.quiet.people}
    assert red.isdisjoint({"U09GUS", "U10HAL", "U11IVY", "U02LEO"})
    # Blue: gus received kudos; hal only gave (kudos and tags), and his stories s7 and
    # s10 have no tags.
    assert blue == {"U10HAL"}


def test_the_quiet_list_names_at_most_10_and_counts_the_rest(sessions, world):
    with unit_of_work(sessions) as session:
        session.add_all(
            Member(
                workspace_id=world.workspace_id,
                slack_user_id=f"U2{n:02d}NEW",
                display_name=f"New {n:02d}",
                team_id=world.teams["Red"],
            )
            for n in range(12)
        )

    got = digest(sessions, world, "lea").quiet

    assert got.total == 15
    assert len(got.people) == QUIET_PEOPLE
    assert got.more == 5
    # By name, not by any score: Joe, Max, "New 00" ... "New 07".
    assert [p.name for p in got.people] == ["Joe", "Max", *[f"New {n:02d}" for n in range(8)]]


# --- 5. say and do ---------------------------------------------------------------------------


def test_say_do_shows_the_latest_closed_rounds_scores_for_the_team(sessions, world):
    got = digest(sessions, world, "lea").say_do

    assert got.status is SayDoStatus.SHOWN
    assert (got.period, got.min_group, got.respondents) == ("2026-W47", K, 3)
    assert [name for name, _ in got.dimensions] == ["meaning", "trust"]
    assert dict(got.dimensions) == pytest.approx({"meaning": 23 / 6, "trust": 3.0})
    # Red's on-the-spot stories of the last 4 weeks: s1 (ann), s6 (lea), s8 (bob); not
    # s3 (deleted) nor s12 (40 days old).
    assert got.on_spot_stories == 3


def test_say_do_for_another_team(sessions, world):
    got = digest(sessions, world, "leo").say_do

    assert got.status is SayDoStatus.SHOWN
    assert got.respondents == 4
    assert dict(got.dimensions) == pytest.approx({"meaning": 2.0, "trust": 5.0})
    assert got.on_spot_stories == 2  # s7 (hal), s9 (gus); s10 is too old


def test_without_a_closed_round_there_are_no_scores(sessions, world):
    with unit_of_work(sessions) as session:
        for pulse in session.scalars(select(PulseRound)):
            pulse.status = "open"

    got = digest(sessions, world, "lea").say_do

    assert got.status is SayDoStatus.NO_ROUND
    assert (got.respondents, got.dimensions) == (None, ())
    assert got.on_spot_stories == 3


def _latest_round_with(sessions, world, answers):
    """A closed round newer than every other, with these answers per team."""
    with unit_of_work(sessions) as session:
        questions = list(
            session.scalars(
                select(PulseQuestion)
                .where(PulseQuestion.workspace_id == world.workspace_id)
                .order_by(PulseQuestion.id)
            )
        )
        _round(
            session,
            world.workspace_id,
            world.teams,
            questions,
            "2026-W48b",
            NOW - HOUR,
            "closed",
            answers,
        )


@pytest.mark.parametrize("red_respondents", range(K))
def test_a_team_below_k_is_never_shown(sessions, world, red_respondents):
    """Red's leader must see no score at all when fewer than K of Red answered, however
    large the rest of the workspace is: not the mean, not the number who answered."""
    _latest_round_with(
        sessions,
        world,
        {
            "Red": [(1, 1, 1)] * red_respondents,
            "Blue": [(5, 5, 5)] * 6,
            "Green": [(3, 3, 3)] * 4,
        },
    )

    got = digest(sessions, world, "lea")

    assert got.say_do.status is SayDoStatus.HIDDEN
    assert (got.say_do.period, got.say_do.min_group) == ("2026-W48b", K)
    assert got.say_do.respondents is None
    assert got.say_do.dimensions == ()
    for locale in ("en", "zh-CN"):
        text = render_message(**digest_message(locale, got, "UTC"))
        assert "1.00" not in text and "/ 5" not in text
        assert translate(locale, "digest.saydo.hidden", k=K, period="2026-W48b") in text
    # Blue, at K or more (and never the smallest team to fold), is still shown to Blue's
    # own leader.
    assert digest(sessions, world, "leo").say_do.status is SayDoStatus.SHOWN


def test_a_team_at_k_hidden_by_differencing_is_not_shown_either(sessions, world):
    """Red has K respondents but Green has K-1: showing Red, Blue and the workspace would
    reveal Green by subtraction, so round_results folds Red; the digest follows it."""
    _latest_round_with(
        sessions,
        world,
        {"Red": [(1, 1, 1)] * K, "Blue": [(5, 5, 5)] * 4, "Green": [(3, 3, 3)] * (K - 1)},
    )

    got = digest(sessions, world, "lea").say_do

    assert got.status is SayDoStatus.HIDDEN
    assert got.dimensions == ()


# --- a leader without a team ---------------------------------------------------------------


def test_a_leader_in_no_team_gets_the_stories_and_no_team_parts(sessions, world):
    got = digest(sessions, world, "pia")

    assert got.team is None
    assert (got.recognition, got.quiet, got.say_do) == (None, None, None)
    assert len(got.top_stories) == 5
    text = render_message(**digest_message("en", got, "UTC"))
    assert "not in a team" in text


def test_the_whole_digest_renders_within_slacks_limits(sessions, world):
    got = digest(sessions, world, "lea")
    for locale in ("en", "zh-CN"):
        payload = digest_message(locale, got, "Asia/Shanghai")
        assert validate_message_blocks(payload["blocks"]) == []
        # blocks.message keeps at most 50 blocks; nothing was cut if the footer is last.
        footer = payload["blocks"][-1]["elements"][0]["text"]
        assert footer == translate(locale, "digest.footer")


# --- 6. the rules bent most often ------------------------------------------------------------

QUARTER_START = NOW - timedelta(days=91)  # 28 August 2026, 15:00


def _signal(session, world, author, created, area=None, rule="", deleted=False, workspace=None):
    """A story decided on the spot that names the rule it went beyond."""
    story = _story(
        session,
        world.workspace_id if workspace is None else workspace,
        world.members,
        StorySpec(author, (author,), created, on_spot=True, deleted=deleted),
    )
    story.raises_policy_signal = True
    story.rule_bent = rule
    story.policy_area_id = area
    session.flush()
    return story.id


@pytest.fixture
def signals(sessions, world) -> dict[str, int]:
    """Open signals of the quarter up to NOW: Refunds 3, Baggage 2, rules under no area 1,
    Lounge 1. Baggage also has a deleted signal and one a second older than the quarter:
    counted, they would put it first. Returns the areas' and the signals' ids by name."""
    with unit_of_work(sessions) as session:
        made = {}
        for position, name in enumerate(("Refunds", "Baggage", "Lounge")):
            area = PolicyArea(workspace_id=world.workspace_id, name=name, position=position)
            session.add(area)
            session.flush()
            made[name] = area.id
        refunds, baggage, lounge = made["Refunds"], made["Baggage"], made["Lounge"]
        for key, author, created, area, extra in [
            ("r1", "ann", NOW - 2 * DAY, refunds, {"rule": "Refunds over 50 EUR"}),
            ("r2", "gus", NOW - 10 * DAY, refunds, {}),
            ("r3", "bob", QUARTER_START, refunds, {}),  # exactly a quarter ago: still in it
            ("b1", "cat", NOW - 1 * DAY, baggage, {"rule": "Bags over 23 kg pay"}),
            ("b2", "hal", NOW - 5 * DAY, baggage, {}),
            ("b3", "joe", NOW - 3 * DAY, baggage, {"deleted": True}),
            ("b4", "kim", QUARTER_START - SECOND, baggage, {}),
            ("n1", "ivy", NOW - 4 * DAY, None, {"rule": "Seat changes need a supervisor"}),
            ("l1", "max", NOW - 6 * DAY, lounge, {}),
        ]:
            made[key] = _signal(session, world, author, created, area, **extra)
        # Another workspace's signals never reach this one's leaders.
        stranger = session.scalars(select(Member).where(Member.slack_user_id == "U99FRIEND")).one()
        elsewhere = Story(
            workspace_id=world.other_workspace_id,
            author_id=stranger.id,
            touchpoint="phone",
            customer_need="-",
            action_taken="Elsewhere",
            outcome="-",
            decided_on_spot=True,
            raises_policy_signal=True,
            rule_bent="Their rule",
            created_at=NOW - DAY,
        )
        session.add(elsewhere)
    return made


def _areas(got):
    return [(signal.area_name, signal.open_count) for signal in got.policy_signals.signals]


def _signal_keys(signals, got):
    by_id = {story_id: key for key, story_id in signals.items()}
    return {
        signal.area_name: [by_id[story.story_id] for story in signal.stories]
        for signal in got.policy_signals.signals
    }


def _leader(world, name):
    return Requester(
        workspace_id=world.workspace_id,
        team_id="T0DIGEST",
        member_id=world.members[name],
        user_id=PEOPLE[name][0],
        locale="en",
        timezone="UTC",
        is_admin=False,
        is_leader=True,
        is_hr=False,
        profile_is_fresh=True,
    )


def test_the_digest_ranks_the_rules_bent_by_open_signals_of_the_quarter(sessions, world, signals):
    got = digest(sessions, world, "lea")

    # Refunds' newest signal is older than Baggage's, but Refunds has more open signals.
    # Lounge and the rules under no area tie at 1: the one with the newer story first.
    assert POLICY_AREAS == 3
    assert _areas(got) == [("Refunds", 3), ("Baggage", 2), (None, 1)]
    assert got.policy_signals.more_areas == 1  # Lounge
    assert got.policy_signals.open_total == 7  # not the other workspace's
    assert got.policy_signals.since == QUARTER_START
    refunds = got.policy_signals.signals[0]
    assert refunds.area_id == signals["Refunds"]
    assert [story.author_user_id for story in refunds.stories] == ["U03ANN", "U09GUS", "U04BOB"]
    assert refunds.stories[0].rule_bent == "Refunds over 50 EUR"


def test_a_deleted_story_and_one_older_than_the_quarter_are_not_shown(sessions, world, signals):
    got = digest(sessions, world, "lea")

    # b3 is deleted, b4 a second older than the quarter; r3, exactly a quarter old, stays.
    assert _signal_keys(signals, got) == {
        "Refunds": ["r1", "r2", "r3"],
        "Baggage": ["b1", "b2"],
        None: ["n1"],
    }


def test_every_leader_reads_the_same_rules_bent(sessions, world, signals):
    lea = digest(sessions, world, "lea")

    assert digest(sessions, world, "leo").policy_signals == lea.policy_signals
    assert digest(sessions, world, "pia").policy_signals == lea.policy_signals  # in no team


def test_a_revised_area_leaves_the_digest_and_the_next_one_moves_up(sessions, world, signals):
    revised = run(
        sessions,
        revise_policy,
        _leader(world, "leo"),
        signals["Refunds"],
        "Gate agents may now refund up to 150 EUR.",
        NOW - HOUR,
        NOW - HOUR,
    )
    assert revised.closed == 3

    got = digest(sessions, world, "lea")

    assert _areas(got) == [("Baggage", 2), (None, 1), ("Lounge", 1)]
    assert (got.policy_signals.more_areas, got.policy_signals.open_total) == (0, 4)
    shown = {story.story_id for signal in got.policy_signals.signals for story in signal.stories}
    assert shown.isdisjoint({signals["r1"], signals["r2"], signals["r3"]})


def test_a_rule_bent_again_after_its_revision_comes_back_with_the_revision(
    sessions, world, signals
):
    run(
        sessions,
        revise_policy,
        _leader(world, "leo"),
        signals["Refunds"],
        "Gate agents may now refund up to 150 EUR.",
        NOW - 2 * HOUR,
        NOW - 2 * HOUR,
    )
    with unit_of_work(sessions) as session:
        again = _signal(session, world, "zed", NOW - HOUR, signals["Refunds"], rule="Over 150")

    got = digest(sessions, world, "lea")

    refunds = next(s for s in got.policy_signals.signals if s.area_name == "Refunds")
    assert refunds.open_count == 1
    assert [story.story_id for story in refunds.stories] == [again]
    assert refunds.last_revision is not None
    assert refunds.last_revision.leader_user_id == "U02LEO"
    assert refunds.last_revision.note == "Gate agents may now refund up to 150 EUR."


def test_without_signals_the_digest_carries_none(sessions, world):
    got = digest(sessions, world, "lea")

    assert got.policy_signals.signals == ()
    assert (got.policy_signals.more_areas, got.policy_signals.open_total) == (0, 0)
    for locale in ("en", "zh-CN"):
        text = render_message(**digest_message(locale, got, "UTC"))
        assert translate(locale, "policies.empty") in text


def test_the_digest_with_signals_renders_a_policy_revised_button_per_area(sessions, world, signals):
    got = digest(sessions, world, "pia")

    for locale in ("en", "zh-CN"):
        payload = digest_message(locale, got, "Asia/Shanghai")
        assert validate_message_blocks(payload["blocks"]) == []
        assert payload["blocks"][-1]["elements"][0]["text"] == translate(locale, "digest.footer")
        revise = [
            element
            for block in payload["blocks"]
            if block["type"] == "actions"
            for element in block["elements"]
            if element["action_id"] == slack_ids.REVISE_POLICY
        ]
        assert [button["value"] for button in revise] == [
            PolicyButton(signals["Refunds"]).encode(),
            PolicyButton(signals["Baggage"]).encode(),
            PolicyButton(None).encode(),
        ]
        text = render_message(**payload)
        assert "Seat changes need a supervisor" in text
        assert translate(locale, "policies.more_areas", count=1) in text
