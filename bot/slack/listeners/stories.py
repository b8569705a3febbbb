"""Moments of truth in Slack: the share modal, the message shortcut, card buttons,
reactions, and editing or deleting from the App Home."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.domain import events, stories
from bot.domain.directory import Requester
from bot.domain.errors import DomainError
from bot.domain.stories import BackingOutcome, DraftInvalid, StoryDraft, TagOutcome, TagSource
from bot.i18n import translate
from bot.slack import ids
from bot.slack.button_values import clicked
from bot.slack.middleware import Clock, UnitOfWork
from bot.slack.mot_commands import MotCommands, MotRequest
from bot.slack.replies import tell, tell_error
from bot.slack.story_flow import (
    after_story_saved,
    open_story_modal,
    publish_home,
    refresh_card,
    remove_card,
)
from bot.slack.views.story_card import StoryButton
from bot.slack.views.story_modal import ModalContext, draft_from_submission


def add_mot_commands(table: MotCommands) -> None:
    table.add("", handler=share_from_command, guide="help.command.share")
    table.mention("help.command.tag")  # the card's buttons and the reaction


def register(app: App) -> None:
    app.shortcut(ids.SHARE_SHORTCUT)(share_message)
    app.view(ids.STORY_MODAL)(submit_story)
    app.action(ids.TAG_STORY)(on_card_button(partial(stories.tag_story, source=TagSource.BUTTON)))
    app.action(ids.BACK_STORY)(on_card_button(stories.back_story))
    app.action(ids.HOME_SHARE_STORY)(share_from_home)
    app.action(ids.EDIT_STORY)(edit_from_home)
    app.action(ids.DELETE_STORY)(delete_from_home)
    app.event("reaction_added")(on_reaction(stories.tag_story))
    app.event("reaction_removed")(on_reaction(stories.untag_story))


def share_from_command(request: MotRequest) -> None:
    """A bare `/mot`: the share modal, with the requester among the people."""
    request.ack()
    draft = _blank_draft(request.requester)
    open_story_modal(request.client, request.context, request.trigger_id, draft, ModalContext())


def share_message(
    ack: Ack, shortcut: dict, context: BoltContext, requester: Requester, client: WebClient
) -> None:
    """ "Share as moment of truth" on a message: the modal, pre-filled from the message."""
    ack()
    message = shortcut.get("message") or {}
    people = [requester.user_id]
    author = message.get("user")
    if author and author != requester.user_id and not message.get("bot_id"):
        people.insert(0, author)
    draft = StoryDraft(
        people=tuple(people),
        touchpoint="",
        customer_need="",
        action_taken=message.get("text", ""),
        outcome="",
    )
    source = ModalContext(
        source_channel_id=(shortcut.get("channel") or {}).get("id"),
        source_message_ts=message.get("ts"),
    )
    open_story_modal(client, context, shortcut["trigger_id"], draft, source)


def share_from_home(
    ack: Ack, body: dict, context: BoltContext, requester: Requester, client: WebClient
) -> None:
    ack()
    open_story_modal(client, context, body["trigger_id"], _blank_draft(requester), ModalContext())


def _blank_draft(requester: Requester) -> StoryDraft:
    return StoryDraft(
        people=(requester.user_id,), touchpoint="", customer_need="", action_taken="", outcome=""
    )


def edit_from_home(
    ack: Ack,
    body: dict,
    action: dict,
    context: BoltContext,
    requester: Requester,
    unit_of_work: UnitOfWork,
    client: WebClient,
) -> None:
    ack()
    try:
        story_id = _story_id(action)
        with unit_of_work() as session:
            card = stories.story_card(session, requester.workspace_id, story_id)
        if card.author_user_id != requester.user_id:
            raise DomainError("stories.errors.not_author")
    except DomainError as error:
        tell_error(client, requester, error)
        return
    draft = StoryDraft(
        people=card.people_user_ids,
        touchpoint=card.touchpoint.value,
        customer_need=card.customer_need,
        action_taken=card.action_taken,
        outcome=card.outcome,
        went_wrong=card.went_wrong,
        rule_bent=card.rule_bent,
        policy_area_id=card.policy_area_id,
        decided_on_spot=card.decided_on_spot,
        appearance="appearance" in card.abc,
        behaviour="behaviour" in card.abc,
        communication="communication" in card.abc,
        value_tags=tuple(value.tag for value in card.values),
    )
    open_story_modal(client, context, body["trigger_id"], draft, ModalContext(story_id=card.id))


def submit_story(
    ack: Ack,
    view: dict,
    context: BoltContext,
    requester: Requester,
    unit_of_work: UnitOfWork,
    now: Clock,
    client: WebClient,
) -> None:
    draft = draft_from_submission(view, requester.user_id)
    story_id = ModalContext.decode(view.get("private_metadata", "")).story_id
    try:
        with unit_of_work() as session:
            if story_id is None:
                # The view's id: the same form submitted twice records one story.
                card = stories.share_story(
                    session, requester, draft, now(), submission_key=view.get("id")
                )
            else:
                card = stories.edit_story(session, requester, story_id, draft, now())
    except DraftInvalid as invalid:
        ack(
            response_action="errors",
            errors={
                field: translate(requester.locale, key) for field, key in invalid.errors.items()
            },
        )
        return
    except DomainError as error:
        # Shown beside the input it concerns: the channel, or else the first field.
        field = ids.STORY_CHANNEL if error.key == "stories.errors.no_channel" else ids.STORY_NEED
        ack(
            response_action="errors",
            errors={field: translate(requester.locale, error.key, **error.params)},
        )
        return
    ack()
    after_story_saved(client, context, card, is_new=story_id is None)


def on_card_button(act: Callable[..., TagOutcome | BackingOutcome]) -> Callable[..., None]:
    """The listener of a card button that tags or backs its story (`act`, a domain
    function); it answers the person when nothing changed."""

    def clicked_on_card(
        ack: Ack,
        body: dict,
        action: dict,
        context: BoltContext,
        requester: Requester,
        unit_of_work: UnitOfWork,
        now: Clock,
        client: WebClient,
    ) -> None:
        ack()
        channel = _channel_of(body)
        try:
            story_id = _story_id(action)
            with unit_of_work() as session:
                outcome = act(session, requester, story_id, now=now())
        except DomainError as error:
            tell_error(client, requester, error, channel=channel)
            return
        if outcome.changed:
            refresh_card(client, context, outcome.card, channel=channel)
        elif outcome.reason:
            tell(client, requester, translate(requester.locale, outcome.reason), channel=channel)
        clicked_ts = (body.get("container") or {}).get("message_ts")
        if outcome.changed and clicked_ts != outcome.card.message_ts:
            # Clicked elsewhere (a leader's digest): the card changed, but not where they are.
            text = translate(requester.locale, "stories.acted_elsewhere")
            tell(client, requester, text, channel)

    return clicked_on_card


def delete_from_home(
    ack: Ack,
    action: dict,
    context: BoltContext,
    requester: Requester,
    unit_of_work: UnitOfWork,
    now: Clock,
    client: WebClient,
) -> None:
    ack()
    try:
        story_id = _story_id(action)
        with unit_of_work() as session:
            card = stories.delete_story(session, requester, story_id, now())
    except DomainError as error:
        tell_error(client, requester, error)
        return
    remove_card(client, context, card)
    publish_home(client, context)


def on_reaction(change: Callable[..., TagOutcome]) -> Callable[..., None]:
    """The listener of the tag emoji added to or removed from a story card (`change`, a
    domain function); other reactions, and a redelivered event, change nothing."""

    def reacted(
        event: dict,
        body: dict,
        context: BoltContext,
        requester: Requester,
        unit_of_work: UnitOfWork,
        now: Clock,
        client: WebClient,
    ) -> None:
        item = event.get("item") or {}
        if event.get("reaction") != requester.tag_emoji or item.get("type") != "message":
            return
        with unit_of_work() as session:
            story_id = stories.story_at(
                session, requester.workspace_id, item.get("channel", ""), item.get("ts", "")
            )
            if story_id is None or not events.first_delivery(
                session, requester.workspace_id, body.get("event_id", "")
            ):
                return
            try:
                outcome = change(session, requester, story_id, TagSource.REACTION, now())
            except DomainError:
                return  # a reaction on a deleted story changes nothing and needs no answer
        if outcome.changed:
            # Nobody to answer for a reaction: a late refresh is left to the outbox silently.
            refresh_card(client, context, outcome.card, tell_when_late=False)

    return reacted


def _story_id(action: dict) -> int:
    """The story a clicked button is about; a value no view wrote names no story."""
    return clicked(action, StoryButton.decode, "stories.errors.not_found").story_id


def _channel_of(body: dict) -> str | None:
    return (body.get("container") or {}).get("channel_id")
