"""Sign in with Slack (OpenID Connect) as slack.com does it: the app sends the browser to
/openid/connect/authorize, a person signed in to Slack in that browser comes straight
back with a one-time code (anyone else first picks who they are), and the app exchanges
the code with its credentials (openid.connect.token) for an ID token and an access
token, which openid.connect.userInfo answers to."""

from __future__ import annotations

import http.cookiejar
import json
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from html.parser import HTMLParser

import jwt
import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.oauth import OpenIDConnectAuthorizeUrlGenerator

from bot.sandbox.demo import BOT_USER, KARIN, LI_WEI, NILS, TEAM_ID
from slackemu import Bot, Emulator, Team, User, Workspace
from slackemu.openid import SIGN_IN_COOKIE

CLIENT_ID, CLIENT_SECRET = "1111.2222", "0123456789abcdef0123456789abcdef"
DASHBOARD = "https://dashboard.example"
REDIRECT = f"{DASHBOARD}/dashboard/auth/callback"
SCOPES = ["openid", "profile", "email"]


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@dataclass
class Page:
    status: int
    location: str | None
    set_cookie: str | None
    text: str


class Browser:
    """A browser without JavaScript: it keeps cookies and shows each redirect rather than
    following it, unless told to follow those within the emulator."""

    def __init__(self, emulator: Emulator) -> None:
        self.emulator = emulator
        self.cookies = http.cookiejar.CookieJar()
        self._opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), NoRedirects()
        )

    def get(self, url: str) -> Page:
        url = urllib.parse.urljoin(self.emulator.base_url, url)
        try:
            response = self._opener.open(url)
        except urllib.error.HTTPError as error:
            response = error
        with response:
            headers = response.headers
            body = response.read().decode()
            return Page(response.status, headers["Location"], headers["Set-Cookie"], body)

    def follow(self, url: str) -> str:
        """Where the browser leaves the emulator for, following redirects within it."""
        page = self.get(url)
        while page.location is not None:
            target = urllib.parse.urljoin(self.emulator.base_url, page.location)
            if not target.startswith(self.emulator.base_url + "/"):
                return target
            page = self.get(target)
        raise AssertionError(f"the browser stayed on the emulator: {page.status} {page.text}")


class Links(HTMLParser):
    """The links of a page: their text and where they go."""

    def __init__(self, page: str) -> None:
        super().__init__()
        self.links: dict[str, str] = {}
        self._href: str | None = None
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self._href = dict(attrs).get("href")

    def handle_data(self, data):
        if self._href is not None:
            self.links[data.strip()] = self._href
            self._href = None


def authorize_url(emulator: Emulator, *, state="s1", nonce="n1", team=None, **changes) -> str:
    """The URL the app sends the browser to, built as slack_sdk builds it (which joins
    the scopes with commas), with `changes` to its query."""
    url = OpenIDConnectAuthorizeUrlGenerator(
        client_id=CLIENT_ID,
        redirect_uri=REDIRECT,
        scopes=SCOPES,
        authorization_url=f"{emulator.base_url}/openid/connect/authorize",
    ).generate(state=state, nonce=nonce, team=team)
    if not changes:
        return url
    parts = urllib.parse.urlsplit(url)
    query = dict(urllib.parse.parse_qsl(parts.query)) | changes
    return parts._replace(query=urllib.parse.urlencode(query)).geturl()


def sign_in_as(user: str, next_url: str) -> str:
    return "/openid/connect/sign-in-as?" + urllib.parse.urlencode({"user": user, "next": next_url})


def returned(location: str) -> dict[str, str]:
    """The query the app's redirect_uri was called back with."""
    assert location.startswith(REDIRECT + "?"), location
    return dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(location).query))


def signed_in_code(emulator: Emulator, user: str = KARIN, **query) -> str:
    """The code the app gets back for `user`, signed in to Slack in a fresh browser."""
    back = returned(Browser(emulator).follow(sign_in_as(user, authorize_url(emulator, **query))))
    assert back["state"] == query.get("state", "s1")
    return back["code"]


@pytest.fixture
def app(emulator: Emulator) -> WebClient:
    """The app, registered with Slack, as slack_sdk calls the Web API for it."""
    emulator.openid.register_client(CLIENT_ID, CLIENT_SECRET, [REDIRECT])
    return WebClient(base_url=emulator.api_url, retry_handlers=[])


def error_of(call) -> str:
    with pytest.raises(SlackApiError) as refused:
        call()
    return refused.value.response["error"]


# ---------------------------------------------------------------------------- the dance


def test_a_person_signed_in_to_slack_comes_straight_back_and_is_told_who_they_are(emulator, app):
    browser = Browser(emulator)
    assert browser.get(sign_in_as(KARIN, "/")).location == "/"

    back = returned(browser.follow(authorize_url(emulator, state="st-42", nonce="nonce-7")))
    assert back["state"] == "st-42"
    tokens = app.openid_connect_token(
        client_id=CLIENT_ID, client_secret=CLIENT_SECRET, code=back["code"], redirect_uri=REDIRECT
    )

    assert tokens["token_type"] == "Bearer"
    assert tokens["access_token"].startswith("xoxp-")
    assert tokens["expires_in"] == 43200
    claims = jwt.decode(
        tokens["id_token"],
        CLIENT_SECRET,
        algorithms=["HS256"],
        audience=CLIENT_ID,
        issuer="https://slack.com",
    )
    assert claims["sub"] == claims["https://slack.com/user_id"] == KARIN
    assert claims["https://slack.com/team_id"] == TEAM_ID
    assert claims["nonce"] == "nonce-7"
    assert claims["exp"] - claims["iat"] == 300
    assert claims["auth_time"] <= claims["iat"]
    assert (claims["name"], claims["email"]) == ("Karin Dahl", "karin@nordlys-air.example")
    assert (claims["given_name"], claims["family_name"]) == ("Karin", "Dahl")

    person = WebClient(base_url=emulator.api_url, token=tokens["access_token"])
    info = person.openid_connect_userInfo()
    assert info["sub"] == info["https://slack.com/user_id"] == KARIN
    assert info["https://slack.com/team_id"] == TEAM_ID
    assert info["https://slack.com/team_name"] == "Nordlys Air"
    assert info["https://slack.com/team_domain"] == "nordlys-air"
    assert (info["email"], info["email_verified"]) == ("karin@nordlys-air.example", True)
    assert (info["name"], info["given_name"], info["family_name"]) == (
        "Karin Dahl",
        "Karin",
        "Dahl",
    )
    assert info["locale"] == "en-GB"


def test_someone_not_signed_in_picks_who_they_are_and_returns_to_the_same_authorize_url(
    emulator, app
):
    browser = Browser(emulator)
    url = authorize_url(emulator)

    page = browser.get(url)
    assert page.status == 200
    continue_as = Links(page.text).links["Continue as Karin Dahl"]
    chosen = browser.get(continue_as)

    assert chosen.status == 302
    assert urllib.parse.urljoin(emulator.base_url, chosen.location) == url
    assert returned(browser.follow(chosen.location))["state"] == "s1"
    assert browser.get(url).location.startswith(REDIRECT)  # signed in from now on


def test_the_sign_in_page_lists_the_workspace_s_people_but_no_bots_or_deactivated_accounts(
    emulator, app
):
    page = Browser(emulator).get(authorize_url(emulator)).text

    assert "<title>Sign in to Nordlys Air</title>" in page
    links = Links(page).links
    assert {"Continue as Karin Dahl", "Continue as 李伟", "Continue as Tom Walker"} <= set(links)
    people = {text for text in links if text.startswith("Continue as ")}
    assert len(people) == 18  # the demo's 20 users, less the bot and Nils, who left
    assert "Continue as Nils Former" not in links
    assert "Continue as motbot" not in links
    assert all(
        f"user={NILS}" not in href and f"user={BOT_USER}" not in href for href in links.values()
    )


def test_names_on_the_sign_in_page_are_escaped(emulator: Emulator, workspace: Workspace, app):
    workspace.add_user(User(id="U0MALLORY", name="mallory", real_name='<b>Mal</b> "&" Co'))

    page = Browser(emulator).get(authorize_url(emulator)).text

    assert "<b>Mal</b>" not in page
    assert "Continue as &lt;b&gt;Mal&lt;/b&gt; &quot;&amp;&quot; Co" in page
    assert 'Continue as <b>Mal</b> "&" Co' in Links(page).links


def test_cancel_tells_the_app_the_person_declined(emulator, app):
    page = Browser(emulator).get(authorize_url(emulator, state="s9"))

    cancel = Links(page.text).links["Cancel"]

    assert returned(cancel) == {"error": "access_denied", "state": "s9"}


def test_the_sign_in_cookie_is_http_only_lax_and_for_the_whole_emulator(emulator, app):
    page = Browser(emulator).get(sign_in_as(KARIN, "/"))

    cookie = page.set_cookie
    assert cookie.startswith(f"{SIGN_IN_COOKIE}={TEAM_ID}.{KARIN};")
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Path=/" in cookie


def test_signing_out_brings_back_the_sign_in_page(emulator, app):
    browser = Browser(emulator)
    browser.get(sign_in_as(KARIN, "/"))

    assert browser.get("/openid/connect/sign-out?next=/").location == "/"

    page = browser.get(authorize_url(emulator))
    assert page.status == 200 and "<title>Sign in to Nordlys Air</title>" in page.text


def test_the_team_parameter_picks_the_workspace_to_sign_in_to(emulator, app):
    other = Workspace(
        Team(id="T0OTHER01", name="Other Air", domain="other-air"), Bot(token="xoxb-other")
    )
    other.add_user(User(id="U0OTHER01", name="olga", real_name="Olga Other"))
    emulator.add_workspace(other, installed=False)
    browser = Browser(emulator)
    browser.get(sign_in_as(KARIN, "/"))  # signed in to Nordlys Air, not to Other Air

    page = browser.get(authorize_url(emulator, team="T0OTHER01"))

    assert "<title>Sign in to Other Air</title>" in page.text
    assert set(Links(page.text).links) == {"Continue as Olga Other", "Cancel"}


# -------------------------------------------------------------------------- the code


def test_a_code_is_usable_once(emulator, app):
    code = signed_in_code(emulator)
    app.openid_connect_token(
        client_id=CLIENT_ID, client_secret=CLIENT_SECRET, code=code, redirect_uri=REDIRECT
    )

    again = error_of(
        lambda: app.openid_connect_token(
            client_id=CLIENT_ID, client_secret=CLIENT_SECRET, code=code, redirect_uri=REDIRECT
        )
    )

    assert again == "invalid_code"


def test_a_code_expires_after_ten_minutes_of_emulator_time(emulator, app, clock):
    code = signed_in_code(emulator)

    clock.advance(601)

    assert (
        error_of(
            lambda: app.openid_connect_token(
                client_id=CLIENT_ID, client_secret=CLIENT_SECRET, code=code, redirect_uri=REDIRECT
            )
        )
        == "invalid_code"
    )


def test_the_app_s_credentials_must_be_right(emulator, app):
    code = signed_in_code(emulator)

    def exchange(client_id, client_secret):
        return lambda: app.openid_connect_token(
            client_id=client_id, client_secret=client_secret, code=code, redirect_uri=REDIRECT
        )

    assert error_of(exchange(CLIENT_ID, "guess")) == "bad_client_secret"
    assert error_of(exchange("9999.0000", CLIENT_SECRET)) == "invalid_client_id"


def test_the_credentials_may_be_form_arguments_instead_of_http_basic(emulator, app):
    code = signed_in_code(emulator)
    form = {
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "code": code,
        "redirect_uri": REDIRECT,
        "grant_type": "authorization_code",
    }

    with urllib.request.urlopen(
        f"{emulator.api_url}openid.connect.token", urllib.parse.urlencode(form).encode()
    ) as response:
        answer = json.load(response)

    assert answer["ok"] is True
    assert jwt.decode(answer["id_token"], CLIENT_SECRET, algorithms=["HS256"], audience=CLIENT_ID)


def test_only_the_authorization_code_grant_is_served(emulator, app):
    code = signed_in_code(emulator)

    refused = error_of(
        lambda: app.openid_connect_token(
            client_id=CLIENT_ID,
            client_secret=CLIENT_SECRET,
            code=code,
            redirect_uri=REDIRECT,
            grant_type="refresh_token",
        )
    )

    assert refused == "invalid_grant_type"


def test_an_install_s_code_is_not_a_sign_in_code(emulator, app):
    """A code from /oauth/v2/authorize (installing the app) at openid.connect.token."""
    emulator.installs.register_app(CLIENT_ID, CLIENT_SECRET, REDIRECT)
    install = Browser(emulator).get(
        "/oauth/v2/authorize?"
        + urllib.parse.urlencode({"client_id": CLIENT_ID, "scope": "chat:write", "state": "s"})
    )

    refused = error_of(
        lambda: app.openid_connect_token(
            client_id=CLIENT_ID,
            client_secret=CLIENT_SECRET,
            code=returned(install.location)["code"],
            redirect_uri=REDIRECT,
        )
    )

    assert refused == "oauth_authorization_url_mismatch"


# ------------------------------------------------------------------ the redirect URI


@pytest.mark.parametrize(
    "redirect_uri",
    [
        "https://evil.example/dashboard/auth/callback",
        f"{REDIRECT}x",  # a prefix of the name is not a subdirectory
        f"{REDIRECT}/../../elsewhere",
        f"{DASHBOARD}@evil.example/dashboard/auth/callback",
        "http://dashboard.example/dashboard/auth/callback",  # not https
    ],
)
def test_an_unregistered_redirect_uri_gets_an_error_page_and_no_redirect(
    emulator, app, redirect_uri
):
    browser = Browser(emulator)
    browser.get(sign_in_as(KARIN, "/"))

    page = browser.get(authorize_url(emulator, redirect_uri=redirect_uri))

    assert (page.status, page.location) == (400, None)
    assert "bad_redirect_uri" in page.text
    assert "evil.example" not in page.text


def test_a_redirect_uri_below_a_registered_one_is_admitted(emulator, app):
    below = f"{REDIRECT}/team"

    back = Browser(emulator).follow(sign_in_as(KARIN, authorize_url(emulator, redirect_uri=below)))

    assert back.startswith(f"{below}?code=")


def test_the_token_call_must_repeat_the_authorize_request_s_redirect_uri(emulator, app):
    def exchange(**redirect):
        code = signed_in_code(emulator)
        return lambda: app.openid_connect_token(
            client_id=CLIENT_ID, client_secret=CLIENT_SECRET, code=code, **redirect
        )

    assert error_of(exchange(redirect_uri=f"{REDIRECT}/team")) == "bad_redirect_uri"
    assert error_of(exchange()) == "bad_redirect_uri"


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"client_id": "9999.0000"}, "invalid_client_id"),
        ({"response_type": "token"}, "unsupported_response_type"),
        ({"scope": "profile email"}, "invalid_scope"),
        ({"scope": "openid admin"}, "invalid_scope"),
        ({"team": "T0NOWHERE"}, "team_not_found"),
    ],
)
def test_a_bad_authorize_request_gets_a_page_naming_the_error(emulator, app, changes, error):
    browser = Browser(emulator)
    browser.get(sign_in_as(KARIN, "/"))

    page = browser.get(authorize_url(emulator, **changes))

    assert (page.status, page.location) == (400, None)
    assert f"<code>{error}</code>" in page.text


# -------------------------------------------------------------------------- userInfo


def test_user_info_wants_a_token_slack_issued_and_still_honours(emulator, app):
    code = signed_in_code(emulator)
    access_token = app.openid_connect_token(
        client_id=CLIENT_ID, client_secret=CLIENT_SECRET, code=code, redirect_uri=REDIRECT
    )["access_token"]

    def user_info(token):
        return lambda: WebClient(base_url=emulator.api_url, token=token).openid_connect_userInfo()

    assert error_of(user_info(None)) == "not_authed"
    assert error_of(user_info("xoxp-made-up")) == "invalid_auth"
    assert error_of(user_info(emulator.workspace.bot.token)) == "invalid_auth"
    assert user_info(access_token)()["sub"] == KARIN
    emulator.openid.revoke(access_token)
    assert error_of(user_info(access_token)) == "token_revoked"


def test_an_access_token_lasts_twelve_hours_of_emulator_time(emulator, app, clock):
    access_token = app.openid_connect_token(
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        code=signed_in_code(emulator),
        redirect_uri=REDIRECT,
    )["access_token"]

    clock.advance(43_201)

    assert (
        error_of(
            lambda: WebClient(
                base_url=emulator.api_url, token=access_token
            ).openid_connect_userInfo()
        )
        == "token_expired"
    )


def test_a_person_deactivated_since_signing_in_is_no_longer_described(emulator, app, workspace):
    access_token = app.openid_connect_token(
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        code=signed_in_code(emulator),
        redirect_uri=REDIRECT,
    )["access_token"]

    workspace.update_user(KARIN, deleted=True)

    assert (
        error_of(
            lambda: WebClient(
                base_url=emulator.api_url, token=access_token
            ).openid_connect_userInfo()
        )
        == "account_inactive"
    )


def test_the_token_may_be_an_argument_instead_of_a_header(emulator, app):
    access_token = app.openid_connect_token(
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        code=signed_in_code(emulator),
        redirect_uri=REDIRECT,
    )["access_token"]

    query = urllib.parse.urlencode({"token": access_token})
    with urllib.request.urlopen(f"{emulator.api_url}openid.connect.userInfo?{query}") as response:
        assert json.load(response)["sub"] == KARIN


def test_a_chinese_speaker_s_name_and_locale_are_carried_through(emulator, app):
    tokens = app.openid_connect_token(
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        code=signed_in_code(emulator, LI_WEI),
        redirect_uri=REDIRECT,
    )
    claims = jwt.decode(tokens["id_token"], CLIENT_SECRET, algorithms=["HS256"], audience=CLIENT_ID)
    info = WebClient(
        base_url=emulator.api_url, token=tokens["access_token"]
    ).openid_connect_userInfo()

    for said in (claims, info):
        assert said["sub"] == LI_WEI
        assert (said["locale"], said["name"]) == ("zh-CN", "李伟")


def test_the_scopes_limit_what_the_app_learns(emulator, app):
    code = signed_in_code(emulator, scope="openid")
    tokens = app.openid_connect_token(
        client_id=CLIENT_ID, client_secret=CLIENT_SECRET, code=code, redirect_uri=REDIRECT
    )
    info = WebClient(
        base_url=emulator.api_url, token=tokens["access_token"]
    ).openid_connect_userInfo()

    assert info["https://slack.com/user_id"] == KARIN
    assert not {"email", "name", "locale", "picture"} & set(info.data)


def test_the_picture_is_served_by_the_emulator(emulator, app):
    tokens = app.openid_connect_token(
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        code=signed_in_code(emulator),
        redirect_uri=REDIRECT,
    )
    info = WebClient(
        base_url=emulator.api_url, token=tokens["access_token"]
    ).openid_connect_userInfo()

    assert info["picture"].startswith(f"{emulator.base_url}/avatars/{TEAM_ID}/{KARIN}.svg")
    with urllib.request.urlopen(info["picture"]) as picture:
        assert picture.headers["Content-Type"].startswith("image/svg+xml")
        assert ">KD</text>" in picture.read().decode()


# ---------------------------------------------------------------------- sign-in-as


@pytest.mark.parametrize(
    "next_url",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example/",
        "javascript:alert(1)",
        f"{DASHBOARD}@evil.example/",
    ],
)
def test_sign_in_as_sends_the_browser_nowhere_but_the_emulator_and_registered_apps(
    emulator, app, next_url
):
    page = Browser(emulator).get(sign_in_as(KARIN, next_url))

    assert (page.status, page.location, page.set_cookie) == (400, None, None)
    assert "<code>bad_next_url</code>" in page.text


@pytest.mark.parametrize(
    "next_url",
    ["/openid/connect/authorize?x=1", "{emulator}/anything", f"{DASHBOARD}/dashboard/"],
)
def test_sign_in_as_may_lead_to_the_emulator_or_a_registered_app_s_site(emulator, app, next_url):
    next_url = next_url.format(emulator=emulator.base_url)

    page = Browser(emulator).get(sign_in_as(KARIN, next_url))

    assert (page.status, page.location) == (302, next_url)


@pytest.mark.parametrize("user", [NILS, BOT_USER, "U0NOBODY1"])
def test_only_people_who_can_sign_in_may_be_signed_in_as(emulator, app, user):
    page = Browser(emulator).get(sign_in_as(user, "/"))

    assert (page.status, page.location, page.set_cookie) == (400, None, None)
