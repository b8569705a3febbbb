"""The "Share a moment of truth" modal, and reading a submission back into a draft."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from bot.domain.stories import StoryDraft, Touchpoint, ValueLabel
from bot.i18n import translator
from bot.slack import blocks, ids

INPUT_MAX_LENGTH = 3000  # Slack's ceiling for a plain_text_input
MAX_OPTIONS = 100
ABC = ("appearance", "behaviour", "communication")
SPOT = "yes"


@dataclass(frozen=True)
class ModalContext:
    """What the modal carries between opening and submission (in private_metadata)."""

    story_id: int | None = None
    source_channel_id: str | None = None
    source_message_ts: str | None = None

    def encode(self) -> str:
        return json.dumps(
            {"story": self.story_id, "src": [self.source_channel_id, self.source_message_ts]}
        )

    @classmethod
    def decode(cls, metadata: str) -> ModalContext:
        try:
            data = json.loads(metadata or "{}")
            channel, ts = data.get("src") or (None, None)
            return cls(story_id=data.get("story"), source_channel_id=channel, source_message_ts=ts)
        except (ValueError, TypeError, AttributeError):
            return cls()


def story_modal(
    locale: str,
    values: list[ValueLabel],
    draft: StoryDraft,
    context: ModalContext,
    default_channel: str | None,
) -> dict[str, Any]:
    t = translator(locale)
    editing = context.story_id is not None
    suffix = "_edit" if editing else ""
    inputs = [
        _input(
            ids.STORY_PEOPLE,
            t("stories.modal.people"),
            {
                "type": "multi_users_select",
                "initial_users": list(draft.people),
                "max_selected_items": 10,
            },
        ),
        _input(
            ids.STORY_TOUCHPOINT,
            t("stories.modal.touchpoint"),
            _select(
                [(tp.value, t(f"stories.touchpoint.{tp.value}")) for tp in Touchpoint],
                draft.touchpoint or None,
                t("stories.modal.touchpoint_placeholder"),
            ),
        ),
        _text_input(
            ids.STORY_NEED,
            t("stories.modal.need"),
            t("stories.modal.need_hint"),
            draft.customer_need,
        ),
        _text_input(
            ids.STORY_ACTION,
            t("stories.modal.action"),
            t("stories.modal.action_hint"),
            draft.action_taken,
        ),
        _text_input(
            ids.STORY_OUTCOME,
            t("stories.modal.outcome"),
            t("stories.modal.outcome_hint"),
            draft.outcome,
        ),
        _input(
            ids.STORY_SPOT,
            t("stories.modal.spot"),
            _checkboxes(
                [(SPOT, t("stories.modal.spot_option"))],
                [SPOT] if draft.decided_on_spot else [],
                description=t("stories.modal.spot_description"),
            ),
            optional=True,
        ),
        _input(
            ids.STORY_ABC,
            t("stories.modal.abc"),
            _checkboxes(
                [(name, t(f"stories.abc.{name}")) for name in ABC],
                [name for name in ABC if getattr(draft, name)],
            ),
            optional=True,
            hint=t("stories.modal.abc_hint"),
        ),
    ]
    if values:
        inputs.append(
            _input(
                ids.STORY_VALUES,
                t("stories.modal.values"),
                _multi_select(
                    [(value.tag, value.name) for value in values[:MAX_OPTIONS]],
                    list(draft.value_tags),
                    t("stories.modal.values_placeholder"),
                ),
                optional=True,
            )
        )
    if not editing:
        channel = {
            "type": "conversations_select",
            "filter": {"include": ["public", "private"], "exclude_bot_users": True},
        }
        if draft.channel_id or default_channel:
            channel["initial_conversation"] = draft.channel_id or default_channel
        inputs.append(
            _input(
                ids.STORY_CHANNEL,
                t("stories.modal.channel"),
                channel,
                optional=bool(default_channel),
            )
        )
    return {
        "type": "modal",
        "callback_id": ids.STORY_MODAL,
        "title": blocks.plain(t(f"stories.modal.title{suffix}"), 24),
        "submit": blocks.plain(t(f"stories.modal.submit{suffix}"), 24),
        "close": blocks.plain(t("stories.modal.cancel"), 24),
        "private_metadata": context.encode(),
        "blocks": [blocks.context(t("stories.modal.intro")), *inputs],
    }


def draft_from_submission(view: dict[str, Any], author_user_id: str) -> StoryDraft:
    """The draft a submitted modal describes; missing answers become empty values."""
    state = view.get("state", {}).get("values", {})

    def element(block_id: str) -> dict[str, Any]:
        return state.get(block_id, {}).get(ids.INPUT, {})

    def text(block_id: str) -> str:
        return element(block_id).get("value") or ""

    def chosen(block_id: str) -> list[str]:
        return [o["value"] for o in element(block_id).get("selected_options") or []]

    context = ModalContext.decode(view.get("private_metadata", ""))
    touchpoint = (element(ids.STORY_TOUCHPOINT).get("selected_option") or {}).get("value", "")
    abc = chosen(ids.STORY_ABC)
    return StoryDraft(
        people=tuple(element(ids.STORY_PEOPLE).get("selected_users") or [author_user_id]),
        touchpoint=touchpoint,
        customer_need=text(ids.STORY_NEED),
        action_taken=text(ids.STORY_ACTION),
        outcome=text(ids.STORY_OUTCOME),
        decided_on_spot=SPOT in chosen(ids.STORY_SPOT),
        appearance="appearance" in abc,
        behaviour="behaviour" in abc,
        communication="communication" in abc,
        value_tags=tuple(chosen(ids.STORY_VALUES)),
        channel_id=element(ids.STORY_CHANNEL).get("selected_conversation"),
        source_channel_id=context.source_channel_id,
        source_message_ts=context.source_message_ts,
    )


def _input(
    block_id: str,
    label: str,
    element: dict[str, Any],
    *,
    optional: bool = False,
    hint: str | None = None,
) -> dict[str, Any]:
    block: dict[str, Any] = {
        "type": "input",
        "block_id": block_id,
        "label": blocks.plain(label, 2000),
        "element": {**element, "action_id": ids.INPUT},
        "optional": optional,
    }
    if hint:
        block["hint"] = blocks.plain(hint, 2000)
    return block


def _text_input(block_id: str, label: str, placeholder: str, initial: str) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "plain_text_input",
        "multiline": True,
        "max_length": INPUT_MAX_LENGTH,
        "placeholder": blocks.plain(placeholder, 150),
    }
    if initial:
        # A longer prefill (from a long message) would make Slack refuse the whole modal.
        element["initial_value"] = initial[:INPUT_MAX_LENGTH]
    return _input(block_id, label, element)


def _option(value: str, text: str) -> dict[str, Any]:
    return {"text": blocks.plain(text, 75), "value": value}


def _select(options: list[tuple[str, str]], initial: str | None, placeholder: str) -> dict:
    element: dict[str, Any] = {
        "type": "static_select",
        "placeholder": blocks.plain(placeholder, 150),
        "options": [_option(value, text) for value, text in options],
    }
    chosen = [_option(value, text) for value, text in options if value == initial]
    if chosen:
        element["initial_option"] = chosen[0]
    return element


def _multi_select(options: list[tuple[str, str]], initial: list[str], placeholder: str) -> dict:
    element: dict[str, Any] = {
        "type": "multi_static_select",
        "placeholder": blocks.plain(placeholder, 150),
        "options": [_option(value, text) for value, text in options],
    }
    chosen = [_option(value, text) for value, text in options if value in initial]
    if chosen:
        element["initial_options"] = chosen
    return element


def _checkboxes(
    options: list[tuple[str, str]], initial: list[str], description: str | None = None
) -> dict[str, Any]:
    def option(value: str, text: str) -> dict[str, Any]:
        built = _option(value, text)
        if description:
            built["description"] = blocks.plain(description, 75)
        return built

    element: dict[str, Any] = {
        "type": "checkboxes",
        "options": [option(value, text) for value, text in options],
    }
    chosen = [option(value, text) for value, text in options if value in initial]
    if chosen:
        element["initial_options"] = chosen
    return element
