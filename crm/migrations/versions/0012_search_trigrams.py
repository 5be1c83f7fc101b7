"""trigram indexes on the records' search keys (PostgreSQL), for the global search and the lists' search

Every search — a list's box, the pickers, the global search in the sidebar — asks `search_text LIKE '%word%'`,
which a B-tree cannot answer: at 100k records each kind's table was read whole. A GIN trigram index (pg_trgm)
answers it. SQLite has no such index (and its tables scan fast enough at the office's sizes): nothing changes
there. Where the database refuses the extension (no right to create it), the indexes are left out and searches
read the tables as before.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-04 21:30:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0012'
down_revision: Union[str, None] = '0011'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

TABLES = ('city', 'organisation', 'person', 'partnership', 'agreement', 'delegation', 'visit', 'conference',
          'forum', 'exchangeprogramme', 'committeemeeting', 'outreachletter')


def _has_trgm(bind) -> bool:
    if bind.execute(sa.text("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")).first():
        return True
    savepoint = bind.begin_nested()
    try:
        bind.execute(sa.text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
    except sa.exc.DBAPIError:
        savepoint.rollback()
        return False
    savepoint.commit()
    return True


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != 'postgresql' or not _has_trgm(bind):
        return
    for table in TABLES:
        op.execute(f'CREATE INDEX IF NOT EXISTS ix_{table}_search_trgm ON "{table}" '
                   'USING gin (search_text gin_trgm_ops)')


def downgrade() -> None:
    if op.get_bind().dialect.name != 'postgresql':
        return
    for table in TABLES:
        op.execute(f'DROP INDEX IF EXISTS ix_{table}_search_trgm')
