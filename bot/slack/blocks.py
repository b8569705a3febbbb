"""Block Kit building blocks that keep to Slack's limits by truncating, never by failing.

Every view builder composes these, so a limit is enforced in exactly one place.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.domain.common import local_day
from bot.domain.member_data import MENTION_PLACEHOLDER, is_tombstone

Block = dict[str, Any]

MAX_MESSAGE_BLOCKS = 50
MAX_SURFACE_BLOCKS = 100  # modals and the Home tab
MAX_SECTION_TEXT = 3000
MAX_HEADER_TEXT = 150
MAX_CONTEXT_ELEMENTS = 10
MAX_BUTTON_TEXT = 75
MAX_BUTTON_VALUE = 2000
MAX_MESSAGE_TEXT = 4000  # the notification fallback `text` of a message
ELLIPSIS = "…"


def escape_mrkdwn(text: str) -> str:
    """Make user text inert in mrkdwn: no @channel pings, mentions or links can be forged."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def mention(user_id: str) -> str:
    """A mention Slack shows as the person's name; a forgotten member's tombstone id
    (which names nobody) as MENTION_PLACEHOLDER, as their texts show them."""
    return MENTION_PLACEHOLDER if is_tombstone(user_id) else f"<@{user_id}>"


def date_token(moment: datetime, tz: str) -> str:
    """A date Slack shows in the reader's own zone and language; where it can't, the date
    in `tz` (YYYY-MM-DD)."""
    fallback = local_day(moment, tz)
    return f"<!date^{int(moment.timestamp())}^{{date_short}}|{fallback}>"


def truncate(text: str, limit: int) -> str:
    """Cut text to at most `limit` characters, marking the cut with an ellipsis.

    An escaped entity (&amp; &lt; &gt;) is never cut in half.
    """
    if len(text) <= limit:
        return text
    cut = text[: limit - len(ELLIPSIS)]
    amp = cut.rfind("&")
    if amp != -1 and ";" not in cut[amp:]:
        cut = cut[:amp]
    return cut + ELLIPSIS


def mrkdwn(text: str, limit: int = MAX_SECTION_TEXT) -> dict[str, Any]:
    return {"type": "mrkdwn", "text": truncate(text, limit)}


def plain(text: str, limit: int = MAX_SECTION_TEXT) -> dict[str, Any]:
    return {"type": "plain_text", "text": truncate(text, limit), "emoji": True}


def header(text: str) -> Block:
    return {"type": "header", "text": plain(text, MAX_HEADER_TEXT)}


def section(text: str) -> Block:
    return {"type": "section", "text": mrkdwn(text)}


def context(*texts: str) -> Block:
    return {
        "type": "context",
        "elements": [mrkdwn(text) for text in texts[:MAX_CONTEXT_ELEMENTS]],
    }


def divider() -> Block:
    return {"type": "divider"}


def message(text: str, blocks: list[Block]) -> dict[str, Any]:
    """A message payload: fallback text for notifications plus at most 50 blocks."""
    return {"text": truncate(text, MAX_MESSAGE_TEXT), "blocks": blocks[:MAX_MESSAGE_BLOCKS]}


MAX_MODAL_TITLE = 24  # also the limit of a modal's submit and close labels
MAX_PRIVATE_METADATA = 3000


def button(
    text: str, action_id: str, value: str, *, style: str | None = None, **extra: Any
) -> dict[str, Any]:
    """A button; `style` is "primary" or "danger", `extra` e.g. a `confirm` dialog."""
    element: dict[str, Any] = {
        "type": "button",
        "text": plain(text, MAX_BUTTON_TEXT),
        "action_id": action_id,
        "value": value[:MAX_BUTTON_VALUE],
        **extra,
    }
    if style:
        element["style"] = style
    return element


def modal(
    callback_id: str,
    title: str,
    submit: str,
    close: str,
    body: list[Block],
    private_metadata: str = "",
) -> dict[str, Any]:
    """A modal view whose title, labels and block count are kept within Slack's limits.

    Private metadata is never cut (a cut would corrupt it); callers keep it small.
    """
    if len(private_metadata) > MAX_PRIVATE_METADATA:
        raise ValueError("private_metadata over Slack's 3,000 characters")
    return {
        "type": "modal",
        "callback_id": callback_id,
        "title": plain(title, MAX_MODAL_TITLE),
        "submit": plain(submit, MAX_MODAL_TITLE),
        "close": plain(close, MAX_MODAL_TITLE),
        "private_metadata": private_metadata,
        "blocks": body[:MAX_SURFACE_BLOCKS],
    }


def actions(block_id: str, *elements: dict[str, Any]) -> Block:
    """An actions block; Slack takes at most 25 elements in one."""
    return {"type": "actions", "block_id": block_id, "elements": list(elements[:25])}


def text_input(
    block_id: str,
    label: str,
    action_id: str,
    *,
    max_length: int,
    multiline: bool = False,
    initial: str = "",
    placeholder: str = "",
    hint: str = "",
    optional: bool = False,
) -> Block:
    """An input block with a text field; a prefill longer than `max_length` is cut, as
    Slack would refuse the whole view over it."""
    element: dict[str, Any] = {
        "type": "plain_text_input",
        "action_id": action_id,
        "multiline": multiline,
        "max_length": max_length,
    }
    if initial:
        element["initial_value"] = initial[:max_length]
    if placeholder:
        element["placeholder"] = plain(placeholder, 150)
    return input_block(block_id, label, element, hint=hint, optional=optional)


def input_block(
    block_id: str, label: str, element: dict[str, Any], *, hint: str = "", optional: bool = False
) -> Block:
    block: Block = {
        "type": "input",
        "block_id": block_id,
        "label": plain(label, 2000),
        "element": element,
        "optional": optional,
    }
    if hint:
        block["hint"] = plain(hint, 2000)
    return block


MAX_OPTIONS = 100


def option(value: str, text: str, description: str = "") -> dict[str, Any]:
    built: dict[str, Any] = {"text": plain(text, 75), "value": value}
    if description:
        built["description"] = plain(description, 75)
    return built


def static_select(
    action_id: str, options: list[tuple[str, str]], initial: str | None, placeholder: str
) -> dict[str, Any]:
    return _choice(
        "static_select",
        action_id,
        options,
        [initial] if initial else [],
        placeholder=placeholder,
        single=True,
    )


def multi_static_select(
    action_id: str, options: list[tuple[str, str]], initial: list[str], placeholder: str
) -> dict[str, Any]:
    return _choice("multi_static_select", action_id, options, initial, placeholder=placeholder)


def checkboxes(
    action_id: str, options: list[tuple[str, str]], initial: list[str], description: str = ""
) -> dict[str, Any]:
    return _choice("checkboxes", action_id, options, initial, description=description)


def _choice(
    kind: str,
    action_id: str,
    options: list[tuple[str, str]],
    initial: list[str],
    *,
    placeholder: str = "",
    description: str = "",
    single: bool = False,
) -> dict[str, Any]:
    """A select or checkbox group; Slack wants initial options identical to the options."""
    built = [option(value, text, description) for value, text in options[:MAX_OPTIONS]]
    element: dict[str, Any] = {"type": kind, "action_id": action_id, "options": built}
    if placeholder:
        element["placeholder"] = plain(placeholder, 150)
    chosen = [item for item in built if item["value"] in initial]
    if chosen and single:
        element["initial_option"] = chosen[0]
    elif chosen:
        element["initial_options"] = chosen
    return element
