"""Engine, sessions and migrations. SQLite by default; `DATABASE_URL` selects PostgreSQL."""

import json
from functools import lru_cache
from pathlib import Path

import orjson
from sqlalchemy import event, inspect, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlmodel import create_engine

from crm import config
from crm.errors import LiaisonError

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"
BUSY_TIMEOUT = 30.0
"""Seconds a SQLite write waits for another writer (an import's insert) to finish before it gives up with
`DatabaseBusy`. Read when a connection is opened."""


class DatabaseUnavailable(RuntimeError):
    """The configured database cannot be reached or opened."""


class DatabaseBusy(LiaisonError):
    """Another writer (an import) held the database past the busy timeout: nothing of this change was saved."""

    def __init__(self) -> None:
        super().__init__("err.database_busy")


_BUSY_MESSAGES = ("database is locked", "database table is locked", "database is busy")
_PG_LOCK_NOT_AVAILABLE = "55P03"


def busy_error(exc: BaseException) -> DatabaseBusy | None:
    """`DatabaseBusy` when `exc` (an OperationalError) says the database was locked by another writer, else None."""
    orig = getattr(exc, "orig", exc)
    if getattr(orig, "sqlstate", None) == _PG_LOCK_NOT_AVAILABLE:
        return DatabaseBusy()
    if orig.__class__.__module__.startswith("sqlite3") and str(orig).strip().lower().startswith(_BUSY_MESSAGES):
        return DatabaseBusy()
    return None


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT * 1000)}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _json_dumps(value) -> str:
    """JSON columns' encoder: orjson (several times faster: an import writes an audit snapshot per record);
    what orjson refuses (an int beyond 64 bits…) falls back to the json module."""
    try:
        return orjson.dumps(value).decode()
    except (TypeError, orjson.JSONEncodeError):
        return json.dumps(value)


def make_engine(url: str) -> Engine:
    """A new engine for `url`, with SQLite pragmas applied on every connection."""
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT},
                               json_serializer=_json_dumps)
        event.listen(engine, "connect", _sqlite_pragmas)
    else:
        engine = create_engine(url, pool_pre_ping=True, connect_args={"connect_timeout": 5},
                               json_serializer=_json_dumps)
    return engine


@lru_cache(maxsize=8)
def _engine_for(url: str) -> Engine:
    return make_engine(url)


def get_engine(url: str | None = None) -> Engine:
    """The process-wide engine for the configured (or given) database URL."""
    return _engine_for(url or config.database_url())



def alembic_config(url: str):
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def check_reachable(engine: Engine) -> None:
    """Raise `DatabaseUnavailable` with a one-line reason when the database cannot be used."""
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except OperationalError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise DatabaseUnavailable(f"{engine.url.render_as_string(hide_password=True)}: {reason}") from None


def migrate(engine: Engine | None = None) -> None:
    """Create or upgrade the schema to the newest revision (Alembic `upgrade head`)."""
    from alembic import command

    engine = engine or get_engine()
    check_reachable(engine)
    cfg = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "head")


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
    assert head is not None, "crm/migrations/versions holds the migrations"
    return head


def is_migrated(engine: Engine) -> bool:
    return "alembic_version" in inspect(engine).get_table_names() and current_revision(engine) == head_revision()


_prepared: set[str] = set()


def ensure_ready(engine: Engine | None = None) -> Engine:
    """Migrate once per process and seed reference data; cheap on later calls."""
    engine = engine or get_engine()
    key = engine.url.render_as_string(hide_password=False)
    if key not in _prepared:
        check_reachable(engine)
        if not is_migrated(engine):
            migrate(engine)
        from crm.geo.reference import ensure_reference_data

        ensure_reference_data(engine)
        _prepared.add(key)
    return engine
