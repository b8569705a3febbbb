"""The App Home tab, published when a member opens it."""

from __future__ import annotations

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from bot.slack.middleware import requester_of
from bot.slack.views.home import home_view


def register(app: App) -> None:
    app.event("app_home_opened")(publish_home)


def publish_home(event: dict, context: BoltContext, client: WebClient) -> None:
    if event.get("tab", "home") != "home":
        return
    requester = requester_of(context)
    client.views_publish(user_id=requester.user_id, view=home_view(requester.locale))
