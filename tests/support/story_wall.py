"""A workspace of stories for the story wall's tests (tests/db/test_story_wall.py and
tests/db/test_dashboard_story_wall_page.py): two teams with a leader each, HR, and
stories told through the domain as people would tell them in Slack.

    Check-in & Gate: Erik (leader), Alice, Björn     Cabin Crew: Ingrid (leader), Oliver
    Karin (HR), Henrik (admin)                       Dan (employee, in no team)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import update

from bot.db.engine import SessionFactory, unit_of_work
from bot.db.models import Member, PolicyArea
from bot.domain.dashboard_access import DashboardViewer, dashboard_viewer
from bot.domain.directory import Profile, Requester, WorkspaceDefaults, register_requester
from bot.domain.stories import (
    StoryDraft,
    TagSource,
    attach_card,
    back_story,
    delete_story,
    share_story,
    tag_story,
)
from tests.support.pulse_rounds import add_team
from tests.support.units import run

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
TEAM = "T0WALL001"
STORIES = "C0STORIES"
ALICE, BJORN, ERIK = "U0ALICE01", "U0BJORN01", "U0ERIK001"
OLIVER, INGRID = "U0OLIVE01", "U0INGRI01"
KARIN, HENRIK, DAN = "U0KARIN01", "U0HENRI01", "U0DANIE01"
NAMES = {
    ALICE: "Alice",
    BJORN: "Björn",
    ERIK: "Erik",
    OLIVER: "Oliver",
    INGRID: "Ingrid",
    KARIN: "Karin (HR)",
    HENRIK: "Henrik",
    DAN: "Dan",
}
DEFAULTS = WorkspaceDefaults(
    stories_channel=STORIES, leaders=(ERIK, INGRID), hr_users=(KARIN,), admins=(HENRIK,)
)


@dataclass
class Wall:
    """The people (by Slack user id) and the stories (by name) of the workspace."""

    workspace_id: int
    people: dict[str, Requester]
    stories: dict[str, int]
    area_id: int


def person(sessions: SessionFactory, user_id: str, team_id: int | None = None) -> Requester:
    with unit_of_work(sessions) as session:
        who = register_requester(
            session, TEAM, Profile(user_id, display_name=NAMES.get(user_id, "")), DEFAULTS, NOW
        )
        session.execute(update(Member).where(Member.id == who.member_id).values(team_id=team_id))
        return who


A_STORY: dict[str, Any] = {
    "people": (),
    "touchpoint": "phone",
    "customer_need": "A passenger needed help.",
    "action_taken": "I helped.",
    "outcome": "She was happy.",
}


def tell(sessions: SessionFactory, who: Requester, minutes: int, **fields: Any) -> int:
    """A story `who` shares `minutes` after NOW (StoryDraft's `fields`), its card posted
    in the stories channel."""
    at = NOW + timedelta(minutes=minutes)
    card = run(sessions, share_story, who, StoryDraft(**{**A_STORY, **fields}), at)
    run(sessions, attach_card, who, card.id, STORIES, f"{1_700_000_000 + minutes}.000100")
    return card.id


def viewer(sessions: SessionFactory, user_id: str) -> DashboardViewer:
    with sessions() as session:
        return dashboard_viewer(session, TEAM, user_id)


def story_wall_workspace(sessions: SessionFactory) -> Wall:
    """Six stories, the newest last in this list:

    copenhagen   Alice, phone, decided on the spot beyond a rule, #customer-first,
                 backed by Erik, tagged by Oliver and Karin
    lost_bag     Oliver with Björn, on site, a service recovery, #trust
    refund       Oliver, chat, "100% refund" and "seat_12", decided on the spot (not
                 backed), a policy area and no rule in words
    chinese      Dan (no team), email, in Chinese, with Alice
    dan_alone    Dan (no team), in person, about nobody else
    deleted      Alice, phone, mentions Copenhagen too; deleted by her
    """
    karin = person(sessions, KARIN)
    gate = add_team(sessions, karin.workspace_id, "Check-in & Gate")
    cabin = add_team(sessions, karin.workspace_id, "Cabin Crew")
    people = {
        KARIN: karin,
        HENRIK: person(sessions, HENRIK),
        DAN: person(sessions, DAN),
        ALICE: person(sessions, ALICE, gate),
        BJORN: person(sessions, BJORN, gate),
        ERIK: person(sessions, ERIK, gate),
        OLIVER: person(sessions, OLIVER, cabin),
        INGRID: person(sessions, INGRID, cabin),
    }
    with unit_of_work(sessions) as session:
        area = PolicyArea(workspace_id=karin.workspace_id, name="Refunds", created_at=NOW)
        session.add(area)
        session.flush()
        area_id = area.id
    stories = {
        "copenhagen": tell(
            sessions,
            people[ALICE],
            1,
            customer_need="A passenger missed the connection in Copenhagen.",
            action_taken="Rebooked her on the next flight and called the hotel.",
            outcome="She made it to the wedding.",
            decided_on_spot=True,
            rule_bent="Rebooking fees need a supervisor",
            value_tags=("customer-first",),
        ),
        "lost_bag": tell(
            sessions,
            people[OLIVER],
            2,
            touchpoint="on_site",
            people=(OLIVER, BJORN),
            customer_need="Her bag did not arrive.",
            action_taken="We found it and sent it by taxi.",
            went_wrong="We lost her bag in transfer.",
            value_tags=("trust",),
        ),
        "refund": tell(
            sessions,
            people[OLIVER],
            3,
            touchpoint="chat",
            customer_need="He wanted a 100% refund for seat_12.",
            action_taken="Gave it at once.",
            decided_on_spot=True,
            policy_area_id=area_id,
        ),
        "chinese": tell(
            sessions,
            people[DAN],
            4,
            touchpoint="email",
            people=(DAN, ALICE),
            customer_need="顾客的行李丢了。",
            action_taken="我们当场赔偿了她。",
            outcome="她很满意。",
        ),
        "dan_alone": tell(sessions, people[DAN], 5, touchpoint="in_person"),
        "deleted": tell(
            sessions, people[ALICE], 6, customer_need="Another passenger stranded in Copenhagen."
        ),
    }
    at = NOW + timedelta(hours=1)
    run(sessions, back_story, people[ERIK], stories["copenhagen"], at)
    for tagger in (OLIVER, KARIN):
        run(sessions, tag_story, people[tagger], stories["copenhagen"], TagSource.BUTTON, at)
    run(sessions, delete_story, people[ALICE], stories["deleted"], at)
    return Wall(karin.workspace_id, people, stories, area_id)
