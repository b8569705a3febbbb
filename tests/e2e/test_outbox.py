"""When Slack fails after motbot has saved a change: the person is told in plain words,
nothing is recorded twice, and what Slack did not take (a story card, a card refresh, a
DM, an App Home) arrives later, exactly once, from the outbox drain, also after a
restart.

Each fault outlasts the client's own retries (two for 500/503, three for 429, one for a
dropped connection): it is armed for far more calls than the bot makes, then cleared.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from datetime import timedelta
from urllib.parse import parse_qs

import pytest
from sqlalchemy import func, select

from bot.app import workspace_defaults
from bot.config import Settings
from bot.db.engine import make_session_factory, unit_of_work
from bot.db.models import Kudos, OutboxEntry, Story, StoryTag
from bot.db.repositories import outbox as outbox_repo
from bot.db.types import utcnow
from bot.domain.outbox import CLAIM_FOR
from bot.sandbox.harness import SECRET_KEY
from bot.scheduling.context import JobContext
from bot.scheduling.fanout import FanOutReport
from bot.scheduling.outbox_job import drain_outbox
from bot.slack.client import make_web_client
from bot.slack.pacing import Pacer
from slackemu.render import render_message
from tests.e2e.test_stories import ALICE, BJORN, STORIES, share

# Every way Slack (or what stands in front of it) fails a call after our commit.
FAULTS = {
    "5xx": 503,
    "non-JSON 502": "bad_gateway_html",
    "reset connection": "reset",
    "429": "ratelimited",
}
BEYOND_RETRIES = 50

Drain = Callable[..., FanOutReport]


@pytest.fixture(params=list(FAULTS.values()), ids=list(FAULTS))
def fault(request: pytest.FixtureRequest) -> str | int:
    return request.param


@pytest.fixture
def drain(world, emulator, engine, demo) -> Drain:
    """One tick of the outbox drain, `minutes` from now. Each call is a fresh process:
    new sessions, a new Slack client, a new claim owner (a restart, as far as the
    outbox can tell)."""
    settings = Settings.from_env(demo.env(emulator.api_url))

    def tick(minutes: float = 2) -> FanOutReport:
        now = utcnow() + timedelta(minutes=minutes)
        context = JobContext(
            sessions=make_session_factory(engine),
            client=make_web_client(settings),
            defaults=workspace_defaults(settings),
            team_id=emulator.workspace.team.id,
            clock=lambda: now,
            pacer=Pacer(60_000),
            secret_key=SECRET_KEY,
        )
        return drain_outbox(context)

    return tick


def count(engine, model, *where) -> int:
    with engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(model).where(*where)).scalar()


def cards(world) -> list:
    return world.channel(STORIES).messages()


def shown(message) -> str:
    return render_message(message.text, message.blocks)


def owed(engine) -> list[tuple[str, str]]:
    with engine.connect() as connection:
        rows = connection.execute(
            select(OutboxEntry.kind, OutboxEntry.status).order_by(OutboxEntry.id)
        )
        return [(kind, status) for kind, status in rows]


# --- a story's card -----------------------------------------------------------------------


def test_a_card_slack_did_not_take_is_posted_later_exactly_once(
    world, emulator, engine, drain, fault
):
    alice, bjorn = world.user("alice"), world.user("bjorn")
    emulator.faults.fail("chat.postMessage", fault, times=BEYOND_RETRIES)

    share(alice, **{"Who handled it": [ALICE, BJORN]})

    assert cards(world) == []
    told = alice.last_ephemeral()
    assert told.channel == world.channel(STORIES).id, "told where the card will be"
    assert told.text == (
        "Your story is saved. Slack did not take its card just now; motbot will post it "
        f"in <#{world.channel(STORIES).id}> within a few minutes."
    )
    assert alice.open_modal() is None, "the form closed: the story is saved"
    assert count(engine, Story) == 1
    assert bjorn.direct_messages() == [], "the people are told once the card is there"

    emulator.faults.clear()
    report = drain()

    (card,) = cards(world)
    assert "A family of five had missed their connection" in shown(card)
    (notice,) = bjorn.direct_messages()
    assert "shared a moment of truth you were part of" in notice.text
    assert report.sent == 2 and report.ok
    with engine.connect() as connection:
        assert connection.execute(select(Story.message_ts)).scalar() == card.ts

    drain()  # and once more, in another process
    assert len(cards(world)) == 1 and len(bjorn.direct_messages()) == 1
    assert count(engine, Story) == 1


def test_the_drain_leaves_the_card_owed_while_slack_still_fails(world, emulator, engine, drain):
    alice = world.user("alice")
    emulator.faults.fail("chat.postMessage", 503, times=BEYOND_RETRIES)
    share(alice)

    report = drain()

    assert cards(world) == []
    assert not report.ok and report.errors == {"http_503": 1}
    assert owed(engine) == [("story_card", "pending")]
    emulator.faults.clear()
    assert drain(minutes=2).sent == 0, "not yet due: the backoff doubled to two minutes"
    assert drain(minutes=4).sent == 1
    assert len(cards(world)) == 1


def test_a_card_in_flight_in_a_process_that_died_is_posted_once_its_claim_expires(
    world, emulator, engine, drain
):
    alice = world.user("alice")
    emulator.faults.fail("chat.postMessage", 500, times=BEYOND_RETRIES)
    share(alice)
    emulator.faults.clear()
    # Another process claimed the card, then died before it could post it.
    sessions = make_session_factory(engine)
    later = utcnow() + timedelta(minutes=2)
    with unit_of_work(sessions) as session:
        (entry_id,) = outbox_repo.due_ids(session, 1, later, 10) or [None]
        assert entry_id is not None
        assert outbox_repo.claim(session, entry_id, "dead:1", later, later + CLAIM_FOR)

    assert drain(minutes=2).sent == 0
    assert cards(world) == [], "its claim still holds"

    assert drain(minutes=2 + CLAIM_FOR.total_seconds() / 60).sent == 1
    assert len(cards(world)) == 1


def test_two_drains_at_once_post_the_card_once(world, emulator, engine, drain):
    alice = world.user("alice")
    emulator.faults.fail("chat.postMessage", 503, times=BEYOND_RETRIES)
    share(alice, **{"Who handled it": [ALICE, BJORN]})
    emulator.faults.clear()

    start = threading.Barrier(2)
    reports: list[FanOutReport] = []

    def one_process() -> None:
        start.wait()
        reports.append(drain())

    threads = [threading.Thread(target=one_process) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert len(cards(world)) == 1
    assert len(world.user("bjorn").direct_messages()) == 1
    assert sum(report.sent for report in reports) == 2  # the card and Björn's DM


def test_the_same_submission_arriving_twice_records_one_story_and_one_card(
    world, emulator, engine, drain
):
    alice = world.user("alice")
    emulator.faults.fail("chat.postMessage", 503, times=BEYOND_RETRIES)
    first = share(alice)
    emulator.faults.clear()

    # Alice presses Submit again (Slack had shown her an error): the same view arrives.
    payload = json.loads(parse_qs(first.body.decode())["payload"][0])
    again = world.sender.send_interaction(payload)

    assert again.acknowledged
    assert count(engine, Story) == 1
    assert owed(engine) == [("story_card", "pending")], "still one card owed"
    drain()
    assert len(cards(world)) == 1


# --- a card refresh -----------------------------------------------------------------------


def test_a_tag_is_counted_once_and_shown_on_the_card_once_slack_takes_it(
    world, emulator, engine, drain, fault
):
    alice, bjorn = world.user("alice"), world.user("bjorn")
    share(alice)
    card = world.channel(STORIES).last_message()
    emulator.faults.fail("chat.update", fault, times=BEYOND_RETRIES)

    bjorn.clicks("Positive moment of truth", on=card)

    assert bjorn.last_ephemeral().text == (
        "Done, and saved. Slack did not update the story's card just now; motbot will "
        "update it within a few minutes."
    )
    assert count(engine, StoryTag) == 1
    assert ":star: 0 positive moments of truth" in shown(world.channel(STORIES).last_message())

    emulator.faults.clear()
    drain()

    refreshed = world.channel(STORIES).last_message()
    assert refreshed.ts == card.ts, "the same card, updated"
    assert ":star: 1 positive moment of truth" in shown(refreshed)
    assert count(engine, StoryTag) == 1
    assert len(cards(world)) == 1


def test_refreshes_owed_for_one_card_collapse_into_one_showing_the_latest_state(
    world, emulator, engine, drain
):
    alice = world.user("alice")
    share(alice)
    card = world.channel(STORIES).last_message()
    emulator.faults.fail("chat.update", 503, times=BEYOND_RETRIES)

    for name in ("bjorn", "maja", "karin"):
        world.user(name).clicks("Positive moment of truth", on=card)

    assert owed(engine).count(("card_refresh", "pending")) == 1
    emulator.faults.clear()
    updates_before = len(emulator.calls("chat.update"))
    drain()

    assert len(emulator.calls("chat.update")) == updates_before + 1
    assert count(engine, StoryTag) == 3
    assert ":star: 3 positive moments of truth" in shown(world.channel(STORIES).last_message())


def test_a_story_deleted_while_slack_fails_has_its_card_taken_down_later(
    world, emulator, engine, drain
):
    alice = world.user("alice")
    share(alice)
    alice.opens_home()
    emulator.faults.fail("chat.delete", 503, times=BEYOND_RETRIES)
    emulator.faults.fail("chat.update", 503, times=BEYOND_RETRIES)

    alice.clicks("Delete", on=alice.home())

    assert any("Your story is deleted" in m.text for m in alice.direct_messages())
    assert len(cards(world)) == 1
    emulator.faults.clear()
    drain()
    assert cards(world) == [], "deleted once Slack took it"


# --- kudos --------------------------------------------------------------------------------


def test_kudos_whose_dm_slack_did_not_take_are_recorded_once_and_delivered_later(
    world, emulator, engine, drain, fault
):
    alice, bjorn = world.user("alice"), world.user("bjorn")
    emulator.faults.fail("chat.postMessage", fault, times=BEYOND_RETRIES)

    alice.runs("/kudos @bjorn for calming the queue at gate 12 #customer-first")

    confirmation = alice.last_ephemeral().text
    assert "Kudos sent to <@U0BJORN01>" in confirmation
    assert (
        "Slack did not take the message to <@U0BJORN01> just now; motbot will deliver it "
        "within a few minutes." in confirmation
    )
    assert "9 of 10 kudos left this week" in confirmation, "spent once"
    assert bjorn.direct_messages() == []
    assert count(engine, Kudos) == 1

    emulator.faults.clear()
    drain()
    drain()

    (note,) = bjorn.direct_messages()
    assert "gave you kudos" in shown(note) and "#customer-first" in shown(note)
    assert count(engine, Kudos) == 1


def test_every_recipient_not_told_yet_is_named_even_when_a_429_cut_the_sending_short(
    world, emulator, drain
):
    alice = world.user("alice")
    emulator.faults.fail("chat.postMessage", "ratelimited", times=BEYOND_RETRIES)

    alice.runs("/kudos @bjorn @maja for the midnight rebooking marathon")

    assert (
        "Slack did not take the message to <@U0BJORN01>, <@U0MAJA001> just now"
        in alice.last_ephemeral().text
    )
    emulator.faults.clear()
    drain()
    assert len(world.user("bjorn").direct_messages()) == 1
    assert len(world.user("maja").direct_messages()) == 1


def test_a_chinese_speaker_is_told_in_chinese_what_slack_did_not_take(world, emulator):
    li_wei = world.user("li.wei")
    emulator.faults.fail("chat.postMessage", 503, times=BEYOND_RETRIES)

    li_wei.runs("/kudos @bjorn 谢谢你耐心帮助顾客")

    assert "Slack 刚才没有接收发给 <@U0BJORN01> 的消息" in li_wei.last_ephemeral().text


def test_kudos_revoked_before_their_dm_went_out_are_not_announced(world, emulator, engine, drain):
    emulator.faults.fail("chat.postMessage", 503, times=BEYOND_RETRIES)
    world.user("alice").runs("/kudos @bjorn for calming the queue")
    emulator.faults.clear()
    with unit_of_work(make_session_factory(engine)) as session:
        (kudos_id,) = session.scalars(select(Kudos.id)).all()
    admin = world.user("henrik")
    admin.runs("/mot kudos @bjorn")
    admin.clicks("Revoke", on=admin.last_ephemeral())
    admin.submits({"Why are you revoking them?": "Given by mistake, says Alice"})

    drain()

    assert world.user("bjorn").direct_messages() == []
    with engine.connect() as connection:
        status = connection.execute(
            select(OutboxEntry.status, OutboxEntry.last_error).where(
                OutboxEntry.kudos_id == kudos_id
            )
        ).one()
    assert tuple(status) == ("dropped", "kudos_revoked")


# --- the App Home -------------------------------------------------------------------------


@pytest.mark.parametrize("fault", list(FAULTS.values()), ids=list(FAULTS))
def test_an_app_home_slack_did_not_take_is_published_later(world, emulator, drain, fault):
    alice = world.user("alice")
    emulator.faults.fail("views.publish", fault, times=BEYOND_RETRIES)

    share(alice)

    assert len(cards(world)) == 1, "the card went; only the Home is late"
    assert alice.home() is None
    emulator.faults.clear()
    drain()
    home = alice.home()
    assert home is not None
    assert "I rebooked all five" in json.dumps(home.blocks, ensure_ascii=False)
