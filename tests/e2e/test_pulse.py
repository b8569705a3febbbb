"""The weekly pulse, end to end: DMs, answers by button, skip, reminders, results for HR."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from slack_sdk import WebClient
from sqlalchemy import func, select

from bot.app import workspace_defaults
from bot.config import Settings
from bot.db.engine import make_session_factory
from bot.db.models import PulseAnswer, PulseBallot, PulseInvite
from bot.sandbox.harness import SECRET_KEY
from bot.scheduling.context import JobContext
from bot.scheduling.pulse_jobs import close_pulse, remind_pulse, send_pulse
from bot.slack.pacing import Pacer
from slackemu.render import render_message
from tests.support.clock import Clock

# Every scenario here holds whether Slack posts to the bot or sends it envelopes.
pytestmark = pytest.mark.both_transports

MONDAY = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


@pytest.fixture
def bot_clock() -> Clock:
    """The week of the story: the bot tells the time of the latest job run."""
    return Clock(MONDAY)


@pytest.fixture
def jobs(world, emulator, engine, demo, bot_clock):
    """Run the pulse jobs as `motbot run-job` would (for everyone now), at a chosen moment,
    which the bot then takes as its own time."""

    def context(now: datetime = MONDAY) -> JobContext:
        bot_clock.now = now
        return JobContext(
            sessions=make_session_factory(engine),
            client=WebClient(token=emulator.workspace.bot.token, base_url=emulator.api_url),
            defaults=workspace_defaults(Settings.from_env(demo.env())),
            team_id=emulator.workspace.team.id,
            clock=lambda: now,
            pacer=Pacer(60_000),  # the emulator here does not rate-limit
            by_hand=True,
            secret_key=SECRET_KEY,
        )

    return context


def pulse_dm(person):
    """The newest pulse DM the person has (recognised by its buttons, in any language)."""
    return next(
        m
        for m in reversed(person.direct_messages())
        if any(b.get("block_id") == "pulse-more" for b in m.blocks)
    )


def ballots(engine) -> int:
    """Ballots waiting, sealed, in the box of the open round."""
    with engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(PulseBallot)).scalar_one()


def close(jobs, when=MONDAY + timedelta(days=8)):
    """Close the round, which counts its ballot box."""
    close_pulse(jobs(when))


def answers(engine) -> int:
    with engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(PulseAnswer)).scalar_one()


def answer_everything(person, label="Agree"):
    dm = pulse_dm(person)
    question_blocks = [b for b in dm.blocks if b.get("block_id", "").startswith("pulse-q-")]
    for block in question_blocks:
        labels = [e["text"]["text"] for e in block["elements"]]
        choice = label if label in labels else labels[-1]
        button = next(e for e in block["elements"] if e["text"]["text"] == choice)
        person.clicks(button["text"]["text"], on=_only(dm, block))
        dm = pulse_dm(person)


def _only(message, block):
    """The DM as the person sees it, narrowed to one question's buttons for the click."""
    narrowed = type(message)(**{**message.__dict__, "blocks": [block]})
    return narrowed


def test_the_pulse_goes_to_active_people_but_not_bots_deactivated_or_guests(world, jobs):
    report = send_pulse(jobs())

    assert report.failed == 0
    assert pulse_dm(world.user("alice"))
    assert pulse_dm(world.user("li.wei"))
    for outsider in ("tom", "nils"):
        assert world.user(outsider).direct_messages() == []
    assert report.sent == 17


def test_the_dm_says_how_answers_are_protected_in_the_members_language(world, jobs):
    send_pulse(jobs())

    english = render_message("", pulse_dm(world.user("alice")).blocks)
    chinese = render_message("", pulse_dm(world.user("li.wei")).blocks)
    assert "groups of at least 5 people" in english
    assert "至少 5 人" in chinese


def test_sending_twice_invites_nobody_twice(world, jobs):
    send_pulse(jobs())

    second = send_pulse(jobs(MONDAY + timedelta(hours=1)))

    assert second.sent == 0
    assert len(world.user("alice").direct_messages()) == 1


def test_answering_by_button_updates_the_dm_and_stores_no_name(world, jobs, engine):
    send_pulse(jobs())
    alice = world.user("alice")
    dm = pulse_dm(alice)
    first = next(b for b in dm.blocks if b.get("block_id", "").startswith("pulse-q-"))

    alice.clicks("Agree", on=_only(dm, first))

    updated = render_message("", pulse_dm(alice).blocks)
    assert "1 of" in updated
    assert (ballots(engine), answers(engine)) == (1, 0)
    close(jobs)
    assert (ballots(engine), answers(engine)) == (0, 1)


def test_changing_an_answer_keeps_one_answer(world, jobs, engine):
    send_pulse(jobs())
    alice = world.user("alice")
    first = next(b for b in pulse_dm(alice).blocks if b.get("block_id", "").startswith("pulse-q-"))

    alice.clicks("Agree", on=_only(pulse_dm(alice), first))
    alice.clicks("Strongly agree", on=_only(pulse_dm(alice), first))

    assert ballots(engine) == 1
    close(jobs)
    with engine.connect() as connection:
        values = connection.execute(select(PulseAnswer.value)).scalars().all()
    assert values == [5]


def test_answering_everything_thanks_the_member(world, jobs, engine):
    send_pulse(jobs())
    alice = world.user("alice")

    answer_everything(alice)

    assert "Thank you, that's all of them!" in render_message("", pulse_dm(alice).blocks)
    with engine.connect() as connection:
        statuses = connection.execute(select(PulseInvite.status)).scalars().all()
    assert statuses.count("completed") == 1


def test_skipping_the_week(world, jobs, engine):
    send_pulse(jobs())
    bjorn = world.user("bjorn")

    bjorn.clicks("Skip this week", on=pulse_dm(bjorn))

    assert "You skipped this week's pulse" in bjorn.direct_messages()[-1].text
    with engine.connect() as connection:
        assert "skipped" in connection.execute(select(PulseInvite.status)).scalars().all()


def test_reminders_go_only_to_those_who_have_not_finished(world, jobs):
    send_pulse(jobs())
    answer_everything(world.user("alice"))

    report = remind_pulse(jobs(MONDAY + timedelta(days=3, hours=12)))

    assert report.sent == 16
    assert "friendly reminder" in world.user("bjorn").direct_messages()[-1].text
    assert "friendly reminder" not in world.user("alice").direct_messages()[-1].text


def test_hr_reads_the_results_once_the_round_closes(world, jobs):
    send_pulse(jobs())
    for name in ("alice", "bjorn", "maja", "oliver", "emma", "sara"):
        answer_everything(world.user(name))
    close_pulse(jobs(MONDAY + timedelta(days=5)))
    karin = world.user("karin")

    karin.runs("/mot pulse results")

    shown = render_message("", karin.last_ephemeral().blocks)
    assert "6 of 17 people answered" in shown
    assert "*Whole workspace* · 6 respondents" in shown


def test_pulse_results_are_refused_to_everyone_but_hr_and_admins(world):
    bjorn = world.user("bjorn")

    bjorn.runs("/mot pulse results")

    assert "for HR and admins" in bjorn.last_ephemeral().text


def test_privacy_says_what_is_stored(world):
    alice = world.user("alice")

    alice.runs("/mot privacy")

    text = alice.last_ephemeral().text
    assert "Not what you answered" in text
    assert "No name, no invitation, no time, no order" in text
    assert "a made-up, altered or forwarded ballot" in text
    assert "at least 5 people answered" in text
    assert "`motbot export member`" in text and "`motbot forget member`" in text


def test_mot_pulse_points_to_the_dm_when_it_was_sent(world, jobs):
    send_pulse(jobs())
    alice = world.user("alice")

    alice.runs("/mot pulse")

    assert "waiting in your DM" in alice.last_ephemeral().text


def test_an_anonymous_comment_is_stored_without_a_name(world, jobs, engine):
    from bot.db.models import PulseComment

    send_pulse(jobs())
    alice = world.user("alice")

    alice.clicks("Add an anonymous comment", on=pulse_dm(alice))
    alice.submits({"Anything you would like HR and leaders to hear?": "More say in rostering"})

    assert alice.open_modal() is None
    assert "stored anonymously" in alice.direct_messages()[-1].text
    assert ballots(engine) == 1
    close(jobs)
    with engine.connect() as connection:
        assert connection.execute(select(PulseComment.text)).scalars().all() == [
            "More say in rostering"
        ]
