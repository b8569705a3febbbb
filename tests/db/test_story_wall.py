"""The story wall's reads, on both databases: every filter, a search that treats % and _
as themselves and finds Chinese text, paging, deleted stories never shown, a leader's
team only, and filters from an untrusted query string ignored with a note."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from bot.db.engine import unit_of_work
from bot.db.models import Member
from bot.domain.dashboard_access import Audience
from bot.domain.directory import Profile, register_requester
from bot.domain.member_data import MENTION_PLACEHOLDER, tombstone
from bot.domain.stories import Touchpoint
from bot.domain.story_wall import (
    PER_PAGE,
    SEARCH_MAX,
    Note,
    read_filters,
    read_page,
    story_wall,
    wall_export,
)
from tests.support.story_wall import (
    ALICE,
    DAN,
    DEFAULTS,
    ERIK,
    INGRID,
    KARIN,
    NOW,
    OLIVER,
    story_wall_workspace,
    tell,
    viewer,
)


@pytest.fixture
def wall(sessions):
    return story_wall_workspace(sessions)


def shown(sessions, wall, user_id=KARIN, **query) -> list[str]:
    """The names of the stories the wall shows `user_id` for `query`, in its order."""
    names = {story_id: name for name, story_id in wall.stories.items()}
    with sessions() as session:
        page = story_wall(session, viewer(sessions, user_id), query)
    return [names[story.id] for story in page.stories]


# --- what HR reads ----------------------------------------------------------------------


def test_hr_reads_every_story_but_the_deleted_one_newest_first(sessions, wall):
    assert shown(sessions, wall) == ["dan_alone", "chinese", "refund", "lost_bag", "copenhagen"]


def test_a_row_holds_what_the_card_says_with_names_not_ids(sessions, wall):
    with sessions() as session:
        page = story_wall(session, viewer(sessions, KARIN), {"q": "copenhagen"})
    (story,) = page.stories

    assert page.audience is Audience.CULTURE and page.total == 1
    assert story.author == "Alice" and story.people == ()
    assert story.touchpoint is Touchpoint.PHONE
    assert story.decided_on_spot and not story.is_recovery
    assert [value.tag for value in story.values] == ["customer-first"]
    assert story.tag_count == 2 and story.backers == ("Erik",)
    assert story.rule_bent == "Rebooking fees need a supervisor"
    assert (story.channel_id, story.message_ts) == ("C0STORIES", "1700000001.000100")


def test_a_row_names_the_other_people_in_the_story_and_its_policy_area(sessions, wall):
    with sessions() as session:
        page = story_wall(session, viewer(sessions, KARIN), {"touchpoint": "on_site"})
        refund = story_wall(session, viewer(sessions, KARIN), {"touchpoint": "chat"})

    (lost_bag,) = page.stories
    assert lost_bag.author == "Oliver" and lost_bag.people == ("Björn",)
    assert lost_bag.is_recovery and lost_bag.went_wrong == "We lost her bag in transfer."
    assert refund.stories[0].policy_area == "Refunds" and refund.stories[0].rule_bent == ""


# --- filters ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"touchpoint": "chat"}, ["refund"]),
        ({"touchpoint": "in_person"}, ["dan_alone"]),
        ({"value": "trust"}, ["lost_bag"]),
        ({"value": "#Customer-First"}, ["copenhagen"]),
        ({"on_spot": "yes"}, ["refund", "copenhagen"]),
        ({"on_spot": "no"}, ["dan_alone", "chinese", "lost_bag"]),
        ({"backed": "yes"}, ["copenhagen"]),
        ({"backed": "no"}, ["dan_alone", "chinese", "refund", "lost_bag"]),
        ({"recovery": "yes"}, ["lost_bag"]),
        ({"recovery": "NO"}, ["dan_alone", "chinese", "refund", "copenhagen"]),
        ({"on_spot": "yes", "backed": "no"}, ["refund"]),
        ({"on_spot": "yes", "touchpoint": "phone", "value": "customer-first"}, ["copenhagen"]),
        ({"recovery": "yes", "touchpoint": "phone"}, []),
    ],
)
def test_each_filter_and_their_combinations(sessions, wall, query, expected):
    assert shown(sessions, wall, **query) == expected


@pytest.mark.parametrize(
    ("search", "expected"),
    [
        ("COPENHAGEN", ["copenhagen"]),  # not the deleted story that says it too
        ("  sent it   by taxi ", ["lost_bag"]),  # spaces as people type them
        ("lost her bag", ["lost_bag"]),  # what went wrong
        ("REBOOKING FEES", ["copenhagen"]),  # the rule gone beyond
        ("100%", ["refund"]),
        ("%", ["refund"]),  # a literal %, not "anything"
        ("_", ["refund"]),  # a literal _, not "any one character"
        ("seat_1", ["refund"]),
        ("0% r", ["refund"]),
        ("seat%12", []),
        ("行李", ["chinese"]),
        ("当场赔偿", ["chinese"]),
        ("BJÖRN", []),  # names are not searched, only what the story tells
        ("wedding", ["copenhagen"]),
    ],
)
def test_search_is_case_insensitive_and_literal_on_both_databases(sessions, wall, search, expected):
    assert shown(sessions, wall, q=search) == expected


def test_search_folds_letters_beyond_ascii_where_the_text_holds_them_in_lower_case(sessions, wall):
    wall.stories["window"] = tell(
        sessions, wall.people[OLIVER], 10, customer_need="Ett önskemål om fönsterplats."
    )

    assert shown(sessions, wall, q="ÖNSKEMÅL") == ["window"]
    assert shown(sessions, wall, q="önskemål") == ["window"]


def test_unknown_filters_are_ignored_with_a_note_and_the_rest_still_apply(sessions, wall):
    with sessions() as session:
        page = story_wall(
            session,
            viewer(sessions, KARIN),
            {"touchpoint": "<b>moon</b>", "value": "#nope", "backed": "maybe", "on_spot": "yes"},
        )

    assert [story.id for story in page.stories] == [
        wall.stories["refund"],
        wall.stories["copenhagen"],
    ]
    assert page.notes == (
        Note("dashboard.stories.note.touchpoint", {"given": "<b>moon</b>"}),
        Note("dashboard.stories.note.value", {"given": "#nope"}),
        Note("dashboard.stories.note.choice", {"given": "maybe"}),
    )
    assert page.filters.touchpoint is None and page.filters.backed is None
    assert page.filters.query() == {"on_spot": "yes"}


def test_read_filters_caps_the_search_and_what_it_repeats():
    filters, notes = read_filters({"q": "x" * 500, "touchpoint": "y" * 500}, ["trust"])

    assert filters.search == "x" * SEARCH_MAX
    assert notes[0] == Note("dashboard.stories.note.search_cut", {"max": SEARCH_MAX})
    assert len(notes[1].params["given"]) == 40 and notes[1].params["given"].endswith("…")


def test_read_filters_drops_nul_characters_postgresql_would_refuse():
    filters, notes = read_filters({"q": "bag\x00", "recovery": "yes\x00"}, [])

    assert (filters.search, filters.recovery, notes) == ("bag", True, ())


@pytest.mark.parametrize(
    ("given", "page"),
    [(None, 1), ("", 1), ("2", 2), ("0", 1), ("-3", 1), ("abc", 1), ("٣", 1), ("9" * 40, 10**6)],
)
def test_read_page_takes_a_positive_whole_number_or_one(given, page):
    assert read_page(given) == page


# --- paging -----------------------------------------------------------------------------


def test_the_wall_is_paged_newest_first_and_a_page_past_the_last_is_the_last(sessions, wall):
    alice = wall.people["U0ALICE01"]
    for minute in range(PER_PAGE + 3):
        tell(sessions, alice, 100 + minute, touchpoint="other", customer_need=f"Story {minute}")
    karin = viewer(sessions, KARIN)

    with sessions() as session:
        first = story_wall(session, karin, {"touchpoint": "other"})
        second = story_wall(session, karin, {"touchpoint": "other", "page": "2"})
        beyond = story_wall(session, karin, {"touchpoint": "other", "page": "99"})
        everything = wall_export(session, karin, {"touchpoint": "other"})

    assert (first.total, first.pages, first.page, len(first.stories)) == (28, 2, 1, PER_PAGE)
    assert first.stories[0].customer_need == f"Story {PER_PAGE + 2}"
    assert (second.page, [story.customer_need for story in second.stories]) == (
        2,
        ["Story 2", "Story 1", "Story 0"],
    )
    assert beyond.page == 2 and beyond.stories == second.stories
    assert [story.id for story in everything] == [
        story.id for story in first.stories + second.stories
    ]


def test_an_empty_wall_has_one_page(sessions, wall):
    with sessions() as session:
        page = story_wall(session, viewer(sessions, KARIN), {"q": "nothing like this"})

    assert (page.total, page.page, page.pages, page.stories) == (0, 1, 1, ())


# --- who reads what ---------------------------------------------------------------------


def test_a_leader_reads_the_stories_told_by_or_about_their_team(sessions, wall):
    # Alice and Björn are in Erik's team: her stories, Oliver's story with Björn in it,
    # and Dan's story with Alice in it.
    assert shown(sessions, wall, ERIK) == ["chinese", "lost_bag", "copenhagen"]
    assert shown(sessions, wall, INGRID) == ["refund", "lost_bag"]


def test_a_leaders_filters_apply_within_their_team(sessions, wall):
    assert shown(sessions, wall, ERIK, on_spot="yes") == ["copenhagen"]
    assert shown(sessions, wall, ERIK, q="refund") == []
    with sessions() as session:
        exported = wall_export(session, viewer(sessions, INGRID), {})
    assert [story.id for story in exported] == [
        wall.stories["refund"],
        wall.stories["lost_bag"],
    ]


def test_a_leader_of_no_known_team_reads_no_stories(sessions, wall):
    with unit_of_work(sessions) as session:
        session.execute(
            update(Member)
            .where(Member.id == wall.people[DAN].member_id)
            .values(is_leader=True, leader_named=True)
        )
    dan = viewer(sessions, DAN)

    with sessions() as session:
        page = story_wall(session, dan, {})
        exported = wall_export(session, dan, {})

    assert dan.audience is Audience.TEAM and dan.team_id is None
    assert page.no_team and page.stories == () and exported == []


def test_the_wall_holds_no_story_of_another_workspace(sessions, wall):
    with unit_of_work(sessions) as session:
        stranger = register_requester(session, "T0OTHER01", Profile("U0ALICE01"), DEFAULTS, NOW)
    tell(sessions, stranger, 7, customer_need="Copenhagen, in another workspace.")

    assert shown(sessions, wall, q="copenhagen") == ["copenhagen"]


def test_a_forgotten_teller_is_named_by_nobody(sessions, wall):
    alice = wall.people[ALICE].member_id
    with unit_of_work(sessions) as session:  # as forget_member leaves them
        session.execute(
            update(Member)
            .where(Member.id == alice)
            .values(slack_user_id=tombstone(alice), display_name="", real_name="")
        )
    with sessions() as session:
        (story,) = story_wall(session, viewer(sessions, KARIN), {"q": "copenhagen"}).stories

    assert story.author == MENTION_PLACEHOLDER
