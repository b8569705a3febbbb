"""The story wall page and its CSV through Flask's test client, on both databases: filters
from the query string, what people wrote shown as text (never markup), cells a
spreadsheet would run defused, and the page closed to employees."""

from __future__ import annotations

import re
from html import unescape

import pytest
from flask import Flask
from sqlalchemy import update

from bot.db.engine import unit_of_work
from bot.db.models import Member
from bot.domain.story_wall import PER_PAGE
from bot.web.dashboard.csv_files import spreadsheet_safe
from bot.web.dashboard.story_wall_page import excerpt
from tests.support.dashboard import csv_rows as rows_of
from tests.support.dashboard import dashboard_app
from tests.support.dashboard import signed_in as signed_in_to
from tests.support.story_wall import (
    ALICE,
    DAN,
    ERIK,
    KARIN,
    OLIVER,
    TEAM,
    story_wall_workspace,
    tell,
)

DOMAIN = "wall-air"  # as Slack named the workspace when its person signed in


@pytest.fixture
def web(sessions) -> Flask:
    return dashboard_app(sessions)


@pytest.fixture
def wall(sessions):
    return story_wall_workspace(sessions)


def signed_in(web: Flask, user_id: str, locale: str = "en-US", domain: str | None = DOMAIN):
    return signed_in_to(web, TEAM, user_id, locale, domain)


def page_of(web: Flask, user_id: str, url: str, locale: str = "en-US") -> str:
    answer = signed_in(web, user_id, locale).get(url)
    assert answer.status_code == 200
    return answer.get_data(as_text=True)


def stories_in(html: str) -> list[str]:
    """The headings of the story cards on a page, as text."""
    return [
        unescape(re.sub(r"<[^>]+>", "", heading)).split(" with ")[0]
        for heading in re.findall(r'<article class="story">\s*<h2>(.*?)</h2>', html, re.S)
    ]


def csv_rows(web: Flask, user_id: str, url: str) -> list[list[str]]:
    answer = signed_in(web, user_id).get(url)
    assert answer.headers["Content-Disposition"].startswith('attachment; filename="motbot-stories')
    return rows_of(answer)


# --- the page ---------------------------------------------------------------------------


def test_a_stranger_is_sent_to_sign_in_and_back_to_the_filtered_wall(web):
    answer = web.test_client().get("/dashboard/stories?touchpoint=chat")

    assert answer.status_code == 302
    assert answer.headers["Location"].startswith("/dashboard/login?next=/dashboard/stories")
    assert "touchpoint%3Dchat" in answer.headers["Location"]


def test_hr_reads_every_story_with_its_details_and_a_link_to_slack(web, wall):
    answer = signed_in(web, KARIN).get("/dashboard/stories")
    html = answer.get_data(as_text=True)

    assert answer.status_code == 200
    assert "<h1>Story wall</h1>" in html and "5 stories" in html
    assert stories_in(html) == [
        "2026-11-23 · In person · Dan",
        "2026-11-23 · Email · Dan",
        "2026-11-23 · Chat · Oliver",
        "2026-11-23 · On site · Oliver",
        "2026-11-23 · Phone · Alice",
    ]
    assert "Another passenger stranded" not in html, "deleted"
    assert "with Björn" in html and "with Alice" in html
    assert "Backed by Erik" in html and "2 positive moment of truth tags" in html
    assert "Awaiting a leader&#39;s backing" in html  # the refund: on the spot, not backed
    assert "Rebooking fees need a supervisor" in html and "policy area: Refunds" in html
    assert "#customer-first" in html and "We lost her bag in transfer." in html
    assert (
        len(re.findall(r'href="https://wall-air\.slack\.com/archives/C0STORIES/p\d{16}"', html))
        == 5
    )
    assert 'href="/dashboard/stories"' in html, "the wall is in the navigation"
    assert "<script" not in html
    assert answer.headers["X-Frame-Options"] == "DENY"
    assert "no-store" in answer.headers["Cache-Control"]


def test_the_filters_come_from_the_query_string_and_stay_chosen_in_the_form(web, wall):
    html = page_of(web, KARIN, "/dashboard/stories?touchpoint=chat&on_spot=yes&q=refund")

    assert stories_in(html) == ["2026-11-23 · Chat · Oliver"]
    assert '<option value="chat" selected>' in html
    assert re.search(r'<select name="on_spot">.*?<option value="yes" selected>', html, re.S)
    assert 'name="q" maxlength="100" value="refund"' in html
    assert "1 story" in html and "Clear the filters" in html
    assert 'href="/dashboard/stories.csv?q=refund&amp;touchpoint=chat&amp;on_spot=yes"' in html


def test_the_value_and_backed_filters(web, wall):
    by_value = page_of(web, KARIN, "/dashboard/stories?value=%23trust")
    not_backed = page_of(web, KARIN, "/dashboard/stories?backed=no&recovery=no&on_spot=yes")

    assert stories_in(by_value) == ["2026-11-23 · On site · Oliver"]
    assert '<option value="trust" selected>' in by_value
    assert stories_in(not_backed) == ["2026-11-23 · Chat · Oliver"]


def test_untrusted_filters_are_ignored_with_a_note_shown_as_text(web, wall):
    html = page_of(
        web,
        KARIN,
        "/dashboard/stories?touchpoint=%3Cimg+src%3Dx+onerror%3Dalert(1)%3E&value=nope"
        "&backed=perhaps&page=-4&q=" + "x" * 150,
    )

    assert "&lt;img src=x onerror=alert(1)&gt;" in html and "<img" not in html
    assert "is not a touchpoint, so that filter was ignored" in html
    assert "“nope” is not one of the company values" in html
    assert "“perhaps” is neither yes nor no" in html
    assert "Only the first 100 characters of the search were used." in html
    assert 'value="' + "x" * 100 + '"' in html
    assert "No story matches these filters." in html


def test_a_story_that_holds_markup_is_shown_as_text(web, sessions, wall):
    tell(
        sessions,
        wall.people[OLIVER],
        20,
        customer_need='<script>alert("story")</script>',
        action_taken='<a href="javascript:alert(1)">click</a> & more',
    )

    html = page_of(web, KARIN, "/dashboard/stories?q=alert")

    assert "<script>alert" not in html and "<script" not in html
    assert "&lt;script&gt;alert(&#34;story&#34;)&lt;/script&gt;" in html
    assert "&lt;a href=&#34;javascript:alert(1)&#34;&gt;click&lt;/a&gt; &amp; more" in html
    assert 'href="javascript' not in html


def test_pages_link_to_each_other_keeping_the_filters(web, sessions, wall):
    for minute in range(PER_PAGE + 2):
        tell(sessions, wall.people[ALICE], 100 + minute, touchpoint="other")

    first = page_of(web, KARIN, "/dashboard/stories?touchpoint=other")
    last = page_of(web, KARIN, "/dashboard/stories?touchpoint=other&page=7")

    assert "27 stories" in first and "Page 1 of 2" in first
    assert 'href="/dashboard/stories?touchpoint=other&amp;page=2" rel="next"' in first
    assert "Page 2 of 2" in last and len(stories_in(last)) == 2
    assert 'href="/dashboard/stories?touchpoint=other&amp;page=1" rel="prev"' in last
    assert 'rel="next"' not in last


def test_a_leader_reads_their_own_teams_stories(web, wall):
    html = page_of(web, ERIK, "/dashboard/stories")

    assert "<h1>Story wall · Check-in &amp; Gate</h1>" in html
    assert stories_in(html) == [
        "2026-11-23 · Email · Dan",
        "2026-11-23 · On site · Oliver",
        "2026-11-23 · Phone · Alice",
    ]


def test_the_wall_speaks_chinese(web, sessions, wall):
    with unit_of_work(sessions) as session:
        session.execute(
            update(Member)
            .where(Member.id == wall.people[KARIN].member_id)
            .values(locale="zh-CN", tz="Asia/Shanghai")
        )

    html = page_of(web, KARIN, "/dashboard/stories?q=行李", locale="zh-CN")

    assert "<h1>故事墙</h1>" in html and "1 个故事" in html
    assert "2026-11-23 · 电子邮件 · Dan" in stories_in(html)[0]
    assert "顾客的行李丢了。" in html and "在 Slack 中打开" in html
    assert "接触点" in html and "现场决策" in html and "领导支持" in html and "服务补救" in html


def test_an_employee_is_refused(web, wall):
    answer = signed_in(web, DAN).get("/dashboard/stories")
    csv_answer = signed_in(web, DAN).get("/dashboard/stories.csv")

    assert answer.status_code == 403 and csv_answer.status_code == 403
    assert "The dashboard is for HR, admins and leaders" in answer.get_data(as_text=True)
    assert "Copenhagen" not in answer.get_data(as_text=True) + csv_answer.get_data(as_text=True)


# --- the CSV ----------------------------------------------------------------------------


def test_the_csv_holds_the_filtered_stories(web, wall):
    rows = csv_rows(web, KARIN, "/dashboard/stories.csv?on_spot=yes")

    assert rows[0][:3] == ["Date", "Touchpoint", "The customer needed"]
    assert [row[1] for row in rows[1:]] == ["Chat", "Phone"]
    copenhagen = rows[2]
    assert copenhagen[0] == "2026-11-23"
    assert copenhagen[2] == "A passenger missed the connection in Copenhagen."
    assert copenhagen[6:-1] == [
        "#customer-first",
        "2",
        "Erik",
        "No",
        "Yes",
        "Rebooking fees need a supervisor",
        "",
    ]
    assert re.fullmatch(r"https://wall-air\.slack\.com/archives/C0STORIES/p\d{16}", copenhagen[-1])
    assert rows[0][-1] == "Link in Slack"
    assert rows[1][-3:-1] == ["a usual rule", "Refunds"]


def test_a_leaders_csv_holds_their_team_only(web, wall):
    rows = csv_rows(web, ERIK, "/dashboard/stories.csv")

    assert [row[1] for row in rows[1:]] == ["Email", "On site", "Phone"]


def test_cells_a_spreadsheet_would_run_are_defused(web, sessions, wall):
    with unit_of_work(sessions) as session:
        session.execute(
            update(Member)
            .where(Member.id == wall.people[ERIK].member_id)
            .values(display_name="@Erik")
        )
    tell(
        sessions,
        wall.people[OLIVER],
        30,
        touchpoint="other",
        customer_need='=HYPERLINK("http://evil.example","click")',
        action_taken="+1 upgrade",
        outcome="-2 hours of waiting",
        went_wrong="@SUM(A1:A9)",
    )

    rows = csv_rows(web, KARIN, "/dashboard/stories.csv?touchpoint=other")
    backed = csv_rows(web, KARIN, "/dashboard/stories.csv?backed=yes")

    assert rows[1][2:6] == [
        '\'=HYPERLINK("http://evil.example","click")',
        "'+1 upgrade",
        "'-2 hours of waiting",
        "'@SUM(A1:A9)",
    ]
    assert backed[1][8] == "'@Erik"


# --- pure parts -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "safe"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@A1", "'@A1"),
        ("\t=1", "'\t=1"),
        ("a=1", "a=1"),
        ("", ""),
    ],
)
def test_spreadsheet_safe(cell, safe):
    assert spreadsheet_safe(cell) == safe


def test_excerpt_cuts_at_a_word_and_says_so():
    text = "word " * 100

    assert excerpt("short  text\nhere") == "short text here"
    assert len(excerpt(text)) <= 280 and excerpt(text).endswith("word…")


def test_a_session_from_before_the_domain_was_kept_links_to_the_stories_channel(web, wall):
    answer = signed_in(web, KARIN, domain=None).get("/dashboard/stories")

    html = answer.get_data(as_text=True)
    assert (
        html.count('href="https://slack.com/app_redirect?team=T0WALL001&amp;channel=C0STORIES"')
        == 5
    )
    assert ".slack.com/archives/" not in html
