"""What happens in Slack around a story: opening the modal, posting and updating the card,
telling the people in it, and refreshing the App Home. Listeners call these after the
domain has decided; nothing here makes a rule."""

from __future__ import annotations

import logging

from slack_bolt import BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.domain import kudos, stories
from bot.domain.stories import StoryCard, StoryDraft
from bot.i18n import translate
from bot.slack.middleware import now_of, people_of, requester_of, unit_of_work_of
from bot.slack.replies import tell
from bot.slack.views.home import home_view
from bot.slack.views.story_card import deleted_card_message, people_notice, story_card_message
from bot.slack.views.story_modal import ModalContext, story_modal

log = logging.getLogger(__name__)


def open_story_modal(
    client: WebClient,
    context: BoltContext,
    trigger_id: str,
    draft: StoryDraft,
    modal_context: ModalContext,
) -> None:
    requester = requester_of(context)
    with unit_of_work_of(context) as session:
        values = stories.workspace_values(session, requester.workspace_id)
    view = story_modal(requester.locale, values, draft, modal_context, requester.stories_channel_id)
    client.views_open(trigger_id=trigger_id, view=view)


def after_story_saved(
    client: WebClient, context: BoltContext, card: StoryCard, *, is_new: bool
) -> None:
    if is_new:
        _post_card(client, context, card)
    else:
        refresh_card(client, context, card)
    publish_home(client, context)


def refresh_card(client: WebClient, context: BoltContext, card: StoryCard) -> None:
    if not (card.channel_id and card.message_ts):
        return
    message = story_card_message(card, requester_of(context).workspace_locale)
    client.chat_update(channel=card.channel_id, ts=card.message_ts, **message)


def remove_card(client: WebClient, context: BoltContext, card: StoryCard) -> None:
    if not (card.channel_id and card.message_ts):
        return
    try:
        client.chat_delete(channel=card.channel_id, ts=card.message_ts)
    except SlackApiError as error:
        # The card may have been removed by a channel admin already: say so in its place.
        log.warning("could not delete a story card: %s", error.response.get("error"))
        message = deleted_card_message(requester_of(context).workspace_locale)
        client.chat_update(channel=card.channel_id, ts=card.message_ts, **message)


def publish_home(client: WebClient, context: BoltContext) -> None:
    requester = requester_of(context)
    with unit_of_work_of(context) as session:
        recent = stories.recent_stories(session, requester)
        recognition = kudos.kudos_summary(session, requester, now_of(context))
    view = home_view(requester.locale, recent, recognition, requester.tag_emoji)
    client.views_publish(user_id=requester.user_id, view=view)


def _post_card(client: WebClient, context: BoltContext, card: StoryCard) -> None:
    requester = requester_of(context)
    assert card.channel_id is not None, "a shared story always has a channel"
    message = story_card_message(card, requester.workspace_locale)
    try:
        posted = _post_joining_if_needed(client, card.channel_id, message)
    except SlackApiError as error:
        log.warning("could not post a story card: %s", error.response.get("error"))
        text = translate(requester.locale, "stories.errors.cannot_post", channel=card.channel_id)
        tell(client, requester, text)
        return
    with unit_of_work_of(context) as session:
        stories.attach_card(
            session, requester.workspace_id, card.id, posted["channel"], posted["ts"]
        )
    permalink = _permalink(client, posted["channel"], posted["ts"])
    _notify_people(client, context, card, permalink)


def _post_joining_if_needed(client: WebClient, channel: str, message: dict) -> dict:
    try:
        return client.chat_postMessage(channel=channel, **message).data  # type: ignore[return-value]
    except SlackApiError as error:
        if error.response.get("error") != "not_in_channel":
            raise
    client.conversations_join(channel=channel)
    return client.chat_postMessage(channel=channel, **message).data  # type: ignore[return-value]


def _permalink(client: WebClient, channel: str, ts: str) -> str | None:
    try:
        return client.chat_getPermalink(channel=channel, message_ts=ts)["permalink"]
    except SlackApiError:
        return None


def _notify_people(
    client: WebClient, context: BoltContext, card: StoryCard, permalink: str | None
) -> None:
    """A DM to each person in the story (not the author), in their own language."""
    requester = requester_of(context)
    people = people_of(context)
    for user_id in card.people_user_ids:
        if user_id == card.author_user_id:
            continue
        # Someone named in a story may never have used motbot: ask Slack who they are.
        person = people.identify(client, requester.team_id, user_id)
        try:
            client.chat_postMessage(
                channel=user_id, **people_notice(card, permalink, person.locale)
            )
        except SlackApiError as error:
            log.warning("could not tell a person about a story: %s", error.response.get("error"))
