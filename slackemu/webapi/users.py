"""The people of a workspace: users.info, users.list (paged) and users.lookupByEmail."""

from __future__ import annotations

from slackemu.records import JSON
from slackemu.webapi.registry import ApiMethod, ApiRequest
from slackemu.webapi.rules import page


def _users_info(call: ApiRequest) -> JSON:
    user = call.workspace.user_by_id(call.args.text("user") or "")
    return {
        "user": user.to_api(
            call.workspace.team.id, call.now, include_locale=call.args.flag("include_locale")
        )
    }


def _users_list(call: ApiRequest) -> JSON:
    users, next_cursor = page(
        call.workspace.users(), lambda u: u.id, call.args, kind="user", default_limit=0
    )
    include_locale = call.args.flag("include_locale")
    members = [
        user.to_api(call.workspace.team.id, call.now, include_locale=include_locale)
        for user in users
    ]
    return {
        "members": members,
        "cache_ts": int(call.now),
        "response_metadata": {"next_cursor": next_cursor},
    }


def _users_lookup_by_email(call: ApiRequest) -> JSON:
    user = call.workspace.user_by_email(call.args.text("email") or "")
    return {"user": user.to_api(call.workspace.team.id, call.now)}


METHODS = (
    ApiMethod("users.info", _users_info, required=("user",), reads=True),
    ApiMethod("users.list", _users_list, reads=True),
    ApiMethod("users.lookupByEmail", _users_lookup_by_email, required=("email",), reads=True),
)
