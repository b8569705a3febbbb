"""Links from the dashboard to a story's card in Slack: the card's permalink when the
workspace's domain is known, the stories channel when it is not, nothing without a card."""

from bot.web.dashboard.slack_links import SlackLinks

TS = "1700000000.000100"


def test_with_the_workspace_domain_a_link_opens_the_card_itself():
    links = SlackLinks("T1", "nordlys-air")

    assert links.card("C1", TS) == "https://nordlys-air.slack.com/archives/C1/p1700000000000100"


def test_without_it_a_link_opens_the_channel_the_card_is_in():
    links = SlackLinks("T1", None)

    assert links.card("C1", TS) == "https://slack.com/app_redirect?team=T1&channel=C1"


def test_a_story_not_posted_yet_has_no_link():
    links = SlackLinks("T1", "nordlys-air")

    assert links.card("C1", None) is None
    assert links.card(None, TS) is None
