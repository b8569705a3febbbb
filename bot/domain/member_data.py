"""Data rights for one person: everything motbot stores about them (`motbot export member`),
and erasing it while the workspace's figures stay right (`motbot forget member`).

Forgetting keeps the member row's id, so every total, leaderboard aggregate, pulse
response count and ledger sum stays what it was, but leaves nothing on that row or around
it that says who the person was: the names, time zone, language and roles go, the Slack
user id becomes a tombstone (`forgotten-<id>`) that no Slack id can equal, the row turns
inactive (so nothing is sent to it and no board names it), the texts the person wrote are
emptied, their user id is taken out of texts others wrote, and where their DMs were is
dropped. If the same person uses the bot again, they are a new member. docs/privacy.md
("Export and erasure") tells the whole design; `PERSONAL_COLUMNS` below says, column by
column, how each piece of data keyed to a person is exported and forgotten.

Functions take a session and plain values; they flush, never commit.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from bot.db.models import Story, Workspace
from bot.db.repositories import digest as digest_repo
from bot.db.repositories import kudos as kudos_repo
from bot.db.repositories import member_data as repo
from bot.db.repositories import outbox as outbox_repo
from bot.db.repositories import policies as policies_repo
from bot.db.repositories import stories as stories_repo
from bot.db.repositories.directory import member_by_user
from bot.domain.errors import DomainError
from bot.domain.pulse_export import export_workspace

TOMBSTONE_PREFIX = "forgotten-"
"""A forgotten member's user id: `forgotten-<member id>`. Slack ids never hold a dash."""

MENTION_PLACEHOLDER = "@former-member"
"""What replaces a forgotten person's user id (or `<@id>` mention) in texts others wrote."""

EXPORT_FORMAT = "motbot.member-export"
EXPORT_VERSION = 1

PULSE_NOTE = (
    "Pulse answers and comments are stored without any link to a person, by design: no "
    "user id, no invitation, no time. motbot therefore cannot tell which answers are "
    "yours, and they cannot be exported (or erased) per person. What is stored about you "
    "is listed under 'invites': that you were invited, and whether you finished, skipped "
    "or were reminded. In Slack, `/mot privacy` explains the details."
)
SLACK_NOTE = (
    "Messages motbot posted in Slack (story cards, kudos notices, DMs) are kept by Slack, "
    "not by motbot; where they are is listed here ('card', 'dm'). A Slack admin can "
    "export or delete them."
)
TOTALS_NOTE = "Figures derived from the kudos ledger and the stories below, kept up to date."


@dataclass(frozen=True)
class Handling:
    """How one column that can hold a person's data is treated.

    `export`: the key path in the export's JSON that holds it (dots between keys).
    `forget`: what `forget member` does with it.
    """

    export: str
    forget: str


# Every column keyed to a person (a foreign key to members.id, a Slack user id) or able
# to hold their words (free text, JSON). tests/db/test_member_data.py fails when the
# metadata has such a column that is in neither this mapping nor NOT_PERSONAL_COLUMNS,
# so a new table cannot slip past export and forget unnoticed.
PERSONAL_COLUMNS: dict[str, Handling] = {
    # The person themselves: blanked, the id kept for every figure keyed to it (the row's
    # other columns, names, tz, locale, roles, sync time, are in `member` and cleared too).
    "members.slack_user_id": Handling("member.user_id", "replaced by the tombstone"),
    # Stories: kept (counts, tags, backings, totals), their texts emptied.
    "stories.author_id": Handling("stories.written", "kept: the story stays, without text"),
    "stories.customer_need": Handling(
        "stories.written", "own stories: emptied; others': user id replaced"
    ),
    "stories.action_taken": Handling(
        "stories.written", "own stories: emptied; others': user id replaced"
    ),
    "stories.outcome": Handling(
        "stories.written", "own stories: emptied; others': user id replaced"
    ),
    "stories.went_wrong": Handling(
        "stories.written", "own stories: emptied; others': user id replaced"
    ),
    # The rule a story went beyond: emptied like the other texts; the story still raises
    # its policy signal (and stays closed if a revision closed it), so HR's counts stay.
    "stories.rule_bent": Handling(
        "stories.written", "own stories: emptied; others': user id replaced"
    ),
    "stories.source_channel_id": Handling(
        "stories.written", "own stories: dropped (where the shared message was)"
    ),
    "stories.source_message_ts": Handling("stories.written", "own stories: dropped"),
    "story_people.member_id": Handling(
        "stories.told_of", "kept: the story still tells of someone (team figures)"
    ),
    "story_tags.tagger_id": Handling("story_tags_given", "kept: tag counts and totals"),
    "story_backings.leader_id": Handling("story_backings_given", "kept: backing counts"),
    # Policy revisions a leader made: kept (the signals they closed stay closed), note emptied.
    "policy_revisions.leader_id": Handling(
        "policy_revisions_made", "kept: the revision stays, so its signals stay closed"
    ),
    "policy_revisions.note": Handling(
        "policy_revisions_made", "written by them: emptied; by others: user id replaced"
    ),
    # The ledger: points kept, text emptied.
    "kudos.giver_id": Handling("kudos.given", "kept, with the points; reason emptied"),
    "kudos.recipient_id": Handling("kudos.received", "kept, with the points; reason emptied"),
    "kudos.reason": Handling(
        "kudos.given", "given or received: emptied; between others: user id replaced"
    ),
    "kudos.source_key": Handling(
        "kudos.received", "received: `forgotten:<entry id>` (it ended in their user id)"
    ),
    "kudos_reversals.reversed_by_id": Handling(
        "kudos.revocations_made", "kept (the entry stays reversed); reason emptied"
    ),
    "kudos_reversals.reason": Handling(
        "kudos.revocations_made", "written by them: emptied; by others: user id replaced"
    ),
    "member_totals.member_id": Handling("totals.all_time", "kept: aggregate figures"),
    "kudos_pairs.giver_id": Handling("totals.pairs", "kept: aggregate figures"),
    "kudos_pairs.recipient_id": Handling("totals.pairs", "kept: aggregate figures"),
    # The pulse: who was asked stays (response rates); where the DM was goes.
    "pulse_invites.member_id": Handling("pulse.invites", "kept: status for response rates"),
    "pulse_invites.channel_id": Handling("pulse.invites", "dropped (their DM)"),
    "pulse_invites.message_ts": Handling("pulse.invites", "dropped (their DM)"),
    "pulse_comments.text": Handling(
        "pulse.note", "not exported (anonymous by design); user id replaced if named"
    ),
    # Operations.
    "audit_log.actor_id": Handling("audit_log.as_actor", "kept, for accountability"),
    "audit_log.detail": Handling("audit_log.naming_them", "user id replaced by the tombstone"),
    "job_deliveries.recipient": Handling(
        "job_deliveries", "replaced by the tombstone; unsent ones dropped"
    ),
    "job_deliveries.channel_id": Handling("job_deliveries", "dropped (their DM)"),
    "job_deliveries.message_ts": Handling("job_deliveries", "dropped (their DM)"),
    "job_deliveries.last_error": Handling("job_deliveries", "dropped"),
    # What motbot still owes Slack for them (a DM, their App Home): by member id.
    "outbox.member_id": Handling(
        "outbox", "kept, like every figure keyed to the member; what is still owed is dropped"
    ),
    # slack_sdk's installation store: the install the person made.
    "slack_installations.user_id": Handling(
        "slack_installations", "replaced by the tombstone (the bot token stays)"
    ),
    "slack_installations.user_token": Handling("slack_installations", "dropped, never exported"),
    "slack_installations.user_refresh_token": Handling(
        "slack_installations", "dropped, never exported"
    ),
    "slack_installations.user_scopes": Handling("slack_installations", "dropped"),
}

# Columns that look personal to the test's detector (a free-text, JSON or user/channel
# column) but hold nothing about a person, and why.
NOT_PERSONAL_COLUMNS: dict[str, str] = {
    "workspaces.stories_channel_id": "a channel the admin chose",
    "workspaces.leaderboard_channel_id": "a channel the admin chose",
    "workspaces.hr_channel_id": "a channel the admin chose",
    "workspaces.leaders_usergroup_id": "a Slack user group, not a person",
    "workspaces.hr_usergroup_id": "a Slack user group, not a person",
    "teams.slack_usergroup_id": "a Slack user group, not a person",
    "company_values.description": "the admin's text about a company value",
    "pulse_questions.text_en": "the question bank",
    "pulse_questions.text_zh": "the question bank",
    "stories.channel_id": "the stories channel the card is in (exported as 'card')",
    "job_runs.lease_owner": "a process (host:pid), not a person",
    "job_runs.error": "a job's error, about a run, not a recipient",
    "outbox.last_error": "Slack's error code for an attempt (ratelimited, http_502), no text",
    "slack_bots.bot_user_id": "the bot's own user",
    "slack_installations.bot_user_id": "the bot's own user",
    "slack_installations.incoming_webhook_channel": "a channel chosen at install",
    "slack_installations.incoming_webhook_channel_id": "a channel chosen at install",
}


@dataclass(frozen=True)
class MemberTarget:
    """The member a data-rights command is about."""

    workspace_id: int
    team_id: str
    member_id: int
    user_id: str


def tombstone(member_id: int) -> str:
    return f"{TOMBSTONE_PREFIX}{member_id}"


def is_tombstone(user_id: str) -> bool:
    return user_id.startswith(TOMBSTONE_PREFIX)


def shown_name(user_id: str, display_name: str | None, real_name: str | None) -> str:
    """A member's name as people read it: their display name, else their real name, else
    their user id. A forgotten member's names are emptied: they are MENTION_PLACEHOLDER,
    never their tombstone id."""
    if is_tombstone(user_id):
        return MENTION_PLACEHOLDER
    return (display_name or "").strip() or (real_name or "").strip() or user_id


def find_member(session: Session, team_id: str | None, user_id: str) -> MemberTarget:
    """The member with this Slack user id (or tombstone) in the workspace named by its
    Slack team id (the only one when None). DomainError when the workspace is unknown or
    ambiguous ("hr_summary.export.*") or nobody has that id ("member_data.unknown_member").

    A forgotten person's Slack user id names nobody any more: that is the point.
    """
    workspace_id, team = export_workspace(session, team_id)
    wanted = user_id.strip()
    member = member_by_user(session, workspace_id, wanted) if wanted else None
    if member is None:
        raise DomainError("member_data.unknown_member", user=wanted or "''", team=team)
    return MemberTarget(workspace_id, team, member.id, member.slack_user_id)


# --- export ---------------------------------------------------------------------------


def member_export(session: Session, target: MemberTarget, now: datetime) -> dict[str, Any]:
    """Everything motbot stores about the member, as a JSON-ready document."""
    workspace_id, member_id = target.workspace_id, target.member_id
    workspace = session.get(Workspace, workspace_id)
    found = digest_repo.member(session, workspace_id, member_id)
    if found is None:
        raise DomainError("member_data.unknown_member", user=target.user_id, team=target.team_id)
    user_id = found.slack_user_id
    written = repo.stories_written(session, workspace_id, member_id)
    told_of = repo.stories_told_of(session, workspace_id, member_id)
    stories = _story_documents(session, [*written, *told_of])
    given = repo.ledger_lines(session, workspace_id, giver_id=member_id)
    received = repo.ledger_lines(session, workspace_id, recipient_id=member_id)
    revoked = repo.ledger_lines(
        session, workspace_id, ids=repo.ids_reversed_by(session, workspace_id, member_id)
    )
    values = kudos_repo.value_tags_of(session, [line.id for line in (*given, *received)])
    totals = repo.totals_of(session, workspace_id, member_id)
    return {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "exported_at": _iso(now),
        "workspace": {"team_id": target.team_id, "name": workspace.name if workspace else ""},
        "notes": {"pulse": PULSE_NOTE, "slack": SLACK_NOTE, "totals": TOTALS_NOTE},
        "member": {
            "user_id": user_id,
            "forgotten": is_tombstone(user_id),
            "display_name": found.display_name,
            "real_name": found.real_name,
            "time_zone": found.tz,
            "locale": found.locale,
            "team": None
            if found.team_id is None
            else digest_repo.team_name(session, workspace_id, found.team_id),
            "roles": {
                "admin": found.is_admin,
                "leader": found.is_leader,
                "leader_named": found.leader_named,
                "leader_from_user_group": found.leader_via_group,
                "hr": found.is_hr,
                "hr_named": found.hr_named,
                "hr_from_user_group": found.hr_via_group,
            },
            "is_bot": found.is_bot,
            "is_guest": found.is_guest,
            "is_active": found.is_active,
            "leaderboard_opt_out": found.leaderboard_opt_out,
            "synced_at": _iso(found.synced_at),
            "created_at": _iso(found.created_at),
        },
        "totals": {
            "all_time": None
            if totals is None
            else {
                "points_received": totals.points_received,
                "distinct_givers": totals.distinct_givers,
                "kudos_given": totals.kudos_given,
                "distinct_kudos_recipients": totals.distinct_kudos_recipients,
                "stories": totals.stories,
                "story_tags": totals.story_tags,
            },
            "pairs": [
                {"from": giver, "to": recipient, "live_entries": live, "live_kudos": kudos}
                for giver, recipient, live, kudos in repo.pairs_of(session, workspace_id, member_id)
            ],
        },
        "stories": {
            "written": [stories[story.id] for story in written],
            "told_of": [stories[story.id] for story in told_of],
        },
        "story_tags_given": [
            {"story_id": tag.story_id, "source": tag.source, "created_at": _iso(tag.created_at)}
            for tag in repo.tags_given(session, workspace_id, member_id)
        ],
        "story_backings_given": [
            {"story_id": backing.story_id, "created_at": _iso(backing.created_at)}
            for backing in repo.backings_given(session, workspace_id, member_id)
        ],
        "policy_revisions_made": [
            {
                "id": revision.id,
                "area": area,
                "note": revision.note,
                "created_at": _iso(revision.created_at),
            }
            for revision, area in repo.revisions_made(session, workspace_id, member_id)
        ],
        "kudos": {
            "given": [_ledger_document(line, values, "to") for line in given],
            "received": [_ledger_document(line, values, "from") for line in received],
            "revocations_made": [
                {
                    "kudos_id": line.id,
                    "from": line.giver_user_id,
                    "to": line.recipient_user_id,
                    "kind": line.kind,
                    "points": line.points,
                    "cause": line.reversal_cause,
                    "reason": line.reversal_reason,
                    "at": _iso(line.reversed_at),
                }
                for line in revoked
            ],
        },
        "pulse": {
            "note": PULSE_NOTE,
            "invites": [
                {
                    "round": period,
                    "status": invite.status,
                    "reminded": invite.reminded,
                    "dm": _place(invite.channel_id, invite.message_ts),
                }
                for invite, period in repo.invites_of(session, workspace_id, member_id)
            ],
        },
        "audit_log": {
            "as_actor": [
                {
                    "id": entry.id,
                    "action": entry.action,
                    "detail": entry.detail,
                    "created_at": _iso(entry.created_at),
                }
                for entry in repo.audit_by(session, workspace_id, member_id)
            ],
            "naming_them": _audit_naming(session, workspace_id, user_id),
        },
        "job_deliveries": [
            {
                "job": job,
                "period": period,
                "status": delivery.status,
                "attempts": delivery.attempts,
                "dm": _place(delivery.channel_id, delivery.message_ts),
                "last_error": delivery.last_error,
                "updated_at": _iso(delivery.updated_at),
            }
            for delivery, job, period in repo.deliveries_to(session, workspace_id, user_id)
        ],
        "outbox": [
            {
                "kind": entry.kind,
                "status": entry.status,
                "attempts": entry.attempts,
                "last_error": entry.last_error,
                "created_at": _iso(entry.created_at),
                "finished_at": _iso(entry.finished_at),
            }
            for entry in outbox_repo.entries_for(session, workspace_id, target.member_id)
        ],
        "slack_installations": [
            {**row, "installed_at": _iso(row["installed_at"])}
            for row in repo.installations_by(session, target.team_id, user_id)
        ],
    }


def export_json(session: Session, target: MemberTarget, now: datetime) -> str:
    """member_export as UTF-8 JSON text (not ASCII-escaped, indented by 2, final newline)."""
    return json.dumps(member_export(session, target, now), ensure_ascii=False, indent=2) + "\n"


def _audit_naming(session: Session, workspace_id: int, user_id: str) -> list[dict[str, Any]]:
    """Audit entries whose detail names the user id (as a whole id, not inside another)."""
    pattern = _user_pattern(user_id)
    entries = [
        entry
        for entry in repo.audit_naming(session, workspace_id, user_id)
        if pattern.search(json.dumps(entry.detail, ensure_ascii=False))
    ]
    actors = stories_repo.user_ids_of(session, {e.actor_id for e in entries if e.actor_id})
    return [
        {
            "id": entry.id,
            "actor": actors.get(entry.actor_id) if entry.actor_id else None,
            "action": entry.action,
            "detail": entry.detail,
            "created_at": _iso(entry.created_at),
        }
        for entry in entries
    ]


def _story_documents(session: Session, stories: Sequence[Story]) -> dict[int, dict[str, Any]]:
    if not stories:
        return {}
    ids = [story.id for story in stories]
    authors = stories_repo.user_ids_of(session, {story.author_id for story in stories})
    people = stories_repo.people_user_ids(session, ids)
    values = stories_repo.story_values(session, ids)
    tags = stories_repo.tag_counts(session, ids)
    backers = stories_repo.backer_user_ids(session, ids)
    areas = policies_repo.area_names(
        session, {story.policy_area_id for story in stories if story.policy_area_id is not None}
    )
    return {
        story.id: {
            "id": story.id,
            "author": authors.get(story.author_id),
            "people": people.get(story.id, []),
            "touchpoint": story.touchpoint,
            "customer_need": story.customer_need,
            "action_taken": story.action_taken,
            "outcome": story.outcome,
            "is_recovery": story.is_recovery,
            "went_wrong": story.went_wrong,
            "decided_on_spot": story.decided_on_spot,
            "raises_policy_signal": story.raises_policy_signal,
            "rule_bent": story.rule_bent,
            "policy_area": None
            if story.policy_area_id is None
            else areas.get(story.policy_area_id),
            "policy_revised": story.policy_revision_id is not None,
            "abc": {
                "appearance": story.abc_appearance,
                "behaviour": story.abc_behaviour,
                "communication": story.abc_communication,
            },
            "values": [value.tag for value in values.get(story.id, [])],
            "tags": tags.get(story.id, 0),
            "backed_by": backers.get(story.id, []),
            "card": _place(story.channel_id, story.message_ts),
            "shared_from": _place(story.source_channel_id, story.source_message_ts),
            "created_at": _iso(story.created_at),
            "updated_at": _iso(story.updated_at),
            "deleted_at": _iso(story.deleted_at),
        }
        for story in stories
    }


def _ledger_document(
    line: repo.LedgerLine, values: dict[int, list[str]], counterpart: str
) -> dict[str, Any]:
    return {
        "id": line.id,
        counterpart: line.recipient_user_id if counterpart == "to" else line.giver_user_id,
        "kind": line.kind,
        "points": line.points,
        "reason": line.reason,
        "values": values.get(line.id, []),
        "story_id": line.story_id,
        "from_leader": line.giver_is_leader,
        "budget_week": _iso(line.budget_week),
        "created_at": _iso(line.created_at),
        "reversed": None
        if line.reversal_cause is None
        else {
            "cause": line.reversal_cause,
            "reason": line.reversal_reason,
            "by": line.reversed_by_user_id,
            "at": _iso(line.reversed_at),
        },
    }


def _place(channel_id: str | None, message_ts: str | None) -> dict[str, str] | None:
    if channel_id is None and message_ts is None:
        return None
    return {"channel_id": channel_id or "", "message_ts": message_ts or ""}


def _iso(value: datetime | date | None) -> str | None:
    return None if value is None else value.isoformat()


def _user_pattern(user_id: str) -> re.Pattern[str]:
    """The user id as a mention (`<@U123>`, `<@U123|name>`) or a whole word (`@U123`,
    `U123`), never inside a longer id."""
    escaped = re.escape(user_id)
    return re.compile(rf"<@{escaped}(?:\|[^>]*)?>|(?<![0-9A-Za-z])@?{escaped}(?![0-9A-Za-z])")


# --- forget ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ForgetReport:
    """What forgetting a member would change (a plan) or changed: rows of each kind.

    `kept` counts the rows that stay, linked to the anonymous member row only, so that
    the workspace's figures stay right.
    """

    user_id: str
    tombstone: str
    profile: int
    story_texts: int
    kudos_reasons_given: int
    kudos_received: int
    revocation_reasons: int
    texts_naming_them: int
    audit_entries: int
    pulse_invites: int
    job_deliveries: int
    installations: int
    kept: repo.KeptCounts
    owed_messages: int = 0
    revision_notes: int = 0

    @property
    def changes(self) -> int:
        return sum(
            getattr(self, field.name)
            for field in fields(self)
            if field.name not in ("user_id", "tombstone", "kept")
        )

    @property
    def nothing_left(self) -> bool:
        return self.changes == 0

    def lines(self) -> list[str]:
        """The changes in English, one per kind, for the terminal."""
        lines: list[str] = []
        if self.profile:
            lines.append(
                "member row: names, time zone, language, roles and sync time removed; "
                f"{self.user_id} replaced by {self.tombstone}; marked inactive"
            )
        if self.story_texts:
            lines.append(
                f"{_n(self.story_texts, 'story', 'stories')} they wrote: texts emptied "
                "(the stories stay, so their tags and totals stay right)"
            )
        if self.kudos_reasons_given:
            lines.append(
                f"{_n(self.kudos_reasons_given, 'kudos entry', 'kudos entries')} they gave: "
                f"{_plural(self.kudos_reasons_given, 'reason')} emptied (points kept)"
            )
        if self.kudos_received:
            lines.append(
                f"{_n(self.kudos_received, 'ledger entry', 'ledger entries')} they received: "
                f"{_plural(self.kudos_received, 'reason')} emptied and their user id taken out "
                f"of the {_plural(self.kudos_received, 'key')} (points kept)"
            )
        if self.revocation_reasons:
            lines.append(
                f"{_n(self.revocation_reasons, 'revocation', 'revocations')} they made: "
                f"{_plural(self.revocation_reasons, 'reason')} emptied (the entries stay revoked)"
            )
        if self.revision_notes:
            lines.append(
                f"{_n(self.revision_notes, 'policy revision', 'policy revisions')} they made: "
                f"{_plural(self.revision_notes, 'note')} emptied (the revisions stay, so the "
                "signals they closed stay closed)"
            )
        if self.texts_naming_them:
            lines.append(
                f"{_n(self.texts_naming_them, 'text', 'texts')} by others naming their user "
                f"id: the id replaced by {MENTION_PLACEHOLDER}"
            )
        if self.audit_entries:
            lines.append(
                f"{_n(self.audit_entries, 'audit log entry', 'audit log entries')} naming "
                f"them: their user id replaced by {self.tombstone}"
            )
        if self.pulse_invites:
            lines.append(
                f"{_n(self.pulse_invites, 'pulse invitation', 'pulse invitations')}: where "
                "their DM was removed (the status stays, for response rates)"
            )
        if self.job_deliveries:
            lines.append(
                f"{_n(self.job_deliveries, 'message', 'messages')} scheduled jobs addressed "
                f"to them: re-addressed to {self.tombstone}, their DM removed, unsent ones "
                "dropped"
            )
        if self.installations:
            lines.append(
                f"{_n(self.installations, 'app installation', 'app installations')} they "
                "made: their user token and scopes removed (the bot token stays)"
            )
        if self.owed_messages:
            lines.append(
                f"{_n(self.owed_messages, 'message', 'messages')} motbot still owed them "
                "(a DM or an App Home update Slack had not taken yet): dropped"
            )
        return lines

    def kept_line(self) -> str:
        kept = self.kept
        parts = [
            _n(kept.stories_written, "story written", "stories written"),
            _n(
                kept.stories_told_of,
                "appearance in others' stories",
                "appearances in others' stories",
            ),
            _n(kept.entries_given, "ledger entry given", "ledger entries given"),
            _n(kept.entries_received, "ledger entry received", "ledger entries received"),
            _n(kept.tags_given, "tag", "tags"),
            _n(kept.backings_given, "backing", "backings"),
            _n(kept.policy_revisions, "policy revision made", "policy revisions made"),
            _n(kept.pulse_invites, "pulse invitation", "pulse invitations"),
            _n(kept.audit_entries, "audit log entry as actor", "audit log entries as actor"),
        ]
        return f"Kept, linked only to {self.tombstone}: " + ", ".join(parts) + "."


def forget_plan(session: Session, target: MemberTarget) -> ForgetReport:
    """What forget_member would change now, changing nothing."""
    return _forget(session, target, apply=False)


def forget_member(session: Session, target: MemberTarget) -> ForgetReport:
    """Forget the member (docs/privacy.md, "Export and erasure"); what was changed.

    Everything happens in the caller's transaction, so it is all or nothing. A member
    already forgotten (found by their tombstone) is left as it is: nothing is changed
    and the report says so.
    """
    return _forget(session, target, apply=True)


def _forget(session: Session, target: MemberTarget, *, apply: bool) -> ForgetReport:
    workspace_id, member_id = target.workspace_id, target.member_id
    if apply:
        member = repo.locked_member(session, workspace_id, member_id)
    else:
        member = digest_repo.member(session, workspace_id, member_id)
    if member is None:
        raise DomainError("member_data.unknown_member", user=target.user_id, team=target.team_id)
    user_id, grave = member.slack_user_id, tombstone(member.id)
    texts, audit = _rewrites(session, workspace_id, member.id, user_id, grave)
    kept = repo.kept_counts(session, workspace_id, member_id)

    def rows(count: Callable[..., int], change: Callable[..., int], *args: Any) -> int:
        """What `change` changes (it answers how many rows), or, for a plan, what `count`
        says it would."""
        return (change if apply else count)(session, *args)

    # The user id is still the person's here: first everything found by it, the member
    # row itself last.
    if apply:
        for row in texts:
            repo.rewrite_texts(session, row.model, row.id, row.texts)
        for entry_id, detail in audit:
            repo.rewrite_audit_detail(session, entry_id, detail)
    mine = (workspace_id, member_id)
    job_deliveries = rows(
        repo.count_deliveries, repo.readdress_deliveries, workspace_id, user_id, grave
    )
    installations = rows(
        repo.count_installations, repo.forget_installations, target.team_id, user_id, grave
    )
    story_texts = rows(repo.count_story_texts, repo.blank_story_texts, *mine)
    reasons_given = rows(repo.count_reasons_given, repo.blank_reasons_given, *mine)
    received = rows(repo.count_received_left, repo.blank_received, *mine)
    revocations = rows(repo.count_revocation_reasons, repo.blank_revocation_reasons, *mine)
    revision_notes = rows(repo.count_revision_notes, repo.blank_revision_notes, *mine)
    invites = rows(repo.count_invite_dms, repo.forget_invite_dms, *mine)
    owed = rows(outbox_repo.count_owed_to, outbox_repo.drop_owed_to, *mine)
    profile = int(repo.profile_left(member, grave))
    if apply:
        if profile:
            profile = repo.forget_profile(session, member_id, grave)
        session.flush()
    return ForgetReport(
        user_id=user_id,
        tombstone=grave,
        profile=profile,
        story_texts=story_texts,
        kudos_reasons_given=reasons_given,
        kudos_received=received,
        revocation_reasons=revocations,
        texts_naming_them=len(texts),
        audit_entries=len(audit),
        pulse_invites=invites,
        job_deliveries=job_deliveries,
        installations=installations,
        kept=kept,
        owed_messages=owed,
        revision_notes=revision_notes,
    )


def _rewrites(
    session: Session, workspace_id: int, member_id: int, user_id: str, grave: str
) -> tuple[list[repo.TextRow], list[tuple[int, dict[str, Any]]]]:
    """Other people's texts and the audit details that name `user_id`, as they will be
    once it is replaced (nothing for a member already forgotten)."""
    if is_tombstone(user_id):
        return [], []
    pattern = _user_pattern(user_id)
    texts: list[repo.TextRow] = []
    for row in repo.texts_containing(session, workspace_id, user_id, member_id):
        changed = {
            name: pattern.sub(MENTION_PLACEHOLDER, text)
            for name, text in row.texts.items()
            if pattern.search(text)
        }
        if changed:
            texts.append(repo.TextRow(row.model, row.id, changed))
    audit: list[tuple[int, dict[str, Any]]] = []
    for entry in repo.audit_naming(session, workspace_id, user_id):
        detail = _replace_in_json(entry.detail, pattern, grave)
        if detail != entry.detail:
            audit.append((entry.id, detail))
    return texts, audit


def _replace_in_json(value: Any, pattern: re.Pattern[str], replacement: str) -> Any:
    if isinstance(value, str):
        return pattern.sub(replacement, value)
    if isinstance(value, list):
        return [_replace_in_json(item, pattern, replacement) for item in value]
    if isinstance(value, dict):
        return {
            _replace_in_json(key, pattern, replacement): _replace_in_json(
                item, pattern, replacement
            )
            for key, item in value.items()
        }
    return value


def _n(count: int, one: str, other: str) -> str:
    return f"{count} {one if count == 1 else other}"


def _plural(count: int, word: str) -> str:
    return word if count == 1 else f"{word}s"
