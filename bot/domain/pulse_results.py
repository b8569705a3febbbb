"""Results of a closed pulse round, cut so that no group smaller than K is ever exposed.

Rules (K is the round's `min_group`, locked when it opened):

- Nothing is shown unless the whole workspace has at least K respondents.
- A team is shown on its own when it has at least K respondents. Teams below K (and
  answers from people in no team) are folded into one "other teams" group, shown only
  if that group itself has at least K respondents.
- Differencing: the workspace minus every shown team is exactly the folded group. If the
  folded group is not empty but smaller than K, the smallest shown teams are folded too
  until it reaches K, so no subtraction of shown groups can single out fewer than K.
- "Respondents" of a group: answers carry no person, and each question's response key
  differs, so the number of people in a group is taken as the number of answers to the
  round's FIRST question from that group. It is an estimate: the DM lists that question
  first, but a member may skip it and answer the others.
- Per question: members may skip questions, so a question is reported only when, for
  that question, every shown team and the rest of the workspace each have at least K
  answers (or none); otherwise it is left out of every group, since showing it for the
  workspace and some teams would reveal the others by subtraction.
- Comments are returned only for the workspace, only when it has at least 2K
  respondents, shuffled, without dates or teams.
- Results exist only for closed rounds: watching live results change as one person
  answers would defeat every rule above.
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from bot.db.models import PulseQuestion, PulseRound
from bot.db.repositories import pulse as repo
from bot.domain.errors import DomainError
from bot.domain.groups import shown_groups
from bot.domain.pulse_bank import AGREE5, NPS11, SCALES

TREND_ROUNDS = 12
WORKSPACE_LABEL = "pulse.results.workspace"
OTHER_TEAMS_LABEL = "pulse.results.other_teams"

_NO_TEAM = 0
"""Bucket for answers from people in no team (team ids start at 1)."""


@dataclass(frozen=True)
class QuestionResult:
    question_id: int
    key: str
    mean: float
    favourable_pct: float
    """Share (0-100) of favourable answers: 4-5 on agree5, 9-10 on nps11."""
    distribution: tuple[int, ...]
    """Answers per scale value, lowest value first (5 for agree5, 11 for nps11)."""


@dataclass(frozen=True)
class GroupResult:
    label_key_or_name: str
    """A message key for the workspace and "other teams" groups, else the team's name."""
    respondents: int
    questions: tuple[QuestionResult, ...]
    dimensions: dict[str, float]
    """Mean of the item means per dimension (agree5 questions only; eNPS is `enps`)."""
    enps: float | None
    """% answering 9-10 minus % answering 0-6 to the eNPS question, if the round asked it."""
    kind: str = "team"
    """"workspace", "team" or "other"."""


@dataclass(frozen=True)
class TrendPoint:
    period: str
    respondents: int
    dimensions: dict[str, float]
    enps: float | None


@dataclass(frozen=True)
class RoundResults:
    period: str
    min_group: int
    invited: int
    responded: int
    response_rate: float
    """responded / invited (0.0 when nobody was invited), between 0 and 1."""
    groups: tuple[GroupResult, ...]
    suppressed_teams: int
    """Teams with respondents that are not shown on their own."""
    comments: tuple[str, ...] | None
    trend: tuple[TrendPoint, ...]


Answer = tuple[int, int, int]  # (question_id, value, team bucket)


def round_results(session: Session, workspace_id: int, round_id: int) -> RoundResults:
    found = repo.round_by_id(session, round_id)
    if found is None or found.workspace_id != workspace_id:
        raise DomainError("pulse.errors.unknown_round")
    if found.status != "closed":
        raise DomainError("pulse.errors.still_open")
    k = found.min_group
    questions = repo.round_questions(session, round_id)
    answers = _answers(session, round_id)
    counts = repo.invite_counts(session, round_id)
    invited = sum(counts.values())
    responded = counts.get("completed", 0)

    groups, suppressed = cut_groups(questions, answers, k, repo.team_names(session, workspace_id))
    workspace_respondents = groups[0].respondents if groups else 0
    comments: tuple[str, ...] | None = None
    if groups and workspace_respondents >= 2 * k:
        texts = repo.comment_texts(session, round_id)
        random.SystemRandom().shuffle(texts)
        comments = tuple(texts)
    return RoundResults(
        period=found.period,
        min_group=k,
        invited=invited,
        responded=responded,
        response_rate=responded / invited if invited else 0.0,
        groups=tuple(groups),
        suppressed_teams=suppressed,
        comments=comments,
        trend=_trend(session, workspace_id, found),
    )


def cut_groups(
    questions: Sequence[PulseQuestion],
    answers: Sequence[Answer],
    k: int,
    names: Mapping[int, str],
    *,
    workspace_only: bool = False,
) -> tuple[list[GroupResult], int]:
    """The groups that may be shown (workspace first, teams by name, "other teams" last)
    and how many teams with respondents are not shown on their own. `workspace_only`
    stops after the workspace's group (the trend needs no more); which questions it
    releases still depends on the teams shown."""
    if not questions:
        return [], 0
    first = questions[0].id
    per_team: Counter[int] = Counter(team for qid, _, team in answers if qid == first)
    teams_present = {team for team in per_team if team != _NO_TEAM}
    total = sum(per_team.values())
    if total < k:
        return [], len(teams_present)

    shown = shown_groups(per_team, k, eligible=teams_present)
    folded = sum(count for team, count in per_team.items() if team not in shown)

    released = _released_questions(questions, answers, k, shown)
    groups = [_group(WORKSPACE_LABEL, "workspace", released, answers, k, lambda _: True, first)]
    if workspace_only:
        return groups, len(teams_present - shown)
    for team in sorted(shown, key=lambda t: (names.get(t, ""), t)):
        groups.append(
            _group(
                names.get(team, str(team)),
                "team",
                released,
                answers,
                k,
                lambda t, team=team: t == team,
                first,
            )
        )
    if shown and folded >= k:
        groups.append(
            _group(
                OTHER_TEAMS_LABEL, "other", released, answers, k, lambda t: t not in shown, first
            )
        )
    return groups, len(teams_present - shown)


def _released_questions(
    questions: Sequence[PulseQuestion], answers: Sequence[Answer], k: int, shown: set[int]
) -> list[PulseQuestion]:
    """The questions every shown group may report. Respondents can skip questions, so the
    group sizes checked on the first question do not hold for the others: a question is
    released only if, for it, each shown team and the rest of the workspace (what
    subtracting the teams from the whole would reveal) has at least K answers or none."""
    per_question: dict[int, Counter[int]] = defaultdict(Counter)
    for qid, _, team in answers:  # one pass, not one per question
        per_question[qid][team] += 1
    released = []
    for question in questions:
        counts = per_question.get(question.id, Counter())
        rest = sum(count for team, count in counts.items() if team not in shown)
        teams_ok = all(counts[team] >= k for team in shown)
        if sum(counts.values()) >= k and teams_ok and (rest == 0 or rest >= k):
            released.append(question)
    return released


def _group(
    label: str,
    kind: str,
    questions: Sequence[PulseQuestion],
    answers: Sequence[Answer],
    k: int,
    include: Callable[[int], bool],
    first_question_id: int,
) -> GroupResult:
    values: dict[int, list[int]] = defaultdict(list)
    for qid, value, team in answers:
        if include(team):
            values[qid].append(value)
    respondents = len(values.get(first_question_id, []))
    results: list[QuestionResult] = []
    by_dimension: dict[str, list[float]] = defaultdict(list)
    enps: float | None = None
    for question in questions:
        given = values.get(question.id, [])
        if len(given) < k or question.scale not in SCALES:
            continue
        result = question_result(question, given)
        results.append(result)
        if question.scale == NPS11:
            enps = enps_score(given)
        elif question.scale == AGREE5:
            by_dimension[question.dimension].append(result.mean)
    return GroupResult(
        label_key_or_name=label,
        respondents=respondents,
        questions=tuple(results),
        dimensions={name: sum(means) / len(means) for name, means in by_dimension.items()},
        enps=enps,
        kind=kind,
    )


def question_result(question: PulseQuestion, values: Sequence[int]) -> QuestionResult:
    scale = SCALES[question.scale]
    tally = Counter(values)
    favourable = sum(tally[v] for v in scale.favourable)
    return QuestionResult(
        question_id=question.id,
        key=question.key,
        mean=sum(values) / len(values),
        favourable_pct=100.0 * favourable / len(values),
        distribution=tuple(tally[v] for v in scale.values),
    )


def enps_score(values: Iterable[int]) -> float:
    """% promoters (9-10) minus % detractors (0-6), from -100 to 100."""
    given = list(values)
    promoters = sum(1 for v in given if v >= 9)
    detractors = sum(1 for v in given if v <= 6)
    return 100.0 * (promoters - detractors) / len(given)


def _answers(session: Session, round_id: int) -> list[Answer]:
    return [
        (qid, value, team if team is not None else _NO_TEAM)
        for qid, value, team in repo.answer_values(session, round_id)
    ]


def _trend(session: Session, workspace_id: int, current: PulseRound) -> tuple[TrendPoint, ...]:
    points: list[TrendPoint] = []
    for past in repo.previous_closed_rounds(
        session, workspace_id, before=current.opens_at, limit=TREND_ROUNDS
    ):
        questions = repo.round_questions(session, past.id)
        groups, _ = cut_groups(
            questions, _answers(session, past.id), past.min_group, {}, workspace_only=True
        )
        if not groups:
            continue
        whole = groups[0]
        points.append(
            TrendPoint(
                period=past.period,
                respondents=whole.respondents,
                dimensions=whole.dimensions,
                enps=whole.enps,
            )
        )
    return tuple(points)
