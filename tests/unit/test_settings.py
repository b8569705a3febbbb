"""Settings are read from the environment and every mistake is named by its variable."""

from __future__ import annotations

import pytest

from bot.config import DEFAULT_DATABASE_URL, Settings, SettingsError


def test_defaults_need_nothing_but_give_a_working_sqlite_bot():
    settings = Settings.from_env({})

    assert settings.database_url == DEFAULT_DATABASE_URL == "sqlite:///motbot.db"
    assert settings.port == 3000
    assert settings.pulse_min_group == 5
    assert settings.locale == "en"
    assert settings.timezone == "UTC"
    assert settings.slack_api_url == "https://slack.com/api/"
    assert not settings.socket_mode


def test_every_variable_is_read():
    settings = Settings.from_env(
        {
            "SLACK_BOT_TOKEN": "xoxb-1",
            "SLACK_SIGNING_SECRET": "secret",
            "SLACK_APP_TOKEN": "xapp-1",
            "DATABASE_URL": "postgresql://postgres@db/motbot",
            "SLACK_API_URL": "http://127.0.0.1:9000/api",
            "PORT": "8080",
            "LOG_LEVEL": "debug",
            "MOTBOT_STORIES_CHANNEL": "C0STORIES",
            "MOTBOT_LEADERBOARD_CHANNEL": "C0BOARD",
            "MOTBOT_HR_CHANNEL": "G0HRPULSE",
            "MOTBOT_ADMINS": "U0ADMIN1",
            "MOTBOT_LEADERS": "U0LEAD1, U0LEAD2",
            "MOTBOT_HR_USERS": "U0HR1",
            "MOTBOT_PULSE_MIN_GROUP": "7",
            "MOTBOT_TIMEZONE": "Asia/Shanghai",
            "MOTBOT_LOCALE": "zh_CN",
        }
    )

    assert settings.socket_mode
    assert settings.slack_api_url == "http://127.0.0.1:9000/api/"
    assert settings.port == 8080
    assert settings.log_level == "DEBUG"
    assert settings.leaders == ("U0LEAD1", "U0LEAD2")
    assert settings.hr_channel == "G0HRPULSE"
    assert settings.pulse_min_group == 7
    assert settings.timezone == "Asia/Shanghai"
    assert settings.locale == "zh-CN"


@pytest.mark.parametrize("k", ["0", "1", "2"])
def test_an_anonymity_threshold_below_three_is_refused(k):
    with pytest.raises(SettingsError) as raised:
        Settings.from_env({"MOTBOT_PULSE_MIN_GROUP": k})

    assert "MOTBOT_PULSE_MIN_GROUP must be at least 3" in str(raised.value)


def test_three_is_the_smallest_threshold_allowed():
    assert Settings.from_env({"MOTBOT_PULSE_MIN_GROUP": "3"}).pulse_min_group == 3


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("PORT", "eighty", "PORT must be a whole number"),
        ("PORT", "70000", "PORT must be at most 65535"),
        ("MOTBOT_PULSE_MIN_GROUP", "five", "MOTBOT_PULSE_MIN_GROUP must be a whole number"),
        ("MOTBOT_TIMEZONE", "Mars/Olympus", "MOTBOT_TIMEZONE must be an IANA time zone"),
        ("MOTBOT_LOCALE", "fr", "MOTBOT_LOCALE must be one of en, zh-CN"),
        ("MOTBOT_STORIES_CHANNEL", "#moments", "MOTBOT_STORIES_CHANNEL must be a channel id"),
        ("MOTBOT_LEADERS", "U0LEAD1,bob", "MOTBOT_LEADERS must be comma-separated Slack user"),
        ("LOG_LEVEL", "loud", "LOG_LEVEL must be one of DEBUG"),
        ("SLACK_APP_TOKEN", "xoxb-wrong", "SLACK_APP_TOKEN must be an app-level token"),
        ("SLACK_API_URL", "slack.com/api", "SLACK_API_URL must be an http(s) URL"),
    ],
)
def test_an_invalid_value_is_named_with_what_is_expected(name, value, expected):
    with pytest.raises(SettingsError) as raised:
        Settings.from_env({name: value})

    assert expected in str(raised.value)


def test_all_problems_are_reported_together():
    with pytest.raises(SettingsError) as raised:
        Settings.from_env({"PORT": "x", "MOTBOT_PULSE_MIN_GROUP": "1", "MOTBOT_LOCALE": "de"})

    assert len(raised.value.problems) == 3


def test_running_needs_the_bot_token_and_signing_secret():
    with pytest.raises(SettingsError) as raised:
        Settings.from_env({}).require_slack_credentials()

    message = str(raised.value)
    assert "SLACK_BOT_TOKEN" in message
    assert "SLACK_SIGNING_SECRET" in message


def test_socket_mode_needs_no_signing_secret():
    settings = Settings.from_env({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1"})

    settings.require_slack_credentials()
    assert settings.socket_mode


def test_team_groups_are_user_group_ids():
    settings = Settings.from_env({"MOTBOT_TEAM_GROUPS": "S0GATE001, S0CABIN01"})

    assert settings.team_groups == ("S0GATE001", "S0CABIN01")
    with pytest.raises(SettingsError, match="MOTBOT_TEAM_GROUPS must be comma-separated Slack"):
        Settings.from_env({"MOTBOT_TEAM_GROUPS": "@gate-team"})
