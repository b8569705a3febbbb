"""The adoption page in a real browser (Debian's Chromium through Playwright): people give
kudos with /kudos in the emulated Slack (tests/browser/test_dashboard_recognition.py's),
then HR and a leader sign in with Slack and read who took part, charts drawn on the page.

Everyone motbot knows joined this week, so the curves have one week, drawn as bars. Of
the seventeen active people, eight took part: Maja, Ingrid, Oliver and Emma of Cabin Crew
(4 of 5), Daniel, Wang Fang and Sara of Customer Care (3 of 5), and Alice of Check-in &
Gate, the team folded to keep the rest at K 5: it has no curve and is named nowhere.
"""

from __future__ import annotations

import csv
import io

from playwright.sync_api import expect

from tests.browser.charts import assert_chart_drawn
from tests.browser.downloads import download_csv

# The dashboard's fixtures (the bot serving it, after a closed pulse round) ...
from tests.browser.test_dashboard import bot_env, dashboard, dashboard_port, sign_in  # noqa: F401

# ... the kudos given in Slack ...
from tests.browser.test_dashboard_recognition import FOLDED, recognised  # noqa: F401

# ... and the end-to-end fixtures they stand on.
from tests.e2e.conftest import bot_clock, demo, emulator, transport, world  # noqa: F401
from tests.e2e.test_scheduled_jobs import jobs  # noqa: F401

# ruff: noqa: F811 (pytest passes those fixtures in by the same names)


def test_hr_reads_the_adoption_of_the_workspace_and_of_the_teams_shown(page, emulator, recognised):
    sign_in(page, emulator, recognised, "U0KARIN01")
    page.goto(f"{recognised}/dashboard/adoption")

    expect(page.get_by_role("heading", level=1)).to_have_text("Adoption of the culture")
    for chart in range(2):  # the workspace, then the teams shown
        assert_chart_drawn(page, f"figure >> nth={chart}")
    expect(page.locator("#workspace tbody tr").last.locator("td")).to_have_text(
        ["17", "8", "47%", "the active 20%"]
    )
    cabin = page.get_by_role("table", name="Cabin Crew").locator("tbody tr").last
    expect(cabin.locator("td")).to_have_text(["5", "4", "80%", "the majority has followed"])
    care = page.get_by_role("table", name="Customer Care").locator("tbody tr").last
    expect(care.locator("td")).to_have_text(["5", "3", "60%", "the active 20%"])
    assert FOLDED not in page.content(), "folded: named nowhere"

    text = download_csv(page, "Download these figures as CSV")
    rows = [row[:1] + row[2:] for row in csv.reader(io.StringIO(text))]  # without the week

    assert rows == [
        ["group", "active", "took_part", "share_pct", "stage"],
        ["Everyone", "17", "8", "47", "early_adopters"],
        ["Cabin Crew", "5", "4", "80", "majority"],
        ["Customer Care", "5", "3", "60", "early_adopters"],
    ]


def test_a_leader_reads_their_own_teams_curve_only(page, emulator, recognised):
    sign_in(page, emulator, recognised, "U0INGRI01")
    page.goto(f"{recognised}/dashboard/adoption")

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Adoption of the culture · Cabin Crew"
    )
    assert_chart_drawn(page, "figure")
    rows = page.locator("table tbody tr")
    expect(rows.last.locator("td")).to_have_text(["5", "4", "80%", "the majority has followed"])
    html = page.content()
    assert "Customer Care" not in html and "Everyone" not in html and FOLDED not in html
