"""The Slack app manifests in deploy/ say exactly what the code does, no more and no less.

An admin creates motbot's Slack app from one of two manifests: Socket Mode
(deploy/slack-app-manifest.yml) or HTTP (deploy/slack-app-manifest.http.yml). What the
code handles and calls is read from the code itself, without a Slack connection:

- the slash commands, shortcuts and events the listeners register, by handing
  `register_listeners` a recorder in place of a Bolt App;
- the Web API methods the bot calls, by reading its source with `ast` (bot/sandbox/,
  which drives the fake Slack in slackemu/, is not the bot);
- the bot scopes those methods and events need, from Slack's reference data in
  tests/data/slack-api-ref, a copy of ../shared/slack-api-ref (methods/*.json "scope",
  events/*.json "scopes").

A listener without its manifest entry never receives a request, and a scope the code
does not use is one more permission an admin has to approve for nothing.
"""

from __future__ import annotations

import ast
import json
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import slack_sdk.web.client
import yaml

import bot
from bot.slack import ids
from bot.slack.listeners import register_listeners
from bot.slack.scopes import BOT_SCOPES
from bot.web.dashboard.signin import CALLBACK_PATH
from bot.web.server import SLACK_EVENTS_PATH

REPO = Path(__file__).resolve().parents[2]
BOT = Path(bot.__file__).resolve().parent
NOT_THE_BOT = (BOT / "sandbox",)  # it plays Slack's people against the bot; the bot calls none
# A copy of ../shared/slack-api-ref (MIT, see its LICENSE.md), kept in the repository so
# that the check runs wherever the repository is checked out.
SLACK_API_REF = REPO / "tests" / "data" / "slack-api-ref"

SOCKET_MODE_MANIFEST = REPO / "deploy" / "slack-app-manifest.yml"
HTTP_MANIFEST = REPO / "deploy" / "slack-app-manifest.http.yml"
MANIFESTS = (SOCKET_MODE_MANIFEST, HTTP_MANIFEST)
OAUTH_REDIRECT_PATH = "/slack/oauth_redirect"

# Web API methods Bolt and slack_sdk call for the bot, not the bot's own code: why, and
# which token. Their scopes are read from the reference like any other method's.
FRAMEWORK_METHODS = {
    "auth.test": "Bolt checks the bot token at start and after an OAuth install",
    "apps.connections.open": "Socket Mode opens its websocket with the app-level token",
    "oauth.v2.access": "Bolt exchanges the OAuth code for a bot token on install",
}

# Methods the bot calls with a person's own token, not its bot token: Sign in with Slack
# (the web dashboard). They need the manifest's user scopes, not bot scopes.
USER_TOKEN_METHODS = {
    "openid.connect.userInfo": "the dashboard reads who signed in, with their own token",
}
SIGN_IN_USER_SCOPES = {"openid", "profile", "email"}

# Some methods and events accept any one of several scopes, one per kind of conversation
# (conversations.info: channels:read for public channels, groups:read for private ones,
# im:read, mpim:read). Name the ones that match the conversations the code uses, and why.
# Message events need no entry: the manifest subscribes to message.channels, message.im,
# ... and each of those has one scope.
SCOPE_CHOICES: dict[str, tuple[str, ...]] = {
    # bot/slack/channels.py checks a channel an admin names as `#channel` (never a DM);
    # it may be public (channels:read) or private (groups:read), as an HR channel often is.
    "conversations.info": ("channels:read", "groups:read"),
}

# Slash commands and shortcuts need the `commands` scope; no method or event names it.
COMMANDS_SCOPE = "commands"


def manifest_id(path: Path) -> str:
    return path.name


each_manifest = pytest.mark.parametrize("manifest_path", MANIFESTS, ids=manifest_id)


# --- What the listeners register -------------------------------------------------------


@dataclass
class Registered:
    """What the code registers that Slack must be told about in the manifest."""

    commands: set[str] = field(default_factory=set)
    # callback id -> "message" or "global", or None when the listener takes either
    shortcuts: dict[str, str | None] = field(default_factory=dict)
    # event types as Bolt sees them: every message.* subscription arrives as "message"
    events: set[str] = field(default_factory=set)
    problems: list[str] = field(default_factory=list)


def _exact(kind: str, value: object, registered: Registered) -> str | None:
    if isinstance(value, str):
        return value
    registered.problems.append(
        f"{kind} registered with {value!r}: only exact strings can be checked against the manifest"
    )
    return None


class RecordingApp:
    """Stands in for slack_bolt.App: records what listeners register, builds nothing.

    Every method returns what Bolt's does, a callable that takes the listener functions,
    so `app.command("/mot")(handler)` and `@app.command("/mot")` both work."""

    installation_store = None  # as a single-token app has; listeners may read it

    def __init__(self) -> None:
        self.registered = Registered()

    @staticmethod
    def _listener(*functions: Callable[..., Any], **lazy: Any) -> Callable[..., Any] | None:
        return functions[0] if functions else None

    def command(self, command: object, *_: object, **__: object) -> Callable[..., Any]:
        if (name := _exact("command", command, self.registered)) is not None:
            self.registered.commands.add(name)
        return self._listener

    def shortcut(self, constraints: object, *_: object, **__: object) -> Callable[..., Any]:
        if isinstance(constraints, dict):
            kind = {"message_action": "message", "shortcut": "global"}.get(
                constraints.get("type")  # type: ignore[arg-type]
            )
            self._shortcut(constraints.get("callback_id"), kind)
        else:
            self._shortcut(constraints, None)
        return self._listener

    def message_shortcut(self, callback_id: object, *_: object, **__: object) -> Callable[..., Any]:
        self._shortcut(callback_id, "message")
        return self._listener

    def global_shortcut(self, callback_id: object, *_: object, **__: object) -> Callable[..., Any]:
        self._shortcut(callback_id, "global")
        return self._listener

    def _shortcut(self, callback_id: object, kind: str | None) -> None:
        if (name := _exact("shortcut", callback_id, self.registered)) is not None:
            self.registered.shortcuts[name] = kind

    def event(self, event: object, *_: object, **__: object) -> Callable[..., Any]:
        if isinstance(event, dict):
            types = event.get("type")
            for event_type in types if isinstance(types, list | tuple) else [types]:
                self._event(event_type)
        else:
            self._event(event)
        return self._listener

    def message(self, *_: object, **__: object) -> Callable[..., Any]:
        self._event("message")
        return self._listener

    def _event(self, event_type: object) -> None:
        if (name := _exact("event", event_type, self.registered)) is not None:
            self.registered.events.add(name)

    def enable_token_revocation_listeners(self) -> None:
        self.registered.events.update({"tokens_revoked", "app_uninstalled"})

    def __getattr__(self, name: str) -> Callable[..., Any]:
        """action, view, options, use, middleware, error, ...: nothing the manifest lists
        by name (interactivity is one switch, on)."""
        if name.startswith("__"):
            raise AttributeError(name)

        def register(*_: object, **__: object) -> Callable[..., Any]:
            return self._listener

        return register


@cache
def registered() -> Registered:
    recorder = RecordingApp()
    register_listeners(recorder)  # type: ignore[arg-type]
    return recorder.registered


# --- What the manifests say ------------------------------------------------------------


@cache
def load_manifest(path: Path) -> dict[str, Any]:
    assert path.is_file(), f"{path.relative_to(REPO)} is missing"
    manifest = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(manifest, dict), f"{path.name} is not a YAML mapping"
    return manifest


def manifest_commands(manifest: dict[str, Any]) -> set[str]:
    return {command["command"] for command in manifest["features"].get("slash_commands", [])}


def manifest_shortcuts(manifest: dict[str, Any]) -> dict[str, str]:
    return {
        shortcut["callback_id"]: shortcut["type"]
        for shortcut in manifest["features"].get("shortcuts", [])
    }


def manifest_events(manifest: dict[str, Any]) -> set[str]:
    return set(manifest["settings"]["event_subscriptions"]["bot_events"])


def manifest_bot_scopes(manifest: dict[str, Any]) -> set[str]:
    return set(manifest["oauth_config"]["scopes"]["bot"])


def bolt_event_type(subscription: str) -> str:
    """message.channels, message.im, ... are subscriptions; each arrives as `message`."""
    return subscription.split(".", 1)[0]


def differences(
    in_code: Iterable[str], in_manifest: Iterable[str], what: str, manifest_path: Path
) -> list[str]:
    code, manifest = set(in_code), set(in_manifest)
    problems = []
    if code - manifest:
        problems.append(
            f"{what} the code registers but {manifest_path.name} lacks: "
            f"{', '.join(sorted(code - manifest))}"
        )
    if manifest - code:
        problems.append(
            f"{what} in {manifest_path.name} that no listener registers: "
            f"{', '.join(sorted(manifest - code))}"
        )
    return problems


# --- Slack's reference data ------------------------------------------------------------


def reference_dir() -> Path:
    if not SLACK_API_REF.is_dir():
        pytest.fail(
            f"Slack's reference data is missing: expected {SLACK_API_REF} (a copy of "
            "../shared/slack-api-ref, with methods/ and events/). "
            "Without it the manifests' scopes cannot be checked."
        )
    return SLACK_API_REF


def read_reference(kind: str, name: str) -> dict[str, Any] | None:
    path = reference_dir() / kind / f"{name}.json"
    if not path.is_file():
        return None
    text = path.read_text(encoding="utf-8").strip()
    if not text:
        pytest.fail(f"{path} is empty: its scopes are unknown")
    return json.loads(text)


@cache
def reference_method_names() -> frozenset[str]:
    return frozenset(path.stem for path in (reference_dir() / "methods").glob("*.json"))


def bot_scope_options(kind: str, name: str, reference: dict[str, Any]) -> list[str]:
    """The bot scopes that allow a method or event; more than one means any one of them."""
    if kind == "methods":
        if reference.get("no_scope_required"):
            return []
        if name in USER_TOKEN_METHODS:
            assert set((reference.get("scope") or {}).get("user", [])) <= SIGN_IN_USER_SCOPES
            return []
        scope = reference.get("scope") or {}
        if scope and "bot" not in scope:
            pytest.fail(f"{name}: the reference gives it no bot scope, so a bot cannot call it")
        return list(scope.get("bot", []))
    return list(reference.get("scopes", []))


def required_scopes(kind: str, name: str, reference: dict[str, Any]) -> tuple[str, ...]:
    options = bot_scope_options(kind, name, reference)
    if len(options) <= 1:
        return tuple(options)
    chosen = SCOPE_CHOICES.get(name)
    if not chosen:
        pytest.fail(
            f"{name} takes any one of {', '.join(options)} (one per kind of conversation): "
            "name the ones the code needs in SCOPE_CHOICES"
        )
    assert set(chosen) <= set(options), (
        f"SCOPE_CHOICES[{name!r}] = {chosen} is not among {', '.join(options)}"
    )
    return chosen


# --- The Web API methods the bot calls -------------------------------------------------


@cache
def web_client_methods() -> dict[str, str]:
    """slack_sdk's WebClient method names -> the Slack methods they call, read from
    slack_sdk's own source (`def chat_postMessage(...): ... self.api_call("chat.postMessage"`),
    plus every method in the reference by the same rule (dots become underscores)."""
    source = Path(slack_sdk.web.client.__file__).read_text(encoding="utf-8")
    names: dict[str, str] = {}
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ClassDef) and node.name == "WebClient":
            for function in node.body:
                if isinstance(function, ast.FunctionDef) and (method := _api_call_name(function)):
                    names[function.name] = method
    assert "chat_postMessage" in names, "could not read slack_sdk's WebClient methods"
    for method in reference_method_names():
        names.setdefault(method.replace(".", "_"), method)
    return names


def _api_call_name(function: ast.FunctionDef) -> str | None:
    for node in ast.walk(function):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "api_call"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            return node.args[0].value
    return None


def bot_sources() -> list[Path]:
    return sorted(
        path
        for path in BOT.rglob("*.py")
        if not any(path.is_relative_to(excluded) for excluded in NOT_THE_BOT)
    )


@cache
def web_api_calls() -> dict[str, list[str]]:
    """Slack method -> where the bot calls it (`client.chat_postMessage(...)`,
    `client.users_list` handed on, `x.api_call("team.info")`, Bolt's `say(...)`)."""
    methods = web_client_methods()
    calls: dict[str, list[str]] = defaultdict(list)
    unreadable: list[str] = []
    for path in bot_sources():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            where = f"{path.relative_to(BOT.parent)}:{getattr(node, 'lineno', '?')}"
            if isinstance(node, ast.Attribute) and node.attr in methods:
                calls[methods[node.attr]].append(where)
            elif isinstance(node, ast.Call) and _called_name(node) == "api_call":
                first = node.args[0] if node.args else None
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    calls[first.value].append(where)
                else:
                    unreadable.append(f"{where}: {ast.unparse(node)}")
            elif isinstance(node, ast.Call) and _called_name(node) == "say":
                calls["chat.postMessage"].append(f"{where} (say)")
    assert not unreadable, (
        "api_call with a method name that is not a literal, so its scope cannot be known: "
        + "; ".join(unreadable)
    )
    return dict(calls)


def _called_name(call: ast.Call) -> str | None:
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    if isinstance(call.func, ast.Name):
        return call.func.id
    return None


# --- The scopes the code needs, and why --------------------------------------------------


def needed_bot_scopes(manifest: dict[str, Any]) -> dict[str, list[str]]:
    """scope -> the methods and events that need it. An event's scope is read for the
    manifest's subscription to it (message.im, not message: the subscription says which
    conversations, and so which scope), or by its own name when the manifest lacks it."""
    reasons: dict[str, list[str]] = defaultdict(list)
    methods = {method: ", ".join(places[:3]) for method, places in web_api_calls().items()}
    methods.update(FRAMEWORK_METHODS)
    for method, why in sorted(methods.items()):
        reference = read_reference("methods", method)
        assert reference is not None, f"{method} ({why}) has no reference file"
        for scope in required_scopes("methods", method, reference):
            reasons[scope].append(f"{method} ({why})")
    in_code = registered().events
    subscribed = {s for s in manifest_events(manifest) if bolt_event_type(s) in in_code}
    not_subscribed = in_code - {bolt_event_type(s) for s in subscribed}
    for event in sorted(subscribed | not_subscribed):
        reference = read_reference("events", event)
        assert reference is not None, f"the event {event} has no reference file"
        for scope in required_scopes("events", event, reference):
            reasons[scope].append(f"the {event} event")
    if registered().commands or registered().shortcuts:
        reasons[COMMANDS_SCOPE].append("slash commands and shortcuts")
    return dict(reasons)


# --- The tests ---------------------------------------------------------------------------


def test_the_recorder_reads_every_registration_exactly():
    assert registered().problems == []


@each_manifest
def test_every_slash_command_the_code_handles_is_in_the_manifest_and_no_other(manifest_path):
    problems = differences(
        registered().commands,
        manifest_commands(load_manifest(manifest_path)),
        "slash commands",
        manifest_path,
    )
    assert problems == [], "\n".join(problems)


@each_manifest
def test_every_shortcut_the_code_handles_is_in_the_manifest_and_no_other(manifest_path):
    in_manifest = manifest_shortcuts(load_manifest(manifest_path))
    problems = differences(registered().shortcuts, in_manifest, "shortcuts", manifest_path)
    for callback_id, kind in registered().shortcuts.items():
        if kind is not None and in_manifest.get(callback_id, kind) != kind:
            problems.append(
                f"the code handles {callback_id} as a {kind} shortcut, {manifest_path.name} "
                f"declares it {in_manifest[callback_id]}"
            )
    assert problems == [], "\n".join(problems)


def test_sharing_a_message_as_a_story_is_a_message_shortcut():
    for path in MANIFESTS:
        assert manifest_shortcuts(load_manifest(path)).get(ids.SHARE_SHORTCUT) == "message", (
            f"{path.name} must offer {ids.SHARE_SHORTCUT} in a message's More actions menu"
        )


@each_manifest
def test_every_event_the_code_handles_is_subscribed_and_no_other(manifest_path):
    subscriptions = manifest_events(load_manifest(manifest_path))
    problems = differences(
        registered().events,
        {bolt_event_type(subscription) for subscription in subscriptions},
        "events",
        manifest_path,
    )
    assert problems == [], "\n".join(problems)


def test_every_web_api_method_the_bot_calls_has_a_reference_file():
    known = reference_method_names()
    calls = web_api_calls()
    assert calls, "found no Web API calls in bot/: the scan is broken"
    unknown = {method: places for method, places in calls.items() if method not in known}
    unknown.update(
        {method: [why] for method, why in FRAMEWORK_METHODS.items() if method not in known}
    )

    assert unknown == {}, (
        "the bot calls Web API methods that have no file in "
        f"{SLACK_API_REF / 'methods'}, so their scopes are unknown: "
        + "; ".join(f"{method} at {', '.join(places)}" for method, places in unknown.items())
    )


@each_manifest
def test_the_bot_scopes_are_exactly_what_the_code_needs(manifest_path):
    manifest = load_manifest(manifest_path)
    needed = needed_bot_scopes(manifest)
    granted = manifest_bot_scopes(manifest)
    missing = {scope: why for scope, why in needed.items() if scope not in granted}
    unused = granted - set(needed)

    assert missing == {}, f"{manifest_path.name} lacks bot scopes the code needs: " + "; ".join(
        f"{scope} for {', '.join(why)}" for scope, why in sorted(missing.items())
    )
    assert unused == set(), (
        f"{manifest_path.name} asks for bot scopes nothing in the code needs: "
        f"{', '.join(sorted(unused))}"
    )


@each_manifest
def test_an_oauth_install_asks_for_the_manifests_scopes(manifest_path):
    """/slack/install sends people to Slack with bot.slack.scopes.BOT_SCOPES; an install
    that asks for other scopes than the app's configuration is refused or over-asks."""
    in_code, in_manifest = set(BOT_SCOPES), manifest_bot_scopes(load_manifest(manifest_path))
    assert in_code - in_manifest == set(), (
        f"BOT_SCOPES asks for scopes {manifest_path.name} lacks: "
        f"{', '.join(sorted(in_code - in_manifest))}"
    )
    assert in_manifest - in_code == set(), (
        f"{manifest_path.name} has scopes BOT_SCOPES does not ask for: "
        f"{', '.join(sorted(in_manifest - in_code))}"
    )


@each_manifest
def test_the_manifest_asks_for_no_user_scopes_but_signing_in(manifest_path):
    """motbot acts only as its bot user; a person's own token serves only to tell the
    dashboard who signed in (Sign in with Slack)."""
    scopes = load_manifest(manifest_path)["oauth_config"]["scopes"]
    assert set(scopes) == {"bot", "user"}
    assert set(scopes["user"]) == SIGN_IN_USER_SCOPES, manifest_path.name


def _without_transport(manifest: dict[str, Any]) -> dict[str, Any]:
    """The manifest minus what differs between HTTP and Socket Mode by design."""
    text = json.dumps(manifest)
    stripped = json.loads(text)
    for command in stripped["features"].get("slash_commands", []):
        command.pop("url", None)
    stripped["settings"]["event_subscriptions"].pop("request_url", None)
    stripped["settings"]["interactivity"].pop("request_url", None)
    stripped["settings"].pop("socket_mode_enabled", None)
    stripped["oauth_config"].pop("redirect_urls", None)
    return stripped


def test_both_manifests_describe_the_same_app():
    socket_mode, http = load_manifest(SOCKET_MODE_MANIFEST), load_manifest(HTTP_MANIFEST)
    assert manifest_commands(socket_mode) == manifest_commands(http)
    assert manifest_shortcuts(socket_mode) == manifest_shortcuts(http)
    assert manifest_events(socket_mode) == manifest_events(http)
    assert manifest_bot_scopes(socket_mode) == manifest_bot_scopes(http)
    assert _without_transport(socket_mode) == _without_transport(http), (
        "the two manifests differ in more than request URLs, redirect URLs and Socket Mode"
    )


def test_the_socket_mode_manifest_needs_no_public_url():
    manifest = load_manifest(SOCKET_MODE_MANIFEST)
    settings = manifest["settings"]
    assert settings["socket_mode_enabled"] is True
    assert "request_url" not in settings["event_subscriptions"]
    assert "request_url" not in settings["interactivity"]
    assert [c["command"] for c in manifest["features"]["slash_commands"] if "url" in c] == []


def test_the_http_manifest_sends_every_request_to_the_bots_events_path():
    manifest = load_manifest(HTTP_MANIFEST)
    settings = manifest["settings"]
    assert settings["socket_mode_enabled"] is False
    urls = {
        "event_subscriptions.request_url": settings["event_subscriptions"].get("request_url"),
        "interactivity.request_url": settings["interactivity"].get("request_url"),
    }
    for command in manifest["features"]["slash_commands"]:
        urls[f"{command['command']} url"] = command.get("url")
    wrong = {
        where: url
        for where, url in urls.items()
        if not (isinstance(url, str) and url.startswith("https://"))
        or not url.endswith(SLACK_EVENTS_PATH)
    }

    assert wrong == {}, f"these must be https://.../{SLACK_EVENTS_PATH.lstrip('/')}: {wrong}"
    assert len(set(urls.values())) == 1, f"events, commands and interactivity share one URL: {urls}"


def test_the_http_manifest_redirects_oauth_installs_to_the_bot():
    redirects = load_manifest(HTTP_MANIFEST)["oauth_config"].get("redirect_urls", [])
    assert redirects, "the HTTP manifest needs a redirect URL for OAuth installs"
    assert all(
        url.startswith("https://") and url.endswith((OAUTH_REDIRECT_PATH, CALLBACK_PATH))
        for url in redirects
    ), redirects
    assert any(url.endswith(OAUTH_REDIRECT_PATH) for url in redirects)


@each_manifest
def test_slash_commands_arrive_escaped_as_the_code_reads_them(manifest_path):
    """/kudos and /mot kudos read people as <@U123|name>: "Escape channels, users, and
    links" must be on, or a mention arrives as plain text."""
    commands = load_manifest(manifest_path)["features"]["slash_commands"]
    unescaped = [c["command"] for c in commands if c.get("should_escape") is not True]
    assert unescaped == [], f"{manifest_path.name}: set should_escape: true on {unescaped}"


@each_manifest
def test_the_manifest_sets_up_motbot_as_designed(manifest_path):
    manifest = load_manifest(manifest_path)
    features, settings = manifest["features"], manifest["settings"]

    assert manifest["_metadata"]["major_version"] == 1
    assert manifest["display_information"]["name"] == "motbot"
    assert features["bot_user"] == {"display_name": "motbot", "always_online": True}
    assert features["app_home"] == {
        "home_tab_enabled": True,
        "messages_tab_enabled": True,
        "messages_tab_read_only_enabled": False,
    }
    assert settings["interactivity"]["is_enabled"] is True
    assert settings["org_deploy_enabled"] is False
    assert settings["token_rotation_enabled"] is False


@each_manifest
def test_the_manifest_fits_slacks_limits(manifest_path):
    """Slack refuses a manifest past these (its app manifest schema, version 1)."""
    manifest = load_manifest(manifest_path)
    display = manifest["display_information"]
    problems = []

    def check(where: str, text: object, shortest: int, longest: int) -> None:
        if not (isinstance(text, str) and shortest <= len(text) <= longest):
            length = len(text) if isinstance(text, str) else text
            problems.append(f"{where}: {shortest}..{longest} characters, has {length}")

    check("display_information.name", display.get("name"), 1, 35)
    check("display_information.description", display.get("description"), 1, 140)
    check("display_information.long_description", display.get("long_description"), 175, 4000)
    if not re.fullmatch(r"#[0-9a-fA-F]{3}([0-9a-fA-F]{3})?", display.get("background_color", "")):
        problems.append(
            f"background_color must be #rgb or #rrggbb: {display.get('background_color')}"
        )
    for command in manifest["features"]["slash_commands"]:
        check(f"{command['command']} command", command["command"], 2, 32)
        check(f"{command['command']} description", command.get("description"), 1, 2000)
        check(f"{command['command']} usage_hint", command.get("usage_hint"), 1, 1000)
    for shortcut in manifest["features"]["shortcuts"]:
        check(f"shortcut {shortcut['callback_id']} name", shortcut.get("name"), 1, 24)
        check(
            f"shortcut {shortcut['callback_id']} description", shortcut.get("description"), 1, 150
        )

    assert problems == [], f"{manifest_path.name}: " + "; ".join(problems)


def test_the_http_manifest_lets_people_sign_in_to_the_dashboard_with_slack():
    redirects = load_manifest(HTTP_MANIFEST)["oauth_config"]["redirect_urls"]

    assert f"https://YOUR-HOST{CALLBACK_PATH}" in redirects
