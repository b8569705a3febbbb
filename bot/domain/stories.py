"""Moments of truth: sharing a customer-contact story, and recognising it.

A story tells one contact: the touchpoint, what the customer needed, what was done,
whether it was decided on the spot, the outcome, and which parts of the first
impression (Appearance, Behaviour, Communication) mattered. It is posted as a card.
Peers and leaders tag it as a *positive moment of truth* (once each, by button or by
reaction); leaders *back* the decision in it, which is the point of the whole method.
Nobody recognises their own story: that would make the recognition meaningless.

Functions take a session, the requester and plain values; they flush, never commit.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from enum import StrEnum

from sqlalchemy.orm import Session

from bot.db.models import Story, StoryTag, Workspace
from bot.db.repositories import policies as policies_repo
from bot.db.repositories import stories as repo
from bot.db.repositories import totals
from bot.db.repositories import values as values_repo
from bot.domain import kudos, outbox, policy_areas, policy_signals
from bot.domain.common import clean_text, distinct_ids
from bot.domain.directory import Requester, ensure_members
from bot.domain.errors import DomainError
from bot.domain.values import ValueLabel

TEXT_MAX = 4000
"""Characters per text field. Stored whole up to this; shortening for display is the card's job."""

MAX_PEOPLE = 10

TEXT_FIELDS = ("customer_need", "action_taken", "outcome")


class Touchpoint(StrEnum):
    """Where the customer met us."""

    IN_PERSON = "in_person"
    PHONE = "phone"
    CHAT = "chat"
    EMAIL = "email"
    ON_SITE = "on_site"
    OTHER = "other"


class TagSource(StrEnum):
    """How a tag was given: a removed reaction may only take back a tag given by reaction."""

    BUTTON = "button"
    REACTION = "reaction"


@dataclass(frozen=True)
class StoryDraft:
    """What someone filled in to share or edit a story.

    `people` are Slack user ids (empty: just the author). `channel_id` None means the
    workspace's stories channel. `source_*` name the message a "Share as moment of
    truth" shortcut started from.
    """

    people: tuple[str, ...]
    touchpoint: str
    customer_need: str
    action_taken: str
    outcome: str
    decided_on_spot: bool = False
    appearance: bool = False
    behaviour: bool = False
    communication: bool = False
    value_tags: tuple[str, ...] = ()
    channel_id: str | None = None
    source_channel_id: str | None = None
    source_message_ts: str | None = None
    # A service recovery tells what went wrong; `action_taken` is then how it was put right.
    went_wrong: str = ""
    # A decision on the spot may name the rule it went beyond: a policy signal.
    rule_bent: str = ""
    policy_area_id: int | None = None

    @property
    def is_recovery(self) -> bool:
        return bool(clean_text(self.went_wrong))

    @property
    def raises_policy_signal(self) -> bool:
        return policy_signals.raises_signal(
            self.decided_on_spot, self.rule_bent, self.policy_area_id
        )


class DraftInvalid(DomainError):
    """The draft cannot be saved; `errors` maps each faulty field to a message key,
    so the modal can show every problem beside its own input at once."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        super().__init__("stories.errors.invalid")
        self.errors: dict[str, str] = dict(errors)


@dataclass(frozen=True)
class StoryCard:
    """A story as its card and the App Home show it."""

    id: int
    author_user_id: str
    people_user_ids: tuple[str, ...]
    touchpoint: Touchpoint
    customer_need: str
    action_taken: str
    outcome: str
    decided_on_spot: bool
    abc: tuple[str, ...]
    values: tuple[ValueLabel, ...]
    tag_count: int
    backer_user_ids: tuple[str, ...]
    channel_id: str | None
    message_ts: str | None
    source_channel_id: str | None
    source_message_ts: str | None
    created_at: datetime
    is_deleted: bool
    is_recovery: bool = False
    went_wrong: str = ""
    rule_bent: str = ""
    policy_area_id: int | None = None
    policy_area: str | None = None
    raises_policy_signal: bool = False
    policy_revised: bool = False


@dataclass(frozen=True)
class TagOutcome:
    """What a tag or untag did; `reason` is a message key when nothing changed."""

    card: StoryCard
    changed: bool
    reason: str | None = None


@dataclass(frozen=True)
class BackingOutcome:
    """What a leader's backing did; `reason` is a message key when nothing changed."""

    card: StoryCard
    changed: bool
    reason: str | None = None


# --- rules without a database ---------------------------------------------------------


def check_draft(draft: StoryDraft) -> dict[str, str]:
    """Every problem with the draft that needs no database, as field name -> message key."""
    errors: dict[str, str] = {}
    if len(distinct_ids(draft.people)) > MAX_PEOPLE:
        errors["people"] = "stories.errors.too_many_people"
    if draft.touchpoint not in _TOUCHPOINTS:
        errors["touchpoint"] = "stories.errors.touchpoint"
    for field in TEXT_FIELDS:
        text = clean_text(getattr(draft, field))
        if not text:
            errors[field] = "stories.errors.required"
        elif len(text) > TEXT_MAX:
            errors[field] = "stories.errors.too_long"
    if len(clean_text(draft.went_wrong)) > TEXT_MAX:
        errors["went_wrong"] = "stories.errors.too_long"
    rule_error = policy_signals.check_rule(
        draft.decided_on_spot, draft.rule_bent, draft.policy_area_id
    )
    if rule_error:
        errors["rule_bent"] = rule_error
    return errors


_TOUCHPOINTS = frozenset(touchpoint.value for touchpoint in Touchpoint)


def _abc(story: Story) -> tuple[str, ...]:
    flags = (
        ("appearance", story.abc_appearance),
        ("behaviour", story.abc_behaviour),
        ("communication", story.abc_communication),
    )
    return tuple(name for name, chosen in flags if chosen)


def _ordered_people(author_user_id: str, people: Sequence[str]) -> tuple[str, ...]:
    """The author first when they are one of the people, so the card reads naturally."""
    if author_user_id not in people:
        return tuple(people)
    return (author_user_id, *(user_id for user_id in people if user_id != author_user_id))


# --- writing stories ------------------------------------------------------------------


def share_story(
    session: Session,
    requester: Requester,
    draft: StoryDraft,
    now: datetime,
    submission_key: str | None = None,
) -> StoryCard:
    """Save a new story by the requester, owing its card (the outbox: the caller delivers
    it, see card_posted). The same `submission_key` again (the same form submitted twice)
    records nothing and answers the story it recorded the first time."""
    if submission_key:
        already = repo.story_by_submission(session, requester.workspace_id, submission_key)
        if already is not None:
            return _card(session, already)
    workspace = session.get(Workspace, requester.workspace_id)
    channel_id = draft.channel_id or (workspace.stories_channel_id if workspace else None)
    if not channel_id:
        raise DomainError("stories.errors.no_channel")
    value_ids = _checked_value_ids(
        session, requester.workspace_id, draft, keep=frozenset(), keep_area=None
    )
    story = Story(
        workspace_id=requester.workspace_id,
        author_id=requester.member_id,
        channel_id=channel_id,
        source_channel_id=draft.source_channel_id,
        source_message_ts=draft.source_message_ts,
        submission_key=submission_key or None,
        created_at=now,
    )
    _apply_draft(story, draft)
    session.add(story)
    session.flush()
    repo.replace_people(session, story.id, _person_ids(session, requester, draft))
    repo.replace_values(session, story.id, value_ids)
    totals.apply(
        session, requester.workspace_id, totals.Changes(stories=Counter({story.author_id: 1}))
    )
    outbox.owe_card(session, requester.workspace_id, story.id, now)
    return _card(session, story)


def card_posted(
    session: Session,
    workspace_id: int,
    story_id: int,
    channel_id: str,
    message_ts: str,
    now: datetime,
) -> bool:
    """The story's card is in the channel: remember where (reactions on it find the
    story), and owe each person in the story (not the author) a DM saying so. False when
    the story has a card already, which this one would duplicate."""
    story = _story(session, workspace_id, story_id)
    if not repo.attach_card_once(session, story.id, channel_id, message_ts):
        return False
    told = repo.person_ids(session, story.id) - {story.author_id}
    outbox.owe_story_notices(session, workspace_id, story.id, sorted(told), now)
    return True


def attach_card(
    session: Session,
    requester_or_workspace_id: Requester | int,
    story_id: int,
    channel_id: str,
    message_ts: str,
) -> None:
    """Remember which message is the story's card, so reactions on it can find the story."""
    workspace_id = (
        requester_or_workspace_id.workspace_id
        if isinstance(requester_or_workspace_id, Requester)
        else requester_or_workspace_id
    )
    story = _story(session, workspace_id, story_id)
    story.channel_id = channel_id
    story.message_ts = message_ts
    session.flush()


def edit_story(
    session: Session, requester: Requester, story_id: int, draft: StoryDraft, now: datetime
) -> StoryCard:
    """Replace what the story says; its tags and backings stay, as does where its card is.

    Values already on the story may stay even if an admin has since retired them.
    """
    story = _own_live_story(session, requester, story_id)
    value_ids = _checked_value_ids(
        session,
        requester.workspace_id,
        draft,
        keep=frozenset(repo.value_ids(session, story.id)),
        keep_area=story.policy_area_id,
    )
    _apply_draft(story, draft)
    story.updated_at = now
    repo.replace_people(session, story.id, _person_ids(session, requester, draft))
    repo.replace_values(session, story.id, value_ids)
    session.flush()
    outbox.owe_refresh(session, requester.workspace_id, story.id, now)
    if story.message_ts is None:
        # Its card was never posted (Slack refused it for good, say): the edit posts it.
        outbox.owe_card(session, requester.workspace_id, story.id, now)
    return _card(session, story)


def delete_story(session: Session, requester: Requester, story_id: int, now: datetime) -> StoryCard:
    """Retract the story and its tags; returns the card as it was, marked deleted, so the
    caller can take the posted card down."""
    story = _own_live_story(session, requester, story_id)
    card = _card(session, story)
    if not repo.mark_deleted(session, story.id, now):
        raise DomainError("stories.errors.deleted")
    changes = totals.Changes(stories=Counter({story.author_id: -1}))
    _withdraw_tags(
        session,
        story,
        repo.tags_of(session, story.id),
        kudos.ReversalCause.STORY_DELETED,
        now,
        changes,
    )
    session.flush()
    outbox.owe_refresh(session, requester.workspace_id, story.id, now)  # it comes down
    return replace(card, is_deleted=True)


def _own_live_story(session: Session, requester: Requester, story_id: int) -> Story:
    story = _story(session, requester.workspace_id, story_id)
    if story.author_id != requester.member_id:
        raise DomainError("stories.errors.not_author")
    if story.deleted_at is not None:
        raise DomainError("stories.errors.deleted")
    return story


def _checked_value_ids(
    session: Session,
    workspace_id: int,
    draft: StoryDraft,
    keep: frozenset[int],
    keep_area: int | None,
) -> list[int]:
    """The ids of the draft's values, or DraftInvalid with every problem of the draft.

    A value counts as known when it is active, or already on the story (`keep`); so does
    a policy area (`keep_area`).
    """
    errors = check_draft(draft)
    try:
        policy_areas.usable_area(session, workspace_id, draft.policy_area_id, keep_area)
    except DomainError as error:
        errors["policy_area"] = error.key
    tags = list(dict.fromkeys(draft.value_tags))
    found = values_repo.values_by_tag(session, workspace_id, tags)
    usable = {tag: value.id for tag, value in found.items() if value.is_active or value.id in keep}
    if any(tag not in usable for tag in tags):
        errors["values"] = "stories.errors.unknown_value"
    if errors:
        raise DraftInvalid(errors)
    return [usable[tag] for tag in tags]


def _apply_draft(story: Story, draft: StoryDraft) -> None:
    story.touchpoint = Touchpoint(draft.touchpoint).value
    story.customer_need = clean_text(draft.customer_need)
    story.action_taken = clean_text(draft.action_taken)
    story.outcome = clean_text(draft.outcome)
    story.decided_on_spot = draft.decided_on_spot
    story.abc_appearance = draft.appearance
    story.abc_behaviour = draft.behaviour
    story.abc_communication = draft.communication
    story.is_recovery = draft.is_recovery
    story.went_wrong = clean_text(draft.went_wrong)
    area_id = draft.policy_area_id if draft.raises_policy_signal else None
    if not draft.raises_policy_signal or area_id != story.policy_area_id:
        # A revision closed the signal of one area: a story moved to another area raises
        # an open signal there, and one that no longer names a rule closes nothing.
        story.policy_revision_id = None
    story.raises_policy_signal = draft.raises_policy_signal
    story.rule_bent = clean_text(draft.rule_bent) if draft.raises_policy_signal else ""
    story.policy_area_id = area_id


def _person_ids(session: Session, requester: Requester, draft: StoryDraft) -> list[int]:
    """Member ids of the story's people (the author when none are named); people the bot
    has not met yet get placeholder members."""
    user_ids = distinct_ids(draft.people) or (requester.user_id,)
    members = ensure_members(session, requester.workspace_id, user_ids)
    return [members[user_id].id for user_id in user_ids]


# --- recognising stories --------------------------------------------------------------


def tag_story(
    session: Session, requester: Requester, story_id: int, source: TagSource, now: datetime
) -> TagOutcome:
    """Tag the story as a positive moment of truth: once per person, by button or reaction.

    A new tag earns the people in the story the workspace's points per tag, from the
    tagger, in the kudos ledger.
    """
    story = _locked_live_story(session, requester.workspace_id, story_id)
    if _is_in_story(session, story, requester.member_id):
        return TagOutcome(_card(session, story), changed=False, reason="stories.tag.own")
    added = repo.add_tag(
        session, requester.workspace_id, story.id, requester.member_id, TagSource(source), now
    )
    if added:
        changes = totals.Changes(story_tags=Counter({story.author_id: 1}))
        tag = repo.tag_by(session, story.id, requester.member_id)
        if tag is not None:
            kudos.credit_tag(session, requester, tag, now, changes)
        totals.apply(session, requester.workspace_id, changes)
        outbox.owe_refresh(session, requester.workspace_id, story.id, now)
    return TagOutcome(
        _card(session, story), changed=added, reason=None if added else "stories.tag.already"
    )


def untag_story(
    session: Session, requester: Requester, story_id: int, source: TagSource, now: datetime
) -> TagOutcome:
    """Take back the requester's tag, but only the way it was given: removing a reaction
    must not undo a tag given with the button."""
    story = _locked_live_story(session, requester.workspace_id, story_id)
    tag = repo.tag_by(session, story.id, requester.member_id)
    if tag is None:
        return TagOutcome(_card(session, story), changed=False, reason="stories.untag.not_tagged")
    if tag.source != TagSource(source):
        return TagOutcome(_card(session, story), changed=False, reason="stories.untag.other_source")
    _withdraw_tags(session, story, [tag], kudos.ReversalCause.TAG_REMOVED, now, totals.Changes())
    outbox.owe_refresh(session, requester.workspace_id, story.id, now)
    return TagOutcome(_card(session, story), changed=True)


def _withdraw_tags(
    session: Session,
    story: Story,
    tags: Sequence[StoryTag],
    cause: kudos.ReversalCause,
    now: datetime,
    changes: totals.Changes,
) -> None:
    """The one place tags are taken back (untag, story deleted): the points they earned
    are reversed in the ledger (which keeps them, marked with `cause`), then the tags go.
    The all-time totals follow with the rest of `changes`, in one step."""
    kudos.reverse_tags(session, tags, cause, now, changes)
    changes.story_tags[story.author_id] -= repo.remove_tags(session, [tag.id for tag in tags])
    totals.apply(session, story.workspace_id, changes)


def back_story(
    session: Session, requester: Requester, story_id: int, now: datetime
) -> BackingOutcome:
    """A leader publicly backs the decision in the story: once, and never their own."""
    if not requester.is_leader:
        raise DomainError("stories.errors.leaders_only")
    story = _live_story(session, requester.workspace_id, story_id)
    if _is_in_story(session, story, requester.member_id):
        return BackingOutcome(_card(session, story), changed=False, reason="stories.back.own")
    added = repo.add_backing(session, requester.workspace_id, story.id, requester.member_id, now)
    if added:
        outbox.owe_refresh(session, requester.workspace_id, story.id, now)
    return BackingOutcome(
        _card(session, story), changed=added, reason=None if added else "stories.back.already"
    )


def _is_in_story(session: Session, story: Story, member_id: int) -> bool:
    """Whether the member wrote the story or is one of its people."""
    return story.author_id == member_id or member_id in repo.person_ids(session, story.id)


# --- reading stories ------------------------------------------------------------------


def story_card(session: Session, workspace_id: int, story_id: int) -> StoryCard:
    return _card(session, _story(session, workspace_id, story_id))


def story_at(session: Session, workspace_id: int, channel_id: str, message_ts: str) -> int | None:
    """The story whose card is this message (reactions name only the message)."""
    return repo.story_id_at(session, workspace_id, channel_id, message_ts)


def recent_stories(session: Session, requester: Requester, limit: int = 10) -> list[StoryCard]:
    """The requester's own stories (written or in them), newest first, for the App Home."""
    stories = repo.stories_of_member(session, requester.workspace_id, requester.member_id, limit)
    return _cards(session, stories)


def _story(session: Session, workspace_id: int, story_id: int) -> Story:
    story = repo.story_in_workspace(session, workspace_id, story_id)
    if story is None:
        raise DomainError("stories.errors.not_found")
    return story


def _locked_live_story(session: Session, workspace_id: int, story_id: int) -> Story:
    """The live story, held against deletion until the transaction ends (a tag and the
    storytellers' totals must change together with the story still live)."""
    story = repo.locked_story(session, workspace_id, story_id)
    if story is None:
        raise DomainError("stories.errors.not_found")
    if story.deleted_at is not None:
        raise DomainError("stories.errors.deleted")
    return story


def _live_story(session: Session, workspace_id: int, story_id: int) -> Story:
    story = _story(session, workspace_id, story_id)
    if story.deleted_at is not None:
        raise DomainError("stories.errors.deleted")
    return story


def _card(session: Session, story: Story) -> StoryCard:
    return _cards(session, [story])[0]


def _cards(session: Session, stories: Sequence[Story]) -> list[StoryCard]:
    """Cards for many stories in a fixed number of queries, however many stories."""
    if not stories:
        return []
    ids = [story.id for story in stories]
    authors = repo.user_ids_of(session, {story.author_id for story in stories})
    people = repo.people_user_ids(session, ids)
    values = repo.story_values(session, ids)
    tag_counts = repo.tag_counts(session, ids)
    backers = repo.backer_user_ids(session, ids)
    areas = policies_repo.area_names(
        session, {story.policy_area_id for story in stories if story.policy_area_id is not None}
    )
    return [
        StoryCard(
            id=story.id,
            author_user_id=authors[story.author_id],
            people_user_ids=_ordered_people(authors[story.author_id], people.get(story.id, [])),
            touchpoint=Touchpoint(story.touchpoint),
            customer_need=story.customer_need,
            action_taken=story.action_taken,
            outcome=story.outcome,
            decided_on_spot=story.decided_on_spot,
            abc=_abc(story),
            values=tuple(ValueLabel(value.tag, value.name) for value in values.get(story.id, [])),
            tag_count=tag_counts.get(story.id, 0),
            backer_user_ids=tuple(backers.get(story.id, [])),
            channel_id=story.channel_id,
            message_ts=story.message_ts,
            source_channel_id=story.source_channel_id,
            source_message_ts=story.source_message_ts,
            created_at=story.created_at.astimezone(UTC),
            is_deleted=story.deleted_at is not None,
            is_recovery=story.is_recovery,
            went_wrong=story.went_wrong,
            rule_bent=story.rule_bent,
            policy_area_id=story.policy_area_id,
            policy_area=areas.get(story.policy_area_id) if story.policy_area_id else None,
            raises_policy_signal=story.raises_policy_signal,
            policy_revised=story.policy_revision_id is not None,
        )
        for story in stories
    ]
