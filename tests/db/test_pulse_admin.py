"""Admins shape the pulse: switch questions off, add their own, and see the plan."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.db.engine import unit_of_work
from bot.domain.directory import Profile, WorkspaceDefaults, register_requester
from bot.domain.errors import DomainError
from bot.domain.pulse import open_round
from bot.domain.pulse_admin import (
    add_question,
    plan_question_ids,
    set_question_active,
    upcoming_plan,
    workspace_questions,
)
from tests.support.units import run

NOW = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)  # 2026-W48: a "meaning" week
DEFAULTS = WorkspaceDefaults(admins=("U0ADMIN01",))


def person(sessions, user_id):
    with unit_of_work(sessions) as session:
        return register_requester(session, "T0PULSE01", Profile(user_id), DEFAULTS, NOW)


@pytest.fixture
def admin(sessions):
    return person(sessions, "U0ADMIN01")


def keys_of(sessions, admin, ids):
    by_id = {q.id: q.key for q in run(sessions, workspace_questions, admin)}
    return [by_id[i] for i in ids]


def test_the_plan_follows_the_rotation_until_an_admin_changes_it(sessions, admin):
    plan = run(sessions, upcoming_plan, admin, NOW)

    assert [week.period for week in plan] == ["2026-W48", "2026-W49", "2026-W50", "2026-W51"]
    assert keys_of(sessions, admin, plan[0].question_ids)[:3] == [
        "meaning_1",
        "meaning_2",
        "meaning_3",
    ]


def test_a_switched_off_question_leaves_the_rotation(sessions, admin):
    questions = {q.key: q.id for q in run(sessions, workspace_questions, admin)}

    run(sessions, set_question_active, admin, questions["meaning_2"], False)

    week = run(sessions, upcoming_plan, admin, NOW)[0]
    assert questions["meaning_2"] not in week.question_ids
    assert questions["meaning_1"] in week.question_ids


def test_custom_questions_fill_the_week_up_to_five(sessions, admin):
    run(sessions, workspace_questions, admin)  # the built-in bank is in place
    first = run(
        sessions, add_question, admin, "I can fix a problem myself", "我可以自己解决问题", "agree5"
    )
    second = run(sessions, add_question, admin, "Rostering works for me", "排班适合我", "agree5")

    week = run(sessions, plan_question_ids, admin.workspace_id, 2026, 48)

    assert len(week) == 5
    assert len({first, second} & set(week)) == 1, "one place left this week; they take turns"
    next_week = run(sessions, plan_question_ids, admin.workspace_id, 2026, 49)
    assert ({first, second} & set(week)) != ({first, second} & set(next_week))


def test_a_new_round_asks_the_admins_question(sessions, admin):
    added = run(sessions, add_question, admin, "Rostering works for me", "排班适合我", "agree5")

    opened = run(sessions, open_round, admin.workspace_id, "2026-W48", NOW)

    assert added in [question.id for question in opened.questions]


@pytest.mark.parametrize(
    ("text_en", "text_zh", "scale", "key"),
    [
        ("Only English", "", "agree5", "pulse.errors.both_languages"),
        ("x" * 301, "问题", "agree5", "pulse.errors.question_too_long"),
        ("Question", "问题", "stars", "pulse.errors.bad_scale"),
    ],
)
def test_a_question_must_be_complete(sessions, admin, text_en, text_zh, scale, key):
    with pytest.raises(DomainError) as refused:
        run(sessions, add_question, admin, text_en, text_zh, scale)

    assert refused.value.key == key


def test_only_admins_change_the_pulse(sessions, admin):
    member = person(sessions, "U0MEMBER1")

    with pytest.raises(DomainError) as refused:
        run(sessions, add_question, member, "Question", "问题", "agree5")

    assert refused.value.key == "pulse.errors.admins_only"
