"""Installing motbot in several workspaces over OAuth, through the emulator's Slack:
each install keeps its own token and data, and an uninstall removes only the token."""

from __future__ import annotations

import html
import re
import urllib.parse
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime
from http.cookiejar import CookieJar, DefaultCookiePolicy

import pytest
from sqlalchemy import func, select

from bot.config import Settings
from bot.db.engine import make_session_factory
from bot.db.models import Kudos, Member, Workspace
from bot.db.models.slack_oauth import slack_bots
from bot.sandbox.harness import bot_environment
from bot.scheduling.runtime import WorkspaceRuntimes
from slackemu.actors import World
from slackemu.render import render_message
from slackemu.server import Emulator
from slackemu.workspace_file import build_workspace

pytestmark = pytest.mark.e2e

CLIENT_ID = "1111.2222"
CLIENT_SECRET = "emulator-client-secret-for-oauth"
FJORD = "T0FJORD01"


def fjord_rail():
    """A second company on the same Slack, with people of its own."""
    return build_workspace(
        {
            "team": {"id": FJORD, "name": "Fjord Rail", "domain": "fjord-rail"},
            "bot": {
                "user_id": "U0MOTBOT2",
                "bot_id": "B0MOTBOT2",
                "app_id": "A0MOTBOT1",
                "token": "xoxb-emulator-fjord-rail",
                "name": "motbot",
            },
            "users": [
                {
                    "id": "U0OLA0001",
                    "name": "ola",
                    "real_name": "Ola Nordmann",
                    "tz": "Europe/Oslo",
                    "locale": "en-GB",
                    "is_admin": True,
                },
                {
                    "id": "U0KARI001",
                    "name": "kari",
                    "real_name": "Kari Berg",
                    "tz": "Europe/Oslo",
                    "locale": "zh-CN",
                },
            ],
            "channels": [
                {
                    "id": "C0FJGENRL",
                    "name": "general",
                    "members": ["U0OLA0001", "U0KARI001", "U0MOTBOT2"],
                },
            ],
        }
    ).workspace


@pytest.fixture
def emulator(demo) -> Iterator[Emulator]:
    with Emulator(demo.workspace) as emulator:
        emulator.add_workspace(fjord_rail(), installed=False)
        emulator.installs.revoke(demo.workspace)  # not installed until someone installs it
        yield emulator


@pytest.fixture
def bot_env(demo) -> dict[str, str]:
    return {
        **demo.env(),  # the demo workspace's channels and roles, as for one workspace
        "SLACK_BOT_TOKEN": "",
        "MOTBOT_CLIENT_ID": CLIENT_ID,
        "MOTBOT_CLIENT_SECRET": CLIENT_SECRET,
    }


@pytest.fixture
def nordlys(world: World, emulator: Emulator) -> World:
    """The demo workspace's people; the bot is served over OAuth."""
    emulator.installs.register_app(
        CLIENT_ID,
        CLIENT_SECRET,
        world.sender.request_url.replace("/slack/events", "") + "/slack/oauth_redirect",
    )
    return world


@pytest.fixture
def fjord(nordlys: World, emulator: Emulator) -> World:
    return nordlys.elsewhere(emulator.workspace_by_team(FJORD))


class LoopbackIsSecure(DefaultCookiePolicy):
    """Browsers treat http://127.0.0.1 as a secure context and send it the `Secure`
    cookie that holds the OAuth state; so does this one."""

    def return_ok_secure(self, cookie, request) -> bool:
        return True


def browser() -> urllib.request.OpenerDirector:
    jar = CookieJar(policy=LoopbackIsSecure())
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))


def install(world: World, installer: str) -> str:
    """`installer` opens the bot's install page, clicks Add to Slack and approves; the
    text of the page they end on."""
    base = world.sender.request_url.removesuffix("/slack/events")
    person = browser()
    with person.open(base + "/slack/install", timeout=10) as page:
        install_page = page.read().decode()
    link = html.unescape(re.search(r'href="([^"]*oauth/v2/authorize[^"]*)"', install_page)[1])
    user = world.workspace.find_user(installer).id
    approve = link + "&" + urllib.parse.urlencode({"team": world.workspace.team.id, "user": user})
    with person.open(approve, timeout=10) as finished:
        return finished.read().decode()


def scheduler_settings(emulator, engine) -> Settings:
    """What a `motbot scheduler` beside the web process is configured with."""
    return Settings.from_env(
        bot_environment(
            emulator,
            database_url=engine.url.render_as_string(hide_password=False),
            port=3000,
            extra={
                "SLACK_BOT_TOKEN": "",
                "MOTBOT_CLIENT_ID": CLIENT_ID,
                "MOTBOT_CLIENT_SECRET": CLIENT_SECRET,
            },
        )
    )


def tokens_in_store(engine) -> dict[str, str]:
    with engine.connect() as connection:
        rows = connection.execute(select(slack_bots.c.team_id, slack_bots.c.bot_token))
        return {team_id: token for team_id, token in rows}


def workspace_row(engine, team_id: str) -> Workspace:
    with make_session_factory(engine)() as session:
        return session.scalars(select(Workspace).where(Workspace.team_id == team_id)).one()


def test_two_workspaces_install_and_each_gets_its_own_token(nordlys, fjord, engine, emulator):
    assert "Thank you" in install(nordlys, "ingrid")
    install(fjord, "ola")

    assert tokens_in_store(engine) == {
        nordlys.workspace.team.id: nordlys.workspace.bot.token,
        FJORD: "xoxb-emulator-fjord-rail",
    }
    assert workspace_row(engine, FJORD).name == "Fjord Rail"


def test_the_installer_is_welcomed_as_the_first_admin(nordlys, fjord, engine):
    install(fjord, "ola")

    welcome = fjord.user("ola").direct_messages()[-1].text
    assert "/mot admin channel stories" in welcome
    with make_session_factory(engine)() as session:
        ola = session.scalars(select(Member).where(Member.slack_user_id == "U0OLA0001")).one()
    assert ola.is_admin
    assert fjord.user("ola").runs("/mot help").text  # served with Fjord Rail's own token


def test_each_workspace_sees_only_its_own_recognition(nordlys, fjord, engine):
    install(nordlys, "ingrid")
    install(fjord, "ola")

    nordlys.user("alice").runs("/kudos @bjorn for calming the queue at gate 12")
    fjord.user("ola").runs("/kudos @kari for finding the lost stroller")

    assert "gave you kudos" in nordlys.user("bjorn").direct_messages()[-1].text
    assert "为你点赞" in fjord.user("kari").direct_messages()[-1].text
    top = fjord.user("ola").runs("/mot top")
    board = render_message(top.text, top.blocks)
    assert "U0KARI001" in board
    assert "U0BJORN01" not in board
    with make_session_factory(engine)() as session:
        per_workspace = dict(
            session.execute(
                select(Workspace.team_id, func.count(Kudos.id))
                .join(Kudos, Kudos.workspace_id == Workspace.id)
                .group_by(Workspace.team_id)
            ).all()
        )
    assert per_workspace == {nordlys.workspace.team.id: 1, FJORD: 1}


def test_uninstall_removes_the_token_keeps_the_data_and_stops_the_jobs(
    nordlys, fjord, engine, emulator
):
    install(nordlys, "ingrid")
    install(fjord, "ola")
    fjord.user("ola").runs("/kudos @kari for finding the lost stroller")

    deliveries = fjord.uninstall_app()

    assert all(delivery.acknowledged for delivery in deliveries)
    assert FJORD not in tokens_in_store(engine)
    assert workspace_row(engine, FJORD).uninstalled_at is not None
    with make_session_factory(engine)() as session:
        assert session.scalar(select(func.count(Kudos.id))) == 1  # kept for the admin
    settings = scheduler_settings(emulator, engine)
    runtimes = WorkspaceRuntimes(settings, make_session_factory(engine))
    assert set(runtimes.bot_tokens()) == {nordlys.workspace.team.id}


def test_a_reinstall_brings_the_workspace_back(nordlys, fjord, engine):
    install(fjord, "ola")
    fjord.uninstall_app()

    install(fjord, "ola")

    assert workspace_row(engine, FJORD).uninstalled_at is None
    assert FJORD in tokens_in_store(engine)


def test_an_install_with_a_forged_state_is_refused(nordlys, engine):
    base = nordlys.sender.request_url.removesuffix("/slack/events")
    forged = (
        base
        + "/slack/oauth_redirect?"
        + urllib.parse.urlencode({"code": "T0DEMO001.forged", "state": "not-a-state-we-issued"})
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        browser().open(forged, timeout=10)

    assert refused.value.code == 400
    assert tokens_in_store(engine) == {}


def test_one_workspace_s_channel_and_people_are_not_defaults_for_another(nordlys, fjord, engine):
    """MOTBOT_STORIES_CHANNEL and MOTBOT_LEADERS name one workspace's channel and people;
    installed over OAuth, each workspace's admins set their own."""
    install(fjord, "ola")

    fjord_row = workspace_row(engine, FJORD)
    assert fjord_row.stories_channel_id is None
    assert fjord_row.hr_channel_id is None


def test_the_weekly_jobs_post_each_workspace_s_own_board_with_its_own_token(
    nordlys, fjord, engine, emulator
):
    install(nordlys, "ingrid")
    install(fjord, "ola")
    fjord.user("ola").runs("/mot admin channel leaderboard #general")
    nordlys.user("ingrid").runs("/mot admin channel leaderboard #leaderboard")
    nordlys.user("alice").runs("/kudos @bjorn for calming the queue at gate 12")
    fjord.user("ola").runs("/kudos @kari for finding the lost stroller")
    settings = scheduler_settings(emulator, engine)
    this_week = datetime.now(UTC).strftime("%G-W%V")

    reports = WorkspaceRuntimes(settings, make_session_factory(engine)).run(
        "leaderboard", this_week, by_hand=True
    )

    assert [report.sent for report in reports] == [1, 1]
    fjord_board = render_message(
        fjord.channel("#general").last_message().text,
        fjord.channel("#general").last_message().blocks,
    )
    nordlys_board = nordlys.channel("#leaderboard").last_message()
    nordlys_text = render_message(nordlys_board.text, nordlys_board.blocks)
    assert "U0KARI001" in fjord_board and "U0BJORN01" not in fjord_board
    assert "U0BJORN01" in nordlys_text and "U0KARI001" not in nordlys_text


def test_an_installer_who_reads_chinese_is_welcomed_in_chinese(nordlys, fjord):
    install(fjord, "kari")

    assert "感谢安装 motbot" in fjord.user("kari").direct_messages()[-1].text
