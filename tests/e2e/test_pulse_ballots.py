"""Pulse ballots, end to end, tried as an attacker would: a member edits the ballot in a
button of their DM (made up, altered) or uses another person's (forwarded). Each click
is refused in plain words and adds nothing to the ballot box; honest answers still count
and can still be changed."""

from __future__ import annotations

import json
import secrets

from sqlalchemy import func, select

from bot.db.models import PulseBallot, PulseInvite
from bot.scheduling.pulse_jobs import send_pulse
from tests.e2e.test_pulse import _only, pulse_dm
from tests.e2e.test_pulse import bot_clock as bot_clock  # the fixtures
from tests.e2e.test_pulse import jobs as jobs

REFUSED = "That answer was not counted"


def ballots(engine) -> int:
    with engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(PulseBallot)).scalar_one()


def first_question(dm):
    return next(b for b in dm.blocks if b.get("block_id", "").startswith("pulse-q-"))


def with_button_values(dm, tamper):
    """The DM's first question, each button's value passed through `tamper`."""
    block = json.loads(json.dumps(first_question(dm)))
    for element in block["elements"]:
        element["value"] = tamper(element["value"])
    return _only(dm, block)


def with_ballot(dm, ballot):
    """The DM's first question, its buttons carrying `ballot` instead of the real one."""
    return with_button_values(dm, lambda value: json.dumps({**json.loads(value), "s": ballot}))


def ballot_of(dm):
    return json.loads(first_question(dm)["elements"][0]["value"])["s"]


def test_ten_made_up_ballots_add_nothing(world, jobs, engine):
    send_pulse(jobs())
    alice = world.user("alice")

    for _ in range(10):
        alice.clicks("Agree", on=with_ballot(pulse_dm(alice), secrets.token_urlsafe(32)))

    assert ballots(engine) == 0
    assert REFUSED in alice.direct_messages()[-1].text


def test_an_altered_ballot_adds_nothing(world, jobs, engine):
    send_pulse(jobs())
    alice = world.user("alice")
    real = ballot_of(pulse_dm(alice))
    altered = real[:-1] + ("A" if real[-1] != "A" else "B")

    alice.clicks("Agree", on=with_ballot(pulse_dm(alice), altered))

    assert ballots(engine) == 0
    assert REFUSED in alice.direct_messages()[-1].text


def test_a_ballot_forwarded_to_someone_else_adds_nothing(world, jobs, engine):
    send_pulse(jobs())
    alice, bjorn = world.user("alice"), world.user("bjorn")
    alices = ballot_of(pulse_dm(alice))

    bjorn.clicks("Agree", on=with_ballot(pulse_dm(bjorn), alices))

    assert ballots(engine) == 0
    assert REFUSED in bjorn.direct_messages()[-1].text


def test_a_garbled_button_value_is_refused_in_plain_words(world, jobs, engine):
    send_pulse(jobs())
    alice = world.user("alice")

    alice.clicks("Agree", on=with_button_values(pulse_dm(alice), lambda _: "not json at all"))

    assert ballots(engine) == 0
    assert REFUSED in alice.direct_messages()[-1].text


def test_the_real_ballot_still_counts_and_can_change_its_answer(world, jobs, engine):
    send_pulse(jobs())
    alice = world.user("alice")

    alice.clicks("Agree", on=_only(pulse_dm(alice), first_question(pulse_dm(alice))))
    alice.clicks("Strongly agree", on=_only(pulse_dm(alice), first_question(pulse_dm(alice))))

    assert ballots(engine) == 1


def test_a_skip_button_carrying_no_round_skips_nothing(world, jobs, engine):
    send_pulse(jobs())
    bjorn = world.user("bjorn")
    dm = pulse_dm(bjorn)
    more = json.loads(json.dumps(next(b for b in dm.blocks if b.get("block_id") == "pulse-more")))
    for element in more["elements"]:
        element["value"] = "next week"

    bjorn.clicks("Skip this week", on=_only(dm, more))

    with engine.connect() as connection:
        assert connection.execute(select(PulseInvite.status)).scalars().all().count("skipped") == 0
    assert "That pulse round does not exist" in bjorn.direct_messages()[-1].text
