"""Modals and the App Home: views.open and views.push (with a trigger_id),
views.update (by view_id or external_id) and views.publish."""

from __future__ import annotations

from slackemu.records import JSON
from slackemu.webapi.arguments import invalid_argument
from slackemu.webapi.registry import ApiMethod, ApiRequest
from slackemu.webapi.rules import view_payload


def _views_open(call: ApiRequest) -> JSON:
    payload = view_payload(call.args, view_type="modal")  # before using up the trigger
    user_id = call.workspace.redeem_trigger_id(call.args.text("trigger_id") or "")
    return {"view": call.workspace.open_modal(user_id, payload).to_api()}


def _views_push(call: ApiRequest) -> JSON:
    payload = view_payload(call.args, view_type="modal")
    user_id = call.workspace.redeem_trigger_id(call.args.text("trigger_id") or "")
    return {"view": call.workspace.push_modal(user_id, payload).to_api()}


def _views_update(call: ApiRequest) -> JSON:
    view_id, external_id = call.args.text("view_id"), call.args.text("external_id")
    if not view_id and not external_id:
        raise invalid_argument("either view_id or external_id is required")
    payload = view_payload(call.args, view_type=None)
    view = call.workspace.update_view(
        payload, view_id=view_id, external_id=external_id, expected_hash=call.args.text("hash")
    )
    return {"view": view.to_api()}


def _views_publish(call: ApiRequest) -> JSON:
    payload = view_payload(call.args, view_type="home")
    view = call.workspace.publish_home(
        call.args.text("user_id") or "", payload, expected_hash=call.args.text("hash")
    )
    return {"view": view.to_api()}


METHODS = (
    ApiMethod("views.open", _views_open, required=("trigger_id", "view")),
    ApiMethod("views.push", _views_push, required=("trigger_id", "view")),
    ApiMethod("views.update", _views_update, required=("view",)),
    ApiMethod("views.publish", _views_publish, required=("user_id", "view")),
)
