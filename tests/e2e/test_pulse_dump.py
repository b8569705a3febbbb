"""An attacker with a copy of the database after a pulse round, on SQLite and PostgreSQL.

Twenty-seven people answer a round through their DMs, one after another at times of
their own, each with random answers; some change an answer, some leave a comment, some
give kudos right after answering (so timestamps near each person's answers really are in
the database). Then the round closes and the attacker reads the dump: the answers in
every order the storage gives (physical order, rowid, ctid, xmin, ids) lined up against
people in every order any table gives (every timestamp, id, rowid, ctid, xmin, physical
order; tests/support/linkage.py). No line-up may pair answers with people better than
chance. After close, neither the database files nor the SQLite WAL hold a response key
or a sealed ballot of the round.
"""

from __future__ import annotations

import random
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, MetaData, select, text

from bot.db.models import Member, PulseAnswer, PulseBallot, PulseComment, PulseRound
from bot.domain import ballots
from bot.domain.ballots import SealedAnswer
from bot.sandbox.demo import load_demo
from bot.sandbox.harness import SECRET_KEY
from bot.scheduling.pulse_jobs import send_pulse
from bot.slack import ids
from bot.slack.views.pulse import PulseButton
from slackemu.records import User
from tests.e2e.test_pulse import _only, close, pulse_dm
from tests.e2e.test_pulse import bot_clock as bot_clock  # the fixtures
from tests.e2e.test_pulse import jobs as jobs
from tests.support.linkage import Ordering, answer_orderings, linkage_report, people_orderings

CREW = 10  # joining the demo's 17 people the pulse goes to
SEED = 20261204
BOX_IN_TRANSACTION_ORDER = (
    "SELECT round_id, response_key, sealed FROM pulse_ballots ORDER BY xmin::text::bigint"
)


@pytest.fixture
def demo():
    """The demo workspace with a crew more, so the round has 27 people."""
    loaded = load_demo()
    for n in range(CREW):
        loaded.workspace.add_user(
            User(
                id=f"U0CREW{n:03d}",
                name=f"crew{n}",
                real_name=f"Crew Member {n}",
                locale="zh-CN" if n % 3 == 0 else "en-US",
                tz="Asia/Shanghai" if n % 3 == 0 else "Europe/Stockholm",
            )
        )
    return loaded


def question_blocks(dm):
    return [b for b in dm.blocks if b.get("block_id", "").startswith("pulse-q-")]


def click(person, block, element) -> tuple[int, int]:
    person.clicks(element["text"]["text"], on=_only(pulse_dm(person), block))
    button = PulseButton.decode(element["value"])
    return button.question_id, button.value


def answer_at_random(person, rng: random.Random) -> dict[object, object]:
    """Answer every question with a random button; sometimes change one; sometimes
    comment. What the person finally said."""
    said: dict[object, object] = {}
    for block in question_blocks(pulse_dm(person)):
        question, value = click(person, block, rng.choice(block["elements"]))
        said[question] = value
    if rng.random() < 0.3:
        block = rng.choice(question_blocks(pulse_dm(person)))
        question, value = click(person, block, rng.choice(block["elements"]))
        said[question] = value
    if rng.random() < 0.3:
        comment = f"comment {rng.getrandbits(64):016x} about the gate rota"
        more = next(b for b in pulse_dm(person).blocks if b.get("block_id") == "pulse-more")
        person.clicks(more["elements"][0]["text"]["text"], on=pulse_dm(person))
        person.submits({ids.PULSE_COMMENT_TEXT: comment})
        said["comment"] = comment
    return said


def the_round_answered_at_random(world, jobs, bot_clock, engine, rng):
    """Everyone invited answers, in a random order and at random moments of the week;
    every third gives kudos right after. Who said what, by member id."""
    send_pulse(jobs())
    with engine.connect() as connection:
        members = dict(connection.execute(select(Member.slack_user_id, Member.id)).all())
    invited = [user_id for user_id in members if world.user(user_id).direct_messages()]
    assert len(invited) >= 20
    truth = {}
    for turn, user_id in enumerate(rng.sample(invited, len(invited))):
        bot_clock.advance(timedelta(minutes=rng.randint(1, 300)))
        person = world.user(user_id)
        truth[members[user_id]] = answer_at_random(person, rng)
        if turn % 3 == 0:
            thanked = "alice" if person.user.name != "alice" else "bjorn"
            person.runs(f"/kudos @{thanked} for covering the gate #customer-first")
    return truth, members


def ballot_box(engine: Engine) -> tuple[list[str], list[bytes]]:
    with engine.connect() as connection:
        rows = connection.execute(select(PulseBallot.response_key, PulseBallot.sealed)).all()
    return [key for key, _ in rows], [bytes(sealed) for _, sealed in rows]


def dump_files(engine: Engine) -> dict[str, bytes]:
    """The bytes of every file the database keeps its tables in (and SQLite's WAL)."""
    if engine.dialect.name == "sqlite":
        database = Path(str(engine.url.database))
        names = [database, *(Path(f"{database}{end}") for end in ("-wal", "-journal"))]
        return {path.name: path.read_bytes() for path in names if path.exists()}
    with engine.connect() as connection:
        connection.execute(text("CHECKPOINT"))
        paths = connection.execute(
            text(
                "SELECT pg_relation_filepath(oid) FROM pg_class"
                " WHERE pg_relation_filepath(oid) LIKE 'base/%'"
            )
        ).scalars()
        return {
            path: bytes(
                connection.execute(
                    text("SELECT pg_read_binary_file(CAST(:path AS text))"), {"path": path}
                ).scalar_one()
                or b""
            )
            for path in paths
        }


def other_transaction_ids(engine: Engine) -> set[int]:
    """Every xmin of every row outside the ballot box (PostgreSQL)."""
    found: set[int] = set()
    with engine.connect() as connection:
        metadata = MetaData()
        metadata.reflect(connection)
        for table in metadata.tables.values():
            if table.name != "pulse_ballots":
                rows = connection.execute(text(f'SELECT xmin::text::bigint FROM "{table.name}"'))
                found.update(rows.scalars())
    return found


def test_a_dump_after_close_links_no_answer_to_anyone(world, jobs, bot_clock, engine):
    rng = random.Random(SEED)
    truth, members = the_round_answered_at_random(world, jobs, bot_clock, engine, rng)
    keys, _ = ballot_box(engine)
    questions = {q for said in truth.values() for q in said if q != "comment"}
    assert len(keys) == len(truth) * len(questions) + sum("comment" in s for s in truth.values())

    close(jobs)

    with engine.connect() as connection:
        metadata = MetaData()
        metadata.reflect(connection)
        round_id = connection.execute(select(PulseRound.id)).scalar_one()
        answers = answer_orderings(connection, metadata, round_id)
        people = people_orderings(connection, metadata, members)
        counted = connection.execute(select(PulseAnswer.value)).all()
        comments = connection.execute(select(PulseComment.text)).scalars().all()
    links, tried = linkage_report(answers, people, truth, rng)

    assert len(counted) == len(truth) * len(questions), "every answer is counted"
    assert sorted(comments) == sorted(s["comment"] for s in truth.values() if "comment" in s)
    assert tried >= 100, f"the attacker had only {tried} line-ups to try"
    assert links == [], "\n".join(
        f"{link.answers} x {link.people}: {link.score} against chance "
        f"{link.chance_mean:.1f} +- {link.chance_sd:.1f}"
        for link in links
    )


def test_after_close_no_file_holds_a_key_or_sealed_ballot_of_the_round(
    world, jobs, bot_clock, engine
):
    the_round_answered_at_random(world, jobs, bot_clock, engine, random.Random(SEED))
    keys, sealed = ballot_box(engine)
    assert len(keys) >= 20 * 5
    assert any(sealed[0] in content for content in dump_files(engine).values()), (
        "the box's rows are in the files while the round is open (else the search is blind)"
    )

    close(jobs)

    files = dump_files(engine)
    for name, content in files.items():
        for key in keys:
            assert key.encode() not in content, f"a response key is left in {name}"
        for blob in sealed:
            assert blob not in content, f"a sealed ballot is left in {name}"


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_no_ballot_shares_a_transaction_with_any_other_row(world, jobs, bot_clock, engine):
    """What a live superuser could read while the round is open: the ballot box rows'
    transaction ids. None of them is the transaction of any other row (a member, an
    invite, a kudos, a delivery), so no ballot is tied to a row that names a person."""
    the_round_answered_at_random(world, jobs, bot_clock, engine, random.Random(SEED))
    with engine.connect() as connection:
        ballots = set(
            connection.execute(text("SELECT xmin::text::bigint FROM pulse_ballots")).scalars()
        )

    assert len(ballots) >= 20
    assert ballots.isdisjoint(other_transaction_ids(engine))


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_the_attacker_finds_a_link_where_there_is_one(world, jobs, bot_clock, engine):
    """The attacker is not blind. While the round is open, someone holding both the
    database and MOTBOT_SECRET_KEY can open the ballot box and read it in transaction
    order, which is the order people clicked in: lined up against the invites'
    transaction order it names people (docs/privacy.md says so; closing the round ends
    it, as the test above shows)."""
    rng = random.Random(SEED)
    truth, members = the_round_answered_at_random(world, jobs, bot_clock, engine, rng)
    with engine.connect() as connection:
        box = connection.execute(text(BOX_IN_TRANSACTION_ORDER)).all()
        metadata = MetaData()
        metadata.reflect(connection)
        people = people_orderings(connection, metadata, members)
    opened = [ballots.unseal(SECRET_KEY, r, key, bytes(sealed)) for r, key, sealed in box]
    in_click_order = tuple((a.question_id, a.value) for a in opened if isinstance(a, SealedAnswer))

    links, _ = linkage_report([Ordering("box by xmin", in_click_order)], people, truth, rng)

    exact = [link for link in links if link.width == 0]
    assert any(link.people.startswith("pulse_invites by") for link in exact), links
    assert max(link.score for link in exact) == len(in_click_order), "every answer named"


def test_answers_wait_sealed_while_the_round_is_open(world, jobs, bot_clock, engine):
    truth, _ = the_round_answered_at_random(world, jobs, bot_clock, engine, random.Random(SEED))
    _, sealed = ballot_box(engine)

    with engine.connect() as connection:
        assert connection.execute(select(PulseAnswer.id)).all() == []
        assert connection.execute(select(PulseComment.id)).all() == []
    comments = [s["comment"].encode() for s in truth.values() if "comment" in s]
    assert comments and not any(c in blob for c in comments for blob in sealed)
