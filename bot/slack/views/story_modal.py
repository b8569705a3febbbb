"""The "Share a moment of truth" modal, and reading a submission back into a draft."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from bot.domain.policy_areas import AreaChoice
from bot.domain.policy_signals import RULE_MAX
from bot.domain.stories import MAX_PEOPLE, TEXT_MAX, StoryDraft, Touchpoint
from bot.domain.values import ValueLabel
from bot.i18n import translator
from bot.slack import blocks, ids
from bot.slack.button_values import decode_id
from bot.slack.views.values import values_input

INPUT_MAX_LENGTH = 3000  # Slack's ceiling for a plain_text_input
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
    areas: list[AreaChoice] | None = None,
) -> dict[str, Any]:
    t = translator(locale)
    editing = context.story_id is not None
    suffix = "_edit" if editing else ""
    inputs = [
        blocks.input_block(
            ids.STORY_PEOPLE,
            t("stories.modal.people"),
            {
                "type": "multi_users_select",
                "action_id": ids.INPUT,
                "initial_users": list(draft.people),
                "max_selected_items": MAX_PEOPLE,
            },
        ),
        blocks.input_block(
            ids.STORY_TOUCHPOINT,
            t("stories.modal.touchpoint"),
            blocks.static_select(
                ids.INPUT,
                [(tp.value, t(f"stories.touchpoint.{tp.value}")) for tp in Touchpoint],
                draft.touchpoint or None,
                t("stories.modal.touchpoint_placeholder"),
            ),
        ),
        _story_text(
            ids.STORY_WENT_WRONG,
            t("stories.modal.went_wrong"),
            t("stories.modal.went_wrong_hint"),
            draft.went_wrong,
            optional=True,
        ),
        _story_text(
            ids.STORY_NEED,
            t("stories.modal.need"),
            t("stories.modal.need_hint"),
            draft.customer_need,
        ),
        _story_text(
            ids.STORY_ACTION,
            t("stories.modal.action"),
            t("stories.modal.action_hint"),
            draft.action_taken,
        ),
        _story_text(
            ids.STORY_OUTCOME,
            t("stories.modal.outcome"),
            t("stories.modal.outcome_hint"),
            draft.outcome,
        ),
        blocks.input_block(
            ids.STORY_SPOT,
            t("stories.modal.spot"),
            blocks.checkboxes(
                ids.INPUT,
                [(SPOT, t("stories.modal.spot_option"))],
                [SPOT] if draft.decided_on_spot else [],
                description=t("stories.modal.spot_description"),
            ),
            optional=True,
        ),
        blocks.text_input(
            ids.STORY_RULE,
            t("stories.modal.rule"),
            ids.INPUT,
            optional=True,
            max_length=RULE_MAX,
            initial=draft.rule_bent,
            placeholder=t("stories.modal.rule_placeholder"),
            hint=t("stories.modal.rule_hint"),
        ),
        *_area_input(t, areas or [], draft.policy_area_id),
        blocks.input_block(
            ids.STORY_ABC,
            t("stories.modal.abc"),
            blocks.checkboxes(
                ids.INPUT,
                [(name, t(f"stories.abc.{name}")) for name in ABC],
                [name for name in ABC if getattr(draft, name)],
            ),
            optional=True,
            hint=t("stories.modal.abc_hint"),
        ),
    ]
    if values:
        inputs.append(values_input(t, values, list(draft.value_tags)))
    if not editing:
        channel: dict[str, Any] = {
            "type": "conversations_select",
            "action_id": ids.INPUT,
            "filter": {"include": ["public", "private"], "exclude_bot_users": True},
        }
        if draft.channel_id or default_channel:
            channel["initial_conversation"] = draft.channel_id or default_channel
        inputs.append(
            blocks.input_block(
                ids.STORY_CHANNEL,
                t("stories.modal.channel"),
                channel,
                optional=bool(default_channel),
            )
        )
    return blocks.modal(
        ids.STORY_MODAL,
        t(f"stories.modal.title{suffix}"),
        t(f"stories.modal.submit{suffix}"),
        t("stories.modal.cancel"),
        [blocks.context(t("stories.modal.intro")), *inputs],
        private_metadata=context.encode(),
    )


def _area_input(t: Any, areas: list[AreaChoice], chosen: int | None) -> list[dict[str, Any]]:
    """The policy areas to file the rule under; none when the admin keeps none."""
    if not areas:
        return []
    options = [(str(area.id), blocks.truncate(area.name, 75)) for area in areas]
    initial = str(chosen) if chosen is not None and any(a.id == chosen for a in areas) else None
    return [
        blocks.input_block(
            ids.STORY_POLICY_AREA,
            t("stories.modal.policy_area"),
            blocks.static_select(
                ids.INPUT, options, initial, t("stories.modal.policy_area_placeholder")
            ),
            optional=True,
        )
    ]


def _area_id(value: str) -> int | None:
    """The chosen area's id; a value the form never offered names none (and is refused)."""
    if not value:
        return None
    try:
        return decode_id(value)
    except ValueError:
        return -1  # no area has it: the story is refused with "unknown area"


def _story_text(
    block_id: str, label: str, placeholder: str, initial: str, *, optional: bool = False
) -> dict[str, Any]:
    return blocks.text_input(
        block_id,
        label,
        ids.INPUT,
        optional=optional,
        multiline=True,
        max_length=min(TEXT_MAX, INPUT_MAX_LENGTH),
        initial=initial,
        placeholder=placeholder,
    )


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
        went_wrong=text(ids.STORY_WENT_WRONG),
        rule_bent=text(ids.STORY_RULE),
        policy_area_id=_area_id(
            (element(ids.STORY_POLICY_AREA).get("selected_option") or {}).get("value", "")
        ),
        decided_on_spot=SPOT in chosen(ids.STORY_SPOT),
        appearance="appearance" in abc,
        behaviour="behaviour" in abc,
        communication="communication" in abc,
        value_tags=tuple(chosen(ids.VALUES)),
        channel_id=element(ids.STORY_CHANNEL).get("selected_conversation"),
        source_channel_id=context.source_channel_id,
        source_message_ts=context.source_message_ts,
    )
