"""`/mot admin ...` as Slack delivers it (escaped), read into one request."""

from __future__ import annotations

from datetime import time

import pytest

from bot.domain.errors import DomainError
from bot.slack.admin_text import (
    AddValue,
    ChangeRole,
    ListValues,
    Overview,
    RemoveValue,
    SetChannel,
    SetLocale,
    SetNumber,
    SetRoleGroup,
    SetSchedule,
    SetTimezone,
    ShowAudit,
    ShowRole,
    Unknown,
    parse_admin_command,
    parse_time,
    parse_weekday,
)
from bot.slack.kudos_text import SlackReference, slack_reference


@pytest.mark.parametrize(
    ("text", "request_"),
    [
        ("", Overview()),
        ("help", Overview()),
        ("channel stories <#C0MOMENTS|moments-of-truth>", SetChannel("stories", "C0MOMENTS")),
        ("channel leaderboard <#C0LEADERB>", SetChannel("leaderboard", "C0LEADERB")),
        ("channel hr G0HRPULSE", SetChannel("hr", "G0HRPULSE")),
        ("Channel HR none", SetChannel("hr", None)),
        ("values", ListValues()),
        ("values add #full-trust Full trust", AddValue("full-trust", "Full trust")),
        (
            "values add <#C0TRUST01|trust> Trust &amp; respect",
            AddValue("trust", "Trust & respect"),
        ),
        ("values remove #trust", RemoveValue("trust")),
        ("leaders", ShowRole("leader")),
        (
            "leaders add <@U0ALICE01|alice> <@U0BJORN01> U0MAJA001",
            ChangeRole("leader", True, ("U0ALICE01", "U0BJORN01", "U0MAJA001")),
        ),
        ("hr remove <@U0KARIN01|karin>", ChangeRole("hr", False, ("U0KARIN01",))),
        ("leaders group <!subteam^S0DUTY001|@duty>", SetRoleGroup("leader", "S0DUTY001")),
        ("hr group <!subteam^S0HRTEAM1>", SetRoleGroup("hr", "S0HRTEAM1")),
        ("leaders group none", SetRoleGroup("leader", None)),
        ("budget 12", SetNumber("budget", 12)),
        ("budget -3", SetNumber("budget", -3)),
        ("leader-budget none", SetNumber("leader-budget", None)),
        ("leader-budget 20", SetNumber("leader-budget", 20)),
        ("k 7", SetNumber("k", 7)),
        ("K 2", SetNumber("k", 2)),
        ("schedule tuesday 10:00", SetSchedule(1, time(10, 0))),
        ("schedule Fri 9:30", SetSchedule(4, time(9, 30))),
        ("schedule 周三 16:45", SetSchedule(2, time(16, 45))),
        ("schedule 14:00 星期日", SetSchedule(6, time(14, 0))),
        ("timezone Asia/Shanghai", SetTimezone("Asia/Shanghai")),
        ("locale zh-CN", SetLocale("zh-CN")),
        ("audit", ShowAudit()),
        ("coffee", Unknown("coffee")),
    ],
)
def test_each_command_reads_into_its_request(text, request_):
    assert parse_admin_command(text) == request_


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("channel", "admin.usage.channel"),
        ("channel stories", "admin.usage.channel"),
        ("channel lunch <#C0LUNCH01|lunch>", "admin.usage.channel"),
        ("channel stories #nowhere", "admin.errors.channel_unlinked"),
        ("channel stories <@U0ALICE01>", "admin.usage.channel"),
        ("values add #tag", "admin.usage.values_add"),
        ("values drop #tag", "admin.usage.values"),
        ("leaders add", "admin.usage.leader"),
        ("leaders add @bob", "admin.errors.unreadable_person"),
        ("leaders add <!subteam^S0DUTY001|@duty>", "admin.errors.group_in_people_leader"),
        ("hr add <!here>", "admin.errors.group_in_people_hr"),
        ("leaders group @duty", "admin.errors.group_unlinked"),
        ("hr group", "admin.usage.hr"),
        ("budget ten", "admin.usage.budget"),
        ("budget", "admin.usage.budget"),
        ("k none", "admin.usage.k"),
        ("schedule someday 10:00", "admin.usage.schedule"),
        ("schedule tuesday 25:00", "admin.usage.schedule"),
        ("schedule tuesday", "admin.usage.schedule"),
        ("timezone", "admin.usage.timezone"),
        ("locale", "admin.usage.locale"),
    ],
)
def test_a_command_that_cannot_be_read_answers_with_its_usage(text, key):
    with pytest.raises(DomainError) as refused:
        parse_admin_command(text)

    assert refused.value.key == key


@pytest.mark.parametrize(
    ("word", "day"),
    [
        ("Monday", 0),
        ("tue", 1),
        ("TUES", 1),
        ("thurs", 3),
        ("sun", 6),
        ("周一", 0),
        ("周日", 6),
        ("周天", 6),
        ("星期五", 4),
        ("星期天", 6),
        ("礼拜二", 1),
        ("someday", None),
        ("周八", None),
    ],
)
def test_weekdays_in_english_and_chinese(word, day):
    assert parse_weekday(word) == day


@pytest.mark.parametrize(
    ("word", "at"),
    [
        ("10:00", time(10)),
        ("9:05", time(9, 5)),
        ("23:59", time(23, 59)),
        ("10：30", time(10, 30)),
        ("24:00", None),
        ("10:60", None),
        ("10am", None),
        ("10", None),
    ],
)
def test_times_are_24_hour(word, at):
    assert parse_time(word) == at


def test_slacks_escapes_name_what_they_reference():
    assert slack_reference("<@U0ALICE01|alice>") == SlackReference("user", "U0ALICE01", "alice")
    assert slack_reference("<!subteam^S0DUTY001|@duty>") == SlackReference(
        "usergroup", "S0DUTY001", "@duty"
    )
    assert slack_reference("<#C0MOMENTS>") == SlackReference("channel", "C0MOMENTS", "")
    assert slack_reference("<!channel>") == SlackReference("special", "channel", "")
    assert slack_reference("@alice") is None
    assert slack_reference("<@U1> and more") is None
