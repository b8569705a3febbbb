"""A deployment with one SLACK_BOT_TOKEN, removed from its workspace: the data stays,
the scheduled jobs stop."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.config import Settings
from bot.db.engine import make_session_factory
from bot.db.models import AuditEntry, Workspace
from bot.sandbox.harness import bot_environment
from bot.scheduling.runtime import UnknownWorkspace, WorkspaceRuntimes

pytestmark = pytest.mark.e2e


def runtimes(emulator, engine, demo) -> WorkspaceRuntimes:
    url = engine.url.render_as_string(hide_password=False)
    settings = Settings.from_env(
        bot_environment(emulator, database_url=url, port=3000, extra=demo.env())
    )
    return WorkspaceRuntimes(settings, make_session_factory(engine))


def test_jobs_run_in_the_workspace_of_the_token_until_it_is_uninstalled(
    world, emulator, engine, demo
):
    world.user("alice").runs("/mot help")  # the workspace is known from its first request
    team_id = world.workspace.team.id
    assert set(runtimes(emulator, engine, demo).bot_tokens()) == {team_id}

    deliveries = world.uninstall_app()

    assert all(delivery.acknowledged for delivery in deliveries)
    assert runtimes(emulator, engine, demo).bot_tokens() == {}
    with make_session_factory(engine)() as session:
        workspace = session.scalars(select(Workspace).where(Workspace.team_id == team_id)).one()
        actions = session.scalars(select(AuditEntry.action)).all()
    assert workspace.uninstalled_at is not None
    assert actions == ["app.uninstalled"]


def test_a_job_for_a_workspace_not_installed_is_refused(world, emulator, engine, demo):
    with pytest.raises(UnknownWorkspace):
        runtimes(emulator, engine, demo).run("leaderboard", by_hand=True, team_id="T0NOWHERE")
