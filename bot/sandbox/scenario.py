"""`motbot sandbox`: the real bot against the emulator's demo workspace, no Slack needed.

It starts the emulator, starts `motbot run` (HTTP mode, or Socket Mode with
--socket-mode; a SQLite file) pointed at it,
plays a short scenario through the people of the demo airline and prints what each of
them saw, then keeps running so that a person can act in the workspace from the
console (see console.py). Each feature adds its part of the scenario here.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import TextIO

from bot.domain.pulse import iso_period
from bot.sandbox.console import HELP, Console
from bot.sandbox.demo import KARIN, load_demo
from bot.sandbox.foreground import console_or_serve
from bot.sandbox.harness import (
    BotProcess,
    bot_environment,
    connect,
    connect_socket_mode,
    dashboard_environment,
    sign_in_link,
)
from slackemu.actors import World
from slackemu.server import Emulator


@dataclass(frozen=True)
class SandboxOptions:
    directory: Path
    bot_port: int
    emulator_port: int
    interactive: bool
    socket_mode: bool = False


Say = Callable[[str], None]
Scene = Callable[[Console, Say], None]


def scene_help(console: Console, say: Say) -> None:
    say("Alice works at the check-in desk in Stockholm and asks motbot what it does.")
    console.execute("alice: /mot help")
    say("Li Wei, in Shanghai, uses Slack in Chinese; motbot answers in Chinese.")
    console.execute("li.wei: /mot help")


def scene_story(console: Console, say: Say) -> None:
    say(
        "A family of five missed their connection. Alice rebooked them and handed out meal "
        "vouchers without asking her manager first. She shares it with /mot."
    )
    console.execute("alice: /mot")
    console.execute(
        'submit alice "Where it happened=on_site" '
        '"What did the customer need?=A family of five had missed their connection in Oslo." '
        '"What did you do?=I rebooked all five on the next flight and gave them meal vouchers, '
        'without waiting for approval." '
        '"What was the outcome for the customer?=They made it to the wedding on time." '
        '"Empowerment=yes" "What made the difference (A-B-C)=communication" '
        '"Company values it shows=customer-first"'
    )
    say("The story is posted as a card, and the people in it are told by DM:")
    console.execute("show #moments-of-truth")
    say("Her colleagues recognise it: Bjorn with the button, Chen Jing with a :star: reaction.")
    console.execute('click bjorn "Positive moment of truth"')
    console.execute("react chen.jing star")
    say("Bjorn tries to back the decision too, but backing is for leaders:")
    console.execute('click bjorn "Back this decision"')
    say("Erik, who leads Check-in & Gate, backs Alice's decision in public:")
    console.execute('click erik "Back this decision"')
    say("The card now shows the recognition and the leader's backing:")
    console.execute("show #moments-of-truth")
    say("Alice opens motbot's App Home:")
    console.execute("home alice")


def scene_kudos(console: Console, say: Say) -> None:
    say("Maja gives Alice kudos from the story card:")
    console.execute('click maja "Give kudos"')
    console.execute(
        'submit maja "What did they do?=You turned a missed connection into a '
        'wedding on time. Thank you!"'
    )
    say("Erik recognises Alice directly, as a leader; Alice sees it in her DMs:")
    console.execute("erik: /kudos @alice for deciding on the spot for that family #ownership")
    console.execute("dm alice")
    say("Alice tries to give herself kudos. motbot says no, kindly:")
    console.execute("alice: /kudos @alice for being great")
    say("Oliver looks at this week's leaderboard:")
    console.execute("oliver: /mot top")


def scene_recovery(console: Console, say: Say) -> None:
    say(
        "Sara in Customer Care took a call from a passenger whose bag we had lost. She had "
        "it found and sent to her hotel by taxi the same evening. Something went wrong and "
        "was put right: she shares it as a service recovery."
    )
    console.execute("sara: /mot")
    console.execute(
        'submit sara "Where it happened=phone" '
        '"Did something go wrong first? What was it?=We lost her bag between Oslo and '
        'Stockholm." '
        '"What did the customer need?=Her suit for a job interview the next morning." '
        '"What did you do?=I traced the bag, had it sent to her hotel by taxi and called her '
        'when it left." '
        '"What was the outcome for the customer?=She had her suit by nine in the evening." '
        '"What made the difference (A-B-C)=behaviour"'
    )
    console.execute("show #moments-of-truth")
    say("Emma recognises it as a positive moment of truth too:")
    console.execute('click emma "Positive moment of truth"')


def scene_policies(console: Console, say: Say) -> None:
    say(
        "Henrik, the admin, names the policy areas people can file a rule under when they "
        "decided on the spot beyond it:"
    )
    console.execute("henrik: /mot admin policies add Refunds and compensation")
    console.execute("henrik: /mot admin policies add Rebooking")
    say(
        "Daniel in Customer Care refunded a fee above the 50-euro limit without a "
        "supervisor. His story names the rule he went beyond:"
    )
    console.execute("daniel: /mot")
    console.execute(
        'submit daniel "Where it happened=phone" '
        '"What did the customer need?=A refund of a 120-euro change fee charged by mistake." '
        '"What did you do?=I refunded it on the call instead of opening a case for a '
        'supervisor." '
        '"What was the outcome for the customer?=She had her money back the same day." '
        '"Empowerment=yes" '
        '"Which rule or usual practice did you go beyond?=Refunds over 50 euros need a '
        'supervisor" '
        '"Policy area=Refunds and compensation"'
    )
    console.execute("show #moments-of-truth")
    say("Oliver, cabin crew, did the same on board:")
    console.execute("oliver: /mot")
    console.execute(
        'submit oliver "Where it happened=in_person" '
        '"What did the customer need?=Compensation for a broken seat on a ten-hour flight." '
        '"What did you do?=I gave him a 100-euro voucher on the spot." '
        '"What was the outcome for the customer?=He thanked the crew as he left." '
        '"Empowerment=yes" '
        '"Which rule or usual practice did you go beyond?=Cabin crew may give vouchers up '
        'to 30 euros" '
        '"Policy area=Refunds and compensation"'
    )
    say("Alice tries to name a rule without having decided on the spot; motbot explains:")
    console.execute("alice: /mot")
    console.execute(
        'submit alice "Where it happened=on_site" '
        '"What did the customer need?=A seat together with her child." '
        '"What did you do?=I asked another passenger to swap." '
        '"What was the outcome for the customer?=They sat together." '
        '"Which rule or usual practice did you go beyond?=Seat changes at the gate"'
    )
    console.execute("cancel alice")
    say("Erik, a leader, asks which rules are bent most often (Wang Fang sees it in Chinese):")
    console.execute("erik: /mot policies")
    console.execute("wang.fang: /mot policies")
    say("An employee cannot see the list:")
    console.execute("bjorn: /mot policies")
    say(
        "Erik and the other leaders raise the refund limits, and Erik marks the policy "
        "revised with what changed:"
    )
    console.execute('click erik "Policy revised" reply')
    console.execute(
        'submit erik "What changed in the rule?=Everyone at the front line may now refund '
        'or compensate up to 150 euros on the spot, without asking."'
    )
    say("Daniel and Oliver hear that their decisions changed how the company works:")
    console.execute("dm daniel")
    console.execute("dm oliver")
    console.execute("erik: /mot policies")


def scene_pulse(console: Console, say: Say) -> None:
    say("Tuesday: the weekly pulse on empowerment and trust goes out to everyone by DM.")
    console.execute("job pulse-send")
    console.execute("dm li.wei")
    say("Eight colleagues answer. Nobody can tell who answered what (try /mot privacy).")
    for name, label in (
        ("alice", "Agree"),
        ("bjorn", "Strongly agree"),
        ("maja", "Agree"),
        ("oliver", "Neutral"),
        ("emma", "Agree"),
        ("sara", "Disagree"),
        ("daniel", "Agree"),
        ("chen.jing", "Strongly agree"),
    ):
        console.execute(f'answer {name} "{label}"')
    console.execute("alice: /mot privacy")
    say("The round closes; the culture-pulse summary goes to #hr-culture-pulse and to HR:")
    console.execute("job pulse-close")
    console.execute("show #hr-culture-pulse")
    say("Karin from HR can also ask for the full results at any time:")
    console.execute("karin: /mot pulse results")


def scene_week(console: Console, say: Say) -> None:
    this_week = iso_period(datetime.now(UTC), "UTC")
    say("Friday afternoon: each leader gets a digest of the week, in their own language.")
    console.execute(f"job digest --period {this_week}")
    console.execute("dm erik")
    console.execute("dm wang.fang")
    say("Monday morning: the week's leaderboard is posted in #leaderboard.")
    console.execute(f"job leaderboard --period {this_week}")
    console.execute("show #leaderboard")


SCENARIO: tuple[Scene, ...] = (
    scene_help,
    scene_story,
    scene_kudos,
    scene_recovery,
    scene_policies,
    scene_pulse,
    scene_week,
)


def run_sandbox(
    options: SandboxOptions, out: TextIO = sys.stdout, commands: TextIO = sys.stdin
) -> int:
    def say(text: str) -> None:
        print(text, file=out, flush=True)

    options.directory.mkdir(parents=True, exist_ok=True)
    database = options.directory / "motbot.db"
    # The emulator's Slack starts empty each time, so the bot's memory must too.
    for leftover in (database, *database.parent.glob(f"{database.name}-*")):
        leftover.unlink(missing_ok=True)
    demo = load_demo()
    with Emulator(demo.workspace, port=options.emulator_port) as emulator:
        env = bot_environment(
            emulator,
            database_url=f"sqlite:///{database.resolve()}",
            port=options.bot_port,
            extra={**demo.env(), **dashboard_environment(emulator, options.bot_port)},
            transport="socket_mode" if options.socket_mode else "http",
        )
        log_path = options.directory / "bot.log"
        say(f"Slack emulator: {emulator.api_url} (demo workspace {demo.workspace.team.name})")
        served = (
            "over Socket Mode (SLACK_APP_TOKEN set: it connects out to the emulator)"
            if options.socket_mode
            else f"on http://127.0.0.1:{options.bot_port}"
        )
        say(f"Starting motbot run --with-scheduler {served} (log: {log_path})")
        # With its scheduler, as a small install runs it: the jobs tick in the background
        # (and never repeat what the scenario's `run-job`s already sent).
        with BotProcess(
            env,
            port=options.bot_port,
            log_path=log_path,
            options=["--with-scheduler"],
            ready=_connected(emulator) if options.socket_mode else None,
        ) as bot:
            world = _people(emulator, bot, socket_mode=options.socket_mode)
            console = Console(world, say, run_job=partial(_run_job, env))
            play_scenario(console, say)
            dashboard_url = env["MOTBOT_DASHBOARD_URL"]
            say(
                "\n=== The web dashboard ===\n"
                f"Open this link to sign in as Karin (HR) and read the culture pages:\n"
                f"  {sign_in_link(emulator, KARIN, dashboard_url)}\n"
                f"Or open {dashboard_url}/dashboard/ and choose who you are on the emulated "
                "Slack's sign-in page (a leader sees their team; an employee is refused)."
            )
            if options.interactive:
                keep_running(console, say, commands, emulator, bot)
    return 0


def _connected(emulator: Emulator) -> Callable[[], bool]:
    return lambda: emulator.socket_mode.connections() >= 1


def _people(emulator: Emulator, bot: BotProcess, *, socket_mode: bool) -> World:
    """The demo workspace's people, their actions sent as the bot receives Slack's."""
    return connect_socket_mode(emulator) if socket_mode else connect(emulator, bot.request_url)


def _run_job(env: dict[str, str], args: list[str]) -> str:
    """`motbot run-job NAME [options]` with the bot's own settings, as an operator would."""
    result = subprocess.run(
        [sys.executable, "-m", "bot", "run-job", *args],
        env={**os.environ, **env, "LOG_LEVEL": "WARNING"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    return (result.stdout + result.stderr).strip()


def play_scenario(console: Console, say: Callable[[str], None]) -> None:
    say("\n=== The demo scenario ===")
    for scene in SCENARIO:
        say("")
        scene(console, say)


def keep_running(
    console: Console,
    say: Callable[[str], None],
    commands: TextIO,
    emulator: Emulator,
    bot: BotProcess,
) -> None:
    say("\n=== The sandbox keeps running ===")
    if emulator.socket_mode.connections():
        say(f"The bot is connected over Socket Mode.   The emulator's Web API: {emulator.api_url}")
    else:
        say(f"The bot: {bot.request_url}   The emulator's Web API: {emulator.api_url}")
    console_or_serve(
        console,
        commands,
        say,
        help_text="Act as anyone in the workspace. Console commands:\n" + HELP,
        prompt=lambda: print("sandbox> ", end="", file=sys.stdout, flush=True),
    )
