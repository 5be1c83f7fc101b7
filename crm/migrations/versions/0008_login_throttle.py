"""sign-in lock-out per user name (known or not) and per client address in one table

Failed sign-ins were counted on the user row for known names and from the audit log for unknown ones (two
schedules, which told the names apart); `loginthrottle` now counts both, and client addresses. A lock-out in
force on a user row is carried over.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05 10:00:00

"""
import hashlib
from datetime import UTC, datetime
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision: str = '0008'
down_revision: Union[str, None] = '0007'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    table = op.create_table(
        'loginthrottle',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('scope', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column('failures', sa.Integer(), nullable=False),
        sa.Column('locked_until', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column('last_failure_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column('audit_id', sa.Integer(), nullable=True),
        sa.Column('audit_minute', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('key'),
    )
    with op.batch_alter_table('loginthrottle', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_loginthrottle_last_failure_at'), ['last_failure_at'], unique=False)
    users = sa.table('user', sa.column('username', sa.String()), sa.column('failed_logins', sa.Integer()),
                     sa.column('locked_until', sqlmodel.sql.sqltypes.UTCDateTime()))
    rows = op.get_bind().execute(sa.select(users.c.username, users.c.failed_logins, users.c.locked_until)
                                 .where(users.c.failed_logins > 0)).all()
    if rows:
        op.bulk_insert(table, [
            {'key': hashlib.sha256(f'name:{name}'.encode('utf-8')).hexdigest(), 'scope': 'name',
             'failures': failures, 'locked_until': locked_until, 'last_failure_at': datetime.now(UTC)}
            for name, failures, locked_until in rows])
    # plain ALTER TABLE … DROP COLUMN (SQLite 3.35+): batch mode would copy and drop the user table, which the
    # foreign keys of the audit log and the sessions refuse on a database with accounts
    op.drop_column('user', 'locked_until')
    op.drop_column('user', 'failed_logins')


def downgrade() -> None:
    op.add_column('user', sa.Column('failed_logins', sa.Integer(), nullable=False, server_default='0'))
    op.add_column('user', sa.Column('locked_until', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
    with op.batch_alter_table('loginthrottle', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_loginthrottle_last_failure_at'))
    op.drop_table('loginthrottle')
