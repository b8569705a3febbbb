"""Cutting a round's answers into the groups that may be shown, without a database: the
trend asks for the workspace's group alone, and must get exactly the group (and the
questions released for it) that the full cut gives, whatever the teams."""

from __future__ import annotations

import random

from bot.db.models import PulseQuestion
from bot.domain.pulse_bank import AGREE5, NPS11
from bot.domain.pulse_results import Answer, cut_groups

K = 3
QUESTIONS = [
    PulseQuestion(id=1, key="q1", dimension="meaning", scale=AGREE5, text_en="", text_zh=""),
    PulseQuestion(id=2, key="q2", dimension="trust", scale=AGREE5, text_en="", text_zh=""),
    PulseQuestion(id=3, key="q3", dimension="enps", scale=NPS11, text_en="", text_zh=""),
]
NAMES = {1: "Gate", 2: "Cabin", 3: "Care"}


def answers(team_sizes: dict[int, int], skipping: int, seed: int) -> list[Answer]:
    """Everyone answers the first question; `skipping` people skip the second (so its
    counts differ from the first's, and differencing may hold it back)."""
    rng = random.Random(seed)
    given: list[Answer] = []
    person = 0
    for team, size in team_sizes.items():
        for _ in range(size):
            given.append((1, rng.randint(1, 5), team))
            if person >= skipping:
                given.append((2, rng.randint(1, 5), team))
            given.append((3, rng.randint(0, 10), team))
            person += 1
    return given


def test_the_workspace_alone_is_the_same_group_the_full_cut_gives():
    cases = [
        ({1: 5, 2: 4, 3: 6}, 0),
        ({1: 3, 2: 3, 0: 2}, 1),  # the rest of the workspace (no team) below K
        ({1: 8, 2: 1}, 2),  # a team below K folds; skips hold the second question back
        ({1: 2}, 0),  # the whole workspace below K: nothing at all
    ]
    for seed, (sizes, skipping) in enumerate(cases):
        given = answers(sizes, skipping, seed)

        full, full_suppressed = cut_groups(QUESTIONS, given, K, NAMES)
        alone, alone_suppressed = cut_groups(QUESTIONS, given, K, NAMES, workspace_only=True)

        assert alone == full[:1], sizes
        assert alone_suppressed == full_suppressed
    assert len(cut_groups(QUESTIONS, answers({1: 5, 2: 4, 3: 6}, 0, 0), K, NAMES)[0]) > 1
