"""The story wall in a real browser (Debian's Chromium through Playwright). People of the
demo workspace share stories in the emulated Slack as they would (/mot, the modal, a
leader's backing); then HR filters the wall with its form, without JavaScript, and finds
the right cards with their links to Slack, and a leader finds their own team's."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page, expect

from bot.sandbox.demo import STORIES_CHANNEL
from tests.browser.downloads import download_csv

# The dashboard after a pulse round, in the demo workspace (tests/browser/test_dashboard.py).
from tests.browser.test_dashboard import bot_env, dashboard, dashboard_port, sign_in  # noqa: F401
from tests.e2e.conftest import bot_clock, demo, emulator, transport, world  # noqa: F401
from tests.e2e.test_scheduled_jobs import jobs  # noqa: F401
from tests.e2e.test_stories import STORIES, share

# ruff: noqa: F811 (pytest passes those fixtures in by the same names)

WENT_WRONG = "Did something go wrong first? What was it?"
VALUES = "Company values it shows"

# A card in Slack, as the workspace's domain (from the sign-in) makes its permalink.
CARD_LINK = rf"https://nordlys-air\.slack\.com/archives/{STORIES_CHANNEL}/p\d{{16}}"


@pytest.fixture
def stories(world, dashboard) -> str:
    """Three stories, shared and backed in Slack; the dashboard's address."""
    alice, oliver, erik = world.user("alice"), world.user("oliver"), world.user("erik")
    share(alice, **{"Empowerment": ["yes"], VALUES: ["customer-first"]})
    erik.clicks("Back this decision", on=world.channel(STORIES).last_message())
    share(
        oliver,
        **{
            "Where it happened": "phone",
            WENT_WRONG: "We sent her bag to Bergen instead of Oslo.",
            "What did the customer need?": "Her suitcase, before the conference.",
            "What did you do?": "I had it driven to her hotel by taxi.",
            "What was the outcome for the customer?": "She had it by 9 pm.",
            VALUES: ["trust"],
        },
    )
    share(
        alice,
        **{
            "Where it happened": "chat",
            "What did the customer need?": "一位老人在登机口找不到他的行李票。",
            "What did you do?": "我当场为他补打了行李票。",
            "What was the outcome for the customer?": "<b>He boarded on time</b>",
        },
    )
    return dashboard


def cards(page: Page):
    return page.locator("article.story")


def test_hr_filters_the_story_wall_and_finds_the_cards_with_their_slack_links(
    page, emulator, stories
):
    sign_in(page, emulator, stories, "U0KARIN01")
    page.get_by_role("link", name="Story wall").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Story wall")
    expect(page.locator("main")).to_contain_text("3 stories")
    expect(cards(page)).to_have_count(3)
    expect(cards(page).first).to_contain_text("<b>He boarded on time</b>")  # as text

    page.get_by_label("Touchpoint").select_option(label="On site")
    page.get_by_label("Decided on the spot").select_option(label="Yes")
    page.get_by_label("Backed by a leader").select_option(label="Yes")
    page.get_by_role("button", name="Filter").click()

    expect(cards(page)).to_have_count(1)
    card = cards(page).first
    expect(card).to_contain_text("A family of five had missed their connection in Oslo.")
    expect(card).to_contain_text("Backed by Erik")
    expect(card).to_contain_text("#customer-first")
    link = card.get_by_role("link", name="Open in Slack").get_attribute("href") or ""
    assert re.fullmatch(
        rf"https://nordlys-air\.slack\.com/archives/{STORIES_CHANNEL}/p\d{{16}}", link
    )
    assert parse_qs(urlsplit(page.url).query) == {  # a plain GET form
        "touchpoint": ["on_site"],
        "on_spot": ["yes"],
        "backed": ["yes"],
    }
    expect(page.get_by_label("Touchpoint")).to_have_value("on_site")

    page.get_by_label("Touchpoint").select_option(label="Any")
    page.get_by_label("Decided on the spot").select_option(label="Any")
    page.get_by_label("Backed by a leader").select_option(label="Any")
    page.get_by_label("Service recovery").select_option(label="Yes")
    page.get_by_role("button", name="Filter").click()

    expect(cards(page)).to_have_count(1)
    expect(cards(page).first).to_contain_text("We sent her bag to Bergen instead of Oslo.")
    expect(cards(page).first).to_contain_text("Phone · Oliver")

    page.get_by_label("Service recovery").select_option(label="Any")
    page.get_by_label("Search the stories").fill("行李票")
    page.get_by_role("button", name="Filter").click()

    expect(cards(page)).to_have_count(1)
    expect(cards(page).first).to_contain_text("我当场为他补打了行李票。")


def test_hr_downloads_the_filtered_stories_as_csv(page, emulator, stories):
    sign_in(page, emulator, stories, "U0KARIN01")
    page.goto(f"{stories}/dashboard/stories?value=trust")

    text = download_csv(page, "Download these stories as CSV")

    assert "We sent her bag to Bergen instead of Oslo." in text
    assert "A family of five" not in text and "行李票" not in text


def test_a_leader_reads_the_stories_of_their_own_team(page, emulator, stories):
    sign_in(page, emulator, stories, "U0INGRI01")  # Cabin Crew: Oliver's story
    page.goto(f"{stories}/dashboard/stories")

    expect(page.get_by_role("heading", level=1)).to_have_text("Story wall · Cabin Crew")
    expect(cards(page)).to_have_count(1)
    expect(cards(page).first).to_contain_text("Oliver")
    assert "A family of five" not in page.content()
