"""What happens in Slack around a story: opening the modal, posting and updating the card,
telling the people in it, and refreshing the App Home. Listeners call these after the
domain has decided (and recorded, in the outbox, what the decision owes Slack); nothing
here makes a rule. Each takes the request's Bolt context, for what the middleware put
there (bot/slack/middleware.py)."""

from __future__ import annotations

import logging

from slack_bolt import BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.domain import kudos, outbox, stories
from bot.domain.outbox import Effect
from bot.domain.policy_areas import area_choices
from bot.domain.stories import StoryCard, StoryDraft
from bot.domain.values import workspace_values
from bot.i18n import translate
from bot.slack.middleware import courier_of, guide_of, now_of, requester_of, unit_of_work_of
from bot.slack.posting import sort_failure
from bot.slack.replies import tell_if_possible
from bot.slack.views.home import home_view
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
        values = workspace_values(session, requester.workspace_id)
        areas = area_choices(session, requester.workspace_id, keep=draft.policy_area_id)
    view = story_modal(
        requester.locale, values, draft, modal_context, requester.stories_channel_id, areas
    )
    client.views_open(trigger_id=trigger_id, view=view)


def after_story_saved(
    client: WebClient, context: BoltContext, card: StoryCard, *, is_new: bool
) -> None:
    """Post the new story's card (and so the DMs to its people), or show the edit on the
    card; then the author's App Home. Whatever Slack does not take now is delivered by
    the outbox drain, and the author is told so in plain words."""
    requester = requester_of(context)
    effects = (
        [outbox.card_key(card.id)]
        if is_new
        else [outbox.card_key(card.id), outbox.refresh_key(card.id)]
    )
    done = courier_of(context).deliver_effects(effects)
    if done.owed(Effect.STORY_CARD):
        text = translate(requester.locale, "stories.owed.card", channel=card.channel_id)
        tell_if_possible(client, requester, text, card.channel_id)
    elif done.given_up(Effect.STORY_CARD):
        text = translate(requester.locale, "stories.errors.cannot_post", channel=card.channel_id)
        tell_if_possible(client, requester, text)
    elif done.owed(Effect.CARD_REFRESH):
        tell_if_possible(client, requester, translate(requester.locale, "stories.owed.refresh"))
    publish_home(client, context)


def refresh_card(
    client: WebClient,
    context: BoltContext,
    card: StoryCard,
    *,
    channel: str | None = None,
    tell_when_late: bool = True,
) -> bool:
    """Show the story's current state on its card (the change owed the refresh). False
    when Slack did not take it: the drain will, and the person is told so (in `channel`
    when given) unless `tell_when_late` is off."""
    done = courier_of(context).deliver_effects([outbox.refresh_key(card.id)])
    if not done.owed(Effect.CARD_REFRESH):
        return True
    if tell_when_late:
        requester = requester_of(context)
        text = translate(requester.locale, "stories.owed.refresh")
        tell_if_possible(client, requester, text, channel)
    return False


def remove_card(client: WebClient, context: BoltContext, card: StoryCard) -> None:
    """Take the deleted story's card down (the refresh its deletion owed)."""
    done = courier_of(context).deliver_effects([outbox.refresh_key(card.id)])
    if done.owed(Effect.CARD_REFRESH):
        requester = requester_of(context)
        text = translate(requester.locale, "stories.owed.removal")
        tell_if_possible(client, requester, text)


def publish_home(client: WebClient, context: BoltContext) -> None:
    """The requester's App Home, now; if Slack does not take it, the outbox publishes it
    later (nothing is lost meanwhile: the Home is rebuilt whenever it is opened)."""
    requester, now = requester_of(context), now_of(context)
    with unit_of_work_of(context) as session:
        recent = stories.recent_stories(session, requester)
        recognition = kudos.kudos_summary(session, requester, now)
    view = home_view(requester.locale, recent, recognition, guide_of(context), requester.tag_emoji)
    try:
        client.views_publish(user_id=requester.user_id, view=view)
    except (SlackApiError, SlackClientError, OSError) as error:
        failure = sort_failure(error)
        if failure.permanent:
            log.warning("could not publish an App Home: %s", failure.error)
            return
        log.warning("could not publish an App Home now (%s); the outbox will", failure.error)
        with unit_of_work_of(context) as session:
            outbox.owe_home(session, requester.workspace_id, requester.member_id, now_of(context))
