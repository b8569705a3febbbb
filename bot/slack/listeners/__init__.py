"""Every listener is registered here, in one place."""

from __future__ import annotations

from slack_bolt import App

from bot.slack.listeners import (
    home,
    installation,
    kudos,
    mot_command,
    pulse,
    pulse_admin,
    stories,
)


def register_listeners(app: App) -> None:
    mot_command.register(app)
    home.register(app)
    stories.register(app)
    kudos.register(app)
    pulse.register(app)
    pulse_admin.register(app)
    installation.register(app)
