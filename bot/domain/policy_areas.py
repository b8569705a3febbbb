"""Policy areas: the fields of rules an admin keeps (refunds, rebooking, upgrades ...), so
that the stories going beyond one rule add up to a signal leaders can act on.

Areas are named by the admin and matched in any capitalisation; a retired area is no
longer offered, and stays on the stories and revisions that name it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from bot.db.models import PolicyArea
from bot.db.repositories import audit as audit_repo
from bot.db.repositories import policies as repo
from bot.domain.common import clean_text
from bot.domain.directory import Requester
from bot.domain.errors import DomainError

# Slack shows at most 75 characters of an option in a select menu.
MAX_AREA_NAME_LENGTH = 75
MAX_ACTIVE_AREAS = 50


@dataclass(frozen=True)
class AreaChoice:
    """An area as the story form offers it."""

    id: int
    name: str


@dataclass(frozen=True)
class AreaRow:
    name: str
    is_active: bool


@dataclass(frozen=True)
class AreaChange:
    """An area added ("policies.add"), brought back ("policies.restore") or retired
    ("policies.remove"); `changed` False when it already was so."""

    action: str
    name: str
    changed: bool


def area_choices(session: Session, workspace_id: int, keep: int | None = None) -> list[AreaChoice]:
    """The areas the story form offers: the active ones in the admin's order, and `keep`
    (the area already on a story being edited) even if it was retired since."""
    areas = repo.active_areas(session, workspace_id)
    if keep is not None and all(area.id != keep for area in areas):
        kept = repo.area_in_workspace(session, workspace_id, keep)
        if kept is not None:
            areas.append(kept)
    return [AreaChoice(area.id, area.name) for area in areas]


def usable_area(
    session: Session, workspace_id: int, area_id: int | None, keep: int | None
) -> int | None:
    """`area_id` if a story may name it: active, or already on the story (`keep`).
    Raises DomainError otherwise (a retired area, or one of another workspace)."""
    if area_id is None:
        return None
    area = repo.area_in_workspace(session, workspace_id, area_id)
    if area is None or not (area.is_active or area.id == keep):
        raise DomainError("stories.errors.unknown_policy_area")
    return area.id


def policy_areas(session: Session, requester: Requester) -> list[AreaRow]:
    """Every area, active ones in their order first, then retired ones (admins)."""
    _require_admin(requester)
    return [
        AreaRow(area.name, area.is_active)
        for area in repo.all_areas(session, requester.workspace_id)
    ]


def add_area(session: Session, requester: Requester, name: str, now: datetime) -> AreaChange:
    """Add an area, or bring a retired one of that name back."""
    _require_admin(requester)
    name = " ".join(clean_text(name).split())
    if not name or len(name) > MAX_AREA_NAME_LENGTH:
        raise DomainError("admin.errors.policy_name", max=MAX_AREA_NAME_LENGTH)
    areas = repo.all_areas(session, requester.workspace_id)
    existing = _find(areas, name)
    if existing is not None and existing.is_active:
        return AreaChange("policies.add", existing.name, changed=False)
    if sum(area.is_active for area in areas) >= MAX_ACTIVE_AREAS:
        raise DomainError("admin.errors.too_many_policies", max=MAX_ACTIVE_AREAS)
    position = repo.next_area_position(session, requester.workspace_id)
    action = "policies.restore" if existing is not None else "policies.add"
    if existing is None:
        existing = PolicyArea(workspace_id=requester.workspace_id, name=name, created_at=now)
        session.add(existing)
    existing.position, existing.is_active = position, True
    session.flush()
    _audit(session, requester, action, existing.name, now)
    return AreaChange(action, existing.name, changed=True)


def remove_area(session: Session, requester: Requester, name: str, now: datetime) -> AreaChange:
    """Retire an area: no longer offered; its stories and open signals keep it."""
    _require_admin(requester)
    existing = _find(repo.all_areas(session, requester.workspace_id), " ".join(name.split()))
    if existing is None:
        raise DomainError("admin.errors.unknown_policy", given=name[:MAX_AREA_NAME_LENGTH])
    if not existing.is_active:
        return AreaChange("policies.remove", existing.name, changed=False)
    existing.is_active = False
    session.flush()
    _audit(session, requester, "policies.remove", existing.name, now)
    return AreaChange("policies.remove", existing.name, changed=True)


def _find(areas: list[PolicyArea], name: str) -> PolicyArea | None:
    folded = name.casefold()
    return next((area for area in areas if area.name.casefold() == folded), None)


def _require_admin(requester: Requester) -> None:
    if not requester.is_admin:
        raise DomainError("admin.errors.admins_only")


def _audit(session: Session, requester: Requester, action: str, name: str, now: datetime) -> None:
    audit_repo.add_entry(
        session, requester.workspace_id, requester.member_id, action, {"name": name}, now
    )
