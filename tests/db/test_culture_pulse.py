"""The HR culture-pulse summary against hand-computed figures, on SQLite and PostgreSQL.

K is 3. The rotation asks, in 2026: W45 competence, W46 self-determination, W47 impact,
W48 meaning, each with one trust item (the trust item is the 4th question).
"""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import update

from bot.db.engine import unit_of_work
from bot.db.models import (
    Kudos,
    KudosReversal,
    Member,
    PolicyArea,
    Story,
    StoryBacking,
    StoryTag,
    Workspace,
)
from bot.domain.adoption import trend_weeks
from bot.domain.culture_pulse import hr_summary, recognition_activity
from bot.domain.directory import Profile, WorkspaceDefaults, register_requester
from bot.domain.errors import DomainError
from bot.domain.policy_signals import SignalCounts, revise_policy
from bot.domain.pulse import close_round, open_round
from bot.domain.pulse_results import round_results
from tests.support.pulse_rounds import KEY, NOW, pulse_workspace, respondent
from tests.support.units import run

TEAM = "T0CULTURE"
TZ = "Asia/Shanghai"  # UTC+8, no DST
WEEK = datetime(2026, 11, 22, 16, 0, tzinfo=UTC)  # Monday 23 November 00:00 in Shanghai
END = datetime(2026, 11, 29, 16, 0, tzinfo=UTC)  # Monday 30 November 00:00 in Shanghai
HOUR = timedelta(hours=1)
DAY = timedelta(days=1)
SECOND = timedelta(seconds=1)
FIRST = WEEK - 11 * timedelta(weeks=1)  # Monday 7 September (2026-W37) in Shanghai


@pytest.fixture
def workspace_id(sessions):
    return pulse_workspace(sessions, TEAM, timezone=TZ)


def another_workspace(session) -> tuple[Workspace, Member]:
    """A second workspace with one member, whose rows no summary of ours may count."""
    other = Workspace(team_id="T0ELSEWHERE")
    session.add(other)
    session.flush()
    stranger = Member(workspace_id=other.id, slack_user_id="U0STRANGER")
    session.add(stranger)
    session.flush()
    return other, stranger


def past_round(sessions, workspace_id, period, opened, answers, silent=0):
    pulse = run(sessions, open_round, workspace_id, period, opened)
    for values in answers:
        respondent(sessions, pulse, None, values, now=opened)
    for _ in range(silent):
        respondent(sessions, pulse, None, [], now=opened)
    run(sessions, close_round, workspace_id, pulse.id, pulse.closes_at, KEY)
    return pulse


def summary_of(sessions, workspace_id, pulse, now=NOW + timedelta(days=30)):
    return run(sessions, hr_summary, workspace_id, pulse.id, now)


def test_the_trend_per_dimension_suppresses_rounds_below_k(sessions, workspace_id):
    w45 = past_round(
        sessions, workspace_id, "2026-W45", NOW - 3 * timedelta(weeks=1), [[2] * 4] * 3
    )
    assert [q.dimension for q in w45.questions] == ["competence"] * 3 + ["trust"]
    # Two respondents: below K=3, nothing of this round may show.
    past_round(sessions, workspace_id, "2026-W46", NOW - 2 * timedelta(weeks=1), [[5] * 4] * 2)
    # Impact items: (4+4+5+3)/4 = 4.0 each; trust (5+5+1+1)/4 = 3.0.
    past_round(
        sessions,
        workspace_id,
        "2026-W47",
        NOW - timedelta(weeks=1),
        [[4, 4, 4, 5], [4, 4, 4, 5], [5, 5, 5, 1], [3, 3, 3, 1]],
    )
    # Meaning items 12/3, 12/3, 9/3 -> (4 + 4 + 3) / 3 = 11/3; trust 9/3 = 3.0.
    current = past_round(
        sessions, workspace_id, "2026-W48", NOW, [[5, 4, 3, 2], [4, 4, 3, 4], [3, 4, 3, 3]]
    )

    got = summary_of(sessions, workspace_id, current)

    assert (got.round_id, got.period, got.min_group) == (current.id, "2026-W48", 3)
    assert [(r.period, r.respondents, r.suppressed) for r in got.rounds] == [
        ("2026-W45", 3, False),
        ("2026-W46", None, True),
        ("2026-W47", 4, False),
        ("2026-W48", 3, False),
    ]
    series = {
        trend.dimension: [(point.period, point.value) for point in trend.points]
        for trend in got.trends
    }
    assert [trend.dimension for trend in got.trends] == [
        "meaning",
        "competence",
        "self_determination",
        "impact",
        "trust",
    ]
    assert series["meaning"] == [("2026-W48", pytest.approx(11 / 3))]
    assert series["competence"] == [("2026-W45", pytest.approx(2.0))]
    assert series["self_determination"] == [("2026-W46", None)]
    assert series["impact"] == [("2026-W47", pytest.approx(4.0))]
    assert series["trust"] == [
        ("2026-W45", pytest.approx(2.0)),
        ("2026-W46", None),
        ("2026-W47", pytest.approx(3.0)),
        ("2026-W48", pytest.approx(3.0)),
    ]
    assert got.has_suppressed_points
    # The round's own results are round_results', untouched.
    results = run(sessions, round_results, workspace_id, current.id)
    assert got.results.groups == results.groups
    assert (got.results.invited, got.results.responded) == (3, 3)
    assert got.rounds[-1].dimensions == pytest.approx(results.groups[0].dimensions)


def test_the_response_rate_trend_counts_completed_of_invited(sessions, workspace_id):
    past_round(sessions, workspace_id, "2026-W45", NOW - 3 * timedelta(weeks=1), [[3] * 4] * 3, 1)
    past_round(sessions, workspace_id, "2026-W46", NOW - 2 * timedelta(weeks=1), [[3] * 4] * 2, 2)
    # The fifth answered one question of four and never completed: not a response.
    past_round(sessions, workspace_id, "2026-W47", NOW - timedelta(weeks=1), [[3] * 4] * 4 + [[3]])
    current = past_round(sessions, workspace_id, "2026-W48", NOW, [[3] * 4] * 3 + [[4]], 1)

    got = summary_of(sessions, workspace_id, current)

    assert [(r.period, r.invited, r.completed) for r in got.response_rates] == [
        ("2026-W45", 4, 3),
        ("2026-W46", 4, 2),
        ("2026-W47", 5, 4),
        ("2026-W48", 5, 3),
    ]
    assert [r.rate_pct for r in got.response_rates] == pytest.approx([75.0, 50.0, 80.0, 60.0])
    assert got.results.response_rate == pytest.approx(0.6)


def test_the_summary_carries_the_adoption_curve_up_to_this_week(sessions, workspace_id):
    past_round(sessions, workspace_id, "2026-W47", NOW - timedelta(weeks=1), [[3] * 4] * 4)
    current = past_round(sessions, workspace_id, "2026-W48", NOW, [[3] * 4] * 3 + [[4]], 1)

    with unit_of_work(sessions) as session:  # they all joined long before
        session.execute(
            update(Member)
            .where(Member.workspace_id == workspace_id)
            .values(created_at=NOW - timedelta(weeks=20))
        )

    got = summary_of(sessions, workspace_id, current).adoption

    assert len(got.workspace.weeks) == 12, "up to the round's week, though asked 30 days on"
    last_week, this_week = got.workspace.weeks[-2:]
    # Seven people answered these two rounds and nobody did anything in public: answering
    # the pulse is not taking part on the curve (it would tell who answered).
    assert (last_week.period, last_week.active, last_week.took_part) == ("2026-W47", 9, 0)
    assert (this_week.period, this_week.active, this_week.took_part) == ("2026-W48", 9, 0)


def test_the_trend_takes_the_last_12_closed_rounds_up_to_this_one(sessions, workspace_id):
    periods = [f"2026-W{week:02d}" for week in range(33, 50)]  # W33 .. W49
    rounds = {}
    for offset, period in enumerate(periods):
        rounds[period] = past_round(
            sessions, workspace_id, period, NOW + (offset - 15) * timedelta(weeks=1), []
        )
    # An open round before this one and another workspace's round never count.
    run(sessions, open_round, workspace_id, "2026-W32", NOW - 16 * timedelta(weeks=1))
    with unit_of_work(sessions) as session:
        other = register_requester(
            session, "T0OTHER", Profile("U0OTHER"), WorkspaceDefaults(), NOW
        ).workspace_id
    past_round(sessions, other, "2026-W44", NOW - 4 * timedelta(weeks=1), [])

    got = summary_of(sessions, workspace_id, rounds["2026-W48"])

    expected = [f"2026-W{week:02d}" for week in range(37, 49)]
    assert [r.period for r in got.rounds] == expected
    assert [r.period for r in got.response_rates] == expected
    assert all(r.suppressed for r in got.rounds)  # nobody answered
    assert all(point.value is None for trend in got.trends for point in trend.points)
    assert [(r.invited, r.completed, r.rate_pct) for r in got.response_rates] == [(0, 0, 0.0)] * 12


def test_the_summary_counts_comments_and_never_carries_their_text(sessions, workspace_id):
    """The summary may be posted to a channel: comment texts stay in `/mot pulse results`."""
    current = run(sessions, open_round, workspace_id, "2026-W48", NOW)
    for number in range(6):  # 2K respondents: round_results releases the comments
        respondent(sessions, current, None, [4] * 4, comment=f"private remark {number}")
    run(sessions, close_round, workspace_id, current.id, current.closes_at, KEY)
    assert len(run(sessions, round_results, workspace_id, current.id).comments) == 6

    got = summary_of(sessions, workspace_id, current)

    assert got.comment_count == 6
    assert got.results.comments is None
    assert "private remark" not in repr(got)


def test_unknown_rounds_are_none_and_open_rounds_are_refused(sessions, workspace_id):
    current = run(sessions, open_round, workspace_id, "2026-W48", NOW)

    with pytest.raises(DomainError) as refused:
        run(sessions, hr_summary, workspace_id, current.id, NOW)
    assert refused.value.key == "pulse.errors.still_open"

    run(sessions, close_round, workspace_id, current.id, current.closes_at, KEY)
    assert run(sessions, hr_summary, workspace_id, current.id + 1000, NOW) is None
    assert run(sessions, hr_summary, workspace_id + 1, current.id, NOW) is None
    got = run(sessions, hr_summary, workspace_id, current.id, NOW)
    assert got is not None and got.results.groups == ()
    assert [r.suppressed for r in got.rounds] == [True]


# --- recognition ------------------------------------------------------------------------


@pytest.fixture
def recognition_world(sessions, workspace_id):
    """The week of 2026-W48 in Shanghai is [WEEK, END). Counted entries are marked."""
    with unit_of_work(sessions) as session:
        people = {}
        for name, leader in (("anna", False), ("ben", False), ("chloe", True), ("dan", False)):
            member = Member(
                workspace_id=workspace_id, slack_user_id=f"U0R{name.upper()}", is_leader=leader
            )
            session.add(member)
            session.flush()
            people[name] = member.id
        other, stranger = another_workspace(session)

        def story(workspace, author, created, deleted=False):
            row = Story(
                workspace_id=workspace,
                author_id=author,
                touchpoint="phone",
                customer_need="-",
                action_taken="-",
                outcome="-",
                created_at=created,
                deleted_at=created + HOUR if deleted else None,
            )
            session.add(row)
            session.flush()
            return row.id

        s1 = story(workspace_id, people["anna"], WEEK)  # counted: the week's first instant
        s2 = story(workspace_id, people["ben"], WEEK + HOUR)  # counted
        s3 = story(workspace_id, people["chloe"], WEEK - SECOND)  # last week
        s4 = story(workspace_id, people["dan"], WEEK + 2 * HOUR, deleted=True)
        story(workspace_id, people["anna"], END)  # next week
        elsewhere = story(other.id, stranger.id, WEEK + HOUR)

        for story_id, tagger, when in [
            (s1, "ben", WEEK + HOUR / 2),  # counted
            (s1, "chloe", WEEK + 3 * HOUR),  # counted
            (s3, "anna", WEEK + 3 * HOUR),  # counted: given this week, on an older story
            (s2, "dan", END - SECOND),  # counted
            (s4, "ben", WEEK + 3 * HOUR),  # on a deleted story
            (s2, "chloe", END),  # next week
        ]:
            session.add(
                StoryTag(
                    workspace_id=workspace_id,
                    story_id=story_id,
                    tagger_id=people[tagger],
                    source="button",
                    created_at=when,
                )
            )
        session.add(
            StoryTag(
                workspace_id=other.id,
                story_id=elsewhere,
                tagger_id=stranger.id,
                source="button",
                created_at=WEEK + HOUR,
            )
        )

        keys = itertools.count(1)

        def entry(giver, recipient, kind, points, when, workspace=workspace_id):
            row = Kudos(
                workspace_id=workspace,
                giver_id=giver,
                recipient_id=recipient,
                kind=kind,
                points=points,
                budget_week=date(2026, 11, 23),
                source_key=f"test:{next(keys)}",
                created_at=when,
            )
            session.add(row)
            session.flush()
            return row

        entry(people["anna"], people["ben"], "kudos", 2, WEEK + HOUR)  # counted
        entry(people["chloe"], people["ben"], "kudos", 3, WEEK + 2 * HOUR)  # counted
        reversed_entry = entry(people["ben"], people["dan"], "kudos", 1, WEEK + 2 * HOUR)
        session.add(
            KudosReversal(
                workspace_id=workspace_id,
                kudos_id=reversed_entry.id,
                cause="revoked",
                created_at=WEEK + 5 * HOUR,
            )
        )
        entry(people["ben"], people["anna"], "tag", 1, WEEK + 4 * HOUR)  # counted
        entry(people["dan"], people["anna"], "kudos", 1, WEEK - SECOND)  # last week
        entry(people["anna"], people["chloe"], "kudos", 1, END)  # next week
        entry(stranger.id, stranger.id, "kudos", 9, WEEK + HOUR, workspace=other.id)

        for story_id, when in [
            (s1, WEEK + 5 * HOUR),  # counted
            (s2, WEEK + 6 * HOUR),  # counted
            (s4, WEEK + 5 * HOUR),  # deleted story
            (s3, WEEK - SECOND),  # last week
        ]:
            session.add(
                StoryBacking(
                    workspace_id=workspace_id,
                    story_id=story_id,
                    leader_id=people["chloe"],
                    created_at=when,
                )
            )
    return people


def test_recognition_over_the_rounds_week_counts_live_entries(
    sessions, workspace_id, recognition_world
):
    current = past_round(sessions, workspace_id, "2026-W48", NOW, [[4] * 4] * 3)

    got = summary_of(sessions, workspace_id, current, now=END + timedelta(days=1)).recognition

    assert (got.week, got.first_day, got.last_day) == (
        "2026-W48",
        date(2026, 11, 23),
        date(2026, 11, 29),
    )
    assert (got.start, got.end, got.until) == (WEEK, END, END)
    assert not got.partial
    assert (got.stories, got.tags, got.stories_tagged) == (2, 4, 3)
    # Live entries: anna->ben 2, chloe->ben 3 (kudos) and ben->anna 1 (tag); ben->dan
    # was reversed, so dan received nothing.
    assert (got.kudos, got.points) == (2, 6)
    assert (got.givers, got.recipients) == (3, 2)
    assert got.leader_backings == 2


def test_recognition_while_the_week_runs_counts_up_to_now(
    sessions, workspace_id, recognition_world
):
    with unit_of_work(sessions) as session:
        got = recognition_activity(session, workspace_id, "2026-W48", TZ, WEEK + 2.5 * HOUR)

    assert got.partial and got.until == WEEK + 2.5 * HOUR
    assert (got.stories, got.tags, got.stories_tagged) == (2, 1, 1)
    assert (got.kudos, got.points, got.givers, got.recipients) == (2, 5, 2, 1)
    assert got.leader_backings == 0


def test_recognition_weeks_follow_the_workspace_time_zone(sessions, workspace_id):
    with unit_of_work(sessions) as session:
        utc_week = recognition_activity(session, workspace_id, "2026-W48", "UTC", END)
        shanghai = recognition_activity(session, workspace_id, "2026-W48", TZ, END)

    assert utc_week.start == datetime(2026, 11, 23, tzinfo=UTC)
    assert shanghai.start == WEEK
    assert shanghai.end - shanghai.start == timedelta(days=7)


# --- policy signals ---------------------------------------------------------------------


@pytest.fixture
def signal_world(sessions, workspace_id):
    """Signals around the summary's 12 weeks, [FIRST, END): the weeks of its adoption
    curve and service mix. A leader revised Refunds inside them, Lounge before them."""
    with unit_of_work(sessions) as session:
        teller = register_requester(
            session, TEAM, Profile("U0TELLER"), WorkspaceDefaults(), NOW
        ).member_id
        leader = register_requester(session, TEAM, Profile("U0LEADER"), WorkspaceDefaults(), NOW)
        session.get(Member, leader.member_id).is_leader = True
        areas = {}
        for name in ("Refunds", "Baggage", "Lounge"):
            area = PolicyArea(workspace_id=workspace_id, name=name)
            session.add(area)
            session.flush()
            areas[name] = area.id
        other, stranger = another_workspace(session)

        def signal(created, area=None, deleted=False, workspace=workspace_id, author=teller):
            session.add(
                Story(
                    workspace_id=workspace,
                    author_id=author,
                    touchpoint="phone",
                    customer_need="-",
                    action_taken="-",
                    outcome="-",
                    decided_on_spot=True,
                    raises_policy_signal=True,
                    rule_bent="" if area else "Seat changes need a supervisor",
                    policy_area_id=area,
                    created_at=created,
                    deleted_at=created + HOUR if deleted else None,
                )
            )
            session.flush()

        signal(FIRST - 3 * DAY, areas["Lounge"])  # closed before the weeks
        signal(FIRST - SECOND, areas["Refunds"])  # raised before, closed within
        signal(FIRST, areas["Refunds"])  # raised: the weeks' first instant; closed
        signal(WEEK + HOUR, areas["Refunds"])  # raised; closed
        signal(FIRST - 2 * DAY, areas["Baggage"])  # raised before; still open
        signal(END - SECOND)  # raised: the weeks' last instant; still open
        signal(END, areas["Baggage"])  # after the weeks
        signal(WEEK + 2 * HOUR, areas["Baggage"], deleted=True)  # never counts
        signal(WEEK + HOUR, workspace=other.id, author=stranger.id)  # another workspace
        # Decided on the spot, naming no rule: a story, not a signal.
        session.add(
            Story(
                workspace_id=workspace_id,
                author_id=teller,
                touchpoint="phone",
                customer_need="-",
                action_taken="-",
                outcome="-",
                decided_on_spot=True,
                created_at=WEEK + HOUR,
            )
        )
    leader = replace(leader, is_leader=True)
    lounge = FIRST - 1 * DAY
    run(sessions, revise_policy, leader, areas["Lounge"], "Lounge rule changed.", lounge, lounge)
    refunds = WEEK + 3 * HOUR
    run(sessions, revise_policy, leader, areas["Refunds"], "Refunds up to 150.", refunds, refunds)
    return areas


def test_the_summary_counts_policy_signals_over_its_12_weeks(sessions, workspace_id, signal_world):
    current = past_round(sessions, workspace_id, "2026-W48", NOW, [[4] * 4] * 3)

    got = summary_of(sessions, workspace_id, current)

    # Raised in [FIRST, END): the Refunds signals at FIRST and in W48, and the one under
    # no area at END - 1s; not the deleted one, not those before FIRST or at END.
    # Closed in those weeks: Refunds' three (one raised before them); Lounge's revision
    # came before them. Still open: the Baggage signal from before the weeks and the one
    # under no area; not the one raised at END, after them.
    assert got.policy_signals == SignalCounts(raised=3, closed=3, still_open=2)
    # The same weeks as the adoption curve and the service mix.
    weeks = trend_weeks(current.closes_at, TZ)
    assert (weeks[0][0], weeks[-1][1], len(weeks)) == (FIRST, END, 12)


def test_the_summary_counts_no_signal_where_none_was_raised(sessions, workspace_id):
    current = past_round(sessions, workspace_id, "2026-W48", NOW, [[4] * 4] * 3)

    got = summary_of(sessions, workspace_id, current)

    assert got.policy_signals == SignalCounts(raised=0, closed=0, still_open=0)
