"""slack_sdk's installation and OAuth state stores live in our schema, as slack_sdk
defines them, so the stores find the tables our migrations made."""

from __future__ import annotations

import pytest
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy import MetaData, inspect

from bot.db.models.slack_oauth import (
    BOTS_TABLE,
    INSTALLATIONS_TABLE,
    OAUTH_STATES_TABLE,
    slack_bots,
    slack_installations,
    slack_oauth_states,
)


def shape(table):
    columns = [
        (
            column.name,
            type(column.type).__name__,
            getattr(column.type, "length", None),
            column.primary_key,
            column.nullable,
        )
        for column in table.columns
    ]
    indexes = {(index.name, tuple(c.name for c in index.columns)) for index in table.indexes}
    return columns, indexes


@pytest.mark.parametrize(
    ("ours", "theirs"),
    [
        (
            slack_installations,
            SQLAlchemyInstallationStore.build_installations_table(MetaData(), INSTALLATIONS_TABLE),
        ),
        (slack_bots, SQLAlchemyInstallationStore.build_bots_table(MetaData(), BOTS_TABLE)),
        (
            slack_oauth_states,
            SQLAlchemyOAuthStateStore.build_oauth_states_table(MetaData(), OAUTH_STATES_TABLE),
        ),
    ],
    ids=lambda table: table.name,
)
def test_our_table_is_the_one_slack_sdk_would_create(ours, theirs):
    assert shape(ours) == shape(theirs)


def test_the_migrations_create_the_store_tables(engine):
    assert {INSTALLATIONS_TABLE, BOTS_TABLE, OAUTH_STATES_TABLE} <= set(
        inspect(engine).get_table_names()
    )
