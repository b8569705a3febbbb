"""The adoption curve read from what people did, on both databases: who counts as an
active member each week, which acts count as taking part, and the teams shown."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import update

from bot.db.engine import unit_of_work
from bot.db.models import (
    Kudos,
    KudosReversal,
    Member,
    PulseInvite,
    Story,
    StoryBacking,
    StoryTag,
    Workspace,
)
from bot.db.repositories.adoption import weeks_taken_part
from bot.domain.adoption import Stage, WeekAdoption, adoption_report
from bot.domain.directory import Profile, WorkspaceDefaults, register_requester
from bot.domain.pulse import open_round, record_invite
from tests.support.pulse_rounds import add_team, pulse_workspace
from tests.support.units import run

NOW = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)  # Tuesday of 2026-W48 (K is 3)
LAST_WEEK = NOW - timedelta(days=7)  # in 2026-W47
LONG_AGO = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
WEEK = timedelta(days=7)
SLACK_TEAM = "T0ADOPT01"


@pytest.fixture
def workspace_id(sessions) -> int:
    return pulse_workspace(sessions, SLACK_TEAM)


def person(sessions, workspace_id, user_id, team_id, *, joined=LONG_AGO, **flags) -> int:
    with unit_of_work(sessions) as session:
        who = register_requester(
            session, SLACK_TEAM, Profile(user_id, **flags), WorkspaceDefaults(), NOW
        )
        session.execute(
            update(Member)
            .where(Member.id == who.member_id)
            .values(team_id=team_id, created_at=joined)
        )
        return who.member_id


@pytest.fixture
def people(sessions, workspace_id) -> dict[str, int]:
    """Gate: four people; Cabin: three, and Cathy who joined this week; a guest and a
    bot who take part but are not counted."""
    gate = add_team(sessions, workspace_id, "Gate")
    cabin = add_team(sessions, workspace_id, "Cabin")
    ids = {
        name: person(sessions, workspace_id, f"U0{name.upper():<7}"[:9], gate)
        for name in ("gina", "gus", "gwen", "gil")
    }
    ids |= {
        name: person(sessions, workspace_id, f"U0{name.upper():<7}"[:9], cabin)
        for name in ("cleo", "cid", "cora")
    }
    ids["cathy"] = person(
        sessions, workspace_id, "U0CATHY00", cabin, joined=NOW - timedelta(hours=20)
    )
    ids["guest"] = person(sessions, workspace_id, "U0GUEST00", gate, is_guest=True)
    ids["gate"], ids["cabin"] = gate, cabin
    return ids


def story(session, workspace_id, author, at) -> Story:
    row = Story(
        workspace_id=workspace_id,
        author_id=author,
        touchpoint="phone",
        customer_need="A seat",
        action_taken="Found one",
        outcome="Flew",
        created_at=at,
    )
    session.add(row)
    session.flush()
    return row


def kudos(session, workspace_id, giver, recipient, at, key) -> Kudos:
    row = Kudos(
        workspace_id=workspace_id,
        giver_id=giver,
        recipient_id=recipient,
        kind="kudos",
        points=1,
        reason="Thanks",
        budget_week=date(2026, 11, 23),
        source_key=key,
        created_at=at,
    )
    session.add(row)
    session.flush()
    return row


@pytest.fixture
def two_weeks(sessions, workspace_id, people):
    """Last week Gina shared a story. This week Gus tagged it, Cleo thanked Gwen, Gina
    backed a decision, Cora finished the pulse; Cid's kudos to Gil was revoked, Gil only
    opened the pulse, and the guest shared a story."""
    pulse = run(sessions, open_round, workspace_id, "2026-W48", NOW)
    with unit_of_work(sessions) as session:
        told = story(session, workspace_id, people["gina"], LAST_WEEK)
        session.add(
            StoryTag(
                workspace_id=workspace_id,
                story_id=told.id,
                tagger_id=people["gus"],
                source="button",
                created_at=NOW,
            )
        )
        session.add(
            StoryBacking(
                workspace_id=workspace_id,
                story_id=told.id,
                leader_id=people["gina"],
                created_at=NOW,
            )
        )
        kudos(session, workspace_id, people["cleo"], people["gwen"], NOW, "k1")
        revoked = kudos(session, workspace_id, people["cid"], people["gil"], NOW, "k2")
        session.add(KudosReversal(workspace_id=workspace_id, kudos_id=revoked.id, cause="revoked"))
        story(session, workspace_id, people["guest"], NOW)
        for who in ("cora", "gil"):
            record_invite(
                session, workspace_id, pulse.id, people[who], "D0X", "1.0", f"check-{who}"
            )
        session.execute(
            update(PulseInvite)
            .where(PulseInvite.member_id == people["cora"])
            .values(status="completed")
        )


def test_each_week_counts_who_took_part_among_the_members_active_then(
    sessions, workspace_id, two_weeks
):
    report = run(sessions, adoption_report, workspace_id, NOW, weeks=2)

    assert report.k == 3
    assert report.workspace.weeks == (
        WeekAdoption("2026-W47", active=7, took_part=1),  # Gina; Cathy had not joined
        WeekAdoption("2026-W48", active=8, took_part=4),  # Gina, Gus, Gwen, Cleo
    )
    assert report.workspace.latest.stage == Stage.EARLY_ADOPTERS


def test_answering_the_pulse_never_moves_the_curve(sessions, workspace_id, people, two_weeks):
    """An attacker who sees every public act (cards, tags, kudos) and the curve must not
    learn who answered the pulse: Cora finished it and did nothing public, so were she
    counted, her team's count minus its public acts would name her."""
    before = run(sessions, adoption_report, workspace_id, NOW, weeks=2)
    run(sessions, _everyone_finishes_the_pulse, workspace_id)

    after = run(sessions, adoption_report, workspace_id, NOW, weeks=2)

    assert after == before
    assert people["cora"] not in _public_actors(sessions, workspace_id)


def _everyone_finishes_the_pulse(session, workspace_id) -> None:
    session.execute(
        update(PulseInvite)
        .where(PulseInvite.workspace_id == workspace_id)
        .values(status="completed")
    )


def _public_actors(sessions, workspace_id) -> set[int]:
    with unit_of_work(sessions) as session:
        taking_part = weeks_taken_part(session, workspace_id, [(LONG_AGO, NOW + WEEK)])
        return {member for member, _ in taking_part}


def test_teams_of_at_least_k_have_their_own_curve(sessions, workspace_id, people, two_weeks):
    report = run(sessions, adoption_report, workspace_id, NOW, weeks=2)

    curves = {report.team_names[curve.team_id]: curve.weeks for curve in report.teams}
    assert curves == {
        "Gate": (WeekAdoption("2026-W47", 4, 1), WeekAdoption("2026-W48", 4, 3)),
        "Cabin": (WeekAdoption("2026-W47", 3, 0), WeekAdoption("2026-W48", 4, 1)),
    }


def test_a_revoked_kudos_an_unfinished_pulse_and_a_guest_count_for_nothing(
    sessions, workspace_id, people, two_weeks
):
    report = run(sessions, adoption_report, workspace_id, NOW, weeks=1)

    (this_week,) = report.workspace.weeks
    assert this_week.took_part == 4, "not Cid, not Gil, not Cora (the pulse), not the guest"


def test_a_workspace_counting_guests_counts_them(sessions, workspace_id, people, two_weeks):
    run(sessions, _count_guests, workspace_id)

    report = run(sessions, adoption_report, workspace_id, NOW, weeks=1)

    assert report.workspace.latest == WeekAdoption("2026-W48", active=9, took_part=5)


def _count_guests(session, workspace_id) -> None:
    session.execute(
        update(Workspace).where(Workspace.id == workspace_id).values(pulse_include_guests=True)
    )


def test_twelve_weeks_by_default_with_the_quiet_ones_at_nought(
    sessions, workspace_id, people, two_weeks
):
    report = run(sessions, adoption_report, workspace_id, NOW)

    weeks = report.workspace.weeks
    assert len(weeks) == 12
    assert weeks[:7] == (None,) * 7, "W37 to W43: nobody had joined, so below K"
    assert [week.period for week in weeks[7:]] == [f"2026-W{n}" for n in range(44, 49)]
    assert [(week.active, week.took_part) for week in weeks[7:10]] == [(7, 0)] * 3


def test_an_act_counts_in_the_week_it_falls_in_up_to_the_last_instant(
    sessions, workspace_id, people
):
    """Weeks are [start, end): a story at the last microsecond of a week is that week's,
    one at the first instant of the next is the next's; acts outside them are nobody's."""
    monday = datetime(2026, 11, 23, tzinfo=UTC)
    weeks = [(monday - WEEK, monday), (monday, monday + WEEK)]
    with unit_of_work(sessions) as session:
        story(session, workspace_id, people["gina"], monday - timedelta(microseconds=1))
        story(session, workspace_id, people["gus"], monday)
        story(session, workspace_id, people["gwen"], monday + WEEK)  # after the weeks
        story(session, workspace_id, people["gil"], monday - WEEK - timedelta(seconds=1))
        for _ in range(3):  # many acts of one person in one week: one row
            story(session, workspace_id, people["cleo"], monday + timedelta(days=2))

    taking_part = run(sessions, weeks_taken_part, workspace_id, weeks)

    assert taking_part == {(people["gina"], 0), (people["gus"], 1), (people["cleo"], 1)}
