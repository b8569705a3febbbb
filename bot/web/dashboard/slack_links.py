"""Links from the dashboard to a story's card in Slack.

With the workspace's domain (Slack names it when someone signs in; signin.py keeps it in
the session), a link is the card's permalink, https://DOMAIN.slack.com/archives/C/pTS,
the address Slack's own "Copy link" gives. Without one (a session from before motbot kept
it), Slack's documented https://slack.com/app_redirect?team=T&channel=C opens the channel
the card was posted in. Either way no call to Slack is made per story.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from bot.domain.dashboard_access import DashboardViewer
from bot.web.dashboard.signin import signed_in_domain


@dataclass(frozen=True)
class SlackLinks:
    team_id: str
    domain: str | None

    def card(self, channel_id: str | None, message_ts: str | None) -> str | None:
        """A link to the card posted at `message_ts` in `channel_id`; None while a story
        has no card."""
        if not channel_id or not message_ts:
            return None
        if self.domain:
            permalink_ts = message_ts.replace(".", "")
            return f"https://{self.domain}.slack.com/archives/{channel_id}/p{permalink_ts}"
        return "https://slack.com/app_redirect?" + urlencode(
            {"team": self.team_id, "channel": channel_id}
        )


def slack_links(viewer: DashboardViewer) -> SlackLinks:
    """Links into the signed-in viewer's workspace."""
    return SlackLinks(viewer.slack_team_id, signed_in_domain())
