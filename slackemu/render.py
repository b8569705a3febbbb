"""Block Kit as readable text, so a terminal shows what a person would see in Slack."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from typing import Any

_MENTION = re.compile(r"<([@#!])([^>|]+)(?:\|([^>]+))?>")
_LINK = re.compile(r"<(https?://[^>|]+)(?:\|([^>]+))?>")


def render_text(text: str, names: dict[str, str] | None = None) -> str:
    """mrkdwn as a person reads it: mentions by name, links by label, entities decoded."""
    names = names or {}

    def mention(match: re.Match[str]) -> str:
        sigil, target, label = match.groups()
        if sigil == "!" and target.startswith("date^"):
            return label or target  # <!date^…|fallback>: the fallback is the plain date
        if sigil == "!":
            return f"@{label or target}"
        shown = label or names.get(target, target)
        return f"{'@' if sigil == '@' else '#'}{shown}"

    text = _LINK.sub(lambda m: f"{m.group(2)} ({m.group(1)})" if m.group(2) else m.group(1), text)
    text = _MENTION.sub(mention, text)
    return html.unescape(text)


def render_blocks(
    blocks: Iterable[dict[str, Any]], names: dict[str, str] | None = None
) -> list[str]:
    lines: list[str] = []
    for block in blocks:
        lines.extend(_render_block(block, names or {}))
    return lines


def render_message(
    text: str, blocks: list[dict[str, Any]] | None, names: dict[str, str] | None = None
) -> str:
    if blocks:
        return "\n".join(render_blocks(blocks, names))
    return render_text(text, names)


def _render_block(block: dict[str, Any], names: dict[str, str]) -> list[str]:
    kind = block.get("type")
    if kind == "header":
        title = _object_text(block["text"], names)
        return [title.upper(), "=" * min(len(title), 60)]
    if kind == "section":
        lines = _object_text(block.get("text"), names).splitlines()
        for field in block.get("fields") or []:
            lines.append(_object_text(field, names))
        if block.get("accessory"):
            lines.append(_element(block["accessory"], names))
        return lines
    if kind == "context":
        return ["  " + "  ".join(_object_text(e, names) for e in block.get("elements", []))]
    if kind == "divider":
        return ["-" * 40]
    if kind == "actions":
        return ["  ".join(_element(e, names) for e in block.get("elements", []))]
    if kind == "input":
        label = _object_text(block.get("label"), names)
        optional = " (optional)" if block.get("optional") else ""
        return [f"{label}{optional}: {_element(block.get('element', {}), names)}"]
    if kind == "image":
        return [f"[image: {block.get('alt_text', '')}]"]
    return [f"[{kind}]"]


def _element(element: dict[str, Any], names: dict[str, str]) -> str:
    kind = element.get("type", "")
    if kind == "button":
        return f"[ {_object_text(element.get('text'), names)} ]"
    if kind in ("plain_text_input", "rich_text_input"):
        initial = element.get("initial_value")
        return f"[{initial}]" if initial else "[____________]"
    if kind in ("checkboxes", "radio_buttons"):
        chosen = {o.get("value") for o in element.get("initial_options") or []}
        return " ".join(
            f"[{'x' if o.get('value') in chosen else ' '}] {_object_text(o.get('text'), names)}"
            for o in element.get("options", [])
        )
    if "select" in kind:
        chosen = _initial_choices(element, names)
        if chosen:
            return f"[{', '.join(chosen)} v]"
        return f"[{_object_text(element.get('placeholder'), names) or 'choose'} v]"
    return f"[{kind}]"


def _initial_choices(element: dict[str, Any], names: dict[str, str]) -> list[str]:
    options = list(element.get("initial_options") or [])
    if element.get("initial_option"):
        options.append(element["initial_option"])
    chosen = [_object_text(option.get("text"), names) for option in options]
    users = element.get("initial_users") or [element.get("initial_user")]
    chosen += [f"@{names.get(user, user)}" for user in users if user]
    for key in ("initial_conversation", "initial_channel"):
        if element.get(key):
            chosen.append(f"#{names.get(element[key], element[key])}")
    return chosen


def _object_text(obj: dict[str, Any] | None, names: dict[str, str]) -> str:
    if not obj:
        return ""
    text = obj.get("text", "")
    return render_text(text, names) if obj.get("type") == "mrkdwn" else text
