"""Storage: migrations own the schema on both engines; SQLite enforces foreign keys."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlmodel import SQLModel

import crm.models  # noqa: F401
from crm.db import current_revision, get_engine, head_revision, make_engine, migrate


def test_upgrade_head_leaves_no_pending_autogenerate_diff(engine):
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), SQLModel.metadata)
    assert diff == []
    assert current_revision(engine) == head_revision()


def test_sqlite_enforces_foreign_keys(sqlite_url):
    engine = get_engine(sqlite_url)
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        with pytest.raises(IntegrityError):
            conn.execute(text("INSERT INTO partnership (version, created_at, updated_at, is_demo, search_text, notes,"
                              " city_id, kind, status, title_en, title_zh) VALUES (1, '2020-01-01', '2020-01-01', 0,"
                              " '', '', 999, 'sister', 'active', '', '')"))


def test_first_run_creates_and_migrates_an_empty_sqlite_file(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'new' / 'liaison.db'}")
    migrate(engine)
    assert current_revision(engine) == head_revision()
    migrate(engine)  # idempotent
    assert (tmp_path / "new" / "liaison.db").exists()
