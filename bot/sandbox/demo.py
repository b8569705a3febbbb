"""The demo workspace: Nordlys Air, a Scandinavian airline, with twenty people.

Three frontline teams (Check-in & Gate, Cabin Crew, Customer Care), each with a
leader; an HR partner; an admin; English (en-US, en-GB) and Chinese (zh-CN) speakers
in Stockholm, London, New York and Shanghai; a guest contractor; a former employee
whose account is deactivated; and the bot. Ids are stable so tests can name people:
`demo.ALICE` is always "U0ALICE01".

The workspace is described in the workspace-file shape and built by the same loader
as a file would be (workspace_file.build_workspace), so the demo also keeps that
loader honest.
"""

from __future__ import annotations

from typing import Any

from slackemu.clock import Clock
from slackemu.state import Workspace
from slackemu.workspace_file import LoadedWorkspace, build_workspace

TEAM_ID = "T0DEMO001"
BOT_USER = "U0MOTBOT1"
BOT_TOKEN = "xoxb-emulator-nordlys-air"

# Check-in & Gate
ERIK = "U0ERIK001"  # leader
ALICE = "U0ALICE01"
BJORN = "U0BJORN01"
LI_WEI = "U0LIWEI01"
ZHANG_MIN = "U0ZHANG01"
# Cabin Crew
INGRID = "U0INGRI01"  # leader
CHEN_JING = "U0CHENJ01"
OLIVER = "U0OLIVE01"
MAJA = "U0MAJA001"
EMMA = "U0EMMA001"
# Customer Care
WANG_FANG = "U0WANGF01"  # leader
DANIEL = "U0DANIE01"
LIU_YANG = "U0LIUYA01"
SARA = "U0SARA001"
JAMES = "U0JAMES01"
# Everyone else
KARIN = "U0KARIN01"  # HR
HENRIK = "U0HENRI01"  # workspace admin, installs the bot
TOM = "U0TOMGU01"  # guest contractor (is_restricted)
NILS = "U0NILSX01"  # left the company (deleted)

STORIES_CHANNEL = "C0MOMENTS"
LEADERBOARD_CHANNEL = "C0LEADERB"
HR_CHANNEL = "C0HRPULSE"
GENERAL_CHANNEL = "C0GENERAL"

CHECKIN_GATE_GROUP = "S0GATE001"
CABIN_CREW_GROUP = "S0CABIN01"
CUSTOMER_CARE_GROUP = "S0CARE001"

LEADERS = (ERIK, INGRID, WANG_FANG)
HR_USERS = (KARIN,)
ADMINS = (HENRIK,)

_STOCKHOLM, _LONDON = "Europe/Stockholm", "Europe/London"
_NEW_YORK, _SHANGHAI = "America/New_York", "Asia/Shanghai"

# (id, name, real name, display name, time zone, locale)
_PEOPLE = (
    (ERIK, "erik", "Erik Lindqvist", "Erik", _STOCKHOLM, "en-GB"),
    (ALICE, "alice", "Alice Andersson", "Alice", _STOCKHOLM, "en-US"),
    (BJORN, "bjorn", "Björn Nilsson", "Björn", _STOCKHOLM, "en-GB"),
    (LI_WEI, "li.wei", "李伟", "李伟 Li Wei", _SHANGHAI, "zh-CN"),
    (ZHANG_MIN, "zhang.min", "张敏", "张敏", _SHANGHAI, "zh-CN"),
    (INGRID, "ingrid", "Ingrid Holm", "Ingrid", _STOCKHOLM, "en-GB"),
    (CHEN_JING, "chen.jing", "陈静", "陈静 Chen Jing", _SHANGHAI, "zh-CN"),
    (OLIVER, "oliver", "Oliver Smith", "Oliver", _LONDON, "en-GB"),
    (MAJA, "maja", "Maja Berg", "Maja", _STOCKHOLM, "en-US"),
    (EMMA, "emma", "Emma Johnson", "Emma", _NEW_YORK, "en-US"),
    (WANG_FANG, "wang.fang", "王芳", "王芳 Wang Fang", _SHANGHAI, "zh-CN"),
    (DANIEL, "daniel", "Daniel Brown", "Dan", _NEW_YORK, "en-US"),
    (LIU_YANG, "liu.yang", "刘洋", "刘洋", _SHANGHAI, "zh-CN"),
    (SARA, "sara", "Sara Ek", "Sara", _STOCKHOLM, "en-GB"),
    (JAMES, "james", "James Taylor", "James", _LONDON, "en-GB"),
    (KARIN, "karin", "Karin Dahl", "Karin (HR)", _STOCKHOLM, "en-GB"),
    (HENRIK, "henrik", "Henrik Strand", "Henrik", _STOCKHOLM, "en-US"),
    (TOM, "tom", "Tom Walker", "Tom (contractor)", _LONDON, "en-GB"),
    (NILS, "nils", "Nils Former", "Nils", _STOCKHOLM, "en-GB"),
)
_FLAGS: dict[str, dict[str, bool]] = {
    HENRIK: {"is_admin": True},
    TOM: {"is_restricted": True},
    NILS: {"deleted": True},
}
_TEAMS = (
    (
        CHECKIN_GATE_GROUP,
        "checkin-gate",
        "Check-in & Gate",
        ERIK,
        (ALICE, BJORN, LI_WEI, ZHANG_MIN),
    ),
    (CABIN_CREW_GROUP, "cabin-crew", "Cabin Crew", INGRID, (CHEN_JING, OLIVER, MAJA, EMMA)),
    (
        CUSTOMER_CARE_GROUP,
        "customer-care",
        "Customer Care",
        WANG_FANG,
        (DANIEL, LIU_YANG, SARA, JAMES),
    ),
)


def demo_spec() -> dict[str, Any]:
    """The demo workspace in the workspace-file shape (see workspace_file.py)."""
    employees = [person[0] for person in _PEOPLE if person[0] not in (TOM, NILS)]
    return {
        "team": {"id": TEAM_ID, "name": "Nordlys Air", "domain": "nordlys-air"},
        "bot": {
            "user_id": BOT_USER,
            "bot_id": "B0MOTBOT1",
            "app_id": "A0MOTBOT1",
            "token": BOT_TOKEN,
            "name": "motbot",
        },
        "users": [
            {
                "id": user_id,
                "name": name,
                "real_name": real_name,
                "display_name": display,
                "tz": tz,
                "locale": locale,
                "email": f"{name}@nordlys-air.example",
                **_FLAGS.get(user_id, {}),
            }
            for user_id, name, real_name, display, tz, locale in _PEOPLE
        ],
        "channels": [
            {
                "id": GENERAL_CHANNEL,
                "name": "general",
                "members": [*employees, TOM],
                "purpose": "Company-wide announcements",
            },
            {
                "id": STORIES_CHANNEL,
                "name": "moments-of-truth",
                "members": [*employees, TOM, BOT_USER],
                "purpose": "Stories of the fifteen seconds that decide what a customer thinks",
            },
            {
                "id": LEADERBOARD_CHANNEL,
                "name": "leaderboard",
                "members": [*employees, BOT_USER],
                "purpose": "Weekly recognition leaderboard",
            },
            {
                "id": HR_CHANNEL,
                "name": "hr-culture-pulse",
                "is_private": True,
                "members": [KARIN, HENRIK, BOT_USER],
                "purpose": "Culture pulse summaries for HR",
            },
        ],
        "user_groups": [
            {
                "id": group_id,
                "handle": handle,
                "name": name,
                "users": [leader, *members],
                "description": f"The {name} team",
            }
            for group_id, handle, name, leader, members in _TEAMS
        ],
        "roles": {
            "team_groups": [CHECKIN_GATE_GROUP, CABIN_CREW_GROUP, CUSTOMER_CARE_GROUP],
            "leaders": list(LEADERS),
            "hr_users": list(HR_USERS),
            "admins": list(ADMINS),
            "stories_channel": STORIES_CHANNEL,
            "leaderboard_channel": LEADERBOARD_CHANNEL,
            "hr_channel": HR_CHANNEL,
        },
    }


def load_demo(clock: Clock | None = None) -> LoadedWorkspace:
    """The demo workspace and the roles the bot should be configured with."""
    return build_workspace(demo_spec(), clock, source="the demo workspace")


def demo_workspace(clock: Clock | None = None) -> Workspace:
    return load_demo(clock).workspace


def demo_env(api_url: str | None = None) -> dict[str, str]:
    """SLACK_BOT_TOKEN, MOTBOT_LEADERS/HR_USERS/ADMINS/*_CHANNEL (and SLACK_API_URL)."""
    return load_demo(Clock.frozen_at()).env(api_url)
