"""What an admin reviews before revoking kudos: the latest entries one person received."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from bot.db.models import Kudos, KudosReversal, Member
from bot.domain.directory import Requester
from bot.domain.errors import DomainError

REVIEW_LIMIT = 10


@dataclass(frozen=True)
class KudosLine:
    id: int
    giver_user_id: str
    kind: str
    points: int
    reason: str
    created_at: datetime
    revoked: bool


def kudos_received_by(
    session: Session, requester: Requester, user_id: str, limit: int = REVIEW_LIMIT
) -> list[KudosLine]:
    """The newest ledger entries `user_id` received, reversed ones marked; admins only."""
    if not requester.is_admin:
        raise DomainError("kudos.errors.admins_only")
    giver, recipient = aliased(Member), aliased(Member)
    rows = session.execute(
        select(
            Kudos.id,
            giver.slack_user_id,
            Kudos.kind,
            Kudos.points,
            Kudos.reason,
            Kudos.created_at,
            KudosReversal.id.is_not(None),
        )
        .join(recipient, recipient.id == Kudos.recipient_id)
        .join(giver, giver.id == Kudos.giver_id)
        .outerjoin(KudosReversal, KudosReversal.kudos_id == Kudos.id)
        .where(Kudos.workspace_id == requester.workspace_id, recipient.slack_user_id == user_id)
        .order_by(Kudos.created_at.desc(), Kudos.id.desc())
        .limit(limit)
    )
    return [KudosLine(*row) for row in rows]
