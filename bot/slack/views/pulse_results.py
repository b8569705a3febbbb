"""A pulse round's results as HR reads them: response rate, each shown group's scores,
comments when the group is large enough, and the trend. Only what the domain released
(groups of at least K, never a revealing difference) ever reaches this view."""

from __future__ import annotations

from typing import Any

from bot.domain.pulse_bank import ACTION, BANK_BY_KEY, EMPOWERMENT_DIMENSIONS, TRUST
from bot.domain.pulse_results import GroupResult, RoundResults
from bot.i18n import Translate, translator
from bot.slack import blocks
from bot.slack.blocks import escape_mrkdwn

DIMENSIONS = (*EMPOWERMENT_DIMENSIONS, TRUST, ACTION)
MAX_COMMENTS = 10
COMMENT_SHOWN = 500


def results_message(locale: str, results: RoundResults) -> dict[str, Any]:
    t = translator(locale)
    title = t("pulse.results.title", period=results.period)
    body: list[dict[str, Any]] = [
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
    if not results.groups:
        body.append(blocks.section(t("pulse.results.too_few", k=results.min_group)))
    for group in results.groups:
        body.append(blocks.section(group_text(t, group)))
        body.append(blocks.context(questions_text(t, locale, group)))
    if results.suppressed_teams:
        body.append(
            blocks.context(
                t("pulse.results.suppressed", count=results.suppressed_teams, k=results.min_group)
            )
        )
    if results.comments:
        quoted = "\n".join(
            f"> {blocks.truncate(escape_mrkdwn(comment), COMMENT_SHOWN)}"
            for comment in results.comments[:MAX_COMMENTS]
        )
        body.append(blocks.section(f"*{t('pulse.results.comments')}*\n{quoted}"))
    if results.trend:
        body.append(blocks.context(_trend_text(t, results)))
    return blocks.message(title, body)


def group_label(t: Translate, group: GroupResult) -> str:
    if group.kind in ("workspace", "other"):
        return t(group.label_key_or_name)
    return escape_mrkdwn(group.label_key_or_name)


def group_text(t: Translate, group: GroupResult) -> str:
    lines = [
        f"*{group_label(t, group)}* · {t('pulse.results.respondents', count=group.respondents)}"
    ]
    for dimension in DIMENSIONS:
        if dimension in group.dimensions:
            lines.append(
                f"• {t(f'pulse.dimension.{dimension}')}: {group.dimensions[dimension]:.2f} / 5"
            )
    if group.enps is not None:
        lines.append(f"• eNPS: {group.enps:+.0f}")
    favourable = [question.favourable_pct for question in group.questions]
    if favourable:
        lines.append(t("pulse.results.favourable", pct=round(sum(favourable) / len(favourable))))
    return "\n".join(lines)


def questions_text(t: Translate, locale: str, group: GroupResult) -> str:
    """Each question's mean, favourable share and distribution (lowest value first)."""
    lines = []
    for question in group.questions:
        bank = BANK_BY_KEY.get(question.key)
        text = (bank.text_zh if locale == "zh-CN" else bank.text_en) if bank else question.key
        distribution = "/".join(str(count) for count in question.distribution)
        lines.append(
            t(
                "pulse.results.question",
                text=escape_mrkdwn(text),
                mean=f"{question.mean:.2f}",
                pct=round(question.favourable_pct),
                distribution=distribution,
            )
        )
    return blocks.truncate("\n".join(lines), blocks.MAX_SECTION_TEXT)


def _trend_text(t: Translate, results: RoundResults) -> str:
    points = [
        f"{point.period}: "
        + ", ".join(
            f"{t(f'pulse.dimension.{name}')} {score:.1f}"
            for name, score in point.dimensions.items()
            if name in DIMENSIONS
        )
        for point in results.trend[-6:]
    ]
    return t("pulse.results.trend") + " " + " | ".join(points)
