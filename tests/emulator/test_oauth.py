"""OAuth v2 as slack.com does it: an approval gives a one-time code, the code and the
app's credentials give the workspace's bot token, and an uninstall revokes it."""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

CLIENT_ID, CLIENT_SECRET = "1111.2222", "client-secret"
REDIRECT = "https://bot.example/slack/oauth_redirect"


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def approve(emulator, **query) -> str:
    """The one-time code in the redirect Slack answers an approval with."""
    url = (
        emulator.base_url
        + "/oauth/v2/authorize?"
        + urllib.parse.urlencode(
            {"client_id": CLIENT_ID, "scope": "chat:write", "state": "s1", **query}
        )
    )
    with pytest.raises(urllib.error.HTTPError) as redirect:
        urllib.request.build_opener(NoRedirects()).open(url)
    assert redirect.value.code == 302
    location = redirect.value.headers["Location"]
    assert location.startswith(REDIRECT)
    params = urllib.parse.parse_qs(urllib.parse.urlsplit(location).query)
    assert params["state"] == ["s1"]
    return params["code"][0]


@pytest.fixture
def app(emulator):
    emulator.installs.register_app(CLIENT_ID, CLIENT_SECRET, REDIRECT)
    return WebClient(base_url=emulator.api_url)


def test_a_code_is_exchanged_once_for_the_workspace_s_bot_token(emulator, app):
    code = approve(emulator, user="U0INGRI01")

    answer = app.oauth_v2_access(client_id=CLIENT_ID, client_secret=CLIENT_SECRET, code=code)

    assert answer["access_token"] == emulator.workspace.bot.token
    assert answer["team"]["id"] == emulator.workspace.team.id
    assert answer["authed_user"]["id"] == "U0INGRI01"
    with pytest.raises(SlackApiError) as again:
        app.oauth_v2_access(client_id=CLIENT_ID, client_secret=CLIENT_SECRET, code=code)
    assert again.value.response["error"] == "invalid_code"


def test_a_wrong_client_secret_is_refused(emulator, app):
    code = approve(emulator)

    with pytest.raises(SlackApiError) as refused:
        app.oauth_v2_access(client_id=CLIENT_ID, client_secret="guess", code=code)

    assert refused.value.response["error"] == "bad_client_secret"


def test_an_uninstalled_app_s_token_is_revoked_until_installed_again(emulator, app):
    token = emulator.workspace.bot.token
    emulator.installs.revoke(emulator.workspace)

    with pytest.raises(SlackApiError) as revoked:
        WebClient(token=token, base_url=emulator.api_url).auth_test()
    assert revoked.value.response["error"] == "token_revoked"

    app.oauth_v2_access(client_id=CLIENT_ID, client_secret=CLIENT_SECRET, code=approve(emulator))
    assert WebClient(token=token, base_url=emulator.api_url).auth_test()["ok"]
