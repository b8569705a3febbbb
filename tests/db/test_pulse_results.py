"""Pulse results against hand-computed figures, and the K / differencing suppression."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.domain.errors import DomainError
from bot.domain.pulse import close_round, open_round
from bot.domain.pulse_results import OTHER_TEAMS_LABEL, WORKSPACE_LABEL, round_results
from tests.support.pulse_rounds import KEY, NOW, add_team, pulse_workspace, respondent
from tests.support.units import run

TEAM = "T0RESULTS"


@pytest.fixture
def workspace_id(sessions):
    return pulse_workspace(sessions, TEAM)


def close(sessions, workspace_id, pulse):
    run(sessions, close_round, workspace_id, pulse.id, pulse.closes_at, KEY)


def results(sessions, workspace_id, pulse):
    return run(sessions, round_results, workspace_id, pulse.id)


def test_means_favourable_shares_and_groups_by_hand(sessions, workspace_id):
    check_in = add_team(sessions, workspace_id, "Check-in")
    gate = add_team(sessions, workspace_id, "Gate")
    pulse = run(sessions, open_round, workspace_id, "2026-W48", NOW)
    # W48: meaning_1, meaning_2, meaning_3, one trust item.
    assert [q.dimension for q in pulse.questions] == ["meaning"] * 3 + ["trust"]
    for first in (5, 4, 2):
        respondent(sessions, pulse, check_in, [first, 3, 3, 1], comment=f"check-in {first}")
    for first in (3, 4, 5):
        respondent(sessions, pulse, gate, [first, 3, 3, 5])
    for _ in range(2):  # invited, never answered
        respondent(sessions, pulse, gate, [])
    close(sessions, workspace_id, pulse)

    got = results(sessions, workspace_id, pulse)

    assert (got.period, got.min_group, got.invited, got.responded) == ("2026-W48", 3, 8, 6)
    assert got.response_rate == pytest.approx(0.75)
    assert [g.label_key_or_name for g in got.groups] == [WORKSPACE_LABEL, "Check-in", "Gate"]
    assert [g.kind for g in got.groups] == ["workspace", "team", "team"]
    assert [g.respondents for g in got.groups] == [6, 3, 3]
    assert got.suppressed_teams == 0

    whole, ci, ga = got.groups
    q0 = whole.questions[0]
    # 5, 4, 2, 3, 4, 5: sum 23 over 6; favourable 5, 4, 4, 5 = 4 of 6.
    assert q0.mean == pytest.approx(23 / 6)
    assert q0.favourable_pct == pytest.approx(400 / 6)
    assert q0.distribution == (0, 1, 1, 2, 2)
    assert ci.questions[0].mean == pytest.approx(11 / 3)
    assert ci.questions[0].distribution == (0, 1, 0, 1, 1)
    assert ga.questions[0].mean == pytest.approx(4.0)
    assert ga.questions[0].favourable_pct == pytest.approx(200 / 3)
    # Meaning = mean of the item means (23/6, 3, 3) = 59/18; trust = (1*3 + 5*3) / 6.
    assert whole.dimensions == pytest.approx({"meaning": 59 / 18, "trust": 3.0})
    assert whole.questions[3].favourable_pct == pytest.approx(50.0)
    assert ci.dimensions["trust"] == pytest.approx(1.0)
    assert ga.dimensions["trust"] == pytest.approx(5.0)
    assert whole.enps is None
    # 6 respondents = 2K: the comments are shown, without order or dates.
    assert sorted(got.comments) == ["check-in 2", "check-in 4", "check-in 5"]


def test_enps_and_the_action_question_by_hand(sessions, workspace_id):
    pulse = run(sessions, open_round, workspace_id, "2026-W13", NOW)
    assert [q.key for q in pulse.questions][:2] == ["enps", "action"]
    for enps, action in zip((10, 9, 9, 7, 3), (1, 2, 3, 4, 5), strict=True):
        respondent(sessions, pulse, None, [enps, action, 4], comment="too few to show")
    close(sessions, workspace_id, pulse)

    got = results(sessions, workspace_id, pulse)

    (whole,) = got.groups
    enps = whole.questions[0]
    # Promoters 10, 9, 9 = 60 %; detractors 3 = 20 %: eNPS 40. Mean 38 / 5.
    assert whole.enps == pytest.approx(40.0)
    assert enps.mean == pytest.approx(7.6)
    assert enps.favourable_pct == pytest.approx(60.0)
    assert enps.distribution == (0, 0, 0, 1, 0, 0, 0, 1, 0, 2, 1)
    assert whole.questions[1].mean == pytest.approx(3.0)
    assert whole.questions[1].favourable_pct == pytest.approx(40.0)
    assert whole.dimensions == pytest.approx({"action": 3.0, "trust": 4.0})
    assert "enps" not in whole.dimensions
    assert got.comments is None  # 5 respondents < 2K


def test_a_team_below_k_is_not_revealed_by_subtraction(sessions, workspace_id):
    """A has 4, B has 3, C has 2 (K-1). Showing the workspace, A and B would reveal C as
    workspace - A - B, so B (the smallest shown team) is folded with C into "other teams"."""
    a = add_team(sessions, workspace_id, "A team")
    b = add_team(sessions, workspace_id, "B team")
    c = add_team(sessions, workspace_id, "C team")
    pulse = run(sessions, open_round, workspace_id, "2026-W48", NOW)
    for _ in range(4):
        respondent(sessions, pulse, a, [5, 5, 5, 5])
    for _ in range(3):
        respondent(sessions, pulse, b, [3, 3, 3, 3])
    for _ in range(2):
        respondent(sessions, pulse, c, [1, 1, 1, 1])
    close(sessions, workspace_id, pulse)

    got = results(sessions, workspace_id, pulse)

    assert [(g.label_key_or_name, g.respondents) for g in got.groups] == [
        (WORKSPACE_LABEL, 9),
        ("A team", 4),
        (OTHER_TEAMS_LABEL, 5),
    ]
    assert got.suppressed_teams == 2
    other = got.groups[2]
    # B and C together: 3, 3, 3, 1, 1 -> 11 / 5; nothing shows C alone.
    assert other.questions[0].mean == pytest.approx(11 / 5)
    assert other.questions[0].distribution == (2, 0, 3, 0, 0)
    assert got.groups[0].questions[0].mean == pytest.approx((20 + 9 + 2) / 9)
    # Every difference of shown groups is at least K people.
    whole, only_a, rest = (g.respondents for g in got.groups)
    assert whole - only_a >= 3 and whole - rest >= 3


def test_a_question_few_answered_in_one_team_is_shown_for_no_group(sessions, workspace_id):
    """Both teams have K respondents on question 1, but only one person in B answered the
    rest. Showing those questions for the workspace and for A would give B's single answer
    by subtraction, so they are shown for nobody."""
    a = add_team(sessions, workspace_id, "A team")
    b = add_team(sessions, workspace_id, "B team")
    pulse = run(sessions, open_round, workspace_id, "2026-W48", NOW)
    for _ in range(3):
        respondent(sessions, pulse, a, [4, 4, 4, 4])
    respondent(sessions, pulse, b, [2, 1, 1, 1])
    for _ in range(2):
        respondent(sessions, pulse, b, [2])
    close(sessions, workspace_id, pulse)

    got = results(sessions, workspace_id, pulse)

    first = pulse.questions[0].id
    assert [g.label_key_or_name for g in got.groups] == [WORKSPACE_LABEL, "A team", "B team"]
    for group in got.groups:
        assert [q.question_id for q in group.questions] == [first]


def test_nothing_is_shown_below_k_and_nothing_while_the_round_is_open(sessions, workspace_id):
    pulse = run(sessions, open_round, workspace_id, "2026-W48", NOW)
    for _ in range(2):
        respondent(sessions, pulse, None, [4, 4, 4, 4], comment="hello")

    with pytest.raises(DomainError) as refused:
        results(sessions, workspace_id, pulse)
    assert refused.value.key == "pulse.errors.still_open"

    close(sessions, workspace_id, pulse)
    got = results(sessions, workspace_id, pulse)

    assert got.groups == ()
    assert got.comments is None
    assert (got.invited, got.responded) == (2, 2)
    with pytest.raises(DomainError):
        run(sessions, round_results, workspace_id + 1, pulse.id)


def test_the_trend_lists_earlier_closed_rounds_with_at_least_k(sessions, workspace_id):
    rounds = {}
    for offset, (period, people, value) in enumerate(
        [("2026-W45", 3, 2), ("2026-W46", 2, 5), ("2026-W47", 4, 4)]
    ):
        opened = NOW - timedelta(weeks=3 - offset)
        pulse = run(sessions, open_round, workspace_id, period, opened)
        for _ in range(people):
            respondent(sessions, pulse, None, [value] * 4, now=opened)
        close(sessions, workspace_id, pulse)
        rounds[period] = pulse
    current = run(sessions, open_round, workspace_id, "2026-W48", NOW)
    for _ in range(3):
        respondent(sessions, current, None, [3] * 4)
    close(sessions, workspace_id, current)

    trend = results(sessions, workspace_id, current).trend

    assert [(p.period, p.respondents) for p in trend] == [("2026-W45", 3), ("2026-W47", 4)]
    assert trend[0].dimensions == pytest.approx(
        {dimension: 2.0 for dimension in {q.dimension for q in rounds["2026-W45"].questions}}
    )
    assert set(trend[1].dimensions.values()) == {4.0}
