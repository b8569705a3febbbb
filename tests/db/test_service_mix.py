"""The service mix read from the stories, on both databases: only positive moments of
truth (tagged at least once, not deleted, shared in the weeks asked) count."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.db.engine import unit_of_work
from bot.db.models import Member, Story, StoryTag
from bot.domain.directory import Profile, WorkspaceDefaults, register_requester
from bot.domain.service_mix import AbcShare, service_mix
from tests.support.units import run

NOW = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
SINCE, UNTIL = NOW - timedelta(weeks=2), NOW + timedelta(days=1)


@pytest.fixture
def teller(sessions):
    with unit_of_work(sessions) as session:
        return register_requester(
            session, "T0MIX0001", Profile("U0TELLER1"), WorkspaceDefaults(), NOW
        )


@pytest.fixture(autouse=True)
def colleagues(sessions, teller) -> list[int]:
    """Three colleagues who tag stories (one tag each per story)."""
    with unit_of_work(sessions) as session:
        return [
            register_requester(
                session, "T0MIX0001", Profile(f"U0COLL{n:03d}"), WorkspaceDefaults(), NOW
            ).member_id
            for n in range(3)
        ]


def told(
    sessions, teller, touchpoint, abc="", *, tags=1, at=NOW, deleted=False, recovery=False
) -> None:
    """A story by the teller, tagged by `tags` colleagues."""
    with unit_of_work(sessions) as session:
        taggers = session.scalars(
            select(Member.id).where(
                Member.workspace_id == teller.workspace_id, Member.id != teller.member_id
            )
        ).all()
        story = Story(
            workspace_id=teller.workspace_id,
            author_id=teller.member_id,
            touchpoint=touchpoint,
            customer_need="A seat",
            action_taken="Found one",
            outcome="Flew",
            abc_appearance="a" in abc,
            abc_behaviour="b" in abc,
            abc_communication="c" in abc,
            created_at=at,
            deleted_at=at if deleted else None,
            is_recovery=recovery,
            went_wrong="The flight was cancelled" if recovery else "",
        )
        session.add(story)
        session.flush()
        for tagger in taggers[:tags]:
            session.add(
                StoryTag(
                    workspace_id=teller.workspace_id,
                    story_id=story.id,
                    tagger_id=tagger,
                    source="button",
                )
            )


def test_the_mix_counts_each_letter_named_in_positive_moments_beside_carlzon(sessions, teller):
    told(sessions, teller, "on_site", "bc")
    told(sessions, teller, "on_site", "b", tags=3)  # counted once, however often tagged
    told(sessions, teller, "phone", "c")
    told(sessions, teller, "chat", "")  # positive, no letter named

    mix = run(sessions, service_mix, teller.workspace_id, SINCE, UNTIL)

    assert mix.positive_moments == 4
    assert mix.abc == (
        AbcShare("appearance", 0, 0.0, 0.52),
        AbcShare("behaviour", 2, 0.5, 0.33),
        AbcShare("communication", 2, 0.5, 0.15),
    )
    assert mix.touchpoints == (("on_site", 2), ("chat", 1), ("phone", 1))


def test_untagged_deleted_and_out_of_window_stories_are_not_positive_moments(sessions, teller):
    told(sessions, teller, "on_site", "a", tags=0)
    told(sessions, teller, "on_site", "a", deleted=True)
    told(sessions, teller, "on_site", "a", at=SINCE - timedelta(seconds=1))
    told(sessions, teller, "phone", "a", at=UNTIL)

    mix = run(sessions, service_mix, teller.workspace_id, SINCE, UNTIL)

    assert (mix.positive_moments, mix.abc, mix.touchpoints) == (0, (), ())


def test_recoveries_are_counted_among_every_story_shared_with_where_they_happen(sessions, teller):
    told(sessions, teller, "phone", "b", recovery=True)
    told(sessions, teller, "phone", "", tags=0, recovery=True)  # not tagged, still one
    told(sessions, teller, "chat", "c", recovery=True)
    told(sessions, teller, "on_site", "a")
    told(sessions, teller, "phone", "a", recovery=True, deleted=True)

    mix = run(sessions, service_mix, teller.workspace_id, SINCE, UNTIL)

    assert (mix.stories, mix.recoveries) == (4, 3)
    assert mix.recovery_share == 0.75
    assert mix.recovery_touchpoints == (("phone", 2), ("chat", 1))
    assert mix.positive_moments == 3
