"""What makes a story draft acceptable, decided without a database."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.domain.stories import MAX_PEOPLE, TEXT_MAX, StoryDraft, Touchpoint, check_draft

DRAFT = StoryDraft(
    people=(),
    touchpoint="phone",
    customer_need="A passenger missed the connection in Copenhagen.",
    action_taken="Rebooked her on the next flight and called the hotel.",
    outcome="She made it to the wedding.",
)


def test_a_complete_draft_has_no_problems():
    assert check_draft(DRAFT) == {}


@pytest.mark.parametrize("field", ["customer_need", "action_taken", "outcome"])
@pytest.mark.parametrize("blank", ["", "   ", "\n\t "])
def test_each_text_is_required(field, blank):
    assert check_draft(replace(DRAFT, **{field: blank})) == {field: "stories.errors.required"}


@pytest.mark.parametrize("field", ["customer_need", "action_taken", "outcome"])
def test_a_text_may_be_as_long_as_the_limit_but_no_longer(field):
    assert check_draft(replace(DRAFT, **{field: "x" * TEXT_MAX})) == {}
    assert check_draft(replace(DRAFT, **{field: "x" * (TEXT_MAX + 1)})) == {
        field: "stories.errors.too_long"
    }


def test_the_limit_counts_characters_not_bytes():
    chinese = "客户导向" * (TEXT_MAX // 4)
    emoji = "🙂" * TEXT_MAX

    assert check_draft(replace(DRAFT, customer_need=chinese, outcome=emoji)) == {}


def test_surrounding_whitespace_does_not_count_towards_the_limit():
    assert check_draft(replace(DRAFT, outcome="  " + "x" * TEXT_MAX + "\n")) == {}


@pytest.mark.parametrize("touchpoint", [t.value for t in Touchpoint])
def test_every_touchpoint_is_accepted(touchpoint):
    assert check_draft(replace(DRAFT, touchpoint=touchpoint)) == {}


@pytest.mark.parametrize("touchpoint", ["", "fax", "PHONE"])
def test_an_unknown_touchpoint_is_refused(touchpoint):
    assert check_draft(replace(DRAFT, touchpoint=touchpoint)) == {
        "touchpoint": "stories.errors.touchpoint"
    }


def test_at_most_ten_people_are_in_a_story():
    ten = tuple(f"U{n:08d}" for n in range(MAX_PEOPLE))

    assert check_draft(replace(DRAFT, people=ten)) == {}
    assert check_draft(replace(DRAFT, people=(*ten, "U0ELEVEN1"))) == {
        "people": "stories.errors.too_many_people"
    }


def test_a_person_named_twice_counts_once():
    ten = tuple(f"U{n:08d}" for n in range(MAX_PEOPLE))

    assert check_draft(replace(DRAFT, people=(*ten, ten[0], " "))) == {}


def test_every_problem_is_reported_at_once():
    draft = replace(DRAFT, touchpoint="fax", customer_need="", outcome="x" * (TEXT_MAX + 1))

    assert check_draft(draft) == {
        "touchpoint": "stories.errors.touchpoint",
        "customer_need": "stories.errors.required",
        "outcome": "stories.errors.too_long",
    }
