"""The dump attacker of tests/support/linkage.py finds a link when there is one, and only
then: the pulse dump tests are worth only as much as this detector."""

from __future__ import annotations

import random

from tests.support.linkage import WIDTHS, Ordering, agreement, linkage_report

PEOPLE = list(range(100, 125))
QUESTIONS = (1, 2, 3, 4, 5)


def random_truth(rng: random.Random) -> dict[int, dict[object, object]]:
    return {person: {q: rng.randint(1, 5) for q in QUESTIONS} for person in PEOPLE}


def answers_in_order(truth, people):
    return tuple((q, truth[person][q]) for q in QUESTIONS for person in people)


def test_answers_stored_in_the_order_people_answered_are_linked():
    rng = random.Random(1)
    truth = random_truth(rng)
    clicked = rng.sample(PEOPLE, len(PEOPLE))

    links, tried = linkage_report(
        [Ordering("answers by rowid", answers_in_order(truth, clicked))],
        [Ordering("members by synced_at", tuple(clicked))],
        truth,
        rng,
    )

    assert tried == len(WIDTHS)
    exact = [link for link in links if link.width == 0]
    assert [(link.answers, link.people) for link in exact] == [
        ("answers by rowid", "members by synced_at")
    ]
    assert exact[0].score == len(PEOPLE) * len(QUESTIONS)


def test_half_a_leak_is_still_a_leak():
    rng = random.Random(2)
    truth = random_truth(rng)
    clicked = rng.sample(PEOPLE, len(PEOPLE))
    half = len(PEOPLE) // 2
    stored = clicked[:half] + rng.sample(clicked[half:], len(PEOPLE) - half)

    links, _ = linkage_report(
        [Ordering("answers", answers_in_order(truth, stored))],
        [Ordering("people", tuple(clicked))],
        truth,
        rng,
    )

    assert links


def test_an_order_only_roughly_kept_is_still_a_leak():
    """Rows moved a few places (an update, a page filled out of turn) break the exact
    line-up after the first move; the wider ones still see the order."""
    rng = random.Random(5)
    truth = random_truth(rng)
    clicked = rng.sample(PEOPLE, len(PEOPLE))
    stored = sorted(clicked, key=lambda p: clicked.index(p) + rng.randint(-3, 3))

    links, _ = linkage_report(
        [Ordering("answers", answers_in_order(truth, stored))],
        [Ordering("people", tuple(clicked))],
        truth,
        rng,
    )

    assert {link.width for link in links} - {0}


def test_a_reversed_order_is_read_both_ways():
    rng = random.Random(3)
    truth = random_truth(rng)
    clicked = rng.sample(PEOPLE, len(PEOPLE))
    stored = answers_in_order(truth, clicked[::-1])

    links, _ = linkage_report(
        [Ordering("answers asc", stored), Ordering("answers desc", stored[::-1])],
        [Ordering("people", tuple(clicked))],
        truth,
        rng,
    )

    assert {link.answers for link in links} == {"answers desc"}


def test_shuffled_answers_link_nobody():
    rng = random.Random(4)
    for _ in range(20):
        truth = random_truth(rng)
        clicked = rng.sample(PEOPLE, len(PEOPLE))
        stored = answers_in_order(truth, rng.sample(PEOPLE, len(PEOPLE)))

        links, _ = linkage_report(
            [Ordering("answers", stored)], [Ordering("people", tuple(clicked))], truth, rng
        )

        assert links == []


def test_agreement_counts_values_the_paired_person_really_gave():
    truth = {1: {"q": 5}, 2: {"q": 3}}

    assert agreement((("q", 5), ("q", 3)), (1, 2), truth) == 2
    assert agreement((("q", 5), ("q", 3)), (2, 1), truth) == 0
    assert agreement((("q", 5),), (1, 2), truth) == 1
    assert agreement((("q", 5), ("q", 3)), (2, 1), truth, width=1) == 2
