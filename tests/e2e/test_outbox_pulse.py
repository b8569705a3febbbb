"""A pulse answer Slack does not show: the answer counts, and the person is told so.

The pulse DM is not left to the outbox: it carries the person's ballot and choices,
which are never stored beside them (docs/privacy.md). Their next click, or `/mot pulse`,
shows the DM again.
"""

from __future__ import annotations

import pytest

from bot.scheduling.pulse_jobs import send_pulse
from tests.e2e.test_outbox import BEYOND_RETRIES, FAULTS
from tests.e2e.test_pulse import _only, ballots, pulse_dm
from tests.e2e.test_pulse import bot_clock as bot_clock  # the fixtures
from tests.e2e.test_pulse import jobs as jobs


@pytest.mark.parametrize("fault", list(FAULTS.values()), ids=list(FAULTS))
def test_an_answer_whose_dm_slack_did_not_update_is_recorded_and_said_so(
    world, jobs, engine, emulator, fault
):
    send_pulse(jobs())
    alice = world.user("alice")
    dm = pulse_dm(alice)
    first = next(b for b in dm.blocks if b.get("block_id", "").startswith("pulse-q-"))
    emulator.faults.fail("chat.update", fault, times=BEYOND_RETRIES)

    alice.clicks("Agree", on=_only(dm, first))

    assert ballots(engine) == 1, "the answer counts"
    assert alice.direct_messages()[-1].text == (
        "Your answer is recorded. Slack did not update the pulse message just now, so its "
        "buttons may not show your choice yet."
    )
    emulator.faults.clear()
    alice.clicks("Agree", on=_only(pulse_dm(alice), first))
    assert ballots(engine) == 1, "answering again changes the answer, never adds one"
    assert "1 of" in " ".join(str(block) for block in pulse_dm(alice).blocks)


def test_a_skip_whose_dm_slack_did_not_update_is_recorded_and_said_so(
    world, jobs, engine, emulator
):
    send_pulse(jobs())
    alice = world.user("alice")
    emulator.faults.fail("chat.update", 503, times=BEYOND_RETRIES)

    alice.clicks("Skip this week", on=pulse_dm(alice))

    assert "you skipped this week's pulse" in alice.direct_messages()[-1].text
