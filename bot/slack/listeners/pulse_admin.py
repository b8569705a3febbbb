"""`/mot admin pulse`: admins see the coming weeks' questions, switch questions on or off,
and add questions of their own."""

from __future__ import annotations

from slack_bolt import Ack, App
from slack_bolt.context.respond import Respond
from slack_sdk import WebClient

from bot.domain import pulse_admin
from bot.domain.directory import Requester
from bot.domain.errors import DomainError
from bot.i18n import translate
from bot.slack import ids
from bot.slack.button_values import clicked
from bot.slack.middleware import Clock, UnitOfWork
from bot.slack.mot_commands import MotRequest
from bot.slack.replies import tell, tell_error
from bot.slack.views.pulse_admin import (
    QuestionSwitch,
    pulse_admin_message,
    question_from_modal,
    question_modal,
)


def register(app: App) -> None:
    app.action(ids.PULSE_ADMIN_TOGGLE)(toggle_question)
    app.action(ids.PULSE_ADMIN_ADD)(open_question_modal)
    app.view(ids.PULSE_ADMIN_MODAL)(add_question)


def show_pulse_plan(request: MotRequest) -> None:
    """`/mot admin pulse` (routed here by listeners/admin.py): the coming weeks' plan."""
    requester, ack = request.requester, request.ack
    try:
        ack(
            response_type="ephemeral", **_plan_message(requester, request.unit_of_work, request.now)
        )
    except DomainError as error:
        ack(response_type="ephemeral", text=translate(requester.locale, error.key))


def toggle_question(
    ack: Ack,
    action: dict,
    requester: Requester,
    unit_of_work: UnitOfWork,
    now: Clock,
    client: WebClient,
    respond: Respond,
) -> None:
    ack()
    try:
        switch = clicked(action, QuestionSwitch.decode, "pulse.errors.unknown_question")
        with unit_of_work() as session:
            pulse_admin.set_question_active(session, requester, switch.question_id, switch.turn_on)
        respond(replace_original=True, **_plan_message(requester, unit_of_work, now))
    except DomainError as error:
        tell_error(client, requester, error)


def open_question_modal(ack: Ack, body: dict, requester: Requester, client: WebClient) -> None:
    ack()
    if not requester.is_admin:
        tell(client, requester, translate(requester.locale, "pulse.errors.admins_only"))
        return
    client.views_open(trigger_id=body["trigger_id"], view=question_modal(requester.locale))


def add_question(
    ack: Ack, view: dict, requester: Requester, unit_of_work: UnitOfWork, client: WebClient
) -> None:
    text_en, text_zh, scale = question_from_modal(view)
    try:
        with unit_of_work() as session:
            pulse_admin.add_question(session, requester, text_en, text_zh, scale)
    except DomainError as error:
        field = ids.PULSE_ADMIN_TEXT_ZH if text_en.strip() else ids.PULSE_ADMIN_TEXT_EN
        ack(
            response_action="errors",
            errors={field: translate(requester.locale, error.key, **error.params)},
        )
        return
    ack()
    tell(client, requester, translate(requester.locale, "pulse.admin.added"))


def _plan_message(requester: Requester, unit_of_work: UnitOfWork, now: Clock) -> dict:
    with unit_of_work() as session:
        plan = pulse_admin.upcoming_plan(session, requester, now())
        questions = pulse_admin.workspace_questions(session, requester)
    return pulse_admin_message(requester.locale, plan, questions)
