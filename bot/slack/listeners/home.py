"""The App Home tab, published when a member opens it."""

from __future__ import annotations

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from bot.slack.story_flow import publish_home


def register(app: App) -> None:
    app.event("app_home_opened")(home_opened)


def home_opened(event: dict, context: BoltContext, client: WebClient) -> None:
    if event.get("tab", "home") == "home":
        publish_home(client, context)
