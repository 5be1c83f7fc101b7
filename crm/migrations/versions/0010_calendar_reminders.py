"""calendar feeds, inbox read marks, sent reminders; users' e-mail addresses

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04 21:30:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision: str = '0010'
down_revision: Union[str, None] = '0009'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        'calendarfeed',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('token_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('kinds', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column('lang', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column('revoked_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['user.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('calendarfeed', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_calendarfeed_token_hash'), ['token_hash'], unique=True)
        batch_op.create_index(batch_op.f('ix_calendarfeed_user_id'), ['user_id'], unique=False)
    op.create_table(
        'inboxread',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('item_key', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column('read_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['user.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('user_id', 'item_key'),
    )
    with op.batch_alter_table('inboxread', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inboxread_user_id'), ['user_id'], unique=False)
    op.create_table(
        'sentreminder',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('reminder_key', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('sent_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['user.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('user_id', 'reminder_key', 'day'),
    )
    with op.batch_alter_table('sentreminder', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sentreminder_user_id'), ['user_id'], unique=False)
    # plain ALTER TABLE … ADD COLUMN: batch mode would copy the user table, which foreign keys refuse
    op.add_column('user', sa.Column('email', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False,
                                    server_default=''))


def downgrade() -> None:
    op.drop_column('user', 'email')
    for table in ('sentreminder', 'inboxread', 'calendarfeed'):
        op.drop_table(table)
