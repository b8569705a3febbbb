"""All tables. Importing this package registers every model on `Base.metadata`."""

from bot.db.models.kudos import Kudos, KudosReversal, KudosValue
from bot.db.models.operations import AuditEntry, JobDelivery, JobRun, ProcessedEvent
from bot.db.models.outbox import OutboxEntry
from bot.db.models.policy import PolicyArea, PolicyRevision
from bot.db.models.pulse import (
    PulseAnswer,
    PulseBallot,
    PulseComment,
    PulseInvite,
    PulseQuestion,
    PulseRound,
    PulseRoundQuestion,
)
from bot.db.models.scheduler import scheduler_jobs
from bot.db.models.slack_oauth import slack_bots, slack_installations, slack_oauth_states
from bot.db.models.story import Story, StoryBacking, StoryPerson, StoryTag, StoryValue
from bot.db.models.totals import KudosPair, MemberTotals
from bot.db.models.workspace import CompanyValue, Member, Team, Workspace

__all__ = [
    "AuditEntry",
    "CompanyValue",
    "JobDelivery",
    "JobRun",
    "Kudos",
    "KudosPair",
    "KudosReversal",
    "KudosValue",
    "Member",
    "MemberTotals",
    "OutboxEntry",
    "PolicyArea",
    "PolicyRevision",
    "ProcessedEvent",
    "PulseAnswer",
    "PulseBallot",
    "PulseComment",
    "PulseInvite",
    "PulseQuestion",
    "PulseRound",
    "PulseRoundQuestion",
    "Story",
    "StoryBacking",
    "StoryPerson",
    "StoryTag",
    "StoryValue",
    "Team",
    "Workspace",
    "scheduler_jobs",
    "slack_bots",
    "slack_installations",
    "slack_oauth_states",
]
