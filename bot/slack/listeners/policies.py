"""Policy signals in Slack: `/mot policies` for leaders, HR and admins, and a leader
marking the policy behind an area's signals as revised (from that list or the digest),
which tells everyone in those stories."""

from __future__ import annotations

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.domain import policy_signals
from bot.domain.directory import Requester
from bot.domain.errors import DomainError
from bot.i18n import translate
from bot.slack import ids
from bot.slack.button_values import clicked
from bot.slack.middleware import Clock, UnitOfWork
from bot.slack.mot_commands import MotCommands, MotRequest
from bot.slack.outbox import Courier
from bot.slack.replies import tell_error, tell_if_possible
from bot.slack.views.policies import (
    PolicyButton,
    RevisionForm,
    note_from_modal,
    policies_message,
    revision_done_text,
    revision_modal,
)


def add_mot_commands(table: MotCommands) -> None:
    table.add("policies", handler=show_policies, guide="help.command.policies")


def register(app: App) -> None:
    app.action(ids.REVISE_POLICY)(open_revision_modal)
    app.view(ids.REVISE_POLICY_MODAL)(revise_by_modal)


def show_policies(mot: MotRequest) -> None:
    """`/mot policies`: the rules bent most often in the last quarter."""
    requester = mot.requester
    if not policy_signals.can_read_signals(requester):
        mot.ack(
            response_type="ephemeral",
            text=translate(requester.locale, "policies.errors.not_allowed"),
        )
        return
    with mot.unit_of_work() as session:
        signals = policy_signals.policy_signals(session, requester.workspace_id, mot.now())
    message = policies_message(
        requester.locale, signals, requester.timezone, can_revise=requester.is_leader
    )
    mot.ack(response_type="ephemeral", **message)


def open_revision_modal(
    ack: Ack,
    body: dict,
    action: dict,
    requester: Requester,
    unit_of_work: UnitOfWork,
    now: Clock,
    client: WebClient,
) -> None:
    ack()
    channel = (body.get("container") or {}).get("channel_id")
    try:
        if not requester.is_leader:
            raise DomainError("policies.errors.leaders_only")
        area_id = clicked(action, PolicyButton.decode, "policies.errors.unknown_area").area_id
        opened_at = now()
        with unit_of_work() as session:
            area_name, open_count = policy_signals.open_signal(
                session, requester.workspace_id, area_id, opened_at
            )
    except DomainError as error:
        tell_error(client, requester, error, channel=channel)
        return
    form = RevisionForm(area_id, opened_at)
    view = revision_modal(requester.locale, area_name, open_count, form)
    client.views_open(trigger_id=body["trigger_id"], view=view)


def revise_by_modal(
    ack: Ack,
    view: dict,
    requester: Requester,
    unit_of_work: UnitOfWork,
    now: Clock,
    courier: Courier,
    client: WebClient,
) -> None:
    note = note_from_modal(view)
    try:
        try:
            form = RevisionForm.decode(view.get("private_metadata", ""))
        except ValueError:
            raise DomainError("policies.errors.unknown_area") from None
        with unit_of_work() as session:
            revision = policy_signals.revise_policy(
                session, requester, form.area_id, note, form.as_of, now()
            )
            owed = courier.owed_entries(session, revision.effect_keys)
    except DomainError as error:
        ack(
            response_action="errors",
            errors={ids.REVISE_POLICY_NOTE: translate(requester.locale, error.key, **error.params)},
        )
        return
    ack()
    courier.deliver(owed)
    text = revision_done_text(requester.locale, revision.area_name, revision.closed, revision.told)
    tell_if_possible(client, requester, text)
