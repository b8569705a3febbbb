"""The dashboard's charts, drawn on the server as SVG with pygal: they read without
JavaScript (no pygal scripts are linked), print, and carry their numbers in the page.

Every chart takes figures the domain has already released under the pulse's rules (K,
differencing): a suppressed point arrives as None and is drawn as a gap, never as a value.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from xml.etree import ElementTree

import pygal
import pygal.graph.graph
from pygal.style import Style

from bot.domain.adoption import MILESTONES
from bot.domain.culture_pulse import DimensionTrend, ResponseRate
from bot.domain.pulse_bank import ENPS
from bot.domain.pulse_results import QuestionResult
from bot.i18n import Translate


@dataclass(frozen=True)
class Chart:
    """A chart drawn when its page is rendered, so that the CSV built from the same page
    never pays for drawing it (pygal takes a good part of a page's time)."""

    draw: Callable[[], str]

    def __html__(self) -> str:  # Jinja takes it as markup: the SVG pygal drew
        return self.draw()


def later(draw: Callable[..., str], *args: object) -> Chart:
    """`draw(*args)`, when the page shows the chart."""
    return Chart(partial(draw, *args))


# Chinese needs a CJK font; the browser falls back along this list.
FONTS = "'Noto Sans', 'Noto Sans CJK SC', 'WenQuanYi Zen Hei', 'Microsoft YaHei', sans-serif"
STYLE = Style(
    font_family=FONTS,
    background="white",
    plot_background="white",
    foreground="#1d1c1d",
    foreground_strong="#1d1c1d",
    foreground_subtle="#616061",
    colors=("#1264a3", "#2bac76", "#e8912d", "#cd2553", "#4a154b", "#36c5f0", "#616061"),
    stroke_width="3",  # the lines' width: pygal's own CSS would draw them 1px wide
)


# Lines broken where a round was suppressed; points large enough to read when a series
# has a single round.
LINES: dict[str, object] = {
    "allow_interruptions": True,
    "dots_size": 6,
}


def _config(title: str, **extra: object) -> dict[str, object]:
    return {
        "title": title,
        "style": STYLE,
        "js": [],
        "disable_xml_declaration": True,
        "width": 800,
        "height": 360,
        "legend_at_bottom": True,
        "truncate_legend": 40,
        "print_values": False,
        **extra,
    }


def dimension_trend_chart(
    t: Translate, trends: Sequence[DimensionTrend], periods: Sequence[str]
) -> str:
    """Each dimension's workspace mean (1 to 5) over the rounds; eNPS has its own chart.
    A single round has no trend yet: its means are drawn as bars."""
    shown = [trend for trend in trends if trend.dimension != ENPS]
    if len(periods) < 2:
        chart = pygal.Bar(**_config(t("dashboard.pulse.trend_chart"), range=(1, 5)))
        chart.x_labels = list(periods)
        for trend in shown:
            chart.add(t(f"pulse.dimension.{trend.dimension}"), _aligned(trend, periods))
        return _svg(chart)
    chart = pygal.Line(**_config(t("dashboard.pulse.trend_chart"), range=(1, 5), **LINES))
    chart.x_labels = list(periods)
    for trend in shown:
        chart.add(t(f"pulse.dimension.{trend.dimension}"), _aligned(trend, periods))
    return _svg(chart)


def has_enps(trends: Sequence[DimensionTrend]) -> bool:
    return any(trend.dimension == ENPS for trend in trends)


def enps_chart(t: Translate, trends: Sequence[DimensionTrend], periods: Sequence[str]) -> str:
    """eNPS (-100 to 100) over the rounds that asked it (`has_enps`: some did)."""
    enps = next(trend for trend in trends if trend.dimension == ENPS)
    chart = pygal.Line(**_config(t("dashboard.pulse.enps_chart"), range=(-100, 100), **LINES))
    chart.x_labels = list(periods)
    chart.add("eNPS", _aligned(enps, periods))
    return _svg(chart)


def response_rate_chart(t: Translate, rates: Sequence[ResponseRate]) -> str:
    chart = pygal.Bar(**_config(t("dashboard.pulse.response_chart"), range=(0, 100)))
    chart.x_labels = [rate.period for rate in rates]
    chart.add(t("dashboard.pulse.response_series"), [round(rate.rate_pct, 1) for rate in rates])
    return _svg(chart)


def distribution_chart(
    t: Translate, questions: Sequence[QuestionResult], labels: Sequence[str]
) -> str:
    """Each released question's answers as shares of its respondents, stacked by answer
    (lowest first), one bar per question (`labels`, in the same order)."""
    chart = pygal.HorizontalStackedBar(
        **_config(
            t("dashboard.pulse.distribution_chart"),
            range=(0, 100),
            height=120 + 48 * len(questions),
        )
    )
    chart.x_labels = list(labels)
    width = max((len(q.distribution) for q in questions), default=0)
    for value in range(width):
        shares = []
        for question in questions:
            total = sum(question.distribution) or 1
            count = question.distribution[value] if value < len(question.distribution) else 0
            shares.append(round(100 * count / total, 1))
        chart.add(_answer_label(t, width, value), shares)
    return _svg(chart)


def _answer_label(t: Translate, width: int, value: int) -> str:
    if width == 5:  # agree5: 1 Strongly disagree ... 5 Strongly agree
        return t(f"pulse.scale.{value + 1}")
    return str(value)  # nps11: 0 ... 10


def _svg(chart: pygal.graph.graph.Graph) -> str:
    """The chart as inline SVG without pygal's script (its tooltips' settings): the pages
    send no scripts, and their Content-Security-Policy would refuse them anyway."""
    tree = chart.render_tree()
    for parent in tree.iter():
        for child in list(parent):
            if isinstance(child.tag, str) and child.tag.rpartition("}")[2] == "script":
                parent.remove(child)
    return ElementTree.tostring(tree, encoding="unicode")


def _aligned(trend: DimensionTrend, periods: Sequence[str]) -> list[float | None]:
    values = {point.period: point.value for point in trend.points}
    return [round(v, 2) if (v := values.get(period)) is not None else None for period in periods]


# --- recognition (recognition_page.py) --------------------------------------------------

Series = Sequence[tuple[str, Sequence[int]]]
"""Named series of counts, one count per label of the chart."""
COUNT_TICKS = 8
"""At most this many steps on the axis of a chart of counts (plus zero)."""


def _count_axis(series: Series) -> list[int]:
    """Whole numbers for the axis of a chart of counts, in steps of 1, 2, 5, 10, 20, ..."""
    top = max(1, max((max(counts, default=0) for _, counts in series), default=0))
    scale = 1
    while True:
        for step in (scale, 2 * scale, 5 * scale):
            if top <= COUNT_TICKS * step:
                return list(range(0, -(-top // step) * step + 1, step))
        scale *= 10


def recognition_weeks_chart(t: Translate, periods: Sequence[str], series: Series) -> str:
    """Recognition per week (kudos and points, or a team's given and received), as bars."""
    chart = pygal.Bar(
        **_config(
            t("dashboard.recognition.weeks_chart"),
            y_labels=_count_axis(series),
            x_label_rotation=30,
        )
    )
    chart.x_labels = list(periods)
    for name, counts in series:
        chart.add(name, list(counts))
    return _svg(chart)


def recognition_values_chart(t: Translate, values: Sequence[str], series: Series) -> str:
    """Kudos per company value (`values`, the admin's order from the top), as bars."""
    chart = pygal.HorizontalBar(
        **_config(
            t("dashboard.recognition.values_chart"),
            y_labels=_count_axis(series),
            height=160 + 36 * len(values) * max(len(series), 1),
        )
    )
    # pygal draws a horizontal chart's first label at the bottom: reversed, it reads down.
    chart.x_labels = list(reversed(values))
    for name, counts in series:
        chart.add(name, list(reversed(counts)))
    return _svg(chart)


def recognition_teams_chart(t: Translate, teams: Sequence[str], series: Series) -> str:
    """Points given and received per team shown (and the other teams), as bars."""
    chart = pygal.Bar(
        **_config(t("dashboard.recognition.teams_chart"), y_labels=_count_axis(series))
    )
    chart.x_labels = list(teams)
    for name, counts in series:
        chart.add(name, list(counts))
    return _svg(chart)


# --- policy signals (policies_page.py) --------------------------------------------------


# Raised, closed and open often share a value (a revision closes what was raised): each
# line is drawn so that one on top of another still shows, widest and solid first.
POLICY_LINE_STYLES: tuple[dict[str, object], ...] = (
    {"stroke_style": {"width": 7}, "dots_size": 8},
    {"stroke_style": {"width": 3, "dasharray": "12,6"}, "dots_size": 5},
    {"stroke_style": {"width": 3, "dasharray": "3,5"}, "dots_size": 3},
)


def policy_weeks_chart(t: Translate, periods: Sequence[str], series: Series) -> str:
    """Signals raised and closed per week and those open at each week's end, as lines:
    the open ones are a level, not a flow, and bars side by side would read as one sum."""
    chart = pygal.Line(
        **_config(
            t("dashboard.policies.weeks_chart"),
            y_labels=_count_axis(series),
            x_label_rotation=30,
            **LINES,
        )
    )
    chart.x_labels = list(periods)
    for (name, counts), style in zip(series, POLICY_LINE_STYLES, strict=False):
        chart.add(name, list(counts), **style)
    return _svg(chart)


# --- adoption (adoption_page.py) --------------------------------------------------------

Curves = Sequence[tuple[str, Sequence[float | None]]]
"""Named curves of shares (%), one per week of the chart; None where a group is hidden."""
MILESTONE_PCTS = sorted(round(100 * threshold) for threshold, _ in MILESTONES)
"""Carlzon's 5%, 20% and 80%: drawn as dashed guides, the only ones that stand out."""
SHARE_AXIS = sorted({0, 50, 100, *MILESTONE_PCTS})


def _milestone_style() -> Style:
    """The charts' style with the milestones' guides dashed and dark, and the other
    guides (0, 50, 100) faint, so the milestones read as lines to reach."""
    style = copy.copy(STYLE)
    style.guide_stroke_color = "#dddddd"
    style.guide_stroke_dasharray = "none"
    style.major_guide_stroke_color = "#616061"
    style.major_guide_stroke_dasharray = "8,4"
    return style


def adoption_chart(t: Translate, periods: Sequence[str], curves: Curves) -> str:
    """Each group's share of active members who took part per week (0 to 100 %), against
    the milestones; a week a group could not be shown is a gap. A single week has no
    curve yet: its shares are drawn as bars."""
    config = _config(
        t("dashboard.adoption.chart"),
        style=_milestone_style(),
        range=(0, 100),
        y_labels=SHARE_AXIS,
        y_labels_major=MILESTONE_PCTS,
        value_formatter=lambda share: f"{share:g}%",
        x_label_rotation=30,
    )
    chart = pygal.Bar(**config) if len(periods) < 2 else pygal.Line(**config, **LINES)
    chart.x_labels = list(periods)
    for name, shares in curves:
        chart.add(name, list(shares))
    return _svg(chart)
