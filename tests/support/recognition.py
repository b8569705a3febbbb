"""A workspace's recognition over two weeks, for the tests of the recognition report and
its dashboard page. K is 3 (tests/support/pulse_rounds.py).

    Gate (4 active):  gina (leads it), gus, gwen, gil
    Cabin (3 active): cleo, cid, cora
    Tiny (2 active):  tess (leads it), toby      below K: folded into "Other teams"
    no team (1):      nina                        with Tiny, the rest is 3: at least K

Values: the four a new workspace starts with (customer-first, ownership, trust, teamwork),
and two retired ones, legacy and unused.

2026-W47 (last week): gina gave cleo kudos worth 2 points (#legacy, a retired value);
toby tagged a story gus wrote (1 point, not kudos).
2026-W48 (this week): cleo -> gwen #customer-first; gus -> cid #customer-first #ownership;
tess -> gil #ownership; nina -> toby (no value); cid -> gil #customer-first, revoked.
Fourteen weeks ago, outside the twelve weeks counted: gus -> gwen.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select, update

from bot.db.engine import SessionFactory, unit_of_work
from bot.db.models import CompanyValue, Kudos, KudosReversal, KudosValue, Member, Story
from bot.domain.directory import Profile, WorkspaceDefaults, register_requester
from tests.support.pulse_rounds import NOW, add_team, pulse_workspace

LAST_WEEK = NOW - timedelta(days=7)
LONG_AGO = NOW - timedelta(weeks=14)
TEAMS = {
    "Gate": ("gina", "gus", "gwen", "gil"),
    "Cabin": ("cleo", "cid", "cora"),
    "Tiny": ("tess", "toby"),
    None: ("nina",),
}
LEADERS = ("gina", "tess")


def user_id(name: str) -> str:
    return f"U0{name.upper():<7}"[:9]


def recognition_workspace(sessions: SessionFactory, slack_team: str) -> dict[str, int]:
    """The workspace above, in `slack_team`: the ids of its workspace ("workspace"),
    teams (by name) and people (by name)."""
    workspace_id = pulse_workspace(sessions, slack_team)
    ids: dict[str, int] = {"workspace": workspace_id}
    for team, people in TEAMS.items():
        team_id = add_team(sessions, workspace_id, team) if team else None
        if team:
            ids[team] = team_id
        for name in people:
            ids[name] = _person(sessions, slack_team, name, team_id)
    with unit_of_work(sessions) as session:
        values = {
            value.tag: value.id
            for value in session.scalars(
                select(CompanyValue).where(CompanyValue.workspace_id == workspace_id)
            )
        }  # a new workspace's: customer-first, ownership, trust, teamwork
        for position, (tag, name) in enumerate(
            [("legacy", "Legacy value"), ("unused", "Never given")], start=10
        ):
            values[tag] = _retired_value(session, workspace_id, tag, name, position)

        def kudos(giver, recipient, at, *tags, points=1, kind="kudos", story=None) -> Kudos:
            row = Kudos(
                workspace_id=workspace_id,
                giver_id=ids[giver],
                recipient_id=ids[recipient],
                kind=kind,
                points=points,
                reason="Thanks",
                budget_week=date(2026, 11, 23),
                source_key=f"{giver}-{recipient}-{at.isoformat()}-{kind}",
                created_at=at,
                story_id=story,
            )
            session.add(row)
            session.flush()
            for tag in tags:
                session.add(KudosValue(kudos_id=row.id, value_id=values[tag]))
            return row

        kudos("gina", "cleo", LAST_WEEK, "legacy", points=2)
        gus_story = Story(
            workspace_id=workspace_id,
            author_id=ids["gus"],
            touchpoint="phone",
            customer_need="A seat",
            action_taken="Found one",
            outcome="Flew",
            created_at=LAST_WEEK,
        )
        session.add(gus_story)
        session.flush()
        kudos("toby", "gus", LAST_WEEK, kind="tag", story=gus_story.id)
        kudos("cleo", "gwen", NOW, "customer-first")
        kudos("gus", "cid", NOW, "customer-first", "ownership")
        kudos("tess", "gil", NOW, "ownership")
        kudos("nina", "toby", NOW)
        revoked = kudos("cid", "gil", NOW - timedelta(hours=1), "customer-first")
        session.add(KudosReversal(workspace_id=workspace_id, kudos_id=revoked.id, cause="revoked"))
        kudos("gus", "gwen", LONG_AGO, "customer-first")
    return ids


def _person(sessions: SessionFactory, slack_team: str, name: str, team_id: int | None) -> int:
    with unit_of_work(sessions) as session:
        who = register_requester(
            session, slack_team, Profile(user_id(name)), WorkspaceDefaults(), NOW
        )
        session.execute(
            update(Member)
            .where(Member.id == who.member_id)
            .values(team_id=team_id, is_leader=name in LEADERS, display_name=name.title())
        )
        return who.member_id


def _retired_value(session, workspace_id: int, tag: str, name: str, position: int) -> int:
    row = CompanyValue(
        workspace_id=workspace_id, tag=tag, name=name, position=position, is_active=False
    )
    session.add(row)
    session.flush()
    return row.id
