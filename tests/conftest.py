"""Shared fixtures: every test gets its own database and settings, never the user's."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest

from mentorapp.demo.cohort import create_demo
from mentorapp.store.db import Database, open_database


@pytest.fixture(autouse=True)
def _isolated_environment(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep tests away from the real data folder, database and QSettings."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("MENTORAPP_DB", str(home / "default.db"))


@pytest.fixture
def db_path(request: pytest.FixtureRequest, tmp_path) -> str:
    """A fresh SQLite file, or with ``--pg`` the URL of a fresh PostgreSQL database."""
    if request.config.getoption("--pg"):
        return request.getfixturevalue("pg_url")
    return str(tmp_path / "test.db")


@pytest.fixture
def db(db_path: str) -> Database:
    database = open_database(db_path)
    yield database
    database.dispose()


@pytest.fixture
def demo_db(db: Database) -> Database:
    """A database holding the default demo cohort (24 mentees, 16 mentors)."""
    with db.transaction() as s:
        create_demo(s)
    return db


@pytest.fixture
def demo_cohort_id(demo_db: Database) -> int:
    from mentorapp.people.cohorts import find_cohort

    with demo_db.session() as s:
        return find_cohort(s, None).id


# --- PostgreSQL: `pytest --pg` runs the tests marked `both_databases` again on a server -------
# scripts/test.sh starts a throwaway server and sets MENTORAPP_TEST_PG_URL. In --pg mode the
# `db_path` fixture (and so `db`, `demo_db`) gives each test its own database, cloned from a
# template migrated once; only tests marked `both_databases` that use a database fixture run,
# never those marked `sqlite_only`. Tests that need a server whatever the mode use `pg_url`.

PG_ENV = "MENTORAPP_TEST_PG_URL"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--pg", action="store_true", help=f"run database tests on PostgreSQL (${PG_ENV})")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "sqlite_only: checks SQLite file behaviour; not run with --pg")
    if config.getoption("--pg") and not os.environ.get(PG_ENV):
        raise pytest.UsageError(f"--pg needs {PG_ENV}=postgresql+psycopg://user@host:port/db")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not config.getoption("--pg"):
        return
    keep, drop = [], []
    for item in items:
        uses_db = "db_path" in getattr(item, "fixturenames", ()) or "pg_url" in getattr(item, "fixturenames", ())
        chosen = item.get_closest_marker("both_databases") is not None
        (keep if chosen and uses_db and item.get_closest_marker("sqlite_only") is None else drop).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


@pytest.fixture(scope="session")
def pg_server_url() -> str:
    url = os.environ.get(PG_ENV)
    if not url:
        pytest.skip(f"no PostgreSQL server ({PG_ENV} is not set; scripts/test.sh starts one)")
    return url


@pytest.fixture(scope="session")
def _pg_template(pg_server_url: str) -> str:
    """A database migrated to head once per run; each test's database is a copy of it."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"mentorapp_tpl_{os.getpid()}"
    admin = create_engine(pg_server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(pg_server_url).set(database=name).render_as_string(hide_password=False)
    open_database(url).dispose()
    yield name
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def pg_url(pg_server_url: str, _pg_template: str) -> str:
    """The URL of a fresh PostgreSQL database at the newest schema, dropped after the test."""
    import uuid

    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"mentorapp_t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(pg_server_url, isolation_level="AUTOCOMMIT", poolclass=_null_pool())
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{_pg_template}"'))
    yield make_url(pg_server_url).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _null_pool():
    from sqlalchemy.pool import NullPool

    return NullPool
