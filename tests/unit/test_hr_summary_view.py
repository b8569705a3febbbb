"""The HR culture-pulse summary message: both languages, Slack's limits, escaping."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from bot.domain.adoption import AdoptionReport, GroupCurve, WeekAdoption
from bot.domain.culture_pulse import (
    DimensionPoint,
    DimensionTrend,
    HrSummary,
    RecognitionActivity,
    ResponseRate,
    RoundTrend,
)
from bot.domain.policy_signals import SignalCounts
from bot.domain.pulse_results import (
    OTHER_TEAMS_LABEL,
    WORKSPACE_LABEL,
    GroupResult,
    QuestionResult,
    RoundResults,
)
from bot.domain.service_mix import AbcShare, ServiceMix
from bot.i18n import translate
from bot.slack.blocks import MAX_MESSAGE_BLOCKS, MAX_SECTION_TEXT
from bot.slack.views.hr_summary import hr_summary_message
from slackemu.blockkit import validate_message_blocks

EVIL = "<!channel> & <https://evil.example|click>"

# Two weeks: the workspace at 14% then 62%; Gate shown, Cabin hidden the first week.
ADOPTION = AdoptionReport(
    k=5,
    curves=(
        GroupCurve(None, (WeekAdoption("2026-W47", 14, 2), WeekAdoption("2026-W48", 16, 10))),
        GroupCurve(1, (WeekAdoption("2026-W47", 8, 1), WeekAdoption("2026-W48", 8, 7))),
        GroupCurve(2, (None, WeekAdoption("2026-W48", 8, 3))),
    ),
    team_names={1: "Gate", 2: "Cabin"},
)
MIX = ServiceMix(
    positive_moments=20,
    abc=(
        AbcShare("appearance", 4, 0.2, 0.52),
        AbcShare("behaviour", 9, 0.45, 0.33),
        AbcShare("communication", 7, 0.35, 0.15),
    ),
    touchpoints=(("on_site", 12), ("phone", 8)),
    stories=25,
    recoveries=5,
    recovery_touchpoints=(("phone", 3), ("chat", 2)),
)
SIGNALS = SignalCounts(raised=7, closed=3, still_open=4)


def group(label, kind="team", respondents=5, meaning=3.8):
    return GroupResult(
        label_key_or_name=label,
        respondents=respondents,
        questions=(QuestionResult(1, "meaning_1", meaning, 60.0, (0, 1, 1, 2, 1)),),
        dimensions={"meaning": meaning, "trust": 4.0},
        enps=None,
        kind=kind,
    )


def summary(team_names=("Gate",), comments=0, partial=False):
    groups = (
        group(WORKSPACE_LABEL, "workspace", 40),
        *(group(name) for name in team_names),
        group(OTHER_TEAMS_LABEL, "other", 6),
    )
    results = RoundResults(
        period="2026-W48",
        min_group=5,
        invited=50,
        responded=40,
        response_rate=0.8,
        groups=groups,
        suppressed_teams=2,
        comments=None,
        trend=(),
    )
    periods = ("2026-W45", "2026-W46", "2026-W47", "2026-W48")
    rounds = tuple(
        RoundTrend(
            round_id=index,
            period=period,
            min_group=5,
            respondents=None if period == "2026-W46" else 30,
            dimensions={},
        )
        for index, period in enumerate(periods)
    )
    trends = (
        DimensionTrend(
            "meaning",
            (DimensionPoint("2026-W45", 3.76), DimensionPoint("2026-W48", 4.12)),
        ),
        DimensionTrend(
            "trust",
            (
                DimensionPoint("2026-W45", 3.8),
                DimensionPoint("2026-W46", None),
                DimensionPoint("2026-W47", 3.9),
                DimensionPoint("2026-W48", 4.1),
            ),
        ),
        DimensionTrend("enps", (DimensionPoint("2026-W48", 12.5),)),
    )
    rates = tuple(
        ResponseRate(period, 50, completed, completed * 2.0)
        for period, completed in zip(periods, (31, 4, 35, 40), strict=True)
    )
    end = datetime(2026, 11, 30, tzinfo=UTC)
    activity = RecognitionActivity(
        week="2026-W48",
        first_day=date(2026, 11, 23),
        last_day=date(2026, 11, 29),
        start=datetime(2026, 11, 23, tzinfo=UTC),
        end=end,
        until=datetime(2026, 11, 27, tzinfo=UTC) if partial else end,
        stories=7,
        tags=11,
        stories_tagged=5,
        kudos=23,
        points=31,
        givers=13,
        recipients=17,
        leader_backings=3,
    )
    return HrSummary(
        round_id=4,
        period="2026-W48",
        min_group=5,
        results=results,
        comment_count=comments,
        rounds=rounds,
        trends=trends,
        response_rates=rates,
        recognition=activity,
        adoption=ADOPTION,
        service_mix=MIX,
        policy_signals=SIGNALS,
        generated_at=end,
    )


def texts(message):
    found = []
    for block in message["blocks"]:
        if "text" in block:
            found.append(block["text"]["text"])
        found.extend(element["text"] for element in block.get("elements", []))
    return found


def whole(message):
    return "\n".join(texts(message))


@pytest.mark.parametrize("locale", ["en", "zh-CN"])
def test_the_summary_is_valid_block_kit_in_both_languages(locale):
    message = hr_summary_message(locale, summary())

    assert validate_message_blocks(message["blocks"]) == []
    assert message["text"]
    assert "2026-W48" in message["text"]
    assert len(message["blocks"]) <= MAX_MESSAGE_BLOCKS


def test_the_english_summary_by_hand():
    message = hr_summary_message("en", summary(comments=2))
    shown = whole(message)

    assert message["text"] == "Culture pulse summary · 2026-W48"
    assert "40 of 50 people answered (80%)" in shown
    assert "*Whole workspace* · 40 respondents" in shown
    assert "*Gate* · 5 respondents" in shown
    assert "*Other teams* · 6 respondents" in shown
    assert "2 teams had fewer than 5 respondents" in shown
    # The trend: one decimal, short week labels, suppressed points as "–" with a note.
    assert "Trend over the last 4 rounds (whole workspace)" in shown
    assert "• *Meaning*: 3.8 (W45) → 4.1 (W48)" in shown
    assert "• *Trust*: 3.8 (W45) → – (W46) → 3.9 (W47) → 4.1 (W48)" in shown
    assert "• *eNPS*: +12 (W48)" in shown
    assert "– means too few people answered" in shown
    assert "• 2026-W46: 8% (4 of 50 answered)" in shown
    assert "• 2026-W48: 80% (40 of 50 answered)" in shown
    # Recognition over the week.
    assert "Recognition in 2026-W48 (2026-11-23 to 2026-11-29)" in shown
    for line in (
        "• 7 moments of truth shared",
        "• 11 positive moment of truth tags (stories tagged: 5)",
        "• 23 kudos given; 31 points in all",
        "• 13 people gave recognition; 17 received it",
        "• 3 decisions backed by leaders",
    ):
        assert line in shown
    assert "so far" not in shown
    # Comments are counted (their texts never reach the view: see test_culture_pulse).
    assert "2 comments were left" in shown and "`/mot pulse results`" in shown
    assert "more team" not in shown


def test_the_chinese_summary_uses_the_chinese_catalog():
    shown = whole(hr_summary_message("zh-CN", summary(comments=2, partial=True)))

    assert "文化脉搏调查总结 · 2026-W48" in shown
    assert "最近 4 轮的趋势（全工作区）" in shown
    assert "– (W46)" in shown
    assert "• 分享了 7 个关键时刻" in shown
    assert "• 送出 23 次点赞，共 31 分" in shown
    assert "• 领导支持了 3 个现场决策" in shown
    assert "本周尚未结束" in shown
    assert "本轮共有 2 条评论" in shown
    assert "Recognition" not in shown and "comments" not in shown


def test_the_english_summary_says_when_the_week_is_not_over():
    shown = whole(hr_summary_message("en", summary(partial=True)))

    assert "The week is not over yet: these are the counts so far." in shown


@pytest.mark.parametrize("locale", ["en", "zh-CN"])
def test_thirty_teams_stay_within_50_blocks_and_say_how_many_were_cut(locale):
    names = [f"Team {n:02d}" for n in range(30)]
    message = hr_summary_message(locale, summary(team_names=names))
    shown = whole(message)

    assert len(message["blocks"]) <= MAX_MESSAGE_BLOCKS
    assert validate_message_blocks(message["blocks"]) == []
    assert all(len(text) <= MAX_SECTION_TEXT for text in texts(message))
    listed = [name for name in names if f"*{name}*" in shown]
    assert listed == names[: len(listed)] and 0 < len(listed) < 30
    cut = 30 + 1 - len(listed)  # the 30 teams and "other teams"
    assert str(cut) in shown
    assert "`/mot pulse results`" in shown
    assert "`motbot export pulse --round 2026-W48`" in shown
    # The rest of the summary is still there after the cut.
    assert "W46" in shown and "2026-11-23" in shown
    assert message["blocks"][-1]["text"]["text"].startswith(
        "*" + translate(locale, "hr_summary.policy.title", count=2)
    )


def test_the_english_cut_note_by_hand():
    names = [f"Team {n:02d}" for n in range(30)]
    shown = whole(hr_summary_message("en", summary(team_names=names)))

    assert "*Team 19*" in shown and "*Team 20*" not in shown  # 20 teams at most
    assert "11 more teams are not listed here" in shown


def test_a_malicious_team_name_is_escaped():
    message = hr_summary_message("en", summary(team_names=(EVIL, "Gate")))
    everything = json.dumps(message)

    assert "<!channel>" not in everything
    assert "<https://evil" not in everything
    assert "*&lt;!channel&gt; &amp; &lt;https://evil.example|click&gt;*" in whole(message)


def test_a_round_below_k_says_so_and_still_shows_the_trend():
    base = summary()
    empty = RoundResults(
        period="2026-W48",
        min_group=5,
        invited=50,
        responded=3,
        response_rate=0.06,
        groups=(),
        suppressed_teams=0,
        comments=None,
        trend=(),
    )
    message = hr_summary_message(
        "en",
        HrSummary(
            round_id=base.round_id,
            period=base.period,
            min_group=5,
            results=empty,
            comment_count=0,
            rounds=base.rounds,
            trends=base.trends,
            response_rates=base.response_rates,
            recognition=base.recognition,
            adoption=base.adoption,
            service_mix=ServiceMix(0, (), ()),
            policy_signals=base.policy_signals,
            generated_at=base.generated_at,
        ),
    )
    shown = whole(message)

    assert "Fewer than 5 people answered" in shown
    assert "Whole workspace" not in shown
    assert "• *Trust*:" in shown


def test_the_summary_shows_the_adoption_curve_against_the_milestones():
    shown = whole(hr_summary_message("en", summary()))

    assert "*Adoption of the culture, last 2 weeks*" in shown
    assert "• *Everyone*: 62% this week (10 of 16): the active 20%" in shown
    assert "14% → 62% (from 2026-W47)" in shown
    assert "• *Gate*: 88% this week (7 of 8): the majority has followed" in shown
    # Cabin could not be shown in W47: its line starts where it can.
    assert "• *Cabin*: 38% this week (3 of 8): the active 20%\n   38% (from 2026-W48)" in shown


def test_the_adoption_curve_reads_in_chinese_too():
    shown = whole(hr_summary_message("zh-CN", summary()))

    assert "文化认同进度（最近 2 周）" in shown
    assert "本周 62%（16 人中 10 人）：20% 积极参与" in shown


def test_the_summary_sets_a_b_c_beside_carlzons_figures_and_names_the_touchpoints():
    shown = whole(hr_summary_message("en", summary()))

    assert "*What made the difference, last 2 weeks (20 positive moments of truth)*" in shown
    assert (
        "A-B-C, the first impression: Appearance 20% (Carlzon 52%) · Behaviour 45% "
        "(Carlzon 33%) · Communication 35% (Carlzon 15%)"
    ) in shown
    assert "Where they happened: On site 12 · Phone 8" in shown
    assert (
        "Service recoveries, something that went wrong put right: 5 of 25 stories (20%). "
        "Where: Phone 3 · Chat 2"
    ) in shown


def test_weeks_without_a_positive_moment_say_so():
    base = summary()
    quiet = hr_summary_message("zh-CN", replace(base, service_mix=ServiceMix(0, (), ())))

    assert "这几周没有故事被标记为正面的关键时刻。" in whole(quiet)


# --- policy signals ---------------------------------------------------------------------


def test_the_summary_counts_policy_signals_raised_and_closed_over_its_weeks():
    shown = whole(hr_summary_message("en", summary()))

    assert (
        "*Policy signals, last 2 weeks*\n7 raised, 3 closed by a policy revision; 4 still open"
    ) in shown
    assert "No story decided on the spot named a rule" not in shown


def test_policy_signals_read_in_chinese_too():
    shown = whole(hr_summary_message("zh-CN", summary()))

    assert "*政策信号（最近 2 周）*\n提出 7 个，因政策修订关闭 3 个；仍未处理 4 个" in shown


@pytest.mark.parametrize("locale", ["en", "zh-CN"])
def test_without_a_signal_the_summary_says_what_one_is_and_where_leaders_see_them(locale):
    none = replace(summary(), policy_signals=SignalCounts(0, 0, 0))

    section = hr_summary_message(locale, none)["blocks"][-1]["text"]["text"]

    assert section == "\n".join(
        (
            "*" + translate(locale, "hr_summary.policy.title", count=2) + "*",
            translate(locale, "hr_summary.policy.none"),
        )
    )
    assert "`/mot policies`" in section


def test_no_new_signal_still_shows_those_closed_and_still_open():
    older = replace(summary(), policy_signals=SignalCounts(raised=0, closed=2, still_open=1))

    shown = whole(hr_summary_message("en", older))

    assert (
        "No story decided on the spot named a rule it went beyond in these weeks. When one "
        "does, leaders see the signal with `/mot policies` and can revise the rule.\n"
        "0 raised, 2 closed by a policy revision; 1 still open"
    ) in shown
