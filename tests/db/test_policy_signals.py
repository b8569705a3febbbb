"""Policy signals, on both databases: a decision on the spot that names the rule it went
beyond raises a signal; leaders see the areas with the most open signals of the last
quarter; a leader who revised the policy closes the area's signals, and everyone in those
stories is owed a message. Admins keep the policy areas."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, text

from bot.db.engine import unit_of_work
from bot.db.models import AuditEntry, OutboxEntry, PolicyArea, PolicyRevision, Story
from bot.domain.directory import Profile, WorkspaceDefaults, register_requester
from bot.domain.errors import DomainError
from bot.domain.outbox import Effect, refresh_key, revision_notice_key
from bot.domain.policy_areas import (
    MAX_ACTIVE_AREAS,
    MAX_AREA_NAME_LENGTH,
    AreaChoice,
    AreaRow,
    add_area,
    area_choices,
    policy_areas,
    remove_area,
)
from bot.domain.policy_signals import (
    NOTE_MAX,
    QUARTER,
    RULE_MAX,
    STORIES_PER_SIGNAL,
    SignalCounts,
    open_signal,
    policy_signals,
    revise_policy,
    revision_notice,
    signal_counts,
)
from bot.domain.stories import DraftInvalid, StoryDraft, delete_story, edit_story, share_story
from tests.support.units import count, run
from tests.support.waiting import eventually

NOW = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
TEAM, OTHER = "T0POLICY1", "T0POLICY2"
ALICE, BOB, CAROL = "U0ALICE01", "U0BOB0001", "U0CAROL01"
LEAD, LEAD2, ADMIN = "U0LEAD01", "U0LEAD02", "U0ADMIN01"
DEFAULTS = WorkspaceDefaults(
    stories_channel="C0STORIES", leaders=(LEAD, LEAD2), admins=(ADMIN,), hr_users=()
)

DRAFT = StoryDraft(
    people=(),
    touchpoint="in_person",
    customer_need="A family's stroller was left at the gate",
    action_taken="Walked it to the aircraft door myself",
    outcome="They boarded together",
)
SPOT = replace(DRAFT, decided_on_spot=True, rule_bent="Only ground staff take items planeside")


def member(sessions, user_id, team=TEAM):
    with unit_of_work(sessions) as session:
        return register_requester(session, team, Profile(user_id), DEFAULTS, NOW)


@pytest.fixture
def admin(sessions):
    return member(sessions, ADMIN)


@pytest.fixture
def alice(sessions, admin):
    return member(sessions, ALICE)


@pytest.fixture
def bob(sessions, admin):
    return member(sessions, BOB)


@pytest.fixture
def carol(sessions, admin):
    return member(sessions, CAROL)


@pytest.fixture
def lead(sessions, admin):
    return member(sessions, LEAD)


@pytest.fixture
def lead2(sessions, admin):
    return member(sessions, LEAD2)


def area(sessions, admin, name) -> int:
    """Add a policy area as the admin; its id."""
    run(sessions, add_area, admin, name, NOW)
    with sessions() as session:
        choices = area_choices(session, admin.workspace_id)
    return next(choice.id for choice in choices if choice.name == name)


def signal(sessions, teller, area_id=None, *, at=NOW, people=(), rule=SPOT.rule_bent) -> int:
    """A story decided on the spot beyond a rule (in `area_id`), shared at `at`; its id."""
    draft = replace(SPOT, people=people, rule_bent=rule, policy_area_id=area_id)
    return run(sessions, share_story, teller, draft, at).id


def revise(sessions, leader, area_id, note="Cabin crew may now carry items planeside", **when):
    as_of, now = when.get("as_of", NOW), when.get("now", NOW)
    return run(sessions, revise_policy, leader, area_id, note, as_of, now)


def closed_by(sessions, story_id) -> int | None:
    with sessions() as session:
        return session.get(Story, story_id).policy_revision_id


def owed(sessions, kind) -> list[OutboxEntry]:
    with sessions() as session:
        return list(
            session.scalars(
                select(OutboxEntry).where(OutboxEntry.kind == kind).order_by(OutboxEntry.id)
            )
        )


def refused(sessions, function, *args) -> str:
    """The message key `function` is refused with, in its own unit of work."""
    with pytest.raises(DomainError) as error:
        run(sessions, function, *args)
    return error.value.key


def shown(sessions, workspace_id, now=NOW, **kwargs):
    with sessions() as session:
        return policy_signals(session, workspace_id, now, **kwargs)


# --- raising a signal -----------------------------------------------------------------


def test_a_story_decided_on_the_spot_naming_a_rule_raises_a_signal(sessions, admin, alice):
    planeside = area(sessions, admin, "Planeside service")

    card = run(sessions, share_story, alice, replace(SPOT, policy_area_id=planeside), NOW)

    assert card.raises_policy_signal and not card.policy_revised
    assert (card.rule_bent, card.policy_area) == (SPOT.rule_bent, "Planeside service")
    with sessions() as session:
        story = session.get(Story, card.id)
        assert (story.raises_policy_signal, story.policy_area_id) == (True, planeside)


def test_the_rule_in_words_or_its_area_alone_is_enough(sessions, admin, alice):
    planeside = area(sessions, admin, "Planeside service")

    in_words = run(sessions, share_story, alice, SPOT, NOW)
    by_area = run(
        sessions, share_story, alice, replace(SPOT, rule_bent=" ", policy_area_id=planeside), NOW
    )

    assert in_words.raises_policy_signal and in_words.policy_area_id is None
    assert by_area.raises_policy_signal and by_area.rule_bent == ""


def test_a_decision_on_the_spot_naming_no_rule_raises_no_signal(sessions, alice):
    card = run(sessions, share_story, alice, replace(SPOT, rule_bent=""), NOW)

    assert card.decided_on_spot and not card.raises_policy_signal
    assert shown(sessions, alice.workspace_id).open_total == 0


@pytest.mark.parametrize("named", ["words", "area"])
def test_a_rule_is_gone_beyond_only_by_a_decision_on_the_spot(sessions, admin, alice, named):
    planeside = area(sessions, admin, "Planeside service")
    draft = replace(
        DRAFT,
        rule_bent=SPOT.rule_bent if named == "words" else "",
        policy_area_id=planeside if named == "area" else None,
    )

    with pytest.raises(DraftInvalid) as invalid:
        run(sessions, share_story, alice, draft, NOW)

    assert invalid.value.errors == {"rule_bent": "stories.errors.rule_needs_spot"}
    assert count(sessions, Story) == 0


def test_a_rule_longer_than_the_limit_is_refused(sessions, alice):
    with pytest.raises(DraftInvalid) as invalid:
        run(sessions, share_story, alice, replace(SPOT, rule_bent="x" * (RULE_MAX + 1)), NOW)

    assert invalid.value.errors == {"rule_bent": "stories.errors.rule_too_long"}
    assert run(sessions, share_story, alice, replace(SPOT, rule_bent="x" * RULE_MAX), NOW).id


def test_a_retired_area_or_another_workspaces_cannot_be_named(sessions, admin, alice):
    retired = area(sessions, admin, "Upgrades")
    run(sessions, remove_area, admin, "Upgrades", NOW)
    elsewhere = area(sessions, member(sessions, ADMIN, team=OTHER), "Refunds")

    for area_id in (retired, elsewhere, 999_999):
        with pytest.raises(DraftInvalid) as invalid:
            run(sessions, share_story, alice, replace(SPOT, policy_area_id=area_id), NOW)
        assert invalid.value.errors == {"policy_area": "stories.errors.unknown_policy_area"}
    assert count(sessions, Story) == 0


def test_an_edit_may_keep_the_retired_area_on_the_story_but_not_choose_another(
    sessions, admin, alice
):
    upgrades = area(sessions, admin, "Upgrades")
    lounges = area(sessions, admin, "Lounges")
    story_id = signal(sessions, alice, upgrades)
    run(sessions, remove_area, admin, "Upgrades", NOW)
    run(sessions, remove_area, admin, "Lounges", NOW)
    kept = replace(SPOT, policy_area_id=upgrades, outcome="They boarded together, smiling")

    card = run(sessions, edit_story, alice, story_id, kept, NOW)

    assert (card.policy_area, card.outcome) == ("Upgrades", kept.outcome)
    with sessions() as session:  # the form offers it back on that story only
        assert [c.name for c in area_choices(session, alice.workspace_id, keep=upgrades)] == [
            "Upgrades"
        ]
        assert area_choices(session, alice.workspace_id) == []
    with pytest.raises(DraftInvalid) as invalid:
        run(sessions, edit_story, alice, story_id, replace(kept, policy_area_id=lounges), NOW)
    assert invalid.value.errors == {"policy_area": "stories.errors.unknown_policy_area"}
    # A new story cannot name the retired area.
    with pytest.raises(DraftInvalid):
        run(sessions, share_story, alice, replace(SPOT, policy_area_id=upgrades), NOW)


# --- what leaders see -----------------------------------------------------------------


def test_areas_are_ranked_by_their_open_signals_then_by_their_newest_story(
    sessions, admin, alice, bob
):
    refunds, baggage, seats = (area(sessions, admin, n) for n in ("Refunds", "Baggage", "Seats"))
    for hours in (5, 4, 3):
        signal(sessions, alice, baggage, at=NOW - timedelta(hours=hours))
    signal(sessions, bob, refunds, at=NOW - timedelta(hours=6))
    signal(sessions, bob, refunds, at=NOW - timedelta(hours=1))
    signal(sessions, alice, seats, at=NOW - timedelta(hours=2))
    signal(sessions, bob, seats, at=NOW - timedelta(hours=7))
    signal(sessions, alice, None, at=NOW - timedelta(hours=8))  # names no area

    signals = shown(sessions, alice.workspace_id)

    assert [(s.area_id, s.area_name, s.open_count) for s in signals.signals] == [
        (baggage, "Baggage", 3),
        (refunds, "Refunds", 2),  # a tie with Seats: Refunds has the newer story
        (seats, "Seats", 2),
        (None, None, 1),  # the stories that named no area form a group of their own
    ]
    assert (signals.open_total, signals.more_areas) == (8, 0)
    assert signals.since == NOW - QUARTER
    assert all(s.last_revision is None for s in signals.signals)


def test_each_area_shows_its_newest_stories_only(sessions, admin, alice, bob):
    refunds = area(sessions, admin, "Refunds")
    ids = [
        signal(sessions, bob if n % 2 else alice, refunds, at=NOW - timedelta(hours=n))
        for n in range(STORIES_PER_SIGNAL + 2)
    ]

    [refund] = shown(sessions, alice.workspace_id).signals

    assert refund.open_count == STORIES_PER_SIGNAL + 2
    assert [story.story_id for story in refund.stories] == ids[:STORIES_PER_SIGNAL]  # newest
    first = refund.stories[0]
    assert (first.author_user_id, first.rule_bent, first.action_taken) == (
        ALICE,
        SPOT.rule_bent,
        SPOT.action_taken,
    )


def test_deleted_stories_and_stories_older_than_a_quarter_are_left_out(sessions, admin, alice):
    refunds = area(sessions, admin, "Refunds")
    kept = signal(sessions, alice, refunds, at=NOW - QUARTER)  # exactly a quarter: in
    signal(sessions, alice, refunds, at=NOW - QUARTER - timedelta(seconds=1))
    deleted = signal(sessions, alice, refunds, at=NOW - timedelta(hours=1))
    run(sessions, delete_story, alice, deleted, NOW)

    signals = shown(sessions, alice.workspace_id)

    assert [[s.story_id for s in signal.stories] for signal in signals.signals] == [[kept]]
    assert signals.open_total == 1


def test_areas_beyond_the_limit_are_counted_not_shown(sessions, admin, alice):
    for n, name in enumerate(("Refunds", "Baggage", "Seats", "Meals")):
        area_id = area(sessions, admin, name)
        for _ in range(4 - n):
            signal(sessions, alice, area_id)

    signals = shown(sessions, alice.workspace_id, limit=2)

    assert [s.area_name for s in signals.signals] == ["Refunds", "Baggage"]
    assert (signals.more_areas, signals.open_total) == (2, 10)


def test_another_workspaces_signals_are_not_shown(sessions, admin, alice):
    other_admin = member(sessions, ADMIN, team=OTHER)
    signal(sessions, member(sessions, ALICE, team=OTHER), area(sessions, other_admin, "Refunds"))

    assert shown(sessions, alice.workspace_id).signals == ()
    assert len(shown(sessions, other_admin.workspace_id).signals) == 1


def test_an_area_shows_its_last_revision(sessions, admin, alice, lead, lead2):
    refunds = area(sessions, admin, "Refunds")
    signal(sessions, alice, refunds, at=NOW - timedelta(days=2))
    revise(sessions, lead, refunds, "First change", as_of=NOW - timedelta(days=1))
    signal(sessions, alice, refunds, at=NOW - timedelta(hours=2))
    revise(sessions, lead2, refunds, "Second change", now=NOW + timedelta(minutes=1))
    signal(sessions, alice, refunds, at=NOW + timedelta(hours=1))

    [refund] = shown(sessions, alice.workspace_id, NOW + timedelta(hours=2)).signals

    assert refund.open_count == 1
    last = refund.last_revision
    assert (last.leader_user_id, last.note, last.revised_at) == (
        LEAD2,
        "Second change",
        NOW + timedelta(minutes=1),
    )


# --- revising a policy ----------------------------------------------------------------


def test_only_leaders_revise_a_policy(sessions, admin, alice):
    refunds = area(sessions, admin, "Refunds")
    story_id = signal(sessions, alice, refunds)

    for requester in (alice, admin):
        assert refused(sessions, revise_policy, requester, refunds, "A note", NOW, NOW) == (
            "policies.errors.leaders_only"
        )

    assert (count(sessions, PolicyRevision), closed_by(sessions, story_id)) == (0, None)


@pytest.mark.parametrize(
    ("note", "key"),
    [
        ("", "policies.errors.note_required"),
        (" \n\x00 ", "policies.errors.note_required"),
        ("x" * (NOTE_MAX + 1), "policies.errors.note_too_long"),
    ],
)
def test_a_revision_needs_a_note_of_reasonable_length(sessions, admin, alice, lead, note, key):
    refunds = area(sessions, admin, "Refunds")
    story_id = signal(sessions, alice, refunds)

    assert refused(sessions, revise_policy, lead, refunds, note, NOW, NOW) == key

    assert (count(sessions, PolicyRevision), closed_by(sessions, story_id)) == (0, None)
    assert revise(sessions, lead, refunds, "x" * NOTE_MAX).closed == 1


def test_a_revision_of_an_unknown_or_another_workspaces_area_is_refused(
    sessions, admin, alice, lead
):
    signal(sessions, alice, area(sessions, admin, "Refunds"))
    elsewhere = area(sessions, member(sessions, ADMIN, team=OTHER), "Refunds")

    for area_id in (elsewhere, 999_999):
        assert refused(sessions, revise_policy, lead, area_id, "A note", NOW, NOW) == (
            "policies.errors.unknown_area"
        )
    assert count(sessions, PolicyRevision) == 0


def test_a_revision_closes_only_its_areas_signals_raised_up_to_what_the_leader_saw(
    sessions, admin, alice, bob, lead
):
    refunds, baggage = area(sessions, admin, "Refunds"), area(sessions, admin, "Baggage")
    seen = [signal(sessions, alice, refunds, at=NOW - timedelta(hours=h)) for h in (3, 2)]
    other_area = signal(sessions, bob, baggage, at=NOW - timedelta(hours=2))
    no_area = signal(sessions, bob, None, at=NOW - timedelta(hours=2))
    while_writing = signal(sessions, bob, refunds, at=NOW + timedelta(minutes=2))

    revision = revise(
        sessions, lead, refunds, "Refunds up to 300 at the desk", now=NOW + timedelta(minutes=5)
    )

    assert (revision.area_name, revision.closed) == ("Refunds", 2)
    assert [closed_by(sessions, story_id) for story_id in seen] == [revision.revision_id] * 2
    for still_open in (other_area, no_area, while_writing):
        assert closed_by(sessions, still_open) is None
    with sessions() as session:
        stored = session.get(PolicyRevision, revision.revision_id)
        assert (stored.policy_area_id, stored.leader_id, stored.note, stored.created_at) == (
            refunds,
            lead.member_id,
            "Refunds up to 300 at the desk",
            NOW + timedelta(minutes=5),
        )
    [refund] = [
        s
        for s in shown(sessions, alice.workspace_id, NOW + timedelta(hours=1)).signals
        if s.area_id == refunds
    ]
    assert [s.story_id for s in refund.stories] == [while_writing]
    # The signals that named no area close by themselves.
    assert revise(sessions, lead, None, "Wrote the rule down").closed == 1
    assert closed_by(sessions, no_area) is not None and closed_by(sessions, other_area) is None


def test_a_revision_owes_each_person_in_its_stories_one_message_and_each_card_a_refresh(
    sessions, admin, alice, bob, carol, lead
):
    refunds = area(sessions, admin, "Refunds")
    stories = [
        signal(sessions, alice, refunds, people=(ALICE, BOB)),
        signal(sessions, bob, refunds, people=(ALICE, CAROL, LEAD)),
        signal(sessions, carol, refunds),
    ]
    assert owed(sessions, Effect.REVISION_NOTICE) == []

    revision = revise(sessions, lead, refunds)

    notices = owed(sessions, Effect.REVISION_NOTICE)
    # Alice, Bob and Carol once each, however many stories they are in; not the leader.
    assert sorted(entry.member_id for entry in notices) == sorted(
        [alice.member_id, bob.member_id, carol.member_id]
    )
    assert {entry.policy_revision_id for entry in notices} == {revision.revision_id}
    refreshes = owed(sessions, Effect.CARD_REFRESH)
    assert sorted(entry.story_id for entry in refreshes) == sorted(stories)
    assert (revision.closed, revision.told) == (3, 3)
    assert sorted(revision.effect_keys) == sorted(
        [revision_notice_key(revision.revision_id, p.member_id) for p in (alice, bob, carol)]
        + [refresh_key(story_id) for story_id in stories]
    )


def test_a_second_revision_right_after_finds_nothing_open_and_records_nothing(
    sessions, admin, alice, lead, lead2
):
    refunds = area(sessions, admin, "Refunds")
    story_id = signal(sessions, alice, refunds)
    first = revise(sessions, lead, refunds)

    assert refused(sessions, revise_policy, lead2, refunds, "Me too", NOW, NOW) == (
        "policies.errors.nothing_open"
    )

    assert count(sessions, PolicyRevision) == 1
    assert closed_by(sessions, story_id) == first.revision_id
    assert len(owed(sessions, Effect.REVISION_NOTICE)) == 1


def test_a_refused_revision_leaves_nothing_in_the_transaction(sessions, admin, alice, lead):
    """A caller that catches the refusal and commits what else it did commits no revision
    without signals."""
    refunds = area(sessions, admin, "Refunds")
    signal(sessions, alice, refunds)
    revise(sessions, lead, refunds)

    with sessions() as session:
        with pytest.raises(DomainError) as refusal:
            revise_policy(session, lead, refunds, "Again", NOW, NOW)
        session.commit()

    assert refusal.value.key == "policies.errors.nothing_open"
    assert count(sessions, PolicyRevision) == 1


def test_a_leader_about_to_revise_sees_the_areas_name_and_open_count(sessions, admin, alice, lead):
    refunds = area(sessions, admin, "Refunds")
    signal(sessions, alice, refunds, at=NOW - timedelta(hours=1))
    signal(sessions, alice, refunds, at=NOW + timedelta(hours=1))  # after the list was read

    with sessions() as session:
        assert open_signal(session, alice.workspace_id, refunds, NOW) == ("Refunds", 1)
    later = NOW + timedelta(hours=1)
    revise(sessions, lead, refunds, as_of=later, now=later)
    for area_id, key in [
        (refunds, "policies.errors.nothing_open"),
        (None, "policies.errors.nothing_open"),
        (999_999, "policies.errors.unknown_area"),
    ]:
        with pytest.raises(DomainError) as refusal, sessions() as session:
            open_signal(session, alice.workspace_id, area_id, NOW + timedelta(hours=2))
        assert refusal.value.key == key


def test_two_leaders_revising_at_once_close_each_story_once(
    sessions, backend, admin, alice, bob, lead, lead2
):
    if backend == "sqlite":
        pytest.skip("SQLite runs one writer at a time; the race needs PostgreSQL")
    refunds = area(sessions, admin, "Refunds")
    stories = [signal(sessions, teller, refunds) for teller in (alice, bob, alice, bob)]
    start = threading.Barrier(2)
    revisions, errors = [], []

    def revise_now(leader) -> None:
        try:
            start.wait()
            revisions.append(revise(sessions, leader, refunds, f"Revised by {leader.user_id}"))
        except DomainError as error:
            errors.append(error.key)
        except Exception as error:  # a deadlock, say: the test's failure, not a thread's
            errors.append(repr(error))

    threads = [threading.Thread(target=revise_now, args=(who,)) for who in (lead, lead2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads), "a thread never finished"

    assert errors == ["policies.errors.nothing_open"]
    [revision] = revisions
    assert revision.closed == len(stories)
    assert [closed_by(sessions, story_id) for story_id in stories] == [revision.revision_id] * 4
    assert count(sessions, PolicyRevision) == 1
    assert len(owed(sessions, Effect.REVISION_NOTICE)) == 2  # Alice and Bob, once each


def test_a_revision_that_waited_for_another_closes_nothing_and_leaves_no_revision(
    sessions, engine, backend, admin, alice, lead, lead2
):
    """The second leader's check for open signals runs before the first commits, so it
    gets as far as closing them; the conditional UPDATE then waits for the first
    transaction's locks and finds the signals closed."""
    if backend == "sqlite":
        pytest.skip("SQLite runs one writer at a time; the race needs PostgreSQL")
    refunds = area(sessions, admin, "Refunds")
    stories = [signal(sessions, alice, refunds) for _ in range(3)]
    outcome: dict[str, object] = {}

    def second() -> None:
        with sessions() as session:
            try:
                outcome["revision"] = revise_policy(session, lead2, refunds, "Late", NOW, NOW)
            except DomainError as error:
                outcome["refused"] = error.key
            session.commit()  # whatever the refusal left in the session

    def waiting_on_a_lock() -> bool:
        with engine.connect() as connection:
            return bool(
                connection.scalar(
                    text(
                        "SELECT count(*) FROM pg_stat_activity "
                        "WHERE datname = current_database() AND wait_event_type = 'Lock'"
                    )
                )
            )

    with sessions() as first_session:
        first = revise_policy(first_session, lead, refunds, "First", NOW, NOW)
        thread = threading.Thread(target=second)
        thread.start()
        try:
            assert eventually(waiting_on_a_lock, timeout=10), "the second never waited"
        finally:
            first_session.commit()
    thread.join(timeout=30)
    assert not thread.is_alive()

    assert outcome == {"refused": "policies.errors.nothing_open"}
    assert [closed_by(sessions, story_id) for story_id in stories] == [first.revision_id] * 3
    with sessions() as session:
        assert session.scalars(select(PolicyRevision.note)).all() == ["First"]


# --- the message to the people in the stories ----------------------------------------


def test_the_notice_gives_each_person_their_own_stories_only(
    sessions, admin, alice, bob, carol, lead
):
    refunds = area(sessions, admin, "Refunds")
    alices = signal(sessions, alice, refunds, at=NOW - timedelta(hours=2), rule="Her rule")
    bobs = signal(sessions, bob, refunds, at=NOW - timedelta(hours=1), people=(BOB, ALICE))
    carols = signal(sessions, carol, refunds)
    revision = revise(sessions, lead, refunds, "Refunds up to 300")

    with sessions() as session:
        to_alice, to_carol, to_lead = (
            revision_notice(session, alice.workspace_id, revision.revision_id, person.member_id)
            for person in (alice, carol, lead)
        )

    assert (to_alice.area_name, to_alice.leader_user_id, to_alice.note) == (
        "Refunds",
        LEAD,
        "Refunds up to 300",
    )
    assert [story.story_id for story in to_alice.stories] == [alices, bobs]  # oldest first
    assert [(s.author_user_id, s.rule_bent) for s in to_alice.stories] == [
        (ALICE, "Her rule"),
        (BOB, SPOT.rule_bent),
    ]
    assert [story.story_id for story in to_carol.stories] == [carols]
    assert to_lead is None  # in none of its stories


def test_there_is_nothing_to_tell_when_their_stories_are_gone(sessions, admin, alice, bob, lead):
    refunds = area(sessions, admin, "Refunds")
    story_id = signal(sessions, alice, refunds)
    signal(sessions, bob, refunds)
    revision = revise(sessions, lead, refunds)
    run(sessions, delete_story, alice, story_id, NOW + timedelta(minutes=1))
    other = member(sessions, ALICE, team=OTHER)

    with sessions() as session:

        def notice(workspace_id, person):
            return revision_notice(session, workspace_id, revision.revision_id, person.member_id)

        assert notice(alice.workspace_id, alice) is None
        assert [s.author_user_id for s in notice(bob.workspace_id, bob).stories] == [BOB]
        assert notice(other.workspace_id, bob) is None  # another workspace's revision


# --- HR's counts ----------------------------------------------------------------------


def test_signals_raised_closed_and_still_open_in_a_period(sessions, admin, alice, bob, lead):
    refunds, baggage = area(sessions, admin, "Refunds"), area(sessions, admin, "Baggage")
    start, end = NOW - timedelta(days=7), NOW
    before = signal(sessions, alice, refunds, at=start - timedelta(days=1))
    signal(sessions, bob, baggage, at=start - timedelta(days=2))  # open all along
    within = [signal(sessions, alice, refunds, at=start + timedelta(days=d)) for d in (1, 2)]
    signal(sessions, bob, baggage, at=start + timedelta(days=3))
    deleted = signal(sessions, bob, baggage, at=start + timedelta(days=4))
    run(sessions, delete_story, bob, deleted, start + timedelta(days=4))
    run(sessions, share_story, bob, replace(SPOT, rule_bent=""), start + timedelta(days=1))
    signal(sessions, alice, refunds, at=end)  # the period ends before it
    revision = revise(
        sessions, lead, refunds, as_of=start + timedelta(days=3), now=start + timedelta(days=5)
    )

    with sessions() as session:
        counts = signal_counts(session, alice.workspace_id, start, end)
        later = signal_counts(session, alice.workspace_id, end, end + timedelta(days=7))

    # Raised: the two Refunds and one Baggage within (the deleted one does not count).
    # Closed: the revision within closed `before` and both of `within`.
    # Still open at the end: the two Baggage signals.
    assert counts == SignalCounts(raised=3, closed=3, still_open=2)
    # The week after: the Refunds signal shared at its start, nothing closed, three open.
    assert later == SignalCounts(raised=1, closed=0, still_open=3)
    assert {closed_by(sessions, story_id) for story_id in (before, *within)} == {
        revision.revision_id
    }


def test_a_form_claiming_to_be_opened_in_the_future_closes_nothing_newer_than_now(
    sessions, admin, alice, lead
):
    refunds = area(sessions, admin, "Refunds")
    seen = signal(sessions, alice, refunds, at=NOW - timedelta(minutes=5))
    unseen = signal(sessions, alice, refunds, at=NOW + timedelta(minutes=1))

    revise(sessions, lead, refunds, as_of=NOW + timedelta(days=1), now=NOW)

    assert closed_by(sessions, seen) is not None
    assert closed_by(sessions, unseen) is None


def test_a_summary_asked_for_late_counts_what_was_open_at_its_end(sessions, admin, alice, lead):
    refunds = area(sessions, admin, "Refunds")
    start, end = NOW - timedelta(days=14), NOW - timedelta(days=7)
    signal(sessions, alice, refunds, at=start + timedelta(days=1))
    revise(sessions, lead, refunds, as_of=NOW, now=NOW)  # a week after the period ended

    with sessions() as session:
        counts = signal_counts(session, alice.workspace_id, start, end)

    assert counts == SignalCounts(raised=1, closed=0, still_open=1)


def test_a_closed_story_moved_to_another_area_raises_an_open_signal_there(
    sessions, admin, alice, lead
):
    refunds, baggage = area(sessions, admin, "Refunds"), area(sessions, admin, "Baggage")
    story_id = signal(sessions, alice, refunds)
    revise(sessions, lead, refunds)
    same_area = replace(SPOT, policy_area_id=refunds, outcome="Told better now")

    run(sessions, edit_story, alice, story_id, same_area, NOW)
    assert closed_by(sessions, story_id) is not None, "an edit in the same area stays closed"
    run(sessions, edit_story, alice, story_id, replace(same_area, policy_area_id=baggage), NOW)

    assert closed_by(sessions, story_id) is None
    assert [(s.area_name, s.open_count) for s in shown(sessions, alice.workspace_id).signals] == [
        ("Baggage", 1)
    ]


def test_a_story_that_no_longer_names_a_rule_counts_as_neither_raised_nor_closed(
    sessions, admin, alice, lead
):
    refunds = area(sessions, admin, "Refunds")
    story_id = signal(sessions, alice, refunds)
    revise(sessions, lead, refunds)

    run(sessions, edit_story, alice, story_id, replace(SPOT, rule_bent=""), NOW)

    with sessions() as session:
        counts = signal_counts(session, alice.workspace_id, NOW, NOW + timedelta(days=1))
    assert counts == SignalCounts(raised=0, closed=0, still_open=0)
    assert closed_by(sessions, story_id) is None


# --- the admin keeps the areas --------------------------------------------------------


def audit(sessions) -> list[tuple[str, dict, int | None]]:
    with sessions() as session:
        rows = session.execute(
            select(AuditEntry.action, AuditEntry.detail, AuditEntry.actor_id).order_by(
                AuditEntry.id
            )
        )
        return [(action, detail, actor) for action, detail, actor in rows]


def areas(sessions, admin) -> list[AreaRow]:
    with sessions() as session:
        return policy_areas(session, admin)


def test_an_admin_adds_an_area_offered_last_and_audited(sessions, admin):
    first = run(sessions, add_area, admin, "  Refunds   and\tcompensation ", NOW)
    second = run(sessions, add_area, admin, "Rebooking", NOW)

    assert (first.action, first.name, first.changed) == (
        "policies.add",
        "Refunds and compensation",
        True,
    )
    assert second.changed
    with sessions() as session:
        choices = area_choices(session, admin.workspace_id)
    assert [choice.name for choice in choices] == ["Refunds and compensation", "Rebooking"]
    assert all(isinstance(choice, AreaChoice) for choice in choices)
    assert audit(sessions) == [
        ("policies.add", {"name": "Refunds and compensation"}, admin.member_id),
        ("policies.add", {"name": "Rebooking"}, admin.member_id),
    ]


def test_adding_an_area_again_in_any_capitalisation_changes_nothing(sessions, admin):
    run(sessions, add_area, admin, "Rebooking", NOW)

    again = run(sessions, add_area, admin, "REBOOKING", NOW)

    assert (again.action, again.name, again.changed) == ("policies.add", "Rebooking", False)
    assert areas(sessions, admin) == [AreaRow("Rebooking", True)]
    assert len(audit(sessions)) == 1


def test_a_removed_area_is_retired_and_can_come_back_last(sessions, admin, alice):
    for name in ("Rebooking", "Refunds", "Upgrades"):
        run(sessions, add_area, admin, name, NOW)
    with sessions() as session:
        rebooking = area_choices(session, admin.workspace_id)[0].id
    story_id = signal(sessions, alice, rebooking)

    removed = run(sessions, remove_area, admin, "rebooking", NOW)
    again = run(sessions, remove_area, admin, "Rebooking", NOW)

    assert (removed.action, removed.name, removed.changed) == ("policies.remove", "Rebooking", True)
    assert not again.changed
    assert areas(sessions, admin) == [
        AreaRow("Refunds", True),
        AreaRow("Upgrades", True),
        AreaRow("Rebooking", False),
    ]
    with sessions() as session:  # the story and its open signal keep the area
        assert session.get(Story, story_id).policy_area_id == rebooking
        assert [s.area_name for s in policy_signals(session, admin.workspace_id, NOW).signals] == [
            "Rebooking"
        ]

    restored = run(sessions, add_area, admin, "REBOOKING", NOW)

    assert (restored.action, restored.name, restored.changed) == (
        "policies.restore",
        "Rebooking",
        True,
    )
    with sessions() as session:
        assert [c.name for c in area_choices(session, admin.workspace_id)] == [
            "Refunds",
            "Upgrades",
            "Rebooking",
        ]
        assert session.scalar(select(PolicyArea.id).where(PolicyArea.name == "Rebooking")) == (
            rebooking  # the same area, not a new one
        )
    assert [(action, detail) for action, detail, _ in audit(sessions)][3:] == [
        ("policies.remove", {"name": "Rebooking"}),
        ("policies.restore", {"name": "Rebooking"}),
    ]


@pytest.mark.parametrize("name", ["", "   ", "x" * (MAX_AREA_NAME_LENGTH + 1)])
def test_an_area_needs_a_name_that_fits_a_menu(sessions, admin, name):
    assert refused(sessions, add_area, admin, name, NOW) == "admin.errors.policy_name"

    assert count(sessions, PolicyArea) == 0 and audit(sessions) == []
    assert run(sessions, add_area, admin, "x" * MAX_AREA_NAME_LENGTH, NOW).changed


def test_removing_an_area_that_does_not_exist_is_refused(sessions, admin):
    assert refused(sessions, remove_area, admin, "Nowhere", NOW) == "admin.errors.unknown_policy"
    assert audit(sessions) == []


def test_there_are_at_most_so_many_active_areas(sessions, admin):
    with unit_of_work(sessions) as session:
        for n in range(MAX_ACTIVE_AREAS):
            add_area(session, admin, f"Area {n}", NOW)

    assert refused(sessions, add_area, admin, "One more", NOW) == "admin.errors.too_many_policies"
    run(sessions, remove_area, admin, "Area 0", NOW)
    assert run(sessions, add_area, admin, "One more", NOW).changed


@pytest.mark.parametrize(
    ("function", "args"),
    [(add_area, ("Refunds", NOW)), (remove_area, ("Refunds", NOW)), (policy_areas, ())],
)
def test_a_member_who_is_not_an_admin_is_refused(sessions, admin, alice, lead, function, args):
    run(sessions, add_area, admin, "Refunds", NOW)

    for requester in (alice, lead):
        assert refused(sessions, function, requester, *args) == "admin.errors.admins_only"

    assert areas(sessions, admin) == [AreaRow("Refunds", True)]
    assert len(audit(sessions)) == 1
