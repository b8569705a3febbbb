"""Prometheus metrics: what GET /metrics shows (names and labels in docs/operations.md).

The metric objects live at module level on prometheus_client's default registry, which
is how that library is meant to be used: defining a metric does no I/O and starts no
thread, it only registers a name. Values are per process; each process serves its own
GET /metrics (the HTTP edge) or is not scraped (one-off commands such as run-job).

Every label takes values from a small fixed set (request kinds, outcomes, job names,
Web API method names), so the number of series stays bounded whatever Slack sends.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Protocol

from prometheus_client import REGISTRY, Counter, Gauge, Histogram
from prometheus_client.exposition import choose_encoder

# Slack waits 3 seconds for the acknowledgement; the buckets are dense below that.
ACK_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 2.5, 3.0, 5.0)
# A job may send one DM or a thousand, at Slack's posting pace.
JOB_BUCKETS = (0.1, 0.5, 1.0, 5.0, 15.0, 30.0, 60.0, 120.0, 300.0, 600.0, 1800.0, 3600.0)

SLACK_REQUESTS = Counter(
    "motbot_slack_requests_total",
    "Requests from Slack at the HTTP edge, by kind and outcome.",
    ["kind", "outcome"],
)
SLACK_ACK_SECONDS = Histogram(
    "motbot_slack_ack_seconds",
    "Time to produce the HTTP response Slack waits for (its limit is 3 s), by kind.",
    ["kind"],
    buckets=ACK_BUCKETS,
)
SLACK_API_CALLS = Counter(
    "motbot_slack_api_calls_total",
    "HTTP requests to Slack's Web API (each retry counts), by method and outcome.",
    ["method", "outcome"],
)
SLACK_API_RATELIMITED = Counter(
    "motbot_slack_api_ratelimited_total",
    "Web API answers with HTTP 429 (rate limited), by method.",
    ["method"],
)
SLACK_API_RETRIES = Counter(
    "motbot_slack_api_retries_total",
    "Web API requests sent again by a retry handler, by reason.",
    ["reason"],
)
JOB_RUNS = Counter(
    "motbot_job_runs_total",
    "Scheduled job runs (scheduler ticks and run-job), by job and outcome.",
    ["job", "outcome"],
)
JOB_DURATION = Histogram(
    "motbot_job_duration_seconds",
    "How long a scheduled job run took, by job.",
    ["job"],
    buckets=JOB_BUCKETS,
)
OUTBOX_DELIVERIES = Counter(
    "motbot_outbox_deliveries_total",
    "Attempts to deliver an effect owed to Slack (outbox), by kind and outcome.",
    ["kind", "outcome"],
)
OUTBOX_WAITING = Gauge(
    "motbot_outbox_waiting",
    "Effects owed to Slack still waiting, by kind, as the last outbox drain found them.",
    ["kind"],
)

# Request kinds: the interactive payload's type, or what the body says it is.
INTERACTIVE_KINDS = frozenset(
    {
        "block_actions",
        "block_suggestion",
        "view_submission",
        "view_closed",
        "shortcut",
        "message_action",
        "interactive_message",
    }
)
SLASH_COMMAND = "slash_command"
EVENT = "event"
URL_VERIFICATION = "url_verification"
SSL_CHECK = "ssl_check"
UNKNOWN = "unknown"

# Request outcomes.
OK = "ok"
CLIENT_ERROR = "client_error"
SERVER_ERROR = "server_error"
REJECTED_MALFORMED = "rejected_malformed"

# Web API call outcomes.
API_OK = "ok"
API_ERROR = "error"  # HTTP 200 with "ok": false
API_RATELIMITED = "ratelimited"  # HTTP 429
API_HTTP_ERROR = "http_error"  # any other status, or no answer at all (connection, timeout)

# Outbox delivery outcomes.
OUTBOX_DELIVERED = "delivered"
OUTBOX_RETRY = "retry_later"  # Slack did not take it; the drain tries again
OUTBOX_DROPPED = "dropped"  # Slack will never take it, or it ran out of attempts
OUTBOX_GONE = "gone"  # nothing owed any more (the story was deleted, the kudos revoked)

_API_METHOD = re.compile(r"^[a-z]+(\.[a-zA-Z]+)+$")


def http_outcome(status: int) -> str:
    if status >= 500:
        return SERVER_ERROR
    if status >= 400:
        return CLIENT_ERROR
    return OK


def observe_slack_request(kind: str, outcome: str, seconds: float) -> None:
    SLACK_REQUESTS.labels(kind=kind, outcome=outcome).inc()
    SLACK_ACK_SECONDS.labels(kind=kind).observe(seconds)


def api_method_label(method: str) -> str:
    """A Web API method name as a label, or "other" (never an arbitrary string)."""
    return method if _API_METHOD.match(method) and len(method) <= 64 else "other"


def observe_api_call(method: str, outcome: str) -> None:
    label = api_method_label(method)
    SLACK_API_CALLS.labels(method=label, outcome=outcome).inc()
    if outcome == API_RATELIMITED:
        SLACK_API_RATELIMITED.labels(method=label).inc()


def observe_api_retry(reason: str) -> None:
    SLACK_API_RETRIES.labels(reason=reason).inc()


def observe_outbox_delivery(kind: str, outcome: str) -> None:
    OUTBOX_DELIVERIES.labels(kind=kind, outcome=outcome).inc()


def set_outbox_waiting(kinds: Iterable[str], waiting: Mapping[str, int]) -> None:
    for kind in kinds:
        OUTBOX_WAITING.labels(kind=kind).set(waiting.get(kind, 0))


class _JobReport(Protocol):
    busy: bool

    @property
    def ok(self) -> bool: ...


class JobRun:
    """The outcome of one job run: "error" unless told how the run ended."""

    def __init__(self) -> None:
        self.outcome = "error"

    def finished(self, report: _JobReport) -> None:
        """ok, busy (another process holds the run) or failed (sends failed or stopped)."""
        self.outcome = "busy" if report.busy else "ok" if report.ok else "failed"


@contextmanager
def measure_job(name: str) -> Iterator[JobRun]:
    """Count and time one run of job `name`; a run that raises counts as "error"."""
    run = JobRun()
    started = time.perf_counter()
    try:
        yield run
    finally:
        JOB_DURATION.labels(job=name).observe(time.perf_counter() - started)
        JOB_RUNS.labels(job=name, outcome=run.outcome).inc()


def exposition(accept: str | None) -> tuple[bytes, str]:
    """The body and content type of GET /metrics for a scraper's Accept header: the
    classic text format (version 0.0.4) unless it asks for a newer one or OpenMetrics."""
    encode, content_type = choose_encoder(accept or "")
    return encode(REGISTRY), content_type
