"""An attacker with a copy of the database, trying to pair pulse answers with people.

The attacker reads the dump the way one would: the answers in every order the storage
gives them (physical order, SQLite's rowid, PostgreSQL's ctid and xmin, their ids), and
people in every order any table gives them (every timestamp column, ids, rowid, ctid,
xmin, physical order) through every column that names a person (a foreign key to
`members`, or text holding a member's Slack id). Each pairing of an answer order with a
person order lines the two up: the i-th answer to a question with the i-th person, and
(for orders only roughly kept) with the people a few places either side.

`linkage_report` scores every line-up against the truth (who really answered what): the
number of (answer, person) pairs where the person really gave that value. A line-up that
says nothing scores what a random one scores; the report names each line-up whose score
lies above the mean of random line-ups of the same people by more than `SIGMAS` standard
deviations.
"""

from __future__ import annotations

import random
import statistics
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, MetaData, Table, text
from sqlalchemy.types import Date, DateTime, Integer, String, Text, Uuid

SIGMAS = 5.0
SCREEN = 2.0  # line-ups above this many binomial sigmas are measured by shuffling
TRIALS = 300
WIDTHS = (0, 2, 6)

# What the attacker matches: (question id, value) per answer; "comment" for comment text.
Truth = Mapping[int, Mapping[object, object]]  # member id -> {question id: value}


@dataclass(frozen=True)
class Ordering:
    """What one strategy reads, in the order it reads it."""

    name: str
    items: tuple[Any, ...]


@dataclass(frozen=True)
class Linkage:
    answers: str
    people: str
    width: int
    score: int
    chance_mean: float
    chance_sd: float

    @property
    def sigmas(self) -> float:
        if self.chance_sd == 0:
            return float("inf") if self.score > self.chance_mean else 0.0
        return (self.score - self.chance_mean) / self.chance_sd


# --- what the dump gives ------------------------------------------------------------------


def _physical_keys(connection: Connection, table: Table) -> dict[str, str]:
    """Row addresses the storage gives away, as SQL expressions sortable in Python."""
    if connection.dialect.name == "postgresql":
        return {"ctid": "ctid::text", "xmin": "xmin::text::bigint"}
    definition = connection.execute(
        text("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = :name"),
        {"name": table.name},
    ).scalar_one()
    return {} if "WITHOUT ROWID" in definition.upper() else {"rowid": "rowid"}


def _ctid_sort_key(value: str) -> tuple[int, int]:
    page, item = value.strip("()").split(",")
    return int(page), int(item)


def _read_rows(connection: Connection, table: Table) -> tuple[list[str], list[dict[str, Any]]]:
    """Every row in physical order, with the storage's own addresses as extra columns."""
    physical = _physical_keys(connection, table)
    extra = "".join(f", {expression} AS __{name}" for name, expression in physical.items())
    result = connection.execute(text(f'SELECT *{extra} FROM "{table.name}"'))
    rows = [dict(row._mapping) for row in result]
    for position, row in enumerate(rows):
        row["__scan"] = position
        if "__ctid" in row:
            row["__ctid"] = _ctid_sort_key(row["__ctid"])
    return [f"__{name}" for name in physical] + ["__scan"], rows


def _order_columns(table: Table, physical: list[str]) -> list[str]:
    """Columns an attacker would sort by: every time, every id, every physical address."""
    columns = [
        column.name
        for column in table.columns
        if isinstance(column.type, DateTime | Date)
        or (column.primary_key and isinstance(column.type, Integer | Uuid | String))
    ]
    return columns + physical


def _sorted_by(rows: list[dict[str, Any]], column: str) -> list[dict[str, Any]]:
    present = [row for row in rows if row.get(column) is not None]
    return sorted(present, key=lambda row: (_sortable(row[column]), row["__scan"]))


def _sortable(value: Any) -> Any:
    return str(value) if not isinstance(value, int | float | tuple) else value


def _first_occurrences(items: Iterable[Any]) -> tuple[Any, ...]:
    seen: dict[Any, None] = {}
    for item in items:
        if item is not None and item not in seen:
            seen[item] = None
    return tuple(seen)


def _person_readers(
    table: Table, slack_ids: Mapping[str, int]
) -> dict[str, Any]:  # name -> row -> member id | None
    readers: dict[str, Any] = {}
    if table.name == "members":
        readers["members.id"] = lambda row: row["id"]
    for column in table.columns:
        if any(fk.column.table.name == "members" for fk in column.foreign_keys):
            readers[column.name] = lambda row, name=column.name: row[name]
        elif isinstance(column.type, String | Text) or column.type.__class__.__name__ == "JSON":
            readers[f"{column.name} (Slack id in text)"] = lambda row, name=column.name: (
                _named_member(row.get(name), slack_ids)
            )
    return readers


def _named_member(value: Any, slack_ids: Mapping[str, int]) -> int | None:
    if value is None:
        return None
    haystack = str(value)
    found = {member for slack_id, member in slack_ids.items() if slack_id in haystack}
    return found.pop() if len(found) == 1 else None


def people_orderings(
    connection: Connection, metadata: MetaData, slack_ids: Mapping[str, int]
) -> list[Ordering]:
    """Every order of people any table of the dump gives, both ways round."""
    orderings: list[Ordering] = []
    for table in metadata.sorted_tables:
        readers = _person_readers(table, slack_ids)
        if not readers:
            continue
        physical, rows = _read_rows(connection, table)
        for order_column in _order_columns(table, physical):
            ordered = _sorted_by(rows, order_column)
            for reader_name, reader in readers.items():
                people = [reader(row) for row in ordered]
                for direction, sequence in (("asc", people), ("desc", people[::-1])):
                    found = _first_occurrences(sequence)
                    if len(found) >= 2:
                        name = f"{table.name} by {order_column} {direction} via {reader_name}"
                        orderings.append(Ordering(name, found))
    return orderings


def answer_orderings(connection: Connection, metadata: MetaData, round_id: int) -> list[Ordering]:
    """The round's answers and comments in every order the dump gives, both ways round.

    Items are (question id, value) for answers and ("comment", text) for comments."""
    orderings: list[Ordering] = []
    for table_name, read in (
        ("pulse_answers", lambda row: (row["question_id"], row["value"])),
        ("pulse_comments", lambda row: ("comment", row["text"])),
    ):
        table = metadata.tables[table_name]
        physical, rows = _read_rows(connection, table)
        rows = [row for row in rows if row["round_id"] == round_id]
        for order_column in _order_columns(table, physical):
            items = tuple(read(row) for row in _sorted_by(rows, order_column))
            orderings.append(Ordering(f"{table_name} by {order_column} asc", items))
            orderings.append(Ordering(f"{table_name} by {order_column} desc", items[::-1]))
    return orderings


# --- scoring ------------------------------------------------------------------------------


def _by_question(answers: Sequence[tuple[object, object]]) -> dict[object, list[object]]:
    by_question: dict[object, list[object]] = {}
    for question, value in answers:
        by_question.setdefault(question, []).append(value)
    return by_question


def _window(position: int, width: int, people: int) -> range:
    return range(max(0, position - width), min(people, position + width + 1))


def agreement(
    answers: Sequence[tuple[object, object]], people: Sequence[int], truth: Truth, width: int = 0
) -> int:
    """How many (answer, person) pairs of the line-up have the person really giving that
    value.

    Answers are lined up per question: the i-th answer to a question with the i-th
    person of the order, as an attacker who knows the questions would; with a `width`,
    with every person up to `width` places either side too, so that an order that is
    only roughly kept (a row moved by an update, a page filled out of turn) still shows.
    """
    score = 0
    for question, values in _by_question(answers).items():
        for position, value in enumerate(values):
            for near in _window(position, width, len(people)):
                if truth.get(people[near], {}).get(question) == value:
                    score += 1
    return score


def _binomial_chance(
    answers: Sequence[tuple[object, object]], people: Sequence[int], truth: Truth, width: int
) -> tuple[float, float]:
    """Mean and spread of a random line-up's score, each pair taken as independent.

    Only a screen: a pairing that stands out here is then measured by `_chance`."""
    mean = variance = 0.0
    for question, values in _by_question(answers).items():
        given = Counter(truth.get(person, {}).get(question) for person in people)
        for position, value in enumerate(values):
            p = given[value] / len(people)
            pairs = len(_window(position, width, len(people)))
            mean += pairs * p
            variance += pairs * p * (1 - p)
    return mean, variance**0.5


def _chance(
    answers: Sequence[tuple[object, object]],
    people: Sequence[int],
    truth: Truth,
    width: int,
    rng: random.Random,
) -> tuple[float, float]:
    """Mean and spread of the scores if the answers had been stored in random order:
    each question's answers shuffled, the people in the order the attacker has them.

    The people are held as they are because their orders are not random (members by id,
    deliveries by time): shuffling them instead would call a chance alignment a link
    whenever the few people with an answer (three commenters, say) happen to come first
    in an order, although any order of three answers lines up with them 1 time in 6."""
    scores = []
    shuffled = list(answers)
    for _ in range(TRIALS):
        rng.shuffle(shuffled)
        scores.append(agreement(shuffled, people, truth, width))
    return statistics.fmean(scores), statistics.pstdev(scores)


def linkage_report(
    answer_orders: Sequence[Ordering],
    people_orders: Sequence[Ordering],
    truth: Truth,
    rng: random.Random,
) -> tuple[list[Linkage], int]:
    """(the line-ups that link better than chance, how many distinct ones were tried).

    Orders that read the same sequence are tried once, under the first name; each pair
    of orders is lined up exactly and with each of the `WIDTHS`."""
    links: list[Linkage] = []
    tried = 0
    for answers in _distinct(answer_orders):
        for people in _distinct(people_orders):
            for width in WIDTHS:
                tried += 1
                score = agreement(answers.items, people.items, truth, width)
                mean, sd = _binomial_chance(answers.items, people.items, truth, width)
                if score <= mean + SCREEN * sd:
                    continue
                mean, sd = _chance(answers.items, people.items, truth, width, rng)
                found = Linkage(answers.name, people.name, width, score, mean, sd)
                if found.sigmas > SIGMAS:
                    links.append(found)
    return links, tried


def _distinct(orderings: Sequence[Ordering]) -> list[Ordering]:
    first: dict[tuple[Any, ...], Ordering] = {}
    for ordering in orderings:
        if ordering.items:
            first.setdefault(ordering.items, ordering)
    return list(first.values())
