"""How many transactions one request opens (one unit of work per request, where it is
safe): counted on the bot's engine while a person acts, once they are known."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy import event

from slackemu.render import render_message


@contextmanager
def counting_transactions(engine) -> Iterator[Callable[[], int]]:
    opened = 0

    def begun(_connection) -> None:
        nonlocal opened
        opened += 1

    event.listen(engine, "begin", begun)
    try:
        yield lambda: opened
    finally:
        event.remove(engine, "begin", begun)


def test_kudos_from_the_command_line_reads_once_and_writes_once(world, engine):
    alice, bjorn = world.user("alice"), world.user("bjorn")
    alice.runs("/kudos @bjorn for the warm-up")  # both are known from now on

    with counting_transactions(engine) as opened:
        alice.runs("/kudos @bjorn for covering the gate")

    dm = bjorn.direct_messages()[-1]
    assert "covering the gate" in render_message(dm.text, dm.blocks)
    # The requester (the middleware's, before the acknowledgement); the values and the
    # recipient (one read); the kudos and the DM they owe (one write); the DM's claim, its
    # text and recipient, and its delivery; what is still owed.
    assert opened() == 7


def test_help_takes_one_transaction(world, engine):
    alice = world.user("alice")
    alice.runs("/mot help")

    with counting_transactions(engine) as opened:
        alice.runs("/mot help")

    assert opened() == 1


def test_opening_the_home_takes_two_transactions(world, engine):
    alice = world.user("alice")
    alice.opens_home()

    with counting_transactions(engine) as opened:
        alice.opens_home()

    assert opened() == 2  # the requester, then what the Home shows
