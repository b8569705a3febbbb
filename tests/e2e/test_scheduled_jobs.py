"""The weekly rhythm through the emulator: each message at the recipient's local time,
exactly once, whatever Slack answers in between."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from bot.app import workspace_defaults
from bot.config import Settings
from bot.db.engine import make_session_factory
from bot.sandbox import demo as people
from bot.sandbox.harness import SECRET_KEY
from bot.scheduling.context import JobContext
from bot.scheduling.fanout import FanOutOptions
from bot.scheduling.pulse_jobs import close_pulse, send_pulse
from bot.scheduling.weekly_jobs import post_leaderboard, send_digests
from bot.slack.client import make_web_client
from bot.slack.pacing import Pacer
from slackemu.render import render_message
from tests.e2e.test_stories import STORIES, share

SHANGHAI = {people.LI_WEI, people.ZHANG_MIN, people.CHEN_JING, people.WANG_FANG, people.LIU_YANG}
LONDON = {people.OLIVER, people.JAMES}
NEW_YORK = {people.EMMA, people.DANIEL}

JobsAt = Callable[..., JobContext]


@pytest.fixture
def jobs(world, emulator, engine, demo) -> JobsAt:
    """A scheduler tick (or, with by_hand, `motbot run-job`) at a chosen moment."""
    settings = Settings.from_env({**demo.env(emulator.api_url), "MOTBOT_SECRET_KEY": "k" * 32})

    def context(now: datetime, *, by_hand: bool = False, workers: int = 4) -> JobContext:
        return JobContext(
            sessions=make_session_factory(engine),
            client=make_web_client(settings),
            post_client=make_web_client(settings, retry_rate_limited=False),
            defaults=workspace_defaults(settings),
            team_id=emulator.workspace.team.id,
            clock=lambda: now,
            pacer=Pacer(60_000),
            fanout=FanOutOptions(workers=workers),
            by_hand=by_hand,
            secret_key=SECRET_KEY,
        )

    return context


def pulse_receivers(emulator) -> Counter[str]:
    """How many pulse DMs each person has (recognised by the pulse's buttons)."""
    received: Counter[str] = Counter()
    for user in emulator.workspace.users():
        dm = emulator.workspace.find_dm(user.id)
        if dm is None:
            continue
        for message in emulator.workspace.messages(dm.id):
            if any(block.get("block_id") == "pulse-more" for block in message.blocks):
                received[user.id] += 1
    return received


def everyone_invited(emulator) -> set[str]:
    return {
        user.id
        for user in emulator.workspace.users()
        if not (user.is_bot or user.deleted or user.is_restricted)
    }


# --- local time -------------------------------------------------------------------------


def test_the_pulse_reaches_each_member_at_ten_on_tuesday_in_their_own_time_zone(jobs, emulator):
    tuesday = datetime(2026, 11, 24, tzinfo=UTC)

    send_pulse(jobs(tuesday.replace(hour=1, minute=59)))
    assert pulse_receivers(emulator) == Counter()

    send_pulse(jobs(tuesday.replace(hour=2)))  # 10:00 in Shanghai
    assert set(pulse_receivers(emulator)) == SHANGHAI

    send_pulse(jobs(tuesday.replace(hour=9)))  # 10:00 in Stockholm (CET)
    stockholm = everyone_invited(emulator) - SHANGHAI - LONDON - NEW_YORK
    assert set(pulse_receivers(emulator)) == SHANGHAI | stockholm

    send_pulse(jobs(tuesday.replace(hour=10)))  # London
    send_pulse(jobs(tuesday.replace(hour=14, minute=59)))
    assert set(pulse_receivers(emulator)) == SHANGHAI | stockholm | LONDON

    send_pulse(jobs(tuesday.replace(hour=15)))  # 10:00 in New York (EST)
    assert pulse_receivers(emulator) == Counter({user: 1 for user in everyone_invited(emulator)})


def test_local_time_follows_daylight_saving_changes(jobs, emulator):
    # 27 October 2026: Europe has left summer time (25 Oct), New York has not (1 Nov).
    tuesday = datetime(2026, 10, 27, tzinfo=UTC)

    send_pulse(jobs(tuesday.replace(hour=8, minute=30)))  # 09:30 CET in Stockholm
    assert people.ALICE not in pulse_receivers(emulator)
    send_pulse(jobs(tuesday.replace(hour=9)))  # 10:00 CET
    assert people.ALICE in pulse_receivers(emulator)

    send_pulse(jobs(tuesday.replace(hour=13, minute=59)))  # 09:59 EDT
    assert people.EMMA not in pulse_receivers(emulator)
    send_pulse(jobs(tuesday.replace(hour=14)))  # 10:00 EDT, an hour before EST's 15:00
    assert people.EMMA in pulse_receivers(emulator)


def test_a_leaders_digest_arrives_on_friday_afternoon_in_their_own_time_zone(jobs, emulator):
    friday = datetime(2026, 11, 27, tzinfo=UTC)

    send_digests(jobs(friday.replace(hour=6, minute=59)))
    assert emulator.workspace.find_dm(people.WANG_FANG) is None

    report = send_digests(jobs(friday.replace(hour=7)))  # 15:00 in Shanghai

    assert report.sent == 1
    digest = emulator.workspace.messages(emulator.workspace.find_dm(people.WANG_FANG).id)[-1]
    assert "本周" in render_message(digest.text, digest.blocks)
    assert emulator.workspace.find_dm(people.ERIK) is None

    report = send_digests(jobs(friday.replace(hour=14)))  # 15:00 in Stockholm

    assert report.sent == 2  # Erik and Ingrid; Wang Fang already has hers
    erik = emulator.workspace.messages(emulator.workspace.find_dm(people.ERIK).id)
    assert len(erik) == 1


def test_the_leaderboard_is_posted_once_on_monday_morning_for_the_week_before(
    jobs, emulator, world
):
    world.user("erik").runs("/kudos @alice for rebooking a whole family in minutes #customer-first")
    now = datetime.now(UTC)
    next_monday = (now + timedelta(days=7 - now.weekday())).replace(
        hour=9, minute=0, second=0, microsecond=0
    )
    board = emulator.workspace.channel_by_id(people.LEADERBOARD_CHANNEL)

    early = post_leaderboard(jobs(next_monday - timedelta(minutes=1)))
    assert early.sent == 0
    assert emulator.workspace.messages(board.id) == []

    post_leaderboard(jobs(next_monday))
    post_leaderboard(jobs(next_monday + timedelta(hours=3)))

    posts = emulator.workspace.messages(board.id)
    assert len(posts) == 1
    shown = render_message(posts[0].text, posts[0].blocks)
    monday_before, sunday = next_monday - timedelta(days=7), next_monday - timedelta(days=1)
    week_before = f"{monday_before.date()} – {sunday.date()}"
    assert f"recognition of the week · {week_before}" in shown.lower()
    assert f"@{people.ALICE} · 1 point" in shown


def test_closing_the_round_sends_hr_the_summary_in_the_channel_and_by_dm(jobs, emulator):
    tuesday = datetime(2026, 11, 24, 15, tzinfo=UTC)
    send_pulse(jobs(tuesday))

    report = close_pulse(jobs(tuesday + timedelta(days=5)))

    assert report.sent == 2
    hr_channel = emulator.workspace.messages(people.HR_CHANNEL)
    karin = emulator.workspace.messages(emulator.workspace.find_dm(people.KARIN).id)
    assert len(hr_channel) == 1
    assert any("2026-W48" in render_message(m.text, m.blocks) for m in karin)

    again = close_pulse(jobs(tuesday + timedelta(days=5, minutes=15)))

    assert again.sent == 0
    assert len(emulator.workspace.messages(people.HR_CHANNEL)) == 1


# --- Slack's pushback ---------------------------------------------------------------------


def test_rate_limits_and_server_errors_during_the_fan_out_lose_nothing(jobs, emulator):
    emulator.faults.fail("chat.postMessage", "ratelimited", fraction=0.3, times=3)
    emulator.faults.fail("chat.postMessage", 503, times=6, after=3)
    tuesday = datetime(2026, 11, 24, 15, tzinfo=UTC)

    # One worker, so the six 503s hit two messages three times each (the client's own
    # two retries included): both fail in this run and go out in the next.
    first = send_pulse(jobs(tuesday, by_hand=True, workers=1))
    second = send_pulse(jobs(tuesday + timedelta(minutes=15), by_hand=True, workers=1))

    assert first.rate_limited > 0
    assert first.failed == 2
    assert second.sent == 2
    assert first.sent + second.sent == len(everyone_invited(emulator))
    assert pulse_receivers(emulator) == Counter({user: 1 for user in everyone_invited(emulator)})
    assert second.failed == 0


def test_a_leader_backs_a_decision_from_the_digest_and_the_card_follows(jobs, world):
    share(world.user("alice"), **{"Empowerment": ["yes"]})
    erik = world.user("erik")
    send_digests(jobs(datetime.now(UTC), by_hand=True))
    digest = erik.direct_messages()[-1]
    assert "Decisions awaiting a leader's backing" in render_message(digest.text, digest.blocks)

    erik.clicks("Back this decision", on=digest)

    card = world.channel(STORIES).last_message()
    assert "Backed by @Erik" in render_message(card.text, card.blocks, world.names())
    assert "card in the channel now shows it" in erik.last_ephemeral().text


def test_a_leader_revises_a_policy_from_the_digest_and_the_teller_hears_of_it(jobs, world):
    rule = "Which rule or usual practice did you go beyond?"
    share(world.user("alice"), **{"Empowerment": ["yes"], rule: "Vouchers need approval"})
    erik = world.user("erik")
    send_digests(jobs(datetime.now(UTC), by_hand=True))
    digest = erik.direct_messages()[-1]
    assert "Vouchers need approval" in render_message(digest.text, digest.blocks)

    erik.clicks("Policy revised", on=digest)
    erik.submits({"What changed in the rule?": "Gate agents give vouchers without asking."})

    told = world.user("alice").direct_messages()[-1]
    assert "Gate agents give vouchers without asking." in render_message(told.text, told.blocks)
    card = world.channel(STORIES).last_message()
    assert "policy revised since" in render_message(card.text, card.blocks)


def test_an_hr_summary_slack_refused_is_sent_at_the_next_tick(jobs, emulator):
    tuesday = datetime(2026, 11, 24, 15, tzinfo=UTC)
    send_pulse(jobs(tuesday))
    closing_time = tuesday + timedelta(days=5)
    # Three 503s in a row: the client's own two retries are not enough for one message.
    emulator.faults.fail("chat.postMessage", 503, times=3)

    first = close_pulse(jobs(closing_time, workers=1))
    second = close_pulse(jobs(closing_time + timedelta(minutes=15), workers=1))
    third = close_pulse(jobs(closing_time + timedelta(minutes=30), workers=1))

    assert (first.sent, first.failed) == (1, 1)
    assert (second.sent, second.failed) == (1, 0)
    assert third.sent == 0
    karin = emulator.workspace.messages(emulator.workspace.find_dm(people.KARIN).id)
    summaries = [m for m in karin if "2026-W48" in m.text]
    assert len(summaries) + len(emulator.workspace.messages(people.HR_CHANNEL)) == 2
