"""The company-values picker that the story modal and the kudos modal share."""

from __future__ import annotations

from typing import Any

from bot.domain.values import ValueLabel
from bot.i18n import Translate
from bot.slack import blocks, ids


def values_input(t: Translate, values: list[ValueLabel], chosen: list[str]) -> dict[str, Any]:
    """The optional picker of the workspace's values, `chosen` ones selected."""
    return blocks.input_block(
        ids.VALUES,
        t("stories.modal.values"),
        blocks.multi_static_select(
            ids.INPUT,
            [(value.tag, value.name) for value in values],
            chosen,
            t("stories.modal.values_placeholder"),
        ),
        optional=True,
    )
