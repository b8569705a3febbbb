"""Alembic environment: the URL comes from `motbot migrate` or, for the alembic CLI, from
DATABASE_URL (and .env) through Settings; SQLite gets batch mode so ALTERs work."""

from __future__ import annotations

from logging.config import fileConfig
from typing import Any

from alembic import context
from dotenv import find_dotenv, load_dotenv
from sqlalchemy import Engine

import bot.db.models  # noqa: F401  (registers every table on the metadata)
from bot.config import Settings
from bot.db.base import Base
from bot.db.engine import make_engine
from bot.db.types import UTCDateTime

config = context.config
if config.config_file_name is not None:
    fileConfig(config.config_file_name)


def database_url() -> str:
    url = config.get_main_option("sqlalchemy.url")
    if url:
        return url
    load_dotenv(find_dotenv(usecwd=True))
    return Settings.from_env().database_url


def render_item(type_: str, obj: Any, autogen_context: Any) -> str | bool:
    # Migrations must not import application types that may change later.
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def run_migrations_offline() -> None:
    context.configure(
        url=database_url(),
        target_metadata=Base.metadata,
        literal_binds=True,
        render_as_batch=True,
        render_item=render_item,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    engine: Engine = make_engine(database_url())
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=Base.metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            render_item=render_item,
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
