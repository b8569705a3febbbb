"""GET /metrics after real traffic: Slack's requests by kind and outcome, how fast they
were acknowledged, the Web API calls the bot made (429s and retries included) and job
runs. The registry is per process and shared by every test, so each test compares the
values after its traffic with those before."""

from __future__ import annotations

import urllib.request
from collections.abc import Callable
from dataclasses import replace

import pytest
from prometheus_client.parser import text_string_to_metric_families
from slack_sdk.errors import SlackApiError

from bot.config import Settings
from bot.db.engine import make_session_factory
from bot.sandbox.harness import bot_environment
from bot.scheduling.runtime import make_runtime
from bot.slack.client import make_web_client
from tests.e2e.test_http_edge import signed_headers, slash_command
from tests.e2e.test_stories import STORIES, share
from tests.support.http import get, post

Reading = Callable[[str], float]


@pytest.fixture
def base_url(world) -> str:
    return world.sender.request_url.removesuffix("/slack/events")


@pytest.fixture
def metrics(base_url) -> Callable[[], Reading]:
    """Scrape GET /metrics; the result reads a sample by name and labels."""

    def scrape() -> Reading:
        response = get(f"{base_url}/metrics")
        assert response.status == 200
        samples = {
            (sample.name, tuple(sorted(sample.labels.items()))): sample.value
            for family in text_string_to_metric_families(response.text)
            for sample in family.samples
        }

        def reading(name: str, **labels: str) -> float:
            return samples.get((name, tuple(sorted(labels.items()))), 0.0)

        return reading

    return scrape


@pytest.fixture
def settings(emulator, engine, demo) -> Settings:
    return Settings.from_env(
        bot_environment(emulator, database_url=str(engine.url), port=3000, extra=demo.env())
    )


def test_metrics_are_served_in_prometheus_text_format(base_url):
    response = get(f"{base_url}/metrics")

    assert response.status == 200
    assert response.headers["Content-Type"].startswith("text/plain; version=0.0.4")
    assert "# TYPE motbot_slack_requests_total counter" in response.text
    assert "# TYPE motbot_slack_ack_seconds histogram" in response.text


def test_a_scraper_that_asks_for_openmetrics_gets_it(base_url):
    asking = urllib.request.Request(
        f"{base_url}/metrics", headers={"Accept": "application/openmetrics-text; version=1.0.0"}
    )
    with urllib.request.urlopen(asking, timeout=10) as response:
        content_type, body = response.headers["Content-Type"], response.read().decode()

    assert content_type.startswith("application/openmetrics-text; version=1.0.0")
    assert body.endswith("# EOF\n")


def test_slack_requests_are_counted_by_kind_and_outcome_and_timed(world, metrics, base_url):
    alice, bjorn = world.user("alice"), world.user("bjorn")
    before = metrics()

    alice.runs("/mot help")  # slash_command
    share(alice)  # slash_command, then view_submission
    card = world.channel(STORIES).last_message()
    bjorn.clicks("Positive moment of truth", on=card)  # block_actions
    bjorn.opens_home()  # event
    bad = slash_command("help")
    post(world.sender.request_url, bad, signed_headers(bad, secret="wrong"))  # 401
    post(world.sender.request_url, b"{not json", {"Content-Type": "application/json"})

    after = metrics()

    def grew(name: str, **labels: str) -> float:
        return after(name, **labels) - before(name, **labels)

    requests = "motbot_slack_requests_total"
    assert grew(requests, kind="slash_command", outcome="ok") == 2
    assert grew(requests, kind="view_submission", outcome="ok") == 1
    assert grew(requests, kind="block_actions", outcome="ok") == 1
    assert grew(requests, kind="event", outcome="ok") == 1
    assert grew(requests, kind="slash_command", outcome="client_error") == 1
    assert grew(requests, kind="unknown", outcome="rejected_malformed") == 1
    acks = "motbot_slack_ack_seconds_count"
    assert grew(acks, kind="slash_command") == 3
    assert grew(acks, kind="block_actions") == 1
    # Every acknowledgement here came well within Slack's three seconds.
    assert grew("motbot_slack_ack_seconds_bucket", kind="slash_command", le="3.0") == 3


def test_web_api_calls_made_by_listeners_are_counted(world, metrics):
    before = metrics()

    share(world.user("alice"))  # views.open, then chat.postMessage for the card

    after = metrics()
    calls = "motbot_slack_api_calls_total"
    for method in ("views.open", "chat.postMessage"):
        assert after(calls, method=method, outcome="ok") > before(
            calls, method=method, outcome="ok"
        )


def test_a_429_is_counted_and_retried(world, emulator, metrics):
    alice, bjorn = world.user("alice"), world.user("bjorn")
    emulator.faults.fail("chat.postMessage", "ratelimited", times=1)
    before = metrics()

    alice.runs("/kudos @bjorn for calming the queue at gate 12 #customer-first")

    after = metrics()
    assert "gave you kudos" in bjorn.direct_messages()[-1].text  # delivered on the retry
    method = {"method": "chat.postMessage"}
    assert after("motbot_slack_api_ratelimited_total", **method) == (
        before("motbot_slack_api_ratelimited_total", **method) + 1
    )
    assert after("motbot_slack_api_retries_total", reason="ratelimited") == (
        before("motbot_slack_api_retries_total", reason="ratelimited") + 1
    )
    calls = "motbot_slack_api_calls_total"
    assert after(calls, outcome="ratelimited", **method) == (
        before(calls, outcome="ratelimited", **method) + 1
    )
    assert after(calls, outcome="ok", **method) > before(calls, outcome="ok", **method)


def test_errors_and_server_error_retries_are_counted(emulator, settings, metrics):
    client = make_web_client(settings)
    emulator.faults.fail("team.info", 503, times=1)
    before = metrics()

    client.team_info()  # a 503, then success on the retry
    with pytest.raises(SlackApiError):
        client.conversations_info(channel="C0NOSUCH")  # HTTP 200, "ok": false

    after = metrics()
    calls = "motbot_slack_api_calls_total"
    assert after(calls, method="team.info", outcome="http_error") == (
        before(calls, method="team.info", outcome="http_error") + 1
    )
    assert after(calls, method="team.info", outcome="ok") == (
        before(calls, method="team.info", outcome="ok") + 1
    )
    assert after("motbot_slack_api_retries_total", reason="server_error") == (
        before("motbot_slack_api_retries_total", reason="server_error") + 1
    )
    assert after(calls, method="conversations.info", outcome="error") == (
        before(calls, method="conversations.info", outcome="error") + 1
    )


def test_job_runs_are_counted_and_timed(world, settings, engine, metrics):
    runtime = make_runtime(settings, make_session_factory(engine))
    before = metrics()

    report = runtime.run("prune-events", by_hand=True)

    after = metrics()
    assert report.ok
    job = {"job": "prune-events"}
    assert after("motbot_job_runs_total", outcome="ok", **job) == (
        before("motbot_job_runs_total", outcome="ok", **job) + 1
    )
    assert after("motbot_job_duration_seconds_count", **job) == (
        before("motbot_job_duration_seconds_count", **job) + 1
    )


def test_a_job_that_raises_counts_as_an_error(world, settings, engine, metrics, monkeypatch):
    from bot.scheduling import jobs

    def broken(_context, _period):
        raise RuntimeError("the database went away")

    runtime = make_runtime(settings, make_session_factory(engine))
    monkeypatch.setitem(jobs.JOBS, "digest", replace(jobs.JOBS["digest"], run=broken))
    before = metrics()

    with pytest.raises(RuntimeError):
        runtime.run("digest", by_hand=True)

    after = metrics()
    assert after("motbot_job_runs_total", job="digest", outcome="error") == (
        before("motbot_job_runs_total", job="digest", outcome="error") + 1
    )
