"""The pulse's built-in question bank (English and Simplified Chinese) and its weekly rotation.

Empowerment is measured with Spreitzer's (1995) psychological empowerment scale: 12
items, 3 for each of 4 dimensions (meaning, competence, self-determination, impact).
Beside it: four trust items (trust in leaders, and the moment-of-truth question of being
trusted to decide on the spot), the employee Net Promoter question (0-10) and the
question whether anything will be done with the results.

Question keys are stable: answers point at the question row, and a workspace keeps its
rows across releases. Texts may be corrected; keys never change meaning.

Rotation (`plan_for_week`): a quarter is 13 ISO weeks (weeks 1-13, 14-26, 27-39, 40-52;
week 53 folds into the last quarter's week 13). Weeks 1-12 of a quarter each ask one
whole empowerment dimension (3 items) plus one trust item, cycling meaning, competence,
self-determination, impact, so each dimension comes three times a quarter and each trust
item three times a quarter. Week 13 asks the eNPS question, the action question and one
trust item. Every week therefore asks 3 or 4 questions.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.db.insert import insert_missing
from bot.db.models import PulseQuestion

AGREE5 = "agree5"
NPS11 = "nps11"

EMPOWERMENT_DIMENSIONS: tuple[str, ...] = ("meaning", "competence", "self_determination", "impact")
TRUST = "trust"
ENPS = "enps"
ACTION = "action"

WEEKS_PER_QUARTER = 13


@dataclass(frozen=True)
class Scale:
    key: str
    values: tuple[int, ...]
    labels_en: tuple[str, ...]
    """One label per value (for nps11 only the ends carry words; the rest are numbers)."""
    labels_zh: tuple[str, ...]
    favourable: tuple[int, ...]
    """The values counted as a favourable answer."""


_NUMBERS = tuple(str(n) for n in range(1, 10))

SCALES: dict[str, Scale] = {
    AGREE5: Scale(
        key=AGREE5,
        values=(1, 2, 3, 4, 5),
        labels_en=("Strongly disagree", "Disagree", "Neutral", "Agree", "Strongly agree"),
        labels_zh=("非常不同意", "不同意", "中立", "同意", "非常同意"),
        favourable=(4, 5),
    ),
    NPS11: Scale(
        key=NPS11,
        values=tuple(range(11)),
        labels_en=("0 - Not at all likely", *_NUMBERS, "10 - Extremely likely"),
        labels_zh=("0 - 完全不可能", *_NUMBERS, "10 - 非常可能"),
        favourable=(9, 10),
    ),
}


@dataclass(frozen=True)
class BankQuestion:
    key: str
    dimension: str
    scale: str
    text_en: str
    text_zh: str


BANK: tuple[BankQuestion, ...] = (
    # Spreitzer (1995): meaning
    BankQuestion(
        "meaning_1",
        "meaning",
        AGREE5,
        "The work I do is very important to me.",
        "我所做的工作对我来说非常重要。",
    ),
    BankQuestion(
        "meaning_2",
        "meaning",
        AGREE5,
        "My job activities are personally meaningful to me.",
        "我的工作内容对我个人而言很有意义。",
    ),
    BankQuestion(
        "meaning_3",
        "meaning",
        AGREE5,
        "The work I do is meaningful to me.",
        "我所做的工作对我来说是有意义的。",
    ),
    # competence
    BankQuestion(
        "competence_1",
        "competence",
        AGREE5,
        "I am confident about my ability to do my job.",
        "我对自己做好本职工作的能力充满信心。",
    ),
    BankQuestion(
        "competence_2",
        "competence",
        AGREE5,
        "I am self-assured about my capabilities to perform my work activities.",
        "我确信自己有能力完成各项工作任务。",
    ),
    BankQuestion(
        "competence_3",
        "competence",
        AGREE5,
        "I have mastered the skills necessary for my job.",
        "我已经掌握了工作所需的各项技能。",
    ),
    # self-determination
    BankQuestion(
        "self_determination_1",
        "self_determination",
        AGREE5,
        "I have significant autonomy in determining how I do my job.",
        "在决定如何开展工作方面，我有很大的自主权。",
    ),
    BankQuestion(
        "self_determination_2",
        "self_determination",
        AGREE5,
        "I can decide on my own how to go about doing my own work.",
        "我可以自己决定如何完成我的工作。",
    ),
    BankQuestion(
        "self_determination_3",
        "self_determination",
        AGREE5,
        "I have considerable opportunity for independence and freedom in how I do my job.",
        "在如何开展工作方面，我有相当多独立行事和自由发挥的机会。",
    ),
    # impact
    BankQuestion(
        "impact_1",
        "impact",
        AGREE5,
        "My impact on what happens in my department is large.",
        "我对部门里发生的事情影响很大。",
    ),
    BankQuestion(
        "impact_2",
        "impact",
        AGREE5,
        "I have a great deal of control over what happens in my department.",
        "我对部门里发生的事情有很大的掌控力。",
    ),
    BankQuestion(
        "impact_3",
        "impact",
        AGREE5,
        "I have significant influence over what happens in my department.",
        "我对部门里发生的事情有重要的影响力。",
    ),
    # trust
    BankQuestion(
        "trust_supervisor",
        TRUST,
        AGREE5,
        "I have trust and confidence in my supervisor.",
        "我信任我的直属上级，并对其有信心。",
    ),
    BankQuestion(
        "trust_integrity",
        TRUST,
        AGREE5,
        "Our leaders maintain high standards of honesty and integrity.",
        "我们的领导者始终坚守高标准的诚实与正直。",
    ),
    BankQuestion(
        "trust_speak_up",
        TRUST,
        AGREE5,
        "I can raise a problem without fear of reprisal.",
        "我可以提出问题，而不必担心遭到报复。",
    ),
    BankQuestion(
        "trust_decide_on_the_spot",
        TRUST,
        AGREE5,
        "I am trusted to decide on the spot for a customer without asking permission.",
        "我被充分信任，可以为客户当场做出决定，而无需事先请示。",
    ),
    # eNPS and follow-through
    BankQuestion(
        "enps",
        ENPS,
        NPS11,
        "How likely are you to recommend this organisation as a place to work?",
        "你有多大可能向他人推荐本组织作为工作的地方？",
    ),
    BankQuestion(
        "action",
        ACTION,
        AGREE5,
        "Do you believe action will be taken on the results of this survey?",
        "你相信公司会根据本次调查的结果采取行动吗？",
    ),
)

BANK_BY_KEY: dict[str, BankQuestion] = {question.key: question for question in BANK}

TRUST_KEYS: tuple[str, ...] = tuple(q.key for q in BANK if q.dimension == TRUST)


def dimension_keys(dimension: str) -> tuple[str, ...]:
    return tuple(q.key for q in BANK if q.dimension == dimension)


def quarter_week(iso_week: int) -> tuple[int, int]:
    """(quarter 0-3, week of the quarter 1-13) of an ISO week; week 53 is week 13 of Q4."""
    if not 1 <= iso_week <= 53:
        raise ValueError(f"no ISO week {iso_week}")
    if iso_week == 53:
        return 3, WEEKS_PER_QUARTER
    return (iso_week - 1) // WEEKS_PER_QUARTER, (iso_week - 1) % WEEKS_PER_QUARTER + 1


def plan_for_week(iso_year: int, iso_week: int) -> list[str]:
    """The question keys to ask in this ISO week, in the order they are asked."""
    quarter, week = quarter_week(iso_week)
    if week == WEEKS_PER_QUARTER:
        trust = TRUST_KEYS[(quarter + iso_year) % len(TRUST_KEYS)]
        return ["enps", "action", trust]
    index = week - 1  # 0..11
    dimension = EMPOWERMENT_DIMENSIONS[index % len(EMPOWERMENT_DIMENSIONS)]
    cycle = index // len(EMPOWERMENT_DIMENSIONS)  # 0..2
    # Shift the trust item each cycle so it is not always paired with the same dimension.
    trust = TRUST_KEYS[(index + cycle + quarter) % len(TRUST_KEYS)]
    return [*dimension_keys(dimension), trust]


def ensure_bank(session: Session, workspace_id: int) -> int:
    """Add the built-in questions the workspace lacks; return how many were added."""
    return insert_missing(
        session,
        PulseQuestion,
        [
            {
                "workspace_id": workspace_id,
                "key": q.key,
                "dimension": q.dimension,
                "scale": q.scale,
                "text_en": q.text_en,
                "text_zh": q.text_zh,
                "is_builtin": True,
                "is_active": True,
            }
            for q in BANK
        ],
        unique_on=("workspace_id", "key"),
    )


def question_ids_by_key(session: Session, workspace_id: int) -> dict[str, int]:
    rows = session.execute(
        select(PulseQuestion.key, PulseQuestion.id).where(
            PulseQuestion.workspace_id == workspace_id, PulseQuestion.is_active.is_(True)
        )
    )
    return {key: question_id for key, question_id in rows}
