"""Kudos rules decided without a database: weeks in the giver's zone, budgets, requests."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy.orm import Session

from bot.db.models import Workspace
from bot.domain.directory import Requester
from bot.domain.errors import DomainError
from bot.domain.kudos import (
    MAX_RECIPIENTS,
    REASON_MAX,
    SOURCE_KEY_MAX,
    KudosRequest,
    check_request,
    give_kudos,
    make_budget,
    points_per_kudos,
    source_keys,
    week_bounds,
    week_start,
    weekly_budget,
)

REQUEST = KudosRequest(
    recipients=("U0BOB0001",),
    reason="Stayed late to rebook a whole family.",
    value_tags=(),
    story_id=None,
    source_key="cmd:T1",
)


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


# --- weeks ----------------------------------------------------------------------------


def test_a_week_starts_on_the_monday_of_the_local_date():
    # Wednesday 2026-11-25
    assert week_start(utc(2026, 11, 25, 12), "UTC") == date(2026, 11, 23)


def test_monday_midnight_belongs_to_the_new_week_and_the_minute_before_to_the_old():
    assert week_start(utc(2026, 11, 23, 0, 0), "UTC") == date(2026, 11, 23)
    assert week_start(utc(2026, 11, 22, 23, 59), "UTC") == date(2026, 11, 16)


def test_the_same_instant_is_a_new_week_in_shanghai_and_last_week_in_new_york():
    # Sunday 20:00 UTC = Monday 04:00 in Shanghai, Sunday 15:00 in New York.
    instant = utc(2026, 11, 29, 20)

    assert week_start(instant, "Asia/Shanghai") == date(2026, 11, 30)
    assert week_start(instant, "America/New_York") == date(2026, 11, 23)


@pytest.mark.parametrize(
    ("instant", "tz", "week"),
    [
        # Stockholm springs forward on Sunday 2026-03-29: Monday 00:00 CEST is 22:00 UTC.
        (utc(2026, 3, 29, 21, 59), "Europe/Stockholm", date(2026, 3, 23)),
        (utc(2026, 3, 29, 22, 0), "Europe/Stockholm", date(2026, 3, 30)),
        # Stockholm falls back on Sunday 2026-10-25: Monday 00:00 CET is 23:00 UTC.
        (utc(2026, 10, 25, 22, 59), "Europe/Stockholm", date(2026, 10, 19)),
        (utc(2026, 10, 25, 23, 0), "Europe/Stockholm", date(2026, 10, 26)),
        # New York springs forward on Sunday 2026-03-08: Monday 00:00 EDT is 04:00 UTC.
        (utc(2026, 3, 9, 3, 59), "America/New_York", date(2026, 3, 2)),
        (utc(2026, 3, 9, 4, 0), "America/New_York", date(2026, 3, 9)),
        # New York falls back on Sunday 2026-11-01: Monday 00:00 EST is 05:00 UTC.
        (utc(2026, 11, 2, 4, 59), "America/New_York", date(2026, 10, 26)),
        (utc(2026, 11, 2, 5, 0), "America/New_York", date(2026, 11, 2)),
    ],
)
def test_the_week_turns_at_local_midnight_across_daylight_saving_changes(instant, tz, week):
    assert week_start(instant, tz) == week


def test_the_bounds_of_a_week_that_changes_the_clocks_are_local_midnights():
    start, end = week_bounds(date(2026, 10, 19), "Europe/Stockholm")

    assert start == utc(2026, 10, 18, 22)  # CEST, UTC+2
    assert end == utc(2026, 10, 25, 23)  # CET, UTC+1
    assert (end - start).total_seconds() == 7 * 24 * 3600 + 3600


def test_an_unknown_zone_counts_as_utc():
    assert week_start(utc(2026, 11, 22, 23), "Mars/Olympus_Mons") == date(2026, 11, 16)


def test_a_naive_moment_is_refused():
    with pytest.raises(ValueError):
        week_start(datetime(2026, 11, 23, 9), "UTC")


# --- budgets and weights --------------------------------------------------------------


def settings(**values: object) -> Workspace:
    defaults: dict[str, object] = {
        "weekly_budget": 10,
        "leader_weekly_budget": None,
        "leader_weight": 1,
    }
    return Workspace(**{**defaults, **values})


def test_everyone_has_the_weekly_budget_when_leaders_have_none_of_their_own():
    assert weekly_budget(settings(weekly_budget=7), is_leader=False) == 7
    assert weekly_budget(settings(weekly_budget=7), is_leader=True) == 7


def test_leaders_have_the_leader_budget_when_one_is_set():
    workspace = settings(weekly_budget=7, leader_weekly_budget=20)

    assert weekly_budget(workspace, is_leader=True) == 20
    assert weekly_budget(workspace, is_leader=False) == 7


def test_a_leaders_kudos_weighs_the_leader_weight_and_anyone_elses_one_point():
    workspace = settings(leader_weight=3)

    assert points_per_kudos(workspace, is_leader=True) == 3
    assert points_per_kudos(workspace, is_leader=False) == 1


def test_a_leader_weight_below_one_still_gives_a_point():
    assert points_per_kudos(settings(leader_weight=0), is_leader=True) == 1


def test_a_budget_resets_the_next_monday_and_never_shows_less_than_nothing_left():
    budget = make_budget(total=3, spent=5, week=date(2026, 11, 23))

    assert (budget.left, budget.resets_on) == (0, date(2026, 11, 30))


# --- requests -------------------------------------------------------------------------


def refusal(request: KudosRequest, giver: str = "U0ALICE01") -> DomainError:
    with pytest.raises(DomainError) as refused:
        check_request(request, giver)
    return refused.value


def test_a_complete_request_is_accepted():
    assert check_request(REQUEST, "U0ALICE01") is None


@pytest.mark.parametrize("recipients", [(), ("",), ("  ",)])
def test_kudos_need_someone_to_thank(recipients):
    request = KudosRequest(recipients, REQUEST.reason, (), None, "cmd:T1")

    assert refusal(request).key == "kudos.errors.no_recipient"


@pytest.mark.parametrize("reason", ["", "   ", "\n\x00 "])
def test_kudos_need_a_reason(reason):
    request = KudosRequest(REQUEST.recipients, reason, (), None, "cmd:T1")

    assert refusal(request).key == "kudos.errors.no_reason"


def test_a_reason_may_be_as_long_as_the_limit_but_no_longer():
    check_request(KudosRequest(("U0BOB0001",), "谢" * REASON_MAX, (), None, "k"), "U0ALICE01")

    error = refusal(KudosRequest(("U0BOB0001",), "x" * (REASON_MAX + 1), (), None, "k"))

    assert (error.key, error.params) == ("kudos.errors.reason_too_long", {"limit": REASON_MAX})


def test_one_kudos_thanks_at_most_the_limit_of_people_counted_once_each():
    crowd = tuple(f"U0PERSON{number:02d}" for number in range(MAX_RECIPIENTS))
    check_request(KudosRequest(crowd + crowd[:1], REQUEST.reason, (), None, "k"), "U0ALICE01")

    error = refusal(KudosRequest((*crowd, "U0ONEMORE1"), REQUEST.reason, (), None, "k"))

    assert (error.key, error.params) == (
        "kudos.errors.too_many_recipients",
        {"limit": MAX_RECIPIENTS},
    )


def test_the_modals_offer_no_more_than_the_rules_accept():
    """Slack enforces a modal's limits as people type: they are the domain's own."""
    from bot.domain.pulse import COMMENT_MAX
    from bot.domain.stories import MAX_PEOPLE, StoryDraft
    from bot.slack.views.kudos import kudos_modal
    from bot.slack.views.pulse import BallotRef, comment_modal
    from bot.slack.views.story_modal import ModalContext, story_modal

    def element(view: dict, kind: str) -> dict:
        return next(
            block["element"]
            for block in view["blocks"]
            if block.get("element", {}).get("type") == kind
        )

    kudos = kudos_modal("en", 1, (), [])
    draft = StoryDraft(people=(), touchpoint="", customer_need="", action_taken="", outcome="")
    story = story_modal("en", [], draft, ModalContext(), None)
    comment = comment_modal("en", BallotRef(1, "ballot"))

    assert element(kudos, "multi_users_select")["max_selected_items"] == MAX_RECIPIENTS
    assert element(kudos, "plain_text_input")["max_length"] == REASON_MAX
    assert element(story, "multi_users_select")["max_selected_items"] == MAX_PEOPLE
    assert element(comment, "plain_text_input")["max_length"] == COMMENT_MAX


def test_nobody_gives_kudos_to_themselves_even_among_others():
    request = KudosRequest(("U0BOB0001", "U0ALICE01"), REQUEST.reason, (), None, "cmd:T1")

    assert refusal(request).key == "kudos.errors.self"


def test_a_missing_reason_is_told_before_giving_to_yourself():
    request = KudosRequest(("U0ALICE01",), " ", (), None, "cmd:T1")

    assert refusal(request).key == "kudos.errors.no_reason"


def test_each_recipient_gets_their_own_key_from_the_slack_action():
    request = KudosRequest(("U0BOB0001", " U0CAROL01", "U0BOB0001"), "Thanks", (), None, "cmd:T9")

    assert source_keys(request) == {
        "U0BOB0001": "cmd:T9:U0BOB0001",
        "U0CAROL01": "cmd:T9:U0CAROL01",
    }


def test_a_source_key_too_long_for_the_ledger_is_refused_before_any_query():
    giver = Requester(
        workspace_id=1,
        team_id="T0DEMO001",
        member_id=1,
        user_id="U0ALICE01",
        locale="en",
        timezone="UTC",
        is_admin=False,
        is_leader=False,
        is_hr=False,
        profile_is_fresh=True,
    )
    request = KudosRequest(("U0BOB0001",), "Thanks", (), None, "x" * SOURCE_KEY_MAX)

    with pytest.raises(ValueError):
        give_kudos(Session(), giver, request, utc(2026, 11, 23))
