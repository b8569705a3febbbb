"""Every listener is registered here, in one place, and every `/mot` subcommand is in
one table (bot/slack/mot_commands.py) that `mot_commands()` builds without an App."""

from __future__ import annotations

from slack_bolt import App

from bot.slack.listeners import (
    admin,
    home,
    installation,
    kudos,
    leaderboard,
    mot_command,
    policies,
    pulse,
    pulse_admin,
    stories,
)
from bot.slack.mot_commands import MotCommands


def mot_commands() -> MotCommands:
    """`/mot`'s words and the guide, in the order the guide lists them."""
    table = MotCommands()
    stories.add_mot_commands(table)
    kudos.add_mot_commands(table)
    leaderboard.add_mot_commands(table)
    policies.add_mot_commands(table)
    pulse.add_mot_commands(table)
    admin.add_mot_commands(table)
    mot_command.add_mot_commands(table)
    return table


def register_listeners(app: App, commands: MotCommands | None = None) -> None:
    mot_command.register(app, commands or mot_commands())
    home.register(app)
    stories.register(app)
    kudos.register(app)
    pulse.register(app)
    pulse_admin.register(app)
    policies.register(app)
    installation.register(app)
