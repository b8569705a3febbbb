"""A closed pulse round's released results as CSV: aggregates only, never an answer or a comment.

Everything comes from `pulse_results.round_results`, so the export releases exactly what
`/mot pulse results` shows: groups of at least K, never two groups whose difference is
below K. Teams not shown on their own do not appear at all (their people are in "other
teams" when that group is large enough). Comments are never exported.

Layout: UTF-8 text, a header row, RFC 4180 quoting (Python's csv module, CRLF line ends),
one row per (group, question) of the round, groups in the results' order (the workspace,
teams by name, "other teams"), questions in the order the DM asks them. Columns:

- `period`: the round's ISO week, e.g. "2026-W48".
- `group_kind`: "workspace", "team" or "other" (the folded "other teams" group).
- `group`: the team's name, or "Whole workspace" / "Other teams".
- `respondents`: the group's respondents (answers to the round's first question).
- `question_key`, `dimension`, `scale` ("agree5": 1-5, "nps11": 0-10), `question_text`
  (English).
- `status`: "shown", or "suppressed" when too few people answered (the whole workspace
  below K, or a question some group answered too little to show anywhere). A suppressed
  row has every number below left empty.
- `answers`: how many answered the question in the group.
- `mean`: the mean answer, 3 decimals.
- `favourable_share`: the share of favourable answers (4-5 on agree5, 9-10 on nps11),
  a fraction from 0 to 1, 3 decimals.
- `enps`: on the nps11 question only: % answering 9-10 minus % answering 0-6 (-100..100).
- `distribution`: answers per scale value, lowest value first, as "value:count" pairs
  joined by ";", e.g. "1:0;2:1;3:0;4:3;5:2" (eNPS: "0:0;1:0;...;10:4").

Text cells that a spreadsheet would run as a formula (starting with =, +, -, @, a tab or
a carriage return) are prefixed with an apostrophe.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from bot.db.models import PulseQuestion
from bot.db.repositories import culture_pulse as repo
from bot.db.repositories import pulse as pulse_repo
from bot.domain.errors import DomainError
from bot.domain.pulse import CLOSED, parse_period, round_for_period, round_info
from bot.domain.pulse_bank import NPS11, SCALES
from bot.domain.pulse_results import (
    WORKSPACE_LABEL,
    GroupResult,
    QuestionResult,
    enps_score,
    round_results,
)
from bot.i18n import translate

COLUMNS: tuple[str, ...] = (
    "period",
    "group_kind",
    "group",
    "respondents",
    "question_key",
    "dimension",
    "scale",
    "question_text",
    "status",
    "answers",
    "mean",
    "favourable_share",
    "enps",
    "distribution",
)
SHOWN = "shown"
SUPPRESSED = "suppressed"

_PERIOD = re.compile(r"\d{4}-W\d{2}")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class ExportTarget:
    workspace_id: int
    team_id: str
    round_id: int
    period: str


def export_target(session: Session, team_id: str | None, round_ref: str) -> ExportTarget:
    """The workspace (by Slack team id; the only one when None) and its closed round
    (by period "2026-W48" or id) to export. DomainError with an "hr_summary.export.*" key
    when either cannot be found, or the round is still open."""
    workspace_id, team = export_workspace(session, team_id)
    ref = round_ref.strip()
    if _PERIOD.fullmatch(ref):
        try:
            parse_period(ref)
        except ValueError:
            raise DomainError("hr_summary.export.bad_round", round=round_ref) from None
        found = round_for_period(session, workspace_id, ref)
    elif ref.isdigit():
        found = round_info(session, workspace_id, int(ref))
    else:
        raise DomainError("hr_summary.export.bad_round", round=round_ref)
    if found is None:
        raise DomainError("hr_summary.export.unknown_round", round=ref, team=team)
    if found.status != CLOSED:
        raise DomainError("hr_summary.export.open_round", period=found.period)
    return ExportTarget(workspace_id, team, found.id, found.period)


def export_workspace(session: Session, team_id: str | None) -> tuple[int, str]:
    """(id, Slack team id) of the workspace an admin command names with --workspace: the
    only one in the database when None. DomainError with an "hr_summary.export.*" key
    when it is unknown, or the database holds none or several and none was named."""
    known = repo.workspaces(session)
    teams = ", ".join(team for _, team in known)
    if team_id is not None:
        for workspace_id, team in known:
            if team == team_id:
                return workspace_id, team
        raise DomainError("hr_summary.export.unknown_workspace", team=team_id, teams=teams or "-")
    if not known:
        raise DomainError("hr_summary.export.no_workspace")
    if len(known) > 1:
        raise DomainError("hr_summary.export.choose_workspace", teams=teams)
    return known[0]


def pulse_csv(session: Session, workspace_id: int, round_id: int) -> str:
    """The round's released results as CSV text (layout in the module docstring).

    DomainError("pulse.errors.unknown_round" / "pulse.errors.still_open") as
    `round_results` raises them.
    """
    results = round_results(session, workspace_id, round_id)
    questions = pulse_repo.round_questions(session, round_id)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    if not results.groups:
        label = translate("en", WORKSPACE_LABEL)
        for question in questions:
            writer.writerow(_row(results.period, "workspace", label, question, None, None))
    for group in results.groups:
        label = group.label_key_or_name
        if group.kind != "team":  # the workspace and "other teams" carry a message key
            label = translate("en", label)
        shown = {result.question_id: result for result in group.questions}
        for question in questions:
            writer.writerow(
                _row(results.period, group.kind, label, question, group, shown.get(question.id))
            )
    return buffer.getvalue()


def _row(
    period: str,
    kind: str,
    label: str,
    question: PulseQuestion,
    group: GroupResult | None,
    result: QuestionResult | None,
) -> list[str]:
    identity = [
        period,
        kind,
        _cell(label),
        "",
        question.key,
        question.dimension,
        question.scale,
        _cell(question.text_en),
    ]
    if group is None or result is None or question.scale not in SCALES:
        return [*identity, SUPPRESSED, "", "", "", "", ""]
    identity[3] = str(group.respondents)
    values = SCALES[question.scale].values
    enps = ""
    if question.scale == NPS11:
        given = [v for v, n in zip(values, result.distribution, strict=True) for _ in range(n)]
        enps = f"{enps_score(given):.1f}"
    return [
        *identity,
        SHOWN,
        str(sum(result.distribution)),
        f"{result.mean:.3f}",
        f"{result.favourable_pct / 100:.3f}",
        enps,
        _distribution(values, result.distribution),
    ]


def _distribution(values: Sequence[int], counts: Sequence[int]) -> str:
    return ";".join(f"{value}:{count}" for value, count in zip(values, counts, strict=True))


def _cell(text: str) -> str:
    """Text a spreadsheet shows as text, never runs as a formula."""
    return f"'{text}" if text.startswith(_FORMULA_START) else text
