"""An admin's review of the kudos one person received, with a way to revoke each."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from bot.domain.kudos import REASON_MAX
from bot.domain.kudos_review import KudosLine
from bot.i18n import translator
from bot.slack import blocks, ids
from bot.slack.blocks import escape_mrkdwn
from bot.slack.button_values import decode_id, encode_id, json_id

REASON_SHOWN = 300


@dataclass(frozen=True)
class RevokeButton:
    """What "Revoke" beside one kudos carries: the kudos' id."""

    kudos_id: int

    def encode(self) -> str:
        return encode_id(self.kudos_id)

    @classmethod
    def decode(cls, value: str) -> RevokeButton:
        return cls(decode_id(value))


def kudos_review_message(locale: str, user_id: str, lines: list[KudosLine]) -> dict[str, Any]:
    t = translator(locale)
    title = t("review.title", user=f"<@{user_id}>")
    body: list[dict[str, Any]] = [blocks.section(f"*{title}*")]
    if not lines:
        body.append(blocks.context(t("review.empty")))
    for line in lines:
        reason = blocks.truncate(escape_mrkdwn(line.reason), REASON_SHOWN) or t("review.tag")
        date = f"{line.created_at:%Y-%m-%d}"
        text = t(
            "review.line",
            id=line.id,
            giver=f"<@{line.giver_user_id}>",
            points=line.points,
            date=date,
            reason=reason,
        )
        if line.revoked:
            body.append(blocks.context(f"~{text}~ {t('review.revoked')}"))
            continue
        body.append(
            {
                "type": "section",
                "block_id": f"kudos-{line.id}",
                "text": blocks.mrkdwn(text),
                "accessory": blocks.button(
                    t("review.revoke_button"),
                    ids.REVOKE_KUDOS,
                    RevokeButton(line.id).encode(),
                    style="danger",
                ),
            }
        )
    return blocks.message(title, body)


def revoke_modal(locale: str, kudos_id: int) -> dict[str, Any]:
    t = translator(locale)
    return blocks.modal(
        ids.REVOKE_MODAL,
        t("review.modal.title"),
        t("review.modal.submit"),
        t("stories.modal.cancel"),
        [
            blocks.context(t("review.modal.intro")),
            blocks.text_input(
                ids.REVOKE_REASON,
                t("review.modal.reason"),
                ids.INPUT,
                multiline=True,
                max_length=REASON_MAX,
            ),
        ],
        private_metadata=json.dumps({"kudos": kudos_id}),
    )


def revoke_from_modal(view: dict[str, Any]) -> tuple[int | None, str]:
    """(kudos id, reason) from a submitted revoke modal."""
    values = view.get("state", {}).get("values", {})
    reason = values.get(ids.REVOKE_REASON, {}).get(ids.INPUT, {}).get("value") or ""
    try:
        kudos_id = json_id(json.loads(view.get("private_metadata") or "{}")["kudos"])
    except (ValueError, KeyError, TypeError):
        kudos_id = None
    return kudos_id, reason
