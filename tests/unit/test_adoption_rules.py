"""The adoption curve's rules: the 5% / 20% / 80% milestones, and teams shown only where
no group of fewer than K can be read off, not even by subtraction."""

from __future__ import annotations

import random

import pytest

from bot.domain.adoption import Stage, WeekActivity, WeekAdoption, adoption_curves, stage
from bot.domain.groups import shown_groups

K = 5


@pytest.mark.parametrize(
    ("share", "expected"),
    [
        (0.0, Stage.NOT_STARTED),
        (0.049, Stage.NOT_STARTED),
        (0.05, Stage.INNOVATORS),
        (0.199, Stage.INNOVATORS),
        (0.20, Stage.EARLY_ADOPTERS),
        (0.799, Stage.EARLY_ADOPTERS),
        (0.80, Stage.MAJORITY),
        (1.0, Stage.MAJORITY),
    ],
)
def test_the_milestones_are_carlzons_5_20_and_80_percent(share, expected):
    assert stage(share) == expected


def test_a_week_with_nobody_active_has_a_share_of_nothing():
    assert WeekAdoption("2026-W48", 0, 0).share == 0.0


def week(period: str, teams: dict[int | None, int], took_part: set[int]) -> WeekActivity:
    """A week with `teams[t]` active members in team t, numbered from 1 in team order."""
    team_of: dict[int, int | None] = {}
    for team, size in teams.items():
        for _ in range(size):
            team_of[len(team_of) + 1] = team
    return WeekActivity(period, team_of, took_part)


def test_the_workspace_share_counts_only_active_members():
    guests_and_former = {1001, 1002}  # took part, but are not active members

    workspace, only_team = adoption_curves(
        [week("2026-W48", {1: 10}, {1, 2} | guests_and_former)], K
    )

    assert workspace.latest == WeekAdoption("2026-W48", 10, 2)
    assert workspace.latest.stage == Stage.EARLY_ADOPTERS
    assert only_team.latest == workspace.latest, "a team that is the whole shows the same"


def test_a_workspace_below_k_shows_no_curve_at_all():
    curves = adoption_curves([week("2026-W48", {1: 2, None: 2}, {1})], K)

    assert [curve.weeks for curve in curves] == [(None,)]


def test_teams_of_k_or_more_are_shown_and_a_smaller_one_folds_into_the_rest():
    curves = adoption_curves([week("2026-W48", {1: 6, 2: 5, 3: 5, 4: 5}, set(range(1, 10)))], K)

    assert [curve.team_id for curve in curves] == [None, 1, 2, 3, 4]
    assert curves[1].latest == WeekAdoption("2026-W48", 6, 6)
    assert curves[2].latest == WeekAdoption("2026-W48", 5, 3)


def test_one_small_team_alone_would_be_the_whole_minus_the_others_so_one_more_folds():
    # Team 3 (2 people) is hidden; the workspace minus teams 1 and 2 would be team 3 alone,
    # so the smallest shown team folds in with it.
    curves = adoption_curves([week("2026-W48", {1: 7, 2: 5, 3: 2}, {13, 14})], K)

    assert [curve.team_id for curve in curves] == [None, 1]


def test_a_team_that_grows_past_k_joins_the_curve_with_the_earlier_weeks_empty():
    weeks = [
        week("2026-W47", {1: 6, 2: 3, None: 2}, {1}),
        week("2026-W48", {1: 6, 2: 5}, {1, 7}),
    ]

    curves = {curve.team_id: curve for curve in adoption_curves(weeks, K)}

    assert curves[2].weeks == (None, WeekAdoption("2026-W48", 5, 1))
    assert curves[1].weeks[0] == WeekAdoption("2026-W47", 6, 1)


def test_no_group_below_k_can_be_read_off_any_week_as_an_attacker_would():
    """Random workspaces: for every week, each shown team has at least K active members,
    and the whole minus the shown teams (what subtraction reveals) is empty or at least
    K. Reading the shares does not help either: they are of these same groups."""
    generator = random.Random(20261204)
    for _ in range(500):
        sizes = {team: generator.randint(0, 9) for team in range(1, generator.randint(2, 7))}
        sizes[None] = generator.randint(0, 4)
        activity = week("2026-W48", sizes, set(range(1, 60, generator.randint(1, 4))))

        curves = adoption_curves([activity], K)

        shown = [curve.latest for curve in curves[1:] if curve.latest is not None]
        whole = curves[0].latest
        if whole is None:
            assert len(curves) == 1 and len(activity.team_of) < K
            continue
        assert all(team.active >= K for team in shown)
        rest = whole.active - sum(team.active for team in shown)
        assert rest == 0 or rest >= K, (sizes, [team.active for team in shown])


def test_shown_groups_keeps_what_is_safe_and_nothing_that_is_not_eligible():
    sizes = {0: 3, 1: 5, 2: 8}

    assert shown_groups(sizes, K, eligible={1, 2}) == {2}  # 0 + 1 = 8 >= K once 1 folds
    assert shown_groups({0: 0, 1: 5, 2: 8}, K, eligible={1, 2}) == {1, 2}
    assert shown_groups({1: 9}, K, eligible=()) == set()
