"""What made the difference in the positive moments of truth, where they happened, and
how often a story is a service recovery.

Carlzon's first impression is Appearance, Behaviour and Communication, weighing about
52%, 33% and 15%. A story tagged as a positive moment of truth at least once is a
positive moment; its teller says which of A, B and C made the difference (any of them).
The mix is each letter's share of all the letters named, beside Carlzon's figure; the
touchpoints are where those moments happened, most first. A service recovery (something
went wrong and was put right) is a moment of truth too: the share of stories that are
recoveries, and where they happen, are counted over every story shared.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
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
    stories: int = 0  # every story shared in the period
    recoveries: int = 0
    recovery_touchpoints: tuple[tuple[str, int], ...] = ()  # most recoveries first

    @property
    def recovery_share(self) -> float:
        return self.recoveries / self.stories if self.stories else 0.0


def service_mix(
    session: Session, workspace_id: int, since: datetime, until: datetime
) -> ServiceMix:
    """The stories shared in [since, until), not deleted."""
    shared = repo.stories_shared(session, workspace_id, since, until)
    positive = [story for story in shared if story.is_positive]
    letters: Counter[str] = Counter()
    for story in positive:
        named = (story.appearance, story.behaviour, story.communication)
        letters.update(letter for letter, on in zip(CARLZON_ABC, named, strict=True) if on)
    named_in_all = sum(letters.values())
    abc = (
        tuple(
            AbcShare(letter, letters[letter], letters[letter] / named_in_all, weight)
            for letter, weight in CARLZON_ABC.items()
        )
        if named_in_all
        else ()
    )
    recoveries = [story for story in shared if story.is_recovery]
    return ServiceMix(
        positive_moments=len(positive),
        abc=abc,
        touchpoints=_ranked(story.touchpoint for story in positive),
        stories=len(shared),
        recoveries=len(recoveries),
        recovery_touchpoints=_ranked(story.touchpoint for story in recoveries),
    )


def _ranked(touchpoints: Iterable[str]) -> tuple[tuple[str, int], ...]:
    counts = Counter(touchpoints)
    return tuple(sorted(counts.items(), key=lambda item: (-item[1], item[0])))
