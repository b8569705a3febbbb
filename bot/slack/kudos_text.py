"""Reads the text of `/kudos @a @b reason #value` as Slack delivers it.

Slack escapes a slash command's text (with "Escape channels, users, and links" on):
people arrive as `<@U123|name>` or `<@U123>`, user groups as `<!subteam^S123|@team>`,
`@channel` as `<!channel>`, channels as `<#C123|name>`, links as `<https://…|label>`,
emails as `<mailto:a@b.c|a@b.c>`, and `& < >` as entities. Everything that is not a
person or a company value is the reason, as the giver wrote it.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass

_ESCAPED = re.compile(r"<([^<>]+)>")
_CODE = re.compile(r"`[^`]*`")
_HASHTAG = re.compile(r"(?<![\w&#/])#([\w][\w\-]*)")
_SPACES = re.compile(r"[ \t]+")


@dataclass(frozen=True)
class KudosText:
    recipients: tuple[str, ...]
    groups: tuple[str, ...]  # user groups and @channel/@here: refused, named for the message
    value_tags: tuple[str, ...]  # the workspace's tags, as the workspace spells them
    unknown_tags: tuple[str, ...]  # hashtags that are not company values (kept in the reason)
    reason: str


def parse_kudos_text(text: str, value_tags: Iterable[str]) -> KudosText:
    known = {tag.casefold(): tag for tag in value_tags}
    recipients: list[str] = []
    groups: list[str] = []
    values: list[str] = []

    def replace(match: re.Match[str]) -> str:
        target, _, label = match.group(1).partition("|")
        if target.startswith("@"):
            user_id = target[1:]
            if user_id not in recipients:
                recipients.append(user_id)
            return " "
        if target.startswith("!subteam^"):
            groups.append(label or target.removeprefix("!subteam^"))
            return " "
        if target in ("!channel", "!here", "!everyone"):
            groups.append("@" + target[1:])
            return " "
        if target.startswith("#"):
            # Slack turns #customer-first into a channel link when such a channel exists.
            name = label or target[1:]
            if name.casefold() in known:
                _add(values, known[name.casefold()])
                return " "
            return f"#{name}"
        if target.startswith("mailto:"):
            return label or target.removeprefix("mailto:")
        if target.startswith("!date^"):
            return label
        return f"{label} ({target})" if label and label != target else target

    # Code spans are the giver's words, never people or values: set them aside first.
    spans: list[str] = []

    def keep_code(match: re.Match[str]) -> str:
        spans.append(match.group(0))
        return f"\x00{len(spans) - 1}\x00"

    text = _CODE.sub(keep_code, text)
    text = _ESCAPED.sub(replace, text)
    unknown: list[str] = []

    def hashtag(match: re.Match[str]) -> str:
        tag = match.group(1)
        if tag.casefold() in known:
            _add(values, known[tag.casefold()])
            return " "
        if not tag.isdigit():
            _add(unknown, tag)
        return match.group(0)

    text = _HASHTAG.sub(hashtag, text)
    text = re.sub(r"\x00(\d+)\x00", lambda m: spans[int(m.group(1))], text)
    reason = _SPACES.sub(" ", html.unescape(text)).strip()
    return KudosText(
        recipients=tuple(recipients),
        groups=tuple(groups),
        value_tags=tuple(values),
        unknown_tags=tuple(unknown),
        reason=reason,
    )


def _add(items: list[str], item: str) -> None:
    if item not in items:
        items.append(item)


@dataclass(frozen=True)
class SlackReference:
    """What one of Slack's escapes names: kind "user" (`<@U123|name>`), "usergroup"
    (`<!subteam^S123|@team>`), "channel" (`<#C123|name>`), "special" (`<!here>`) or
    "link"; `label` is the name Slack showed, if it sent one."""

    kind: str
    id: str
    label: str


def slack_reference(token: str) -> SlackReference | None:
    """The reference an escaped token such as `<@U123|alice>` stands for; None when
    `token` is not one whole escape."""
    match = _ESCAPED.fullmatch(token.strip())
    if match is None:
        return None
    target, _, label = match.group(1).partition("|")
    if target.startswith("@"):
        return SlackReference("user", target[1:], label)
    if target.startswith("!subteam^"):
        return SlackReference("usergroup", target.removeprefix("!subteam^"), label)
    if target.startswith("#"):
        return SlackReference("channel", target[1:], label)
    if target.startswith("!"):
        return SlackReference("special", target[1:], label)
    return SlackReference("link", target, label)
