"""User groups (@handles for teams): usergroups.list and usergroups.users.list."""

from __future__ import annotations

from slackemu.records import JSON
from slackemu.webapi.registry import ApiMethod, ApiRequest


def _usergroups_list(call: ApiRequest) -> JSON:
    include_users = call.args.flag("include_users")
    return {
        "usergroups": [
            group.to_api(call.workspace.team.id, include_users=include_users)
            for group in call.workspace.user_groups()
        ]
    }


def _usergroups_users_list(call: ApiRequest) -> JSON:
    return {"users": call.workspace.user_group_by_id(call.args.text("usergroup") or "").users}


METHODS = (
    ApiMethod("usergroups.list", _usergroups_list, reads=True),
    ApiMethod("usergroups.users.list", _usergroups_users_list, required=("usergroup",), reads=True),
)
