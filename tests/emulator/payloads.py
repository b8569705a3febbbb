"""Block Kit payloads the tests send: small, valid, and easy to break on purpose."""

from __future__ import annotations

from typing import Any


def section(text: str, block_id: str | None = None) -> dict[str, Any]:
    block: dict[str, Any] = {"type": "section", "text": {"type": "mrkdwn", "text": text}}
    if block_id:
        block["block_id"] = block_id
    return block


def modal(title: str = "Share a moment", **extra: object) -> dict[str, Any]:
    return {
        "type": "modal",
        "callback_id": "story",
        "title": {"type": "plain_text", "text": title},
        "submit": {"type": "plain_text", "text": "Share"},
        "blocks": [
            {
                "type": "input",
                "block_id": "what",
                "label": {"type": "plain_text", "text": "What happened?"},
                "element": {"type": "plain_text_input", "action_id": "text"},
            }
        ],
        **extra,
    }


def home(text: str = "Welcome home") -> dict[str, Any]:
    return {"type": "home", "blocks": [section(text, block_id="welcome")]}
