"""How long each dashboard page and CSV takes on a big workspace: a benchmark that prints
figures.

A fresh database is migrated to head (a SQLite file in a temporary folder, or with
`--postgres` a new PostgreSQL database, dropped afterwards) and one workspace is written
into it in bulk (SQLAlchemy Core inserts, not through Slack), over the last `--weeks`
local weeks (12, the window every 12-week page covers) up to now:

- MEMBERS people in TEAMS teams of uneven size (two of them below K, so the pages fold
  them), a leader per team, HR and an admin in no team, some people inactive, bots or
  guests, most joined long before the window and some during it;
- KUDOS kudos (1-3 points, most within the giver's team, 0-2 company values each, a
  retired value among them), 2% revoked;
- STORIES stories (1% deleted): on the spot in a third of them, half of those beyond a
  rule (in words and/or a policy area: a policy signal), 40% of those backed by a
  leader; service recoveries; other people in some; 0-2 values; their cards posted; about
  1.5 tags each, whose points go to the people in the story through the ledger;
- POLICY_AREAS areas (one retired) and REVISIONS revisions over the window, each closing
  its area's signals as `/mot policies` does (`policies.close_signals`);
- a closed pulse round each past week (the rotation's questions, opened and closed with
  `pulse.open_round` / `pulse.close_round`), about 60% of those invited answering (their
  answers written as closing the ballot box writes them), some with a comment;
- the all-time totals rebuilt from the ledger (`totals.rebuild`), as the ledger writer
  would have kept them. On PostgreSQL, VACUUM ANALYZE (as autovacuum would); SQLite gets
  no ANALYZE, as motbot never runs one.

The dashboard is then served by Flask's test client as the page tests serve it
(tests/support/dashboard.py: `dashboard_app` and a signed-in browser), for an HR member
(the whole workspace) and the leader of a typical team (their team; the policies page is
the same as HR's). Each URL is asked once to warm up (counting the SQL statements it
issues with a `before_cursor_execute` listener), `--runs` times timed (median and max of
the whole request, in ms), and once under tracemalloc (the peak of Python memory
allocated during the request, in MB).

    .venv/bin/python -m bench.dashboard [--scale 1] [--runs 5] [--weeks 12]
        [--postgres [URL]] [--keep] [--only PATTERN]

`--scale` multiplies members, teams, kudos and stories (at least 4 teams); `--weeks`
spreads the same weekly activity over more weeks (older history outside the pages'
window). `--postgres` creates the database through URL (default
postgresql+psycopg://postgres@127.0.0.1:5432/test, whose own tables are never touched);
`--keep` leaves the database behind to study (it prints where); `--only` times only the
URLs containing PATTERN.
"""

from __future__ import annotations

import argparse
import random
import secrets
import statistics
import sys
import tempfile
import time
import tracemalloc
import uuid
from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import Engine, create_engine, event, insert, text, update
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from bot.db.engine import SessionFactory, make_engine, make_session_factory, unit_of_work
from bot.db.migrate import upgrade
from bot.db.models import (
    CompanyValue,
    Kudos,
    KudosReversal,
    KudosValue,
    Member,
    PolicyArea,
    PulseInvite,
    Story,
    StoryBacking,
    StoryPerson,
    StoryTag,
    StoryValue,
    Team,
    Workspace,
)
from bot.db.repositories import policies as policies_repo
from bot.db.repositories import pulse as pulse_repo
from bot.db.repositories import totals as totals_repo
from bot.domain.adoption import trend_weeks
from bot.domain.directory import WorkspaceDefaults, register_workspace
from bot.domain.kudos import week_start
from bot.domain.pulse import COMPLETED, SENT, SKIPPED, close_round, iso_period, open_round
from bot.domain.pulse_bank import NPS11
from bot.domain.stories import Touchpoint
from tests.support.dashboard import dashboard_app, signed_in

DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"

# --- the workspace's size at --scale 1 --------------------------------------------------

MEMBERS = 2_000
TEAMS = 40
TINY_TEAMS = 2  # teams of about 3 people, below K: folded into "Other teams"
HR_PEOPLE = 3
WEEKS = 12  # the window of every 12-week page
KUDOS = 20_000  # in WEEKS weeks; the weekly rate holds for --weeks
STORIES = 5_000  # in WEEKS weeks, likewise
TAGS_PER_STORY = 1.5  # on average, on live stories
POLICY_AREAS = 6  # one of them retired
REVISIONS = 8  # in WEEKS weeks
RESPONSE_RATE = 0.6  # of those invited to a pulse round
COMMENT_RATE = 0.1  # of those who answered
K = 5  # the workspace's pulse_min_group (motbot's default)

TZ = "Europe/Berlin"
SLACK_TEAM = "T0BENCHDB"
STORIES_CHANNEL = "C0STORIES"
SERVER_KEY = "bench-server-key"
SEARCH = "refund"
RUNS = 5

URLS = (
    "/dashboard/pulse",
    "/dashboard/pulse.csv",
    "/dashboard/adoption",
    "/dashboard/adoption.csv",
    "/dashboard/recognition",
    "/dashboard/recognition.csv",
    "/dashboard/stories",
    f"/dashboard/stories?q={SEARCH}",
    "/dashboard/stories?value=customer-first&on_spot=yes&backed=no",
    "/dashboard/stories.csv",
    f"/dashboard/stories.csv?q={SEARCH}",
    "/dashboard/policies",
    "/dashboard/policies.csv",
)

CITIES = ("Copenhagen", "Oslo", "Stockholm", "Helsinki", "Berlin", "Shanghai", "London")
NEEDS = (
    "A passenger missed the connection in {city} and had to reach a wedding the next day.",
    "He wanted a refund for the cancelled flight from {city}.",
    "Her bag did not arrive in {city}, with her medicine in it.",
    "A family of five needed seats together on the flight to {city}.",
    "A customer in a wheelchair needed help through security in {city}.",
    "The hotel in {city} refused the voucher we had given him.",
    "An elderly couple had booked the wrong date to {city}.",
)
ACTIONS = (
    "Rebooked her on the next flight and called the hotel to hold the room.",
    "Gave a full refund on the spot and a voucher for the next trip.",
    "Found the bag in transfer and sent it by taxi to her address.",
    "Moved two other passengers, who were happy to swap, so the family sat together.",
    "Walked him through security myself and asked the gate to board him first.",
    "Paid the hotel from the station's cash box and filed the claim afterwards.",
    "Changed the date without the change fee and explained what had happened.",
)
MORE = (
    " The gate agent helped with the paperwork.",
    " It took twenty minutes, most of them on the phone.",
    " We wrote it down so the next shift knows what to do.",
    " I checked with the crew before the doors closed.",
)
OUTCOMES = (
    "She made it in time and wrote to thank us.",
    "He said he would fly with us again.",
    "They were happy, and the flight left on time.",
    "",
)
RULES = (
    "Refunds above 200 EUR need a supervisor",
    "Rebooking fees are waived only by the duty manager",
    "Vouchers only after three hours of delay",
    "Cash from the station box only for damaged luggage",
)
WENT_WRONG = (
    "We lost her bag in transfer.",
    "The flight was overbooked and he was left behind.",
    "Our app charged him twice.",
)
AREAS = (
    "Refunds and compensation",
    "Rebooking",
    "Vouchers",
    "Baggage",
    "Special assistance",
    "Old cash rules",  # retired
)
NOTES = (
    "Station leads may now approve refunds up to 500 EUR.",
    "Anyone at the desk may waive the fee for a missed connection.",
    "Vouchers from two hours of delay.",
)


# --- the database -------------------------------------------------------------------------


@contextmanager
def database(postgres_url: str | None, keep: bool) -> Iterator[str]:
    """A new database's URL: a SQLite file in a temporary folder, or a PostgreSQL database
    created through `postgres_url` (whose own tables are never touched); dropped
    afterwards unless `keep`."""
    if postgres_url is None:
        if keep:
            folder = tempfile.mkdtemp(prefix="motbot-bench-")
            print(f"keeping the SQLite database in {folder}")
            yield f"sqlite:///{Path(folder) / 'dashboard.db'}"
            return
        with tempfile.TemporaryDirectory() as folder:
            yield f"sqlite:///{Path(folder) / 'dashboard.db'}"
        return
    name = f"motbot_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(postgres_url).set(database=name).render_as_string(hide_password=False)
    finally:
        if keep:
            print(f"kept database {name}")
        else:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


# --- seeding ------------------------------------------------------------------------------


@contextmanager
def phase(name: str) -> Iterator[None]:
    """Prints how long a phase of the seeding took."""
    started = time.perf_counter()
    yield
    print(f"  {name:<20}{time.perf_counter() - started:7.2f} s", flush=True)


@dataclass
class Person:
    id: int
    user_id: str
    team: int | None
    leader: bool
    usable: bool  # active, not a bot: may give, receive, tell and tag
    guest: bool
    joined: datetime


@dataclass
class Seeded:
    workspace_id: int
    hr_user: str
    leader_user: str
    leader_team: str
    leader_team_size: int
    counts: dict[str, int]


class Seeder:
    """Writes the workspace in bulk, phase by phase, each phase one transaction."""

    def __init__(self, sessions: SessionFactory, scale: float, weeks: int, seed: int) -> None:
        self.sessions = sessions
        self.rng = random.Random(seed)
        self.scale = scale
        self.weeks = weeks
        self.now = datetime.now(UTC).replace(microsecond=0)
        window = trend_weeks(self.now, TZ, weeks)
        self.start = window[0][0]
        self.week_starts = [start for start, _ in window]
        self.counts: dict[str, int] = {}
        self.people: list[Person] = []
        self.value_ids: list[int] = []
        self.leaders_by_team: dict[int, Person] = {}

    def moment(self, since: datetime | None = None) -> datetime:
        """A random moment in [since or the window's start, now - 5 minutes)."""
        since = since or self.start
        span = (self.now - timedelta(minutes=5) - since).total_seconds()
        return since + timedelta(seconds=self.rng.random() * max(span, 0))

    def spread(self, count: int) -> int:
        """`count` (of WEEKS weeks at scale 1) at this scale and number of weeks."""
        return round(count * self.scale * self.weeks / WEEKS)

    def insert(self, session: Session, model: type, rows: Sequence[dict[str, Any]]) -> list[int]:
        """Insert `rows` (executemany); their new ids in order, if the model has `id`."""
        self.add(model.__tablename__, len(rows))
        if not rows:
            return []
        if "id" not in model.__table__.c:
            session.execute(insert(model), list(rows))
            return []
        statement = insert(model).returning(model.id, sort_by_parameter_order=True)
        return list(session.scalars(statement, list(rows)))

    def add(self, name: str, count: int) -> None:
        self.counts[name] = self.counts.get(name, 0) + count

    # The phases, in order.

    def workspace(self) -> int:
        with phase("workspace"), unit_of_work(self.sessions) as session:
            defaults = WorkspaceDefaults(
                timezone=TZ, stories_channel=STORIES_CHANNEL, pulse_min_group=K
            )
            workspace_id = register_workspace(session, SLACK_TEAM, defaults)
            session.execute(
                update(Workspace).where(Workspace.id == workspace_id).values(name="Bench Air")
            )
            extra = [
                {"tag": "speed", "name": "Speed", "position": 4, "is_active": True},
                {"tag": "legacy", "name": "Legacy value", "position": 5, "is_active": False},
            ]
            self.insert(session, CompanyValue, [{"workspace_id": workspace_id, **v} for v in extra])
            self.value_ids = list(
                session.scalars(
                    text("SELECT id FROM company_values WHERE workspace_id = :w ORDER BY position"),
                    {"w": workspace_id},
                )
            )
            self.counts["company_values"] = len(self.value_ids)
        self.workspace_id = workspace_id
        return workspace_id

    def members(self) -> None:
        rng, ws = self.rng, self.workspace_id
        teams = max(4, round(TEAMS * self.scale))
        members = max(10 * teams, round(MEMBERS * self.scale))
        with phase("members"), unit_of_work(self.sessions) as session:
            team_ids = self.insert(
                session, Team, [{"workspace_id": ws, "name": f"Team {n:03d}"} for n in range(teams)]
            )
            weights = [0.06 if n < TINY_TEAMS else rng.uniform(0.5, 1.5) for n in range(teams)]
            rows, planned, led = [], [], set()
            for n in range(members):
                user_id = f"U{n:08d}"
                hr, admin = n < HR_PEOPLE, n == HR_PEOPLE
                if hr or admin or rng.random() < 0.02:
                    team = None
                else:
                    team = rng.choices(team_ids, weights)[0]
                leader = team is not None and team not in led
                if leader:
                    led.add(team)
                role = hr or admin or leader
                bot = not role and rng.random() < 0.005
                guest = not role and not bot and rng.random() < 0.01
                active = role or rng.random() > 0.02
                if role or rng.random() < 0.88:
                    joined = self.start - timedelta(days=rng.uniform(30, 700))
                else:
                    joined = self.moment()
                rows.append(
                    {
                        "workspace_id": ws,
                        "slack_user_id": user_id,
                        "display_name": f"Person {n}",
                        "real_name": f"Person Number {n}",
                        "team_id": team,
                        "is_admin": admin,
                        "is_leader": leader,
                        "leader_named": leader,
                        "is_hr": hr,
                        "hr_named": hr,
                        "is_bot": bot,
                        "is_guest": guest,
                        "is_active": active,
                        "created_at": joined,
                    }
                )
                planned.append((user_id, team, leader, active and not bot, guest, joined))
            ids = self.insert(session, Member, rows)
        self.people = [Person(i, *p) for i, p in zip(ids, planned, strict=True)]
        self.usable = [p for p in self.people if p.usable]
        rng.shuffle(self.usable)  # the skewed picks below favour no team
        self.by_team: dict[int | None, list[Person]] = defaultdict(list)
        for person in self.usable:
            self.by_team[person.team].append(person)
        self.leaders_by_team = {p.team: p for p in self.people if p.leader and p.team}
        self.leaders = list(self.leaders_by_team.values())

    def someone(self) -> Person:
        """A usable person, some far more active than others."""
        return self.usable[int(len(self.usable) * self.rng.random() ** 1.6)]

    def colleague(self, of: Person, same_team: float) -> Person:
        """Another usable person: in `of`'s team with probability `same_team`."""
        team = self.by_team.get(of.team, []) if of.team is not None else []
        while True:
            if len(team) > 1 and self.rng.random() < same_team:
                other = self.rng.choice(team)
            else:
                other = self.rng.choice(self.usable)
            if other.id != of.id:
                return other

    def policy_areas(self) -> None:
        with phase("policy areas"), unit_of_work(self.sessions) as session:
            self.area_ids = self.insert(
                session,
                PolicyArea,
                [
                    {
                        "workspace_id": self.workspace_id,
                        "name": name,
                        "position": n,
                        "is_active": n < POLICY_AREAS - 1,
                        "created_at": self.start - timedelta(days=60),
                    }
                    for n, name in enumerate(AREAS[:POLICY_AREAS])
                ],
            )

    def stories(self) -> None:
        rng, ws = self.rng, self.workspace_id
        active_areas = self.area_ids[:-1]
        stories, extras = [], []
        for n in range(self.spread(STORIES)):
            author = self.someone()
            at = self.moment()
            city = rng.choice(CITIES)
            on_spot = rng.random() < 0.35
            beyond = on_spot and rng.random() < 0.5
            rule = rng.choice(RULES) if beyond and rng.random() < 0.7 else ""
            area = None
            if beyond and (not rule or rng.random() < 0.7):
                area = rng.choice(active_areas) if rng.random() < 0.95 else self.area_ids[-1]
            recovery = rng.random() < 0.12
            deleted = rng.random() < 0.01 and at + timedelta(days=1) < self.now
            stories.append(
                {
                    "workspace_id": ws,
                    "author_id": author.id,
                    "touchpoint": rng.choice(list(Touchpoint)).value,
                    "customer_need": rng.choice(NEEDS).format(city=city),
                    "action_taken": rng.choice(ACTIONS)
                    + "".join(rng.sample(MORE, rng.randint(0, 3))),
                    "outcome": rng.choice(OUTCOMES),
                    "decided_on_spot": on_spot,
                    "abc_appearance": rng.random() < 0.3,
                    "abc_behaviour": rng.random() < 0.6,
                    "abc_communication": rng.random() < 0.5,
                    "is_recovery": recovery,
                    "went_wrong": rng.choice(WENT_WRONG) if recovery else "",
                    "raises_policy_signal": bool(rule or area),
                    "rule_bent": rule,
                    "policy_area_id": area,
                    "channel_id": STORIES_CHANNEL,
                    "message_ts": f"{at.timestamp():.0f}.{n % 1_000_000:06d}",
                    "submission_key": f"view-{n}",
                    "created_at": at,
                    "deleted_at": at + timedelta(days=1) if deleted else None,
                }
            )
            others = []
            if rng.random() < 0.3:
                others = {self.colleague(author, 0.8).id for _ in range(rng.randint(1, 2))}
            extras.append((author, at, on_spot, deleted, [author.id, *sorted(others)]))
        with phase("stories"), unit_of_work(self.sessions) as session:
            ids = self.insert(session, Story, stories)
            people, values, backings, tags = [], [], [], []
            self.story_people: dict[int, list[int]] = {}
            for story_id, (author, at, on_spot, deleted, in_story) in zip(ids, extras, strict=True):
                self.story_people[story_id] = in_story
                people += [{"story_id": story_id, "member_id": m} for m in in_story]
                for value_id in rng.sample(self.value_ids[:5], rng.choice((0, 1, 1, 2))):
                    values.append({"story_id": story_id, "value_id": value_id})
                if on_spot and rng.random() < 0.4:
                    backers = [self.leaders_by_team.get(author.team) or rng.choice(self.leaders)]
                    if rng.random() < 0.1:
                        backers.append(rng.choice(self.leaders))
                    for leader in {b.id: b for b in backers if b.id != author.id}.values():
                        backings.append(
                            {
                                "workspace_id": self.workspace_id,
                                "story_id": story_id,
                                "leader_id": leader.id,
                                "created_at": self.moment(at),
                            }
                        )
                if deleted:
                    continue  # deleting a story takes its tags back
                taggers: dict[int, Person] = {}
                for _ in range(round(rng.expovariate(1 / TAGS_PER_STORY))):
                    tagger = self.colleague(author, 0.5)
                    if tagger.id not in in_story:
                        taggers[tagger.id] = tagger
                for tagger in taggers.values():
                    tags.append((story_id, tagger, self.moment(at)))
            self.insert(session, StoryPerson, people)
            self.insert(session, StoryValue, values)
            self.insert(session, StoryBacking, backings)
            tag_ids = self.insert(
                session,
                StoryTag,
                [
                    {
                        "workspace_id": ws,
                        "story_id": story_id,
                        "tagger_id": tagger.id,
                        "source": rng.choice(("button", "reaction")),
                        "created_at": at,
                    }
                    for story_id, tagger, at in tags
                ],
            )
        self.tags = [(tag_id, *tag) for tag_id, tag in zip(tag_ids, tags, strict=True)]

    def ledger(self) -> None:
        """Tag points to the people in each tagged story, and kudos; 2% of kudos revoked."""
        rng, ws = self.rng, self.workspace_id
        by_id = {person.id: person for person in self.people}
        entries, kudos_values = [], []
        for tag_id, story_id, tagger, at in self.tags:
            for member_id in self.story_people[story_id]:
                person = by_id[member_id]
                if member_id == tagger.id or not person.usable:
                    continue
                entries.append(
                    self._entry(tagger, person, at, "tag", 1, f"tag:{tag_id}:{person.user_id}")
                    | {"story_id": story_id}
                )
        for n in range(self.spread(KUDOS)):
            giver = self.someone()
            recipient = self.colleague(giver, 0.7)
            points = rng.choices((1, 2, 3), (6, 3, 1))[0]
            key = f"kudos:{n}:{recipient.user_id}"
            entries.append(self._entry(giver, recipient, self.moment(), "kudos", points, key))
            kudos_values.append(rng.sample(self.value_ids, rng.choice((0, 1, 1, 1, 2))))
        with phase("ledger"), unit_of_work(self.sessions) as session:
            ids = self.insert(session, Kudos, entries)
            kudos_ids = ids[len(entries) - len(kudos_values) :]
            self.insert(
                session,
                KudosValue,
                [
                    {"kudos_id": kudos_id, "value_id": value_id}
                    for kudos_id, chosen in zip(kudos_ids, kudos_values, strict=True)
                    for value_id in chosen
                ],
            )
            given_at = [entry["created_at"] for entry in entries[len(entries) - len(kudos_ids) :]]
            self.insert(
                session,
                KudosReversal,
                [
                    {
                        "workspace_id": ws,
                        "kudos_id": kudos_id,
                        "cause": "revoked",
                        "reason": "Given by mistake",
                        "created_at": min(at + timedelta(hours=1), self.now),
                    }
                    for kudos_id, at in zip(kudos_ids, given_at, strict=True)
                    if rng.random() < 0.02
                ],
            )

    def _entry(
        self, giver: Person, recipient: Person, at: datetime, kind: str, points: int, key: str
    ) -> dict[str, Any]:
        return {
            "workspace_id": self.workspace_id,
            "giver_id": giver.id,
            "recipient_id": recipient.id,
            "kind": kind,
            "points": points,
            "reason": "Thanks for stepping in at the gate." if kind == "kudos" else "",
            "story_id": None,
            "giver_is_leader": giver.leader,
            "budget_week": week_start(at, TZ),
            "source_key": key,
            "created_at": at,
        }

    def revisions(self) -> None:
        """Leaders revise policies through the window, each closing its area's signals
        raised until then (as `policy_signals.revise_policy`, without its DMs)."""
        count = round(REVISIONS * self.weeks / WEEKS)
        moments = sorted(self.moment() for _ in range(count))
        with phase("revisions"), unit_of_work(self.sessions) as session:
            for at in moments:
                area = self.rng.choice([*self.area_ids[:-1], None])
                leader = self.rng.choice(self.leaders)
                note = self.rng.choice(NOTES)
                revision = policies_repo.add_revision(
                    session, self.workspace_id, area, leader.id, note, at
                )
                closed = policies_repo.close_signals(
                    session, self.workspace_id, area, at, revision.id
                )
                if closed:
                    self.add("policy_revisions", 1)
                    self.add("signals closed", len(closed))
                else:  # nothing open in that area: no revision, as revise_policy refuses
                    session.delete(revision)
                    session.flush()

    def pulse(self) -> None:
        """A round each past week of the window, opened on Tuesday morning and closed four
        days later (the workspace's pulse_open_days); the answers are written as closing
        the ballot box writes them (`pulse.add_counted_answers`), shuffled."""
        rng, ws = self.rng, self.workspace_id
        invited_people = [p for p in self.usable if not p.guest]  # guests: not by default
        with phase("pulse rounds"):
            for monday in self.week_starts[:-1]:  # this week's round is still to come
                opens = monday + timedelta(days=1, hours=9)
                with unit_of_work(self.sessions) as session:
                    found = open_round(session, ws, iso_period(opens, TZ), opens)
                    invites, answers, comments = [], [], []
                    for person in invited_people:
                        if person.joined >= opens:
                            continue
                        draw = rng.random()
                        status = (
                            COMPLETED
                            if draw < RESPONSE_RATE
                            else SKIPPED
                            if draw < RESPONSE_RATE + 0.05
                            else SENT
                        )
                        invites.append(
                            {
                                "workspace_id": ws,
                                "round_id": found.id,
                                "member_id": person.id,
                                "status": status,
                                "channel_id": f"D{person.user_id}",
                                "message_ts": f"{opens.timestamp():.0f}.000100",
                                "ballot_check": secrets.token_hex(16),
                            }
                        )
                        if status != COMPLETED:
                            continue
                        where = {"workspace_id": ws, "round_id": found.id, "team_id": person.team}
                        mood = rng.gauss(0, 0.8)
                        for question in found.questions:
                            if question.scale == NPS11:
                                value = min(10, max(0, round(7 + 2 * mood + rng.gauss(0, 1.5))))
                            else:
                                value = min(5, max(1, round(3.7 + mood + rng.gauss(0, 0.7))))
                            answers.append({**where, "question_id": question.id, "value": value})
                        if rng.random() < COMMENT_RATE:
                            comments.append({**where, "text": "More staff at the gate, please."})
                    self.insert(session, PulseInvite, invites)
                    close_round(session, ws, found.id, found.closes_at, SERVER_KEY)
                    rng.shuffle(answers)
                    pulse_repo.add_counted_answers(session, answers)
                    pulse_repo.add_counted_comments(session, comments)
                    self.add("pulse_rounds", 1)
                    self.add("pulse_answers", len(answers))
                    self.add("pulse_comments", len(comments))

    def totals(self) -> None:
        with phase("totals"), unit_of_work(self.sessions) as session:
            totals_repo.rebuild(session)

    def seeded(self) -> Seeded:
        hr = self.people[0]  # the first HR_PEOPLE are HR
        sizes = {team: len(people) for team, people in self.by_team.items() if team is not None}
        shown = sorted((size, team) for team, size in sizes.items() if size >= 2 * K)
        size, team = shown[len(shown) // 2]  # a typical team
        with self.sessions() as session:
            team_name = session.get(Team, team).name
        return Seeded(
            workspace_id=self.workspace_id,
            hr_user=hr.user_id,
            leader_user=self.leaders_by_team[team].user_id,
            leader_team=team_name,
            leader_team_size=size,
            counts=self.counts,
        )


def seed(engine: Engine, scale: float, weeks: int, seed_value: int) -> Seeded:
    seeder = Seeder(make_session_factory(engine), scale, weeks, seed_value)
    seeder.workspace()
    seeder.members()
    seeder.policy_areas()
    seeder.stories()
    seeder.ledger()
    seeder.revisions()
    seeder.pulse()
    seeder.totals()
    if engine.dialect.name == "postgresql":
        started = time.perf_counter()
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))
            connection.execute(text("CHECKPOINT"))
        print(f"  {'VACUUM, CHECKPOINT':<20}{time.perf_counter() - started:7.2f} s", flush=True)
    return seeder.seeded()


# --- timing -------------------------------------------------------------------------------


class StatementCounter:
    """SQL statements the engine sends while `on`."""

    def __init__(self, engine: Engine) -> None:
        self.count = 0
        self.on = False
        event.listen(engine, "before_cursor_execute", self._seen)

    def _seen(self, *_args: object) -> None:
        if self.on:
            self.count += 1

    @contextmanager
    def counting(self) -> Iterator[StatementCounter]:
        self.count, self.on = 0, True
        try:
            yield self
        finally:
            self.on = False


@dataclass
class Measured:
    viewer: str
    url: str
    status: int
    size: int
    statements: int
    median_ms: float
    max_ms: float
    peak_mb: float


def measure(
    client: FlaskClient, viewer: str, url: str, counter: StatementCounter, runs: int
) -> Measured:
    with counter.counting():
        answer = client.get(url)  # also the warm-up
    status, size = answer.status_code, len(answer.get_data())
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        client.get(url).get_data()
        samples.append((time.perf_counter() - started) * 1000)
    tracemalloc.start()
    try:
        client.get(url).get_data()
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return Measured(
        viewer,
        url,
        status,
        size,
        counter.count,
        statistics.median(samples),
        max(samples),
        peak / 1e6,
    )


def print_table(backend: str, results: list[Measured], runs: int) -> None:
    print(f"\n{backend}: {runs} timed requests each, after one warm-up")
    header = (
        f"{'viewer':<8}{'url':<62}{'status':>7}{'KB':>8}{'SQL':>6}"
        f"{'median ms':>11}{'max ms':>9}{'peak MB':>9}"
    )
    print(header)
    print("-" * len(header))
    for row in results:
        url = row.url.removeprefix("/dashboard")
        print(
            f"{row.viewer:<8}{url:<62}{row.status:>7}{row.size / 1024:>8.1f}{row.statements:>6}"
            f"{row.median_ms:>11.1f}{row.max_ms:>9.1f}{row.peak_mb:>9.1f}",
            flush=True,
        )


def run(args: argparse.Namespace) -> int:
    backend = "PostgreSQL" if args.postgres else "SQLite"
    with database(args.postgres, args.keep) as url:
        started = time.perf_counter()
        upgrade(url)
        engine = make_engine(url)
        print(
            f"{backend}, scale {args.scale}, {args.weeks} weeks: migrated in "
            f"{time.perf_counter() - started:.1f} s; seeding",
            flush=True,
        )
        started = time.perf_counter()
        seeded = seed(engine, args.scale, args.weeks, args.seed)
        seeding = time.perf_counter() - started
        print(f"  {'seeded in':<20}{seeding:7.2f} s")
        print("  rows: " + ", ".join(f"{name} {count:,}" for name, count in seeded.counts.items()))
        print(
            f"  viewers: hr = {seeded.hr_user} (HR, whole workspace); leader = "
            f"{seeded.leader_user} ({seeded.leader_team}, {seeded.leader_team_size} people)"
        )
        counter = StatementCounter(engine)
        web = dashboard_app(make_session_factory(engine))
        clients = {
            "hr": signed_in(web, SLACK_TEAM, seeded.hr_user, domain="bench-air"),
            "leader": signed_in(web, SLACK_TEAM, seeded.leader_user, domain="bench-air"),
        }
        urls = [url for url in URLS if args.only is None or args.only in url]
        results = []
        started = time.perf_counter()
        for viewer, client in clients.items():
            for url in urls:
                results.append(measure(client, viewer, url, counter, args.runs))
        timing = time.perf_counter() - started
        print_table(backend, results, args.runs)
        print(f"\nseeding {seeding:.1f} s, timing {timing:.1f} s")
        engine.dispose()
        failed = [row for row in results if row.status != 200]
        for row in failed:
            print(f"NOTE: {row.viewer} {row.url} answered {row.status}")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="multiplies the row counts")
    parser.add_argument("--weeks", type=int, default=WEEKS, help="weeks of activity (>= 12)")
    parser.add_argument("--runs", type=int, default=RUNS, help="timed requests per URL")
    parser.add_argument(
        "--postgres",
        nargs="?",
        const=DEFAULT_POSTGRES_URL,
        metavar="URL",
        help=f"a fresh PostgreSQL database created through URL ({DEFAULT_POSTGRES_URL})",
    )
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--only", metavar="PATTERN", help="time only URLs containing PATTERN")
    parser.add_argument("--seed", type=int, default=1, help="the random generator's seed")
    args = parser.parse_args()
    args.weeks = max(WEEKS, args.weeks)
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
