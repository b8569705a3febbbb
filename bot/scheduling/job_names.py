"""The scheduled jobs' names, in a module that imports nothing: `motbot --help`, the
run-job parser and the sandbox console list them without loading the jobs (and Slack's
SDK). jobs.py registers a job under each name."""

from __future__ import annotations

PULSE_SEND = "pulse-send"
PULSE_REMIND = "pulse-remind"
PULSE_CLOSE = "pulse-close"
LEADERBOARD = "leaderboard"
DIGEST = "digest"
PRUNE_EVENTS = "prune-events"
OUTBOX = "outbox"

JOB_NAMES = (PULSE_SEND, PULSE_REMIND, PULSE_CLOSE, LEADERBOARD, DIGEST, PRUNE_EVENTS, OUTBOX)
# Those that act on whatever is current, so a --period would be silently ignored.
JOBS_WITHOUT_PERIOD = (PULSE_REMIND, PRUNE_EVENTS, OUTBOX)
