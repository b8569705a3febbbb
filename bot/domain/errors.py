"""Errors the domain raises for something a user did wrong, named by a message key."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A rule said no. `key` is a message catalog key; `params` fill its placeholders."""

    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.params = params
