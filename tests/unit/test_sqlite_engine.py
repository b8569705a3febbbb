"""SQLite engines: foreign keys on, WAL, and a commit without an fsync of its own."""

from __future__ import annotations

from sqlalchemy import text

from bot.db.engine import make_engine


def test_a_sqlite_engine_enforces_foreign_keys_and_commits_to_the_wal_without_syncing(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'settings.db'}")
    with engine.connect() as connection:
        settings = {
            name: connection.execute(text(f"PRAGMA {name}")).scalar_one()
            for name in ("foreign_keys", "journal_mode", "synchronous", "busy_timeout")
        }
    engine.dispose()

    # synchronous 1 is NORMAL: WAL's recommended setting, safe against a crash of the process.
    assert settings == {
        "foreign_keys": 1,
        "journal_mode": "wal",
        "synchronous": 1,
        "busy_timeout": 5000,
    }
