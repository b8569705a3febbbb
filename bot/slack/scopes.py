"""The bot scopes motbot asks for when installed: exactly what its Web API calls and
events need. deploy/slack-app-manifest*.yml list the same (tests/unit/test_manifest.py
checks both against the calls and events in the code)."""

BOT_SCOPES: tuple[str, ...] = (
    "channels:join",
    "channels:read",
    "chat:write",
    "commands",
    "groups:read",
    "reactions:read",
    "usergroups:read",
    "users:read",
)
