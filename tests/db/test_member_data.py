"""A person's data rights: `motbot export member` holds everything stored about them, and
`motbot forget member` erases it while every figure of the workspace stays right.

One workspace (T0DATA) where Alice wrote a story, is told of in Bob's, tagged and backed
Carol's, gave and received kudos, revoked an entry as an admin, revised the policy behind
Carol's story as a leader (and is named in the note of another leader's revision of Bob's),
answered a pulse round, received scheduled messages, is named in the audit log and
installed the app; a second workspace (T0OTHER) has a member with Alice's user id, which
nothing here may touch.
"""

from __future__ import annotations

import json
import logging
import re
import sys
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import JSON, String, Text, insert, select, update

from bot.cli import main
from bot.db.base import Base
from bot.db.engine import unit_of_work
from bot.db.models import (
    AuditEntry,
    JobDelivery,
    Kudos,
    KudosPair,
    KudosReversal,
    Member,
    MemberTotals,
    PolicyArea,
    PolicyRevision,
    PulseComment,
    PulseInvite,
    Story,
    StoryPerson,
)
from bot.db.models.slack_oauth import slack_installations
from bot.db.repositories import culture_pulse
from bot.db.repositories import jobs as jobs_repo
from bot.db.repositories import member_data as member_repo
from bot.db.repositories import totals as totals_repo
from bot.domain.ballots import ballot_check, new_ballot
from bot.domain.directory import Profile, WorkspaceDefaults, register_requester
from bot.domain.errors import DomainError
from bot.domain.kudos import KudosRequest, give_kudos, revoke_kudos
from bot.domain.leaderboard import Period, _ledger_leaderboard, leaderboard
from bot.domain.member_data import (
    MENTION_PLACEHOLDER,
    NOT_PERSONAL_COLUMNS,
    PERSONAL_COLUMNS,
    export_json,
    find_member,
    forget_member,
    forget_plan,
    member_export,
)
from bot.domain.policy_areas import add_area
from bot.domain.policy_signals import SignalCounts, policy_signals, revise_policy, signal_counts
from bot.domain.pulse import (
    close_round,
    complete_invite,
    open_round,
    record_answer,
    record_comment,
    record_invite,
)
from bot.domain.pulse_results import round_results
from bot.domain.roles import set_role_source
from bot.domain.stories import StoryDraft, attach_card, back_story, share_story, tag_story
from bot.domain.workspace_admin import sync_role_group
from tests.support.pulse_rounds import KEY, NOW, add_team, respondent
from tests.support.units import configure, count, run

TEAM, OTHER = "T0DATA", "T0OTHER"
ALICE, BOB, CAROL, LEAD, ADMIN = "U0ALICE01", "U0BOB0001", "U0CAROL01", "U0LEAD01", "U0ADMIN01"
DEFAULTS = WorkspaceDefaults(
    stories_channel="C0STORIES",
    leaders=(LEAD, ALICE),
    admins=(ADMIN, ALICE),
    hr_users=(ALICE,),
)
ALICE_PROFILE = {
    "display_name": "alice",
    "real_name": "Alice Lindqvist 李娜",
    "tz": "Europe/Stockholm",
    "locale": "zh-CN",
}
ALICE_STORY = StoryDraft(
    people=(ALICE, BOB),
    touchpoint="phone",
    customer_need="A family stranded in Copenhagen 哥本哈根",
    action_taken="Rebooked them and called the hotel myself",
    outcome="They made the wedding",
    went_wrong="We had cancelled their connection",
    rule_bent="Rebookings go through the transfer desk",
    decided_on_spot=True,
    value_tags=("customer-first",),
    source_channel_id="D0ALICEBOB",
    source_message_ts="1700000000.000100",
)
BOB_STORY = StoryDraft(
    people=(ALICE, CAROL),
    touchpoint="chat",
    customer_need="A refund stuck for weeks",
    action_taken=f"Worked with <@{ALICE}|alice> on the refund",
    outcome="Refunded the same day",
    decided_on_spot=True,
    rule_bent=f"Refunds over 100 need <@{ALICE}>'s sign-off",
)
CAROL_STORY = StoryDraft(
    people=(),
    touchpoint="in_person",
    customer_need="A lost bag",
    action_taken="Found it at the gate",
    outcome="Happy passenger",
    decided_on_spot=True,
    rule_bent="Lost bags are the baggage office's",
)
ALICE_NOTE = "Gate staff 登机口 may hand a found bag over themselves"
LEAD_NOTE = f"Asked <@{ALICE}|alice>: the desk may refund up to 300"
# Everything that would tell who Alice was, as motbot stored it.
ALICE_TRACES = (
    ALICE,
    "Lindqvist",
    "李娜",
    "Europe/Stockholm",
    "哥本哈根",
    "Rebooked them",
    "covering my shift",
    "Great call on the refund",
    "Calm with the angry customer",
    "Points swapped by mistake",
    "transfer desk",
    "登机口",
    "D0ALICE",
    "xoxp-alice-secret",
)
_keys = iter(range(1, 10_000))


def member(sessions, user_id, team=TEAM, **profile):
    with unit_of_work(sessions) as session:
        return register_requester(session, team, Profile(user_id, **profile), DEFAULTS, NOW)


def give(sessions, giver, recipient, reason, tags=()):
    request = KudosRequest((recipient,), reason, tags, None, f"cmd:{next(_keys)}")
    run(sessions, give_kudos, giver, request, NOW)


def entry_id(sessions, giver, recipient):
    with sessions() as session:
        return session.scalar(
            select(Kudos.id).where(
                Kudos.giver_id == giver.member_id,
                Kudos.recipient_id == recipient.member_id,
                Kudos.kind == "kudos",
            )
        )


@dataclass
class World:
    workspace_id: int
    other_workspace_id: int
    alice: object
    bob: object
    carol: object
    leader: object
    admin: object
    other_alice: object
    alice_story: int
    bob_story: int
    carol_story: int
    pulse: object
    alice_revision: int
    lead_revision: int


@pytest.fixture
def world(sessions) -> World:
    alice = member(sessions, ALICE, **ALICE_PROFILE)
    bob, carol = member(sessions, BOB, display_name="bob"), member(sessions, CAROL)
    leader, admin = member(sessions, LEAD), member(sessions, ADMIN)
    workspace_id = alice.workspace_id
    configure(sessions, workspace_id, pulse_min_group=3)
    gate = add_team(sessions, workspace_id, "Gate")
    with unit_of_work(sessions) as session:
        session.execute(update(Member).where(Member.id == alice.member_id).values(team_id=gate))

    # Stories: Alice's own (about her and Bob), Bob's about her and Carol, Carol's; each
    # decided on the spot beyond a rule (Alice's names no area).
    refunds = run(sessions, add_area, admin, "Refunds", NOW)
    baggage = run(sessions, add_area, admin, "Baggage", NOW)
    area_ids = area_ids_by_name(sessions, workspace_id)
    assert (refunds.changed, baggage.changed) == (True, True)
    alice_story = run(sessions, share_story, alice, ALICE_STORY, NOW).id
    run(sessions, attach_card, workspace_id, alice_story, "C0STORIES", "1700000001.000100")
    bob_draft = replace(BOB_STORY, policy_area_id=area_ids["Refunds"])
    bob_story = run(sessions, share_story, bob, bob_draft, NOW).id
    carol_draft = replace(CAROL_STORY, policy_area_id=area_ids["Baggage"])
    carol_story = run(sessions, share_story, carol, carol_draft, NOW).id
    run(sessions, tag_story, carol, alice_story, "button", NOW)
    run(sessions, tag_story, leader, bob_story, "reaction", NOW)
    run(sessions, tag_story, alice, carol_story, "button", NOW)
    run(sessions, back_story, leader, alice_story, NOW)
    run(sessions, back_story, alice, carol_story, NOW)

    # Policy revisions: hers closes Carol's signal; the leader's, naming her, closes Bob's.
    alice_revision = run(
        sessions, revise_policy, alice, area_ids["Baggage"], ALICE_NOTE, NOW, NOW
    ).revision_id
    lead_revision = run(
        sessions, revise_policy, leader, area_ids["Refunds"], LEAD_NOTE, NOW, NOW
    ).revision_id

    # Kudos: given, received, between others naming her; revocations by and about her.
    give(sessions, alice, BOB, "Thanks for covering my shift", tags=("teamwork",))
    give(sessions, bob, ALICE, "Great call on the refund")
    give(sessions, carol, ALICE, "Calm with the angry customer")
    give(sessions, bob, CAROL, f"Helped {ALICE} with the queue")
    give(sessions, leader, CAROL, "Stayed late for the last flight")
    run(
        sessions,
        revoke_kudos,
        admin,
        entry_id(sessions, carol, alice),
        f"Duplicate of <@{ALICE}>'s other kudos",
        NOW,
    )
    run(
        sessions,
        revoke_kudos,
        alice,
        entry_id(sessions, leader, carol),
        "Points swapped by mistake",
        NOW,
    )

    # The pulse: Alice answers everything and comments; five others answer, one names her.
    pulse = run(sessions, open_round, workspace_id, "2026-W48", NOW)
    dm, ts = "D0ALICE", "1700000002.000100"
    secret = new_ballot()
    check = ballot_check(KEY, secret)
    run(sessions, record_invite, workspace_id, pulse.id, alice.member_id, dm, ts, check)
    for question in pulse.questions:
        run(sessions, record_answer, alice, pulse.id, question.id, 4, secret, KEY, NOW)
    run(sessions, complete_invite, alice, pulse.id)
    run(sessions, record_comment, alice, pulse.id, "More time for training", secret, KEY, NOW)
    respondent(sessions, pulse, gate, [5, 4, 4, 5], comment=f"<@{ALICE}> always helps")
    respondent(sessions, pulse, gate, [3, 4, 2, 2])
    respondent(sessions, pulse, gate, [2, 2, 3, 3])
    respondent(sessions, pulse, None, [5, 5, 5, 5])
    respondent(sessions, pulse, None, [1, 2, 3, 4], comment="Too many meetings")
    respondent(sessions, pulse, None, [])
    run(sessions, close_round, workspace_id, pulse.id, pulse.closes_at, KEY)

    # Scheduled messages: a sent digest, a reminder still pending; the audit log; the app.
    with unit_of_work(sessions) as session:
        digest = jobs_repo.ensure_run(session, workspace_id, "digest", "2026-W48")
        jobs_repo.add_recipients(session, workspace_id, digest, [ALICE, BOB], NOW)
        for delivery in session.scalars(
            select(JobDelivery).where(JobDelivery.job_run_id == digest)
        ):
            jobs_repo.claim(session, delivery.id, NOW)
            jobs_repo.mark_sent(session, delivery.id, f"D0{delivery.recipient}", "1.0", NOW)
        remind = jobs_repo.ensure_run(session, workspace_id, "pulse-remind", "2026-W48")
        jobs_repo.add_recipients(session, workspace_id, remind, [ALICE, BOB], NOW)
        session.add_all(
            [
                AuditEntry(
                    workspace_id=workspace_id,
                    actor_id=admin.member_id,
                    action="roles.leader.add",
                    detail={"user": ALICE, "note": f"asked by <@{ALICE}|alice>", "by": ADMIN},
                    created_at=NOW,
                ),
                AuditEntry(
                    workspace_id=workspace_id,
                    actor_id=alice.member_id,
                    action="settings.channel",
                    detail={"stories": "C0STORIES"},
                    created_at=NOW,
                ),
            ]
        )
        session.execute(
            insert(slack_installations).values(
                client_id="111.222",
                app_id="A0MOTBOT",
                team_id=TEAM,
                user_id=ALICE,
                bot_token="xoxb-the-bot",
                bot_user_id="U0MOTBOT",
                user_token="xoxp-alice-secret",
                user_scopes="users:read",
                is_enterprise_install=False,
                installed_at=datetime(2026, 11, 1, 9, 0),
            )
        )

    # The other workspace: someone with the same user id, a story and kudos.
    other_alice = member(sessions, ALICE, team=OTHER, **ALICE_PROFILE)
    other_bob = member(sessions, BOB, team=OTHER)
    run(sessions, share_story, other_alice, replace(ALICE_STORY, people=()), NOW)
    give(sessions, other_bob, ALICE, "Great call on the refund")
    return World(
        workspace_id,
        other_alice.workspace_id,
        alice,
        bob,
        carol,
        leader,
        admin,
        other_alice,
        alice_story,
        bob_story,
        carol_story,
        pulse,
        alice_revision,
        lead_revision,
    )


def area_ids_by_name(sessions, workspace_id) -> dict[str, int]:
    with sessions() as session:
        return {
            area.name: area.id
            for area in session.scalars(
                select(PolicyArea).where(PolicyArea.workspace_id == workspace_id)
            )
        }


def target(sessions, user_id=ALICE, team=TEAM):
    with sessions() as session:
        return find_member(session, team, user_id)


def exported(sessions, user_id=ALICE, team=TEAM):
    with sessions() as session:
        return member_export(session, find_member(session, team, user_id), NOW)


def forget(sessions, user_id=ALICE, team=TEAM):
    return run(sessions, forget_member, target(sessions, user_id, team))


# --- every column keyed to a person is handled ----------------------------------------


_USERISH = re.compile(r"user|recipient|slack|channel|owner|member")


def columns_about_people() -> set[str]:
    """Columns a person's data can be in: foreign keys to members, free text and JSON, and
    strings whose name speaks of users, recipients, channels or Slack ids."""
    found = set()
    for table in Base.metadata.sorted_tables:
        for column in table.columns:
            to_members = any(fk.column.table.name == "members" for fk in column.foreign_keys)
            free = isinstance(column.type, Text | JSON)
            named = isinstance(column.type, String) and _USERISH.search(column.name)
            if to_members or free or named:
                found.add(f"{table.name}.{column.name}")
    return found


def test_every_column_about_a_person_is_covered_by_export_and_forget():
    missing = columns_about_people() - set(PERSONAL_COLUMNS) - set(NOT_PERSONAL_COLUMNS)

    assert missing == set(), (
        "A column can hold a person's data: say in bot/domain/member_data.py how "
        "`export member` and `forget member` handle it (PERSONAL_COLUMNS), or why it is not "
        "personal (NOT_PERSONAL_COLUMNS)."
    )


def test_every_member_foreign_key_is_in_the_list():
    to_members = {
        f"{table.name}.{column.name}"
        for table in Base.metadata.sorted_tables
        for column in table.columns
        if any(fk.column.table.name == "members" for fk in column.foreign_keys)
    }

    assert to_members <= set(PERSONAL_COLUMNS)
    assert "stories.author_id" in to_members  # the detector itself works


def test_the_lists_name_real_columns_only():
    real = {
        f"{table.name}.{column.name}"
        for table in Base.metadata.sorted_tables
        for column in table.columns
    }

    assert set(PERSONAL_COLUMNS) - real == set()
    assert set(NOT_PERSONAL_COLUMNS) - real == set()
    assert set(PERSONAL_COLUMNS) & set(NOT_PERSONAL_COLUMNS) == set()


def test_every_listed_export_section_is_in_the_export(sessions, world):
    document = exported(sessions)

    for column, handling in PERSONAL_COLUMNS.items():
        node = document
        for key in handling.export.split("."):
            assert key in node, f"{column}: {handling.export}"
            node = node[key]


# --- export ---------------------------------------------------------------------------


def test_the_export_holds_the_member_row(sessions, world):
    document = exported(sessions)

    assert document["format"] == "motbot.member-export"
    assert document["workspace"]["team_id"] == TEAM
    assert document["member"] == {
        "user_id": ALICE,
        "forgotten": False,
        "display_name": "alice",
        "real_name": "Alice Lindqvist 李娜",
        "time_zone": "Europe/Stockholm",
        "locale": "zh-CN",
        "team": "Gate",
        "roles": {
            "admin": True,
            "leader": True,
            "leader_named": True,
            "leader_from_user_group": False,
            "hr": True,
            "hr_named": True,
            "hr_from_user_group": False,
        },
        "is_bot": False,
        "is_guest": False,
        "is_active": True,
        "leaderboard_opt_out": False,
        "synced_at": NOW.isoformat(),
        "created_at": document["member"]["created_at"],
    }
    assert document["totals"]["all_time"] == {
        "points_received": 3,  # Carol's and the leader's tags, Bob's kudos (Carol's revoked)
        "distinct_givers": 3,
        "kudos_given": 1,
        "distinct_kudos_recipients": 1,
        "stories": 1,
        "story_tags": 1,
    }


def test_the_export_holds_the_stories_written_and_told_of_with_their_texts(sessions, world):
    stories = exported(sessions)["stories"]

    [written] = stories["written"]
    assert written["id"] == world.alice_story
    assert (written["author"], written["people"]) == (ALICE, [ALICE, BOB])
    assert written["customer_need"] == ALICE_STORY.customer_need
    assert (written["is_recovery"], written["went_wrong"]) == (True, ALICE_STORY.went_wrong)
    assert (written["raises_policy_signal"], written["rule_bent"]) == (True, ALICE_STORY.rule_bent)
    assert (written["policy_area"], written["policy_revised"]) == (None, False)
    assert written["action_taken"] == ALICE_STORY.action_taken
    assert written["outcome"] == ALICE_STORY.outcome
    assert written["values"] == ["customer-first"]
    assert (written["tags"], written["backed_by"]) == (1, [LEAD])
    assert written["card"] == {"channel_id": "C0STORIES", "message_ts": "1700000001.000100"}
    assert written["shared_from"] == {
        "channel_id": "D0ALICEBOB",
        "message_ts": "1700000000.000100",
    }
    [told_of] = stories["told_of"]
    assert (told_of["id"], told_of["author"]) == (world.bob_story, BOB)
    assert told_of["action_taken"] == BOB_STORY.action_taken


def test_the_export_holds_tags_backings_kudos_and_revocations(sessions, world):
    document = exported(sessions)
    kudos = document["kudos"]

    assert [tag["story_id"] for tag in document["story_tags_given"]] == [world.carol_story]
    assert [b["story_id"] for b in document["story_backings_given"]] == [world.carol_story]
    given = [(e["to"], e["kind"], e["points"], e["reason"]) for e in kudos["given"]]
    assert given == [(CAROL, "tag", 1, ""), (BOB, "kudos", 1, "Thanks for covering my shift")]
    assert kudos["given"][1]["values"] == ["teamwork"]
    received = {(e["from"], e["kind"]): e for e in kudos["received"]}
    assert set(received) == {(CAROL, "tag"), (LEAD, "tag"), (BOB, "kudos"), (CAROL, "kudos")}
    assert received[(BOB, "kudos")]["reason"] == "Great call on the refund"
    assert received[(BOB, "kudos")]["reversed"] is None
    assert received[(CAROL, "kudos")]["reversed"] == {
        "cause": "revoked",
        "reason": f"Duplicate of <@{ALICE}>'s other kudos",
        "by": ADMIN,
        "at": NOW.isoformat(),
    }
    [revocation] = kudos["revocations_made"]
    assert (revocation["from"], revocation["to"], revocation["reason"]) == (
        LEAD,
        CAROL,
        "Points swapped by mistake",
    )


def test_the_export_lists_pulse_invites_but_no_answer_and_says_why(sessions, world):
    document = exported(sessions)
    text = json.dumps(document, ensure_ascii=False)

    assert document["pulse"]["invites"] == [
        {
            "round": "2026-W48",
            "status": "completed",
            "reminded": False,
            "dm": {"channel_id": "D0ALICE", "message_ts": "1700000002.000100"},
        }
    ]
    note = document["pulse"]["note"]
    assert "without any link to a person" in note and "/mot privacy" in note
    assert "More time for training" not in text  # her own comment: not findable
    assert "always helps" not in text  # someone else's comment about her: not hers
    assert "response_key" not in text


def test_the_export_holds_audit_entries_deliveries_and_installs(sessions, world):
    document = exported(sessions)

    assert [e["action"] for e in document["audit_log"]["as_actor"]] == ["settings.channel"]
    [naming] = document["audit_log"]["naming_them"]
    assert (naming["actor"], naming["action"]) == (ADMIN, "roles.leader.add")
    deliveries = {(d["job"], d["status"]): d for d in document["job_deliveries"]}
    assert set(deliveries) == {("digest", "sent"), ("pulse-remind", "pending")}
    assert deliveries[("digest", "sent")]["dm"] == {"channel_id": f"D0{ALICE}", "message_ts": "1.0"}
    [install] = document["slack_installations"]
    assert install["app_id"] == "A0MOTBOT" and install["user_token_stored"] is True
    assert "xoxp-alice-secret" not in json.dumps(document)  # tokens are never exported
    assert "xoxb-the-bot" not in json.dumps(document)


def test_the_export_holds_the_rules_named_and_the_policy_revisions_she_made(sessions, world):
    document = exported(sessions)

    [written] = document["stories"]["written"]
    assert written["rule_bent"] == ALICE_STORY.rule_bent
    [told_of] = document["stories"]["told_of"]  # Bob's, closed by the leader's revision
    assert (told_of["rule_bent"], told_of["policy_area"]) == (BOB_STORY.rule_bent, "Refunds")
    assert told_of["raises_policy_signal"] and told_of["policy_revised"]
    # Hers only: the leader's revision names her in its note, but it is his.
    assert document["policy_revisions_made"] == [
        {
            "id": world.alice_revision,
            "area": "Baggage",
            "note": ALICE_NOTE,
            "created_at": NOW.isoformat(),
        }
    ]
    assert LEAD_NOTE not in json.dumps(document, ensure_ascii=False)
    assert exported(sessions, LEAD)["policy_revisions_made"][0]["note"] == LEAD_NOTE


def test_the_export_is_per_workspace(sessions, world):
    document = exported(sessions, team=OTHER)

    assert document["workspace"]["team_id"] == OTHER
    assert len(document["stories"]["written"]) == 1
    assert document["stories"]["told_of"] == []
    assert [e["from"] for e in document["kudos"]["received"]] == [BOB]
    assert document["pulse"]["invites"] == [] and document["job_deliveries"] == []


def test_the_json_is_utf8_indented_and_not_ascii_escaped(sessions, world):
    with sessions() as session:
        text = export_json(session, target(sessions), NOW)

    assert "李娜" in text and "\\u" not in text
    assert text.startswith('{\n  "format"') and text.endswith("}\n")
    assert json.loads(text)["member"]["user_id"] == ALICE


def test_an_unknown_member_or_workspace_is_refused(sessions, world):
    for team, user_id, key in [
        (TEAM, "U0NOBODY1", "member_data.unknown_member"),
        (TEAM, "", "member_data.unknown_member"),
        ("T0NOPE", ALICE, "hr_summary.export.unknown_workspace"),
        (None, ALICE, "hr_summary.export.choose_workspace"),
    ]:
        with pytest.raises(DomainError) as refused, sessions() as session:
            find_member(session, team, user_id)
        assert refused.value.key == key


# --- forget ---------------------------------------------------------------------------


def strings_in_rows(engine, skip_workspace_id: int, skip_team: str) -> list[tuple[str, str]]:
    """(table, text of a row) of every row of every table, but the skipped workspace's."""
    rows = []
    with engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            for row in connection.execute(table.select()).mappings():
                if row.get("workspace_id") == skip_workspace_id or row.get("team_id") == skip_team:
                    continue
                rows.append((table.name, json.dumps(dict(row), default=str, ensure_ascii=False)))
    return rows


def test_forgetting_leaves_no_trace_of_who_they_were(sessions, engine, world):
    before = strings_in_rows(engine, world.other_workspace_id, OTHER)
    assert {trace for trace in ALICE_TRACES if any(trace in row for _, row in before)} == set(
        ALICE_TRACES
    )  # the traces are all there to begin with

    report = forget(sessions)

    after = strings_in_rows(engine, world.other_workspace_id, OTHER)
    left = [(table, trace) for trace in ALICE_TRACES for table, row in after if trace in row]
    assert left == []
    grave = f"forgotten-{world.alice.member_id}"
    assert report.tombstone == grave and report.user_id == ALICE
    with sessions() as session:
        row = session.get(Member, world.alice.member_id)
        assert (row.slack_user_id, row.display_name, row.real_name) == (grave, "", "")
        assert (row.tz, row.locale, row.synced_at) == (None, None, None)
        assert not (row.is_admin or row.is_leader or row.is_hr or row.is_active)
        assert row.leaderboard_opt_out
        story = session.get(Story, world.alice_story)
        assert (story.customer_need, story.action_taken, story.outcome) == ("", "", "")
        assert story.went_wrong == "" and story.is_recovery, "still counts as a recovery"
        assert story.rule_bent == "" and story.raises_policy_signal, "still raises its signal"
        assert story.decided_on_spot and story.touchpoint == "phone"
        assert (story.channel_id, story.message_ts) == ("C0STORIES", "1700000001.000100")
        assert session.get(Story, world.bob_story).action_taken == (
            f"Worked with {MENTION_PLACEHOLDER} on the refund"
        )
        reasons = set(session.scalars(select(Kudos.reason)))
        assert f"Helped {MENTION_PLACEHOLDER} with the queue" in reasons
        assert "Stayed late for the last flight" in reasons  # between others, not naming her
        keys = session.scalars(
            select(Kudos.source_key).where(Kudos.recipient_id == world.alice.member_id)
        ).all()
        assert keys and all(key.startswith("forgotten:") for key in keys)
        assert f"Duplicate of {MENTION_PLACEHOLDER}'s other kudos" in set(
            session.scalars(select(KudosReversal.reason))
        )
        comments = set(session.scalars(select(PulseComment.text)))
        assert comments == {
            f"{MENTION_PLACEHOLDER} always helps",
            "Too many meetings",
            "More time for training",  # hers, anonymous: nobody can find it (by design)
        }
        invite = session.scalar(
            select(PulseInvite).where(PulseInvite.member_id == world.alice.member_id)
        )
        assert (invite.status, invite.channel_id, invite.message_ts) == ("completed", None, None)
        deliveries = session.scalars(
            select(JobDelivery).where(JobDelivery.recipient == grave).order_by(JobDelivery.id)
        ).all()
        assert [d.status for d in deliveries] == ["sent", "dropped"]
        assert all(d.channel_id is None and d.message_ts is None for d in deliveries)
        audit = session.scalars(
            select(AuditEntry)
            .where(~AuditEntry.action.startswith("policies."))  # the admin adding areas
            .order_by(AuditEntry.id)
        ).all()
        assert audit[0].detail == {"user": grave, "note": f"asked by {grave}", "by": ADMIN}
        assert audit[1].actor_id == world.alice.member_id
        install = session.execute(select(slack_installations)).mappings().one()
        assert (install["user_id"], install["user_token"], install["user_scopes"]) == (
            grave,
            None,
            None,
        )
        assert install["bot_token"] == "xoxb-the-bot"  # the workspace's bot keeps working


def test_forgetting_empties_her_rules_and_notes_and_every_signal_stays_as_it_was(sessions, world):
    forget(sessions)

    with sessions() as session:
        own = session.get(Story, world.alice_story)
        assert (own.rule_bent, own.raises_policy_signal, own.policy_revision_id) == ("", True, None)
        bob_story = session.get(Story, world.bob_story)
        assert bob_story.rule_bent == f"Refunds over 100 need {MENTION_PLACEHOLDER}'s sign-off"
        assert bob_story.policy_revision_id == world.lead_revision
        # Her revision stays, without its note: Carol's signal stays closed by it.
        hers = session.get(PolicyRevision, world.alice_revision)
        assert (hers.note, hers.leader_id) == ("", world.alice.member_id)
        assert session.get(Story, world.carol_story).policy_revision_id == world.alice_revision
        theirs = session.get(PolicyRevision, world.lead_revision)
        assert theirs.note == f"Asked {MENTION_PLACEHOLDER}: the desk may refund up to 300"
        shown = policy_signals(session, world.workspace_id, LATER)
    assert [(s.area_id, s.open_count) for s in shown.signals] == [(None, 1)]
    assert shown.signals[0].stories[0].rule_bent == ""
    remains = exported(sessions, f"forgotten-{world.alice.member_id}")
    assert [r["note"] for r in remains["policy_revisions_made"]] == [""]
    assert exported(sessions, CAROL)["stories"]["written"][0]["rule_bent"] == CAROL_STORY.rule_bent


def snapshot(sessions, world):
    """Every figure that must not move when a person is forgotten."""
    with sessions() as session:
        totals = sorted(tuple(row) for row in session.execute(select(MemberTotals.__table__)))
        pairs = sorted(tuple(row) for row in session.execute(select(KudosPair.__table__)))
        ledger = sorted(
            (row.id, row.giver_id, row.recipient_id, row.kind, row.points, row.story_id)
            for row in session.scalars(select(Kudos))
        )
        reversals = sorted(
            (row.kudos_id, row.cause, row.reversed_by_id)
            for row in session.scalars(select(KudosReversal))
        )
        people = sorted(
            (row.story_id, row.member_id) for row in session.scalars(select(StoryPerson))
        )
        results = round_results(session, world.workspace_id, world.pulse.id)
        signals = signal_counts(
            session,
            world.workspace_id,
            datetime(2026, 1, 1, tzinfo=UTC),
            datetime(2027, 1, 1, tzinfo=UTC),
        )
        signal_stories = sorted(
            (row.id, row.raises_policy_signal, row.policy_area_id, row.policy_revision_id)
            for row in session.scalars(select(Story))
        )
        revisions = sorted(
            (row.id, row.policy_area_id, row.leader_id, row.created_at)
            for row in session.scalars(select(PolicyRevision))
        )
        open_signals = [
            (signal.area_id, signal.open_count, [story.story_id for story in signal.stories])
            for signal in policy_signals(session, world.workspace_id, LATER).signals
        ]
        counts = culture_pulse.recognition_counts(
            session,
            world.workspace_id,
            datetime(2026, 1, 1, tzinfo=UTC),
            datetime(2027, 1, 1, tzinfo=UTC),
        )
    return {
        "totals": totals,
        "pairs": pairs,
        "ledger": ledger,
        "reversals": reversals,
        "story people": people,
        "recognition": counts,
        "pulse": replace(results, comments=None),
        "pulse comments": len(results.comments or ()),
        "policy signals": signals,
        "signal stories": signal_stories,
        "policy revisions": revisions,
        "open signals": open_signals,
    }


LATER = NOW + timedelta(hours=1)  # boards end before their `now`


def boards(session, workspace_id):
    return [
        board(session, workspace_id, period, LATER, "UTC", 100)
        for period in (Period.WEEK, Period.ALL)
        for board in (leaderboard, _ledger_leaderboard)
    ]


def boards_without(sessions, world, member_id):
    """The boards as they would be if the member had left Slack (deactivated)."""
    with sessions() as session:
        session.execute(update(Member).where(Member.id == member_id).values(is_active=False))
        found = boards(session, world.workspace_id)
        session.rollback()
    return found


def test_forgetting_keeps_every_figure(sessions, world):
    before = snapshot(sessions, world)
    expected_boards = boards_without(sessions, world, world.alice.member_id)
    with sessions() as session:
        full_boards = boards(session, world.workspace_id)
    assert any(p.user_id == ALICE for p in full_boards[2].recognised)

    forget(sessions)

    after = snapshot(sessions, world)
    assert after == before
    assert after["policy signals"] == SignalCounts(raised=3, closed=2, still_open=1)
    assert (after["pulse"].responded, after["pulse"].invited) == (6, 7)
    with sessions() as session:
        found = boards(session, world.workspace_id)
    # Exactly as if she had left Slack: off the boards, everyone else where they were.
    assert found == expected_boards
    for full, now in zip(full_boards, found, strict=True):
        assert [(p.user_id, p.points, p.givers) for p in full.recognised if p.user_id != ALICE] == [
            (p.user_id, p.points, p.givers) for p in now.recognised
        ]

    # The totals still equal what the ledger says (a rebuild leaves out all-zero rows).
    def nonzero(session):
        rows = session.execute(select(MemberTotals.__table__))
        return sorted(tuple(row) for row in rows if any(row[2:]))

    with sessions() as session:
        stored = nonzero(session)
        totals_repo.rebuild(session)
        rebuilt = nonzero(session)
        session.rollback()
    assert stored == rebuilt


def test_forgetting_leaves_everyone_else_alone(sessions, world):
    bob_before = exported(sessions, BOB)
    other_before = exported(sessions, ALICE, OTHER)

    forget(sessions)

    bob_after = exported(sessions, BOB)
    assert exported(sessions, ALICE, OTHER) == other_before  # her user id, another workspace
    assert bob_after["member"] == bob_before["member"]
    assert bob_after["totals"]["all_time"] == bob_before["totals"]["all_time"]
    assert bob_after["stories"]["written"][0]["customer_need"] == BOB_STORY.customer_need
    # What Bob gave: to her, without reason now; to others, as written (her id replaced).
    assert [(e["points"], e["reason"]) for e in bob_after["kudos"]["given"]] == [
        (e["points"], "" if e["to"] == ALICE else e["reason"].replace(ALICE, MENTION_PLACEHOLDER))
        for e in bob_before["kudos"]["given"]
    ]
    # What Bob received: from her, without reason and from her tombstone; the rest as it was.
    grave = f"forgotten-{world.alice.member_id}"
    assert bob_after["kudos"]["received"] == [
        {**e, "from": grave, "reason": ""} if e["from"] == ALICE else e
        for e in bob_before["kudos"]["received"]
    ]
    assert exported(sessions, CAROL)["stories"]["written"][0]["action_taken"] == (
        CAROL_STORY.action_taken
    )


def test_the_plan_counts_exactly_what_forgetting_changes(sessions, world):
    with sessions() as session:
        plan = forget_plan(session, target(sessions))

    done = forget(sessions)

    assert done == plan
    assert (plan.profile, plan.story_texts, plan.kudos_reasons_given) == (1, 1, 1)
    assert plan.kudos_received == 4  # two tags and two kudos, their keys name her
    assert (plan.revocation_reasons, plan.audit_entries, plan.installations) == (1, 1, 1)
    # Bob's story (its texts and its rule), a reason, a revocation, the leader's note, a comment
    assert plan.texts_naming_them == 5
    assert (plan.pulse_invites, plan.job_deliveries) == (1, 2)
    # The DMs of her two kudos and of the leader's revision of Bob's story, never sent here
    assert plan.owed_messages == 3
    assert plan.revision_notes == 1
    assert plan.kept.entries_received == 4 and plan.kept.stories_told_of == 1
    assert plan.kept.policy_revisions == 1
    assert len(plan.lines()) == 12  # one line per kind of change, every kind is there
    assert plan.kept_line().startswith(f"Kept, linked only to {plan.tombstone}: ")


def test_forgetting_twice_changes_nothing_more(sessions, engine, world):
    first = forget(sessions)
    rows = strings_in_rows(engine, -1, "")

    grave = target(sessions, first.tombstone)
    with sessions() as session:
        again = forget_plan(session, grave)
    assert again.nothing_left and again.changes == 0
    assert run(sessions, forget_member, grave).changes == 0
    assert strings_in_rows(engine, -1, "") == rows
    # Her Slack user id names nobody any more.
    with pytest.raises(DomainError) as refused:
        target(sessions)
    assert refused.value.key == "member_data.unknown_member"
    exported_again = exported(sessions, first.tombstone)
    assert exported_again["member"]["forgotten"] is True
    assert exported_again["member"]["display_name"] == ""


def test_the_same_person_coming_back_is_a_new_member(sessions, world):
    forget(sessions)

    again = member(sessions, ALICE, display_name="alice")

    assert again.member_id != world.alice.member_id
    document = exported(sessions)
    assert document["stories"]["written"] == [] and document["kudos"]["received"] == []
    assert document["totals"]["all_time"] is None


def test_forgetting_is_all_or_nothing(sessions, world, monkeypatch):
    def broken(*_args, **_kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(member_repo, "forget_profile", broken)  # the very last step
    with pytest.raises(RuntimeError):
        forget(sessions)

    with sessions() as session:
        assert session.get(Story, world.alice_story).outcome == ALICE_STORY.outcome
        assert session.get(Story, world.bob_story).action_taken == BOB_STORY.action_taken
    assert count(sessions, Kudos, Kudos.source_key.startswith("forgotten:")) == 0
    assert count(sessions, JobDelivery, JobDelivery.recipient == ALICE) == 2
    assert exported(sessions)["member"]["real_name"] == ALICE_PROFILE["real_name"]


# --- the commands -----------------------------------------------------------------------


@pytest.fixture
def quiet_logging():
    """`main` sets up logging for a process (a root handler on this test's captured stderr);
    put it back afterwards, so later tests' log capture is not disturbed."""
    root = logging.getLogger()
    names = ("sqlalchemy.engine", "alembic.runtime.plugins")
    saved = (root.level, list(root.handlers), {n: logging.getLogger(n).level for n in names})
    yield
    level, handlers, levels = saved
    root.handlers[:] = handlers
    root.setLevel(level)
    for name, named_level in levels.items():
        logging.getLogger(name).setLevel(named_level)


@pytest.fixture
def cli(engine, world, tmp_path, monkeypatch, quiet_logging):
    """The world's database as DATABASE_URL; the command runs from an empty folder."""
    work = tmp_path / "cwd"
    work.mkdir()
    monkeypatch.chdir(work)
    for name in ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    return world


def test_export_member_writes_json_to_stdout(cli, capsys):
    code = main(["export", "member", ALICE, "--workspace", TEAM])

    out, err = capsys.readouterr()
    assert code == 0, err
    document = json.loads(out)
    assert document["member"]["real_name"] == "Alice Lindqvist 李娜"
    assert "李娜" in out


def test_export_member_into_a_file_only_its_owner_can_read(cli, capsys, tmp_path):
    path = tmp_path / "alice.json"

    code = main(["export", "member", ALICE, "--workspace", TEAM, "--output", str(path)])

    out, err = capsys.readouterr()
    assert (code, out) == (0, ""), err
    assert json.loads(path.read_text(encoding="utf-8"))["member"]["user_id"] == ALICE
    if sys.platform != "win32":
        assert path.stat().st_mode & 0o077 == 0


@pytest.mark.parametrize("command", [["export"], ["forget", "--yes"]])
def test_an_unknown_user_is_refused_with_status_2(cli, capsys, command):
    code = main([command[0], "member", "U0NOBODY1", "--workspace", TEAM, *command[1:]])

    out, err = capsys.readouterr()
    assert code == 2
    assert "No member U0NOBODY1 in workspace T0DATA" in err
    assert "Traceback" not in err and out == ""


def test_the_workspace_must_be_named_when_there_are_several(cli, capsys):
    assert main(["export", "member", ALICE]) == 2
    assert "several workspaces (T0DATA, T0OTHER)" in capsys.readouterr().err


def test_forget_without_yes_out_of_a_terminal_shows_the_plan_and_refuses(cli, capsys, sessions):
    code = main(["forget", "member", ALICE, "--workspace", TEAM])

    out, err = capsys.readouterr()
    assert code == 2
    assert "motbot will forget U0ALICE01 in workspace T0DATA" in out
    assert "1 story they wrote: texts emptied" in out
    assert "--yes" in err and "nothing was changed" in err
    assert exported(sessions)["member"]["real_name"] == ALICE_PROFILE["real_name"]


class Terminal:
    def __init__(self, answer: str) -> None:
        self.answer = answer

    def isatty(self) -> bool:
        return True

    def readline(self) -> str:
        return self.answer


@pytest.mark.parametrize(("answer", "code"), [("yes\n", 0), ("no\n", 1), ("", 1)])
def test_forget_in_a_terminal_asks_first(cli, capsys, sessions, monkeypatch, answer, code):
    monkeypatch.setattr(sys, "stdin", Terminal(answer))

    assert main(["forget", "member", ALICE, "--workspace", TEAM]) == code

    out, _ = capsys.readouterr()
    assert "Type yes" in out
    forgotten = code == 0
    with sessions() as session:
        name = session.scalar(select(Member.real_name).where(Member.id == cli.alice.member_id))
    assert (name == "") is forgotten


def test_forget_with_yes_then_again(cli, capsys):
    assert main(["forget", "member", ALICE, "--workspace", TEAM, "--yes"]) == 0
    out, _ = capsys.readouterr()
    grave = f"forgotten-{cli.alice.member_id}"
    assert "forgot U0ALICE01 in workspace T0DATA" in out and grave in out

    # Her user id names nobody now; the tombstone has nothing left to forget.
    assert main(["forget", "member", ALICE, "--workspace", TEAM, "--yes"]) == 2
    assert "forgotten already" in capsys.readouterr().err
    assert main(["forget", "member", grave, "--workspace", TEAM]) == 0
    assert "nothing left to forget" in capsys.readouterr().out


def test_a_database_without_the_schema_is_reported(tmp_path, monkeypatch, capsys, quiet_logging):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'empty.db'}")

    code = main(["forget", "member", ALICE, "--yes"])

    assert code == 2
    err = capsys.readouterr().err
    assert "motbot migrate" in err and "Traceback" not in err


def test_a_forgotten_leader_gets_no_role_back_from_a_group_sync(sessions, world):
    """Named and in the leaders' user group: forgetting clears every source of the role,
    so the next sync of that group does not make the tombstone a leader again."""
    workspace_id = world.alice.workspace_id
    configure(sessions, workspace_id, leaders_usergroup_id="S0LEADERS")
    with unit_of_work(sessions) as session:
        set_role_source(
            session.get(Member, world.alice.member_id), "leader", named=True, via_group=True
        )

    forget(sessions)
    run(sessions, sync_role_group, workspace_id, "leader", "S0LEADERS", [BOB], NOW)

    with sessions() as session:
        row = session.get(Member, world.alice.member_id)
        assert not (row.is_leader or row.leader_named or row.leader_via_group)
        assert not (row.is_hr or row.hr_named or row.hr_via_group)
