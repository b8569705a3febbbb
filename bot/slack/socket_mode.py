"""Socket Mode: the bot connects out to Slack over a websocket (SLACK_APP_TOKEN) instead
of serving HTTP. `motbot run` and the test harness build the connection here, alike."""

from __future__ import annotations

from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler

# slack_sdk's client takes a connection for dead after four unanswered pings: at Bolt's
# ten seconds, a network failure would leave the bot deaf for forty.
PING_SECONDS = 5.0


def socket_mode_handler(app: App, app_token: str) -> SocketModeHandler:
    return SocketModeHandler(app, app_token, ping_interval=PING_SECONDS)
