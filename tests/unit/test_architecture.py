"""Rules of the code's shape that a reviewer should not have to check by hand."""

from __future__ import annotations

import ast
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
