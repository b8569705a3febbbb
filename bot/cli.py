"""The `motbot` command."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from dotenv import find_dotenv, load_dotenv
from slack_bolt.error import BoltError

from bot.config import Settings, SettingsError
from bot.logs import configure_logging
from bot.scheduling.job_names import JOB_NAMES, JOBS_WITHOUT_PERIOD

log = logging.getLogger("bot.cli")

SANDBOX_HINT = (
    "Set them in the environment or in .env (see .env.example). To try motbot without a "
    "Slack account, run `make sandbox`."
)


class CommandError(Exception):
    """Ends the command with a message for the person at the terminal."""

    def __init__(self, message: str, exit_code: int = 2) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="motbot",
        description="motbot: moments of truth, recognition and a weekly pulse in Slack.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = commands.add_parser(
        "run", help="serve Slack (HTTP on PORT, or Socket Mode when SLACK_APP_TOKEN is set)"
    )
    run.add_argument("--host", default="0.0.0.0", help="address to listen on (HTTP mode)")
    run.add_argument("--no-migrate", action="store_true", help="do not upgrade the database first")
    run.add_argument(
        "--with-scheduler",
        action="store_true",
        help="also run the scheduled jobs here (small installs; else `motbot scheduler`)",
    )
    run.set_defaults(handler=command_run)

    scheduler = commands.add_parser(
        "scheduler", help="run the scheduled jobs (pulse, leaderboard, digests) until stopped"
    )
    scheduler.add_argument(
        "--no-migrate", action="store_true", help="do not upgrade the database first"
    )
    scheduler.set_defaults(handler=command_scheduler)

    migrate = commands.add_parser("migrate", help="upgrade the database to the latest schema")
    migrate.set_defaults(handler=command_migrate)

    run_job = commands.add_parser("run-job", help="run one scheduled job now")
    run_job.add_argument("name", choices=sorted(JOB_NAMES), help="the job to run")
    run_job.add_argument(
        "--workspace",
        help="Slack team id (default: every workspace: that of SLACK_BOT_TOKEN, or each one "
        "installed over OAuth)",
    )
    run_job.add_argument(
        "--period",
        help="ISO week such as 2026-W48 (default: this week; for leaderboard, last week)",
    )
    run_job.set_defaults(handler=command_run_job)

    sandbox = commands.add_parser(
        "sandbox",
        help="the bot against a local Slack emulator with a demo workspace (no Slack needed)",
    )
    sandbox.add_argument("--dir", default="sandbox", help="folder for the SQLite file and logs")
    sandbox.add_argument("--port", type=int, default=0, help="the bot's port (default: free)")
    sandbox.add_argument(
        "--emulator-port", type=int, default=0, help="the emulator's port (default: free)"
    )
    sandbox.add_argument(
        "--scenario-only", action="store_true", help="play the scenario, then stop"
    )
    sandbox.add_argument(
        "--socket-mode",
        action="store_true",
        help="run the bot over Socket Mode (SLACK_APP_TOKEN) instead of HTTP",
    )
    sandbox.set_defaults(handler=command_sandbox)

    emulator = commands.add_parser(
        "emulator", help="the local Slack emulator alone, for a bot you run yourself"
    )
    emulator.add_argument("--port", type=int, default=3100, help="port for the Web API")
    emulator.add_argument(
        "--workspace", help="JSON or YAML workspace file (default: the demo workspace)"
    )
    emulator.add_argument(
        "--bot-url",
        default="http://127.0.0.1:3000/slack/events",
        help="where to send slash commands, events and interactions",
    )
    emulator.add_argument(
        "--socket-mode",
        action="store_true",
        help="send them over Socket Mode instead, to a bot started with the printed "
        "SLACK_APP_TOKEN",
    )
    emulator.add_argument("--rate-limits", action="store_true", help="enforce Slack's tiers")
    emulator.add_argument(
        "--time-scale", type=float, default=1.0, help="run emulator time this much faster"
    )
    emulator.add_argument(
        "--console",
        action="store_true",
        help="read console commands from standard input even when it is not a terminal "
        "(without a terminal it otherwise serves until SIGINT or SIGTERM)",
    )
    emulator.set_defaults(handler=command_emulator)

    export = commands.add_parser(
        "export",
        help="write aggregate pulse results as CSV, or one person's data as JSON (needs only "
        "DATABASE_URL)",
    )
    exports = export.add_subparsers(dest="export", required=True, metavar="WHAT")
    export_pulse = exports.add_parser(
        "pulse",
        help="a closed pulse round's released results (groups of at least K; no answers, "
        "no comments)",
    )
    export_pulse.add_argument(
        "--round", required=True, help="the round: a period such as 2026-W48, or a round id"
    )
    export_pulse.add_argument(
        "--workspace", help="Slack team id (default: the only workspace in the database)"
    )
    export_pulse.add_argument("--output", help="file to write (default: standard output)")
    export_pulse.set_defaults(handler=command_export_pulse)
    export_member = exports.add_parser(
        "member",
        help="everything motbot stores about one person, as JSON (their data-access request)",
    )
    export_member.add_argument("user", metavar="USER_ID", help="the person's Slack user id")
    export_member.add_argument(
        "--workspace", help="Slack team id (default: the only workspace in the database)"
    )
    export_member.add_argument("--output", help="file to write (default: standard output)")
    export_member.set_defaults(handler=command_export_member)

    forget = commands.add_parser(
        "forget", help="erase a person's data, keeping anonymous figures (needs only DATABASE_URL)"
    )
    forgets = forget.add_subparsers(dest="forget", required=True, metavar="WHAT")
    forget_member = forgets.add_parser(
        "member",
        help="erase one person's data (see docs/privacy.md); shows what it will do and asks first",
    )
    forget_member.add_argument("user", metavar="USER_ID", help="the person's Slack user id")
    forget_member.add_argument(
        "--workspace", help="Slack team id (default: the only workspace in the database)"
    )
    forget_member.add_argument(
        "--yes", action="store_true", help="do not ask (needed when not run in a terminal)"
    )
    forget_member.set_defaults(handler=command_forget_member)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    # The .env of the directory motbot is started in, not of where its code lives.
    load_dotenv(find_dotenv(usecwd=True))
    args = build_parser().parse_args(argv)
    try:
        settings = Settings.from_env()
        configure_logging(settings.log_level, settings.log_format, settings.secret_values())
        return args.handler(settings, args)
    except SettingsError as error:
        print(f"motbot: {error}", file=sys.stderr)
        return 2
    except CommandError as error:
        print(f"motbot: {error}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        return 130


def command_migrate(settings: Settings, _args: argparse.Namespace) -> int:
    from bot.db.migrate import upgrade

    upgrade(settings.database_url)
    print("motbot: database is at the latest schema")
    return 0


def command_run(settings: Settings, args: argparse.Namespace) -> int:
    from bot.app import create_app, start_up
    from bot.db.engine import make_engine, make_session_factory
    from bot.db.migrate import upgrade

    try:
        settings.require_slack_credentials()
    except SettingsError as error:
        problems = "\n".join(f"  - {problem}" for problem in error.problems)
        raise CommandError(
            f"motbot run needs Slack credentials:\n{problems}\n{SANDBOX_HINT}"
        ) from None
    if not args.no_migrate:
        upgrade(settings.database_url)
    engine = make_engine(settings.database_url)
    sessions = make_session_factory(engine)
    try:
        bolt_app = create_app(settings, sessions)
    except BoltError as error:
        raise CommandError(
            f"Slack did not accept SLACK_BOT_TOKEN at {settings.slack_api_url} ({error}).",
            exit_code=1,
        ) from None
    start_up(bolt_app, settings, sessions)
    if args.with_scheduler:
        from bot.scheduling.runtime import WorkspaceRuntimes
        from bot.scheduling.scheduler import start_scheduler

        settings.require_secret_key()
        start_scheduler(WorkspaceRuntimes(settings, sessions), engine, mode="background")
    from bot.web.server import create_web_app, serve

    if settings.socket_mode:
        from bot.slack.socket_mode import socket_mode_handler

        handler = socket_mode_handler(bolt_app, settings.slack_app_token)
        if not settings.dashboard:
            handler.start()
            return 0
        handler.connect()  # Slack over the websocket; the dashboard over HTTP on PORT
    # Over Socket Mode, Slack sends nothing over HTTP and Bolt checks no signatures there.
    web = create_web_app(bolt_app, sessions, slack_routes=not settings.socket_mode)
    if settings.dashboard:
        from bot.web.dashboard import install_dashboard

        install_dashboard(web, settings)
        log.info("the dashboard: %s/dashboard/", settings.dashboard_url)
    serve(web, host=args.host, port=settings.port)
    return 0


def command_sandbox(_settings: Settings, args: argparse.Namespace) -> int:
    from pathlib import Path

    from bot.sandbox.harness import free_port
    from bot.sandbox.scenario import SandboxOptions, run_sandbox

    options = SandboxOptions(
        directory=Path(args.dir),
        bot_port=args.port or free_port(),
        emulator_port=args.emulator_port,
        interactive=not args.scenario_only,
        socket_mode=args.socket_mode,
    )
    return run_sandbox(options)


def command_emulator(_settings: Settings, args: argparse.Namespace) -> int:
    from bot.sandbox.console import HELP, Console
    from bot.sandbox.demo import load_demo
    from bot.sandbox.foreground import console_or_serve
    from bot.sandbox.harness import SIGNING_SECRET, connect, connect_socket_mode
    from slackemu.clock import Clock
    from slackemu.server import Emulator
    from slackemu.workspace_file import WorkspaceFileError, load_workspace_file

    clock = Clock(time_scale=args.time_scale)
    try:
        loaded = load_workspace_file(args.workspace, clock) if args.workspace else load_demo(clock)
    except WorkspaceFileError as error:
        raise CommandError(str(error)) from None
    with Emulator(loaded.workspace, port=args.port, rate_limits=args.rate_limits) as emulator:
        print("Slack emulator running. Start the bot with:")
        transport = (
            {"SLACK_APP_TOKEN": emulator.socket_mode.app_token}
            if args.socket_mode
            else {"SLACK_SIGNING_SECRET": SIGNING_SECRET}
        )
        for name, value in {**loaded.env(emulator.api_url), **transport}.items():
            print(f"  export {name}={value}")
        if args.socket_mode:
            print("Requests from its people go to the bot over Socket Mode.", flush=True)
            world = connect_socket_mode(emulator)
        else:
            print(f"Requests from its people go to {args.bot_url}.", flush=True)
            world = connect(emulator, args.bot_url)
        console_or_serve(
            Console(world, print),
            sys.stdin,
            lambda text: print(text, flush=True),
            help_text=f"Console commands:\n{HELP}",
            prompt=lambda: print("emulator> ", end="", flush=True),
            force_console=args.console,
        )
    return 0


def command_run_job(settings: Settings, args: argparse.Namespace) -> int:
    from bot.db.engine import make_engine, make_session_factory
    from bot.scheduling.runtime import UnknownWorkspace, WorkspaceRuntimes
    from bot.scheduling.timetable import is_period

    if not settings.slack_bot_token and not settings.oauth:
        raise CommandError(
            "run-job needs SLACK_BOT_TOKEN (or MOTBOT_CLIENT_ID and MOTBOT_CLIENT_SECRET) "
            "to reach Slack.\n" + SANDBOX_HINT
        )
    if args.name.startswith("pulse-"):
        settings.require_secret_key()
    if args.period and args.name in JOBS_WITHOUT_PERIOD:
        raise CommandError(f"{args.name} works on what is current and takes no --period")
    if args.period and not is_period(args.period):
        raise CommandError(f"--period must be an ISO week such as 2026-W48, got {args.period!r}")
    runtimes = WorkspaceRuntimes(settings, make_session_factory(make_engine(settings.database_url)))
    try:
        reports = runtimes.run(args.name, args.period, by_hand=True, team_id=args.workspace)
    except UnknownWorkspace:
        raise CommandError(
            f"motbot is not installed in workspace {args.workspace} (or it was uninstalled)"
        ) from None
    if not reports:
        print("motbot: no workspace is installed yet; nothing to do")
    for report in reports:
        print(f"motbot: {report}")
    return 0 if all(report.ok for report in reports) else 1


def command_scheduler(settings: Settings, args: argparse.Namespace) -> int:
    from bot.db.engine import make_engine, make_session_factory
    from bot.db.migrate import upgrade
    from bot.scheduling.runtime import WorkspaceRuntimes
    from bot.scheduling.scheduler import start_scheduler

    if not settings.slack_bot_token and not settings.oauth:
        raise CommandError(
            "motbot scheduler needs SLACK_BOT_TOKEN (or MOTBOT_CLIENT_ID and "
            "MOTBOT_CLIENT_SECRET).\n" + SANDBOX_HINT
        )
    settings.require_secret_key()
    if not args.no_migrate:
        upgrade(settings.database_url)
    engine = make_engine(settings.database_url)
    runtimes = WorkspaceRuntimes(settings, make_session_factory(engine))
    print("motbot: scheduler running (Ctrl-C to stop)", flush=True)
    start_scheduler(runtimes, engine, mode="blocking")
    return 0


@contextmanager
def database_errors_explained() -> Iterator[None]:
    """A person's mistake (DomainError) or an unreachable database, said in one line
    instead of a traceback."""
    from sqlalchemy.exc import SQLAlchemyError

    from bot.domain.errors import DomainError
    from bot.i18n import translate

    try:
        yield
    except DomainError as error:
        raise CommandError(translate("en", error.key, **error.params)) from None
    except SQLAlchemyError as error:
        reason = str(getattr(error, "orig", None) or type(error).__name__).splitlines()[0]
        raise CommandError(translate("en", "hr_summary.export.database", error=reason)) from None


def write_output(path: str | None, data: bytes, *, private: bool = False) -> None:
    """Write `data` to `path`, or to standard output for none or "-". A `private` file
    (personal data) is readable by its owner only."""
    import os

    from bot.i18n import translate

    if not path or path == "-":
        sys.stdout.flush()
        # Bytes, so names in any script survive a terminal whose encoding is not UTF-8.
        stream = getattr(sys.stdout, "buffer", None)
        if stream is None:
            sys.stdout.write(data.decode("utf-8"))
        else:
            stream.write(data)
            stream.flush()
        return
    mode = 0o600 if private else 0o666
    try:
        with open(path, "wb", opener=lambda name, flags: os.open(name, flags, mode)) as output:
            output.write(data)
    except OSError as error:
        raise CommandError(
            translate("en", "hr_summary.export.write_failed", path=path, error=error.strerror)
        ) from None


def command_export_pulse(settings: Settings, args: argparse.Namespace) -> int:
    from bot.db.engine import make_engine, make_session_factory
    from bot.domain.pulse_export import export_target, pulse_csv

    engine = make_engine(settings.database_url)
    try:
        with database_errors_explained(), make_session_factory(engine)() as session:
            target = export_target(session, args.workspace, args.round)
            text = pulse_csv(session, target.workspace_id, target.round_id)
    finally:
        engine.dispose()
    write_output(args.output, text.encode("utf-8"))
    return 0


def command_export_member(settings: Settings, args: argparse.Namespace) -> int:
    from datetime import UTC, datetime

    from bot.db.engine import make_engine, make_session_factory
    from bot.domain.member_data import export_json, find_member

    engine = make_engine(settings.database_url)
    try:
        with database_errors_explained(), make_session_factory(engine)() as session:
            target = find_member(session, args.workspace, args.user)
            text = export_json(session, target, datetime.now(UTC))
    finally:
        engine.dispose()
    write_output(args.output, text.encode("utf-8"), private=True)
    return 0


def command_forget_member(settings: Settings, args: argparse.Namespace) -> int:
    from bot.db.engine import make_engine, make_session_factory, unit_of_work
    from bot.domain.member_data import find_member, forget_member, forget_plan

    engine = make_engine(settings.database_url)
    sessions = make_session_factory(engine)
    try:
        with database_errors_explained():
            # The plan is read first and the person at the terminal asked with no transaction
            # open; the forgetting itself is one transaction, all or nothing.
            with sessions() as session:
                target = find_member(session, args.workspace, args.user)
                plan = forget_plan(session, target)
            where = f"{target.user_id} in workspace {target.team_id}"
            if plan.nothing_left:
                print(f"motbot: nothing left to forget for {where}. {plan.kept_line()}")
                return 0
            print(f"motbot will forget {where}:")
            for line in plan.lines():
                print(f"  - {line}")
            print(plan.kept_line())
            print(
                "Messages motbot already posted in Slack (story cards, DMs) are not changed: "
                "`motbot export member` lists where they are, and a Slack admin can delete them."
            )
            if not args.yes:
                if sys.stdin is None or not sys.stdin.isatty():
                    raise CommandError(
                        "nothing was changed: this run is not interactive, so confirm with --yes"
                    )
                try:
                    answer = input(f"Forget {target.user_id}? This cannot be undone. Type yes: ")
                except EOFError:
                    answer = ""
                if answer.strip().lower() != "yes":
                    print("motbot: nothing was changed")
                    return 1
            with unit_of_work(sessions) as session:
                done = forget_member(session, target)
    finally:
        engine.dispose()
    print(
        f"motbot: forgot {where}: {done.changes} rows changed; what stays is linked only to "
        f"{done.tombstone}"
    )
    return 0
