"""The console understands what a person types and says what it cannot do."""

from __future__ import annotations

from bot.sandbox.console import Console


class NoWorld:
    """The console must reject bad lines before it touches the workspace."""


def run(line: str) -> list[str]:
    printed: list[str] = []
    keep_going = Console(NoWorld(), printed.append).execute(line)  # type: ignore[arg-type]
    return [*printed, f"continue={keep_going}"]


def test_quit_ends_the_console():
    assert run("quit") == ["continue=False"]


def test_an_unknown_command_is_named_with_a_pointer_to_help():
    assert run("dance alice") == ["  ! unknown console command 'dance'; type help", "continue=True"]


def test_a_command_with_missing_arguments_shows_its_usage():
    assert run("dm")[0] == "  ! usage: dm PERSON"
