"""Recognition: kudos with a reason, weekly budgets, tag points, and taking points back."""

from __future__ import annotations

import itertools
import threading
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select, update

from bot.db.engine import unit_of_work
from bot.db.models import (
    CompanyValue,
    Kudos,
    KudosReversal,
    KudosValue,
    Member,
    StoryTag,
)
from bot.domain.directory import Profile, WorkspaceDefaults, register_requester
from bot.domain.errors import DomainError
from bot.domain.kudos import (
    Budget,
    KudosGiven,
    KudosRequest,
    ReceivedKudos,
    budget_status,
    give_kudos,
    kudos_summary,
    revoke_kudos,
    set_leaderboard_opt_out,
)
from bot.domain.stories import (
    StoryDraft,
    TagSource,
    delete_story,
    share_story,
    tag_story,
    untag_story,
)
from tests.support.units import configure, count, run

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)  # a Wednesday
WEEK = date(2026, 11, 23)
TEAM = "T0DEMO001"
DEFAULTS = WorkspaceDefaults(
    stories_channel="C0STORIES", leaders=("U0LEAD01",), admins=("U0ADMIN01",)
)
REASON = "Rebooked a stranded family and called their hotel."

DRAFT = StoryDraft(
    people=(),
    touchpoint="phone",
    customer_need="A passenger missed the connection in Copenhagen.",
    action_taken="Rebooked her on the next flight and called the hotel.",
    outcome="She made it to the wedding.",
)

_keys = itertools.count(1)


def member(sessions, user_id, *, team=TEAM, tz=None, **profile):
    with unit_of_work(sessions) as session:
        return register_requester(session, team, Profile(user_id, tz=tz, **profile), DEFAULTS, NOW)


def give(sessions, giver, *recipients, reason=REASON, tags=(), story_id=None, key=None, now=NOW):
    request = KudosRequest(
        recipients=recipients,
        reason=reason,
        value_tags=tags,
        story_id=story_id,
        source_key=key or f"cmd:{next(_keys)}",
    )
    return run(sessions, give_kudos, giver, request, now)


def refusal(sessions, giver, *recipients, **kwargs) -> DomainError:
    with pytest.raises(DomainError) as refused:
        give(sessions, giver, *recipients, **kwargs)
    return refused.value


def entries(sessions, *where):
    with sessions() as session:
        return list(session.scalars(select(Kudos).where(*where).order_by(Kudos.id)))


def reversals(sessions):
    with sessions() as session:
        return list(session.scalars(select(KudosReversal).order_by(KudosReversal.id)))


def summary(sessions, requester, now=NOW):
    with sessions() as session:
        return kudos_summary(session, requester, now)


def budget(sessions, requester, now=NOW):
    with sessions() as session:
        return budget_status(session, requester, now)


def share(sessions, author, *people):
    return run(sessions, share_story, author, replace(DRAFT, people=people), NOW)


@pytest.fixture
def alice(sessions):
    return member(sessions, "U0ALICE01")


@pytest.fixture
def bob(sessions):
    return member(sessions, "U0BOB0001")


@pytest.fixture
def carol(sessions):
    return member(sessions, "U0CAROL01")


@pytest.fixture
def dave(sessions):
    return member(sessions, "U0DAVE001")


@pytest.fixture
def leader(sessions):
    return member(sessions, "U0LEAD01")


@pytest.fixture
def admin(sessions):
    return member(sessions, "U0ADMIN01")


# --- giving ---------------------------------------------------------------------------


def test_kudos_are_one_ledger_entry_per_recipient(sessions, alice, bob, carol):
    given = give(sessions, alice, "U0BOB0001", "U0CAROL01", key="cmd:T1")

    assert given == KudosGiven(
        recipients=("U0BOB0001", "U0CAROL01"),
        points_each=1,
        from_leader=False,
        budget=Budget(total=10, spent=2, left=8, week_start=WEEK, resets_on=date(2026, 11, 30)),
        repeated=False,
    )
    rows = entries(sessions)
    assert [(row.giver_id, row.recipient_id) for row in rows] == [
        (alice.member_id, bob.member_id),
        (alice.member_id, carol.member_id),
    ]
    assert {(row.kind, row.points, row.reason, row.budget_week) for row in rows} == {
        ("kudos", 1, REASON, WEEK)
    }
    assert [row.source_key for row in rows] == ["cmd:T1:U0BOB0001", "cmd:T1:U0CAROL01"]
    assert all(row.created_at == NOW and not row.giver_is_leader for row in rows)


def test_a_recipient_named_twice_gets_one_entry(sessions, alice, bob):
    given = give(sessions, alice, "U0BOB0001", " U0BOB0001 ")

    assert given.recipients == ("U0BOB0001",)
    assert count(sessions, Kudos) == 1


def test_the_reason_is_stored_trimmed(sessions, alice, bob):
    give(sessions, alice, "U0BOB0001", reason="  Thank you! 谢谢 🙏\n")

    assert entries(sessions)[0].reason == "Thank you! 谢谢 🙏"


def test_kudos_carry_their_company_values_matched_without_regard_to_case(sessions, alice, bob):
    give(sessions, alice, "U0BOB0001", tags=("Ownership", "trust", "TRUST"))

    with sessions() as session:
        tags = session.scalars(
            select(CompanyValue.tag)
            .join(KudosValue, KudosValue.value_id == CompanyValue.id)
            .order_by(CompanyValue.position)
        ).all()
    assert tags == ["ownership", "trust"]


@pytest.mark.parametrize("tag", ["kindness", "trust"])
def test_an_unknown_or_retired_value_is_refused(sessions, alice, bob, tag):
    with unit_of_work(sessions) as session:
        session.execute(
            update(CompanyValue).where(CompanyValue.tag == "trust").values(is_active=False)
        )

    error = refusal(sessions, alice, "U0BOB0001", tags=("ownership", tag))

    assert (error.key, error.params) == ("kudos.errors.unknown_value", {"value": tag})
    assert count(sessions, Kudos) == 0


@pytest.mark.parametrize(
    ("recipients", "reason", "key"),
    [
        ((), REASON, "kudos.errors.no_recipient"),
        (("U0BOB0001",), "   ", "kudos.errors.no_reason"),
        (("U0BOB0001", "U0ALICE01"), REASON, "kudos.errors.self"),
    ],
)
def test_a_request_needs_someone_else_and_a_reason(sessions, alice, bob, recipients, reason, key):
    error = refusal(sessions, alice, *recipients, reason=reason)

    assert error.key == key
    assert count(sessions, Kudos) == 0


@pytest.mark.parametrize("profile", [{"is_bot": True}, {"is_deleted": True}])
def test_bots_and_deactivated_people_cannot_receive_kudos(sessions, alice, bob, profile):
    member(sessions, "U0OTHER01", **profile)

    error = refusal(sessions, alice, "U0BOB0001", "U0OTHER01")

    assert (error.key, error.params) == ("kudos.errors.bot", {"user": "U0OTHER01"})
    assert count(sessions, Kudos) == 0


def test_someone_the_bot_has_not_met_gets_a_placeholder_and_the_kudos(sessions, alice):
    give(sessions, alice, "U0NEW0001")

    with sessions() as session:
        newcomer = session.scalars(select(Member).where(Member.slack_user_id == "U0NEW0001")).one()
    assert newcomer.synced_at is None
    assert [row.recipient_id for row in entries(sessions)] == [newcomer.id]


def test_kudos_can_be_for_a_story(sessions, alice, bob):
    card = share(sessions, alice, "U0ALICE01")

    give(sessions, bob, "U0ALICE01", story_id=card.id)

    assert entries(sessions)[0].story_id == card.id


def test_kudos_for_a_deleted_or_unknown_story_are_refused(sessions, alice, bob):
    card = share(sessions, alice)
    run(sessions, delete_story, alice, card.id, NOW)

    deleted = refusal(sessions, bob, "U0ALICE01", story_id=card.id)
    missing = refusal(sessions, bob, "U0ALICE01", story_id=999_999)

    assert (deleted.key, missing.key) == ("stories.errors.deleted", "stories.errors.not_found")
    assert count(sessions, Kudos) == 0


def test_kudos_rolled_back_with_their_request_leave_no_trace(sessions, alice, bob):
    request = KudosRequest(("U0BOB0001",), REASON, ("trust",), None, "cmd:T1")

    with pytest.raises(RuntimeError), unit_of_work(sessions) as session:
        give_kudos(session, alice, request, NOW)
        raise RuntimeError("the handler failed after giving")

    assert count(sessions, Kudos) == count(sessions, KudosValue) == 0
    assert give(sessions, alice, "U0BOB0001", key="cmd:T1").repeated is False


# --- retries --------------------------------------------------------------------------


def test_a_retried_request_is_recorded_once(sessions, alice, bob, carol):
    first = give(sessions, alice, "U0BOB0001", "U0CAROL01", tags=("trust",), key="cmd:T1")

    again = give(sessions, alice, "U0BOB0001", "U0CAROL01", tags=("trust",), key="cmd:T1")

    assert again == replace(first, repeated=True)
    assert count(sessions, Kudos) == 2
    assert count(sessions, KudosValue) == 2
    assert budget(sessions, alice).spent == 2


def test_a_retry_is_answered_even_when_the_budget_is_used_up_since(sessions, alice, bob, carol):
    configure(sessions, alice.workspace_id, weekly_budget=1)
    give(sessions, alice, "U0BOB0001", key="cmd:T1")

    again = give(sessions, alice, "U0BOB0001", key="cmd:T1")

    assert again.repeated
    assert again.budget.left == 0
    assert refusal(sessions, alice, "U0CAROL01").key == "kudos.errors.budget"


def test_a_retry_keeps_the_points_it_was_given_with(sessions, leader, bob):
    configure(sessions, leader.workspace_id, leader_weight=3)
    give(sessions, leader, "U0BOB0001", key="cmd:T1")
    configure(sessions, leader.workspace_id, leader_weight=5)

    again = give(sessions, leader, "U0BOB0001", key="cmd:T1")

    assert (again.repeated, again.points_each, again.from_leader) == (True, 3, True)


# --- the pair limit -------------------------------------------------------------------


def test_one_giver_thanks_the_same_person_at_most_the_pair_limit_a_week(sessions, alice, bob):
    configure(sessions, alice.workspace_id, max_kudos_per_pair_per_week=3)
    for _ in range(3):
        give(sessions, alice, "U0BOB0001")

    error = refusal(sessions, alice, "U0BOB0001")

    assert (error.key, error.params) == (
        "kudos.errors.pair_limit",
        {"user": "U0BOB0001", "limit": 3},
    )
    assert count(sessions, Kudos) == 3


def test_the_pair_limit_refuses_the_whole_request(sessions, alice, bob, carol):
    configure(sessions, alice.workspace_id, max_kudos_per_pair_per_week=1)
    give(sessions, alice, "U0BOB0001")

    error = refusal(sessions, alice, "U0CAROL01", "U0BOB0001")

    assert error.params["user"] == "U0BOB0001"
    assert count(sessions, Kudos, Kudos.recipient_id == carol.member_id) == 0


def test_the_pair_limit_is_per_giver_and_per_week(sessions, alice, bob, carol):
    configure(sessions, alice.workspace_id, max_kudos_per_pair_per_week=1)
    give(sessions, alice, "U0BOB0001")

    give(sessions, carol, "U0BOB0001")
    give(sessions, alice, "U0BOB0001", now=NOW + timedelta(days=7))

    assert count(sessions, Kudos) == 3


def test_revoked_kudos_do_not_count_towards_the_pair_limit(sessions, alice, bob, admin):
    configure(sessions, alice.workspace_id, max_kudos_per_pair_per_week=1)
    give(sessions, alice, "U0BOB0001")
    run(sessions, revoke_kudos, admin, entries(sessions)[0].id, "Given by mistake", NOW)

    give(sessions, alice, "U0BOB0001")

    assert count(sessions, Kudos) == 2


# --- the weekly budget ----------------------------------------------------------------


def test_each_kudos_costs_one_from_the_weekly_budget(sessions, alice, bob, carol):
    configure(sessions, alice.workspace_id, weekly_budget=5)

    give(sessions, alice, "U0BOB0001", "U0CAROL01")

    assert budget(sessions, alice) == Budget(5, 2, 3, WEEK, date(2026, 11, 30))


def test_a_request_beyond_the_budget_gives_nothing(sessions, alice, bob, carol, dave):
    configure(sessions, alice.workspace_id, weekly_budget=3)
    give(sessions, alice, "U0BOB0001")

    error = refusal(sessions, alice, "U0BOB0001", "U0CAROL01", "U0DAVE001")

    assert (error.key, error.params) == (
        "kudos.errors.budget",
        {"left": 2, "needed": 3, "resets": "2026-11-30"},
    )
    assert count(sessions, Kudos) == 1
    assert give(sessions, alice, "U0CAROL01", "U0DAVE001").budget.left == 0


def test_a_used_up_budget_refuses_the_next_kudos(sessions, alice, bob, carol):
    configure(sessions, alice.workspace_id, weekly_budget=1)
    give(sessions, alice, "U0BOB0001")

    error = refusal(sessions, alice, "U0CAROL01")

    assert error.params == {"left": 0, "needed": 1, "resets": "2026-11-30"}


def test_the_budget_resets_at_monday_midnight_in_the_givers_own_zone(sessions, bob):
    shanghai = member(sessions, "U0WEI0001", tz="Asia/Shanghai")
    new_york = member(sessions, "U0ANNA001", tz="America/New_York")
    configure(sessions, bob.workspace_id, weekly_budget=1)
    friday = datetime(2026, 11, 27, 12, tzinfo=UTC)
    give(sessions, shanghai, "U0BOB0001", now=friday)
    give(sessions, new_york, "U0BOB0001", now=friday)
    # Monday 04:00 in Shanghai, still Sunday 15:00 in New York.
    instant = datetime(2026, 11, 29, 20, tzinfo=UTC)

    given = give(sessions, shanghai, "U0BOB0001", now=instant)
    error = refusal(sessions, new_york, "U0BOB0001", now=instant)

    assert given.budget == Budget(1, 1, 0, date(2026, 11, 30), date(2026, 12, 7))
    assert error.params == {"left": 0, "needed": 1, "resets": "2026-11-30"}
    assert [row.budget_week for row in entries(sessions, Kudos.giver_id == shanghai.member_id)] == [
        date(2026, 11, 23),
        date(2026, 11, 30),
    ]


@pytest.mark.parametrize(
    ("tz", "before_midnight", "monday"),
    [
        # Clocks went back an hour on Sunday 2026-10-25: Monday 00:00 CET is 23:00 UTC.
        ("Europe/Stockholm", datetime(2026, 10, 25, 22, 30, tzinfo=UTC), date(2026, 10, 26)),
        # Clocks went back an hour on Sunday 2026-11-01: Monday 00:00 EST is 05:00 UTC.
        ("America/New_York", datetime(2026, 11, 2, 4, 30, tzinfo=UTC), date(2026, 11, 2)),
        # Clocks went forward on Sunday 2026-03-29: Monday 00:00 CEST is 22:00 UTC Sunday.
        ("Europe/Stockholm", datetime(2026, 3, 29, 21, 30, tzinfo=UTC), date(2026, 3, 30)),
        # Clocks went forward on Sunday 2026-03-08: Monday 00:00 EDT is 04:00 UTC.
        ("America/New_York", datetime(2026, 3, 9, 3, 30, tzinfo=UTC), date(2026, 3, 9)),
    ],
)
def test_the_budget_resets_at_local_midnight_across_a_clock_change(
    sessions, bob, tz, before_midnight, monday
):
    giver = member(sessions, "U0GIVER01", tz=tz)
    configure(sessions, bob.workspace_id, weekly_budget=1)
    give(sessions, giver, "U0BOB0001", now=before_midnight - timedelta(days=3))
    at_midnight = before_midnight + timedelta(minutes=30)

    error = refusal(sessions, giver, "U0BOB0001", now=before_midnight)
    given = give(sessions, giver, "U0BOB0001", now=at_midnight)

    assert error.params["resets"] == monday.isoformat()
    assert given.budget.week_start == monday


def test_leaders_have_their_own_budget_and_their_kudos_weigh_more(sessions, leader, alice, bob):
    configure(
        sessions, leader.workspace_id, weekly_budget=2, leader_weekly_budget=4, leader_weight=3
    )

    given = give(sessions, leader, "U0BOB0001", "U0ALICE01")
    peer = give(sessions, alice, "U0BOB0001")

    assert (given.points_each, given.from_leader, given.budget.total, given.budget.left) == (
        3,
        True,
        4,
        2,
    )
    assert (peer.points_each, peer.from_leader, peer.budget.total) == (1, False, 2)
    assert [(row.points, row.giver_is_leader) for row in entries(sessions)] == [
        (3, True),
        (3, True),
        (1, False),
    ]


def test_without_a_leader_budget_leaders_have_everyones_budget(sessions, leader):
    configure(sessions, leader.workspace_id, weekly_budget=6, leader_weekly_budget=None)

    assert budget(sessions, leader).total == 6


def test_revoked_kudos_give_their_budget_back(sessions, alice, bob, carol, admin):
    configure(sessions, alice.workspace_id, weekly_budget=1)
    give(sessions, alice, "U0BOB0001")
    run(sessions, revoke_kudos, admin, entries(sessions)[0].id, "Not what kudos are for", NOW)

    assert budget(sessions, alice).left == 1
    assert summary(sessions, bob).received_total == 0
    assert give(sessions, alice, "U0CAROL01").budget.left == 0


def test_many_simultaneous_kudos_never_exceed_the_budget(sessions, alice):
    """20 requests of one giver at once, each its own unit of work, against a budget of 10.

    Runs on SQLite too: the sqlite3 driver begins the transaction only at the first
    write, so without the giver lock every request counted the same empty budget and
    all 20 were recorded.
    """
    configure(sessions, alice.workspace_id, weekly_budget=10)
    recipients = [f"U0PEER{n:03d}" for n in range(20)]
    with unit_of_work(sessions) as session:
        session.add_all(
            Member(workspace_id=alice.workspace_id, slack_user_id=user_id) for user_id in recipients
        )
    start = threading.Barrier(20)
    given, refused, errors = [], [], []

    def give_one(user_id: str) -> None:
        try:
            start.wait()
            given.append(give(sessions, alice, user_id))
        except DomainError as error:
            refused.append(error.key)
        except Exception as error:
            errors.append(error)

    threads = [threading.Thread(target=give_one, args=(user_id,)) for user_id in recipients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a thread never finished"

    assert errors == []
    assert len(given) == 10
    assert refused == ["kudos.errors.budget"] * 10
    assert count(sessions, Kudos) == 10
    assert budget(sessions, alice).left == 0


def test_people_thanking_each_other_at_the_same_moment_do_not_deadlock(sessions, alice, bob):
    """The giver lock must not conflict with the key-share lock each insert takes on its
    recipient's row (PostgreSQL's `FOR UPDATE` would, and deadlocked here)."""
    configure(sessions, alice.workspace_id, weekly_budget=50, max_kudos_per_pair_per_week=50)
    start = threading.Barrier(20)
    errors = []

    def give_one(giver, recipient: str) -> None:
        try:
            start.wait()
            give(sessions, giver, recipient)
        except Exception as error:
            errors.append(error)

    pairs = [(alice, "U0BOB0001"), (bob, "U0ALICE01")] * 10
    threads = [threading.Thread(target=give_one, args=pair) for pair in pairs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a thread never finished"

    assert errors == []
    assert count(sessions, Kudos) == 20


# --- tag points -----------------------------------------------------------------------


def test_a_tag_credits_the_people_in_the_story_from_the_tagger(sessions, alice, bob, carol):
    configure(sessions, alice.workspace_id, points_per_tag=2)
    card = share(sessions, alice, "U0ALICE01", "U0BOB0001")

    run(sessions, tag_story, carol, card.id, TagSource.BUTTON, NOW)

    rows = entries(sessions)
    assert sorted((row.recipient_id, row.points) for row in rows) == [
        (alice.member_id, 2),
        (bob.member_id, 2),
    ]
    assert {(row.kind, row.giver_id, row.story_id, row.reason) for row in rows} == {
        ("tag", carol.member_id, card.id, "")
    }
    assert budget(sessions, carol).spent == 0


def test_tag_points_are_keyed_by_the_tag_and_the_recipient(sessions, alice, bob):
    card = share(sessions, alice)

    run(sessions, tag_story, bob, card.id, TagSource.REACTION, NOW)

    with sessions() as session:
        tag_id = session.scalars(select(StoryTag.id)).one()
    assert [row.source_key for row in entries(sessions)] == [f"tag:{tag_id}:U0ALICE01"]


def test_tags_spend_no_budget_and_know_no_pair_limit(sessions, alice, bob):
    configure(sessions, alice.workspace_id, weekly_budget=0, max_kudos_per_pair_per_week=0)
    cards = [share(sessions, alice) for _ in range(3)]

    for card in cards:
        run(sessions, tag_story, bob, card.id, TagSource.BUTTON, NOW)

    assert count(sessions, Kudos, Kudos.kind == "tag") == 3
    assert budget(sessions, bob).spent == 0


def test_a_tag_refused_or_repeated_credits_nothing_more(sessions, alice, bob):
    card = share(sessions, alice)
    run(sessions, tag_story, bob, card.id, TagSource.BUTTON, NOW)

    run(sessions, tag_story, bob, card.id, TagSource.REACTION, NOW)
    run(sessions, tag_story, alice, card.id, TagSource.REACTION, NOW)

    assert count(sessions, Kudos) == 1


def test_bots_in_a_story_earn_no_tag_points(sessions, alice, carol):
    member(sessions, "U0ROBOT01", is_bot=True)
    card = share(sessions, alice, "U0ALICE01", "U0ROBOT01")

    run(sessions, tag_story, carol, card.id, TagSource.BUTTON, NOW)

    assert [row.recipient_id for row in entries(sessions)] == [alice.member_id]


def test_with_no_points_per_tag_a_tag_credits_nothing(sessions, alice, bob):
    configure(sessions, alice.workspace_id, points_per_tag=0)
    card = share(sessions, alice)

    outcome = run(sessions, tag_story, bob, card.id, TagSource.BUTTON, NOW)

    assert outcome.changed
    assert count(sessions, Kudos) == 0


def test_removing_a_tag_reverses_its_points(sessions, alice, bob, carol):
    card = share(sessions, alice, "U0ALICE01", "U0BOB0001")
    run(sessions, tag_story, carol, card.id, TagSource.REACTION, NOW)
    later = NOW + timedelta(minutes=5)

    run(sessions, untag_story, carol, card.id, TagSource.REACTION, later)

    assert count(sessions, Kudos) == 2  # the ledger keeps the entries...
    assert {(r.cause, r.created_at, r.reversed_by_id) for r in reversals(sessions)} == {
        ("tag_removed", later, None)
    }
    assert len(reversals(sessions)) == 2  # ...and reverses each of them
    assert summary(sessions, alice).received_total == 0


def test_a_tag_given_again_earns_its_points_again(sessions, alice, bob):
    card = share(sessions, alice)
    run(sessions, tag_story, bob, card.id, TagSource.REACTION, NOW)
    run(sessions, untag_story, bob, card.id, TagSource.REACTION, NOW)

    run(sessions, tag_story, bob, card.id, TagSource.BUTTON, NOW)

    assert count(sessions, Kudos) == 2
    assert len(reversals(sessions)) == 1
    assert summary(sessions, alice).received_total == 1


def test_removing_one_tag_keeps_the_points_of_the_others(sessions, alice, bob, carol):
    card = share(sessions, alice)
    run(sessions, tag_story, bob, card.id, TagSource.REACTION, NOW)
    run(sessions, tag_story, carol, card.id, TagSource.REACTION, NOW)

    run(sessions, untag_story, bob, card.id, TagSource.REACTION, NOW)

    assert summary(sessions, alice).received_total == 1
    assert [r.kudos_id for r in reversals(sessions)] == [
        row.id for row in entries(sessions, Kudos.giver_id == bob.member_id)
    ]


def test_deleting_a_story_reverses_its_tag_points_but_not_its_kudos(sessions, alice, bob, carol):
    card = share(sessions, alice)
    run(sessions, tag_story, bob, card.id, TagSource.BUTTON, NOW)
    run(sessions, tag_story, carol, card.id, TagSource.REACTION, NOW)
    give(sessions, bob, "U0ALICE01", story_id=card.id)

    run(sessions, delete_story, alice, card.id, NOW)

    assert [r.cause for r in reversals(sessions)] == ["story_deleted", "story_deleted"]
    assert summary(sessions, alice).received_total == 1  # the kudos with a reason stay
    assert count(sessions, Kudos) == 3


def test_a_revoked_tag_entry_is_not_reversed_again_when_the_tag_goes(sessions, alice, bob, admin):
    card = share(sessions, alice)
    run(sessions, tag_story, bob, card.id, TagSource.BUTTON, NOW)
    run(sessions, revoke_kudos, admin, entries(sessions)[0].id, "Tagging a friend", NOW)

    run(sessions, untag_story, bob, card.id, TagSource.BUTTON, NOW)

    assert [r.cause for r in reversals(sessions)] == ["revoked"]


# --- revoking -------------------------------------------------------------------------


def test_an_admin_revokes_kudos_with_a_reason(sessions, alice, bob, admin):
    give(sessions, alice, "U0BOB0001")
    entry = entries(sessions)[0]
    later = NOW + timedelta(hours=2)

    run(sessions, revoke_kudos, admin, entry.id, "  Kudos for lunch orders  ", later)

    [reversal] = reversals(sessions)
    assert (reversal.kudos_id, reversal.cause, reversal.reason) == (
        entry.id,
        "revoked",
        "Kudos for lunch orders",
    )
    assert (reversal.reversed_by_id, reversal.created_at) == (admin.member_id, later)
    assert count(sessions, Kudos) == 1


def test_only_admins_revoke_kudos(sessions, alice, bob, leader):
    give(sessions, alice, "U0BOB0001")

    with pytest.raises(DomainError) as refused:
        run(sessions, revoke_kudos, leader, entries(sessions)[0].id, "Abuse", NOW)

    assert refused.value.key == "kudos.errors.admins_only"
    assert reversals(sessions) == []


def test_revoking_needs_a_reason(sessions, alice, bob, admin):
    give(sessions, alice, "U0BOB0001")

    with pytest.raises(DomainError) as refused:
        run(sessions, revoke_kudos, admin, entries(sessions)[0].id, " \n", NOW)

    assert refused.value.key == "kudos.errors.no_reason"
    assert reversals(sessions) == []


def test_kudos_are_revoked_once(sessions, alice, bob, admin):
    give(sessions, alice, "U0BOB0001")
    kudos_id = entries(sessions)[0].id
    run(sessions, revoke_kudos, admin, kudos_id, "Abuse", NOW)

    with pytest.raises(DomainError) as refused:
        run(sessions, revoke_kudos, admin, kudos_id, "Abuse, again", NOW)

    assert refused.value.key == "kudos.errors.already_revoked"
    assert len(reversals(sessions)) == 1


def test_an_admin_cannot_revoke_another_workspaces_kudos(sessions, alice, bob):
    give(sessions, alice, "U0BOB0001")
    stranger = member(sessions, "U0ADMIN01", team="T0OTHER01")

    for kudos_id in (entries(sessions)[0].id, 999_999):
        with pytest.raises(DomainError) as refused:
            run(sessions, revoke_kudos, stranger, kudos_id, "Abuse", NOW)
        assert refused.value.key == "kudos.errors.not_found"
    assert reversals(sessions) == []


# --- the summary ----------------------------------------------------------------------


def test_the_summary_counts_live_points_in_the_members_own_week(
    sessions, alice, carol, dave, leader, admin
):
    bob = member(sessions, "U0BOB0001", tz="America/New_York")
    configure(sessions, bob.workspace_id, leader_weight=3, points_per_tag=2)
    # Monday 03:00 UTC is still Sunday 22:00 in New York: Bob's week is Nov 23-29.
    now = datetime(2026, 11, 30, 3, tzinfo=UTC)
    give(sessions, alice, "U0BOB0001", reason="Last week", now=datetime(2026, 11, 20, tzinfo=UTC))
    give(
        sessions,
        leader,
        "U0BOB0001",
        reason="Backed the refund",
        tags=("trust", "ownership"),
        now=datetime(2026, 11, 24, 10, tzinfo=UTC),
    )
    give(
        sessions,
        carol,
        "U0BOB0001",
        reason="Late Sunday",
        now=datetime(2026, 11, 30, 2, tzinfo=UTC),
    )
    give(sessions, dave, "U0BOB0001", reason="Revoked", now=datetime(2026, 11, 26, tzinfo=UTC))
    run(sessions, revoke_kudos, admin, entries(sessions)[-1].id, "Abuse", NOW)
    about_bob = share(sessions, alice, "U0ALICE01", "U0BOB0001")
    run(
        sessions,
        tag_story,
        carol,
        about_bob.id,
        TagSource.BUTTON,
        datetime(2026, 11, 25, tzinfo=UTC),
    )
    give(sessions, bob, "U0ALICE01", reason="Thanks", now=datetime(2026, 11, 25, 15, tzinfo=UTC))
    give(sessions, bob, "U0CAROL01", reason="Earlier", now=datetime(2026, 11, 18, 15, tzinfo=UTC))
    about_carol = share(sessions, carol)
    run(
        sessions,
        tag_story,
        bob,
        about_carol.id,
        TagSource.BUTTON,
        datetime(2026, 11, 26, tzinfo=UTC),
    )

    found = summary(sessions, bob, now)

    # received: leader 3 + carol 1 + tag 2 this week; alice 1 before; dave's revoked.
    assert (found.received_week, found.received_total) == (6, 7)
    # given: alice 1 + tag 2 this week; carol 1 before.
    assert (found.given_week, found.given_total) == (3, 4)
    assert found.budget == Budget(10, 1, 9, date(2026, 11, 23), date(2026, 11, 30))
    assert found.recent_received == (
        ReceivedKudos(
            "U0CAROL01", 1, "Late Sunday", (), False, datetime(2026, 11, 30, 2, tzinfo=UTC)
        ),
        ReceivedKudos(
            "U0LEAD01",
            3,
            "Backed the refund",
            ("ownership", "trust"),
            True,
            datetime(2026, 11, 24, 10, tzinfo=UTC),
        ),
        ReceivedKudos("U0ALICE01", 1, "Last week", (), False, datetime(2026, 11, 20, tzinfo=UTC)),
    )


def test_the_summary_shows_the_five_latest_kudos_received(sessions, alice, bob):
    configure(sessions, alice.workspace_id, max_kudos_per_pair_per_week=10)
    for n in range(7):
        give(sessions, alice, "U0BOB0001", reason=f"Thanks #{n}", now=NOW + timedelta(minutes=n))

    found = summary(sessions, bob, NOW + timedelta(hours=1))

    assert [kudos.reason for kudos in found.recent_received] == [
        f"Thanks #{n}" for n in (6, 5, 4, 3, 2)
    ]


def test_a_newcomer_has_an_empty_summary_and_a_full_budget(sessions, alice):
    found = summary(sessions, alice)

    assert (found.received_week, found.received_total, found.given_week, found.given_total) == (
        0,
        0,
        0,
        0,
    )
    assert found.budget == Budget(10, 0, 10, WEEK, date(2026, 11, 30))
    assert found.recent_received == ()


# --- leaderboard opt-out --------------------------------------------------------------


def test_a_member_can_leave_and_rejoin_the_leaderboards(sessions, alice, bob):
    run(sessions, set_leaderboard_opt_out, alice, True)

    with sessions() as session:
        opted = dict(
            session.execute(select(Member.slack_user_id, Member.leaderboard_opt_out)).all()
        )
    assert opted == {"U0ALICE01": True, "U0BOB0001": False}

    run(sessions, set_leaderboard_opt_out, alice, False)

    assert count(sessions, Member, Member.leaderboard_opt_out.is_(True)) == 0
