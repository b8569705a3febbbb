"""Policy signals as leaders read them, the revision modal and the DM it sends: what
leaders can act on, what can never be forged through a story or an area's name, and
Slack's limits kept whatever the number of signals."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.policy_signals import (
    LastRevision,
    PolicySignal,
    PolicySignals,
    RevisionNotice,
    SignalStory,
)
from bot.slack import blocks, ids
from bot.slack.views.policies import (
    PolicyButton,
    RevisionForm,
    policies_message,
    revision_modal,
    revision_notice_message,
)
from slackemu.render import render_message
from tests.unit.test_button_values import NOT_AN_ID

NOW = datetime(2026, 12, 4, 15, 0, tzinfo=UTC)
FORGED = "<!channel> <https://evil.example|click> &"


def story(story_id: int, rule: str = "Refunds over 50 euros need a supervisor") -> SignalStory:
    return SignalStory(
        story_id=story_id,
        author_user_id="U0ALICE01",
        rule_bent=rule,
        action_taken="I refunded the fee on the call.",
        is_recovery=False,
        channel_id="C0MOMENTS",
        message_ts="1.0",
        created_at=NOW - timedelta(days=story_id),
    )


def signal(area_id: int | None, name: str | None, count: int, **extra) -> PolicySignal:
    shown = tuple(story(n) for n in range(1, min(count, 3) + 1))
    return PolicySignal(area_id, name, count, shown, extra.get("last_revision"))


def signals(*items: PolicySignal, more: int = 0) -> PolicySignals:
    return PolicySignals(
        since=NOW - timedelta(days=91),
        signals=items,
        more_areas=more,
        open_total=sum(item.open_count for item in items),
    )


def buttons(message) -> list[dict]:
    return [
        element
        for block in message["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
    ]


def test_leaders_get_a_policy_revised_button_per_area_carrying_the_area():
    message = policies_message(
        "en", signals(signal(7, "Refunds", 4), signal(None, None, 1)), "UTC", can_revise=True
    )

    values = [(button["action_id"], button["value"]) for button in buttons(message)]
    assert values == [(ids.REVISE_POLICY, "7"), (ids.REVISE_POLICY, "none")]
    shown = render_message(message["text"], message["blocks"])
    assert "*Refunds* · 4 signals" in shown
    assert "…and 1 more story" in shown
    assert "*Rules not filed under a policy area* · 1 signal" in shown


def test_hr_reads_the_same_list_without_buttons():
    message = policies_message("en", signals(signal(7, "Refunds", 2)), "UTC", can_revise=False)

    assert buttons(message) == []
    assert "Refunds" in render_message(message["text"], message["blocks"])


def test_an_area_a_rule_and_a_note_can_neither_ping_nor_link():
    revised = LastRevision("U0ERIK001", FORGED, NOW)
    message = policies_message(
        "en",
        signals(
            PolicySignal(7, FORGED, 1, (story(1, rule=FORGED),), revised),
        ),
        "UTC",
        can_revise=True,
    )

    text = "\n".join(str(block) for block in message["blocks"])
    assert "<!channel>" not in text and "<https://" not in text
    assert "&lt;!channel&gt;" in text


def test_many_areas_keep_the_footer_and_count_the_areas_without_room():
    long_rule = "x" * 5000
    many = [
        PolicySignal(n, f"Area {n}", 50, tuple(story(s, long_rule) for s in range(3)), None)
        for n in range(1, 40)
    ]

    message = policies_message("zh-CN", signals(*many), "Asia/Shanghai", can_revise=True)

    shown = len(buttons(message))
    assert 2 + 2 * shown + 1 <= blocks.MAX_MESSAGE_BLOCKS  # cut by the view, not by Slack
    last_two = [block["elements"][0]["text"] for block in message["blocks"][-2:]]
    assert f"还有 {39 - shown} 个领域" in last_two[0]
    assert "政策已修订" in last_two[1], "the footer that explains the button survives"


def test_no_open_signals_says_what_would_make_one():
    message = policies_message("en", signals(), "UTC", can_revise=True)

    assert (
        "No open policy signals in the last quarter" in message["blocks"][1]["elements"][0]["text"]
    )


@pytest.mark.parametrize("area_id", [None, 1, 2**31 - 1])
def test_a_policy_button_reads_back_the_area_it_wrote(area_id):
    assert PolicyButton.decode(PolicyButton(area_id).encode()) == PolicyButton(area_id)


@pytest.mark.parametrize("value", NOT_AN_ID)
def test_a_policy_button_it_never_wrote_is_refused(value):
    with pytest.raises(ValueError):
        PolicyButton.decode(value)


def test_the_revision_form_keeps_its_area_and_the_moment_it_opened_to_the_microsecond():
    opened = datetime(2026, 12, 4, 15, 0, 0, 123456, tzinfo=UTC)
    modal = revision_modal("en", "Refunds", 3, RevisionForm(7, opened))

    assert RevisionForm.decode(modal["private_metadata"]) == RevisionForm(7, opened)
    assert modal["callback_id"] == ids.REVISE_POLICY_MODAL


@pytest.mark.parametrize(
    "metadata",
    [
        "",
        "{}",
        '{"area": "7", "as_of": "2026-12-04T15:00:00+00:00"}',
        '{"area": 7, "as_of": 3}',
        '{"area": 7, "as_of": "2026-12-04T15:00:00"}',
        "not json",
    ],
)
def test_a_revision_form_it_never_wrote_is_refused(metadata):
    with pytest.raises(ValueError):
        RevisionForm.decode(metadata)


def test_the_dm_thanks_the_person_with_the_note_and_their_own_stories_in_their_language():
    notice = RevisionNotice("Refunds", "U0ERIK001", "Up to 150 euros now.", (story(1),))

    english = revision_notice_message("en", notice, "Europe/Stockholm")
    chinese = revision_notice_message("zh-CN", notice, "Asia/Shanghai")

    shown = render_message(english["text"], english["blocks"])
    assert "revised the policy on *Refunds*" in shown
    assert "Up to 150 euros now." in shown
    assert "Refunds over 50 euros need a supervisor" in shown
    assert "修订了 *Refunds* 的政策" in render_message(chinese["text"], chinese["blocks"])


def test_a_forgotten_leaders_revision_names_nobody_and_shows_no_empty_note():
    gone = LastRevision(None, "", NOW)
    message = policies_message(
        "en", signals(PolicySignal(7, "Refunds", 1, (story(1),), gone)), "UTC", can_revise=True
    )
    notice = revision_notice_message("zh-CN", RevisionNotice("Refunds", None, "", ()), "UTC")

    shown = render_message(message["text"], message["blocks"])
    assert "Last revised by a leader who has since left" in shown and "<@" not in shown
    assert ": –" in shown
    assert "一位已离开的领导" in notice["blocks"][0]["text"]["text"]


def test_a_forgotten_tellers_story_names_nobody():
    gone = replace(story(1), author_user_id="forgotten-7")
    message = policies_message(
        "en", signals(PolicySignal(7, "Refunds", 1, (gone,), None)), "UTC", can_revise=False
    )

    shown = render_message(message["text"], message["blocks"])
    assert "Moment of truth · @former-member · " in shown
    assert "forgotten-7" not in shown
