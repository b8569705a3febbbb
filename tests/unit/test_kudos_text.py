"""`/kudos` text as Slack delivers it: people, values and the reason, never confused."""

from __future__ import annotations

import pytest

from bot.slack.kudos_text import parse_kudos_text

VALUES = ("customer-first", "Ownership", "客户至上")


def parse(text: str):
    return parse_kudos_text(text, VALUES)


def test_people_values_and_the_reason_are_separated():
    parsed = parse("<@U0BJORN01|bjorn> <@U0MAJA001> for rebooking the Oslo family #customer-first")

    assert parsed.recipients == ("U0BJORN01", "U0MAJA001")
    assert parsed.value_tags == ("customer-first",)
    assert parsed.reason == "for rebooking the Oslo family"


def test_a_person_named_twice_gets_one_kudos():
    assert parse("<@U1> and <@U1|again> thanks").recipients == ("U1",)


def test_values_match_whatever_the_case_and_keep_the_workspace_spelling():
    parsed = parse("<@U1> took it on #OWNERSHIP #Customer-First")

    assert parsed.value_tags == ("Ownership", "customer-first")


def test_an_unknown_hashtag_stays_in_the_reason_and_is_reported():
    parsed = parse("<@U1> great #teamspirit work")

    assert parsed.value_tags == ()
    assert parsed.unknown_tags == ("teamspirit",)
    assert parsed.reason == "great #teamspirit work"


def test_a_value_that_slack_turned_into_a_channel_link_is_still_a_value():
    parsed = parse("<@U1> thanks <#C0CF|customer-first>")

    assert parsed.value_tags == ("customer-first",)
    assert parsed.reason == "thanks"


def test_a_channel_that_is_not_a_value_stays_readable_in_the_reason():
    assert parse("<@U1> helped in <#C0GEN|general>").reason == "helped in #general"


def test_user_groups_and_channel_wide_mentions_are_found_for_refusal():
    parsed = parse("<!subteam^S0GATE001|@gate-team> <!here> thanks all")

    assert parsed.groups == ("@gate-team", "@here")
    assert parsed.recipients == ()


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("<@U1> fixed the C++ build", "fixed the C++ build"),
        ("<@U1> showed me git commit --amend", "showed me git commit --amend"),
        ("<@U1> wrote to <mailto:ops@example.com|ops@example.com>", "wrote to ops@example.com"),
        ("<@U1> see <https://wiki.example/x|the guide>", "see the guide (https://wiki.example/x)"),
        ("<@U1> see <https://wiki.example/x>", "see https://wiki.example/x"),
        ("<@U1> for `#customer-first` in code", "for `#customer-first` in code"),
        ("<@U1> fixed C# and issue #42", "fixed C# and issue #42"),
        ("<@U1> 感谢你耐心帮助顾客 #客户至上", "感谢你耐心帮助顾客"),
        ("<@U1> Q&amp;A &lt;3", "Q&A <3"),
    ],
)
def test_the_reason_keeps_what_the_giver_wrote(text, reason):
    assert parse(text).reason == reason


def test_hashtags_in_code_spans_or_numbers_are_never_values():
    parsed = parse("<@U1> for `#customer-first` and issue #42")

    assert parsed.value_tags == ()
    assert parsed.unknown_tags == ()


def test_a_chinese_value_is_recognised():
    assert parse("<@U1> 谢谢 #客户至上").value_tags == ("客户至上",)


def test_no_reason_is_an_empty_reason():
    assert parse("<@U1> #customer-first").reason == ""
