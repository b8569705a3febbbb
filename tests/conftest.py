"""Fixtures every test may use: databases on both backends, settings, a signed Slack."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from bot.db.engine import SessionFactory, make_engine, make_session_factory
from bot.db.migrate import upgrade
from tests.support.databases import BACKENDS, delete_all_rows, fresh_database


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def empty_database_url(backend: str, tmp_path: Path) -> Iterator[str]:
    """A new empty database on each backend, for tests of migrations themselves."""
    with fresh_database(backend, tmp_path) as url:
        yield url


@pytest.fixture(scope="session")
def _migrated_databases(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Callable[[str], Engine]]:
    """One migrated database per backend for the whole run, created when first asked."""
    engines: dict[str, Engine] = {}
    contexts = []

    def engine_for(backend: str) -> Engine:
        if backend not in engines:
            context = fresh_database(backend, tmp_path_factory.mktemp(backend))
            url = context.__enter__()
            contexts.append(context)
            upgrade(url)
            engines[backend] = make_engine(url)
        return engines[backend]

    yield engine_for
    for engine in engines.values():
        engine.dispose()
    for context in reversed(contexts):
        context.__exit__(None, None, None)


@pytest.fixture
def engine(backend: str, _migrated_databases: Callable[[str], Engine]) -> Iterator[Engine]:
    """A migrated database on each backend, emptied after the test."""
    engine = _migrated_databases(backend)
    yield engine
    delete_all_rows(engine)


@pytest.fixture
def sessions(engine: Engine) -> SessionFactory:
    return make_session_factory(engine)


@pytest.fixture
def session(sessions: SessionFactory) -> Iterator[Session]:
    with sessions() as session:
        yield session
