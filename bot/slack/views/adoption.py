"""The adoption curve as text: the workspace's and each shown team's share of active
members who took part, week by week, against Carlzon's 5% / 20% / 80%."""

from __future__ import annotations

from bot.domain.adoption import AdoptionReport, GroupCurve, WeekAdoption
from bot.i18n import Translate
from bot.slack import blocks

HIDDEN_MARK = "–"


def adoption_text(t: Translate, report: AdoptionReport, *, team_ids: set[int] | None = None) -> str:
    """The curve's section: the workspace, then the teams (only `team_ids`, if given)."""
    lines = [f"*{t('adoption.title', weeks=len(report.workspace.weeks))}*"]
    whole = report.workspace.latest
    if whole is None:
        lines.append(t("adoption.too_few", k=report.k))
        return "\n".join(lines)
    lines.append(t("adoption.milestones"))
    lines.append(_curve_line(t, t("adoption.workspace"), report.workspace))
    for curve in report.teams:
        if team_ids is not None and curve.team_id not in team_ids:
            continue
        name = blocks.escape_mrkdwn(report.team_names.get(curve.team_id or 0, "?"))
        lines.append(_curve_line(t, name, curve))
    lines.append(t("adoption.hidden", k=report.k, mark=HIDDEN_MARK))
    return blocks.truncate("\n".join(lines), blocks.MAX_SECTION_TEXT)


def _curve_line(t: Translate, name: str, curve: GroupCurve) -> str:
    # The weeks before the group could first be shown (a new workspace, a team that grew
    # past K) say nothing: the line starts at the first week that does.
    weeks = list(curve.weeks)
    while weeks and weeks[0] is None:
        weeks.pop(0)
    since = f" {t('adoption.since', period=weeks[0].period)}" if weeks and weeks[0] else ""
    points = " → ".join(_point(week) for week in weeks) + since
    latest = curve.latest
    now = (
        t(
            "adoption.latest",
            took_part=latest.took_part,
            active=latest.active,
            share=round(latest.share * 100),
            stage=t(f"adoption.stage.{latest.stage.value}"),
        )
        if latest is not None
        else t("adoption.latest_hidden")
    )
    return f"• *{name}*: {now}\n   {points}"


def _point(week: WeekAdoption | None) -> str:
    return HIDDEN_MARK if week is None else f"{round(week.share * 100)}%"
