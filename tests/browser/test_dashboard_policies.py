"""The policy signals page in a real browser (Debian's Chromium through Playwright): an
admin adds a policy area in the emulated Slack, people tell stories that went beyond a
rule, a leader marks the policy revised with /mot policies; then HR signs in with Slack
and reads the same signals on the dashboard, the chart drawn on the page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.charts import assert_chart_drawn

# The dashboard's fixtures (the bot serving it) ...
from tests.browser.test_dashboard import bot_env, dashboard_port, sign_in  # noqa: F401
from tests.browser.test_dashboard_stories import CARD_LINK

# ... the end-to-end fixtures they stand on, and how a rule is gone beyond in Slack.
from tests.e2e.conftest import bot_clock, demo, emulator, transport, world  # noqa: F401
from tests.e2e.test_policy_signals import REFUNDS, bend_a_rule, with_areas

# ruff: noqa: F811 (pytest passes those fixtures in by the same names)

NOTE = "Gate agents may refund up to 150 euros."
NEWER_RULE = "<b>Refunds over 150 euros need a supervisor</b>"
NO_AREA = "Rules not filed under a policy area"


@pytest.fixture
def signals(world, dashboard_port) -> str:
    """Refunds: two signals closed by Erik's revision, then a new one; a rule in no area.
    HR has read them in Slack (so motbot knows her). The dashboard's address.

    No pulse round, unlike tests/browser/test_dashboard.py's `dashboard`: this page needs
    none, and a round costs a dozen answers."""
    with_areas(world, REFUNDS)
    bend_a_rule(world.user("alice"), "Refund limit of 50 euros", REFUNDS)
    bend_a_rule(world.user("bjorn"), "Refunds need a receipt", REFUNDS)
    erik = world.user("erik")
    erik.runs("/mot policies")
    erik.clicks("Policy revised", on=erik.last_ephemeral())  # the first area: Refunds
    erik.submits({"What changed in the rule?": NOTE})
    bend_a_rule(world.user("alice"), NEWER_RULE, REFUNDS)
    bend_a_rule(world.user("oliver"), "Rebooking only on our own flights")
    in_slack = world.user("karin").runs("/mot policies")
    assert in_slack.text == "2 open policy signals in the last quarter"
    return f"http://127.0.0.1:{dashboard_port}"


def test_hr_reads_the_policy_signals_that_slack_shows_with_the_chart(page: Page, emulator, signals):
    sign_in(page, emulator, signals, "U0KARIN01")
    page.goto(f"{signals}/dashboard/policies")

    expect(page.get_by_role("heading", level=1)).to_have_text("Policy signals")
    assert_chart_drawn(page, "figure")
    weeks = page.locator("#week tbody tr")
    expect(weeks).to_have_count(12)
    figures = [
        [int(n) for n in weeks.nth(row).locator("td").all_inner_texts()] for row in range(12)
    ]
    assert [sum(week[0] for week in figures), sum(week[1] for week in figures)] == [4, 2]
    assert figures[-1][2] == 2, "open now: the new refund and the rule in no area"

    areas = page.locator("#areas")
    expect(areas.locator("tbody th")).to_have_text([NO_AREA, REFUNDS])  # Oliver's is newer
    expect(areas.locator("tbody td.number")).to_have_text(["1", "1"])
    refunds = areas.locator("article.area", has_text=REFUNDS)
    expect(refunds).to_contain_text("Last revised by Erik on ")
    expect(refunds).to_contain_text(NOTE)
    expect(refunds).to_contain_text(NEWER_RULE)  # as text, not markup
    expect(refunds).to_contain_text("Moment of truth · Alice · ")
    assert "Refund limit of 50 euros" not in page.content(), "closed by the revision"
    link = refunds.get_by_role("link", name="Open in Slack").get_attribute("href") or ""
    assert re.fullmatch(CARD_LINK, link), "the card itself, in the workspace's domain"
    expect(page.locator("main")).to_contain_text("marks the policy revised in Slack")
    expect(page.get_by_role("button", name="Policy revised")).to_have_count(0)
