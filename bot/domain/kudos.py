"""Recognition: kudos with a reason, points for story tags, weekly budgets.

Recognition is an append-only ledger, never a set of counters: each `Kudos` row is points
from one giver to one recipient, and taking points back (a story deleted, a tag removed,
an admin revoking abuse) adds a `KudosReversal` row. Every total is computed from the live
(not reversed) entries, so history stays auditable and a reversal can never leave a
counter out of step. The all-time totals (bot/db/repositories/totals.py) are derived
from the ledger, not a second truth: every function here that adds or reverses entries
updates them in the same transaction.

Each person has a weekly budget of kudos so that recognition stays meaningful; it resets
at Monday 00:00 in the *giver's own* time zone, because "this week" must mean the week the
giver is living in. Leaders may get a different budget and their kudos may weigh more:
leader recognition of the front line is the point of the method. Tag points never spend
budget: tagging a story is its own once-per-person gesture.

Functions take a session, the requester and plain values; they flush, never commit.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum

from sqlalchemy.orm import Session

from bot.db.models import Member, StoryTag, Workspace
from bot.db.repositories import kudos as repo
from bot.db.repositories import stories as stories_repo
from bot.db.repositories import totals
from bot.db.repositories.directory import workspace_by_id
from bot.domain import outbox, values
from bot.domain.common import clean_text, distinct_ids, zone
from bot.domain.directory import Requester, ensure_members
from bot.domain.errors import DomainError

REASON_MAX = 1000
# One kudos thanks a few people for one thing; a crowd is an announcement, not kudos.
MAX_RECIPIENTS = 10
"""Characters in a reason: the "Give kudos" modal allows as many, and a recipient's note
must stay readable."""

RECENT_RECEIVED = 5

SOURCE_KEY_MAX = 200
"""The ledger's `source_key` column length."""


class KudosKind(StrEnum):
    KUDOS = "kudos"
    """Given on purpose, with a reason; spends the giver's budget."""
    TAG = "tag"
    """A story's "positive moment of truth" tag, worth points to the people in it."""


class ReversalCause(StrEnum):
    STORY_DELETED = "story_deleted"
    TAG_REMOVED = "tag_removed"
    REVOKED = "revoked"


@dataclass(frozen=True)
class KudosRequest:
    """Kudos someone asked to give.

    `recipients` are Slack user ids, already identified by the caller. `value_tags` are
    the workspace's company value tags the caller matched. `source_key` names the Slack
    action (e.g. "cmd:<trigger_id>"): the ledger keeps one entry per recipient and key,
    so a request Slack delivers twice is recorded once.
    """

    recipients: tuple[str, ...]
    reason: str
    value_tags: tuple[str, ...]
    story_id: int | None
    source_key: str


@dataclass(frozen=True)
class Budget:
    """The giver's kudos for the week: `left` of `total`, until `resets_on` (a Monday,
    in the giver's own time zone)."""

    total: int
    spent: int
    left: int
    week_start: date
    resets_on: date


@dataclass(frozen=True)
class KudosGiven:
    """What give_kudos recorded. `repeated` is True when the request had been recorded
    already (Slack retried it): nothing was written, so nobody should be told again."""

    recipients: tuple[str, ...]
    points_each: int
    from_leader: bool
    budget: Budget
    repeated: bool
    # The request's ledger entries, whose DMs to the recipients it owes (outbox). Ids,
    # not what was given: two answers giving the same are equal.
    kudos_ids: tuple[int, ...] = field(default=(), compare=False)


@dataclass(frozen=True)
class ReceivedKudos:
    giver_user_id: str
    points: int
    reason: str
    value_tags: tuple[str, ...]
    from_leader: bool
    created_at: datetime


@dataclass(frozen=True)
class KudosSummary:
    """A member's recognition for the App Home: points received and given (live entries,
    kudos and tags) this week and ever, their budget, and their latest kudos received."""

    received_week: int
    received_total: int
    given_week: int
    given_total: int
    budget: Budget
    recent_received: tuple[ReceivedKudos, ...]


# --- rules without a database ---------------------------------------------------------


def week_start(moment: datetime, tz: str) -> date:
    """The Monday (a local date) of the week containing `moment` in the zone `tz`.

    The moment is converted with zoneinfo, so daylight saving changes move the boundary
    with the local clock. A naive moment is refused: its zone would be a guess.
    """
    if moment.tzinfo is None:
        raise ValueError("week_start needs an aware datetime")
    local = moment.astimezone(zone(tz)).date()
    return local - timedelta(days=local.weekday())


def week_bounds(week: date, tz: str) -> tuple[datetime, datetime]:
    """The instants [start, end) of the local week starting on Monday `week`, in UTC.

    In UTC because Python subtracts and compares datetimes of one zone by their wall
    clocks: a week with a clock change is an hour shorter or longer than seven days.
    """
    tzinfo = zone(tz)
    start = datetime.combine(week, time(0), tzinfo=tzinfo)
    end = datetime.combine(week + timedelta(days=7), time(0), tzinfo=tzinfo)
    return start.astimezone(UTC), end.astimezone(UTC)


def weekly_budget(workspace: Workspace, is_leader: bool) -> int:
    """Kudos a giver may give per week: the leader budget for leaders when one is set."""
    if is_leader and workspace.leader_weekly_budget is not None:
        return max(workspace.leader_weekly_budget, 0)
    return max(workspace.weekly_budget, 0)


def points_per_kudos(workspace: Workspace, is_leader: bool) -> int:
    """Points each recipient gets: a leader's kudos weighs `leader_weight` (at least 1,
    since a ledger entry always carries points)."""
    return max(workspace.leader_weight, 1) if is_leader else 1


def check_request(request: KudosRequest, giver_user_id: str) -> None:
    """The rules a request breaks without looking at the database, in the order a person
    fixes them: someone to thank, why, and not yourself."""
    recipients = distinct_ids(request.recipients)
    if not recipients:
        raise DomainError("kudos.errors.no_recipient")
    if len(recipients) > MAX_RECIPIENTS:
        raise DomainError("kudos.errors.too_many_recipients", limit=MAX_RECIPIENTS)
    reason = clean_text(request.reason)
    if not reason:
        raise DomainError("kudos.errors.no_reason")
    if len(reason) > REASON_MAX:
        raise DomainError("kudos.errors.reason_too_long", limit=REASON_MAX)
    if giver_user_id in recipients:
        raise DomainError("kudos.errors.self")


def source_keys(request: KudosRequest) -> dict[str, str]:
    """Each recipient's ledger key: one entry per Slack action and recipient."""
    return {
        recipient: f"{request.source_key}:{recipient}"
        for recipient in distinct_ids(request.recipients)
    }


def make_budget(total: int, spent: int, week: date) -> Budget:
    return Budget(
        total=total,
        spent=spent,
        left=max(total - spent, 0),
        week_start=week,
        resets_on=week + timedelta(days=7),
    )


# --- giving ---------------------------------------------------------------------------


def give_kudos(
    session: Session, requester: Requester, request: KudosRequest, now: datetime
) -> KudosGiven:
    """Give kudos to every recipient, or to none: all rules hold for all of them, and the
    budget must cover them all.

    Refusals, in this order: no recipient, no reason (or too long), giving to yourself,
    an unknown value, a deleted or unknown story, a bot or deactivated recipient, the pair
    limit, the budget. A request whose entries are all recorded already is a retry: it is
    answered as before (`repeated`) without checking or writing anything, so a retry
    never fails on a budget it spent itself.

    The giver's row is locked before anything is counted, so simultaneous requests of one
    giver are counted one after the other and never spend more than the budget together.
    """
    check_request(request, requester.user_id)
    if not request.source_key:
        raise ValueError("a kudos request needs a source_key")
    if any(len(key) > SOURCE_KEY_MAX for key in source_keys(request).values()):
        raise ValueError(f"source_key too long: {request.source_key[:40]}...")
    workspace = workspace_by_id(session, requester.workspace_id)
    recipients = distinct_ids(request.recipients)
    keys = source_keys(request)
    week = week_start(now, requester.timezone)
    total = weekly_budget(workspace, requester.is_leader)

    repo.lock_member(session, requester.member_id)
    recorded = repo.entries_by_source_keys(session, requester.workspace_id, keys.values())
    if len(recorded) == len(keys):
        first = recorded[keys[recipients[0]]]
        return KudosGiven(
            recipients=recipients,
            points_each=first.points,
            from_leader=first.giver_is_leader,
            budget=_budget(session, requester, workspace, week),
            repeated=True,
            kudos_ids=tuple(recorded[keys[user_id]].id for user_id in recipients),
        )

    value_ids = values.active_value_ids(session, requester.workspace_id, request.value_tags)
    story_id = _story_id(session, requester.workspace_id, request.story_id)
    members = ensure_members(session, requester.workspace_id, recipients)
    new = [user_id for user_id in recipients if keys[user_id] not in recorded]
    for user_id in new:
        if members[user_id].is_bot or not members[user_id].is_active:
            raise DomainError("kudos.errors.bot", user=user_id)

    limit = workspace.max_kudos_per_pair_per_week
    given = repo.kudos_per_recipient(
        session, requester.workspace_id, requester.member_id, [members[u].id for u in new], week
    )
    for user_id in new:
        if given.get(members[user_id].id, 0) + 1 > limit:
            raise DomainError("kudos.errors.pair_limit", user=user_id, limit=limit)

    spent = repo.kudos_spent(session, requester.workspace_id, requester.member_id, week)
    budget = make_budget(total, spent, week)
    if budget.left < len(new):
        raise DomainError(
            "kudos.errors.budget",
            left=budget.left,
            needed=len(new),
            resets=budget.resets_on.isoformat(),
        )

    points = points_per_kudos(workspace, requester.is_leader)
    rows = [
        {
            "workspace_id": requester.workspace_id,
            "giver_id": requester.member_id,
            "recipient_id": members[user_id].id,
            "kind": KudosKind.KUDOS.value,
            "points": points,
            "reason": clean_text(request.reason),
            "story_id": story_id,
            "giver_is_leader": requester.is_leader,
            "budget_week": week,
            "source_key": keys[user_id],
            "created_at": now,
        }
        for user_id in new
    ]
    ids, added = repo.add_entries(session, requester.workspace_id, rows)
    totals.apply(session, requester.workspace_id, totals.Changes(added=added))
    repo.add_values(session, [ids[keys[user_id]] for user_id in new], value_ids)
    # Only entries this transaction added owe a DM: one a racing retry added owes its own.
    added_for = {change.recipient_id for change in added}
    for user_id in new:
        if members[user_id].id in added_for:
            member_id = members[user_id].id
            outbox.owe_kudos_notice(
                session, requester.workspace_id, ids[keys[user_id]], member_id, now
            )
    session.flush()
    return KudosGiven(
        recipients=recipients,
        points_each=points,
        from_leader=requester.is_leader,
        budget=make_budget(total, spent + len(new), week),
        repeated=False,
        kudos_ids=tuple(ids[keys[user_id]] for user_id in recipients),
    )


@dataclass(frozen=True)
class KudosNotice:
    """What the recipient of one ledger entry is told, read when the DM is sent."""

    giver_user_id: str
    recipient_user_id: str
    reason: str
    value_tags: tuple[str, ...]
    from_leader: bool


def kudos_notice(session: Session, workspace_id: int, kudos_id: int) -> KudosNotice | None:
    """The DM owed for a kudos entry, or None when there is nothing to tell any more (it
    was revoked, or is not kudos)."""
    entry = repo.live_entry(session, workspace_id, kudos_id)
    if entry is None or entry.kind != KudosKind.KUDOS:
        return None
    users = stories_repo.user_ids_of(session, {entry.giver_id, entry.recipient_id})
    return KudosNotice(
        giver_user_id=users[entry.giver_id],
        recipient_user_id=users[entry.recipient_id],
        reason=entry.reason,
        value_tags=tuple(repo.value_tags_of(session, [kudos_id]).get(kudos_id, [])),
        from_leader=entry.giver_is_leader,
    )


def budget_status(session: Session, requester: Requester, now: datetime) -> Budget:
    """The requester's kudos budget for their current week."""
    workspace = workspace_by_id(session, requester.workspace_id)
    return _budget(session, requester, workspace, week_start(now, requester.timezone))


def _budget(session: Session, requester: Requester, workspace: Workspace, week: date) -> Budget:
    spent = repo.kudos_spent(session, requester.workspace_id, requester.member_id, week)
    return make_budget(weekly_budget(workspace, requester.is_leader), spent, week)


def _story_id(session: Session, workspace_id: int, story_id: int | None) -> int | None:
    """The story the kudos is for, which must be a live story of the workspace."""
    if story_id is None:
        return None
    story = stories_repo.story_in_workspace(session, workspace_id, story_id)
    if story is None:
        raise DomainError("stories.errors.not_found")
    if story.deleted_at is not None:
        raise DomainError("stories.errors.deleted")
    return story.id


# --- story tags -----------------------------------------------------------------------


def credit_tag(
    session: Session,
    requester: Requester,
    tag: StoryTag,
    now: datetime,
    changes: totals.Changes | None = None,
) -> int:
    """Give the people in the tagged story the workspace's points per tag, from the
    tagger; how many people were credited. No budget, no pair limit: a tag is given once
    per person and story anyway.

    Entries are keyed `tag:<tag id>:<user id>`. SQLite may hand a removed tag's id to the
    next tag, whose key would then collide with the reversed entries of the old one; such
    a key gets a `:2`, `:3` ... suffix so the new tag still earns its points.

    The all-time totals follow at once, or, given `changes`, when the caller applies
    them with its own (a unit of work applies its changes once, see totals).
    """
    workspace = workspace_by_id(session, requester.workspace_id)
    if workspace.points_per_tag <= 0:
        return 0
    people = [
        member
        for member in _members(session, stories_repo.person_ids(session, tag.story_id))
        if member.id != tag.tagger_id and not member.is_bot and member.is_active
    ]
    if not people:
        return 0
    prefix = f"tag:{tag.id}:"
    taken = repo.source_keys_starting(session, requester.workspace_id, prefix)
    week = week_start(now, requester.timezone)
    rows = [
        {
            "workspace_id": requester.workspace_id,
            "giver_id": tag.tagger_id,
            "recipient_id": member.id,
            "kind": KudosKind.TAG.value,
            "points": workspace.points_per_tag,
            "reason": "",
            "story_id": tag.story_id,
            "giver_is_leader": requester.is_leader,
            "budget_week": week,
            "source_key": _free_key(f"{prefix}{member.slack_user_id}", taken),
            "created_at": now,
        }
        for member in people
    ]
    _, added = repo.add_entries(session, requester.workspace_id, rows)
    _follow(session, requester.workspace_id, totals.Changes(added=added), changes)
    return len(rows)


def reverse_tags(
    session: Session,
    tags: Sequence[StoryTag],
    cause: ReversalCause,
    now: datetime,
    changes: totals.Changes | None = None,
) -> int:
    """Take back the points of these tags (removed, or their story deleted); how many
    entries were reversed. Call before the tags themselves are removed. The totals
    follow as in credit_tag."""
    reversed_count = 0
    by_story: dict[tuple[int, int], list[int]] = {}
    for tag in tags:
        by_story.setdefault((tag.workspace_id, tag.story_id), []).append(tag.tagger_id)
    by_workspace: dict[int, totals.Changes] = {}
    for (workspace_id, story_id), tagger_ids in by_story.items():
        entry_ids = repo.live_tag_entry_ids(session, workspace_id, story_id, tagger_ids)
        reversed_now = repo.reverse(session, workspace_id, entry_ids, cause.value, now)
        reversed_count += len(reversed_now)
        by_workspace.setdefault(workspace_id, totals.Changes()).reversed.extend(reversed_now)
    for workspace_id, own in by_workspace.items():
        _follow(session, workspace_id, own, changes)
    return reversed_count


def _follow(
    session: Session, workspace_id: int, own: totals.Changes, changes: totals.Changes | None
) -> None:
    """Apply `own` to the totals now, or hand it to the caller's `changes`."""
    if changes is None:
        totals.apply(session, workspace_id, own)
    else:
        changes.added.extend(own.added)
        changes.reversed.extend(own.reversed)


def _free_key(key: str, taken: set[str]) -> str:
    if key not in taken:
        return key
    generation = 2
    while f"{key}:{generation}" in taken:
        generation += 1
    return f"{key}:{generation}"


def _members(session: Session, member_ids: Iterable[int]) -> list[Member]:
    """The members in id order (a stable order for the ledger)."""
    return sorted(
        (member for member_id in set(member_ids) if (member := session.get(Member, member_id))),
        key=lambda member: member.id,
    )


# --- revoking -------------------------------------------------------------------------


def revoke_kudos(
    session: Session, requester: Requester, kudos_id: int, reason: str, now: datetime
) -> None:
    """An admin takes back a ledger entry (abuse, a mistake). The entry stays, reversed,
    with who did it and why, so the decision can be reviewed."""
    if not requester.is_admin:
        raise DomainError("kudos.errors.admins_only")
    reason = clean_text(reason)
    if not reason:
        raise DomainError("kudos.errors.no_reason")
    if len(reason) > REASON_MAX:
        raise DomainError("kudos.errors.reason_too_long", limit=REASON_MAX)
    entry = repo.entry_in_workspace(session, requester.workspace_id, kudos_id)
    if entry is None:
        raise DomainError("kudos.errors.not_found")
    reversed_now = repo.reverse(
        session,
        requester.workspace_id,
        [entry.id],
        ReversalCause.REVOKED.value,
        now,
        reason=reason,
        reversed_by_id=requester.member_id,
    )
    if not reversed_now:
        raise DomainError("kudos.errors.already_revoked")
    totals.apply(session, requester.workspace_id, totals.Changes(reversed=reversed_now))
    session.flush()


# --- reading --------------------------------------------------------------------------


def kudos_summary(session: Session, requester: Requester, now: datetime) -> KudosSummary:
    """The requester's recognition for the App Home; "week" is their own local week."""
    workspace = workspace_by_id(session, requester.workspace_id)
    week = week_start(now, requester.timezone)
    since, until = week_bounds(week, requester.timezone)
    workspace_id, member_id = requester.workspace_id, requester.member_id
    recent = repo.recent_received(session, workspace_id, member_id, RECENT_RECEIVED)
    tags = repo.value_tags_of(session, [entry.id for entry, _ in recent])
    return KudosSummary(
        received_week=repo.live_points(
            session, workspace_id, recipient_id=member_id, since=since, until=until
        ),
        received_total=repo.live_points(session, workspace_id, recipient_id=member_id),
        given_week=repo.live_points(
            session, workspace_id, giver_id=member_id, since=since, until=until
        ),
        given_total=repo.live_points(session, workspace_id, giver_id=member_id),
        budget=_budget(session, requester, workspace, week),
        recent_received=tuple(
            ReceivedKudos(
                giver_user_id=giver_user_id,
                points=entry.points,
                reason=entry.reason,
                value_tags=tuple(tags.get(entry.id, ())),
                from_leader=entry.giver_is_leader,
                created_at=entry.created_at,
            )
            for entry, giver_user_id in recent
        ),
    )


def set_leaderboard_opt_out(session: Session, requester: Requester, opted_out: bool) -> None:
    """Leave (or rejoin) the public leaderboards; recognition is still recorded."""
    repo.set_leaderboard_opt_out(session, requester.workspace_id, requester.member_id, opted_out)
    session.flush()
