"""The method table is the families' methods put together: each method from exactly one
family module, and the same methods, requirements and GET rules as before the split."""

from __future__ import annotations

import importlib
import pkgutil

import pytest

import slackemu.webapi
from slackemu.webapi import METHODS, ApiMethod, auth
from slackemu.webapi.app import FAMILIES
from slackemu.webapi.registry import method_table

# (method, required arguments, also served on GET), as webapi.py registered them.
SERVED = {
    ("auth.test", (), False),
    ("team.info", (), True),
    ("users.info", ("user",), True),
    ("users.list", (), True),
    ("users.lookupByEmail", ("email",), True),
    ("conversations.open", (), False),
    ("conversations.info", ("channel",), True),
    ("conversations.members", ("channel",), True),
    ("conversations.join", ("channel",), False),
    ("usergroups.list", (), True),
    ("usergroups.users.list", ("usergroup",), True),
    ("chat.postMessage", ("channel",), False),
    ("chat.postEphemeral", ("channel", "user"), False),
    ("chat.update", ("channel", "ts"), False),
    ("chat.delete", ("channel", "ts"), False),
    ("chat.getPermalink", ("channel", "message_ts"), True),
    ("reactions.add", ("channel", "name", "timestamp"), False),
    ("reactions.remove", ("name",), False),
    ("reactions.get", (), True),
    ("views.open", ("trigger_id", "view"), False),
    ("views.push", ("trigger_id", "view"), False),
    ("views.update", ("view",), False),
    ("views.publish", ("user_id", "view"), False),
}


def test_the_families_are_the_modules_that_offer_methods():
    """Every module of the package with a tuple of methods is in the table, once."""
    modules = [
        importlib.import_module(info.name)
        for info in pkgutil.iter_modules(slackemu.webapi.__path__, "slackemu.webapi.")
    ]
    offering = {m.__name__ for m in modules if isinstance(getattr(m, "METHODS", None), tuple)}

    assert offering == {family.__name__ for family in FAMILIES}
    assert len(FAMILIES) == len(offering) == 7


def test_the_table_serves_the_methods_it_always_did():
    assert {(m.name, m.required, m.reads) for m in METHODS.values()} == SERVED
    assert all(name == method.name for name, method in METHODS.items())


def test_every_method_comes_from_exactly_one_family():
    for name, method in METHODS.items():
        homes = [
            family.__name__
            for family in FAMILIES
            if any(offered.name == name for offered in family.METHODS)
        ]

        assert homes == [method.handler.__module__], name


def test_every_family_method_is_in_the_table():
    offered = [method for family in FAMILIES for method in family.METHODS]

    assert len(offered) == len(METHODS)
    assert all(METHODS[method.name] is method for method in offered)


def test_each_family_serves_its_own_prefix():
    for family in FAMILIES:
        prefixes = {method.name.split(".", 1)[0] for method in family.METHODS}
        expected = {"auth", "team"} if family is auth else {family.__name__.rsplit(".", 1)[1]}

        assert prefixes == expected, family.__name__


def test_app_level_methods_stay_out_of_the_table():
    """oauth.v2.access, apps.connections.open and Sign in with Slack's methods take the
    app's credentials or a person's OpenID token, not a workspace's bot token: auth.py
    answers them before the table is looked at."""
    assert set(auth.APP_LEVEL_METHODS) == {
        "oauth.v2.access",
        "apps.connections.open",
        "openid.connect.token",
        "openid.connect.userInfo",
    }
    assert not set(auth.APP_LEVEL_METHODS) & set(METHODS)


def test_a_method_two_families_both_offer_is_refused():
    twice = ApiMethod("auth.test", lambda call: {})

    with pytest.raises(ValueError, match=r"auth\.test is served twice"):
        method_table(auth.METHODS, (twice,))


def test_the_table_cannot_be_changed_in_place():
    with pytest.raises(TypeError):
        METHODS["chat.postMessage"] = METHODS["auth.test"]  # type: ignore[index]
