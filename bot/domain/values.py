"""Company values as people meet them: the choices a story or a kudos offers, and the
tags people type, matched to the admin's list."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from bot.db.repositories import values as repo
from bot.domain.errors import DomainError


@dataclass(frozen=True)
class ValueLabel:
    tag: str
    name: str


def workspace_values(session: Session, workspace_id: int) -> list[ValueLabel]:
    """The values a story or a kudos can carry now, in the admin's order (the pickers'
    choices)."""
    return [
        ValueLabel(value.tag, value.name) for value in repo.active_values(session, workspace_id)
    ]


def active_value_ids(session: Session, workspace_id: int, tags: Sequence[str]) -> list[int]:
    """The active values with these tags (case-insensitive, `#` optional), each once, in
    the order given; DomainError naming the first tag that is not one of them."""
    values = {value.tag.casefold(): value for value in repo.active_values(session, workspace_id)}
    found: dict[int, None] = {}
    for tag in tags:
        value = values.get(tag.strip().lstrip("#").casefold())
        if value is None:
            raise DomainError("kudos.errors.unknown_value", value=tag)
        found[value.id] = None
    return list(found)
