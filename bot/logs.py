"""Logging set-up for the entry points."""

from __future__ import annotations

import logging


def configure_logging(level: str) -> None:
    logging.basicConfig(
        level=level,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        force=True,
    )
    # Alembic announces each of its plugins at INFO on import; that is noise here.
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)
