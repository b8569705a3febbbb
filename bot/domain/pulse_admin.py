"""How admins shape the pulse: their own questions, and which questions are asked at all.

The rotation (pulse_bank.plan_for_week) stays the backbone so that the empowerment
scales stay comparable week to week. Admins can switch any question off (it leaves the
rotation) and add their own questions, in both languages; custom questions fill the
places left up to five questions a week, taking turns when there are more of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.db.models import PulseQuestion
from bot.domain.directory import Requester
from bot.domain.errors import DomainError
from bot.domain.pulse_bank import SCALES, ensure_bank, plan_for_week, question_ids_by_key

MAX_QUESTIONS_PER_WEEK = 5
MAX_QUESTION_LENGTH = 300
CUSTOM_DIMENSION = "custom"


@dataclass(frozen=True)
class QuestionRow:
    id: int
    key: str
    dimension: str
    scale: str
    text_en: str
    text_zh: str
    is_builtin: bool
    is_active: bool


@dataclass(frozen=True)
class PlannedWeek:
    period: str
    question_ids: tuple[int, ...]


def plan_question_ids(
    session: Session, workspace_id: int, iso_year: int, iso_week: int
) -> list[int]:
    """The questions a round in this ISO week asks: the active rotation, then custom ones."""
    ids = question_ids_by_key(session, workspace_id)
    rotation = [ids[key] for key in plan_for_week(iso_year, iso_week) if key in ids]
    custom = list(
        session.scalars(
            select(PulseQuestion.id)
            .where(
                PulseQuestion.workspace_id == workspace_id,
                PulseQuestion.is_builtin.is_(False),
                PulseQuestion.is_active.is_(True),
            )
            .order_by(PulseQuestion.id)
        )
    )
    places = min(len(custom), max(0, MAX_QUESTIONS_PER_WEEK - len(rotation)))
    start = (iso_year * 53 + iso_week) * places
    return rotation + [custom[(start + i) % len(custom)] for i in range(places)]


def upcoming_plan(
    session: Session, requester: Requester, now: datetime, weeks: int = 4
) -> list[PlannedWeek]:
    _require_admin(requester)
    ensure_bank(session, requester.workspace_id)
    planned = []
    for offset in range(weeks):
        year, week, _ = (now + timedelta(weeks=offset)).isocalendar()
        ids = plan_question_ids(session, requester.workspace_id, year, week)
        planned.append(PlannedWeek(f"{year}-W{week:02d}", tuple(ids)))
    return planned


def workspace_questions(session: Session, requester: Requester) -> list[QuestionRow]:
    _require_admin(requester)
    ensure_bank(session, requester.workspace_id)
    rows = session.scalars(
        select(PulseQuestion)
        .where(PulseQuestion.workspace_id == requester.workspace_id)
        .order_by(PulseQuestion.is_builtin.desc(), PulseQuestion.id)
    )
    return [
        QuestionRow(
            q.id, q.key, q.dimension, q.scale, q.text_en, q.text_zh, q.is_builtin, q.is_active
        )
        for q in rows
    ]


def add_question(
    session: Session, requester: Requester, text_en: str, text_zh: str, scale: str
) -> int:
    """A workspace question of the admin's own, asked in both languages."""
    _require_admin(requester)
    text_en, text_zh = text_en.strip(), text_zh.strip()
    if not text_en or not text_zh:
        raise DomainError("pulse.errors.both_languages")
    if max(len(text_en), len(text_zh)) > MAX_QUESTION_LENGTH:
        raise DomainError("pulse.errors.question_too_long", max=MAX_QUESTION_LENGTH)
    if scale not in SCALES:
        raise DomainError("pulse.errors.bad_scale")
    count = session.scalar(
        select(func.count())
        .select_from(PulseQuestion)
        .where(
            PulseQuestion.workspace_id == requester.workspace_id,
            PulseQuestion.is_builtin.is_(False),
        )
    )
    question = PulseQuestion(
        workspace_id=requester.workspace_id,
        key=f"custom_{(count or 0) + 1}",
        dimension=CUSTOM_DIMENSION,
        scale=scale,
        text_en=text_en,
        text_zh=text_zh,
        is_builtin=False,
        is_active=True,
    )
    session.add(question)
    session.flush()
    return question.id


def set_question_active(
    session: Session, requester: Requester, question_id: int, active: bool
) -> None:
    """Switch a question on or off for rounds opened from now on (open rounds keep theirs)."""
    _require_admin(requester)
    question = session.get(PulseQuestion, question_id)
    if question is None or question.workspace_id != requester.workspace_id:
        raise DomainError("pulse.errors.unknown_question")
    question.is_active = active
    session.flush()


def _require_admin(requester: Requester) -> None:
    if not requester.is_admin:
        raise DomainError("pulse.errors.admins_only")
