"""The bot over Socket Mode: connections that Slack refreshes, closes or loses in the middle
of a scenario lose nothing and repeat nothing. (The scenarios themselves run over both
transports in test_stories, test_kudos, test_pulse, test_home and test_admin.)"""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, func, select

from bot.db.migrate import upgrade
from bot.db.models import Kudos, Story
from bot.sandbox.harness import (
    BotProcess,
    bot_environment,
    connect_socket_mode,
    free_port,
)
from tests.e2e.test_stories import STORIES, card_text, share
from tests.support.databases import fresh_database
from tests.support.waiting import eventually


@pytest.fixture
def transport() -> str:
    return "socket_mode"


@pytest.fixture
def backend() -> str:
    """What is tested here is the connection, not the database (the scenario modules
    run on both)."""
    return "sqlite"


def stories_in(engine) -> int:
    with engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(Story)).scalar_one()


def test_the_bot_connects_with_its_app_level_token(world, emulator):
    (opened,) = emulator.calls("apps.connections.open")

    assert opened.ok
    assert emulator.socket_mode.connections() == 1


def test_a_refresh_in_the_middle_of_a_scenario_loses_nothing(world, emulator, engine):
    alice, bjorn, erik = world.user("alice"), world.user("bjorn"), world.user("erik")
    share(alice, **{"Empowerment": ["yes"]})
    card = world.channel(STORIES).last_message()

    emulator.socket_mode.disconnect("refresh_requested")
    tagged = bjorn.clicks("Positive moment of truth", on=card)
    backed = erik.clicks("Back this decision", on=card)

    assert tagged.acknowledged and backed.acknowledged
    assert emulator.socket_mode.connections_opened == 2, "the bot reconnected once"
    shown = card_text(world)
    assert "1 positive moment of truth" in shown
    assert "Backed by @Erik" in shown
    assert stories_in(engine) == 1


def test_a_connection_closed_by_slack_is_replaced_and_the_next_event_arrives(
    world, emulator, engine
):
    alice, chen = world.user("alice"), world.user("chen.jing")
    share(alice)

    emulator.socket_mode.close_connections()
    reacted = chen.reacts("star", on=world.channel(STORIES).last_message())

    assert reacted.acknowledged
    assert "1 positive moment of truth" in card_text(world)
    assert emulator.socket_mode.connections_opened == 2
    assert eventually(lambda: emulator.socket_mode.connections() == 1)


def test_an_event_delivered_twice_is_recorded_once(world):
    alice, chen = world.user("alice"), world.user("chen.jing")
    share(alice)
    card = world.channel(STORIES).last_message()
    first = chen.reacts("star", on=card)

    again = world.resend(first)

    assert first.acknowledged and again.acknowledged
    assert "1 positive moment of truth" in card_text(world)


def test_motbot_run_with_slack_app_token_serves_the_workspace_and_survives_a_drop(
    emulator, demo, tmp_path
):
    hub = emulator.socket_mode
    hub.connection_wait_seconds = 60.0  # slack_sdk notices a dead socket by its pings
    database = tmp_path / "motbot.db"
    env = bot_environment(
        emulator,
        database_url=f"sqlite:///{database}",
        port=free_port(),
        extra=demo.env(),
        transport="socket_mode",
    )

    with BotProcess(
        env, port=0, log_path=tmp_path / "bot.log", ready=lambda: hub.connections() >= 1
    ):
        world = connect_socket_mode(emulator)
        alice, maja, chen = world.user("alice"), world.user("maja"), world.user("chen.jing")
        helped = alice.runs("/mot help")
        share(alice)
        card = world.channel(STORIES).last_message()

        hub.disconnect("refresh_requested")
        thanked = maja.runs("/kudos @alice thanks for the rebooking #customer-first")
        hub.drop()
        # Sent while the bot is away: Slack keeps the event until a connection is back
        # (slack_sdk's client takes it for dead after four unanswered pings, 5 s apart).
        reacted = chen.reacts("star", on=card)

    assert helped.text == "motbot: moments of truth"
    assert reacted.acknowledged, "the reaction reached the bot once it was back"
    assert thanked.delivery.acknowledged
    assert hub.connections_opened == 3, "the bot reconnected after the refresh and the drop"
    assert "1 positive moment of truth" in card_text(world)
    assert world.workspace.last_message(world.workspace.open_dm("U0ALICE01").id) is not None
    assert "Traceback" not in (tmp_path / "bot.log").read_text()
    saved = create_engine(f"sqlite:///{database}")
    with saved.connect() as connection:
        assert connection.execute(select(func.count()).select_from(Story)).scalar_one() == 1
        kinds = connection.execute(select(Kudos.kind).order_by(Kudos.kind)).scalars().all()
        assert kinds == ["kudos", "tag"], "one kudos from Maja, one tag from Chen's star"
    saved.dispose()


def test_two_replicas_share_the_envelopes_and_record_everything_once(emulator, demo, tmp_path):
    """Two `motbot run` processes on one PostgreSQL database, each with its own
    connection: Slack hands the envelopes out in turn, and each action counts once."""
    hub = emulator.socket_mode
    with fresh_database("postgresql", tmp_path) as url:
        upgrade(url)
        env = bot_environment(
            emulator, database_url=url, port=free_port(), extra=demo.env(), transport="socket_mode"
        )
        logs = [tmp_path / "first.log", tmp_path / "second.log"]
        with (
            BotProcess(env, port=0, log_path=logs[0], ready=lambda: hub.connections() >= 1),
            BotProcess(env, port=0, log_path=logs[1], ready=lambda: hub.connections() >= 2),
        ):
            world = connect_socket_mode(emulator)
            alice, bjorn, chen = world.user("alice"), world.user("bjorn"), world.user("chen.jing")
            share(alice)
            card = world.channel(STORIES).last_message()
            bjorn.clicks("Positive moment of truth", on=card)
            chen.reacts("star", on=card)
            world.user("maja").runs("/kudos @alice thanks for the rebooking #customer-first")
            shared = hub.envelopes_per_connection()

        saved = create_engine(url)
        with saved.connect() as connection:
            stories = connection.execute(select(func.count()).select_from(Story)).scalar_one()
            kinds = connection.execute(select(Kudos.kind).order_by(Kudos.kind)).scalars().all()
        saved.dispose()

    assert len(shared) == 2 and all(count > 0 for count in shared), shared
    assert stories == 1
    assert kinds == ["kudos", "tag", "tag"]
    assert "2 positive moments of truth" in card_text(world)
    assert not any("Traceback" in log.read_text() for log in logs)
