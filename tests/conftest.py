"""Shared fixtures: a fresh migrated database per test on SQLite and on PostgreSQL.

PostgreSQL is the server at 127.0.0.1:5432 (trust auth, database `test`); each test gets its
own database cloned from a migrated template, so parallel runs never meet. Where no server
answers, the PostgreSQL variants skip with the reason.
"""

import os
import shutil
import uuid
from pathlib import Path

import pytest

# Real-browser fixtures (live_app, browser_page) for every test module: see tests/support/browser.py.
pytest_plugins = ["tests.support.browser"]

PG_ADMIN_URL = os.environ.get("LIAISON_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")
ROOT = Path(__file__).resolve().parent.parent


def _pg_connect(dbname: str | None = None):
    import psycopg

    url = PG_ADMIN_URL if dbname is None else PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + dbname
    return psycopg.connect(url, autocommit=True, connect_timeout=3)


def _pg_url(dbname: str) -> str:
    return "postgresql+psycopg://" + PG_ADMIN_URL.split("://", 1)[1].rsplit("/", 1)[0] + "/" + dbname


@pytest.fixture(scope="session")
def pg_template():
    """A migrated PostgreSQL template database for this test session (skips without a server)."""
    try:
        conn = _pg_connect()
    except Exception as exc:  # noqa: BLE001
        pytest.skip(f"PostgreSQL not reachable at {PG_ADMIN_URL}: {str(exc).splitlines()[0]}")
    name = f"liaison_tpl_{uuid.uuid4().hex[:10]}"
    conn.execute(f'CREATE DATABASE "{name}"')
    from crm.store.engine import ensure_ready, make_engine

    engine = make_engine(_pg_url(name))
    ensure_ready(engine)
    engine.dispose()
    yield name
    conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    conn.close()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory):
    from crm.store.engine import ensure_ready, make_engine

    path = tmp_path_factory.mktemp("tpl") / "template.db"
    engine = make_engine(f"sqlite:///{path}")
    ensure_ready(engine)
    engine.dispose()
    return path


def _fresh_url(request, engine_name: str, tmp_path) -> tuple[str, callable]:
    if engine_name == "sqlite":
        template = request.getfixturevalue("sqlite_template")
        target = tmp_path / "liaison.db"
        shutil.copy(template, target)
        return f"sqlite:///{target}", lambda: None
    template = request.getfixturevalue("pg_template")
    name = f"liaison_t_{uuid.uuid4().hex[:10]}"
    with _pg_connect() as conn:
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')

    def drop() -> None:
        from crm.store.engine import _engine_for

        _engine_for.cache_clear()
        with _pg_connect() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return _pg_url(name), drop


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path, monkeypatch):
    """A fresh, migrated, empty database on each engine; DATABASE_URL points at it."""
    url, drop = _fresh_url(request, request.param, tmp_path)
    monkeypatch.setenv("DATABASE_URL", url)
    yield url
    drop()


@pytest.fixture
def sqlite_url(request, tmp_path, monkeypatch):
    """A fresh, migrated, empty SQLite database; DATABASE_URL points at it."""
    url, _ = _fresh_url(request, "sqlite", tmp_path)
    monkeypatch.setenv("DATABASE_URL", url)
    return url


@pytest.fixture
def engine(db_url):
    from crm.store.engine import ensure_ready, get_engine

    return ensure_ready(get_engine(db_url))


@pytest.fixture
def admin():
    from crm.accounts.users import ensure_local_user

    return ensure_local_user()


@pytest.fixture
def staff(admin):
    from crm.accounts.users import actor_by_name, add_user

    add_user(admin, "clerk", "staff", "brass compass winter 42")
    return actor_by_name("clerk")


@pytest.fixture
def leader(admin):
    from crm.accounts.users import actor_by_name, add_user

    add_user(admin, "mayor", "leadership", "brass compass winter 42")
    return actor_by_name("mayor")


@pytest.fixture(scope="session")
def demo_template(sqlite_template, tmp_path_factory):
    """A SQLite database with the demo data loaded once per session."""
    from crm.accounts.users import ensure_local_user
    from crm.demo.loader import load_demo
    from tests.support.database import using_database

    path = tmp_path_factory.mktemp("demo") / "demo.db"
    shutil.copy(sqlite_template, path)
    with using_database(path):
        load_demo(ensure_local_user())
    return path


@pytest.fixture
def demo_url(demo_template, tmp_path, monkeypatch):
    """A fresh copy of the demo database; DATABASE_URL points at it."""
    target = tmp_path / "demo.db"
    shutil.copy(demo_template, target)
    url = f"sqlite:///{target}"
    monkeypatch.setenv("DATABASE_URL", url)
    return url
