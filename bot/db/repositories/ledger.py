"""What every reader of the kudos ledger agrees on: which entries count, and their kinds."""

from __future__ import annotations

from sqlalchemy import ColumnElement, exists

from bot.db.models import Kudos, KudosReversal

KUDOS_KIND = "kudos"  # a person's recognition; the other kind, "tag", is a story tag


def not_reversed() -> ColumnElement[bool]:
    """Ledger entries no reversal names: the ones that count."""
    return ~exists().where(KudosReversal.kudos_id == Kudos.id)
