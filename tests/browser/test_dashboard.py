"""The web dashboard in a real browser (Debian's Chromium through Playwright): people sign
in with Slack through the emulator, read what their role allows, and nothing of a group
below K reaches a page or a CSV. The bot runs in-process with the demo workspace, after
a pulse round in which all of Check-in & Gate answered (5; K is 5), four of Customer Care
and two of Cabin Crew: only Gate may be shown on its own (the other eleven minus Gate
leave six, so no difference reveals fewer than K)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from playwright.sync_api import Browser, Page, expect

from bot.sandbox.console import Console
from bot.sandbox.harness import dashboard_environment, free_port, sign_in_link
from bot.scheduling.pulse_jobs import close_pulse, send_pulse
from tests.browser.charts import assert_chart_drawn
from tests.browser.downloads import download_csv

# The end-to-end fixtures: the demo workspace in the emulator, the bot serving it.
from tests.e2e.conftest import bot_clock, demo, emulator, transport, world  # noqa: F401
from tests.e2e.test_scheduled_jobs import jobs  # noqa: F401

# ruff: noqa: F811 (pytest passes those fixtures in by the same names)

GATE = ("erik", "alice", "bjorn", "li.wei", "zhang.min")
CARE_FEW = ("daniel", "liu.yang", "sara", "james")  # four of Customer Care's five
CABIN_FEW = ("maja", "oliver")  # two of Cabin Crew's five


@pytest.fixture
def dashboard_port() -> int:
    return free_port()


@pytest.fixture
def bot_env(demo, emulator, dashboard_port):
    return {**demo.env(), **dashboard_environment(emulator, dashboard_port)}


@pytest.fixture
def dashboard(world, jobs, dashboard_port) -> str:
    """The dashboard's address, after a closed pulse round."""
    now = datetime.now(UTC)
    send_pulse(jobs(now, by_hand=True))
    console = Console(world, lambda _line: None)
    for name in (*GATE, *CARE_FEW, *CABIN_FEW):
        console.execute(f"answer {name} Agree")
    close_pulse(jobs(now, by_hand=True))
    return f"http://127.0.0.1:{dashboard_port}"


def sign_in(page: Page, emulator, dashboard: str, user_id: str) -> None:
    page.goto(sign_in_link(emulator, user_id, dashboard))


def test_hr_signs_in_with_slack_and_reads_the_culture_pulse_with_its_charts(
    page,
    emulator,
    dashboard,
):
    page.goto(f"{dashboard}/dashboard/pulse")
    expect(page.get_by_role("heading")).to_contain_text("Sign in to")  # the emulated Slack
    page.get_by_role("link", name="Continue as Karin Dahl").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Culture pulse")
    expect(page.locator("main")).to_contain_text("11 of 17 people answered")
    expect(page.locator("table")).to_contain_text("Check-in & Gate")
    for chart in range(3):
        assert_chart_drawn(page, f"figure >> nth={chart}")
    html = page.content()
    assert "Cabin Crew" not in html and "Customer Care" not in html, "below K: nowhere"


def test_the_csv_holds_only_the_groups_shown(page, emulator, dashboard):
    sign_in(page, emulator, dashboard, "U0KARIN01")

    text = download_csv(page, "Download these figures as CSV")

    assert "Check-in & Gate,5," in text
    assert "Cabin Crew" not in text and "Customer Care" not in text


def test_a_leader_reads_their_own_team_only(page, emulator, dashboard):
    sign_in(page, emulator, dashboard, "U0ERIK001")

    expect(page.get_by_role("heading", level=1)).to_have_text("Culture pulse · Check-in & Gate")
    expect(page.locator("table")).to_contain_text("Check-in & Gate")
    assert_chart_drawn(page, "figure")  # how his team answered
    assert "Whole workspace" not in page.content()


def test_a_leader_whose_team_is_hidden_is_told_so_in_chinese(browser: Browser, emulator, dashboard):
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()

    sign_in(page, emulator, dashboard, "U0WANGF01")  # Customer Care: four answered

    expect(page.get_by_role("heading", level=1)).to_have_text("文化脉搏 · Customer Care")
    expect(page.locator("main")).to_contain_text("为保护匿名，结果已隐藏")
    assert page.locator("figure").count() == 0
    context.close()


def test_an_employee_is_refused_with_a_page_that_says_why(page, emulator, dashboard):
    response = page.goto(sign_in_link(emulator, "U0ALICE01", dashboard))

    expect(page.get_by_role("heading", level=1)).to_have_text("This page is not for you")
    expect(page.locator("main")).to_contain_text("The dashboard is for HR, admins and leaders")
    assert response is not None and response.status == 403
    assert "Check-in" not in page.content()


def test_signing_out_ends_the_session(page, emulator, dashboard):
    sign_in(page, emulator, dashboard, "U0KARIN01")

    page.get_by_role("button", name="Sign out").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Signed out")
    after = page.request.get(f"{dashboard}/dashboard/pulse.csv", max_redirects=0)
    assert after.status == 302 and "/dashboard/login" in after.headers["location"]
