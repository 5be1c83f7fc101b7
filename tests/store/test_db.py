"""Storage: migrations own the schema on both engines; SQLite enforces foreign keys."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlmodel import SQLModel

import crm.models  # noqa: F401
from crm.store.engine import current_revision, get_engine, head_revision, make_engine, migrate


def test_upgrade_head_leaves_no_pending_autogenerate_diff(engine):
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), SQLModel.metadata)
    # the trigram indexes of migration 0012 exist on PostgreSQL only, outside the models (they name no column type)
    diff = [d for d in diff if not (d[0] == "remove_index" and d[1].name.endswith("_search_trgm"))]
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


def _alembic(engine, step: str, revision: str) -> None:
    from alembic import command

    from crm.store.engine import alembic_config

    cfg = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        getattr(command, step)(cfg, revision)


def test_0004_moves_a_partner_rows_signatory_to_the_partner_side(db_url):
    from crm.accounts.users import ensure_local_user
    from crm.records.matching import city_by_name
    from crm.store import writes

    engine = make_engine(db_url)
    admin = ensure_local_user()
    lima = city_by_name("Lima", "PE") or writes.create(admin, "cities", {"name_en": "Lima", "country_code": "PE"})
    pid = writes.create(admin, "partnerships", {"city_id": lima})
    _alembic(engine, "downgrade", "0003")
    with engine.begin() as conn:
        for seq, party, who in ((0, "home", "Ko Wen-je"), (1, "partner", "Mayor of Lima")):
            conn.execute(text(f"INSERT INTO signing (partnership_id, seq, party, mode, signatory) VALUES"
                              f" ({pid}, {seq}, '{party}', 'remote', '{who}')"))
    _alembic(engine, "upgrade", "head")
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT party, signatory, partner_signatory FROM signing ORDER BY seq")).all()
    assert [tuple(r) for r in rows] == [("home", "Ko Wen-je", ""), ("partner", "", "Mayor of Lima")]
