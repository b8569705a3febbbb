"""What made the difference in the positive moments of truth, and where they happened.

Carlzon's first impression is Appearance, Behaviour and Communication, weighing about
52%, 33% and 15%. A story tagged as a positive moment of truth at least once is a
positive moment; its teller says which of A, B and C made the difference (any of them).
The mix is each letter's share of all the letters named, beside Carlzon's figure; the
touchpoints are where those moments happened, most first.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from bot.db.repositories import service_mix as repo

CARLZON_ABC = {"appearance": 0.52, "behaviour": 0.33, "communication": 0.15}


@dataclass(frozen=True)
class AbcShare:
    letter: str  # "appearance", "behaviour", "communication"
    stories: int
    share: float  # of all the letters named
    carlzon: float


@dataclass(frozen=True)
class ServiceMix:
    positive_moments: int
    abc: tuple[AbcShare, ...]  # A, B, C in Carlzon's order; empty when none was named
    touchpoints: tuple[tuple[str, int], ...]  # most positive moments first


def service_mix(
    session: Session, workspace_id: int, since: datetime, until: datetime
) -> ServiceMix:
    """The positive moments of truth shared in [since, until), not deleted."""
    rows = repo.positive_moments(session, workspace_id, since, until)
    letters: Counter[str] = Counter()
    places: Counter[str] = Counter()
    for touchpoint, appearance, behaviour, communication in rows:
        places[touchpoint] += 1
        for letter, named in zip(CARLZON_ABC, (appearance, behaviour, communication), strict=True):
            if named:
                letters[letter] += 1
    named_in_all = sum(letters.values())
    abc = (
        tuple(
            AbcShare(letter, letters[letter], letters[letter] / named_in_all, weight)
            for letter, weight in CARLZON_ABC.items()
        )
        if named_in_all
        else ()
    )
    ranked = sorted(places.items(), key=lambda item: (-item[1], item[0]))
    return ServiceMix(len(rows), abc, tuple(ranked))
