"""The recognition page in a real browser (Debian's Chromium through Playwright): people
give kudos with /kudos in the emulated Slack, then HR and leaders sign in with Slack and
read them, charts drawn on the page.

The demo workspace after tests/browser/test_dashboard.py's pulse round (which makes
motbot know all seventeen active people): three teams of five and two people in no team
(Karin, Henrik), K 5. Shown together, the three teams would leave a rest of two, so the
first team (Check-in & Gate) is folded with them into Other teams, and is named nowhere.
"""

from __future__ import annotations

import csv
import io

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.charts import assert_chart_drawn
from tests.browser.downloads import download_csv

# The dashboard's fixtures (the bot serving it, after a closed pulse round) ...
from tests.browser.test_dashboard import bot_env, dashboard, dashboard_port, sign_in  # noqa: F401

# ... and the end-to-end fixtures they stand on.
from tests.e2e.conftest import bot_clock, demo, emulator, transport, world  # noqa: F401
from tests.e2e.test_scheduled_jobs import jobs  # noqa: F401

# ruff: noqa: F811 (pytest passes those fixtures in by the same names)

KUDOS = (
    ("maja", "/kudos @alice for the calm boarding at gate 12 #customer-first"),  # Cabin -> Gate
    ("alice", "/kudos @daniel for rebooking the family overnight #ownership"),  # Gate -> Care
    ("ingrid", "/kudos @oliver @emma for the galley rescue #customer-first #teamwork"),
    ("wang.fang", "/kudos @sara 谢谢你耐心帮助顾客 #customer-first"),  # Care -> Care
)
FOLDED = "Check-in & Gate"


@pytest.fixture
def recognised(world, dashboard) -> str:
    """The dashboard's address, after the kudos above were given in Slack."""
    for giver, command in KUDOS:
        world.user(giver).runs(command)
        assert ":tada:" in world.user(giver).last_ephemeral().text  # sent, in any language
    return dashboard


def recognition(page: Page, emulator, dashboard: str, user_id: str) -> None:
    sign_in(page, emulator, dashboard, user_id)
    page.goto(f"{dashboard}/dashboard/recognition")


def test_hr_reads_recognition_over_time_by_value_and_by_team_with_its_charts(
    page, emulator, recognised
):
    sign_in(page, emulator, recognised, "U0KARIN01")  # lands on the pulse

    page.get_by_role("link", name="Recognition").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Recognition")
    for chart in range(3):  # per week, by value, by team
        assert_chart_drawn(page, f"figure >> nth={chart}")
    week = page.locator("#week tbody tr").last
    expect(week.locator("td")).to_have_text(["5", "5"])  # five kudos, none revoked
    values = page.locator("#value tbody")
    expect(values.locator("tr", has_text="Customer first").locator("td")).to_have_text("4")
    expect(values.locator("tr", has_text="Teamwork").locator("td")).to_have_text("2")
    matrix = page.locator("#matrix tbody")
    expect(matrix.locator("tr", has_text="Cabin Crew").first.locator("td")).to_have_text(
        ["2", "0", "1"]  # Ingrid to Oliver and Emma; Maja to Alice (in Other teams)
    )
    expect(page.locator("#team")).to_contain_text("1 team is counted among Other teams")
    assert FOLDED not in page.content(), "folded: named nowhere"


def test_the_csv_holds_the_figures_shown(page, emulator, recognised):
    recognition(page, emulator, recognised, "U0KARIN01")

    rows = list(csv.reader(io.StringIO(download_csv(page, "Download these figures as CSV"))))

    assert ["matrix", "Cabin Crew", "Cabin Crew", "2"] in rows
    assert ["matrix", "Other teams", "Customer Care", "1"] in rows
    assert ["value", "Customer first", "4"] in rows
    assert not any(FOLDED in cell for row in rows for cell in row)


def test_a_leader_reads_their_own_team(page, emulator, recognised):
    recognition(page, emulator, recognised, "U0INGRI01")

    expect(page.get_by_role("heading", level=1)).to_have_text("Recognition · Cabin Crew")
    for chart in range(2):  # per week, by value
        assert_chart_drawn(page, f"figure >> nth={chart}")
    expect(page.locator("#week tbody tr").last.locator("td")).to_have_text(
        ["3", "2", "3", "2"]  # given: Oliver, Emma, Alice; received: Oliver, Emma
    )
    html = page.content()
    assert "Customer Care" not in html and "Other teams" not in html
    assert page.locator("#matrix").count() == 0


def test_a_leader_whose_team_is_folded_is_told_it_is_hidden(browser: Browser, emulator, recognised):
    context = browser.new_context(locale="en-GB")
    page = context.new_page()

    recognition(page, emulator, recognised, "U0ERIK001")

    expect(page.get_by_role("heading", level=1)).to_have_text(f"Recognition · {FOLDED}")
    expect(page.locator("main")).to_contain_text("hidden to protect anonymity")
    assert page.locator("figure").count() == 0
    context.close()
