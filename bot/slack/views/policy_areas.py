"""The policy areas an admin keeps (`/mot admin policies`): the list, the answers to
adding and retiring one, and how the audit log names those changes."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.domain.policy_areas import AreaChange, AreaRow
from bot.i18n import Translate, translator
from bot.slack import blocks
from bot.slack.blocks import escape_mrkdwn

AREAS_SHOWN = 60
AREA_ACTIONS = ("policies.add", "policies.restore", "policies.remove")


def areas_message(locale: str, areas: Sequence[AreaRow]) -> dict[str, Any]:
    t = translator(locale)
    title = t("admin.policies.title")
    active = [area for area in areas if area.is_active]
    retired = [area for area in areas if not area.is_active]
    body = [blocks.header(title), blocks.context(t("admin.policies.intro"))]
    body.append(blocks.section(_lines(t, active) or t("admin.policies.none")))
    if retired:
        body.append(blocks.section(f"{t('admin.policies.retired')}\n{_lines(t, retired)}"))
    body.append(blocks.context(t("admin.policies.commands")))
    return blocks.message(title, body)


def areas_section(t: Translate, active: Sequence[AreaRow]) -> str:
    """The overview's part on policy areas."""
    listed = _lines(t, active) or t("admin.policies.none")
    return "\n".join([t("admin.policies.heading"), listed, t("admin.policies.commands")])


def area_change_message(locale: str, change: AreaChange) -> dict[str, Any]:
    t = translator(locale)
    name = escape_mrkdwn(change.name)
    if not change.changed:
        key = (
            "admin.policies.unchanged_remove"
            if change.action == "policies.remove"
            else "admin.policies.unchanged_add"
        )
    else:
        key = {
            "policies.add": "admin.policies.added",
            "policies.restore": "admin.policies.restored",
            "policies.remove": "admin.policies.removed",
        }[change.action]
    text = t(key, name=name)
    return blocks.message(text, [blocks.section(text)])


def area_audit_text(t: Translate, action: str, detail: dict[str, Any]) -> str:
    name = escape_mrkdwn(str(detail.get("name", "")))
    return t(f"admin.audit.{action.replace('.', '_')}", name=name)


def _lines(t: Translate, areas: Sequence[AreaRow]) -> str:
    lines = [f"• {escape_mrkdwn(area.name)}" for area in areas[:AREAS_SHOWN]]
    if len(areas) > AREAS_SHOWN:
        lines.append(t("admin.more", count=len(areas) - AREAS_SHOWN))
    return "\n".join(lines)
