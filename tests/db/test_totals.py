"""All-time totals: always what the ledger says, whatever happened, on SQLite and PostgreSQL.

`member_totals` and `kudos_pairs` are kept by the ledger writer. These tests drive the
domain functions (never the tables) and compare the totals with a recomputation from the
ledger, stories and tags done here in Python, and the all-time boards read from the
totals with the same boards computed from the ledger.
"""

from __future__ import annotations

import itertools
import random
import threading
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import insert, inspect, select, text, update

from bot.db.engine import make_engine, make_session_factory, unit_of_work
from bot.db.migrate import downgrade, upgrade
from bot.db.models import (
    Kudos,
    KudosPair,
    KudosReversal,
    Member,
    MemberTotals,
    Story,
    StoryTag,
    Team,
    Workspace,
)
from bot.domain.directory import Profile, WorkspaceDefaults, register_requester
from bot.domain.errors import DomainError
from bot.domain.kudos import KudosRequest, give_kudos, revoke_kudos, set_leaderboard_opt_out
from bot.domain.leaderboard import (
    Period,
    _ledger_leaderboard,
    _ledger_member_standing,
    leaderboard,
    member_standing,
)
from bot.domain.stories import (
    StoryDraft,
    TagSource,
    delete_story,
    share_story,
    tag_story,
    untag_story,
)
from tests.support.units import run

START = datetime(2026, 9, 1, 8, 0, tzinfo=UTC)
TEAM = "T0TOTALS1"
DEFAULTS = WorkspaceDefaults(
    stories_channel="C0STORIES", leaders=("U0LEAD01", "U0LEAD02"), admins=("U0ADMIN01",)
)
PEOPLE = ("U0LEAD01", "U0LEAD02", "U0ADMIN01", *(f"U0PEER{n:02d}" for n in range(1, 8)))
DRAFT = StoryDraft(
    people=(),
    touchpoint="phone",
    customer_need="A passenger missed the connection.",
    action_taken="Rebooked her on the next flight.",
    outcome="She made it.",
)
_keys = itertools.count(1)


def register(sessions, user_id, team=TEAM):
    with unit_of_work(sessions) as session:
        return register_requester(session, team, Profile(user_id), DEFAULTS, START)


def request(*recipients, story_id=None, key=None):
    return KudosRequest(
        recipients=recipients,
        reason="Thank you for deciding on the spot.",
        value_tags=(),
        story_id=story_id,
        source_key=key or f"cmd:{next(_keys)}",
    )


# --- the reference: totals recomputed from the ledger in Python ------------------------


def recomputed(session) -> tuple[dict, dict]:
    """(member totals, pairs) as the ledger, stories and tags say, without zero rows."""
    reversed_ids = set(session.scalars(select(KudosReversal.kudos_id)))
    members: dict[tuple[int, int], Counter] = {}
    pairs: dict[tuple[int, int, int], Counter] = {}
    for entry in session.scalars(select(Kudos)):
        if entry.id in reversed_ids:
            continue
        pair = pairs.setdefault((entry.workspace_id, entry.giver_id, entry.recipient_id), Counter())
        pair["live_entries"] += 1
        pair["live_kudos_entries"] += entry.kind == "kudos"
        recipient = members.setdefault((entry.workspace_id, entry.recipient_id), Counter())
        recipient["points_received"] += entry.points
        if entry.kind == "kudos":
            giver = members.setdefault((entry.workspace_id, entry.giver_id), Counter())
            giver["kudos_given"] += 1
    for (workspace_id, giver_id, recipient_id), pair in pairs.items():
        members[(workspace_id, recipient_id)]["distinct_givers"] += 1
        if pair["live_kudos_entries"]:
            members[(workspace_id, giver_id)]["distinct_kudos_recipients"] += 1
    # Only the columns it needs, so that it reads a database of an older revision too.
    stories = session.execute(
        select(Story.id, Story.workspace_id, Story.author_id).where(Story.deleted_at.is_(None))
    )
    live = {story.id: story for story in stories}
    for story in live.values():
        members.setdefault((story.workspace_id, story.author_id), Counter())["stories"] += 1
    for tag in session.scalars(select(StoryTag)):
        if tag.story_id in live:
            story = live[tag.story_id]
            members[(story.workspace_id, story.author_id)]["story_tags"] += 1
    return (
        {key: _plain(counts) for key, counts in members.items() if any(counts.values())},
        {key: _plain(counts) for key, counts in pairs.items()},
    )


def _plain(counts: Counter) -> dict[str, int]:
    return {name: int(value) for name, value in counts.items() if value}


def stored(session) -> tuple[dict, dict]:
    """(member totals, pairs) as the tables hold them, without zero rows."""
    members = {
        (row.workspace_id, row.member_id): _plain(
            Counter(
                points_received=row.points_received,
                distinct_givers=row.distinct_givers,
                kudos_given=row.kudos_given,
                distinct_kudos_recipients=row.distinct_kudos_recipients,
                stories=row.stories,
                story_tags=row.story_tags,
            )
        )
        for row in session.scalars(select(MemberTotals))
    }
    pairs = {
        (row.workspace_id, row.giver_id, row.recipient_id): _plain(
            Counter(live_entries=row.live_entries, live_kudos_entries=row.live_kudos_entries)
        )
        for row in session.scalars(select(KudosPair))
    }
    return (
        {key: value for key, value in members.items() if value},
        {key: value for key, value in pairs.items() if value},
    )


def assert_totals_match_the_ledger(sessions) -> None:
    with sessions() as session:
        members, pairs = stored(session)
        expected_members, expected_pairs = recomputed(session)
        rows = session.scalars(select(MemberTotals)).all()
    assert members == expected_members
    assert pairs == expected_pairs
    assert all(
        min(
            row.points_received,
            row.distinct_givers,
            row.kudos_given,
            row.distinct_kudos_recipients,
            row.stories,
            row.story_tags,
        )
        >= 0
        for row in rows
    )


def assert_boards_match_the_ledger(sessions, workspace_id, now, member_ids) -> None:
    with sessions() as session:
        for limit in (3, 10, 100):
            from_totals = leaderboard(session, workspace_id, Period.ALL, now, "UTC", limit)
            from_ledger = _ledger_leaderboard(session, workspace_id, Period.ALL, now, "UTC", limit)
            assert from_totals == from_ledger
        for member_id in member_ids:
            assert member_standing(
                session, workspace_id, member_id, Period.ALL, now, "UTC"
            ) == _ledger_member_standing(session, workspace_id, member_id, Period.ALL, now, "UTC")


# --- a random history through the domain functions ------------------------------------


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_totals_follow_any_history_of_kudos_tags_deletions_and_revocations(sessions, seed):
    rng = random.Random(seed)
    people = [register(sessions, user_id) for user_id in PEOPLE]
    workspace_id = people[0].workspace_id
    admin = next(person for person in people if person.is_admin)
    with unit_of_work(sessions) as session:
        session.execute(
            update(Workspace)
            .where(Workspace.id == workspace_id)
            .values(leader_weight=3, points_per_tag=2, weekly_budget=6)
        )
        teams = [Team(workspace_id=workspace_id, name=name) for name in ("Red", "Blue")]
        session.add_all(teams)
        session.flush()
        for number, person in enumerate(people):
            session.get(Member, person.member_id).team_id = teams[number % 2].id
    # Another workspace's recognition must never leak into this one's totals.
    stranger, friend = (register(sessions, user_id, team="T0OTHER01") for user_id in PEOPLE[3:5])
    run(sessions, give_kudos, friend, request(stranger.user_id), START)

    stories: list[tuple[int, object]] = []  # (story id, author)
    given_keys: list[tuple[object, KudosRequest]] = []
    moment = START
    counts: Counter[str] = Counter()
    for step in range(160):
        moment += timedelta(hours=rng.choice((1, 3, 9)))
        actor = rng.choice(people)
        others = [person for person in people if person is not actor]
        operation = rng.choices(
            ("give", "retry", "rollback", "share", "tag", "untag", "delete", "revoke"),
            weights=(30, 4, 3, 12, 25, 10, 6, 6),
        )[0]
        try:
            if operation == "give":
                live = [story_id for story_id, _ in stories] if stories else []
                story_id = rng.choice(live) if live and rng.random() < 0.3 else None
                recipients = [p.user_id for p in rng.sample(others, rng.randint(1, 3))]
                kudos = request(*recipients, story_id=story_id)
                run(sessions, give_kudos, actor, kudos, moment)
                given_keys.append((actor, kudos))
            elif operation == "retry" and given_keys:
                giver, kudos = rng.choice(given_keys)
                assert run(sessions, give_kudos, giver, kudos, moment).repeated
            elif operation == "rollback":
                with pytest.raises(RuntimeError), unit_of_work(sessions) as session:
                    give_kudos(session, actor, request(rng.choice(others).user_id), moment)
                    raise RuntimeError("the request failed after the kudos were written")
            elif operation == "share":
                named = tuple(p.user_id for p in rng.sample(people, rng.randint(0, 3)))
                draft = StoryDraft(**{**DRAFT.__dict__, "people": named})
                card = run(sessions, share_story, actor, draft, moment)
                stories.append((card.id, actor))
            elif operation == "tag" and stories:
                story_id, _ = rng.choice(stories)
                source = rng.choice(list(TagSource))
                run(sessions, tag_story, actor, story_id, source, moment)
            elif operation == "untag" and stories:
                story_id, _ = rng.choice(stories)
                source = rng.choice(list(TagSource))
                run(sessions, untag_story, actor, story_id, source, moment)
            elif operation == "delete" and stories:
                story_id, author = rng.choice(stories)
                run(sessions, delete_story, author, story_id, moment)
            elif operation == "revoke":
                with sessions() as session:
                    ids = list(
                        session.scalars(select(Kudos.id).where(Kudos.workspace_id == workspace_id))
                    )
                if ids:
                    run(sessions, revoke_kudos, admin, rng.choice(ids), "Abuse", moment)
            counts[operation] += 1
        except DomainError:
            counts["refused"] += 1
        if step % 40 == 39:
            assert_totals_match_the_ledger(sessions)

    # Read-time filters: an opted-out and a deactivated member.
    run(sessions, set_leaderboard_opt_out, people[4], True)
    with unit_of_work(sessions) as session:
        session.get(Member, people[5].member_id).is_active = False

    assert counts["give"] > 20 and counts["tag"] > 10 and counts["delete"] > 0
    assert counts["revoke"] > 0 and counts["untag"] > 0
    assert_totals_match_the_ledger(sessions)
    assert_boards_match_the_ledger(
        sessions,
        workspace_id,
        moment + timedelta(hours=1),
        [person.member_id for person in people],
    )
    with sessions() as session:
        board = leaderboard(session, workspace_id, Period.ALL, moment + timedelta(hours=1), "UTC")
    assert board.recognised and board.givers and board.teams and board.storytellers


def test_an_all_time_board_for_an_earlier_moment_leaves_out_what_came_after(sessions):
    """The totals count everything recorded; asked for a moment before the newest entry,
    the board is computed from the ledger up to that moment instead."""
    alice, bob, carol = (register(sessions, u) for u in ("U0ALICE01", "U0BOB0001", "U0CAROL01"))
    run(sessions, give_kudos, alice, request(bob.user_id), START)
    run(sessions, give_kudos, carol, request(bob.user_id, alice.user_id), START + timedelta(days=2))

    with sessions() as session:
        before = leaderboard(
            session, alice.workspace_id, Period.ALL, START + timedelta(days=1), "UTC"
        )
        after = leaderboard(
            session, alice.workspace_id, Period.ALL, START + timedelta(days=3), "UTC"
        )
        standing = member_standing(
            session, alice.workspace_id, bob.member_id, Period.ALL, START + timedelta(days=1), "UTC"
        )

    assert [(p.user_id, p.points, p.givers) for p in before.recognised] == [("U0BOB0001", 1, 1)]
    assert [(p.user_id, p.points, p.givers) for p in after.recognised] == [
        ("U0BOB0001", 2, 2),
        ("U0ALICE01", 1, 1),
    ]
    assert (standing.rank, standing.points, standing.givers) == (1, 1, 1)


def test_a_pair_counts_once_until_its_last_live_entry_is_reversed(sessions):
    alice, bob, admin = (register(sessions, u) for u in ("U0ALICE01", "U0BOB0001", "U0ADMIN01"))
    run(sessions, give_kudos, alice, request(bob.user_id), START)
    run(sessions, give_kudos, alice, request(bob.user_id), START + timedelta(hours=1))
    with sessions() as session:
        first, second = session.scalars(select(Kudos.id).order_by(Kudos.id)).all()

    def bobs_totals():
        with sessions() as session:
            row = session.get(MemberTotals, (alice.workspace_id, bob.member_id))
            giver = session.get(MemberTotals, (alice.workspace_id, alice.member_id))
            return (row.points_received, row.distinct_givers), (
                giver.kudos_given,
                giver.distinct_kudos_recipients,
            )

    assert bobs_totals() == ((2, 1), (2, 1))
    run(sessions, revoke_kudos, admin, first, "Mistake", START + timedelta(hours=2))
    assert bobs_totals() == ((1, 1), (1, 1))
    run(sessions, revoke_kudos, admin, second, "Mistake", START + timedelta(hours=3))
    assert bobs_totals() == ((0, 0), (0, 0))
    with pytest.raises(DomainError):
        run(sessions, revoke_kudos, admin, second, "Again", START + timedelta(hours=4))
    assert bobs_totals() == ((0, 0), (0, 0))
    assert_totals_match_the_ledger(sessions)


# --- concurrency ----------------------------------------------------------------------


def test_simultaneous_kudos_between_the_same_people_keep_exact_totals(sessions, backend):
    """20 requests at once between four people, each to two or three of the others, so
    every request touches member rows another one is touching, in another order of
    recipients: no deadlock, and the totals equal the ledger."""
    if backend == "sqlite":
        pytest.skip("SQLite runs one writer at a time; the race needs PostgreSQL")
    people = [register(sessions, u) for u in ("U0ALICE01", "U0BOB0001", "U0CAROL01", "U0DAN0001")]
    with unit_of_work(sessions) as session:
        session.execute(
            update(Workspace)
            .where(Workspace.id == people[0].workspace_id)
            .values(weekly_budget=100, max_kudos_per_pair_per_week=100)
        )
    start = threading.Barrier(20)
    errors: list[Exception] = []

    def give_one(number: int) -> None:
        giver = people[number % 4]
        others = [p.user_id for p in people if p is not giver]
        recipients = others if number % 3 else list(reversed(others))[:2]
        try:
            start.wait()
            run(sessions, give_kudos, giver, request(*recipients), START)
        except Exception as error:
            errors.append(error)

    threads = [threading.Thread(target=give_one, args=(n,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a thread never finished"

    assert errors == []
    with sessions() as session:
        assert session.scalar(select(text("count(*)")).select_from(Kudos)) > 40
    assert_totals_match_the_ledger(sessions)
    assert_boards_match_the_ledger(
        sessions, people[0].workspace_id, START + timedelta(hours=1), [p.member_id for p in people]
    )


def test_simultaneous_tags_untags_and_a_deletion_keep_exact_totals(sessions, backend):
    if backend == "sqlite":
        pytest.skip("SQLite runs one writer at a time; the race needs PostgreSQL")
    author = register(sessions, "U0AUTHOR1")
    taggers = [register(sessions, f"U0TAGGER{n:02d}") for n in range(12)]
    cards = [run(sessions, share_story, author, DRAFT, START) for _ in range(3)]
    for tagger in taggers[:6]:
        run(sessions, tag_story, tagger, cards[0].id, TagSource.BUTTON, START)
    start = threading.Barrier(len(taggers) + 1)
    errors: list[Exception] = []

    def act(number: int) -> None:
        try:
            start.wait()
            if number == len(taggers):
                run(sessions, delete_story, author, cards[0].id, START + timedelta(hours=1))
                return
            tagger = taggers[number]
            for card in cards:
                action = untag_story if number < 6 and card is cards[0] else tag_story
                try:
                    run(
                        sessions,
                        action,
                        tagger,
                        card.id,
                        TagSource.BUTTON,
                        START + timedelta(hours=1),
                    )
                except DomainError as refused:
                    # Only the story deleted meanwhile may refuse; the others must tag.
                    if refused.key != "stories.errors.deleted" or card is not cards[0]:
                        raise
        except Exception as error:
            errors.append(error)

    threads = [threading.Thread(target=act, args=(n,)) for n in range(len(taggers) + 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a thread never finished"

    assert errors == []
    assert_totals_match_the_ledger(sessions)
    with sessions() as session:
        assert session.scalars(select(StoryTag).where(StoryTag.story_id == cards[0].id)).all() == []


# --- the migration's backfill ---------------------------------------------------------


def test_migration_0003_fills_the_totals_from_an_existing_ledger(empty_database_url):
    upgrade(empty_database_url, "0002")
    engine = make_engine(empty_database_url)
    when = START
    with engine.begin() as connection:
        assert "member_totals" not in inspect(connection).get_table_names()
    sessions = make_session_factory(engine)
    with unit_of_work(sessions) as session:
        # Core inserts name only the columns given (and defaulted), so they work on the
        # schema of revision 0002; ORM objects would name columns added since.
        workspace_ids = [
            session.execute(
                insert(Workspace).values(team_id=team).returning(Workspace.id)
            ).scalar_one()
            for team in ("T0BACK001", "T0BACK002")
        ]
        members = [
            session.execute(
                insert(Member)
                .values(workspace_id=workspace_ids[n % 5 == 4], slack_user_id=f"U0M{n:03d}")
                .returning(Member.id, Member.workspace_id)
            ).one()
            for n in range(10)
        ]
        by_workspace: dict[int, list[Any]] = {}
        for member in members:
            by_workspace.setdefault(member.workspace_id, []).append(member)
        rng = random.Random(7)
        entries = []
        for n in range(300):
            workspace_id = rng.choice(workspace_ids)
            giver, recipient = rng.sample(by_workspace[workspace_id], 2)
            entry = Kudos(
                workspace_id=workspace_id,
                giver_id=giver.id,
                recipient_id=recipient.id,
                kind=rng.choice(("kudos", "tag")),
                points=rng.randint(1, 3),
                budget_week=when.date(),
                source_key=f"backfill:{n}",
                created_at=when,
            )
            entries.append(entry)
        session.add_all(entries)
        session.flush()
        session.add_all(
            KudosReversal(workspace_id=entry.workspace_id, kudos_id=entry.id, cause="revoked")
            for entry in entries
            if rng.random() < 0.2
        )
        for n in range(30):
            author = rng.choice(members)
            # A Core insert, as above: stories have gained columns since 0002.
            story_id = session.execute(
                insert(Story)
                .values(
                    workspace_id=author.workspace_id,
                    author_id=author.id,
                    touchpoint="phone",
                    customer_need="-",
                    action_taken="-",
                    outcome="-",
                    decided_on_spot=False,
                    abc_appearance=False,
                    abc_behaviour=False,
                    abc_communication=False,
                    created_at=when,
                    deleted_at=when if n % 7 == 0 else None,
                )
                .returning(Story.id)
            ).scalar_one()
            for tagger in rng.sample(by_workspace[author.workspace_id], rng.randint(0, 2)):
                session.add(
                    StoryTag(
                        workspace_id=author.workspace_id,
                        story_id=story_id,
                        tagger_id=tagger.id,
                        source="button",
                    )
                )
    engine.dispose()

    upgrade(empty_database_url, "0003")

    engine = make_engine(empty_database_url)
    sessions = make_session_factory(engine)
    try:
        with sessions() as session:
            members_totals, pairs = stored(session)
        assert len(members_totals) >= 8 and pairs
        assert_totals_match_the_ledger(sessions)
        for workspace_id in workspace_ids:
            assert_boards_match_the_ledger(
                sessions, workspace_id, when + timedelta(hours=1), [m.id for m in members]
            )
    finally:
        engine.dispose()

    downgrade(empty_database_url, "0002")
    engine = make_engine(empty_database_url)
    with engine.connect() as connection:
        tables = set(inspect(connection).get_table_names())
    engine.dispose()
    assert {"member_totals", "kudos_pairs"}.isdisjoint(tables)
    assert "kudos" in tables
