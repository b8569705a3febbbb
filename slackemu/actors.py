"""People in the emulated workspace, acting on what they see.

    alice = world.user("alice")
    alice.runs("/kudos @bob thanks #customer-first")
    card = world.channel("#moments-of-truth").last_message()
    bob.clicks("Positive moment of truth", on=card)
    alice.submits({"What did you do?": "Rebooked her"})

Each action is sent to the bot as Slack would send it (signed over HTTP by InboundSender,
or as an envelope over Socket Mode), built from what the person can see: a click finds
the rendered button by its label, a submission fills the open modal's real input blocks.
What the bot answers is applied to the workspace as Slack applies it (ephemeral replies,
modal errors, view updates).
"""

from __future__ import annotations

import itertools
import json
import re
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from slackemu.inbound import Delivery, Sender
from slackemu.records import Channel, Ephemeral, Message, User, View
from slackemu.server import Emulator
from slackemu.state import Workspace
from slackemu.webapi import apply_reply

JSON = dict[str, Any]

_TOKEN = re.compile(r"(?<![\w<])([@#])([\w.\-]+)")
_URL = re.compile(r"(?<![<|])\bhttps?://[^\s<>]+")
_SPECIAL_MENTIONS = {"channel", "here", "everyone"}


@dataclass(frozen=True)
class CommandReply:
    """What a person saw after running a slash command: the bot's immediate answer."""

    delivery: Delivery
    text: str
    blocks: list[JSON]


class World:
    """The emulator seen through its people, with the bot's request URL connected."""

    def __init__(
        self, emulator: Emulator, sender: Sender, workspace: Workspace | None = None
    ) -> None:
        self.emulator = emulator
        self.sender = sender
        self._workspace = workspace or emulator.workspace
        self.modal_errors: dict[str, dict[str, str]] = {}
        self._event_numbers = itertools.count(1)

    @property
    def workspace(self) -> Workspace:
        return self._workspace

    def elsewhere(self, workspace: Workspace) -> World:
        """The people of another workspace on the same Slack, talking to the same bot."""
        return World(self.emulator, self.sender, workspace)

    def user(self, ref: str) -> Person:
        return Person(self, self.workspace.find_user(ref))

    def channel(self, ref: str) -> ChannelView:
        return ChannelView(self, self.workspace.find_channel(ref))

    def names(self) -> dict[str, str]:
        """User and channel ids to the names people see, for rendering."""
        names = {user.id: user.display_name or user.name for user in self.workspace.users()}
        names.update({channel.id: channel.name for channel in self.workspace.channels()})
        return names

    def send_event(self, event: JSON) -> Delivery:
        workspace = self.workspace
        now = workspace.clock.now()
        event = {"event_ts": f"{now:.6f}", **event}
        return self.sender.send_event(
            {
                "token": "emulator-verification-token",
                "team_id": workspace.team.id,
                "api_app_id": workspace.bot.app_id,
                "event": event,
                "type": "event_callback",
                "event_id": f"Ev{next(self._event_numbers):010d}",
                "event_time": int(now),
                "authorizations": [
                    {
                        "enterprise_id": None,
                        "team_id": workspace.team.id,
                        "user_id": workspace.bot.user_id,
                        "is_bot": True,
                        "is_enterprise_install": False,
                    }
                ],
                "is_ext_shared_channel": False,
            }
        )

    def uninstall_app(self) -> list[Delivery]:
        """An admin removes the app from this workspace: Slack revokes the bot token,
        then tells the app, with `tokens_revoked` and `app_uninstalled`."""
        self.emulator.installs.revoke(self.workspace)
        bot_user = self.workspace.bot.user_id
        return [
            self.send_event({"type": "tokens_revoked", "tokens": {"oauth": [], "bot": [bot_user]}}),
            self.send_event({"type": "app_uninstalled"}),
        ]

    def resend(self, delivery: Delivery) -> Delivery:
        """Deliver the same event again (same event_id), as Slack may."""
        return self.sender.send_event(json.loads(delivery.body))


class ChannelView:
    def __init__(self, world: World, channel: Channel) -> None:
        self.world = world
        self.channel = channel

    @property
    def id(self) -> str:
        return self.channel.id

    def messages(self) -> list[Message]:
        return self.world.workspace.messages(self.channel.id)

    def last_message(self) -> Message:
        message = self.world.workspace.last_message(self.channel.id, include_replies=False)
        if message is None:
            raise LookupError(f"#{self.channel.name} has no messages")
        return message


class Person:
    def __init__(self, world: World, user: User) -> None:
        self.world = world
        self.user = user

    @property
    def id(self) -> str:
        return self.user.id

    def __repr__(self) -> str:
        return f"Person({self.user.name})"

    # ------------------------------------------------------------- what they do

    def runs(self, command_line: str, *, channel: str = "#general") -> CommandReply:
        """Type a slash command in a channel, e.g. `/mot help`."""
        command, _, text = command_line.strip().partition(" ")
        workspace = self.world.workspace
        where = workspace.find_channel(channel)
        fields = {
            "token": "emulator-verification-token",
            "team_id": workspace.team.id,
            "team_domain": workspace.team.domain,
            "channel_id": where.id,
            "channel_name": where.name,
            "user_id": self.id,
            "user_name": self.user.name,
            "command": command,
            "text": self._escape_command_text(text.strip()),
            "api_app_id": workspace.bot.app_id,
            "is_enterprise_install": "false",
            "response_url": self.world.emulator.response_url(
                where.id, self.id, workspace=workspace
            ),
            "trigger_id": workspace.issue_trigger_id(self.id),
        }
        delivery = self.world.sender.send_command(fields)
        answer = delivery.last.json() if delivery.acknowledged and delivery.last.body else None
        if not answer:
            return CommandReply(delivery, "", [])
        apply_reply(workspace, fields["response_url"], answer)
        return CommandReply(delivery, answer.get("text", ""), answer.get("blocks") or [])

    def clicks(self, label: str, *, on: Message | Ephemeral | View) -> Delivery:
        """Click the button labelled `label` on a message or view this person sees."""
        surface_blocks = on.blocks
        block_id, element = _find_button(surface_blocks, label)
        action = {
            "type": "button",
            "action_id": element.get("action_id", ""),
            "block_id": block_id,
            "text": element.get("text"),
            "value": element.get("value", ""),
            "action_ts": f"{time.time():.6f}",
        }
        payload = self._interaction_base("block_actions")
        payload["actions"] = [action]
        if isinstance(on, View):
            payload["container"] = {"type": "view", "view_id": on.id}
            payload["view"] = self.world.workspace.view_by_id(on.id).to_api()
        else:
            is_ephemeral = isinstance(on, Ephemeral)
            channel_id = on.channel
            payload["container"] = {
                "type": "message",
                "message_ts": on.ts,
                "channel_id": channel_id,
                "is_ephemeral": is_ephemeral,
            }
            payload["channel"] = {"id": channel_id}
            if not is_ephemeral:
                payload["message"] = on.to_api(self.world.workspace.team.id)
            payload["response_url"] = self.world.emulator.response_url(
                channel_id, self.id, on.ts, workspace=self.world.workspace
            )
        return self.world.sender.send_interaction(payload)

    def submits(self, values: Mapping[str, Any] | None = None) -> Delivery:
        """Fill the open modal's inputs (by label, block_id or action_id) and submit it."""
        workspace = self.world.workspace
        view = workspace.top_modal(self.id)
        if view is None:
            raise LookupError(f"{self.user.name} has no modal open")
        state = _input_state(view.blocks, values or {})
        view = workspace.set_view_state(view.id, state)
        payload = self._interaction_base("view_submission")
        payload["view"] = view.to_api()
        payload["response_urls"] = []
        delivery = self.world.sender.send_interaction(payload)
        self._apply_submission_answer(view, delivery)
        return delivery

    def closes_modal(self) -> Delivery | None:
        """Press Cancel: Slack tells the bot only when the view asked (notify_on_close)."""
        workspace = self.world.workspace
        view = workspace.top_modal(self.id)
        if view is None:
            raise LookupError(f"{self.user.name} has no modal open")
        workspace.close_modal(self.id)
        if not view.notify_on_close:
            return None
        payload = self._interaction_base("view_closed")
        payload["view"] = view.to_api()
        payload["is_cleared"] = False
        return self.world.sender.send_interaction(payload)

    def uses_shortcut(self, callback_id: str, *, on: Message) -> Delivery:
        """Pick a message shortcut from a message's "More actions" menu."""
        payload = self._interaction_base("message_action")
        payload.update(
            {
                "callback_id": callback_id,
                "action_ts": f"{time.time():.6f}",
                "message_ts": on.ts,
                "channel": {"id": on.channel},
                "message": on.to_api(self.world.workspace.team.id),
                "response_url": self.world.emulator.response_url(
                    on.channel, self.id, workspace=self.world.workspace
                ),
            }
        )
        return self.world.sender.send_interaction(payload)

    def reacts(self, emoji: str, *, on: Message) -> Delivery:
        self.world.workspace.add_reaction(on.channel, on.ts, self.id, emoji)
        return self.world.send_event(self._reaction_event("reaction_added", emoji, on))

    def unreacts(self, emoji: str, *, on: Message) -> Delivery:
        self.world.workspace.remove_reaction(on.channel, on.ts, self.id, emoji)
        return self.world.send_event(self._reaction_event("reaction_removed", emoji, on))

    def opens_home(self) -> Delivery:
        dm = self.world.workspace.open_dm(self.id)
        return self.world.send_event(
            {"type": "app_home_opened", "user": self.id, "channel": dm.id, "tab": "home"}
        )

    # ------------------------------------------------------------ what they see

    def ephemerals(self) -> list[Ephemeral]:
        return self.world.workspace.ephemerals(self.id)

    def last_ephemeral(self) -> Ephemeral:
        seen = self.ephemerals()
        if not seen:
            raise LookupError(f"{self.user.name} has seen no ephemeral message")
        return seen[-1]

    def direct_messages(self) -> list[Message]:
        """What the bot wrote to this person in their DM with it."""
        dm = self.world.workspace.find_dm(self.id)
        return self.world.workspace.messages(dm.id) if dm else []

    def open_modal(self) -> View | None:
        return self.world.workspace.top_modal(self.id)

    def home(self) -> View | None:
        return self.world.workspace.home_view(self.id)

    # ---------------------------------------------------------------- helpers

    def _interaction_base(self, kind: str) -> JSON:
        workspace = self.world.workspace
        return {
            "type": kind,
            "team": {"id": workspace.team.id, "domain": workspace.team.domain},
            "user": {
                "id": self.id,
                "username": self.user.name,
                "name": self.user.name,
                "team_id": workspace.team.id,
            },
            "api_app_id": workspace.bot.app_id,
            "token": "emulator-verification-token",
            "trigger_id": workspace.issue_trigger_id(self.id),
            "is_enterprise_install": False,
            "enterprise": None,
        }

    def _reaction_event(self, kind: str, emoji: str, on: Message) -> JSON:
        return {
            "type": kind,
            "user": self.id,
            "reaction": emoji.strip(":"),
            "item_user": on.user,
            "item": {"type": "message", "channel": on.channel, "ts": on.ts},
        }

    def _apply_submission_answer(self, view: View, delivery: Delivery) -> None:
        """Do what Slack does with the bot's answer to a view_submission."""
        workspace = self.world.workspace
        if not delivery.acknowledged:
            return  # Slack shows "We had some trouble connecting" and keeps the modal open
        answer = delivery.last.json() or {}
        action = answer.get("response_action")
        self.world.modal_errors.pop(view.id, None)
        if action == "errors":
            self.world.modal_errors[view.id] = dict(answer.get("errors") or {})
        elif action == "update":
            workspace.update_view(answer["view"], view_id=view.id)
        elif action == "push":
            workspace.push_modal(self.id, answer["view"])
        elif action == "clear":
            workspace.clear_modals(self.id)
        else:
            workspace.close_modal(self.id)

    def _escape_command_text(self, text: str) -> str:
        """Escape text as Slack does for a command with "Escape channels, users, and links"."""
        workspace = self.world.workspace
        escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

        def token(match: re.Match[str]) -> str:
            sigil, name = match.groups()
            if sigil == "@" and name in _SPECIAL_MENTIONS:
                return f"<!{name}>"
            if sigil == "@":
                for group in workspace.user_groups():
                    if group.handle == name:
                        return f"<!subteam^{group.id}|@{name}>"
                user = _user_named(workspace.users(), name)
                return f"<@{user.id}|{user.name}>" if user else match.group(0)
            channel = next((c for c in workspace.channels() if c.name == name), None)
            return f"<#{channel.id}|{channel.name}>" if channel else match.group(0)

        escaped = _URL.sub(lambda m: f"<{m.group(0)}>", escaped)
        return _TOKEN.sub(token, escaped)


def _user_named(users: list[User], name: str) -> User | None:
    for user in users:
        if name in (user.name, user.display_name) and not user.deleted:
            return user
    return None


def _walk_elements(blocks: list[JSON]) -> Iterator[tuple[str, JSON]]:
    for block in blocks:
        block_id = block.get("block_id", "")
        if block.get("type") == "actions":
            for element in block.get("elements", []):
                yield block_id, element
        elif block.get("accessory"):
            yield block_id, block["accessory"]


def has_button(blocks: list[JSON], label: str) -> bool:
    """Whether the blocks show a button labelled `label` (as `Person.clicks` finds it)."""
    try:
        _find_button(blocks, label)
    except LookupError:
        return False
    return True


def _find_button(blocks: list[JSON], label: str) -> tuple[str, JSON]:
    seen = []
    for block_id, element in _walk_elements(blocks):
        if element.get("type") != "button":
            continue
        text = (element.get("text") or {}).get("text", "")
        seen.append(text)
        if text == label:
            return block_id, element
    raise LookupError(f"no button labelled {label!r} (buttons shown: {seen})")


def _input_state(blocks: list[JSON], values: Mapping[str, Any]) -> dict[str, dict[str, JSON]]:
    """The `state.values` Slack sends for the given answers to a modal's input blocks."""
    state: dict[str, dict[str, JSON]] = {}
    remaining = dict(values)
    for block in blocks:
        if block.get("type") != "input":
            continue
        element = block.get("element") or {}
        label = (block.get("label") or {}).get("text", "")
        keys = (label, block.get("block_id", ""), element.get("action_id", ""))
        key = next((k for k in keys if k in remaining), None)
        value = remaining.pop(key) if key is not None else _initial_value(element)
        state[block["block_id"]] = {element.get("action_id", ""): _element_state(element, value)}
    if remaining:
        raise LookupError(f"the modal has no input for {sorted(remaining)}")
    return state


def _initial_value(element: JSON) -> Any:
    kind = element.get("type", "")
    if kind == "plain_text_input":
        return element.get("initial_value")
    if kind == "multi_users_select":
        return element.get("initial_users") or []
    if kind in ("checkboxes", "multi_static_select"):
        return [o.get("value") for o in element.get("initial_options") or []]
    if kind == "static_select":
        initial = element.get("initial_option")
        return initial.get("value") if initial else None
    if kind in ("conversations_select", "channels_select"):
        return element.get("initial_conversation") or element.get("initial_channel")
    if kind == "users_select":
        return element.get("initial_user")
    return None


def _element_state(element: JSON, value: Any) -> JSON:
    kind = element.get("type", "")
    if kind == "plain_text_input":
        return {"type": kind, "value": value}
    if kind in ("static_select", "radio_buttons"):
        option = _option(element, value) if value is not None else None
        return {"type": kind, "selected_option": option}
    if kind in ("multi_static_select", "checkboxes"):
        return {"type": kind, "selected_options": [_option(element, v) for v in _listed(value)]}
    if kind == "multi_users_select":
        return {"type": kind, "selected_users": _listed(value)}
    if kind == "users_select":
        return {"type": kind, "selected_user": value}
    if kind == "conversations_select":
        return {"type": kind, "selected_conversation": value}
    if kind == "channels_select":
        return {"type": kind, "selected_channel": value}
    raise LookupError(f"the emulator cannot fill a {kind} input yet")


def _listed(value: Any) -> list[Any]:
    """A multi-select's answer: a list, or one value (a console types one at a time)."""
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def _option(element: JSON, wanted: Any) -> JSON:
    """An option chosen by its value or by the text a person sees."""
    options = list(element.get("options") or [])
    for group in element.get("option_groups") or []:
        options.extend(group.get("options", []))
    for option in options:
        if wanted in (option.get("value"), (option.get("text") or {}).get("text")):
            return option
    shown = [(o.get("text") or {}).get("text") for o in options]
    raise LookupError(f"no option {wanted!r} (options shown: {shown})")
