"""Rules of the code's shape that a reviewer should not have to check by hand."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import bot

BOT = Path(bot.__file__).parent
SLACK_PACKAGES = ("slack_bolt", "slack_sdk")


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_the_domain_never_imports_slack():
    offenders = {
        str(path.relative_to(BOT)): sorted(
            name for name in imported_modules(path) if name.split(".")[0] in SLACK_PACKAGES
        )
        for path in (BOT / "domain").rglob("*.py")
    }
    offenders = {path: names for path, names in offenders.items() if names}

    assert offenders == {}


def test_the_check_itself_sees_slack_imports(tmp_path):
    module = tmp_path / "listener.py"
    module.write_text("import slack_sdk\nfrom slack_bolt import App\n", encoding="utf-8")

    assert {"slack_sdk", "slack_bolt"} <= imported_modules(module)


def test_view_builders_never_touch_the_database():
    offenders = [
        str(path.relative_to(BOT))
        for path in (BOT / "slack" / "views").rglob("*.py")
        if any(
            name.split(".")[0] == "sqlalchemy" or name.startswith("bot.db")
            for name in imported_modules(path)
        )
    ]

    assert offenders == []


def test_the_domain_does_not_reach_slack_through_what_it_imports_either():
    """Not even by way of the models or repositories it uses: a fresh interpreter that
    imports every domain module has loaded no Slack package."""
    modules = sorted(
        "bot.domain." + path.stem
        for path in (BOT / "domain").glob("*.py")
        if path.stem != "__init__"
    )
    probe = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {SLACK_PACKAGES!r}))\n"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout.strip()

    assert modules and loaded == "[]"


SLACKEMU = Path(__file__).resolve().parents[2] / "slackemu"


def test_the_slack_emulator_never_imports_the_bot():
    """slackemu is a test double of Slack for any app; motbot's sandbox (bot/sandbox)
    drives it, never the other way round."""
    offenders = {
        str(path.relative_to(SLACKEMU)): sorted(
            name for name in imported_modules(path) if name.split(".")[0] == "bot"
        )
        for path in SLACKEMU.rglob("*.py")
    }
    offenders = {path: names for path, names in offenders.items() if names}

    assert SLACKEMU.is_dir() and offenders == {}


def test_the_slack_layer_never_imports_the_scheduler():
    """Jobs use the Slack code to post; the Slack code does not reach back up."""
    offenders = {
        str(path.relative_to(BOT)): sorted(
            name for name in imported_modules(path) if name.startswith("bot.scheduling")
        )
        for path in (BOT / "slack").rglob("*.py")
    }
    offenders = {path: names for path, names in offenders.items() if names}

    assert offenders == {}
