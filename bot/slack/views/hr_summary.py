"""The culture-pulse summary HR gets when a round closes (HR channel and each HR user's DM).

The round's results use the same pieces as `/mot pulse results` (only what the domain
released ever reaches this view); then the 12-week workspace trend per dimension, the
response-rate trend, the week's recognition, and over the last 12 weeks the adoption
curve, the service mix and the policy signals raised and closed. Suppressed trend points
show as "–".

Comment texts are not posted (the domain leaves them out of the summary): a channel
reaches more people than the HR user who asks `/mot pulse results`, so the summary only
says how many there are and where to read them.
The message keeps within 50 blocks: with many teams it lists the first ones and says how
many more `/mot pulse results` and the CSV export hold.
"""

from __future__ import annotations

from typing import Any

from bot.domain.culture_pulse import (
    DIMENSION_ORDER,
    DimensionTrend,
    HrSummary,
    RecognitionActivity,
)
from bot.domain.policy_signals import SignalCounts
from bot.domain.pulse_bank import ENPS
from bot.i18n import Translate, translator
from bot.slack import blocks
from bot.slack.views.adoption import adoption_text
from bot.slack.views.pulse_results import group_text, questions_text
from bot.slack.views.service_mix import service_mix_text

MAX_TEAMS = 20
"""Team sections at most (fewer when the rest of the message needs the room)."""
SUPPRESSED_MARK = "–"
CUSTOM_DIMENSION = "custom"


def hr_summary_message(locale: str, summary: HrSummary) -> dict[str, Any]:
    t = translator(locale)
    results = summary.results
    title = t("hr_summary.title", period=summary.period)

    head: list[blocks.Block] = [
        blocks.header(title),
        blocks.section(
            t(
                "pulse.results.response",
                responded=results.responded,
                invited=results.invited,
                rate=round(results.response_rate * 100),
                k=results.min_group,
            )
        ),
    ]
    # `round_results` lists the whole workspace first, then the teams and "other teams".
    teams = results.groups[1:]
    if results.groups:
        head.append(blocks.section(group_text(t, results.groups[0])))
        head.append(blocks.context(questions_text(t, locale, results.groups[0])))
    else:
        head.append(blocks.section(t("pulse.results.too_few", k=results.min_group)))

    notes: list[blocks.Block] = []
    if results.suppressed_teams:
        notes.append(
            blocks.context(
                t("pulse.results.suppressed", count=results.suppressed_teams, k=results.min_group)
            )
        )
    if summary.comment_count:
        notes.append(blocks.context(t("hr_summary.comments", count=summary.comment_count)))

    tail: list[blocks.Block] = [blocks.divider(), blocks.section(_trend_text(t, summary))]
    if summary.has_suppressed_points:
        tail.append(blocks.context(t("hr_summary.trend_suppressed", mark=SUPPRESSED_MARK)))
    tail.append(blocks.section(_response_text(t, summary)))
    tail.append(blocks.divider())
    tail.append(blocks.section(_recognition_text(t, summary.recognition)))
    tail.append(blocks.section(adoption_text(t, summary.adoption)))
    weeks = len(summary.adoption.workspace.weeks)
    tail.append(blocks.section(service_mix_text(t, summary.service_mix, weeks)))
    tail.append(blocks.section(_policy_signals_text(t, summary.policy_signals, weeks)))

    room = blocks.MAX_MESSAGE_BLOCKS - len(head) - len(notes) - len(tail)
    if len(teams) <= min(MAX_TEAMS, room):
        shown = teams
    else:
        shown = teams[: max(0, min(MAX_TEAMS, room - 1))]  # one block for the cut note
    body = head + [blocks.section(group_text(t, group)) for group in shown]
    if len(shown) < len(teams):
        body.append(
            blocks.context(
                t("hr_summary.teams_cut", count=len(teams) - len(shown), period=summary.period)
            )
        )
    return blocks.message(title, body + notes + tail)


def dimension_label(t: Translate, dimension: str) -> str:
    if dimension == ENPS:
        return "eNPS"
    if dimension in DIMENSION_ORDER:
        return t(f"pulse.dimension.{dimension}")
    if dimension == CUSTOM_DIMENSION:
        return t("hr_summary.custom_dimension")
    return blocks.escape_mrkdwn(dimension)


def _short(period: str) -> str:
    """ "2026-W48" -> "W48": the trend's heading gives the years."""
    return period.partition("-")[2] or period


def _trend_text(t: Translate, summary: HrSummary) -> str:
    lines = [f"*{t('hr_summary.trend_title', count=len(summary.rounds))}*"]
    if summary.rounds:
        lines.append(
            t(
                "hr_summary.trend_span",
                first=summary.rounds[0].period,
                last=summary.rounds[-1].period,
            )
        )
    if not summary.trends:
        lines.append(t("hr_summary.trend_empty"))
    lines.extend(_series_line(t, trend) for trend in summary.trends)
    return "\n".join(lines)


def _series_line(t: Translate, trend: DimensionTrend) -> str:
    def shown(value: float | None) -> str:
        if value is None:
            return SUPPRESSED_MARK
        return f"{value:+.0f}" if trend.dimension == ENPS else f"{value:.1f}"

    points = " → ".join(f"{shown(point.value)} ({_short(point.period)})" for point in trend.points)
    return f"• *{dimension_label(t, trend.dimension)}*: {points}"


def _response_text(t: Translate, summary: HrSummary) -> str:
    lines = [f"*{t('hr_summary.response_title')}*"]
    lines.extend(
        t(
            "hr_summary.response_line",
            period=rate.period,
            rate=round(rate.rate_pct),
            completed=rate.completed,
            invited=rate.invited,
        )
        for rate in summary.response_rates
    )
    return "\n".join(lines)


def _recognition_text(t: Translate, activity: RecognitionActivity) -> str:
    lines = [
        "*"
        + t(
            "hr_summary.recognition_title",
            week=activity.week,
            first=activity.first_day.isoformat(),
            last=activity.last_day.isoformat(),
        )
        + "*",
        t("hr_summary.recognition.stories", count=activity.stories),
        t(
            "hr_summary.recognition.tags",
            count=activity.tags,
            stories=activity.stories_tagged,
        ),
        t("hr_summary.recognition.kudos", count=activity.kudos, points=activity.points),
        t(
            "hr_summary.recognition.people",
            givers=activity.givers,
            recipients=activity.recipients,
        ),
        t("hr_summary.recognition.backings", count=activity.leader_backings),
    ]
    if activity.partial:
        lines.append(t("hr_summary.recognition.partial"))
    return "\n".join(lines)


def _policy_signals_text(t: Translate, counts: SignalCounts, weeks: int) -> str:
    """Signals raised and closed over the weeks, and those still open; when none was
    raised, what a signal is and where leaders see them."""
    lines = [f"*{t('hr_summary.policy.title', count=weeks)}*"]
    if not counts.raised:
        lines.append(t("hr_summary.policy.none"))
    if counts.raised or counts.closed or counts.still_open:
        lines.append(
            t(
                "hr_summary.policy.counts",
                raised=counts.raised,
                closed=counts.closed,
                still_open=counts.still_open,
            )
        )
    return "\n".join(lines)
