"""`/mot admin`'s messages: valid Block Kit within Slack's limits, inert user text, both
languages."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest

from bot.domain.workspace_admin import (
    AuditLine,
    Change,
    GroupChange,
    RoleChange,
    RoleHolders,
    ValueChange,
    ValueRow,
    WorkspaceSettings,
)
from bot.slack.blocks import MAX_MESSAGE_BLOCKS, MAX_SECTION_TEXT
from bot.slack.views.admin import (
    admin_error_message,
    admin_overview_message,
    audit_message,
    change_message,
    group_change_message,
    role_change_message,
    value_change_message,
    values_message,
)
from slackemu.blockkit import validate_message_blocks
from slackemu.render import render_message

LOCALES = ("en", "zh-CN")
HOSTILE = "<!channel> <@U0EVIL> <https://evil.example|your bank> & co"
NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


def settings(**changes) -> WorkspaceSettings:
    fields = {
        "locale": "en",
        "timezone": "Europe/Stockholm",
        "stories_channel_id": "C0MOMENTS",
        "leaderboard_channel_id": None,
        "hr_channel_id": "G0HRPULSE",
        "weekly_budget": 10,
        "leader_weekly_budget": None,
        "pulse_min_group": 5,
        "pulse_weekday": 1,
        "pulse_time": time(10, 0),
        "leaders": RoleHolders("leader", None, ("U0ERIK001",), ()),
        "hr": RoleHolders("hr", "S0HRTEAM1", (), ("U0KARIN01",)),
        "values": (ValueRow("customer-first", "Customer first", True),),
        "open_round": None,
    }
    fields.update(changes)
    return WorkspaceSettings(**fields)


def problems(message: dict) -> list:
    return validate_message_blocks(message["blocks"])


def section_texts(message: dict) -> list[str]:
    return [block["text"]["text"] for block in message["blocks"] if block["type"] == "section"]


@pytest.mark.parametrize("locale", LOCALES)
def test_the_overview_is_valid_block_kit_and_teaches_the_commands(locale):
    message = admin_overview_message(locale, settings())

    assert problems(message) == []
    shown = render_message(message["text"], message["blocks"])
    for command in (
        "/mot admin channel stories",
        "/mot admin values add",
        "/mot admin leaders add",
        "/mot admin hr group",
        "/mot admin budget",
        "/mot admin leader-budget",
        "/mot admin k",
        "/mot admin schedule",
        "/mot admin timezone",
        "/mot admin locale",
        "/mot admin audit",
    ):
        assert command in shown, command
    assert "<#C0MOMENTS>" in "\n".join(section_texts(message))
    assert "<!subteam^S0HRTEAM1>" in "\n".join(section_texts(message))


def test_the_overview_shows_the_settings_values():
    message = admin_overview_message(
        "en",
        settings(
            leader_weekly_budget=25, pulse_weekday=4, pulse_time=time(9, 30), open_round="2026-W48"
        ),
    )

    shown = render_message(message["text"], message["blocks"])
    assert "*25*" in "\n".join(section_texts(message))
    assert "Friday" in shown and "09:30" in shown
    assert "Europe/Stockholm" in shown
    assert "2026-W48 is open" in shown


@pytest.mark.parametrize("locale", LOCALES)
def test_a_huge_workspace_stays_within_slacks_limits_without_cutting_a_mention(locale):
    many = tuple(f"U0P{n:06d}" for n in range(400))
    values = tuple(ValueRow(f"value-{n}", HOSTILE * 3, True) for n in range(50))
    message = admin_overview_message(
        locale,
        settings(
            leaders=RoleHolders("leader", "S0LEADERS", many[:200], many[200:]),
            hr=RoleHolders("hr", None, many, ()),
            values=values,
        ),
    )

    assert problems(message) == []
    assert len(message["blocks"]) <= MAX_MESSAGE_BLOCKS
    for text in section_texts(message):
        assert len(text) <= MAX_SECTION_TEXT
        assert text.count("<@") == text.count("<@U0P"), "no mention cut in half"


def test_user_text_is_inert_in_every_message():
    values = [ValueRow("trust", HOSTILE, True), ValueRow("old", HOSTILE, False)]
    messages = [
        values_message("en", values),
        admin_overview_message("en", settings(values=tuple(values))),
        value_change_message("en", ValueChange("values.add", "trust", None, HOSTILE, True)),
        audit_message(
            "en",
            [AuditLine("U0HENRI01", NOW, "values.add", {"tag": "x", "from": None, "to": HOSTILE})],
            "UTC",
        ),
        admin_error_message("en", "admin.errors.unreadable_person", {"given": HOSTILE}),
    ]
    for message in messages:
        text = "\n".join(section_texts(message))
        assert "<!channel>" not in text
        assert "<@U0EVIL>" not in text
        assert "<https://evil.example" not in text


@pytest.mark.parametrize("locale", LOCALES)
def test_answers_to_changes_say_from_and_to(locale):
    moved = change_message(locale, Change("channel.stories", "C0MOMENTS", "C0SERVICE", True))
    same = change_message(locale, Change("budget.weekly", 10, 10, False))
    schedule = change_message(
        locale, Change("pulse.schedule", (1, time(10)), (2, time(16, 45)), True)
    )

    assert "<#C0MOMENTS> → <#C0SERVICE>" in moved["text"]
    assert "10" in same["text"]
    assert "16:45" in schedule["text"]
    for message in (moved, same, schedule):
        assert problems(message) == []


def test_the_english_answers_read_well():
    same = change_message("en", Change("budget.weekly", 10, 10, False))
    leader_budget = change_message("en", Change("budget.leader", 20, None, True))

    assert "already *10*: nothing changed" in same["text"]
    assert "*20* → the same as everyone" in leader_budget["text"]


def test_role_answers_name_who_changed_and_who_keeps_the_role_through_the_group():
    removed = role_change_message(
        "en",
        RoleChange(
            "leader",
            "leaders.remove",
            changed=("U0ALICE01",),
            unchanged=("U0BJORN01", "U0MAJA001"),
            through_group=("U0ALICE01", "U0BJORN01"),
        ),
    )
    text = removed["text"]

    assert "No longer named leaders: <@U0ALICE01>" in text
    assert "Not named leaders, nothing to remove: <@U0MAJA001>" in text
    assert "Still leaders as members of the leaders' user group: <@U0ALICE01>, <@U0BJORN01>" in text


@pytest.mark.parametrize("locale", LOCALES)
def test_group_answers(locale):
    message = group_change_message(
        locale, GroupChange("hr", None, "S0HRTEAM1", True, ("U0KARIN01",), ())
    )

    assert "<!subteam^S0HRTEAM1>" in message["text"]
    assert "<@U0KARIN01>" in message["text"]
    assert problems(message) == []


@pytest.mark.parametrize("locale", LOCALES)
def test_the_audit_log_lists_each_change_in_the_admins_time_zone(locale):
    lines = [
        AuditLine("U0HENRI01", NOW, "channel.stories", {"from": "C0MOMENTS", "to": "C0SERVICE"}),
        AuditLine(
            None,
            NOW - timedelta(hours=1),
            "leaders.group.sync",
            {"group": "S0DUTY001", "added": ["U0BJORN01"], "removed": []},
        ),
        AuditLine(
            "U0HENRI01",
            NOW,
            "pulse.schedule",
            {"from": {"weekday": 1, "time": "10:00"}, "to": {"weekday": 2, "time": "16:45"}},
        ),
        AuditLine(
            "U0HENRI01",
            NOW,
            "leaders.group",
            {"from": None, "to": "S0DUTY001", "added": ["U0MAJA001"], "removed": []},
        ),
        AuditLine("U0HENRI01", NOW, "something.new", {"x": 1}),
    ] * 4

    message = audit_message(locale, lines, "Asia/Shanghai")

    assert problems(message) == []
    texts = "\n".join(section_texts(message))
    assert "2026-11-24 17:00" in texts  # 09:00 UTC in Shanghai
    assert "<@U0HENRI01>" in texts
    assert "<#C0MOMENTS> → <#C0SERVICE>" in texts
    assert "16:45" in texts


def test_an_empty_audit_log_says_so():
    message = audit_message("en", [], "UTC")

    assert "No changes yet." in section_texts(message)


def test_an_unknown_audit_action_is_shown_inert_and_short_without_a_cut_entity():
    detail = {"note": "x" + "&" * 400}  # the old cut at 500 left a dangling "&amp"
    message = audit_message("en", [AuditLine(None, NOW, "something.new", detail)], "UTC")

    (line,) = [text for text in section_texts(message) if "something.new" in text]
    assert "&" + "&" not in line
    assert not line.rstrip("…").endswith(("&", "&a", "&am", "&amp"))
    assert len(line) < 700
