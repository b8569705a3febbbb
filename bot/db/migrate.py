"""Alembic driven from code, so `motbot migrate` needs no alembic.ini or working directory."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

from bot.db.engine import make_engine, normalize_database_url
from bot.db.wipe import wipe_counted_ballots

MIGRATIONS_DIR = Path(__file__).resolve().parents[2] / "migrations"


def alembic_config(database_url: str) -> Config:
    if not (MIGRATIONS_DIR / "env.py").exists():
        raise RuntimeError(
            f"Alembic migrations not found at {MIGRATIONS_DIR}; run motbot from its source "
            "tree or an image that contains the migrations/ folder"
        )
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    # ConfigParser treats % as interpolation; a password may contain it.
    config.set_main_option(
        "sqlalchemy.url", normalize_database_url(database_url).replace("%", "%%")
    )
    return config


def upgrade(database_url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(database_url), revision)
    if revision == "head":
        # Revision 0007 rewrote the stored answers in a shuffled order; this leaves no
        # copy of their old order in SQLite's write-ahead log (cheap when there is none).
        engine = make_engine(database_url)
        try:
            wipe_counted_ballots(engine)
        finally:
            engine.dispose()


def downgrade(database_url: str, revision: str = "base") -> None:
    command.downgrade(alembic_config(database_url), revision)
