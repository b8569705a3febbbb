"""Moments of truth: sharing a story, and recognising the people in it."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event, select

from bot.db.engine import unit_of_work
from bot.db.models import CompanyValue, Member, Story, StoryBacking, StoryTag
from bot.domain.directory import (
    Profile,
    WorkspaceDefaults,
    member_locales,
    register_requester,
)
from bot.domain.errors import DomainError
from bot.domain.stories import (
    TEXT_MAX,
    DraftInvalid,
    StoryDraft,
    TagSource,
    Touchpoint,
    attach_card,
    back_story,
    delete_story,
    edit_story,
    recent_stories,
    share_story,
    story_at,
    story_card,
    tag_story,
    untag_story,
)
from bot.domain.values import ValueLabel, workspace_values
from tests.support.units import count, run

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
TEAM = "T0DEMO001"
DEFAULTS = WorkspaceDefaults(stories_channel="C0STORIES", leaders=("U0LEAD01", "U0LEAD02"))

DRAFT = StoryDraft(
    people=(),
    touchpoint="phone",
    customer_need="A passenger missed the connection in Copenhagen.",
    action_taken="Rebooked her on the next flight and called the hotel.",
    outcome="She made it to the wedding.",
)


def member(sessions, user_id, *, team=TEAM, defaults=DEFAULTS):
    with unit_of_work(sessions) as session:
        return register_requester(session, team, Profile(user_id), defaults, NOW)


def share(sessions, requester, draft=DRAFT, now=NOW):
    return run(sessions, share_story, requester, draft, now)


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
def leader(sessions):
    return member(sessions, "U0LEAD01")


# --- sharing --------------------------------------------------------------------------


def test_a_story_without_named_people_is_about_its_author(sessions, alice):
    card = share(sessions, alice)

    assert card.author_user_id == "U0ALICE01"
    assert card.people_user_ids == ("U0ALICE01",)


def test_a_shared_story_keeps_what_was_told(sessions, alice):
    draft = replace(
        DRAFT,
        touchpoint="on_site",
        decided_on_spot=True,
        appearance=True,
        communication=True,
        source_channel_id="C0GENERAL",
        source_message_ts="1700000000.000100",
    )

    card = share(sessions, alice, draft, now=NOW)

    assert card.touchpoint is Touchpoint.ON_SITE
    assert (card.customer_need, card.action_taken, card.outcome) == (
        DRAFT.customer_need,
        DRAFT.action_taken,
        DRAFT.outcome,
    )
    assert card.decided_on_spot
    assert card.abc == ("appearance", "communication")
    assert (card.source_channel_id, card.source_message_ts) == ("C0GENERAL", "1700000000.000100")
    assert card.created_at == NOW
    assert (card.tag_count, card.backer_user_ids, card.is_deleted) == (0, (), False)


def test_a_story_goes_to_the_stories_channel_unless_another_is_chosen(sessions, alice):
    default = share(sessions, alice)
    chosen = share(sessions, alice, replace(DRAFT, channel_id="C0TEAMWINS"))

    assert default.channel_id == "C0STORIES"
    assert chosen.channel_id == "C0TEAMWINS"
    assert default.message_ts is None


def test_without_a_stories_channel_a_channel_must_be_chosen(sessions):
    loner = member(sessions, "U0ALICE01", team="T0NOCHAN1", defaults=WorkspaceDefaults())

    with pytest.raises(DomainError) as refused:
        share(sessions, loner)

    assert refused.value.key == "stories.errors.no_channel"
    assert count(sessions, Story) == 0
    assert share(sessions, loner, replace(DRAFT, channel_id="C0CHOSEN1")).channel_id == "C0CHOSEN1"


def test_a_new_workspace_starts_with_four_company_values(sessions, alice):
    with sessions() as session:
        values = workspace_values(session, alice.workspace_id)

    assert values == [
        ValueLabel("customer-first", "Customer first"),
        ValueLabel("ownership", "Ownership"),
        ValueLabel("trust", "Trust"),
        ValueLabel("teamwork", "Teamwork"),
    ]


def test_retired_values_are_not_offered(sessions, alice):
    with unit_of_work(sessions) as session:
        trust = session.scalars(select(CompanyValue).where(CompanyValue.tag == "trust")).one()
        trust.is_active = False

    with sessions() as session:
        tags = [value.tag for value in workspace_values(session, alice.workspace_id)]

    assert tags == ["customer-first", "ownership", "teamwork"]


def test_a_story_carries_its_values_in_the_workspace_order(sessions, alice):
    card = share(sessions, alice, replace(DRAFT, value_tags=("teamwork", "customer-first")))

    assert [value.tag for value in card.values] == ["customer-first", "teamwork"]
    assert card.values[0].name == "Customer first"


@pytest.mark.parametrize("tag", ["kindness", "trust"])
def test_an_unknown_or_retired_value_is_refused(sessions, alice, tag):
    with unit_of_work(sessions) as session:
        trust = session.scalars(select(CompanyValue).where(CompanyValue.tag == "trust")).one()
        trust.is_active = False

    with pytest.raises(DraftInvalid) as refused:
        share(sessions, alice, replace(DRAFT, value_tags=("ownership", tag)))

    assert refused.value.errors == {"values": "stories.errors.unknown_value"}
    assert count(sessions, Story) == 0


def test_an_invalid_draft_reports_every_problem_and_saves_nothing(sessions, alice):
    draft = replace(DRAFT, touchpoint="fax", outcome=" ", value_tags=("kindness",))

    with pytest.raises(DraftInvalid) as refused:
        share(sessions, alice, draft)

    assert refused.value.key == "stories.errors.invalid"
    assert refused.value.errors == {
        "touchpoint": "stories.errors.touchpoint",
        "outcome": "stories.errors.required",
        "values": "stories.errors.unknown_value",
    }
    assert count(sessions, Story) == 0


def test_people_the_bot_has_not_met_get_placeholder_members(sessions, alice):
    card = share(sessions, alice, replace(DRAFT, people=("U0NEW0001", "U0ALICE01", "U0NEW0002")))

    with sessions() as session:
        newcomer = session.scalars(select(Member).where(Member.slack_user_id == "U0NEW0001")).one()
    assert set(card.people_user_ids) == {"U0ALICE01", "U0NEW0001", "U0NEW0002"}
    assert newcomer.workspace_id == alice.workspace_id
    assert newcomer.display_name == "" and newcomer.synced_at is None
    assert count(sessions, Member) == 3


def test_a_placeholder_becomes_the_member_on_their_first_request(sessions, alice):
    share(sessions, alice, replace(DRAFT, people=("U0NEW0001",)))

    newcomer = member(sessions, "U0NEW0001")

    with sessions() as session:
        assert [card.id for card in recent_stories(session, newcomer)] != []
    assert count(sessions, Member) == 2


def test_the_people_in_a_story_are_told_in_their_own_language(sessions):
    shanghai = WorkspaceDefaults(locale="zh-CN", stories_channel="C0STORIES")
    with unit_of_work(sessions) as session:
        for user_id, locale in [("U0ANNA001", "en-US"), ("U0PIERRE1", "fr-FR")]:
            register_requester(
                session, "T0SHANGHAI", Profile(user_id, locale=locale), shanghai, NOW
            )
    author = member(sessions, "U0WEI0001", team="T0SHANGHAI", defaults=shanghai)
    share(sessions, author, replace(DRAFT, people=("U0ANNA001", "U0PIERRE1", "U0NEW0001")))

    with sessions() as session:
        locales = member_locales(
            session, author.workspace_id, ["U0ANNA001", "U0PIERRE1", "U0NEW0001", "U0NEVER01"]
        )

    assert locales == {
        "U0ANNA001": "en",
        "U0PIERRE1": "zh-CN",
        "U0NEW0001": "zh-CN",
        "U0NEVER01": "zh-CN",
    }


def test_the_author_comes_first_among_the_people(sessions, alice, bob, carol):
    card = share(sessions, alice, replace(DRAFT, people=("U0BOB0001", "U0CAROL01", "U0ALICE01")))

    assert card.people_user_ids[0] == "U0ALICE01"
    assert sorted(card.people_user_ids[1:]) == ["U0BOB0001", "U0CAROL01"]


def test_a_story_can_be_about_colleagues_only(sessions, alice, bob):
    card = share(sessions, alice, replace(DRAFT, people=("U0BOB0001", "U0BOB0001")))

    assert card.people_user_ids == ("U0BOB0001",)


def test_chinese_emoji_and_full_length_texts_are_stored_whole(sessions, alice):
    need = "客户的航班取消了，她需要当天到达上海。🙏"
    action = "🙂" * TEXT_MAX
    outcome = "x" * TEXT_MAX
    card = share(
        sessions, alice, replace(DRAFT, customer_need=need, action_taken=action, outcome=outcome)
    )

    with sessions() as session:
        stored = story_card(session, alice.workspace_id, card.id)

    assert (stored.customer_need, stored.action_taken, stored.outcome) == (need, action, outcome)


def test_a_text_one_character_too_long_is_refused(sessions, alice):
    with pytest.raises(DraftInvalid) as refused:
        share(sessions, alice, replace(DRAFT, action_taken="x" * (TEXT_MAX + 1)))

    assert refused.value.errors == {"action_taken": "stories.errors.too_long"}


def test_texts_are_trimmed_and_nul_characters_dropped(sessions, alice):
    card = share(sessions, alice, replace(DRAFT, outcome="  She made it.\x00\n"))

    assert card.outcome == "She made it."


# --- the card's message ---------------------------------------------------------------


def test_a_posted_card_leads_back_to_its_story(sessions, alice):
    card = share(sessions, alice)
    run(sessions, attach_card, alice, card.id, "C0STORIES", "1700000001.000200")

    with sessions() as session:
        found = story_at(session, alice.workspace_id, "C0STORIES", "1700000001.000200")
        elsewhere = story_at(session, alice.workspace_id, "C0STORIES", "1700000009.000900")
        attached = story_card(session, alice.workspace_id, card.id)

    assert found == card.id
    assert elsewhere is None
    assert (attached.channel_id, attached.message_ts) == ("C0STORIES", "1700000001.000200")


def test_a_card_can_be_attached_by_workspace_id(sessions, alice):
    card = share(sessions, alice)

    run(sessions, attach_card, alice.workspace_id, card.id, "C0STORIES", "1700000001.000200")

    with sessions() as session:
        assert story_at(session, alice.workspace_id, "C0STORIES", "1700000001.000200") == card.id


def test_another_workspace_never_sees_the_story(sessions, alice):
    card = share(sessions, alice)
    run(sessions, attach_card, alice, card.id, "C0STORIES", "1700000001.000200")
    stranger = member(sessions, "U0ALICE01", team="T0OTHER01")

    with sessions() as session:
        assert story_at(session, stranger.workspace_id, "C0STORIES", "1700000001.000200") is None
        with pytest.raises(DomainError) as missing:
            story_card(session, stranger.workspace_id, card.id)
    with pytest.raises(DomainError) as not_theirs:
        run(sessions, tag_story, stranger, card.id, TagSource.BUTTON, NOW)

    assert missing.value.key == not_theirs.value.key == "stories.errors.not_found"


def test_a_missing_story_is_not_found(sessions, alice):
    with sessions() as session, pytest.raises(DomainError) as missing:
        story_card(session, alice.workspace_id, 999_999)

    assert missing.value.key == "stories.errors.not_found"


# --- tagging --------------------------------------------------------------------------


def test_a_tag_counts_on_the_card(sessions, alice, bob, carol):
    card = share(sessions, alice)

    first = run(sessions, tag_story, bob, card.id, TagSource.BUTTON, NOW)
    second = run(sessions, tag_story, carol, card.id, TagSource.REACTION, NOW)

    assert (first.changed, first.reason, first.card.tag_count) == (True, None, 1)
    assert (second.changed, second.card.tag_count) == (True, 2)


@pytest.mark.parametrize(
    ("first", "again"),
    [
        (TagSource.BUTTON, TagSource.BUTTON),
        (TagSource.BUTTON, TagSource.REACTION),
        (TagSource.REACTION, TagSource.BUTTON),
    ],
)
def test_a_person_tags_a_story_once_whichever_way(sessions, alice, bob, first, again):
    card = share(sessions, alice)
    run(sessions, tag_story, bob, card.id, first, NOW)

    outcome = run(sessions, tag_story, bob, card.id, again, NOW)

    assert (outcome.changed, outcome.reason) == (False, "stories.tag.already")
    assert outcome.card.tag_count == 1
    assert count(sessions, StoryTag) == 1


def test_tagging_a_story_you_wrote_does_not_count(sessions, alice, bob):
    card = share(sessions, alice, replace(DRAFT, people=("U0BOB0001",)))

    outcome = run(sessions, tag_story, alice, card.id, TagSource.REACTION, NOW)

    assert (outcome.changed, outcome.reason) == (False, "stories.tag.own")
    assert count(sessions, StoryTag) == 0


def test_tagging_a_story_you_are_in_does_not_count(sessions, alice, bob):
    card = share(sessions, alice, replace(DRAFT, people=("U0ALICE01", "U0BOB0001")))

    outcome = run(sessions, tag_story, bob, card.id, TagSource.BUTTON, NOW)

    assert (outcome.changed, outcome.reason) == (False, "stories.tag.own")
    assert count(sessions, StoryTag) == 0


def test_removing_the_reaction_takes_back_a_reaction_tag(sessions, alice, bob):
    card = share(sessions, alice)
    run(sessions, tag_story, bob, card.id, TagSource.REACTION, NOW)

    outcome = run(sessions, untag_story, bob, card.id, TagSource.REACTION, NOW)

    assert (outcome.changed, outcome.card.tag_count) == (True, 0)
    assert count(sessions, StoryTag) == 0


def test_removing_a_reaction_keeps_a_tag_given_by_the_button(sessions, alice, bob):
    card = share(sessions, alice)
    run(sessions, tag_story, bob, card.id, TagSource.BUTTON, NOW)

    outcome = run(sessions, untag_story, bob, card.id, TagSource.REACTION, NOW)

    assert (outcome.changed, outcome.reason) == (False, "stories.untag.other_source")
    assert outcome.card.tag_count == 1


def test_untagging_without_a_tag_changes_nothing(sessions, alice, bob, carol):
    card = share(sessions, alice)
    run(sessions, tag_story, carol, card.id, TagSource.REACTION, NOW)

    outcome = run(sessions, untag_story, bob, card.id, TagSource.REACTION, NOW)

    assert (outcome.changed, outcome.reason) == (False, "stories.untag.not_tagged")
    assert outcome.card.tag_count == 1


def test_a_tag_taken_back_can_be_given_again(sessions, alice, bob):
    card = share(sessions, alice)
    run(sessions, tag_story, bob, card.id, TagSource.REACTION, NOW)
    run(sessions, untag_story, bob, card.id, TagSource.REACTION, NOW)

    outcome = run(sessions, tag_story, bob, card.id, TagSource.BUTTON, NOW)

    assert (outcome.changed, outcome.card.tag_count) == (True, 1)


def test_a_deleted_story_cannot_be_tagged_or_untagged(sessions, alice, bob):
    card = share(sessions, alice)
    run(sessions, delete_story, alice, card.id, NOW)

    for change in (tag_story, untag_story):
        with pytest.raises(DomainError) as refused:
            run(sessions, change, bob, card.id, TagSource.REACTION, NOW)
        assert refused.value.key == "stories.errors.deleted"


def test_a_tag_rolled_back_with_its_request_leaves_no_trace(sessions, alice, bob):
    card = share(sessions, alice)

    with pytest.raises(RuntimeError), unit_of_work(sessions) as session:
        tag_story(session, bob, card.id, TagSource.REACTION, NOW)
        raise RuntimeError("the handler failed after tagging")

    assert count(sessions, StoryTag) == 0


def test_many_simultaneous_tags_by_one_person_make_one_tag(sessions, backend, alice, bob):
    if backend == "sqlite":
        pytest.skip("SQLite runs one writer at a time; the race needs PostgreSQL")
    card = share(sessions, alice)
    start = threading.Barrier(10)
    outcomes, errors = [], []

    def tag() -> None:
        try:
            start.wait()
            outcomes.append(run(sessions, tag_story, bob, card.id, TagSource.REACTION, NOW))
        except Exception as error:
            errors.append(error)

    threads = [threading.Thread(target=tag) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads), "a thread never finished"

    assert errors == []
    assert sorted(outcome.changed for outcome in outcomes) == [False] * 9 + [True]
    assert {o.reason for o in outcomes if not o.changed} == {"stories.tag.already"}
    assert count(sessions, StoryTag) == 1


# --- deleting -------------------------------------------------------------------------


def test_deleting_a_story_takes_back_its_tags(sessions, alice, bob, carol):
    card = share(sessions, alice)
    run(sessions, tag_story, bob, card.id, TagSource.BUTTON, NOW)
    run(sessions, tag_story, carol, card.id, TagSource.REACTION, NOW)

    deleted = run(sessions, delete_story, alice, card.id, NOW + timedelta(hours=1))

    assert deleted.is_deleted
    assert deleted.tag_count == 2  # the card as it was, so the caller can take it down
    assert count(sessions, StoryTag) == 0
    with sessions() as session:
        assert story_card(session, alice.workspace_id, card.id).is_deleted
        story = session.get(Story, card.id)
        assert story.deleted_at == NOW + timedelta(hours=1)


def test_only_the_author_can_delete_a_story(sessions, alice, bob):
    card = share(sessions, alice, replace(DRAFT, people=("U0ALICE01", "U0BOB0001")))

    with pytest.raises(DomainError) as refused:
        run(sessions, delete_story, bob, card.id, NOW)

    assert refused.value.key == "stories.errors.not_author"
    with sessions() as session:
        assert not story_card(session, alice.workspace_id, card.id).is_deleted


def test_a_story_is_deleted_once(sessions, alice):
    card = share(sessions, alice)
    run(sessions, delete_story, alice, card.id, NOW)

    with pytest.raises(DomainError) as refused:
        run(sessions, delete_story, alice, card.id, NOW)

    assert refused.value.key == "stories.errors.deleted"


# --- editing --------------------------------------------------------------------------


def test_editing_replaces_what_the_story_says(sessions, alice, bob):
    card = share(sessions, alice, replace(DRAFT, value_tags=("trust",), behaviour=True))
    later = NOW + timedelta(minutes=5)
    draft = replace(
        DRAFT,
        people=("U0BOB0001",),
        touchpoint="chat",
        outcome="She sent us a postcard.",
        value_tags=("ownership",),
        appearance=True,
    )

    edited = run(sessions, edit_story, alice, card.id, draft, later)

    assert edited.id == card.id
    assert edited.people_user_ids == ("U0BOB0001",)
    assert edited.touchpoint is Touchpoint.CHAT
    assert edited.outcome == "She sent us a postcard."
    assert [value.tag for value in edited.values] == ["ownership"]
    assert edited.abc == ("appearance",)
    assert edited.created_at == NOW
    with sessions() as session:
        assert session.get(Story, card.id).updated_at == later


def test_editing_keeps_tags_backings_and_the_card_message(sessions, alice, bob, leader):
    card = share(sessions, alice)
    run(sessions, attach_card, alice, card.id, "C0STORIES", "1700000001.000200")
    run(sessions, tag_story, bob, card.id, TagSource.BUTTON, NOW)
    run(sessions, back_story, leader, card.id, NOW)

    edited = run(
        sessions, edit_story, alice, card.id, replace(DRAFT, channel_id="C0ELSEWHERE"), NOW
    )

    assert edited.tag_count == 1
    assert edited.backer_user_ids == ("U0LEAD01",)
    assert (edited.channel_id, edited.message_ts) == ("C0STORIES", "1700000001.000200")


def test_only_the_author_can_edit_a_story(sessions, alice, bob):
    card = share(sessions, alice, replace(DRAFT, people=("U0BOB0001",)))

    with pytest.raises(DomainError) as refused:
        run(sessions, edit_story, bob, card.id, replace(DRAFT, outcome="Mine now."), NOW)

    assert refused.value.key == "stories.errors.not_author"
    with sessions() as session:
        assert story_card(session, alice.workspace_id, card.id).outcome == DRAFT.outcome


def test_a_deleted_story_cannot_be_edited(sessions, alice):
    card = share(sessions, alice)
    run(sessions, delete_story, alice, card.id, NOW)

    with pytest.raises(DomainError) as refused:
        run(sessions, edit_story, alice, card.id, DRAFT, NOW)

    assert refused.value.key == "stories.errors.deleted"


def test_an_edit_is_checked_like_a_new_story(sessions, alice):
    card = share(sessions, alice)

    with pytest.raises(DraftInvalid) as refused:
        run(sessions, edit_story, alice, card.id, replace(DRAFT, customer_need=""), NOW)

    assert refused.value.errors == {"customer_need": "stories.errors.required"}


def test_an_edit_may_keep_a_value_retired_since_the_story_was_shared(sessions, alice):
    card = share(sessions, alice, replace(DRAFT, value_tags=("trust",)))
    with unit_of_work(sessions) as session:
        trust = session.scalars(select(CompanyValue).where(CompanyValue.tag == "trust")).one()
        trust.is_active = False

    edited = run(sessions, edit_story, alice, card.id, replace(DRAFT, value_tags=("trust",)), NOW)

    assert [value.tag for value in edited.values] == ["trust"]


# --- backing --------------------------------------------------------------------------


def test_a_leader_backs_the_decision_in_a_story(sessions, alice, leader):
    card = share(sessions, alice, replace(DRAFT, decided_on_spot=True))

    outcome = run(sessions, back_story, leader, card.id, NOW)

    assert (outcome.changed, outcome.reason) == (True, None)
    assert outcome.card.backer_user_ids == ("U0LEAD01",)


def test_only_leaders_can_back_a_story(sessions, alice, bob):
    card = share(sessions, alice)

    with pytest.raises(DomainError) as refused:
        run(sessions, back_story, bob, card.id, NOW)

    assert refused.value.key == "stories.errors.leaders_only"
    assert count(sessions, StoryBacking) == 0


def test_a_leader_backs_a_story_once(sessions, alice, leader):
    card = share(sessions, alice)
    run(sessions, back_story, leader, card.id, NOW)

    outcome = run(sessions, back_story, leader, card.id, NOW)

    assert (outcome.changed, outcome.reason) == (False, "stories.back.already")
    assert outcome.card.backer_user_ids == ("U0LEAD01",)


@pytest.mark.parametrize("role", ["author", "person"])
def test_a_leader_cannot_back_a_story_they_are_in(sessions, alice, leader, role):
    if role == "author":
        card = share(sessions, leader)
    else:
        card = share(sessions, alice, replace(DRAFT, people=("U0ALICE01", "U0LEAD01")))

    outcome = run(sessions, back_story, leader, card.id, NOW)

    assert (outcome.changed, outcome.reason) == (False, "stories.back.own")
    assert count(sessions, StoryBacking) == 0


def test_backers_are_listed_in_the_order_they_backed(sessions, alice):
    second_leader = member(sessions, "U0LEAD02")
    first_leader = member(sessions, "U0LEAD01")
    card = share(sessions, alice)

    run(sessions, back_story, second_leader, card.id, NOW)
    outcome = run(sessions, back_story, first_leader, card.id, NOW + timedelta(minutes=1))

    assert outcome.card.backer_user_ids == ("U0LEAD02", "U0LEAD01")


def test_a_deleted_story_cannot_be_backed(sessions, alice, leader):
    card = share(sessions, alice)
    run(sessions, delete_story, alice, card.id, NOW)

    with pytest.raises(DomainError) as refused:
        run(sessions, back_story, leader, card.id, NOW)

    assert refused.value.key == "stories.errors.deleted"


# --- the App Home's list --------------------------------------------------------------


def test_recent_stories_are_the_ones_you_wrote_or_are_in_newest_first(sessions, alice, bob):
    written = share(sessions, alice, now=NOW)
    about_alice = share(
        sessions, bob, replace(DRAFT, people=("U0ALICE01",)), now=NOW + timedelta(1)
    )
    share(sessions, bob, now=NOW + timedelta(days=2))
    deleted = share(sessions, alice, now=NOW + timedelta(days=3))
    run(sessions, delete_story, alice, deleted.id, NOW + timedelta(days=3))

    with sessions() as session:
        cards = recent_stories(session, alice)

    assert [card.id for card in cards] == [about_alice.id, written.id]


def test_recent_stories_are_limited(sessions, alice):
    shared = [share(sessions, alice, now=NOW + timedelta(minutes=n)) for n in range(4)]

    with sessions() as session:
        cards = recent_stories(session, alice, limit=2)

    assert [card.id for card in cards] == [shared[3].id, shared[2].id]


def test_recent_stories_of_someone_without_stories_is_empty(sessions, alice, bob):
    share(sessions, bob)

    with sessions() as session:
        assert recent_stories(session, alice) == []


def test_a_list_of_cards_costs_the_same_queries_as_one_card(sessions, engine, alice, bob, leader):
    def fill(story_count):
        for n in range(story_count):
            draft = replace(DRAFT, people=("U0ALICE01", "U0BOB0001"), value_tags=("trust",))
            card = share(sessions, alice, draft, now=NOW + timedelta(minutes=n))
            run(sessions, tag_story, leader, card.id, TagSource.BUTTON, NOW)
            run(sessions, back_story, leader, card.id, NOW)

    def queries_for_recent_stories():
        statements = []

        def record(*_args):
            statements.append(1)

        event.listen(engine, "before_cursor_execute", record)
        try:
            with sessions() as session:
                cards = recent_stories(session, alice)
        finally:
            event.remove(engine, "before_cursor_execute", record)
        assert all(card.tag_count == 1 and card.backer_user_ids for card in cards)
        return len(cards), len(statements)

    fill(1)
    one = queries_for_recent_stories()
    fill(4)
    five = queries_for_recent_stories()

    assert (one[0], five[0]) == (1, 5)
    assert five[1] == one[1]
