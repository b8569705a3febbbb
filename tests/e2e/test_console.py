"""The sandbox console acts as a person: what they click in their DM reaches the bot."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from bot.db.models import PulseBallot
from bot.sandbox.console import Console
from bot.scheduling.pulse_jobs import send_pulse
from tests.e2e.test_pulse import bot_clock as bot_clock  # the fixtures
from tests.e2e.test_pulse import jobs as jobs


def ballots(engine) -> int:
    with engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(PulseBallot)).scalar_one()


def test_click_dm_presses_a_button_of_the_persons_last_dm(world, jobs, engine):
    send_pulse(jobs())
    printed: list[str] = []

    Console(world, printed.append).execute('click alice "Agree" dm')

    assert not [line for line in printed if line.lstrip().startswith("!")], printed
    assert ballots(engine) == 1
    assert "1 of 4 answered" in json.dumps(world.user("alice").direct_messages()[-1].blocks)


def test_click_dm_finds_the_pulse_dm_behind_a_later_notice(world, jobs, engine):
    send_pulse(jobs())
    Console(world, [].append).execute('click alice "Agree" dm')
    alice = world.user("alice")
    pulse_dm = alice.direct_messages()[-1]
    world.workspace.post_message(pulse_dm.channel, pulse_dm.user, text="A later notice")
    printed: list[str] = []

    Console(world, printed.append).execute('click alice "Strongly agree" dm')

    assert not [line for line in printed if line.lstrip().startswith("!")], printed
    assert ballots(engine) == 1  # the same question, its answer changed
    assert alice.direct_messages()[-1].text == "A later notice"


def test_click_dm_before_any_dm_says_so(world):
    printed: list[str] = []

    Console(world, printed.append).execute('click alice "Agree" dm')

    assert printed == ["  ! the bot has sent Alice Andersson no DM yet"]


def test_click_reply_clicks_a_button_on_an_answer_only_they_saw_and_cancel_closes_it(world):
    printed: list[str] = []
    console = Console(world, printed.append)
    console.execute("alice: /mot")
    console.execute(
        'submit alice "Where it happened=phone" "What did the customer need?=A refund" '
        '"What did you do?=Refunded it" "What was the outcome for the customer?=Happy" '
        '"Empowerment=yes" "Which rule or usual practice did you go beyond?=Refund limit"'
    )
    console.execute("erik: /mot policies")

    console.execute('click erik "Policy revised" reply')
    console.execute("cancel erik")

    assert any("Erik Lindqvist sees a modal: Policy revised" in line for line in printed)
    assert "  Erik Lindqvist closed the modal" in printed
    assert world.user("erik").open_modal() is None


def test_click_reply_before_any_answer_says_so(world):
    printed: list[str] = []

    Console(world, printed.append).execute('click bjorn "Policy revised" reply')

    assert printed == ["  ! the bot has answered Björn Nilsson nothing only they see yet"]


def test_a_fault_armed_at_the_console_shows_what_a_person_is_told(world):
    printed: list[str] = []
    console = Console(world, printed.append)

    console.execute("fault chat.postMessage 503 6")
    console.execute("faults")
    console.execute("alice: /mot")
    console.execute(
        'submit alice "Where it happened=on_site" "What did the customer need?=A seat" '
        '"What did you do?=Found one" "What was the outcome for the customer?=Flew"'
    )
    console.execute("faults clear")
    console.execute("faults")
    shown = "\n".join(printed)

    assert "Slack will fail chat.postMessage with 503 (6 time(s))" in shown
    assert "chat.postMessage: 503 (6 left)" in shown
    assert "Your story is saved" in shown
    assert "Slack answers normally again" in shown
    assert "no faults armed" in shown
    assert not world.channel("#moments-of-truth").messages(), "the card waits in the outbox"


def test_a_fault_the_emulator_does_not_know_is_refused_at_the_console(world):
    printed: list[str] = []

    Console(world, printed.append).execute("fault chat.postMessage 200")

    assert printed and printed[0].startswith("  ! ") and "5xx" in printed[0]
