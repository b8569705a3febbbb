"""`/mot`'s subcommands in one table: each word's handler and the guide's lines.

Each listener module adds its own words (and the guide lines of what it offers beside
`/mot`, such as the star reaction or `/kudos`) to a table that
bot/slack/listeners/mot_commands() builds; `/mot` routes through it, and `/mot help`
and the App Home render its guide, so a command cannot exist without its line, nor a
line outlive its command."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from slack_bolt import Ack, BoltContext
from slack_bolt.context.respond import Respond
from slack_sdk import WebClient

from bot.domain.directory import Requester
from bot.slack.middleware import Clock, UnitOfWork

# The guide: catalogue keys of its lines, in the order they are shown.
Guide = tuple[str, ...]


@dataclass(frozen=True)
class MotRequest:
    """One `/mot <word> <text>`, with what its handler needs."""

    ack: Ack
    respond: Respond
    client: WebClient
    context: BoltContext
    requester: Requester
    unit_of_work: UnitOfWork
    now: Clock
    secret_key: str | None
    trigger_id: str
    guide: Guide
    word: str  # lower-cased; "" for a bare `/mot`
    text: str  # what follows the word, as typed

    @property
    def args(self) -> list[str]:
        return self.text.split()


MotHandler = Callable[[MotRequest], None]


class MotCommands:
    """Words to handlers, and the guide's lines, in the order they were added."""

    def __init__(self) -> None:
        self._handlers: dict[str, MotHandler] = {}
        self._guide: list[str] = []

    def add(self, *words: str, handler: MotHandler, guide: str | None = None) -> None:
        """`/mot <word>` for each of `words` is handled by `handler`; `guide` is the
        catalogue key of its line in the guide."""
        for word in words:
            if word in self._handlers:
                raise ValueError(f"/mot {word} is handled twice")
            self._handlers[word] = handler
        if guide is not None:
            self.mention(guide)

    def mention(self, guide: str) -> None:
        """A guide line for something done outside `/mot` (a reaction, `/kudos`)."""
        if guide in self._guide:
            raise ValueError(f"{guide} is in the guide twice")
        self._guide.append(guide)

    def handler_for(self, word: str) -> MotHandler | None:
        return self._handlers.get(word)

    @property
    def words(self) -> tuple[str, ...]:
        return tuple(self._handlers)

    @property
    def guide(self) -> Guide:
        return tuple(self._guide)


def split_subcommand(text: str) -> tuple[str, str]:
    """(`word`, the rest as typed) of what follows `/mot`."""
    parts = text.split(None, 1)
    word = parts[0].lower() if parts else ""
    return word, parts[1].strip() if len(parts) > 1 else ""
