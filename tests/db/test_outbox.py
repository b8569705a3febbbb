"""The outbox on both databases: what a change owes Slack is written with the change, an
entry is claimed by one sender only, a dead sender's claim expires, refreshes collapse
(and one asked for again in flight is sent again), and the backoff spaces retries."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.db.engine import unit_of_work
from bot.db.models import OutboxEntry
from bot.db.repositories import outbox as repo
from bot.domain import outbox
from bot.domain.directory import WorkspaceDefaults
from bot.domain.kudos import KudosRequest, give_kudos, revoke_kudos
from bot.domain.outbox import CLAIM_FOR, Effect
from bot.domain.stories import StoryDraft, TagSource, card_posted, share_story, tag_story
from tests.db.test_stories import alice as alice  # the fixtures
from tests.db.test_stories import bob as bob
from tests.db.test_stories import member
from tests.support.units import count, run

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
TEAM = "T0DEMO001"
DRAFT = StoryDraft(
    people=("U0ALICE01", "U0BOB0001"),
    touchpoint="phone",
    customer_need="A passenger missed the connection in Copenhagen.",
    action_taken="Rebooked her on the next flight and called the hotel.",
    outcome="She made it to the wedding.",
)


def entries(sessions) -> list[tuple[str, str, str]]:
    with sessions() as session:
        rows = session.execute(
            select(OutboxEntry.kind, OutboxEntry.effect_key, OutboxEntry.status).order_by(
                OutboxEntry.id
            )
        )
        return [tuple(row) for row in rows]


def claim(sessions, entry_id, owner, now=NOW):
    with unit_of_work(sessions) as session:
        return repo.claim(session, entry_id, owner, now, now + CLAIM_FOR)


def only_id(sessions) -> int:
    with sessions() as session:
        (entry_id,) = session.scalars(select(OutboxEntry.id)).all()
        return entry_id


# --- what a change owes -------------------------------------------------------------------


def test_a_shared_story_owes_its_card_in_the_same_transaction(sessions, alice):
    card = run(sessions, share_story, alice, DRAFT, NOW)

    assert entries(sessions) == [("story_card", outbox.card_key(card.id), "pending")]


def test_a_story_that_fails_to_save_owes_nothing(sessions, alice):
    with pytest.raises(RuntimeError), unit_of_work(sessions) as session:
        share_story(session, alice, DRAFT, NOW)
        raise RuntimeError("the request died before its commit")

    assert entries(sessions) == []


def test_the_same_submission_twice_records_one_story_owing_one_card(sessions, alice):
    first = run(sessions, share_story, alice, DRAFT, NOW, submission_key="V0VIEW001")
    again = run(sessions, share_story, alice, DRAFT, NOW, submission_key="V0VIEW001")

    assert again.id == first.id
    assert len(entries(sessions)) == 1


def test_a_posted_card_owes_a_dm_to_each_person_in_the_story_but_the_author(sessions, alice, bob):
    card = run(sessions, share_story, alice, DRAFT, NOW)

    assert run(sessions, card_posted, alice.workspace_id, card.id, "C0STORIES", "1.1", NOW)
    assert not run(sessions, card_posted, alice.workspace_id, card.id, "C0STORIES", "2.2", NOW)

    owed = [kind for kind, _key, _status in entries(sessions)]
    assert owed == ["story_card", "story_notice"], "one DM, to Bob, owed once"


def test_kudos_owe_one_dm_per_recipient_and_a_retry_owes_nothing_more(sessions, alice, bob):
    request = KudosRequest(("U0BOB0001",), "Calmed the queue.", (), None, "cmd:T1")

    first = run(sessions, give_kudos, alice, request, NOW)
    retried = run(sessions, give_kudos, alice, request, NOW)

    assert retried.repeated and retried.kudos_ids == first.kudos_ids
    assert entries(sessions) == [
        ("kudos_notice", outbox.kudos_notice_key(first.kudos_ids[0]), "pending")
    ]


def test_revoked_kudos_leave_nothing_to_announce(sessions, alice, bob):
    admin = member(sessions, "U0ADMIN01", defaults=WorkspaceDefaults(admins=("U0ADMIN01",)))
    request = KudosRequest(("U0BOB0001",), "Calmed the queue.", (), None, "cmd:T1")
    (kudos_id,) = run(sessions, give_kudos, alice, request, NOW).kudos_ids
    run(sessions, revoke_kudos, admin, kudos_id, "by mistake", NOW)

    with sessions() as session:
        from bot.domain.kudos import kudos_notice

        assert kudos_notice(session, alice.workspace_id, kudos_id) is None


# --- claims -------------------------------------------------------------------------------


def test_only_one_sender_can_claim_an_entry(sessions, alice):
    run(sessions, share_story, alice, DRAFT, NOW)
    entry_id = only_id(sessions)

    assert claim(sessions, entry_id, "host:1:a") is not None
    assert claim(sessions, entry_id, "host:2:b") is None


def test_senders_racing_for_an_entry_are_told_apart_by_the_database(sessions, alice):
    run(sessions, share_story, alice, DRAFT, NOW)
    entry_id = only_id(sessions)
    start = threading.Barrier(4)
    won: list[str] = []

    def sender(owner: str) -> None:
        start.wait()
        if claim(sessions, entry_id, owner) is not None:
            won.append(owner)

    threads = [threading.Thread(target=sender, args=(f"host:{n}",)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert len(won) == 1


def test_the_claim_of_a_sender_that_died_expires_and_the_entry_is_taken_up_again(sessions, alice):
    run(sessions, share_story, alice, DRAFT, NOW)
    entry_id = only_id(sessions)
    assert claim(sessions, entry_id, "dead:1")

    assert claim(sessions, entry_id, "alive:2", NOW + CLAIM_FOR / 2) is None
    taken = claim(sessions, entry_id, "alive:2", NOW + CLAIM_FOR)

    assert taken is not None and taken.attempts == 2
    with unit_of_work(sessions) as session:
        assert not repo.mark_delivered(session, entry_id, "dead:1", NOW + CLAIM_FOR)
    with unit_of_work(sessions) as session:
        assert repo.mark_delivered(session, entry_id, "alive:2", NOW + CLAIM_FOR)
    assert entries(sessions)[0][2] == "delivered"


def test_a_transient_failure_waits_for_its_backoff(sessions, alice):
    run(sessions, share_story, alice, DRAFT, NOW)
    entry_id = only_id(sessions)
    claim(sessions, entry_id, "me")
    with unit_of_work(sessions) as session:
        retry_at = outbox.next_attempt(1, NOW)
        repo.retry_later(session, entry_id, "me", "http_503", retry_at)

    with sessions() as session:
        assert repo.due_ids(session, alice.workspace_id, NOW + timedelta(seconds=59), 10) == []
        assert repo.due_ids(session, alice.workspace_id, NOW + timedelta(minutes=1), 10) == [
            entry_id
        ]


# --- refreshes ----------------------------------------------------------------------------


def tag(sessions, who, story_id, now=NOW):
    return run(sessions, tag_story, who, story_id, TagSource.BUTTON, now)


def test_refreshes_owed_for_one_card_collapse_into_one(sessions, alice, bob):
    card = run(sessions, share_story, alice, DRAFT, NOW)
    for user_id in ("U0CAROL01", "U0DAVE001", "U0ERIN001"):
        tag(sessions, member(sessions, user_id), card.id)

    refreshes = [e for e in entries(sessions) if e[0] == Effect.CARD_REFRESH]
    assert refreshes == [("card_refresh", outbox.refresh_key(card.id), "pending")]


def tagged_story_refresh(sessions, author) -> tuple[int, int]:
    """A story of `author`'s tagged once: its id, and the id of the refresh it owes."""
    card = run(sessions, share_story, author, DRAFT, NOW)
    tag(sessions, member(sessions, "U0CAROL01"), card.id)
    with sessions() as session:
        (refresh_id,) = repo.unfinished_ids(
            session, author.workspace_id, [outbox.refresh_key(card.id)]
        )
    return card.id, refresh_id


def test_a_refresh_asked_for_again_while_in_flight_is_sent_again(sessions, alice):
    story_id, refresh_id = tagged_story_refresh(sessions, alice)
    assert claim(sessions, refresh_id, "me")  # rendering the card with one tag ...

    tag(sessions, member(sessions, "U0DAVE001"), story_id)  # ... while a second one comes

    with unit_of_work(sessions) as session:
        assert not repo.mark_delivered(session, refresh_id, "me", NOW)
    assert claim(sessions, refresh_id, "me") is not None, "due again, to show both tags"
    with unit_of_work(sessions) as session:
        assert repo.mark_delivered(session, refresh_id, "me", NOW)


def test_after_a_refresh_is_delivered_the_next_change_owes_a_new_one(sessions, alice):
    story_id, refresh_id = tagged_story_refresh(sessions, alice)
    claim(sessions, refresh_id, "me")
    with unit_of_work(sessions) as session:
        repo.mark_delivered(session, refresh_id, "me", NOW)

    tag(sessions, member(sessions, "U0DAVE001"), story_id)

    assert count(sessions, OutboxEntry, OutboxEntry.kind == Effect.CARD_REFRESH) == 2


def test_finished_entries_are_forgotten_after_a_week(sessions, alice):
    run(sessions, share_story, alice, DRAFT, NOW)
    entry_id = only_id(sessions)
    claim(sessions, entry_id, "me")
    with unit_of_work(sessions) as session:
        repo.mark_delivered(session, entry_id, "me", NOW)

    with unit_of_work(sessions) as session:
        assert repo.forget_finished_before(session, NOW) == 0
    with unit_of_work(sessions) as session:
        assert repo.forget_finished_before(session, NOW + outbox.KEEP_FINISHED_FOR) == 1
