"""The weekly pulse in Slack: answering in the DM, commenting, skipping, `/mot pulse`,
`/mot privacy` and `/mot pulse results`."""

from __future__ import annotations

import logging
import re

from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.domain import ballots, pulse, pulse_results
from bot.domain.directory import Requester
from bot.domain.errors import DomainError
from bot.i18n import translate
from bot.slack import ids
from bot.slack.button_values import clicked
from bot.slack.middleware import Clock, UnitOfWork
from bot.slack.mot_commands import MotCommands, MotRequest
from bot.slack.replies import tell_error, tell_if_possible
from bot.slack.views.pulse import (
    BallotRef,
    PulseButton,
    SkipButton,
    chosen_in_message,
    comment_modal,
    pulse_dm,
    skipped_dm,
)
from bot.slack.views.pulse_results import results_message

log = logging.getLogger(__name__)


def add_mot_commands(table: MotCommands) -> None:
    table.add("pulse", handler=pulse_command, guide="help.command.pulse")
    table.add("privacy", handler=privacy_command)  # its line is the pulse's


def register(app: App) -> None:
    app.action(re.compile(f"^{re.escape(ids.PULSE_ANSWER_PREFIX)}"))(answer)
    app.action(ids.PULSE_SKIP)(skip)
    app.action(ids.PULSE_COMMENT)(open_comment)
    app.view(ids.PULSE_COMMENT_MODAL)(submit_comment)


def answer(
    ack: Ack,
    body: dict,
    action: dict,
    requester: Requester,
    unit_of_work: UnitOfWork,
    now: Clock,
    secret_key: str | None,
    client: WebClient,
) -> None:
    ack()
    container = body.get("container") or {}
    try:
        button = clicked(action, PulseButton.decode, "pulse.errors.not_your_ballot")
        with unit_of_work() as session:
            pulse.check_current_dm(session, requester, button.round_id, container.get("message_ts"))
            outcome = pulse.record_answer(
                session,
                requester,
                button.round_id,
                button.question_id,
                button.value,
                button.ballot,
                server_key(secret_key),
                now(),
            )
            round_info = pulse.round_info(session, requester.workspace_id, button.round_id)
    except DomainError as error:
        tell_error(client, requester, error)
        return
    if outcome.completed:
        # Its own transaction: the invite and the last answer must not share one.
        with unit_of_work() as session:
            pulse.complete_invite(session, requester, button.round_id)
    chosen = chosen_in_message((body.get("message") or {}).get("blocks") or [])
    chosen[button.question_id] = button.value
    dm = pulse_dm(requester.locale, round_info, button.ballot, chosen, completed=outcome.completed)
    _update_dm(client, requester, container, dm, "pulse.dm_not_updated")


def skip(
    ack: Ack,
    body: dict,
    action: dict,
    requester: Requester,
    unit_of_work: UnitOfWork,
    now: Clock,
    client: WebClient,
) -> None:
    ack()
    try:
        round_id = clicked(action, SkipButton.decode, "pulse.errors.unknown_round").round_id
        with unit_of_work() as session:
            pulse.skip_round(session, requester, round_id, now())
    except DomainError as error:
        tell_error(client, requester, error)
        return
    container = body.get("container") or {}
    _update_dm(client, requester, container, skipped_dm(requester.locale), "pulse.skip_not_updated")


def _update_dm(
    client: WebClient, requester: Requester, container: dict, message: dict, late_key: str
) -> None:
    """Show the answer in the pulse DM. When Slack does not take the update, the person
    is told their answer counts. It is not left to the outbox: the DM carries the ballot
    and the choices, which are never stored beside the person (docs/privacy.md), and
    the next answer or `/mot pulse` shows the DM again anyway."""
    try:
        client.chat_update(channel=container["channel_id"], ts=container["message_ts"], **message)
    except (SlackApiError, SlackClientError, OSError) as error:
        log.warning("could not update a pulse DM: %s", type(error).__name__)
        tell_if_possible(client, requester, translate(requester.locale, late_key))


def open_comment(
    ack: Ack,
    body: dict,
    action: dict,
    requester: Requester,
    unit_of_work: UnitOfWork,
    client: WebClient,
) -> None:
    ack()
    message_ts = (body.get("container") or {}).get("message_ts")
    try:
        reference = clicked(action, BallotRef.decode, "pulse.errors.not_your_ballot")
        with unit_of_work() as session:
            pulse.check_current_dm(session, requester, reference.round_id, message_ts)
    except DomainError as error:
        tell_error(client, requester, error)
        return
    client.views_open(
        trigger_id=body["trigger_id"], view=comment_modal(requester.locale, reference)
    )


def submit_comment(
    ack: Ack,
    view: dict,
    requester: Requester,
    unit_of_work: UnitOfWork,
    now: Clock,
    secret_key: str | None,
    client: WebClient,
) -> None:
    text = (
        view["state"]["values"].get(ids.PULSE_COMMENT_TEXT, {}).get(ids.INPUT, {}).get("value")
        or ""
    )
    try:
        reference = _comment_reference(view)
        with unit_of_work() as session:
            pulse.record_comment(
                session,
                requester,
                reference.round_id,
                text,
                reference.ballot,
                server_key(secret_key),
                now(),
            )
    except DomainError as error:
        ack(
            response_action="errors",
            errors={ids.PULSE_COMMENT_TEXT: translate(requester.locale, error.key, **error.params)},
        )
        return
    ack()
    # The comment is recorded; a thank-you Slack does not take is no failure to report.
    tell_if_possible(client, requester, translate(requester.locale, "pulse.comment.thanks"))


def pulse_command(request: MotRequest) -> None:
    """`/mot pulse` (answer now) and `/mot pulse results` (HR and admins)."""
    requester, ack, client = request.requester, request.ack, request.client
    words = request.args
    if words and words[0].lower() == "results":
        show_results(request)
        return
    with request.unit_of_work() as session:
        round_info = pulse.current_round(session, requester.workspace_id, request.now())
        invite = (
            pulse.invite_of(session, round_info.id, requester.member_id) if round_info else None
        )
    if round_info is None:
        ack(response_type="ephemeral", text=translate(requester.locale, "pulse.none_open"))
        return
    if invite is not None and invite.message_ts:
        link = client.chat_getPermalink(channel=invite.channel_id, message_ts=invite.message_ts)
        key = {"completed": "pulse.already_done", "skipped": "pulse.already_skipped"}.get(
            invite.status, "pulse.in_your_dm"
        )
        ack(
            response_type="ephemeral", text=translate(requester.locale, key, link=link["permalink"])
        )
        return
    try:
        key = server_key(request.secret_key)
    except DomainError as error:
        ack(response_type="ephemeral", text=translate(requester.locale, error.key))
        return
    ack(response_type="ephemeral", text=translate(requester.locale, "pulse.sending"))
    ballot = ballots.new_ballot()
    check = ballots.ballot_check(key, ballot)
    posted = client.chat_postMessage(
        channel=requester.user_id, **pulse_dm(requester.locale, round_info, ballot, {})
    )
    with request.unit_of_work() as session:
        pulse.record_invite(
            session,
            requester.workspace_id,
            round_info.id,
            requester.member_id,
            posted["channel"],
            posted["ts"],
            check,
        )


def _comment_reference(view: dict) -> BallotRef:
    try:
        return BallotRef.decode(view.get("private_metadata"))
    except ValueError:
        raise DomainError("pulse.errors.not_your_ballot") from None


def server_key(secret_key: str | None) -> str:
    """The server key for pulse response keys; without it the pulse stays switched off."""
    if not secret_key:
        raise DomainError("pulse.errors.not_configured")
    return secret_key


def show_results(request: MotRequest) -> None:
    requester, ack = request.requester, request.ack
    if not (requester.is_hr or requester.is_admin):
        ack(response_type="ephemeral", text=translate(requester.locale, "pulse.results_refused"))
        return
    with request.unit_of_work() as session:
        round_id = pulse.last_closed_round_id(session, requester.workspace_id)
        results = (
            pulse_results.round_results(session, requester.workspace_id, round_id)
            if round_id is not None
            else None
        )
    if results is None:
        ack(response_type="ephemeral", text=translate(requester.locale, "pulse.no_results"))
        return
    ack(response_type="ephemeral", **results_message(requester.locale, results))


def privacy_command(request: MotRequest) -> None:
    requester = request.requester
    with request.unit_of_work() as session:
        round_info = pulse.current_round(session, requester.workspace_id, request.now())
    k = round_info.min_group if round_info else requester.pulse_min_group
    text = translate(requester.locale, "pulse.privacy", k=k)
    request.ack(response_type="ephemeral", text=text)
