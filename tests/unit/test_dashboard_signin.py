"""Signing in to the dashboard: where a browser may be sent after signing in (never
another site), the workspace domain kept for links to Slack, and the dashboard's own
cookie key."""

from __future__ import annotations

import pytest

from bot.web.dashboard import session_key
from bot.web.dashboard.signin import safe_next, workspace_domain

SECRET = "s" * 40


@pytest.mark.parametrize("target", ["/dashboard/pulse", "/dashboard/", "/dashboard/pulse?x=1"])
def test_a_dashboard_page_is_a_place_to_return_to(target):
    assert safe_next(target) == target


@pytest.mark.parametrize(
    "target",
    [
        None,
        "",
        "https://evil.example/dashboard/pulse",
        "//evil.example/dashboard",
        "/\\evil.example",
        "/slack/events",
        "javascript:alert(1)",
        "/dashboard\\..\\evil",
    ],
)
def test_anything_else_is_not(target):
    assert safe_next(target) is None


@pytest.mark.parametrize("domain", ["nordlys-air", "acme", "a1-b2"])
def test_a_slack_domain_is_kept_for_links_to_cards(domain):
    assert workspace_domain(domain) == domain


@pytest.mark.parametrize(
    "claim", [None, "", 42, "evil.example/x", "Acme", "-acme", "a" * 64, "acme?x=1", "acme#"]
)
def test_anything_that_could_point_a_link_elsewhere_is_not(claim):
    assert workspace_domain(claim) is None


def test_the_cookie_key_is_its_own_and_the_same_for_the_same_secret():
    key = session_key(SECRET)

    assert key == session_key(SECRET) and len(key) == 32
    assert key != SECRET.encode()[:32]
    assert key != session_key("t" * 40)
