"""Kudos: `/kudos @someone reason #value`, "Give kudos" on a story card, and an admin's
`/mot kudos @someone` review with its revocations."""

from __future__ import annotations

from slack_bolt import Ack, App
from slack_bolt.context.respond import Respond
from slack_sdk import WebClient

from bot.domain import kudos, outbox, stories
from bot.domain.directory import Requester
from bot.domain.errors import DomainError
from bot.domain.kudos import KudosGiven, KudosRequest
from bot.domain.kudos_review import kudos_received_by
from bot.domain.values import workspace_values
from bot.i18n import translate
from bot.slack import ids
from bot.slack.button_values import clicked
from bot.slack.kudos_text import parse_kudos_text
from bot.slack.middleware import Clock, UnitOfWork
from bot.slack.mot_commands import MotCommands, MotRequest
from bot.slack.outbox import Courier
from bot.slack.people import People
from bot.slack.replies import tell, tell_error, tell_if_possible
from bot.slack.views.kudos import kudos_confirmation, kudos_from_modal, kudos_modal
from bot.slack.views.kudos_review import (
    RevokeButton,
    kudos_review_message,
    revoke_from_modal,
    revoke_modal,
)
from bot.slack.views.story_card import StoryButton

# Refusals that are about what was written rather than about who receives it.
REASON_ERRORS = ("kudos.errors.no_reason", "kudos.errors.reason_too_long")


def add_mot_commands(table: MotCommands) -> None:
    table.mention("help.command.kudos")  # `/kudos`, a command of its own
    table.add("kudos", handler=review_kudos, guide="help.command.review")


def register(app: App) -> None:
    app.command(ids.KUDOS_COMMAND)(give_by_command)
    app.action(ids.GIVE_KUDOS)(open_kudos_modal)
    app.view(ids.KUDOS_MODAL)(give_by_modal)
    app.action(ids.REVOKE_KUDOS)(open_revoke_modal)
    app.view(ids.REVOKE_MODAL)(revoke_by_modal)


def review_kudos(request: MotRequest) -> None:
    """`/mot kudos @someone`: an admin sees what that person received, to revoke abuse."""
    requester, ack = request.requester, request.ack
    people = parse_kudos_text(request.text, ()).recipients
    if not people:
        ack(response_type="ephemeral", text=translate(requester.locale, "review.usage"))
        return
    try:
        with request.unit_of_work() as session:
            lines = kudos_received_by(session, requester, people[0])
    except DomainError as error:
        ack(response_type="ephemeral", text=translate(requester.locale, error.key))
        return
    ack(response_type="ephemeral", **kudos_review_message(requester.locale, people[0], lines))


def open_revoke_modal(
    ack: Ack, body: dict, action: dict, requester: Requester, client: WebClient
) -> None:
    ack()
    try:
        if not requester.is_admin:
            raise DomainError("kudos.errors.admins_only")
        kudos_id = clicked(action, RevokeButton.decode, "kudos.errors.not_found").kudos_id
    except DomainError as error:
        tell_error(client, requester, error)
        return
    client.views_open(trigger_id=body["trigger_id"], view=revoke_modal(requester.locale, kudos_id))


def revoke_by_modal(
    ack: Ack,
    view: dict,
    requester: Requester,
    unit_of_work: UnitOfWork,
    now: Clock,
    client: WebClient,
) -> None:
    kudos_id, reason = revoke_from_modal(view)
    try:
        if kudos_id is None:
            raise DomainError("kudos.errors.not_found")
        with unit_of_work() as session:
            kudos.revoke_kudos(session, requester, kudos_id, reason, now())
    except DomainError as error:
        ack(
            response_action="errors",
            errors={ids.REVOKE_REASON: translate(requester.locale, error.key, **error.params)},
        )
        return
    ack()
    tell(client, requester, translate(requester.locale, "review.revoked_done", id=kudos_id))


def give_by_command(
    ack: Ack,
    command: dict,
    requester: Requester,
    unit_of_work: UnitOfWork,
    now: Clock,
    people: People,
    courier: Courier,
    client: WebClient,
    respond: Respond,
) -> None:
    # Recipients may need looking up in Slack: answer through response_url, not the ack.
    ack()
    # What is read before the change, in one transaction: the values a #tag may name,
    # and whether the recipients are known.
    with unit_of_work() as session:
        values = workspace_values(session, requester.workspace_id)
        parsed = parse_kudos_text(command.get("text") or "", [value.tag for value in values])
        stale = people.stale(session, requester.team_id, parsed.recipients)
    if parsed.groups:
        respond(
            text=translate(requester.locale, "kudos.errors.groups", groups=", ".join(parsed.groups))
        )
        return
    request = KudosRequest(
        recipients=parsed.recipients,
        reason=parsed.reason,
        value_tags=parsed.value_tags,
        story_id=None,
        source_key=f"cmd:{command.get('trigger_id')}",
    )
    try:
        given, not_told = _give(
            client, requester, unit_of_work, now, people, courier, request, stale
        )
    except DomainError as error:
        respond(text=translate(requester.locale, error.key, **error.params))
        return
    respond(**kudos_confirmation(requester.locale, given, parsed.unknown_tags, values, not_told))


def open_kudos_modal(
    ack: Ack,
    body: dict,
    action: dict,
    requester: Requester,
    unit_of_work: UnitOfWork,
    client: WebClient,
) -> None:
    ack()
    try:
        story_id = clicked(action, StoryButton.decode, "stories.errors.not_found").story_id
        with unit_of_work() as session:
            card = stories.story_card(session, requester.workspace_id, story_id)
            values = workspace_values(session, requester.workspace_id)
        if card.is_deleted:
            raise DomainError("stories.errors.deleted")
    except DomainError as error:
        tell_error(client, requester, error, channel=(body.get("channel") or {}).get("id"))
        return
    recipients = tuple(user_id for user_id in card.people_user_ids if user_id != requester.user_id)
    client.views_open(
        trigger_id=body["trigger_id"],
        view=kudos_modal(requester.locale, story_id, recipients, values),
    )


def give_by_modal(
    ack: Ack,
    view: dict,
    requester: Requester,
    unit_of_work: UnitOfWork,
    now: Clock,
    people: People,
    courier: Courier,
    client: WebClient,
) -> None:
    story_id, recipients, reason, value_tags = kudos_from_modal(view)
    request = KudosRequest(
        recipients=recipients,
        reason=reason,
        value_tags=value_tags,
        story_id=story_id,
        source_key=f"view:{view.get('id')}",
    )
    with unit_of_work() as session:
        stale = people.stale(session, requester.team_id, recipients)
    try:
        given, not_told = _give(
            client, requester, unit_of_work, now, people, courier, request, stale, acknowledge=ack
        )
    except DomainError as error:
        field = ids.KUDOS_REASON if error.key in REASON_ERRORS else ids.KUDOS_PEOPLE
        ack(
            response_action="errors",
            errors={field: translate(requester.locale, error.key, **error.params)},
        )
        return
    # No unknown hashtags come from a modal, so the values list is not needed here.
    confirmation = kudos_confirmation(requester.locale, given, (), [], not_told)
    if not tell_if_possible(client, requester, confirmation["text"]) and story_id is not None:
        # The DM did not go either (Slack is failing chat.postMessage): try the card's
        # channel, where the giver just was.
        with unit_of_work() as session:
            channel = stories.story_card(session, requester.workspace_id, story_id).channel_id
        tell_if_possible(client, requester, confirmation["text"], channel)


def _give(
    client: WebClient,
    requester: Requester,
    unit_of_work: UnitOfWork,
    now: Clock,
    people: People,
    courier: Courier,
    request: KudosRequest,
    stale: tuple[str, ...],
    acknowledge: Ack | None = None,
) -> tuple[KudosGiven, tuple[str, ...]]:
    """Record the kudos (and the DMs they owe), then tell each recipient in their own
    language: what was given, and the recipients Slack did not take a DM for yet (the
    outbox drain delivers those). A retried request sends only DMs still owed.
    `stale`: the recipients the directory does not know well enough yet."""
    # Knowing who the recipients are tells bots and deactivated accounts apart.
    for user_id in stale:
        people.identify(client, requester.team_id, user_id)
    # The change and the DMs it owes, in one transaction; they are sent once committed.
    with unit_of_work() as session:
        given = kudos.give_kudos(session, requester, request, now())
        keys = {
            outbox.kudos_notice_key(kudos_id): user_id
            for kudos_id, user_id in zip(given.kudos_ids, given.recipients, strict=True)
        }
        owed = courier.owed_entries(session, list(keys))
    if acknowledge is not None:
        acknowledge()
    courier.deliver(owed)
    still_owed = courier.still_owed(list(keys))
    not_told = tuple(user_id for key, user_id in keys.items() if key in still_owed)
    return given, not_told
