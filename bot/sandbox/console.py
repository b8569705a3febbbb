"""A line-by-line console for acting as people in the emulated workspace.

alice: /mot help          run a slash command as alice (in #general)
alice in #moments-of-truth: /mot help
show #moments-of-truth    the channel's last messages
dm li.wei                 what the bot sent li.wei in their DM
home erik                 erik opens the App Home; shows what he sees
click bjorn "Label"       bjorn clicks a button on the last message in #moments-of-truth;
                          add #channel, dm (his newest DM with it), reply (the newest
                          answer only he sees with it) or home:
                          click li.wei "同意" dm
answer alice Agree        alice answers every question of her pulse DM with one label
submit alice "Label=value" ...   alice fills in and submits the modal she has open
cancel alice              alice closes the modal she has open
react karin star          karin reacts to the last message in #moments-of-truth
job digest                run a scheduled job now (`motbot run-job digest`), with any
                          of its options: job leaderboard --period 2026-W48
fault chat.postMessage 503 5   make Slack fail that method 5 times (a 5xx, ratelimited,
                          bad_gateway_html, reset or timeout); `faults` lists them,
                          `faults clear` ends them; `job outbox` delivers what was owed
people                    who is in the workspace
help, quit
"""

from __future__ import annotations

import shlex
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import Any, TextIO, TypeVar

from bot.scheduling.job_names import JOB_NAMES
from slackemu.actors import Person, World, has_button
from slackemu.records import Ephemeral, Message
from slackemu.render import render_message

HELP = __doc__.split("\n\n", 1)[1] if __doc__ else ""
DEFAULT_STORIES_CHANNEL = "#moments-of-truth"


class Console:
    def __init__(
        self,
        world: World,
        out: Callable[[str], None],
        run_job: Callable[[list[str]], str] | None = None,
    ) -> None:
        self.world = world
        self.out = out
        self.run_job = run_job

    def run(self, lines: TextIO, prompt: Callable[[], None] = lambda: None) -> None:
        prompt()
        for line in lines:
            if not self.execute(line):
                return
            prompt()

    def execute(self, line: str) -> bool:
        """Carry out one console line; False when the person asked to quit."""
        line = line.strip()
        if not line:
            return True
        if line in ("quit", "exit"):
            return False
        try:
            self._dispatch(line)
        except (LookupError, ValueError) as error:
            self.out(f"  ! {error}")
        return True

    # ---------------------------------------------------------------- commands

    def _dispatch(self, line: str) -> None:
        if ":" in line.split(" ", 1)[0] or ": /" in line:
            who, _, command = line.partition(":")
            self._run_command(who.strip(), command.strip())
            return
        words = shlex.split(line)
        verb, args = words[0].lower(), words[1:]
        handlers = {
            "help": lambda: self.out(HELP),
            "people": self._people,
            "show": lambda: self._show_channel(_one(args, "show #channel")),
            "dm": lambda: self._show_dm(_one(args, "dm PERSON")),
            "home": lambda: self._show_home(_one(args, "home PERSON")),
            "click": lambda: self._click(args),
            "submit": lambda: self._submit(args),
            "cancel": lambda: self._cancel(_one(args, "cancel PERSON")),
            "answer": lambda: self._answer(args),
            "job": lambda: self._job(args),
            "react": lambda: self._react(args),
            "fault": lambda: self._fault(args),
            "faults": lambda: self._faults(args),
        }
        if verb not in handlers:
            raise ValueError(f"unknown console command {verb!r}; type help")
        handlers[verb]()

    def _run_command(self, who: str, command: str) -> None:
        self.out(f"  > {who}: {command}")
        person_ref, _, where = who.partition(" in ")
        person = self.world.user(person_ref.strip())
        with self._showing_news(person):
            reply = person.runs(command, channel=where.strip() or "#general")
        if not reply.delivery.acknowledged:
            self.out(f"  ! the bot did not answer ({reply.delivery.last.failure or 'error'})")

    @contextmanager
    def _showing_news(self, person: Person) -> Iterator[None]:
        """Show what reached the person while the block ran: private answers, DMs, a modal."""
        ephemerals, dms = len(person.ephemerals()), len(person.direct_messages())
        modal_before = person.open_modal()
        yield
        for seen in person.ephemerals()[ephemerals:]:
            self.out(
                self._frame(f"{_name(person)} sees (only visible to them)", seen.blocks, seen.text)
            )
        for message in person.direct_messages()[dms:]:
            self.out(self._frame(f"DM to {_name(person)}", message.blocks, message.text))
        modal = person.open_modal()
        if modal is not None and (modal_before is None or modal.hash != modal_before.hash):
            self.out(
                self._frame(
                    f"{_name(person)} sees a modal: {modal.title['text']}", modal.blocks, ""
                )
            )

    def _people(self) -> None:
        for user in self.world.workspace.users():
            flags = [
                flag
                for flag, on in (
                    ("bot", user.is_bot),
                    ("deleted", user.deleted),
                    ("guest", user.is_restricted),
                )
                if on
            ]
            extra = f" [{', '.join(flags)}]" if flags else ""
            self.out(f"  {user.name:<12} {user.real_name:<22} {user.locale:<6} {user.tz}{extra}")

    def _show_channel(self, ref: str) -> None:
        channel = self.world.channel(ref)
        messages = channel.messages()[-5:]
        if not messages:
            self.out(f"  #{channel.channel.name} has no messages yet")
        for message in messages:
            self.out(self._frame(f"#{channel.channel.name}", message.blocks, message.text))

    def _show_dm(self, ref: str) -> None:
        person = self.world.user(ref)
        messages = person.direct_messages()[-5:]
        if not messages:
            self.out(f"  the bot has not written to {_name(person)}")
        for message in messages:
            self.out(self._frame(f"DM to {_name(person)}", message.blocks, message.text))

    def _show_home(self, ref: str) -> None:
        person = self.world.user(ref)
        person.opens_home()
        home = person.home()
        if home is None:
            self.out(f"  the bot has not published an App Home for {_name(person)}")
            return
        self.out(self._frame(f"App Home of {_name(person)}", home.blocks, ""))

    def _click(self, args: list[str]) -> None:
        if len(args) not in (2, 3):
            raise ValueError('usage: click PERSON "Button label" [#channel | dm | reply | home]')
        person = self.world.user(args[0])
        where = args[2] if len(args) == 3 else DEFAULT_STORIES_CHANNEL
        if where == "home":
            on = person.home()
            if on is None:
                raise LookupError(f"{_name(person)} has no App Home yet; try: home {args[0]}")
        elif where == "dm":
            on = _latest_dm_with_button(person, args[1])
        elif where == "reply":
            on = _latest_reply_with_button(person, args[1])
        else:
            on = self.world.channel(where).last_message()
        with self._showing_news(person):
            person.clicks(args[1], on=on)

    def _submit(self, args: list[str]) -> None:
        if not args:
            raise ValueError('usage: submit PERSON "Label=value" ...')
        person = self.world.user(args[0])
        answers: dict[str, Any] = {}
        for pair in args[1:]:
            label, separator, value = pair.partition("=")
            if not separator:
                raise ValueError(f"{pair!r} is not Label=value")
            answers[label] = value
        with self._showing_news(person):
            person.submits(answers)
        errors = self.world.modal_errors.get(getattr(person.open_modal(), "id", ""), {})
        for field, message in errors.items():
            self.out(f"  ! {field}: {message}")

    def _cancel(self, ref: str) -> None:
        person = self.world.user(ref)
        if person.open_modal() is None:
            raise LookupError(f"{_name(person)} has no modal open")
        person.closes_modal()
        self.out(f"  {_name(person)} closed the modal")

    def _answer(self, args: list[str]) -> None:
        if len(args) != 2:
            raise ValueError("usage: answer PERSON LABEL   (e.g. answer alice Agree)")
        person = self.world.user(args[0])
        questions = 0
        for block_id in _pulse_question_blocks(person):
            # Re-read the DM each time: every answer updates it in place.
            dm = _latest_pulse_dm(person)
            block = next(b for b in dm.blocks if b.get("block_id") == block_id)
            labels = [element["text"]["text"] for element in block["elements"]]
            label = args[1] if args[1] in labels else labels[-1]
            person.clicks(label, on=replace(dm, blocks=[block]))
            questions += 1
        self.out(f"  {_name(person)} answered {questions} questions in the pulse DM")

    def _job(self, args: list[str]) -> None:
        if not args or self.run_job is None:
            raise ValueError(f"usage: job NAME [--period YYYY-Www] ({', '.join(JOB_NAMES)})")
        self.out(f"  $ motbot run-job {shlex.join(args)}")
        for line in self.run_job(args).splitlines():
            self.out(f"  {line}")

    def _fault(self, args: list[str]) -> None:
        usage = "usage: fault METHOD KIND [TIMES], e.g. fault chat.postMessage 503 5"
        if len(args) not in (2, 3):
            raise ValueError(usage)
        method, kind_text = args[0], args[1]
        kind: Any = int(kind_text) if kind_text.isdigit() else kind_text
        times = int(args[2]) if len(args) == 3 and args[2].isdigit() else None
        if len(args) == 3 and times is None:
            raise ValueError(usage)
        self.world.emulator.faults.fail(method, kind, times=times)
        self.out(f"  Slack will fail {method} with {kind_text} ({times or 1} time(s))")

    def _faults(self, args: list[str]) -> None:
        faults = self.world.emulator.faults
        if args == ["clear"]:
            faults.clear()
            self.out("  Slack answers normally again")
            return
        if args:
            raise ValueError("usage: faults [clear]")
        armed = faults.armed()
        if not armed:
            self.out("  no faults armed: Slack answers normally")
        for fault in armed:
            self.out(f"  {fault.method}: {fault.kind} ({fault.remaining} left)")

    def _react(self, args: list[str]) -> None:
        if len(args) not in (2, 3):
            raise ValueError("usage: react PERSON EMOJI [#channel]")
        person = self.world.user(args[0])
        channel = self.world.channel(args[2] if len(args) == 3 else DEFAULT_STORIES_CHANNEL)
        person.reacts(args[1], on=channel.last_message())
        self.out(f"  {_name(person)} reacted :{args[1].strip(':')}: in #{channel.channel.name}")

    def _frame(self, title: str, blocks: list, text: str) -> str:
        body = render_message(text, blocks, self.world.names())
        lines = [f"  ┌─ {title}"]
        lines += [f"  │ {line}" for line in body.splitlines()]
        lines.append("  └─")
        return "\n".join(lines)


_Shown = TypeVar("_Shown", Message, Ephemeral)


def _latest_dm_with_button(person: Person, label: str) -> Message:
    """The newest DM showing that button: a refusal or notice sent after the pulse DM
    must not hide the DM the person means."""
    return _latest_with_button(
        person.direct_messages(),
        label,
        none=f"the bot has sent {_name(person)} no DM yet",
        what=f"DM of {_name(person)}",
    )


def _latest_reply_with_button(person: Person, label: str) -> Ephemeral:
    """The newest answer only the person sees (a `/mot policies` list, say) with that button."""
    return _latest_with_button(
        person.ephemerals(),
        label,
        none=f"the bot has answered {_name(person)} nothing only they see yet",
        what=f"answer to {_name(person)}",
    )


def _latest_with_button(seen: list[_Shown], label: str, *, none: str, what: str) -> _Shown:
    for message in reversed(seen):
        if has_button(message.blocks, label):
            return message
    if not seen:
        raise LookupError(none)
    raise LookupError(f"no {what} shows a button labelled {label!r}")


def _latest_pulse_dm(person: Person) -> Message:
    for message in reversed(person.direct_messages()):
        if any(block.get("block_id") == "pulse-more" for block in message.blocks):
            return message
    raise LookupError(f"{_name(person)} has no pulse DM; try: job pulse-send")


def _pulse_question_blocks(person: Person) -> list[str]:
    return [
        block["block_id"]
        for block in _latest_pulse_dm(person).blocks
        if str(block.get("block_id", "")).startswith("pulse-q-")
    ]


def _one(args: list[str], usage: str) -> str:
    if len(args) != 1:
        raise ValueError(f"usage: {usage}")
    return args[0]


def _name(person: Person) -> str:
    return person.user.real_name or person.user.name
