"""Pulse rules that need no database: the bank, the rotation, periods and response keys."""

from __future__ import annotations

import hashlib
import hmac
from collections import Counter
from datetime import UTC, date, datetime

import pytest

from bot.domain.ballots import (
    BallotBoxSealed,
    SealedAnswer,
    SealedComment,
    ballot_check,
    ballot_matches,
    new_ballot,
    response_key,
    seal,
    unseal,
)
from bot.domain.pulse import iso_period, parse_period
from bot.domain.pulse_bank import (
    BANK,
    BANK_BY_KEY,
    EMPOWERMENT_DIMENSIONS,
    SCALES,
    TRUST_KEYS,
    plan_for_week,
    quarter_week,
)


def test_the_bank_holds_spreitzer_trust_enps_and_action_in_both_languages():
    dimensions = Counter(question.dimension for question in BANK)

    assert dimensions == {
        "meaning": 3,
        "competence": 3,
        "self_determination": 3,
        "impact": 3,
        "trust": 4,
        "enps": 1,
        "action": 1,
    }
    assert len(BANK_BY_KEY) == len(BANK)
    assert all(len(question.key) <= 64 for question in BANK)
    assert all(question.text_en and question.text_zh for question in BANK)
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in q.text_zh) for q in BANK)
    assert BANK_BY_KEY["enps"].scale == "nps11"
    assert BANK_BY_KEY["action"].scale == "agree5"
    assert BANK_BY_KEY["meaning_1"].text_en == "The work I do is very important to me."
    assert {q.scale for q in BANK} <= set(SCALES)


def test_scales_have_a_label_for_every_value():
    assert SCALES["agree5"].values == (1, 2, 3, 4, 5)
    assert SCALES["nps11"].values == tuple(range(11))
    for scale in SCALES.values():
        assert len(scale.labels_en) == len(scale.values) == len(scale.labels_zh)


def weeks_of(year: int) -> list[int]:
    return list(range(1, date(year, 12, 28).isocalendar()[1] + 1))


@pytest.mark.parametrize("year", [2026, 2027])
def test_every_week_asks_three_to_five_known_questions(year):
    for week in weeks_of(year):
        plan = plan_for_week(year, week)

        assert 3 <= len(plan) <= 5, (week, plan)
        assert len(set(plan)) == len(plan)
        assert all(key in BANK_BY_KEY for key in plan)


def test_a_quarter_covers_every_dimension_three_times_and_ends_with_enps_and_action():
    for quarter in range(4):
        weeks = range(quarter * 13 + 1, quarter * 13 + 14)
        plans = [plan_for_week(2026, week) for week in weeks]
        asked = Counter(BANK_BY_KEY[key].dimension for plan in plans for key in plan)

        for dimension in EMPOWERMENT_DIMENSIONS:
            assert asked[dimension] == 9  # 3 weeks x 3 items
        assert plans[-1][:2] == ["enps", "action"]
        assert all("enps" not in plan for plan in plans[:-1])
        trust = Counter(key for plan in plans[:-1] for key in plan if key in TRUST_KEYS)
        assert trust == {key: 3 for key in TRUST_KEYS}


def test_each_ordinary_week_is_one_whole_dimension_plus_one_trust_item():
    for week in [w for w in weeks_of(2026) if w % 13 and w != 53]:
        plan = plan_for_week(2026, week)
        dimensions = {BANK_BY_KEY[key].dimension for key in plan[:3]}

        assert len(plan) == 4
        assert len(dimensions) == 1 and dimensions <= set(EMPOWERMENT_DIMENSIONS)
        assert plan[3] in TRUST_KEYS


def test_quarter_ends_are_weeks_13_26_39_52_and_53_folds_into_52():
    ends = [week for week in range(1, 54) if quarter_week(week)[1] == 13]

    assert ends == [13, 26, 39, 52, 53]
    assert plan_for_week(2026, 53)[:2] == ["enps", "action"]
    assert quarter_week(1) == (0, 1)
    assert quarter_week(14) == (1, 1)
    with pytest.raises(ValueError):
        quarter_week(54)


def test_iso_period_uses_the_given_time_zone():
    # Sunday 29 Nov 2026 23:30 UTC is already Monday 30 Nov (week 49) in Shanghai.
    moment = datetime(2026, 11, 29, 23, 30, tzinfo=UTC)

    assert iso_period(moment, "UTC") == "2026-W48"
    assert iso_period(moment, "Asia/Shanghai") == "2026-W49"
    assert iso_period(moment, "Not/AZone") == "2026-W48"
    assert iso_period(datetime(2027, 1, 1, tzinfo=UTC), "UTC") == "2026-W53"


def test_periods_parse_back():
    assert parse_period("2026-W48") == (2026, 48)
    for bad in ("2026-48", "2026-W54", "W48", "2026-Wxx"):
        with pytest.raises(ValueError):
            parse_period(bad)


def test_response_key_is_the_hmac_of_secret_and_question():
    expected = hmac.new(b"server", b"s3cret:42", hashlib.sha256).hexdigest()

    assert response_key("server", "s3cret", 42) == expected
    assert response_key("server", "s3cret", "42") == expected
    assert len(expected) == 64
    assert response_key("server", "s3cret", "comment") != expected
    assert response_key("other", "s3cret", 42) != expected


def test_a_ballot_matches_only_its_own_check_under_the_same_key():
    ballot = new_ballot()
    check = ballot_check("server", ballot)

    assert ballot_matches("server", ballot, check)
    assert not ballot_matches("server", new_ballot(), check)  # made up
    assert not ballot_matches("server", ballot[:-1] + ("A" if ballot[-1] != "A" else "B"), check)
    assert not ballot_matches("other", ballot, check)
    assert check != response_key("server", ballot, 0)  # the check opens no answer


def test_a_seal_opens_only_with_its_key_and_on_its_own_row():
    answer = SealedAnswer(question_id=3, value=4, team_id=9)
    comment = SealedComment(text="Trust the gate team 信任", team_id=None)
    sealed = seal("server", 7, "k1", answer)

    assert unseal("server", 7, "k1", sealed) == answer
    assert unseal("server", 7, "k2", seal("server", 7, "k2", comment)) == comment
    assert seal("server", 7, "k1", answer) != sealed  # a fresh nonce each time
    assert len(sealed) == len(seal("server", 7, "k2", comment))  # one size bucket
    for key, row, label in (("other", 7, "k1"), ("server", 8, "k1"), ("server", 7, "k2")):
        with pytest.raises(BallotBoxSealed):
            unseal(key, row, label, sealed)


def test_invite_secrets_are_long_and_fresh():
    secrets = {new_ballot() for _ in range(50)}

    assert len(secrets) == 50
    assert all(len(secret) >= 43 for secret in secrets)
