"""The leadership digest as a DM: valid Block Kit, inert user text, both languages, the
story card's own "Back this decision" button, and the rules bent most often with
`/mot policies`' own "Policy revised" button."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.adoption import AdoptionReport, GroupCurve, WeekAdoption
from bot.domain.digest import (
    DigestPerson,
    DigestStory,
    LeaderDigest,
    QuietPeople,
    SayDo,
    SayDoStatus,
    TeamRecognition,
    TeamRef,
)
from bot.domain.policy_signals import LastRevision, PolicySignal, PolicySignals, SignalStory
from bot.domain.stories import StoryCard, Touchpoint
from bot.i18n import translate
from bot.slack import ids
from bot.slack.blocks import MAX_MESSAGE_BLOCKS
from bot.slack.views.digest import digest_message
from bot.slack.views.policies import PolicyButton
from bot.slack.views.story_card import story_card_message
from slackemu.blockkit import validate_message_blocks

WEEK_START = datetime(2026, 11, 22, 16, 0, tzinfo=UTC)  # Monday 23 November in Shanghai
WEEK_END = WEEK_START + timedelta(days=7)
NOW = datetime(2026, 11, 27, 7, 0, tzinfo=UTC)
HOSTILE = "<!channel> <@U0EVIL> <https://evil.example|your bank> & co"
LOCALES = ("en", "zh-CN")


W47, W48 = "2026-W47", "2026-W48"


def story(story_id: int, **changes) -> DigestStory:
    fields = {
        "id": story_id,
        "author_user_id": f"U0AUTH{story_id:03d}",
        "author_name": f"Author {story_id}",
        "touchpoint": Touchpoint.PHONE,
        "excerpt": "Rebooked the family on the next flight. " * 5,
        "tag_count": story_id,
        "decided_on_spot": True,
        "created_at": WEEK_START + timedelta(hours=story_id),
    }
    return DigestStory(**{**fields, **changes})


def signal_story(story_id: int, **changes) -> SignalStory:
    fields = {
        "story_id": story_id,
        "author_user_id": f"U0BENT{story_id:03d}",
        "rule_bent": "Refunds over 50 EUR need a supervisor",
        "action_taken": "Refunded the missed connection at the gate. " * 6,
        "is_recovery": True,
        "channel_id": "C0STORIES",
        "message_ts": f"{story_id}.0",
        "created_at": NOW - timedelta(days=story_id),
    }
    return SignalStory(**{**fields, **changes})


def signal(area_id: int | None, name: str | None, open_count: int, **changes) -> PolicySignal:
    fields = {
        "area_id": area_id,
        "area_name": name,
        "open_count": open_count,
        "stories": tuple(
            signal_story((area_id or 0) * 10 + n) for n in range(1, min(3, open_count) + 1)
        ),
        "last_revision": None,
    }
    return PolicySignal(**{**fields, **changes})


def signals(*areas: PolicySignal, more_areas: int = 0) -> PolicySignals:
    return PolicySignals(
        since=NOW - timedelta(days=91),
        signals=areas,
        more_areas=more_areas,
        open_total=sum(area.open_count for area in areas) + more_areas,
    )


NO_SIGNALS = signals()
SIGNALS = signals(
    signal(
        4,
        "Refunds",
        7,
        last_revision=LastRevision("U0LEADER", "Gate agents may refund up to 150 EUR.", NOW),
    ),
    signal(None, None, 3),
    signal(9, "Baggage", 2),
    more_areas=2,
)


def full_digest(**changes) -> LeaderDigest:
    """A digest with every part at its largest."""
    fields = {
        "leader_user_id": "U0LEADER",
        "week_start": WEEK_START,
        "week_end": WEEK_END,
        "team": TeamRef(1, "Check-in"),
        "top_stories": tuple(story(n) for n in range(1, 6)),
        "awaiting_backing": tuple(story(n) for n in range(11, 16)),
        "recognition": TeamRecognition(
            kudos_given=3,
            points_given=6,
            kudos_received=1,
            points_received=7,
            stories_tagged_by_team=2,
            team_stories_tagged=1,
        ),
        "quiet": QuietPeople(
            people=tuple(DigestPerson(f"U0QUIET{n:02d}", f"Quiet {n}") for n in range(10)),
            total=14,
        ),
        "say_do": SayDo(
            status=SayDoStatus.SHOWN,
            period="2026-W47",
            min_group=5,
            respondents=6,
            dimensions=(("meaning", 23 / 6), ("impact", 4.0), ("trust", 3.0)),
            on_spot_stories=3,
        ),
        "adoption": AdoptionReport(
            k=5,
            curves=(
                GroupCurve(
                    None, (WeekAdoption("2026-W47", 40, 6), WeekAdoption("2026-W48", 40, 9))
                ),
                GroupCurve(1, (WeekAdoption("2026-W47", 12, 1), WeekAdoption("2026-W48", 12, 3))),
                GroupCurve(2, (WeekAdoption("2026-W47", 10, 9), WeekAdoption("2026-W48", 10, 9))),
            ),
            team_names={1: "Check-in", 2: "Cabin"},
        ),
        "policy_signals": SIGNALS,
    }
    return LeaderDigest(**{**fields, **changes})


def texts(payload) -> list[str]:
    found = [payload["text"]]

    def walk(node):
        if isinstance(node, dict):
            if isinstance(node.get("text"), str):
                found.append(node["text"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(payload["blocks"])
    return found


def all_text(payload) -> str:
    return "\n".join(texts(payload))


def buttons(payload) -> list[dict]:
    return [
        element
        for block in payload["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
    ]


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize(
    "digest",
    [
        full_digest(),
        full_digest(team=None, recognition=None, quiet=None, say_do=None),
        full_digest(
            top_stories=(),
            awaiting_backing=(),
            quiet=QuietPeople((), 0),
            policy_signals=NO_SIGNALS,
        ),
    ],
    ids=["everything", "no-team", "quiet-week"],
)
def test_the_digest_is_valid_block_kit_within_the_message_limit(locale, digest):
    payload = digest_message(locale, digest, "Asia/Shanghai")

    assert validate_message_blocks(payload["blocks"]) == []
    assert len(payload["blocks"]) <= MAX_MESSAGE_BLOCKS
    # Nothing was cut off the end: the footer is still the last block.
    assert payload["blocks"][-1]["elements"][0]["text"] == translate(locale, "digest.footer")
    assert payload["text"]


def test_very_long_user_text_stays_within_the_section_limit():
    long = story(1, excerpt="&<>" * 2000, author_name="x" * 5000, author_user_id="not-an-id")
    payload = digest_message("en", full_digest(top_stories=(long,) * 5), "UTC")

    assert validate_message_blocks(payload["blocks"]) == []


def test_user_text_cannot_ping_mention_or_link():
    hostile_story = story(7, author_user_id="<!here>", author_name=HOSTILE, excerpt=HOSTILE)
    digest = full_digest(
        team=TeamRef(1, HOSTILE),
        top_stories=(hostile_story,),
        awaiting_backing=(hostile_story,),
        quiet=QuietPeople((DigestPerson("U0BAD|<!everyone>", HOSTILE),), 1),
    )

    text = all_text(digest_message("en", digest, "UTC"))

    # The only markup left is what the view itself writes: mentions of real Slack ids
    # and date tokens.
    markup = re.findall(r"<[^>]*>", text)
    assert markup
    for token in markup:
        assert re.fullmatch(r"<@U[A-Z0-9]+>|<!date\^\d+\^\{date_short\}\|[\d-]+>", token), token
    assert "<@U0EVIL>" not in text
    assert (
        "&lt;!channel&gt; &lt;@U0EVIL&gt; &lt;https://evil.example|your bank&gt; &amp; co" in text
    )
    assert "&lt;!here&gt;" not in text  # a bad user id is never shown; the escaped name is


def test_people_with_slack_ids_are_mentioned():
    text = all_text(digest_message("en", full_digest(), "UTC"))

    assert "<@U0AUTH001>" in text
    assert "<@U0QUIET00>, <@U0QUIET01>" in text


@pytest.mark.parametrize("locale", LOCALES)
def test_both_locales_render_every_part(locale):
    payload = digest_message(locale, full_digest(), "Asia/Shanghai")
    text = all_text(payload)

    for key in (
        "digest.title",
        "digest.top.heading",
        "digest.awaiting.heading",
        "digest.quiet.heading",
        "digest.saydo.heading",
    ):
        assert translate(locale, key) in text
    assert translate(locale, "digest.quiet.more", count=4) in text
    assert translate(locale, "digest.saydo.did", count=3) in text
    assert translate(locale, "pulse.dimension.meaning") in text
    assert "3.83 / 5" in text
    assert translate(locale, "stories.touchpoint.phone") in text
    # The week is given in the leader's zone: Monday 23 to Sunday 29 November.
    assert translate(locale, "digest.week", start="2026-11-23", end="2026-11-29") in text


def test_the_two_locales_differ():
    english = all_text(digest_message("en", full_digest(), "UTC"))
    chinese = all_text(digest_message("zh-CN", full_digest(), "UTC"))

    assert "Say and do" in english
    assert "所说与所做" in chinese and "Say and do" not in chinese


def test_the_back_button_is_the_story_cards_own():
    digest = full_digest()
    payload = digest_message("en", digest, "UTC")
    card = StoryCard(
        id=12,
        author_user_id="U0AUTH012",
        people_user_ids=("U0AUTH012",),
        touchpoint=Touchpoint.PHONE,
        customer_need="n",
        action_taken="a",
        outcome="o",
        decided_on_spot=True,
        abc=(),
        values=(),
        tag_count=0,
        backer_user_ids=(),
        channel_id="C0STORIES",
        message_ts="1.0",
        source_channel_id=None,
        source_message_ts=None,
        created_at=NOW,
        is_deleted=False,
    )
    (card_back,) = [
        b
        for b in buttons(story_card_message(card, "en"))
        if b["text"]["text"] == translate("en", "stories.card.back_button")
    ]

    digest_buttons = [b for b in buttons(payload) if b["action_id"] == ids.BACK_STORY]

    assert [b["value"] for b in digest_buttons] == ["11", "12", "13", "14", "15"]
    (twelve,) = [b for b in digest_buttons if b["value"] == "12"]
    assert (twelve["action_id"], twelve["value"]) == (card_back["action_id"], card_back["value"])
    assert twelve["text"]["text"] == card_back["text"]["text"]
    # Block ids must be unique within the message.
    block_ids = [b["block_id"] for b in payload["blocks"] if "block_id" in b]
    assert len(block_ids) == len(set(block_ids))


def test_no_team_is_said_gently_and_shows_no_team_parts():
    digest = full_digest(team=None, recognition=None, quiet=None, say_do=None)

    text = all_text(digest_message("en", digest, "UTC"))

    assert translate("en", "digest.no_team") in text
    assert translate("en", "digest.quiet.heading") not in text
    assert translate("en", "digest.saydo.heading") not in text


@pytest.mark.parametrize("locale", LOCALES)
def test_a_hidden_team_shows_no_score(locale):
    hidden = SayDo(
        status=SayDoStatus.HIDDEN,
        period="2026-W47",
        min_group=5,
        respondents=None,
        dimensions=(),
        on_spot_stories=2,
    )

    text = all_text(digest_message(locale, full_digest(say_do=hidden), "UTC"))

    assert translate(locale, "digest.saydo.hidden", k=5, period="2026-W47") in text
    assert "/ 5" not in text
    assert translate(locale, "digest.saydo.did", count=2) in text


def test_no_closed_round_yet():
    none_yet = SayDo(SayDoStatus.NO_ROUND, None, None, None, (), 0)

    text = all_text(digest_message("en", full_digest(say_do=none_yet), "UTC"))

    assert translate("en", "digest.saydo.no_round") in text


def test_an_empty_week_and_a_quiet_free_team_read_kindly():
    digest = full_digest(
        top_stories=(), awaiting_backing=(), quiet=QuietPeople((), 0), policy_signals=NO_SIGNALS
    )

    text = all_text(digest_message("en", digest, "UTC"))

    assert translate("en", "digest.top.empty") in text
    assert translate("en", "digest.awaiting.empty") in text
    assert translate("en", "digest.quiet.none") in text
    assert buttons(digest_message("en", digest, "UTC")) == []


def test_the_digest_shows_everyones_adoption_and_the_leaders_own_team_only():
    shown = all_text(digest_message("en", full_digest(), "Europe/Stockholm"))

    assert "• *Everyone*: 22% this week (9 of 40): the active 20%" in shown
    assert "• *Check-in*: 25% this week (3 of 12): the active 20%\n   8% → 25%" in shown
    assert "Cabin" not in shown, "another leader's team is theirs to read"


def test_a_service_recovery_among_the_top_stories_is_named_as_one():
    recovery = story(1, is_recovery=True)
    shown = all_text(digest_message("en", full_digest(top_stories=(recovery,)), "UTC"))

    assert "*Service recovery* · " in shown


# --- the rules bent most often --------------------------------------------------------


def policy_buttons(payload) -> list[dict]:
    return [b for b in buttons(payload) if b["action_id"] == ids.REVISE_POLICY]


@pytest.mark.parametrize("locale", LOCALES)
def test_the_rules_bent_most_often_come_with_their_stories_and_a_policy_revised_button(locale):
    payload = digest_message(locale, full_digest(), "UTC")
    text = all_text(payload)

    assert translate(locale, "policies.heading") in text
    for area, count in (("*Refunds*", 7), (f"*{translate(locale, 'policies.no_area')}*", 3)):
        assert (
            translate(
                locale,
                "policies.area_line",
                area=area,
                count=translate(locale, "policies.signals", count=count),
            )
            in text
        )
    assert "<@U0BENT041>" in text and "Refunds over 50 EUR need a supervisor" in text
    assert translate(locale, "policies.more_stories", count=4) in text  # 7 open, 3 shown
    assert "Gate agents may refund up to 150 EUR." in text  # the last revision
    assert translate(locale, "policies.more_areas", count=2) in text
    assert translate(locale, "digest.policies.all") in text
    # One "Policy revised" per area, the very button `/mot policies` has.
    revise = policy_buttons(payload)
    assert [b["value"] for b in revise] == [
        PolicyButton(4).encode(),
        PolicyButton(None).encode(),
        PolicyButton(9).encode(),
    ]
    assert {b["text"]["text"] for b in revise} == {translate(locale, "policies.revise_button")}
    assert [PolicyButton.decode(b["value"]).area_id for b in revise] == [4, None, 9]


def test_the_rules_bent_most_often_sit_between_the_awaiting_decisions_and_the_team():
    text = all_text(digest_message("en", full_digest(), "UTC"))

    awaiting = text.index(translate("en", "digest.awaiting.heading"))
    policies = text.index(translate("en", "policies.heading"))
    team = text.index(translate("en", "digest.recognition.heading", team="Check-in"))
    assert awaiting < policies < team


def test_an_area_name_or_a_rule_cannot_ping_mention_or_link():
    hostile = signals(
        signal(
            5,
            "<!channel>",
            1,
            stories=(signal_story(51, rule_bent=HOSTILE, action_taken=HOSTILE),),
            last_revision=LastRevision("U0LEADER", HOSTILE, NOW),
        )
    )
    payload = digest_message("en", full_digest(policy_signals=hostile), "UTC")
    text = all_text(payload)

    assert "<!channel>" not in json.dumps(payload)
    assert "<@U0EVIL>" not in text and "<https://evil" not in text
    assert "*&lt;!channel&gt;* · 1 signal" in text
    assert (
        "&lt;!channel&gt; &lt;@U0EVIL&gt; &lt;https://evil.example|your bank&gt; &amp; co" in text
    )
    for token in re.findall(r"<[^>]*>", text):
        assert re.fullmatch(r"<@U[A-Z0-9]+>|<!date\^\d+\^\{date_short\}\|[\d-]+>", token), token


@pytest.mark.parametrize("locale", LOCALES)
def test_without_open_signals_the_digest_says_so_and_offers_no_revision(locale):
    payload = digest_message(locale, full_digest(policy_signals=NO_SIGNALS), "UTC")
    text = all_text(payload)

    assert translate(locale, "policies.heading") in text
    assert translate(locale, "policies.empty") in text
    assert policy_buttons(payload) == []
    assert translate(locale, "digest.policies.all") not in text


@pytest.mark.parametrize("locale", LOCALES)
def test_many_areas_keep_the_digest_within_50_blocks_and_count_the_areas_left_out(locale):
    many = signals(*(signal(n, f"Area {n:02d}", 40 - n) for n in range(1, 31)), more_areas=5)
    payload = digest_message(locale, full_digest(policy_signals=many), "UTC")
    text = all_text(payload)

    assert len(payload["blocks"]) <= MAX_MESSAGE_BLOCKS
    assert validate_message_blocks(payload["blocks"]) == []
    assert payload["blocks"][-1]["elements"][0]["text"] == translate(locale, "digest.footer")
    shown = [n for n in range(1, 31) if f"*Area {n:02d}*" in text]
    assert shown == list(range(1, len(shown) + 1)) and len(shown) >= 3, "most signals first"
    assert [b["value"] for b in policy_buttons(payload)] == [str(n) for n in shown]
    # The areas without room are counted with those the domain left out.
    assert translate(locale, "policies.more_areas", count=30 - len(shown) + 5) in text
    assert translate(locale, "digest.policies.all") in text


def test_a_digest_without_room_for_an_area_counts_them_and_never_says_there_are_none():
    # 14 decisions awaiting backing (the domain sends 5) leave 4 blocks: not enough for an
    # area's stories and button.
    crowded = full_digest(awaiting_backing=tuple(story(n) for n in range(11, 25)))
    payload = digest_message("en", crowded, "UTC")
    text = all_text(payload)

    assert len(payload["blocks"]) <= MAX_MESSAGE_BLOCKS
    assert payload["blocks"][-1]["elements"][0]["text"] == translate("en", "digest.footer")
    assert translate("en", "policies.empty") not in text
    assert translate("en", "policies.more_areas", count=5) in text  # 3 without room, 2 more
    assert translate("en", "digest.policies.all") in text
    assert policy_buttons(payload) == []
