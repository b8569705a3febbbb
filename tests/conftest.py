"""Fixtures every test may use: databases on both backends, settings, a signed Slack."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from bot.db.engine import SessionFactory, make_engine, make_session_factory
from bot.db.migrate import upgrade
from tests.support.databases import (
    BACKENDS,
    TRANSPORT_BACKENDS,
    delete_all_rows,
    fresh_database,
)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Every test of a database runs on each backend. An end-to-end module marked
    `both_transports` also runs its world tests over Socket Mode, on SQLite only
    (TRANSPORT_BACKENDS). A test that names its own backends keeps them."""
    if "backend" not in metafunc.fixturenames or _parametrizes(metafunc, "backend"):
        return
    if "world" in metafunc.fixturenames and metafunc.definition.get_closest_marker(
        "both_transports"
    ):
        metafunc.parametrize(
            ("backend", "transport"),
            TRANSPORT_BACKENDS,
            indirect=True,
            ids=[f"{backend}-{transport}" for backend, transport in TRANSPORT_BACKENDS],
        )
    else:
        metafunc.parametrize("backend", BACKENDS, indirect=True)


def _parametrizes(metafunc: pytest.Metafunc, name: str) -> bool:
    for marker in metafunc.definition.iter_markers("parametrize"):
        names = marker.args[0]
        if isinstance(names, str):
            names = [part.strip() for part in names.split(",")]
        if name in names:
            return True
    return False


@pytest.fixture
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
