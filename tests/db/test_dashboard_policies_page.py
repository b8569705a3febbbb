"""The dashboard's policy signals page and its CSV through Flask's test client, on both
databases: HR and leaders read the same page (signals per week, the areas with the most
open signals and the stories behind them), an employee is refused, a revised area's
signals are closed, what people wrote is shown as text and defused in the CSV.

The workspace is the story wall's (tests/support/story_wall.py), in Shanghai's time zone,
with these signals besides its own two (Copenhagen: no area; the refund: Refunds):

    Rebooking   Alice and Oliver, 10 days before NOW (2026-W46); revised by Erik on
                2026-11-19 20:00 UTC, 2026-11-20 in Shanghai (W47); then Björn's, open
    Refunds     Björn (a rule with <script>), Alice, Dan, after the wall's refund: 4 open
    =SUM(1+1)   Oliver: an area name a spreadsheet would run
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from sqlalchemy import update

from bot.db.engine import unit_of_work
from bot.db.models import Member, PolicyArea
from bot.domain.policy_report import PolicyReport, WeekSignals
from bot.domain.policy_signals import (
    LastRevision,
    PolicySignal,
    PolicySignals,
    SignalCounts,
    SignalStory,
    revise_policy,
)
from bot.i18n import translator
from bot.web.dashboard import policies_page
from bot.web.dashboard.policies_page import page_csv
from bot.web.dashboard.slack_links import SlackLinks
from tests.support.dashboard import csv_rows as rows_of
from tests.support.dashboard import dashboard_app
from tests.support.dashboard import signed_in as signed_in_to
from tests.support.story_wall import (
    ALICE,
    BJORN,
    DAN,
    ERIK,
    KARIN,
    NOW,
    OLIVER,
    TEAM,
    story_wall_workspace,
    tell,
)
from tests.support.units import configure, run

SEEN_AT = NOW + timedelta(hours=2)  # Monday 2026-11-23, 19:00 in Shanghai: week 2026-W48
REVISED_AT = datetime(2026, 11, 19, 20, 0, tzinfo=UTC)  # Friday 04:00 in Shanghai
EQUALS_AREA = "=SUM(1+1)"
SCRIPT_RULE = "<script>alert('rule')</script> refunds need a receipt"
NOTE = "Agents may now rebook on partner airlines."
WEEK_ROW = r'<tr><th scope="row">(\S+)</th>' + r'<td class="number">(\d+)</td>' * 3 + "</tr>"
AREA_ROW = r'<tr><th scope="row">([^<]*)</th><td class="number">(\d+)</td><td>([^<]*)</td></tr>'


@pytest.fixture
def web(sessions, monkeypatch) -> Flask:
    monkeypatch.setattr(policies_page, "utcnow", lambda: SEEN_AT)
    return dashboard_app(sessions)


@pytest.fixture
def signals(sessions) -> None:
    wall = story_wall_workspace(sessions)
    people = wall.people
    configure(sessions, wall.workspace_id, timezone="Asia/Shanghai")
    rebooking, equals = (
        add_area(sessions, wall.workspace_id, name) for name in ("Rebooking", EQUALS_AREA)
    )
    ten_days_back = -10 * 24 * 60
    for teller in (ALICE, OLIVER):
        bend(sessions, people[teller], ten_days_back, rebooking, "Rebook only on our own flights")
    run(sessions, revise_policy, people[ERIK], rebooking, NOTE, REVISED_AT, REVISED_AT)
    bend(sessions, people[BJORN], 10, wall.area_id, SCRIPT_RULE, action="<b>Refunded</b> it.")
    bend(sessions, people[ALICE], 11, wall.area_id, "Refund limit of 50 euros")
    bend(sessions, people[DAN], 12, wall.area_id, "Refunds need a supervisor")
    bend(sessions, people[OLIVER], 13, equals, "Fees are never waived")
    bend(sessions, people[BJORN], 14, rebooking, "Partner rebooking needs a form")


def add_area(sessions, workspace_id: int, name: str) -> int:
    with unit_of_work(sessions) as session:
        area = PolicyArea(workspace_id=workspace_id, name=name, created_at=NOW)
        session.add(area)
        session.flush()
        return area.id


def bend(sessions, who, minutes: int, area_id: int, rule: str, action: str = "I helped.") -> int:
    """A story decided on the spot beyond `rule`, `minutes` after NOW, its card posted."""
    return tell(
        sessions,
        who,
        minutes,
        decided_on_spot=True,
        rule_bent=rule,
        policy_area_id=area_id,
        action_taken=action,
    )


def page_of(web: Flask, user_id: str, locale: str = "en-US") -> str:
    answer = signed_in_to(web, TEAM, user_id, locale).get("/dashboard/policies")
    assert answer.status_code == 200
    return answer.get_data(as_text=True)


def main_of(html: str) -> str:
    """The page below its header (which names the viewer), pygal's random chart ids
    made alike."""
    return re.sub(r"chart-[0-9a-f-]{36}", "chart", html[html.index("<main>") :])


def csv_rows(web: Flask, user_id: str) -> list[list[str]]:
    answer = signed_in_to(web, TEAM, user_id).get("/dashboard/policies.csv")
    assert answer.headers["Content-Disposition"] == 'attachment; filename="motbot-policies.csv"'
    return rows_of(answer)


def test_hr_reads_the_weeks_and_the_areas_with_their_stories_and_last_revision(web, signals):
    html = page_of(web, KARIN)

    assert "<h1>Policy signals</h1>" in html
    assert "2026-W37 to 2026-W48, in the workspace&#39;s time zone (Asia/Shanghai)" in html
    assert html.count("<svg") == 1 and "<script" not in html
    weeks = re.findall(WEEK_ROW, html)
    assert len(weeks) == 12 and weeks[0][0] == "2026-W37"
    assert weeks[-3:] == [
        ("2026-W46", "2", "0", "2"),
        ("2026-W47", "0", "2", "0"),
        ("2026-W48", "7", "0", "7"),
    ]
    assert re.findall(AREA_ROW, html) == [
        ("Refunds", "4", "–"),
        ("Rebooking", "1", "2026-11-20"),
        (EQUALS_AREA, "1", "–"),
        ("Rules not filed under a policy area", "1", "–"),
    ]
    assert "7 open policy signals in the last quarter" in html
    assert "Refunds · 4 signals" in html and "…and 1 more story" in html
    assert "Moment of truth · Dan · 2026-11-23" in html
    assert "Refund limit of 50 euros" in html and "Refunds need a supervisor" in html
    assert f"Last revised by Erik on 2026-11-20: {NOTE}" in html
    assert "Rebooking fees need a supervisor" in html  # Copenhagen's, in no area
    assert html.count('href="https://slack.com/app_redirect?team=T0WALL001&amp;channel=') == 6
    assert "marks the policy revised in Slack with /mot policies" in html


def test_a_revised_areas_signals_are_no_longer_open(web, signals):
    html = page_of(web, KARIN)

    assert "Rebooking · 1 signal<" in html
    assert "Partner rebooking needs a form" in html
    assert "Rebook only on our own flights" not in html, "closed by Erik's revision"


def test_what_people_wrote_is_text_never_markup(web, signals):
    html = page_of(web, KARIN)

    assert "&lt;script&gt;alert(&#39;rule&#39;)&lt;/script&gt; refunds need a receipt" in html
    assert "&lt;b&gt;Refunded&lt;/b&gt; it." in html
    assert "<script" not in html and "<b>" not in html


def test_a_leader_reads_the_same_page_as_hr(web, signals):
    assert main_of(page_of(web, ERIK)) == main_of(page_of(web, KARIN))
    assert csv_rows(web, ERIK) == csv_rows(web, KARIN)


def test_an_employee_is_refused(web, signals):
    client = signed_in_to(web, TEAM, ALICE)

    page, table = client.get("/dashboard/policies"), client.get("/dashboard/policies.csv")

    assert page.status_code == 403 and table.status_code == 403
    assert "The dashboard is for HR, admins and leaders" in page.get_data(as_text=True)
    assert "Refunds" not in page.get_data(as_text=True) + table.get_data(as_text=True)


def test_the_csv_holds_the_figures_on_the_page_with_formulas_defused(web, signals):
    html = page_of(web, KARIN)

    table = csv_rows(web, KARIN)

    assert table[0] == ["section", "week", "raised", "closed", "still_open"]
    assert [tuple(row[1:]) for row in table if row[0] == "week"] == re.findall(WEEK_ROW, html)
    assert ["section", "area", "open", "last_revised"] in table
    assert [row[1:] for row in table if row[0] == "area"] == [
        ["Refunds", "4", ""],
        ["Rebooking", "1", "2026-11-20"],
        ["'=SUM(1+1)", "1", ""],
        ["Rules not filed under a policy area", "1", ""],
    ]


def test_hr_reads_it_in_chinese(web, sessions, signals):
    with unit_of_work(sessions) as session:
        session.execute(update(Member).where(Member.slack_user_id == KARIN).values(locale="zh-CN"))

    html = page_of(web, KARIN, "zh-CN")

    assert "<h1>政策信号</h1>" in html
    assert "每周的信号" in html and "未归入政策领域的规则" in html
    assert "Erik 于 2026-11-20 最近一次修订" in html


def test_a_stranger_is_sent_to_sign_in(web):
    answer = web.test_client().get("/dashboard/policies.csv")

    assert answer.status_code == 302
    assert answer.headers["Location"].startswith("/dashboard/login?next=/dashboard/policies.csv")


# --- the page from a report, without a database -----------------------------------------

T = translator("en")
LINKS = SlackLinks(TEAM, None)
PERIODS = [f"2026-W{week}" for week in range(37, 49)]


def report(signals: PolicySignals, names: dict[str, str] | None = None) -> PolicyReport:
    quiet = SignalCounts(raised=0, closed=0, still_open=0)
    return PolicyReport(
        timezone="UTC",
        weeks=tuple(WeekSignals(period, quiet) for period in PERIODS),
        signals=signals,
        names=names or {},
    )


def test_a_workspace_without_signals_is_told_what_a_policy_signal_is():
    page = policies_page.policies_page(report(PolicySignals(NOW, (), 0, 0)), LINKS, "UTC", T)

    assert page.empty is not None and "A policy signal is raised when" in page.empty
    assert page.chart is None, "nothing to draw"
    assert page.areas == () and page.more_areas is None
    assert page_csv(page).splitlines() == [
        "section,week,raised,closed,still_open",
        *(f"week,{period},0,0,0" for period in PERIODS),
        "section,area,open,last_revised",
    ]


def test_people_who_have_left_are_not_named_by_their_tombstones_and_more_areas_are_counted():
    story = SignalStory(
        story_id=1,
        author_user_id="forgotten-7",
        rule_bent="",
        action_taken="",
        is_recovery=True,
        channel_id=None,
        message_ts=None,
        created_at=NOW,
    )
    signal = PolicySignal(
        area_id=None,
        area_name=None,
        open_count=1,
        stories=(story,),
        last_revision=LastRevision(leader_user_id=None, note="", revised_at=NOW),
    )

    page = policies_page.policies_page(report(PolicySignals(NOW, (signal,), 2, 3)), LINKS, "UTC", T)

    (area,) = page.areas
    assert area.stories[0].heading == "Service recovery · @former-member · 2026-11-23"
    assert area.stories[0].rule == "a usual rule" and area.stories[0].link is None
    assert area.revision == "Last revised by a leader who has since left on 2026-11-23: –"
    assert page.more_areas == "2 more areas have open signals."
    assert page.empty is None
